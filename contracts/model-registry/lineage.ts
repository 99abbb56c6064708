// Lineage push: once a model version is first activated, the reward pool learns who made it (model creators, parent,
// manifest datasets with their creators) through `register_lineage`, in parts of at most LINEAGE_PART_ENTRIES
// creator entries. The parts are built in the activation callback from the dataset registry's answer and kept here
// until the pool confirms each; like the verifier sync, a failed part never undoes the activation: it goes back to
// Waiting and anyone may send it again (`push_lineage`).
import { NearPromise, near } from "near-sdk-js";
import type { RegistryState } from "./state";
import { emit } from "./state";
import type { LineageStatus, ManifestCheck, ModelRecord } from "./types";
import { LINEAGE_CALLBACK_GAS, LINEAGE_GAS_BASE, LINEAGE_GAS_PER_ENTRY, LINEAGE_SPARE_RESERVE } from "./types";
import { lineagePartDeposit } from "../wire/activation";
import { splitRecordId } from "../wire/fields";
import type { LineagePart, ModelRef } from "../wire/lineage";
import { LINEAGE_PART_ENTRIES } from "../wire/lineage";
import { fail } from "../shared/errors";
import { gasLeft, TGAS } from "../shared/gas";
import { callbackSucceeded, sendNear, storageCost } from "../shared/storage";
import { selfCall } from "../shared/promise";

const WAITING = "0";
const IN_FLIGHT = "1";
const DONE = "2";

function partKey(model_id: string, part: number): string {
  return `${model_id}#${part}`;
}

function modelRef(id: string): ModelRef {
  const { name, version } = splitRecordId(id);
  return { model_name: name, model_version: version };
}

export interface PackedLineage {
  parts: LineagePart[];
  // creator entries per part
  entries: number[];
}

// Packs the lineage greedily, model creators first, never splitting a dataset's creators (at most 16 of them).
// Writes nothing: the activation checks the deposit against its size first.
export function packLineage(m: ModelRecord, check: ManifestCheck): PackedLineage {
  const dsCreators = check.creators ?? [];
  const parts: LineagePart[] = [];
  const entries: number[] = [];
  const base = { model_name: m.name, model_version: m.version };
  let cur: LineagePart = { ...base, model_creators: [], parent: null, datasets: [], part: 0, total_parts: 0 };
  let n = 0;
  const flush = () => {
    parts.push(cur);
    entries.push(n);
    cur = { ...base, model_creators: [], parent: null, datasets: [], part: parts.length, total_parts: 0 };
    n = 0;
  };
  for (const c of m.creators) {
    cur.model_creators.push({ account_id: c.account_id, bps: c.share_bps });
    n += 1;
  }
  for (let i = 0; i < check.dataset_ids.length; i++) {
    const cs = dsCreators[i] ?? [];
    if (n + cs.length > LINEAGE_PART_ENTRIES) flush();
    cur.datasets.push({
      dataset_id: check.dataset_ids[i],
      creators: cs.map((c) => ({ account_id: c.account_id, bps: c.share_bps })),
    });
    n += cs.length;
  }
  flush();
  parts[0].parent = m.parent === null ? null : modelRef(m.parent.model_id);
  for (const p of parts) p.total_parts = parts.length;
  return { parts, entries };
}

// Keeps the parts until the pool confirms each, with `reserve` (paid by the activation's deposit) for their deposits.
export function storeLineage(r: RegistryState, m: ModelRecord, packed: PackedLineage, reserve: bigint): void {
  const { parts, entries } = packed;
  for (const p of parts) r.lineage_parts.set(partKey(m.id, p.part), JSON.stringify(p));
  const status: LineageStatus = {
    v: 2,
    model_id: m.id,
    reward_pool_id: r.reward_pool_id,
    total_parts: parts.length,
    parts: WAITING.repeat(parts.length),
    entries,
    done: 0,
    attempts: 0,
    reserve: reserve.toString(),
  };
  r.lineages.set(m.id, status);
  emit("lineage_prepared", [{ model_id: m.id, reward_pool_id: r.reward_pool_id, total_parts: parts.length, entries }]);
}

export function partGas(entries: number): bigint {
  return LINEAGE_GAS_BASE + BigInt(entries) * LINEAGE_GAS_PER_ENTRY + LINEAGE_CALLBACK_GAS;
}

// A lineage prepared before activations carried a deposit (v 1, no reserve): what the registry can spend on pool
// storage without touching its own storage stake and a small reserve.
function spare(): bigint {
  const free = near.accountBalance() - storageCost(near.storageUsage()) - LINEAGE_SPARE_RESERVE;
  return free > 0n ? free : 0n;
}

