// Every refusal of both registries: the exact ERR_ code, both registries' storage byte-for-byte unchanged, and the
// caller's balance unchanged but for the gas it burnt (attached deposits come back).
import type { ExecutionContext } from "ava";
import type { NearAccount } from "near-workspaces";
import { useWorker, type WorkerContext } from "../helpers/worker.ts";
import { datasetInput, deploySuite, modelInput, NEAR, ok, refuse, type Suite, sha, TGAS } from "./fixture.ts";
import { DEFAULT_ACTIVATION_DEPOSIT, DEPRECATION_DEPOSIT, MODEL_USE_DEPOSIT } from "../../contracts/wire/activation.ts";

const test = useWorker();

interface Case {
  what: string;
  from: "alice" | "bob" | "dao";
  on: "datasets" | "models";
  method: string;
  args: Record<string, unknown>;
  code: string;
  deposit?: bigint;
  gas?: bigint;
}

interface World {
  s: Suite;
  alice: NearAccount;
  bob: NearAccount;
}

async function world(root: NearAccount, tag: string): Promise<World> {
  const s = await deploySuite(root);
  const alice = await root.createSubAccount(`alice-${tag}`);
  const bob = await root.createSubAccount(`bob-${tag}`);
  const solo = [{ account_id: alice.accountId, share_bps: 10000 }];
  const submit = (name: string, version: string) =>
    ok(alice, s.datasets, "submit_dataset", datasetInput(name, version, solo), { deposit: NEAR });
  const dao = (method: string, dataset_id: string) => ok(s.dao, s.datasets, method, { dataset_id });
  await submit("ds", "1");
  await dao("admit_dataset", "ds@1");
  await submit("ds", "2"); // pending
  await submit("wd", "1");
  await dao("admit_dataset", "wd@1");
  await submit("old", "1");
  await dao("admit_dataset", "old@1");
  await dao("retire_dataset", "old@1");
  await submit("wsub", "1"); // submitted, then withdrawn before any decision
  await ok(alice, s.datasets, "withdraw_dataset", { dataset_id: "wsub@1" });
  await submit("chain", "1");
  await submit("chain", "2");
  const manifest = (dataset_ids: string[]) =>
    ok(alice, s.datasets, "create_manifest", { name: "m", dataset_ids }, { deposit: NEAR });
  await manifest(["ds@1"]); // 1
  await manifest(["ds@1", "wd@1"]); // 2, tainted below
  await ok(alice, s.datasets, "withdraw_dataset", { dataset_id: "wd@1" });
  const register = (name: string, version: string, manifestId: number) =>
    ok(alice, s.models, "register_model", modelInput(name, version, manifestId), { deposit: NEAR });
  await register("lm", "1", 1);
  await register("lm", "2", 1);
  await register("tainted", "1", 2);
  await ok(
    s.dao,
    s.models,
    "activate_model",
    { model_id: "lm@1" },
    { gas: 300n * TGAS, deposit: DEFAULT_ACTIVATION_DEPOSIT },
  );
  await ok(s.dao, s.models, "deprecate_model", { model_id: "lm@2" }, { deposit: DEPRECATION_DEPOSIT });
  return { s, alice, bob };
}

