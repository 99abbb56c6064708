#!/usr/bin/env node
// The `ai-commons` launcher: runs the TypeScript CLI from a bundle in scripts/cli/dist/, rebuilt whenever a source
// (scripts/cli/**/*.ts, attester/src/*.ts, contracts/wire/*.ts) is newer.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importBundled } from "../lib/ts-bundle.mjs";

const here = dirname(fileURLToPath(import.meta.url));
// `ai-commons --help | head`: a reader that stops early ends the output quietly, not with an EPIPE stack trace
process.stdout.on("error", (e) => {
  if (e.code !== "EPIPE") throw e;
  process.exit(process.exitCode ?? 0);
});
const { main } = await importBundled({
  entry: join(here, "main.ts"),
  bundle: join(here, "dist", "cli.mjs"),
  sourceDirs: [here, join(here, "..", "..", "attester", "src"), join(here, "..", "..", "contracts", "wire")],
});
process.exitCode = await main(process.argv.slice(2));
