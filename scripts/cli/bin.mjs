#!/usr/bin/env node
// The `ai-commons` launcher. Runs the TypeScript CLI from a bundle that esbuild builds into scripts/cli/dist/ on first
// use and again whenever a source (scripts/cli/*.ts, deploy/*.ts, attester/src/*.ts) is newer; dependencies stay in node_modules.
// The bundle is written to a temporary file and renamed, so concurrent first runs never see half a file.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const bundle = join(dist, "cli.mjs");

function newestSource() {
  let newest = 0;
  for (const dir of [here, join(here, "..", "..", "deploy"), join(here, "..", "..", "attester", "src")]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith(".ts")) newest = Math.max(newest, statSync(join(dir, f)).mtimeMs);
  }
  return newest;
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource()) {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(here, "main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    write: false,
    outfile: bundle,
    logLevel: "error",
  });
  mkdirSync(dist, { recursive: true });
  const tmp = `${bundle}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, bundle);
}

const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
