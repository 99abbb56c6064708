import { near } from "near-sdk-js";
import { fail } from "../shared/errors";
import { assertOneYocto, sendNear, storageCost } from "../shared/storage";
import { assertAccountId, parseAmount } from "../shared/validate";
import type { PoolState } from "./state";
import { settle } from "./ledger";
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
  emit("storage_withdraw", [{ account_id: id, amount: want.toString(), total: st.total }]);
  return balanceView(st);
}

// NEP-145: unregisters the caller and sends back its storage balance with the attached yocto. Returns false (the
// yocto back, nothing else) when the caller is not registered. Refused while one of its claims is in flight
// (ERR_CLAIM_IN_FLIGHT, even with `force`): the claim's callback writes to the records this balance pays for. An
// account with something to claim is refused (ERR_STORAGE_HAS_BALANCE) unless `force` is exactly true: then what it
// could claim is forfeited to the pool's unallocated funds (the next epochs' budget; never to the caller), and only
// what is already owed: its positions keep earning from later epochs. The claim history it paid for stays (the pool's
// record of payments): that part of `used` is kept, the rest comes back. docs/rewards.md.
export function storageUnregister(s: PoolState, force: unknown): boolean {
  assertOneYocto();
  const id = near.predecessorAccountId();
  const st = s.storage.get(id);
  if (st === null) {
    sendNear(id, 1n);
    return false;
  }
  const before = near.storageUsage();
  let forfeited = 0n;
  const a = s.accounts.get(id);
  if (a !== null) {
    if (BigInt(a.in_flight) > 0n) fail("ERR_CLAIM_IN_FLIGHT", `${a.in_flight} yoctoNEAR; retry once it settles`);
    const owed = settle(s, a, false);
    if (owed > 0n) {
      if (force !== true) fail("ERR_STORAGE_HAS_BALANCE", `${owed} yoctoNEAR to claim; claim it, or force forfeits it`);
      settle(s, a, true);
      a.owed = "0";
      s.accounts.set(id, a);
      addTotal(s, "allocated", -owed);
      addTotal(s, "unallocated", owed);
      forfeited = owed;
    }
  }
  s.storage.remove(id);
  const after = near.storageUsage();
  const used = BigInt(st.used);
  const free = BigInt(st.total) - used;
  // what the removal released comes back, up to what the account paid; growth (settled positions) it pays itself
  let back = after < before ? storageCost(before - after) : -storageCost(after - before);
  if (back > used) back = used;
  if (free + back < 0n) fail("ERR_STORAGE_BALANCE", `the settlement needs ${-back}, available ${free}`);
  const refund = free + back;
  addTotal(s, "storage_free", -free);
  sendNear(id, refund + 1n);
  emit("storage_unregister", [
    {
      account_id: id,
      total: st.total,
      refund: refund.toString(),
      kept: (BigInt(st.total) - refund).toString(),
      forfeited: forfeited.toString(),
    },
  ]);
  return true;
}

export function balanceView(st: StorageRecord | null) {
  if (st === null) return null;
  const available = BigInt(st.total) - BigInt(st.used);
  return { total: st.total, available: (available > 0n ? available : 0n).toString() };
}
