// The suite commands of the CLI as a user runs them: the four task guides (curate datasets, train and activate a
// model, attest inferences, pay the creators) run command by command against one local node in a temporary HOME,
// then each kind of error. Chain state is checked over RPC, independently of the CLI's code.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import { type CliEnv, guideCommands, NEAR, ROOT, type Run, ok, useCliEnv } from "./harness.ts";

const test = useCliEnv();
const DAO = "coop.commons.test.near";
const DATASETS = "coop_dataset-registry.commons.test.near";
const MODELS = "coop_model-registry.commons.test.near";
const VERIFIER = "coop_inference-verifier.commons.test.near";
const POOL = "coop_reward-pool.commons.test.near";
const MODEL = "community-intents@1.0.0";
const card = JSON.parse(readFileSync(join(ROOT, "attester", "model-card.json"), "utf8")) as { weights_sha256: string };
const localManifest = JSON.parse(readFileSync(join(ROOT, "data", "manifest.json"), "utf8")) as { root: string };

/** Runs a guide's commands in order, `~/` expanded to the test's HOME as a shell would. */
async function runGuide(t: ExecutionContext<{ cli: CliEnv }>, file: string): Promise<Map<string, Run>> {
  const { cli } = t.context;
  const outputs = new Map<string, Run>();
  const commands = guideCommands(file);
  t.true(commands.length >= 5, `${file} has commands`);
  for (const words of commands) {
    const args = words.map((w) => (w.startsWith("~/") ? join(cli.home, w.slice(2)) : w));
    const r = await cli.run(args);
    ok(t, r, `ai-commons ${words.join(" ")}`);
    outputs.set(words.join(" "), r);
  }
  return outputs;
}

async function balance(cli: CliEnv, id: string): Promise<bigint> {
  return BigInt((await cli.account(id)).amount);
}

test.serial("curate-datasets guide: submit, admit and reject by proposal, manifest, withdraw", async (t) => {
  const { cli } = t.context;
  const out = await runGuide(t, "curate-datasets.md");
  const ds = (id: string) =>
    cli.view<{ status: string; withdrawn: boolean; creators: { account_id: string; share_bps: number }[] }>(
      DATASETS,
      "get_dataset",
      { dataset_id: id },
    );
  t.is((await ds("community-intents-a@1.0.0")).status, "Admitted");
  const b = await ds("community-intents-b@1.0.0");
  t.is(b.status, "Admitted");
  t.deepEqual(b.creators, [
    { account_id: "dave.test.near", share_bps: 4000 },
    { account_id: "erin.test.near", share_bps: 6000 },
  ]);
  const scratch = await ds("scratch@0.1.0");
  t.is(scratch.status, "Rejected");
  t.true(scratch.withdrawn);
  for (const id of [1, 2, 3]) {
    const p = await cli.view<{ status: string; kind: { kind: string } }>(DAO, "get_proposal", { id });
    t.is(p.status, "Executed");
    t.is(p.kind.kind, id === 3 ? "RejectDataset" : "AdmitDataset");
  }
  const m = await cli.view<{ root: string }>(DATASETS, "get_manifest", { manifest_id: 1 });
  t.is(m.root, localManifest.root, "the on-chain root is data/manifest.json's");
  // --json output of a read command
  const list = await cli.run(["dataset", "list", "-c", "coop", "--json"]);
  t.is((JSON.parse(list.stdout) as unknown[]).length, 3);
  // shares in percent for people, basis points under --json
  t.regex(
    out.get("dataset list -c coop")?.stdout ?? "",
    /^community-intents-b@1\.0\.0 .*dave\.test\.near 40%, erin\.test\.near 60%$/m,
  );
  t.regex(out.get("manifest show 1 -c coop")?.stdout ?? "", new RegExp(localManifest.root));
});

