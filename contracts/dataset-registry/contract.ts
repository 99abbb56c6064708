// Dataset registry: creators submit immutable dataset versions, the community DAO admits, rejects or retires them,
// creators may withdraw, and anyone names admitted versions in a training manifest with a recomputable root.
// The model registry records which model versions were activated on a manifest (taint when data is withdrawn).
// This file is the contract's surface (its state and thin methods); each concern has its module: fork.ts (a fork's
// import), submissions.ts (creators), decisions.ts (the DAO), manifests.ts, views.ts; state.ts is what they share.
import { NearBindgen, call, initialize, view } from "near-sdk-js";
import { JsonMap } from "../shared/json-store";
import type { NearPromise } from "near-sdk-js";
import { onlyDao } from "../shared/access";
import { ensure } from "../shared/errors";
import type { ForkOf } from "../shared/fork-import";
import { importStatus, setForkOf } from "../shared/fork-import";
import { listPage } from "../shared/lists";
import { checkSuite, peerId } from "../shared/suite";
import { assertAccountId } from "../shared/validate";
import { migrateState, upgradeByDao, upgradeToGlobal } from "../shared/versioned-state";
import { DATASET_REGISTRY, MODEL_REGISTRY } from "../wire/contracts";
import { returnSourceMetadata } from "../shared/source-metadata";
import { isRecordName } from "../wire/fields";
import { decide } from "./decisions";
import { onImportDone, onImportPage, requestImport } from "./fork";
import { checkManifest, createManifest, recordModelUse } from "./manifests";
import { MIGRATIONS } from "./migrate";
import type { DatasetState } from "./state";
import { datasetManifestsList, emit, isManifestId, manifestModelsList, versionsList } from "./state";
import { removeDataset, submitDataset, withdrawDataset } from "./submissions";
import type { Creator, DatasetRecord, ManifestCheck, ManifestRecord, NameRecord } from "./types";
import type { DatasetDetail } from "./views";
import { configView, datasetsPage, manifestDatasets, manifestsPage, nameView, taintView } from "./views";

@NearBindgen({ requireInit: true })
export class DatasetRegistry implements DatasetState {
  state_version = MIGRATIONS.target;
  // Which contract this state belongs to: a migration refuses another contract's code (shared/versioned-state.ts).
  code_name = MIGRATIONS.contract;
  dao_id = "";
  // "" = not set: near-sdk-js cannot restore a class field whose value is null
  model_registry_id = "";
  manifest_count = 0;
  datasets = new JsonMap<DatasetRecord>("d");
  names = new JsonMap<NameRecord>("n");
  paid = new JsonMap<string>("p");
  manifests = new JsonMap<ManifestRecord>("m");
  model_seen = new JsonMap<number>("s");
  // Lists: "all" (dataset ids), "v:<name>" (versions), "dm:<dataset>" (manifests), "mm:<manifest>" (models)
  list_items = new JsonMap<string>("li");
  list_lengths = new JsonMap<number>("ll");
  // A fork's import of its parent's records (shared/fork-import.ts): admitted datasets, then manifests from page
  // `import_manifests_from` on. "" = not a fork.
  fork_of = "";
  fork_community = "";
  fork_block = "";
  import_next = 0;
  import_done = false;
  import_in_flight = false;
  imported = 0;
  import_manifests_from = -1;

  @initialize({})
  // The factory passes `suite` (code name -> account id); an explicit model_registry_id overrides it.
  init({
    dao_id,
    suite,
    model_registry_id,
    fork_of,
  }: {
    dao_id: string;
    suite?: Record<string, string>;
    model_registry_id?: string | null;
    fork_of?: ForkOf | null;
  }): void {
    this.dao_id = assertAccountId(dao_id, "dao_id");
    this.model_registry_id = peerId(model_registry_id, checkSuite(suite), MODEL_REGISTRY, "model_registry_id");
    setForkOf(this, fork_of);
  }