function datasetCases(alice: string, bob: string): Case[] {
  const solo = [{ account_id: alice, share_bps: 10000 }];
  const sub = (what: string, over: Record<string, unknown>, code: string, from: Case["from"] = "alice"): Case => ({
    what,
    from,
    on: "datasets",
    method: "submit_dataset",
    args: { ...datasetInput("fresh", "1", solo), ...over },
    code,
    deposit: NEAR,
  });
  const many = (k: number) => Array.from({ length: k }, (_, i) => ({ account_id: `c${i}.test.near`, share_bps: 1 }));
  const dao = (what: string, method: string, args: Record<string, unknown>, code: string, from: Case["from"] = "dao") =>
    ({ what, from, on: "datasets", method, args, code }) as Case;
  const manifest = (what: string, args: Record<string, unknown>, code: string, deposit = NEAR): Case => ({
    what,
    from: "alice",
    on: "datasets",
    method: "create_manifest",
    args: { name: "m", ...args },
    code,
    deposit,
  });
  return [
    sub("name with upper case and _", { name: "Bad_Name" }, "ERR_INVALID_NAME"),
    sub("name over 64 characters", { name: "a".repeat(65) }, "ERR_INVALID_NAME"),
    sub("version starting with '-'", { version: "-1" }, "ERR_INVALID_VERSION"),
    sub("version over 32 characters", { version: "1".repeat(33) }, "ERR_INVALID_VERSION"),
    sub("content hash in upper case", { content_sha256: sha("x").toUpperCase() }, "ERR_INVALID_HASH"),
    sub("datasheet hash too short", { datasheet_sha256: "abc" }, "ERR_INVALID_HASH"),
    sub("size 0", { size_bytes: "0" }, "ERR_INVALID_SIZE"),
    sub("size as a number", { size_bytes: 1234 }, "ERR_INVALID_SIZE"),
    sub("size above u64", { size_bytes: "18446744073709551616" }, "ERR_INVALID_SIZE"),
    sub("no URI", { uris: [] }, "ERR_INVALID_URIS"),
    sub("9 URIs", { uris: Array.from({ length: 9 }, (_, i) => `ipfs://x${i}`) }, "ERR_INVALID_URIS"),
    sub("URI without scheme", { uris: ["not a uri"] }, "ERR_INVALID_URI"),
    sub("URI over 512 characters", { uris: [`https://e.org/${"a".repeat(520)}`] }, "ERR_INVALID_URI"),
    sub("license that is not an SPDX id", { license: "MIT License" }, "ERR_INVALID_LICENSE"),
    sub("no creators", { creators: [] }, "ERR_NO_CREATORS"),
    sub("17 creators", { creators: many(17) }, "ERR_TOO_MANY_CREATORS"),
    sub(
      "shares summing to 9,999",
      {
        creators: [
          { account_id: alice, share_bps: 5000 },
          { account_id: bob, share_bps: 4999 },
        ],
      },
      "ERR_SHARES_NOT_10000",
    ),
    sub(
      "shares summing to 10,001",
      {
        creators: [
          { account_id: alice, share_bps: 5001 },
          { account_id: bob, share_bps: 5000 },
        ],
      },
      "ERR_SHARES_NOT_10000",
    ),
    sub("a zero share", { creators: [...solo, { account_id: bob, share_bps: 0 }] }, "ERR_INVALID_SHARE"),
    sub("a fractional share", { creators: [{ account_id: alice, share_bps: 9999.5 }] }, "ERR_INVALID_SHARE"),
    sub(
      "the same creator twice",
      {
        creators: [
          { account_id: alice, share_bps: 5000 },
          { account_id: alice, share_bps: 5000 },
        ],
      },
      "ERR_DUPLICATE_CREATOR",
    ),
    sub(
      "creator with an invalid account id",
      { creators: [{ account_id: "Alice!", share_bps: 10000 }] },
      "ERR_INVALID_ACCOUNT_ID",
    ),
    sub("an existing version", { name: "ds", version: "1" }, "ERR_DUPLICATE_VERSION"),
    sub("a version of someone else's name", { name: "ds", version: "3" }, "ERR_NOT_NAME_OWNER", "bob"),
    { ...sub("deposit below the storage cost", {}, "ERR_DEPOSIT_TOO_LOW"), deposit: 1n },
    dao("admit by a non-DAO account", "admit_dataset", { dataset_id: "ds@2" }, "ERR_NOT_DAO", "bob"),
    dao("admit an unknown dataset", "admit_dataset", { dataset_id: "nope@1" }, "ERR_UNKNOWN_DATASET"),
    dao("admit a malformed id", "admit_dataset", { dataset_id: "nope" }, "ERR_INVALID_DATASET_ID"),
    dao("admit twice", "admit_dataset", { dataset_id: "ds@1" }, "ERR_INVALID_STATUS"),
    dao("reject an admitted dataset", "reject_dataset", { dataset_id: "ds@1" }, "ERR_INVALID_STATUS"),
    dao("retire a dataset never admitted", "retire_dataset", { dataset_id: "ds@2" }, "ERR_INVALID_STATUS"),
    dao("retire by a non-DAO account", "retire_dataset", { dataset_id: "ds@1" }, "ERR_NOT_DAO", "alice"),
    dao("admit a withdrawn submission", "admit_dataset", { dataset_id: "wsub@1" }, "ERR_DATASET_WITHDRAWN"),
    dao(
      "a memo over 256 characters",
      "admit_dataset",
      { dataset_id: "ds@2", memo: "x".repeat(257) },
      "ERR_MEMO_TOO_LONG",
    ),
    dao("withdraw by a non-creator", "withdraw_dataset", { dataset_id: "ds@1" }, "ERR_NOT_CREATOR", "bob"),
    dao("withdraw twice", "withdraw_dataset", { dataset_id: "wd@1" }, "ERR_ALREADY_WITHDRAWN", "alice"),
    dao("remove an admitted dataset", "remove_dataset", { dataset_id: "ds@1" }, "ERR_INVALID_STATUS", "alice"),
    dao("remove by a non-submitter", "remove_dataset", { dataset_id: "ds@2" }, "ERR_NOT_SUBMITTER", "bob"),
    dao(
      "remove a version that is not the newest",
      "remove_dataset",
      { dataset_id: "chain@1" },
      "ERR_NOT_LATEST_VERSION",
      "alice",
    ),
    manifest("empty manifest", { dataset_ids: [] }, "ERR_EMPTY_MANIFEST"),
    manifest("51 datasets", { dataset_ids: Array.from({ length: 51 }, (_, i) => `d${i}@1`) }, "ERR_TOO_MANY_DATASETS"),
    manifest("a withdrawn dataset", { dataset_ids: ["ds@1", "wd@1"] }, "ERR_DATASET_WITHDRAWN"),
    manifest("a retired dataset", { dataset_ids: ["old@1"] }, "ERR_DATASET_RETIRED"),
    manifest("a dataset not yet admitted", { dataset_ids: ["ds@2"] }, "ERR_DATASET_NOT_ADMITTED"),
    manifest("the same dataset twice", { dataset_ids: ["ds@1", "ds@1"] }, "ERR_DUPLICATE_DATASET"),
    manifest("an unknown dataset", { dataset_ids: ["ghost@1"] }, "ERR_UNKNOWN_DATASET"),
    manifest("a malformed dataset id", { dataset_ids: ["ds 1"] }, "ERR_INVALID_DATASET_ID"),
    manifest("an empty name", { name: "", dataset_ids: ["ds@1"] }, "ERR_INVALID_NAME"),
    manifest("no storage deposit", { dataset_ids: ["ds@1"] }, "ERR_DEPOSIT_TOO_LOW", 0n),
    dao(
      "record_model_use from an account that is not the model registry",
      "record_model_use",
      { manifest_id: 1, model_id: "x@1" },
      "ERR_NOT_MODEL_REGISTRY",
      "bob",
    ),
    dao(
      "set_model_registry by a non-DAO account",
      "set_model_registry",
      { model_registry_id: "x.test.near" },
      "ERR_NOT_DAO",
      "bob",
    ),
    dao(
      "set_model_registry to an invalid account",
      "set_model_registry",
      { model_registry_id: "NOT VALID" },
      "ERR_INVALID_ACCOUNT_ID",
    ),
  ];
}

