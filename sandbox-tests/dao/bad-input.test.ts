// Every refused call panics with a stable ERR_ code and leaves state and balances unchanged: the contract's
// storage is byte-for-byte the same and the caller is out of pocket by gas only (any deposit comes back).
import { readFileSync } from "node:fs";
import { stateOf } from "../helpers/tx.ts";
import { codeInput, fundPublisher, publishCode } from "../helpers/community.ts";
import { useWorker } from "../helpers/worker.ts";
import { assertPanics, BOND, basePolicy, DaoClient, deployDao, NEAR, TGAS, total } from "./fixture.ts";

const test = useWorker();

interface Case {
  name: string;
  by: "alice" | "outsider" | "guard" | "owner";
  target: "dao" | "factory";
  method: string;
  args: Record<string, unknown> | Uint8Array;
  deposit?: bigint;
  /** default 300 Tgas */
  gas?: bigint;
  code: string;
}

const acct = "x".repeat(65);
// "\0asm", version 1: enough for the factory's checks
const TINY_WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);

function cases(ids: { approved: number; open: number; executed: number }, members: Record<string, string>): Case[] {
  const signal = { kind: "Signal" };
  const prop = (kind: unknown, deposit = BOND): Omit<Case, "name" | "code"> => ({
    by: "alice",
    target: "dao",
    method: "add_proposal",
    args: { description: "x", kind },
    deposit,
  });
  return [
    {
      name: "unknown proposal",
      by: "alice",
      target: "dao",
      method: "vote",
      args: { id: 999, choice: "Approve" },
      code: "ERR_UNKNOWN_PROPOSAL",
    },
    {
      name: "negative id",
      by: "alice",
      target: "dao",
      method: "vote",
      args: { id: -1, choice: "Approve" },
      code: "ERR_INVALID_PROPOSAL_ID",
    },
    {
      name: "string id",
      by: "alice",
      target: "dao",
      method: "execute",
      args: { id: "0" },
      code: "ERR_INVALID_PROPOSAL_ID",
    },
    {
      name: "bad vote choice",
      by: "alice",
      target: "dao",
      method: "vote",
      args: { id: ids.open, choice: "Yes" },
      code: "ERR_INVALID_VOTE",
    },
    {
      name: "wrong kind label",
      by: "alice",
      target: "dao",
      method: "vote",
      args: { id: ids.open, choice: "Approve", label: "transfer" },
      code: "ERR_WRONG_KIND",
    },
    {
      name: "not a member votes",
      by: "outsider",
      target: "dao",
      method: "vote",
      args: { id: ids.open, choice: "Approve" },
      code: "ERR_NO_PERMISSION",
    },
    {
      name: "guardian may not vote",
      by: "guard",
      target: "dao",
      method: "vote",
      args: { id: ids.open, choice: "Approve" },
      code: "ERR_NO_PERMISSION",
    },
    {
      name: "vote on a decided proposal",
      by: "alice",
      target: "dao",
      method: "vote",
      args: { id: ids.approved, choice: "Reject" },
      code: "ERR_ALREADY_FINAL",
    },
    {
      name: "execute before approval",
      by: "alice",
      target: "dao",
      method: "execute",
      args: { id: ids.open },
      code: "ERR_NOT_APPROVED",
    },
    {
      name: "execute twice",
      by: "alice",
      target: "dao",
      method: "execute",
      args: { id: ids.executed },
      code: "ERR_ALREADY_FINAL",
    },
    {
      name: "execute before timelock",
      by: "alice",
      target: "dao",
      method: "execute",
      args: { id: ids.approved },
      code: "ERR_TIMELOCK",
    },
    {
      name: "finalize before the end",
      by: "alice",
      target: "dao",
      method: "finalize",
      args: { id: ids.open },
      code: "ERR_VOTING_NOT_ENDED",
    },
    {
      name: "finalize a decided proposal",
      by: "alice",
      target: "dao",
      method: "finalize",
      args: { id: ids.approved },
      code: "ERR_ALREADY_FINAL",
    },
    {
      name: "cancel without the role",
      by: "outsider",
      target: "dao",
      method: "cancel",
      args: { id: ids.open },
      code: "ERR_NO_PERMISSION",
    },
    {
      name: "cancel an executed proposal",
      by: "guard",
      target: "dao",
      method: "cancel",
      args: { id: ids.executed },
      code: "ERR_ALREADY_FINAL",
    },
    {
      name: "callback called directly",
      by: "alice",
      target: "dao",
      method: "on_execute",
      args: { id: ids.approved },
      code: "ERR_PRIVATE",
    },
    {
      name: "vote with a deposit",
      by: "alice",
      target: "dao",
      method: "vote",
      args: { id: ids.open, choice: "Approve" },
      deposit: 1n,
      code: "Function is not payable",
    },
    { ...prop(signal, BOND - 1n), name: "bond too small", code: "ERR_WRONG_BOND" },
    { ...prop(signal, 0n), name: "no bond", code: "ERR_WRONG_BOND" },
    { ...prop({ kind: "Nope" }), name: "unknown kind", code: "ERR_UNKNOWN_KIND" },
    { ...prop(null), name: "kind missing", code: "ERR_UNKNOWN_KIND" },
    { ...prop({ kind: "constructor" }), name: "inherited name as kind", code: "ERR_UNKNOWN_KIND" },
    {
      ...prop({ kind: "AddMember", member_id: "Bad..id", role: "council" }),
      name: "invalid member id",
      code: "ERR_INVALID_ACCOUNT_ID",
    },
    {
      ...prop({ kind: "AddMember", member_id: acct, role: "council" }),
      name: "member id too long",
      code: "ERR_INVALID_ACCOUNT_ID",
    },
    {
      ...prop({ kind: "AddMember", member_id: "z.test.near", role: "nope" }),
      name: "unknown role",
      code: "ERR_UNKNOWN_ROLE",
    },
    {
      ...prop({ kind: "AddMember", member_id: "z.test.near", role: "all" }),
      name: "add to Everyone",
      code: "ERR_NOT_A_GROUP",
    },
    {
      ...prop({ kind: "AddMember", member_id: members.bob, role: "council" }),
      name: "already a member",
      code: "ERR_ALREADY_MEMBER",
    },
    {
      ...prop({ kind: "RemoveMember", member_id: "z.test.near", role: "council" }),
      name: "remove a non-member",
      code: "ERR_NOT_A_MEMBER",
    },
    { ...prop({ kind: "AddMembers", members: [] }), name: "empty batch", code: "ERR_BATCH_SIZE" },
    {
      ...prop({
        kind: "AddMembers",
        members: [
          { member_id: "z.test.near", role: "council" },
          { member_id: "z.test.near", role: "council" },
        ],
      }),
      name: "duplicate in batch",
      code: "ERR_DUPLICATE_MEMBER",
    },
    {
      ...prop({ kind: "Transfer", receiver_id: members.bob, amount: "0" }),
      name: "zero transfer",
      code: "ERR_INVALID_AMOUNT",
    },
    {
      ...prop({ kind: "Transfer", receiver_id: members.bob, amount: "01" }),
      name: "leading zero amount",
      code: "ERR_INVALID_AMOUNT",
    },
    {
      ...prop({ kind: "Transfer", receiver_id: members.bob, amount: "1e24" }),
      name: "non-decimal amount",
      code: "ERR_INVALID_AMOUNT",
    },
    {
      ...prop({ kind: "Transfer", receiver_id: members.bob, amount: "9".repeat(40) }),
      name: "amount above u128",
      code: "ERR_INVALID_AMOUNT",
    },
    {
      ...prop({ kind: "Transfer", receiver_id: "UPPER.near", amount: "1" }),
      name: "invalid receiver",
      code: "ERR_INVALID_ACCOUNT_ID",
    },
    {
      ...prop({ kind: "FunctionCall", receiver_id: "x.test.near", actions: [] }),
      name: "function call without actions",
      code: "ERR_INVALID_PROPOSAL",
    },
    {
      ...prop({
        kind: "FunctionCall",
        receiver_id: "x.test.near",
        actions: [{ method_name: "m", args: "!!", deposit: "0", gas: "10000000000000" }],
      }),
      name: "args not base64",
      code: "ERR_INVALID_PROPOSAL",
    },
    {
      ...prop({
        kind: "FunctionCall",
        receiver_id: "x.test.near",
        actions: [{ method_name: "m", args: "", deposit: "0", gas: "1" }],
      }),
      name: "too little gas",
      code: "ERR_INVALID_PROPOSAL",
    },
    { ...prop({ kind: "UpgradeSelf", hash: "abc" }), name: "malformed hash", code: "ERR_INVALID_HASH" },
    { ...prop({ kind: "UpgradeSelf", hash: "0".repeat(64) }), name: "unknown blob", code: "ERR_UNKNOWN_BLOB" },
    {
      ...prop({ kind: "UpgradeSelf", hash: "abc", global: true }),
      name: "global code, malformed hash",
      code: "ERR_INVALID_HASH",
    },
    {
      ...prop({ kind: "UpgradeSelf", hash: "0".repeat(64), global: 1 }),
      name: "global flag not a boolean",
      code: "ERR_INVALID_PROPOSAL",
    },
    {
      ...prop({ kind: "UpgradeSuite", contract: "reward-pool", hash: "0".repeat(64), global: true }),
      name: "global upgrade of a contract outside the suite",
      code: "ERR_NO_SUITE_CONTRACT",
    },
    {
      ...prop({ kind: "ChangeConfig", config: { name: "", purpose: "", metadata: "" } }),
      name: "empty DAO name",
      code: "ERR_INVALID_CONFIG",
    },
    {
      ...prop({ kind: "ChangePolicyRemoveRole", role: "council" }),
      name: "remove a role with members",
      code: "ERR_ROLE_NOT_EMPTY",
    },
    {
      ...prop({
        kind: "ChangePolicyUpdateDefaultVotePolicy",
        vote_policy: {
          weight_kind: "RoleWeight",
          quorum: 0,
          threshold: { kind: "Ratio", numerator: 3, denominator: 2 },
        },
      }),
      name: "ratio above one",
      code: "ERR_INVALID_POLICY",
    },
    {
      ...prop({ kind: "ChangePolicyUpdateParameters", parameters: { proposal_period: "0" } }),
      name: "zero voting period",
      code: "ERR_INVALID_POLICY",
    },
    {
      ...prop({
        kind: "ChangePolicyAddOrUpdateRole",
        role: { name: "x", kind: "Group", permissions: ["bogus:vote"], vote_policy: {} },
      }),
      name: "unknown permission label",
      code: "ERR_INVALID_POLICY",
    },
    {
      name: "spam vote without the remove right",
      by: "guard",
      target: "dao",
      method: "vote",
      args: { id: ids.open, choice: "Remove" },
      code: "ERR_NO_PERMISSION",
    },
    {
      name: "description too long",
      by: "alice",
      target: "dao",
      method: "add_proposal",
      args: { description: "d".repeat(2001), kind: signal },
      deposit: BOND,
      code: "ERR_INVALID_DESCRIPTION",
    },
    {
      name: "delegate as non-member",
      by: "outsider",
      target: "dao",
      method: "delegate",
      args: { delegate_id: members.bob },
      code: "ERR_NOT_A_MEMBER",
    },
    {
      name: "delegate to self",
      by: "alice",
      target: "dao",
      method: "delegate",
      args: { delegate_id: members.alice },
      code: "ERR_SELF_DELEGATION",
    },
    {
      name: "delegate to a non-member",
      by: "alice",
      target: "dao",
      method: "delegate",
      args: { delegate_id: "z.test.near" },
      code: "ERR_NOT_A_MEMBER",
    },
    {
      name: "undelegate without delegation",
      by: "alice",
      target: "dao",
      method: "undelegate",
      args: {},
      code: "ERR_NOT_DELEGATED",
    },
    {
      name: "remove an unknown blob",
      by: "alice",
      target: "dao",
      method: "remove_blob",
      args: { hash: "1".repeat(64) },
      code: "ERR_UNKNOWN_BLOB",
    },
    {
      name: "store an empty blob",
      by: "alice",
      target: "dao",
      method: "store_blob",
      args: new Uint8Array(0),
      deposit: NEAR,
      code: "ERR_INVALID_BLOB",
    },
    {
      name: "switch the DAO's code directly (upgrade_to)",
      by: "alice",
      target: "dao",
      method: "upgrade_to",
      args: { hash: "0".repeat(64) },
      code: "ERR_PRIVATE",
    },
    {
      name: "page limit too large",
      by: "alice",
      target: "dao",
      method: "get_proposals",
      args: { from_index: 0, limit: 101 },
      code: "ERR_INVALID_PAGINATION",
    },
    // Factory
    {
      name: "publish code as non-owner",
      by: "alice",
      target: "factory",
      method: "publish_code",
      args: codeInput("x", "1", TINY_WASM),
      deposit: NEAR,
      code: "ERR_NOT_OWNER",
    },
    {
      name: "publish code without the burn",
      by: "owner",
      target: "factory",
      method: "publish_code",
      args: codeInput("x", "1", TINY_WASM),
      deposit: 1n,
      code: "ERR_DEPOSIT_TOO_LOW",
    },
    {
      name: "publish code with too little gas for the deploy",
      by: "owner",
      target: "factory",
      method: "publish_code",
      args: codeInput("x", "1", TINY_WASM),
      deposit: NEAR,
      gas: 15n * TGAS,
      code: "ERR_NOT_ENOUGH_GAS",
    },
    {
      name: "publish code without a header",
      by: "owner",
      target: "factory",
      method: "publish_code",
      args: new Uint8Array([0, 97, 115, 109]),
      deposit: NEAR,
      code: "ERR_INVALID_CODE_INPUT",
    },
    {
      name: "publish code that is not wasm",
      by: "owner",
      target: "factory",
      method: "publish_code",
      args: Buffer.from(`${JSON.stringify({ name: "x", version: "1" })}\nnot wasm at all`),
      deposit: NEAR,
      code: "ERR_INVALID_CODE",
    },
    {
      name: "publish a version already published",
      by: "owner",
      target: "factory",
      method: "publish_code",
      args: codeInput("community-dao", "1", TINY_WASM),
      deposit: NEAR,
      code: "ERR_VERSION_EXISTS",
    },
    {
      name: "publish with a starting balance below an account's storage",
      by: "owner",
      target: "factory",
      method: "publish_code",
      args: codeInput("x", "1", TINY_WASM, { init_balance: "1" }),
      deposit: NEAR,
      code: "ERR_INVALID_AMOUNT",
    },
    {
      name: "record a release directly (on_code_published)",
      by: "owner",
      target: "factory",
      method: "on_code_published",
      args: {
        record: { v: 2, name: "x", version: "1", sha256: "0".repeat(64), bytes: 8, in_suite: true, global: true },
        payer: members.alice,
        burn: "0",
      },
      code: "ERR_PRIVATE",
    },
    {
      name: "publish cost of zero bytes",
      by: "alice",
      target: "factory",
      method: "get_publish_cost",
      args: { bytes: 0 },
      code: "ERR_INVALID_ARGS",
    },
    {
      name: "community name with underscore",
      by: "alice",
      target: "factory",
      method: "create_community",
      args: { name: "a_b", dao_args: {} },
      deposit: NEAR,
      code: "ERR_INVALID_NAME",
    },
    {
      name: "community name uppercase",
      by: "alice",
      target: "factory",
      method: "create_community",
      args: { name: "Acme", dao_args: {} },
      deposit: NEAR,
      code: "ERR_INVALID_NAME",
    },
    {
      name: "community name taken",
      by: "alice",
      target: "factory",
      method: "create_community",
      args: { name: "taken", dao_args: {} },
      deposit: 20n * NEAR,
      code: "ERR_NAME_TAKEN",
    },
    {
      name: "deposit too low",
      by: "alice",
      target: "factory",
      method: "create_community",
      args: { name: "poor", dao_args: {} },
      deposit: 1000n,
      code: "ERR_DEPOSIT_TOO_LOW",
    },
    {
      name: "too little gas to create every account in the call",
      by: "alice",
      target: "factory",
      method: "create_community",
      args: { name: "poor", dao_args: {} },
      deposit: NEAR,
      gas: 50n * TGAS,
      code: "ERR_NOT_ENOUGH_GAS",
    },
    {
      name: "resume an unknown community",
      by: "alice",
      target: "factory",
      method: "resume_community",
      args: { name: "ghost" },
      code: "ERR_UNKNOWN_COMMUNITY",
    },
    {
      name: "resume a community already created",
      by: "alice",
      target: "factory",
      method: "resume_community",
      args: { name: "taken" },
      code: "ERR_ALREADY_COMPLETE",
    },
    {
      name: "abandon someone else's community",
      by: "outsider",
      target: "factory",
      method: "abandon_community",
      args: { name: "taken" },
      deposit: 1n,
      code: "ERR_NOT_CREATOR",
    },
    {
      name: "set owner as non-owner",
      by: "alice",
      target: "factory",
      method: "set_owner",
      args: { owner_id: members.alice },
      deposit: 1n,
      code: "ERR_NOT_OWNER",
    },
    {
      name: "remove unknown code",
      by: "owner",
      target: "factory",
      method: "remove_code",
      args: { name: "nope" },
      deposit: 1n,
      code: "ERR_UNKNOWN_CODE",
    },
  ];
}

