// The model registry's wasm in-process (helpers/vm.ts), next to a dataset registry also in-process: a paid
// registration, the DAO's activation whose cross-contract check really runs on the dataset registry's wasm (its
// answer handed to the callback as the promise result), the verifier told of the new model, and the refusals on the
// way (a withdrawn manifest, a failed check, a callback from outside), with storage unchanged by each.
import test from "ava";
import { BYTE_COST, NEAR } from "../helpers/tx.ts";
import { assertRefused, type CallResult, ContractVm, failed, succeeded } from "../helpers/vm.ts";
import { datasetInput, modelInput } from "../registries/fixture.ts";
import {
  activationDeposit,
  DEFAULT_ACTIVATION_DEPOSIT,
  lineagePartsBound,
  MODEL_USE_DEPOSIT,
} from "../../contracts/wire/activation.ts";

const DATASETS = "datasets.test.near";
const MODELS = "models.test.near";
const VERIFIER = "verifier.test.near";
const DAO = "dao.test.near";
const [ALICE, BOB, ZED] = ["alice", "bob", "zed"].map((n) => `${n}.test.near`);
const DEPOSIT = NEAR / 10n;
// what the DAO attaches to an activation (contracts/wire/activation.ts)
const ACT = DEFAULT_ACTIVATION_DEPOSIT;

/** Both registries; the dataset registry holds manifest 1 of one admitted dataset (creator bob). */
function suite(): { ds: ContractVm; mr: ContractVm } {
  const ds = new ContractVm({ code: "dataset-registry", accountId: DATASETS });
  const mr = new ContractVm({ code: "model-registry", accountId: MODELS });
  const steps: [ContractVm, string, unknown, { from: string; deposit?: bigint }][] = [
    [ds, "init", { dao_id: DAO, model_registry_id: MODELS }, { from: DATASETS }],
    [
      mr,
      "init",
      { dao_id: DAO, dataset_registry_id: DATASETS, verifier_id: VERIFIER, reward_pool_id: null },
      { from: MODELS },
    ],
    [
      ds,
      "submit_dataset",
      datasetInput("corpus", "1.0", [{ account_id: BOB, share_bps: 10000 }]),
      { from: BOB, deposit: DEPOSIT },
    ],
    [ds, "admit_dataset", { dataset_id: "corpus@1.0" }, { from: DAO }],
    [ds, "create_manifest", { name: "m1", dataset_ids: ["corpus@1.0"] }, { from: BOB, deposit: DEPOSIT }],
  ];
  for (const [vm, method, args, o] of steps) {
    const r = vm.call(method, args, o);
    if (!r.ok) throw new Error(`${method}: ${r.error}`);
  }
  return { ds, mr };
}

/** The activation's first call (record_model_use at the dataset registry) run there, as the model registry. */
function runCheck(ds: ContractVm, activation: CallResult): CallResult {
  return ds.receive(activation.calls[0], MODELS);
}

test("registration: paid by the registrant, one version once, a name owned, a parent known", (t) => {
  const { mr } = suite();
  const input = modelInput("lm", "1", 1);
  assertRefused(t, mr, "ERR_DEPOSIT_TOO_LOW", "register_model", input, { from: ALICE });
  assertRefused(t, mr, "ERR_INVALID_MANIFEST_ID", "register_model", modelInput("lm", "1", 0), {
    from: ALICE,
    deposit: DEPOSIT,
  });
  assertRefused(
    t,
    mr,
    "ERR_UNKNOWN_PARENT",
    "register_model",
    modelInput("lm", "1", 1, { parent: { model_id: "x@1", relation: "finetune" } }),
    {
      from: ALICE,
      deposit: DEPOSIT,
    },
  );
  const r = mr.call("register_model", input, { from: ALICE, deposit: DEPOSIT });
  t.true(r.ok, r.error);
  t.is(r.value, "lm@1");
  const cost = BigInt((r.events[0].data[0] as { storage_cost: string }).storage_cost);
  t.deepEqual(r.transfers, [{ to: ALICE, amount: DEPOSIT - cost }]);
  // without creators the registrant is the only one
  t.like(mr.view("get_model", { model_id: "lm@1" }), {
    status: "Registered",
    registrant: ALICE,
    creators: [{ account_id: ALICE, share_bps: 10000 }],
  });
  assertRefused(t, mr, "ERR_DUPLICATE_VERSION", "register_model", input, { from: ALICE, deposit: DEPOSIT });
  assertRefused(t, mr, "ERR_NOT_NAME_OWNER", "register_model", modelInput("lm", "2", 1), {
    from: BOB,
    deposit: DEPOSIT,
  });
});

