// NEP-145 `storage_unregister` on the pool's compiled wasm (in-process VM, vm-pool.ts): balances to the yocto, the
// record removed, the refusals (no yocto, rewards to claim, a claim in flight) changing nothing, `force` forfeiting to
// the pool, and the attacks: unregister while a claim's callback is in flight, a second refund, re-registration,
// taking back a deposit paid for someone else. docs/rewards.md "NEP-145 storage".
import test from "ava";
import { assertRefused, failed, succeeded } from "../helpers/vm.ts";
import { usagePart } from "./report.ts";
import { DAO, initPool, NEAR, POOL, PoolVm, REGISTRY, VERIFIER } from "./vm-pool.ts";

const ALICE = "alice.test.near";
const BOB = "bob.test.near";
const EVE = "eve.test.near";
const ATT = "att.test.near";
const DEPOSIT = NEAR / 10n;

interface Balance {
  total: string;
  available: string;
}
interface Totals {
  unallocated: string;
  allocated: string;
  storage_free: string;
  in_flight: string;
}
interface Invariant {
  solvent: boolean;
  ledger_balanced: boolean;
}

function ok(r: { ok: boolean; error?: string }) {
  if (!r.ok) throw new Error(r.error);
}

/** A pool with one closed epoch: ALICE (model and dataset creator) and ATT (attester fees) have rewards to claim. */
function world(): PoolVm {
  const vm = new PoolVm();
  ok(initPool(vm));
  ok(vm.call("deposit", {}, { from: DAO, deposit: 100n * NEAR }));
  const lineage = {
    model_name: "m1",
    model_version: 1,
    model_creators: [{ account_id: ALICE, bps: 10000 }],
    datasets: [{ dataset_id: "d1", creators: [{ account_id: ALICE, bps: 10000 }] }],
  };
  ok(vm.call("register_lineage", lineage, { from: REGISTRY, deposit: NEAR }));
  report(vm, 1000);
  return vm;
}

/** Reports and closes `epoch` with 5 receipts of m1 by ATT. */
function report(vm: PoolVm, epoch: number) {
  vm.time = BigInt(epoch + 1) * 1_000_000_000n + 1n;
  ok(vm.call("on_usage_report", usagePart(epoch, [["m1", [[ATT, 5]]]]), { from: VERIFIER }));
  ok(vm.call("close_epoch", { epoch }));
}

const balanceOf = (vm: PoolVm, id: string) => vm.view<Balance | null>("storage_balance_of", { account_id: id });
const claimable = (vm: PoolVm, id: string) => BigInt(vm.view<string>("claimable", { account_id: id }));
const totals = (vm: PoolVm) => vm.view<Totals>("get_totals");
const unregister = (vm: PoolVm, from: string, args: Record<string, unknown> = {}) =>
  vm.call("storage_unregister", args, { from, deposit: 1n });

function sound(t: import("ava").ExecutionContext, vm: PoolVm, label: string) {
  const inv = vm.view<Invariant>("get_invariant");
  t.true(inv.solvent && inv.ledger_balanced, `${label}: ${JSON.stringify(inv)}`);
}

test("unregister with nothing to claim: true, the whole balance and the yocto back, the record removed", (t) => {
  const vm = world();
  ok(vm.call("storage_deposit", {}, { from: BOB, deposit: DEPOSIT }));
  const bal = balanceOf(vm, BOB)!;
  t.is(bal.total, DEPOSIT.toString());
  t.truthy(vm.read(`S${BOB}`), "the record under the storage map's prefix");
  const [poolBefore, usageBefore, freeBefore] = [vm.balance, vm.storageUsage, BigInt(totals(vm).storage_free)];

  const r = unregister(vm, BOB);
  t.true(r.ok, r.error);
  t.is(r.value, true);
  t.deepEqual(r.transfers, [{ to: BOB, amount: DEPOSIT + 1n }], "everything it paid, and the yocto");
  t.deepEqual(
    r.events.map((e) => [e.standard, e.event, e.data]),
    [
      [
        "ai-commons-rewards",
        "storage_unregister",
        [{ account_id: BOB, total: bal.total, refund: bal.total, kept: "0", forfeited: "0" }],
      ],
    ],
  );
  t.is(balanceOf(vm, BOB), null);
  t.is(vm.read(`S${BOB}`), undefined, "state removed");
  t.true(vm.storageUsage < usageBefore);
  t.is(vm.balance, poolBefore - DEPOSIT, "the pool paid back exactly the deposit");
  t.is(BigInt(totals(vm).storage_free), freeBefore - BigInt(bal.available));
  sound(t, vm, "after");
});

