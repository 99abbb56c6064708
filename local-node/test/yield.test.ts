// NEP-519 yield/resume as nearcore 2.13 (protocol 86) applies it (runtime/runtime/src/{ext,actions,lib}.rs):
// - promise_yield_create writes PromiseYieldStatus::Yielded and emits a PromiseYield receipt, applied at once in the
//   same block (InstantPromiseYield, 83): stored with no outcome; a timeout is queued at the creating receipt's
//   height + yield_timeout_length_in_blocks (200);
// - promise_yield_resume answers true while the yield receipt or its status is in the state (also for a yield of the
//   same call, and for every resume before the first PromiseResume arrives), sets ResumeInitiated and sends a
//   PromiseResume; the first to arrive runs the callback with the payload, later ones are ignored;
// - a yield still stored when its timeout falls due gets a PromiseResume without data (dropped if a resume is on its
//   way): the callback sees Failed;
// - yield ids (promise_yield_create_with_id / promise_yield_resume_with_yield_id, 85): one pending yield per id and
//   account, u64::MAX for a taken id, freed when the callback runs;
// - only the account that created a yield finds it; payloads over max_yield_payload_size (1024) fail the call;
// - the callback's outcome (and what waits on it) joins the record of the transaction that created the yield;
// - yields, statuses, yield ids, the timeout queue and receipts waiting on a callback survive a restart.
import test from "ava";
import {
  actions,
  balance,
  createAccount,
  type NodeHandle,
  NEAR,
  type Signer,
  Signer as SignerClass,
  startNode,
  startNodeWith,
  TGAS,
} from "./harness.ts";
import { compileWat, YIELDER_WAT } from "./wasm.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC outcome objects
type Any = any;

const YIELDER = compileWat(YIELDER_WAT);

/** send_tx's wait_until for a transaction that leaves a yield waiting */
const INCLUDED = { waitUntil: "INCLUDED_FINAL" };
const fn = (method: string, args: Uint8Array = new Uint8Array(), gas = 100n * TGAS) =>
  actions.functionCall(method, Buffer.from(args), gas, 0n);
const text = (r: Any) => Buffer.from(r.status.SuccessValue, "base64").toString();
const payloadOf = (dataId: Uint8Array, payload: string | Uint8Array) =>
  Buffer.concat([dataId, typeof payload === "string" ? Buffer.from(payload) : payload]);

async function yieldFrom(s: Signer, method = "yield"): Promise<{ r: Any; dataId: Uint8Array }> {
  // the transaction waits for its yield: INCLUDED_FINAL answers with the outcomes so far, as nearcore does
  const r = await s.exec(s.accountId, [fn(method)], INCLUDED);
  if (r.final_execution_status !== "INCLUDED_FINAL") throw new Error(`not pending: ${JSON.stringify(r.status)}`);
  const dataId = method === "yield_ret" ? new Uint8Array() : Buffer.from(r.status.SuccessValue, "base64");
  return { r, dataId };
}

async function resume(s: Signer, contract: string, dataId: Uint8Array, payload: string | Uint8Array): Promise<Any> {
  return s.exec(contract, [fn("resume", payloadOf(dataId, payload))]);
}

async function txStatus(node: NodeHandle, r: Any, signer: string, waitUntil = "EXECUTED_OPTIMISTIC"): Promise<Any> {
  return node.call("EXPERIMENTAL_tx_status", {
    tx_hash: r.transaction.hash,
    sender_account_id: signer,
    wait_until: waitUntil,
  });
}

/** The callback outcomes (executor the contract, the `cb` method's logs or value) of a transaction's record. */
const callbacks = (s: Any) =>
  s.receipts_outcome.filter(
    (o: Any) =>
      o.id !== s.transaction_outcome.outcome.receipt_ids[0] &&
      o.outcome.executor_id === s.transaction.receiver_id &&
      o.outcome.metadata.gas_profile.length > 0,
  );

