// The one message the inference verifier sends to the reward pool (reward_pool.on_usage_report), and the bounds both
// contracts apply to it. The verifier splits an epoch's usage into parts of at most USAGE_PART_MODELS model entries
// and USAGE_PART_ATTESTERS attester entries (summed over the part's models); the pool accepts them in order and
// counts the epoch as reported when all `parts` have arrived. docs/verifier.md, docs/rewards.md.

export const USAGE_PART_MODELS = 32;
export const USAGE_PART_ATTESTERS = 64;
// model versions in one epoch: the verifier refuses receipts for one more, the pool a report with one more, so an
// epoch the verifier recorded always fits the pool (a close is O(model versions of the epoch))
export const USAGE_EPOCH_MODELS = 32;
// an epoch's report has at most this many parts (65,536 x 64 attester entries)
export const USAGE_MAX_PARTS = 65536;

// Gas the verifier attaches to on_usage_report for one part: its report_gas_tgas setting (default 30) plus this much
// per attester entry, rounded up. Measured in the pool (sandbox-tests/rewards/full-part-gas.test.ts, attesters all new
// to the pool, 64-character ids): a full part (64 entries over 32 models) burns 79.1 Tgas at protocol 86 (66.8 at
// protocol 77: Wasmtime's per-call and per-loop-iteration metering costs QuickJS ~18% more) and gets 30 + 80 = 110,
// 28% to spare; a flat 30 Tgas fits only ~25 entries.
export const REPORT_TGAS_PER_ENTRY = 1.25;

export function reportGasTgas(base: number, part: UsageReportPart): number {
  let entries = 0;
  for (const u of part.usage) entries += u.attester_counts.length;
  return Math.ceil(base + REPORT_TGAS_PER_ENTRY * entries);
}

export interface UsageAttesterCount {
  attester_id: string;
  receipts: number;
}

export interface UsageModelEntry {
  model_name: string;
  model_version: string;
  weights_sha256: string;
  // accepted, unvoided receipts of this model version in this part: the sum of attester_counts
  receipts: number;
  attester_counts: UsageAttesterCount[];
}

export interface UsageReportPart {
  community: string;
  epoch: number;
  epoch_start_ns: string;
  epoch_end_ns: string;
  // 0-based index of this part and the number of parts of the epoch's report
  part: number;
  parts: number;
  usage: UsageModelEntry[];
}

// The fields of each level, exactly: the pool refuses a part with any other field or without one of these.
export const USAGE_REPORT_FIELDS: (keyof UsageReportPart)[] = [
  "community",
  "epoch",
  "epoch_start_ns",
  "epoch_end_ns",
  "part",
  "parts",
  "usage",
];
export const USAGE_MODEL_FIELDS: (keyof UsageModelEntry)[] = [
  "model_name",
  "model_version",
  "weights_sha256",
  "receipts",
  "attester_counts",
];
export const USAGE_ATTESTER_FIELDS: (keyof UsageAttesterCount)[] = ["attester_id", "receipts"];

// Beside a part's fields, on_usage_report takes `payer`: who attached the deposit to report_usage (the verifier
// forwards it). The pool pays the records a part adds from its surplus first, then from this deposit, last from
// unallocated funds, and sends what it did not use to `payer`; without it (an older verifier) the pool's funds pay.
// A keeper's deposit is what keeps reports going while the pool has no unallocated funds (between grants).
export const USAGE_REPORT_PAYER = "payer";

// Bytes the pool reserves for a part's own bookkeeping (the epoch record, the report key, the attesters' accounts):
// an upper bound of what the part stores.
export const REPORT_STORAGE_BASE = 400n;
export const REPORT_STORAGE_PER_ITEM = 250n;

// What `usage report` attaches to report_usage for one part: the bound of its records at NEAR's byte price
// (10^19 yocto). A part of one model and one attester: 0.009 NEAR; a full part (32 models, 64 attesters): 0.244.
// The most report_usage takes (a full part needs 0.244 NEAR): the verifier forwards a failed part's deposit to its
// payer from its callback, which may run before the refund receipt lands, so an unbounded one could exceed what the
// verifier holds beyond the bonds.
export const MAX_REPORT_DEPOSIT = 1_000_000_000_000_000_000_000_000n;

export function reportDeposit(part: UsageReportPart): bigint {
  let attesters = 0;
  for (const u of part.usage) attesters += u.attester_counts.length;
  return (REPORT_STORAGE_BASE + REPORT_STORAGE_PER_ITEM * BigInt(part.usage.length + attesters)) * 10n ** 19n;
}

// Splits per-model attester counts (in the given order) into parts within both bounds. A model whose attesters do
// not fit the current part continues in the next one, with its receipts split accordingly.
export function splitUsage(
  models: { model_name: string; model_version: string; weights_sha256: string; counts: UsageAttesterCount[] }[],
): UsageModelEntry[][] {
  const parts: UsageModelEntry[][] = [];
  let cur: UsageModelEntry[] = [];
  let entries = 0;
  for (const m of models) {
    let i = 0;
    while (i < m.counts.length) {
      if (cur.length === USAGE_PART_MODELS || entries === USAGE_PART_ATTESTERS) {
        parts.push(cur);
        cur = [];
        entries = 0;
      }
      const take = Math.min(USAGE_PART_ATTESTERS - entries, m.counts.length - i);
      const counts = m.counts.slice(i, i + take);
      let receipts = 0;
      for (const c of counts) receipts += c.receipts;
      cur.push({
        model_name: m.model_name,
        model_version: m.model_version,
        weights_sha256: m.weights_sha256,
        receipts,
        attester_counts: counts,
      });
      entries += take;
      i += take;
    }
  }
  if (cur.length > 0) parts.push(cur);
  return parts;
}

// One model version's part of a closed epoch's budget and how it was credited (the pool's Allocation record holds
// these and its place; the epoch_closed event lists them).
export interface AllocationSplit {
  model: string;
  usage: number;
  amount: string;
  to_model_creators: string;
  to_datasets: string;
  to_parent: string;
  parent: string | null;
}
