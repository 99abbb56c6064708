// Imported first by every sandbox test: points near-workspaces at the project's local NEAR node
// (local-node/dist/near-sandbox, rebuilt here when its sources changed) unless AI_COMMONS_SANDBOX=real, in
// which case near-workspaces finds a real near-sandbox binary by its own rules (~/.near/sandbox or
// NEAR_SANDBOX_BINARY_PATH).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const localNode = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "local-node");
export const LOCAL_NODE_DIST = join(localNode, "dist");
export const USING_LOCAL_NODE = process.env.AI_COMMONS_SANDBOX !== "real";

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the local node when dist is missing or older than its sources (about 0.3 s). */
export function ensureLocalNodeBuilt(): void {
  const bundle = join(LOCAL_NODE_DIST, "node.cjs");
  const bin = join(LOCAL_NODE_DIST, "near-sandbox");
  const fresh =
    existsSync(bin) &&
    existsSync(bundle) &&
    existsSync(join(LOCAL_NODE_DIST, "near-vm.node")) &&
    statSync(bundle).mtimeMs >= newestSource(join(localNode, "src"));
  if (fresh) return;
  const r = spawnSync(process.execPath, [join(localNode, "build.mjs")], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building the local node failed:\n${r.stdout}${r.stderr}`);
}

if (USING_LOCAL_NODE) {
  ensureLocalNodeBuilt();
  // near-sandbox's getBinary: NEAR_SANDBOX_BIN_PATH set => $NEAR_SANDBOX_BINARY_PATH/near-sandbox is used
  process.env.NEAR_SANDBOX_BIN_PATH = join(LOCAL_NODE_DIST, "near-sandbox");
  process.env.NEAR_SANDBOX_BINARY_PATH = LOCAL_NODE_DIST;
  // one compiled-contract cache (nearcore's, on disk) for every test node and the in-process VM: each contract is
  // compiled once per change instead of once per node
  process.env.LOCAL_NODE_VM_CACHE ??= join(localNode, "..", "node_modules", ".cache", "ai-commons-vm");
}

// Quiet by default: near-api-js prints every failed receipt ("Failure [...]") and every nonce retry ("Retrying
// transaction ...") through its Logger, and near-workspaces every call's contract logs, hundreds of lines in a passing
// run where failures are the point of the test.
// Tests assert on failures themselves; NEAR_PRINT_LOGS=1 brings the library's output back. near-workspaces loads the
// CommonJS build and our code the ESM one: each has its own Logger, so both are silenced.
if (!process.env.NEAR_PRINT_LOGS) {
  // near-workspaces' own "Contract logs from <account>.<method>(...)" after every call that logged (read per call)
  process.env.NEAR_WORKSPACES_NO_LOGS ??= "1";
  const silent = { log() {}, warn() {}, error() {}, debug() {}, verbose() {}, fatal() {} };
  // (the package's ESM typings do not resolve under NodeNext, hence the local type)
  type Utils = { Logger: { overrideLogger(logger: typeof silent): void } };
  (createRequire(import.meta.url)("@near-js/utils") as Utils).Logger.overrideLogger(silent);
  ((await import("@near-js/utils")) as unknown as Utils).Logger.overrideLogger(silent);
}