test("unregister of an account that is not registered returns false: the yocto back, nothing else changes", (t) => {
  const vm = world();
  const before = vm.snapshot();
  const r = unregister(vm, "nobody.test.near");
  t.true(r.ok, r.error);
  t.is(r.value, false);
  t.deepEqual(r.transfers, [{ to: "nobody.test.near", amount: 1n }]);
  t.deepEqual(r.events, []);
  t.is(vm.snapshot(), before);
});

test("refused without exactly 1 yocto (a function-call key cannot unregister): ERR_ONE_YOCTO, nothing changes", (t) => {
  const vm = world();
  ok(vm.call("storage_deposit", {}, { from: BOB, deposit: DEPOSIT }));
  for (const deposit of [0n, 2n, DEPOSIT]) {
    assertRefused(t, vm, "ERR_ONE_YOCTO", "storage_unregister", {}, { from: BOB, deposit });
    assertRefused(t, vm, "ERR_ONE_YOCTO", "storage_unregister", {}, { from: "nobody.test.near", deposit });
  }
});

test("with rewards to claim: refused ERR_STORAGE_HAS_BALANCE unless force is exactly true", (t) => {
  const vm = world();
  ok(vm.call("storage_deposit", {}, { from: ALICE, deposit: DEPOSIT }));
  t.true(claimable(vm, ALICE) > 0n);
  for (const args of [{}, { force: false }, { force: null }, { force: "true" }, { force: 1 }]) {
    const r = assertRefused(t, vm, "ERR_STORAGE_HAS_BALANCE", "storage_unregister", args, {
      from: ALICE,
      deposit: 1n,
    });
    t.regex(r.error ?? "", /to claim; claim it, or force forfeits it/, JSON.stringify(args));
  }
  // attester fees count as rewards too
  ok(vm.call("storage_deposit", {}, { from: ATT, deposit: DEPOSIT }));
  t.true(claimable(vm, ATT) > 0n);
  assertRefused(t, vm, "ERR_STORAGE_HAS_BALANCE", "storage_unregister", {}, { from: ATT, deposit: 1n });
});

test("force: what the account could claim goes to unallocated funds, not to it; later epochs still credit it", (t) => {
  const vm = world();
  ok(vm.call("storage_deposit", {}, { from: ALICE, deposit: DEPOSIT }));
  const owed = claimable(vm, ALICE);
  const before = totals(vm);
  const r = unregister(vm, ALICE, { force: true });
  t.true(r.ok, r.error);
  t.is(r.value, true);
  const [ev] = r.events;
  t.is(ev.event, "storage_unregister");
  const data = ev.data[0] as { refund: string; kept: string; forfeited: string; total: string };
  t.is(data.forfeited, owed.toString());
  t.is(BigInt(data.refund) + BigInt(data.kept), DEPOSIT);
  t.deepEqual(r.transfers, [{ to: ALICE, amount: BigInt(data.refund) + 1n }], "the storage balance only");
  t.is(claimable(vm, ALICE), 0n);
  const after = totals(vm);
  t.is(BigInt(after.unallocated), BigInt(before.unallocated) + owed);
  t.is(BigInt(after.allocated), BigInt(before.allocated) - owed);
  sound(t, vm, "after force");
  // nothing left to claim even after registering again; the next epoch credits the positions as before
  ok(vm.call("storage_deposit", {}, { from: ALICE, deposit: DEPOSIT }));
  t.is(vm.call("claim", {}, { from: ALICE }).code, "ERR_NOTHING_TO_CLAIM");
  report(vm, 1001);
  t.true(claimable(vm, ALICE) > 0n);
  sound(t, vm, "next epoch");
});

