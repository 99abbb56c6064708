// Runs TypeScript entry points (the CLI, the demo) from an esbuild bundle rebuilt whenever a source is newer;
// dependencies stay in node_modules. The bundle is written to a temporary file and renamed, so concurrent first runs
// never see half a file.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

function newestSource(dirs) {
  let newest = 0;
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith(".ts")) newest = Math.max(newest, statSync(join(dir, f)).mtimeMs);
  }
  return newest;
}

/** Bundles `entry` to `bundle` if it is missing or older than any .ts file in `sourceDirs`; returns its module. */
export async function importBundled({ entry, bundle, sourceDirs }) {
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource(sourceDirs)) {
    const { build } = await import("esbuild");
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      write: false,
      outfile: bundle,
      logLevel: "error",
    });
    mkdirSync(dirname(bundle), { recursive: true });
    const tmp = `${bundle}.${process.pid}.tmp`;
    writeFileSync(tmp, result.outputFiles[0].contents);
    renameSync(tmp, bundle);
  }
  return import(pathToFileURL(bundle).href);
}
