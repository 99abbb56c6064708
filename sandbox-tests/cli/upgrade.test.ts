// The upgrade guide as a user runs it: a community created by the create-a-community guide, a new reward-pool
// release published on the factory, and the community upgrading its pool by proposal, vote and execution, each
// command through the real CLI. The chain is checked over RPC: the pool's code hash, its migrated state version and
// what its migration recorded, the blob's deposit back to the proposer.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CliEnv, guideCommands, manifestSha, ok, ROOT, useCliEnv } from "./harness.ts";
import type { ExecutionContext } from "ava";

const test = useCliEnv();

function manifestBytes(name: string): number {
  const m = JSON.parse(readFileSync(join(ROOT, "build", "manifest.json"), "utf8")) as {
    contracts: { name: string; bytes: number }[];
  };
  return m.contracts.find((c) => c.name === name)?.bytes ?? 0;
}
const FACTORY = "commons.test.near";
const DAO = "acme.commons.test.near";
const POOL = "acme_reward-pool.commons.test.near";

/** Runs a guide's commands in order; returns each command line with its stdout. */
async function runGuide(t: ExecutionContext<{ cli: CliEnv }>, file: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const words of guideCommands(file)) {
    const r = await t.context.cli.run(words);
    ok(t, r, `ai-commons ${words.join(" ")}`);
    out.push([words.join(" "), r.stdout]);
  }
  return out;
}

test.serial("upgrade-a-community guide: a new pool release published, proposed, voted and executed", async (t) => {
  const { cli } = t.context;
  await runGuide(t, "create-a-community.md");
  t.is(await cli.codeSha256(POOL), manifestSha("reward-pool"));
  const aliceBefore = BigInt((await cli.account("alice.test.near")).amount);

  const out = await runGuide(t, "upgrade-a-community.md");
  const statuses = out.filter(([line]) => line === "community status acme").map(([, stdout]) => stdout);
  t.is(statuses.length, 2);
  // After the release the status names the contract that is behind and the command; after the upgrade, none.
  t.regex(
    statuses[0],
    /reward-pool runs [0-9a-f]{16}; the factory holds .*`ai-commons propose upgrade --contract reward-pool -c acme`/,
  );
  t.notRegex(statuses[0], /dataset-registry runs/);
  t.regex(statuses[1], /every contract runs the factory's current code/);

  // The pool runs the new release on its old state, migrated 1 -> 2 by the migration step the release added.
  t.is(await cli.codeSha256(POOL), manifestSha("reward-pool-v2"));
  t.is((await cli.view<{ state_version: number }>(POOL, "get_config")).state_version, 2);
  t.deepEqual(await cli.view(POOL, "get_code_version"), {
    release: "reward-pool-v2",
    migration: { release: "reward-pool-v2", migrated_from: 1, dao_id: DAO },
  });
  const p = await cli.view<{ status: string; kind: Record<string, unknown> }>(DAO, "get_proposal", { id: 0 });
  t.is(p.status, "Executed");
  t.like(p.kind, { kind: "UpgradeSuite", contract: "reward-pool", hash: manifestSha("reward-pool-v2") });
  // The larger code's storage, paid by the treasury as the proposal's deposit (bytes x 10^19 yocto).
  const growth = BigInt(manifestBytes("reward-pool-v2") - manifestBytes("reward-pool")) * 10n ** 19n;
  t.is((p.kind as { deposit?: string }).deposit, growth > 0n ? growth.toString() : undefined);
  // The blob is gone: its storage went back to alice, who paid only gas and the proposal's storage overall.
  t.is(await cli.view(DAO, "get_blob", { hash: manifestSha("reward-pool-v2") }), null);
  const spent = aliceBefore - BigInt((await cli.account("alice.test.near")).amount);
  t.true(spent < 10n ** 23n, `alice spent ${spent} yocto (gas and proposal storage only)`);
  const info = await cli.view<{ version: string }>(FACTORY, "get_code_info", { name: "reward-pool" });
  t.regex(info.version, /-/);
});

test.serial("propose upgrade refuses a contract the community does not have, before sending anything", async (t) => {
  const { cli } = t.context;
  const r = await cli.run(["propose", "upgrade", "--contract", "token", "-c", "acme", "--account", "alice.test.near"]);
  t.is(r.code, 1);
  t.regex(r.stderr, /has no token; its contracts: community-dao, dataset-registry/);
  t.is(await cli.view<number>(DAO, "get_last_proposal_id"), 1);
});
