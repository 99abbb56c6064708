// Transaction validation (InvalidTxError variants), access keys with allowance, each action and its errors,
// idempotent re-send.
import test from "ava";
import bs58 from "bs58";
import {
  actions,
  balance,
  createAccount,
  invalidTx,
  NEAR,
  type NodeHandle,
  randomKey,
  Signer,
  startNodeWith,
  TGAS,
} from "./harness.ts";

let node: NodeHandle;
let alice: Signer;
let bob: Signer;
test.before(async () => {
  ({
    node,
    accounts: { alice, bob },
  } = await startNodeWith({ alice: 50n * NEAR, bob: 50n * NEAR }));
});
test.after.always(() => node?.stop());

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC outcome objects
const actionError = (r: { status: { Failure?: { ActionError?: any } } }) => r.status.Failure?.ActionError;

test.serial("bad signature, unknown signer, unknown key", async (t) => {
  const sigFlip = await alice.send(bob.accountId, [actions.transfer(1n)], {
    mutate: (b) => {
      const c = Uint8Array.from(b);
      c[c.length - 1] ^= 1;
      return c;
    },
  });
  t.is(invalidTx(sigFlip), "InvalidSignature");
  t.is(sigFlip.error.cause.name, "INVALID_TRANSACTION");
  t.is(sigFlip.error.code, -32000);
  const ghost = new Signer(node, "ghost.test.near", randomKey());
  const r1 = await ghost.send(bob.accountId, [actions.transfer(1n)], { nonce: 1n });
  t.deepEqual(invalidTx(r1), { SignerDoesNotExist: { signer_id: "ghost.test.near" } });
  const stranger = randomKey();
  const r2 = await alice.send(bob.accountId, [actions.transfer(1n)], { keyPair: stranger, nonce: 1n });
  t.deepEqual(invalidTx(r2), {
    InvalidAccessKeyError: {
      AccessKeyNotFound: { account_id: alice.accountId, public_key: stranger.getPublicKey().toString() },
    },
  });
});

test.serial("nonces: reused, too large; success sets the key nonce", async (t) => {
  const n = await alice.nonce();
  const ok = await alice.exec(bob.accountId, [actions.transfer(1n)], { nonce: n + 5n });
  t.truthy(ok.status.SuccessValue !== undefined);
  t.is(await alice.nonce(), n + 5n);
  const reused = await alice.send(bob.accountId, [actions.transfer(2n)], { nonce: n + 5n });
  t.deepEqual(invalidTx(reused), { InvalidNonce: { tx_nonce: Number(n + 5n), ak_nonce: Number(n + 5n) } });
  const lower = await alice.send(bob.accountId, [actions.transfer(2n)], { nonce: n + 1n });
  t.is(invalidTx(lower).InvalidNonce.ak_nonce, Number(n + 5n));
  const head = await node.call("block", { finality: "final" });
  const upper = BigInt(head.header.height + 1) * 1_000_000n;
  const tooLarge = await alice.send(bob.accountId, [actions.transfer(2n)], { nonce: upper });
  t.deepEqual(invalidTx(tooLarge), { NonceTooLarge: { tx_nonce: Number(upper), upper_bound: Number(upper) } });
});

test.serial("block hash must be known and within the validity period", async (t) => {
  const unknown = await alice.send(bob.accountId, [actions.transfer(1n)], { blockHash: new Uint8Array(32).fill(7) });
  t.is(invalidTx(unknown), "Expired");
  const old = await node.call("block", { finality: "final" });
  await node.call("sandbox_fast_forward", { delta_height: 101 });
  const expired = await alice.send(bob.accountId, [actions.transfer(1n)], { blockHash: bs58.decode(old.header.hash) });
  t.is(invalidTx(expired), "Expired");
  const recent = await node.call("block", { block_id: old.header.height + 2 });
  const fine = await alice.exec(bob.accountId, [actions.transfer(1n)], { blockHash: bs58.decode(recent.header.hash) });
  t.is(fine.status.SuccessValue, "");
});

