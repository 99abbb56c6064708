// Activation, rollback and deprecation, and keeping the inference verifier in step.
// activate / rollback: this contract -> dataset registry record_model_use (writes nothing unless the manifest exists
// and has no withdrawn data) -> on_activation_checked here. A failed check changes nothing here: the callback sends
// the DAO's deposit back and returns a call to refuse_activation, which fails with the reason, so the promise the DAO
// waits on fails and the proposal is marked Failed. (A panic in the callback would keep the deposit here.)
// The DAO pays what its decisions store (contracts/wire/activation.ts): the callback keeps the storage it measured and
// the lineage's part deposits and sends the rest of the deposit back to the DAO.
import { NearPromise, near } from "near-sdk-js";
import { listGet, listLength, listPop, listPush } from "../shared/lists";
import type { RegistryState } from "./state";
import { activeOf, emit, getModel, HISTORY, STACK } from "./state";
import type { HistoryEntry, ManifestCheck, ModelRecord } from "./types";
import type { PackedLineage } from "./lineage";
import { packLineage, sendParts, storeLineage } from "./lineage";
import {
  ACTIVATION_CALLBACK_GAS,
  ACTIVATION_TAIL_GAS,
  CHECK_GAS,
  MAX_ROLLBACK_SCAN,
  LINEAGE_STORE_GAS_BASE,
  LINEAGE_STORE_GAS_PER_ENTRY,
  REFUSE_GAS,
  SYNC_CALLBACK_GAS,
  VERIFIER_GAS,
} from "./types";
import { ensure, fail } from "../shared/errors";
import { callbackSucceeded, chargeStorage, sendNear, storageAddedCost, storageCost } from "../shared/storage";
import { callTakingUnusedGas, selfCall } from "../shared/promise";
import { gasLeft } from "../shared/gas";
import { activationDeposit, lineageReserve, MODEL_USE_DEPOSIT } from "../wire/activation";

export type Mode = "activate" | "rollback";

export interface CheckedArgs {
  model_id: string;
  mode: Mode;
  // What the state must still be when the check returns; anything else means a concurrent change.
  expect_active: string | null;
  stack_len: number;
  // For a rollback: the stack is cut to this length, leaving the target on top.
  target_len: number;
  // The dataset creators were asked for: the model's lineage is to be pushed to the reward pool.
  lineage?: boolean;
  // yoctoNEAR the DAO attached (MODEL_USE_DEPOSIT of it went on to the dataset registry)
  deposit?: string;
}

export interface ActivationResult {
  model_id: string;
  manifest_root: string;
}

function checkThenCallback(r: RegistryState, m: ModelRecord, args: CheckedArgs): NearPromise {
  // A model's lineage goes to the pool once, at its first activation while a pool is set.
  if (r.reward_pool_id !== "" && !r.lineages.containsKey(m.id)) args.lineage = true;
  // the least any activation needs; the callback checks the deposit against the lineage's real size
  const attached = near.attachedDeposit();
  const least = activationDeposit(null, near.storageByteCost());
  ensure(attached >= least, "ERR_DEPOSIT_TOO_LOW", `attached ${attached}, required at least ${least}`);
  args.deposit = attached.toString();
  const check = JSON.stringify({ manifest_id: m.training_manifest_id, model_id: m.id, with_creators: args.lineage });
  return NearPromise.new(r.dataset_registry_id)
    .functionCall("record_model_use", check, MODEL_USE_DEPOSIT, CHECK_GAS)
    .then(
      // at least ACTIVATION_CALLBACK_GAS and all this call leaves unused: the lineage's size is known only there, and
      // an execute with more gas stores a larger one (300 Tgas: the largest a manifest allows, 816 entries)
      callTakingUnusedGas(
        NearPromise.new(near.currentAccountId()),
        "on_activation_checked",
        args,
        0n,
        ACTIVATION_CALLBACK_GAS,
      ),
    );
}

export function startActivation(r: RegistryState, model_id: string): NearPromise {
  const m = getModel(r, model_id);
  ensure(m.status !== "Deprecated", "ERR_MODEL_DEPRECATED", model_id);
  ensure(r.active !== model_id, "ERR_ALREADY_ACTIVE", model_id);
  const n = listLength(r.list_lengths, STACK);
  return checkThenCallback(r, m, {
    model_id,
    mode: "activate",
    expect_active: activeOf(r),
    stack_len: n,
    target_len: n,
  });
}

