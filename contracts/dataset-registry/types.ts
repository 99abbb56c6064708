// Records of the dataset registry: their shapes are the protocol's (contracts/wire/datasets.ts); this registry's
// own constants stay here.
export type {
  Creator,
  DatasetInput,
  DatasetRecord,
  DatasetStatus,
  ManifestCheck,
  ManifestEntry,
  ManifestRecord,
  NameRecord,
} from "../wire/datasets";
export { BPS_TOTAL, MAX_CREATORS, MAX_MANIFEST_DATASETS, MAX_URIS } from "../wire/datasets";

export const STANDARD = "ai-commons-datasets";
export const VERSION = "1.0.0";
// Bytes charged on submission beyond those measured: the later status/withdrawal timestamps and the entry that
// records what was paid (written after the measurement), so DAO decisions never draw on the contract's balance.
export const DATASET_HEADROOM_BYTES = 200n;