  // ---- fork import (docs/fork.md, fork.ts) ------------------------------------------------------------------------

  // Anyone, pages 0, 1, 2, ... in order, 150 Tgas each: datasets first (admitted, not withdrawn, with their creators
  // and shares), then manifests. A page already in returns AlreadyImported and changes nothing.
  // The caller pays the storage the page adds (attach e.g. 1 NEAR; the rest comes back in the same transaction,
  // all of it when the page fails or is already in; too little: ERR_DEPOSIT_TOO_LOW with the amount, nothing in).
  @call({ payableFunction: true })
  import_page({ page }: { page: number }): NearPromise | { page: number; status: string } {
    return requestImport(this, page);
  }

  @call({ privateFunction: true })
  on_import_page({ page, payer, deposit }: { page: number; payer: string; deposit: string }) {
    return onImportPage(this, page, { payer, deposit });
  }

  @call({ privateFunction: true })
  on_import_done({ page, payer, deposit }: { page: number; payer: string; deposit: string }) {
    return onImportDone(this, page, { payer, deposit });
  }

  // ---- creators (submissions.ts) ----------------------------------------------------------------------------------

  // Attach at least the storage cost (bytes added + DATASET_HEADROOM_BYTES); the excess is refunded in this call.
  @call({ payableFunction: true })
  submit_dataset({
    ...input
  }: {
    name: string;
    version: string;
    content_sha256: string;
    size_bytes: string;
    uris: string[];
    license: string;
    datasheet_sha256: string;
    creators: Creator[];
  }): string {
    return submitDataset(this, input);
  }

  @call({})
  withdraw_dataset({ dataset_id, reason }: { dataset_id: string; reason?: string }): void {
    withdrawDataset(this, dataset_id, reason);
  }

  @call({})
  remove_dataset({ dataset_id }: { dataset_id: string }): string {
    return removeDataset(this, dataset_id);
  }

  // ---- community DAO (decisions.ts) -------------------------------------------------------------------------------

  @call({})
  admit_dataset({ dataset_id, memo }: { dataset_id: string; memo?: string }): void {
    decide(this, dataset_id, "Submitted", "Admitted", memo, "dataset_admitted");
  }

  @call({})
  reject_dataset({ dataset_id, memo }: { dataset_id: string; memo?: string }): void {
    decide(this, dataset_id, "Submitted", "Rejected", memo, "dataset_rejected");
  }

  // Retired: no new manifest may name it; models already trained on it stay valid (unlike a withdrawal).
  @call({})
  retire_dataset({ dataset_id, memo }: { dataset_id: string; memo?: string }): void {
    decide(this, dataset_id, "Admitted", "Retired", memo, "dataset_retired");
  }

  @call({})
  set_model_registry({ model_registry_id }: { model_registry_id: string }): void {
    onlyDao(this.dao_id);
    this.model_registry_id = assertAccountId(model_registry_id, "model_registry_id");
    emit("model_registry_set", [{ model_registry_id }]);
  }

  // ---- manifests (manifests.ts) -----------------------------------------------------------------------------------

  @call({ payableFunction: true })
  create_manifest({ name, dataset_ids }: { name: string; dataset_ids: string[] }): number {
    return createManifest(this, name, dataset_ids);
  }

  @call({ payableFunction: true })
  record_model_use({
    manifest_id,
    model_id,
    with_creators,
  }: {
    manifest_id: number;
    model_id: string;
    with_creators?: boolean;
  }): ManifestCheck {
    return recordModelUse(this, manifest_id, model_id, with_creators);
  }

  // ---- views (views.ts) -------------------------------------------------------------------------------------------

  @view({})
  get_config(): {
    state_version: number;
    dao_id: string;
    model_registry_id: string | null;
    dataset_slots: number;
    manifest_count: number;
  } {
    return configView(this);
  }

