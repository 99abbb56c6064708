// The attester service's outbox uses better-sqlite3, a native addon. `npm install` runs no install scripts here
// (.npmrc: ignore-scripts=true), so its addon is not built then: this step builds it once, from source with node-gyp
// (about a minute on 2 cores, several on a busy machine), against Node's headers found on this machine when present
// (no download), and is skipped while `require("better-sqlite3")` opens a database.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOT } from "./config.mjs";
import { ToolError } from "./lib/exec.mjs";

const PROBE = "const D = require('better-sqlite3'); new D(':memory:').close()";

export function sqliteReady() {
  return spawnSync(process.execPath, ["-e", PROBE], { cwd: ROOT, stdio: "ignore" }).status === 0;
}

/** Node's headers on this machine: <prefix>/include/node (a distribution's nodejs package, or Node's own tarball). */
export function localNodeDir() {
  for (const prefix of [join(dirname(process.execPath), ".."), "/usr", "/usr/local"]) {
    if (existsSync(join(prefix, "include", "node", "node_api.h"))) return prefix;
  }
  return null;
}

/** Builds the addon unless it loads; `say` gets progress lines. Returns "ready" or "built". */
/** @param {(line: string) => void} [say] */
export async function ensureSqlite(say = (_line) => {}) {
  if (sqliteReady()) return "ready";
  const nodedir = localNodeDir();
  say(
    `building better-sqlite3's native addon from source (node-gyp${nodedir ? `, Node headers from ${nodedir}` : ""}); this takes a few minutes once`,
  );
  const args = ["rebuild", "better-sqlite3", "--ignore-scripts=false", "--foreground-scripts"];
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  const t0 = Date.now();
  await new Promise((resolve, reject) => {
    const child = spawn(process.platform === "win32" ? "npm.cmd" : "npm", args, {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tail = "";
    let compiled = 0;
    const onData = (d) => {
      const text = String(d);
      tail = (tail + text).slice(-4000);
      for (const line of text.split("\n")) {
        // one progress line per compiled file (sqlite3.c is the long one)
        const m = /^\s+(?:CC|CXX)\(target\) (\S+)/.exec(line);
        if (m) say(`  compiling ${m[1].split("/").pop()} (${++compiled}), ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (e) => reject(new ToolError(`npm: ${e.message}`)));
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new ToolError(`npm ${args.join(" ")}\nexited with ${code}\n${tail}`)),
    );
  });
  if (!sqliteReady()) throw new ToolError("better-sqlite3 was rebuilt but still does not load");
  say(`better-sqlite3 built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return "built";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await ensureSqlite((m) => console.log(`[sqlite] ${m}`)));
}
