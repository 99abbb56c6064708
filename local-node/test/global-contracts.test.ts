// Global contracts (NEP-591, protocol 78+) on the local node, as nearcore 2.13's runtime applies them
// (runtime/runtime/src/global_contracts.rs): DeployGlobalContract burns the code's storage at 10x the storage price
// from the deployer (the deployer's own storage does not grow) and the code reaches the global store in the next block;
// UseGlobalContract points an account at it for the identifier's bytes (32 for a hash, the id's length for an
// account); an account-mode deploy moves every user to the new code; views and errors in nearcore's shapes.
import test from "ava";
import bs58 from "bs58";
import { createHash } from "node:crypto";
import {
  account,
  actions,
  balance,
  createAccount,
  GAS_PRICE,
  NEAR,
  type NodeHandle,
  Signer,
  startNode,
  startNodeWith,
  TGAS,
  tx,
} from "./harness.ts";
import { CALLEE_WAT, CALLER_WAT, compileWat } from "./wasm.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC outcome objects
type Any = any;
const GLOBAL_BYTE_PRICE = 10n ** 20n; // global_contract_storage_amount_per_byte
const RECEIPT = 108_059_500_000n;
const DEPLOY_GLOBAL_BASE = 184_765_750_000n;
const DEPLOY_GLOBAL_BYTE_SEND_SIR = 6_812_999n;
const DEPLOY_GLOBAL_BYTE_EXEC = 70_000_000n;
const EMPTY_HASH = "11111111111111111111111111111111";

let node: NodeHandle;
let alice: Signer;
let bob: Signer;
let carol: Signer;
const callee = compileWat(CALLEE_WAT);
const caller = compileWat(CALLER_WAT);
const hashOf = (code: Uint8Array) => bs58.encode(createHash("sha256").update(code).digest());
const byHash = (code: Uint8Array) =>
  new tx.GlobalContractIdentifier({ CodeHash: createHash("sha256").update(code).digest() });
const byAccount = (id: string) => new tx.GlobalContractIdentifier({ AccountId: id });
const deployGlobal = (code: Uint8Array, mode: "CodeHash" | "AccountId") =>
  actions.deployGlobalContract(code, new tx.GlobalContractDeployMode({ [mode]: null }));
const call = (method: string) => actions.functionCall(method, Buffer.from(""), 30n * TGAS, 0n);
const failure = (r: Any) => r.status.Failure?.ActionError;
const burnt = (r: Any) =>
  [r.transaction_outcome, ...r.receipts_outcome].reduce((n: bigint, o: Any) => n + BigInt(o.outcome.tokens_burnt), 0n);
const query = (request: Record<string, unknown>) => node.rpc("query", { finality: "final", ...request });

test.before(async () => {
  ({
    node,
    accounts: { alice, bob, carol },
  } = await startNodeWith({ alice: 50n * NEAR, bob: 10n * NEAR, carol: 10n * NEAR }));
});
test.after.always(() => node?.stop());

test.serial("deploy by code hash: storage burnt at 10x from the deployer, code in the global store", async (t) => {
  const a0 = await balance(node, alice.accountId);
  const usage0 = (await account(node, alice.accountId)).storage_usage;
  const r = await alice.exec(alice.accountId, [deployGlobal(callee, "CodeHash")]);
  t.is(r.status.SuccessValue, "");
  const storage = BigInt(callee.length) * GLOBAL_BYTE_PRICE;
  const send = RECEIPT + DEPLOY_GLOBAL_BASE + BigInt(callee.length) * DEPLOY_GLOBAL_BYTE_SEND_SIR;
  const exec = RECEIPT + DEPLOY_GLOBAL_BASE + BigInt(callee.length) * DEPLOY_GLOBAL_BYTE_EXEC;
  t.is(r.transaction_outcome.outcome.gas_burnt, Number(send));
  t.is(r.receipts_outcome[0].outcome.tokens_burnt, (exec * GAS_PRICE + storage).toString(), "the storage is burnt");
  t.is(burnt(r), (send + exec) * GAS_PRICE + storage);
  t.is(await balance(node, alice.accountId), a0 - (send + exec) * GAS_PRICE - storage);
  t.is((await account(node, alice.accountId)).storage_usage, usage0, "the deployer's own storage does not grow");
  t.deepEqual(r.transaction.actions, [
    { DeployGlobalContract: { code: createHash("sha256").update(callee).digest("base64") } },
  ]);
  const view = await query({ request_type: "view_global_contract_code", code_hash: hashOf(callee) });
  t.is(view.result.code_base64, Buffer.from(callee).toString("base64"));
  t.is(view.result.hash, hashOf(callee));
});

