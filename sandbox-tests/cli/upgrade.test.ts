// The upgrade guide as a user runs it: a community created by the create-a-community guide, a new reward-pool
// release published on the factory, and the community upgrading its pool by proposal, vote and execution, each
// command through the real CLI. The factory publishes the release to the global store; the proposal switches the pool
// to its hash (NEP-591). The chain is checked over RPC: the pool's code hash, its migrated state version and what its
// migration recorded, and that the proposer paid only gas and the proposal's storage.
import { type CliEnv, guideCommands, manifestSha, ok, useCliEnv } from "./harness.ts";
import type { ExecutionContext } from "ava";

const test = useCliEnv();

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
  t.like(p.kind, { kind: "UpgradeSuite", contract: "reward-pool", hash: manifestSha("reward-pool-v2"), global: true });
  t.regex((p as unknown as { description: string }).description, /\(commons\.test\.near release 0\.1\.0-/);
  // Global code costs the pool no storage for the code (32 bytes of hash): no deposit from the treasury, no blob.
  t.is((p.kind as { deposit?: string }).deposit, undefined);
  t.is(await cli.view(DAO, "get_blob", { hash: manifestSha("reward-pool-v2") }), null);
  t.true((await cli.account(POOL)).storage_usage < 20000, "the pool holds no copy of its code");
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

test.serial(
  "propose upgrade --hash: unknown code refused; a hash that is not the current release says so to voters",
  async (t) => {
    const { cli } = t.context;
    const base = ["propose", "upgrade", "--contract", "reward-pool", "-c", "acme", "--account", "alice.test.near"];
    const unknown = await cli.run([...base, "--hash", "ef".repeat(32)]);
    t.is(unknown.code, 1);
    t.regex(unknown.stderr, /no blob (ef){32} in acme\.commons\.test\.near and no global code of that hash on local/);
    t.is(await cli.view<number>(DAO, "get_last_proposal_id"), 1);
    // the pool's first release is still in the global store (a rollback target), but no longer the factory's current
    const old = manifestSha("reward-pool");
    const r = await cli.run([...base, "--hash", old]);
    ok(t, r, "propose upgrade --hash <old release>");
    const p = await cli.view<{ description: string; kind: Record<string, unknown> }>(DAO, "get_proposal", { id: 1 });
    t.like(p.kind, { kind: "UpgradeSuite", hash: old, global: true });
    t.regex(p.description, /NOT the current reward-pool release of commons\.test\.near: check this code before voting/);
  },
);
