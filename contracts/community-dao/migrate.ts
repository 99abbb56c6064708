import type { Policy } from "./types";
import { STATE_VERSION } from "./types";

type RawState = Record<string, unknown>;

// One step per stored state version, each turning version n into n + 1. Version 0 is the pre-release layout
// (no state_version, no timelock parameter, no delegation counter); later releases append steps here.
const STEPS: Record<number, (s: RawState) => void> = {
  0: (s) => {
    const policy = s.policy as Policy;
    if (policy?.parameters && policy.parameters.timelock === undefined) policy.parameters.timelock = "0";
    if (s.seq === undefined) s.seq = 0;
    if (s.locked_bonds === undefined) s.locked_bonds = "0";
    if (s.factory_id === undefined) s.factory_id = "";
    if (s.suite === undefined) s.suite = {};
  },
};

// Brings a raw stored state to STATE_VERSION in place; returns the version it started from.
export function migrateRawState(s: RawState): number {
  const from = typeof s.state_version === "number" ? s.state_version : 0;
  if (from > STATE_VERSION) throw new Error(`ERR_MIGRATION: state version ${from} is newer than the code`);
  for (let v = from; v < STATE_VERSION; v++) {
    const step = STEPS[v];
    if (!step) throw new Error(`ERR_MIGRATION: no step from ${v}`);
    step(s);
  }
  s.state_version = STATE_VERSION;
  return from;
}
