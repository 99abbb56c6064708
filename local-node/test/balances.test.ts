// Fees, refunds and storage staking to the yocto. Expected values are computed here from the protocol 86 fee
// table (nearcore's res/runtime_configs/85.yaml, not the node's own fee code): the signer buys attached gas and
// execution fees at the min gas purchase price (1e9 yocto/gas, NEP-642) and is refunded the surplus over the gas
// price, so it finally pays (send fees + burnt execution fees) * gas price + deposits, plus the account-creation
// charge (0.007 NEAR less the create-account execution fee at the gas price) when a receipt creates an account.
import test from "ava";
import {
  actions,
  balance,
  createAccount,
  GAS_PRICE,
  NEAR,
  type NodeHandle,
  randomKey,
  type Signer,
  startNodeWith,
} from "./harness.ts";

const RECEIPT = 108_059_500_000n;
const TRANSFER = 115_123_062_500n;
const CREATE_SEND = 500_000_000_000n;
const CREATE_EXEC = 7_200_000_000_000n;
const ACCOUNT_CREATION_CHARGE = 7n * 10n ** 21n - CREATE_EXEC * GAS_PRICE;
const ADD_FULL_KEY = 101_765_125_000n;
const DELETE_ACCOUNT = 147_489_000_000n;
const DEPLOY_BASE = 184_765_750_000n;
const DEPLOY_BYTE_SEND = 6_812_999n; // send_sir
const DEPLOY_BYTE_EXEC = 64_572_944n;
const STORAGE_PRICE = 10n ** 19n;
const MIN_GAS_PURCHASE_PRICE = 10n ** 9n;

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

test.serial("transfer: exact balances, outcomes and refund receipt", async (t) => {
  const a0 = await balance(node, alice.accountId);
  const b0 = await balance(node, bob.accountId);
  const r = await alice.exec(bob.accountId, [actions.transfer(3n * NEAR)]);
  const gas = RECEIPT + TRANSFER;
  t.is(r.final_execution_status, "EXECUTED_OPTIMISTIC");
  t.is(r.status.SuccessValue, "");
  t.is(r.transaction_outcome.outcome.gas_burnt, Number(gas));
  t.is(r.transaction_outcome.outcome.tokens_burnt, (gas * GAS_PRICE).toString());
  t.is(r.transaction_outcome.outcome.executor_id, alice.accountId);
  t.deepEqual(r.transaction_outcome.outcome.status, { SuccessReceiptId: r.receipts_outcome[0].id });
  t.deepEqual(r.transaction.actions, [{ Transfer: { deposit: (3n * NEAR).toString() } }]);
  t.is(r.transaction.priority_fee, 0);
  // receipt at bob, then the gas refund (execution bought at 1e9 yocto/gas, burnt at the 1e8 gas price) to alice
  t.is(r.receipts_outcome.length, 2);
  const [main, refund] = r.receipts_outcome;
  t.is(main.outcome.executor_id, bob.accountId);
  t.is(main.outcome.gas_burnt, Number(gas));
  t.deepEqual(main.outcome.receipt_ids, [refund.id]);
  t.is(refund.outcome.executor_id, alice.accountId);
  // refunds report their gas (counted in the gas limit since protocol 46) but burn no tokens
  t.is(refund.outcome.gas_burnt, Number(gas));
  t.is(refund.outcome.tokens_burnt, "0");
  t.is(main.outcome.metadata.version, 3);
  t.is(await balance(node, bob.accountId), b0 + 3n * NEAR);
  t.is(await balance(node, alice.accountId), a0 - 3n * NEAR - 2n * gas * GAS_PRICE);
  // blocks: the tx, the receipt one block later, the refund one block after that
  const txBlock = await node.call("block", { block_id: r.transaction_outcome.block_hash });
  const mainBlock = await node.call("block", { block_id: main.block_hash });
  const refundBlock = await node.call("block", { block_id: refund.block_hash });
  t.is(mainBlock.header.height, txBlock.header.height + 1);
  t.is(refundBlock.header.height, txBlock.header.height + 2);
  t.true(BigInt(refundBlock.header.timestamp_nanosec) > BigInt(txBlock.header.timestamp_nanosec));
});

