// The cross-contract invariant walk (walk.ts): a seeded random walk over every user action of a community created
// through the factory, with the money invariants checked after every step. Refusals are expected and counted; the
// test fails only on an invariant violation (or if the walk stops exercising the suite).
// AI_COMMONS_WALK_SEED=<n> replays a walk, AI_COMMONS_WALK_STEPS=<n> sets its length (default 500).
import { useWorker } from "../helpers/worker.ts";
import { runWalk } from "./walk.ts";

const test = useWorker().serial;

const SEED = process.env.AI_COMMONS_WALK_SEED ? Number(process.env.AI_COMMONS_WALK_SEED) : 20261204;
const STEPS = process.env.AI_COMMONS_WALK_STEPS ? Number(process.env.AI_COMMONS_WALK_STEPS) : 500;

test(`invariant walk: seed ${SEED}, ${STEPS} steps`, async (t) => {
  const { worker, root } = t.context;
  t.log(`seed ${SEED} (AI_COMMONS_WALK_SEED=${SEED} replays it), ${STEPS} steps`);
  const s = await runWalk(worker, root, { seed: SEED, steps: STEPS, log: (l) => t.log(l) });

  const lines: string[] = [];
  lines.push(
    `seed ${s.seed}: ${s.steps} steps, ${s.transactions} transactions, ${(Number(s.gas) / 1e12).toFixed(1)} Tgas, ` +
      `walk ${s.seconds.toFixed(1)} s (set-up ${s.setupSeconds.toFixed(1)} s)`,
  );
  lines.push("actions (outcome counts):");
  for (const [a, n] of Object.entries(s.actions).sort((x, y) => y[1] - x[1])) {
    const o = Object.entries(s.outcomes[a] ?? {})
      .sort((x, y) => y[1] - x[1])
      .map(([c, k]) => `${c} ${k}`)
      .join(", ");
    lines.push(`  ${a}: ${n}${o ? ` (${o})` : ""}`);
  }
  lines.push("refusals by code:");
  for (const [c, n] of Object.entries(s.refusals).sort((x, y) => y[1] - x[1])) lines.push(`  ${c}: ${n}`);
  lines.push(`entitlements paid: ${JSON.stringify(s.entitlementsPaid)}`);
  lines.push(
    `money: externals paid in ${s.paidIn}, received ${s.paidOut}; burnt ${s.burnt}, contract rewards ${s.rewards}`,
  );
  lines.push(`violations: ${s.violations.length}`);
  for (const v of s.violations) lines.push(`  step ${v.step} (${v.action}): ${v.what}`);
  t.log(lines.join("\n"));

  t.deepEqual(s.violations, [], `invariant violations (seed ${SEED})`);
  // the checks fire: a planted money move and a planted double payment were both reported
  t.deepEqual(s.selfCheck, { untrackedMove: true, doublePayment: true });
  // the walk must keep exercising the suite, or its checks would pass vacuously
  const accepted = Object.values(s.outcomes).reduce((n, o) => n + (o.OK ?? 0), 0);
  t.true(accepted >= s.transactions / 4, `only ${accepted} of ${s.transactions} transactions accepted`);
  const executed = Object.entries(s.outcomes).filter(([a, o]) => a.startsWith("execute ") && (o.OK ?? 0) > 0);
  t.true(executed.length >= 3, `proposals executed: ${executed.map(([a]) => a).join(", ")}`);
  t.true((s.entitlementsPaid["bond refund"] ?? 0) > 0, `entitlements paid: ${JSON.stringify(s.entitlementsPaid)}`);
  t.true(s.paidIn > 0n && s.paidOut > 0n && s.burnt > 0n);
});
