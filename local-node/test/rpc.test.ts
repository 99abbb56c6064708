// RPC shapes: block, chunk, status, gas_price, configs, every query request type and the error objects.
import test from "ava";
import { MAX_FUNCTION_BODY_SIZE } from "../../toolchain/lib/wasm-limits.mjs";
import { actions, createAccount, type NodeHandle, randomKey, startNode } from "./harness.ts";

let node: NodeHandle;
test.before(async () => {
  node = await startNode();
});
test.after.always(async () => {
  await node?.stop();
});

test("block by finality, height and hash", async (t) => {
  const head = await node.call("block", { finality: "final" });
  t.is(head.author, "test.near");
  t.is(typeof head.header.height, "number");
  t.is(typeof head.header.timestamp, "number");
  t.is(typeof head.header.timestamp_nanosec, "string");
  t.is(head.header.gas_price, "100000000");
  t.is(head.header.latest_protocol_version, 77);
  t.is(head.chunks.length, 1);
  const byHeight = await node.call("block", { block_id: head.header.height });
  t.is(byHeight.header.hash, head.header.hash);
  const byHash = await node.call("block", { block_id: head.header.hash });
  t.is(byHash.header.height, head.header.height);
  const legacy = await node.call("block", [head.header.height]);
  t.is(legacy.header.hash, head.header.hash);
  const unknown = await node.rpc("block", { block_id: 10_000_000 });
  t.is(unknown.error.name, "HANDLER_ERROR");
  t.is(unknown.error.cause.name, "UNKNOWN_BLOCK");
  t.is(unknown.status, 200);
});

test("status, gas_price, protocol and genesis config, validators, chunk", async (t) => {
  const status = await node.call("status", []);
  t.regex(status.chain_id, /^test-chain-/);
  t.is(status.protocol_version, 77);
  t.is(status.sync_info.syncing, false);
  t.is((await node.call("gas_price", [null])).gas_price, "100000000");
  const pc = await node.call("EXPERIMENTAL_protocol_config", { finality: "final" });
  t.is(pc.runtime_config.storage_amount_per_byte, "10000000000000000000");
  t.is(pc.runtime_config.transaction_costs.action_creation_config.transfer_cost.execution, 115123062500);
  t.is(pc.runtime_config.wasm_config.ext_costs.storage_write_base, 64196736000);
  // protocol 86's view: nearcore's fields in nearcore's order, fees and prices from near-parameters
  t.is(pc.protocol_version, 86);
  t.deepEqual(Object.keys(pc), [
    "protocol_version",
    "genesis_time",
    "chain_id",
    "genesis_height",
    "num_block_producer_seats",
    "dynamic_resharding",
    "protocol_upgrade_stake_threshold",
    "epoch_length",
    "gas_limit",
    "min_gas_price",
    "max_gas_price",
    "block_producer_kickout_threshold",
    "chunk_producer_kickout_threshold",
    "chunk_validator_only_kickout_threshold",
    "target_validator_mandates_per_shard",
    "online_min_threshold",
    "online_max_threshold",
    "gas_price_adjustment_rate",
    "runtime_config",
    "transaction_validity_period",
    "protocol_reward_rate",
    "max_inflation_rate",
    "num_blocks_per_year",
    "protocol_treasury_account",
    "fishermen_threshold",
    "minimum_stake_divisor",
    "max_kickout_stake_perc",
    "minimum_stake_ratio",
    "shuffle_shard_assignment_for_chunk_producers",
    "minimum_validators_per_shard",
    "shard_layout",
  ]);
  t.is(pc.runtime_config.min_gas_purchase_price, "1000000000");
  t.is(pc.runtime_config.account_creation_charge, "7000000000000000000000");
  t.is(pc.runtime_config.transaction_costs.pessimistic_gas_price_inflation_ratio.join("/"), "1/1");
  t.is(pc.runtime_config.wasm_config.limit_config.max_total_prepaid_gas, 1e15);
  t.is(
    pc.runtime_config.wasm_config.limit_config.max_function_body_size,
    MAX_FUNCTION_BODY_SIZE,
    "the toolchain checks the same limit",
  );
  const gc = await node.call("EXPERIMENTAL_genesis_config", {});
  t.is(gc.epoch_length, 500);
  t.is(gc.transaction_validity_period, 100);
  const v = await node.call("validators", [null]);
  t.is(v.current_validators[0].account_id, "test.near");
  const head = await node.call("block", { finality: "final" });
  const chunk = await node.call("chunk", { chunk_id: head.chunks[0].chunk_hash });
  t.is(chunk.header.chunk_hash, head.chunks[0].chunk_hash);
  t.deepEqual(chunk.transactions, []);
});

