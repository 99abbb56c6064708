// The suite proposal kinds (AdmitDataset ... FundRewardPool) executed by the real DAO against the real suite
// contracts (build/*.wasm), each deployed with the DAO as its dao_id and explicit peer ids; the DAO finds them in the
// `suite` it got at init. State is checked through each contract's views. Gas of each execute is logged (docs/dao.md).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { NearAccount, TransactionResult } from "near-workspaces";
import { newKey, signReceipt } from "../../attester/src/receipt.ts";
import { useWorker } from "../helpers/worker.ts";
import { datasetInput, modelInput, sha } from "../registries/fixture.ts";
import { chainNow, SETTINGS } from "../verifier/fixture.ts";
import {
  assertPanics,
  BOND,
  basePolicy,
  DaoClient,
  daoWasm,
  deployDao,
  events,
  gasOf,
  NEAR,
  type Policy,
  ROOT,
  TGAS,
  tgas,
} from "./fixture.ts";

const test = useWorker();

interface World {
  dao: NearAccount;
  datasets: NearAccount;
  models: NearAccount;
  verifier: NearAccount;
  pool: NearAccount;
  alice: NearAccount; // council
  cora: NearAccount; // data curator: may only vote on admit_dataset
  bob: NearAccount; // dataset creator and model registrant
  outsider: NearAccount;
  c: DaoClient;
}

let w: World;
const gasTable: Record<string, string> = {};

const POOL_POLICY = {
  model_bps: 6000,
  data_bps: 3000,
  parent_bps: 1000,
  attester_fee: "0",
  epoch_length_ns: SETTINGS.epoch_length_ns,
};

function wasm(name: string): Buffer {
  return readFileSync(join(ROOT, "build", `${name}.wasm`));
}

/** all: propose + execute everything; council: votes on everything; curators: vote on admit_dataset only. */
function curatorPolicy(): Policy {
  const p = basePolicy();
  p.roles = [
    { name: "all", kind: "Everyone", permissions: ["*:propose", "*:execute"], vote_policy: {} },
    { name: "council", kind: "Group", permissions: ["*:vote", "*:remove"], vote_policy: {} },
    { name: "curators", kind: "Group", permissions: ["admit_dataset:vote"], vote_policy: {} },
  ];
  return p;
}

async function treasury(): Promise<{ balance: bigint; available: bigint; locked_bonds: bigint }> {
  const t = await w.dao.view<{ balance: string; available: string; locked_bonds: string }>("get_treasury");
  return { balance: BigInt(t.balance), available: BigInt(t.available), locked_bonds: BigInt(t.locked_bonds) };
}

async function ok(from: NearAccount, to: NearAccount, method: string, args: Record<string, unknown>, deposit = 0n) {
  const r = await from.callRaw(to, method, args, { attachedDeposit: deposit, gas: 100n * TGAS });
  if (r.failed) throw new Error(`${method} failed: ${r.receiptFailureMessages.join(" | ")}`);
  return r;
}

/** Executes with the gas the kind needs (activation and rollback: 230 Tgas, the rest 100 Tgas). */
async function execute(id: number, gas = 100n * TGAS): Promise<TransactionResult> {
  return w.outsider.callRaw(w.dao, "execute", { id }, { gas });
}

/** Proposes (by anyone), has `voter` approve, executes; returns the id and the execute result. */
async function run(
  kind: Record<string, unknown>,
  opts: { voter?: NearAccount; gas?: bigint } = {},
): Promise<{ id: number; r: TransactionResult }> {
  const { id } = await w.c.propose(w.bob, kind);
  const voted = await w.c.vote(opts.voter ?? w.alice, id, "Approve");
  if (voted.parseResult<string>() !== "Approved") throw new Error(`proposal ${id} not approved`);
  const r = await execute(id, opts.gas);
  record(String(kind.kind), r);
  return { id, r };
}

/** Logs the whole execute transaction's gas and the part burnt outside the DAO (the suite contracts' receipts). */
function record(label: string, r: TransactionResult): void {
  let suite = 0n;
  for (const o of r.result.receipts_outcome) {
    if (o.outcome.executor_id !== w.dao.accountId) suite += BigInt(o.outcome.gas_burnt);
  }
  gasTable[`${label}${r.receiptFailureMessages.length > 0 ? " (failed)" : ""}`] =
    `${tgas(gasOf(r))} (suite contracts ${tgas(suite)})`;
}

