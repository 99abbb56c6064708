// Contract preparation, as nearcore's prepare_v2 + near-vm metering do it before running a contract:
// - validate: imports only functions from `env` (else Instantiate), features of protocol 77 only (no SIMD,
//   bulk memory, reference types or multi-value: Deserialization), function and local count limits;
// - normalize memory: drop the module's own memory and import `env.memory` with 1024 initial / 2048 max pages;
// - meter gas: every operator except block/end/else costs regular_op_cost, charged at the start of each metered
//   block (function entry, after loop/if/else/end, after br/br_if/br_table/return/unreachable). The charge is
//   inlined as an i64 global "gas left" decremented per block; when the budget is gone the block stores its cost
//   in a second global and executes `unreachable`, which the runner turns into GasExceeded/GasLimitExceeded.
//   Both globals are appended (no index shifts) and exported for the host.
// This works on the binary directly (a small decoder of operator immediates) so the operator count is exactly the
// one of the deployed code, and a ~500 KB contract is instrumented in tens of milliseconds.

import { LIMITS, REGULAR_OP_COST } from "../runtime-config.ts";
import { PrepareError } from "./errors.ts";

/** Bumped whenever the instrumentation output changes, so disk caches of older output are ignored. */
export const INSTRUMENTATION_VERSION = 1;
export const GAS_LEFT_EXPORT = "__near_vm_gas_left";
export const OUT_OF_GAS_EXPORT = "__near_vm_out_of_gas";

export interface PreparedContract {
  /** the instrumented wasm */
  code: Uint8Array<ArrayBuffer>;
  /** env imports as name -> signature, e.g. "i64,i64->i64" */
  imports: Record<string, string>;
  /** exported functions as name -> signature */
  functionExports: Record<string, string>;
  /** number of metered operators in the original code (statistics) */
  operatorCount: number;
  /** number of metered blocks that got a gas charge (statistics) */
  meteredBlocks: number;
}

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }
  byte(): number {
    if (this.pos >= this.end) throw new PrepareError("Deserialization");
    return this.buf[this.pos++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 35) throw new PrepareError("Deserialization");
    }
    if (result > 0xffffffff) throw new PrepareError("Deserialization");
    return result;
  }
  /** skips a signed LEB of at most `bits` bits */
  skipSigned(bits: number): void {
    const maxBytes = Math.ceil(bits / 7);
    for (let i = 0; i < maxBytes; i++) {
      if ((this.byte() & 0x80) === 0) return;
    }
    throw new PrepareError("Deserialization");
  }
  skip(n: number): void {
    if (this.pos + n > this.end) throw new PrepareError("Deserialization");
    this.pos += n;
  }
  name(): string {
    const len = this.u32();
    const start = this.pos;
    this.skip(len);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(this.buf.subarray(start, start + len));
    } catch {
      throw new PrepareError("Deserialization");
    }
  }
}

class Writer {
  private chunks: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array | number[]): void {
    const u = b instanceof Uint8Array ? b : Uint8Array.from(b);
    this.chunks.push(u);
    this.length += u.length;
  }
  byte(b: number): void {
    this.bytes([b]);
  }
  u32(v: number): void {
    const out: number[] = [];
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      out.push(b);
    } while (v !== 0);
    this.bytes(out);
  }
  name(s: string): void {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    this.bytes(b);
  }
  finish(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

function signedLeb64(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const VALTYPES: Record<number, string> = { 127: "i32", 126: "i64", 125: "f32", 124: "f64" };

function valtype(r: Reader): string {
  const t = VALTYPES[r.byte()];
  if (!t) throw new PrepareError("Deserialization"); // v128 / reference types are not enabled at protocol 77
  return t;
}

function limits(r: Reader): void {
  const flags = r.byte();
  r.u32();
  if (flags & 1) r.u32();
  if (flags > 1) throw new PrepareError("Deserialization"); // shared / memory64
}

/** Skips a constant expression (global initializers, segment offsets). */
function constExpr(r: Reader): void {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return;
    if (op === 0x41) r.skipSigned(32);
    else if (op === 0x42) r.skipSigned(64);
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0x23) r.u32();
    else throw new PrepareError("Deserialization");
  }
}

