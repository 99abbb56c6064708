// The community DAO's wasm in-process (helpers/vm.ts): a proposal's whole life (bond, votes, threshold, execution,
// the callback of a transfer) and the refusals on the way, with storage unchanged by every refused call.
import test from "ava";
import { basePolicy, BOND } from "../dao/fixture.ts";
import { NEAR } from "../helpers/tx.ts";
import { assertRefused, ContractVm, failed, succeeded } from "../helpers/vm.ts";

const DAO = "dao.test.near";
const [ALICE, BOB, CAROL, DAVE, ZED] = ["alice", "bob", "carol", "dave", "zed"].map((n) => `${n}.test.near`);
const ADD_DAVE = { kind: "AddMember", member_id: DAVE, role: "council" };

/** A DAO with alice, bob and carol as its council (more than half of the council decides). */
function dao(founders = [ALICE, BOB, CAROL]): ContractVm {
  const vm = new ContractVm({ code: "community-dao", accountId: DAO, balance: 30n * NEAR });
  const r = vm.call(
    "init",
    {
      config: { name: "acme", purpose: "own our model", metadata: "" },
      policy: basePolicy(),
      members: founders.map((account_id) => ({ account_id, roles: ["council"] })),
    },
    { from: DAO },
  );
  if (!r.ok) throw new Error(`init: ${r.error}`);
  return vm;
}

function propose(vm: ContractVm, from: string, kind: Record<string, unknown>): number {
  const r = vm.call("add_proposal", { description: "test", kind }, { from, deposit: BOND });
  if (!r.ok) throw new Error(`add_proposal: ${r.error}`);
  return r.value as number;
}

test("init: the council, the policy, and a second init refused", (t) => {
  const vm = dao();
  const members = vm.view<{ account_id: string; roles: string[]; voting_power: number }[]>("get_members", {});
  t.deepEqual(
    members.map((m) => [m.account_id, m.roles, m.voting_power]),
    [ALICE, BOB, CAROL].map((id) => [id, ["council"], 1]),
  );
  t.is(vm.view("get_last_proposal_id"), 0);
  const again = vm.call("init", {
    config: { name: "x", purpose: "", metadata: "" },
    policy: basePolicy(),
    members: [],
  });
  t.false(again.ok);
  t.regex(again.error ?? "", /already initialized/);
});

test("a proposal needs its bond, a voter needs the permission, a vote counts once (and may change)", (t) => {
  const vm = dao();
  assertRefused(t, vm, "ERR_WRONG_BOND", "add_proposal", { description: "x", kind: ADD_DAVE }, { from: ALICE });
  assertRefused(
    t,
    vm,
    "ERR_WRONG_BOND",
    "add_proposal",
    { description: "x", kind: ADD_DAVE },
    { from: ALICE, deposit: BOND - 1n },
  );
  const id = propose(vm, ALICE, ADD_DAVE);
  t.is(id, 0);
  assertRefused(t, vm, "ERR_NO_PERMISSION", "vote", { id, choice: "Approve" }, { from: ZED });
  assertRefused(t, vm, "ERR_UNKNOWN_PROPOSAL", "vote", { id: 7, choice: "Approve" }, { from: ALICE });
  const first = vm.call("vote", { id, choice: "Approve" }, { from: ALICE });
  t.true(first.ok, first.error);
  t.is(first.value, "InProgress");
  assertRefused(t, vm, "ERR_ALREADY_VOTED", "vote", { id, choice: "Approve" }, { from: ALICE });
  // a voter may change their vote: it moves from one count to the other
  t.true(vm.call("vote", { id, choice: "Reject" }, { from: ALICE }).ok);
  const council = vm
    .view<{ rules: { role: string; approve: number; reject: number }[] }>("get_proposal", { id })
    .rules.find((r) => r.role === "council");
  t.like(council, { approve: 0, reject: 1 });
  // executing before the decision is refused
  assertRefused(t, vm, "ERR_NOT_APPROVED", "execute", { id }, { from: ZED });
});

