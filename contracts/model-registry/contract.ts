// Model registry: anyone registers model versions (weights hash, training manifest, code hash, parent and relation,
// evaluations); only the community DAO activates (after the dataset registry confirms the manifest has no withdrawn
// data), deprecates or rolls back the community's model. Lineage views walk parents and children.
// This file is the contract's surface (its state and thin methods); each concern has its module: fork.ts (a fork's
// import), registration.ts, activation.ts (the DAO's decisions and the verifier sync), lineage.ts (the push to the
// reward pool), views.ts; state.ts is what they share.
import { NearBindgen, type NearPromise, call, initialize, view } from "near-sdk-js";
import { JsonMap } from "../shared/json-store";
import { onlyDao } from "../shared/access";
import { ensure, fail } from "../shared/errors";
import type { ForkOf } from "../shared/fork-import";
import { importStatus, setForkOf } from "../shared/fork-import";
import { listPage } from "../shared/lists";
import { checkSuite, peerId } from "../shared/suite";
import { assertAccountId, isSafeInt } from "../shared/validate";
import { migrateState, upgradeByDao, upgradeToGlobal } from "../shared/versioned-state";
import { DATASET_REGISTRY, INFERENCE_VERIFIER, MODEL_REGISTRY, REWARD_POOL } from "../wire/contracts";
import { returnSourceMetadata } from "../shared/source-metadata";
import type { Creator } from "../wire/datasets";
import { isMemo, isRecordId, isRecordName } from "../wire/fields";
import type { ActivationResult } from "./activation";
import {
  deprecate,
  finishActivation,
  notifyVerifier,
  startActivation,
  startRollback,
  verifierSynced,
} from "./activation";
import { onImportDone, onImportPage, requestImport } from "./fork";
import { lineagePushed, pushLineage } from "./lineage";
import { MIGRATIONS } from "./migrate";
import { registerModel } from "./registration";
import type { RegistryState } from "./state";
import { childrenList, emit, manifestList, mustGetModel, STACK, versionsList } from "./state";
import type { Evaluation, HistoryEntry, LineageStatus, ModelRecord, ParentLink } from "./types";
import type { ChainLink } from "./views";
import { configView, historyEntry, historyPage, lineageView, modelsPage, parentChain } from "./views";

