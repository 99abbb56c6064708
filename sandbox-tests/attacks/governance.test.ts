// Attacks on the community DAO's governance, each mounted as a user would through near-workspaces against the
// compiled wasm on the local node: double and late votes, bought votes, front-running, early, repeated and
// unauthorised executions, proposals that are too large or underpaid, self-calls and forged callbacks, a single
// member's veto, a FunctionCall retried after the callee kept the deposit, and records the treasury would pay for.
// Every refusal is checked with its ERR_ code, a full dump of the DAO's storage before and after, and the attacker's
// balance (it loses only the gas it burnt).
import binaryen from "binaryen";
import type { ExecutionContext } from "ava";
import type { NearAccount, TransactionResult } from "near-workspaces";
import { useWorker, type WorkerContext } from "../helpers/worker.ts";
import {
  BOND,
  basePolicy,
  DaoClient,
  daoWasm,
  deployDao,
  events,
  gasOf,
  HOUR_NS,
  NEAR,
  type Policy,
  TGAS,
  total,
} from "../dao/fixture.ts";
import { assertPanics, burnt } from "../registries/fixture.ts";

const test = useWorker().serial;

interface World {
  dao: NearAccount;
  c: DaoClient;
  alice: NearAccount;
  bob: NearAccount;
  carol: NearAccount;
  guard: NearAccount;
  mallory: NearAccount;
}

let w: World;
let n = 0;

async function stateOf(t: ExecutionContext, account: NearAccount): Promise<string> {
  const worker = (t.context as { worker: { provider: { viewState: (a: string, p: string) => Promise<unknown> } } })
    .worker;
  const rows = (await worker.provider.viewState(account.accountId, "")) as { key: Buffer; value: Buffer }[];
  return rows
    .map(({ key, value }) => `${key.toString("base64")}=${value.toString("base64")}`)
    .sort()
    .join("\n");
}

/** Calls as the attacker, expects exactly `code`, and checks the watched contracts' storage and the attacker's
 * balance (less the gas it burnt: attached deposits come back) are unchanged. */
async function refused(
  t: ExecutionContext,
  from: NearAccount,
  contract: NearAccount,
  method: string,
  args: Record<string, unknown> | Uint8Array,
  code: string,
  opts: { deposit?: bigint; gas?: bigint; watch?: NearAccount[] } = {},
): Promise<TransactionResult> {
  const watch = opts.watch ?? [contract];
  const before = await Promise.all(watch.map((a) => stateOf(t, a)));
  const balance = await total(from);
  const r = await from.callRaw(contract, method, args, {
    attachedDeposit: opts.deposit ?? 0n,
    gas: opts.gas ?? 100n * TGAS,
  });
  assertPanics(t, r, code);
  t.deepEqual(await Promise.all(watch.map((a) => stateOf(t, a))), before, "storage unchanged");
  t.is(await total(from), balance - burnt(r), "the attacker lost only gas");
  return r;
}

async function newDao(
  t: ExecutionContext,
  policy: Policy | undefined,
  members: NearAccount[],
  extra: { account_id: string; roles: string[] }[] = [],
  balance = 30n * NEAR,
): Promise<NearAccount> {
  n += 1;
  const { root } = t.context as { root: NearAccount };
  const list = [...members.map((m) => ({ account_id: m.accountId, roles: ["council"] })), ...extra];
  if (policy) return deployDao(root, `gdao${n}`, { policy, members: list, balance });
  // the contract's own default policy
  const dao = await root.createSubAccount(`gdao${n}`, { initialBalance: balance });
  await dao.deploy(daoWasm());
  await dao.call(
    dao,
    "init",
    { config: { name: `gdao${n}`, purpose: "attacks", metadata: "" }, members: list },
    { gas: 100n * TGAS },
  );
  return dao;
}

const signal = { kind: "Signal" };

test.before(async (t) => {
  const { root } = t.context;
  const [alice, bob, carol, guard, mallory] = await Promise.all(
    ["alice", "bob", "carol", "guard", "mallory"].map((a) => root.createSubAccount(a, { initialBalance: 60n * NEAR })),
  );
  const dao = await newDao(
    t,
    basePolicy({ proposal_period: HOUR_NS.toString() }),
    [alice, bob, carol],
    [{ account_id: guard.accountId, roles: ["guardian"] }],
  );
  w = { dao, c: new DaoClient(dao, t), alice, bob, carol, guard, mallory };
});