// Back to the newest earlier activation that is neither the current model nor deprecated.
export function startRollback(r: RegistryState): NearPromise {
  const n = listLength(r.list_lengths, STACK);
  for (let i = n - 1; i >= 0 && i >= n - MAX_ROLLBACK_SCAN; i--) {
    const id = listGet(r.list_items, STACK, i) as string;
    if (id === r.active) continue;
    const m = getModel(r, id);
    if (m.status === "Deprecated") continue;
    return checkThenCallback(r, m, {
      model_id: id,
      mode: "rollback",
      expect_active: activeOf(r),
      stack_len: n,
      target_len: i + 1,
    });
  }
  return fail("ERR_NO_ROLLBACK_TARGET");
}

// The check failed or the deposit is short: the deposit goes back to the DAO (less what went on to the dataset
// registry, which sends its own rest to the DAO, when that call succeeded) and the returned call fails with the reason.
function refuse(r: RegistryState, deposit: bigint, checked: boolean, code: string, detail: string): NearPromise {
  sendNear(r.dao_id, checked ? deposit - MODEL_USE_DEPOSIT : deposit);
  return selfCall("refuse_activation", { code, detail }, REFUSE_GAS);
}

export function finishActivation(r: RegistryState, a: CheckedArgs): ActivationResult | NearPromise {
  const deposit = BigInt(a.deposit ?? "0");
  if (!callbackSucceeded(0)) {
    return refuse(r, deposit, false, "ERR_DATASET_REGISTRY_FAILED", "record_model_use did not succeed");
  }
  const check = JSON.parse(near.promiseResult(0)) as ManifestCheck;
  if (!check.exists) return refuse(r, deposit, true, "ERR_UNKNOWN_MANIFEST", String(check.manifest_id));
  if (!check.ok) return refuse(r, deposit, true, "ERR_MANIFEST_WITHDRAWN", check.withdrawn.join(","));
  const m = getModel(r, a.model_id);
  if (
    m.status === "Deprecated" ||
    activeOf(r) !== a.expect_active ||
    listLength(r.list_lengths, STACK) !== a.stack_len
  ) {
    return refuse(r, deposit, true, "ERR_CONCURRENT_CHANGE", "the registry changed while the manifest was checked");
  }
  let lineage: PackedLineage | null = null;
  if (a.lineage === true && r.reward_pool_id !== "" && !r.lineages.containsKey(a.model_id)) {
    // Storing a lineage costs ~0.11 Tgas an entry (measured: 98 entries, 22.6 Tgas for the whole callback): refused
    // before anything is written when this callback cannot finish it, rather than running out of gas with the
    // deposit (a panic would keep it here). ~390 entries fit in ACTIVATION_CALLBACK_GAS alone, 816 (the most a
    // manifest allows) in what an execute of 300 Tgas leaves (the callback takes the unused gas).
    let wanted = m.creators.length;
    for (const cs of check.creators ?? []) wanted += cs.length;
    const need =
      LINEAGE_STORE_GAS_BASE + BigInt(wanted) * LINEAGE_STORE_GAS_PER_ENTRY + VERIFIER_GAS + SYNC_CALLBACK_GAS;
    if (gasLeft() < need) {
      return refuse(
        r,
        deposit,
        true,
        "ERR_NOT_ENOUGH_GAS",
        `a lineage of ${wanted} creator entries needs ${need} gas here`,
      );
    }
    lineage = packLineage(m, check);
  }
  let entries = 0;
  for (const e of lineage?.entries ?? []) entries += e;
  const size = lineage === null ? null : { entries, datasets: check.dataset_ids.length, parts: lineage.parts.length };
  const required = activationDeposit(size, near.storageByteCost());
  if (deposit < required) {
    return refuse(r, deposit, true, "ERR_DEPOSIT_TOO_LOW", `attached ${deposit}, required ${required}`);
  }
  const usageBefore = near.storageUsage();
  const rootBefore = rootBytes(r);
  const now = near.blockTimestamp().toString();
  const previous = activeOf(r);
  if (previous !== null) {
    const p = getModel(r, previous);
    p.status = "Registered";
    r.models.set(previous, p);
  }
  if (a.mode === "activate") listPush(r.list_items, r.list_lengths, STACK, a.model_id);
  else while (listLength(r.list_lengths, STACK) > a.target_len) listPop(r.list_items, r.list_lengths, STACK);
  m.status = "Active";
  m.activated_at = now;
  r.models.set(a.model_id, m);
  r.active = a.model_id;
  pushHistory(r, { model_id: a.model_id, action: a.mode, at: now });
  const reserve = lineage === null ? 0n : lineageReserve(lineage.entries);
  if (lineage !== null) storeLineage(r, m, lineage, reserve);
  notifyVerifier(r, false);
  // what this decision stored and reserved stays; the rest goes back to the treasury. The contract's own state
  // record is written after the method returns: its growth (the active id, the sync counters) is counted here.
  const later = rootBytes(r) - rootBefore;
  const storage = storageAddedCost(usageBefore) + (later > 0 ? storageCost(BigInt(later)) : 0n);
  let refund = deposit - MODEL_USE_DEPOSIT - storage - reserve;
  if (refund < 0n) refund = 0n;
  sendNear(r.dao_id, refund);
  emit(a.mode === "activate" ? "model_activated" : "model_rolled_back", [
    {
      model_id: a.model_id,
      previous,
      manifest_id: m.training_manifest_id,
      manifest_root: check.root,
      deposit: deposit.toString(),
      storage_cost: storage.toString(),
      lineage_reserve: reserve.toString(),
      refund: refund.toString(),
    },
  ]);
  if (lineage !== null) sendParts(r, a.model_id, ACTIVATION_TAIL_GAS);
  return { model_id: a.model_id, manifest_root: check.root as string };
}

