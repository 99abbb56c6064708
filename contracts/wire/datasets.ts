// The dataset registry's records as every reader sees them (views, fork import, the model registry's activation
// check, CLI, attester, tests), the training-manifest root rule, and the creator-share bounds both registries apply.
// Amounts and sizes are decimal strings (u128 / u64); times are nanoseconds. Data and pure functions only.

export type DatasetStatus = "Submitted" | "Admitted" | "Rejected" | "Retired";

// A dataset's or a model's maker and its share in basis points (the shares of a record sum to BPS_TOTAL).
export interface Creator {
  account_id: string;
  share_bps: number;
}

export const BPS_TOTAL = 10000;
export const MAX_CREATORS = 16;
export const MAX_URIS = 8;
export const MAX_MANIFEST_DATASETS = 50;

// submit_dataset's arguments.
export interface DatasetInput {
  name: string;
  version: string;
  content_sha256: string;
  size_bytes: string;
  uris: string[];
  license: string;
  datasheet_sha256: string;
  creators: Creator[];
}

export interface DatasetRecord extends DatasetInput {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  // recordId(name, version)
  id: string;
  submitter: string;
  // The name's newest version when this one was submitted: versions form a chain, newest first.
  previous: string | null;
  status: DatasetStatus;
  // Orthogonal to status: a creator's withdrawal keeps the DAO's decision visible.
  withdrawn: boolean;
  submitted_at: string;
  decided_at: string | null;
  withdrawn_at: string | null;
  // A fork's copy: the parent registry it was imported from.
  imported_from?: string;
}

// Who owns a dataset or model name and its newest version.
export interface NameRecord {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  owner: string;
  latest: string;
}

export interface ManifestEntry {
  dataset_id: string;
  content_sha256: string;
}

export interface ManifestRecord {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  id: number;
  name: string;
  creator: string;
  // Sorted by dataset_id (ascending UTF-16 code units, which for these ASCII ids is byte order).
  entries: ManifestEntry[];
  root: string;
  created_at: string;
}

// What the dataset registry's record_model_use / check_manifest returns (the model registry's activation check).
export interface ManifestCheck {
  manifest_id: number;
  exists: boolean;
  root: string | null;
  dataset_ids: string[];
  withdrawn: string[];
  ok: boolean;
  // record_model_use with `with_creators`: each dataset's creators, aligned with dataset_ids
  creators?: Creator[][];
}

// The training-manifest root (docs/registries.md), recomputed off chain by the attester and scripts/manifest-root.mjs:
//   text = "ai-commons-manifest-v1\n" + for each entry sorted by dataset_id: "<dataset_id> <content_sha256>\n"
//   root = lower-case hex sha256 of the text (ASCII: ids and hashes have no other characters)
export const MANIFEST_ROOT_DOMAIN = "ai-commons-manifest-v1\n";

export function sortManifestEntries<T extends ManifestEntry>(entries: T[]): T[] {
  return entries.slice().sort((a, b) => (a.dataset_id < b.dataset_id ? -1 : a.dataset_id > b.dataset_id ? 1 : 0));
}

// The text whose sha256 is the root, of entries already sorted.
export function manifestRootText(sorted: ManifestEntry[]): string {
  let text = MANIFEST_ROOT_DOMAIN;
  for (const e of sorted) text += `${e.dataset_id} ${e.content_sha256}\n`;
  return text;
}
