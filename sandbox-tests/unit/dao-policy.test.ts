// The DAO's pure policy rules (contracts/community-dao/policy.ts; the weight a decision needs in wire/dao.ts), what a policy may
// say, who may act; and members.ts checkpointAt, which reads a member's roles and power as of a proposal's
// snapshot. Values are worked out by hand in the comments.
import test from "ava";
import { checkpointAt } from "../../contracts/community-dao/members.ts";
import {
  canAct,
  defaultPolicy,
  heldRoles,
  permits,
  validatePolicy,
  validateThreshold,
  validateVotePolicy,
} from "../../contracts/community-dao/policy.ts";
import { thresholdWeight } from "../../contracts/wire/dao.ts";
import type { DaoState } from "../../contracts/community-dao/state.ts";
import type { Checkpoint, Policy, RoleRule, Threshold } from "../../contracts/community-dao/types.ts";

function rule(total: number, threshold: Threshold, everyone = false): RoleRule {
  return {
    role: everyone ? "all" : "council",
    everyone,
    actions: ["vote"],
    weight_kind: "RoleWeight",
    quorum: 0,
    threshold,
    total,
    approve: 0,
    reject: 0,
    abstain: 0,
    remove: 0,
  };
}

const ratio = (numerator: number, denominator: number): Threshold => ({ kind: "Ratio", numerator, denominator });
const weight = (w: number): Threshold => ({ kind: "Weight", weight: w });

test("a Ratio must be exceeded: floor(total x n / d) + 1, capped at the total", (t) => {
  // more than half: 1 of 1, 2 of 2, 2 of 3, 3 of 4, 3 of 5, 6 of 10
  t.deepEqual(
    [1, 2, 3, 4, 5, 10].map((total) => thresholdWeight(rule(total, ratio(1, 2)))),
    [1, 2, 2, 3, 3, 6],
  );
  // more than two thirds: 3 of 3 (2 is exactly 2/3, not more), 5 of 6, 5 of 7
  t.deepEqual(
    [3, 6, 7].map((total) => thresholdWeight(rule(total, ratio(2, 3)))),
    [3, 5, 5],
  );
  // unanimity (1/1) would need total + 1: capped to everyone
  t.is(thresholdWeight(rule(4, ratio(1, 1))), 4);
  // an empty group can never decide by ratio
  t.is(thresholdWeight(rule(0, ratio(1, 2))), Number.MAX_SAFE_INTEGER);
});

test("a fixed Weight is capped by a group's total, never for Everyone", (t) => {
  t.is(thresholdWeight(rule(5, weight(3))), 3);
  t.is(thresholdWeight(rule(3, weight(3))), 3);
  t.is(thresholdWeight(rule(2, weight(3))), 2, "a shrunken group can still decide");
  t.is(thresholdWeight(rule(0, weight(3))), 3);
  t.is(thresholdWeight(rule(1, weight(3), true)), 3, "Everyone's total is not the electorate");
});

test("thresholds and vote policies: the bounds a policy may set", (t) => {
  t.is(validateThreshold(ratio(1, 2)), null);
  t.is(validateThreshold(ratio(1000000, 1000000)), null);
  const badRatio = "ERR_INVALID_POLICY: ratio must be 0 < numerator <= denominator <= 1000000";
  t.is(validateThreshold(ratio(0, 2)), badRatio);
  t.is(validateThreshold(ratio(3, 2)), badRatio);
  t.is(validateThreshold(ratio(1, 1000001)), badRatio);
  t.is(validateThreshold(ratio(1.5, 2)), badRatio);
  t.is(validateThreshold(weight(1)), null);
  t.is(validateThreshold(weight(0)), "ERR_INVALID_POLICY: weight must be >= 1");
  t.is(validateThreshold({ kind: "Share" } as unknown as Threshold), "ERR_INVALID_POLICY: threshold kind");
  t.is(validateThreshold(null as unknown as Threshold), "ERR_INVALID_POLICY: threshold");
  const vp = { weight_kind: "RoleWeight" as const, quorum: 0, threshold: ratio(1, 2) };
  t.is(validateVotePolicy(vp), null);
  t.is(validateVotePolicy({ ...vp, weight_kind: "Tokens" as "RoleWeight" }), "ERR_INVALID_POLICY: weight_kind");
  t.is(validateVotePolicy({ ...vp, quorum: -1 }), "ERR_INVALID_POLICY: quorum");
  t.is(validateVotePolicy({ ...vp, threshold: weight(0) }), "ERR_INVALID_POLICY: weight must be >= 1");
});

