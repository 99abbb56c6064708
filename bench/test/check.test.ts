// The regression check fails on a 10%+ gas regression: the rule on its own, and bench/check.ts as a process against a
// doctored baseline (the committed figures scaled down, so today's figures read as 11% growth). No node is needed:
// --measured feeds the committed figures in as the measurement.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { type Baseline, compareGas, failed } from "../compare.ts";
import { ROOT } from "../lib.ts";

const BASELINE = join(ROOT, "docs", "perf", "baseline.json");

function base(gas: Record<string, number>): Baseline {
  return { note: "", tolerance: 0.1, gas };
}

test("growth above 10% fails, up to 10% passes, improvements and new figures do not fail", (t) => {
  const b = base({ vote: 10e12, claim: 20e12 });
  t.false(failed(compareGas(b, { vote: 10e12, claim: 20e12 })));
  t.false(failed(compareGas(b, { vote: 11e12, claim: 20e12 })), "exactly +10% is allowed");
  t.false(failed(compareGas(b, { vote: 5e12, claim: 20e12, fork: 1e12 })));
  const c = compareGas(b, { vote: 11.01e12, claim: 20e12 });
  t.true(failed(c));
  t.deepEqual(
    c.regressions.map((r) => r.id),
    ["vote"],
  );
});

test("a figure that is no longer measured fails the check", (t) => {
  const c = compareGas(base({ vote: 10e12, claim: 20e12 }), { vote: 10e12 });
  t.true(failed(c));
  t.deepEqual(c.missing, ["claim"]);
});

function check(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "bench", "check.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
}

test("bench/check.ts exits 1 against a doctored baseline and 0 against the committed one", (t) => {
  if (!existsSync(BASELINE)) return t.pass("docs/perf/baseline.json not generated yet (npm run bench)");
  const committed = JSON.parse(readFileSync(BASELINE, "utf8")) as Baseline;
  const dir = mkdtempSync(join(tmpdir(), "bench-check-"));
  try {
    const doctored = join(dir, "doctored.json");
    const gas = Object.fromEntries(Object.entries(committed.gas).map(([k, v]) => [k, Math.floor(v / 1.11)]));
    writeFileSync(doctored, JSON.stringify({ ...committed, gas }));
    const bad = check(["--baseline", doctored, "--measured", BASELINE]);
    t.is(bad.status, 1, bad.stdout + bad.stderr);
    t.regex(bad.stdout, /REGRESSION scale\.dao\.vote@10000: .* \(\+11\.0%\)/);
    t.regex(bad.stderr, /bench:check failed/);
    // one figure doctored is enough
    const one = join(dir, "one.json");
    const id = Object.keys(committed.gas)[0];
    writeFileSync(one, JSON.stringify({ ...committed, gas: { ...committed.gas, [id]: committed.gas[id] / 1.2 } }));
    const single = check(["--baseline", one, "--measured", BASELINE]);
    t.is(single.status, 1);
    t.regex(single.stdout, new RegExp(`REGRESSION ${id.replace(/\./g, "\\.")}`));
    const good = check(["--baseline", BASELINE, "--measured", BASELINE]);
    t.is(good.status, 0, good.stdout + good.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
