// What the community DAO's neighbours rely on about it: the factory sizes a fork's creation by these and reads the
// DAO's fork record (get_fork) by these statuses, and the one rule the web app shows beside the DAO's tallies (the
// weight a proposal's rule needs). Data and pure rules only.

// The DAO's config (its name, purpose and metadata): the longest each may be, in characters (UTF-16 units). The CLI
// refuses longer ones before anything is sent.
export const CONFIG_MAX = { name: 64, purpose: 1000, metadata: 4000 } as const;

// A DAO starts with at most this many members (init `members`, and a fork's joined members).
export const MAX_FOUNDERS = 100;

// AddAttester attaches the bond plus this for the attester's storage on the verifier (record, key: ~0.006 NEAR at
// most); the verifier keeps the exact cost, records exactly `bond` and sends the rest back to the treasury at once.
export const ATTESTER_STORAGE_DEPOSIT = 10_000_000_000_000_000_000_000n;

export type ForkStatus = "Open" | "Failed" | "Payable" | "Checking" | "Paying" | "Exiting" | "Executed" | "Cancelled";

// The fork statuses from which the fork is decided and succeeded: the factory may create the fork's community.
export const FORK_SUCCEEDED: readonly ForkStatus[] = ["Payable", "Checking", "Paying", "Exiting", "Executed"];

// A proposal's rule as far as deciding goes (community-dao/types.ts RoleRule has these fields).
export interface ThresholdRule {
  threshold: { kind: "Ratio"; numerator: number; denominator: number } | { kind: "Weight"; weight: number };
  everyone: boolean;
  total: number;
}

// Weight needed to decide: a Ratio must be exceeded (Sputnik's rule: more than numerator/denominator of the total),
// a fixed Weight is capped by the total so a shrunken group can still decide. MAX_SAFE_INTEGER: it cannot pass.
export function thresholdWeight(rule: ThresholdRule): number {
  const t = rule.threshold;
  if (t.kind === "Weight") return rule.everyone || rule.total === 0 ? t.weight : Math.min(t.weight, rule.total);
  if (rule.total === 0) return Number.MAX_SAFE_INTEGER;
  return Math.min(rule.total, Math.floor((rule.total * t.numerator) / t.denominator) + 1);
}