  // A fork's provenance and import progress (null when this registry is not a fork's).
  @view({})
  get_fork_import() {
    return importStatus(this);
  }

  @view({})
  get_dataset({ dataset_id }: { dataset_id: string }): DatasetRecord | null {
    return this.datasets.get(dataset_id);
  }

  @view({})
  get_datasets({ from_index, limit }: { from_index?: number; limit?: number }): (DatasetRecord | object)[] {
    return datasetsPage(this, from_index, limit);
  }

  @view({})
  get_name({ name }: { name: string }): (NameRecord & { versions: number }) | null {
    return nameView(this, name);
  }

  // Versions of a name, oldest first.
  @view({})
  get_versions({ name, from_index, limit }: { name: string; from_index?: number; limit?: number }): string[] {
    ensure(isRecordName(name), "ERR_INVALID_NAME");
    return listPage(this.list_items, this.list_lengths, versionsList(name), from_index, limit);
  }

  @view({})
  get_storage_paid({ dataset_id }: { dataset_id: string }): string | null {
    return this.paid.get(dataset_id);
  }

  @view({})
  get_manifest({ manifest_id }: { manifest_id: number }): ManifestRecord | null {
    return isManifestId(manifest_id) ? this.manifests.get(String(manifest_id)) : null;
  }

  @view({})
  get_manifests({ from_index, limit }: { from_index?: number; limit?: number }): ManifestRecord[] {
    return manifestsPage(this, from_index, limit);
  }

  @view({})
  get_manifest_datasets({
    manifest_id,
    from_index,
    limit,
  }: {
    manifest_id: number;
    from_index?: number;
    limit?: number;
  }): DatasetDetail[] {
    return manifestDatasets(this, manifest_id, from_index, limit);
  }

  @view({})
  check_manifest({ manifest_id }: { manifest_id: number }): ManifestCheck {
    return checkManifest(this, manifest_id);
  }

  // Manifests naming a dataset, oldest first.
  @view({})
  get_dataset_manifests({
    dataset_id,
    from_index,
    limit,
  }: {
    dataset_id: string;
    from_index?: number;
    limit?: number;
  }): number[] {
    return listPage(this.list_items, this.list_lengths, datasetManifestsList(dataset_id), from_index, limit).map(
      Number,
    );
  }

  // Model versions activated on a manifest (recorded by the model registry), in activation order.
  @view({})
  get_manifest_models({
    manifest_id,
    from_index,
    limit,
  }: {
    manifest_id: number;
    from_index?: number;
    limit?: number;
  }): string[] {
    return listPage(this.list_items, this.list_lengths, manifestModelsList(manifest_id), from_index, limit);
  }

  @view({})
  get_taint({ dataset_id, from_index, limit }: { dataset_id: string; from_index?: number; limit?: number }): {
    dataset_id: string;
    withdrawn: boolean;
    manifests: { manifest_id: number; model_count: number; models: string[] }[];
  } {
    return taintView(this, dataset_id, from_index, limit);
  }
}

// Code upgrade by the community's DAO (its UpgradeSuite proposal): the raw input is the new wasm, deployed here with
// `migrate_state` in the same batch (shared/versioned-state.ts). Only the DAO in `dao_id` may call it.
export function upgrade(): void {
  upgradeByDao();
}

// Code upgrade by the community's DAO to global code (UpgradeSuite with `global`, NEP-591): `{hash}` names code in the
// chain's global store; the switch and `migrate_state` run in one batch. Only the DAO in `dao_id` may call it.
export function upgrade_to(): void {
  upgradeToGlobal((state) => onlyDao(state.dao_id));
}

export function migrate_state(): void {
  migrateState(MIGRATIONS, emit);
}

// NEP-330 source metadata: version, standards and how this wasm was built (docs/source-metadata.md).
export function contract_source_metadata(): void {
  returnSourceMetadata(DATASET_REGISTRY);
}
