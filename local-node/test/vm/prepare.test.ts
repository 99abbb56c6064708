// Module preparation and wasm gas metering: memory normalization, validation errors, exact instruction gas,
// out-of-gas errors, method resolution and the caches.

import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import binaryen from "binaryen";
import { EXT_COSTS, LIMITS, REGULAR_OP_COST } from "../../src/runtime-config.ts";
import {
  clearMemoryCache,
  contractLoadingCost,
  lastRunStats,
  prepareContract,
  runFunctionCall,
  setDiskCacheDir,
} from "../../src/vm/index.ts";
import { context, contract, MapState, profileOf, run, TGAS, wat } from "./helpers.ts";

// 1 (loop) + 1000 iterations of 8 operators: local.get, i32.const, i32.add, local.set, local.get, i32.const,
// i32.lt_u, br_if. The loop's `end` and the function's `end` are free.
const LOOP = `(module (func (export "main") (local $i i32)
  (loop $l
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))))`;
const LOOP_OPS = 1n + 8n * 1000n;

test("a module's own memory is replaced by an imported env.memory of 1024..2048 pages", (t) => {
  const prepared = prepareContract(wat(`(module (memory 3) (export "memory" (memory 0)) (func (export "main")))`));
  const text = binaryen.readBinary(prepared.code).emitText();
  t.regex(text, /\(import "env" "memory" \(memory \$\S+ 1024 2048\)\)/);
  t.notRegex(text, /\(memory \$\S+ 3\)/);
  t.deepEqual(prepared.functionExports, { main: "->" });
});

test("an imported env.memory is accepted and normalized too", (t) => {
  const code = wat(`(module (import "env" "memory" (memory 1)) (func (export "main")))`);
  const text = binaryen.readBinary(prepareContract(code).code).emitText();
  t.regex(text, /\(import "env" "memory" \(memory \$\S+ 1024 2048\)\)/);
  t.is(run(code).error, undefined);
});

test("imports from a module other than env fail to compile with PrepareError Instantiate", (t) => {
  const code = wat(`(module (import "other" "f" (func)) (func (export "main")))`);
  const o = run(code);
  t.deepEqual(o.error, {
    kind: "CompilationError",
    message: "PrepareError: Error happened during instantiation.",
    prepareError: "Instantiate",
  });
  t.is(o.errorDebug, "CompilationError(PrepareError(Instantiate))");
  t.is(o.burntGas, 0n, "protocol 77 reports compilation errors as a no-op outcome");
});

test("bytes that are not wasm are a Deserialization error", (t) => {
  const o = run(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]));
  t.is(o.error?.kind, "CompilationError");
  t.is(o.errorDebug, "CompilationError(PrepareError(Deserialization))");
});

test("features off at protocol 77 (bulk memory) are rejected", (t) => {
  const code = wat(
    `(module (memory 1) (func (export "main") (memory.fill (i32.const 0) (i32.const 0) (i32.const 1))))`,
  );
  t.is(run(code).errorDebug, "CompilationError(PrepareError(Deserialization))");
});

test("a loop of known operator count burns exactly loading + ops * regular_op_cost", (t) => {
  const code = wat(LOOP);
  t.is(prepareContract(code).operatorCount, 9);
  const o = run(code);
  t.is(o.error, undefined);
  const expected = contractLoadingCost(code.length) + LOOP_OPS * REGULAR_OP_COST;
  t.is(o.burntGas, expected);
  t.is(o.usedGas, expected);
  t.is(profileOf("WASM_INSTRUCTION"), LOOP_OPS * REGULAR_OP_COST);
  t.is(profileOf("contractLoadingBytes"), EXT_COSTS.contractLoadingBytes * BigInt(code.length));
});