// Sends every waiting part whose gas fits in what this call has left above `reserve`, as detached promises.
// Returns how many were sent.
export function sendParts(r: RegistryState, model_id: string, reserve: bigint): number {
  const st = r.lineages.get(model_id);
  if (st === null || st.done === st.total_parts || r.reward_pool_id === "") return 0;
  let sent = 0;
  // the activation's deposit reserved for the parts; older lineages (v 1) spend the registry's spare balance
  const reserved = st.reserve !== undefined;
  let budget = reserved ? BigInt(st.reserve as string) : spare();
  for (let i = 0; i < st.total_parts; i++) {
    if (st.parts.charAt(i) !== WAITING) continue;
    const gas = partGas(st.entries[i]);
    if (gasLeft() < gas + reserve) break;
    const stored = r.lineage_parts.get(partKey(model_id, i)) as string;
    // a v 2 lineage's deposits are the DAO's: the pool sends what the records do not use straight back to it
    const args = reserved ? JSON.stringify({ ...JSON.parse(stored), payer: r.dao_id }) : stored;
    // The pool refunds what its records did not use; short of funds, the pool's own surplus pays (docs/rewards.md).
    let deposit = lineagePartDeposit(st.entries[i]);
    if (deposit > budget) deposit = budget;
    budget -= deposit;
    if (reserved) st.reserve = budget.toString();
    st.parts = `${st.parts.slice(0, i)}${IN_FLIGHT}${st.parts.slice(i + 1)}`;
    st.attempts += 1;
    NearPromise.new(r.reward_pool_id)
      .functionCall("register_lineage", args, deposit, gas - LINEAGE_CALLBACK_GAS)
      .then(selfCall("on_lineage_pushed", { model_id, part: i, deposit: deposit.toString() }, LINEAGE_CALLBACK_GAS))
      .constructRecursively();
    emit("lineage_part_sent", [{ model_id, part: i, entries: st.entries[i], deposit: deposit.toString() }]);
    sent += 1;
  }
  r.lineages.set(model_id, st);
  return sent;
}

// Anyone: sends the waiting parts (after a failure, or the ones the activation had no gas left for).
export function pushLineage(r: RegistryState, model_id: string): number {
  const st = r.lineages.get(model_id);
  if (st === null) fail("ERR_NO_LINEAGE", model_id);
  if (st.done === st.total_parts) fail("ERR_LINEAGE_PUSHED", model_id);
  if (r.reward_pool_id === "") fail("ERR_NO_REWARD_POOL");
  if (st.parts.indexOf(WAITING) < 0) fail("ERR_LINEAGE_IN_FLIGHT", model_id);
  const sent = sendParts(r, model_id, 5n * TGAS);
  if (sent === 0) fail("ERR_NOT_ENOUGH_GAS", `attach at least ${partGas(LINEAGE_PART_ENTRIES) + 20n * TGAS}`);
  return sent;
}

export function lineagePushed(r: RegistryState, model_id: string, part: number, deposit: string | undefined): boolean {
  const st = r.lineages.get(model_id);
  if (st === null || st.parts.charAt(part) !== IN_FLIGHT) fail("ERR_NOT_IN_FLIGHT");
  const ok = callbackSucceeded(0);
  st.parts = `${st.parts.slice(0, part)}${ok ? DONE : WAITING}${st.parts.slice(part + 1)}`;
  // a failed part's deposit came back with its receipt's refund: reserved again for the next attempt
  if (!ok && st.reserve !== undefined && deposit !== undefined)
    st.reserve = (BigInt(st.reserve) + BigInt(deposit)).toString();
  if (ok) {
    st.done += 1;
    // the pool has it now: the copy kept for retries goes, and its storage with it; the DAO paid for that storage
    // (v 2), so what it frees goes back to the DAO
    const usageBefore = near.storageUsage();
    r.lineage_parts.remove(partKey(model_id, part));
    if (st.reserve !== undefined) sendNear(r.dao_id, storageCost(usageBefore - near.storageUsage()));
  }
  r.lineages.set(model_id, st);
  if (!ok) emit("lineage_push_failed", [{ model_id, part, reward_pool_id: r.reward_pool_id }]);
  else if (st.done === st.total_parts) {
    emit("lineage_pushed", [{ model_id, reward_pool_id: r.reward_pool_id, total_parts: st.total_parts }]);
  }
  return ok;
}
