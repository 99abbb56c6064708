// The embedded default network: the project's local node (local-node/dist/near-sandbox) running in the background
// with a persistent home in ~/.ai-commons/localnet on a fixed port. Started on demand by any `--network local`
// command; `node stop` ends it, `node reset` deletes its home. The pid and log sit next to the home, not in it (the
// home is the node's own). `npm run node` (local-node/run.mjs) runs the same node in the foreground: same port, home
// and pid file.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Chain } from "./context.ts";
import { aiCommonsDir, localPort, projectRoot } from "./context.ts";
import { CliError } from "./errors.ts";

export const localHome = () => join(aiCommonsDir(), "localnet");
export const validatorKeyFile = () => join(localHome(), "validator_key.json");
const pidFile = () => join(aiCommonsDir(), "localnet.pid");
export const logFile = () => join(aiCommonsDir(), "localnet.log");

export interface NodeStatus {
  running: boolean;
  pid: number | null;
  url: string;
  home: string;
  root_key: string;
  chain_id?: string;
  height?: number;
}

async function rpcStatus(
  url: string,
): Promise<{ chain_id: string; sync_info: { latest_block_height: number } } | null> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: "status", method: "status", params: [] }),
      signal: AbortSignal.timeout(2000),
    });
    const body = (await res.json()) as { result?: { chain_id: string; sync_info: { latest_block_height: number } } };
    return body.result ?? null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(): number | null {
  if (!existsSync(pidFile())) return null;
  const pid = Number(readFileSync(pidFile(), "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

export async function nodeStatus(): Promise<NodeStatus> {
  const url = `http://127.0.0.1:${localPort()}`;
  const s = await rpcStatus(url);
  return {
    running: s !== null,
    pid: readPid(),
    url,
    home: localHome(),
    root_key: validatorKeyFile(),
    ...(s ? { chain_id: s.chain_id, height: s.sync_info.latest_block_height } : {}),
  };
}

function sandboxBinary(): string {
  const root = projectRoot();
  const bin = join(root, "local-node", "dist", "near-sandbox");
  if (!existsSync(bin)) {
    const r = spawnSync(process.execPath, [join(root, "local-node", "build.mjs")], { encoding: "utf8" });
    if (r.status !== 0) throw new CliError("NODE_BUILD", `building the local node failed:\n${r.stdout}${r.stderr}`);
  }
  return bin;
}

/** Starts the node in the background unless it already answers; returns its status. */
export async function startNode(onStarting?: (msg: string) => void): Promise<NodeStatus> {
  const before = await nodeStatus();
  if (before.running) {
    // Something answers on our port: make sure it is our node, not another chain whose root key we do not hold.
    if (homeChainId() !== before.chain_id) {
      throw new CliError(
        "PORT_IN_USE",
        `${before.url} answers with chain ${before.chain_id}, not the node of ${localHome()}: ` +
          "stop it or set AI_COMMONS_LOCAL_PORT",
      );
    }
    return before;
  }
  const bin = sandboxBinary();
  mkdirSync(aiCommonsDir(), { recursive: true });
  if (!existsSync(validatorKeyFile())) {
    const r = spawnSync(bin, ["--home", localHome(), "init"], { encoding: "utf8" });
    if (r.status !== 0) throw new CliError("NODE_INIT", `initialising ${localHome()} failed:\n${r.stderr}`);
  }
  onStarting?.(`starting the local node on ${before.url} (home ${localHome()}, log ${logFile()})`);
  const log = openSync(logFile(), "a");
  // Detached in its own process group so it outlives the command and a Ctrl-C of the CLI.
  const child = spawn(bin, ["--home", localHome(), "run", "--rpc-addr", `127.0.0.1:${localPort()}`], {
    detached: true,
    stdio: ["ignore", log, log],
    // nearcore's compiled contracts, shared by every node this clone starts (tests, demo, CLI): each contract
    // compiles once per build, not once per node home
    env: { ...process.env, LOCAL_NODE_VM_CACHE: process.env.LOCAL_NODE_VM_CACHE ?? sharedVmCache() },
  });
  child.unref();
  writeFileSync(pidFile(), `${child.pid}\n`);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const s = await nodeStatus();
    if (s.running) return s;
    if (child.pid === undefined || !alive(child.pid)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = existsSync(logFile()) ? readFileSync(logFile(), "utf8").split("\n").slice(-15).join("\n") : "";
  throw new CliError("NODE_START", `the local node did not come up on ${before.url}; last log lines:\n${tail}`);
}

function sharedVmCache(): string {
  return join(projectRoot(), "node_modules", ".cache", "ai-commons-vm");
}

export async function stopNode(): Promise<{ stopped: boolean; pid: number | null }> {
  const pid = readPid();
  if (pid === null) {
    rmSync(pidFile(), { force: true });
    return { stopped: false, pid: null };
  }
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 15_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, "SIGKILL");
  rmSync(pidFile(), { force: true });
  return { stopped: true, pid };
}

/** The chain id in the home's genesis, or null before the first start. */
function homeChainId(): string | null {
  const genesis = join(localHome(), "genesis.json");
  return existsSync(genesis)
    ? ((JSON.parse(readFileSync(genesis, "utf8")) as { chain_id?: string }).chain_id ?? null)
    : null;
}

/**
 * Deletes the local node's home (its chain, keys and compiled contracts) and its log, so the next local command
 * starts a new chain. Refused while a node runs on that home: started by the CLI (pid file) or by `npm run node`
 * (answers on the port with the home's chain).
 */
export async function resetNode(): Promise<{ reset: boolean; home: string }> {
  const st = await nodeStatus();
  if (st.pid !== null || (st.running && st.chain_id === homeChainId())) {
    throw new CliError(
      "NODE_RUNNING",
      `the local node runs on ${st.home} (${st.pid !== null ? `pid ${st.pid}, ` : ""}${st.url}): ` +
        "stop it first with `ai-commons node stop` (or Ctrl-C in `npm run node`), then reset",
    );
  }
  const existed = existsSync(localHome());
  rmSync(localHome(), { recursive: true, force: true });
  rmSync(logFile(), { force: true });
  rmSync(pidFile(), { force: true });
  return { reset: existed, home: localHome() };
}

/** The sandbox's `sandbox_fast_forward` (the project's local node and near-sandbox both have it). */
export async function fastForward(chain: Chain, blocks: number): Promise<void> {
  const res = await fetch(chain.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: "ff",
      method: "sandbox_fast_forward",
      params: { delta_height: blocks },
    }),
  });
  const body = (await res.json()) as { error?: unknown };
  if (body.error) throw new CliError("NODE", `sandbox_fast_forward failed: ${JSON.stringify(body.error)}`);
}
