import { near } from "near-sdk-js";
import { fail } from "../shared/errors";
import { assertOneYocto, sendNear, storageCost } from "../shared/storage";
import { assertAccountId, parseAmount } from "../shared/validate";
import type { PoolState } from "./state";
import { addTotal, emit, now } from "./state";
import type { StorageRecord } from "./types";
import { STORAGE_MIN_BYTES } from "./types";

const MAX_MEMO = 256;

// Anyone adds to the pool (DAO treasury through a FunctionCall proposal, inference fees, gifts). The deposit record's
// own storage is paid from the deposit; the rest becomes unallocated funds. O(1).
export function deposit(s: PoolState, memo: unknown) {
  const attached = near.attachedDeposit();
  if (attached === 0n) fail("ERR_ZERO_DEPOSIT");
  if (memo !== undefined && memo !== null && (typeof memo !== "string" || memo.length > MAX_MEMO)) {
    fail("ERR_INVALID_MEMO", `a string of at most ${MAX_MEMO} characters`);
  }
  const before = near.storageUsage();
  const source = near.predecessorAccountId();
  const index = s.deposits.length;
  s.deposits.push({ v: 1, index, source, amount: attached.toString(), memo: (memo as string) ?? null, at: now() });
  const cost = storageCost(near.storageUsage() - before);
  if (attached <= cost) fail("ERR_DEPOSIT_TOO_LOW", `the deposit record alone costs ${cost}`);
  const net = attached - cost;
  addTotal(s, "deposited", net);
  addTotal(s, "unallocated", net);
  emit("deposit", [{ index, source, amount: attached.toString(), net: net.toString(), memo: memo ?? null }]);
  return { index, net: net.toString() };
}

export function storageMin(): bigint {
  return storageCost(STORAGE_MIN_BYTES);
}

// NEP-145: a claimer's records (claim history, its share of the account record) are paid from this balance.
export function storageDeposit(s: PoolState, accountId: unknown, registrationOnly: unknown) {
  const id = accountId === undefined || accountId === null ? near.predecessorAccountId() : assertAccountId(accountId);
  const attached = near.attachedDeposit();
  let st = s.storage.get(id);
  const min = storageMin();
  if (st === null) {
    if (attached < min) fail("ERR_DEPOSIT_TOO_LOW", `at least ${min}`);
    const keep = registrationOnly === true ? min : attached;
    const before = near.storageUsage();
    st = { v: 1, total: keep.toString(), used: "0" };
    s.storage.set(id, st);
    // the registration record itself uses part of the balance
    st.used = storageCost(near.storageUsage() - before + 8n).toString();
    s.storage.set(id, st);
    addTotal(s, "storage_free", keep - BigInt(st.used));
    sendNear(near.predecessorAccountId(), attached - keep);
  } else if (registrationOnly === true) {
    sendNear(near.predecessorAccountId(), attached);
  } else {
    if (attached === 0n) fail("ERR_ZERO_DEPOSIT");
    st.total = (BigInt(st.total) + attached).toString();
    s.storage.set(id, st);
    addTotal(s, "storage_free", attached);
  }
  emit("storage_deposit", [{ account_id: id, total: st.total, used: st.used }]);
  return balanceView(st);
}

export function storageWithdraw(s: PoolState, amount: unknown) {
  assertOneYocto();
  const id = near.predecessorAccountId();
  const st = s.storage.get(id);
  if (st === null) fail("ERR_STORAGE_NOT_REGISTERED");
  const free = BigInt(st.total) - BigInt(st.used);
  const want = amount === undefined || amount === null ? free : parseAmount(amount, "amount");
  if (want > free) fail("ERR_STORAGE_WITHDRAW", `available ${free}`);
  st.total = (BigInt(st.total) - want).toString();
  s.storage.set(id, st);
  addTotal(s, "storage_free", -want);
  // the attached yocto comes back too
  sendNear(id, want + 1n);
  return balanceView(st);
}

export function balanceView(st: StorageRecord | null) {
  if (st === null) return null;
  const available = BigInt(st.total) - BigInt(st.used);
  return { total: st.total, available: (available > 0n ? available : 0n).toString() };
}