test.serial("use by code hash: 32 bytes of storage, calls and views run the global code", async (t) => {
  const before = await account(node, bob.accountId);
  const r = await bob.exec(bob.accountId, [actions.useGlobalContract(byHash(callee))]);
  t.is(r.status.SuccessValue, "");
  const after = await account(node, bob.accountId);
  t.is(after.storage_usage, before.storage_usage + 32);
  t.is(after.code_hash, EMPTY_HASH, "nearcore shows the empty local code hash");
  t.is(after.global_contract_hash, hashOf(callee));
  t.is(after.global_contract_account_id, undefined);
  t.deepEqual(r.transaction.actions, [{ UseGlobalContract: { code_hash: hashOf(callee) } }]);
  const ok = await alice.exec(bob.accountId, [call("ok")]);
  t.is(ok.status.SuccessValue, Buffer.from("hello").toString("base64"));
  const view = await query({
    request_type: "call_function",
    account_id: bob.accountId,
    method_name: "ok",
    args_base64: "",
  });
  t.deepEqual(view.result.result, [...Buffer.from("hello")]);
  const code = await query({ request_type: "view_code", account_id: bob.accountId });
  t.is(code.result.hash, hashOf(callee));
});

test.serial("use by account id: missing first, then follows the deployer's redeploys", async (t) => {
  const missing = await carol.exec(carol.accountId, [actions.useGlobalContract(byAccount(alice.accountId))]);
  t.deepEqual(failure(missing), {
    index: 0,
    kind: { GlobalContractDoesNotExist: { identifier: { account_id: alice.accountId } } },
  });
  const none = await query({ request_type: "view_global_contract_code_by_account_id", account_id: alice.accountId });
  t.is(none.error.cause.name, "NO_GLOBAL_CONTRACT_CODE");
  t.is((await alice.exec(alice.accountId, [deployGlobal(callee, "AccountId")])).status.SuccessValue, "");
  const before = await account(node, carol.accountId);
  const r = await carol.exec(carol.accountId, [actions.useGlobalContract(byAccount(alice.accountId))]);
  t.is(r.status.SuccessValue, "");
  const after = await account(node, carol.accountId);
  t.is(after.storage_usage, before.storage_usage + alice.accountId.length);
  t.is(after.global_contract_account_id, alice.accountId);
  t.deepEqual(r.transaction.actions, [{ UseGlobalContractByAccountId: { account_id: alice.accountId } }]);
  t.is((await alice.exec(carol.accountId, [call("ok")])).status.SuccessValue, Buffer.from("hello").toString("base64"));
  // alice redeploys another code under her account: carol runs it from the next call on (the caller has no "ok")
  t.is((await alice.exec(alice.accountId, [deployGlobal(caller, "AccountId")])).status.SuccessValue, "");
  const byId = await query({ request_type: "view_global_contract_code_by_account_id", account_id: alice.accountId });
  t.is(byId.result.hash, hashOf(caller));
  const moved = await alice.exec(carol.accountId, [call("ok")]);
  t.deepEqual(failure(moved).kind, { FunctionCallError: { MethodResolveError: "MethodNotFound" } });
});