// ---- votes ---------------------------------------------------------------------------------------------------------

test("vote twice with the same choice to count twice: refused ERR_ALREADY_VOTED", async (t) => {
  const { id } = await w.c.propose(w.alice, signal);
  await w.c.vote(w.alice, id, "Approve");
  await refused(t, w.alice, w.dao, "vote", { id, choice: "Approve" }, "ERR_ALREADY_VOTED");
  t.is((await w.c.proposal(id)).rules.find((r) => r.role === "council")?.approve, 1);
});

test("vote by an outsider: refused ERR_NO_PERMISSION", async (t) => {
  const { id } = await w.c.propose(w.alice, signal);
  await refused(t, w.mallory, w.dao, "vote", { id, choice: "Approve" }, "ERR_NO_PERMISSION");
});

test("Remove (spam) vote by an outsider to confiscate a bond: refused ERR_NO_PERMISSION", async (t) => {
  const { id } = await w.c.propose(w.alice, signal);
  await refused(t, w.mallory, w.dao, "vote", { id, choice: "Remove" }, "ERR_NO_PERMISSION");
});

test("vote naming another kind (front-running with a different proposal): refused ERR_WRONG_KIND", async (t) => {
  const { id } = await w.c.propose(w.mallory, { kind: "Transfer", receiver_id: w.mallory.accountId, amount: "1" });
  await refused(t, w.alice, w.dao, "vote", { id, choice: "Approve", label: "signal" }, "ERR_WRONG_KIND");
});

test("vote by a member added after the proposal (bought votes): refused ERR_NO_VOTING_POWER", async (t) => {
  const { root } = t.context;
  const late = await root.createSubAccount("late");
  const dao = await newDao(t, basePolicy(), [w.alice, w.bob, w.carol]);
  const c = new DaoClient(dao, t);
  const { id: target } = await c.propose(w.mallory, signal);
  const add = await c.pass(w.alice, { kind: "AddMember", member_id: late.accountId, role: "council" }, [
    w.alice,
    w.bob,
  ]);
  t.true((await c.execute(w.alice, add)).succeeded);
  await refused(t, late, dao, "vote", { id: target, choice: "Approve" }, "ERR_NO_VOTING_POWER");
});

test("vote on a proposal already decided: refused ERR_ALREADY_FINAL", async (t) => {
  const id = await w.c.pass(w.alice, signal, [w.alice, w.bob]);
  t.is((await w.c.proposal(id)).status, "Approved");
  await refused(t, w.carol, w.dao, "vote", { id, choice: "Reject" }, "ERR_ALREADY_FINAL");
});

test("vote with a made-up choice: refused ERR_INVALID_VOTE", async (t) => {
  const { id } = await w.c.propose(w.alice, signal);
  await refused(t, w.alice, w.dao, "vote", { id, choice: "Veto" }, "ERR_INVALID_VOTE");
});

// ---- proposals -----------------------------------------------------------------------------------------------------

test("proposal with less than the bond: refused ERR_WRONG_BOND", async (t) => {
  await refused(t, w.mallory, w.dao, "add_proposal", { description: "cheap", kind: signal }, "ERR_WRONG_BOND", {
    deposit: BOND - 1n,
  });
});

test("proposal by a non-member where only members propose: refused ERR_NO_PERMISSION", async (t) => {
  const members: Policy = {
    ...basePolicy(),
    roles: [{ name: "council", kind: "Group", permissions: ["*:propose", "*:vote", "*:execute"], vote_policy: {} }],
  };
  const dao = await newDao(t, members, [w.alice, w.bob, w.carol]);
  await refused(t, w.mallory, dao, "add_proposal", { description: "x", kind: signal }, "ERR_NO_PERMISSION", {
    deposit: BOND,
  });
});

test("oversized description: refused ERR_INVALID_DESCRIPTION", async (t) => {
  await refused(
    t,
    w.mallory,
    w.dao,
    "add_proposal",
    { description: "x".repeat(2001), kind: signal },
    "ERR_INVALID_DESCRIPTION",
    { deposit: BOND },
  );
});

