// Dataset registry: creators submit immutable dataset versions, the community DAO admits, rejects or retires them,
// creators may withdraw, and anyone names admitted versions in a training manifest with a recomputable root.
// The model registry records which model versions were activated on a manifest (taint when data is withdrawn).
import { LookupMap, NearBindgen, call, initialize, near, view } from "near-sdk-js";
import type { NearPromise } from "near-sdk-js";
import { isLabel, isMemo, isRecordId, isRecordName, recordId } from "./fields";
import { listGet, listLength, listPage, listPop, listPush } from "./lists";
import { manifestRoot, sortEntries } from "./manifest";
import type {
  Creator,
  DatasetRecord,
  DatasetStatus,
  ManifestCheck,
  ManifestEntry,
  ManifestRecord,
  NameRecord,
} from "./types";
import { DATASET_HEADROOM_BYTES, MAX_MANIFEST_DATASETS, STANDARD, VERSION } from "./types";
import { checkDatasetInput } from "./validate";
import { ensure, fail } from "../shared/errors";
import { eventEmitter } from "../shared/events";
import type { ForkOf } from "../shared/fork-import";
import { IMPORT_PAGE, importStatus, receivePage, requestPage, setForkOf } from "../shared/fork-import";
import { pageRange } from "../shared/pagination";
import { keepAndRefund, sendNear, storageAddedCost, storageCost } from "../shared/storage";
import { checkSuite, peerId } from "../shared/suite";
import { assertAccountId, isSafeInt } from "../shared/validate";
import { MIGRATIONS } from "./migrate";
import { migrateState, upgradeByDao } from "../shared/versioned-state";

const emit = eventEmitter(STANDARD, VERSION);
const ALL = "all";

interface DatasetDetail {
  dataset_id: string;
  content_sha256: string;
  license: string;
  status: DatasetStatus | "Missing";
  withdrawn: boolean;
  creators: { account_id: string; share_bps: number }[];
}

