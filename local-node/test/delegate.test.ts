// Delegate actions (NEP-366 meta transactions) as nearcore applies them at protocol 86: a relayer's transaction to
// the user carries the user's signed DelegateAction; executing it checks signature, expiry, sender, the user's key
// and nonce, then sends the inner actions from the user. The relayer buys everything: the delegate's and the inner
// actions' send fees (twice, as nearcore does: with the transaction, and again when the Delegate executes), their
// execution, the attached gas and even the inner deposits. Fees below are nearcore's 85.yaml values, not the node's.
import { createHash } from "node:crypto";
import test from "ava";
import bs58 from "bs58";
import * as nearCrypto from "near-js-crypto-2";
import {
  actions,
  balance,
  GAS_PRICE,
  invalidTx,
  NEAR,
  type NodeHandle,
  randomKey,
  type Signer,
  startNodeWith,
  TGAS,
  tx,
} from "./harness.ts";
import { compileWat } from "./wasm.ts";

const { KeyPair } = nearCrypto as Any;

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC outcome objects and near-js values
type Any = any;

const RECEIPT = 108_059_500_000n;
const DELEGATE = 200_000_000_000n; // send_sir = send_not_sir = execution
const TRANSFER = 115_123_062_500n;
const FC_BASE_SEND = 200_000_000_000n;
const FC_BASE_EXEC = 780_000_000_000n;
const FC_BYTE_SEND_NOT_SIR = 47_683_715n;
const FC_BYTE_EXEC = 2_235_934n;
const ADD_FC_KEY_BASE = 102_217_625_000n; // send and execution
const ADD_FC_KEY_BYTE_SEND_SIR = 1_925_331n;
const ADD_FC_KEY_BYTE_SEND_NOT_SIR = 47_683_715n;
const ADD_FC_KEY_BYTE_EXEC = 1_925_331n;

/** who(): logs the signer id, returns the predecessor id */
const WHO_WAT = `(module
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (import "env" "log_utf8" (func $log_utf8 (param i64 i64)))
  (import "env" "signer_account_id" (func $signer_account_id (param i64)))
  (import "env" "predecessor_account_id" (func $predecessor_account_id (param i64)))
  (memory 1)
  (func (export "who")
    (call $signer_account_id (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 100))
    (call $log_utf8 (call $register_len (i64.const 0)) (i64.const 100))
    (call $predecessor_account_id (i64.const 1))
    (call $read_register (i64.const 1) (i64.const 200))
    (call $value_return (call $register_len (i64.const 1)) (i64.const 200)))
)`;

let node: NodeHandle;
let relayer: Signer;
let user: Signer;
let bob: Signer;
let ctr: Signer;

test.before(async () => {
  ({
    node,
    accounts: { relayer, user, bob, ctr },
  } = await startNodeWith({ relayer: 50n * NEAR, user: 10n * NEAR, bob: 10n * NEAR, ctr: 10n * NEAR }));
  await ctr.exec(ctr.accountId, [actions.deployContract(compileWat(WHO_WAT))]);
});
test.after.always(async () => {
  await node?.stop();
});

const head = async (): Promise<bigint> => BigInt((await node.call("block", { finality: "final" })).header.height);
const heightOf = async (blockHash: string): Promise<bigint> =>
  BigInt((await node.call("block", { block_id: blockHash })).header.height);

interface DelegateOpts {
  receiverId: string;
  acts: Any[];
  senderId?: string;
  /** the key named in the delegate action (default: the user's key) */
  keyPair?: Any;
  /** the key that signs (default: keyPair) */
  signWith?: Any;
  nonce?: bigint;
  maxBlockHeight?: bigint;
}

