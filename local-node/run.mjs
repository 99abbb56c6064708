// Starts a local node by hand (`npm run node`): fixed port, persistent home, prints the RPC URL and the
// path of test.near's key. Options: --port N (default 3030), --host ADDR (default 127.0.0.1: the node answers
// `sandbox_patch_state`, which rewrites any account, so it is not offered to other machines unless asked),
// --home DIR (default ~/.near/ai-commons-local), --reset (delete the home first).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { buildLocalNode } from "./build.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const port = Number(opt("--port", process.env.LOCAL_NODE_PORT ?? "3030"));
const host = opt("--host", "127.0.0.1");
const home = resolve(opt("--home", join(homedir(), ".near", "ai-commons-local")));
if (args.includes("--reset") && existsSync(home)) rmSync(home, { recursive: true, force: true });

const dist = await buildLocalNode();
const bin = join(dist, "near-sandbox");
if (!existsSync(join(home, "validator_key.json"))) {
  const r = spawnSync(bin, ["--home", home, "init"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const child = spawn(bin, ["--home", home, "run", "--rpc-addr", `${host}:${port}`], { stdio: "inherit" });
console.log(`RPC:           http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port} (listening on ${host})`);
console.log(`home:          ${home} (state survives restarts; --reset to start over)`);
console.log(`test.near key: ${join(home, "validator_key.json")}`);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
