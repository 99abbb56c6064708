// Attacks on the dataset and model registries, mounted as users would through near-workspaces against the compiled
// wasm on the local node: squatting names, rewriting or re-using versions, deciding for the DAO, withdrawing or
// removing someone else's data, inflating creator shares, sneaking withdrawn or unvoted data into a manifest, and
// leaving unpaid bytes behind on removal. Every refusal is checked with its ERR_ code, both registries' full storage
// before and after, and the attacker's balance (it loses only gas; attached deposits come back).
import type { NearAccount } from "near-workspaces";
import { useWorker } from "../helpers/worker.ts";
import {
  BYTE_COST,
  datasetInput,
  deploySuite,
  events,
  modelInput,
  NEAR,
  ok,
  refuse,
  type Suite,
  TGAS,
} from "../registries/fixture.ts";

const test = useWorker().serial;

let s: Suite;
let alice: NearAccount;
let mallory: NearAccount;
let manifestId: number;

const solo = (a: NearAccount) => [{ account_id: a.accountId, share_bps: 10000 }];

// An attack: the attacker, the registry, the call and the code it is refused with; `refuse` checks both registries'
// storage and the attacker's balance (less gas) are unchanged. Thunks: the accounts exist once `before` ran.
type Attack = [
  title: string,
  call: () => [NearAccount, NearAccount, string, Record<string, unknown>, string, { deposit?: bigint }?],
];

test.before(async (t) => {
  const { root } = t.context;
  s = await deploySuite(root);
  alice = await root.createSubAccount("alice", { initialBalance: 50n * NEAR });
  mallory = await root.createSubAccount("mallory", { initialBalance: 50n * NEAR });
  const submit = (name: string, version: string) =>
    ok(alice, s.datasets, "submit_dataset", datasetInput(name, version, solo(alice)), { deposit: NEAR });
  await submit("wiki", "1");
  await ok(s.dao, s.datasets, "admit_dataset", { dataset_id: "wiki@1" });
  await submit("pending", "1");
  await submit("gone", "1");
  await ok(s.dao, s.datasets, "admit_dataset", { dataset_id: "gone@1" });
  await ok(alice, s.datasets, "withdraw_dataset", { dataset_id: "gone@1" });
  const m = await ok(alice, s.datasets, "create_manifest", { name: "m", dataset_ids: ["wiki@1"] }, { deposit: NEAR });
  manifestId = m.parseResult<number>();
  await ok(alice, s.models, "register_model", modelInput("lm", "1", manifestId), { deposit: NEAR });
});

// ---- datasets ------------------------------------------------------------------------------------------------------

