// Module preparation and wasm gas metering on nearcore's contract runtime (near-vm-runner 0.37.4, Wasmtime,
// protocol 86): memory normalization, validation errors, exact instruction gas, out-of-gas errors, method
// resolution and the compiled-contract cache.
// Removed with the TS VM: the checks of its instrumented text (prepareContract) and operator counts, which have no
// native equivalent; memory normalization and the cache are checked by behaviour instead.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { EXT_COSTS, LIMITS, RUNTIME_CONFIG_VIEW } from "../../src/runtime-config.ts";
import { b58, sha256 } from "../../src/util.ts";
import { runFunctionCall, setDiskCacheDir } from "../../src/vm/index.ts";
import { nativeVm } from "../../src/vm/native.ts";
import { context, contract, MapState, profileOf, run, TGAS, wat } from "./helpers.ts";

// before the first call of this process: nearcore's cache of compiled contracts opens its folder once
const CACHE_DIR = mkdtempSync(join(tmpdir(), "vm-cache-"));
setDiskCacheDir(CACHE_DIR);

const wasmConfig = RUNTIME_CONFIG_VIEW.wasm_config as {
  regular_op_cost: number;
  linear_op_base_cost: number;
  linear_op_unit_cost: number;
};
const REGULAR_OP_COST = BigInt(wasmConfig.regular_op_cost);
const loadingCost = (code: Uint8Array) =>
  EXT_COSTS.contract_loading_base + EXT_COSTS.contract_loading_bytes * BigInt(code.length);

// nearcore's finite-wasm metering (protocol 84+): every operator but block/end/else costs regular_op_cost, and each
// function activation costs ceil(frame bytes / 8) ops, the frame being 64 bytes plus the locals (an i32 is 4).
const frameOps = (localBytes: number) => BigInt(Math.ceil((64 + localBytes) / 8));
const loop = (n: number) => `(module (func (export "main") (local $i i32)
  (loop $l
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $l (i32.lt_u (local.get $i) (i32.const ${n}))))))`;
const LOOP = loop(1000);
// 1000 iterations of 9 operators: the loop's block is charged on every entry, `loop` included (local.get,
// i32.const, i32.add, local.set, local.get, i32.const, i32.lt_u, br_if + loop); the frame (one i32 local) 9 ops.
// (The TS VM, copying protocol 77's metering, charged `loop` once and no frame: 1 + 8 * 1000.)
const LOOP_OPS = frameOps(4) + 9n * 1000n;

test("a module's own memory is normalized to nearcore's 1024 initial / 2048 max pages", (t) => {
  // the module declares (memory 1)
  const code = contract(
    ["value_return"],
    `(func (export "main")
      (i32.store (i32.const 100) (memory.size))
      (i32.store (i32.const 104) (memory.grow (i32.const 1024)))
      (i32.store (i32.const 108) (memory.grow (i32.const 1)))
      (i32.store (i32.const 112) (memory.size))
      (call $value_return (i64.const 16) (i64.const 100)))`,
  );
  const o = run(code);
  t.is(o.error, undefined);
  const r = o.returnData.kind === "Value" ? Buffer.from(o.returnData.data) : Buffer.alloc(16);
  // size 1024 (not 1), growing by 1024 returns the old size, one more page fails (-1), size is then 2048
  t.deepEqual([r.readInt32LE(0), r.readInt32LE(4), r.readInt32LE(8), r.readInt32LE(12)], [1024, 1024, -1, 2048]);
  // a module without memory gets one too: host functions read from it
  const none = wat(
    `(module (import "env" "log_utf8" (func $log (param i64 i64))) (func (export "main") (call $log (i64.const 2) (i64.const 0))))`,
  );
  const l = run(none);
  t.is(l.error, undefined);
  t.deepEqual(l.logs, ["\0\0"]);
});

// nearcore's PrepareError for a module, with its Display text; fix_contract_loading_cost is still off at protocol 86,
// so a compilation error is a no-op outcome (no gas)
const PREPARE_ERRORS: Array<[why: string, module: string, error: string, message: string]> = [
  // the TS VM accepted and normalized memory imports, a known difference
  [
    "an imported env.memory",
    `(module (import "env" "memory" (memory 1)) (func (export "main")))`,
    "Memory",
    "Error creating memory.",
  ],
  [
    "an import from a module other than env",
    `(module (import "other" "f" (func)) (func (export "main")))`,
    "Instantiate",
    "Error happened during instantiation.",
  ],
];