// Payable: the DAO's deposit pays the history entry (DEPRECATION_DEPOSIT is enough), the rest goes back at once.
export function deprecate(r: RegistryState, model_id: string, reason: string | null): void {
  const m = getModel(r, model_id);
  ensure(m.status !== "Deprecated", "ERR_ALREADY_DEPRECATED", model_id);
  const usageBefore = near.storageUsage();
  const rootBefore = rootBytes(r);
  const wasActive = r.active === model_id;
  const now = near.blockTimestamp().toString();
  m.status = "Deprecated";
  m.deprecated_at = now;
  r.models.set(model_id, m);
  if (wasActive) r.active = "";
  pushHistory(r, { model_id, action: "deprecate", at: now });
  emit("model_deprecated", [{ model_id, was_active: wasActive, reason }]);
  if (wasActive) notifyVerifier(r, false);
  const later = rootBytes(r) - rootBefore;
  chargeStorage(usageBefore, BigInt(later > 0 ? later : 0));
}

// The fields of the contract's own state record (written by near-sdk-js when a method returns) that a decision can
// grow, as their serialized lengths.
function rootBytes(r: RegistryState): number {
  return r.active.length + String(r.verifier_seq).length + String(r.verifier_synced_seq).length;
}

function pushHistory(r: RegistryState, e: HistoryEntry): void {
  // Paid by the DAO's deposit on the decision (measured by the caller).
  listPush(r.list_items, r.list_lengths, HISTORY, JSON.stringify(e));
}

// Tells the verifier which model is active. Detached from the activation's own result, so a verifier failure never
// undoes an activation; the mismatch shows in get_config().verifier_in_sync and anyone may retry (sync_verifier).
export function notifyVerifier(r: RegistryState, returned: boolean): NearPromise | null {
  r.verifier_seq += 1;
  if (r.verifier_id === "") {
    r.verifier_synced_seq = r.verifier_seq;
    return null;
  }
  // seq orders the pushes: the verifier applies only a push newer than the last it applied (ERR_STALE_MODEL_PUSH),
  // so an older push landing late cannot undo a newer one
  const seq = r.verifier_seq;
  let method = "clear_active_model";
  let args = JSON.stringify({ seq });
  if (r.active !== "") {
    const m = getModel(r, r.active);
    method = "set_active_model";
    args = JSON.stringify({ model_name: m.name, model_version: m.version, weights_sha256: m.weights_sha256, seq });
  }
  const p = NearPromise.new(r.verifier_id)
    .functionCall(method, args, 0n, VERIFIER_GAS)
    .then(selfCall("on_verifier_synced", { seq: r.verifier_seq }, SYNC_CALLBACK_GAS));
  if (returned) return p;
  p.constructRecursively();
  return null;
}

export function verifierSynced(r: RegistryState, seq: number): boolean {
  const ok = callbackSucceeded(0);
  // Only the newest update counts: an older one landing late says nothing about the current model.
  if (ok && seq === r.verifier_seq) r.verifier_synced_seq = seq;
  emit(ok ? "verifier_synced" : "verifier_sync_failed", [
    { verifier_id: r.verifier_id, seq, active_model: activeOf(r), current: seq === r.verifier_seq },
  ]);
  return ok;
}
