// Builds nearcore's contract runtime into dist/near-vm.node (native/build.mjs), bundles the local node into dist/node.cjs and writes dist/near-sandbox, the executable near-workspaces
// starts (NEAR_SANDBOX_BINARY_PATH=<this dist>). The script execs an absolute node path because
// near-workspaces may start it with an empty environment (no PATH). Fast and idempotent.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { buildNative } from "./native/build.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
export async function buildLocalNode({ log } = {}) {
  mkdirSync(dist, { recursive: true });
  // nearcore's contract runtime, the node's engine (seconds when unchanged, minutes the first time)
  await buildNative(log ? { log } : {});
  await build({
    entryPoints: [join(here, "src", "main.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // build next to the target and rename: parallel test processes may build and run at the same time
    outfile: join(dist, `node.cjs.${process.pid}.tmp`),
    sourcemap: "inline",
    // the sources find the native module next to themselves (src/vm/native.ts); in the bundle that is dist/
    banner: { js: 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    define: { "import.meta.url": "__import_meta_url" },
    logLevel: "warning",
  });
  renameSync(join(dist, `node.cjs.${process.pid}.tmp`), join(dist, "node.cjs"));
  const script = `#!/bin/sh\nexec "${process.execPath}" "${join(dist, "node.cjs")}" "$@"\n`;
  const bin = join(dist, "near-sandbox");
  if (!existsSync(bin) || readFileSync(bin, "utf8") !== script) {
    writeFileSync(`${bin}.${process.pid}.tmp`, script);
    chmodSync(`${bin}.${process.pid}.tmp`, 0o755);
    renameSync(`${bin}.${process.pid}.tmp`, bin);
  }
  return dist;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = Date.now();
  await buildLocalNode();
  console.log(`local node built in ${Date.now() - t0} ms: ${join(dist, "near-sandbox")}`);
}
