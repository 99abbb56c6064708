// Promise host functions: receipts and actions recorded, DAG dependencies, promise_return, gas weights,
// promise results, fees (sir vs not sir), balance deduction and view prohibitions.

import test from "ava";
import { ACTION_FEES, EXT_COSTS } from "../../src/runtime-config.ts";
import { contract, profileOf, run, TGAS } from "./helpers.ts";

const ALL = [
  "promise_create",
  "promise_then",
  "promise_and",
  "promise_batch_create",
  "promise_batch_then",
  "promise_batch_action_create_account",
  "promise_batch_action_deploy_contract",
  "promise_batch_action_function_call",
  "promise_batch_action_function_call_weight",
  "promise_batch_action_transfer",
  "promise_batch_action_stake",
  "promise_batch_action_add_key_with_full_access",
  "promise_batch_action_add_key_with_function_call",
  "promise_batch_action_delete_key",
  "promise_batch_action_delete_account",
  "promise_results_count",
  "promise_result",
  "promise_return",
  "value_return",
];

// memory layout: 0 "other.test.near" (15), 15 "contract.test.near" (18), 33 "cb" (2), 35 "{}" (2),
// 37 "a,bc" (4), 48 u128 amount, 64 ed25519 public key (33 bytes, borsh), 100 promise index list
const AMOUNT = 10n ** 24n;
const amountBytes = Buffer.alloc(16);
amountBytes.writeBigUInt64LE(AMOUNT & (2n ** 64n - 1n), 0);
amountBytes.writeBigUInt64LE(AMOUNT >> 64n, 8);
const PK = Buffer.concat([Buffer.from([0]), Buffer.alloc(32, 9)]);
const DATA = Buffer.concat([
  Buffer.from("other.test.nearcontract.test.nearcb{}a,bc", "latin1"),
  Buffer.alloc(48 - 41),
  amountBytes,
  PK,
]).toString("latin1");
const OTHER = "(i64.const 15) (i64.const 0)";
const SELF = "(i64.const 18) (i64.const 15)";
const CB = "(i64.const 2) (i64.const 33) (i64.const 2) (i64.const 35)";

test("promise_create records a function call receipt, deducts the deposit and charges not-sir fees", (t) => {
  const code = contract(
    ALL,
    `(func (export "main") (drop (call $promise_create ${OTHER} ${CB} (i64.const 48) (i64.const 5000000000000))))`,
    DATA,
  );
  const balance = 5n * AMOUNT;
  const o = run(code, { accountBalance: balance });
  t.is(o.error, undefined);
  t.deepEqual(o.newReceipts, [
    {
      receiverId: "other.test.near",
      inputReceiptIndices: [],
      actions: [
        {
          kind: "FunctionCall",
          methodName: "cb",
          args: new TextEncoder().encode("{}"),
          gas: 5n * TGAS,
          deposit: AMOUNT,
        },
      ],
    },
  ]);
  t.is(o.balance, balance - AMOUNT);
  const { actionReceiptCreation: arc, functionCallBase: fc, functionCallPerByte: fb } = ACTION_FEES;
  t.is(profileOf("NEW_ACTION_RECEIPT"), arc.sendNotSir);
  t.is(profileOf("FUNCTION_CALL_BASE"), fc.sendNotSir);
  t.is(profileOf("FUNCTION_CALL_BYTE"), 4n * fb.sendNotSir);
  t.is(o.usedGas - o.burntGas, arc.execution + fc.execution + 4n * fb.execution + 5n * TGAS);
  t.is(profileOf("BASE"), 2n * EXT_COSTS.base, "promise_create pays base twice");
});