test("oversized kind: refused ERR_PROPOSAL_TOO_LARGE", async (t) => {
  await refused(
    t,
    w.mallory,
    w.dao,
    "add_proposal",
    { description: "big", kind: { kind: "Signal", message: "x".repeat(33000) } },
    "ERR_PROPOSAL_TOO_LARGE",
    { deposit: BOND },
  );
});

test("proposal of an unknown kind (prototype name): refused ERR_UNKNOWN_KIND", async (t) => {
  await refused(
    t,
    w.mallory,
    w.dao,
    "add_proposal",
    { description: "x", kind: { kind: "constructor" } },
    "ERR_UNKNOWN_KIND",
    { deposit: BOND },
  );
});

test("a bond that covers the policy's bond but not the proposal's own storage: refused ERR_WRONG_BOND", async (t) => {
  // bond 0.01 NEAR; a maximum-size proposal needs ~0.35 NEAR of storage
  const cheap = await newDao(t, basePolicy({ proposal_bond: (NEAR / 100n).toString() }), [w.alice, w.bob]);
  const kind = { kind: "Signal", message: "m".repeat(1000) };
  const description = "d".repeat(2000);
  const r = await refused(t, w.mallory, cheap, "add_proposal", { description, kind }, "ERR_WRONG_BOND", {
    deposit: NEAR / 100n,
  });
  t.regex(r.receiptFailureMessages.join(), /storage/);
});

test("a maximum-size proposal makes the treasury pay its storage: charged to its proposer instead", async (t) => {
  const dao = await newDao(t, basePolicy(), [w.alice, w.bob, w.carol]);
  const c = new DaoClient(dao, t);
  const available = async () => BigInt((await dao.view<{ available: string }>("get_treasury")).available);
  const before = await available();
  const balance = await total(w.mallory);
  const kind = {
    kind: "FunctionCall",
    receiver_id: w.mallory.accountId,
    actions: [
      { method_name: "x", args: Buffer.from("y".repeat(24000)).toString("base64"), deposit: "0", gas: "1000000000000" },
    ],
  };
  const result = await w.mallory.callRaw(
    dao,
    "add_proposal",
    { description: "d".repeat(2000), kind },
    { attachedDeposit: 2n * NEAR, gas: 300n * TGAS },
  );
  t.true(result.succeeded, result.receiptFailureMessages.join());
  const id = result.parseResult<number>();
  const p = await c.proposal(id);
  const storage = BigInt(p.storage_deposit ?? "0");
  t.true(storage > NEAR / 4n, `storage ${storage}`);
  t.is(balance - (await total(w.mallory)), BOND + burnt(result), "paid the bond (its storage inside), excess back");
  t.true((await available()) >= before, "the treasury did not pay for the proposal's storage");
  // Rejected: the bond less the storage comes back; the storage stays paid by the proposer.
  await c.vote(w.alice, id, "Reject");
  const rej = await c.vote(w.bob, id, "Reject");
  t.deepEqual(
    events(rej)
      .filter((e) => e.event === "bond_refunded")
      .map((e) => (e.data[0] as { amount: string }).amount),
    [(BOND - storage).toString()],
  );
});

test("FunctionCall to the DAO itself (reaching its callback): refused ERR_SELF_CALL", async (t) => {
  const args = Buffer.from(JSON.stringify({ id: 0 })).toString("base64");
  await refused(
    t,
    w.mallory,
    w.dao,
    "add_proposal",
    {
      description: "settle proposal 0",
      kind: {
        kind: "FunctionCall",
        receiver_id: w.dao.accountId,
        actions: [{ method_name: "on_execute", args, deposit: "0", gas: (20n * TGAS).toString() }],
      },
    },
    "ERR_SELF_CALL",
    { deposit: BOND },
  );
});

