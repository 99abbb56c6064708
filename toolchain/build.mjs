#!/usr/bin/env node
// `npm run build [-- name ...]`: type-checks, then builds every contract (contracts/<name>/contract.ts, and the
// toolchain's test fixtures) to build/<name>.wasm + build/<name>-abi.json, and writes build/manifest.json. A contract
// whose inputs are unchanged is skipped: the manifest keeps a content hash of its sources (every file its entry reaches
// through relative imports: its folder, contracts/shared, contracts/wire), its profile and the shared inputs
// (SHARED_BUILD_INPUTS, near-sdk-js, the toolchain stamp); --force rebuilds everything.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  APT_PACKAGES,
  BUILD_DIR,
  DEFAULT_PROFILE,
  NEAR_SDK_JS,
  PROFILES,
  QUICKJS_DEFINES,
  ROOT,
  STAMP,
} from "./config.mjs";
import { buildContract } from "./lib/contract-build.mjs";
import { pool, run, ToolError } from "./lib/exec.mjs";
import { setup } from "./setup.mjs";

const SOURCE_DIRS = [path.join(ROOT, "contracts"), path.join(ROOT, "toolchain", "fixtures")];

/** A contract's build options: contracts/<name>/contract.json, e.g. {"profile": "stock"}. */
function contractOptions(dir) {
  const file = path.join(dir, "contract.json");
  const opts = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  const profile = opts.profile ?? DEFAULT_PROFILE;
  if (!PROFILES[profile]) {
    throw new ToolError(
      `${path.relative(ROOT, file)}: unknown profile "${profile}" (${Object.keys(PROFILES).join(", ")})`,
    );
  }
  // `configuredProfile`: what contract.json says, so a `--profile` override shows in the build command (buildStamp)
  return { profile, configuredProfile: profile };
}

/** Every folder holding a contract.ts is a contract named after the folder. */
function discoverContracts(dirs = SOURCE_DIRS) {
  const found = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const entry = path.join(dir, name, "contract.ts");
      if (fs.existsSync(entry)) found.push({ name, entry, ...contractOptions(path.join(dir, name)) });
    }
  }
  const seen = new Set();
  for (const c of found) {
    if (seen.has(c.name)) throw new ToolError(`two contracts are named ${c.name}`);
    seen.add(c.name);
  }
  return found;
}

/**
 * Relative imports of a TypeScript file, resolved to files as esbuild and tsc do (`./x` -> `./x.ts` or
 * `./x/index.ts`, and `./x.js` -> `./x.ts` when only the TypeScript source exists).
 */
export function relativeImports(file) {
  const text = fs.readFileSync(file, "utf8");
  const found = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const base = path.resolve(path.dirname(file), m[1]);
    const tsOfJs = base.replace(/\.(m?)js$/, ".$1ts");
    for (const candidate of [base, tsOfJs, `${base}.ts`, `${base}.js`, path.join(base, "index.ts")]) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
        found.push(candidate);
        break;
      }
    }
  }
  return found;
}

/** The contract's entry and every file it reaches through relative imports (its own folder, shared/, wire/). */
export function sourceClosure(entry) {
  const seen = new Set();
  const stack = [entry];
  while (stack.length > 0) {
    const f = stack.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...relativeImports(f));
  }
  // contract.json (profile) sits beside the entry
  const options = path.join(path.dirname(entry), "contract.json");
  if (fs.existsSync(options)) seen.add(options);
  return [...seen].sort();
}

/**
 * What every contract's build shares besides near-sdk-js: build code, compiler options, the locked versions of every
 * npm package (near-sdk-js, esbuild, binaryen, typescript, ...: package-lock.json) and the toolchain's own files; the
 * hash adds the toolchain's set-up stamp (QuickJS sources, the project's C files, clang's version).
 */
export const SHARED_BUILD_INPUTS = [
  "toolchain/build.mjs",
  "toolchain/config.mjs",
  "toolchain/setup.mjs",
  "toolchain/wasi-stub.mjs",
  "toolchain/lib",
  "toolchain/lean",
  "toolchain/quickjs",
  "tsconfig.json",
  "package-lock.json",
];

