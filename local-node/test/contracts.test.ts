// Function calls through the VM layer: promise_then / promise_and callbacks with Successful and Failed
// results, promise_return, deposit refunds, logs and rollback on failure, the 30% contract reward, views.
import test from "ava";
import {
  actions,
  balance,
  createAccount,
  GAS_PRICE,
  NEAR,
  type NodeHandle,
  type Signer,
  startNode,
  TGAS,
} from "./harness.ts";
import { CALLEE_WAT, CALLER_WAT, compileWat } from "./wasm.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC outcome objects
type Any = any;
let node: NodeHandle;
let caller: Signer;
let callee: Signer;
let user: Signer;
const b64 = (s: string) => Buffer.from(s).toString("base64");
const call = (method: string, args = "", deposit = 0n, gas = 100n * TGAS) =>
  actions.functionCall(method, Buffer.from(args), gas, deposit);

test.before(async () => {
  node = await startNode();
  caller = await createAccount(node.root, "caller.test.near", 20n * NEAR);
  callee = await createAccount(node.root, "callee.test.near", 20n * NEAR);
  user = await createAccount(node.root, "user.test.near", 50n * NEAR);
  await caller.exec(caller.accountId, [actions.deployContract(compileWat(CALLER_WAT))]);
  await callee.exec(callee.accountId, [actions.deployContract(compileWat(CALLEE_WAT))]);
});
test.after.always(async () => {
  await node?.stop();
});

const byExecutor = (r: Any, id: string) => r.receipts_outcome.filter((o: Any) => o.outcome.executor_id === id);

test.serial("then-callback sees the callee's value; promise_return forwards it", async (t) => {
  const r = await user.exec(caller.accountId, [call("call_then", "ok")]);
  t.deepEqual(r.status, { SuccessValue: b64("hello") });
  const [first] = r.receipts_outcome;
  t.is(first.outcome.executor_id, caller.accountId);
  t.truthy(first.outcome.status.SuccessReceiptId);
  const cb = r.receipts_outcome.find((o: Any) => o.id === first.outcome.status.SuccessReceiptId);
  t.is(cb.outcome.executor_id, caller.accountId);
  t.deepEqual(cb.outcome.status, { SuccessValue: b64("hello") });
  // callee ran one block after the caller, the callback after the data receipt arrived
  const h = async (o: Any) => (await node.call("block", { block_id: o.block_hash })).header.height;
  const calleeOutcome = byExecutor(r, callee.accountId)[0];
  t.is(await h(calleeOutcome), (await h(first)) + 1);
  t.is(await h(cb), (await h(calleeOutcome)) + 1);
});

test.serial("a failed callee gives the callback a Failed result; the transaction still succeeds", async (t) => {
  const c0 = await balance(node, callee.accountId);
  const r = await user.exec(caller.accountId, [call("call_then", "fail", 7n)]);
  t.deepEqual(r.status, { SuccessValue: b64("failed") });
  const failed = byExecutor(r, callee.accountId)[0];
  t.deepEqual(failed.outcome.status, {
    Failure: {
      ActionError: { index: 0, kind: { FunctionCallError: { ExecutionError: "Smart contract panicked: boom" } } },
    },
  });
  // the 7 yocto attached to the failed call go back to its predecessor (the caller) from `system`
  const refunds = r.receipts_outcome.filter((o: Any) => failed.outcome.receipt_ids.includes(o.id));
  t.true(refunds.some((o: Any) => o.outcome.executor_id === caller.accountId));
  // the callee keeps nothing but its 30% reward of the VM gas it burnt
  const fees = 108_059_500_000n + 780_000_000_000n + 2_235_934n * 4n;
  const vmGas = BigInt(failed.outcome.gas_burnt) - fees;
  t.is(await balance(node, callee.accountId), c0 + ((vmGas * 3n) / 10n) * GAS_PRICE);
});

test.serial("promise_and: the callback gets both results in order", async (t) => {
  const r = await user.exec(caller.accountId, [call("both")]);
  t.truthy(r.status.SuccessValue !== undefined);
  const cbAll = r.receipts_outcome.find((o: Any) => o.outcome.status.SuccessValue === b64("2:1,2"));
  t.truthy(cbAll, JSON.stringify(r.receipts_outcome.map((o: Any) => o.outcome.status)));
  t.is(byExecutor(r, callee.accountId).length >= 2, true);
});

