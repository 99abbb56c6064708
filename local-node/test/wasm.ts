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

/**
 * yielder: NEP-519 yield/resume through nearcore's host functions (local-node/test/yield.test.ts,
 * sandbox-tests/local-node/yield.test.ts):
 * - yield(): promise_yield_create("cb", "", 20 Tgas) and returns the data id (32 bytes)
 * - yield_ret(): the same, storing the data id under "last" and returning the yield promise (the transaction's
 *   value is the callback's); last() (view): that data id
 * - resume(data id ++ payload): promise_yield_resume, returns "1" / "0"
 * - resume_twice(data id ++ payload): two resumes in one call, returns e.g. "11"
 * - yield_resume_same(): creates a yield and resumes it twice in the same call with "now", returns e.g. "11"
 * - yield_then(): yield(), with a promise_then(cb) on the yield (a receipt waiting for the callback's result)
 * - yield_with_id(yield id): promise_yield_create_with_id (protocol 85), returns "1", or "0" for u64::MAX (taken)
 * - yield_with_id_twice(yield id): the same twice in one call, returns e.g. "10"
 * - yield_with_id_panic(yield id): creates the yield, then traps
 * - resume_id(yield id ++ payload): promise_yield_resume_with_yield_id, returns "1" / "0"
 * - cb(): logs "resumed" and returns the payload (promise result 0) if it succeeded, else returns "failed"
 */
export const YIELDER_WAT = `(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "read_register" (func $rr (param i64 i64)))
  (import "env" "register_len" (func $rl (param i64) (result i64)))
  (import "env" "value_return" (func $vr (param i64 i64)))
  (import "env" "log_utf8" (func $log (param i64 i64)))
  (import "env" "promise_return" (func $pr (param i64)))
  (import "env" "promise_result" (func $presult (param i64 i64) (result i64)))
  (import "env" "promise_yield_create" (func $yc (param i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_yield_create_with_id" (func $ycid (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_yield_resume" (func $resume (param i64 i64 i64 i64) (result i32)))
  (import "env" "promise_yield_resume_with_yield_id" (func $resume_id (param i64 i64 i64 i64) (result i32)))
  (import "env" "current_account_id" (func $cai (param i64)))
  (import "env" "storage_write" (func $sw (param i64 i64 i64 i64 i64) (result i64)))
  (import "env" "storage_read" (func $sr (param i64 i64 i64) (result i64)))
  (import "env" "promise_then" (func $then (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (memory 1)
  (data (i32.const 0) "cb")
  (data (i32.const 8) "failed")
  (data (i32.const 16) "resumed")
  (data (i32.const 32) "now")
  (data (i32.const 48) "last")
  (func $create (result i64)
    (call $yc (i64.const 2) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 20000000000000) (i64.const 0) (i64.const 0)))
  (func (export "yield")
    (drop (call $create))
    (call $rr (i64.const 0) (i64.const 100))
    (call $vr (i64.const 32) (i64.const 100)))
  (func (export "yield_ret") (local $p i64)
    (local.set $p (call $create))
    (call $rr (i64.const 0) (i64.const 100))
    (drop (call $sw (i64.const 4) (i64.const 48) (i64.const 32) (i64.const 100) (i64.const 9)))
    (call $pr (local.get $p)))
  (func (export "last")
    (if (i64.eq (call $sr (i64.const 4) (i64.const 48) (i64.const 0)) (i64.const 1))
      (then (call $rr (i64.const 0) (i64.const 100)) (call $vr (i64.const 32) (i64.const 100)))))
  (func $resume_input (result i32) (local $len i64)
    (call $input (i64.const 1))
    (call $rr (i64.const 1) (i64.const 1000))
    (local.set $len (call $rl (i64.const 1)))
    (i32.add (i32.const 48)
      (call $resume (i64.const 32) (i64.const 1000) (i64.sub (local.get $len) (i64.const 32)) (i64.const 1032))))
  (func (export "resume")
    (i32.store8 (i32.const 200) (call $resume_input))
    (call $vr (i64.const 1) (i64.const 200)))
  (func (export "resume_twice")
    (i32.store8 (i32.const 200) (call $resume_input))
    (i32.store8 (i32.const 201) (call $resume_input))
    (call $vr (i64.const 2) (i64.const 200)))
  (func (export "yield_resume_same")
    (drop (call $create))
    (call $rr (i64.const 0) (i64.const 100))
    (i32.store8 (i32.const 200)
      (i32.add (i32.const 48) (call $resume (i64.const 32) (i64.const 100) (i64.const 3) (i64.const 32))))
    (i32.store8 (i32.const 201)
      (i32.add (i32.const 48) (call $resume (i64.const 32) (i64.const 100) (i64.const 3) (i64.const 32))))
    (call $vr (i64.const 2) (i64.const 200)))
  (func (export "yield_then") (local $p i64)
    (local.set $p (call $create))
    (call $rr (i64.const 0) (i64.const 100))
    (call $cai (i64.const 3))
    (call $rr (i64.const 3) (i64.const 3000))
    (drop (call $then (local.get $p) (call $rl (i64.const 3)) (i64.const 3000) (i64.const 2) (i64.const 0)
      (i64.const 0) (i64.const 0) (i64.const 4000) (i64.const 10000000000000)))
    (call $vr (i64.const 32) (i64.const 100)))
  ;; "1" when promise_yield_create_with_id(input) created a yield, "0" when it answered u64::MAX
  (func $create_id (result i32)
    (call $input (i64.const 1))
    (call $rr (i64.const 1) (i64.const 400))
    (i32.add (i32.const 48) (i64.ne (i64.const -1)
      (call $ycid (i64.const 2) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 300)
        (i64.const 20000000000000) (i64.const 0) (call $rl (i64.const 1)) (i64.const 400)))))
  (func (export "yield_with_id")
    (i32.store8 (i32.const 200) (call $create_id))
    (call $vr (i64.const 1) (i64.const 200)))
  (func (export "yield_with_id_twice")
    (i32.store8 (i32.const 200) (call $create_id))
    (i32.store8 (i32.const 201) (call $create_id))
    (call $vr (i64.const 2) (i64.const 200)))
  (func (export "yield_with_id_panic")
    (drop (call $create_id))
    (unreachable))
  (func (export "resume_id") (local $len i64)
    (call $input (i64.const 1))
    (call $rr (i64.const 1) (i64.const 1000))
    (local.set $len (call $rl (i64.const 1)))
    (i32.store8 (i32.const 200) (i32.add (i32.const 48)
      (call $resume_id (i64.const 32) (i64.const 1000) (i64.sub (local.get $len) (i64.const 32)) (i64.const 1032))))
    (call $vr (i64.const 1) (i64.const 200)))
  (func (export "cb")
    (if (i64.eq (call $presult (i64.const 0) (i64.const 2)) (i64.const 1))
      (then
        (call $log (i64.const 7) (i64.const 16))
        (call $rr (i64.const 2) (i64.const 6000))
        (call $vr (call $rl (i64.const 2)) (i64.const 6000)))
      (else (call $vr (i64.const 6) (i64.const 8)))))
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
