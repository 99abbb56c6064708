// The stories of issue 7 on the compiled wasm (through the VM, vm-pool.ts): a full epoch with usage for two models
// trained on overlapping datasets with several creators, every claim paid to the yocto as computed here by hand;
// a claim whose transfer fails and is restored, then paid; a policy change that applies from the next epoch on.
import test from "ava";
import { usagePart } from "./report.ts";
import {
  BYTE_COST,
  basePolicy,
  type CallResult,
  codeOf,
  DAO,
  initPool,
  NEAR,
  PoolVm,
  POOL,
  REGISTRY,
  VERIFIER,
} from "./vm-pool.ts";

const [ALICE, BOB, CAROL, DAVE, ERIN, FRANK] = ["alice", "bob", "carol", "dave", "erin", "frank"].map(
  (n) => `${n}.test.near`,
);
const ATT1 = "att1.test.near";
const ATT2 = "att2.test.near";
const FEE = 10n ** 21n;
const EPOCH = 1000;
const D_TEXT = {
  dataset_id: "d-text",
  creators: [
    { account_id: ALICE, bps: 7000 },
    { account_id: BOB, bps: 3000 },
  ],
};
const D_CODE = { dataset_id: "d-code", creators: [{ account_id: CAROL, bps: 10000 }] };
const D_MATH = {
  dataset_id: "d-math",
  creators: [
    { account_id: ALICE, bps: 5000 },
    { account_id: DAVE, bps: 5000 },
  ],
};
const ok = (r: CallResult) => {
  if (!r.ok) throw new Error(r.error);
  return r;
};
const success = [{ status: "Successful" as const, data: new Uint8Array() }];

function setUp() {
  const vm = new PoolVm();
  ok(initPool(vm, basePolicy({ attester_fee: FEE.toString() })));
  const d1 = ok(vm.call("deposit", { memo: "treasury" }, { from: DAO, deposit: 100n * NEAR }));
  const d2 = ok(vm.call("deposit", { memo: "inference fees" }, { from: "fees.test.near", deposit: 2n * NEAR }));
  const net = BigInt((d1.value as { net: string }).net) + BigInt((d2.value as { net: string }).net);
  // m-chat: erin, on d-text + d-code; m-code: frank 60% / erin 40%, on d-code + d-math, fine-tuned from m-chat,
  // pushed in two parts
  ok(
    vm.call(
      "register_lineage",
      {
        model_name: "m-chat",
        model_version: 1,
        model_creators: [{ account_id: ERIN, bps: 10000 }],
        datasets: [D_TEXT, D_CODE],
      },
      { from: REGISTRY, deposit: NEAR },
    ),
  );
  const code = { model_name: "m-code", model_version: 1, total_parts: 2 };
  ok(
    vm.call(
      "register_lineage",
      {
        ...code,
        part: 0,
        model_creators: [
          { account_id: FRANK, bps: 6000 },
          { account_id: ERIN, bps: 4000 },
        ],
      },
      { from: REGISTRY, deposit: NEAR },
    ),
  );
  ok(
    vm.call(
      "register_lineage",
      { ...code, part: 1, parent: { model_name: "m-chat", model_version: 1 }, datasets: [D_CODE, D_MATH] },
      { from: REGISTRY, deposit: NEAR },
    ),
  );
  for (const a of [ALICE, BOB, CAROL, DAVE, ERIN, FRANK, ATT1, ATT2]) {
    ok(vm.call("storage_deposit", {}, { from: a, deposit: NEAR / 20n }));
  }
  return { vm, net };
}

const floor10k = (x: bigint) => x - (x % 10000n);

