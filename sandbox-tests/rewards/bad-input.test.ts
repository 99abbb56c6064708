// Every refused call panics with a stable ERR_ code and changes nothing: the pool's storage, balance and storage
// usage are byte-for-byte the same afterwards (a failed call's deposit goes back to the caller). Runs the compiled
// wasm through the VM (vm-pool.ts) from one prepared state: an open and a closed epoch, complete and partial
// lineages, an account with a claim paid, one owed but without storage, one registered but owed nothing, one
// registered and owed.
import test from "ava";
import { usagePart } from "./report.ts";
import { basePolicy, codeOf, DAO, initPool, NEAR, PoolVm, POOL, REGISTRY, VERIFIER } from "./vm-pool.ts";

const ALICE = "alice.test.near";
const BOB = "bob.test.near";
const CAROL = "carol.test.near";
// the attester: owed its fees, registered for storage, never claimed
const ATT = "att.test.near";
const creators = (...ids: string[]) => ids.map((account_id) => ({ account_id, bps: 10000 / ids.length }));
const usage = (n: number): [string, [string, number][]][] =>
  Array.from({ length: n }, (_, i) => [`x${i}`, [["att.test.near", 1]]]);
const part = (models: [string, [string, number][]][], over: Record<string, unknown> = {}) => ({
  ...usagePart(7, models),
  ...over,
});
const entry = (over: Record<string, unknown>) => ({ ...part([["m1", [["att.test.near", 1]]]]).usage[0], ...over });

function prepared(): PoolVm {
  const vm = new PoolVm();
  const ok = (r: { ok: boolean; error?: string }) => {
    if (!r.ok) throw new Error(r.error);
  };
  ok(initPool(vm));
  ok(vm.call("deposit", {}, { from: DAO, deposit: 100n * NEAR }));
  const m1 = {
    model_name: "m1",
    model_version: 1,
    model_creators: creators(ALICE, CAROL),
    datasets: [{ dataset_id: "d1", creators: creators(ALICE) }],
  };
  ok(vm.call("register_lineage", m1, { from: REGISTRY, deposit: NEAR }));
  const m2 = { model_name: "m2", model_version: 1, part: 0, total_parts: 2, model_creators: creators(BOB) };
  ok(
    vm.call(
      "register_lineage",
      { ...m2, parent: { model_name: "m1", model_version: 1 } },
      { from: REGISTRY, deposit: NEAR },
    ),
  );
  vm.time = 1001n * 1_000_000_000n;
  ok(vm.call("on_usage_report", usagePart(1000, [["m1", [["att.test.near", 5]]]]), { from: VERIFIER }));
  // epoch 5000 of a verifier with 1 ns epochs (ended; the pool's own 1 s epochs say it closes later): part 0 of 2
  ok(vm.call("on_usage_report", usagePart(5000, usage(32), { len: 1n, parts: 2 }), { from: VERIFIER }));
  ok(vm.call("close_epoch", { epoch: 1000 }));
  for (const a of [ALICE, BOB, ATT]) ok(vm.call("storage_deposit", {}, { from: a, deposit: NEAR / 10n }));
  ok(vm.call("claim", {}, { from: ALICE }));
  ok(
    vm.call(
      "on_claim_transfer",
      { index: 0 },
      { from: POOL, promiseResults: [{ status: "Successful", data: new Uint8Array() }] },
    ),
  );
  return vm;
}

interface Case {
  name: string;
  method: string;
  args: unknown;
  from?: string;
  deposit?: bigint;
  code: string;
}

const policy = basePolicy;
const lineage = (over: Record<string, unknown>) => ({
  model_name: "m3",
  model_version: 1,
  model_creators: creators(ALICE),
  ...over,
});

