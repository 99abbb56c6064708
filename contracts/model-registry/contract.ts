// Model registry: anyone registers model versions (weights hash, training manifest, code hash, parent and relation,
// evaluations); only the community DAO activates (after the dataset registry confirms the manifest has no withdrawn
// data), deprecates or rolls back the community's model. Lineage views walk parents and children.
import { LookupMap, NearBindgen, type NearPromise, call, initialize, near, view } from "near-sdk-js";
import {
  deprecate,
  finishActivation,
  notifyVerifier,
  startActivation,
  startRollback,
  verifierSynced,
} from "./activation";
import type { RegistryState } from "./state";
import { ALL, emit, HISTORY, STACK } from "./state";
import { lineagePushed, pushLineage } from "./lineage";
import type { Evaluation, HistoryEntry, LineageStatus, ModelRecord, ParentLink } from "./types";
import { MODEL_HEADROOM_BYTES } from "./types";
import { checkModelInput } from "./validate";
import { isMemo, isRecordId, isRecordName, recordId } from "../dataset-registry/fields";
import { listGet, listLength, listPage, listPush } from "../dataset-registry/lists";
import { checkCreators } from "../dataset-registry/validate";
import { ensure, fail } from "../shared/errors";
import type { ForkOf } from "../shared/fork-import";
import { IMPORT_PAGE, importStatus, receivePage, requestPage, setForkOf } from "../shared/fork-import";
import { pageRange } from "../shared/pagination";
import { keepAndRefund, storageAddedCost, storageCost } from "../shared/storage";
import { checkSuite, peerId } from "../shared/suite";
import { assertAccountId, isSafeInt } from "../shared/validate";
import { MIGRATIONS } from "./migrate";
import { migrateState, upgradeByDao } from "../shared/versioned-state";

interface ChainLink {
  depth: number;
  model_id: string;
  relation_to_child: string;
  name: string;
  version: string;
  weights_sha256: string;
  training_manifest_id: number;
  status: string;
}

@NearBindgen({ requireInit: true })
export class ModelRegistry implements RegistryState {
  state_version = MIGRATIONS.target;
  dao_id = "";
  dataset_registry_id = "";
  verifier_id = "";
  reward_pool_id = "";
  active = "";
  verifier_seq = 0;
  verifier_synced_seq = 0;
  models = new LookupMap<ModelRecord>("m");
  names = new LookupMap<{ owner: string; latest: string }>("n");
  list_items = new LookupMap<string>("li");
  list_lengths = new LookupMap<number>("ll");
  lineages = new LookupMap<LineageStatus>("lg");
  lineage_parts = new LookupMap<string>("lq");
  // A fork's import of its parent's model versions (shared/fork-import.ts). "" = not a fork.
  fork_of = "";
  fork_community = "";
  fork_block = "";
  import_next = 0;
  import_done = false;
  import_in_flight = false;
  imported = 0;

  @initialize({})
  // The factory passes `suite` (code name -> account id); explicit ids override it (null: none).
  init({
    dao_id,
    suite,
    dataset_registry_id,
    verifier_id,
    reward_pool_id,
    fork_of,
  }: {
    dao_id: string;
    suite?: Record<string, string>;
    dataset_registry_id?: string;
    verifier_id?: string | null;
    reward_pool_id?: string | null;
    fork_of?: ForkOf | null;
  }): void {
    setForkOf(this, fork_of);
    const peers = checkSuite(suite);
    this.dao_id = assertAccountId(dao_id, "dao_id");
    this.dataset_registry_id = peerId(dataset_registry_id, peers, "dataset-registry", "dataset_registry_id", true);
    this.verifier_id = peerId(verifier_id, peers, "inference-verifier", "verifier_id");
    this.reward_pool_id = peerId(reward_pool_id, peers, "reward-pool", "reward_pool_id");
  }

  // ---- fork import (docs/fork.md) ----------------------------------------------------------------------------------

  // Anyone, pages 0, 1, 2, ... in order, 150 Tgas each: every version in the parent's registration order (so a
  // parent always comes before its derivatives), with creators, parent link and manifest; none comes over active.
  @call({})
  import_page({ page }: { page: number }): NearPromise | { page: number; status: string } {
    return requestPage(this, page, "get_models", { from_index: page * IMPORT_PAGE, limit: IMPORT_PAGE });
  }