test("attack: unregister while a claim's callback is in flight is refused ERR_CLAIM_IN_FLIGHT, even with force", (t) => {
  const vm = world();
  ok(vm.call("storage_deposit", {}, { from: ALICE, deposit: DEPOSIT }));
  const owed = claimable(vm, ALICE);
  const claim = vm.call("claim", {}, { from: ALICE });
  t.true(claim.ok, claim.error);
  t.deepEqual(claim.transfers, [{ to: ALICE, amount: owed }]);
  // the transfer and on_claim_transfer are still to come
  assertRefused(t, vm, "ERR_CLAIM_IN_FLIGHT", "storage_unregister", {}, { from: ALICE, deposit: 1n });
  assertRefused(t, vm, "ERR_CLAIM_IN_FLIGHT", "storage_unregister", { force: true }, { from: ALICE, deposit: 1n });
  // the callback settles (paid) and writes to the claimer's records, paid from its balance as before
  ok(vm.call("on_claim_transfer", { index: 0 }, { from: POOL, promiseResults: [succeeded()] }));
  const bal = balanceOf(vm, ALICE)!;
  const r = unregister(vm, ALICE);
  t.true(r.ok, r.error);
  const data = r.events[0].data[0] as { refund: string; kept: string };
  // the claim history stays (the pool's record of payments): its storage is kept, the rest comes back
  t.true(BigInt(data.kept) > 0n);
  t.true(BigInt(data.refund) >= BigInt(bal.available), "at least the available balance");
  t.is(BigInt(data.refund) + BigInt(data.kept), DEPOSIT);
  t.deepEqual(r.transfers, [{ to: ALICE, amount: BigInt(data.refund) + 1n }]);
  t.is(vm.view<unknown[]>("get_account_claims", { account_id: ALICE }).length, 1);
  t.is(totals(vm).in_flight, "0");
  sound(t, vm, "after");
});

test("attack: a claim whose transfer fails comes back as owed, so unregistering then needs force", (t) => {
  const vm = world();
  ok(vm.call("storage_deposit", {}, { from: ALICE, deposit: DEPOSIT }));
  const owed = claimable(vm, ALICE);
  ok(vm.call("claim", {}, { from: ALICE }));
  vm.refund(owed);
  ok(vm.call("on_claim_transfer", { index: 0 }, { from: POOL, promiseResults: [failed()] }));
  t.is(claimable(vm, ALICE), owed);
  assertRefused(t, vm, "ERR_STORAGE_HAS_BALANCE", "storage_unregister", {}, { from: ALICE, deposit: 1n });
  sound(t, vm, "after");
});

test("attack: no second refund, and re-registering starts from its own new deposit", (t) => {
  const vm = world();
  ok(vm.call("storage_deposit", {}, { from: BOB, deposit: DEPOSIT }));
  t.deepEqual(unregister(vm, BOB).transfers, [{ to: BOB, amount: DEPOSIT + 1n }]);
  const again = unregister(vm, BOB);
  t.is(again.value, false);
  t.deepEqual(again.transfers, [{ to: BOB, amount: 1n }], "only the yocto");
  ok(vm.call("storage_deposit", {}, { from: BOB, deposit: DEPOSIT / 2n }));
  t.is(balanceOf(vm, BOB)?.total, (DEPOSIT / 2n).toString());
  t.deepEqual(unregister(vm, BOB).transfers, [{ to: BOB, amount: DEPOSIT / 2n + 1n }]);
  sound(t, vm, "after");
});

test("attack: a deposit paid for another account is that account's; the payer cannot unregister it back", (t) => {
  const vm = world();
  ok(vm.call("storage_deposit", { account_id: BOB }, { from: EVE, deposit: DEPOSIT }));
  const r = unregister(vm, EVE);
  t.is(r.value, false);
  t.deepEqual(r.transfers, [{ to: EVE, amount: 1n }]);
  t.deepEqual(unregister(vm, BOB).transfers, [{ to: BOB, amount: DEPOSIT + 1n }], "NEP-145: the balance is BOB's");
  sound(t, vm, "after");
});

