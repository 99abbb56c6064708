// What a contract's new receipts must satisfy and where their money goes, as nearcore's apply_action_receipt does it
// (findings of an audit of the protocol-86 switch, each a rule here):
// - the receipts a call creates are validated like a transaction's actions (validate_receipt, NewReceipt mode): 11
//   deploys in one batch fail the call with NewReceiptValidationError and change nothing;
// - promise_set_refund_to sends a failed receipt's deposit to that account, not to the predecessor;
// - current_contract_code tells local code from a global contract (by hash: 2, by account: 3);
// - only a receipt's last action answers the callbacks waiting on it (and pays their data-receipt bytes);
import test from "ava";
import { account, actions, balance, NEAR, type NodeHandle, type Signer, startNodeWith, TGAS, tx } from "./harness.ts";
import { compileWat } from "./wasm.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC outcome objects
type Any = any;
const PROBE = compileWat(`(module
  (import "env" "promise_batch_create" (func $pbc (param i64 i64) (result i64)))
  (import "env" "promise_batch_action_deploy_contract" (func $deploy (param i64 i64 i64)))
  (import "env" "promise_batch_action_transfer" (func $transfer (param i64 i64)))
  (import "env" "promise_batch_action_function_call" (func $call (param i64 i64 i64 i64 i64 i64 i64)))
  (import "env" "promise_then" (func $then (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_set_refund_to" (func $refund_to (param i64 i64 i64)))
  (import "env" "current_contract_code" (func $ccc (param i64) (result i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "current_account_id" (func $cai (param i64)))
  (import "env" "read_register" (func $rr (param i64 i64)))
  (import "env" "value_return" (func $vr (param i64 i64)))
  (memory 1)
  (data (i32.const 0) "\\00\\00\\a0\\de\\c5\\ad\\c9\\35\\36\\00\\00\\00\\00\\00\\00\\00")
  (data (i32.const 16) "\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00")
  (data (i32.const 100) "nobody.test.near")
  (data (i32.const 120) "carol.test.near")
  (data (i32.const 140) "abc")
  (data (i32.const 150) "ret")
  (data (i32.const 160) "noop")
  (data (i32.const 170) "cb")
  (func (export "deploys") (local $p i64) (local $i i32)
    (call $cai (i64.const 1))
    (call $rr (i64.const 1) (i64.const 300))
    (local.set $p (call $pbc (call $register_len (i64.const 1)) (i64.const 300)))
    (loop $l
      (call $deploy (local.get $p) (i64.const 3) (i64.const 140))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 11)))))
  (func (export "refund_to_carol") (local $p i64)
    (local.set $p (call $pbc (i64.const 16) (i64.const 100)))
    (call $transfer (local.get $p) (i64.const 0))
    (call $refund_to (local.get $p) (i64.const 15) (i64.const 120)))
  (func (export "ccc")
    (i64.store (i32.const 400) (call $ccc (i64.const 0)))
    (i64.store (i32.const 408) (call $register_len (i64.const 0)))
    (call $vr (i64.const 16) (i64.const 400)))
  (func (export "ret") (call $vr (i64.const 1000) (i64.const 1000)))
  (func (export "noop"))
  (func (export "cb"))
  (func (export "batch") (local $p i64)
    (call $cai (i64.const 1))
    (call $rr (i64.const 1) (i64.const 300))
    (local.set $p (call $pbc (call $register_len (i64.const 1)) (i64.const 300)))
    (call $call (local.get $p) (i64.const 3) (i64.const 150) (i64.const 0) (i64.const 0) (i64.const 16) (i64.const 10000000000000))
    (call $call (local.get $p) (i64.const 4) (i64.const 160) (i64.const 0) (i64.const 0) (i64.const 16) (i64.const 10000000000000))
    (drop (call $then (local.get $p) (call $register_len (i64.const 1)) (i64.const 300) (i64.const 2) (i64.const 170)
      (i64.const 0) (i64.const 0) (i64.const 16) (i64.const 10000000000000))))
)`);

let node: NodeHandle;
let alice: Signer;
let bob: Signer;
let carol: Signer;
const call = (method: string, gas = 100n * TGAS) => actions.functionCall(method, Buffer.from(""), gas, 0n);
const view = (account_id: string, method_name: string) =>
  node.call("query", { request_type: "call_function", finality: "final", account_id, method_name, args_base64: "" });