  @call({ privateFunction: true })
  on_import_page({ page }: { page: number }) {
    const rows = receivePage<ModelRecord>(this, page);
    if (rows === null) {
      emit("import_page_failed", [{ page, source: this.fork_of }]);
      return { page, status: "Failed" };
    }
    let n = 0;
    for (const r of rows) n += this.importModel(r) ? 1 : 0;
    this.imported += n;
    this.import_next = page + 1;
    if (rows.length < IMPORT_PAGE) this.import_done = true;
    emit("import_page_done", [{ page, kind: "models", records: n, complete: this.import_done }]);
    if (this.import_done) emit("fork_import_completed", [{ source: this.fork_of, imported: this.imported }]);
    return { page, status: "Imported", records: n, complete: this.import_done };
  }

  importModel(r: ModelRecord): boolean {
    if (!r || typeof r.id !== "string" || this.models.containsKey(r.id)) return false;
    // the fork's DAO activates its own model: an active parent version comes over as Registered
    const status = r.status === "Active" ? "Registered" : r.status;
    this.models.set(r.id, { ...r, status, imported_from: this.fork_of });
    const name = this.names.get(r.name);
    this.names.set(r.name, { owner: name ? name.owner : r.registrant, latest: r.id });
    listPush(this.list_items, this.list_lengths, ALL, r.id);
    listPush(this.list_items, this.list_lengths, `v:${r.name}`, r.id);
    listPush(this.list_items, this.list_lengths, `mf:${r.training_manifest_id}`, r.id);
    if (r.parent) listPush(this.list_items, this.list_lengths, `c:${r.parent.model_id}`, r.id);
    return true;
  }

  // A fork's provenance and import progress (null when this registry is not a fork's).
  @view({})
  get_fork_import() {
    return importStatus(this);
  }

  // Attach at least the storage cost (bytes added + MODEL_HEADROOM_BYTES); the excess is refunded in this call.
  // The manifest is not checked here (that is a cross-contract call): activation checks it.
  @call({ payableFunction: true })
  register_model({
    name: model_name,
    version,
    weights_sha256,
    framework,
    architecture,
    training_manifest_id,
    training_code_sha256,
    parent,
    evaluations,
    license,
    creators,
  }: {
    name: string;
    version: string;
    weights_sha256: string;
    framework: string;
    architecture: string;
    training_manifest_id: number;
    training_code_sha256: string;
    parent?: ParentLink | null;
    evaluations?: Evaluation[];
    license: string;
    creators?: { account_id: string; share_bps: number }[];
  }): string {
    const m = checkModelInput({
      name: model_name,
      version,
      weights_sha256,
      framework,
      architecture,
      training_manifest_id,
      training_code_sha256,
      parent: parent ?? null,
      evaluations: evaluations ?? [],
      license,
    });
    const registrant = near.predecessorAccountId();
    // a fork's names and ids come from its parent first
    ensure(this.fork_of === "" || this.import_done, "ERR_IMPORT_INCOMPLETE");
    // same rule as a dataset's creators (1..16 distinct accounts, bps summing to 10,000)
    const makers =
      creators === undefined || creators === null
        ? [{ account_id: registrant, share_bps: 10000 }]
        : checkCreators(creators);
    const id = recordId(m.name, m.version);
    ensure(!this.models.containsKey(id), "ERR_DUPLICATE_VERSION", id);
    const owner = this.names.get(m.name);
    if (owner !== null) ensure(owner.owner === registrant, "ERR_NOT_NAME_OWNER", `${m.name} belongs to ${owner.owner}`);
    if (m.parent !== null) ensure(this.models.containsKey(m.parent.model_id), "ERR_UNKNOWN_PARENT", m.parent.model_id);
    const before = near.storageUsage();
    const rec: ModelRecord = {
      id,
      ...m,
      creators: makers,
      registrant,
      status: "Registered",
      registered_at: near.blockTimestamp().toString(),
      activated_at: null,
      deprecated_at: null,
    };
    this.models.set(id, rec);
    this.names.set(m.name, { owner: registrant, latest: id });
    listPush(this.list_items, this.list_lengths, ALL, id);
    listPush(this.list_items, this.list_lengths, `v:${m.name}`, id);
    listPush(this.list_items, this.list_lengths, `mf:${m.training_manifest_id}`, id);
    if (m.parent !== null) listPush(this.list_items, this.list_lengths, `c:${m.parent.model_id}`, id);
    const cost = storageAddedCost(before) + storageCost(MODEL_HEADROOM_BYTES);
    keepAndRefund(cost);
    emit("model_registered", [
      {
        model_id: id,
        registrant,
        weights_sha256: m.weights_sha256,
        training_manifest_id: m.training_manifest_id,
        parent: m.parent,
        storage_cost: cost.toString(),
      },
    ]);
    return id;
  }

