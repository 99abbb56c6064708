// close_epoch and the usage report are payable (storage audit F3): when the pool's surplus cannot pay a close's or a
// report part's bookkeeping and there are no unallocated funds (the policy released every yocto, or no grant yet), a
// keeper's deposit pays it, the rest coming back in the same call (for a report, to the `payer` the verifier names);
// without one the call is refused as before and changes nothing. In-process VM on the pool's compiled wasm.
import test from "ava";
import { assertRefused } from "../helpers/vm.ts";
import { usagePart } from "./report.ts";
import { reportDeposit } from "../../contracts/wire/usage-report.ts";
import { DAO, initPool, NEAR, PoolVm, REGISTRY, VERIFIER } from "./vm-pool.ts";

const ATT = "att.test.near";
const KEEPER = "keeper.test.near";

function ok(r: { ok: boolean; error?: string }) {
  if (!r.ok) throw new Error(r.error);
}

test("a keeper's deposit closes an epoch the pool cannot pay the bookkeeping of; the excess is refunded", (t) => {
  const vm = new PoolVm();
  ok(initPool(vm));
  // a pool as the factory makes it: its balance is about its storage, no surplus
  vm.balance = vm.storageUsage * 10n ** 19n + 10n ** 20n;
  ok(vm.call("deposit", {}, { from: DAO, deposit: NEAR }));
  const creators = [{ account_id: ATT, bps: 10000 }];
  const lineage = { model_name: "m1", model_version: 1, model_creators: creators, datasets: [] };
  ok(vm.call("register_lineage", lineage, { from: REGISTRY, deposit: NEAR / 10n }));
  const reportEpoch = (epoch: number) => {
    vm.time = BigInt(epoch + 1) * 1_000_000_000n + 1n;
    ok(vm.call("on_usage_report", usagePart(epoch, [["m1", [[ATT, 5]]]]), { from: VERIFIER }));
  };
  reportEpoch(1000);
  ok(vm.call("close_epoch", { epoch: 1000 }, { from: KEEPER }));
  const left = BigInt(vm.view<{ unallocated: string }>("get_totals").unallocated);
  t.log(`unallocated after the close: ${left}`);
  reportEpoch(1001);
  // everything unallocated was released: the next close has nothing to pay its records with
  const refused = assertRefused(t, vm, "ERR_INSUFFICIENT_FUNDS", "close_epoch", { epoch: 1001 }, { from: KEEPER });
  t.regex(refused.error ?? "", /storage needs \d+ more yoctoNEAR/);
  const deposit = NEAR / 20n;
  const r = vm.call("close_epoch", { epoch: 1001 }, { from: KEEPER, deposit });
  ok(r);
  t.is(r.transfers.length, 1, "one refund");
  const refund = r.transfers[0];
  t.is(refund.to, KEEPER);
  t.true(refund.amount > 0n && refund.amount < deposit, `kept ${deposit - refund.amount} for the records`);
  // the pool stays solvent and its ledger balanced
  const inv = vm.view<{ solvent: boolean; ledger_balanced: boolean }>("get_invariant");
  t.true(inv.solvent && inv.ledger_balanced, JSON.stringify(inv));
});

test("with a surplus the deposit comes back whole", (t) => {
  const vm = new PoolVm();
  ok(initPool(vm));
  ok(vm.call("deposit", {}, { from: DAO, deposit: NEAR }));
  const lineage = {
    model_name: "m1",
    model_version: 1,
    model_creators: [{ account_id: ATT, bps: 10000 }],
    datasets: [],
  };
  ok(vm.call("register_lineage", lineage, { from: REGISTRY, deposit: NEAR / 10n }));
  vm.time = 1001n * 1_000_000_000n + 1n;
  ok(vm.call("on_usage_report", usagePart(1000, [["m1", [[ATT, 5]]]]), { from: VERIFIER }));
  const r = vm.call("close_epoch", { epoch: 1000 }, { from: KEEPER, deposit: NEAR / 20n });
  ok(r);
  t.deepEqual(r.transfers, [{ to: KEEPER, amount: NEAR / 20n }]);
});

test("a report part paid by the keeper's deposit (forwarded by the verifier with `payer`) while the pool has no funds", (t) => {
  const vm = new PoolVm();
  ok(initPool(vm));
  // as the factory makes it: no surplus, and no grant yet
  vm.balance = vm.storageUsage * 10n ** 19n + 10n ** 20n;
  const lineage = { model_name: "m1", model_version: 1, model_creators: [{ account_id: ATT, bps: 10000 }] };
  ok(vm.call("register_lineage", { ...lineage, datasets: [] }, { from: REGISTRY, deposit: NEAR / 10n }));
  vm.time = 1001n * 1_000_000_000n + 1n;
  const part = usagePart(1000, [["m1", [[ATT, 5]]]]);
  // without a deposit the part's records cannot be paid: refused, nothing changes (the verifier retries later)
  assertRefused(t, vm, "ERR_INSUFFICIENT_FUNDS", "on_usage_report", part, { from: VERIFIER });
  // the payer must be an account id; only the verifier may send a part at all
  const deposit = reportDeposit(part);
  const bad = { ...part, payer: "Not An Account" };
  assertRefused(t, vm, "ERR_INVALID_ACCOUNT_ID", "on_usage_report", bad, { from: VERIFIER, deposit });
  assertRefused(t, vm, "ERR_NOT_VERIFIER", "on_usage_report", { ...part, payer: KEEPER }, { from: KEEPER, deposit });
  const usageBefore = vm.storageUsage;
  const r = vm.call("on_usage_report", { ...part, payer: KEEPER }, { from: VERIFIER, deposit });
  ok(r);
  // kept exactly the bytes the part added, the rest went to the payer (not to the verifier that forwarded it)
  const kept = (vm.storageUsage - usageBefore) * 10n ** 19n;
  t.true(kept > 0n && kept < deposit, `kept ${kept} of ${deposit}`);
  t.deepEqual(r.transfers, [{ to: KEEPER, amount: deposit - kept }]);
  t.like(vm.view("get_epoch", { epoch: 1000 }), { reports: 1, total_receipts: 5 });
  // the same part again (a resend after a lost callback): nothing recorded, the whole deposit back to the payer
  const again = vm.call("on_usage_report", { ...part, payer: KEEPER }, { from: VERIFIER, deposit });
  ok(again);
  t.like(again.value, { duplicate: true });
  t.deepEqual(again.transfers, [{ to: KEEPER, amount: deposit }]);
  const inv = vm.view<{ solvent: boolean; ledger_balanced: boolean }>("get_invariant");
  t.true(inv.solvent && inv.ledger_balanced, JSON.stringify(inv));
});