/** Hash of SHARED_BUILD_INPUTS, near-sdk-js's package.json and the toolchain's set-up stamp. */
function toolchainInputsHash() {
  const h = crypto.createHash("sha256");
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) for (const f of fs.readdirSync(p).sort()) walk(path.join(p, f));
    else h.update(path.relative(ROOT, p)).update("\0").update(fs.readFileSync(p)).update("\0");
  };
  for (const f of SHARED_BUILD_INPUTS) {
    walk(path.join(ROOT, f));
  }
  walk(path.join(NEAR_SDK_JS, "package.json"));
  h.update(fs.existsSync(STAMP) ? JSON.parse(fs.readFileSync(STAMP, "utf8")).fingerprint : "no-toolchain");
  return h.digest("hex");
}

/**
 * Hash of everything one contract's wasm depends on: the files its entry reaches through relative imports, its
 * profile, the shared toolchain hash and its NEP-330 stamp (which adds package.json's version and repository). A
 * contract whose manifest entry carries this hash and whose wasm still has the recorded sha256 is not rebuilt.
 */
function contractInputsHash(contract, sharedHash = toolchainInputsHash(), stamp = buildStamp(contract)) {
  const h = crypto.createHash("sha256").update(sharedHash).update(contract.profile);
  for (const f of sourceClosure(contract.entry)) {
    h.update(path.relative(ROOT, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  }
  h.update(JSON.stringify(stamp));
  return h.digest("hex");
}

// ---- NEP-330 source metadata (docs/source-metadata.md) -------------------------------------------------------------

/** The module whose text each contract's bundle gets from `buildStamp` (its file is a placeholder). */
export const BUILD_STAMP_MODULE = path.join(ROOT, "contracts", "shared", "build-stamp.ts");
export const LOCK_FILE = "package-lock.json";

/** sha256 over `relative path \0 content \0` of each file, in the order given (folders walked in name order). */
function filesHash(files) {
  const h = crypto.createHash("sha256");
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) for (const f of fs.readdirSync(p).sort()) walk(path.join(p, f));
    else h.update(path.relative(ROOT, p)).update("\0").update(fs.readFileSync(p)).update("\0");
  };
  for (const f of files) walk(path.isAbsolute(f) ? f : path.join(ROOT, f));
  return h.digest("hex");
}

/**
 * The toolchain's identity: the hash of its own files (SHARED_BUILD_INPUTS without the lock file, which is hashed on
 * its own). Unlike the skip rule's hash it leaves out the set-up stamp, whose clang banner names the host, so the
 * same sources give the same wasm on any machine.
 */
export function toolchainHash() {
  return filesHash(SHARED_BUILD_INPUTS.filter((f) => f !== LOCK_FILE));
}

/** The contract's source snapshot: the hash of every file its entry reaches (sourceClosure), paths included. */
export function sourceHash(entry) {
  return filesHash(sourceClosure(entry));
}

function lockedVersion(lock, name) {
  return lock.packages?.[`node_modules/${name}`]?.version ?? "unknown";
}

/**
 * What the contract's `contract_source_metadata` view answers with (contracts/wire/source-metadata.ts BuildStamp):
 * deterministic (no time, no absolute path, no git commit), so it changes only when the contract's sources, the
 * toolchain's files, the lock file, the profile or package.json's version or repository change.
 */
export function buildStamp(contract) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const lockText = fs.readFileSync(path.join(ROOT, LOCK_FILE));
  const lock = JSON.parse(lockText.toString("utf8"));
  const repo = typeof pkg.repository === "string" ? pkg.repository : (pkg.repository?.url ?? null);
  const quickjs = /CONFIG_VERSION="([^"]+)"/.exec(QUICKJS_DEFINES.join(" "))?.[1] ?? "unknown";
  const clang = APT_PACKAGES.find((p) => p.name.startsWith("clang-"));
  const environment = [
    `near-sdk-js@${lockedVersion(lock, "near-sdk-js")}`,
    `qjsc@${lockedVersion(lock, "qjsc")}`,
    `quickjs@${quickjs}`,
    `binaryen@${lockedVersion(lock, "binaryen")}`,
    `${clang.name}@${clang.version}`,
    `profile:${contract.profile}`,
    `toolchain:sha256:${toolchainHash()}`,
    `package-lock:sha256:${crypto.createHash("sha256").update(lockText).digest("hex")}`,
  ];
  const overridden = contract.configuredProfile !== undefined && contract.profile !== contract.configuredProfile;
  return {
    name: contract.name,
    version: typeof pkg.version === "string" ? pkg.version : null,
    link: repo,
    build_info: {
      build_environment: environment.join(" "),
      build_command: [
        "npm",
        "run",
        "build",
        "--",
        contract.name,
        ...(overridden ? ["--profile", contract.profile] : []),
      ],
      source_code_snapshot: `sha256:${sourceHash(contract.entry)}`,
      contract_path: path.relative(ROOT, path.dirname(contract.entry)),
      // where the command writes it: `--out` elsewhere gives the same bytes, so a verifier may rebuild anywhere
      output_wasm_path: `build/${contract.name}.wasm`,
    },
  };
}