@NearBindgen({ requireInit: true })
export class DatasetRegistry {
  state_version = MIGRATIONS.target;
  dao_id = "";
  // "" = not set: near-sdk-js cannot restore a class field whose value is null
  model_registry_id = "";
  manifest_count = 0;
  datasets = new LookupMap<DatasetRecord>("d");
  names = new LookupMap<NameRecord>("n");
  paid = new LookupMap<string>("p");
  manifests = new LookupMap<ManifestRecord>("m");
  model_seen = new LookupMap<number>("s");
  // Lists: "all" (dataset ids), "v:<name>" (versions), "dm:<dataset>" (manifests), "mm:<manifest>" (models)
  list_items = new LookupMap<string>("li");
  list_lengths = new LookupMap<number>("ll");
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
    this.model_registry_id = peerId(model_registry_id, checkSuite(suite), "model-registry", "model_registry_id");
    setForkOf(this, fork_of);
  }

  // ---- fork import (docs/fork.md) ----------------------------------------------------------------------------------

  // Anyone, pages 0, 1, 2, ... in order, 150 Tgas each: datasets first (admitted, not withdrawn, with their creators
  // and shares), then manifests. A page already in returns AlreadyImported and changes nothing.
  @call({})
  import_page({ page }: { page: number }): NearPromise | { page: number; status: string } {
    const manifests = this.import_manifests_from >= 0;
    const from_index = (page - (manifests ? this.import_manifests_from : 0)) * IMPORT_PAGE;
    return requestPage(this, page, manifests ? "get_manifests" : "get_datasets", { from_index, limit: IMPORT_PAGE });
  }

  @call({ privateFunction: true })
  on_import_page({ page }: { page: number }) {
    const manifests = this.import_manifests_from >= 0;
    const rows = receivePage<DatasetRecord & ManifestRecord>(this, page);
    if (rows === null) {
      emit("import_page_failed", [{ page, source: this.fork_of }]);
      return { page, status: "Failed" };
    }
    let n = 0;
    for (const r of rows) {
      if (manifests) n += this.importManifest(r) ? 1 : 0;
      else n += this.importDataset(r) ? 1 : 0;
    }
    this.imported += n;
    this.import_next = page + 1;
    if (rows.length < IMPORT_PAGE) {
      if (manifests) this.import_done = true;
      else this.import_manifests_from = page + 1;
    }
    emit("import_page_done", [
      { page, kind: manifests ? "manifests" : "datasets", records: n, complete: this.import_done },
    ]);
    if (this.import_done) emit("fork_import_completed", [{ source: this.fork_of, imported: this.imported }]);
    return { page, status: "Imported", records: n, complete: this.import_done };
  }

  // Only admitted, not withdrawn datasets come over, as the parent holds them (same id, creators, shares), marked
  // with their origin; paid "0": the registry's balance pays their storage and nobody can remove them.
  importDataset(r: DatasetRecord): boolean {
    if (!r || r.status !== "Admitted" || r.withdrawn || this.paid.containsKey(r.id)) return false;
    this.datasets.set(r.id, { ...r, imported_from: this.fork_of });
    const name = this.names.get(r.name);
    this.names.set(r.name, { owner: name ? name.owner : r.submitter, latest: r.id });
    listPush(this.list_items, this.list_lengths, `v:${r.name}`, r.id);
    listPush(this.list_items, this.list_lengths, ALL, r.id);
    this.paid.set(r.id, "0");
    return true;
  }

  // Manifests keep their ids (model lineage names them); a manifest already in is skipped.
  importManifest(m: ManifestRecord): boolean {
    if (!m || typeof m.id !== "number" || this.manifests.containsKey(String(m.id))) return false;
    this.manifests.set(String(m.id), m);
    if (m.id > this.manifest_count) this.manifest_count = m.id;
    for (const e of m.entries) listPush(this.list_items, this.list_lengths, `dm:${e.dataset_id}`, String(m.id));
    return true;
  }

  // ---- creators ---------------------------------------------------------------------------------------------------

  // Attach at least the storage cost (bytes added + DATASET_HEADROOM_BYTES); the excess is refunded in this call.
  @call({ payableFunction: true })
  submit_dataset({
    name: dataset_name,
    version,
    content_sha256,
    size_bytes,
    uris,
    license,
    datasheet_sha256,
    creators,
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
    const d = checkDatasetInput({
      name: dataset_name,
      version,
      content_sha256,
      size_bytes,
      uris,
      license,
      datasheet_sha256,
      creators,
    });
    const submitter = near.predecessorAccountId();
    // a fork's names and ids come from its parent first
    ensure(this.fork_of === "" || this.import_done, "ERR_IMPORT_INCOMPLETE");
    const id = recordId(d.name, d.version);
    ensure(!this.paid.containsKey(id), "ERR_DUPLICATE_VERSION", id);
    const name = this.names.get(d.name);
    if (name !== null) ensure(name.owner === submitter, "ERR_NOT_NAME_OWNER", `${d.name} belongs to ${name.owner}`);
    const before = near.storageUsage();
    const rec: DatasetRecord = {
      id,
      ...d,
      submitter,
      previous: name === null ? null : name.latest,
      status: "Submitted",
      withdrawn: false,
      submitted_at: near.blockTimestamp().toString(),
      decided_at: null,
      withdrawn_at: null,
    };
    this.datasets.set(id, rec);
    this.names.set(d.name, { owner: submitter, latest: id });
    listPush(this.list_items, this.list_lengths, `v:${d.name}`, id);
    listPush(this.list_items, this.list_lengths, ALL, id);
    const cost = storageAddedCost(before) + storageCost(DATASET_HEADROOM_BYTES);
    keepAndRefund(cost);
    this.paid.set(id, cost.toString());
    emit("dataset_submitted", [
      {
        dataset_id: id,
        submitter,
        previous: rec.previous,
        content_sha256: d.content_sha256,
        license: d.license,
        creators: d.creators,
        storage_cost: cost.toString(),
      },
    ]);
    return id;
  }

  // Any listed creator (or the submitter) may withdraw consent at any time: the dataset can no longer enter a
  // manifest, and manifests already naming it fail the model registry's activation check (taint).
  @call({})
  withdraw_dataset({ dataset_id, reason }: { dataset_id: string; reason?: string }): void {
    const rec = mustGet(this, dataset_id);
    const who = near.predecessorAccountId();
    ensure(who === rec.submitter || rec.creators.some((c) => c.account_id === who), "ERR_NOT_CREATOR");
    ensure(!rec.withdrawn, "ERR_ALREADY_WITHDRAWN", dataset_id);
    ensure(isMemo(reason), "ERR_MEMO_TOO_LONG");
    rec.withdrawn = true;
    rec.withdrawn_at = near.blockTimestamp().toString();
    this.datasets.set(dataset_id, rec);
    emit("dataset_withdrawn", [
      {
        dataset_id,
        by: who,
        reason: reason ?? null,
        tainted_manifests: listLength(this.list_lengths, `dm:${dataset_id}`),
      },
    ]);
  }

  // The submitter may take back a version nothing can depend on (Submitted or Rejected, the name's newest) and get
  // back what it paid less a tombstone's storage. Admitted versions and manifests are permanent: lineage uses them.
  @call({})
  remove_dataset({ dataset_id }: { dataset_id: string }): string {
    const rec = mustGet(this, dataset_id);
    ensure(near.predecessorAccountId() === rec.submitter, "ERR_NOT_SUBMITTER");
    ensure(rec.status === "Submitted" || rec.status === "Rejected", "ERR_INVALID_STATUS", rec.status);
    const name = this.names.get(rec.name) as NameRecord;
    ensure(name.latest === dataset_id, "ERR_NOT_LATEST_VERSION", `newest is ${name.latest}`);
    // The id stays taken (a tombstone in `paid`, and its slot in the "all" list, which keeps the slot rather than
    // reorder everyone's pages) so no different record ever shows under an old id. Only the bytes actually freed
    // come back: whatever stays (the tombstone, whose size grows with the id) remains paid by the submitter.
    const paid = BigInt(this.paid.get(dataset_id) ?? "0");
    const before = near.storageUsage();
    this.datasets.remove(dataset_id);
    this.paid.set(dataset_id, "0");
    listPop(this.list_items, this.list_lengths, `v:${rec.name}`);
    if (rec.previous === null) this.names.remove(rec.name);
    else this.names.set(rec.name, { owner: name.owner, latest: rec.previous });
    const after = near.storageUsage();
    const freed = before > after ? storageCost(before - after) : 0n;
    const refund = freed < paid ? freed : paid;
    sendNear(rec.submitter, refund);
    emit("dataset_removed", [{ dataset_id, refund: refund.toString() }]);
    return refund.toString();
  }

  // ---- community DAO ----------------------------------------------------------------------------------------------

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
    assertDao(this);
    this.model_registry_id = assertAccountId(model_registry_id, "model_registry_id");
    emit("model_registry_set", [{ model_registry_id }]);
  }

  // ---- manifests --------------------------------------------------------------------------------------------------

  // Anyone may snapshot admitted, non-withdrawn, non-retired versions; the DAO's say comes at model activation.
  @call({ payableFunction: true })
  create_manifest({ name, dataset_ids }: { name: string; dataset_ids: string[] }): number {
    // imported manifests keep their ids: new ones are numbered after them
    ensure(this.fork_of === "" || this.import_done, "ERR_IMPORT_INCOMPLETE");
    ensure(isLabel(name), "ERR_INVALID_NAME", "manifest name: 1..64 visible ASCII");
    ensure(Array.isArray(dataset_ids) && dataset_ids.length >= 1, "ERR_EMPTY_MANIFEST");
    ensure(dataset_ids.length <= MAX_MANIFEST_DATASETS, "ERR_TOO_MANY_DATASETS", `at most ${MAX_MANIFEST_DATASETS}`);
    const entries: ManifestEntry[] = [];
    const seen: Record<string, boolean> = {};
    for (const id of dataset_ids) {
      ensure(isRecordId(id), "ERR_INVALID_DATASET_ID", String(id).slice(0, 100));
      ensure(!seen[id], "ERR_DUPLICATE_DATASET", id);
      seen[id] = true;
      const rec = this.datasets.get(id);
      if (rec === null) fail("ERR_UNKNOWN_DATASET", id);
      ensure(!rec.withdrawn, "ERR_DATASET_WITHDRAWN", id);
      ensure(rec.status !== "Retired", "ERR_DATASET_RETIRED", id);
      ensure(rec.status === "Admitted", "ERR_DATASET_NOT_ADMITTED", `${id} is ${rec.status}`);
      entries.push({ dataset_id: id, content_sha256: rec.content_sha256 });
    }
    const sorted = sortEntries(entries);
    const creator = near.predecessorAccountId();
    const before = near.storageUsage();
    this.manifest_count += 1;
    const m: ManifestRecord = {
      id: this.manifest_count,
      name,
      creator,
      entries: sorted,
      root: manifestRoot(sorted),
      created_at: near.blockTimestamp().toString(),
    };
    this.manifests.set(String(m.id), m);
    for (const e of sorted) listPush(this.list_items, this.list_lengths, `dm:${e.dataset_id}`, String(m.id));
    // + 16 bytes: manifest_count in STATE may gain a digit, and STATE is written after this measurement
    const cost = storageAddedCost(before) + storageCost(16n);
    keepAndRefund(cost);
    emit("manifest_created", [
      { manifest_id: m.id, name, creator, root: m.root, dataset_ids: sorted.map((e) => e.dataset_id) },
    ]);
    return m.id;
  }

  // Called by the model registry when the DAO activates a model. Writes nothing unless the manifest exists and none
  // of its datasets is withdrawn; then records the model as depending on the manifest (once) for taint queries.
  @call({})
  // with_creators: the check also returns each dataset's creators (aligned with dataset_ids), read anyway for the
  // withdrawn check, so the model registry can push the model's lineage to the reward pool.
  record_model_use({
    manifest_id,
    model_id,
    with_creators,
  }: {
    manifest_id: number;
    model_id: string;
    with_creators?: boolean;
  }): ManifestCheck {
    ensure(
      this.model_registry_id !== "" && near.predecessorAccountId() === this.model_registry_id,
      "ERR_NOT_MODEL_REGISTRY",
    );
    ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID");
    const check = checkManifest(this, manifest_id, with_creators === true);
    const key = `${manifest_id}/${model_id}`;
    if (check.ok && !this.model_seen.containsKey(key)) {
      // Paid from the contract's balance: only the DAO (through the model registry) reaches this, once per model.
      this.model_seen.set(key, 1);
      listPush(this.list_items, this.list_lengths, `mm:${manifest_id}`, model_id);
      emit("model_dependency_recorded", [{ manifest_id, model_id, dataset_ids: check.dataset_ids }]);
    }
    return check;
  }

  // ---- views ------------------------------------------------------------------------------------------------------

  @view({})
  get_config(): {
    state_version: number;
    dao_id: string;
    model_registry_id: string | null;
    dataset_slots: number;
    manifest_count: number;
  } {
    return {
      state_version: this.state_version,
      dao_id: this.dao_id,
      model_registry_id: this.model_registry_id === "" ? null : this.model_registry_id,
      dataset_slots: listLength(this.list_lengths, ALL),
      manifest_count: this.manifest_count,
    };
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

  // All datasets in submission order; a removed one shows as {id, removed: true} so indexes stay stable.
  @view({})
  get_datasets({ from_index, limit }: { from_index?: number; limit?: number }): (DatasetRecord | object)[] {
    return listPage(this.list_items, this.list_lengths, ALL, from_index, limit).map(
      (id) => this.datasets.get(id) ?? { id, removed: true },
    );
  }

  @view({})
  get_name({ name }: { name: string }): (NameRecord & { versions: number }) | null {
    const rec = this.names.get(name);
    return rec === null ? null : { ...rec, versions: listLength(this.list_lengths, `v:${name}`) };
  }

  // Versions of a name, oldest first.
  @view({})
  get_versions({ name, from_index, limit }: { name: string; from_index?: number; limit?: number }): string[] {
    ensure(isRecordName(name), "ERR_INVALID_NAME");
    return listPage(this.list_items, this.list_lengths, `v:${name}`, from_index, limit);
  }

  @view({})
  get_storage_paid({ dataset_id }: { dataset_id: string }): string | null {
    return this.paid.get(dataset_id);
  }

  @view({})
  get_manifest({ manifest_id }: { manifest_id: number }): ManifestRecord | null {
    return isSafeInt(manifest_id, 1, 4294967295) ? this.manifests.get(String(manifest_id)) : null;
  }

  @view({})
  get_manifests({ from_index, limit }: { from_index?: number; limit?: number }): ManifestRecord[] {
    const [start, end] = pageRange(from_index, limit, this.manifest_count);
    const out: ManifestRecord[] = [];
    for (let i = start; i < end; i++) out.push(this.manifests.get(String(i + 1)) as ManifestRecord);
    return out;
  }

  // Lineage: the manifest's datasets with their creators and basis-point shares (what the reward pool splits by).
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
    const m = mustGetManifest(this, manifest_id);
    const [start, end] = pageRange(from_index, limit, m.entries.length);
    const out: DatasetDetail[] = [];
    for (let i = start; i < end; i++) {
      const e = m.entries[i];
      const rec = this.datasets.get(e.dataset_id);
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
    return listPage(this.list_items, this.list_lengths, `dm:${dataset_id}`, from_index, limit).map(Number);
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
    return listPage(this.list_items, this.list_lengths, `mm:${manifest_id}`, from_index, limit);
  }

  // Taint of a dataset: a page of the manifests naming it, each with (up to 100 of) the models activated on it.
  @view({})
  get_taint({ dataset_id, from_index, limit }: { dataset_id: string; from_index?: number; limit?: number }): {
    dataset_id: string;
    withdrawn: boolean;
    manifests: { manifest_id: number; model_count: number; models: string[] }[];
  } {
    const rec = mustGet(this, dataset_id);
    const manifests = listPage(this.list_items, this.list_lengths, `dm:${dataset_id}`, from_index, limit).map((id) => {
      const n = listLength(this.list_lengths, `mm:${id}`);
      const models: string[] = [];
      for (let i = 0; i < n && i < 100; i++) models.push(listGet(this.list_items, `mm:${id}`, i) as string);
      return { manifest_id: Number(id), model_count: n, models };
    });
    return { dataset_id, withdrawn: rec.withdrawn, manifests };
  }
}