/** The instructions after which a new metered block starts. */
const BLOCK_BOUNDARY_AFTER = new Set([0x00, 0x03, 0x04, 0x05, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);
/** Operators that cost nothing (nearcore's SimpleGasCostCfg: block, end, else). */
const FREE_OPS = new Set([0x02, 0x05, 0x0b]);

/** Skips one instruction's immediates, leaving r.pos after it. */
function skipInstruction(r: Reader, op: number): void {
  if (op === 0x02 || op === 0x03 || op === 0x04) {
    const bt = r.byte();
    if (bt !== 0x40 && !VALTYPES[bt]) throw new PrepareError("Deserialization"); // multi-value block types
  } else if (op === 0x0c || op === 0x0d || (op >= 0x20 && op <= 0x24) || op === 0x10) {
    r.u32();
  } else if (op === 0x0e) {
    const n = r.u32();
    for (let i = 0; i <= n; i++) r.u32();
  } else if (op === 0x11) {
    r.u32();
    if (r.byte() !== 0x00) throw new PrepareError("Deserialization");
  } else if (op >= 0x28 && op <= 0x3e) {
    r.u32();
    r.u32();
  } else if (op === 0x3f || op === 0x40) {
    if (r.byte() !== 0x00) throw new PrepareError("Deserialization");
  } else if (op === 0x41) {
    r.skipSigned(32);
  } else if (op === 0x42) {
    r.skipSigned(64);
  } else if (op === 0x43) {
    r.skip(4);
  } else if (op === 0x44) {
    r.skip(8);
  } else if (op === 0xfc) {
    // only the saturating float-to-int conversions; bulk memory is off at protocol 77
    if (r.u32() > 7) throw new PrepareError("Deserialization");
  } else if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b) {
    // no immediates
  } else if (op >= 0x45 && op <= 0xc4) {
    // numeric operators incl. sign extension, no immediates
  } else {
    throw new PrepareError("Deserialization");
  }
}

function gasCharge(cost: bigint, gasGlobal: number, oogGlobal: number): number[] {
  const c = signedLeb64(cost);
  const g = leb(gasGlobal);
  return [
    ...[0x23, ...g, 0x42, ...c, 0x54], // global.get gas; i64.const c; i64.lt_u
    ...[0x04, 0x40, 0x42, ...c, 0x24, ...leb(oogGlobal), 0x00, 0x0b], // if: oog = c; unreachable; end
    ...[0x23, ...g, 0x42, ...c, 0x7d, 0x24, ...g], // gas -= c
  ];
}

function leb(v: number): number[] {
  const w: number[] = [];
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    w.push(b);
  } while (v !== 0);
  return w;
}

interface BodyResult {
  out: Uint8Array;
  ops: number;
  blocks: number;
  locals: number;
}

function instrumentBody(buf: Uint8Array, start: number, end: number, gasGlobal: number, oogGlobal: number) {
  const r = new Reader(buf, start, end);
  let locals = 0;
  const groups = r.u32();
  for (let i = 0; i < groups; i++) {
    locals += r.u32();
    valtype(r);
  }
  const w = new Writer();
  w.bytes(buf.subarray(start, r.pos));
  let depth = 0;
  let regionStart = r.pos;
  let regionOps = 0;
  let ops = 0;
  let blocks = 0;
  const flush = (at: number) => {
    if (regionOps > 0) {
      w.bytes(gasCharge(BigInt(regionOps) * REGULAR_OP_COST, gasGlobal, oogGlobal));
      blocks++;
    }
    w.bytes(buf.subarray(regionStart, at));
    regionStart = at;
    ops += regionOps;
    regionOps = 0;
  };
  for (;;) {
    const op = r.byte();
    skipInstruction(r, op);
    if (!FREE_OPS.has(op)) regionOps++;
    if (op === 0x02 || op === 0x03 || op === 0x04) depth++;
    if (op === 0x0b) {
      if (depth === 0) break;
      depth--;
    }
    if (BLOCK_BOUNDARY_AFTER.has(op)) flush(r.pos);
  }
  if (r.pos !== end) throw new PrepareError("Deserialization");
  flush(r.pos);
  const body = w.finish();
  const sized = new Writer();
  sized.u32(body.length);
  sized.bytes(body);
  return { out: sized.finish(), ops, blocks, locals } satisfies BodyResult;
}