test.before(async () => {
  ({
    node,
    accounts: { alice, bob, carol },
  } = await startNodeWith({ alice: 50n * NEAR, bob: 10n * NEAR, carol: 10n * NEAR }));
  for (const s of [bob, carol]) await s.exec(s.accountId, [actions.deployContract(PROBE)]);
});
test.after.always(() => node?.stop());

test.serial("11 deploys in a receipt a contract creates: NewReceiptValidationError, the code unchanged", async (t) => {
  const before = (await account(node, bob.accountId)).code_hash;
  const r = await alice.exec(bob.accountId, [call("deploys")]);
  t.deepEqual(r.status.Failure.ActionError, {
    index: 0,
    kind: {
      NewReceiptValidationError: {
        ActionsValidation: { TotalNumberOfDeployActionsExceeded: { number_of_deploy_actions: 11, limit: 10 } },
      },
    },
  });
  t.is(r.receipts_outcome.filter((o: Any) => o.outcome.executor_id === bob.accountId).length, 1, "nothing was sent");
  t.is((await account(node, bob.accountId)).code_hash, before);
});

test.serial("promise_set_refund_to: a failed transfer's deposit goes to that account", async (t) => {
  const b0 = await balance(node, bob.accountId);
  const c0 = await balance(node, carol.accountId);
  const r = await alice.exec(bob.accountId, [call("refund_to_carol", 50n * TGAS)]);
  const failed = r.receipts_outcome.find((o: Any) => o.outcome.executor_id === "nobody.test.near");
  t.deepEqual(Object.keys(failed.outcome.status.Failure.ActionError.kind), ["AccountDoesNotExist"]);
  t.is((await balance(node, carol.accountId)) - c0, 10n ** 21n, "carol got the deposit back");
  // bob paid the deposit and got the 30% contract reward, never the deposit back
  t.true((await balance(node, bob.accountId)) < b0);
});

test.serial("current_contract_code: local 1, global by hash 2, global by account 3", async (t) => {
  const kind = async (id: string) => {
    const out = Buffer.from((await view(id, "ccc")).result);
    return [Number(out.readBigUInt64LE(0)), Number(out.readBigUInt64LE(8))];
  };
  t.deepEqual(await kind(bob.accountId), [1, 32]);
  const mode = (m: string) => new tx.GlobalContractDeployMode({ [m]: null });
  await alice.exec(alice.accountId, [
    actions.deployGlobalContract(PROBE, mode("CodeHash")),
    actions.deployGlobalContract(PROBE, mode("AccountId")),
  ]);
  const hash = new tx.GlobalContractIdentifier({
    CodeHash: (await import("node:crypto")).createHash("sha256").update(PROBE).digest(),
  });
  await bob.exec(bob.accountId, [actions.useGlobalContract(hash)]);
  await carol.exec(carol.accountId, [
    actions.useGlobalContract(new tx.GlobalContractIdentifier({ AccountId: alice.accountId })),
  ]);
  t.deepEqual(await kind(bob.accountId), [2, 32]);
  t.deepEqual(await kind(carol.accountId), [3, alice.accountId.length]);
  // and in a call, not only in a view
  const r = await alice.exec(carol.accountId, [call("ccc", 30n * TGAS)]);
  t.is(Buffer.from(r.status.SuccessValue, "base64").readBigUInt64LE(0), 3n);
});

test.serial(
  "only the last action of a batch answers its callback: no data-receipt byte fee for the others",
  async (t) => {
    const r = await alice.exec(bob.accountId, [call("batch")]);
    t.truthy(r.status.SuccessValue !== undefined, JSON.stringify(r.status));
    const batch = r.receipts_outcome.find(
      (o: Any) =>
        o.outcome.executor_id === bob.accountId &&
        o.outcome.metadata.gas_profile.some((c: Any) => c.cost === "FUNCTION_CALL_BASE") &&
        o.outcome.logs.length === 0 &&
        o.id !== r.transaction_outcome.outcome.receipt_ids[0],
    );
    t.truthy(batch);
    // `ret` returns 1,000 bytes but is not the last action: nearcore passes it no output data receivers
    t.false(batch.outcome.metadata.gas_profile.some((c: Any) => c.cost === "NEW_DATA_RECEIPT_BYTE"));
  },
);
