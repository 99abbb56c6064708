// Runs TypeScript entry points (the CLI, the demo) from an esbuild bundle rebuilt whenever a source is newer;
// dependencies stay in node_modules. The bundle is written to a temporary file and renamed, so concurrent first runs
// never see half a file.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// The newest .ts file in the folders and their subfolders (scripts/cli/commands/), bundles (dist/) aside.
function newestSource(dirs) {
  let newest = 0;
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory() && e.name !== "dist" && e.name !== "node_modules")
        newest = Math.max(newest, newestSource([path]));
      else if (e.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** Bundles `entry` to `bundle` if it is missing or older than any .ts file under `sourceDirs`; returns its module. */
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