/** Prepares (validates, normalizes memory, meters gas) a contract; throws PrepareError. */
export function prepareContract(original: Uint8Array): PreparedContract {
  const r = new Reader(original);
  const header = original.subarray(0, 8);
  if (header.join() !== [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0].join()) throw new PrepareError("Deserialization");
  r.pos = 8;

  const types: string[] = [];
  const funcTypes: number[] = []; // type index of every function (imports first)
  const imports: Record<string, string> = {};
  let importedFuncs = 0;
  let definedGlobals = 0;
  let functionBudget = LIMITS.maxFunctionsNumberPerContract;
  let localBudget = 1_000_000; // max_locals_per_contract at protocol 77
  const sections: { id: number; start: number; end: number }[] = [];
  while (r.pos < original.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    r.skip(size);
    // unknown sections (tags, components, ...) are not supported; order is checked by the final validation
    if (id > 12) throw new PrepareError("Deserialization");
    sections.push({ id, start, end: r.pos });
  }

  const exportNames = new Set<string>();
  const functionExports: Record<string, string> = {};
  for (const s of sections) {
    const sr = new Reader(original, s.start, s.end);
    if (s.id === 1) {
      const n = sr.u32();
      for (let i = 0; i < n; i++) {
        if (sr.byte() !== 0x60) throw new PrepareError("Deserialization");
        const params = Array.from({ length: sr.u32() }, () => valtype(sr));
        const results = Array.from({ length: sr.u32() }, () => valtype(sr));
        if (results.length > 1) throw new PrepareError("Deserialization"); // multi-value is off
        types.push(`${params.join(",")}->${results.join(",")}`);
      }
    } else if (s.id === 2) {
      const n = sr.u32();
      for (let i = 0; i < n; i++) {
        const module = sr.name();
        const field = sr.name();
        const kind = sr.byte();
        if (module !== "env") throw new PrepareError("Instantiate");
        if (kind === 0) {
          const t = sr.u32();
          if (t >= types.length) throw new PrepareError("Deserialization");
          if (--functionBudget < 0) throw new PrepareError("TooManyFunctions");
          funcTypes.push(t);
          imports[field] = types[t];
          importedFuncs++;
        } else if (kind === 2) {
          // nearcore rejects memory imports (Memory); we accept one and replace it by the standard memory
          limits(sr);
        } else {
          throw new PrepareError("Instantiate");
        }
      }
    } else if (s.id === 3) {
      const n = sr.u32();
      for (let i = 0; i < n; i++) funcTypes.push(sr.u32());
    } else if (s.id === 6) {
      definedGlobals = sr.u32();
      for (let i = 0; i < definedGlobals; i++) {
        valtype(sr);
        sr.byte();
        constExpr(sr);
      }
    } else if (s.id === 7) {
      const n = sr.u32();
      for (let i = 0; i < n; i++) {
        const name = sr.name();
        const kind = sr.byte();
        const idx = sr.u32();
        exportNames.add(name);
        if (kind === 0) {
          const t = funcTypes[idx];
          if (t === undefined) throw new PrepareError("Deserialization");
          functionExports[name] = types[t];
        }
      }
    }
  }
  if (exportNames.has(GAS_LEFT_EXPORT) || exportNames.has(OUT_OF_GAS_EXPORT)) throw new PrepareError("Instantiate");

  const gasGlobal = definedGlobals;
  const oogGlobal = definedGlobals + 1;
  const out = new Writer();
  out.bytes(header);
  const emitSection = (id: number, content: Uint8Array) => {
    out.byte(id);
    out.u32(content.length);
    out.bytes(content);
  };
  const memoryImport = [0x02, 0x01, ...leb(LIMITS.initialMemoryPages), ...leb(LIMITS.maxMemoryPages)];
  const newGlobals = [0x7e, 0x01, 0x42, 0x00, 0x0b, 0x7e, 0x01, 0x42, 0x00, 0x0b]; // two `mut i64 = 0`
  let wroteImports = false;
  let wroteGlobals = false;
  let wroteExports = false;
  let operatorCount = 0;
  let meteredBlocks = 0;
  const ensureImports = () => {
    if (wroteImports) return;
    wroteImports = true;
    const w = new Writer();
    w.u32(1);
    w.name("env");
    w.name("memory");
    w.bytes(memoryImport);
    emitSection(2, w.finish());
  };
  const ensureGlobals = () => {
    if (wroteGlobals) return;
    wroteGlobals = true;
    const w = new Writer();
    w.u32(2);
    w.bytes(newGlobals);
    emitSection(6, w.finish());
  };
  const ensureExports = () => {
    if (wroteExports) return;
    wroteExports = true;
    const w = new Writer();
    w.u32(2);
    w.name(GAS_LEFT_EXPORT);
    w.bytes([0x03, ...leb(gasGlobal)]);
    w.name(OUT_OF_GAS_EXPORT);
    w.bytes([0x03, ...leb(oogGlobal)]);
    emitSection(7, w.finish());
  };
  // Canonical section order; DataCount (12) sits between Element (9) and Code (10).
  const order = (id: number) => (id === 12 ? 9.5 : id);
  for (const s of sections) {
    if (s.id === 0) continue; // custom sections are discarded (discard_custom_sections)
    const content = original.subarray(s.start, s.end);
    const sr = new Reader(original, s.start, s.end);
    if (order(s.id) > 2) ensureImports();
    if (order(s.id) > 6) ensureGlobals();
    if (order(s.id) > 7) ensureExports();
    if (s.id === 2) {
      wroteImports = true;
      const n = sr.u32();
      const w = new Writer();
      let count = 0;
      const body = new Writer();
      for (let i = 0; i < n; i++) {
        const entryStart = sr.pos;
        sr.name();
        sr.name();
        const kind = sr.byte();
        if (kind === 0) sr.u32();
        else limits(sr);
        if (kind === 0) {
          body.bytes(original.subarray(entryStart, sr.pos));
          count++;
        }
      }
      w.u32(count + 1);
      w.bytes(body.finish());
      w.name("env");
      w.name("memory");
      w.bytes(memoryImport);
      emitSection(2, w.finish());
    } else if (s.id === 5) {
      // the module's own memory is replaced by the imported one
    } else if (s.id === 6) {
      wroteGlobals = true;
      const w = new Writer();
      w.u32(definedGlobals + 2);
      sr.u32();
      w.bytes(original.subarray(sr.pos, s.end));
      w.bytes(newGlobals);
      emitSection(6, w.finish());
    } else if (s.id === 7) {
      wroteExports = true;
      const n = sr.u32();
      const w = new Writer();
      w.u32(n + 2);
      w.bytes(original.subarray(sr.pos, s.end));
      w.name(GAS_LEFT_EXPORT);
      w.bytes([0x03, ...leb(gasGlobal)]);
      w.name(OUT_OF_GAS_EXPORT);
      w.bytes([0x03, ...leb(oogGlobal)]);
      emitSection(7, w.finish());
    } else if (s.id === 10) {
      const n = sr.u32();
      functionBudget -= n;
      if (functionBudget < 0) throw new PrepareError("TooManyFunctions");
      if (n !== funcTypes.length - importedFuncs) throw new PrepareError("Deserialization");
      const w = new Writer();
      w.u32(n);
      for (let i = 0; i < n; i++) {
        const size = sr.u32();
        const start = sr.pos;
        sr.skip(size);
        const body = instrumentBody(original, start, start + size, gasGlobal, oogGlobal);
        localBudget -= body.locals;
        if (localBudget < 0) throw new PrepareError("TooManyLocals");
        operatorCount += body.ops;
        meteredBlocks += body.blocks;
        w.bytes(body.out);
      }
      emitSection(10, w.finish());
    } else {
      emitSection(s.id, content);
    }
  }
  ensureImports();
  ensureGlobals();
  ensureExports();
  const code = out.finish();
  if (!WebAssembly.validate(code)) throw new PrepareError("Deserialization");
  return { code, imports, functionExports, operatorCount, meteredBlocks };
}