test("get_votes: who voted what, a page over the members (non-voters skipped), an unknown proposal refused", (t) => {
  const vm = dao();
  const id = propose(vm, ALICE, ADD_DAVE);
  t.deepEqual(vm.view("get_votes", { id }), []);
  t.true(vm.call("vote", { id, choice: "Approve" }, { from: ALICE }).ok);
  t.true(vm.call("vote", { id, choice: "Reject" }, { from: CAROL }).ok);
  t.deepEqual(vm.view("get_votes", { id }), [
    { account_id: ALICE, choice: "Approve", weights: [0, 1, 0] },
    { account_id: CAROL, choice: "Reject", weights: [0, 1, 0] },
  ]);
  // one weight per rule of the proposal (a role each: council is the second), then pages of one member: bob's page is empty, not the end; the end is member_count (3)
  const pages = [0, 1, 2, 3].map((from_index) =>
    vm.view<{ account_id: string }[]>("get_votes", { id, from_index, limit: 1 }),
  );
  t.deepEqual(
    pages.map((p) => p.map((v) => v.account_id)),
    [[ALICE], [], [CAROL], []],
  );
  // a changed vote shows its new choice
  t.true(vm.call("vote", { id, choice: "Abstain" }, { from: ALICE }).ok);
  t.like(vm.view<unknown[]>("get_votes", { id, limit: 1 }), [{ account_id: ALICE, choice: "Abstain" }]);
  const unknown = vm.tryView("get_votes", { id: 9 });
  t.false(unknown.ok);
  t.is(unknown.code, "ERR_UNKNOWN_PROPOSAL");
  t.is(vm.tryView("get_votes", { id, limit: 101 }).code, "ERR_INVALID_PAGINATION");
});

test("two of three council votes pass AddMember: the bond comes back less storage, the member is added", (t) => {
  const vm = dao();
  const id = propose(vm, ALICE, ADD_DAVE);
  t.deepEqual(
    vm.call("vote", { id, choice: "Approve" }, { from: ALICE }).events.map((e) => e.event),
    ["vote_cast"],
  );
  const decided = vm.call("vote", { id, choice: "Approve" }, { from: BOB });
  t.is(decided.value, "Approved");
  t.deepEqual(
    decided.events.map((e) => e.event),
    ["vote_cast", "proposal_approved", "bond_refunded"],
  );
  const proposal = vm.view<{ status: string; storage_deposit: string }>("get_proposal", { id });
  // the bond goes back to the proposer, less what the proposal's storage costs
  t.deepEqual(decided.transfers, [{ to: ALICE, amount: BOND - BigInt(proposal.storage_deposit) }]);
  assertRefused(t, vm, "ERR_ALREADY_FINAL", "vote", { id, choice: "Approve" }, { from: CAROL });

  const done = vm.call("execute", { id }, { from: ZED });
  t.true(done.ok, done.error);
  t.deepEqual(done.value, { id, status: "Executed", error: null });
  t.deepEqual(
    done.events.map((e) => e.event),
    ["member_added", "proposal_executed"],
  );
  t.like(vm.view("get_member", { account_id: DAVE }), { account_id: DAVE, roles: ["council"], voting_power: 1 });
  assertRefused(t, vm, "ERR_ALREADY_FINAL", "execute", { id }, { from: ZED });
});

