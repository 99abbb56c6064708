import { memberView } from "./members";
import { fullProposal } from "./proposals";
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