test.serial("train-and-activate guide: deterministic weights, register, ActivateModel, lineage", async (t) => {
  const { cli } = t.context;
  const out = await runGuide(t, "train-and-activate-a-model.md");
  const trained = [...out.entries()].filter(([k]) => k.startsWith("train"));
  t.is(trained.length, 2);
  for (const [, r] of trained) t.regex(r.stdout, new RegExp(`^weights sha256 ${card.weights_sha256}$`, "m"));
  t.regex(trained[0][1].stdout, /checked against the dataset registry/);
  t.true(existsSync(join(cli.home, "model.aicm")));
  const model = await cli.view<{ status: string; weights_sha256: string; training_manifest_id: number }>(
    MODELS,
    "get_model",
    { model_id: MODEL },
  );
  t.is(model.status, "Active");
  t.is(model.weights_sha256, card.weights_sha256);
  t.is(model.training_manifest_id, 1);
  t.like(await cli.view<object>(VERIFIER, "get_active_model", {}), { weights_sha256: card.weights_sha256 });
  t.like(await cli.view<object>(POOL, "get_lineage", { model_name: "community-intents", model_version: "1.0.0" }), {
    complete: true,
  });
  const lineage = out.get(`model lineage ${MODEL} -c coop`)?.stdout ?? "";
  t.regex(lineage, /makers: frank\.test\.near 75%, erin\.test\.near 25%/);
  t.regex(lineage, /-> creator erin\.test\.near 60%/);
  t.regex(lineage, /reward pool lineage: complete/);
});

test.serial("attest-inferences guide: AddAttester bonds from the treasury, receipts in one batch", async (t) => {
  const { cli } = t.context;
  const treasury = BigInt((await cli.view<{ available: string }>(DAO, "get_treasury")).available);
  const out = await runGuide(t, "attest-inferences.md");
  const a = await cli.view<{ status: string; bond: string }>(VERIFIER, "get_attester", {
    attester_id: "att.test.near",
  });
  t.deepEqual([a.status, a.bond], ["Active", NEAR.toString()]);
  const spent = treasury - BigInt((await cli.view<{ available: string }>(DAO, "get_treasury")).available);
  // the bond, and the storage the proposal's records take
  t.true(spent > (NEAR * 99n) / 100n && spent <= NEAR + NEAR / 20n, `treasury paid ${spent}`);
  t.is((await cli.view<{ receipts: number }>(VERIFIER, "get_config")).receipts, 3);
  const r0 = await cli.view<{ attester_id: string; model_version: string; status: string }>(VERIFIER, "get_receipt", {
    receipt_id: 0,
  });
  t.deepEqual([r0.attester_id, r0.model_version, r0.status], ["att.test.near", "1.0.0", "Accepted"]);
  const attest = [...out.entries()].find(([k]) => k.startsWith("attest "))?.[1].stdout ?? "";
  t.regex(attest, /-> governance/);
  t.regex(attest, /submitted receipts 0,1,2 to coop_inference-verifier/);
  const answers = JSON.parse(readFileSync(join(cli.home, "answers.json"), "utf8")) as { salt: string }[];
  t.is(answers.length, 3);
  t.regex(answers[0].salt, /^[0-9a-f]{64}$/);
});

