// Starts the local node by hand (`npm run node`), in the foreground: the same node the CLI (`npx ai-commons`) starts
// in the background, on the same port and home, so either one finds the other's chain. Prints the RPC URL and the
// path of test.near's key. Options:
//   --port N     default $AI_COMMONS_LOCAL_PORT or 3033 (the CLI's, scripts/cli/context.ts DEFAULT_LOCAL_PORT)
//   --host ADDR  default 127.0.0.1: the node answers `sandbox_patch_state`, which rewrites any account, so it is not
//                offered to other machines unless asked (e.g. --host 0.0.0.0)
//   --home DIR   default ~/.ai-commons/localnet (the CLI's, scripts/cli/localnode.ts localHome)
//   --reset      delete the home first (`npx ai-commons node reset` does the same without starting a node)
// It refuses to start a second node on a home or port where one already runs, and writes the CLI's pid file
// (~/.ai-commons/localnet.pid) for the default home, so `npx ai-commons node status|stop` see it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildLocalNode } from "./build.mjs";

// Keep these three in step with the CLI (scripts/cli/context.ts and localnode.ts); sandbox-tests/cli/local-node.test.ts
// checks that both name the same URL and home.
const DEFAULT_PORT = 3033;
const aiCommonsDir = join(homedir(), ".ai-commons");
const cliHome = join(aiCommonsDir, "localnet");
const cliPidFile = join(aiCommonsDir, "localnet.pid");

const USAGE = `usage: npm run node [-- --port N] [--host ADDR] [--home DIR] [--reset]
  --port N     RPC port (default ${DEFAULT_PORT}, or $AI_COMMONS_LOCAL_PORT; the CLI's local network)
  --host ADDR  address to listen on (default 127.0.0.1; 0.0.0.0 offers sandbox_patch_state to every interface)
  --home DIR   the node's home (default ${cliHome}, the CLI's)
  --reset      delete the home first (refused while a node runs on it)`;

function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = { port: undefined, host: "127.0.0.1", home: undefined, reset: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) fail(`${a} needs a value\n${USAGE}`, 2);
      return v;
    };
    if (a === "--port") opts.port = value();
    else if (a === "--host") opts.host = value();
    else if (a === "--home") opts.home = value();
    else if (a === "--reset") opts.reset = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${a}\n${USAGE}`, 2);
  }
  const portText = opts.port ?? process.env.AI_COMMONS_LOCAL_PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
    fail(`--port must be a port number 1-65535 (got ${portText})`, 2);
  return { port, host: opts.host, home: resolve(opts.home ?? cliHome), reset: opts.reset };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The chain id a node answers with on `url`, or null when nothing answers. */
async function chainAt(url) {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: "status", method: "status", params: [] }),
      signal: AbortSignal.timeout(2000),
    });
    return (await res.json()).result?.chain_id ?? "an unknown chain";
  } catch {
    return null;
  }
}

const { port, host, home, reset } = parseArgs(process.argv.slice(2));
const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
const ownsPidFile = home === cliHome;

// One node per home and per port: a second process on the same home would write the same journal.
const pid = ownsPidFile && existsSync(cliPidFile) ? Number(readFileSync(cliPidFile, "utf8").trim()) : 0;
if (pid > 0 && alive(pid)) {
  fail(
    `a local node already runs on ${home} (pid ${pid}): use it as it is (the CLI does), or stop it first with ` +
      "`npx ai-commons node stop`",
  );
}
const answering = await chainAt(url);
if (answering !== null) {
  const genesis = join(home, "genesis.json");
  const ours = existsSync(genesis) ? JSON.parse(readFileSync(genesis, "utf8")).chain_id : null;
  fail(
    ours === answering
      ? `a local node already runs on ${home} and answers on ${url} (chain ${answering}); use it, or stop it first`
      : `${url} is in use (chain ${answering}, not the node of ${home}): stop it or give another --port`,
  );
}
if (reset && existsSync(home)) {
  rmSync(home, { recursive: true, force: true });
  console.log(`reset:         deleted ${home}`);
}

const dist = await buildLocalNode();
const bin = join(dist, "near-sandbox");
if (!existsSync(join(home, "validator_key.json"))) {
  const r = spawnSync(bin, ["--home", home, "init"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const child = spawn(bin, ["--home", home, "run", "--rpc-addr", `${host}:${port}`], {
  stdio: "inherit",
  // nearcore's compiled contracts, shared with the CLI's, the demo's and the tests' nodes (scripts/cli/localnode.ts)
  env: {
    ...process.env,
    LOCAL_NODE_VM_CACHE: process.env.LOCAL_NODE_VM_CACHE ?? join(root, "node_modules", ".cache", "ai-commons-vm"),
  },
});
if (ownsPidFile) {
  mkdirSync(aiCommonsDir, { recursive: true });
  writeFileSync(cliPidFile, `${child.pid}\n`);
}
console.log(`RPC:           ${url} (listening on ${host}; the CLI's local network when the port is its own)`);
console.log(`home:          ${home} (state survives restarts; --reset or \`npx ai-commons node reset\` to start over)`);
console.log(`test.near key: ${join(home, "validator_key.json")}`);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => {
  if (ownsPidFile && existsSync(cliPidFile) && readFileSync(cliPidFile, "utf8").trim() === String(child.pid)) {
    rmSync(cliPidFile, { force: true });
  }
  process.exit(code ?? (signal ? 0 : 1));
});
