// Read-only views of the model registry: configuration, pages of versions, lineage (parents and children), history.
import { importStatus } from "../shared/fork-import";
import { listGet, listLength, listPage } from "../shared/lists";
import { pageRange } from "../shared/pagination";
import { isSafeInt } from "../shared/validate";
import type { RegistryState } from "./state";
import { ALL, HISTORY, mustGetModel } from "./state";
import type { HistoryEntry, ModelRecord } from "./types";

export interface ChainLink {
  depth: number;
  model_id: string;
  relation_to_child: string;
  name: string;
  version: string;
  weights_sha256: string;
  training_manifest_id: number;
  status: string;
}

export function configView(r: RegistryState & { state_version: number }) {
  return {
    state_version: r.state_version,
    dao_id: r.dao_id,
    dataset_registry_id: r.dataset_registry_id,
    verifier_id: r.verifier_id || null,
    reward_pool_id: r.reward_pool_id || null,
    active_model: r.active || null,
    verifier_in_sync: r.verifier_synced_seq === r.verifier_seq,
    model_count: listLength(r.list_lengths, ALL),
  };
}

export function modelsPage(r: RegistryState, from_index?: number, limit?: number): ModelRecord[] {
  return listPage(r.list_items, r.list_lengths, ALL, from_index, limit).map((id) => r.models.get(id) as ModelRecord);
}

// Ancestors of a model, nearest first: depth 1 is the parent. from_index skips that many ancestors.
export function parentChain(r: RegistryState, model_id: string, from_index?: number, limit?: number): ChainLink[] {
  const [start, end] = pageRange(from_index, limit, 4294967295);
  let link = mustGetModel(r, model_id).parent;
  const out: ChainLink[] = [];
  for (let depth = 1; link !== null && depth <= end; depth++) {
    const p = r.models.get(link.model_id) as ModelRecord;
    if (depth > start) {
      out.push({
        depth,
        model_id: p.id,
        relation_to_child: link.relation,
        name: p.name,
        version: p.version,
        weights_sha256: p.weights_sha256,
        training_manifest_id: p.training_manifest_id,
        status: p.status,
      });
    }
    link = p.parent;
  }
  return out;
}

// A model's lineage entry points: its manifest (follow with the dataset registry's get_manifest_datasets for
// datasets, creators and shares) and the first page of its parent chain.
export function lineageView(r: RegistryState, model_id: string, limit?: number) {
  const model = mustGetModel(r, model_id);
  const fork = model.imported_from ? importStatus(r) : null;
  return {
    model,
    provenance: fork ? fork.provenance : null,
    dataset_registry_id: r.dataset_registry_id,
    training_manifest_id: model.training_manifest_id,
    parents: parentChain(r, model_id, 0, limit),
  };
}

export function historyPage(r: RegistryState, from_index?: number, limit?: number): HistoryEntry[] {
  return listPage(r.list_items, r.list_lengths, HISTORY, from_index, limit).map((s) => JSON.parse(s) as HistoryEntry);
}

export function historyEntry(r: RegistryState, index: number): HistoryEntry | null {
  const s = isSafeInt(index, 0, 4294967295) ? listGet(r.list_items, HISTORY, index) : null;
  return s === null ? null : (JSON.parse(s) as HistoryEntry);
}
