import { near } from "near-sdk-js";
import { fail } from "../shared/errors";
import { assertAccountId, isSafeInt } from "../shared/validate";
import { checkModel } from "./lineage";
import type { PoolState } from "./state";
import { addTotal, creditAccount, emit, now, settleStorage, spendable } from "./state";
import type { Allocation, AttesterInput, EpochRecord, Lineage, UsageInput } from "./types";
import {
  BPS_N,
  CLOSE_STORAGE_BASE,
  CLOSE_STORAGE_PER_MODEL,
  MAX_EPOCH,
  MAX_EPOCH_MODELS,
  MAX_RECEIPTS,
  MAX_REPORT_ATTESTERS,
  MAX_REPORT_MODELS,
  REPORT_STORAGE_BASE,
  REPORT_STORAGE_PER_ITEM,
} from "./types";

export interface ReportInput {
  epoch: number;
  report_id?: number;
  usage?: UsageInput[];
  attesters?: AttesterInput[];
}

function newEpoch(epoch: number): EpochRecord {
  return {
    epoch,
    status: "Open",
    usage: {},
    total_receipts: 0,
    attester_receipts: 0,
    attester_paid: "0",
    reports: 0,
    budget: "0",
    distributed: "0",
    remainder: "0",
    policy_version: 0,
    closed_at: null,
    allocation_from: 0,
    allocation_to: 0,
  };
}

function checkReceipts(n: unknown): number {
  if (!isSafeInt(n, 0, MAX_RECEIPTS)) fail("ERR_INVALID_RECEIPTS");
  return n;
}

// Attester counts, merged by account: the top-level `attesters` list, or else the per-model `attester_counts` the
// verifier's own report shape nests in each usage entry.
function attesterCounts(input: ReportInput, usage: UsageInput[]): Map<string, number> {
  const list: AttesterInput[] = [];
  if (input.attesters !== undefined) {
    if (!Array.isArray(input.attesters)) fail("ERR_INVALID_REPORT", "attesters");
    for (const a of input.attesters) list.push(a);
  } else {
    for (const u of usage) {
      if (u.attester_counts === undefined) continue;
      if (!Array.isArray(u.attester_counts)) fail("ERR_INVALID_REPORT", "attester_counts");
      for (const a of u.attester_counts) list.push(a);
    }
  }
  if (list.length > MAX_REPORT_ATTESTERS) fail("ERR_BATCH_SIZE", `at most ${MAX_REPORT_ATTESTERS} attesters`);
  const out = new Map<string, number>();
  for (const a of list) {
    if (a === null || typeof a !== "object") fail("ERR_INVALID_REPORT", "attester");
    const id = assertAccountId(a.attester_id, "attester_id");
    out.set(id, (out.get(id) ?? 0) + checkReceipts(a.receipts));
  }
  return out;
}