/** The user's SignedDelegate: signature over sha256(borsh(2^30 + 366 as u32, DelegateAction)). */
async function signedDelegate(o: DelegateOpts): Promise<{ action: Any; delegateAction: Any; signature: string }> {
  const kp = o.keyPair ?? user.keyPair;
  const delegateAction = tx.buildDelegateAction({
    senderId: o.senderId ?? user.accountId,
    receiverId: o.receiverId,
    actions: o.acts,
    nonce: o.nonce ?? (await user.nonce(kp)) + 1n,
    maxBlockHeight: o.maxBlockHeight ?? (await head()) + 100n,
    publicKey: kp.getPublicKey(),
  });
  const hash = createHash("sha256").update(tx.encodeDelegateAction(delegateAction)).digest();
  const signer = o.signWith ?? kp;
  const bytes = signer.sign(hash).signature;
  const signature = new tx.Signature({ keyType: signer.getPublicKey().keyType, data: bytes });
  return {
    action: actions.signedDelegate({ delegateAction, signature }),
    delegateAction,
    signature: `${signer.getPublicKey().keyType === 1 ? "secp256k1" : "ed25519"}:${bs58.encode(bytes)}`,
  };
}

interface Snapshot {
  relayer: bigint;
  user: bigint;
  bob: bigint;
  ctr: bigint;
  userNonce: bigint;
}
async function snapshot(): Promise<Snapshot> {
  return {
    relayer: await balance(node, relayer.accountId),
    user: await balance(node, user.accountId),
    bob: await balance(node, bob.accountId),
    ctr: await balance(node, ctr.accountId),
    userNonce: await user.nonce(),
  };
}

const outcomeAt = (r: Any, id: string) => r.receipts_outcome.filter((o: Any) => o.outcome.executor_id === id);

/** A refused delegate: the outer receipt fails with `kind`, the relayer pays only the transaction's send fees and
 * the receipt's and Delegate's execution, nothing else changes. */
async function expectRefused(
  t: Any,
  r: Any,
  before: Snapshot,
  kind: unknown,
  txGas: bigint,
  executor = user.accountId,
) {
  t.deepEqual(r.status, { Failure: { ActionError: { index: 0, kind } } });
  const [outer] = r.receipts_outcome;
  t.is(outer.outcome.executor_id, executor);
  t.is(outer.outcome.gas_burnt, Number(RECEIPT + DELEGATE));
  t.is(r.transaction_outcome.outcome.gas_burnt, Number(txGas));
  // no receipt from the user: only refunds (from `system`) follow
  t.true(r.receipts_outcome.slice(1).every((o: Any) => o.outcome.tokens_burnt === "0"));
  const after = await snapshot();
  t.is(after.relayer, before.relayer - (txGas + RECEIPT + DELEGATE) * GAS_PRICE);
  t.is(after.user, before.user);
  t.is(after.bob, before.bob);
  t.is(after.ctr, before.ctr);
  t.is(after.userNonce, before.userNonce);
}

/** the transaction's burnt gas for one Delegate of a transfer (relayer != user) */
const TRANSFER_TX_GAS = RECEIPT + DELEGATE + TRANSFER;

