#!/usr/bin/env node
// `npm run demo` (package.json: "demo": "node scripts/demo/run.mjs"). Runs scripts/demo/demo.ts, bundled with the
// CLI's sources into scripts/demo/dist/demo.mjs when a source is newer. Options: --keep (keep the temporary home with
// the node's chain and the keys).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureReadyOrExit } from "../../toolchain/ready.mjs";
import { importBundled } from "../lib/ts-bundle.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

// the demo deploys build/: on a fresh clone this sets up the toolchain and builds the contracts first
await ensureReadyOrExit({ contracts: true });

const { runDemo } = await importBundled({
  entry: join(here, "demo.ts"),
  bundle: join(here, "dist", "demo.mjs"),
  sourceDirs: [
    here,
    join(root, "scripts", "cli"),
    join(root, "scripts", "scenario"),
    join(root, "attester", "src"),
    join(root, "contracts", "wire"),
  ],
});
try {
  process.exitCode = await runDemo(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