test.serial("not enough balance and actions validation", async (t) => {
  const poor = await alice.send(bob.accountId, [actions.transfer(10_000n * NEAR)]);
  const e = invalidTx(poor).NotEnoughBalance;
  t.is(e.signer_id, alice.accountId);
  t.is(e.balance, (await balance(node, alice.accountId)).toString());
  t.true(BigInt(e.cost) > 10_000n * NEAR);
  const zeroGas = await alice.send(bob.accountId, [actions.functionCall("m", new Uint8Array(), 0n, 0n)]);
  t.deepEqual(invalidTx(zeroGas), { ActionsValidation: "FunctionCallZeroAttachedGas" });
  const notFinal = await alice.send(alice.accountId, [actions.deleteAccount(bob.accountId), actions.transfer(1n)]);
  t.deepEqual(invalidTx(notFinal), { ActionsValidation: "DeleteActionMustBeFinal" });
  const tooMuchGas = await alice.send(bob.accountId, [
    actions.functionCall("a", new Uint8Array(), 600n * TGAS, 0n),
    actions.functionCall("b", new Uint8Array(), 600n * TGAS, 0n),
  ]);
  // protocol 83: 1 Pgas per transaction (was 300 Tgas)
  t.deepEqual(invalidTx(tooMuchGas), {
    ActionsValidation: { TotalPrepaidGasExceeded: { total_prepaid_gas: 1200e12, limit: 1000e12 } },
  });
  // protocol 84: at most 10 deploy actions per receipt
  const deploys = await alice.send(
    alice.accountId,
    Array.from({ length: 11 }, () => actions.deployContract(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))),
  );
  t.deepEqual(invalidTx(deploys), {
    ActionsValidation: { TotalNumberOfDeployActionsExceeded: { number_of_deploy_actions: 11, limit: 10 } },
  });
  const many = await alice.send(
    bob.accountId,
    Array.from({ length: 101 }, () => actions.transfer(1n)),
  );
  t.deepEqual(invalidTx(many), {
    ActionsValidation: { TotalNumberOfActionsExceeded: { total_number_of_actions: 101, limit: 100 } },
  });
});

test.serial("function-call access keys: permission checks, allowance charged and refunded", async (t) => {
  const fc = randomKey();
  await alice.exec(alice.accountId, [
    actions.addKey(fc.getPublicKey(), actions.functionCallAccessKey(bob.accountId, ["allowed"], NEAR)),
  ]);
  const view = () =>
    node.call("query", {
      request_type: "view_access_key",
      finality: "final",
      account_id: alice.accountId,
      public_key: fc.getPublicKey().toString(),
    });
  const key = await view();
  const head = await node.call("block", { finality: "final" });
  t.true(key.nonce > 0 && key.nonce <= head.header.height * 1_000_000);
  const call = (method: string, deposit = 0n, receiver = bob.accountId) =>
    alice.send(receiver, [actions.functionCall(method, new Uint8Array(), 10n * TGAS, deposit)], { keyPair: fc });
  t.deepEqual(invalidTx(await call("other")), {
    InvalidAccessKeyError: { MethodNameMismatch: { method_name: "other" } },
  });
  t.deepEqual(invalidTx(await call("allowed", 1n)), { InvalidAccessKeyError: "DepositWithFunctionCall" });
  t.deepEqual(invalidTx(await call("allowed", 0n, alice.accountId)), {
    InvalidAccessKeyError: { ReceiverMismatch: { tx_receiver: alice.accountId, ak_receiver: bob.accountId } },
  });
  const transfer = await alice.send(bob.accountId, [actions.transfer(1n)], { keyPair: fc });
  t.deepEqual(invalidTx(transfer), { InvalidAccessKeyError: "RequiresFullAccess" });
  // bob has no contract: the call fails, the gas not burnt comes back to the allowance
  const before = await balance(node, alice.accountId);
  const allowanceBefore = BigInt((await view()).permission.FunctionCall.allowance);
  const r = await call("allowed");
  t.truthy(r.result.status.Failure);
  const after = await balance(node, alice.accountId);
  const allowanceAfter = BigInt((await view()).permission.FunctionCall.allowance);
  t.true(after < before);
  t.is(allowanceBefore - allowanceAfter, before - after);
  // allowance too small
  const tiny = randomKey();
  await alice.exec(alice.accountId, [
    actions.addKey(tiny.getPublicKey(), actions.functionCallAccessKey(bob.accountId, [], 1000n)),
  ]);
  const poor = await alice.send(bob.accountId, [actions.functionCall("x", new Uint8Array(), TGAS, 0n)], {
    keyPair: tiny,
  });
  t.is(invalidTx(poor).InvalidAccessKeyError.NotEnoughAllowance.allowance, "1000");
});

