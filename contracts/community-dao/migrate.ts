import { writeJson } from "../shared/json-store";
import type { MigrationStep, RawState } from "../shared/versioned-state";
import { Migrations } from "../shared/versioned-state";
import { COMMUNITY_DAO } from "../wire/contracts";
import { POLICY_KEY } from "./state";
import type { Policy } from "./types";
import { STATE_VERSION } from "./types";

// One step per stored state version, each turning version n into n + 1, run on the raw STATE by `migrate_state`.
const STEPS: Record<number, MigrationStep> = {
  // 0: the pre-release layout (no state_version, no timelock parameter, no delegation counter).
  0: (s) => {
    const policy = s.policy as Policy;
    if (policy?.parameters && policy.parameters.timelock === undefined) policy.parameters.timelock = "0";
    if (s.seq === undefined) s.seq = 0;
    if (s.locked_bonds === undefined) s.locked_bonds = "0";
    if (s.factory_id === undefined) s.factory_id = "";
    if (s.suite === undefined) s.suite = {};
  },
  // 1 -> 2: the policy leaves STATE for its own key; the collections stop being STATE fields (their records keep
  // their keys and format; the members table's length is member_count). Version 1 proposal records carry their
  // description and kind in the head, which the readers accept (proposals.ts bodyOf), so none is rewritten here.
  1: (s) => {
    if (s.policy !== undefined) writeJson(POLICY_KEY, s.policy);
    const members = s.members as { _keys?: { length?: number } } | undefined;
    if (typeof members?._keys?.length === "number") s.member_count = members._keys.length;
    for (const field of ["policy", "members", "checkpoints", "proposals", "votes", "blobs"]) delete s[field];
  },
};

// The DAO holds its members' proposal bonds (`locked_bonds`): bigger code must be paid by the treasury, not by them.
const MIGRATIONS = new Migrations(STATE_VERSION, COMMUNITY_DAO, (s) => BigInt((s.locked_bonds as string) ?? "0"));
for (const from in STEPS) MIGRATIONS.add(Number(from), STEPS[from]);

// A later release registers its step here (from = the version it upgrades) and the target version follows.
export function addMigrationStep(from: number, step: MigrationStep): void {
  MIGRATIONS.add(from, step);
}

export const DAO_CODE_NAME = COMMUNITY_DAO;

// What the DAO's balance must keep beyond its storage after an upgrade (checked by migrate_state).
export function obligationsOf(s: RawState): bigint {
  return MIGRATIONS.obligations(s);
}

export function targetStateVersion(): number {
  return MIGRATIONS.target;
}

// Brings a raw stored state to the target version in place; returns the version it started from.
export function migrateRawState(s: RawState): number {
  return MIGRATIONS.run(s);
}