test("UpgradeSelf whose migrate_method is the DAO's callback: refused ERR_INVALID_PROPOSAL", async (t) => {
  const blob = Buffer.from("code the attacker stored");
  const stored = await w.mallory.callRaw(w.dao, "store_blob", blob, { attachedDeposit: NEAR, gas: 100n * TGAS });
  t.true(stored.succeeded, stored.receiptFailureMessages.join());
  const { hash } = stored.parseResult<{ hash: string }>();
  await refused(
    t,
    w.mallory,
    w.dao,
    "add_proposal",
    {
      description: "redeploy and settle",
      kind: {
        kind: "UpgradeSelf",
        hash,
        migrate_method: "on_execute",
        migrate_args: Buffer.from('{"id":0}').toString("base64"),
      },
    },
    "ERR_INVALID_PROPOSAL",
    { deposit: BOND },
  );
  // someone else removing the blob (taking its deposit back): refused too
  await refused(t, w.alice, w.dao, "remove_blob", { hash }, "ERR_NOT_BLOB_OWNER");
  t.true((await w.mallory.callRaw(w.dao, "remove_blob", { hash })).succeeded);
});

test("UpgradeSelf by global hash whose migrate_method is the DAO's callback: refused ERR_INVALID_PROPOSAL", async (t) => {
  // with `global: true` nothing is stored first (the hash names code in the chain's global store): the same guard holds
  await refused(
    t,
    w.mallory,
    w.dao,
    "add_proposal",
    {
      description: "switch code and settle",
      kind: {
        kind: "UpgradeSelf",
        hash: "ab".repeat(32),
        global: true,
        migrate_method: "on_execute",
        migrate_args: Buffer.from('{"id":0}').toString("base64"),
      },
    },
    "ERR_INVALID_PROPOSAL",
    { deposit: BOND },
  );
  // a `global` that is not a boolean is refused, not read as "blob"
  await refused(
    t,
    w.mallory,
    w.dao,
    "add_proposal",
    { description: "x", kind: { kind: "UpgradeSelf", hash: "ab".repeat(32), global: "yes" } },
    "ERR_INVALID_PROPOSAL",
    { deposit: BOND },
  );
});

test("upgrade_to called directly to switch the DAO to global code of the caller's choice: refused ERR_PRIVATE", async (t) => {
  for (const who of [w.mallory, w.alice]) {
    await refused(t, who, w.dao, "upgrade_to", { hash: "ab".repeat(32) }, "ERR_PRIVATE", { gas: 300n * TGAS });
  }
});

test("on_execute called directly to mark an approved proposal executed: refused ERR_PRIVATE", async (t) => {
  const id = await w.c.pass(w.alice, signal, [w.alice, w.bob]);
  await refused(t, w.mallory, w.dao, "on_execute", { id }, "ERR_PRIVATE");
  await refused(t, w.alice, w.dao, "on_execute", { id, fork: true }, "ERR_PRIVATE");
});

test("migrate_state called by an outsider (upgrade by non-DAO): refused ERR_PRIVATE", async (t) => {
  await refused(t, w.mallory, w.dao, "migrate_state", {}, "ERR_PRIVATE");
});

test("policy change granting a made-up permission: refused ERR_INVALID_POLICY", async (t) => {
  const role = { name: "mallory", kind: "Everyone", permissions: ["treasury:steal"], vote_policy: {} };
  await refused(
    t,
    w.mallory,
    w.dao,
    "add_proposal",
    { description: "x", kind: { kind: "ChangePolicyAddOrUpdateRole", role } },
    "ERR_INVALID_POLICY",
    { deposit: BOND },
  );
});

test("self-delegation to double one's weight: refused ERR_SELF_DELEGATION", async (t) => {
  await refused(t, w.alice, w.dao, "delegate", { delegate_id: w.alice.accountId }, "ERR_SELF_DELEGATION");
});

test("delegation by an outsider: refused ERR_NOT_A_MEMBER", async (t) => {
  await refused(t, w.mallory, w.dao, "delegate", { delegate_id: w.alice.accountId }, "ERR_NOT_A_MEMBER");
});

// ---- execution -----------------------------------------------------------------------------------------------------

test("execute before approval: refused ERR_NOT_APPROVED", async (t) => {
  const { id } = await w.c.propose(w.mallory, { kind: "Transfer", receiver_id: w.mallory.accountId, amount: "1" });
  await refused(t, w.mallory, w.dao, "execute", { id }, "ERR_NOT_APPROVED", { gas: 300n * TGAS });
});