test("promise_then and promise_and build data dependencies; promise_return returns a receipt", (t) => {
  const code = contract(
    ALL,
    `(func (export "main") (local $a i64) (local $b i64) (local $c i64)
      (local.set $a (call $promise_create ${OTHER} ${CB} (i64.const 120) (i64.const 1000)))
      (local.set $b (call $promise_batch_create ${SELF}))
      (i64.store (i32.const 100) (local.get $a))
      (i64.store (i32.const 108) (local.get $b))
      (local.set $c (call $promise_and (i64.const 100) (i64.const 2)))
      (call $promise_return (call $promise_then (local.get $c) ${SELF} ${CB} (i64.const 120) (i64.const 2000))))`,
    DATA,
  );
  const o = run(code);
  t.is(o.error, undefined);
  t.is(o.newReceipts.length, 3);
  t.deepEqual(o.newReceipts[2].inputReceiptIndices, [0, 1]);
  t.is(o.newReceipts[2].receiverId, "contract.test.near");
  t.deepEqual(o.returnData, { kind: "ReceiptIndex", index: 2 });
  // the `then` receipt waits on a not-sir (other -> self) and a sir (self -> self) data receipt
  const { actionReceiptCreation: arc, dataReceiptBase: drb } = ACTION_FEES;
  t.is(
    profileOf("NEW_ACTION_RECEIPT"),
    arc.sendNotSir + arc.sendSir + arc.sendSir + drb.sendNotSir + drb.execution + drb.sendSir + drb.execution,
  );
  t.is(profileOf("PROMISE_AND_PER_PROMISE"), 16n * EXT_COSTS.promise_and_per_promise);

  const joint = contract(
    ALL,
    `(func (export "main")
      (i64.store (i32.const 100) (call $promise_batch_create ${OTHER}))
      (call $promise_return (call $promise_and (i64.const 100) (i64.const 1))))`,
    DATA,
  );
  t.is(run(joint).errorDebug, "HostError(CannotReturnJointPromise)");
  const bad = contract(ALL, `(func (export "main") (call $promise_return (i64.const 3)))`, DATA);
  t.deepEqual(run(bad).error, { kind: "ExecutionError", message: "3 does not correspond to existing promises" });
});

test("batch actions are recorded with their arguments", (t) => {
  const code = contract(
    ALL,
    `(func (export "main") (local $p i64)
      (local.set $p (call $promise_batch_create ${OTHER}))
      (call $promise_batch_action_create_account (local.get $p))
      (call $promise_batch_action_transfer (local.get $p) (i64.const 48))
      (call $promise_batch_action_deploy_contract (local.get $p) (i64.const 4) (i64.const 37))
      (call $promise_batch_action_add_key_with_full_access (local.get $p) (i64.const 33) (i64.const 64) (i64.const 7))
      (call $promise_batch_action_add_key_with_function_call (local.get $p) (i64.const 33) (i64.const 64) (i64.const 8)
        (i64.const 48) ${SELF} (i64.const 4) (i64.const 37))
      (call $promise_batch_action_stake (local.get $p) (i64.const 48) (i64.const 33) (i64.const 64))
      (call $promise_batch_action_delete_key (local.get $p) (i64.const 33) (i64.const 64))
      (call $promise_batch_action_delete_account (local.get $p) ${SELF}))`,
    DATA,
  );
  const o = run(code, { accountBalance: 3n * AMOUNT });
  t.is(o.error, undefined);
  const pk = new Uint8Array(PK);
  t.deepEqual(o.newReceipts[0].actions, [
    { kind: "CreateAccount" },
    { kind: "Transfer", deposit: AMOUNT },
    { kind: "DeployContract", code: new TextEncoder().encode("a,bc") },
    { kind: "AddKey", publicKey: pk, nonce: 7n, permission: { kind: "FullAccess" } },
    {
      kind: "AddKey",
      publicKey: pk,
      nonce: 8n,
      permission: {
        kind: "FunctionCall",
        allowance: AMOUNT,
        receiverId: "contract.test.near",
        methodNames: ["a", "bc"],
      },
    },
    { kind: "Stake", stake: AMOUNT, publicKey: pk },
    { kind: "DeleteKey", publicKey: pk },
    { kind: "DeleteAccount", beneficiaryId: "contract.test.near" },
  ]);
  t.is(o.balance, 2n * AMOUNT, "only the transfer leaves the balance");
  // method names "a" and "bc" cost (1 + 1) + (2 + 1) bytes
  t.is(profileOf("ADD_FUNCTION_CALL_KEY_BYTE"), 5n * ACTION_FEES.addKeyFunctionCallPerByte.sendNotSir);
});

test("function_call_weight splits the unused prepaid gas by weight, the remainder to the last", (t) => {
  const code = contract(
    ALL,
    `(func (export "main") (local $p i64)
      (local.set $p (call $promise_batch_create ${OTHER}))
      (call $promise_batch_action_function_call_weight (local.get $p) ${CB} (i64.const 96) (i64.const 1000) (i64.const 1))
      (call $promise_batch_action_function_call (local.get $p) ${CB} (i64.const 96) (i64.const 7))
      (call $promise_batch_action_function_call_weight (local.get $p) ${CB} (i64.const 96) (i64.const 0) (i64.const 2)))`,
    DATA,
  );
  const prepaidGas = 100n * TGAS;
  const o = run(code, { prepaidGas });
  t.is(o.error, undefined);
  t.is(o.usedGas, prepaidGas, "all prepaid gas is used once distributed");
  const gas = o.newReceipts[0].actions.map((a) => (a.kind === "FunctionCall" ? a.gas : -1n));
  const { actionReceiptCreation: arc, functionCallBase: fc, functionCallPerByte: fb } = ACTION_FEES;
  const usedBefore = o.burntGas + arc.execution + 3n * (fc.execution + 4n * fb.execution) + 1007n;
  const unused = prepaidGas - usedBefore;
  t.is(gas[0], 1000n + unused / 3n);
  t.is(gas[1], 7n);
  t.is(gas[2], unused - unused / 3n);
});