for (const [why, module, error, message] of PREPARE_ERRORS) {
  test(`${why} is PrepareError ${error}, no gas`, (t) => {
    const o = run(wat(module));
    t.deepEqual(o.error, { kind: "CompilationError", message: `PrepareError: ${message}`, prepareError: error });
    t.is(o.errorDebug, `CompilationError(PrepareError(${error}))`);
    t.is(o.burntGas, 0n);
    t.is(o.usedGas, 0n);
  });
}

test("bytes that are not wasm are a Deserialization error", (t) => {
  const o = run(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]));
  t.is(o.error?.kind, "CompilationError");
  t.is(o.errorDebug, "CompilationError(PrepareError(Deserialization))");
});

test("features still off at protocol 86 (SIMD, multi-value, threads) are Deserialization errors", (t) => {
  const modules = [
    `(module (func (export "main") (drop (v128.const i32x4 0 0 0 0))))`,
    `(module (func $f (result i32 i32) (i32.const 1) (i32.const 2)) (func (export "main") (drop (drop (call $f)))))`,
    `(module (memory 1 1 shared) (func (export "main") (drop (i32.atomic.load (i32.const 0)))))`,
  ];
  for (const m of modules) t.is(run(wat(m)).errorDebug, "CompilationError(PrepareError(Deserialization))", m);
});

test("bulk memory and reference types are allowed since protocol 84; memory.fill costs linear gas", (t) => {
  // protocol 77 (the TS VM) rejected memory.fill as Deserialization
  const fill = wat(
    `(module (memory 1) (func (export "main") (memory.fill (i32.const 0) (i32.const 0) (i32.const 1000))))`,
  );
  const o = run(fill);
  t.is(o.error, undefined);
  // frame + 3 i32.const, then memory.fill: linear_op_base_cost + 1000 * linear_op_unit_cost
  t.is(
    profileOf("WASM_INSTRUCTION"),
    (frameOps(0) + 3n) * REGULAR_OP_COST +
      BigInt(wasmConfig.linear_op_base_cost) +
      1000n * BigInt(wasmConfig.linear_op_unit_cost),
  );
  const refs = wat(
    `(module (table 1 funcref) (func $g) (elem declare func $g) (func (export "main") (drop (ref.func $g))))`,
  );
  t.is(run(refs).error, undefined);
});

test("more than 10,000 functions is TooManyFunctions; a body over 196,608 bytes is FunctionBodyTooLarge", (t) => {
  const fns = Array.from({ length: 10_001 }, (_, i) => `(func $f${i})`).join(" ");
  const many = run(wat(`(module ${fns} (func (export "main")))`));
  t.deepEqual(many.error, {
    kind: "CompilationError",
    message: "PrepareError: Too many functions in contract.",
    prepareError: "TooManyFunctions",
  });
  t.is(LIMITS.maxFunctionBodySize, 196_608);
  // body = 1 byte (no locals) + 3 bytes per (i32.const 0, drop) + 1 byte `end`
  const body = (n: number) => wat(`(module (func (export "main") ${"(drop (i32.const 0)) ".repeat(n)}))`);
  t.is(run(body(65_535)).error, undefined, "196,607 bytes");
  t.is(run(body(65_536)).errorDebug, "CompilationError(PrepareError(FunctionBodyTooLarge))", "196,610 bytes");
});

test("a loop of known operator count burns exactly loading + ops * regular_op_cost", (t) => {
  const code = wat(LOOP);
  const o = run(code);
  t.is(o.error, undefined);
  const expected = loadingCost(code) + LOOP_OPS * REGULAR_OP_COST;
  t.is(o.burntGas, expected);
  t.is(o.usedGas, expected);
  t.is(profileOf("WASM_INSTRUCTION"), LOOP_OPS * REGULAR_OP_COST);
  t.is(profileOf("CONTRACT_LOADING_BASE"), EXT_COSTS.contract_loading_base);
  t.is(profileOf("CONTRACT_LOADING_BYTES"), EXT_COSTS.contract_loading_bytes * BigInt(code.length));
  // each further iteration costs 9 ops
  t.is(run(wat(loop(1001))).burntGas - loadingCost(wat(loop(1001))), (LOOP_OPS + 9n) * REGULAR_OP_COST);
});