test("execute before the timelock: refused ERR_TIMELOCK", async (t) => {
  const dao = await newDao(t, basePolicy({ timelock: HOUR_NS.toString() }), [w.alice, w.bob, w.carol]);
  const c = new DaoClient(dao, t);
  const id = await c.pass(w.alice, { kind: "Transfer", receiver_id: w.mallory.accountId, amount: NEAR.toString() }, [
    w.alice,
    w.bob,
  ]);
  await refused(t, w.mallory, dao, "execute", { id }, "ERR_TIMELOCK", { gas: 300n * TGAS });
});

test("execute twice to be paid twice: refused ERR_ALREADY_FINAL", async (t) => {
  const id = await w.c.pass(
    w.mallory,
    { kind: "Transfer", receiver_id: w.mallory.accountId, amount: NEAR.toString() },
    [w.alice, w.bob],
  );
  const first = await w.c.execute(w.mallory, id);
  t.true(first.succeeded);
  t.is((await w.c.proposal(id)).status, "Executed");
  await refused(t, w.mallory, w.dao, "execute", { id }, "ERR_ALREADY_FINAL", { gas: 300n * TGAS });
});

test("execute by an account without the execute right: refused ERR_NO_PERMISSION", async (t) => {
  const members: Policy = {
    ...basePolicy(),
    roles: [{ name: "council", kind: "Group", permissions: ["*:propose", "*:vote", "*:execute"], vote_policy: {} }],
  };
  const dao = await newDao(t, members, [w.alice, w.bob, w.carol]);
  const c = new DaoClient(dao, t);
  const id = await c.pass(w.alice, signal, [w.alice, w.bob]);
  await refused(t, w.mallory, dao, "execute", { id }, "ERR_NO_PERMISSION", { gas: 300n * TGAS });
});

test("spending locked bonds and storage money through a Transfer: refused ERR_INSUFFICIENT_TREASURY", async (t) => {
  const dao = await newDao(t, basePolicy(), [w.alice, w.bob, w.carol]);
  const c = new DaoClient(dao, t);
  // an open proposal's bond sits on the DAO's balance
  await c.propose(w.bob, signal);
  const view = await dao.view<{ balance: string; available: string; locked_bonds: string }>("get_treasury");
  const amount = BigInt(view.available) + NEAR / 2n; // more than is free, less than the balance
  t.true(amount < BigInt(view.balance));
  const id = await c.pass(
    w.mallory,
    { kind: "Transfer", receiver_id: w.mallory.accountId, amount: amount.toString() },
    [w.alice, w.bob],
  );
  const before = await total(w.mallory);
  const r = await c.execute(w.mallory, id);
  t.deepEqual(r.parseResult(), { id, status: "Failed", error: "ERR_INSUFFICIENT_TREASURY" });
  t.is(await total(w.mallory), before - burnt(r), "nothing was paid");
  t.is((await dao.view<{ locked_bonds: string }>("get_treasury")).locked_bonds, view.locked_bonds);
});

test("a single council member cancels what the majority approved (default policy veto): refused ERR_NO_PERMISSION", async (t) => {
  const dao = await newDao(t, undefined, [w.alice, w.bob, w.carol]);
  const c = new DaoClient(dao, t);
  const policy = await dao.view<Policy>("get_policy");
  t.false(
    policy.roles.some((r) => r.permissions.some((p) => p.endsWith(":cancel") || p.endsWith(":*"))),
    "nobody holds cancel by default",
  );
  const id = await c.pass(w.alice, signal, [w.alice, w.bob]);
  t.is((await c.proposal(id)).status, "Approved");
  await refused(t, w.carol, dao, "cancel", { id }, "ERR_NO_PERMISSION");
  // and before the vote ends, the proposer's opponent cannot kill it either
  const { id: open } = await c.propose(w.alice, signal);
  await refused(t, w.carol, dao, "cancel", { id: open }, "ERR_NO_PERMISSION");
});

