import { type NearPromise, near } from "near-sdk-js";
import { activeFork } from "./fork";
import { handlerFor, labelOf } from "./kinds";
import { CALLBACK_GAS } from "./kinds/handler";
import { checkpointAt, getMember } from "./members";
import { findRole, heldRoles, permits } from "./policy";
import { thresholdWeight } from "../wire/dao";
import type { DaoState } from "./state";
import { emit, OPEN_VOTES, voteKey } from "./state";
import { lockBond, refundableBond, settleBond } from "./treasury";
import type { Proposal, ProposalBody, ProposalHead, ProposalKind, ProposalStatus, RoleRule, VoteChoice } from "./types";
import { fail } from "../shared/errors";
import { requireGas } from "../shared/gas";
import { sendNear, storageCost } from "../shared/storage";
import { EXECUTE_OVERHEAD_GAS } from "../wire/upgrade";
import { selfCall } from "../shared/promise";

export const MAX_DESCRIPTION = 2000;
export const MAX_KIND_JSON = 32768;
// Room paid up front for what a proposal's head gains after creation (storage_deposit itself, decided_at, statuses,
// last_error, tallies of more digits).
export const PROPOSAL_GROWTH_BYTES = 200n;
// Proposals still open for votes (InProgress, before voting_ends_at) that one account may have voted on: bounds what
// leaving a role costs (each one's tally is corrected then, ~1.3 Tgas), so a member cannot make its removal too
// expensive (members.ts MAX_VOID_GAS).
export const MAX_OPEN_VOTES = 32;
// Work the execute call itself does after the handler (saving state, scheduling the callback).
// Kinds that can move treasury funds (or replace the code that holds them): refused while a fork is open or awaiting
// its outcome, so the share computed at the fork's execution is of the treasury members saw when they joined.
const SPENDS = ["Transfer", "FunctionCall", "FundRewardPool", "AddAttester", "UpgradeSelf", "UpgradeSuite"];

// The head of a proposal: everything but its description and kind (see ProposalHead).
export function getProposal(dao: DaoState, id: unknown): ProposalHead {
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0) fail("ERR_INVALID_PROPOSAL_ID");
  const p = dao.proposals.get(String(id));
  if (!p) fail("ERR_UNKNOWN_PROPOSAL", String(id));
  return p;
}

export function bodyOf(dao: DaoState, p: ProposalHead): ProposalBody {
  // Heads written by state version 1 carry their body.
  if (p.kind !== undefined) return { description: p.description as string, kind: p.kind };
  return dao.bodies.get(String(p.id)) as ProposalBody;
}

// The whole proposal as the views show it.
export function fullProposal(dao: DaoState, p: ProposalHead): Proposal {
  const body = bodyOf(dao, p);
  return { ...p, description: body.description, kind: body.kind };
}

function save(dao: DaoState, p: ProposalHead): void {
  dao.proposals.set(String(p.id), p);
}

function setStatus(p: ProposalHead, status: ProposalStatus, detail?: Record<string, unknown>): void {
  p.status = status;
  emit(`proposal_${status.toLowerCase()}`, [{ id: p.id, ...(detail ?? {}) }]);
}

// Copies, for every role that may act on this kind, its permissions, vote policy and total weight at this moment.
function buildRules(dao: DaoState, label: string): RoleRule[] {
  const rules: RoleRule[] = [];
  for (const role of dao.policy.roles) {
    const actions = ["vote", "remove", "execute", "cancel"].filter((a) => permits(role, label, a));
    if (actions.length === 0) continue;
    const vp = role.vote_policy[label] ?? dao.policy.default_vote_policy;
    const everyone = role.kind === "Everyone";
    let total = 0;
    if (!everyone) total = vp.weight_kind === "RoleWeight" ? (dao.role_counts[role.name] ?? 0) : dao.member_count;
    rules.push({
      role: role.name,
      everyone,
      actions,
      weight_kind: vp.weight_kind,
      quorum: vp.quorum,
      threshold: vp.threshold,
      total,
      approve: 0,
      reject: 0,
      abstain: 0,
      remove: 0,
    });
  }
  return rules;
}

