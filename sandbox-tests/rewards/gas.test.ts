// Gas of report, close epoch and claim for a model version with 10 and with 1,000 creators (each creator also a
// creator of one of its datasets), through the VM: the function call's burnt gas plus the receipt fees nearcore
// adds (CALL_FEES), i.e. what a receipt outcome's gas_burnt shows. Asserts they do not grow with the creators.
import test from "ava";
import { usagePart } from "./report.ts";
import { CALL_FEES, DAO, initPool, NEAR, PoolVm, REGISTRY, TGAS, VERIFIER } from "./vm-pool.ts";

const tg = (g: bigint) => (Number(g) / 1e12).toFixed(2);

function measure(n: number) {
  const vm = new PoolVm(undefined, 100n * NEAR);
  if (!initPool(vm).ok) throw new Error("init");
  vm.call("deposit", {}, { from: DAO, deposit: 1000n * NEAR });
  const ids = Array.from({ length: n }, (_, i) => `creator-${i}.test.near`);
  const bps = 10000 / n;
  const perDataset = Math.min(n, 100);
  const datasets = n / perDataset;
  const parts: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i += 100) {
    parts.push({ model_creators: ids.slice(i, i + 100).map((account_id) => ({ account_id, bps })) });
  }
  for (let d = 0; d < datasets; d++) {
    const creators = ids.slice(d * perDataset, (d + 1) * perDataset).map((account_id) => ({
      account_id,
      bps: 10000 / perDataset,
    }));
    parts.push({ datasets: [{ dataset_id: `ds-${d}`, creators }] });
  }
  let lineageMax = 0n;
  parts.forEach((p, part) => {
    const r = vm.call(
      "register_lineage",
      { model_name: "big", model_version: 1, part, total_parts: parts.length, ...p },
      { from: REGISTRY, deposit: 5n * NEAR },
    );
    if (!r.ok) throw new Error(r.error);
    if (r.gas > lineageMax) lineageMax = r.gas;
  });
  vm.time = 1001n * 1_000_000_000n;
  const report = vm.call("on_usage_report", usagePart(1000, [["big", [["att.test.near", 40]]]]), { from: VERIFIER });
  const close = vm.call("close_epoch", { epoch: 1000 });
  vm.call("storage_deposit", {}, { from: ids[n - 1], deposit: NEAR / 10n });
  const claim = vm.call("claim", {}, { from: ids[n - 1] });
  const callback = vm.call(
    "on_claim_transfer",
    { index: 0 },
    {
      from: "pool.test.near",
      promiseResults: [{ status: "Successful", data: new Uint8Array() }],
    },
  );
  for (const r of [report, close, claim, callback]) if (!r.ok) throw new Error(r.error);
  return {
    parts: parts.length,
    lineage: lineageMax + CALL_FEES,
    report: report.gas + CALL_FEES,
    close: close.gas + CALL_FEES,
    claim: claim.gas + CALL_FEES,
    callback: callback.gas + CALL_FEES,
    paid: claim.transfers[0].amount,
  };
}

test("report, close epoch and claim cost the same for 10 and for 1,000 creators", (t) => {
  const small = measure(10);
  const large = measure(1000);
  t.log("creators | lineage parts (max Tgas a part) | report | close | claim | claim callback (Tgas)");
  for (const [n, m] of [
    [10, small],
    [1000, large],
  ] as const) {
    t.log(
      `${n} | ${m.parts} (${tg(m.lineage)}) | ${tg(m.report)} | ${tg(m.close)} | ${tg(m.claim)} | ${tg(m.callback)}`,
    );
  }
  // bounded: within 1 Tgas of each other whatever the number of creators, and far below the 300 Tgas limit
  for (const k of ["report", "close", "claim", "callback"] as const) {
    const d = large[k] > small[k] ? large[k] - small[k] : small[k] - large[k];
    t.true(d < TGAS, `${k}: ${tg(small[k])} vs ${tg(large[k])}`);
    t.true(large[k] < 30n * TGAS, k);
  }
  t.true(large.lineage < 300n * TGAS);
  t.true(small.paid > large.paid);
});