test.serial("failure rolls back storage writes but keeps logs and burnt gas", async (t) => {
  const r = await user.exec(callee.accountId, [call("log_and_panic")]);
  const o = r.receipts_outcome[0];
  t.deepEqual(o.outcome.logs, ["about to fail"]);
  t.truthy(r.status.Failure);
  const w = await user.exec(callee.accountId, [call("write_then_fail")]);
  t.truthy(w.status.Failure);
  const empty = await node.call("query", {
    request_type: "view_state",
    finality: "final",
    account_id: callee.accountId,
    prefix_base64: "",
  });
  t.deepEqual(empty.values, []);
  const before = await node.call("query", {
    request_type: "view_account",
    finality: "final",
    account_id: callee.accountId,
  });
  const ok = await user.exec(callee.accountId, [call("write")]);
  t.deepEqual(ok.status, { SuccessValue: "" });
  const state = await node.call("query", {
    request_type: "view_state",
    finality: "final",
    account_id: callee.accountId,
    prefix_base64: "",
  });
  t.deepEqual(state.values, [{ key: b64("k"), value: b64("v") }]);
  const after = await node.call("query", {
    request_type: "view_account",
    finality: "final",
    account_id: callee.accountId,
  });
  t.is(after.storage_usage, before.storage_usage + 1 + 1 + 40);
});

test.serial("running out of prepaid gas burns all of it", async (t) => {
  const u0 = await balance(node, user.accountId);
  const r = await user.exec(callee.accountId, [call("spin", "", 0n, 5n * TGAS)]);
  t.deepEqual(r.status.Failure.ActionError.kind, {
    FunctionCallError: { ExecutionError: "Exceeded the prepaid gas." },
  });
  const fees = 108_059_500_000n + 780_000_000_000n + 2_235_934n * 4n;
  t.is(BigInt(r.receipts_outcome[0].outcome.gas_burnt), fees + 5n * TGAS);
  const send = 108_059_500_000n + 200_000_000_000n + 47_683_715n * 4n;
  t.is(await balance(node, user.accountId), u0 - (send + fees + 5n * TGAS) * GAS_PRICE);
});

test.serial("view calls: value, panic, missing method", async (t) => {
  const q = (method: string) =>
    node.call("query", {
      request_type: "call_function",
      finality: "final",
      account_id: callee.accountId,
      method_name: method,
      args_base64: "",
    });
  t.deepEqual((await q("ok")).result, [...Buffer.from("hello")]);
  t.regex((await q("fail")).error, /^wasm execution failed with error: .*GuestPanic.*boom/);
  t.regex((await q("nope")).error, /MethodResolveError\(MethodNotFound\)/);
  t.regex((await q("write")).error, /ProhibitedInView/);
});

test.serial(
  "total supply falls by the tokens burnt minus the 30% contract rewards, across the receipt tree",
  async (t) => {
    const supply = async () => BigInt((await node.call("block", { finality: "final" })).header.total_supply);
    const s0 = await supply();
    const r = await user.exec(caller.accountId, [call("call_then", "ok")]);
    const s1 = await supply();
    const all = [r.transaction_outcome, ...r.receipts_outcome];
    const burnt = all.reduce((n: bigint, o: Any) => n + BigInt(o.outcome.tokens_burnt), 0n);
    // rewards: for each function-call receipt, 30% of the gas its VM burnt (gas_burnt minus the fixed fees)
    const status = await node.call("EXPERIMENTAL_tx_status", {
      tx_hash: r.transaction.hash,
      sender_account_id: user.accountId,
    });
    let rewards = 0n;
    for (const rc of status.receipts) {
      const fc = rc.receipt.Action.actions[0]?.FunctionCall;
      if (!fc) continue;
      const o = r.receipts_outcome.find((x: Any) => x.id === rc.receipt_id);
      const bytes = BigInt(Buffer.byteLength(fc.method_name) + Buffer.from(fc.args, "base64").length);
      const vm = BigInt(o.outcome.gas_burnt) - 108_059_500_000n - 780_000_000_000n - 2_235_934n * bytes;
      rewards += ((vm * 3n) / 10n) * GAS_PRICE;
    }
    t.true(rewards > 0n);
    t.is(s0 - s1, burnt - rewards);
  },
);

test.serial(
  "validator_stake sees the node's validator (test.near, its genesis stake), as the validators RPC shows it",
  async (t) => {
    const stakes = compileWat(`(module
    (import "env" "validator_stake" (func $validator_stake (param i64 i64 i64)))
    (import "env" "validator_total_stake" (func $validator_total_stake (param i64)))
    (import "env" "value_return" (func $value_return (param i64 i64)))
    (memory 1)
    (data (i32.const 0) "test.near")
    (func (export "stakes")
      (call $validator_stake (i64.const 9) (i64.const 0) (i64.const 16))
      (call $validator_total_stake (i64.const 32))
      (call $value_return (i64.const 32) (i64.const 16))))`);
    const v = await createAccount(node.root, "stakes.test.near", 5n * NEAR);
    await v.exec(v.accountId, [actions.deployContract(stakes)]);
    const r = await user.exec(v.accountId, [call("stakes")]);
    const out = Buffer.from(r.status.SuccessValue, "base64");
    const u128 = (off: number) => out.readBigUInt64LE(off) + (out.readBigUInt64LE(off + 8) << 64n);
    const validators = await node.call("validators", [null]);
    const stake = BigInt(validators.current_validators[0].stake);
    t.is(stake, 5n * 10n ** 31n, "genesis: test.near stakes 5 * 10^7 NEAR");
    t.deepEqual([u128(0), u128(16)], [stake, stake]);
  },
);
