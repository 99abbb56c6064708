// A fork's import of its parent's records (docs/fork.md, shared/fork-import.ts): pages 0, 1, 2, ... of admitted,
// not withdrawn datasets, then of manifests (from page `import_manifests_from` on).
import type { NearPromise } from "near-sdk-js";
import type { PagePayment } from "../shared/fork-import";
import { IMPORT_PAGE, importPage, requestPage, settlePage } from "../shared/fork-import";
import { listPush } from "../shared/lists";
import type { DatasetState } from "./state";
import { ALL, datasetManifestsList, emit, versionsList } from "./state";
import type { DatasetRecord, ManifestRecord } from "./types";

export function requestImport(r: DatasetState, page: number): NearPromise | { page: number; status: string } {
  const manifests = r.import_manifests_from >= 0;
  const from_index = (page - (manifests ? r.import_manifests_from : 0)) * IMPORT_PAGE;
  return requestPage(r, page, manifests ? "get_manifests" : "get_datasets", { from_index, limit: IMPORT_PAGE });
}

export function onImportPage(r: DatasetState, page: number, pay: PagePayment) {
  if (r.import_manifests_from >= 0) {
    return importPage<ManifestRecord>(r, page, pay, emit, "manifests", (m) => importManifest(r, m));
  }
  return importPage<DatasetRecord>(
    r,
    page,
    pay,
    emit,
    "datasets",
    (d) => importDataset(r, d),
    () => {
      r.import_manifests_from = page + 1;
    },
  );
}

// Only admitted, not withdrawn datasets come over, as the parent holds them (same id, creators, shares), marked
// with their origin; paid "0": the registry's balance pays their storage and nobody can remove them.
export function onImportDone(r: DatasetState, page: number, pay: PagePayment) {
  return settlePage(r, page, pay, emit);
}

function importDataset(r: DatasetState, d: DatasetRecord): boolean {
  if (!d || d.status !== "Admitted" || d.withdrawn || r.paid.containsKey(d.id)) return false;
  r.datasets.set(d.id, { ...d, imported_from: r.fork_of });
  const name = r.names.get(d.name);
  r.names.set(d.name, { v: 1, owner: name ? name.owner : d.submitter, latest: d.id });
  listPush(r.list_items, r.list_lengths, versionsList(d.name), d.id);
  listPush(r.list_items, r.list_lengths, ALL, d.id);
  r.paid.set(d.id, "0");
  return true;
}

// Manifests keep their ids (model lineage names them); a manifest already in is skipped.
function importManifest(r: DatasetState, m: ManifestRecord): boolean {
  if (!m || typeof m.id !== "number" || r.manifests.containsKey(String(m.id))) return false;
  r.manifests.set(String(m.id), m);
  if (m.id > r.manifest_count) r.manifest_count = m.id;
  for (const e of m.entries) listPush(r.list_items, r.list_lengths, datasetManifestsList(e.dataset_id), String(m.id));
  return true;
}