const CASES: Case[] = [
  {
    name: "policy from a non-DAO account",
    method: "set_reward_policy",
    args: { policy: policy() },
    code: "ERR_NOT_DAO",
  },
  {
    name: "shares sum to 9,999",
    method: "set_reward_policy",
    args: { policy: policy({ model_bps: 4999 }) },
    from: DAO,
    code: "ERR_POLICY_SHARES",
  },
  {
    name: "shares sum to 10,001",
    method: "set_reward_policy",
    args: { policy: policy({ parent_bps: 1001 }) },
    from: DAO,
    code: "ERR_POLICY_SHARES",
  },
  {
    name: "negative share",
    method: "set_reward_policy",
    args: { policy: policy({ parent_bps: -1 }) },
    from: DAO,
    code: "ERR_INVALID_BPS",
  },
  {
    name: "fractional share",
    method: "set_reward_policy",
    args: { policy: policy({ data_bps: 3999.5 }) },
    from: DAO,
    code: "ERR_INVALID_BPS",
  },
  {
    name: "negative attester fee",
    method: "set_reward_policy",
    args: { policy: policy({ attester_fee: "-1" }) },
    from: DAO,
    code: "ERR_INVALID_AMOUNT",
  },
  {
    name: "numeric attester fee",
    method: "set_reward_policy",
    args: { policy: policy({ attester_fee: 5 }) },
    from: DAO,
    code: "ERR_INVALID_AMOUNT",
  },
  {
    // a fee above what a relayed receipt's storage costs makes self-relayed fake receipts profitable
    name: "attester fee above 0.005 NEAR (fee farming with self-relayed receipts)",
    method: "set_reward_policy",
    args: { policy: policy({ attester_fee: "5000000000000000000001" }) },
    from: DAO,
    code: "ERR_ATTESTER_FEE_TOO_HIGH",
  },
  {
    name: "zero epoch length",
    method: "set_reward_policy",
    args: { policy: policy({ epoch_length_ns: "0" }) },
    from: DAO,
    code: "ERR_INVALID_EPOCH_LENGTH",
  },
  {
    name: "zero release",
    method: "set_reward_policy",
    args: { policy: policy({ release_bps: 0 }) },
    from: DAO,
    code: "ERR_INVALID_BPS",
  },
  {
    name: "policy not an object",
    method: "set_reward_policy",
    args: { policy: null },
    from: DAO,
    code: "ERR_INVALID_POLICY",
  },
  { name: "deposit of zero", method: "deposit", args: {}, code: "ERR_ZERO_DEPOSIT" },
  { name: "deposit below its record's storage", method: "deposit", args: {}, deposit: 1n, code: "ERR_DEPOSIT_TOO_LOW" },
  {
    name: "memo too long",
    method: "deposit",
    args: { memo: "x".repeat(257) },
    deposit: NEAR,
    code: "ERR_INVALID_MEMO",
  },
  { name: "memo not a string", method: "deposit", args: { memo: 7 }, deposit: NEAR, code: "ERR_INVALID_MEMO" },
  {
    name: "report from anyone but the verifier",
    method: "on_usage_report",
    args: part(usage(1)),
    code: "ERR_NOT_VERIFIER",
  },
  {
    name: "report for a negative epoch",
    method: "on_usage_report",
    args: part(usage(1), { epoch: -1 }),
    from: VERIFIER,
    code: "ERR_INVALID_EPOCH",
  },
  {
    name: "report epoch as a string",
    method: "on_usage_report",
    args: part(usage(1), { epoch: "7" }),
    from: VERIFIER,
    code: "ERR_INVALID_EPOCH",
  },
  {
    name: "empty report",
    method: "on_usage_report",
    args: part([]),
    from: VERIFIER,
    code: "ERR_EMPTY_REPORT",
  },
  {
    name: "bad model name",
    method: "on_usage_report",
    args: part([], { usage: [entry({ model_name: "Bad Name" })] }),
    from: VERIFIER,
    code: "ERR_INVALID_MODEL",
  },
  {
    name: "model version string outside the registry's rule",
    method: "on_usage_report",
    args: part([], { usage: [entry({ model_version: "1.0." })] }),
    from: VERIFIER,
    code: "ERR_INVALID_MODEL",
  },
  {
    name: "model version with an upper-case letter",
    method: "register_lineage",
    args: { model_name: "m9", model_version: "V1", model_creators: creators(ALICE) },
    from: REGISTRY,
    code: "ERR_INVALID_MODEL",
  },
  {
    name: "negative receipts",
    method: "on_usage_report",
    args: part([], { usage: [entry({ receipts: -3 })] }),
    from: VERIFIER,
    code: "ERR_INVALID_RECEIPTS",
  },
  {
    name: "33 models in one report",
    method: "on_usage_report",
    args: part(usage(33)),
    from: VERIFIER,
    code: "ERR_BATCH_SIZE",
  },
  {
    name: "65 attesters in one report",
    method: "on_usage_report",
    args: part([["m1", Array.from({ length: 65 }, (_, i) => [`a${i}.near`, 1] as [string, number])]]),
    from: VERIFIER,
    code: "ERR_BATCH_SIZE",
  },
  {
    name: "attester id invalid",
    method: "on_usage_report",
    args: part([["m1", [["Not Valid", 1]]]]),
    from: VERIFIER,
    code: "ERR_INVALID_ACCOUNT_ID",
  },
  {
    name: "new report for a closed epoch",
    method: "on_usage_report",
    args: usagePart(1000, usage(1), { part: 1, parts: 2 }),
    from: VERIFIER,
    code: "ERR_EPOCH_CLOSED",
  },
  {
    name: "33rd model in an epoch",
    method: "on_usage_report",
    args: usagePart(5000, [["m1", [["att.test.near", 1]]]], { len: 1n, part: 1, parts: 2 }),
    from: VERIFIER,
    code: "ERR_TOO_MANY_MODELS",
  },
  { name: "closing an epoch early", method: "close_epoch", args: { epoch: 5000 }, code: "ERR_EPOCH_NOT_ENDED" },
  { name: "closing an unknown epoch", method: "close_epoch", args: { epoch: 999 }, code: "ERR_UNKNOWN_EPOCH" },
  { name: "closing an epoch twice", method: "close_epoch", args: { epoch: 1000 }, code: "ERR_EPOCH_CLOSED" },
  { name: "closing epoch -1", method: "close_epoch", args: { epoch: -1 }, code: "ERR_INVALID_EPOCH" },
  { name: "claim with nothing owed", method: "claim", args: {}, from: BOB, code: "ERR_NOTHING_TO_CLAIM" },
  {
    name: "claim by an unknown account",
    method: "claim",
    args: {},
    from: "zed.test.near",
    code: "ERR_NOTHING_TO_CLAIM",
  },
  { name: "double claim", method: "claim", args: {}, from: ALICE, code: "ERR_NOTHING_TO_CLAIM" },
  {
    name: "claim without a storage deposit",
    method: "claim",
    args: {},
    from: CAROL,
    code: "ERR_STORAGE_NOT_REGISTERED",
  },
  {
    name: "claim callback for an unknown claim",
    method: "on_claim_transfer",
    args: { index: 9 },
    from: POOL,
    code: "ERR_UNKNOWN_CLAIM",
  },
  {
    name: "claim callback replayed",
    method: "on_claim_transfer",
    args: { index: 0 },
    from: POOL,
    code: "ERR_UNKNOWN_CLAIM",
  },
  {
    name: "lineage from anyone but the registry",
    method: "register_lineage",
    args: lineage({}),
    code: "ERR_NOT_MODEL_REGISTRY",
  },
  {
    name: "lineage already complete",
    method: "register_lineage",
    args: lineage({ model_name: "m1" }),
    from: REGISTRY,
    code: "ERR_LINEAGE_COMPLETE",
  },
  {
    name: "model creators sum to 9,000",
    method: "register_lineage",
    args: lineage({ model_creators: [{ account_id: ALICE, bps: 9000 }] }),
    from: REGISTRY,
    code: "ERR_BPS_SUM",
  },
  {
    name: "dataset creators above 10,000",
    method: "register_lineage",
    args: lineage({
      datasets: [
        {
          dataset_id: "d",
          creators: [
            { account_id: ALICE, bps: 6000 },
            { account_id: BOB, bps: 6000 },
          ],
        },
      ],
    }),
    from: REGISTRY,
    code: "ERR_BPS_SUM",
  },
  {
    name: "dataset creators below 10,000",
    method: "register_lineage",
    args: lineage({ datasets: [{ dataset_id: "d", creators: [{ account_id: ALICE, bps: 6000 }] }] }),
    from: REGISTRY,
    code: "ERR_BPS_SUM",
  },
  {
    name: "zero bps",
    method: "register_lineage",
    args: lineage({ model_creators: [{ account_id: ALICE, bps: 0 }] }),
    from: REGISTRY,
    code: "ERR_INVALID_BPS",
  },
  {
    name: "part beyond total_parts",
    method: "register_lineage",
    args: lineage({ part: 2, total_parts: 2 }),
    from: REGISTRY,
    code: "ERR_INVALID_PART",
  },
  {
    name: "part sent twice",
    method: "register_lineage",
    args: { model_name: "m2", model_version: 1, part: 0, total_parts: 2 },
    from: REGISTRY,
    code: "ERR_PART_ALREADY_REGISTERED",
  },
  {
    name: "total_parts changed",
    method: "register_lineage",
    args: { model_name: "m2", model_version: 1, part: 1, total_parts: 3 },
    from: REGISTRY,
    code: "ERR_PARTS_MISMATCH",
  },
  {
    name: "a model its own parent",
    method: "register_lineage",
    args: lineage({ parent: { model_name: "m3", model_version: 1 } }),
    from: REGISTRY,
    code: "ERR_INVALID_PARENT",
  },
  {
    name: "parent changed between parts",
    method: "register_lineage",
    args: {
      model_name: "m2",
      model_version: 1,
      part: 1,
      total_parts: 2,
      parent: { model_name: "m9", model_version: 1 },
    },
    from: REGISTRY,
    code: "ERR_PARENT_MISMATCH",
  },
  {
    name: "101 entries in a part",
    method: "register_lineage",
    args: lineage({ model_creators: Array.from({ length: 101 }, (_, i) => ({ account_id: `c${i}.near`, bps: 1 })) }),
    from: REGISTRY,
    code: "ERR_BATCH_SIZE",
  },
  {
    name: "dataset id with a separator",
    method: "register_lineage",
    args: lineage({ datasets: [{ dataset_id: "a|b", creators: creators(ALICE) }] }),
    from: REGISTRY,
    code: "ERR_INVALID_DATASET",
  },
  {
    name: "creator account invalid",
    method: "register_lineage",
    args: lineage({ model_creators: [{ account_id: "-bad-", bps: 10000 }] }),
    from: REGISTRY,
    code: "ERR_INVALID_ACCOUNT_ID",
  },
  {
    name: "lineage payer not an account id",
    method: "register_lineage",
    args: lineage({ payer: "-bad-" }),
    from: REGISTRY,
    deposit: NEAR,
    code: "ERR_INVALID_ACCOUNT_ID",
  },
  {
    name: "usage report payer not an account id",
    method: "on_usage_report",
    args: part([["m1", [["att.test.near", 1]]]], { payer: "Not An Account" }),
    from: VERIFIER,
    deposit: NEAR,
    code: "ERR_INVALID_ACCOUNT_ID",
  },
  {
    name: "storage deposit below the minimum",
    method: "storage_deposit",
    args: {},
    from: CAROL,
    deposit: 1000n,
    code: "ERR_DEPOSIT_TOO_LOW",
  },
  { name: "storage withdraw without 1 yocto", method: "storage_withdraw", args: {}, from: BOB, code: "ERR_ONE_YOCTO" },
  {
    name: "storage withdraw above the available",
    method: "storage_withdraw",
    args: { amount: NEAR.toString() },
    from: BOB,
    deposit: 1n,
    code: "ERR_STORAGE_WITHDRAW",
  },
  {
    name: "storage withdraw unregistered",
    method: "storage_withdraw",
    args: {},
    from: CAROL,
    deposit: 1n,
    code: "ERR_STORAGE_NOT_REGISTERED",
  },
  {
    name: "storage unregister without 1 yocto",
    method: "storage_unregister",
    args: {},
    from: BOB,
    code: "ERR_ONE_YOCTO",
  },
  {
    name: "storage unregister with 2 yocto",
    method: "storage_unregister",
    args: { force: true },
    from: BOB,
    deposit: 2n,
    code: "ERR_ONE_YOCTO",
  },
  {
    name: "storage unregister with fees to claim",
    method: "storage_unregister",
    args: {},
    from: ATT,
    deposit: 1n,
    code: "ERR_STORAGE_HAS_BALANCE",
  },
  {
    name: "storage unregister with force as a string",
    method: "storage_unregister",
    args: { force: "true" },
    from: ATT,
    deposit: 1n,
    code: "ERR_STORAGE_HAS_BALANCE",
  },
];