test("a voter cancels an approved proposal (only the guardian may): refused ERR_NO_PERMISSION", async (t) => {
  const id = await w.c.pass(w.alice, signal, [w.alice, w.bob]);
  await refused(t, w.carol, w.dao, "cancel", { id }, "ERR_NO_PERMISSION");
});

/** A contract that keeps whatever deposit it is sent and returns a promise that fails downstream. */
function keeperWasm(self: string): Uint8Array {
  const mod = binaryen.parseText(`(module
    (import "env" "promise_create" (func $create (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
    (import "env" "promise_return" (func $return (param i64)))
    (memory 1)
    (export "memory" (memory 0))
    (data (i32.const 0) "${self}")
    (data (i32.const 200) "boom")
    (func (export "keep")
      (call $return (call $create (i64.const ${self.length}) (i64.const 0) (i64.const 4) (i64.const 200)
        (i64.const 0) (i64.const 0) (i64.const 300) (i64.const 20000000000000))))
    (func (export "boom") unreachable))`);
  const bytes = mod.emitBinary();
  mod.dispose();
  return bytes;
}

test("a FunctionCall retried after the callee kept the deposit and failed downstream: refused ERR_ALREADY_SENT", async (t) => {
  const { root } = t.context;
  const keeper = await root.createSubAccount("keeper", { initialBalance: 5n * NEAR });
  await keeper.deploy(keeperWasm(keeper.accountId));
  const dao = await newDao(t, basePolicy(), [w.alice, w.bob, w.carol], [], 40n * NEAR);
  const c = new DaoClient(dao, t);
  const id = await c.pass(
    w.mallory,
    {
      kind: "FunctionCall",
      receiver_id: keeper.accountId,
      actions: [{ method_name: "keep", args: "", deposit: (5n * NEAR).toString(), gas: (60n * TGAS).toString() }],
    },
    [w.alice, w.bob],
  );
  const keeperBefore = await total(keeper);
  const first = await c.execute(w.mallory, id);
  t.true(first.succeeded, first.receiptFailureMessages.join());
  const p = await c.proposal(id);
  t.like(p, { status: "Failed", last_error: "ERR_EXECUTION_FAILED", sent: true, attempts: 1 });
  const failed = events(first).find((e) => e.event === "proposal_failed");
  t.like(failed?.data[0] as object, { retryable: false });
  // the callee kept the 5 NEAR (its balance also gets gas rewards)
  const kept = (await total(keeper)) - keeperBefore;
  t.true(kept >= 5n * NEAR, `kept ${kept}`);
  // anyone with execute rights retries: nothing is sent again
  const keeperMid = await total(keeper);
  await refused(t, w.mallory, dao, "execute", { id }, "ERR_ALREADY_SENT", { gas: 300n * TGAS, watch: [dao, keeper] });
  await refused(t, w.alice, dao, "execute", { id }, "ERR_ALREADY_SENT", { gas: 300n * TGAS, watch: [dao, keeper] });
  t.is(await total(keeper), keeperMid);
});

// ---- members who leave ----------------------------------------------------------------------------------------------

async function fourCouncil(t: ExecutionContext<WorkerContext>) {
  const dave = await t.context.root.createSubAccount(`dave${n + 1}`, { initialBalance: 20n * NEAR });
  const dao = await newDao(t, basePolicy(), [w.alice, w.bob, w.carol, dave]);
  return { dao, c: new DaoClient(dao, t), dave };
}

const approvals = async (c: DaoClient, id: number) =>
  (await c.proposal(id)).rules.find((r) => r.role === "council")?.approve;

test("a member votes, leaves, and its vote still decides the proposal: voided on leaving (votes_voided)", async (t) => {
  const { dao, c, dave } = await fourCouncil(t);
  // 4 council members: more than half is 3 approvals
  const { id } = await c.propose(w.mallory, { kind: "Transfer", receiver_id: w.mallory.accountId, amount: "1" });
  await c.vote(dave, id, "Approve");
  await c.vote(w.alice, id, "Approve");
  const left = await dave.callRaw(dao, "leave", {}, { gas: 100n * TGAS });
  t.true(left.succeeded, left.receiptFailureMessages.join());
  const voided = events(left).find((e) => e.event === "votes_voided")?.data[0] as {
    account_id: string;
    proposals: { id: number; weights: number[] }[];
  };
  t.is(voided.account_id, dave.accountId);
  t.deepEqual(
    voided.proposals.map((v) => [v.id, v.weights.reduce((a, b) => a + b, 0)]),
    [[id, 1]],
  );
  t.is(await approvals(c, id), 1);
  await c.vote(w.bob, id, "Approve");
  t.is((await c.proposal(id)).status, "InProgress", "two remaining approvals do not decide");
  // and the member who left cannot vote again
  await refused(t, dave, dao, "vote", { id, choice: "Approve" }, "ERR_NO_PERMISSION");
  await c.vote(w.carol, id, "Approve");
  t.is((await c.proposal(id)).status, "Approved");
});

