// Records of the dataset registry. Amounts and sizes are decimal strings (u128 / u64); times are nanoseconds.

export type DatasetStatus = "Submitted" | "Admitted" | "Rejected" | "Retired";

export interface Creator {
  account_id: string;
  share_bps: number;
}

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

export interface DatasetRecord {
  id: string;
  name: string;
  version: string;
  content_sha256: string;
  size_bytes: string;
  uris: string[];
  license: string;
  datasheet_sha256: string;
  creators: Creator[];
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

export interface NameRecord {
  owner: string;
  latest: string;
}

export interface ManifestEntry {
  dataset_id: string;
  content_sha256: string;
}

export interface ManifestRecord {
  id: number;
  name: string;
  creator: string;
  // Sorted by dataset_id (ascending UTF-16 code units, which for these ASCII ids is byte order).
  entries: ManifestEntry[];
  root: string;
  created_at: string;
}

export interface ManifestCheck {
  manifest_id: number;
  exists: boolean;
  root: string | null;
  dataset_ids: string[];
  withdrawn: string[];
  ok: boolean;
  // record_model_use with `with_creators`: each dataset's creators, aligned with dataset_ids
  creators?: { account_id: string; share_bps: number }[][];
}

export const STANDARD = "ai-commons-datasets";
export const VERSION = "1.0.0";
export const BPS_TOTAL = 10000;
export const MAX_CREATORS = 16;
export const MAX_URIS = 8;
export const MAX_MANIFEST_DATASETS = 50;
// Bytes charged on submission beyond those measured: the later status/withdrawal timestamps and the entry that
// records what was paid (written after the measurement), so DAO decisions never draw on the contract's balance.
export const DATASET_HEADROOM_BYTES = 200n;