/** The stamp of the contract named `name` as the next build would make it (for verifiers and tests). */
export function stampOf(name, dirs = SOURCE_DIRS) {
  const c = discoverContracts(dirs).find((x) => x.name === name);
  if (!c) throw new ToolError(`no contract named ${name}`);
  return buildStamp(c);
}

function sha256File(file) {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** One tsc run over all entries with the project's contract compiler options; errors name file and line. */
async function typecheck(contracts, outDir) {
  const base = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8"));
  const cfg = { compilerOptions: base.compilerOptions, files: contracts.map((c) => c.entry) };
  // per process: several builds may run at once
  const cfgFile = path.join(outDir, ".work", `tsconfig.contracts.${process.pid}.json`);
  fs.mkdirSync(path.dirname(cfgFile), { recursive: true });
  fs.writeFileSync(cfgFile, JSON.stringify(cfg));
  try {
    await run(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", cfgFile], {
      cwd: ROOT,
    });
  } catch (e) {
    const lines = e.message.split("\n").filter((l) => l.includes("error TS"));
    throw new ToolError(`type errors:\n${lines.join("\n")}`);
  } finally {
    fs.rmSync(cfgFile, { force: true });
  }
}

async function validateAndAbi(c, outDir) {
  const { validateContract } = await import(path.join(NEAR_SDK_JS, "lib", "cli", "utils.js"));
  const { runAbiCompilerPlugin } = await import(path.join(NEAR_SDK_JS, "lib", "cli", "abi.js"));
  const rel = path.relative(ROOT, c.entry);
  if (!(await validateContract(c.entry))) {
    throw new ToolError(`${rel}: every field of the @NearBindgen class must be initialised in its constructor`);
  }
  let abi;
  try {
    abi = runAbiCompilerPlugin(c.entry, path.join(ROOT, "package.json"), path.join(ROOT, "tsconfig.json"));
  } catch (e) {
    throw new ToolError(`${rel}: ABI generation failed: ${e.message}`);
  }
  fs.writeFileSync(path.join(outDir, `${c.name}-abi.json`), `${JSON.stringify(abi, null, 2)}\n`);
}

