// Fuzz: thousands of random and mutated requests (malformed JSON, random params, corrupted and replayed
// signed transactions, oversized bodies), only to 127.0.0.1. Afterwards the node must still answer and the
// accounts' balances, keys and nonces must be exactly as before.
import { randomBytes } from "node:crypto";
import test from "ava";
import { actions, createAccount, NEAR, type NodeHandle, randomKey, Signer, startNode, TGAS } from "./harness.ts";

const COUNT = 3000;
const CONCURRENCY = 16;
const METHODS = [
  "block",
  "chunk",
  "query",
  "send_tx",
  "broadcast_tx_async",
  "broadcast_tx_commit",
  "tx",
  "EXPERIMENTAL_tx_status",
  "status",
  "gas_price",
  "validators",
  "EXPERIMENTAL_protocol_config",
  "nonexistent",
];

let seed = 42;
function rnd(n: number): number {
  // deterministic xorshift so a failure can be replayed
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return Math.abs(seed) % n;
}

function randomValue(depth = 0): unknown {
  switch (rnd(depth > 2 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return rnd(2) === 0;
    case 2:
      return rnd(2) ? rnd(1e9) : -rnd(1e9) / 7;
    case 3:
      return randomBytes(rnd(40)).toString(rnd(2) ? "base64" : "hex");
    case 4:
      return ["final", "optimistic", "test.near", "alice.test.near", "ed25519:abc", "", "view_account"][rnd(7)];
    case 5:
      return Array.from({ length: rnd(4) }, () => randomValue(depth + 1));
    default: {
      const keys = [
        "finality",
        "block_id",
        "request_type",
        "account_id",
        "public_key",
        "method_name",
        "args_base64",
        "prefix_base64",
        "signed_tx_base64",
        "wait_until",
        "tx_hash",
        "sender_account_id",
        "chunk_id",
        "shard_id",
      ];
      return Object.fromEntries(Array.from({ length: rnd(5) }, () => [keys[rnd(keys.length)], randomValue(depth + 1)]));
    }
  }
}

function mutate(bytes: Uint8Array): Uint8Array {
  const b = Uint8Array.from(bytes);
  switch (rnd(4)) {
    case 0: // flip bytes
      for (let i = 0; i <= rnd(3); i++) b[rnd(b.length)] ^= 1 + rnd(255);
      return b;
    case 1: // truncate
      return b.subarray(0, rnd(b.length));
    case 2: // append garbage
      return Uint8Array.from([...b, ...randomBytes(1 + rnd(8))]);
    default: // overwrite a run
      b.set(randomBytes(Math.min(8, b.length)), rnd(Math.max(1, b.length - 8)));
      return b;
  }
}

interface Snapshot {
  [id: string]: { amount: string; locked: string; storage: number; keys: unknown };
}

async function snapshot(node: NodeHandle, ids: string[]): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const id of ids) {
    const a = await node.call("query", { request_type: "view_account", finality: "final", account_id: id });
    const k = await node.call("query", { request_type: "view_access_key_list", finality: "final", account_id: id });
    out[id] = { amount: a.amount, locked: a.locked, storage: a.storage_usage, keys: k.keys };
  }
  return out;
}