test.serial("only the account itself deploys or switches its contract: ActorNoPermission", async (t) => {
  const use = await alice.exec(bob.accountId, [actions.useGlobalContract(byHash(callee))]);
  t.deepEqual(failure(use).kind, { ActorNoPermission: { account_id: bob.accountId, actor_id: alice.accountId } });
  const deploy = await alice.exec(bob.accountId, [deployGlobal(callee, "AccountId")]);
  t.deepEqual(failure(deploy).kind, { ActorNoPermission: { account_id: bob.accountId, actor_id: alice.accountId } });
  const none = await query({ request_type: "view_global_contract_code_by_account_id", account_id: bob.accountId });
  t.is(none.error.cause.name, "NO_GLOBAL_CONTRACT_CODE", "nothing was distributed");
});

test.serial(
  "a deployer that cannot pay the burn: LackBalanceForState, nothing burnt, nothing distributed",
  async (t) => {
    const poor = await createAccount(node.root, "poor.test.near", NEAR / 100n);
    const code = new Uint8Array(callee.length + 7).fill(0);
    code.set(callee);
    const p0 = await balance(node, poor.accountId);
    const r = await poor.exec(poor.accountId, [deployGlobal(code, "CodeHash")]);
    const cost = BigInt(code.length) * GLOBAL_BYTE_PRICE;
    t.deepEqual(failure(r), {
      index: 0,
      kind: { LackBalanceForState: { account_id: poor.accountId, amount: cost.toString() } },
    });
    t.is(p0 - (await balance(node, poor.accountId)), burnt(r), "only gas was paid");
    const none = await query({ request_type: "view_global_contract_code", code_hash: hashOf(code) });
    t.is(none.error.cause.name, "NO_GLOBAL_CONTRACT_CODE");
  },
);

test.serial("deploy and use in one receipt: the code is not there until the next block", async (t) => {
  const code = new Uint8Array(callee.length + 1).fill(0);
  code.set(callee);
  const a0 = await balance(node, alice.accountId);
  const r = await alice.exec(alice.accountId, [
    deployGlobal(code, "CodeHash"),
    actions.useGlobalContract(byHash(code)),
  ]);
  t.deepEqual(failure(r), {
    index: 1,
    kind: { GlobalContractDoesNotExist: { identifier: { hash: hashOf(code) } } },
  });
  t.is(a0 - (await balance(node, alice.accountId)), burnt(r), "the failed receipt burnt no storage");
  const none = await query({ request_type: "view_global_contract_code", code_hash: hashOf(code) });
  t.is(none.error.cause.name, "NO_GLOBAL_CONTRACT_CODE");
});

test.serial("a local deploy replaces the global contract and its 32 bytes", async (t) => {
  const before = await account(node, bob.accountId);
  t.is((await bob.exec(bob.accountId, [actions.deployContract(caller)])).status.SuccessValue, "");
  const after = await account(node, bob.accountId);
  t.is(after.storage_usage, before.storage_usage - 32 + caller.length);
  t.is(after.code_hash, hashOf(caller));
  t.is(after.global_contract_hash, undefined);
  // and back: the local code's bytes go, the identifier's come
  t.is((await bob.exec(bob.accountId, [actions.useGlobalContract(byHash(callee))])).status.SuccessValue, "");
  t.is((await account(node, bob.accountId)).storage_usage, before.storage_usage);
  t.is((await query({ request_type: "view_code", account_id: bob.accountId })).result.hash, hashOf(callee));
});

test.serial("queries refuse malformed identifiers", async (t) => {
  const bad = await query({ request_type: "view_global_contract_code", code_hash: "not-a-hash" });
  t.is(bad.error.cause.name, "PARSE_ERROR");
  const badId = await query({ request_type: "view_global_contract_code_by_account_id", account_id: "Bad!" });
  t.is(badId.error.cause.name, "PARSE_ERROR");
});

test.serial("global code and the accounts using it survive a restart (journal replay)", async (t) => {
  await node.stop();
  node = await startNode(node.home);
  const view = await query({ request_type: "view_global_contract_code", code_hash: hashOf(callee) });
  t.is(view.result.hash, hashOf(callee));
  t.is((await account(node, bob.accountId)).global_contract_hash, hashOf(callee));
  const ok = await new Signer(node, bob.accountId, bob.keyPair).exec(bob.accountId, [call("ok")]);
  t.is(ok.status.SuccessValue, Buffer.from("hello").toString("base64"));
});