function suiteEvents(r: TransactionResult): string[] {
  return events(r)
    .map((e) => e.event)
    .filter((e) => !e.startsWith("proposal_"));
}

test.serial("set-up: the DAO and the four suite contracts know each other", async (t) => {
  const { root } = t.context;
  const [alice, cora, bob, outsider] = await Promise.all(
    ["alice", "cora", "bob", "outsider"].map((n) => root.createSubAccount(n)),
  );
  const id = (n: string) => `${n}.${root.accountId}`;
  const suite = {
    "community-dao": id("dao"),
    "dataset-registry": id("datasets"),
    "model-registry": id("models"),
    "inference-verifier": id("verifier"),
    "reward-pool": id("pool"),
  };
  const [dao, datasets, models, verifier, pool] = await Promise.all(
    ["dao", "datasets", "models", "verifier", "pool"].map((n) =>
      root.createSubAccount(n, { initialBalance: (n === "dao" ? 40n : 20n) * NEAR }),
    ),
  );
  await Promise.all([
    dao.deploy(daoWasm()),
    datasets.deploy(wasm("dataset-registry")),
    models.deploy(wasm("model-registry")),
    verifier.deploy(wasm("inference-verifier")),
    pool.deploy(wasm("reward-pool")),
  ]);
  const init = (a: NearAccount, args: Record<string, unknown>) => a.call(a, "init", args, { gas: 100n * TGAS });
  // Explicit peer ids and the factory's `suite` map: either form of the suite contracts' init finds its peers.
  await Promise.all([
    init(dao, {
      config: { name: "suite", purpose: "suite kinds", metadata: "" },
      policy: curatorPolicy(),
      members: [
        { account_id: alice.accountId, roles: ["council"] },
        { account_id: cora.accountId, roles: ["curators"] },
      ],
      suite,
    }),
    init(datasets, { dao_id: dao.accountId, model_registry_id: models.accountId, suite }),
    init(models, {
      dao_id: dao.accountId,
      dataset_registry_id: datasets.accountId,
      verifier_id: verifier.accountId,
      suite,
    }),
    init(verifier, {
      dao_id: dao.accountId,
      model_registry_id: models.accountId,
      reward_pool_id: pool.accountId,
      settings: SETTINGS,
      suite,
    }),
    init(pool, {
      dao_id: dao.accountId,
      verifier_id: verifier.accountId,
      model_registry_id: models.accountId,
      policy: POOL_POLICY,
      suite,
    }),
  ]);
  w = { dao, datasets, models, verifier, pool, alice, cora, bob, outsider, c: new DaoClient(dao, t) };
  t.deepEqual((await dao.view<{ suite: Record<string, string> }>("get_info")).suite, suite);

  // bob's data: four datasets, each his alone
  const creators = [{ account_id: bob.accountId, share_bps: 10000 }];
  for (const name of ["alpha", "beta", "gamma", "delta"]) {
    await ok(bob, datasets, "submit_dataset", datasetInput(name, "1.0", creators), NEAR / 10n);
  }
  t.pass();
});

