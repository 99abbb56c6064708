import { findRole, nextPolicyOf, type PolicyChange } from "../policy";
import type { DaoState } from "../state";
import { emit } from "../state";
import type { Policy } from "../types";
import type { KindHandler } from "./handler";

type PolicyKind = PolicyChange;

// The policy a kind would produce, or an error (policy.ts nextPolicyOf, the rule the web app checks with too).
export function nextPolicy(dao: DaoState, k: PolicyKind): Policy | string {
  return nextPolicyOf(dao.policy, dao.role_counts, k);
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