@NearBindgen({ requireInit: true })
export class ModelRegistry implements RegistryState {
  state_version = MIGRATIONS.target;
  // Which contract this state belongs to: a migration refuses another contract's code (shared/versioned-state.ts).
  code_name = MIGRATIONS.contract;
  dao_id = "";
  dataset_registry_id = "";
  verifier_id = "";
  reward_pool_id = "";
  active = "";
  verifier_seq = 0;
  verifier_synced_seq = 0;
  models = new JsonMap<ModelRecord>("m");
  names = new JsonMap<{ owner: string; latest: string }>("n");
  list_items = new JsonMap<string>("li");
  list_lengths = new JsonMap<number>("ll");
  lineages = new JsonMap<LineageStatus>("lg");
  lineage_parts = new JsonMap<string>("lq");
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
    this.dataset_registry_id = peerId(dataset_registry_id, peers, DATASET_REGISTRY, "dataset_registry_id", true);
    this.verifier_id = peerId(verifier_id, peers, INFERENCE_VERIFIER, "verifier_id");
    this.reward_pool_id = peerId(reward_pool_id, peers, REWARD_POOL, "reward_pool_id");
  }

  // ---- fork import (docs/fork.md, fork.ts) ------------------------------------------------------------------------

  // Anyone, pages 0, 1, 2, ... in order, 150 Tgas each: every version in the parent's registration order (so a
  // parent always comes before its derivatives), with creators, parent link and manifest; none comes over active.
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

  // A fork's provenance and import progress (null when this registry is not a fork's).
  @view({})
  get_fork_import() {
    return importStatus(this);
  }

  // ---- registration (registration.ts) -----------------------------------------------------------------------------

  // Attach at least the storage cost (bytes added + MODEL_HEADROOM_BYTES); the excess is refunded in this call.
  // The manifest is not checked here (that is a cross-contract call): activation checks it.
  @call({ payableFunction: true })
  register_model({
    ...input
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
    creators?: Creator[];
  }): string {
    return registerModel(this, input);
  }

  // ---- community DAO (activation.ts) ------------------------------------------------------------------------------

  // Returns a promise that fails (ERR_UNKNOWN_MANIFEST / ERR_MANIFEST_WITHDRAWN / ...) when the dataset check does,
  // so the DAO marks the proposal Failed. Attach >= 160 Tgas (check, callback, verifier sync, first lineage part) and
  // the deposit of contracts/wire/activation.ts (activationDeposit): what is not stored goes back to the DAO.
  @call({ payableFunction: true })
  activate_model({ model_id }: { model_id: string }): NearPromise {
    onlyDao(this.dao_id);
    ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID");
    return startActivation(this, model_id);
  }

  @call({ payableFunction: true })
  rollback_model(): NearPromise {
    onlyDao(this.dao_id);
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
    deposit,
  }: {
    model_id: string;
    mode: "activate" | "rollback";
    expect_active: string | null;
    stack_len: number;
    target_len: number;
    lineage?: boolean;
    deposit?: string;
  }): ActivationResult | NearPromise {
    return finishActivation(this, { model_id, mode, expect_active, stack_len, target_len, lineage, deposit });
  }

  // The last step of a refused activation, after its deposit went back: fails with the reason.
  @call({ privateFunction: true })
  refuse_activation({ code, detail }: { code: string; detail: string }): void {
    fail(code, detail);
  }

  // Attach DEPRECATION_DEPOSIT (contracts/wire/activation.ts): the history entry is kept, the rest sent back.
  @call({ payableFunction: true })
  deprecate_model({ model_id, reason }: { model_id: string; reason?: string }): void {
    onlyDao(this.dao_id);
    ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID");
    ensure(isMemo(reason), "ERR_MEMO_TOO_LONG");
    deprecate(this, model_id, reason ?? null);
  }

  // null detaches the verifier. The new verifier is brought in step at once.
  @call({})
  set_verifier({ verifier_id }: { verifier_id: string | null }): void {
    onlyDao(this.dao_id);
    this.verifier_id = verifier_id === null ? "" : assertAccountId(verifier_id, "verifier_id");
    emit("verifier_set", [{ verifier_id: this.verifier_id || null }]);
    notifyVerifier(this, false);
  }

  // ---- verifier sync (activation.ts) ------------------------------------------------------------------------------

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
    onlyDao(this.dao_id);
    this.reward_pool_id = reward_pool_id === null ? "" : assertAccountId(reward_pool_id, "reward_pool_id");
    emit("reward_pool_set", [{ reward_pool_id: this.reward_pool_id || null }]);
  }

  // ---- lineage push (lineage.ts) ----------------------------------------------------------------------------------

  // Anyone may send the lineage parts still waiting (failed, or no gas left at activation). Returns parts sent.
  @call({})
  push_lineage({ model_id }: { model_id: string }): number {
    ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID");
    return pushLineage(this, model_id);
  }

  @call({ privateFunction: true })
  on_lineage_pushed({ model_id, part, deposit }: { model_id: string; part: number; deposit?: string }): boolean {
    return lineagePushed(this, model_id, part, deposit);
  }

  @view({})
  get_lineage_status({ model_id }: { model_id: string }): LineageStatus | null {
    return this.lineages.get(model_id);
  }

  // ---- views (views.ts) -------------------------------------------------------------------------------------------

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
    return configView(this);
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
    return modelsPage(this, from_index, limit);
  }

  @view({})
  get_versions({ name, from_index, limit }: { name: string; from_index?: number; limit?: number }): string[] {
    ensure(isRecordName(name), "ERR_INVALID_NAME");
    return listPage(this.list_items, this.list_lengths, versionsList(name), from_index, limit);
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
    return listPage(this.list_items, this.list_lengths, manifestList(manifest_id), from_index, limit);
  }

  // Direct derivatives of a model (models naming it as parent), in registration order.
  @view({})
  get_children({ model_id, from_index, limit }: { model_id: string; from_index?: number; limit?: number }): string[] {
    mustGetModel(this, model_id);
    return listPage(this.list_items, this.list_lengths, childrenList(model_id), from_index, limit);
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
    return parentChain(this, model_id, from_index, limit);
  }

  @view({})
  get_lineage({ model_id, limit }: { model_id: string; limit?: number }): {
    model: ModelRecord;
    dataset_registry_id: string;
    training_manifest_id: number;
    parents: ChainLink[];
    provenance: string | null;
  } {
    return lineageView(this, model_id, limit);
  }

  // Activation stack, oldest first (rollback walks it down from the top).
  @view({})
  get_activation_stack({ from_index, limit }: { from_index?: number; limit?: number }): string[] {
    return listPage(this.list_items, this.list_lengths, STACK, from_index, limit);
  }

  @view({})
  get_history({ from_index, limit }: { from_index?: number; limit?: number }): HistoryEntry[] {
    return historyPage(this, from_index, limit);
  }

  @view({})
  get_history_entry({ index }: { index: number }): HistoryEntry | null {
    return historyEntry(this, index);
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
  returnSourceMetadata(MODEL_REGISTRY);
}