test.serial("proposal-time checks: bad arguments and a DAO without the contract are refused", async (t) => {
  const before = await w.dao.view<number>("get_last_proposal_id");
  const key = newKey().public_key;
  const bad: [Record<string, unknown>, string][] = [
    [{ kind: "AdmitDataset", dataset_id: "alpha" }, "ERR_INVALID_DATASET_ID"],
    [{ kind: "RejectDataset", dataset_id: "Alpha@1.0" }, "ERR_INVALID_DATASET_ID"],
    [{ kind: "RetireDataset", dataset_id: "alpha@1.0", memo: "m".repeat(257) }, "ERR_INVALID_PROPOSAL: memo"],
    [{ kind: "ActivateModel", model_id: "intents@" }, "ERR_INVALID_MODEL_ID"],
    [{ kind: "DeprecateModel", model_id: 7 }, "ERR_INVALID_MODEL_ID"],
    [
      { kind: "AddAttester", attester_id: "att.test.near", public_key: key.toUpperCase(), bond: "1" },
      "ERR_INVALID_PUBLIC_KEY",
    ],
    [
      { kind: "AddAttester", attester_id: "att.test.near", public_key: `04${key}`, bond: "1" },
      "ERR_INVALID_PUBLIC_KEY",
    ],
    [{ kind: "AddAttester", attester_id: "att.test.near", public_key: key, bond: "0" }, "ERR_INVALID_AMOUNT: bond"],
    [{ kind: "AddAttester", attester_id: "Bad!", public_key: key, bond: "1" }, "ERR_INVALID_ACCOUNT_ID"],
    [{ kind: "RemoveAttester", attester_id: "" }, "ERR_INVALID_ACCOUNT_ID"],
    [{ kind: "VoidReceipt", receipt_id: -1 }, "ERR_INVALID_RECEIPT_ID"],
    [{ kind: "VoidReceipt", receipt_id: 1.5 }, "ERR_INVALID_RECEIPT_ID"],
    [{ kind: "VoidReceipt", receipt_id: 0, slash: "yes" }, "ERR_INVALID_PROPOSAL: slash"],
    [{ kind: "SetRewardPolicy", policy: { ...POOL_POLICY, parent_bps: 2000 } }, "ERR_POLICY_SHARES"],
    [{ kind: "SetRewardPolicy", policy: { ...POOL_POLICY, model_bps: 60.5 } }, "ERR_INVALID_BPS: model_bps"],
    [{ kind: "SetRewardPolicy", policy: { ...POOL_POLICY, release_bps: 0 } }, "ERR_INVALID_BPS: release_bps"],
    [{ kind: "SetRewardPolicy", policy: { ...POOL_POLICY, epoch_length_ns: "0" } }, "ERR_INVALID_EPOCH_LENGTH"],
    [{ kind: "SetRewardPolicy", policy: { ...POOL_POLICY, attester_fee: "-1" } }, "ERR_INVALID_AMOUNT: attester_fee"],
    [
      { kind: "SetRewardPolicy", policy: { ...POOL_POLICY, attester_fee: "5000000000000000000001" } },
      "ERR_ATTESTER_FEE_TOO_HIGH",
    ],
    [{ kind: "SetRewardPolicy", policy: [] }, "ERR_INVALID_REWARD_POLICY"],
    [{ kind: "FundRewardPool", amount: "0" }, "ERR_INVALID_AMOUNT: amount"],
    [{ kind: "FundRewardPool", amount: "1e24" }, "ERR_INVALID_AMOUNT: amount"],
  ];
  for (const [kind, code] of bad) {
    const r = await w.bob.callRaw(
      w.dao,
      "add_proposal",
      { description: "bad", kind },
      { attachedDeposit: BOND, gas: 100n * TGAS },
    );
    assertPanics(t, r, code);
  }
  t.is(await w.dao.view<number>("get_last_proposal_id"), before);

  // A DAO created without a suite (or before a contract joined it) has nowhere to send these calls.
  const bare = await deployDao(t.context.root, "bare", {
    members: [{ account_id: w.alice.accountId, roles: ["council"] }],
  });
  for (const [kind, code] of [
    [{ kind: "AdmitDataset", dataset_id: "alpha@1.0" }, "ERR_NO_SUITE_CONTRACT: dataset-registry"],
    [{ kind: "RollbackModel" }, "ERR_NO_SUITE_CONTRACT: model-registry"],
    [{ kind: "RemoveAttester", attester_id: "att.test.near" }, "ERR_NO_SUITE_CONTRACT: inference-verifier"],
    [{ kind: "FundRewardPool", amount: NEAR.toString() }, "ERR_NO_SUITE_CONTRACT: reward-pool"],
  ] as const) {
    const r = await w.alice.callRaw(
      bare,
      "add_proposal",
      { description: "x", kind },
      { attachedDeposit: BOND, gas: 100n * TGAS },
    );
    assertPanics(t, r, code);
  }
});