// Accepted usage of one epoch from the verifier. O(models + attesters in the report), both bounded. Attesters are
// paid their fee per receipt here, from unallocated funds (pro rata when those fall short). A repeated
// (epoch, report_id) is a no-op that succeeds, so the verifier can retry a report whose outcome it did not see.
export function onUsageReport(s: PoolState, input: ReportInput) {
  if (near.predecessorAccountId() !== s.verifier_id) fail("ERR_NOT_VERIFIER");
  if (input === null || typeof input !== "object") fail("ERR_INVALID_REPORT");
  const epoch = input.epoch;
  if (!isSafeInt(epoch, 0, MAX_EPOCH)) fail("ERR_INVALID_EPOCH");
  const reportId = input.report_id ?? 0;
  if (!isSafeInt(reportId, 0, MAX_EPOCH)) fail("ERR_INVALID_REPORT", "report_id");
  const usage = input.usage ?? [];
  if (!Array.isArray(usage)) fail("ERR_INVALID_REPORT", "usage");
  if (usage.length > MAX_REPORT_MODELS) fail("ERR_BATCH_SIZE", `at most ${MAX_REPORT_MODELS} models`);
  for (const u of usage) {
    if (u === null || typeof u !== "object") fail("ERR_INVALID_REPORT", "usage entry");
    checkModel(u.model_name, u.model_version);
    checkReceipts(u.receipts);
  }
  const attesters = attesterCounts(input, usage);
  if (usage.length === 0 && attesters.size === 0) fail("ERR_EMPTY_REPORT");

  const key = `${epoch}:${reportId}`;
  if (s.reports.get(key) !== null) return { epoch, report_id: reportId, duplicate: true, attester_paid: "0" };
  const rec = s.epochs.get(String(epoch)) ?? newEpoch(epoch);
  if (rec.status === "Closed") fail("ERR_EPOCH_CLOSED", String(epoch));
  const isNew = rec.reports === 0;

  let receipts = 0;
  for (const u of usage) {
    const m = checkModel(u.model_name, u.model_version);
    rec.usage[m] = (rec.usage[m] ?? 0) + u.receipts;
    receipts += u.receipts;
  }
  if (Object.keys(rec.usage).length > MAX_EPOCH_MODELS) fail("ERR_TOO_MANY_MODELS", `at most ${MAX_EPOCH_MODELS}`);

  let attesterReceipts = 0n;
  for (const n of attesters.values()) attesterReceipts += BigInt(n);
  const fee = BigInt(s.policy.attester_fee);
  const reserve = REPORT_STORAGE_BASE + REPORT_STORAGE_PER_ITEM * BigInt(usage.length + attesters.size);
  const available = spendable(s, reserve);
  // fee per receipt actually paid: the policy fee, or an equal share of what is left when funds run short
  const rate = fee * attesterReceipts <= available ? fee : attesterReceipts > 0n ? available / attesterReceipts : 0n;
  let paid = 0n;
  const payouts: { attester_id: string; receipts: number; amount: string }[] = [];
  for (const [id, n] of attesters) {
    const amount = rate * BigInt(n);
    if (amount > 0n) creditAccount(s, id, amount);
    paid += amount;
    payouts.push({ attester_id: id, receipts: n, amount: amount.toString() });
  }
  addTotal(s, "unallocated", -paid);
  addTotal(s, "allocated", paid);

  rec.total_receipts += receipts;
  rec.attester_receipts += Number(attesterReceipts);
  rec.attester_paid = (BigInt(rec.attester_paid) + paid).toString();
  rec.reports += 1;
  if (isNew) s.epoch_list.push(epoch);
  s.epochs.set(String(epoch), rec);
  s.reports.set(key, s.epoch_list.length);
  settleStorage(s, 0n);
  emit("usage_reported", [
    { epoch, report_id: reportId, receipts, models: usage.length, fee_per_receipt: rate.toString(), payouts },
  ]);
  return { epoch, report_id: reportId, duplicate: false, attester_paid: paid.toString() };
}

function loadLineage(s: PoolState, cache: Map<string, Lineage | null>, m: string): Lineage | null {
  if (!cache.has(m)) cache.set(m, s.lineages.get(m));
  return cache.get(m) ?? null;
}

