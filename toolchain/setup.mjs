#!/usr/bin/env node
// Provides what near-sdk-js's postinstall would have downloaded from GitHub, built here from npm and Debian
// packages only: a native qjsc, the QuickJS sources builder.c compiles, a wasm32 C compiler with a WASI libc, and
// a WASI stub step. Idempotent: a stamp of every input skips work already done. Run by `npm install`
// (postinstall) and by `npm run build` / `npm test`.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  APT_PACKAGES,
  CLANG,
  NEAR_SDK_JS,
  OUT,
  QJSC,
  QUICKJS_OUT,
  QUICKJS_SOURCES,
  ROOT,
  STAMP,
  SYSROOT,
  TOOL_BIN,
  WASM_LD,
} from "./config.mjs";
import { ensureAptPackages } from "./lib/apt.mjs";
import { runSync, ToolError } from "./lib/exec.mjs";
import { NEAR_HOST_FUNCTIONS } from "./lib/host-functions.mjs";
import {
  buildQjsc,
  buildRuntime,
  clangEnv,
  collectReservedSymbols,
  prepareSources,
  prepareSysroot,
} from "./lib/quickjs.mjs";

const log = (msg) => console.log(`[toolchain] ${msg}`);

/** Hash of everything the toolchain output depends on. */
function inputsFingerprint() {
  const h = crypto.createHash("sha256");
  const own = ["config.mjs", "lib/quickjs.mjs", "lib/host-functions.mjs", "quickjs"];
  const walk = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const f of fs.readdirSync(p).sort()) walk(path.join(p, f));
    else h.update(p.slice(ROOT.length)).update(fs.readFileSync(p));
  };
  for (const f of own) walk(path.join(ROOT, "toolchain", f));
  h.update(JSON.stringify(QUICKJS_SOURCES)).update(JSON.stringify(APT_PACKAGES));
  h.update(runSync(CLANG, ["--version"]).stdout);
  return h.digest("hex");
}

function writeExecutable(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode: 0o755 });
}

function symlinkFresh(target, link) {
  fs.rmSync(link, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(target, link);
}

/** Lays out node_modules/near-sdk-js/lib/cli/deps as its postinstall would, so the stock CLI works offline. */
function installNearSdkJsDeps() {
  if (!fs.existsSync(NEAR_SDK_JS)) throw new ToolError("near-sdk-js is not installed: run `npm install` first");
  const deps = path.join(NEAR_SDK_JS, "lib", "cli", "deps");
  fs.mkdirSync(deps, { recursive: true });
  fs.rmSync(path.join(deps, "qjsc"), { force: true });
  fs.copyFileSync(QJSC, path.join(deps, "qjsc"));
  fs.chmodSync(path.join(deps, "qjsc"), 0o755);
  symlinkFresh(QUICKJS_OUT, path.join(deps, "quickjs"));
  const env = Object.entries(clangEnv())
    .map(([k, v]) => `${k}='${v}'`)
    .join(" ");
  // The stock CLI runs `deps/wasi-sdk/bin/clang --sysroot=deps/wasi-sdk/share/wasi-sysroot ...`.
  writeExecutable(path.join(deps, "wasi-sdk", "bin", "clang"), `#!/bin/sh\nexec env -i ${env} ${CLANG} "$@"\n`);
  symlinkFresh(SYSROOT, path.join(deps, "wasi-sdk", "share", "wasi-sysroot"));
  const stub = path.join(ROOT, "toolchain", "wasi-stub.mjs");
  writeExecutable(
    path.join(deps, "binaryen", "wasi-stub", "run.sh"),
    `#!/bin/sh\nexec '${process.execPath}' '${stub}' "$@"\n`,
  );
}

const LOCK = `${OUT}.lock`;

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Several builds or tests may start set-up at once: one builds, the others wait for it. */
async function withLock(fn) {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, "pid"), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      // the owner may be between mkdir and writing its pid, or may have just released the lock: both are fine
      let owner = 0;
      let since = Date.now();
      try {
        since = fs.statSync(LOCK).mtimeMs;
        owner = Number(fs.readFileSync(path.join(LOCK, "pid"), "utf8")) || 0;
      } catch (err) {
        if (err.code !== "ENOENT") throw err;
      }
      const stale = owner ? !pidAlive(owner) : Date.now() - since > 10_000;
      if (stale) fs.rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 300));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

export function setup(opts = {}) {
  return withLock(() => setupLocked(opts));
}

async function setupLocked({ force = false } = {}) {
  ensureAptPackages(log);
  const fingerprint = inputsFingerprint();
  const stamp = fs.existsSync(STAMP) ? JSON.parse(fs.readFileSync(STAMP, "utf8")) : null;
  if (!force && stamp?.fingerprint === fingerprint && fs.existsSync(QJSC)) {
    installNearSdkJsDeps();
    return stamp;
  }
  const t0 = Date.now();
  fs.mkdirSync(TOOL_BIN, { recursive: true });
  // clang finds its linker on PATH; TOOL_BIN is the only PATH entry it gets
  symlinkFresh(WASM_LD, path.join(TOOL_BIN, "wasm-ld"));
  log("QuickJS 2021-03-27 sources: checking sha256 and applying adjustments");
  prepareSources();
  prepareSysroot();
  log("building native qjsc");
  await buildQjsc();
  log("compiling the QuickJS runtime to wasm32 LTO bitcode");
  await buildRuntime(Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
  const reserved = await collectReservedSymbols(NEAR_HOST_FUNCTIONS);
  fs.writeFileSync(path.join(OUT, "reserved-symbols.json"), `${JSON.stringify(reserved)}\n`);
  const result = { fingerprint, builtAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 };
  fs.writeFileSync(STAMP, `${JSON.stringify(result, null, 2)}\n`);
  installNearSdkJsDeps();
  log(`ready in ${result.seconds.toFixed(1)} s`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await setup({ force: process.argv.includes("--force") });
    if (!process.argv.includes("--toolchain-only")) await (await import("../local-node/build.mjs")).buildLocalNode();
  } catch (e) {
    console.error(`[toolchain] error: ${e instanceof ToolError ? e.message : e.stack}`);
    process.exit(1);
  }
}
