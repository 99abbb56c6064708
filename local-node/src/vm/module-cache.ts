// Prepared (instrumented) and compiled contracts, cached by code hash in memory and optionally on disk, so a
// contract is instrumented once per node home and compiled once per process.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PrepareError, type PrepareErrorKind } from "./errors.ts";
import { INSTRUMENTATION_VERSION, type PreparedContract, prepareContract } from "./prepare.ts";

export interface CompiledContract {
  prepared: Omit<PreparedContract, "code">;
  module: WebAssembly.Module;
  /** milliseconds spent instrumenting (0 when it came from the disk cache) and compiling */
  prepareMs: number;
  compileMs: number;
}

type Entry = CompiledContract | { error: PrepareErrorKind };

const memoryCache = new Map<string, Entry>();
const MAX_MEMORY_ENTRIES = 64;
let diskCacheDir: string | undefined;

/** Enables the disk cache of instrumented code under `dir` (e.g. `<node home>/vm-cache`). */
export function setDiskCacheDir(dir: string | undefined): void {
  diskCacheDir = dir;
  if (dir) mkdirSync(dir, { recursive: true });
}

export function clearMemoryCache(): void {
  memoryCache.clear();
}

function diskPath(key: string): string | undefined {
  return diskCacheDir ? join(diskCacheDir, `${key}.v${INSTRUMENTATION_VERSION}`) : undefined;
}

function readDisk(key: string): PreparedContract | undefined {
  const path = diskPath(key);
  if (!path) return undefined;
  try {
    const meta = JSON.parse(readFileSync(`${path}.json`, "utf8"));
    const code = new Uint8Array(readFileSync(`${path}.wasm`));
    return { ...meta, code };
  } catch {
    return undefined;
  }
}

function writeDisk(key: string, p: PreparedContract): void {
  const path = diskPath(key);
  if (!path) return;
  const { code, ...meta } = p;
  try {
    // write then rename so a concurrent reader never sees half a file
    writeFileSync(`${path}.wasm.tmp`, code);
    renameSync(`${path}.wasm.tmp`, `${path}.wasm`);
    writeFileSync(`${path}.json.tmp`, JSON.stringify(meta));
    renameSync(`${path}.json.tmp`, `${path}.json`);
  } catch {
    // the disk cache is an optimization only
  }
}

/** Returns the compiled contract or throws PrepareError. `codeHash` may be any unique id of the code; when it
 * is empty the sha256 of the code is used. */
export function loadContract(code: Uint8Array, codeHash: string): CompiledContract {
  const key = codeHash
    ? createHash("sha256").update(codeHash).digest("hex").slice(0, 40)
    : createHash("sha256").update(code).digest("hex");
  const hit = memoryCache.get(key);
  if (hit) {
    if ("error" in hit) throw new PrepareError(hit.error);
    return hit;
  }
  let entry: Entry;
  try {
    const t0 = performance.now();
    let prepared = readDisk(key);
    const fromDisk = prepared !== undefined;
    if (!prepared) prepared = prepareContract(code);
    const t1 = performance.now();
    const module = new WebAssembly.Module(prepared.code);
    const t2 = performance.now();
    if (!fromDisk) writeDisk(key, prepared);
    const { code: _code, ...meta } = prepared;
    entry = { prepared: meta, module, prepareMs: fromDisk ? 0 : t1 - t0, compileMs: t2 - t1 };
  } catch (e) {
    if (!(e instanceof PrepareError) && !(e instanceof WebAssembly.CompileError)) throw e;
    entry = { error: e instanceof PrepareError ? e.kind : "Deserialization" };
  }
  if (memoryCache.size >= MAX_MEMORY_ENTRIES) {
    const oldest = memoryCache.keys().next().value;
    if (oldest !== undefined) memoryCache.delete(oldest);
  }
  memoryCache.set(key, entry);
  if ("error" in entry) throw new PrepareError(entry.error);
  return entry;
}
