// The model registry's fields as the helper modules see them (the @NearBindgen class implements this).
import type { JsonMap } from "../shared/json-store";
import type { LineageStatus, ModelRecord } from "./types";
import { STANDARD, VERSION } from "./types";
import { ensure, fail } from "../shared/errors";
import { eventEmitter } from "../shared/events";
import type { ForkImport } from "../shared/fork-import";
import { isRecordId } from "../wire/fields";

export interface RegistryState extends ForkImport {
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
  models: JsonMap<ModelRecord>;
  names: JsonMap<{ owner: string; latest: string }>;
  list_items: JsonMap<string>;
  list_lengths: JsonMap<number>;
  lineages: JsonMap<LineageStatus>;
  // JSON args of each lineage part not yet confirmed by the pool, under "<model_id>#<part>"
  lineage_parts: JsonMap<string>;
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

// Lists of a model: versions of its name, its children (derivatives), models trained on a manifest.
export const versionsList = (name: string) => `v:${name}`;
export const childrenList = (model_id: string) => `c:${model_id}`;
export const manifestList = (manifest_id: number) => `mf:${manifest_id}`;

// A model version the registry holds (its id already checked), else ERR_UNKNOWN_MODEL.
export function getModel(r: RegistryState, model_id: string): ModelRecord {
  const m = r.models.get(model_id);
  if (m === null) fail("ERR_UNKNOWN_MODEL", model_id);
  return m;
}

// The same for an id from the caller: ERR_INVALID_MODEL_ID first when it is not `<name>@<version>`.
export function mustGetModel(r: RegistryState, model_id: string): ModelRecord {
  ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID", String(model_id).slice(0, 100));
  return getModel(r, model_id);
}
