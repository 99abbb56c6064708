// The policy as the DAO stores it: only known fields, so a stored policy never carries stray input. Pure (type
// imports only), so the CLI compares a policy file with a DAO's policy by the same rule (scripts/cli/community.ts).
import type { Policy, Role, Threshold, VotePolicy } from "./types.js";

export function cleanPolicy(p: Policy): Policy {
  return {
    v: 1,
    roles: p.roles.map(cleanRole),
    default_vote_policy: cleanVotePolicy(p.default_vote_policy),
    parameters: {
      proposal_bond: p.parameters.proposal_bond,
      proposal_period: p.parameters.proposal_period,
      timelock: p.parameters.timelock,
    },
    fork: p.fork
      ? { window: p.fork.window, threshold_bps: p.fork.threshold_bps, ragequit: p.fork.ragequit }
      : undefined,
  };
}

export function cleanRole(r: Role): Role {
  const vote_policy: Record<string, VotePolicy> = {};
  for (const label in r.vote_policy) vote_policy[label] = cleanVotePolicy(r.vote_policy[label]);
  return { name: r.name, kind: r.kind, permissions: r.permissions.slice(), vote_policy };
}

export function cleanVotePolicy(vp: VotePolicy): VotePolicy {
  const t = vp.threshold;
  const threshold: Threshold =
    t.kind === "Ratio"
      ? { kind: "Ratio", numerator: t.numerator, denominator: t.denominator }
      : { kind: "Weight", weight: t.weight };
  return { weight_kind: vp.weight_kind, quorum: vp.quorum, threshold };
}