export async function buildAll({
  names = [],
  outDir = BUILD_DIR,
  dirs = SOURCE_DIRS,
  abi = true,
  profile,
  force = false,
} = {}) {
  const t0 = Date.now();
  await setup();
  let contracts = discoverContracts(dirs);
  if (names.length > 0) {
    const unknown = names.filter((n) => !contracts.some((c) => c.name === n));
    if (unknown.length > 0) throw new ToolError(`no contract named ${unknown.join(", ")}`);
    contracts = contracts.filter((c) => names.includes(c.name));
  }
  if (profile) {
    if (!PROFILES[profile]) throw new ToolError(`unknown profile ${profile}`);
    contracts = contracts.map((c) => ({ ...c, profile }));
  }
  fs.mkdirSync(outDir, { recursive: true });
  const manifestFile = path.join(outDir, "manifest.json");
  const previous = fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, "utf8")).contracts : [];
  const byName = new Map(previous.map((p) => [p.name, p]));
  const sharedHash = toolchainInputsHash();
  const stamps = new Map(contracts.map((c) => [c.name, buildStamp(c)]));
  const inputsOf = new Map(contracts.map((c) => [c.name, contractInputsHash(c, sharedHash, stamps.get(c.name))]));
  const isFresh = (c) => {
    const p = byName.get(c.name);
    const wasm = path.join(outDir, `${c.name}.wasm`);
    return (
      p?.inputs === inputsOf.get(c.name) &&
      p.profile === c.profile &&
      fs.existsSync(wasm) &&
      (!abi || fs.existsSync(path.join(outDir, `${c.name}-abi.json`))) &&
      sha256File(wasm) === p.sha256
    );
  };
  const fresh = force ? [] : contracts.filter(isFresh);
  contracts = contracts.filter((c) => !fresh.includes(c));
  if (contracts.length === 0) {
    console.log(
      `[build] ${fresh.length} contract(s) up to date (sources and toolchain unchanged; --force rebuilds) -> ${path.relative(ROOT, outDir)}/`,
    );
    return { results: [], seconds: (Date.now() - t0) / 1000, upToDate: fresh.map((c) => c.name) };
  }
  await typecheck(contracts, outDir);
  // One process per contract: bundling, binaryen and the ABI generator are CPU-bound JS, so only separate
  // processes use every core.
  const concurrency = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const results = await pool(contracts, concurrency, async (c) => {
    const args = [SELF, "--one", JSON.stringify({ ...c, outDir, abi, stamp: stamps.get(c.name) })];
    const r = JSON.parse(await run(process.execPath, args, { cwd: ROOT }).catch(oneFailed));
    console.log(
      `[build] ${c.name} (${r.profile}): ${r.bytes} bytes, sha256 ${r.sha256.slice(0, 16)}…, ${r.seconds.toFixed(1)} s`,
    );
    return r;
  });
  for (const r of results) {
    byName.set(r.name, {
      name: r.name,
      file: `${r.name}.wasm`,
      profile: r.profile,
      bytes: r.bytes,
      sha256: r.sha256,
      methods: r.methods,
      inputs: inputsOf.get(r.name),
    });
  }
  const manifest = {
    toolchain: "near-sdk-js 2.0.0 + QuickJS 2021-03-27 (qjsc@0.3.0) + clang 14 (Debian) + binaryen.js",
    contracts: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
  // write-then-rename: a concurrent build never reads a half-written manifest
  fs.writeFileSync(`${manifestFile}.${process.pid}`, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(`${manifestFile}.${process.pid}`, manifestFile);
  const seconds = (Date.now() - t0) / 1000;
  const skipped = fresh.length > 0 ? ` (${fresh.length} up to date)` : "";
  console.log(
    `[build] ${results.length} contract(s) in ${seconds.toFixed(1)} s${skipped} -> ${path.relative(ROOT, outDir)}/`,
  );
  return { results, seconds, upToDate: fresh.map((c) => c.name) };
}

/** `[name ...] [--src DIR]... [--out DIR] [--no-abi] [--profile stock|lean] [--force]` */
function parseArgs(argv) {
  const opts = { names: [], dirs: [], outDir: BUILD_DIR, abi: true, profile: undefined, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--src") opts.dirs.push(path.resolve(argv[++i]));
    else if (a === "--out") opts.outDir = path.resolve(argv[++i]);
    else if (a === "--no-abi") opts.abi = false;
    else if (a === "--force") opts.force = true;
    else if (a === "--profile") opts.profile = argv[++i];
    else if (a.startsWith("--")) throw new ToolError(`unknown option ${a}`);
    else opts.names.push(a);
  }
  if (opts.dirs.length === 0) opts.dirs = SOURCE_DIRS;
  return opts;
}

const SELF = fileURLToPath(import.meta.url);
const ONE_FAILED = "\u0000build-one-failed\u0000";

/** A child's ToolError text travels after a marker so the parent shows it without the command line. */
function oneFailed(e) {
  const text = e.message;
  const i = text.indexOf(ONE_FAILED);
  throw i >= 0 ? new ToolError(text.slice(i + ONE_FAILED.length).trim()) : e;
}

async function buildOne(spec) {
  const t0 = Date.now();
  const r = await buildContract(spec);
  const tAbi = Date.now();
  if (spec.abi) await validateAndAbi(spec, spec.outDir);
  return { ...r, phases: { ...r.phases, abi: (Date.now() - tAbi) / 1000 }, seconds: (Date.now() - t0) / 1000 };
}

if (process.argv[2] === "--one") {
  try {
    process.stdout.write(JSON.stringify(await buildOne(JSON.parse(process.argv[3]))));
  } catch (e) {
    process.stderr.write(`${ONE_FAILED}${e instanceof ToolError ? e.message : e.stack}`);
    process.exit(1);
  }
} else if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await buildAll(parseArgs(process.argv.slice(2)));
  } catch (e) {
    console.error(`[build] error: ${e instanceof ToolError ? e.message : e.stack}`);
    process.exit(1);
  }
}