test("policies: roles 1..20, unique, known permissions, Weight thresholds for Everyone, sane parameters", (t) => {
  const base = defaultPolicy();
  t.is(validatePolicy(base), null);
  const withRoles = (roles: Policy["roles"]): Policy => ({ ...base, roles });
  const group = (name: string, permissions = ["*:vote"]) => ({
    name,
    kind: "Group" as const,
    permissions,
    vote_policy: {},
  });
  t.is(validatePolicy(withRoles([])), "ERR_INVALID_POLICY: 1..20 roles");
  t.is(validatePolicy(withRoles(Array.from({ length: 20 }, (_, i) => group(`r${i}`)))), null);
  t.is(
    validatePolicy(withRoles(Array.from({ length: 21 }, (_, i) => group(`r${i}`)))),
    "ERR_INVALID_POLICY: 1..20 roles",
  );
  t.is(validatePolicy(withRoles([group("council"), group("council")])), "ERR_INVALID_POLICY: duplicate role council");
  t.is(validatePolicy(withRoles([group("c", ["steal:vote"])])), "ERR_INVALID_POLICY: permission steal:vote");
  t.is(validatePolicy(withRoles([group("c", ["transfer:steal"])])), "ERR_INVALID_POLICY: permission transfer:steal");
  t.is(validatePolicy(withRoles([group("c", ["transfer"])])), "ERR_INVALID_POLICY: permission transfer");
  t.is(validatePolicy(withRoles([group("Council")])), "ERR_INVALID_POLICY: role name");
  // everyone voting under the default ratio could never reach it: refused; with a Weight for the label it is fine
  const everyone = { name: "all", kind: "Everyone" as const, permissions: ["signal:vote"], vote_policy: {} };
  t.is(validatePolicy(withRoles([everyone])), "ERR_INVALID_POLICY: Everyone role needs Weight thresholds");
  const weighted = { signal: { weight_kind: "RoleWeight" as const, quorum: 0, threshold: weight(10) } };
  t.is(validatePolicy(withRoles([{ ...everyone, vote_policy: weighted }])), null);
  const params = (p: Partial<Policy["parameters"]>): Policy => ({ ...base, parameters: { ...base.parameters, ...p } });
  t.is(validatePolicy(params({ proposal_period: "0" })), "ERR_INVALID_POLICY: proposal_period");
  t.is(validatePolicy(params({ proposal_bond: "-1" })), "ERR_INVALID_POLICY: proposal_bond");
  t.is(validatePolicy(params({ timelock: "18446744073709551616" })), "ERR_INVALID_POLICY: timelock");
  const fork = (f: Partial<NonNullable<Policy["fork"]>>): Policy => ({
    ...base,
    fork: { window: "1", threshold_bps: 2000, ragequit: false, ...f },
  });
  t.is(validatePolicy(fork({})), null);
  t.is(validatePolicy(fork({ threshold_bps: 10000 })), null);
  t.is(validatePolicy(fork({ threshold_bps: 10001 })), "ERR_INVALID_POLICY: fork.threshold_bps (1..10000)");
  t.is(validatePolicy(fork({ threshold_bps: 0 })), "ERR_INVALID_POLICY: fork.threshold_bps (1..10000)");
  t.is(validatePolicy(fork({ window: "0" })), "ERR_INVALID_POLICY: fork.window");
});

test("permissions: label and action, either a wildcard; Everyone roles are held by all", (t) => {
  const policy = defaultPolicy();
  const [all, council] = policy.roles;
  t.true(permits(council, "transfer", "vote"));
  t.true(permits(all, "transfer", "propose"));
  t.false(permits(all, "transfer", "vote"));
  t.false(permits(council, "transfer", "cancel"), "nobody cancels by default");
  const narrow = { ...council, permissions: ["admit_dataset:vote"] };
  t.true(permits(narrow, "admit_dataset", "vote"));
  t.false(permits(narrow, "reject_dataset", "vote"));
  t.deepEqual(
    heldRoles(policy, []).map((r) => r.name),
    ["all"],
  );
  t.deepEqual(
    heldRoles(policy, ["council"]).map((r) => r.name),
    ["all", "council"],
  );
  t.false(canAct(policy, [], "transfer", "vote"));
  t.true(canAct(policy, ["council"], "transfer", "vote"));
  t.true(canAct(policy, [], "transfer", "execute"));
});

test("checkpoints: the last one at or before the snapshot, none before the first", (t) => {
  const cps: Record<string, Checkpoint[]> = {
    alice: [
      { s: 2, r: ["council"], p: 1 },
      { s: 5, r: ["council"], p: 2 },
      { s: 9, r: [], p: 0 },
    ],
    bob: [{ s: 4, r: ["council"], p: 1 }],
    carol: [],
  };
  const dao = { checkpoints: { get: (a: string) => cps[a] ?? null } } as unknown as DaoState;
  const at = (account: string, snapshot: number) => checkpointAt(dao, account, snapshot)?.s ?? null;
  t.deepEqual(
    [0, 1, 2, 3, 4, 5, 8, 9, 100].map((s) => at("alice", s)),
    [null, null, 2, 2, 2, 5, 5, 9, 9],
  );
  t.deepEqual(checkpointAt(dao, "alice", 6), { s: 5, r: ["council"], p: 2 });
  t.deepEqual(
    [3, 4, 5].map((s) => at("bob", s)),
    [null, 4, 4],
  );
  t.is(at("carol", 10), null);
  t.is(at("dave", 10), null);
  // a long history: every snapshot finds its own checkpoint (the binary search at every split)
  const many = Array.from({ length: 33 }, (_, i) => ({ s: 3 * i + 1, r: [], p: i }));
  const long = { checkpoints: { get: () => many } } as unknown as DaoState;
  for (let s = 1; s <= 100; s++) t.is(checkpointAt(long, "x", s)?.p, Math.min(32, Math.floor((s - 1) / 3)), `s=${s}`);
});
