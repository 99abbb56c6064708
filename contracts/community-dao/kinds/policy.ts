import { cleanPolicy, findRole, MAX_ROLES, validatePolicy } from "../policy";
import type { DaoState } from "../state";
import { emit } from "../state";
import type { Policy, ProposalKind } from "../types";
import type { KindHandler } from "./handler";

type PolicyKind = Extract<
  ProposalKind,
  {
    kind:
      | "ChangePolicy"
      | "ChangePolicyAddOrUpdateRole"
      | "ChangePolicyRemoveRole"
      | "ChangePolicyUpdateDefaultVotePolicy"
      | "ChangePolicyUpdateParameters";
  }
>;

function copy(p: Policy): Policy {
  return JSON.parse(JSON.stringify(p)) as Policy;
}

// The policy a kind would produce, or an error. Whole and partial edits go through the same validation, and a group
// that still has members can neither disappear nor turn into "Everyone" (members live outside the policy).
export function nextPolicy(dao: DaoState, k: PolicyKind): Policy | string {
  let next: Policy;
  switch (k.kind) {
    case "ChangePolicy":
      if (k.policy === null || typeof k.policy !== "object") return "ERR_INVALID_POLICY";
      next = copy(k.policy);
      next.v = 1;
      break;
    case "ChangePolicyAddOrUpdateRole": {
      next = copy(dao.policy);
      if (k.role === null || typeof k.role !== "object") return "ERR_INVALID_POLICY: role";
      const i = next.roles.findIndex((r) => r.name === k.role.name);
      if (i >= 0) next.roles[i] = k.role;
      else if (next.roles.length >= MAX_ROLES) return `ERR_INVALID_POLICY: at most ${MAX_ROLES} roles`;
      else next.roles.push(k.role);
      break;
    }
    case "ChangePolicyRemoveRole":
      if (!findRole(dao.policy, k.role)) return `ERR_UNKNOWN_ROLE: ${String(k.role)}`;
      next = copy(dao.policy);
      next.roles = next.roles.filter((r) => r.name !== k.role);
      break;
    case "ChangePolicyUpdateDefaultVotePolicy":
      next = copy(dao.policy);
      next.default_vote_policy = k.vote_policy;
      break;
    case "ChangePolicyUpdateParameters": {
      next = copy(dao.policy);
      const p = k.parameters;
      if (p === null || typeof p !== "object") return "ERR_INVALID_POLICY: parameters";
      if (p.proposal_bond !== undefined) next.parameters.proposal_bond = p.proposal_bond;
      if (p.proposal_period !== undefined) next.parameters.proposal_period = p.proposal_period;
      if (p.timelock !== undefined) next.parameters.timelock = p.timelock;
      break;
    }
  }
  const err = validatePolicy(next);
  if (err) return err;
  for (const name in dao.role_counts) {
    if (dao.role_counts[name] === 0) continue;
    const r = findRole(next, name);
    if (!r || r.kind !== "Group") return `ERR_ROLE_NOT_EMPTY: ${name}`;
  }
  return cleanPolicy(next);
}

function handler<K extends PolicyKind>(): KindHandler<K> {
  return {
    check: (dao, k) => {
      const next = nextPolicy(dao, k);
      return typeof next === "string" ? next : null;
    },
    apply: (dao, k) => {
      dao.policy = nextPolicy(dao, k) as Policy;
      for (const r of dao.policy.roles)
        if (r.kind === "Group" && dao.role_counts[r.name] === undefined) dao.role_counts[r.name] = 0;
      for (const name in dao.role_counts) if (!findRole(dao.policy, name)) delete dao.role_counts[name];
      emit("policy_changed", [{ change: k.kind }]);
      return null;
    },
  };
}

export const changePolicy = handler<Extract<PolicyKind, { kind: "ChangePolicy" }>>();
export const addOrUpdateRole = handler<Extract<PolicyKind, { kind: "ChangePolicyAddOrUpdateRole" }>>();
export const removeRole = handler<Extract<PolicyKind, { kind: "ChangePolicyRemoveRole" }>>();
export const updateDefaultVotePolicy = handler<Extract<PolicyKind, { kind: "ChangePolicyUpdateDefaultVotePolicy" }>>();
export const updateParameters = handler<Extract<PolicyKind, { kind: "ChangePolicyUpdateParameters" }>>();