test.serial("account creation rules", async (t) => {
  const notChild = await alice.exec("sub.bob.test.near", [actions.createAccount()]);
  t.deepEqual(actionError(notChild), {
    index: 0,
    kind: { CreateAccountNotAllowed: { account_id: "sub.bob.test.near", predecessor_id: alice.accountId } },
  });
  const topLevel = await alice.exec("shortname", [actions.createAccount()]);
  t.deepEqual(actionError(topLevel), {
    index: 0,
    kind: {
      CreateAccountOnlyByRegistrar: {
        account_id: "shortname",
        registrar_account_id: "registrar",
        predecessor_id: alice.accountId,
      },
    },
  });
  const exists = await node.root.exec(bob.accountId, [actions.createAccount()]);
  t.deepEqual(actionError(exists), { index: 0, kind: { AccountAlreadyExists: { account_id: bob.accountId } } });
  const sub = await createAccount(alice, "sub.alice.test.near", NEAR);
  const v = await node.call("query", { request_type: "view_account", finality: "final", account_id: sub.accountId });
  t.is(v.amount, NEAR.toString());
  t.is(v.storage_usage, 182);
});

test.serial("actor permissions, missing receivers, key errors", async (t) => {
  const deploy = await alice.exec(bob.accountId, [actions.deployContract(new Uint8Array([0, 97, 115, 109]))]);
  t.deepEqual(actionError(deploy), {
    index: 0,
    kind: { ActorNoPermission: { account_id: bob.accountId, actor_id: alice.accountId } },
  });
  const missing = await alice.exec("missing.test.near", [actions.transfer(1n)]);
  t.deepEqual(actionError(missing), { index: 0, kind: { AccountDoesNotExist: { account_id: "missing.test.near" } } });
  const dup = await alice.exec(alice.accountId, [
    actions.addKey(alice.keyPair.getPublicKey(), actions.fullAccessKey()),
  ]);
  t.deepEqual(actionError(dup), {
    index: 0,
    kind: { AddKeyAlreadyExists: { account_id: alice.accountId, public_key: alice.publicKey } },
  });
  const ghostKey = randomKey().getPublicKey();
  const del = await alice.exec(alice.accountId, [actions.deleteKey(ghostKey)]);
  t.deepEqual(actionError(del), {
    index: 0,
    kind: { DeleteKeyDoesNotExist: { account_id: alice.accountId, public_key: ghostKey.toString() } },
  });
  // a later failing action rolls back the earlier ones of the same receipt
  const k = randomKey();
  const partial = await alice.exec(alice.accountId, [
    actions.addKey(k.getPublicKey(), actions.fullAccessKey()),
    actions.deleteKey(ghostKey),
  ]);
  t.is(actionError(partial).index, 1);
  const keys = await node.call("query", {
    request_type: "view_access_key_list",
    finality: "final",
    account_id: alice.accountId,
  });
  t.false(keys.keys.some((x: { public_key: string }) => x.public_key === k.getPublicKey().toString()));
});