test.serial(
  "dataset kinds: a curator admits, the council rejects and retires; curators vote on nothing else",
  async (t) => {
    const ds = (id: string) =>
      w.datasets.view<{ status: string; withdrawn: boolean }>("get_dataset", { dataset_id: id });

    // The curator's single vote approves AdmitDataset (its role decides on its own).
    for (const name of ["alpha", "beta", "delta"]) {
      const { id, r } = await run(
        { kind: "AdmitDataset", dataset_id: `${name}@1.0`, memo: "good data" },
        { voter: w.cora },
      );
      t.true(r.succeeded, r.receiptFailureMessages.join());
      t.is((await w.c.proposal(id)).status, "Executed");
      t.deepEqual(suiteEvents(r), ["dataset_admitted"]);
      t.is((await ds(`${name}@1.0`)).status, "Admitted");
    }

    // ... but not on RejectDataset, nor on a model activation
    const reject = await w.c.propose(w.bob, { kind: "RejectDataset", dataset_id: "gamma@1.0", memo: "no license" });
    const denied = await w.cora.callRaw(w.dao, "vote", { id: reject.id, choice: "Approve" }, { gas: 50n * TGAS });
    assertPanics(t, denied, "ERR_NO_PERMISSION: reject_dataset:vote");
    await w.c.vote(w.alice, reject.id, "Approve");
    const rj = await execute(reject.id);
    record("RejectDataset", rj);
    t.true(rj.succeeded, rj.receiptFailureMessages.join());
    t.is((await ds("gamma@1.0")).status, "Rejected");

    const retire = await run({ kind: "RetireDataset", dataset_id: "beta@1.0" });
    t.true(retire.r.succeeded);
    t.deepEqual(suiteEvents(retire.r), ["dataset_retired"]);
    t.is((await ds("beta@1.0")).status, "Retired");

    // The registry refuses what the DAO cannot know in advance (gamma is not Submitted any more): Failed, retryable.
    const again = await run({ kind: "AdmitDataset", dataset_id: "gamma@1.0" }, { voter: w.cora });
    t.true(again.r.receiptFailureMessages.join().includes("ERR_INVALID_STATUS"));
    t.like(await w.c.proposal(again.id), { status: "Failed", last_error: "ERR_EXECUTION_FAILED", attempts: 1 });
    t.is((await ds("gamma@1.0")).status, "Rejected");

    const act = await w.c.propose(w.bob, { kind: "ActivateModel", model_id: "intents@9" });
    const no = await w.cora.callRaw(w.dao, "vote", { id: act.id, choice: "Approve" }, { gas: 50n * TGAS });
    assertPanics(t, no, "ERR_NO_PERMISSION: activate_model:vote");
  },
);

