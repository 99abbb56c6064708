// `npm run bench`: measures everything on the local node and writes docs/performance.md, docs/perf/*.png and
// docs/perf/baseline.json (the gas figures the regression check compares against).
//   tsx bench/run.ts [--out DIR]   (DIR defaults to docs/; the page goes to DIR/performance.md, the rest to DIR/perf)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TOLERANCE } from "./compare.ts";
import { ROOT } from "./lib.ts";
import { measureGas } from "./measure.ts";
import { nodeSpeed } from "./node-speed.ts";
import { barChart, lineChart, toPng } from "./plot.ts";
import { functionBodySizes } from "../toolchain/lib/wasm-limits.mjs";
import { minimalCallReport } from "./minimal-call.ts";
import { renderMarkdown } from "./report.ts";
import { webSectionFromFile, withWebSection } from "../web/server/bench-report.ts";
import { gasFigures, type Results, type WasmSize } from "./results.ts";

const arg = process.argv.indexOf("--out");
const docs = arg > 0 ? process.argv[arg + 1] : join(ROOT, "docs");
const perf = join(docs, "perf");
const log = (s: string) => console.log(`[bench] ${s}`);

function wasmSizes(): WasmSize[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, "build", "manifest.json"), "utf8")) as {
    contracts: { name: string; profile: string; bytes: number }[];
  };
  // the file's own size: build/manifest.json can lag a file another build just rewrote
  // the project's contracts only: build/ also holds the toolchain's test fixtures (one of them stock on purpose)
  return manifest.contracts
    .filter((c) => existsSync(join(ROOT, "contracts", c.name, "contract.ts")))
    .filter((c) => existsSync(join(ROOT, "build", `${c.name}.wasm`)))
    .map((c) => {
      const wasm = readFileSync(join(ROOT, "build", `${c.name}.wasm`));
      return {
        name: c.name,
        profile: c.profile,
        bytes: wasm.length,
        largest_function_body: Math.max(...functionBodySizes(wasm)),
      };
    });
}

const seconds: Record<string, number> = {};
async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const out = await f();
  seconds[label] = (Date.now() - t0) / 1000;
  return out;
}

const t0 = Date.now();
const gas = await timed("gas and storage (one local node)", () => measureGas(log));
log("a minimal near-sdk-js call, as near-sdk-js's benchmark reports it (2023 figures in brackets):");
for (const line of minimalCallReport(gas.minimal_call)) log(`  ${line}`);
log("local node speed");
const node = await timed("local node speed (another local node)", () => nodeSpeed());
seconds.total = (Date.now() - t0) / 1000;
const results: Results = { generated_at: new Date().toISOString(), wasm: wasmSizes(), node, seconds, ...gas };

mkdirSync(perf, { recursive: true });
const T = 1e12;
const daoPlot = lineChart({
  title: "DAO: gas against members (= proposals)",
  xLabel: "members and proposals in the DAO (log scale)",
  yLabel: "Tgas per transaction",
  series: [
    { name: "propose", color: "#1f77b4", points: gas.dao_scale.map((p) => [p.n, p.propose / T]) },
    { name: "vote", color: "#d62728", points: gas.dao_scale.map((p) => [p.n, p.vote / T]) },
  ],
  lines: [
    { label: "goal: vote <= 11", y: 11, color: "#d62728" },
    { label: "goal: propose <= 15", y: 15, color: "#1f77b4" },
    { label: "minimal JS call 9.72", y: 9.72, color: "#888888" },
  ],
});
const rewardPlot = lineChart({
  title: "Reward pool: gas against creators",
  xLabel: "creators of the model version (log scale)",
  yLabel: "Tgas per transaction",
  series: [
    { name: "claim", color: "#2ca02c", points: gas.reward_scale.map((p) => [p.n, p.claim / T]) },
    { name: "close epoch", color: "#9467bd", points: gas.reward_scale.map((p) => [p.n, p.close / T]) },
    { name: "usage report", color: "#ff7f0e", points: gas.reward_scale.map((p) => [p.n, p.report / T]) },
  ],
  lines: [
    { label: "goal: claim <= 15", y: 15, color: "#2ca02c" },
    { label: "minimal JS call 9.72", y: 9.72, color: "#888888" },
  ],
});
const actions = gas.rows.filter((r) => !r.id.startsWith("factory.") && !r.id.startsWith("create."));
const actionPlot = barChart({
  title: "Gas of one user action, whole transaction (Tgas)",
  bars: actions.map((r) => {
    const label = r.label.length > 46 ? `${r.label.slice(0, 44)}…` : r.label;
    return {
      label: r.failed ? `${label} FAILED` : label,
      value: r.gas / T,
      color: r.failed ? "#bbbbbb" : r.gas > 30 * T ? "#d62728" : r.gas > 15 * T ? "#ff7f0e" : "#1f77b4",
    };
  }),
  lines: [
    { label: "minimal JS call 9.72", y: 9.72, color: "#888888" },
    { label: "15 Tgas", y: 15, color: "#ff7f0e" },
    { label: "30 Tgas", y: 30, color: "#d62728" },
  ],
});
writeFileSync(join(perf, "dao-scaling.png"), toPng(daoPlot));
writeFileSync(join(perf, "rewards-scaling.png"), toPng(rewardPlot));
writeFileSync(join(perf, "actions.png"), toPng(actionPlot));
writeFileSync(join(perf, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
const baseline = {
  note: "gas figures of docs/performance.md; written by npm run bench, compared by npm run bench:check",
  tolerance: TOLERANCE,
  gas: gasFigures(gas),
};
writeFileSync(join(perf, "baseline.json"), `${JSON.stringify(baseline, null, 2)}\n`);
// the same contracts measured at protocol 77 on the retired TypeScript VM, kept for comparison
const protocol77File = join(perf, "protocol-77.json");
const protocol77 = existsSync(protocol77File) ? JSON.parse(readFileSync(protocol77File, "utf8")) : undefined;
// the web app's section, measured by npm run bench:web (web/server/bench-report.ts), is kept
writeFileSync(join(docs, "performance.md"), withWebSection(renderMarkdown(results, protocol77), webSectionFromFile()));
log(
  `wrote ${join(docs, "performance.md")} and ${perf}/{baseline.json,results.json,*.png} in ${seconds.total.toFixed(0)} s`,
);