test.serial("every refused call panics with its code and changes nothing", async (t) => {
  const { root } = t.context;
  const alice = await root.createSubAccount("alice");
  const bob = await root.createSubAccount("bob");
  const carol = await root.createSubAccount("carol");
  const guard = await root.createSubAccount("guard");
  const outsider = await root.createSubAccount("outsider");
  const owner = await root.createSubAccount("owner");
  const dao = await deployDao(root, "dao", {
    policy: basePolicy({ timelock: (3600n * 10n ** 9n).toString() }),
    members: [
      ...[alice, bob, carol].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
      { account_id: guard.accountId, roles: ["guardian"] },
    ],
  });
  const c = new DaoClient(dao, t);
  const approved = await c.pass(alice, { kind: "Signal" }, [alice, bob]);
  const { id: open } = await c.propose(alice, { kind: "Signal" });
  // A proposal that reached a final state (cancelled) stands in for "already executed": same refusal path.
  const { id: cancelledId } = await c.propose(alice, { kind: "Signal" });
  await guard.call(dao, "cancel", { id: cancelledId });
  // Factory with a DAO code and one reserved community.
  const factory = await root.createSubAccount("commons", { initialBalance: 10n * NEAR });
  await factory.deploy(readFileSync("build/community-factory.wasm"));
  await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 100n * TGAS });
  await fundPublisher(root, owner, ["community-dao"]);
  await publishCode(factory, owner, "community-dao", "1", readFileSync("build/community-dao.wasm"));
  const { gas } = await factory.view<{ gas: string }>("get_required_deposit");
  await alice.call(
    factory,
    "create_community",
    { name: "taken", dao_args: { config: { name: "t", purpose: "", metadata: "" } } },
    { attachedDeposit: NEAR, gas: BigInt(gas) },
  );
  const accounts = { alice, outsider, guard, owner };
  const members = { alice: alice.accountId, bob: bob.accountId };
  const list = cases({ approved, open, executed: cancelledId }, members);
  t.true(list.length >= 40, `${list.length} cases`);
  for (const k of list) {
    const target = k.target === "dao" ? dao : factory;
    const by = accounts[k.by];
    const stateBefore = await stateOf(target);
    const balanceBefore = await total(by);
    const r = await by.callRaw(target, k.method, k.args, {
      attachedDeposit: k.deposit ?? 0n,
      gas: k.gas ?? 300n * TGAS,
    });
    assertPanics(t, r, k.code);
    t.is(await stateOf(target), stateBefore, `${k.name}: state changed`);
    const spent = balanceBefore - (await total(by));
    t.true(spent >= 0n && spent < NEAR / 100n, `${k.name}: caller lost ${spent}`);
  }
  t.log(`${list.length} refused calls checked`);
});