test.serial("pay-the-creators guide: FundRewardPool, SetRewardPolicy, report, close, claims", async (t) => {
  const { cli } = t.context;
  const frankBefore = await balance(cli, "frank.test.near");
  const out = await runGuide(t, "pay-the-creators.md");
  t.is(
    (
      await cli
        .view<{ model_bps: number }>(POOL, "get_config")
        .then((c) => c as unknown as { policy: { model_bps: number } })
    ).policy.model_bps,
    4000,
  );
  const totals = await cli.view<{ deposited: string; claimed: string; unallocated: string }>(POOL, "get_totals");
  t.true(BigInt(totals.deposited) > 4n * NEAR);
  t.true(BigInt(totals.claimed) > 4n * NEAR);
  for (const who of ["frank", "erin", "dave", "att"]) {
    t.is(await cli.view<string>(POOL, "claimable", { account_id: `${who}.test.near` }), "0", who);
  }
  t.true((await balance(cli, "frank.test.near")) > frankBefore + NEAR);
  const inv = await cli.view<{ ledger_balanced: boolean; solvent: boolean }>(POOL, "get_invariant");
  t.true(inv.ledger_balanced && inv.solvent);
  // human units: NEAR with at most 5 decimals (never yocto), epochs as the minute of block time they span
  const claimable = out.get("claimable frank.test.near -c coop")?.stdout ?? "";
  t.regex(claimable, /^frank\.test\.near can claim \d+(\.\d{1,5})? NEAR$/m);
  const claimed = out.get("claim -c coop --account frank.test.near")?.stdout ?? "";
  t.is(/claimed (\S+ NEAR)/.exec(claimed)?.[1], /can claim (\S+ NEAR)/.exec(claimable)?.[1]);
  const minute = String.raw`epoch (\d+) \((\d{4}-\d\d-\d\d \d\d:\d\d):00 UTC to \d{4}-\d\d-\d\d \d\d:\d\d:00 UTC, 1 min\)`;
  const closed = new RegExp(
    `^closed ${minute}: budget \\d+(\\.\\d{1,5})? NEAR allocated \\(tx \\w+, [\\d.]+ Tgas\\)$`,
    "m",
  ).exec(out.get("epoch close -c coop --account relayer.test.near")?.stdout ?? "");
  t.truthy(closed, "epoch close names the epoch with its dates");
  // epoch E of one minute starts at E minutes of block time
  const e = Number(closed?.[1]);
  t.is(`${closed?.[2]}`, new Date(e * 60_000).toISOString().slice(0, 16).replace("T", " "));
  t.true(await cli.view<boolean>(POOL, "get_epoch", { epoch: e }).then((r) => r !== null));
  t.regex(
    out.get("usage report -c coop --account relayer.test.near")?.stdout ?? "",
    new RegExp(`^usage of epoch ${e} \\(`, "m"),
  );
  const status = [...out.entries()].filter(([k]) => k.startsWith("status"))[0][1].stdout;
  t.regex(status, /active model: community-intents@1\.0\.0/);
  t.regex(status, /reward pool: deposited \d+(\.\d{1,5})? NEAR, unallocated /);
  t.regex(status, new RegExp(`^  current ${minute}$`, "m"));
  t.notRegex(status + claimable + claimed, /\d{19}/);
});