test("activation: the dataset registry's check runs on its wasm, the callback activates and tells the verifier", (t) => {
  const { ds, mr } = suite();
  t.true(mr.call("register_model", modelInput("lm", "1", 1), { from: ALICE, deposit: DEPOSIT }).ok);
  assertRefused(t, mr, "ERR_NOT_DAO", "activate_model", { model_id: "lm@1" }, { from: ALICE });
  assertRefused(t, mr, "ERR_UNKNOWN_MODEL", "activate_model", { model_id: "lm@9" }, { from: DAO, deposit: ACT });
  // the DAO pays what its decision stores: less than any activation stores is refused at once
  assertRefused(t, mr, "ERR_DEPOSIT_TOO_LOW", "activate_model", { model_id: "lm@1" }, { from: DAO });

  const act = mr.call("activate_model", { model_id: "lm@1" }, { from: DAO, deposit: ACT });
  t.true(act.ok, act.error);
  t.deepEqual(
    act.calls.map((c) => [c.to, c.method, c.deposit]),
    [
      [DATASETS, "record_model_use", MODEL_USE_DEPOSIT],
      [MODELS, "on_activation_checked", 0n],
    ],
  );
  const dsUsage = ds.storageUsage;
  const check = runCheck(ds, act);
  t.true(check.ok, check.error);
  t.like(check.value, { manifest_id: 1, exists: true, dataset_ids: ["corpus@1.0"], withdrawn: [], ok: true });
  // the dataset registry keeps the cost of the record it wrote and sends the rest to the DAO
  t.deepEqual(check.transfers, [{ to: DAO, amount: MODEL_USE_DEPOSIT - (ds.storageUsage - dsUsage) * BYTE_COST }]);
  t.deepEqual(
    check.events.map((e) => e.event),
    ["model_dependency_recorded"],
  );

  const callback = act.calls[1];
  const results = [succeeded(check.value)];
  // a callback is private: nobody else may claim the check succeeded
  const outside = mr.call(callback.method, callback.args, { from: ZED, promiseResults: results });
  t.false(outside.ok);
  t.is(outside.code, "Function is private");
  // a check that did not succeed activates nothing: the whole deposit goes back to the DAO (the check's share came
  // back to the registry with the failed receipt) and the returned call fails with the reason
  const state = mr.store.snapshot();
  const no = mr.call(callback.method, callback.args, { from: MODELS, promiseResults: [failed()] });
  t.true(no.ok, no.error);
  t.is(mr.store.snapshot(), state);
  t.deepEqual(no.transfers, [{ to: DAO, amount: ACT }]);
  t.deepEqual(
    no.calls.map((c) => [c.to, c.method, c.args]),
    [
      [
        MODELS,
        "refuse_activation",
        { code: "ERR_DATASET_REGISTRY_FAILED", detail: "record_model_use did not succeed" },
      ],
    ],
  );
  assertRefused(t, mr, "ERR_DATASET_REGISTRY_FAILED", "refuse_activation", no.calls[0].args, { from: MODELS });
  assertRefused(t, mr, "Function is private", "refuse_activation", no.calls[0].args, { from: ZED });

  const mrUsage = mr.storageUsage;
  const done = mr.call(callback.method, callback.args, { from: MODELS, promiseResults: results });
  t.true(done.ok, done.error);
  // it keeps the bytes it stored and sends the rest of the deposit back to the DAO at once
  const stored = (mr.storageUsage - mrUsage) * BYTE_COST;
  t.deepEqual(done.transfers, [{ to: DAO, amount: ACT - MODEL_USE_DEPOSIT - stored }]);
  t.like(done.events[0].data[0], {
    deposit: ACT.toString(),
    storage_cost: stored.toString(),
    lineage_reserve: "0",
    refund: (ACT - MODEL_USE_DEPOSIT - stored).toString(),
  });
  t.deepEqual(done.value, { model_id: "lm@1", manifest_root: (check.value as { root: string }).root });
  t.deepEqual(
    done.events.map((e) => e.event),
    ["model_activated"],
  );
  t.deepEqual(
    done.calls.map((c) => [c.to, c.method, c.args]),
    [
      [
        VERIFIER,
        "set_active_model",
        { model_name: "lm", model_version: "1", weights_sha256: modelInput("lm", "1", 1).weights_sha256, seq: 1 },
      ],
      [MODELS, "on_verifier_synced", { seq: 1 }],
    ],
  );
  t.like(mr.view("get_active_model"), { id: "lm@1", status: "Active" });
});

