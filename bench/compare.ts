// The regression rule: a gas figure may not grow by more than 10% over the committed baseline. Pure functions, so
// the rule itself is tested without a node (bench/test/check.test.ts).

export const TOLERANCE = 0.1;

export interface Baseline {
  note: string;
  tolerance: number;
  gas: Record<string, number>;
}

export interface Comparison {
  regressions: { id: string; baseline: number; measured: number; growth: number }[];
  missing: string[];
  added: string[];
  improved: { id: string; baseline: number; measured: number; growth: number }[];
}

/** Compares measured gas with the baseline; a figure the baseline has but the run did not measure is reported too. */
export function compareGas(baseline: Baseline, measured: Record<string, number>): Comparison {
  const tolerance = baseline.tolerance ?? TOLERANCE;
  const out: Comparison = { regressions: [], missing: [], added: [], improved: [] };
  for (const [id, base] of Object.entries(baseline.gas)) {
    const now = measured[id];
    if (now === undefined) {
      out.missing.push(id);
      continue;
    }
    const growth = now / base - 1;
    // the epsilon keeps exactly +10% (a float ratio) on the allowed side
    if (growth > tolerance + 1e-9) out.regressions.push({ id, baseline: base, measured: now, growth });
    else if (growth < -tolerance) out.improved.push({ id, baseline: base, measured: now, growth });
  }
  for (const id of Object.keys(measured)) if (!(id in baseline.gas)) out.added.push(id);
  return out;
}

export function failed(c: Comparison): boolean {
  return c.regressions.length > 0 || c.missing.length > 0;
}

export function describe(c: Comparison): string {
  const tg = (g: number) => `${(g / 1e12).toFixed(2)} Tgas`;
  const pct = (x: number) => `${x > 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
  const lines: string[] = [];
  for (const r of c.regressions) {
    lines.push(`REGRESSION ${r.id}: ${tg(r.baseline)} -> ${tg(r.measured)} (${pct(r.growth)})`);
  }
  for (const id of c.missing) lines.push(`MISSING ${id}: in the baseline but not measured`);
  for (const r of c.improved) {
    lines.push(`improved ${r.id}: ${tg(r.baseline)} -> ${tg(r.measured)} (${pct(r.growth)}); consider npm run bench`);
  }
  for (const id of c.added) lines.push(`new figure ${id} (not in the baseline yet)`);
  return lines.join("\n");
}