test.serial("errors: refused proposals, execution failures, attester and claim errors with meanings", async (t) => {
  const { cli } = t.context;
  const json = async (args: string[]) => {
    const r = await cli.run([...args, "--json"]);
    t.is(r.code, 1, `${args.join(" ")} should fail:\n${r.stdout}${r.stderr}`);
    return JSON.parse(r.stdout).error as { code: string; message: string };
  };
  const bad = await json([
    "propose",
    "admit-dataset",
    "--dataset",
    "no-version",
    "-c",
    "coop",
    "--account",
    "alice.test.near",
  ]);
  // refused by the CLI before anything is sent (the registry's own ERR_INVALID_DATASET_ID is tested in registries/)
  t.is(bad.code, "BAD_ARGS");
  t.regex(bad.message, /--dataset must be name@version/);
  const key = await json(["propose", "add-attester", "--attester", "x.test.near", "--public-key", "abc", "-c", "coop"]);
  t.is(key.code, "BAD_ARGS");
  t.regex(key.message, /--public-key must be 128 lower-case hex characters or an existing file/);
  const nothing = await json(["claim", "-c", "coop", "--account", "bob.test.near"]);
  t.is(nothing.code, "ERR_NOTHING_TO_CLAIM");
  const again = await json(["usage", "report", "-c", "coop", "--account", "relayer.test.near"]);
  t.is(again.code, "ERR_ALREADY_REPORTED");
  t.regex(again.message, /contract error ERR_ALREADY_REPORTED/);
  const notCreator = await json([
    "dataset",
    "withdraw",
    "community-intents-a@1.0.0",
    "-c",
    "coop",
    "--account",
    "bob.test.near",
  ]);
  t.is(notCreator.code, "ERR_NOT_CREATOR");
  t.regex(notCreator.message, /withdrawal by an account neither listed as creator nor the submitter/);
  const creators = await json([
    "dataset",
    "submit",
    "x@1",
    "--file",
    "data/community-intents-a.tsv",
    "--creators",
    "dave.test.near:5000",
    "-c",
    "coop",
  ]);
  t.is(creators.code, "BAD_ARGS");
  // a model file whose weights are not the active model's
  const other = join(cli.home, "other.aicm");
  const model = readFileSync(join(cli.home, "model.aicm"));
  model[model.length - 1] ^= 1;
  const { writeFileSync } = await import("node:fs");
  writeFileSync(other, model);
  const mismatch = await json([
    "attest",
    "--model-file",
    other,
    "--key",
    join(cli.home, "attester-key.json"),
    "--attester",
    "att.test.near",
    "--text",
    "hello",
    "-c",
    "coop",
    "--account",
    "relayer.test.near",
  ]);
  t.is(mismatch.code, "ERR_WEIGHTS_MISMATCH");
  // an admission of a rejected dataset passes the vote but fails at execution, with the proposal's last error
  const p = await cli.run([
    "propose",
    "admit-dataset",
    "--dataset",
    "scratch@0.1.0",
    "-c",
    "coop",
    "--account",
    "alice.test.near",
    "--json",
  ]);
  ok(t, p, "propose admit scratch");
  const id = String(JSON.parse(p.stdout).id);
  ok(t, await cli.run(["vote", "approve", id, "-c", "coop", "--account", "alice.test.near"]), "vote alice");
  ok(t, await cli.run(["vote", "approve", id, "-c", "coop", "--account", "bob.test.near"]), "vote bob");
  const failed = await json(["execute", id, "-c", "coop", "--account", "bob.test.near"]);
  t.is(failed.code, "ERR_EXECUTION_FAILED");
  t.is((await cli.view<{ status: string }>(DAO, "get_proposal", { id: Number(id) })).status, "Failed");
  // training data that does not match its hash: a copy of data/ with one line changed
  const { copyFileSync, mkdirSync, appendFileSync } = await import("node:fs");
  const dir = join(cli.home, "data");
  mkdirSync(dir, { recursive: true });
  for (const f of ["manifest.json", "community-intents-a.tsv", "community-intents-b.tsv"]) {
    copyFileSync(join(ROOT, "data", f), join(dir, f));
  }
  appendFileSync(join(dir, "community-intents-b.tsv"), "model\tone more line\n");
  const train = await json(["train", "--data", join(dir, "manifest.json")]);
  t.is(train.code, "ERR_DATA_HASH_MISMATCH");
});