test.serial("create account: fee of each action, new account state", async (t) => {
  const r0 = await balance(node, "test.near");
  const kp = randomKey();
  const r = await node.root.exec("carol.test.near", [
    actions.createAccount(),
    actions.transfer(2n * NEAR),
    actions.addKey(kp.getPublicKey(), actions.fullAccessKey()),
  ]);
  t.is(r.status.SuccessValue, "");
  const send = RECEIPT + CREATE_SEND + TRANSFER + ADD_FULL_KEY;
  const exec = RECEIPT + CREATE_EXEC + TRANSFER + ADD_FULL_KEY;
  t.is(await balance(node, "test.near"), r0 - 2n * NEAR - (send + exec) * GAS_PRICE - ACCOUNT_CREATION_CHARGE);
  // the charge is burnt by the receipt that created the account
  t.is(r.receipts_outcome[0].outcome.tokens_burnt, (exec * GAS_PRICE + ACCOUNT_CREATION_CHARGE).toString());
  const v = await node.call("query", {
    request_type: "view_account",
    finality: "final",
    account_id: "carol.test.near",
  });
  t.is(v.amount, (2n * NEAR).toString());
  t.is(v.storage_usage, 182);
  const key = await node.call("query", {
    request_type: "view_access_key",
    finality: "final",
    account_id: "carol.test.near",
    public_key: kp.getPublicKey().toString(),
  });
  const block = await node.call("block", { block_id: r.receipts_outcome[0].block_hash });
  t.is(key.nonce, (block.header.height - 1) * 1_000_000);
});

test.serial("failed receipt: deposit refunded to the predecessor, unused exec fees to the signer", async (t) => {
  const a0 = await balance(node, alice.accountId);
  const r = await alice.exec(bob.accountId, [
    actions.createAccount(),
    actions.transfer(5n * NEAR),
    actions.addKey(randomKey().getPublicKey(), actions.fullAccessKey()),
  ]);
  t.deepEqual(r.status, {
    Failure: { ActionError: { index: 0, kind: { AccountAlreadyExists: { account_id: bob.accountId } } } },
  });
  const send = RECEIPT + CREATE_SEND + TRANSFER + ADD_FULL_KEY;
  const burnt = RECEIPT + CREATE_EXEC; // the failing action's exec fee is burnt, later ones are not; no charge
  t.is(r.receipts_outcome[0].outcome.gas_burnt, Number(burnt));
  // deposit refund first, then the gas refund, both from `system`
  t.is(r.receipts_outcome.length, 3);
  t.is(await balance(node, alice.accountId), a0 - (send + burnt) * GAS_PRICE);
});

test.serial("implicit account: a transfer creates it with its key", async (t) => {
  const kp = randomKey();
  const id = Buffer.from(kp.getPublicKey().data).toString("hex");
  const a0 = await balance(node, alice.accountId);
  const r = await alice.exec(id, [actions.transfer(NEAR)]);
  t.is(r.status.SuccessValue, "");
  const send = RECEIPT + TRANSFER + CREATE_SEND + ADD_FULL_KEY;
  const exec = RECEIPT + TRANSFER + CREATE_EXEC + ADD_FULL_KEY;
  t.is(await balance(node, alice.accountId), a0 - NEAR - (send + exec) * GAS_PRICE - ACCOUNT_CREATION_CHARGE);
  const v = await node.call("query", { request_type: "view_account", finality: "final", account_id: id });
  t.is(v.amount, NEAR.toString());
  t.is(v.storage_usage, 182);
  const keys = await node.call("query", { request_type: "view_access_key_list", finality: "final", account_id: id });
  t.is(keys.keys[0].public_key, kp.getPublicKey().toString());
});

test.serial("delete account: beneficiary receives the whole remaining balance", async (t) => {
  const dave = await createAccount(node.root, "dave.test.near", 4n * NEAR);
  const d0 = await balance(node, dave.accountId);
  const b0 = await balance(node, bob.accountId);
  const r = await dave.exec(dave.accountId, [actions.deleteAccount(bob.accountId)]);
  t.is(r.status.SuccessValue, "");
  // dave bought the execution at 1e9 yocto/gas; the surplus refund goes to dave, who no longer exists, so it is
  // lost (burnt) as in nearcore
  const fees = (RECEIPT + DELETE_ACCOUNT) * (GAS_PRICE + MIN_GAS_PURCHASE_PRICE);
  t.is(await balance(node, bob.accountId), b0 + d0 - fees);
  const gone = await node.rpc("query", { request_type: "view_account", finality: "final", account_id: dave.accountId });
  t.is(gone.error.cause.name, "UNKNOWN_ACCOUNT");
  // the beneficiary transfer is a system receipt: no tokens burnt
  const transfer = r.receipts_outcome.find(
    (o: { outcome: { executor_id: string } }) => o.outcome.executor_id === bob.accountId,
  );
  t.is(transfer.outcome.tokens_burnt, "0");
});

