import { memberView } from "./members";
import { fullProposal, getProposal } from "./proposals";
import type { DaoState } from "./state";
import { voteKey } from "./state";
import type { MemberRecord, Proposal } from "./types";
import { page, pageRange } from "../shared/pagination";

export function proposalsPage(dao: DaoState, from_index?: number, limit?: number): Proposal[] {
  return page(from_index, limit, dao.last_proposal_id, (id) => {
    const p = dao.proposals.get(String(id));
    return p ? fullProposal(dao, p) : null;
  });
}

export function membersPage(dao: DaoState, from_index?: number, limit?: number) {
  const [start, end] = pageRange(from_index, limit, dao.members.size);
  if (end <= start) return [];
  const keys = dao.members.keys(start, end);
  return keys.map((k) => memberView(k, dao.members.get(k) as MemberRecord, dao));
}

export function delegationsPage(dao: DaoState, from_index?: number, limit?: number) {
  return membersPage(dao, from_index, limit)
    .filter((m) => m.delegate !== null || m.delegations_received > 0)
    .map((m) => ({
      account_id: m.account_id,
      delegate: m.delegate,
      delegation_lapsed: m.delegation_lapsed,
      delegations_received: m.delegations_received,
      voting_power: m.voting_power,
    }));
}

export function rolesPage(dao: DaoState, from_index?: number, limit?: number) {
  const [start, end] = pageRange(from_index, limit, dao.policy.roles.length);
  return dao.policy.roles.slice(start, end).map((r) => ({
    ...r,
    member_count: r.kind === "Group" ? (dao.role_counts[r.name] ?? 0) : null,
  }));
}

export function voteOf(dao: DaoState, id: number, account_id: string) {
  return dao.votes.get(voteKey(id, account_id));
}

// Who voted what on proposal `id`: a page over the current members (the order of get_members), each member that voted
// with its choice and weights (per rule of the proposal, fixed at the snapshot); members that did not vote are
// skipped, so a page may be short: read pages until from_index reaches get_info().member_count. A vote by an account
// that is no longer a member stays in the tallies and in get_vote, not here.
export function votesPage(dao: DaoState, id: number, from_index?: number, limit?: number) {
  getProposal(dao, id);
  const [start, end] = pageRange(from_index, limit, dao.members.size);
  if (end <= start) return [];
  return dao.members.keys(start, end).flatMap((account_id) => {
    const v = dao.votes.get(voteKey(id, account_id));
    return v ? [{ account_id, choice: v.choice, weights: v.weights }] : [];
  });
}