test.serial(
  "the suite's other kinds by name: void-receipt, retire-dataset, deprecate-model, remove-attester, dismiss-dispute",
  async (t) => {
    const { cli } = t.context;
    const lab = ["-c", "coop", "--account", "alice.test.near"];
    const bad = await cli.run(["propose", "void-receipt", "--receipt", "-1", ...lab, "--json"]);
    t.is(bad.code, 1);
    t.regex(JSON.parse(bad.stdout).error.message, /--receipt must be the verifier's receipt id/);
    const kinds: [string[], Record<string, unknown>][] = [
      [
        ["void-receipt", "--receipt", "7", "--slash", "--reason", "a wrong answer"],
        { kind: "VoidReceipt", receipt_id: 7, slash: true, reason: "a wrong answer" },
      ],
      [
        ["retire-dataset", "--dataset", "community-intents-a@1.0.0", "--memo", "superseded"],
        { kind: "RetireDataset", dataset_id: "community-intents-a@1.0.0", memo: "superseded" },
      ],
      [
        ["deprecate-model", "--model", MODEL, "--reason", "superseded"],
        { kind: "DeprecateModel", model_id: MODEL, reason: "superseded" },
      ],
      [["remove-attester", "--attester", "att.test.near"], { kind: "RemoveAttester", attester_id: "att.test.near" }],
      [
        ["dismiss-dispute", "--receipt", "7"],
        {
          kind: "FunctionCall",
          receiver_id: VERIFIER,
          actions: [
            {
              method_name: "dismiss_dispute",
              args: Buffer.from('{"receipt_id":7}').toString("base64"),
              deposit: "0",
              gas: "30000000000000",
            },
          ],
        },
      ],
    ];
    for (const [args, kind] of kinds) {
      const r = await cli.run(["propose", ...args, ...lab, "--json"]);
      ok(t, r, `propose ${args[0]}`);
      const id = JSON.parse(r.stdout).id as number;
      // the proposal on chain carries exactly that kind (the DAO checked it before anyone votes)
      t.deepEqual((await cli.view<{ kind: unknown }>(DAO, "get_proposal", { id })).kind, kind);
    }
    // one executed: the dataset is Retired in the registry
    const last = (await cli.view<{ last_proposal_id: number }>(DAO, "get_info")).last_proposal_id;
    const retire = String(last - 4);
    for (const who of ["alice.test.near", "bob.test.near"])
      ok(t, await cli.run(["vote", "approve", retire, "-c", "coop", "--account", who]), `vote ${who}`);
    ok(t, await cli.run(["execute", retire, ...lab]), "execute retire-dataset");
    const retired = await cli.view<{ status: string }>(DATASETS, "get_dataset", {
      dataset_id: "community-intents-a@1.0.0",
    });
    t.is(retired.status, "Retired");
  },
);

test.serial(
  "attester release-bond: locked through the removed attester's window (ERR_BOND_LOCKED), then to the DAO, once",
  async (t) => {
    const { cli } = t.context;
    const lab = ["-c", "coop", "--account", "alice.test.near"];
    const p = await cli.run(["propose", "remove-attester", "--attester", "att.test.near", ...lab, "--json"]);
    ok(t, p, "propose remove-attester");
    const id = String(JSON.parse(p.stdout).id);
    for (const who of ["alice.test.near", "bob.test.near"])
      ok(t, await cli.run(["vote", "approve", id, "-c", "coop", "--account", who]), `vote ${who}`);
    ok(t, await cli.run(["execute", id, ...lab]), "execute remove-attester");
    const attester = () =>
      cli.view<{ status: string; bond: string; bond_owner: string }>(VERIFIER, "get_attester", {
        attester_id: "att.test.near",
      });
    const removed = await attester();
    t.like(removed, { status: "Removed", bond_owner: DAO });
    const release = [
      "attester",
      "release-bond",
      "att.test.near",
      "-c",
      "coop",
      "--account",
      "relayer.test.near",
      "--json",
    ];
    const early = await cli.run(release);
    t.is(early.code, 1);
    t.is(JSON.parse(early.stdout).error.code, "ERR_BOND_LOCKED");
    t.is((await attester()).bond, removed.bond);
    // past the challenge window (1.3 s of chain time a block)
    const { settings } = await cli.view<{ settings: { challenge_window_ns: string } }>(VERIFIER, "get_config");
    const blocks = String(Number(BigInt(settings.challenge_window_ns) / 1_300_000_000n) + 10);
    ok(t, await cli.run(["node", "fast-forward", blocks]), "node fast-forward");
    const balance = async () => BigInt((await cli.view<{ balance: string }>(DAO, "get_treasury")).balance);
    const before = await balance();
    const r = await cli.run(release);
    ok(t, r, "attester release-bond");
    const out = JSON.parse(r.stdout) as { amount: string; to: string };
    t.deepEqual([out.amount, out.to], [removed.bond, DAO]);
    // a transfer runs no code at the DAO: its balance grows by exactly the bond
    t.is((await balance()) - before, BigInt(removed.bond));
    t.is((await attester()).bond, "0");
    const again = await cli.run(release);
    t.is(JSON.parse(again.stdout).error.code, "ERR_BOND_RELEASED");
  },
);