test.serial("storage staking: deploy beyond the balance fails with LackBalanceForState and rolls back", async (t) => {
  const small = await createAccount(node.root, "small.test.near", 10n ** 21n);
  const code = new Uint8Array(2000).fill(1);
  const s0 = await balance(node, small.accountId);
  const r = await small.exec(small.accountId, [actions.deployContract(code)]);
  const needed = (182n + 2000n) * STORAGE_PRICE;
  const send = RECEIPT + DEPLOY_BASE + 2000n * DEPLOY_BYTE_SEND;
  const exec = RECEIPT + DEPLOY_BASE + 2000n * DEPLOY_BYTE_EXEC;
  // when the deploy runs, the execution has been bought at the purchase price; its surplus comes back later
  const during = s0 - send * GAS_PRICE - exec * MIN_GAS_PURCHASE_PRICE;
  const after = s0 - (send + exec) * GAS_PRICE;
  t.deepEqual(r.status, {
    Failure: {
      ActionError: {
        index: null,
        kind: { LackBalanceForState: { account_id: small.accountId, amount: (needed - during).toString() } },
      },
    },
  });
  const v = await node.call("query", { request_type: "view_account", finality: "final", account_id: small.accountId });
  t.is(v.storage_usage, 182);
  t.is(v.code_hash, "11111111111111111111111111111111");
  t.is(BigInt(v.amount), after);
  // with enough balance the same deploy succeeds and storage grows by the code size
  const ok = await alice.exec(alice.accountId, [actions.deployContract(code)]);
  t.is(ok.status.SuccessValue, "");
  // the outcome's gas profile (v3) lists each cost as nearcore does: the deploy's base and per-byte parts apart
  t.deepEqual(ok.receipts_outcome[0].outcome.metadata.gas_profile, [
    { cost_category: "ACTION_COST", cost: "DEPLOY_CONTRACT_BASE", gas_used: DEPLOY_BASE.toString() },
    { cost_category: "ACTION_COST", cost: "DEPLOY_CONTRACT_BYTE", gas_used: (2000n * DEPLOY_BYTE_EXEC).toString() },
    { cost_category: "ACTION_COST", cost: "NEW_ACTION_RECEIPT", gas_used: RECEIPT.toString() },
  ]);
  const va = await node.call("query", { request_type: "view_account", finality: "final", account_id: alice.accountId });
  t.is(va.storage_usage, 182 + 2000);
  const viewCode = await node.call("query", {
    request_type: "view_code",
    finality: "final",
    account_id: alice.accountId,
  });
  t.is(viewCode.code_base64, Buffer.from(code).toString("base64"));
  t.is(viewCode.hash, va.code_hash);
});

test.serial("total supply falls by exactly the tokens burnt (no contract rewards involved)", async (t) => {
  const supply = async () => BigInt((await node.call("block", { finality: "final" })).header.total_supply);
  // biome-ignore lint/suspicious/noExplicitAny: JSON-RPC outcome objects
  const burnt = (r: any) =>
    [r.transaction_outcome, ...r.receipts_outcome].reduce((n: bigint, o) => n + BigInt(o.outcome.tokens_burnt), 0n);
  let s = await supply();
  const flows = [
    () => alice.exec(bob.accountId, [actions.transfer(NEAR)]),
    () => alice.exec(bob.accountId, [actions.createAccount(), actions.transfer(NEAR)]), // fails, refunds
    () => node.root.exec("erin.test.near", [actions.createAccount(), actions.transfer(NEAR)]),
    () => alice.exec(alice.accountId, [actions.addKey(randomKey().getPublicKey(), actions.fullAccessKey())]),
  ];
  for (const flow of flows) {
    const r = await flow();
    const now = await supply();
    t.is(s - now, burnt(r));
    s = now;
  }
});
