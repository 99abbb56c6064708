// sandbox_patch_state (the StateRecord forms near-workspaces sends) and sandbox_fast_forward (heights, time,
// epochs).
import { createHash } from "node:crypto";
import test from "ava";
import bs58 from "bs58";
import { actions, balance, NEAR, type NodeHandle, randomKey, Signer, startNode } from "./harness.ts";

let node: NodeHandle;
test.before(async () => {
  node = await startNode();
});
test.after.always(async () => {
  await node?.stop();
});

test.serial("patch_state: account, access key, contract and data records; the patched key can sign", async (t) => {
  const kp = randomKey();
  const code = Buffer.from("not really wasm");
  const codeHash = bs58.encode(createHash("sha256").update(code).digest());
  const records = [
    {
      Account: {
        account_id: "patched.test.near",
        account: {
          amount: (5n * NEAR).toString(),
          locked: "0",
          code_hash: codeHash,
          storage_usage: 300,
          version: "V1",
        },
      },
    },
    {
      AccessKey: {
        account_id: "patched.test.near",
        public_key: kp.getPublicKey().toString(),
        access_key: { nonce: 0, permission: "FullAccess" },
      },
    },
    { Contract: { account_id: "patched.test.near", code: code.toString("base64") } },
    {
      Data: {
        account_id: "patched.test.near",
        data_key: Buffer.from("k1").toString("base64"),
        value: Buffer.from("v1").toString("base64"),
      },
    },
    {
      Data: {
        account_id: "patched.test.near",
        data_key: Buffer.from("k2").toString("base64"),
        value: Buffer.from("v2").toString("base64"),
      },
    },
    { SomethingElse: { ignored: true } },
  ];
  // near-workspaces sends {records, account_id} twice
  t.deepEqual(await node.call("sandbox_patch_state", { records, account_id: "patched.test.near" }), {});
  t.deepEqual(await node.call("sandbox_patch_state", { records }), {});
  const v = await node.call("query", {
    request_type: "view_account",
    finality: "final",
    account_id: "patched.test.near",
  });
  t.like(v, { amount: (5n * NEAR).toString(), code_hash: codeHash, storage_usage: 300 });
  const c = await node.call("query", { request_type: "view_code", finality: "final", account_id: "patched.test.near" });
  t.is(c.code_base64, code.toString("base64"));
  const s = await node.call("query", {
    request_type: "view_state",
    finality: "final",
    account_id: "patched.test.near",
    prefix_base64: Buffer.from("k").toString("base64"),
  });
  t.deepEqual(
    s.values.map((x: { key: string; value: string }) => [
      Buffer.from(x.key, "base64").toString(),
      Buffer.from(x.value, "base64").toString(),
    ]),
    [
      ["k1", "v1"],
      ["k2", "v2"],
    ],
  );
  const signer = new Signer(node, "patched.test.near", kp);
  const r = await signer.exec("test.near", [actions.transfer(NEAR)]);
  t.is(r.status.SuccessValue, "");
  t.true((await balance(node, "patched.test.near")) < 4n * NEAR);
  const bad = await node.rpc("sandbox_patch_state", { nothing: [] });
  t.is(bad.error.cause.name, "PARSE_ERROR");
  // a malformed record is rejected as a whole: nothing of the batch is applied
  const malformed = await node.rpc("sandbox_patch_state", {
    records: [
      { Data: { account_id: "patched.test.near", data_key: Buffer.from("k3").toString("base64"), value: "" } },
      { Account: { account_id: "patched.test.near", account: { amount: "lots", locked: "0" } } },
    ],
  });
  t.is(malformed.error.cause.name, "PARSE_ERROR");
  const again = await node.call("query", {
    request_type: "view_state",
    finality: "final",
    account_id: "patched.test.near",
    prefix_base64: Buffer.from("k3").toString("base64"),
  });
  t.deepEqual(again.values, []);
});

test.serial("fast_forward: heights, ~1.3 s per height, epochs of 500 blocks", async (t) => {
  const before = await node.call("block", { finality: "final" });
  t.deepEqual(await node.call("sandbox_fast_forward", { delta_height: 1200 }), {});
  const after = await node.call("block", { finality: "final" });
  t.is(after.header.height, before.header.height + 1200);
  const dt = BigInt(after.header.timestamp_nanosec) - BigInt(before.header.timestamp_nanosec);
  t.true(dt >= 1199n * 1_300_000_000n && dt < 1202n * 1_300_000_000n + 10n ** 10n);
  t.not(after.header.epoch_id, before.header.epoch_id);
  const v = await node.call("validators", [null]);
  t.is(v.epoch_height, Math.floor(after.header.height / 500) + 1);
  // a skipped height in the middle is still answerable by height
  const mid = await node.call("block", { block_id: before.header.height + 10 });
  t.is(mid.header.height, before.header.height + 10);
  // transactions keep working and later blocks are after the skipped time
  const r = await node.root.exec("test.near", [actions.transfer(1n)]);
  const b = await node.call("block", { block_id: r.transaction_outcome.block_hash });
  t.true(BigInt(b.header.timestamp_nanosec) > BigInt(after.header.timestamp_nanosec));
  const bad = await node.rpc("sandbox_fast_forward", { delta_height: -1 });
  t.is(bad.error.name, "REQUEST_VALIDATION_ERROR");
});
