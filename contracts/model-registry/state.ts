// The model registry's fields as the helper modules see them (the @NearBindgen class implements this).
import type { LookupMap } from "near-sdk-js";
import type { LineageStatus, ModelRecord } from "./types";
import { STANDARD, VERSION } from "./types";
import { eventEmitter } from "../shared/events";

export interface RegistryState {
  dao_id: string;
  dataset_registry_id: string;
  // "" = none: near-sdk-js cannot restore a class field whose value is null
  verifier_id: string;
  // "" = none: no lineage is pushed
  reward_pool_id: string;
  active: string;
  // Every change of the active model bumps verifier_seq; a confirmed verifier update sets verifier_synced_seq.
  verifier_seq: number;
  verifier_synced_seq: number;
  models: LookupMap<ModelRecord>;
  names: LookupMap<{ owner: string; latest: string }>;
  list_items: LookupMap<string>;
  list_lengths: LookupMap<number>;
  lineages: LookupMap<LineageStatus>;
  // JSON args of each lineage part not yet confirmed by the pool, under "<model_id>#<part>"
  lineage_parts: LookupMap<string>;
}

export function activeOf(r: RegistryState): string | null {
  return r.active === "" ? null : r.active;
}

export const emit = eventEmitter(STANDARD, VERSION);

// Lists: "all" (model ids), "v:<name>" (versions), "c:<model>" (children), "mf:<manifest>" (models by manifest),
// "stack" (activation stack for rollback), "h" (history entries as JSON).
export const ALL = "all";
export const STACK = "stack";
export const HISTORY = "h";
