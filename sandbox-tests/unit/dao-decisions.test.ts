// Proposal decisions (contracts/community-dao/proposals.ts `decide`, private to the module, so run through the DAO's
// wasm in-process with helpers/vm.ts): which vote turns a proposal Approved, Rejected or Removed, with quorum and
// Weight thresholds, and a vote's weight read at the proposal's snapshot.
import test from "ava";
import { BOND, basePolicy, type Policy, ratio } from "../dao/fixture.ts";
import { NEAR } from "../helpers/tx.ts";
import { ContractVm } from "../helpers/vm.ts";

const DAO = "dao.test.near";
const COUNCIL = ["a", "b", "c", "d", "e"].map((n) => `${n}.test.near`);
const [A, B, C, D, E] = COUNCIL;

function dao(policy: Policy = basePolicy(), members = COUNCIL): ContractVm {
  const vm = new ContractVm({ code: "community-dao", accountId: DAO, balance: 30n * NEAR });
  const r = vm.call(
    "init",
    {
      config: { name: "acme", purpose: "", metadata: "" },
      policy,
      members: members.map((account_id) => ({ account_id, roles: ["council"] })),
    },
    { from: DAO },
  );
  if (!r.ok) throw new Error(`init: ${r.error}`);
  return vm;
}

function propose(vm: ContractVm, kind: Record<string, unknown> = { kind: "Signal" }): number {
  const r = vm.call("add_proposal", { description: "d", kind }, { from: A, deposit: BOND });
  if (!r.ok) throw new Error(`add_proposal: ${r.error}`);
  return r.value as number;
}

/** Casts the votes in order and returns the status after each. */
function votes(vm: ContractVm, id: number, cast: [string, string][]): string[] {
  return cast.map(([voter, choice]) => {
    const r = vm.call("vote", { id, choice }, { from: voter });
    if (!r.ok) throw new Error(`vote ${voter} ${choice}: ${r.error}`);
    return r.value as string;
  });
}

test("more than half of 5 is 3: approvals, rejections and removals each decide at the third", (t) => {
  const vm = dao();
  t.deepEqual(
    votes(vm, propose(vm), [
      [A, "Approve"],
      [B, "Reject"],
      [C, "Approve"],
      [D, "Reject"],
      [E, "Approve"],
    ]),
    ["InProgress", "InProgress", "InProgress", "InProgress", "Approved"],
  );
  t.deepEqual(
    votes(vm, propose(vm), [
      [A, "Reject"],
      [B, "Abstain"],
      [C, "Reject"],
      [D, "Reject"],
    ]),
    ["InProgress", "InProgress", "InProgress", "Rejected"],
  );
  t.deepEqual(
    votes(vm, propose(vm), [
      [A, "Remove"],
      [B, "Remove"],
      [C, "Remove"],
    ]),
    ["InProgress", "InProgress", "Removed"],
  );
  // abstentions never decide
  const id = propose(vm);
  t.deepEqual(
    votes(vm, id, [
      [A, "Abstain"],
      [B, "Abstain"],
      [C, "Abstain"],
      [D, "Abstain"],
    ]),
    ["InProgress", "InProgress", "InProgress", "InProgress"],
  );
});

test("a quorum counts approve + reject + abstain; a Weight threshold decides once it is met", (t) => {
  const policy = basePolicy();
  const council = policy.roles.find((r) => r.name === "council");
  if (!council) throw new Error("no council");
  council.vote_policy = { signal: { weight_kind: "RoleWeight", quorum: 4, threshold: { kind: "Weight", weight: 2 } } };
  const vm = dao(policy);
  // two approvals meet the weight but not the quorum; an abstention and a rejection bring it to 4
  t.deepEqual(
    votes(vm, propose(vm), [
      [A, "Approve"],
      [B, "Approve"],
      [C, "Abstain"],
      [D, "Reject"],
    ]),
    ["InProgress", "InProgress", "InProgress", "Approved"],
  );
  // other labels keep the default (more than half)
  const transfer = propose(vm, { kind: "Transfer", receiver_id: E, amount: "1" });
  t.deepEqual(
    votes(vm, transfer, [
      [A, "Approve"],
      [B, "Approve"],
      [C, "Approve"],
    ]),
    ["InProgress", "InProgress", "Approved"],
  );
});

test("two thirds of 3 is not more than two thirds: all three are needed", (t) => {
  const policy = { ...basePolicy(), default_vote_policy: ratio(2, 3) };
  const vm = dao(policy, [A, B, C]);
  t.deepEqual(
    votes(vm, propose(vm), [
      [A, "Approve"],
      [B, "Approve"],
      [C, "Approve"],
    ]),
    ["InProgress", "InProgress", "Approved"],
  );
});

test("weights are read at the proposal's snapshot: a member added later does not vote on it", (t) => {
  const vm = dao(basePolicy(), [A, B, C]);
  const before = propose(vm);
  const add = propose(vm, { kind: "AddMember", member_id: D, role: "council" });
  votes(vm, add, [
    [A, "Approve"],
    [B, "Approve"],
  ]);
  t.true(vm.call("execute", { id: add }, { from: A }).ok);
  const late = vm.call("vote", { id: before, choice: "Approve" }, { from: D });
  t.false(late.ok);
  t.is(late.code, "ERR_NO_VOTING_POWER");
  // and the electorate of the earlier proposal is still 3: two approvals decide it
  t.deepEqual(
    votes(vm, before, [
      [A, "Approve"],
      [B, "Approve"],
    ]),
    ["InProgress", "Approved"],
  );
});