test(`${CASES.length} refused calls: stable code, state and balance unchanged`, (t) => {
  const vm = prepared();
  for (const c of CASES) {
    const before = vm.snapshot();
    const r = vm.call(c.method, c.args, { from: c.from ?? "mallory.test.near", deposit: c.deposit });
    t.is(codeOf(r), c.code, `${c.name}: ${r.error}`);
    t.deepEqual(r.transfers, [], c.name);
    t.is(vm.snapshot(), before, `${c.name}: state changed`);
  }
  t.true(CASES.length >= 30);
});

test("a repeated report succeeds as a no-op, so the verifier may retry", (t) => {
  const vm = prepared();
  const before = vm.snapshot();
  const args = usagePart(1000, [["m1", [["att.test.near", 5]]]]);
  const r = vm.call("on_usage_report", args, { from: VERIFIER });
  t.true(r.ok);
  t.like(r.value as object, { duplicate: true, attester_paid: "0" });
  t.deepEqual(r.events, []);
  t.is(vm.snapshot(), before);
});

test("views refuse bad pages and ids with stable codes", (t) => {
  const vm = prepared();
  t.throws(() => vm.view("get_epochs", { limit: 0 }), { message: /ERR_INVALID_PAGINATION/ });
  t.throws(() => vm.view("get_claims", { from_index: -1 }), { message: /ERR_INVALID_PAGINATION/ });
  t.throws(() => vm.view("claimable", { account_id: "NOPE" }), { message: /ERR_INVALID_ACCOUNT_ID/ });
  t.throws(() => vm.view("get_lineage", { model_name: "m1", model_version: -1 }), { message: /ERR_INVALID_MODEL/ });
  t.is(vm.view("claimable", { account_id: "zed.test.near" }), "0");
});