function modelCases(): Case[] {
  const reg = (what: string, over: Record<string, unknown>, code: string, from: Case["from"] = "alice"): Case => ({
    what,
    from,
    on: "models",
    method: "register_model",
    args: { ...modelInput("fresh", "1", 1), ...over },
    code,
    deposit: NEAR,
  });
  // the DAO's decisions carry the deposit the DAO attaches to them (contracts/wire/activation.ts)
  const deposits: Record<string, bigint> = {
    activate_model: DEFAULT_ACTIVATION_DEPOSIT,
    rollback_model: DEFAULT_ACTIVATION_DEPOSIT,
    deprecate_model: DEPRECATION_DEPOSIT,
  };
  const dao = (what: string, method: string, args: Record<string, unknown>, code: string, from: Case["from"] = "dao") =>
    ({ what, from, on: "models", method, args, code, gas: 300n * TGAS, deposit: deposits[method] }) as Case;
  const evals = (k: number) =>
    Array.from({ length: k }, (_, i) => ({ benchmark: `b${i}`, metric: "acc", value: "0.5", dataset_sha256: null }));
  return [
    reg("weights hash not hex", { weights_sha256: "z".repeat(64) }, "ERR_INVALID_HASH"),
    reg("training code hash missing", { training_code_sha256: "" }, "ERR_INVALID_HASH"),
    reg("an empty framework", { framework: "" }, "ERR_INVALID_FRAMEWORK"),
    reg("architecture over 64 characters", { architecture: "a".repeat(65) }, "ERR_INVALID_ARCHITECTURE"),
    reg("manifest id 0", { training_manifest_id: 0 }, "ERR_INVALID_MANIFEST_ID"),
    reg("manifest id as a string", { training_manifest_id: "1" }, "ERR_INVALID_MANIFEST_ID"),
    reg("license that is not an SPDX id", { license: "" }, "ERR_INVALID_LICENSE"),
    reg("an unknown relation", { parent: { model_id: "lm@1", relation: "distill" } }, "ERR_INVALID_RELATION"),
    reg("an unknown parent", { parent: { model_id: "ghost@1", relation: "finetune" } }, "ERR_UNKNOWN_PARENT"),
    reg("a malformed parent id", { parent: { model_id: "lm", relation: "finetune" } }, "ERR_INVALID_MODEL_ID"),
    reg("17 evaluations", { evaluations: evals(17) }, "ERR_TOO_MANY_EVALUATIONS"),
    reg(
      "an evaluation value that is not a number",
      { evaluations: [{ benchmark: "b", metric: "m", value: "high" }] },
      "ERR_INVALID_EVALUATION",
    ),
    reg(
      "an evaluation dataset hash that is not hex",
      { evaluations: [{ benchmark: "b", metric: "m", value: "1", dataset_sha256: "x" }] },
      "ERR_INVALID_HASH",
    ),
    reg("an existing version", { name: "lm", version: "1" }, "ERR_DUPLICATE_VERSION"),
    reg("a version of someone else's name", { name: "lm", version: "9" }, "ERR_NOT_NAME_OWNER", "bob"),
    { ...reg("deposit below the storage cost", {}, "ERR_DEPOSIT_TOO_LOW"), deposit: 10n },
    dao("activate by a non-DAO account", "activate_model", { model_id: "tainted@1" }, "ERR_NOT_DAO", "bob"),
    dao("activate an unknown model", "activate_model", { model_id: "ghost@1" }, "ERR_UNKNOWN_MODEL"),
    dao("activate a malformed id", "activate_model", { model_id: "ghost" }, "ERR_INVALID_MODEL_ID"),
    dao("activate the active model", "activate_model", { model_id: "lm@1" }, "ERR_ALREADY_ACTIVE"),
    dao("activate a deprecated model", "activate_model", { model_id: "lm@2" }, "ERR_MODEL_DEPRECATED"),
    {
      ...dao(
        "activate with less than any activation stores",
        "activate_model",
        { model_id: "tainted@1" },
        "ERR_DEPOSIT_TOO_LOW",
      ),
      deposit: MODEL_USE_DEPOSIT,
    },
    {
      ...dao(
        "deprecate with less than the history entry costs",
        "deprecate_model",
        { model_id: "lm@1" },
        "ERR_DEPOSIT_TOO_LOW",
      ),
      deposit: 10n ** 19n,
    },
    dao(
      "activate on a manifest with withdrawn data",
      "activate_model",
      { model_id: "tainted@1" },
      "ERR_MANIFEST_WITHDRAWN",
    ),
    dao("deprecate by a non-DAO account", "deprecate_model", { model_id: "lm@1" }, "ERR_NOT_DAO", "alice"),
    dao("deprecate twice", "deprecate_model", { model_id: "lm@2" }, "ERR_ALREADY_DEPRECATED"),
    dao("deprecate an unknown model", "deprecate_model", { model_id: "ghost@1" }, "ERR_UNKNOWN_MODEL"),
    dao("rollback by a non-DAO account", "rollback_model", {}, "ERR_NOT_DAO", "bob"),
    dao("rollback with nothing to go back to", "rollback_model", {}, "ERR_NO_ROLLBACK_TARGET"),
    dao("set_verifier by a non-DAO account", "set_verifier", { verifier_id: "v.test.near" }, "ERR_NOT_DAO", "bob"),
    dao("sync_verifier with no verifier", "sync_verifier", {}, "ERR_NO_VERIFIER", "bob"),
  ];
}

async function run(t: ExecutionContext<WorkerContext>, w: World, cases: Case[]) {
  const who = { alice: w.alice, bob: w.bob, dao: w.s.dao };
  const on = { datasets: w.s.datasets, models: w.s.models };
  for (const c of cases) {
    await refuse(t, t.context.worker, w.s, who[c.from], on[c.on], c.method, c.args, c.code, {
      deposit: c.deposit,
      gas: c.gas,
    });
  }
  t.log(`${cases.length} refusals, each with its exact code, storage and balance unchanged`);
}

test.serial("dataset registry refusals", async (t) => {
  const w = await world(t.context.root, "d");
  const cases = datasetCases(w.alice.accountId, w.bob.accountId);
  t.true(cases.length >= 40);
  await run(t, w, cases);
  // views refuse bad pagination with a stable code too
  const err = await t.throwsAsync(w.s.datasets.view("get_versions", { name: "ds", limit: 0 }));
  t.true(err?.message.includes("ERR_INVALID_PAGINATION"));
});

test.serial("model registry refusals", async (t) => {
  const w = await world(t.context.root, "m");
  await run(t, w, modelCases());
});