test.serial("relayed transfer: the relayer pays all gas and the deposit, to the yocto", async (t) => {
  const before = await snapshot();
  const amount = 2n * NEAR;
  const sd = await signedDelegate({ receiverId: bob.accountId, acts: [actions.transfer(amount)] });
  const r = await relayer.exec(user.accountId, [sd.action]);
  t.deepEqual(r.status, { SuccessValue: "" });
  // the transaction view: nearcore's ActionView::Delegate holds the DelegateAction as serde (inner actions plain)
  t.deepEqual(r.transaction.actions, [
    {
      Delegate: {
        delegate_action: {
          sender_id: user.accountId,
          receiver_id: bob.accountId,
          actions: [{ Transfer: { deposit: amount.toString() } }],
          nonce: Number(before.userNonce + 1n),
          max_block_height: Number(sd.delegateAction.maxBlockHeight),
          public_key: user.publicKey,
        },
        signature: sd.signature,
      },
    },
  ]);
  // tx: receipt + delegate + the inner transfer's send fee (outer sender_is_receiver = false)
  t.is(r.transaction_outcome.outcome.gas_burnt, Number(TRANSFER_TX_GAS));
  t.is(r.transaction_outcome.outcome.tokens_burnt, (TRANSFER_TX_GAS * GAS_PRICE).toString());
  // outer receipt at the user: its execution, the delegate's, and the inner receipt's prepaid send fee burnt
  const [outer] = outcomeAt(r, user.accountId);
  const outerGas = RECEIPT + DELEGATE + TRANSFER;
  t.is(outer.outcome.gas_burnt, Number(outerGas));
  t.deepEqual(outer.outcome.status, { SuccessValue: "" });
  const profile = Object.fromEntries(outer.outcome.metadata.gas_profile.map((c: Any) => [c.cost, c.gas_used]));
  t.is(profile.DELEGATE, DELEGATE.toString());
  t.is(profile.NEW_ACTION_RECEIPT, RECEIPT.toString());
  // the inner receipt, user -> bob, signed by the relayer
  const [inner] = outcomeAt(r, bob.accountId);
  t.true(outer.outcome.receipt_ids.includes(inner.id));
  t.is(inner.outcome.gas_burnt, Number(RECEIPT + TRANSFER));
  // the receipt the Delegate created: from the user, signed by the relayer's key, at the outer receipt's gas price
  const status = await node.call("EXPERIMENTAL_tx_status", {
    tx_hash: r.transaction.hash,
    sender_account_id: relayer.accountId,
  });
  const outerReceipt = status.receipts.find((x: Any) => x.receipt_id === outer.id);
  const innerReceipt = status.receipts.find((x: Any) => x.receipt_id === inner.id);
  t.is(innerReceipt.predecessor_id, user.accountId);
  t.is(innerReceipt.receiver_id, bob.accountId);
  t.is(innerReceipt.receipt.Action.signer_id, relayer.accountId);
  t.is(innerReceipt.receipt.Action.signer_public_key, relayer.publicKey);
  t.is(innerReceipt.receipt.Action.gas_price, outerReceipt.receipt.Action.gas_price);
  t.deepEqual(innerReceipt.receipt.Action.actions, [{ Transfer: { deposit: amount.toString() } }]);
  t.deepEqual(outerReceipt.receipt.Action.actions, r.transaction.actions);
  t.is(await heightOf(inner.block_hash), (await heightOf(outer.block_hash)) + 1n);
  const after = await snapshot();
  const totalGas = TRANSFER_TX_GAS + outerGas + RECEIPT + TRANSFER;
  t.is(after.relayer, before.relayer - totalGas * GAS_PRICE - amount);
  t.is(after.user, before.user);
  t.is(after.bob, before.bob + amount);
  t.is(after.userNonce, before.userNonce + 1n);
});

test.serial("relayed function call: predecessor is the user, signer the relayer; relayer pays the gas", async (t) => {
  const before = await snapshot();
  const deposit = 5n;
  const gas = 30n * TGAS;
  const sd = await signedDelegate({
    receiverId: ctr.accountId,
    acts: [actions.functionCall("who", new Uint8Array(), gas, deposit)],
  });
  const r = await relayer.exec(user.accountId, [sd.action]);
  // as in nearcore, the transaction's status is the outer receipt's (the Delegate returns nothing): relayers read
  // the inner receipt's outcome
  t.deepEqual(r.status, { SuccessValue: "" });
  const [call] = outcomeAt(r, ctr.accountId);
  t.deepEqual(call.outcome.status, { SuccessValue: Buffer.from(user.accountId).toString("base64") });
  t.deepEqual(call.outcome.logs, [relayer.accountId]);
  const bytes = 3n; // "who" + no args
  const txGas = RECEIPT + DELEGATE + FC_BASE_SEND + bytes * FC_BYTE_SEND_NOT_SIR;
  t.is(r.transaction_outcome.outcome.gas_burnt, Number(txGas));
  const [outer] = outcomeAt(r, user.accountId);
  const outerGas = RECEIPT + DELEGATE + FC_BASE_SEND + bytes * FC_BYTE_SEND_NOT_SIR;
  t.is(outer.outcome.gas_burnt, Number(outerGas));
  const callGas = BigInt(call.outcome.gas_burnt);
  const fees = RECEIPT + FC_BASE_EXEC + bytes * FC_BYTE_EXEC;
  t.true(callGas > fees);
  const after = await snapshot();
  t.is(after.relayer, before.relayer - (txGas + outerGas + callGas) * GAS_PRICE - deposit);
  t.is(after.user, before.user);
  // the contract: the deposit plus 30% of the VM gas it burnt
  t.is(after.ctr, before.ctr + deposit + (((callGas - fees) * 3n) / 10n) * GAS_PRICE);
  t.is(after.userNonce, before.userNonce + 1n);
});

