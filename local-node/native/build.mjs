// Builds nearcore's contract runtime as a Node native module (this crate: near-vm-runner 0.37.4 with Wasmtime) and
// installs it as local-node/dist/near-vm.node. Skipped when the crate's sources and its Cargo.lock are unchanged
// (content hash in dist/near-vm.stamp; the check needs no Rust, so a built clone runs without one). The first build compiles ~420 crates from crates.io (8-12 minutes
// on two cores) and prints its progress; later ones take seconds. Needs cargo (Rust >= 1.93) and a C compiler
// (aws-lc-sys and blst compile C).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSync, ToolError } from "../../toolchain/lib/exec.mjs";

const crate = dirname(fileURLToPath(import.meta.url));
const dist = join(crate, "..", "dist");
export const NATIVE_MODULE = join(dist, "near-vm.node");
const stampFile = join(dist, "near-vm.stamp");
const SOURCES = ["Cargo.toml", "Cargo.lock", "build.rs", ...readdirSync(join(crate, "src")).map((f) => join("src", f))];

function stampOf() {
  const h = createHash("sha256").update(`${process.platform}-${process.arch}\n`);
  for (const f of SOURCES.sort())
    h.update(f)
      .update("\0")
      .update(readFileSync(join(crate, f)))
      .update("\0");
  return h.digest("hex");
}

function cCompiler() {
  for (const cc of [process.env.CC, "cc", "gcc", "clang", "clang-14"].filter(Boolean)) {
    if (runSync(cc, ["--version"]).ok) return cc;
  }
  return null;
}

/** Runs cargo with JSON messages and prints a progress line every 30 s (crates compiled of those in Cargo.lock). */
function cargoBuild(env, log) {
  const total = (readFileSync(join(crate, "Cargo.lock"), "utf8").match(/^\[\[package\]\]/gm) ?? []).length;
  return new Promise((resolve, reject) => {
    const child = spawn("cargo", ["build", "--release", "--locked", "--message-format", "json-render-diagnostics"], {
      cwd: crate,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let done = 0;
    let artifact = null;
    let errors = "";
    let pending = "";
    const t0 = Date.now();
    const timer = setInterval(() => {
      log(`compiling nearcore's contract runtime: ${done}/${total} crates, ${Math.round((Date.now() - t0) / 1000)} s`);
    }, 30_000);
    child.stdout.on("data", (d) => {
      pending += d;
      const lines = pending.split("\n");
      pending = lines.pop();
      for (const line of lines) {
        if (!line.startsWith("{")) continue;
        const m = JSON.parse(line);
        if (m.reason === "compiler-artifact") {
          done++;
          if (m.target?.name === "near_vm_native") artifact = m.filenames.find((f) => /\.(so|dylib|dll)$/.test(f));
        }
      }
    });
    child.stderr.on("data", (d) => {
      errors = (errors + d).slice(-20_000);
    });
    child.on("error", (e) => {
      clearInterval(timer);
      reject(new ToolError(`cargo: ${e.message}`));
    });
    child.on("close", (code) => {
      clearInterval(timer);
      if (code === 0 && artifact) resolve({ artifact, seconds: (Date.now() - t0) / 1000 });
      else reject(new ToolError(`cargo build --release in ${crate} exited with ${code}\n${errors}`));
    });
  });
}

export async function buildNative({ log = (m) => console.log(`[native] ${m}`) } = {}) {
  const stamp = stampOf();
  if (existsSync(NATIVE_MODULE) && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === stamp) {
    return { built: false };
  }
  const rustc = runSync("rustc", ["--version"]);
  if (!rustc.ok) {
    throw new ToolError(
      `Rust is not installed or does not run (rustc --version: ${(rustc.stderr || "not found").trim()}); the local ` +
        "node runs contracts on nearcore's runtime, built from crates.io\nrun:\n  curl https://sh.rustup.rs -sSf | sh -s -- -y --default-toolchain 1.95.0",
    );
  }
  const env = { ...process.env };
  const cc = cCompiler();
  if (!cc) {
    throw new ToolError("no C compiler found (aws-lc-sys and blst compile C)\nrun as root:\n  apt-get install -y gcc");
  }
  if (cc !== "cc") env.CC = cc;
  log(`building nearcore's contract runtime (near-vm-runner 0.37.4, Wasmtime) with ${rustc.stdout.trim()}`);
  const { artifact, seconds } = await cargoBuild(env, log);
  mkdirSync(dist, { recursive: true });
  // copy then rename: test processes may load the module while it is replaced
  const tmp = `${NATIVE_MODULE}.${process.pid}.tmp`;
  copyFileSync(artifact, tmp);
  renameSync(tmp, NATIVE_MODULE);
  writeFileSync(stampFile, `${stamp}\n`);
  log(`built in ${seconds.toFixed(0)} s: ${NATIVE_MODULE}`);
  return { built: true, seconds };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildNative();
}
