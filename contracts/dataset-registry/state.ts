// The dataset registry's fields as the per-concern modules see them (the @NearBindgen class in contract.ts
// implements this), its event emitter and its list names.
import type { JsonMap } from "../shared/json-store";
import { ensure, fail } from "../shared/errors";
import type { ForkImport } from "../shared/fork-import";
import { eventEmitter } from "../shared/events";
import { isSafeInt } from "../shared/validate";
import { isRecordId } from "../wire/fields";
import type { DatasetRecord, ManifestRecord, NameRecord } from "./types";
import { STANDARD, VERSION } from "./types";

export interface DatasetState extends ForkImport {
  dao_id: string;
  // "" = not set: near-sdk-js cannot restore a class field whose value is null
  model_registry_id: string;
  manifest_count: number;
  datasets: JsonMap<DatasetRecord>;
  names: JsonMap<NameRecord>;
  // what each version's submitter paid for its storage ("0": imported, or removed and refunded)
  paid: JsonMap<string>;
  manifests: JsonMap<ManifestRecord>;
  // "<manifest_id>/<model_id>" -> 1 once the model's use of the manifest is recorded
  model_seen: JsonMap<number>;
  list_items: JsonMap<string>;
  list_lengths: JsonMap<number>;
  // a fork imports admitted datasets, then manifests from this page on (-1: still datasets)
  import_manifests_from: number;
}

export const emit = eventEmitter(STANDARD, VERSION);

// Lists (shared/lists.ts): "all" (dataset ids), "v:<name>" (versions), "dm:<dataset>" (manifests naming it),
// "mm:<manifest>" (models activated on it).
export const ALL = "all";
export const versionsList = (name: string) => `v:${name}`;
export const datasetManifestsList = (dataset_id: string) => `dm:${dataset_id}`;
export const manifestModelsList = (manifest_id: number | string) => `mm:${manifest_id}`;

export function mustGetDataset(r: DatasetState, dataset_id: string): DatasetRecord {
  ensure(isRecordId(dataset_id), "ERR_INVALID_DATASET_ID", String(dataset_id).slice(0, 100));
  const rec = r.datasets.get(dataset_id);
  if (rec === null) fail("ERR_UNKNOWN_DATASET", dataset_id);
  return rec;
}

export function isManifestId(manifest_id: unknown): manifest_id is number {
  return isSafeInt(manifest_id, 1, 4294967295);
}

export function mustGetManifest(r: DatasetState, manifest_id: number): ManifestRecord {
  ensure(isManifestId(manifest_id), "ERR_INVALID_MANIFEST_ID");
  const m = r.manifests.get(String(manifest_id));
  if (m === null) fail("ERR_UNKNOWN_MANIFEST", String(manifest_id));
  return m;
}