test.serial("inner actions to the user itself: sir send fees at execution, not sir in the transaction", async (t) => {
  const before = await snapshot();
  const kp = randomKey();
  const sd = await signedDelegate({
    receiverId: user.accountId,
    acts: [actions.addKey(kp.getPublicKey(), actions.functionCallAccessKey(ctr.accountId, ["who", "x"], null))],
  });
  const r = await relayer.exec(user.accountId, [sd.action]);
  const bytes = 4n + 2n; // method names with a null terminator each
  // total_send_fees with the transaction's sender_is_receiver (relayer != user)
  const txGas = RECEIPT + DELEGATE + ADD_FC_KEY_BASE + bytes * ADD_FC_KEY_BYTE_SEND_NOT_SIR;
  t.is(r.transaction_outcome.outcome.gas_burnt, Number(txGas));
  // total_prepaid_send_fees with the delegate's own sender_is_receiver (user == user)
  const [outer, inner] = outcomeAt(r, user.accountId);
  const outerGas = RECEIPT + DELEGATE + ADD_FC_KEY_BASE + bytes * ADD_FC_KEY_BYTE_SEND_SIR;
  t.is(outer.outcome.gas_burnt, Number(outerGas));
  const innerGas = RECEIPT + ADD_FC_KEY_BASE + bytes * ADD_FC_KEY_BYTE_EXEC;
  t.deepEqual(inner.outcome.status, { SuccessValue: "" });
  t.is(inner.outcome.gas_burnt, Number(innerGas));
  const key = await node.call("query", {
    request_type: "view_access_key",
    finality: "final",
    account_id: user.accountId,
    public_key: kp.getPublicKey().toString(),
  });
  t.deepEqual(key.permission, {
    FunctionCall: { allowance: null, receiver_id: ctr.accountId, method_names: ["who", "x"] },
  });
  const after = await snapshot();
  t.is(after.relayer, before.relayer - (txGas + outerGas + innerGas) * GAS_PRICE);
  t.is(after.user, before.user);
  t.is(after.userNonce, before.userNonce + 1n);
});

test.serial(
  "a failing inner call refunds the deposit to the user (its predecessor), the gas to the relayer",
  async (t) => {
    const before = await snapshot();
    const sd = await signedDelegate({
      receiverId: ctr.accountId,
      acts: [actions.functionCall("missing", new Uint8Array(), 10n * TGAS, 7n)],
    });
    const r = await relayer.exec(user.accountId, [sd.action]);
    const [call] = outcomeAt(r, ctr.accountId);
    t.deepEqual(call.outcome.status, {
      Failure: { ActionError: { index: 0, kind: { FunctionCallError: { MethodResolveError: "MethodNotFound" } } } },
    });
    const bytes = 7n;
    const txGas = RECEIPT + DELEGATE + FC_BASE_SEND + bytes * FC_BYTE_SEND_NOT_SIR;
    const outerGas = txGas;
    const callGas = BigInt(call.outcome.gas_burnt);
    const after = await snapshot();
    t.is(after.relayer, before.relayer - (txGas + outerGas + callGas) * GAS_PRICE - 7n);
    t.is(after.user, before.user + 7n);
    t.is(after.userNonce, before.userNonce + 1n);
  },
);

