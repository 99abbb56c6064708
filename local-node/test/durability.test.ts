// Restart durability: every answered transaction survives kill -9; a torn journal tail is ignored.
import { appendFileSync, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import test from "ava";
import { actions, balance, createAccount, NEAR, Signer, startNode } from "./harness.ts";

test("state, keys, nonces, blocks and outcomes survive kill -9 and restart", async (t) => {
  const node = await startNode();
  const alice = await createAccount(node.root, "alice.test.near", 20n * NEAR);
  const results = [];
  for (let i = 0; i < 5; i++) results.push(await alice.exec("test.near", [actions.transfer(BigInt(i + 1) * NEAR)]));
  await node.call("sandbox_fast_forward", { delta_height: 250 });
  await node.call("sandbox_patch_state", {
    records: [{ Data: { account_id: "alice.test.near", data_key: "a2V5", value: "dmFsdWU=" } }],
  });
  const balances = [await balance(node, "alice.test.near"), await balance(node, "test.near")];
  const nonce = await alice.nonce();
  const head = await node.call("block", { finality: "final" });
  await node.kill9();

  // a crash in the middle of a write leaves a torn line: it was never acknowledged and must be dropped
  appendFileSync(join(node.home, "journal.jsonl"), '{"s":[["a:ghost.near"');
  const again = await startNode(node.home);
  t.teardown(() => again.stop());
  t.deepEqual([await balance(again, "alice.test.near"), await balance(again, "test.near")], balances);
  const alice2 = new Signer(again, alice.accountId, alice.keyPair);
  t.is(await alice2.nonce(), nonce);
  const head2 = await again.call("block", { finality: "final" });
  t.is(head2.header.height, head.header.height);
  t.is(head2.header.hash, head.header.hash);
  for (const r of results) {
    const s = await again.call("tx", { tx_hash: r.transaction.hash, sender_account_id: alice.accountId });
    t.deepEqual(s.receipts_outcome, r.receipts_outcome);
  }
  const state = await again.call("query", {
    request_type: "view_state",
    finality: "final",
    account_id: "alice.test.near",
    prefix_base64: "",
  });
  t.deepEqual(state.values, [{ key: "a2V5", value: "dmFsdWU=" }]);
  // the node keeps going on the restored chain
  const r = await alice2.exec("test.near", [actions.transfer(1n)]);
  t.is(r.status.SuccessValue, "");
  t.false(readFileSync(join(node.home, "journal.jsonl"), "utf8").includes("ghost.near"));
});

test("a large journal is compacted into a snapshot at start-up, and both load after another restart", async (t) => {
  const small = { LOCAL_NODE_COMPACT_BYTES: "2000" };
  const node = await startNode(undefined, small);
  const bob = await createAccount(node.root, "bob.test.near", 5n * NEAR);
  await bob.exec("test.near", [actions.transfer(NEAR)]);
  const before = [await balance(node, "bob.test.near"), await balance(node, "test.near")];
  const head = (await node.call("block", { finality: "final" })).header.height;
  await node.stop();
  t.true(statSync(join(node.home, "journal.jsonl")).size > 2000);

  const second = await startNode(node.home, small);
  t.true(existsSync(join(node.home, "snapshot.json")));
  t.is(statSync(join(node.home, "journal.jsonl")).size, 0);
  t.deepEqual([await balance(second, "bob.test.near"), await balance(second, "test.near")], before);
  // more work lands in the new journal; a kill -9 then restart loads snapshot + journal
  await new Signer(second, bob.accountId, bob.keyPair).exec("test.near", [actions.transfer(1n)]);
  const after = await balance(second, "test.near");
  await second.kill9();
  const third = await startNode(node.home);
  t.teardown(() => third.stop());
  t.is(await balance(third, "test.near"), after);
  t.true((await third.call("block", { finality: "final" })).header.height > head);
});