test("a full epoch: two models on overlapping datasets, claims paid to the yocto", (t) => {
  const { vm, net } = setUp();
  const deposits = vm.view<{ source: string; memo: string }[]>("get_deposits", {});
  t.deepEqual(
    deposits.map((d) => [d.source, d.memo]),
    [
      [DAO, "treasury"],
      ["fees.test.near", "inference fees"],
    ],
  );

  const part = usagePart(EPOCH, [
    [
      "m-chat",
      [
        [ATT1, 25],
        [ATT2, 5],
      ],
    ],
    ["m-code", [[ATT2, 10]]],
  ]);
  // a report for an epoch that has not ended is refused
  t.is(codeOf(vm.call("on_usage_report", part, { from: VERIFIER })), "ERR_EPOCH_NOT_ENDED");
  vm.time = BigInt(EPOCH + 1) * 1_000_000_000n;
  const report = ok(vm.call("on_usage_report", part, { from: VERIFIER }));
  t.is(report.events[0].event, "usage_reported");
  t.is(vm.view("claimable", { account_id: ATT1 }), (25n * FEE).toString());
  t.is(vm.view("claimable", { account_id: ATT2 }), (15n * FEE).toString());

  const totals = vm.view<{ unallocated: string; storage_charged: string }>("get_totals");
  t.is(totals.storage_charged, "0"); // the pool's surplus paid the report's records
  const unallocated = net - 40n * FEE;
  t.is(totals.unallocated, unallocated.toString());
  const close = ok(vm.call("close_epoch", { epoch: EPOCH }, { from: "anyone.test.near" }));

  // off-chain: budget = unallocated less the close's storage reserve (400 + 450 per model bytes), all released
  const budget = unallocated - (400n + 450n * 2n) * BYTE_COST;
  const chat = (budget * 30n) / 40n;
  const code = (budget * 10n) / 40n;
  // m-chat: no parent, so model share 50% + parent share 10% to erin; data 40% over 2 dataset slots
  const chatParent = (chat * 1000n) / 10000n;
  const chatData = (chat * 4000n) / 10000n;
  const chatModel = floor10k(chat - chatParent - chatData + chatParent);
  const chatSlot = (chatData / 20000n) * 10000n;
  // m-code: parent m-chat's creators get 10%, data 40% over d-code and d-math, frank/erin 60/40 of the rest
  const codeParent = floor10k((code * 1000n) / 10000n);
  const codeDataPart = (code * 4000n) / 10000n;
  const codeModel = floor10k(code - (code * 1000n) / 10000n - codeDataPart);
  const codeSlot = (codeDataPart / 20000n) * 10000n;
  const expected: Record<string, bigint> = {
    [ERIN]: chatModel + codeParent + (codeModel * 4000n) / 10000n,
    [FRANK]: (codeModel * 6000n) / 10000n,
    [ALICE]: (chatSlot * 7000n) / 10000n + (codeSlot * 5000n) / 10000n,
    [BOB]: (chatSlot * 3000n) / 10000n,
    [CAROL]: chatSlot + codeSlot,
    [DAVE]: (codeSlot * 5000n) / 10000n,
  };
  const distributed = chatModel + 2n * chatSlot + codeParent + codeModel + 2n * codeSlot;
  t.like(close.value as object, { budget: budget.toString(), distributed: distributed.toString() });
  t.true(budget - distributed < 100000n, "rounding leaves less than 0.1 nano-NEAR");
  const event = close.events[0];
  t.is(event.event, "epoch_closed");
  t.like(event.data[0], { epoch: EPOCH, distributed: distributed.toString() });
  for (const [a, v] of Object.entries(expected)) t.is(vm.view("claimable", { account_id: a }), v.toString(), a);
  t.is(
    vm.view<{ unallocated: string }>("get_totals").unallocated,
    (unallocated - distributed).toString(),
    "remainders stay unallocated",
  );

  // allocations and epochs are paginated views
  const allocs = vm.view<{ model: string; to_parent: string; parent: string | null }[]>("get_allocations", {
    from_index: 1,
    limit: 1,
  });
  t.deepEqual(
    allocs.map((a) => [a.model, a.to_parent, a.parent]),
    [["m-code@1", codeParent.toString(), "m-chat@1"]],
  );
  t.like(vm.view<object[]>("get_epochs", { limit: 1 })[0], { epoch: EPOCH, status: "Closed", policy_version: 1 });

  // every claim pays exactly the off-chain amount, through a transfer and the callback
  for (const [a, v] of Object.entries(expected)) {
    const r = ok(vm.call("claim", {}, { from: a }));
    t.deepEqual(r.transfers, [{ to: a, amount: v }], a);
    const index = r.events[0].data[0].index as number;
    const cb = ok(vm.call("on_claim_transfer", { index }, { from: POOL, promiseResults: success }));
    t.is(cb.events[0].event, "claim_paid");
    t.is(vm.view("claimable", { account_id: a }), "0");
    t.is(codeOf(vm.call("claim", {}, { from: a })), "ERR_NOTHING_TO_CLAIM");
  }
  const inv = vm.view<{ solvent: boolean; ledger_balanced: boolean }>("get_invariant");
  t.true(inv.solvent && inv.ledger_balanced);
});

