// Read-only views of the dataset registry: pages of records, manifests with their datasets, taint.
import { listGet, listLength, listPage } from "../shared/lists";
import { pageRange } from "../shared/pagination";
import type { DatasetState } from "./state";
import { ALL, datasetManifestsList, manifestModelsList, mustGetDataset, mustGetManifest, versionsList } from "./state";
import type { DatasetRecord, DatasetStatus, ManifestRecord, NameRecord } from "./types";

export interface DatasetDetail {
  dataset_id: string;
  content_sha256: string;
  license: string;
  status: DatasetStatus | "Missing";
  withdrawn: boolean;
  creators: { account_id: string; share_bps: number }[];
}

export function configView(r: DatasetState & { state_version: number }) {
  return {
    state_version: r.state_version,
    dao_id: r.dao_id,
    model_registry_id: r.model_registry_id === "" ? null : r.model_registry_id,
    dataset_slots: listLength(r.list_lengths, ALL),
    manifest_count: r.manifest_count,
  };
}

// All datasets in submission order; a removed one shows as {id, removed: true} so indexes stay stable.
export function datasetsPage(r: DatasetState, from_index?: number, limit?: number): (DatasetRecord | object)[] {
  return listPage(r.list_items, r.list_lengths, ALL, from_index, limit).map(
    (id) => r.datasets.get(id) ?? { id, removed: true },
  );
}

export function nameView(r: DatasetState, name: string): (NameRecord & { versions: number }) | null {
  const rec = r.names.get(name);
  return rec === null ? null : { ...rec, versions: listLength(r.list_lengths, versionsList(name)) };
}

export function manifestsPage(r: DatasetState, from_index?: number, limit?: number): ManifestRecord[] {
  const [start, end] = pageRange(from_index, limit, r.manifest_count);
  const out: ManifestRecord[] = [];
  for (let i = start; i < end; i++) out.push(r.manifests.get(String(i + 1)) as ManifestRecord);
  return out;
}

// Lineage: the manifest's datasets with their creators and basis-point shares (what the reward pool splits by).
export function manifestDatasets(r: DatasetState, manifest_id: number, from_index?: number, limit?: number) {
  const m = mustGetManifest(r, manifest_id);
  const [start, end] = pageRange(from_index, limit, m.entries.length);
  const out: DatasetDetail[] = [];
  for (let i = start; i < end; i++) {
    const e = m.entries[i];
    const rec = r.datasets.get(e.dataset_id);
    out.push({
      dataset_id: e.dataset_id,
      content_sha256: e.content_sha256,
      license: rec === null ? "" : rec.license,
      status: rec === null ? "Missing" : rec.status,
      withdrawn: rec === null ? false : rec.withdrawn,
      creators: rec === null ? [] : rec.creators,
    });
  }
  return out;
}

// Taint of a dataset: a page of the manifests naming it, each with (up to 100 of) the models activated on it.
export function taintView(r: DatasetState, dataset_id: string, from_index?: number, limit?: number) {
  const rec = mustGetDataset(r, dataset_id);
  const ids = listPage(r.list_items, r.list_lengths, datasetManifestsList(dataset_id), from_index, limit);
  const manifests = ids.map((id) => {
    const list = manifestModelsList(id);
    const n = listLength(r.list_lengths, list);
    const models: string[] = [];
    for (let i = 0; i < n && i < 100; i++) models.push(listGet(r.list_items, list, i) as string);
    return { manifest_id: Number(id), model_count: n, models };
  });
  return { dataset_id, withdrawn: rec.withdrawn, manifests };
}
