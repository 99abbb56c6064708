// The gas regression check inside the normal test suite: every gas figure of docs/performance.md measured again on
// a fresh local node (about 20-40 s) must stay within 10% of docs/perf/baseline.json. `npm run bench:check` runs
// the same comparison with readable output; `npm run bench` refreshes the baseline after an intended change.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import test from "ava";
import { type Baseline, compareGas, describe, failed } from "../compare.ts";
import { ROOT } from "../lib.ts";
import { measureGas } from "../measure.ts";
import { gasFigures } from "../results.ts";

const BASELINE = join(ROOT, "docs", "perf", "baseline.json");

test("no gas figure grew by more than 10% over docs/perf/baseline.json", async (t) => {
  if (!existsSync(BASELINE)) return t.pass("no baseline yet: npm run bench writes it");
  const baseline = JSON.parse(readFileSync(BASELINE, "utf8")) as Baseline;
  const c = compareGas(baseline, gasFigures(await measureGas()));
  const report = describe(c);
  if (report) t.log(report);
  t.false(failed(c), report);
});