test("if/else and br out of blocks charge only the executed operators", (t) => {
  // main: i32.const 1, if (1), then: i32.const 7, drop (2), end; block, i32.const 0, br_if 0 (2), nop (1), end,
  // i32.const 0, if (2) [then: unreachable, skipped] else: nop (1) end  => 1+1+2+2+1+2+1 = 10, plus the frame (8)
  const code = wat(`(module (func (export "main")
    (if (i32.const 1) (then (drop (i32.const 7))))
    (block $b (br_if $b (i32.const 0)) (nop))
    (if (i32.const 0) (then (unreachable)) (else (nop)))))`);
  const o = run(code);
  t.is(o.error, undefined);
  t.is(profileOf("WASM_INSTRUCTION"), (frameOps(0) + 10n) * REGULAR_OP_COST);
});

test("running out of prepaid gas stops with GasExceeded and burns exactly the prepaid gas", (t) => {
  const code = wat(LOOP);
  const prepaidGas = loadingCost(code) + 500n * REGULAR_OP_COST;
  const o = run(code, { prepaidGas });
  t.deepEqual(o.error, { kind: "ExecutionError", message: "Exceeded the prepaid gas." });
  t.is(o.errorDebug, "HostError(GasExceeded)");
  t.is(o.burntGas, prepaidGas);
  t.is(o.usedGas, prepaidGas);
});

test("not enough gas to load the contract is GasExceeded", (t) => {
  const o = run(wat(LOOP), { prepaidGas: 1000n });
  t.is(o.errorDebug, "HostError(GasExceeded)");
  t.is(o.burntGas, 1000n);
  t.is(profileOf("CONTRACT_LOADING_BYTES"), 1000n);
});

test("past max_gas_burnt (1 Pgas since protocol 83) burnt from wasm the error is GasLimitExceeded, also in views", (t) => {
  // protocol 77 (the TS VM): 300 Tgas. A receipt can attach at most max_total_prepaid_gas, equal to max_gas_burnt.
  // (With more prepaid than max_gas_burnt, which the chain never passes, near-vm-runner 0.37.4's Wasmtime gas hook
  // fails outside its error container and the call comes out as LinkError { msg: "HostError(GasLimitExceeded)" }.)
  t.is(LIMITS.maxGasBurnt, 1000n * TGAS);
  t.is(LIMITS.maxTotalPrepaidGas, LIMITS.maxGasBurnt);
  const code = wat(`(module (func (export "main") (loop $l (br $l))))`);
  for (const isView of [false, true]) {
    const o = run(code, { prepaidGas: LIMITS.maxTotalPrepaidGas, isView });
    t.deepEqual(o.error, {
      kind: "ExecutionError",
      message: "Exceeded the maximum amount of gas allowed to burn per contract.",
    });
    t.is(o.errorDebug, "HostError(GasLimitExceeded)");
    t.is(o.burntGas, LIMITS.maxGasBurnt);
    t.is(o.usedGas, LIMITS.maxGasBurnt);
  }
});

test("past max_gas_burnt (from host functions) the error is GasLimitExceeded", (t) => {
  const code = contract(
    ["validator_total_stake"],
    `(func (export "main") (loop $l (call $validator_total_stake (i64.const 0)) (br $l)))`,
  );
  const o = run(code, { prepaidGas: LIMITS.maxTotalPrepaidGas });
  t.is(o.errorDebug, "HostError(GasLimitExceeded)");
  t.is(o.burntGas, LIMITS.maxGasBurnt);
  t.true(profileOf("VALIDATOR_TOTAL_STAKE_BASE") > profileOf("WASM_INSTRUCTION"));
});

test("unknown method: MethodNotFound with no gas burnt (no-op outcome: fix_contract_loading_cost off at 86)", (t) => {
  const o = run(wat(LOOP), { methodName: "missing" });
  t.deepEqual(o.error, { kind: "MethodNotFound" });
  t.is(o.errorDebug, "MethodResolveError(MethodNotFound)");
  t.is(o.burntGas, 0n);
  t.deepEqual(run(wat(LOOP), { methodName: "" }).error, { kind: "MethodEmptyName" });
});