export function createProposal(dao: DaoState, description: unknown, kind: ProposalKind): number {
  const proposer = near.predecessorAccountId();
  if (typeof description !== "string" || description.length > MAX_DESCRIPTION) {
    fail("ERR_INVALID_DESCRIPTION", `string of at most ${MAX_DESCRIPTION} chars`);
  }
  const handler = handlerFor(kind);
  if (!handler) fail("ERR_UNKNOWN_KIND", kind && typeof kind === "object" ? String(kind.kind) : undefined);
  if (JSON.stringify(kind).length > MAX_KIND_JSON) fail("ERR_PROPOSAL_TOO_LARGE");
  const label = labelOf(kind);
  const rec = getMember(dao, proposer);
  const groups = rec ? rec.roles : [];
  if (!heldRoles(dao.policy, groups).some((r) => permits(r, label, "propose"))) {
    fail("ERR_NO_PERMISSION", `${label}:propose`);
  }
  const err = handler.check(dao, kind, "propose");
  if (err) fail(err);
  const bond = BigInt(dao.policy.parameters.proposal_bond);
  const attached = near.attachedDeposit();
  if (attached < bond) fail("ERR_WRONG_BOND", `attach at least ${bond}`);
  const usageBefore = near.storageUsage();
  const rules = buildRules(dao, label);
  if (!rules.some((r) => r.actions.indexOf("vote") >= 0)) fail("ERR_NO_VOTERS", label);
  const now = near.blockTimestamp();
  const id = dao.last_proposal_id;
  const p: ProposalHead = {
    v: 1,
    id,
    proposer,
    label,
    status: "InProgress",
    bond: bond.toString(),
    bond_settled: false,
    storage_deposit: "0",
    snapshot: dao.seq,
    submitted_at: now.toString(),
    voting_ends_at: (now + BigInt(dao.policy.parameters.proposal_period)).toString(),
    timelock: dao.policy.parameters.timelock,
    decided_at: null,
    rules,
    voters: 0,
    attempts: 0,
    last_error: null,
  };
  dao.last_proposal_id = id + 1;
  save(dao, p);
  dao.bodies.set(String(id), { description, kind });
  // The proposer pays the record's storage (kept while the record exists, i.e. for good) out of its deposit: the
  // deposit must cover both the bond and the storage; only the bond less the storage can come back.
  const storage = storageCost(near.storageUsage() - usageBefore + PROPOSAL_GROWTH_BYTES);
  const held = bond > storage ? bond : storage;
  if (attached < held) fail("ERR_WRONG_BOND", `attach at least ${held} (bond ${bond}, storage ${storage})`);
  p.storage_deposit = storage.toString();
  save(dao, p);
  lockBond(dao, refundableBond(p));
  // Over-attached deposit goes back at once.
  sendNear(proposer, attached - held);
  emit("proposal_created", [
    { id, proposer, kind: kind.kind, label, bond: p.bond, storage_deposit: p.storage_deposit, snapshot: p.snapshot },
  ]);
  return id;
}

// Weight `voter` brings to each rule, read from the snapshot. A member removed since then has none.
function weightsFor(dao: DaoState, p: ProposalHead, voter: string, action: string): number[] {
  const cp = checkpointAt(dao, voter, p.snapshot);
  const current = getMember(dao, voter);
  return p.rules.map((rule) => {
    if (rule.actions.indexOf(action) < 0) return 0;
    if (rule.everyone) {
      if (rule.weight_kind === "RoleWeight") return 1;
      return cp && current ? cp.p : 0;
    }
    if (!cp || !current || cp.r.indexOf(rule.role) < 0 || current.roles.indexOf(rule.role) < 0) return 0;
    return rule.weight_kind === "RoleWeight" ? 1 : cp.p;
  });
}

function canAct(dao: DaoState, p: ProposalHead, account: string, action: string): boolean {
  const rec = getMember(dao, account);
  return p.rules.some(
    (r) => r.actions.indexOf(action) >= 0 && (r.everyone || (rec !== null && rec.roles.indexOf(r.role) >= 0)),
  );
}

function tally(p: ProposalHead, choice: VoteChoice, weights: number[], sign: number): void {
  for (let i = 0; i < p.rules.length; i++) {
    const r = p.rules[i];
    const w = sign * weights[i];
    if (choice === "Approve") r.approve += w;
    else if (choice === "Reject") r.reject += w;
    else if (choice === "Abstain") r.abstain += w;
    else r.remove += w;
  }
}