function assertDao(r: DatasetRegistry): void {
  ensure(near.predecessorAccountId() === r.dao_id, "ERR_NOT_DAO");
}

function mustGet(r: DatasetRegistry, dataset_id: string): DatasetRecord {
  ensure(isRecordId(dataset_id), "ERR_INVALID_DATASET_ID", String(dataset_id).slice(0, 100));
  const rec = r.datasets.get(dataset_id);
  if (rec === null) fail("ERR_UNKNOWN_DATASET", dataset_id);
  return rec;
}

function mustGetManifest(r: DatasetRegistry, manifest_id: number): ManifestRecord {
  ensure(isSafeInt(manifest_id, 1, 4294967295), "ERR_INVALID_MANIFEST_ID");
  const m = r.manifests.get(String(manifest_id));
  if (m === null) fail("ERR_UNKNOWN_MANIFEST", String(manifest_id));
  return m;
}

function checkManifest(r: DatasetRegistry, manifest_id: number, withCreators = false): ManifestCheck {
  const m = isSafeInt(manifest_id, 1, 4294967295) ? r.manifests.get(String(manifest_id)) : null;
  if (m === null) return { manifest_id, exists: false, root: null, dataset_ids: [], withdrawn: [], ok: false };
  const withdrawn: string[] = [];
  const creators: Creator[][] = [];
  for (const e of m.entries) {
    const rec = r.datasets.get(e.dataset_id);
    if (rec === null || rec.withdrawn) withdrawn.push(e.dataset_id);
    if (withCreators) creators.push(rec === null ? [] : rec.creators);
  }
  const dataset_ids = m.entries.map((e) => e.dataset_id);
  const check: ManifestCheck = {
    manifest_id,
    exists: true,
    root: m.root,
    dataset_ids,
    withdrawn,
    ok: !withdrawn.length,
  };
  if (withCreators) check.creators = creators;
  return check;
}

function decide(
  r: DatasetRegistry,
  dataset_id: string,
  from: DatasetStatus,
  to: DatasetStatus,
  memo: string | undefined,
  event: string,
): void {
  assertDao(r);
  ensure(isMemo(memo), "ERR_MEMO_TOO_LONG");
  const rec = mustGet(r, dataset_id);
  ensure(rec.status === from, "ERR_INVALID_STATUS", `${dataset_id} is ${rec.status}, expected ${from}`);
  if (to === "Admitted") ensure(!rec.withdrawn, "ERR_DATASET_WITHDRAWN", dataset_id);
  rec.status = to;
  rec.decided_at = near.blockTimestamp().toString();
  r.datasets.set(dataset_id, rec);
  emit(event, [{ dataset_id, memo: memo ?? null }]);
}

// Code upgrade by the community's DAO (its UpgradeSuite proposal): the raw input is the new wasm, deployed here with
// `migrate_state` in the same batch (shared/versioned-state.ts). Only the DAO in `dao_id` may call it.
export function upgrade(): void {
  upgradeByDao();
}

export function migrate_state(): void {
  migrateState(MIGRATIONS, emit);
}