test("random and mutated requests leave the node serving and the state unchanged", async (t) => {
  const node = await startNode();
  t.teardown(() => node.stop());
  const alice = await createAccount(node.root, "alice.test.near", 20n * NEAR);
  const bob = await createAccount(node.root, "bob.test.near", 20n * NEAR);
  // an executed transaction whose exact bytes are replayed (must return the recorded outcome, not re-run)
  const executed = await alice.sign(bob.accountId, [actions.transfer(NEAR)]);
  await node.call("send_tx", { signed_tx_base64: Buffer.from(executed.bytes).toString("base64") });
  // valid but never sent: only its mutations are sent
  const pristine = [
    await alice.sign(bob.accountId, [actions.transfer(2n * NEAR)]),
    await alice.sign(bob.accountId, [actions.functionCall("m", Buffer.from("{}"), 10n * TGAS, 0n)]),
    await alice.sign("new.alice.test.near", [actions.createAccount(), actions.transfer(NEAR)]),
  ];
  const stale = await alice.sign(bob.accountId, [actions.transfer(5n)], { nonce: 1n });
  const ghost = await new Signer(node, "ghost.test.near", randomKey()).sign(bob.accountId, [actions.transfer(1n)], {
    nonce: 1n,
  });
  const ids = ["test.near", alice.accountId, bob.accountId];
  const before = await snapshot(node, ids);
  const head = await node.call("block", { finality: "final" });

  const kinds = { rawBody: 0, randomJson: 0, randomParams: 0, mutatedTx: 0, replay: 0, invalidTx: 0, oversized: 0 };
  let statuses5xx = 0;
  let internal = 0;
  const post = async (body: string | Uint8Array) => {
    const res = await fetch(node.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : new Blob([Buffer.from(body)]),
    });
    const text = await res.text();
    if (res.status >= 500) statuses5xx++;
    if (text.includes("INTERNAL_ERROR")) internal++;
    return { status: res.status, text };
  };
  const sendTx = (id: number, bytes: Uint8Array) =>
    post(
      JSON.stringify({
        jsonrpc: "2.0",
        id,
        method: "send_tx",
        params: { signed_tx_base64: Buffer.from(bytes).toString("base64") },
      }),
    );
  const one = async (i: number) => {
    const k = rnd(100);
    if (k < 10) {
      kinds.rawBody++;
      await post(randomBytes(rnd(200)));
    } else if (k < 20) {
      kinds.randomJson++;
      await post(JSON.stringify(randomValue()));
    } else if (k < 50) {
      kinds.randomParams++;
      await post(
        JSON.stringify({ jsonrpc: "2.0", id: i, method: METHODS[rnd(METHODS.length)], params: randomValue() }),
      );
    } else if (k < 85) {
      kinds.mutatedTx++;
      const tx = mutate(pristine[rnd(pristine.length)].bytes);
      const method = ["send_tx", "broadcast_tx_commit", "broadcast_tx_async"][rnd(3)];
      const b64 = Buffer.from(tx).toString("base64");
      const params = method === "send_tx" ? { signed_tx_base64: b64, wait_until: "FINAL" } : [b64];
      const r = await post(JSON.stringify({ jsonrpc: "2.0", id: i, method, params }));
      if (!r.text.includes('"error"')) throw new Error(`a mutated transaction was accepted: ${r.text.slice(0, 300)}`);
    } else if (k < 92) {
      kinds.replay++;
      const r = await sendTx(i, executed.bytes);
      if (!r.text.includes(executed.hash)) throw new Error(`replay did not return the recorded outcome: ${r.text}`);
    } else if (k < 99) {
      kinds.invalidTx++;
      const tx = [stale, ghost][rnd(2)];
      const r = await sendTx(i, tx.bytes);
      if (!r.text.includes("INVALID_TRANSACTION")) throw new Error(`expected an invalid transaction: ${r.text}`);
    } else {
      kinds.oversized++;
      if (rnd(2)) {
        const r = await post(Buffer.alloc(11 * 1024 * 1024, 32));
        if (r.status !== 413) throw new Error(`oversized body answered ${r.status}`);
      } else {
        const big = await alice.sign(alice.accountId, [actions.deployContract(new Uint8Array(1_600_000))]);
        const r = await post(
          JSON.stringify({
            jsonrpc: "2.0",
            id: i,
            method: "send_tx",
            params: { signed_tx_base64: Buffer.from(big.bytes).toString("base64") },
          }),
        );
        if (!r.text.includes("TransactionSizeExceeded"))
          throw new Error(`expected TransactionSizeExceeded: ${r.text.slice(0, 300)}`);
      }
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < COUNT) await one(next++);
    }),
  );
  t.log(`sent ${COUNT} requests: ${JSON.stringify(kinds)}`);
  t.is(statuses5xx, 0);
  t.is(internal, 0, "deterministic errors are never INTERNAL_ERROR");
  const status = await node.call("status", []);
  t.false(status.sync_info.syncing);
  t.deepEqual(await snapshot(node, ids), before);
  const after = await node.call("block", { finality: "final" });
  t.is(after.header.height, head.header.height, "no rejected request produced a block");
  // and it still executes real transactions
  const r = await alice.exec(bob.accountId, [actions.transfer(1n)]);
  t.is(r.status.SuccessValue, "");
});