const cost = (o: Any, name: string) =>
  BigInt(o.outcome.metadata.gas_profile.find((c: Any) => c.cost === name)?.gas_used ?? 0);

let node: NodeHandle;
let alice: Signer;
let bob: Signer;

test.before(async () => {
  ({
    node,
    accounts: { alice, bob },
  } = await startNodeWith({ alice: 50n * NEAR, bob: 10n * NEAR }));
  for (const s of [alice, bob]) await s.exec(s.accountId, [actions.deployContract(YIELDER)]);
});
test.after.always(() => node?.stop());

test.serial(
  "yield, then resume in a later transaction: the callback gets the payload, in the yield's record",
  async (t) => {
    const { r, dataId } = await yieldFrom(alice);
    t.is(dataId.length, 32);
    // the yield receipt is among the call's receipt_ids but has no outcome while it waits
    const call = r.receipts_outcome[0];
    t.is(call.outcome.receipt_ids.length, 2, "the yield, then the gas refund");
    const yieldId = call.outcome.receipt_ids[0];
    t.false(r.receipts_outcome.some((o: Any) => o.id === yieldId));
    t.true(r.receipts_outcome.some((o: Any) => o.id === call.outcome.receipt_ids[1]));

    const res = await resume(alice, alice.accountId, dataId, "hello");
    t.is(text(res), "1");
    t.deepEqual(callbacks(res), [], "the callback belongs to the yield's transaction");

    const s = await txStatus(node, r, alice.accountId);
    const cb = s.receipts_outcome.find((o: Any) => o.id === yieldId);
    t.truthy(cb, "the callback ran");
    t.deepEqual(cb.outcome.logs, ["resumed"]);
    t.is(Buffer.from(cb.outcome.status.SuccessValue, "base64").toString(), "hello");
    t.is(text(s), Buffer.from(dataId).toString(), "the transaction's value is still the call's");
    const view = s.receipts.find((v: Any) => v.receipt_id === yieldId);
    t.true(view.receipt.Action.is_promise_yield);
    t.deepEqual(view.receipt.Action.input_data_ids.length, 1);

    // the data was delivered: a second resume finds nothing and changes nothing
    t.is(text(await resume(alice, alice.accountId, dataId, "again")), "0");
    t.is(callbacks(await txStatus(node, r, alice.accountId)).length, 1);
  },
);

test.serial("a promise_then on a yield waits across transactions for the callback's result", async (t) => {
  const { r, dataId } = await yieldFrom(alice, "yield_then");
  t.is(r.receipts_outcome[0].outcome.receipt_ids.length, 3, "the yield, the then-receipt, the gas refund");
  t.is(text(await resume(alice, alice.accountId, dataId, "chained")), "1");
  const cbs = callbacks(await txStatus(node, r, alice.accountId));
  t.is(cbs.length, 2, "the yield's callback, then the receipt waiting on it");
  for (const cb of cbs) t.is(Buffer.from(cb.outcome.status.SuccessValue, "base64").toString(), "chained");
  const [yieldCb, then] = r.receipts_outcome[0].outcome.receipt_ids;
  t.deepEqual(
    cbs.map((o: Any) => o.id),
    [yieldCb, then],
  );
});

test.serial("two resumes in one call both answer true; the callback runs once, with the first payload", async (t) => {
  const { r, dataId } = await yieldFrom(alice);
  const twice = await alice.exec(alice.accountId, [fn("resume_twice", payloadOf(dataId, "first"))]);
  t.is(text(twice), "11");
  const cbs = callbacks(await txStatus(node, r, alice.accountId));
  t.is(cbs.length, 1);
  t.is(Buffer.from(cbs[0].outcome.status.SuccessValue, "base64").toString(), "first");
});

