// The policy's rules: its defaults, its validation, what a policy-change proposal makes of it, who may act (the weight
// a proposal needs is wire/dao.ts thresholdWeight). Pure (no near-sdk-js import: the field rules come from
// contracts/wire/fields.ts), so the web app checks a policy change by these same functions.
import { isKnownLabel, ACTIONS } from "./kinds/labels";
import type { ForkPolicy, Policy, PolicyParameters, ProposalKind, Role, Threshold, VotePolicy } from "./types";
import { cleanPolicy, cleanRole, cleanVotePolicy } from "./policy-shape";
import { isAmount, isU64String, isValidName, isSafeInt } from "../wire/fields";

export { cleanPolicy, cleanRole, cleanVotePolicy };

export const MAX_ROLES = 20;
export const MAX_PERMISSIONS = 50;
const ONE_NEAR = "1000000000000000000000000";
const SEVEN_DAYS_NS = "604800000000000";

export function defaultVotePolicy(): VotePolicy {
  return { weight_kind: "RoleWeight", quorum: 0, threshold: { kind: "Ratio", numerator: 1, denominator: 2 } };
}

// Sputnik's default, less the single-member veto: everyone may propose and execute, the founding council proposes,
// votes and removes spam. Nobody may cancel: cancel is a guardian's power (a role holding `<label>:cancel`, added
// by the community), since one canceller can undo what the majority approved.
export function defaultPolicy(): Policy {
  return {
    v: 1,
    roles: [
      { name: "all", kind: "Everyone", permissions: ["*:propose", "*:execute"], vote_policy: {} },
      {
        name: "council",
        kind: "Group",
        permissions: ["*:propose", "*:vote", "*:remove", "*:execute"],
        vote_policy: {},
      },
    ],
    default_vote_policy: defaultVotePolicy(),
    parameters: { proposal_bond: ONE_NEAR, proposal_period: SEVEN_DAYS_NS, timelock: "0" },
  };
}

export function validateThreshold(t: Threshold): string | null {
  if (t === null || typeof t !== "object") return "ERR_INVALID_POLICY: threshold";
  if (t.kind === "Ratio") {
    if (!isSafeInt(t.denominator, 1, 1000000) || !isSafeInt(t.numerator, 1, 1000000) || t.numerator > t.denominator) {
      return "ERR_INVALID_POLICY: ratio must be 0 < numerator <= denominator <= 1000000";
    }
    return null;
  }
  if (t.kind === "Weight") return isSafeInt(t.weight, 1) ? null : "ERR_INVALID_POLICY: weight must be >= 1";
  return "ERR_INVALID_POLICY: threshold kind";
}

export function validateVotePolicy(vp: VotePolicy): string | null {
  if (vp === null || typeof vp !== "object") return "ERR_INVALID_POLICY: vote_policy";
  if (vp.weight_kind !== "RoleWeight" && vp.weight_kind !== "DelegatedWeight") {
    return "ERR_INVALID_POLICY: weight_kind";
  }
  if (!isSafeInt(vp.quorum)) return "ERR_INVALID_POLICY: quorum";
  return validateThreshold(vp.threshold);
}

export function validatePermission(p: string): boolean {
  if (typeof p !== "string") return false;
  const i = p.indexOf(":");
  if (i < 0) return false;
  const label = p.slice(0, i);
  const action = p.slice(i + 1);
  return (label === "*" || isKnownLabel(label)) && (action === "*" || ACTIONS.indexOf(action) >= 0);
}

export function validateRole(role: Role, dflt: VotePolicy): string | null {
  if (role === null || typeof role !== "object") return "ERR_INVALID_POLICY: role";
  if (!isValidName(role.name)) return "ERR_INVALID_POLICY: role name";
  if (role.kind !== "Everyone" && role.kind !== "Group") return "ERR_INVALID_POLICY: role kind";
  if (!Array.isArray(role.permissions) || role.permissions.length > MAX_PERMISSIONS) {
    return "ERR_INVALID_POLICY: permissions";
  }
  for (const p of role.permissions) if (!validatePermission(p)) return `ERR_INVALID_POLICY: permission ${p}`;
  if (role.vote_policy === null || typeof role.vote_policy !== "object" || Array.isArray(role.vote_policy)) {
    return "ERR_INVALID_POLICY: vote_policy";
  }
  for (const label in role.vote_policy) {
    if (!isKnownLabel(label)) return `ERR_INVALID_POLICY: vote_policy label ${label}`;
    const err = validateVotePolicy(role.vote_policy[label]);
    if (err) return err;
  }
  // "Everyone" has no known total weight, so only absolute thresholds can ever be reached.
  if (role.kind === "Everyone") {
    const labels = Object.keys(role.vote_policy);
    const usesDefault = role.permissions.some((p) => p.endsWith(":vote") || p.endsWith(":*") || p.endsWith(":remove"));
    if (usesDefault && dflt.threshold.kind === "Ratio" && labels.length === 0) {
      return "ERR_INVALID_POLICY: Everyone role needs Weight thresholds";
    }
    for (const label of labels) {
      if (role.vote_policy[label].threshold.kind === "Ratio") {
        return "ERR_INVALID_POLICY: Everyone role needs Weight thresholds";
      }
    }
  }
  return null;
}

