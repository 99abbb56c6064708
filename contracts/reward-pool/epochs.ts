import { near } from "near-sdk-js";
import { fail } from "../shared/errors";
import {
  USAGE_ATTESTER_FIELDS,
  USAGE_MAX_PARTS,
  USAGE_MODEL_FIELDS,
  USAGE_PART_ATTESTERS,
  USAGE_PART_MODELS,
  USAGE_REPORT_FIELDS,
  USAGE_REPORT_PAYER,
} from "../wire/usage-report";
import { assertAccountId, isHexHash, isSafeInt, isU64String } from "../shared/validate";
import { checkModel } from "./lineage";
import type { PoolState } from "./state";
import { addTotal, creditAccount, emit, now, settleStorage, spendable } from "./state";
import type { Allocation, EpochRecord, Lineage } from "./types";
import {
  BPS_N,
  CLOSE_STORAGE_BASE,
  CLOSE_STORAGE_PER_MODEL,
  MAX_EPOCH,
  MAX_EPOCH_MODELS,
  MAX_OPEN_EPOCHS,
  MAX_RECEIPTS,
  REPORT_STORAGE_BASE,
  REPORT_STORAGE_PER_ITEM,
} from "./types";
import { onlyCaller } from "../shared/access";
import { sendNear } from "../shared/storage";

function newEpoch(epoch: number, parts: number): EpochRecord {
  return {
    v: 1,
    epoch,
    status: "Open",
    usage: {},
    total_receipts: 0,
    attester_receipts: 0,
    attester_paid: "0",
    reports: 0,
    parts,
    budget: "0",
    distributed: "0",
    remainder: "0",
    policy_version: 0,
    closed_at: null,
    allocation_from: 0,
    allocation_to: 0,
  };
}

function checkReceipts(n: unknown, min: number): number {
  if (!isSafeInt(n, min, MAX_RECEIPTS)) fail("ERR_INVALID_RECEIPTS");
  return n;
}

// Exactly these fields, all present: the report has one shape, and a field the pool would ignore is refused.
function checkFields(o: unknown, fields: string[], what: string): Record<string, unknown> {
  if (o === null || typeof o !== "object" || Array.isArray(o)) fail("ERR_INVALID_REPORT", `${what} not an object`);
  const r = o as Record<string, unknown>;
  for (const k in r) if (fields.indexOf(k) < 0) fail("ERR_INVALID_REPORT", `${what}: unknown field ${k}`);
  for (const k of fields) if (r[k] === undefined) fail("ERR_INVALID_REPORT", `${what}: missing ${k}`);
  return r;
}

interface CheckedPart {
  epoch: number;
  part: number;
  parts: number;
  models: { key: string; receipts: number }[];
  attesters: Map<string, number>;
}

// Validates one part of the verifier's report (contracts/wire/usage-report.ts) before anything is read or written.
function checkPart(input: unknown): CheckedPart {
  if (input === null || typeof input !== "object" || Array.isArray(input)) fail("ERR_INVALID_REPORT");
  const epoch = (input as Record<string, unknown>).epoch;
  if (!isSafeInt(epoch, 0, MAX_EPOCH)) fail("ERR_INVALID_EPOCH");
  const r = checkFields(input, USAGE_REPORT_FIELDS, "report");
  assertAccountId(r.community, "community");
  if (!isU64String(r.epoch_start_ns) || !isU64String(r.epoch_end_ns)) fail("ERR_INVALID_REPORT", "epoch bounds");
  const start = BigInt(r.epoch_start_ns);
  const end = BigInt(r.epoch_end_ns);
  if (end <= start || start !== BigInt(epoch) * (end - start)) fail("ERR_INVALID_REPORT", "epoch bounds");
  if (near.blockTimestamp() < end) fail("ERR_EPOCH_NOT_ENDED", `ends at ${end}`);
  const parts = r.parts;
  if (!isSafeInt(parts, 1, USAGE_MAX_PARTS)) fail("ERR_INVALID_PART", "parts");
  const part = r.part;
  if (!isSafeInt(part, 0, parts - 1)) fail("ERR_INVALID_PART", "part");
  const usage = r.usage;
  if (!Array.isArray(usage)) fail("ERR_INVALID_REPORT", "usage");
  if (usage.length === 0) fail("ERR_EMPTY_REPORT");
  if (usage.length > USAGE_PART_MODELS) fail("ERR_BATCH_SIZE", `at most ${USAGE_PART_MODELS} models a part`);
  const models: { key: string; receipts: number }[] = [];
  const seen: Record<string, boolean> = {};
  const attesters = new Map<string, number>();
  let entries = 0;
  for (const u of usage) {
    const m = checkFields(u, USAGE_MODEL_FIELDS, "usage entry");
    const key = checkModel(m.model_name, m.model_version);
    if (seen[key]) fail("ERR_INVALID_REPORT", `${key} twice`);
    seen[key] = true;
    if (!isHexHash(m.weights_sha256)) fail("ERR_INVALID_REPORT", "weights_sha256");
    const receipts = checkReceipts(m.receipts, 1);
    const counts = m.attester_counts;
    if (!Array.isArray(counts) || counts.length === 0) fail("ERR_INVALID_REPORT", "attester_counts");
    entries += counts.length;
    if (entries > USAGE_PART_ATTESTERS)
      fail("ERR_BATCH_SIZE", `at most ${USAGE_PART_ATTESTERS} attester entries a part`);
    const mine: Record<string, boolean> = {};
    let sum = 0;
    for (const c of counts) {
      const a = checkFields(c, USAGE_ATTESTER_FIELDS, "attester count");
      const id = assertAccountId(a.attester_id, "attester_id");
      if (mine[id]) fail("ERR_INVALID_REPORT", `${id} twice for ${key}`);
      mine[id] = true;
      const n = checkReceipts(a.receipts, 1);
      sum += n;
      attesters.set(id, (attesters.get(id) ?? 0) + n);
    }
    if (sum !== receipts) fail("ERR_INVALID_REPORT", `${key}: receipts ${receipts} but attester_counts sum to ${sum}`);
    models.push({ key, receipts });
  }
  return { epoch, part, parts, models, attesters };
}