function decide(p: ProposalHead): ProposalStatus | null {
  for (const r of p.rules) {
    const needed = thresholdWeight(r);
    const quorate = r.approve + r.reject + r.abstain >= r.quorum;
    if (quorate && r.approve >= needed) return "Approved";
    if (quorate && r.reject >= needed) return "Rejected";
    if (r.remove >= needed) return "Removed";
  }
  return null;
}

function assertVotable(p: ProposalHead): void {
  if (p.status !== "InProgress") fail("ERR_ALREADY_FINAL", p.status);
  if (near.blockTimestamp() > BigInt(p.voting_ends_at)) fail("ERR_VOTING_ENDED");
}

export function castVote(dao: DaoState, id: unknown, choice: unknown, label: unknown): ProposalStatus {
  const p = getProposal(dao, id);
  // Like Sputnik's act_proposal, the voter names the kind label it votes on, so an edit cannot be slipped in.
  if (label !== undefined && label !== p.label) fail("ERR_WRONG_KIND", `proposal is ${p.label}`);
  if (choice !== "Approve" && choice !== "Reject" && choice !== "Abstain" && choice !== "Remove") {
    fail("ERR_INVALID_VOTE", "Approve | Reject | Abstain | Remove");
  }
  assertVotable(p);
  const voter = near.predecessorAccountId();
  const action = choice === "Remove" ? "remove" : "vote";
  if (!canAct(dao, p, voter, action)) fail("ERR_NO_PERMISSION", `${p.label}:${action}`);
  const weights = weightsFor(dao, p, voter, action);
  if (!weights.some((w) => w > 0)) fail("ERR_NO_VOTING_POWER");
  const key = voteKey(p.id, voter);
  const previous = dao.votes.get(key);
  if (previous && previous.choice === choice) fail("ERR_ALREADY_VOTED", choice);
  if (previous) tally(p, previous.choice, previous.weights, -1);
  else {
    p.voters += 1;
    // remembered so that the vote can be taken back if the voter leaves the role before the decision
    const now = near.blockTimestamp();
    let open = (OPEN_VOTES.get(voter) ?? []).filter((e) => BigInt(e[1]) >= now);
    // Full: drop the proposals already decided (no longer open for votes, so nothing to take back), at most
    // MAX_OPEN_VOTES head reads, and only when the list is full.
    if (open.length >= MAX_OPEN_VOTES)
      open = open.filter((e) => dao.proposals.get(String(e[0]))?.status === "InProgress");
    if (open.length >= MAX_OPEN_VOTES) fail("ERR_TOO_MANY_OPEN_VOTES", `at most ${MAX_OPEN_VOTES} open at once`);
    open.push([p.id, p.voting_ends_at]);
    OPEN_VOTES.set(voter, open);
  }
  tally(p, choice, weights, 1);
  dao.votes.set(key, { v: 1, choice, weights });
  emit("vote_cast", [
    { id: p.id, account_id: voter, choice, weights, changed_from: previous ? previous.choice : null },
  ]);
  const outcome = decide(p);
  if (outcome) {
    p.decided_at = near.blockTimestamp().toString();
    setStatus(p, outcome);
    settleBond(dao, p, outcome !== "Removed");
  }
  save(dao, p);
  return p.status;
}

// Marks a proposal whose voting period ended undecided as Expired and refunds its bond. Anyone may call it.
export function finalize(dao: DaoState, id: unknown): ProposalStatus {
  const p = getProposal(dao, id);
  if (p.status !== "InProgress") fail("ERR_ALREADY_FINAL", p.status);
  if (near.blockTimestamp() <= BigInt(p.voting_ends_at)) fail("ERR_VOTING_NOT_ENDED");
  setStatus(p, "Expired");
  settleBond(dao, p, true);
  save(dao, p);
  return p.status;
}