test.serial(
  "a yield resumed twice by the call that created it: true, true (its status is in the state); one callback, in the same transaction",
  async (t) => {
    const r = await alice.exec(alice.accountId, [fn("yield_resume_same")]);
    t.is(text(r), "11");
    const cbs = callbacks(r);
    t.is(cbs.length, 1);
    t.is(Buffer.from(cbs[0].outcome.status.SuccessValue, "base64").toString(), "now");
    const s = await txStatus(node, r, alice.accountId);
    t.true(s.receipts.find((v: Any) => v.receipt_id === cbs[0].id).receipt.Action.is_promise_yield);
    // the yield was stored at once and the PromiseResume took one hop: the callback ran in the next block
    const h = async (hash: string) => (await node.call("block", { block_id: hash })).header.height;
    t.is(await h(cbs[0].block_hash), (await h(r.receipts_outcome[0].block_hash)) + 1);
  },
);

test.serial(
  "a returned yield leaves the transaction Started until its callback runs, then takes its value",
  async (t) => {
    const { r } = await yieldFrom(alice, "yield_ret");
    t.is(r.status, "Started");
    const yieldId = r.receipts_outcome[0].outcome.status.SuccessReceiptId;
    t.truthy(yieldId);
    const s0 = await txStatus(node, r, alice.accountId, "INCLUDED_FINAL");
    t.false(
      s0.receipts.some((v: Any) => v.receipt_id === yieldId),
      "no receipt view before it runs",
    );
    const state = await node.call("query", {
      request_type: "view_state",
      finality: "final",
      account_id: alice.accountId,
      prefix_base64: "",
    });
    t.deepEqual(
      state.values.map((v: Any) => Buffer.from(v.key, "base64").toString()),
      ["last"],
      "a yield is not contract state (only the data id the method stored)",
    );
    await node.call("sandbox_fast_forward", { delta_height: 201 });
    const s = await txStatus(node, r, alice.accountId);
    t.is(text(s), "failed");
    t.true(s.receipts_outcome.some((o: Any) => o.id === yieldId && o.outcome.status.SuccessValue !== undefined));
  },
);

test.serial(
  "timeout: 200 blocks after the yield's block the callback gets Failed; a resume after that is false",
  async (t) => {
    const { r, dataId } = await yieldFrom(alice);
    const created = await node.call("block", { block_id: r.receipts_outcome[0].block_hash });
    const expiresAt = created.header.height + 200;
    const head = (await node.call("block", { finality: "final" })).header.height;
    await node.call("sandbox_fast_forward", { delta_height: expiresAt - 1 - head });
    t.is(
      callbacks(await txStatus(node, r, alice.accountId, "INCLUDED_FINAL")).length,
      0,
      "not yet at height expires_at - 1",
    );
    await node.call("sandbox_fast_forward", { delta_height: 1 });
    const s = await txStatus(node, r, alice.accountId);
    const cbs = callbacks(s);
    t.is(cbs.length, 1, "resolved at expires_at");
    t.is(Buffer.from(cbs[0].outcome.status.SuccessValue, "base64").toString(), "failed");
    t.deepEqual(cbs[0].outcome.logs, []);
    const cbBlock = await node.call("block", { block_id: cbs[0].block_hash });
    t.is(cbBlock.header.height, expiresAt + 1, "the PromiseResume runs in the block after the timeout");
    t.is(text(await resume(alice, alice.accountId, dataId, "late")), "0");
    t.is(callbacks(await txStatus(node, r, alice.accountId)).length, 1);
  },
);

test.serial("a yield resumed before its timeout runs once: the timeout finds it gone", async (t) => {
  const { r, dataId } = await yieldFrom(alice);
  t.is(text(await resume(alice, alice.accountId, dataId, "early")), "1");
  await node.call("sandbox_fast_forward", { delta_height: 250 });
  await alice.exec(alice.accountId, [fn("resume", payloadOf(new Uint8Array(32), ""))]);
  const cbs = callbacks(await txStatus(node, r, alice.accountId));
  t.is(cbs.length, 1);
  t.is(Buffer.from(cbs[0].outcome.status.SuccessValue, "base64").toString(), "early");
});

