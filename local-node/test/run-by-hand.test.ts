// `npm run node` (local-node/run.mjs): listens on loopback only unless --host says otherwise, because the node
// answers sandbox_patch_state, which rewrites any account's state. Read from the kernel's socket table.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { buildOnce, freePort } from "./harness.ts";

const RUN = join(import.meta.dirname, "..", "run.mjs");

/** Local addresses (hex, as /proc/net/tcp writes them) listening on `port`. */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  return readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 3 && f[3] === "0A" && f[1].endsWith(`:${hexPort}`))
    .map((f) => f[1].split(":")[0]);
}

async function startByHand(args: string[]): Promise<{ child: ChildProcess; port: number; home: string; out: string }> {
  buildOnce();
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), "run-by-hand-"));
  const child = spawn(process.execPath, [RUN, "--port", String(port), "--home", home, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "status", params: [] }),
      });
      if (r.ok) return { child, port, home, out };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGTERM");
  throw new Error(`the node did not answer on ${port}: ${out}`);
}

async function stop(n: { child: ChildProcess; home: string }): Promise<void> {
  const exited = new Promise((r) => n.child.once("exit", r));
  n.child.kill("SIGTERM");
  await exited;
  rmSync(n.home, { recursive: true, force: true });
}

test.serial("npm run node listens on 127.0.0.1 only by default", async (t) => {
  const n = await startByHand([]);
  try {
    t.deepEqual(listeners(n.port), ["0100007F"], "127.0.0.1 and nothing else");
  } finally {
    await stop(n);
  }
});

test.serial("npm run node --host 0.0.0.0 listens on every interface when asked", async (t) => {
  const n = await startByHand(["--host", "0.0.0.0"]);
  try {
    t.deepEqual(listeners(n.port), ["00000000"]);
  } finally {
    await stop(n);
  }
});
