// `npm run bench:check`: measures the gas figures again and fails (exit 1) if any grew by more than 10% over the
// committed baseline, or is no longer measured.
//   tsx bench/check.ts [--baseline FILE] [--measured FILE]
// --baseline defaults to docs/perf/baseline.json; --measured compares a saved gas map (a baseline-shaped file)
// instead of measuring, which is how bench/test/check.test.ts exercises the rule quickly.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Baseline, compareGas, describe, failed } from "./compare.ts";
import { ROOT } from "./lib.ts";
import { measureGas } from "./measure.ts";
import { gasFigures } from "./results.ts";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const baselinePath = option("--baseline") ?? join(ROOT, "docs", "perf", "baseline.json");
const baseline = JSON.parse(readFileSync(baselinePath, "utf8")) as Baseline;
const measuredPath = option("--measured");
const measured = measuredPath
  ? (JSON.parse(readFileSync(measuredPath, "utf8")) as Baseline).gas
  : gasFigures(await measureGas((s) => console.log(`[bench:check] ${s}`)));
const c = compareGas(baseline, measured);
const report = describe(c);
if (report) console.log(report);
const count = Object.keys(baseline.gas).length;
let largest = { id: "", growth: 0 };
for (const [id, base] of Object.entries(baseline.gas)) {
  const growth = measured[id] === undefined ? 0 : measured[id] / base - 1;
  if (Math.abs(growth) >= Math.abs(largest.growth)) largest = { id, growth };
}
console.log(`largest change: ${largest.id} ${(largest.growth * 100).toFixed(3)}%`);
if (failed(c)) {
  console.error(`bench:check failed: ${c.regressions.length} of ${count} gas figures grew by more than 10%`);
  process.exit(1);
}
console.log(`bench:check passed: ${count} gas figures within 10% of ${baselinePath}`);