  // ---- community DAO ----------------------------------------------------------------------------------------------

  // Returns a promise that fails (ERR_UNKNOWN_MANIFEST / ERR_MANIFEST_WITHDRAWN / ...) when the dataset check does,
  // so the DAO marks the proposal Failed. Attach >= 160 Tgas (check, callback, verifier sync, first lineage part).
  @call({})
  activate_model({ model_id }: { model_id: string }): NearPromise {
    assertDao(this);
    ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID");
    return startActivation(this, model_id);
  }

  @call({})
  rollback_model(): NearPromise {
    assertDao(this);
    return startRollback(this);
  }

  @call({ privateFunction: true })
  on_activation_checked({
    model_id,
    mode,
    expect_active,
    stack_len,
    target_len,
    lineage,
  }: {
    model_id: string;
    mode: "activate" | "rollback";
    expect_active: string | null;
    stack_len: number;
    target_len: number;
    lineage?: boolean;
  }): { model_id: string; manifest_root: string } {
    return finishActivation(this, { model_id, mode, expect_active, stack_len, target_len, lineage });
  }

  @call({})
  deprecate_model({ model_id, reason }: { model_id: string; reason?: string }): void {
    assertDao(this);
    ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID");
    ensure(isMemo(reason), "ERR_MEMO_TOO_LONG");
    deprecate(this, model_id, reason ?? null);
  }

  // null detaches the verifier. The new verifier is brought in step at once.
  @call({})
  set_verifier({ verifier_id }: { verifier_id: string | null }): void {
    assertDao(this);
    this.verifier_id = verifier_id === null ? "" : assertAccountId(verifier_id, "verifier_id");
    emit("verifier_set", [{ verifier_id: this.verifier_id || null }]);
    notifyVerifier(this, false);
  }

  // ---- verifier sync ----------------------------------------------------------------------------------------------

  // Anyone may retry telling the verifier about the active model after a failed update.
  @call({})
  sync_verifier(): NearPromise {
    ensure(this.verifier_id !== "", "ERR_NO_VERIFIER");
    ensure(this.verifier_synced_seq !== this.verifier_seq, "ERR_ALREADY_IN_SYNC");
    return notifyVerifier(this, true) as NearPromise;
  }

  @call({ privateFunction: true })
  on_verifier_synced({ seq }: { seq: number }): boolean {
    return verifierSynced(this, seq);
  }

  // null detaches the reward pool: lineages not yet pushed wait until one is set.
  @call({})
  set_reward_pool({ reward_pool_id }: { reward_pool_id: string | null }): void {
    assertDao(this);
    this.reward_pool_id = reward_pool_id === null ? "" : assertAccountId(reward_pool_id, "reward_pool_id");
    emit("reward_pool_set", [{ reward_pool_id: this.reward_pool_id || null }]);
  }

  // ---- lineage push -----------------------------------------------------------------------------------------------

  // Anyone may send the lineage parts still waiting (failed, or no gas left at activation). Returns parts sent.
  @call({})
  push_lineage({ model_id }: { model_id: string }): number {
    ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID");
    return pushLineage(this, model_id);
  }

  @call({ privateFunction: true })
  on_lineage_pushed({ model_id, part }: { model_id: string; part: number }): boolean {
    return lineagePushed(this, model_id, part);
  }

  @view({})
  get_lineage_status({ model_id }: { model_id: string }): LineageStatus | null {
    return this.lineages.get(model_id);
  }

  // ---- views ------------------------------------------------------------------------------------------------------

  @view({})
  get_config(): {
    state_version: number;
    dao_id: string;
    dataset_registry_id: string;
    verifier_id: string | null;
    reward_pool_id: string | null;
    active_model: string | null;
    verifier_in_sync: boolean;
    model_count: number;
  } {
    return {
      state_version: this.state_version,
      dao_id: this.dao_id,
      dataset_registry_id: this.dataset_registry_id,
      verifier_id: this.verifier_id || null,
      reward_pool_id: this.reward_pool_id || null,
      active_model: this.active || null,
      verifier_in_sync: this.verifier_synced_seq === this.verifier_seq,
      model_count: listLength(this.list_lengths, ALL),
    };
  }

