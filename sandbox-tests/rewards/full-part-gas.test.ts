// The gas of the largest usage-report part the verifier can send (contracts/wire/usage-report.ts: 64 attester
// entries, up to 32 model entries), through the VM with exactly the gas the verifier attaches with its default
// report_gas_tgas (30, plus REPORT_TGAS_PER_ENTRY per attester entry): every attester new to the pool (a credit
// record written for each), account ids and model names of the longest lengths allowed. A full part must always
// fit, or an epoch could never be reported. A flat 30 Tgas does not fit (measured: 52 to 67 Tgas).
import test from "ava";
import { reportGasTgas, USAGE_PART_ATTESTERS, USAGE_PART_MODELS } from "../../contracts/wire/usage-report.ts";
import { usagePart } from "./report.ts";
import { DAO, initPool, NEAR, PoolVm, TGAS, VERIFIER } from "./vm-pool.ts";

// the verifier's default report_gas_tgas (contracts/inference-verifier/contract.ts defaultSettings)
const DEFAULT_REPORT_GAS_TGAS = 30;
const tg = (g: bigint) => (Number(g) / 1e12).toFixed(2);

function longId(i: number): string {
  const tail = `-${i}.test.near`;
  return `${"a".repeat(64 - tail.length)}${tail}`;
}

function fullPart(models: number) {
  const per = USAGE_PART_ATTESTERS / models;
  const usage: [string, [string, number][]][] = [];
  for (let m = 0; m < models; m++) {
    const name = `${"m".repeat(60)}${String(m).padStart(4, "0")}@1000000000`;
    const counts: [string, number][] = [];
    for (let a = 0; a < per; a++) counts.push([longId(m * per + a), 10000000 + m * per + a]);
    usage.push([name, counts]);
  }
  return usagePart(1000, usage);
}

for (const models of [1, 2, USAGE_PART_MODELS]) {
  test(`a full part (${USAGE_PART_ATTESTERS} new attesters, ${models} model entries) is accepted with the default report gas`, (t) => {
    const vm = new PoolVm(undefined, 100n * NEAR);
    t.true(initPool(vm).ok);
    t.true(vm.call("deposit", {}, { from: DAO, deposit: 1000n * NEAR }).ok);
    vm.time = 1001n * 1_000_000_000n;
    const part = fullPart(models);
    const attached = BigInt(reportGasTgas(DEFAULT_REPORT_GAS_TGAS, part)) * TGAS;
    t.is(attached, 110n * TGAS);
    const r = vm.call("on_usage_report", part, { from: VERIFIER, gas: attached });
    t.true(r.ok, r.error);
    t.log(`${models} model entries, ${USAGE_PART_ATTESTERS} attesters: ${tg(r.gas)} Tgas of ${tg(attached)} attached`);
    // at least 25% to spare
    t.true(r.gas * 4n < attached * 3n, tg(r.gas));
    t.like(vm.view<object>("get_epoch", { epoch: 1000 }), {
      reports: 1,
      parts: 1,
      attester_receipts: part.usage.reduce((a, u) => a + u.receipts, 0),
    });
  });
}