test("a transfer: 3 of 4 votes needed, the payment is sent with a callback, and the callback settles it", (t) => {
  const vm = dao();
  const add = propose(vm, ALICE, ADD_DAVE);
  vm.call("vote", { id: add, choice: "Approve" }, { from: ALICE });
  vm.call("vote", { id: add, choice: "Approve" }, { from: BOB });
  t.true(vm.call("execute", { id: add }, { from: ZED }).ok);

  const pay = (receiver_id: string) => propose(vm, BOB, { kind: "Transfer", receiver_id, amount: NEAR.toString() });
  const vote3 = (id: number) =>
    [ALICE, BOB, CAROL].map((v) => vm.call("vote", { id, choice: "Approve" }, { from: v }).value);
  const id = pay(ZED);
  // four council members now: two approvals are not more than half
  t.deepEqual(vote3(id), ["InProgress", "InProgress", "Approved"]);

  const balance = vm.balance;
  const sent = vm.call("execute", { id }, { from: ZED });
  t.true(sent.ok, sent.error);
  t.deepEqual(sent.transfers, [{ to: ZED, amount: NEAR }]);
  t.deepEqual(
    sent.calls.map((c) => [c.to, c.method, c.args]),
    [[DAO, "on_execute", { id }]],
  );
  t.is(vm.balance, balance - NEAR, "the payment left the treasury");
  t.like(vm.view("get_proposal", { id }), { status: "Executing" });

  // only the DAO itself may deliver the callback
  assertRefused(t, vm, "ERR_PRIVATE", "on_execute", { id }, { from: ZED, promiseResults: [succeeded()] });
  const ok = vm.call("on_execute", { id }, { from: DAO, promiseResults: [succeeded()] });
  t.true(ok.ok, ok.error);
  t.like(ok.value, { id, status: "Executed" });

  // a payment that fails: the proposal is Failed with a stable error
  const second = pay("nobody.test.near");
  vote3(second);
  t.true(vm.call("execute", { id: second }, { from: ZED }).ok);
  const bad = vm.call("on_execute", { id: second }, { from: DAO, promiseResults: [failed()] });
  t.deepEqual(bad.value, { id: second, status: "Failed", error: "ERR_EXECUTION_FAILED" });
  t.deepEqual(
    bad.events.map((e) => e.event),
    ["proposal_failed"],
  );
});

test("the last member can neither leave, ragequit nor be removed: nobody could govern the community again", (t) => {
  const vm = dao([ALICE]);
  const refusedProposal = (kind: Record<string, unknown>) =>
    assertRefused(t, vm, "ERR_LAST_MEMBER", "add_proposal", { description: "x", kind }, { from: ALICE, deposit: BOND });
  assertRefused(t, vm, "ERR_LAST_MEMBER", "leave", {}, { from: ALICE });
  assertRefused(t, vm, "ERR_LAST_MEMBER", "leave", { ragequit: true }, { from: ALICE });
  refusedProposal({ kind: "RemoveMember", member_id: ALICE, role: "council" });

  // with a second member: removing both at once is refused, removing one is not
  const pass = (kind: Record<string, unknown>) => {
    const id = propose(vm, ALICE, kind);
    for (const m of vm.view<{ account_id: string }[]>("get_members", {}))
      if (vm.view<{ status: string }>("get_proposal", { id }).status === "InProgress")
        t.true(vm.call("vote", { id, choice: "Approve" }, { from: m.account_id }).ok);
    return id;
  };
  t.like(
    vm.call("execute", { id: pass({ kind: "AddMember", member_id: BOB, role: "council" }) }, { from: ZED }).value,
    {
      status: "Executed",
    },
  );
  refusedProposal({
    kind: "RemoveMembers",
    members: [
      { member_id: ALICE, role: "council" },
      { member_id: BOB, role: "council" },
    ],
  });
  // a removal proposed while it was allowed fails at execution once it would empty the community
  const removeBob = pass({ kind: "RemoveMember", member_id: BOB, role: "council" });
  const alone = vm.call("leave", {}, { from: ALICE });
  t.true(alone.ok, alone.error);
  const failed = vm.call("execute", { id: removeBob }, { from: ZED });
  t.true(failed.ok, failed.error);
  t.like(failed.value, { status: "Failed" });
  t.regex(JSON.stringify(failed.value), /ERR_LAST_MEMBER/);
  t.like(vm.view("get_member", { account_id: BOB }), { roles: ["council"] });
  assertRefused(t, vm, "ERR_LAST_MEMBER", "leave", {}, { from: BOB });
});
