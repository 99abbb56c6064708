// The pool as the factory starts it (init with `suite`, no policy) and the registry's version strings: a lineage
// pushed as "1.0.0" and usage reported as "1.0.0" (the verifier's shape) meet in one model version; 1 and "1" too.
import test from "ava";
import { basePolicy, codeOf, DAO, initPool, NEAR, PoolVm, REGISTRY, VERIFIER } from "./vm-pool.ts";

const ALICE = "alice.test.near";
const SUITE = {
  "community-dao": DAO,
  "dataset-registry": "acme_dataset-registry.test.near",
  "model-registry": REGISTRY,
  "inference-verifier": VERIFIER,
  "reward-pool": "pool.test.near",
};

test("init takes its peers from the factory's suite; explicit ids override it; default policy", (t) => {
  const vm = new PoolVm();
  const r = vm.call("init", { dao_id: DAO, suite: SUITE }, { from: "factory.test.near" });
  t.true(r.ok, r.error);
  t.like(vm.view<Record<string, unknown>>("get_config"), {
    dao_id: DAO,
    verifier_id: VERIFIER,
    model_registry_id: REGISTRY,
    policy: { model_bps: 6000, data_bps: 3000, parent_bps: 1000, attester_fee: "0", release_bps: 10000 },
  });

  const vm2 = new PoolVm();
  const r2 = vm2.call(
    "init",
    { dao_id: DAO, suite: SUITE, verifier_id: "other.test.near", policy: basePolicy() },
    { from: "factory.test.near" },
  );
  t.true(r2.ok, r2.error);
  t.like(vm2.view<Record<string, unknown>>("get_config"), {
    verifier_id: "other.test.near",
    model_registry_id: REGISTRY,
  });

  const missing = new PoolVm();
  const before = missing.snapshot();
  const { "model-registry": _, ...noRegistry } = SUITE;
  const r3 = missing.call("init", { dao_id: DAO, suite: noRegistry }, { from: "factory.test.near" });
  t.is(codeOf(r3), "ERR_INVALID_ACCOUNT_ID");
  t.is(missing.snapshot(), before);
  const r4 = missing.call("init", { dao_id: DAO, suite: { "model-registry": "Not An Id" } });
  t.is(codeOf(r4), "ERR_INVALID_ACCOUNT_ID");
  const r5 = missing.call("init", { dao_id: DAO, suite: ["x"] });
  t.is(codeOf(r5), "ERR_INVALID_SUITE");
});

test("registry version strings: lineage, usage and close meet in one model version", (t) => {
  const vm = new PoolVm();
  vm.time = 3n * 1_000_000_000n;
  t.true(initPool(vm, basePolicy({ attester_fee: "0" })).ok);
  t.true(vm.call("deposit", {}, { from: DAO, deposit: 10n * NEAR }).ok);
  const lin = vm.call(
    "register_lineage",
    {
      model_name: "intents",
      model_version: "1.0.0",
      model_creators: [{ account_id: ALICE, bps: 10000 }],
      datasets: [{ dataset_id: "community-intents-a@1.0.0", creators: [{ account_id: ALICE, bps: 10000 }] }],
    },
    { from: REGISTRY, deposit: NEAR },
  );
  t.true(lin.ok, lin.error);
  t.like(lin.value, { model: "intents@1.0.0", complete: true });
  t.like(vm.view("get_lineage", { model_name: "intents", model_version: "1.0.0" }), { complete: true });
  // what the verifier sends: version strings, per-model attester counts
  const report = {
    community: DAO,
    epoch: 3,
    epoch_start_ns: "3000000000",
    epoch_end_ns: "4000000000",
    usage: [
      {
        model_name: "intents",
        model_version: "1.0.0",
        weights_sha256: "ab".repeat(32),
        receipts: 4,
        attester_counts: [{ attester_id: "att.test.near", receipts: 4 }],
      },
    ],
  };
  vm.time = 4n * 1_000_000_000n;
  t.true(vm.call("on_usage_report", { ...report, part: 0, parts: 1 }, { from: VERIFIER }).ok);
  const close = vm.call("close_epoch", { epoch: 3 });
  t.true(close.ok, close.error);
  const allocs = vm.view<{ model: string; amount: string }[]>("get_allocations", {});
  t.is(allocs.length, 1);
  t.is(allocs[0].model, "intents@1.0.0");
  t.true(BigInt(vm.view<string>("claimable", { account_id: ALICE })) > 0n);

  // an integer version and its string name the same model version
  const one = vm.call(
    "register_lineage",
    { model_name: "m", model_version: 1, model_creators: [{ account_id: ALICE, bps: 10000 }] },
    { from: REGISTRY, deposit: NEAR },
  );
  t.true(one.ok, one.error);
  t.like(vm.view("get_lineage", { model_name: "m", model_version: "1" }), { model: "m@1", complete: true });
});