// One part of an epoch's accepted usage from the verifier. O(models + attester entries in the part), both bounded
// by the shared constants the verifier splits by. Parts are accepted in order (0, 1, ...); the epoch can be closed
// once all have arrived. Attesters are paid their fee per receipt here, from unallocated funds (pro rata when those
// fall short). A part already received is a no-op that succeeds, so the verifier can retry one whose outcome it
// did not see.
export function onUsageReport(s: PoolState, args: object) {
  onlyCaller(s.verifier_id, "ERR_NOT_VERIFIER");
  // the envelope's payer (wire/usage-report.ts USAGE_REPORT_PAYER) is not part of the report
  const { [USAGE_REPORT_PAYER]: payerArg, ...input } = args as Record<string, unknown>;
  const payer = payerArg === undefined ? near.predecessorAccountId() : assertAccountId(payerArg, "payer");
  const { epoch, part, parts, models, attesters } = checkPart(input);

  const key = `${epoch}:${part}`;
  if (s.reports.get(key) !== null) {
    sendNear(payer, near.attachedDeposit());
    return { epoch, part, parts, duplicate: true, attester_paid: "0" };
  }
  const existing = s.epochs.get(String(epoch));
  const rec = existing ?? newEpoch(epoch, parts);
  if (rec.status === "Closed") fail("ERR_EPOCH_CLOSED", String(epoch));
  if (rec.parts !== parts) fail("ERR_PARTS_MISMATCH", `the report has ${rec.parts} parts`);
  if (part !== rec.reports) fail("ERR_PART_OUT_OF_ORDER", `expected part ${rec.reports}`);
  if (existing === null) {
    if (s.open_epochs.length >= MAX_OPEN_EPOCHS) fail("ERR_TOO_MANY_OPEN_EPOCHS", `close an epoch first`);
    let i = s.open_epochs.length;
    while (i > 0 && s.open_epochs[i - 1] > epoch) i--;
    s.open_epochs.splice(i, 0, epoch);
  }

  let receipts = 0;
  for (const m of models) {
    rec.usage[m.key] = (rec.usage[m.key] ?? 0) + m.receipts;
    receipts += m.receipts;
  }
  if (Object.keys(rec.usage).length > MAX_EPOCH_MODELS) fail("ERR_TOO_MANY_MODELS", `at most ${MAX_EPOCH_MODELS}`);

  let attesterReceipts = 0n;
  for (const n of attesters.values()) attesterReceipts += BigInt(n);
  const fee = BigInt(s.policy.attester_fee);
  const reserve = REPORT_STORAGE_BASE + REPORT_STORAGE_PER_ITEM * BigInt(models.length + attesters.size);
  const available = spendable(s, reserve);
  // fee per receipt actually paid: the policy fee, or an equal share of what is left when funds run short
  const rate = fee * attesterReceipts <= available ? fee : available / attesterReceipts;
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
  if (existing === null) s.epoch_list.push(epoch);
  s.epochs.set(String(epoch), rec);
  s.reports.set(key, s.epoch_list.length);
  // the surplus pays first, then the payer's deposit, last unallocated funds; the rest of the deposit goes back
  sendNear(payer, settleStorage(s, near.attachedDeposit()));
  emit("usage_reported", [
    {
      epoch,
      part,
      parts,
      complete: rec.reports === parts,
      receipts,
      models: models.length,
      fee_per_receipt: rate.toString(),
      payouts,
    },
  ]);
  return { epoch, part, parts, duplicate: false, attester_paid: paid.toString() };
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
  if (rec.reports < rec.parts) fail("ERR_REPORT_INCOMPLETE", `${rec.reports} of ${rec.parts} parts received`);
  // epochs close in order: the earliest reported epoch still open first
  if (s.open_epochs[0] !== epoch) fail("ERR_EPOCH_ORDER", `close epoch ${s.open_epochs[0]} first`);

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
      v: 1,
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

  s.open_epochs.shift();
  rec.status = "Closed";
  rec.budget = budget.toString();
  rec.distributed = distributed.toString();
  rec.remainder = (budget - distributed).toString();
  rec.policy_version = s.policy_version;
  rec.closed_at = now();
  rec.allocation_to = s.allocations.length;
  s.epochs.set(String(epoch), rec);
  // a keeper's deposit pays the bookkeeping when the pool's surplus cannot: epochs keep closing between grants even
  // when the policy releases everything unallocated (release_bps 10000)
  const refund = settleStorage(s, near.attachedDeposit());
  if (refund > 0n) sendNear(near.predecessorAccountId(), refund);
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
