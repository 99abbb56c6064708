// Many accounts transacting at once against one node: requests are serialised, every transaction executes
// exactly once, and the balances add up to the yocto.
import test from "ava";
import { actions, balance, createAccount, GAS_PRICE, NEAR, startNode, type Signer } from "./harness.ts";

test("20 accounts x 5 concurrent transfers", async (t) => {
  const node = await startNode();
  t.teardown(() => node.stop());
  const sink = await createAccount(node.root, "sink.test.near", NEAR);
  const senders: Signer[] = [];
  for (let i = 0; i < 20; i++) senders.push(await createAccount(node.root, `s${i}.test.near`, 10n * NEAR));
  const before = await Promise.all(senders.map((s) => balance(node, s.accountId)));
  const sink0 = await balance(node, sink.accountId);
  // each sender signs its 5 nonces up front and sends them all at once
  const signed = await Promise.all(
    senders.map(async (s) => {
      const n = await s.nonce();
      return Promise.all(
        [1n, 2n, 3n, 4n, 5n].map((k) => s.sign(sink.accountId, [actions.transfer(k)], { nonce: n + k })),
      );
    }),
  );
  const results = await Promise.all(
    signed
      .flat()
      .map((x) =>
        node.call("send_tx", { signed_tx_base64: Buffer.from(x.bytes).toString("base64"), wait_until: "EXECUTED" }),
      ),
  );
  // nonces may arrive out of order: a lower nonce after a higher one is InvalidNonce, which is correct
  const ok = results.filter((r) => r.status?.SuccessValue === "").length;
  t.is(ok, results.length);
  t.is(await balance(node, sink.accountId), sink0 + 20n * 15n);
  const fee = 2n * (108_059_500_000n + 115_123_062_500n) * GAS_PRICE;
  const after = await Promise.all(senders.map((s) => balance(node, s.accountId)));
  t.deepEqual(
    after,
    before.map((b) => b - 15n - 5n * fee),
  );
});