test.serial(
  "model kinds: activation, withdrawn data -> Failed with funds unchanged, retry, rollback, deprecation",
  async (t) => {
    const { bob, datasets, models, verifier } = w;
    // manifests: 1 = [alpha], 2 = [delta] (delta is withdrawn below); models 1.0.0 on 1, 2.0.0 on 2, 3.0.0 on 3
    // (manifest 3 does not exist yet)
    await ok(bob, datasets, "create_manifest", { name: "m1", dataset_ids: ["alpha@1.0"] }, NEAR / 10n);
    await ok(bob, datasets, "create_manifest", { name: "m2", dataset_ids: ["delta@1.0"] }, NEAR / 10n);
    for (const [v, m] of [
      ["1.0.0", 1],
      ["2.0.0", 2],
      ["3.0.0", 3],
    ] as const) {
      await ok(bob, models, "register_model", modelInput("intents", v, m), NEAR / 10n);
    }
    await ok(bob, datasets, "withdraw_dataset", { dataset_id: "delta@1.0", reason: "consent revoked" });
    const active = async () => (await models.view<{ id: string } | null>("get_active_model"))?.id ?? null;
    const status = async (id: string) => (await models.view<{ status: string }>("get_model", { model_id: id })).status;

    const a1 = await run({ kind: "ActivateModel", model_id: "intents@1.0.0" }, { gas: 230n * TGAS });
    t.true(a1.r.succeeded, a1.r.receiptFailureMessages.join());
    t.is((await w.c.proposal(a1.id)).status, "Executed");
    t.true(suiteEvents(a1.r).includes("model_activated"));
    t.is(await active(), "intents@1.0.0");
    // the registry pushed the model to the verifier
    t.like(await verifier.view<object>("get_active_model"), { model_name: "intents", model_version: "1.0.0" });

    // Withdrawn data: the registry's promise fails, the proposal is Failed, nothing moved.
    const { id: bad } = await w.c.propose(bob, { kind: "ActivateModel", model_id: "intents@2.0.0" });
    await w.c.vote(w.alice, bad, "Approve");
    const fundsBefore = await treasury();
    const f1 = await execute(bad, 230n * TGAS);
    record("ActivateModel", f1);
    t.true(f1.receiptFailureMessages.join().includes("ERR_MANIFEST_WITHDRAWN"), f1.receiptFailureMessages.join());
    t.deepEqual(
      events(f1).map((e) => e.event),
      ["proposal_executing", "proposal_failed"],
    );
    t.like(await w.c.proposal(bad), { status: "Failed", last_error: "ERR_EXECUTION_FAILED", attempts: 1 });
    const fundsAfter = await treasury();
    // Only the contract reward for the gas burnt on the DAO comes in; nothing goes out, no bond moves.
    t.true(fundsAfter.balance >= fundsBefore.balance, `${fundsBefore.balance} -> ${fundsAfter.balance}`);
    t.true(fundsAfter.balance - fundsBefore.balance < NEAR / 1000n);
    t.is(fundsAfter.locked_bonds, fundsBefore.locked_bonds);
    t.is(await active(), "intents@1.0.0");
    t.is(await status("intents@2.0.0"), "Registered");
    // A retry runs the call again (still withdrawn: Failed again).
    const f2 = await execute(bad, 230n * TGAS);
    t.true(f2.receiptFailureMessages.join().includes("ERR_MANIFEST_WITHDRAWN"));
    t.like(await w.c.proposal(bad), { status: "Failed", attempts: 2 });

    // A failure the community can fix: the manifest did not exist yet. Created, the retry succeeds.
    const { id: early } = await w.c.propose(bob, { kind: "ActivateModel", model_id: "intents@3.0.0" });
    await w.c.vote(w.alice, early, "Approve");
    const e1 = await execute(early, 230n * TGAS);
    t.true(e1.receiptFailureMessages.join().includes("ERR_UNKNOWN_MANIFEST"));
    t.is((await w.c.proposal(early)).status, "Failed");
    await ok(bob, datasets, "create_manifest", { name: "m3", dataset_ids: ["alpha@1.0"] }, NEAR / 10n);
    const e2 = await execute(early, 230n * TGAS);
    t.true(e2.succeeded, e2.receiptFailureMessages.join());
    t.like(await w.c.proposal(early), { status: "Executed", attempts: 2, last_error: null });
    t.is(await active(), "intents@3.0.0");
    t.is(await status("intents@1.0.0"), "Registered");

    const rb = await run({ kind: "RollbackModel" }, { gas: 230n * TGAS });
    t.true(rb.r.succeeded, rb.r.receiptFailureMessages.join());
    t.true(suiteEvents(rb.r).includes("model_rolled_back"));
    t.is(await active(), "intents@1.0.0");
    t.like(await verifier.view<object>("get_active_model"), { model_version: "1.0.0" });

    const dep = await run(
      { kind: "DeprecateModel", model_id: "intents@3.0.0", reason: "superseded" },
      { gas: 120n * TGAS },
    );
    t.true(dep.r.succeeded, dep.r.receiptFailureMessages.join());
    t.is(await status("intents@3.0.0"), "Deprecated");
    t.is(await active(), "intents@1.0.0");
  },
);

