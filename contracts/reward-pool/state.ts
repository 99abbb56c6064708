import { near } from "near-sdk-js";
import type { JsonMap, JsonVector } from "../shared/json-store";
import { fail } from "../shared/errors";
import { eventEmitter } from "../shared/events";
import { stateRecordGrowth, storageCost } from "../shared/storage";
import type {
  AccountRecord,
  Allocation,
  ClaimRecord,
  DepositRecord,
  EpochRecord,
  Lineage,
  RewardPolicy,
  StorageRecord,
  Totals,
} from "./types";
import { EVENT_VERSION, STANDARD } from "./types";

// What every module sees of the contract. STATE (the plain fields) stays small; everything that grows is a collection.
export interface PoolState {
  dao_id: string;
  verifier_id: string;
  model_registry_id: string;
  policy: RewardPolicy;
  policy_version: number;
  totals: Totals;
  deposits: JsonVector<DepositRecord>;
  epochs: JsonMap<EpochRecord>;
  epoch_list: JsonVector<number>;
  // reported epochs not yet closed, ascending: they close in this order
  open_epochs: number[];
  reports: JsonMap<number>;
  allocations: JsonVector<Allocation>;
  lineages: JsonMap<Lineage>;
  dataset_bps: JsonMap<number>;
  accounts: JsonMap<AccountRecord>;
  claims: JsonVector<ClaimRecord>;
  // `#account` -> number of claims; `account/i` -> index of its i-th claim in `claims`
  account_claims: JsonMap<number>;
  storage: JsonMap<StorageRecord>;
}

export const emit = eventEmitter(STANDARD, EVENT_VERSION);

export type TotalKey = keyof Totals;

export function total(s: PoolState, key: TotalKey): bigint {
  return BigInt(s.totals[key]);
}

export function addTotal(s: PoolState, key: TotalKey, delta: bigint): void {
  const v = BigInt(s.totals[key]) + delta;
  // a negative total is an accounting bug: refuse the call rather than store it
  if (v < 0n) fail("ERR_INTERNAL", `${key} below zero`);
  s.totals[key] = v.toString();
}

export function emptyAccount(): AccountRecord {
  return { v: 1, owed: "0", claimed: "0", in_flight: "0", positions: [] };
}

export function getAccount(s: PoolState, id: string): AccountRecord {
  return s.accounts.get(id) ?? emptyAccount();
}

// Credits an amount straight to an account (attester fees, restored claims).
export function creditAccount(s: PoolState, id: string, amount: bigint): void {
  const a = getAccount(s, id);
  a.owed = (BigInt(a.owed) + amount).toString();
  s.accounts.set(id, a);
}

// No call grows the pool's state record by more than this (its totals and open epochs change by a few digits).
const STATE_GROWTH_BOUND = 512n;

// After a call that added bookkeeping storage, keeps the pool solvent: the balance less the storage stake must cover
// unallocated funds, everything claimable and the free storage balances. The `attached` yocto that came with this
// call are refunded unless the new storage needs them; next the surplus (balance the pool holds above what it owes,
// e.g. left by the factory) pays; last, unallocated funds. Returns the amount to refund.
export function settleStorage(s: PoolState, attached: bigint): bigint {
  const claimable = total(s, "allocated") - total(s, "claimed") - total(s, "in_flight");
  const required = total(s, "unallocated") + claimable + total(s, "storage_free");
  let free = near.accountBalance() - storageCost(near.storageUsage()) - required;
  // The contract's own state record is written after the call returns: its growth counts too (storage audit F6).
  // Measuring it serializes the state (~0.5 Tgas), so only when the margin could be smaller than that growth.
  if (free < attached + storageCost(STATE_GROWTH_BOUND)) free -= storageCost(stateRecordGrowth(s));
  if (free >= attached) return attached;
  if (free >= 0n) return free;
  const short = -free;
  if (total(s, "unallocated") < short) fail("ERR_INSUFFICIENT_FUNDS", `storage needs ${short} more yoctoNEAR`);
  addTotal(s, "unallocated", -short);
  addTotal(s, "storage_charged", short);
  return 0n;
}

// Unallocated funds less a storage reserve of `bytes`: what a report or a close may hand out.
export function spendable(s: PoolState, bytes: bigint): bigint {
  const u = total(s, "unallocated");
  const reserve = storageCost(bytes);
  return u > reserve ? u - reserve : 0n;
}

export function now(): string {
  return near.blockTimestamp().toString();
}