for (const [title, call] of [
  [
    "squatting a new version under someone else's dataset name: refused ERR_NOT_NAME_OWNER",
    () => [
      mallory,
      s.datasets,
      "submit_dataset",
      datasetInput("wiki", "2", solo(mallory)),
      "ERR_NOT_NAME_OWNER",
      { deposit: NEAR },
    ],
  ],
  [
    "rewriting an existing version with other content: refused ERR_DUPLICATE_VERSION",
    () => [
      alice,
      s.datasets,
      "submit_dataset",
      datasetInput("wiki", "1", solo(alice), { content_sha256: "ab".repeat(32) }),
      "ERR_DUPLICATE_VERSION",
      { deposit: NEAR },
    ],
  ],
  [
    "admitting a dataset without a vote: refused ERR_NOT_DAO",
    () => [mallory, s.datasets, "admit_dataset", { dataset_id: "pending@1" }, "ERR_NOT_DAO"],
  ],
  [
    "rejecting a rival's dataset without a vote: refused ERR_NOT_DAO",
    () => [mallory, s.datasets, "reject_dataset", { dataset_id: "pending@1" }, "ERR_NOT_DAO"],
  ],
  [
    "retiring an admitted dataset without a vote: refused ERR_NOT_DAO",
    () => [mallory, s.datasets, "retire_dataset", { dataset_id: "wiki@1" }, "ERR_NOT_DAO"],
  ],
  [
    "the submitter rewiring the registry to its own model registry: refused ERR_NOT_DAO",
    () => [alice, s.datasets, "set_model_registry", { model_registry_id: alice.accountId }, "ERR_NOT_DAO"],
  ],
  [
    "withdrawing someone else's dataset to taint their model: refused ERR_NOT_CREATOR",
    () => [mallory, s.datasets, "withdraw_dataset", { dataset_id: "wiki@1" }, "ERR_NOT_CREATOR"],
  ],
  [
    "removing someone else's submission to take its storage deposit: refused ERR_NOT_SUBMITTER",
    () => [mallory, s.datasets, "remove_dataset", { dataset_id: "pending@1" }, "ERR_NOT_SUBMITTER"],
  ],
  [
    "removing an admitted dataset from under its manifest: refused ERR_INVALID_STATUS",
    () => [alice, s.datasets, "remove_dataset", { dataset_id: "wiki@1" }, "ERR_INVALID_STATUS"],
  ],
  [
    "creator shares summing above 10,000 bps to inflate payouts: refused ERR_SHARES_NOT_10000",
    () => [
      mallory,
      s.datasets,
      "submit_dataset",
      datasetInput("inflated", "1", [
        { account_id: mallory.accountId, share_bps: 9000 },
        { account_id: alice.accountId, share_bps: 2000 },
      ]),
      "ERR_SHARES_NOT_10000",
      { deposit: NEAR },
    ],
  ],
  [
    "the same creator listed twice to double its share: refused ERR_DUPLICATE_CREATOR",
    () => [
      mallory,
      s.datasets,
      "submit_dataset",
      datasetInput("twice", "1", [
        { account_id: mallory.accountId, share_bps: 5000 },
        { account_id: mallory.accountId, share_bps: 5000 },
      ]),
      "ERR_DUPLICATE_CREATOR",
      { deposit: NEAR },
    ],
  ],
  [
    "a submission that leaves its storage to the registry: refused ERR_DEPOSIT_TOO_LOW",
    () => [
      mallory,
      s.datasets,
      "submit_dataset",
      datasetInput("free", "1", solo(mallory)),
      "ERR_DEPOSIT_TOO_LOW",
      { deposit: 10n ** 20n },
    ],
  ],
  [
    "a manifest naming a dataset whose creators withdrew consent: refused ERR_DATASET_WITHDRAWN",
    () => [
      mallory,
      s.datasets,
      "create_manifest",
      { name: "sneak", dataset_ids: ["wiki@1", "gone@1"] },
      "ERR_DATASET_WITHDRAWN",
      { deposit: NEAR },
    ],
  ],
  [
    "a manifest naming a dataset the DAO never admitted: refused ERR_DATASET_NOT_ADMITTED",
    () => [
      mallory,
      s.datasets,
      "create_manifest",
      { name: "sneak", dataset_ids: ["pending@1"] },
      "ERR_DATASET_NOT_ADMITTED",
      { deposit: NEAR },
    ],
  ],
] as Attack[]) {
  test(title, async (t) => {
    await refuse(t, t.context.worker, s, ...call());
  });
}

test("a removed dataset leaves its tombstone unpaid (long id): only the bytes freed come back", async (t) => {
  // the longest id: a 64-character name and a 32-character version
  const name = `x${"-long".repeat(12)}abc`.slice(0, 64);
  const version = `1.0.0-${"r".repeat(26)}`;
  t.is(name.length, 64);
  t.is(version.length, 32);
  const usageBefore = (await s.datasets.accountView()).storage_usage;
  const sub = await ok(mallory, s.datasets, "submit_dataset", datasetInput(name, version, solo(mallory)), {
    deposit: NEAR,
  });
  const paid = BigInt(events(sub)[0].data[0].storage_cost as string);
  const rm = await ok(mallory, s.datasets, "remove_dataset", { dataset_id: `${name}@${version}` });
  const refund = BigInt(rm.parseResult<string>());
  const left = BigInt((await s.datasets.accountView()).storage_usage - usageBefore);
  t.true(left > 100n, `the tombstone is ${left} bytes, more than the old fixed 100`);
  t.true(paid - refund >= left * BYTE_COST, `kept ${paid - refund}, the bytes left cost ${left * BYTE_COST}`);
  // and the id stays taken
  await refuse(
    t,
    t.context.worker,
    s,
    mallory,
    s.datasets,
    "submit_dataset",
    datasetInput(name, version, solo(mallory)),
    "ERR_DUPLICATE_VERSION",
    { deposit: NEAR },
  );
});

// ---- models --------------------------------------------------------------------------------------------------------

for (const [title, call] of [
  [
    "squatting a new version under someone else's model name: refused ERR_NOT_NAME_OWNER",
    () => [
      mallory,
      s.models,
      "register_model",
      modelInput("lm", "2", manifestId),
      "ERR_NOT_NAME_OWNER",
      { deposit: NEAR },
    ],
  ],
  [
    "activating a model without a vote: refused ERR_NOT_DAO",
    () => [
      mallory,
      s.models,
      "activate_model",
      { model_id: "lm@1" },
      "ERR_NOT_DAO",
      {
        gas: 100n * TGAS,
      },
    ],
  ],
  [
    "deprecating a rival's model without a vote: refused ERR_NOT_DAO",
    () => [mallory, s.models, "deprecate_model", { model_id: "lm@1" }, "ERR_NOT_DAO"],
  ],
] as Attack[]) {
  test(title, async (t) => {
    await refuse(t, t.context.worker, s, ...call());
  });
}
