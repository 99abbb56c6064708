// A fork's import of its parent's model versions (docs/fork.md, shared/fork-import.ts): every version in the
// parent's registration order (so a parent always comes before its derivatives); none comes over active.
import type { NearPromise } from "near-sdk-js";
import type { PagePayment } from "../shared/fork-import";
import { IMPORT_PAGE, importPage, requestPage, settlePage } from "../shared/fork-import";
import { listPush } from "../shared/lists";
import type { RegistryState } from "./state";
import { ALL, childrenList, emit, manifestList, versionsList } from "./state";
import type { ModelRecord } from "./types";

export function requestImport(r: RegistryState, page: number): NearPromise | { page: number; status: string } {
  return requestPage(r, page, "get_models", { from_index: page * IMPORT_PAGE, limit: IMPORT_PAGE });
}

export function onImportPage(r: RegistryState, page: number, pay: PagePayment) {
  return importPage<ModelRecord>(r, page, pay, emit, "models", (m) => importModel(r, m));
}

export function onImportDone(r: RegistryState, page: number, pay: PagePayment) {
  return settlePage(r, page, pay, emit);
}

function importModel(r: RegistryState, m: ModelRecord): boolean {
  if (!m || typeof m.id !== "string" || r.models.containsKey(m.id)) return false;
  // the fork's DAO activates its own model: an active parent version comes over as Registered
  const status = m.status === "Active" ? "Registered" : m.status;
  r.models.set(m.id, { ...m, status, imported_from: r.fork_of });
  const name = r.names.get(m.name);
  r.names.set(m.name, { owner: name ? name.owner : m.registrant, latest: m.id });
  addToLists(r, m);
  return true;
}

// A new or imported version joins the lists: all, its name's versions, its manifest's models, its parent's children.
export function addToLists(r: RegistryState, m: ModelRecord): void {
  listPush(r.list_items, r.list_lengths, ALL, m.id);
  listPush(r.list_items, r.list_lengths, versionsList(m.name), m.id);
  listPush(r.list_items, r.list_lengths, manifestList(m.training_manifest_id), m.id);
  if (m.parent) listPush(r.list_items, r.list_lengths, childrenList(m.parent.model_id), m.id);
}