test.serial("the same signed delegate again: DelegateActionInvalidNonce", async (t) => {
  const sd = await signedDelegate({ receiverId: bob.accountId, acts: [actions.transfer(1n)] });
  const first = await relayer.exec(user.accountId, [sd.action]);
  t.deepEqual(first.status, { SuccessValue: "" });
  const before = await snapshot();
  const n = Number(sd.delegateAction.nonce);
  const r = await relayer.exec(user.accountId, [sd.action]);
  await expectRefused(
    t,
    r,
    before,
    { DelegateActionInvalidNonce: { delegate_nonce: n, ak_nonce: n } },
    TRANSFER_TX_GAS,
  );
});

test.serial("a nonce below the key's: DelegateActionInvalidNonce", async (t) => {
  const before = await snapshot();
  const sd = await signedDelegate({ receiverId: bob.accountId, acts: [actions.transfer(1n)], nonce: before.userNonce });
  const r = await relayer.exec(user.accountId, [sd.action]);
  const n = Number(before.userNonce);
  await expectRefused(
    t,
    r,
    before,
    { DelegateActionInvalidNonce: { delegate_nonce: n, ak_nonce: n } },
    TRANSFER_TX_GAS,
  );
});

test.serial("a nonce at or above height * 1e6: DelegateActionNonceTooLarge", async (t) => {
  const before = await snapshot();
  const nonce = ((await head()) + 1000n) * 1_000_000n;
  const sd = await signedDelegate({ receiverId: bob.accountId, acts: [actions.transfer(1n)], nonce });
  const r = await relayer.exec(user.accountId, [sd.action]);
  const upper = (await heightOf(r.receipts_outcome[0].block_hash)) * 1_000_000n;
  await expectRefused(
    t,
    r,
    before,
    { DelegateActionNonceTooLarge: { delegate_nonce: Number(nonce), upper_bound: Number(upper) } },
    TRANSFER_TX_GAS,
  );
});

test.serial("past max_block_height: DelegateActionExpired", async (t) => {
  const before = await snapshot();
  // the transaction lands at head + 1, the receipt at head + 2
  const sd = await signedDelegate({
    receiverId: bob.accountId,
    acts: [actions.transfer(1n)],
    maxBlockHeight: await head(),
  });
  const r = await relayer.exec(user.accountId, [sd.action]);
  await expectRefused(t, r, before, "DelegateActionExpired", TRANSFER_TX_GAS);
});

test.serial("max_block_height equal to the receipt's block still executes", async (t) => {
  const before = await snapshot();
  const sd = await signedDelegate({
    receiverId: bob.accountId,
    acts: [actions.transfer(1n)],
    maxBlockHeight: (await head()) + 2n,
  });
  const r = await relayer.exec(user.accountId, [sd.action]);
  t.deepEqual(r.status, { SuccessValue: "" });
  t.is(await heightOf(r.receipts_outcome[0].block_hash), sd.delegateAction.maxBlockHeight);
  t.is((await snapshot()).bob, before.bob + 1n);
});

test.serial("signed by another key: DelegateActionInvalidSignature", async (t) => {
  const before = await snapshot();
  const sd = await signedDelegate({ receiverId: bob.accountId, acts: [actions.transfer(1n)], signWith: randomKey() });
  const r = await relayer.exec(user.accountId, [sd.action]);
  await expectRefused(t, r, before, "DelegateActionInvalidSignature", TRANSFER_TX_GAS);
});