test.serial("an unknown data id, or another account's, is not found (false); the owner still resumes it", async (t) => {
  const { r, dataId } = await yieldFrom(alice);
  t.is(text(await resume(alice, alice.accountId, Buffer.alloc(32, 7), "x")), "0");
  t.is(text(await resume(bob, bob.accountId, dataId, "stolen")), "0", "bob's contract cannot resume alice's yield");
  t.is(text(await resume(bob, alice.accountId, dataId, "via alice")), "1", "alice's contract can, whoever calls it");
  const cbs = callbacks(await txStatus(node, r, alice.accountId));
  t.is(Buffer.from(cbs[0].outcome.status.SuccessValue, "base64").toString(), "via alice");
});

test.serial("payloads over max_yield_payload_size (1024 bytes) fail the call; 1024 bytes pass", async (t) => {
  const config = await node.call("EXPERIMENTAL_protocol_config", { finality: "final" });
  const limit = config.runtime_config.wasm_config.limit_config.max_yield_payload_size;
  t.is(limit, 1024);
  const { r, dataId } = await yieldFrom(alice);
  const over = await resume(alice, alice.accountId, dataId, Buffer.alloc(limit + 1, 97));
  t.deepEqual(over.status.Failure.ActionError.kind, {
    FunctionCallError: { ExecutionError: "Yield resume payload is 1025 bytes which exceeds the 1024 byte limit" },
  });
  t.is(callbacks(await txStatus(node, r, alice.accountId, "INCLUDED_FINAL")).length, 0, "nothing was delivered");
  t.is(text(await resume(alice, alice.accountId, dataId, Buffer.alloc(limit, 98))), "1");
  const cbs = callbacks(await txStatus(node, r, alice.accountId));
  t.is(Buffer.from(cbs[0].outcome.status.SuccessValue, "base64").length, limit);
});

test.serial("gas: yield_create_base/byte and yield_resume_base/byte as the config says", async (t) => {
  const config = await node.call("EXPERIMENTAL_protocol_config", { finality: "final" });
  const ext = config.runtime_config.wasm_config.ext_costs;
  const { r, dataId } = await yieldFrom(alice);
  t.is(cost(r.receipts_outcome[0], "YIELD_CREATE_BASE"), BigInt(ext.yield_create_base));
  // the method name "cb" and empty arguments
  t.is(cost(r.receipts_outcome[0], "YIELD_CREATE_BYTE"), 2n * BigInt(ext.yield_create_byte));
  const res = await resume(alice, alice.accountId, dataId, "12345");
  t.is(cost(res.receipts_outcome[0], "YIELD_RESUME_BASE"), BigInt(ext.yield_resume_base));
  t.is(cost(res.receipts_outcome[0], "YIELD_RESUME_BYTE"), 5n * BigInt(ext.yield_resume_byte));
  // the callback's receipt is paid from the yield call's attached gas, its unused gas refunded to the signer
  const cb = callbacks(await txStatus(node, r, alice.accountId))[0];
  t.true(cb.outcome.gas_burnt > 0);
  t.true(cb.outcome.receipt_ids.length === 1, "a gas refund");
});

test.serial("the signer pays exactly the tokens burnt by both transactions, the callback's gas included", async (t) => {
  // bob signs, alice's contract yields and gets the 30% rewards: bob pays what the outcomes burnt, to the yocto
  const b0 = await balance(node, bob.accountId);
  const y = await bob.exec(alice.accountId, [fn("yield")], INCLUDED);
  const dataId = Buffer.from(y.status.SuccessValue, "base64");
  const res = await resume(bob, alice.accountId, dataId, "paid");
  const burnt = (s: Any) =>
    [s.transaction_outcome, ...s.receipts_outcome].reduce(
      (sum: bigint, o: Any) => sum + BigInt(o.outcome.tokens_burnt),
      0n,
    );
  const done = await txStatus(node, y, bob.accountId);
  t.is(callbacks(done).length, 1);
  t.is(b0 - (await balance(node, bob.accountId)), burnt(done) + burnt(res));
});

