import { near } from "near-sdk-js";
import { findRole } from "./policy";
import type { DaoState } from "./state";
import { emit, OPEN_VOTES, voteKey } from "./state";
import type { Checkpoint, MemberRecord } from "./types";
import { isValidAccountId } from "../shared/validate";

// Membership and delegation. Each member has one unit of voting power; delegating moves that unit to another member
// (not transitively). Every change appends a checkpoint (counter `seq`, roles, power) so a proposal reads weights
// as of its creation: power moved after a proposal was created never counts on it.

export function getMember(dao: DaoState, account: string): MemberRecord | null {
  return dao.members.get(account);
}

function power(rec: MemberRecord): number {
  return rec.received + (rec.delegate === null ? 1 : 0);
}

function checkpoint(dao: DaoState, account: string, rec: MemberRecord | null): void {
  const cps = dao.checkpoints.get(account) ?? [];
  const cp: Checkpoint = { s: dao.seq, r: rec ? rec.roles.slice() : [], p: rec ? power(rec) : 0 };
  if (cps.length > 0 && cps[cps.length - 1].s === dao.seq) cps[cps.length - 1] = cp;
  else cps.push(cp);
  dao.checkpoints.set(account, cps);
}

// Roles and power of `account` as of counter `snapshot` (null when it was no member then).
export function checkpointAt(dao: DaoState, account: string, snapshot: number): Checkpoint | null {
  const cps = dao.checkpoints.get(account);
  if (!cps || cps.length === 0 || cps[0].s > snapshot) return null;
  let lo = 0;
  let hi = cps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cps[mid].s <= snapshot) lo = mid;
    else hi = mid - 1;
  }
  return cps[lo];
}

// Checks one (member, role) pair for adding; null when fine.
export function checkAdd(dao: DaoState, member_id: string, role: string): string | null {
  if (!isValidAccountId(member_id)) return `ERR_INVALID_ACCOUNT_ID: ${String(member_id)}`;
  const r = findRole(dao.policy, role);
  if (!r) return `ERR_UNKNOWN_ROLE: ${String(role)}`;
  if (r.kind !== "Group") return `ERR_NOT_A_GROUP: ${role}`;
  return null;
}

export function isInRole(dao: DaoState, member_id: string, role: string): boolean {
  const rec = getMember(dao, member_id);
  return rec !== null && rec.roles.indexOf(role) >= 0;
}

// Applies an add that checkAdd accepted; adding an existing membership is a no-op. Returns whether it changed.
export function addToRole(dao: DaoState, member_id: string, role: string): boolean {
  let rec = getMember(dao, member_id);
  if (rec && rec.roles.indexOf(role) >= 0) return false;
  if (!rec) {
    // A new record: the members table counts it in member_count.
    rec = { v: 1, roles: [], delegate: null, delegate_since: 0, received: 0, since: dao.seq };
  }
  rec.roles.push(role);
  dao.role_counts[role] = (dao.role_counts[role] ?? 0) + 1;
  dao.members.set(member_id, rec);
  checkpoint(dao, member_id, rec);
  return true;
}

// Removing the last role removes the member: its own delegation is withdrawn, delegations it received lapse.
export function removeFromRole(dao: DaoState, member_id: string, role: string): boolean {
  const rec = getMember(dao, member_id);
  if (!rec || rec.roles.indexOf(role) < 0) return false;
  rec.roles = rec.roles.filter((r) => r !== role);
  dao.role_counts[role] = Math.max(0, (dao.role_counts[role] ?? 0) - 1);
  if (rec.roles.length > 0) {
    dao.members.set(member_id, rec);
    checkpoint(dao, member_id, rec);
    voidVotes(dao, member_id, role);
    return true;
  }
  voidVotes(dao, member_id, null);
  if (rec.delegate !== null) releaseDelegation(dao, rec);
  dao.members.remove(member_id);
  // History is dropped: a removed member no longer votes, even on proposals created before the removal.
  dao.checkpoints.remove(member_id);
  return true;
}

