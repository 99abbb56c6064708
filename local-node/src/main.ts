// Process entry of the local node, called like near-sandbox: `--home DIR init` and
// `--home DIR run --rpc-addr HOST:PORT [--network-addr ...]`. Stops cleanly on SIGINT/SIGTERM.
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { Chain } from "./chain.ts";
import { initHome } from "./home.ts";
import { RpcHandler, startServer } from "./rpc.ts";
import { runFunctionCall, setDiskCacheDir } from "./vm/index.ts";

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const home = resolve(arg(args, "--home") ?? `${homedir()}/.near/local-node`);
  const command = args.find((a, i) => (a === "init" || a === "run") && args[i - 1] !== "--home");
  if (command === "init") {
    initHome(home);
    return;
  }
  if (command !== "run") {
    process.stderr.write("usage: near-sandbox --home DIR (init | run --rpc-addr HOST:PORT)\n");
    process.exit(2);
  }
  initHome(home);
  const [host, portText] = (arg(args, "--rpc-addr") ?? "0.0.0.0:3030").split(/:(?=\d+$)/);
  // nearcore's disk cache of compiled contracts: per home by default; LOCAL_NODE_VM_CACHE names another folder
  // (e.g. one shared by all test nodes)
  setDiskCacheDir(process.env.LOCAL_NODE_VM_CACHE ?? join(home, "vm-cache"));
  const chain = Chain.load(home, runFunctionCall);
  const handler = new RpcHandler(chain, `${host}:${portText}`);
  const server = await startServer(handler, host, Number(portText));
  process.stderr.write(`local node: rpc on http://${host}:${portText}, home ${home}\n`);
  const stop = () => {
    server.close();
    server.closeAllConnections();
    chain.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  process.stderr.write(`local node failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
