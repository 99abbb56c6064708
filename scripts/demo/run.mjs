#!/usr/bin/env node
// `npm run demo` (package.json: "demo": "node scripts/demo/run.mjs"). Bundles scripts/demo/demo.ts with the CLI's
// sources (esbuild, as scripts/cli/bin.mjs does) into scripts/demo/dist/demo.mjs when a source is newer, then runs
// it. Options: --keep (keep the temporary home with the node's chain and the keys).
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const dist = join(here, "dist");
const bundle = join(dist, "demo.mjs");

function newestSource() {
  let newest = 0;
  for (const dir of [here, join(root, "scripts", "cli"), join(root, "deploy"), join(root, "attester", "src")]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith(".ts")) newest = Math.max(newest, statSync(join(dir, f)).mtimeMs);
  }
  return newest;
}

if (!existsSync(join(root, "build", "manifest.json"))) {
  process.stderr.write("build/manifest.json is missing: run `npm run build` first (the demo deploys build/)\n");
  process.exit(1);
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource()) {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(here, "demo.ts")],
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

const { runDemo } = await import(pathToFileURL(bundle).href);
try {
  process.exitCode = await runDemo(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