// Removes `account` from every role at once (leave, ragequit, a fork's exit): its votes are voided once for all its
// roles (voidVotes with null), so the cost is one record per open vote whatever the number of roles. Returns the
// roles it held (empty: not a member).
export function removeMember(dao: DaoState, account: string): string[] {
  const rec = getMember(dao, account);
  if (!rec) return [];
  const roles = rec.roles.slice();
  for (const role of roles) dao.role_counts[role] = Math.max(0, (dao.role_counts[role] ?? 0) - 1);
  voidVotes(dao, account, null);
  if (rec.delegate !== null) releaseDelegation(dao, rec);
  dao.members.remove(account);
  // History is dropped: a removed member no longer votes, even on proposals created before the removal.
  dao.checkpoints.remove(account);
  return roles;
}

// Takes what `account` voted with as a member of `role` (null: of every role, it left the DAO) out of the tallies of
// the proposals still open for votes, so no decision taken after it left counts it. An Everyone role's one-account
// one-vote (RoleWeight) does not come from membership and stays. Cost: one record per such open proposal.
function voidVotes(dao: DaoState, account: string, role: string | null): void {
  const open = OPEN_VOTES.get(account);
  if (open === null) return;
  const now = near.blockTimestamp();
  const voided: { id: number; weights: number[] }[] = [];
  const left: [number, string][] = [];
  for (const [id, ends] of open) {
    if (BigInt(ends) < now) continue;
    const p = dao.proposals.get(String(id));
    const key = voteKey(id, account);
    const v = dao.votes.get(key);
    if (p === null || v === null || p.status !== "InProgress") continue;
    const taken = p.rules.map((rule, i) => {
      const counted = v.weights[i] ?? 0;
      if (counted === 0) return 0;
      const fromMembership = rule.everyone ? rule.weight_kind === "DelegatedWeight" : true;
      return (role === null ? fromMembership : !rule.everyone && rule.role === role) ? counted : 0;
    });
    if (taken.some((w) => w > 0)) {
      for (let i = 0; i < p.rules.length; i++) {
        const r = p.rules[i];
        if (v.choice === "Approve") r.approve -= taken[i];
        else if (v.choice === "Reject") r.reject -= taken[i];
        else if (v.choice === "Abstain") r.abstain -= taken[i];
        else r.remove -= taken[i];
        v.weights[i] = (v.weights[i] ?? 0) - taken[i];
      }
      dao.proposals.set(String(id), p);
      dao.votes.set(key, v);
      voided.push({ id, weights: taken });
    }
    if (role !== null) left.push([id, ends]);
  }
  if (role === null || left.length === 0) OPEN_VOTES.remove(account);
  else OPEN_VOTES.set(account, left);
  if (voided.length > 0) emit("votes_voided", [{ account_id: account, role, proposals: voided }]);
}

function releaseDelegation(dao: DaoState, rec: MemberRecord): void {
  const to = rec.delegate as string;
  const target = getMember(dao, to);
  if (target && target.since === rec.delegate_since && target.received > 0) {
    target.received -= 1;
    dao.members.set(to, target);
    checkpoint(dao, to, target);
  }
  rec.delegate = null;
  rec.delegate_since = 0;
}

export function delegate(dao: DaoState, from: string, to: string): void {
  dao.seq += 1;
  const rec = getMember(dao, from) as MemberRecord;
  if (rec.delegate !== null) releaseDelegation(dao, rec);
  const target = getMember(dao, to) as MemberRecord;
  target.received += 1;
  rec.delegate = to;
  rec.delegate_since = target.since;
  dao.members.set(to, target);
  dao.members.set(from, rec);
  checkpoint(dao, to, target);
  checkpoint(dao, from, rec);
  emit("delegated", [{ account_id: from, delegate_id: to }]);
}

export function undelegate(dao: DaoState, from: string): void {
  dao.seq += 1;
  const rec = getMember(dao, from) as MemberRecord;
  const to = rec.delegate;
  releaseDelegation(dao, rec);
  dao.members.set(from, rec);
  checkpoint(dao, from, rec);
  emit("undelegated", [{ account_id: from, delegate_id: to }]);
}

export function memberView(account_id: string, rec: MemberRecord, current: DaoState) {
  const target = rec.delegate !== null ? getMember(current, rec.delegate) : null;
  const lapsed = rec.delegate !== null && (target === null || target.since !== rec.delegate_since);
  return {
    account_id,
    roles: rec.roles,
    delegate: rec.delegate,
    delegation_lapsed: lapsed,
    delegations_received: rec.received,
    voting_power: power(rec),
    since: rec.since,
  };
}