test.serial(
  "yield ids (protocol 85): one pending yield per id, resumed by its id; the id is free again once the callback ran",
  async (t) => {
    const id = Buffer.alloc(32, 1);
    const r = await alice.exec(alice.accountId, [fn("yield_with_id", id)], INCLUDED);
    t.is(text(r), "1");
    const config = await node.call("EXPERIMENTAL_protocol_config", { finality: "final" });
    const ext = config.runtime_config.wasm_config.ext_costs;
    t.is(cost(r.receipts_outcome[0], "YIELD_CREATE_WITH_ID_BASE"), BigInt(ext.yield_create_with_id_base));
    t.is(cost(r.receipts_outcome[0], "YIELD_CREATE_BASE"), 0n);
    // a call that fails after creating a yield leaves nothing: no yield, no id, no timeout
    const id9 = Buffer.alloc(32, 9);
    const failed = await alice.exec(alice.accountId, [fn("yield_with_id_panic", id9)]);
    t.truthy(failed.status.Failure);
    t.is(failed.receipts_outcome[0].outcome.receipt_ids.length, 1, "only the gas refund");
    t.is(text(await alice.exec(alice.accountId, [fn("yield_with_id", id9)], INCLUDED)), "1", "the id was never taken");
    t.is(r.receipts_outcome[0].outcome.receipt_ids.length, 2, "the yield and the gas refund");
    t.is(text(await alice.exec(alice.accountId, [fn("yield_with_id", id)])), "0", "taken while the yield waits");
    t.is(text(await alice.exec(bob.accountId, [fn("yield_with_id", id)], INCLUDED)), "1", "ids are per account");
    t.is(text(await alice.exec(alice.accountId, [fn("resume_id", payloadOf(Buffer.alloc(32, 2), "x"))])), "0");
    t.is(text(await alice.exec(alice.accountId, [fn("resume_id", payloadOf(id, "by id"))])), "1");
    const cbs = callbacks(await txStatus(node, r, alice.accountId));
    t.is(cbs.length, 1);
    t.is(Buffer.from(cbs[0].outcome.status.SuccessValue, "base64").toString(), "by id");
    t.is(text(await alice.exec(alice.accountId, [fn("resume_id", payloadOf(id, "again"))])), "0", "gone");
    // the id is free again; two creations with one id in one call: the second answers u64::MAX
    const id3 = Buffer.alloc(32, 3);
    t.is(text(await alice.exec(alice.accountId, [fn("yield_with_id_twice", id3)], INCLUDED)), "10");
    t.is(text(await alice.exec(alice.accountId, [fn("yield_with_id", id)], INCLUDED)), "1");
    // a timeout frees the id too (bob's, alice's id and id3 time out here)
    await node.call("sandbox_fast_forward", { delta_height: 201 });
    t.is(text(await alice.exec(alice.accountId, [fn("yield_with_id", id3)], INCLUDED)), "1");
    t.is(text(await alice.exec(alice.accountId, [fn("resume_id", payloadOf(id3, "z"))])), "1");
  },
);