test("a failing claim transfer is restored, then paid on the next claim", (t) => {
  const { vm } = setUp();
  vm.time = BigInt(EPOCH + 1) * 1_000_000_000n;
  ok(vm.call("on_usage_report", usagePart(EPOCH, [["m-chat", [[ATT1, 3]]]]), { from: VERIFIER }));
  ok(vm.call("close_epoch", { epoch: EPOCH }));
  const owed = BigInt(vm.view<string>("claimable", { account_id: BOB }));
  t.true(owed > 0n);
  const balance = vm.balance;
  const r = ok(vm.call("claim", {}, { from: BOB }));
  t.deepEqual(r.transfers, [{ to: BOB, amount: owed }]);
  t.is(vm.balance, balance - owed, "the transfer left the pool");
  t.like(vm.view<object>("get_account", { account_id: BOB }), { owed: "0", in_flight: owed.toString() });
  t.is(vm.view("claimable", { account_id: BOB }), "0");
  // the receiver does not exist any more: the transfer fails and its refund comes back before the callback
  vm.refund(owed);
  const cb = ok(vm.call("on_claim_transfer", { index: 0 }, { from: POOL, promiseResults: [{ status: "Failed" }] }));
  t.deepEqual(cb.value, { index: 0, status: "Failed" });
  t.is(cb.events[0].event, "claim_failed");
  t.is(vm.view("claimable", { account_id: BOB }), owed.toString());
  t.like(vm.view<object>("get_totals"), { in_flight: "0", claimed: "0" });
  t.true(vm.view<{ solvent: boolean }>("get_invariant").solvent);

  const again = ok(vm.call("claim", {}, { from: BOB }));
  t.deepEqual(again.transfers, [{ to: BOB, amount: owed }]);
  ok(vm.call("on_claim_transfer", { index: 1 }, { from: POOL, promiseResults: success }));
  t.deepEqual(
    vm.view<{ status: string }[]>("get_account_claims", { account_id: BOB }).map((c) => c.status),
    ["Failed", "Paid"],
  );
  t.like(vm.view<object>("get_totals"), { in_flight: "0", claimed: owed.toString() });
});

test("a policy change applies to epochs closed afterwards", (t) => {
  const { vm } = setUp();
  const report = (epoch: number) =>
    ok(vm.call("on_usage_report", usagePart(epoch, [["m-code", [[ATT1, 10]]]]), { from: VERIFIER }));
  vm.time = BigInt(EPOCH + 1) * 1_000_000_000n;
  report(EPOCH);
  ok(vm.call("close_epoch", { epoch: EPOCH }));
  const carolBefore = BigInt(vm.view<string>("claimable", { account_id: CAROL }));
  t.true(carolBefore > 0n);

  t.is(codeOf(vm.call("set_reward_policy", { policy: basePolicy() }, { from: ERIN })), "ERR_NOT_DAO");
  const next = basePolicy({ model_bps: 10000, data_bps: 0, parent_bps: 0, attester_fee: "0", release_bps: 5000 });
  const set = ok(vm.call("set_reward_policy", { policy: next }, { from: DAO }));
  t.is(set.events[0].event, "policy_set");
  t.like(vm.view<object>("get_config"), { policy_version: 2, policy: next });

  ok(vm.call("deposit", {}, { from: DAO, deposit: 50n * NEAR }));
  vm.time = BigInt(EPOCH + 2) * 1_000_000_000n;
  report(EPOCH + 1);
  const frankBefore = BigInt(vm.view<string>("claimable", { account_id: FRANK }));
  const unallocated = BigInt(vm.view<{ unallocated: string }>("get_totals").unallocated);
  const close = ok(vm.call("close_epoch", { epoch: EPOCH + 1 }));
  // half the unallocated funds (less the storage reserve), all to m-code's creators: nothing to data or parent
  const budget = ((unallocated - (400n + 450n) * BYTE_COST) * 5000n) / 10000n;
  const toModel = floor10k(budget);
  t.like(close.value as object, { budget: budget.toString(), distributed: toModel.toString() });
  t.is(vm.view("claimable", { account_id: CAROL }), carolBefore.toString(), "datasets get nothing now");
  t.is(vm.view("claimable", { account_id: FRANK }), (frankBefore + (toModel * 6000n) / 10000n).toString());
  const epochs = vm.view<{ epoch: number; policy_version: number }[]>("get_epochs", {});
  t.deepEqual(
    epochs.map((e) => [e.epoch, e.policy_version]),
    [
      [EPOCH, 1],
      [EPOCH + 1, 2],
    ],
  );
});
