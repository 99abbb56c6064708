#!/usr/bin/env node
// `npm run bench:build [-- name ...] [--clean]`: seconds to set up the toolchain and to build each contract from clean, and wasm bytes.
// A benchmark that prints numbers, not a test.
import fs from "node:fs";
import path from "node:path";
import { buildAll } from "./build.mjs";
import { BUILD_DIR } from "./config.mjs";
import { setup } from "./setup.mjs";

const clean = process.argv.includes("--clean");
const t0 = Date.now();
await setup({ force: clean });
const setupSeconds = (Date.now() - t0) / 1000;
const outDir = path.join(BUILD_DIR, ".bench");
fs.rmSync(outDir, { recursive: true, force: true });
const names = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const { results, seconds } = await buildAll({ outDir, names });
const fmt = (n) => (n ?? 0).toFixed(1);
const rows = results.map(
  (r) =>
    `| ${r.name} | ${r.profile} | ${fmt(r.seconds)} | ${fmt(r.phases.bundle)} | ${fmt(r.phases.qjsc)} | ` +
    `${fmt(r.phases.clang)} | ${fmt(r.phases.binaryen)} | ${fmt(r.phases.abi)} | ${r.bytes.toLocaleString("en-US")} |`,
);
console.log(`
toolchain set-up: ${setupSeconds.toFixed(1)} s${clean ? " (from clean)" : " (cached; --clean rebuilds it)"}

| contract | profile | build s | bundle | qjsc | clang | binaryen | ABI | wasm bytes |
|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}
| **all, ${results.length} in parallel** | | **${seconds.toFixed(1)}** | | | | | | **${results.reduce((a, r) => a + r.bytes, 0).toLocaleString("en-US")}** |
`);