  @view({})
  get_model({ model_id }: { model_id: string }): ModelRecord | null {
    return this.models.get(model_id);
  }

  @view({})
  get_active_model(): ModelRecord | null {
    return this.active === "" ? null : this.models.get(this.active);
  }

  @view({})
  get_models({ from_index, limit }: { from_index?: number; limit?: number }): ModelRecord[] {
    return listPage(this.list_items, this.list_lengths, ALL, from_index, limit).map(
      (id) => this.models.get(id) as ModelRecord,
    );
  }

  @view({})
  get_versions({ name, from_index, limit }: { name: string; from_index?: number; limit?: number }): string[] {
    ensure(isRecordName(name), "ERR_INVALID_NAME");
    return listPage(this.list_items, this.list_lengths, `v:${name}`, from_index, limit);
  }

  @view({})
  get_models_by_manifest({
    manifest_id,
    from_index,
    limit,
  }: {
    manifest_id: number;
    from_index?: number;
    limit?: number;
  }): string[] {
    ensure(isSafeInt(manifest_id, 1, 4294967295), "ERR_INVALID_MANIFEST_ID");
    return listPage(this.list_items, this.list_lengths, `mf:${manifest_id}`, from_index, limit);
  }

  // Direct derivatives of a model (models naming it as parent), in registration order.
  @view({})
  get_children({ model_id, from_index, limit }: { model_id: string; from_index?: number; limit?: number }): string[] {
    mustGet(this, model_id);
    return listPage(this.list_items, this.list_lengths, `c:${model_id}`, from_index, limit);
  }

  // Ancestors of a model, nearest first: depth 1 is the parent. from_index skips that many ancestors.
  @view({})
  get_parent_chain({
    model_id,
    from_index,
    limit,
  }: {
    model_id: string;
    from_index?: number;
    limit?: number;
  }): ChainLink[] {
    const [start, end] = pageRange(from_index, limit, 4294967295);
    let link = mustGet(this, model_id).parent;
    const out: ChainLink[] = [];
    for (let depth = 1; link !== null && depth <= end; depth++) {
      const p = this.models.get(link.model_id) as ModelRecord;
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
  @view({})
  get_lineage({ model_id, limit }: { model_id: string; limit?: number }): {
    model: ModelRecord;
    dataset_registry_id: string;
    training_manifest_id: number;
    parents: ChainLink[];
    provenance: string | null;
  } {
    const model = mustGet(this, model_id);
    const fork = model.imported_from ? importStatus(this) : null;
    return {
      model,
      provenance: fork ? fork.provenance : null,
      dataset_registry_id: this.dataset_registry_id,
      training_manifest_id: model.training_manifest_id,
      parents: this.get_parent_chain({ model_id, from_index: 0, limit }),
    };
  }

  // Activation stack, oldest first (rollback walks it down from the top).
  @view({})
  get_activation_stack({ from_index, limit }: { from_index?: number; limit?: number }): string[] {
    return listPage(this.list_items, this.list_lengths, STACK, from_index, limit);
  }

  @view({})
  get_history({ from_index, limit }: { from_index?: number; limit?: number }): HistoryEntry[] {
    return listPage(this.list_items, this.list_lengths, HISTORY, from_index, limit).map(
      (s) => JSON.parse(s) as HistoryEntry,
    );
  }

  @view({})
  get_history_entry({ index }: { index: number }): HistoryEntry | null {
    const s = isSafeInt(index, 0, 4294967295) ? listGet(this.list_items, HISTORY, index) : null;
    return s === null ? null : (JSON.parse(s) as HistoryEntry);
  }
}

function assertDao(r: RegistryState): void {
  ensure(near.predecessorAccountId() === r.dao_id, "ERR_NOT_DAO");
}

function mustGet(r: RegistryState, model_id: string): ModelRecord {
  ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID", String(model_id).slice(0, 100));
  const m = r.models.get(model_id);
  if (m === null) fail("ERR_UNKNOWN_MODEL", model_id);
  return m;
}

// Code upgrade by the community's DAO (its UpgradeSuite proposal): the raw input is the new wasm, deployed here with
// `migrate_state` in the same batch (shared/versioned-state.ts). Only the DAO in `dao_id` may call it.
export function upgrade(): void {
  upgradeByDao();
}

export function migrate_state(): void {
  migrateState(MIGRATIONS, emit);
}