test("promise_result: Successful (data in register), Failed, NotReady (as Failed); count; bad index", (t) => {
  const code = contract(
    [...ALL, "register_len"],
    `(func (export "main")
      (i64.store (i32.const 200) (call $promise_results_count))
      (i64.store (i32.const 208) (call $promise_result (i64.const 0) (i64.const 4)))
      (i64.store (i32.const 216) (call $register_len (i64.const 4)))
      (i64.store (i32.const 224) (call $promise_result (i64.const 1) (i64.const 5)))
      (i64.store (i32.const 232) (call $register_len (i64.const 5)))
      (i64.store (i32.const 240) (call $promise_result (i64.const 2) (i64.const 5)))
      (call $value_return (i64.const 48) (i64.const 200)))`,
    DATA,
  );
  const o = run(code, {
    promiseResults: [
      { status: "Successful", data: new TextEncoder().encode("abc") },
      { status: "Failed" },
      { status: "NotReady" },
    ],
  });
  const r = o.returnData.kind === "Value" ? Buffer.from(o.returnData.data) : Buffer.alloc(0);
  // NotReady reaches nearcore as Failed (2), not 0: the native module's context carries only Successful or Failed
  // results (nearcore: "Current version of the protocol never returns PromiseResult::NotReady")
  t.deepEqual(
    [0, 8, 16, 24, 32, 40].map((i) => r.readBigUInt64LE(i)),
    [3n, 1n, 3n, 2n, 2n ** 64n - 1n, 2n],
  );
  const bad = run(contract(ALL, `(func (export "main") (drop (call $promise_result (i64.const 0) (i64.const 0))))`));
  t.is(bad.errorDebug, "HostError(InvalidPromiseResultIndex { result_idx: 0 })");
});

test("errors: deposit above the balance, invalid account id, bad public key, views", (t) => {
  const deposit = run(
    contract(
      ALL,
      `(func (export "main") (drop (call $promise_create ${OTHER} ${CB} (i64.const 48) (i64.const 0))))`,
      DATA,
    ),
    { accountBalance: AMOUNT - 1n },
  );
  t.deepEqual(deposit.error, { kind: "ExecutionError", message: "Exceeded the account balance." });
  t.is(deposit.newReceipts.length, 0, "a failed call returns no receipts");
  const badId = run(
    contract(ALL, `(func (export "main") (drop (call $promise_batch_create (i64.const 3) (i64.const 37))))`, DATA),
  );
  t.is(badId.errorDebug, "HostError(InvalidAccountId)");
  const badKey = run(
    contract(
      ALL,
      `(func (export "main") (call $promise_batch_action_delete_key (call $promise_batch_create ${OTHER}) (i64.const 20) (i64.const 64)))`,
      DATA,
    ),
  );
  t.is(badKey.errorDebug, "HostError(InvalidPublicKey)");
  t.true(profileOf("DELETE_KEY") > 0n, "the action fee is charged before the key is decoded");
  const view = run(contract(ALL, `(func (export "main") (drop (call $promise_batch_create ${OTHER})))`, DATA), {
    isView: true,
  });
  t.is(view.errorDebug, 'HostError(ProhibitedInView { method_name: "promise_batch_create" })');
});

test("a transfer to a NEAR-implicit account also pays account creation and full access key fees", (t) => {
  const implicit = "ab".repeat(32);
  const code = contract(
    ALL,
    `(func (export "main")
      (call $promise_batch_action_transfer (call $promise_batch_create (i64.const 64) (i64.const 100)) (i64.const 48)))`,
    `${DATA}${"\0".repeat(100 - DATA.length)}${implicit}`,
  );
  const o = run(code, { accountBalance: 2n * AMOUNT });
  t.is(o.error, undefined);
  const { transfer, createAccount, addKeyFullAccess } = ACTION_FEES;
  t.is(profileOf("TRANSFER"), transfer.sendNotSir + createAccount.sendNotSir + addKeyFullAccess.sendNotSir);
});