test("if/else and br out of blocks charge only the executed operators", (t) => {
  // main: i32.const 1, if (1), then: i32.const 7, drop (2), end; block, i32.const 0, br_if 0 (2), nop (1), end,
  // i32.const 0, if (2) [then: unreachable, skipped] else: nop (1) end  => 1+1+2+2+1+2+1 = 10
  const code = wat(`(module (func (export "main")
    (if (i32.const 1) (then (drop (i32.const 7))))
    (block $b (br_if $b (i32.const 0)) (nop))
    (if (i32.const 0) (then (unreachable)) (else (nop)))))`);
  const o = run(code);
  t.is(o.error, undefined);
  t.is(profileOf("WASM_INSTRUCTION"), 10n * REGULAR_OP_COST);
});

test("running out of prepaid gas stops with GasExceeded and burns exactly the prepaid gas", (t) => {
  const code = wat(LOOP);
  const prepaidGas = contractLoadingCost(code.length) + 500n * REGULAR_OP_COST;
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
});

test("past 300 Tgas burnt (from wasm) the error is GasLimitExceeded, also in views", (t) => {
  const code = wat(`(module (func (export "main") (loop $l (br $l))))`);
  for (const isView of [false, true]) {
    const o = run(code, { prepaidGas: 1000n * TGAS, isView });
    t.deepEqual(o.error, {
      kind: "ExecutionError",
      message: "Exceeded the maximum amount of gas allowed to burn per contract.",
    });
    t.is(o.burntGas, LIMITS.maxGasBurnt);
  }
});

test("past 300 Tgas burnt (from host functions) the error is GasLimitExceeded", (t) => {
  const code = contract(
    ["validator_total_stake"],
    `(func (export "main") (loop $l (call $validator_total_stake (i64.const 0)) (br $l)))`,
  );
  const o = run(code, { prepaidGas: 1000n * TGAS });
  t.is(o.errorDebug, "HostError(GasLimitExceeded)");
  t.is(o.burntGas, LIMITS.maxGasBurnt);
});

test("unknown method: MethodNotFound with no gas burnt (no-op outcome at protocol 77)", (t) => {
  const o = run(wat(LOOP), { methodName: "missing" });
  t.deepEqual(o.error, { kind: "MethodNotFound" });
  t.is(o.errorDebug, "MethodResolveError(MethodNotFound)");
  t.is(o.burntGas, 0n);
  t.deepEqual(run(wat(LOOP), { methodName: "" }).error, { kind: "MethodEmptyName" });
});

test("a method with parameters is MethodInvalidSignature; an unknown host import is a LinkError", (t) => {
  const o = run(wat(`(module (func (export "main") (param i32)))`));
  t.is(o.errorDebug, "MethodResolveError(MethodInvalidSignature)");
  const l = run(wat(`(module (import "env" "no_such_fn" (func)) (func (export "main")))`));
  t.regex(l.errorDebug ?? "", /^LinkError \{ msg: "Error while importing \\"env\\".\\"no_such_fn\\": unknown import/);
  t.true(l.burntGas > 0n, "linking happens after the contract loading fee");
  const s = run(wat(`(module (import "env" "log_utf8" (func (param i32 i32))) (func (export "main")))`));
  t.regex(s.errorDebug ?? "", /incompatible import type/);
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
  const deep = run(wat(`(module (func $f (export "main") (call $f)))`));
  t.is(deep.errorDebug, "WasmTrap(StackOverflow)");
});

test("the disk cache stores instrumented code and is reused after the memory cache is cleared", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "vm-cache-"));
  setDiskCacheDir(dir);
  try {
    const code = wat(LOOP);
    const first = runFunctionCall(code, "disk-cache-test", context(), new MapState());
    t.true(readdirSync(dir).some((f) => f.endsWith(".wasm")));
    clearMemoryCache();
    const second = runFunctionCall(code, "disk-cache-test", context(), new MapState());
    t.is(lastRunStats?.prepareMs, 0, "instrumented code came from disk");
    t.is(second.burntGas, first.burntGas);
  } finally {
    setDiskCacheDir(undefined);
  }
});
