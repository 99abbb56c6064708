#!/usr/bin/env node
// `npm test [-- ava arguments]`: type-check, lint, make the clone ready (toolchain, local node, contracts: each
// skipped when unchanged), then run every test with ava. Under CI (CI=true) ava reports in TAP, whose "# pass N" and
// "# fail N" lines .ci/run turns into its summary even when some tests fail.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureReadyOrExit } from "../toolchain/ready.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (pkg, file) => join(root, "node_modules", pkg, file);

function run(title, cmd, args) {
  const t0 = Date.now();
  console.log(`\n[test] ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`[test] ${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  console.log(`[test] ${title}: ok in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const node = process.execPath;
run("type-check (contracts and tools)", node, [bin("typescript", "bin/tsc"), "--noEmit", "-p", "tsconfig.json"]);
run("type-check (node-side code)", node, [bin("typescript", "bin/tsc"), "--noEmit", "-p", "tsconfig.node.json"]);
const unitTsconfig = join("sandbox-tests", "unit", "tsconfig.json");
run("type-check (unit tests)", node, [bin("typescript", "bin/tsc"), "--noEmit", "-p", unitTsconfig]);
run("lint (biome)", join(root, "node_modules", ".bin", "biome"), ["check", "."]);
console.log("\n[test] toolchain, local node and contracts");
await ensureReadyOrExit({ contracts: true });
const ci = process.env.CI === "true" || process.env.CI === "1";
const extra = process.argv.slice(2);
const ava = spawnSync(
  node,
  [bin("ava", "entrypoints/cli.mjs"), ...(ci && !extra.includes("--tap") ? ["--tap"] : []), ...extra],
  {
    cwd: root,
    stdio: "inherit",
  },
);
process.exit(ava.status ?? 1);