test("a withdrawn dataset stops the activation of a model trained on it", (t) => {
  const { ds, mr } = suite();
  t.true(mr.call("register_model", modelInput("lm", "1", 1), { from: ALICE, deposit: DEPOSIT }).ok);
  t.true(ds.call("withdraw_dataset", { dataset_id: "corpus@1.0" }, { from: BOB }).ok);
  const act = mr.call("activate_model", { model_id: "lm@1" }, { from: DAO, deposit: ACT });
  const check = runCheck(ds, act);
  t.like(check.value, { withdrawn: ["corpus@1.0"], ok: false });
  t.deepEqual(check.events, [], "a failing check records no dependency");
  t.deepEqual(check.transfers, [{ to: DAO, amount: MODEL_USE_DEPOSIT }], "nor keeps any of its deposit");
  const callback = act.calls[1];
  const state = mr.store.snapshot();
  const no = mr.call(callback.method, callback.args, { from: MODELS, promiseResults: [succeeded(check.value)] });
  t.is(mr.store.snapshot(), state);
  t.deepEqual(no.transfers, [{ to: DAO, amount: ACT - MODEL_USE_DEPOSIT }]);
  t.deepEqual(
    no.calls.map((c) => [c.method, (c.args as { code: string }).code]),
    [["refuse_activation", "ERR_MANIFEST_WITHDRAWN"]],
  );
  t.is(mr.view("get_active_model"), null);
});