test("a member removed by proposal keeps blocking with its Reject: voided on removal", async (t) => {
  const { dao, c, dave } = await fourCouncil(t);
  const { id } = await c.propose(w.alice, signal);
  await c.vote(dave, id, "Reject");
  await c.vote(w.bob, id, "Reject");
  const rm = await c.pass(w.alice, { kind: "RemoveMember", member_id: dave.accountId, role: "council" }, [
    w.alice,
    w.bob,
    w.carol,
  ]);
  const r = await c.execute(w.alice, rm);
  t.true(r.succeeded, r.receiptFailureMessages.join());
  t.true(events(r).some((e) => e.event === "votes_voided"));
  t.is((await c.proposal(id)).rules.find((x) => x.role === "council")?.reject, 1);
  // carol's Reject would have made 3 with dave's: now 2, undecided
  await c.vote(w.carol, id, "Reject");
  t.is((await c.proposal(id)).status, "InProgress");
  const vote = await dao.view<{ weights: number[] } | null>("get_vote", { id, account_id: dave.accountId });
  t.true(vote?.weights.every((x) => x === 0));
});

test("a member votes on more than 32 open proposals to make its removal too costly: refused ERR_TOO_MANY_OPEN_VOTES", async (t) => {
  const { root } = t.context;
  const voter = await root.createSubAccount(`voter${n + 1}`, { initialBalance: 80n * NEAR });
  // no bond: each proposal costs its proposer only its storage
  const dao = await newDao(t, basePolicy({ proposal_bond: "0" }), [voter, w.alice, w.bob]);
  const c = new DaoClient(dao, t);
  const proposers = await Promise.all(
    [0, 1, 2, 3].map((i) => root.createSubAccount(`spam${n}-${i}`, { initialBalance: 20n * NEAR })),
  );
  const ids: number[] = [];
  await Promise.all(
    proposers.map(async (p) => {
      for (let i = 0; i < 9; i++) ids.push((await c.propose(p, signal, { deposit: NEAR / 50n })).id);
    }),
  );
  ids.sort((a, b) => a - b);
  for (const id of ids.slice(0, 32)) await c.vote(voter, id, "Approve");
  await refused(t, voter, dao, "vote", { id: ids[32], choice: "Approve" }, "ERR_TOO_MANY_OPEN_VOTES");
  // changing a vote it already cast is not a new open vote
  t.true((await voter.callRaw(dao, "vote", { id: ids[0], choice: "Reject" }, { gas: 100n * TGAS })).succeeded);
  // and leaving with 32 open votes fits easily in one call: every tally is corrected
  const left = await voter.callRaw(dao, "leave", {}, { gas: 300n * TGAS });
  t.true(left.succeeded, left.receiptFailureMessages.join());
  t.log(`leave with 32 open votes: ${(Number(gasOf(left)) / 1e12).toFixed(1)} Tgas`);
  const voided = events(left).find((e) => e.event === "votes_voided")?.data[0] as { proposals: unknown[] };
  t.is(voided.proposals.length, 32);
  t.true(gasOf(left) < 60n * TGAS, "32 open votes: well within one call");
  t.is(await approvals(c, ids[20]), 0);
});