// Splits the epoch's budget across its model versions by usage. O(models in the epoch) (at most MAX_EPOCH_MODELS),
// whatever the number of creators and datasets: each model version's part only moves two accumulators of its
// lineage (and one of its parent's). Every credit is rounded down to what divides exactly among 10,000 bps (and
// among the model's dataset slots); the rounding remainders, and the parts of model versions with no complete
// lineage, stay unallocated and roll into the next epoch's budget.
export function closeEpoch(s: PoolState, epoch: number) {
  if (!isSafeInt(epoch, 0, MAX_EPOCH)) fail("ERR_INVALID_EPOCH");
  const rec = s.epochs.get(String(epoch));
  if (rec === null) fail("ERR_UNKNOWN_EPOCH", String(epoch));
  if (rec.status === "Closed") fail("ERR_EPOCH_CLOSED", String(epoch));
  const end = (BigInt(epoch) + 1n) * BigInt(s.policy.epoch_length_ns);
  if (near.blockTimestamp() < end) fail("ERR_EPOCH_NOT_ENDED", `closes at ${end}`);

  const models = Object.keys(rec.usage).sort();
  let totalUsage = 0n;
  for (const m of models) totalUsage += BigInt(rec.usage[m]);
  const reserve = CLOSE_STORAGE_BASE + CLOSE_STORAGE_PER_MODEL * BigInt(models.length);
  const budget = (spendable(s, reserve) * BigInt(s.policy.release_bps)) / BPS_N;
  const p = s.policy;
  const cache = new Map<string, Lineage | null>();
  const allocations: Allocation[] = [];
  let distributed = 0n;
  rec.allocation_from = s.allocations.length;

  for (const m of models) {
    const usage = rec.usage[m];
    const amount = totalUsage > 0n ? (budget * BigInt(usage)) / totalUsage : 0n;
    const lin = loadLineage(s, cache, m);
    let toModel = 0n;
    let toData = 0n;
    let toParent = 0n;
    let parent: string | null = null;
    if (lin?.complete && amount > 0n) {
      let modelPart = amount;
      const parentPart = (amount * BigInt(p.parent_bps)) / BPS_N;
      const dataPart = (amount * BigInt(p.data_bps)) / BPS_N;
      modelPart -= parentPart + dataPart;
      // a share with no one to receive it (no registered parent, no datasets) goes to the model's creators
      const pl = lin.parent === null ? null : loadLineage(s, cache, lin.parent);
      if (pl?.complete) {
        toParent = parentPart - (parentPart % BPS_N);
        pl.creator_acc = (BigInt(pl.creator_acc) + toParent).toString();
        parent = lin.parent;
      } else {
        modelPart += parentPart;
      }
      if (lin.datasets > 0) {
        const slots = BigInt(lin.datasets);
        const slot = (dataPart / (slots * BPS_N)) * BPS_N;
        toData = slot * slots;
        lin.slot_acc = (BigInt(lin.slot_acc) + slot).toString();
      } else {
        modelPart += dataPart;
      }
      toModel = modelPart - (modelPart % BPS_N);
      lin.creator_acc = (BigInt(lin.creator_acc) + toModel).toString();
    }
    const credited = toModel + toData + toParent;
    distributed += credited;
    const a: Allocation = {
      index: s.allocations.length,
      epoch,
      model: m,
      usage,
      amount: amount.toString(),
      to_model_creators: toModel.toString(),
      to_datasets: toData.toString(),
      to_parent: toParent.toString(),
      parent,
      remainder: (amount - credited).toString(),
    };
    s.allocations.push(a);
    allocations.push(a);
  }
  for (const [m, lin] of cache) if (lin !== null) s.lineages.set(m, lin);
  addTotal(s, "unallocated", -distributed);
  addTotal(s, "allocated", distributed);

  rec.status = "Closed";
  rec.budget = budget.toString();
  rec.distributed = distributed.toString();
  rec.remainder = (budget - distributed).toString();
  rec.policy_version = s.policy_version;
  rec.closed_at = now();
  rec.allocation_to = s.allocations.length;
  s.epochs.set(String(epoch), rec);
  settleStorage(s, 0n);
  emit("epoch_closed", [
    {
      epoch,
      budget: rec.budget,
      distributed: rec.distributed,
      remainder: rec.remainder,
      policy_version: rec.policy_version,
      allocations: allocations.map((x) => ({
        model: x.model,
        usage: x.usage,
        amount: x.amount,
        to_model_creators: x.to_model_creators,
        to_datasets: x.to_datasets,
        to_parent: x.to_parent,
        parent: x.parent,
      })),
    },
  ]);
  return { epoch, budget: rec.budget, distributed: rec.distributed, remainder: rec.remainder };
}