test.serial(
  "transaction receiver other than the delegate's sender: DelegateActionSenderDoesNotMatchTxReceiver",
  async (t) => {
    const before = await snapshot();
    const sd = await signedDelegate({ receiverId: bob.accountId, acts: [actions.transfer(1n)] });
    const r = await relayer.exec(bob.accountId, [sd.action]);
    await expectRefused(
      t,
      r,
      before,
      { DelegateActionSenderDoesNotMatchTxReceiver: { sender_id: user.accountId, receiver_id: bob.accountId } },
      TRANSFER_TX_GAS,
      bob.accountId,
    );
  },
);

test.serial("a key the user does not have: DelegateActionAccessKeyError AccessKeyNotFound", async (t) => {
  const before = await snapshot();
  const kp = randomKey();
  const sd = await signedDelegate({ receiverId: bob.accountId, acts: [actions.transfer(1n)], keyPair: kp, nonce: 1n });
  const r = await relayer.exec(user.accountId, [sd.action]);
  await expectRefused(
    t,
    r,
    before,
    {
      DelegateActionAccessKeyError: {
        AccessKeyNotFound: { account_id: user.accountId, public_key: kp.getPublicKey().toString() },
      },
    },
    TRANSFER_TX_GAS,
  );
});

test.serial(
  "function-call keys: only one FunctionCall without deposit to the allowed receiver and method",
  async (t) => {
    const fk = randomKey();
    const add = await user.exec(user.accountId, [
      actions.addKey(fk.getPublicKey(), actions.functionCallAccessKey(ctr.accountId, ["who"], null)),
    ]);
    t.deepEqual(add.status, { SuccessValue: "" });
    const fcTxGas = (method: string) =>
      RECEIPT + DELEGATE + FC_BASE_SEND + BigInt(method.length) * FC_BYTE_SEND_NOT_SIR;
    const fnCall = (method: string, deposit = 0n) =>
      actions.functionCall(method, new Uint8Array(), 10n * TGAS, deposit);
    const err = (e: unknown) => ({ DelegateActionAccessKeyError: e });

    let before = await snapshot();
    let sd = await signedDelegate({ receiverId: ctr.accountId, acts: [fnCall("who", 1n)], keyPair: fk });
    let r = await relayer.exec(user.accountId, [sd.action]);
    // the nonce of the function-call key is unchanged too
    const fkNonce = await user.nonce(fk);
    await expectRefused(t, r, before, err("DepositWithFunctionCall"), fcTxGas("who") + 0n);
    t.is(await user.nonce(fk), fkNonce);

    before = await snapshot();
    sd = await signedDelegate({ receiverId: bob.accountId, acts: [actions.transfer(1n)], keyPair: fk });
    r = await relayer.exec(user.accountId, [sd.action]);
    await expectRefused(t, r, before, err("RequiresFullAccess"), TRANSFER_TX_GAS);

    before = await snapshot();
    sd = await signedDelegate({ receiverId: bob.accountId, acts: [fnCall("who")], keyPair: fk });
    r = await relayer.exec(user.accountId, [sd.action]);
    await expectRefused(
      t,
      r,
      before,
      err({ ReceiverMismatch: { tx_receiver: bob.accountId, ak_receiver: ctr.accountId } }),
      fcTxGas("who"),
    );

    before = await snapshot();
    sd = await signedDelegate({ receiverId: ctr.accountId, acts: [fnCall("other")], keyPair: fk });
    r = await relayer.exec(user.accountId, [sd.action]);
    await expectRefused(t, r, before, err({ MethodNameMismatch: { method_name: "other" } }), fcTxGas("other"));

    // allowed: the key's nonce advances, the allowance-less key pays nothing (the relayer does)
    before = await snapshot();
    sd = await signedDelegate({ receiverId: ctr.accountId, acts: [fnCall("who")], keyPair: fk });
    r = await relayer.exec(user.accountId, [sd.action]);
    t.deepEqual(outcomeAt(r, ctr.accountId)[0].outcome.status, {
      SuccessValue: Buffer.from(user.accountId).toString("base64"),
    });
    t.is(await user.nonce(fk), sd.delegateAction.nonce);
    t.is((await snapshot()).user, before.user);
  },
);