// The activation callback stores the model's lineage (~0.11 Tgas an entry): a lineage too large for its gas is
// refused before anything is written, with the deposit sent back, instead of running out of gas holding it; one of 98
// entries is stored within the same gas.
test("a lineage too large for the callback's gas is refused with the deposit back; 98 entries fit; the largest fits in what a 300 Tgas execute leaves", (t) => {
  const POOL = "pool.test.near";
  const mr = new ContractVm({ code: "model-registry", accountId: MODELS });
  const init = { dao_id: DAO, dataset_registry_id: DATASETS, verifier_id: VERIFIER, reward_pool_id: POOL };
  t.true(mr.call("init", init, { from: MODELS }).ok);
  const creator = (d: number, i: number) => ({
    account_id: `creator-${d}-${i}-of-a-data-collective.test.near`,
    share_bps: 625,
  });
  const check = (datasets: number) => ({
    manifest_id: 1,
    exists: true,
    root: "ab".repeat(32),
    dataset_ids: Array.from({ length: datasets }, (_, d) => `corpus-${d}@1`),
    withdrawn: [],
    ok: true,
    creators: Array.from({ length: datasets }, (_, d) => Array.from({ length: 16 }, (_, i) => creator(d, i))),
  });
  // `gas`: what the DAO's call brings: at least its 160 Tgas (community-dao/kinds/suite.ts ACTIVATION_GAS), plus what
  // its execute leaves unused
  const run = (version: string, datasets: number, gas = 160n * 10n ** 12n) => {
    t.true(mr.call("register_model", modelInput("lm", version, 1), { from: ALICE, deposit: DEPOSIT }).ok);
    const entries = 1 + 16 * datasets;
    const deposit = activationDeposit({ entries, datasets, parts: lineagePartsBound(entries, datasets) });
    const act = mr.call("activate_model", { model_id: `lm@${version}` }, { from: DAO, deposit, gas });
    t.true(act.ok, act.error);
    const cb = act.calls[1];
    t.like(cb.args, { lineage: true, deposit: deposit.toString() });
    return {
      deposit,
      result: mr.call(cb.method, cb.args, { from: MODELS, gas: cb.gas, promiseResults: [succeeded(check(datasets))] }),
    };
  };
  const state = mr.store.snapshot();
  const big = run("1", 26); // 417 entries
  t.true(big.result.ok, big.result.error);
  t.deepEqual(big.result.transfers, [{ to: DAO, amount: big.deposit - MODEL_USE_DEPOSIT }]);
  t.deepEqual(
    big.result.calls.map((c) => [c.method, (c.args as { code: string }).code]),
    [["refuse_activation", "ERR_NOT_ENOUGH_GAS"]],
  );
  t.regex((big.result.calls[0].args as { detail: string }).detail, /417 creator entries/);
  t.is(mr.view("get_active_model"), null);
  t.is(mr.view("get_lineage_status", { model_id: "lm@1" }), null);
  t.not(mr.store.snapshot(), state); // the registration of lm@1 only
  const fits = run("2", 6); // 97 entries
  t.true(fits.result.ok, fits.result.error);
  t.like(fits.result.value, { model_id: "lm@2" });
  t.like(mr.view("get_lineage_status", { model_id: "lm@2" }), { v: 2, total_parts: 1, entries: [97] });

  // the part goes to the pool (here on a push: the callback kept its gas) with the DAO named as payer, its deposit
  // taken from the activation's reserve
  const parts = fits.result.calls.some((c) => c.to === POOL)
    ? fits.result
    : mr.call("push_lineage", { model_id: "lm@2" }, { from: ZED, gas: 300n * 10n ** 12n });
  t.true(parts.ok, parts.error);
  const sent = parts.calls.filter((c) => c.to === POOL);
  t.deepEqual(
    sent.map((c) => [c.method, (c.args as { payer: string }).payer]),
    [["register_lineage", DAO]],
  );
  const partDeposit = sent[0].deposit;
  const reserveOf = () => BigInt(mr.view<{ reserve: string }>("get_lineage_status", { model_id: "lm@2" }).reserve);
  const reserveLeft = reserveOf();
  const pushed = parts.calls.find((c) => c.method === "on_lineage_pushed");
  if (!pushed) throw new Error("no on_lineage_pushed callback");
  // the pool refuses the part (say, a bad payer): its deposit came back to the registry with the failed receipt and
  // is reserved again, the part waits, nothing is sent anywhere
  const lost = mr.call(pushed.method, pushed.args, { from: MODELS, promiseResults: [failed()] });
  t.true(lost.ok, lost.error);
  t.is(lost.value, false);
  t.deepEqual(lost.transfers, []);
  t.deepEqual(
    lost.events.map((e) => e.event),
    ["lineage_push_failed"],
  );
  t.is(reserveOf(), reserveLeft + partDeposit);
  // anyone may send it again: the same deposit out of the restored reserve
  const again = mr.call("push_lineage", { model_id: "lm@2" }, { from: ZED, gas: 300n * 10n ** 12n });
  t.true(again.ok, again.error);
  const resent = again.calls.filter((c) => c.to === POOL);
  t.deepEqual(
    resent.map((c) => [c.method, c.deposit, (c.args as { payer: string }).payer]),
    [["register_lineage", partDeposit, DAO]],
  );
  t.is(reserveOf(), reserveLeft);
  // confirmed: the copy kept for retries is freed and its stake goes to the DAO, which paid for it
  const usage = mr.storageUsage;
  const back = again.calls.find((c) => c.method === "on_lineage_pushed");
  if (!back) throw new Error("no on_lineage_pushed callback");
  const done = mr.call(back.method, back.args, { from: MODELS, promiseResults: [succeeded(null)] });
  t.true(done.ok, done.error);
  t.deepEqual(done.transfers, [{ to: DAO, amount: (usage - mr.storageUsage) * BYTE_COST }]);
  t.true(usage > mr.storageUsage);
  // the largest lineage a manifest allows (50 datasets of 16 creators; 801 entries with the model's one creator):
  // refused in what ACTIVATION_GAS alone leaves, stored when the DAO's execute had 300 Tgas (it forwards at least
  // 300 - its own ~20 - on_execute's 20 = ~260 Tgas; 250 here)
  const largest = run("3", 50, 250n * 10n ** 12n);
  t.true(largest.result.ok, largest.result.error);
  t.like(largest.result.value, { model_id: "lm@3" });
  const largestStatus = mr.view<{ v: number; entries: number[] }>("get_lineage_status", { model_id: "lm@3" });
  t.is(largestStatus.v, 2);
  t.is(
    largestStatus.entries.reduce((a, b) => a + b, 0),
    801,
  );
  t.log(
    `801 entries: the callback had ${Number(largest.result.gas / 10n ** 9n) / 1000} Tgas burnt with 250 Tgas at activate_model`,
  );
  t.log(
    `97 entries: the callback burnt ${Number(fits.result.gas / 10n ** 9n) / 1000} Tgas of ${Number(big.result.gas / 10n ** 9n) / 1000} for the refusal`,
  );
});