test.serial(
  "send_tx waits while the transaction's yield waits (as nearcore's RPC), and answers once another transaction resumes it",
  async (t) => {
    const { bytes, hash } = await alice.sign(alice.accountId, [fn("yield")]);
    const waiting = node.rpc("send_tx", {
      signed_tx_base64: Buffer.from(bytes).toString("base64"),
      wait_until: "EXECUTED_OPTIMISTIC",
    });
    // the transaction ran (its outcome so far is there at INCLUDED_FINAL) and its send_tx still waits
    let partial: Any;
    for (let i = 0; i < 200 && !partial; i++) {
      const r = await node.rpc("tx", {
        tx_hash: hash,
        sender_account_id: alice.accountId,
        wait_until: "INCLUDED_FINAL",
      });
      if (r.result) partial = r.result;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    t.is(partial.final_execution_status, "INCLUDED_FINAL");
    let answered = false;
    void waiting.then(() => {
      answered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    t.false(answered);
    // bob resumes it through alice's contract (the resume runs on alice's account)
    const dataId = Buffer.from(partial.status.SuccessValue, "base64");
    t.is(text(await resume(bob, alice.accountId, dataId, "released")), "1");
    const r = (await waiting).result;
    t.is(r.final_execution_status, "EXECUTED_OPTIMISTIC");
    const cbs = callbacks(r);
    t.is(Buffer.from(cbs[0].outcome.status.SuccessValue, "base64").toString(), "released");
  },
);

test("a transaction whose yield waits past the RPC's polling timeout gets TIMEOUT_ERROR, as from nearcore", async (t) => {
  const n = await startNode(undefined, { LOCAL_NODE_TX_TIMEOUT_MS: "300" });
  t.teardown(() => n.stop());
  const dave = await createAccount(n.root, "dave.test.near", 10n * NEAR);
  await dave.exec(dave.accountId, [actions.deployContract(YIELDER)]);
  const r = await dave.send(dave.accountId, [fn("yield")]);
  t.deepEqual(r.error, {
    name: "HANDLER_ERROR",
    cause: { name: "TIMEOUT_ERROR" },
    code: -32000,
    message: "Server error",
    data: "Timeout",
  });
  const s = await n.rpc("tx", { tx_hash: r.hash, sender_account_id: dave.accountId });
  t.is(s.error.cause.name, "TIMEOUT_ERROR");
  const partial = await n.call("tx", { tx_hash: r.hash, sender_account_id: dave.accountId, wait_until: "INCLUDED" });
  t.is(partial.final_execution_status, "INCLUDED_FINAL");
  t.is(
    (await n.call("tx", { tx_hash: r.hash, sender_account_id: dave.accountId, wait_until: "NONE" }))
      .final_execution_status,
    "NONE",
  );
});

test("pending yields and their timeouts survive a restart", async (t) => {
  const n = await startNode();
  const carol = await createAccount(n.root, "carol.test.near", 10n * NEAR);
  await carol.exec(carol.accountId, [actions.deployContract(YIELDER)]);
  const a = await yieldFrom(carol, "yield_then");
  const b = await yieldFrom(carol);
  const id = Buffer.alloc(32, 5);
  const c = await carol.exec(carol.accountId, [fn("yield_with_id", id)], INCLUDED);
  await n.kill9();
  const again = await startNode(n.home);
  t.teardown(() => again.stop());
  const carol2 = new SignerClass(again, carol.accountId, carol.keyPair);
  t.is(text(await resume(carol2, carol.accountId, a.dataId, "after restart")), "1");
  const sa = callbacks(await txStatus(again, a.r, carol.accountId));
  t.is(sa.length, 2, "the callback and the receipt that waited for it across the restart");
  for (const cb of sa) t.is(Buffer.from(cb.outcome.status.SuccessValue, "base64").toString(), "after restart");
  t.is(text(await carol2.exec(carol.accountId, [fn("yield_with_id", id)])), "0", "the id is still taken");
  t.is(text(await carol2.exec(carol.accountId, [fn("resume_id", payloadOf(id, "by id"))])), "1");
  const sc = callbacks(await txStatus(again, c, carol.accountId));
  t.is(Buffer.from(sc[0].outcome.status.SuccessValue, "base64").toString(), "by id");
  await again.call("sandbox_fast_forward", { delta_height: 200 });
  const sb = callbacks(await txStatus(again, b.r, carol.accountId));
  t.is(sb.length, 1);
  t.is(Buffer.from(sb[0].outcome.status.SuccessValue, "base64").toString(), "failed");
  // and once more after another restart, the records hold
  await again.stop();
  const third = await startNode(n.home);
  t.teardown(() => third.stop());
  t.is(callbacks(await txStatus(third, b.r, carol.accountId)).length, 1);
});