test("after unregistering, claim is refused ERR_STORAGE_NOT_REGISTERED until the account registers again", (t) => {
  const vm = world();
  ok(vm.call("storage_deposit", {}, { from: ATT, deposit: DEPOSIT }));
  const owed = claimable(vm, ATT);
  ok(vm.call("claim", {}, { from: ATT }));
  ok(vm.call("on_claim_transfer", { index: 0 }, { from: POOL, promiseResults: [succeeded()] }));
  ok(unregister(vm, ATT));
  // the first close handed out everything unallocated: fund the next epoch's attester fees
  ok(vm.call("deposit", {}, { from: DAO, deposit: 10n * NEAR }));
  report(vm, 1001);
  t.is(claimable(vm, ATT), owed, "the next epoch's fees");
  assertRefused(t, vm, "ERR_STORAGE_NOT_REGISTERED", "claim", {}, { from: ATT });
  ok(vm.call("storage_deposit", {}, { from: ATT, deposit: DEPOSIT }));
  t.deepEqual(vm.call("claim", {}, { from: ATT }).transfers, [{ to: ATT, amount: owed }]);
});

test("force whose settlement grows the records more than the removal frees: paid from the balance, else ERR_STORAGE_BALANCE", (t) => {
  const vm = new PoolVm();
  ok(initPool(vm));
  ok(vm.call("deposit", {}, { from: DAO, deposit: 100n * NEAR }));
  // ALICE holds 8 positions, all unsettled ("s": "0"): forcing writes 8 accumulators into her record
  const models = Array.from({ length: 8 }, (_, i) => `m${i}`);
  for (const model_name of models) {
    const l = { model_name, model_version: 1, model_creators: [{ account_id: ALICE, bps: 10000 }] };
    ok(vm.call("register_lineage", l, { from: REGISTRY, deposit: NEAR }));
  }
  vm.time = 1001n * 1_000_000_000n + 1n;
  ok(
    vm.call(
      "on_usage_report",
      usagePart(
        1000,
        models.map((m) => [m, [[ATT, 1]]]),
      ),
      { from: VERIFIER },
    ),
  );
  ok(vm.call("close_epoch", { epoch: 1000 }));
  const owed = claimable(vm, ALICE);
  t.true(owed > 0n);
  ok(vm.call("storage_deposit", {}, { from: ALICE, deposit: DEPOSIT }));
  // nothing free: the settlement's growth cannot be paid
  const free = BigInt(balanceOf(vm, ALICE)?.available ?? "0");
  const withdrawn = vm.call("storage_withdraw", {}, { from: ALICE, deposit: 1n });
  ok(withdrawn);
  t.is(balanceOf(vm, ALICE)?.available, "0");
  // NEP-297: what came back and what is left
  const [wev] = withdrawn.events;
  t.is(wev.event, "storage_withdraw");
  t.deepEqual(wev.data[0], { account_id: ALICE, amount: free.toString(), total: balanceOf(vm, ALICE)?.total });
  t.deepEqual(withdrawn.transfers, [{ to: ALICE, amount: free + 1n }]);
  const r = assertRefused(
    t,
    vm,
    "ERR_STORAGE_BALANCE",
    "storage_unregister",
    { force: true },
    {
      from: ALICE,
      deposit: 1n,
    },
  );
  t.regex(r.error ?? "", /the settlement needs \d+, available 0/);
  // with a balance it pays the growth itself: kept = used + growth, the pool keeps exactly what the records cost
  ok(vm.call("storage_deposit", {}, { from: ALICE, deposit: DEPOSIT }));
  const bal = balanceOf(vm, ALICE)!;
  const used = BigInt(bal.total) - BigInt(bal.available);
  const done = unregister(vm, ALICE, { force: true });
  t.true(done.ok, done.error);
  const data = done.events[0].data[0] as { refund: string; kept: string; forfeited: string };
  t.is(data.forfeited, owed.toString());
  t.true(BigInt(data.kept) > used, `kept ${data.kept}, used ${used}`);
  t.is(BigInt(data.refund) + BigInt(data.kept), BigInt(bal.total));
  sound(t, vm, "after");
});
