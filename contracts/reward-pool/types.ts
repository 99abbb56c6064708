// Records of the creator reward pool. All amounts are yoctoNEAR as decimal strings (u128 does not fit a JSON number);
// counts and basis points are plain numbers. docs/rewards.md explains the accounting.

import { type AllocationSplit, USAGE_EPOCH_MODELS } from "../wire/usage-report";

export type { RewardPolicy } from "../wire/reward-policy";

export const STANDARD = "ai-commons-rewards";
export const EVENT_VERSION = "1.0.0";
export const BPS = 10000;
export const BPS_N = 10000n;

// Bounds that keep every call's gas independent of how many creators and datasets exist (docs/rewards.md).
// (per part of a usage report: contracts/wire/usage-report.ts, the same bounds the verifier splits by)
export const MAX_EPOCH_MODELS = USAGE_EPOCH_MODELS;
// reported epochs not yet closed; a report opening one more waits (ERR_TOO_MANY_OPEN_EPOCHS) until one closes
export const MAX_OPEN_EPOCHS = 64;
export const MAX_POSITIONS = 256;
export const MAX_RECEIPTS = 1000000000;
export const MAX_EPOCH = 4294967295;

// Bytes reserved up front for a report's / a close's own bookkeeping records, so the budget handed out never leaves
// too little to pay for the records that describe it.
export { REPORT_STORAGE_BASE, REPORT_STORAGE_PER_ITEM } from "../wire/usage-report";
export const CLOSE_STORAGE_BASE = 400n;
export const CLOSE_STORAGE_PER_MODEL = 450n;
// A claim's callback may grow the claimer's records a little; a claim keeps this much storage balance free for it.
export const CALLBACK_STORAGE_RESERVE = 64n;
export const STORAGE_MIN_BYTES = 1000n;

export const CLAIM_CALLBACK_GAS = 15n * 10n ** 12n;

export interface Totals {
  // funds that entered the pool (deposits net of their record's storage)
  deposited: string;
  // funds not yet assigned to anyone
  unallocated: string;
  // funds credited to creators (through accumulators) or attesters, less what forced unregistrations forfeited
  allocated: string;
  // transfers that succeeded
  claimed: string;
  // transfers sent and not yet confirmed by on_claim_transfer
  in_flight: string;
  // bookkeeping storage (reports, epochs, allocations, lineage shortfall) paid out of unallocated funds
  storage_charged: string;
  // sum of the free part of NEP-145 storage balances (owned by the depositors, not reward funds)
  storage_free: string;
}

export interface DepositRecord {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  index: number;
  source: string;
  amount: string;
  memo: string | null;
  at: string;
}

export type EpochStatus = "Open" | "Closed";

export interface EpochRecord {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  epoch: number;
  status: EpochStatus;
  // model key (`name@version`) -> accepted receipts
  usage: Record<string, number>;
  total_receipts: number;
  attester_receipts: number;
  attester_paid: string;
  // parts of the verifier's report received (in order) out of `parts`; the epoch closes once all arrived
  reports: number;
  parts: number;
  budget: string;
  distributed: string;
  remainder: string;
  policy_version: number;
  closed_at: string | null;
  // [allocation_from, allocation_to) in the allocations vector
  allocation_from: number;
  allocation_to: number;
}

// One model version's share of a closed epoch (its split is what the epoch_closed event lists).
export interface Allocation extends AllocationSplit {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  index: number;
  epoch: number;
  // amount - credited: rounding and unregistered lineage; stays unallocated
  remainder: string;
}

export interface Lineage {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  model: string;
  parent: string | null;
  total_parts: number;
  parts: number;
  // bitmap of the parts received, one char per part ("0"/"1"): bounded by MAX_PARTS
  received: string;
  model_bps: number;
  datasets: number;
  datasets_complete: number;
  complete: boolean;
  // accumulators: total yocto credited to 10,000 bps of model creators, and to each dataset slot (one per dataset)
  creator_acc: string;
  slot_acc: string;
}

// role "m": a model creator's weight (bps); role "d": the sum of the account's bps over the model's datasets
export interface Position {
  m: string;
  r: "m" | "d";
  w: number;
  // accumulator value already settled into `owed`
  s: string;
}

export interface AccountRecord {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  owed: string;
  claimed: string;
  in_flight: string;
  positions: Position[];
}

export type ClaimStatus = "Pending" | "Paid" | "Failed";

export interface ClaimRecord {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  index: number;
  account_id: string;
  amount: string;
  status: ClaimStatus;
  at: string;
}

export interface StorageRecord {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  total: string;
  used: string;
}