export function validateParameters(p: PolicyParameters): string | null {
  if (p === null || typeof p !== "object") return "ERR_INVALID_POLICY: parameters";
  if (!isAmount(p.proposal_bond)) return "ERR_INVALID_POLICY: proposal_bond";
  if (!isU64String(p.proposal_period) || p.proposal_period === "0") return "ERR_INVALID_POLICY: proposal_period";
  if (!isU64String(p.timelock)) return "ERR_INVALID_POLICY: timelock";
  return null;
}

export function validatePolicy(policy: Policy): string | null {
  if (policy === null || typeof policy !== "object") return "ERR_INVALID_POLICY";
  if (!Array.isArray(policy.roles) || policy.roles.length < 1 || policy.roles.length > MAX_ROLES) {
    return `ERR_INVALID_POLICY: 1..${MAX_ROLES} roles`;
  }
  const dflt = validateVotePolicy(policy.default_vote_policy);
  if (dflt) return dflt;
  const names: string[] = [];
  for (const role of policy.roles) {
    const err = validateRole(role, policy.default_vote_policy);
    if (err) return err;
    if (names.indexOf(role.name) >= 0) return `ERR_INVALID_POLICY: duplicate role ${role.name}`;
    names.push(role.name);
  }
  return validateParameters(policy.parameters) ?? validateFork(policy.fork);
}

const DEFAULT_FORK: ForkPolicy = { window: "259200000000000", threshold_bps: 2000, ragequit: false };

// The fork settings in force (defaults: a 3-day window, 20% of the weight, no ragequit).
export function forkPolicy(p: Policy): ForkPolicy {
  return p.fork ?? DEFAULT_FORK;
}

function validateFork(f: ForkPolicy | undefined): string | null {
  if (f === undefined) return null;
  if (f === null || typeof f !== "object") return "ERR_INVALID_POLICY: fork";
  if (!isU64String(f.window) || f.window === "0") return "ERR_INVALID_POLICY: fork.window";
  if (!isSafeInt(f.threshold_bps, 1, 10000)) return "ERR_INVALID_POLICY: fork.threshold_bps (1..10000)";
  if (typeof f.ragequit !== "boolean") return "ERR_INVALID_POLICY: fork.ragequit";
  return null;
}

export function findRole(policy: Policy, name: string): Role | null {
  for (const r of policy.roles) if (r.name === name) return r;
  return null;
}

export function permits(role: Role, label: string, action: string): boolean {
  for (const p of role.permissions) {
    const i = p.indexOf(":");
    const l = p.slice(0, i);
    const a = p.slice(i + 1);
    if ((l === "*" || l === label) && (a === "*" || a === action)) return true;
  }
  return false;
}

// Roles an account holds now: every "Everyone" role plus the groups it is a member of.
export function heldRoles(policy: Policy, groups: string[]): Role[] {
  return policy.roles.filter((r) => r.kind === "Everyone" || groups.indexOf(r.name) >= 0);
}

export function canAct(policy: Policy, groups: string[], label: string, action: string): boolean {
  for (const r of heldRoles(policy, groups)) if (permits(r, label, action)) return true;
  return false;
}

export type PolicyChange = Extract<
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

// The policy a change would produce from `current`, or the DAO's refusal. Whole and partial edits go through the same
// validation, and a group that still has members (`roleCounts`, get_info's role_counts) can neither disappear nor turn
// into "Everyone" (members live outside the policy).
export function nextPolicyOf(current: Policy, roleCounts: Record<string, number>, k: PolicyChange): Policy | string {
  let next: Policy;
  switch (k.kind) {
    case "ChangePolicy":
      if (k.policy === null || typeof k.policy !== "object") return "ERR_INVALID_POLICY";
      next = copy(k.policy);
      next.v = 1;
      break;
    case "ChangePolicyAddOrUpdateRole": {
      next = copy(current);
      if (k.role === null || typeof k.role !== "object") return "ERR_INVALID_POLICY: role";
      const i = next.roles.findIndex((r) => r.name === k.role.name);
      if (i >= 0) next.roles[i] = k.role;
      else if (next.roles.length >= MAX_ROLES) return `ERR_INVALID_POLICY: at most ${MAX_ROLES} roles`;
      else next.roles.push(k.role);
      break;
    }
    case "ChangePolicyRemoveRole":
      if (!findRole(current, k.role)) return `ERR_UNKNOWN_ROLE: ${String(k.role)}`;
      next = copy(current);
      next.roles = next.roles.filter((r) => r.name !== k.role);
      break;
    case "ChangePolicyUpdateDefaultVotePolicy":
      next = copy(current);
      next.default_vote_policy = k.vote_policy;
      break;
    case "ChangePolicyUpdateParameters": {
      next = copy(current);
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
  for (const name in roleCounts) {
    if (roleCounts[name] === 0) continue;
    const r = findRole(next, name);
    if (!r || r.kind !== "Group") return `ERR_ROLE_NOT_EMPTY: ${name}`;
  }
  return cleanPolicy(next);
}