test.serial(
  "verifier kinds: AddAttester bonds from the treasury, VoidReceipt slashes back to it, RemoveAttester",
  async (t) => {
    const { worker } = t.context;
    const { dao, verifier } = w;
    const key = newKey();
    const att1 = `att1.${t.context.root.accountId}`;
    const before = await treasury();
    const add = await run({
      kind: "AddAttester",
      attester_id: att1,
      public_key: key.public_key,
      bond: NEAR.toString(),
    });
    t.true(add.r.succeeded, add.r.receiptFailureMessages.join());
    t.deepEqual(suiteEvents(add.r), ["attester_added"]);
    t.like(await verifier.view<object>("get_attester", { attester_id: att1 }), {
      status: "Active",
      bond: NEAR.toString(),
      bond_owner: dao.accountId,
      public_key: key.public_key,
    });
    // the bond and the attester's storage on the verifier (AddAttester attaches 0.01 NEAR for it, the verifier keeps
    // the exact cost and sends the rest back at once), plus the proposal's storage, which its proposer paid and the
    // DAO keeps
    const stored = BigInt(
      (events(add.r).find((e) => e.event === "attester_added")?.data[0] as { storage_cost: string }).storage_cost,
    );
    t.true(stored > 0n && stored < 10n ** 22n, `attester storage ${stored}`);
    const kept = BigInt((await w.c.proposal(add.id)).storage_deposit ?? "0");
    const spent = before.balance - (await treasury()).balance + kept;
    t.true(spent <= NEAR + stored && spent > NEAR + stored - NEAR / 100n, `treasury spent ${spent}`);

    // one receipt from att1 for the active model, relayed by bob
    const receipt = signReceipt(
      verifier.accountId,
      {
        community: dao.accountId,
        model_name: "intents",
        model_version: "1.0.0",
        weights_sha256: sha("weights intents@1.0.0"),
        input_sha256: sha("input"),
        output_sha256: sha("output"),
        attester_id: att1,
        nonce: "1",
        timestamp: (await chainNow(worker)).toString(),
        enclave_measurement: null,
      },
      key.private_key,
    );
    await ok(w.bob, verifier, "submit_receipts", { receipts: [receipt] }, NEAR / 20n);
    t.like(await verifier.view<object>("get_receipt", { receipt_id: 0 }), { status: "Accepted", attester_id: att1 });

    const mid = await treasury();
    const v = await run({ kind: "VoidReceipt", receipt_id: 0, slash: true, reason: "wrong output" });
    t.true(v.r.succeeded, v.r.receiptFailureMessages.join());
    t.like(await verifier.view<object>("get_receipt", { receipt_id: 0 }), { status: "Voided" });
    t.like(await verifier.view<object>("get_attester", { attester_id: att1 }), { status: "Slashed" });
    // the whole bond came back to the treasury (no challenger)
    // (less the void proposal's storage, which its proposer paid and the DAO keeps)
    const voidKept = BigInt((await w.c.proposal(v.id)).storage_deposit ?? "0");
    const back = (await treasury()).balance - mid.balance - voidKept;
    t.true(back >= NEAR && back < NEAR + NEAR / 100n, `treasury got ${back}`);

    const att2 = `att2.${t.context.root.accountId}`;
    t.true(
      (await run({ kind: "AddAttester", attester_id: att2, public_key: newKey().public_key, bond: NEAR.toString() })).r
        .succeeded,
    );
    const rm = await run({ kind: "RemoveAttester", attester_id: att2 });
    t.true(rm.r.succeeded, rm.r.receiptFailureMessages.join());
    t.deepEqual(suiteEvents(rm.r), ["attester_removed"]);
    t.like(await verifier.view<object>("get_attester", { attester_id: att2 }), { status: "Removed" });
  },
);

test.serial(
  "reward pool kinds: SetRewardPolicy; FundRewardPool fails above the treasury and succeeds on retry",
  async (t) => {
    const { pool, dao } = w;
    const policy = {
      model_bps: 5000,
      data_bps: 4000,
      parent_bps: 1000,
      attester_fee: "1000",
      epoch_length_ns: "60000000000",
    };
    const sp = await run({ kind: "SetRewardPolicy", policy });
    t.true(sp.r.succeeded, sp.r.receiptFailureMessages.join());
    t.like(await pool.view<object>("get_config"), { policy: { ...policy, release_bps: 10000 }, policy_version: 2 });

    const amount = 50n * NEAR;
    const { id } = await w.c.propose(w.bob, { kind: "FundRewardPool", amount: amount.toString(), memo: "epoch 1" });
    await w.c.vote(w.alice, id, "Approve");
    const poor = await treasury();
    t.true(poor.available < amount);
    const f1 = await execute(id);
    t.true(f1.succeeded);
    t.like(await w.c.proposal(id), { status: "Failed", last_error: "ERR_INSUFFICIENT_TREASURY" });
    t.true((await treasury()).balance >= poor.balance);

    await t.context.root.transfer(dao, amount);
    const deposited = BigInt((await pool.view<{ deposited: string }>("get_totals")).deposited);
    const f2 = await execute(id);
    record("FundRewardPool", f2);
    t.true(f2.succeeded, f2.receiptFailureMessages.join());
    t.like(await w.c.proposal(id), { status: "Executed", attempts: 2 });
    const dep = events(f2).find((e) => e.event === "deposit")?.data[0] as {
      source: string;
      amount: string;
      memo: string;
    };
    t.like(dep, { source: dao.accountId, amount: amount.toString(), memo: "epoch 1" });
    const net = BigInt((await pool.view<{ deposited: string }>("get_totals")).deposited) - deposited;
    t.true(net <= amount && net > amount - NEAR / 100n, `pool credited ${net}`);
    t.log(`execute gas per kind: ${JSON.stringify(gasTable, null, 1)}`);
  },
);