test.serial("add and delete keys update storage usage; stake locks balance", async (t) => {
  const acct = await createAccount(node.root, "keys2.test.near", 5n * NEAR);
  const k = randomKey();
  await acct.exec(acct.accountId, [actions.addKey(k.getPublicKey(), actions.fullAccessKey())]);
  let v = await node.call("query", { request_type: "view_account", finality: "final", account_id: acct.accountId });
  t.is(v.storage_usage, 182 + 82);
  const fck = randomKey();
  await acct.exec(acct.accountId, [
    actions.addKey(fck.getPublicKey(), actions.functionCallAccessKey("c.near", ["ab", "cde"], null)),
  ]);
  v = await node.call("query", { request_type: "view_account", finality: "final", account_id: acct.accountId });
  // 33 (key) + 8 nonce + 1 tag + 1 (no allowance) + 4+6 ("c.near") + 4 + (4+2) + (4+3) + 40
  t.is(v.storage_usage, 182 + 82 + 110);
  await acct.exec(acct.accountId, [actions.deleteKey(fck.getPublicKey()), actions.deleteKey(k.getPublicKey())]);
  v = await node.call("query", { request_type: "view_account", finality: "final", account_id: acct.accountId });
  t.is(v.storage_usage, 182);
  const before = BigInt(v.amount);
  const r = await acct.exec(acct.accountId, [actions.stake(NEAR, acct.keyPair.getPublicKey())]);
  t.is(r.status.SuccessValue, "");
  v = await node.call("query", { request_type: "view_account", finality: "final", account_id: acct.accountId });
  t.is(v.locked, NEAR.toString());
  t.true(BigInt(v.amount) < before - NEAR);
});

test.serial("an identical re-send returns the recorded outcome without executing again", async (t) => {
  const { bytes, hash } = await alice.sign(bob.accountId, [actions.transfer(NEAR)]);
  const b64 = Buffer.from(bytes).toString("base64");
  const before = await balance(node, bob.accountId);
  const first = await node.call("send_tx", { signed_tx_base64: b64, wait_until: "EXECUTED_OPTIMISTIC" });
  const second = await node.call("send_tx", { signed_tx_base64: b64, wait_until: "EXECUTED_OPTIMISTIC" });
  t.deepEqual(second, first);
  t.is(first.transaction.hash, hash);
  t.is((await balance(node, bob.accountId)) - before, NEAR);
  const status = await node.call("tx", { tx_hash: hash, sender_account_id: alice.accountId, wait_until: "FINAL" });
  t.is(status.final_execution_status, "FINAL");
  t.deepEqual(status.receipts_outcome, first.receipts_outcome);
  const exp = await node.call("EXPERIMENTAL_tx_status", { tx_hash: hash, sender_account_id: alice.accountId });
  t.is(exp.receipts[0].receipt.Action.signer_id, alice.accountId);
});

test.serial("wait_until levels and broadcast methods", async (t) => {
  const none = await alice.exec(bob.accountId, [actions.transfer(1n)], { waitUntil: "NONE" });
  t.deepEqual(none, { final_execution_status: "NONE" });
  const included = await alice.exec(bob.accountId, [actions.transfer(1n)], { waitUntil: "INCLUDED_FINAL" });
  t.deepEqual(included, { final_execution_status: "INCLUDED_FINAL" });
  const { bytes, hash } = await alice.sign(bob.accountId, [actions.transfer(1n)]);
  const asyncHash = await node.call("broadcast_tx_async", [Buffer.from(bytes).toString("base64")]);
  t.is(asyncHash, hash);
  const signed2 = await alice.sign(bob.accountId, [actions.transfer(1n)]);
  const commit = await node.call("broadcast_tx_commit", [Buffer.from(signed2.bytes).toString("base64")]);
  t.is(commit.status.SuccessValue, "");
});