test("a method with parameters is MethodInvalidSignature; an unknown host import is a LinkError", (t) => {
  const o = run(wat(`(module (func (export "main") (param i32)))`));
  t.is(o.errorDebug, "MethodResolveError(MethodInvalidSignature)");
  t.is(o.burntGas, 0n);
  const code = wat(`(module (import "env" "no_such_fn" (func)) (func (export "main")))`);
  const l = run(code);
  // Wasmtime's linker text (near-vm's was `Error while importing "env"."no_such_fn": unknown import`)
  t.is(l.errorDebug, 'LinkError { msg: "unknown or invalid import" }');
  t.is(l.burntGas, loadingCost(code), "linking happens after the contract loading fee");
  const s = run(wat(`(module (import "env" "log_utf8" (func (param i32 i32))) (func (export "main")))`));
  t.regex(s.errorDebug ?? "", /^LinkError \{ msg: "types incompatible: expected type `\(func \(param i32 i32\)\)`/);
});

test("wasm traps map to nearcore's WebAssembly trap texts", (t) => {
  const cases: [string, string][] = [
    ["(unreachable)", "WebAssembly trap: An `unreachable` opcode was executed."],
    ["(drop (i32.load (i32.const -1)))", "WebAssembly trap: Memory out of bounds trap."],
    [
      "(drop (i32.div_u (i32.const 1) (i32.const 0)))",
      "WebAssembly trap: An arithmetic exception, e.g. divided by zero.",
    ],
  ];
  for (const [body, message] of cases) {
    const o = run(wat(`(module (memory 1) (func (export "main") ${body}))`));
    t.deepEqual(o.error, { kind: "ExecutionError", message });
  }
});

test("the wasm stack is limited to 262,144 bytes by nearcore's own accounting", (t) => {
  // protocol 84+ (Wasmtime, finite-wasm): running out of stack is HostError(MemoryAccessViolation), not
  // WasmTrap(StackOverflow) as with near-vm. Each frame of $f takes 64 bytes, so 4096 frames fit; each paid its
  // activation (8 ops) and the `call` that entered the next one (1 op).
  const code = wat(`(module (func $f (export "main") (call $f)))`);
  const deep = run(code);
  t.deepEqual(deep.error, { kind: "ExecutionError", message: "Accessed memory outside the bounds." });
  t.is(deep.errorDebug, "HostError(MemoryAccessViolation)");
  t.is(profileOf("WASM_INSTRUCTION"), (262_144n / 64n) * (frameOps(0) + 1n) * REGULAR_OP_COST);
  // 8 i64 locals: 128-byte frames, half as deep, 16 + 1 ops each
  run(wat(`(module (func $f (export "main") (local i64 i64 i64 i64 i64 i64 i64 i64) (call $f)))`));
  t.is(profileOf("WASM_INSTRUCTION"), (262_144n / 128n) * (frameOps(64) + 1n) * REGULAR_OP_COST);
});

test("a second call of the same code is served from nearcore's compiled-contract cache (memory, then disk)", (t) => {
  const code = wat(loop(777));
  const hash = b58(sha256(code));
  const first = runFunctionCall(code, hash, context(), new MapState());
  t.is(first.error, undefined);
  t.is(readdirSync(join(CACHE_DIR, "contract.cache")).length > 0, true, "a compiled entry on disk");
  // near-vm-runner asks for the code only on a cache miss: once the module bytes the native module keeps are
  // forgotten, bytes that are not wasm under the same hash still run the compiled module
  const notWasm = new Uint8Array(code.length).fill(0xff);
  nativeVm().clearCodeMemory();
  const second = runFunctionCall(notWasm, hash, context(), new MapState());
  t.is(second.error, undefined);
  t.is(second.burntGas, first.burntGas);
  t.is(run(notWasm).errorDebug, "CompilationError(PrepareError(Deserialization))", "under its own hash");
  // a new process (empty memory cache) on the same folder loads the module from disk
  const url = (f: string) => JSON.stringify(new URL(f, import.meta.url).href);
  const script = `
    import { runFunctionCall, setDiskCacheDir } from ${url("../../src/vm/index.ts")};
    import { context, MapState } from ${url("./helpers.ts")};
    setDiskCacheDir(${JSON.stringify(CACHE_DIR)});
    const o = runFunctionCall(new Uint8Array(${code.length}).fill(0xff), "${hash}", context(), new MapState());
    console.log(JSON.stringify({ error: o.error, burnt: o.burntGas.toString() }));`;
  const out = execFileSync(process.execPath, ["--import=tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  t.deepEqual(JSON.parse(out.trim().split("\n").at(-1)!), { burnt: first.burntGas.toString() });
});