test.serial("a delegate signed with a secp256k1 key", async (t) => {
  const kp = KeyPair.fromRandom("secp256k1");
  const add = await user.exec(user.accountId, [actions.addKey(kp.getPublicKey(), actions.fullAccessKey())]);
  t.deepEqual(add.status, { SuccessValue: "" });
  const before = await snapshot();
  const sd = await signedDelegate({ receiverId: bob.accountId, acts: [actions.transfer(3n)], keyPair: kp });
  const r = await relayer.exec(user.accountId, [sd.action]);
  t.is(r.transaction.actions[0].Delegate.signature, sd.signature);
  t.regex(sd.signature, /^secp256k1:/);
  t.deepEqual(outcomeAt(r, bob.accountId)[0].outcome.status, { SuccessValue: "" });
  t.is((await snapshot()).bob, before.bob + 3n);
  t.is(await user.nonce(kp), sd.delegateAction.nonce);
  // a secp256k1 signature by another key fails
  const bad = await signedDelegate({
    receiverId: bob.accountId,
    acts: [actions.transfer(3n)],
    keyPair: kp,
    signWith: KeyPair.fromRandom("secp256k1"),
  });
  const b0 = await snapshot();
  const rb = await relayer.exec(user.accountId, [bad.action]);
  await expectRefused(t, rb, b0, "DelegateActionInvalidSignature", TRANSFER_TX_GAS);
});

test.serial("two delegate actions in one transaction: DelegateActionMustBeOnlyOne, nothing charged", async (t) => {
  const before = await snapshot();
  const a = await signedDelegate({ receiverId: bob.accountId, acts: [actions.transfer(1n)] });
  const b = await signedDelegate({
    receiverId: bob.accountId,
    acts: [actions.transfer(1n)],
    nonce: a.delegateAction.nonce + 1n,
  });
  const r = await relayer.send(user.accountId, [a.action, b.action]);
  t.deepEqual(invalidTx(r), { ActionsValidation: "DelegateActionMustBeOnlyOne" });
  t.deepEqual(await snapshot(), before);
});

test.serial("inner actions are validated like a transaction's", async (t) => {
  const before = await snapshot();
  const sd = await signedDelegate({
    receiverId: bob.accountId,
    acts: [actions.deleteAccount(relayer.accountId), actions.transfer(1n)],
  });
  const r = await relayer.send(user.accountId, [sd.action]);
  t.deepEqual(invalidTx(r), { ActionsValidation: "DeleteActionMustBeFinal" });
  const zeroGas = await signedDelegate({
    receiverId: ctr.accountId,
    acts: [actions.functionCall("who", new Uint8Array(), 0n, 0n)],
  });
  const z = await relayer.send(user.accountId, [zeroGas.action]);
  t.deepEqual(invalidTx(z), { ActionsValidation: "FunctionCallZeroAttachedGas" });
  t.deepEqual(await snapshot(), before);
});

test.serial("a nested delegate action does not decode (nearcore NonDelegateAction)", async (t) => {
  const before = await snapshot();
  // near-js's DelegateAction schema writes variant 8 of an inner action as a borsh string: the bytes of a nested
  // delegate as nearcore would see them, which it refuses to deserialize
  const nested = new tx.Action({ signedDelegate: "nested" });
  const sd = await signedDelegate({ receiverId: bob.accountId, acts: [nested] });
  const r = await relayer.send(user.accountId, [sd.action]);
  t.truthy(r.error);
  t.is(r.error.name, "REQUEST_VALIDATION_ERROR");
  t.regex(JSON.stringify(r.error), /DelegateAction mustn't contain a nested one/);
  t.deepEqual(await snapshot(), before);
});
