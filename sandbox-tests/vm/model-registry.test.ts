// The model registry's wasm in-process (helpers/vm.ts), next to a dataset registry also in-process: a paid
// registration, the DAO's activation whose cross-contract check really runs on the dataset registry's wasm (its
// answer handed to the callback as the promise result), the verifier told of the new model, and the refusals on the
// way (a withdrawn manifest, a failed check, a callback from outside), with storage unchanged by each.
import test from "ava";
import { NEAR } from "../helpers/tx.ts";
import { assertRefused, type CallResult, ContractVm, failed, succeeded } from "../helpers/vm.ts";
import { datasetInput, modelInput } from "../registries/fixture.ts";

const DATASETS = "datasets.test.near";
const MODELS = "models.test.near";
const VERIFIER = "verifier.test.near";
const DAO = "dao.test.near";
const [ALICE, BOB, ZED] = ["alice", "bob", "zed"].map((n) => `${n}.test.near`);
const DEPOSIT = NEAR / 10n;

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
  assertRefused(t, mr, "ERR_UNKNOWN_MODEL", "activate_model", { model_id: "lm@9" }, { from: DAO });

  const act = mr.call("activate_model", { model_id: "lm@1" }, { from: DAO });
  t.true(act.ok, act.error);
  t.deepEqual(
    act.calls.map((c) => [c.to, c.method]),
    [
      [DATASETS, "record_model_use"],
      [MODELS, "on_activation_checked"],
    ],
  );
  const check = runCheck(ds, act);
  t.true(check.ok, check.error);
  t.like(check.value, { manifest_id: 1, exists: true, dataset_ids: ["corpus@1.0"], withdrawn: [], ok: true });
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
  // a check that did not succeed activates nothing
  assertRefused(t, mr, "ERR_DATASET_REGISTRY_FAILED", callback.method, callback.args, {
    from: MODELS,
    promiseResults: [failed()],
  });

  const done = mr.call(callback.method, callback.args, { from: MODELS, promiseResults: results });
  t.true(done.ok, done.error);
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
  const act = mr.call("activate_model", { model_id: "lm@1" }, { from: DAO });
  const check = runCheck(ds, act);
  t.like(check.value, { withdrawn: ["corpus@1.0"], ok: false });
  t.deepEqual(check.events, [], "a failing check records no dependency");
  const callback = act.calls[1];
  assertRefused(t, mr, "ERR_MANIFEST_WITHDRAWN", callback.method, callback.args, {
    from: MODELS,
    promiseResults: [succeeded(check.value)],
  });
  t.is(mr.view("get_active_model"), null);
});
