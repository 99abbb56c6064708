// Records of the model registry. Times are nanoseconds as decimal strings.
import { TGAS } from "../shared/gas";
import type { Creator } from "../wire/datasets";

// What the dataset registry's record_model_use / check_manifest returns (contracts/wire/datasets.ts).
export type { ManifestCheck } from "../wire/datasets";

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

// register_model's arguments as checked (validate.ts checkModelInput), creators aside.
export interface ModelInput {
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
}

// register_model's arguments: parent and evaluations may be left out, creators default to the registrant alone.
export type RegisterModelArgs = Omit<ModelInput, "parent" | "evaluations"> & {
  parent?: ParentLink | null;
  evaluations?: Evaluation[];
  creators?: Creator[] | null;
};

export interface ModelRecord extends ModelInput {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  // recordId(name, version)
  id: string;
  // who made the model, in basis points summing to 10,000 (default: the registrant alone); pushed to the reward pool
  creators: Creator[];
  registrant: string;
  status: ModelStatus;
  registered_at: string;
  activated_at: string | null;
  deprecated_at: string | null;
  // A fork's copy: the parent registry it was imported from.
  imported_from?: string;
}

export interface HistoryEntry {
  model_id: string | null;
  action: "activate" | "rollback" | "deprecate";
  at: string;
}

// A model version's lineage push to the reward pool (lineage.ts). `parts`: one char per part, 0 waiting,
// 1 in flight, 2 confirmed.
export interface LineageStatus {
  // the record's layout version (shared/versioned-state.ts): 2 adds `reserve`; a v 1 record (no reserve) is read as
  // it is and its parts' deposits come from the registry's spare balance, as they did
  v: 1 | 2;
  model_id: string;
  reward_pool_id: string;
  total_parts: number;
  parts: string;
  entries: number[];
  done: number;
  attempts: number;
  // yoctoNEAR of the activation's deposit kept for the deposits of the parts not yet confirmed (v 2)
  reserve?: string;
}

export const STANDARD = "ai-commons-models";
export const VERSION = "1.0.0";
export const MAX_EVALUATIONS = 16;
// Bytes charged on registration beyond those measured: later status and timestamp changes.
export const MODEL_HEADROOM_BYTES = 100n;
export const CHECK_GAS = 40n * TGAS;
export const VERIFIER_GAS = 15n * TGAS;
// on_verifier_synced burns 10.9 Tgas at protocol 86 with nearcore's trie-node counting
export const SYNC_CALLBACK_GAS = 20n * TGAS;
// The activation callback also pays for the verifier call and its callback, which it schedules.
// It also sends the first lineage part when it fits in LINEAGE_FIRST_PART_GAS (up to 25 entries); push_lineage sends
// the rest.
export const LINEAGE_FIRST_PART_GAS = 40n * TGAS;
export const ACTIVATION_CALLBACK_GAS = 30n * TGAS + VERIFIER_GAS + SYNC_CALLBACK_GAS + LINEAGE_FIRST_PART_GAS;
// Lineage parts: the pool caps a part at 100 creator entries; its gas grows with the entries (docs/rewards.md: 15.5
// Tgas for 10, 72 for 100 at protocol 77; ~18% more at 86, where Wasmtime meters each call and loop iteration), the
// deposit (wire/activation.ts) pays its records (the pool refunds the rest). The callback burns 10.9 Tgas at 86 (under 10 at 77).
export const LINEAGE_GAS_BASE = 12n * TGAS;
export const LINEAGE_GAS_PER_ENTRY = 800000000000n;
export const LINEAGE_CALLBACK_GAS = 15n * TGAS;
// Balance above the storage stake the registry never spends on a v 1 lineage's deposits.
export const LINEAGE_SPARE_RESERVE = 10n ** 23n;
// What storing a lineage costs the activation callback (measured at protocol 86: 98 entries, the whole callback 22.6
// Tgas): a fixed part and ~0.11 Tgas an entry, with a margin.
export const LINEAGE_STORE_GAS_BASE = 15n * TGAS;
export const LINEAGE_STORE_GAS_PER_ENTRY = 120_000_000_000n;
// A refused activation's last call: loads the contract and fails with the reason (~11 Tgas at protocol 86).
export const REFUSE_GAS = 20n * TGAS;
// Work left to the activation callback after it sends lineage parts (history, events, return value).
export const ACTIVATION_TAIL_GAS = 10n * TGAS;
// Entries a rollback may skip (deprecated or the current model) looking for its target.
export const MAX_ROLLBACK_SCAN = 50;
