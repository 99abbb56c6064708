// Small test contracts in WebAssembly text, compiled with binaryen. They call nearcore host functions
// directly (module "env", u64 as i64) to exercise the promise DAG, failures, logs and storage. They declare their
// own memory: nearcore replaces it with the VM's, and refuses a module that imports one (PrepareError::Memory).
import binaryen from "binaryen";

const IMPORTS = `
  (import "env" "input" (func $input (param i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "current_account_id" (func $current_account_id (param i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (import "env" "panic_utf8" (func $panic_utf8 (param i64 i64)))
  (import "env" "log_utf8" (func $log_utf8 (param i64 i64)))
  (import "env" "storage_write" (func $storage_write (param i64 i64 i64 i64 i64) (result i64)))
  (import "env" "attached_deposit" (func $attached_deposit (param i64)))
  (import "env" "promise_create" (func $promise_create (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_then" (func $promise_then (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_and" (func $promise_and (param i64 i64) (result i64)))
  (import "env" "promise_return" (func $promise_return (param i64)))
  (import "env" "promise_results_count" (func $promise_results_count (result i64)))
  (import "env" "promise_result" (func $promise_result (param i64 i64) (result i64)))
  (memory 1)
`;

/** callee.test.near: ok -> "hello", fail -> panic "boom", write -> stores k=v, log_and_panic, spin (loops). */
export const CALLEE_WAT = `(module ${IMPORTS}
  (data (i32.const 0) "hello")
  (data (i32.const 16) "boom")
  (data (i32.const 32) "about to fail")
  (data (i32.const 48) "kv")
  (func (export "ok") (call $value_return (i64.const 5) (i64.const 0)))
  (func (export "fail") (call $panic_utf8 (i64.const 4) (i64.const 16)))
  (func (export "write") (drop (call $storage_write (i64.const 1) (i64.const 48) (i64.const 1) (i64.const 49) (i64.const 0))))
  (func (export "write_then_fail")
    (drop (call $storage_write (i64.const 1) (i64.const 48) (i64.const 1) (i64.const 49) (i64.const 0)))
    (call $panic_utf8 (i64.const 4) (i64.const 16)))
  (func (export "log_and_panic")
    (call $log_utf8 (i64.const 13) (i64.const 32))
    (call $panic_utf8 (i64.const 4) (i64.const 16)))
  (func (export "spin") (loop $l (br $l)))
)`;

/**
 * caller.test.near:
 * - call_then(input = callee method): callee.<method>() with the attached deposit, then self.cb(); returns cb's result
 * - both(): promise_and(callee.ok(), callee.fail()) then self.cb_all()
 * - cb(): the callee's value if it succeeded, else "failed"
 * - cb_all(): "<count>:<status>,<status>"
 */
export const CALLER_WAT = `(module ${IMPORTS}
  (data (i32.const 0) "callee.test.near")
  (data (i32.const 32) "cb")
  (data (i32.const 40) "failed")
  (data (i32.const 48) "ok")
  (data (i32.const 56) "fail")
  (data (i32.const 64) "cb_all")
  (global $gas i64 (i64.const 20000000000000))
  ;; own account id at 1000, its length returned
  (func $me (result i64)
    (call $current_account_id (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 1000))
    (call $register_len (i64.const 0)))
  (func (export "call_then") (local $p i64) (local $len i64) (local $me i64)
    (call $input (i64.const 1))
    (call $read_register (i64.const 1) (i64.const 2000))
    (local.set $len (call $register_len (i64.const 1)))
    (call $attached_deposit (i64.const 3000))
    (local.set $p (call $promise_create (i64.const 16) (i64.const 0) (local.get $len) (i64.const 2000)
      (i64.const 0) (i64.const 0) (i64.const 3000) (global.get $gas)))
    (local.set $me (call $me))
    (call $promise_return (call $promise_then (local.get $p) (local.get $me) (i64.const 1000) (i64.const 2) (i64.const 32)
      (i64.const 0) (i64.const 0) (i64.const 4000) (global.get $gas))))
  (func (export "both") (local $a i64) (local $b i64) (local $me i64)
    (local.set $a (call $promise_create (i64.const 16) (i64.const 0) (i64.const 2) (i64.const 48)
      (i64.const 0) (i64.const 0) (i64.const 4000) (global.get $gas)))
    (local.set $b (call $promise_create (i64.const 16) (i64.const 0) (i64.const 4) (i64.const 56)
      (i64.const 0) (i64.const 0) (i64.const 4000) (global.get $gas)))
    (i64.store (i32.const 5000) (local.get $a))
    (i64.store (i32.const 5008) (local.get $b))
    (local.set $me (call $me))
    (drop (call $promise_then (call $promise_and (i64.const 5000) (i64.const 2)) (local.get $me) (i64.const 1000)
      (i64.const 6) (i64.const 64) (i64.const 0) (i64.const 0) (i64.const 4000) (global.get $gas))))
  (func (export "cb")
    (if (i64.eq (call $promise_result (i64.const 0) (i64.const 2)) (i64.const 1))
      (then
        (call $read_register (i64.const 2) (i64.const 6000))
        (call $value_return (call $register_len (i64.const 2)) (i64.const 6000)))
      (else (call $value_return (i64.const 6) (i64.const 40)))))
  (func (export "cb_all")
    ;; "<count>:<s0>,<s1>" with single digits
    (i64.store8 (i32.const 7000) (i64.add (i64.const 48) (call $promise_results_count)))
    (i32.store8 (i32.const 7001) (i32.const 58))
    (i64.store8 (i32.const 7002) (i64.add (i64.const 48) (call $promise_result (i64.const 0) (i64.const 3))))
    (i32.store8 (i32.const 7003) (i32.const 44))
    (i64.store8 (i32.const 7004) (i64.add (i64.const 48) (call $promise_result (i64.const 1) (i64.const 3))))
    (call $value_return (i64.const 5) (i64.const 7000)))
)`;

export function compileWat(text: string): Uint8Array {
  const mod = binaryen.parseText(text);
  try {
    if (!mod.validate()) throw new Error("invalid wasm module");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}
