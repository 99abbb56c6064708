// Records of the model registry. Times are nanoseconds as decimal strings.

export type ModelStatus = "Registered" | "Active" | "Deprecated";
export type Relation = "finetune" | "quantized" | "adapter" | "merge";
export const RELATIONS: Relation[] = ["finetune", "quantized", "adapter", "merge"];

export interface Evaluation {
  benchmark: string;
  metric: string;
  value: string;
  dataset_sha256: string | null;
}

export interface ParentLink {
  model_id: string;
  relation: Relation;
}

export interface ModelRecord {
  id: string;
  name: string;
  version: string;
  weights_sha256: string;
  framework: string;
  architecture: string;
  training_manifest_id: number;
  training_code_sha256: string;
  parent: ParentLink | null;
  evaluations: Evaluation[];
  license: string;
  registrant: string;
  status: ModelStatus;
  registered_at: string;
  activated_at: string | null;
  deprecated_at: string | null;
}

export interface HistoryEntry {
  model_id: string | null;
  action: "activate" | "rollback" | "deprecate";
  at: string;
}

// What the dataset registry's record_model_use / check_manifest returns.
export interface ManifestCheck {
  manifest_id: number;
  exists: boolean;
  root: string | null;
  dataset_ids: string[];
  withdrawn: string[];
  ok: boolean;
}

export const STANDARD = "ai-commons-models";
export const VERSION = "1.0.0";
export const MAX_EVALUATIONS = 16;
// Bytes charged on registration beyond those measured: later status and timestamp changes.
export const MODEL_HEADROOM_BYTES = 100n;
export const TGAS = 1_000_000_000_000n;
export const CHECK_GAS = 40n * TGAS;
export const VERIFIER_GAS = 15n * TGAS;
export const SYNC_CALLBACK_GAS = 10n * TGAS;
// The activation callback also pays for the verifier call and its callback, which it schedules.
export const ACTIVATION_CALLBACK_GAS = 30n * TGAS + VERIFIER_GAS + SYNC_CALLBACK_GAS;
// Entries a rollback may skip (deprecated or the current model) looking for its target.
export const MAX_ROLLBACK_SCAN = 50;