test("query view_account, view_access_key(_list), view_code, view_state, call_function errors", async (t) => {
  const q = (params: Record<string, unknown>) => node.rpc("query", { finality: "final", ...params });
  const acc = (await q({ request_type: "view_account", account_id: "test.near" })).result;
  t.like(acc, { locked: "50000000000000000000000000000000", storage_usage: 182, storage_paid_at: 0 });
  t.is(acc.code_hash, "11111111111111111111111111111111");
  t.is(typeof acc.block_height, "number");
  t.is(typeof acc.block_hash, "string");

  const missing = await q({ request_type: "view_account", account_id: "nobody.near" });
  t.is(missing.error.cause.name, "UNKNOWN_ACCOUNT");
  t.is(missing.error.data, "account nobody.near does not exist while viewing");
  t.is(missing.error.code, -32000);

  const key = (await q({ request_type: "view_access_key", account_id: "test.near", public_key: node.root.publicKey }))
    .result;
  t.is(key.permission, "FullAccess");
  t.is(typeof key.nonce, "number");
  const otherKey = "ed25519:9Bf6bpdBy3hBmNTXMiAP6qQRnzAhvEhjU2GE7VCZQYCx";
  const noKey = await q({ request_type: "view_access_key", account_id: "test.near", public_key: otherKey });
  t.is(noKey.result.error, `access key ${otherKey} does not exist while viewing`);
  t.deepEqual(noKey.result.logs, []);

  const list = (await q({ request_type: "view_access_key_list", account_id: "test.near" })).result;
  t.is(list.keys.length, 1);
  t.is(list.keys[0].public_key, node.root.publicKey);
  t.is(list.keys[0].access_key.permission, "FullAccess");

  const code = await q({ request_type: "view_code", account_id: "test.near" });
  t.is(code.error.cause.name, "NO_CONTRACT_CODE");

  const state = (await q({ request_type: "view_state", account_id: "test.near", prefix_base64: "" })).result;
  t.deepEqual(state.values, []);

  const call = (await q({ request_type: "call_function", account_id: "test.near", method_name: "x", args_base64: "" }))
    .result;
  t.regex(call.error, /^wasm execution failed with error: CompilationError\(CodeDoesNotExist/);

  const badType = await q({ request_type: "view_everything", account_id: "test.near" });
  t.is(badType.error.name, "REQUEST_VALIDATION_ERROR");
  t.is(badType.error.code, -32700);
  const badId = await q({ request_type: "view_account", account_id: "Not Valid" });
  t.is(badId.error.cause.name, "PARSE_ERROR");
});

test("function-call keys are listed with their permission", async (t) => {
  const a = await createAccount(node.root, "keys.test.near");
  const fc = randomKey();
  await a.exec(a.accountId, [actions.addKey(fc.getPublicKey(), actions.functionCallAccessKey("x.near", ["m"], 5n))]);
  const list = await node.call("query", {
    request_type: "view_access_key_list",
    finality: "final",
    account_id: a.accountId,
  });
  const entry = list.keys.find((k: { public_key: string }) => k.public_key === fc.getPublicKey().toString());
  t.deepEqual(entry.access_key.permission, {
    FunctionCall: { allowance: "5", receiver_id: "x.near", method_names: ["m"] },
  });
});

test("unknown method, malformed JSON and bad params keep HTTP 200 with nearcore error shapes", async (t) => {
  const unknown = await node.rpc("no_such_method", {});
  t.is(unknown.status, 200);
  t.is(unknown.error.code, -32601);
  t.is(unknown.error.cause.name, "METHOD_NOT_FOUND");
  t.is(unknown.error.data, "no_such_method");
  const res = await fetch(node.url, { method: "POST", body: "{not json" });
  t.is(res.status, 200);
  const body = (await res.json()) as { error: { code: number } };
  t.is(body.error.code, -32700);
  const badTx = await node.rpc("send_tx", { signed_tx_base64: "!!!" });
  t.is(badTx.error.cause.name, "PARSE_ERROR");
  const badBorsh = await node.rpc("send_tx", { signed_tx_base64: Buffer.from([1, 2, 3]).toString("base64") });
  t.is(badBorsh.error.name, "REQUEST_VALIDATION_ERROR");
  const unknownTx = await node.rpc("tx", { tx_hash: "11111111111111111111111111111111", sender_account_id: "a.near" });
  t.is(unknownTx.error.cause.name, "UNKNOWN_TRANSACTION");
});