test("32 spam proposals voted Remove by the council to lock its votes for a period: decided ones free their slot", async (t) => {
  const { root } = t.context;
  const voter = await root.createSubAccount(`voter${n + 1}`, { initialBalance: 80n * NEAR });
  // 3 council members: more than half is 2 Remove votes; a week-long period, as by default
  const dao = await newDao(t, basePolicy({ proposal_bond: "0", proposal_period: (168n * HOUR_NS).toString() }), [
    voter,
    w.alice,
    w.bob,
  ]);
  const c = new DaoClient(dao, t);
  const proposers = await Promise.all(
    [0, 1, 2, 3].map((i) => root.createSubAccount(`rspam${n}-${i}`, { initialBalance: 20n * NEAR })),
  );
  const ids: number[] = [];
  await Promise.all(
    proposers.map(async (p) => {
      for (let i = 0; i < 8; i++) ids.push((await c.propose(p, signal, { deposit: NEAR / 50n })).id);
    }),
  );
  ids.sort((a, b) => a - b);
  for (const id of ids) {
    await c.vote(voter, id, "Remove");
    await c.vote(w.alice, id, "Remove");
  }
  t.deepEqual([...new Set(await Promise.all(ids.map(async (id) => (await c.proposal(id)).status)))], ["Removed"]);
  // the council can still vote on what matters, for the whole period of the spam
  const { id: urgent } = await c.propose(w.bob, signal);
  const r = await voter.callRaw(dao, "vote", { id: urgent, choice: "Approve" }, { gas: 100n * TGAS });
  t.true(r.succeeded, r.receiptFailureMessages.join());
  t.log(`vote that prunes 32 decided entries: ${(Number(gasOf(r)) / 1e12).toFixed(2)} Tgas`);
  t.true((await w.alice.callRaw(dao, "vote", { id: urgent, choice: "Approve" }, { gas: 100n * TGAS })).succeeded);
  t.is((await c.proposal(urgent)).status, "Approved");
  // a genuinely open vote still occupies its slot: 31 more open votes fill the list again, the next is refused
  const more: number[] = [];
  await Promise.all(
    proposers.map(async (p) => {
      for (let i = 0; i < 8; i++) more.push((await c.propose(p, signal, { deposit: NEAR / 50n })).id);
    }),
  );
  more.sort((a, b) => a - b);
  const { id: kept } = await c.propose(w.bob, signal);
  await c.vote(voter, kept, "Approve");
  for (const id of more.slice(0, 31)) await c.vote(voter, id, "Approve");
  await refused(t, voter, dao, "vote", { id: more[31], choice: "Approve" }, "ERR_TOO_MANY_OPEN_VOTES");
});

// ---- time-dependent (fast-forwards the chain: keep last) -------------------------------------------------------------

test("finalize before the voting period ends: refused ERR_VOTING_NOT_ENDED", async (t) => {
  const { id } = await w.c.propose(w.mallory, signal);
  await refused(t, w.mallory, w.dao, "finalize", { id }, "ERR_VOTING_NOT_ENDED");
});

test("vote after the deadline / execute an expired proposal / retry after the retry window: refused ERR_VOTING_ENDED, ERR_EXPIRED, ERR_RETRY_EXPIRED", async (t) => {
  const { id } = await w.c.propose(w.mallory, signal);
  // a Failed proposal (not enough treasury) to be retried later
  const view = await w.dao.view<{ available: string }>("get_treasury");
  const big = (BigInt(view.available) + 100n * NEAR).toString();
  const failing = await w.c.pass(w.mallory, { kind: "Transfer", receiver_id: w.mallory.accountId, amount: big }, [
    w.alice,
    w.bob,
  ]);
  const first = await w.c.execute(w.mallory, failing);
  t.deepEqual(first.parseResult(), { id: failing, status: "Failed", error: "ERR_INSUFFICIENT_TREASURY" });
  // one period (1 hour) for the votes; the retry window is one more period after the decision
  await t.context.worker.provider.fastForward(3000);
  await refused(t, w.alice, w.dao, "vote", { id, choice: "Approve" }, "ERR_VOTING_ENDED");
  await refused(t, w.mallory, w.dao, "execute", { id }, "ERR_EXPIRED", { gas: 300n * TGAS });
  await t.context.worker.provider.fastForward(3000);
  await refused(t, w.mallory, w.dao, "execute", { id: failing }, "ERR_RETRY_EXPIRED", { gas: 300n * TGAS });
});