// A guardian (a role with `<label>:cancel`) stops a proposal before it has run, e.g. during its timelock.
export function cancel(dao: DaoState, id: unknown): ProposalStatus {
  const p = getProposal(dao, id);
  if (p.status !== "InProgress" && p.status !== "Approved" && p.status !== "Failed") {
    fail("ERR_ALREADY_FINAL", p.status);
  }
  const caller = near.predecessorAccountId();
  if (!canAct(dao, p, caller, "cancel")) fail("ERR_NO_PERMISSION", `${p.label}:cancel`);
  setStatus(p, "Cancelled", { by: caller });
  settleBond(dao, p, true);
  save(dao, p);
  return p.status;
}

export interface ExecuteOutcome {
  id: number;
  status: ProposalStatus;
  error: string | null;
}

// Runs an approved (or failed, for a retry) proposal after its timelock. A refused call panics and changes nothing;
// a kind whose preconditions no longer hold is marked Failed (kept, retryable) instead.
export function execute(dao: DaoState, id: unknown): ExecuteOutcome | NearPromise {
  const p = getProposal(dao, id);
  if (p.status === "InProgress") {
    fail(near.blockTimestamp() > BigInt(p.voting_ends_at) ? "ERR_EXPIRED" : "ERR_NOT_APPROVED");
  }
  if (p.status === "Executing") fail("ERR_EXECUTION_IN_PROGRESS");
  if (p.status !== "Approved" && p.status !== "Failed") fail("ERR_ALREADY_FINAL", p.status);
  if (!canAct(dao, p, near.predecessorAccountId(), "execute")) fail("ERR_NO_PERMISSION", `${p.label}:execute`);
  const unlock = BigInt(p.decided_at as string) + BigInt(p.timelock);
  if (near.blockTimestamp() < unlock) fail("ERR_TIMELOCK", `executable from ${unlock}`);
  if (p.status === "Failed") {
    // A FunctionCall whose promise went out and failed is not sent again (the callee may have kept its deposit).
    if (p.sent === true) fail("ERR_ALREADY_SENT", "a failed FunctionCall is not resent: propose it again");
    // Retries are bounded: one voting period after the proposal became executable.
    const until = unlock + (BigInt(p.voting_ends_at) - BigInt(p.submitted_at));
    if (near.blockTimestamp() > until) fail("ERR_RETRY_EXPIRED", `retries ended at ${until}`);
  }
  const { kind } = bodyOf(dao, p);
  if (SPENDS.indexOf(kind.kind) >= 0 && activeFork() !== null) fail("ERR_FORK_WINDOW_OPEN");
  const handler = handlerFor(kind) as NonNullable<ReturnType<typeof handlerFor>>;
  const need = (handler.gas ? handler.gas(dao, kind) : 0n) + EXECUTE_OVERHEAD_GAS;
  requireGas(need);
  p.attempts += 1;
  const err = handler.check(dao, kind, "execute");
  if (err) {
    p.last_error = err;
    setStatus(p, "Failed", { error: err, retryable: true });
    save(dao, p);
    return { id: p.id, status: p.status, error: err };
  }
  const promise = handler.apply(dao, kind, p);
  if (promise === null) {
    p.last_error = null;
    setStatus(p, "Executed");
    save(dao, p);
    return { id: p.id, status: p.status, error: null };
  }
  setStatus(p, "Executing");
  save(dao, p);
  const callback = selfCall(
    "on_execute",
    { id: p.id },
    handler.callbackGas ? handler.callbackGas(dao, kind) : CALLBACK_GAS,
  );
  return promise.then(callback);
}

export function onExecuted(dao: DaoState, id: number, ok: boolean): ExecuteOutcome {
  const p = getProposal(dao, id);
  if (p.status !== "Executing") fail("ERR_NOT_EXECUTING");
  if (ok) {
    const { kind } = bodyOf(dao, p);
    const handler = handlerFor(kind);
    if (handler?.onSuccess) handler.onSuccess(dao, kind, p);
    p.last_error = null;
    setStatus(p, "Executed");
  } else {
    p.last_error = "ERR_EXECUTION_FAILED";
    const handler = handlerFor(bodyOf(dao, p).kind);
    if (handler?.atMostOnce) p.sent = true;
    setStatus(p, "Failed", { error: p.last_error, retryable: p.sent !== true });
  }
  save(dao, p);
  return { id: p.id, status: p.status, error: p.last_error };
}

export function roleExists(dao: DaoState, name: string): boolean {
  return findRole(dao.policy, name) !== null;
}
