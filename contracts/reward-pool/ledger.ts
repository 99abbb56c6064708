import { near } from "near-sdk-js";
import { fail } from "../shared/errors";
import { callbackSucceeded, storageCost } from "../shared/storage";
import type { PoolState } from "./state";
import { addTotal, emit, now } from "./state";
import type { AccountRecord, ClaimRecord, Lineage } from "./types";
import { BPS_N, CALLBACK_STORAGE_RESERVE, CLAIM_CALLBACK_GAS } from "./types";

// What an account is owed: its settled `owed` plus, for each position, weight x (accumulator - settled) / 10,000.
// Exact: accumulators only ever grow by multiples of 10,000. O(positions of the account), one lineage read each.
export function settle(s: PoolState, a: AccountRecord, write: boolean): bigint {
  let owed = BigInt(a.owed);
  const cache = new Map<string, Lineage | null>();
  for (const p of a.positions) {
    if (!cache.has(p.m)) cache.set(p.m, s.lineages.get(p.m));
    const lin = cache.get(p.m);
    if (!lin) continue;
    const acc = BigInt(p.r === "m" ? lin.creator_acc : lin.slot_acc);
    const settled = BigInt(p.s);
    if (acc === settled) continue;
    owed += ((acc - settled) * BigInt(p.w)) / BPS_N;
    if (write) p.s = acc.toString();
  }
  if (write) a.owed = owed.toString();
  return owed;
}

export function claimableOf(s: PoolState, accountId: string): bigint {
  const a = s.accounts.get(accountId);
  return a === null ? 0n : settle(s, a, false);
}

// Pays the caller everything it is owed: one transfer promise, then on_claim_transfer. The amount leaves `owed`
// now and is counted in flight until the callback settles it (paid, or restored when the transfer failed).
export function claim(s: PoolState) {
  const id = near.predecessorAccountId();
  const a = s.accounts.get(id);
  if (a === null) fail("ERR_NOTHING_TO_CLAIM");
  const amount = settle(s, a, true);
  if (amount === 0n) fail("ERR_NOTHING_TO_CLAIM");
  const st = s.storage.get(id);
  if (st === null) fail("ERR_STORAGE_NOT_REGISTERED", "call storage_deposit first");
  const before = near.storageUsage();

  a.owed = "0";
  a.in_flight = (BigInt(a.in_flight) + amount).toString();
  const index = s.claims.length;
  const c: ClaimRecord = { v: 1, index, account_id: id, amount: amount.toString(), status: "Pending", at: now() };
  s.claims.push(c);
  const n = s.account_claims.get(`#${id}`) ?? 0;
  s.account_claims.set(`${id}/${n}`, index);
  s.account_claims.set(`#${id}`, n + 1);
  s.accounts.set(id, a);
  addTotal(s, "in_flight", amount);

  // the claimer's records are paid from its NEP-145 storage balance, keeping a little free for the callback
  const after = near.storageUsage();
  const cost = after > before ? storageCost(after - before) : 0n;
  const free = BigInt(st.total) - BigInt(st.used);
  if (cost + storageCost(CALLBACK_STORAGE_RESERVE) > free) {
    fail("ERR_STORAGE_BALANCE", `needs ${cost + storageCost(CALLBACK_STORAGE_RESERVE)}, available ${free}`);
  }
  st.used = (BigInt(st.used) + cost).toString();
  s.storage.set(id, st);
  addTotal(s, "storage_free", -cost);

  const transfer = near.promiseBatchCreate(id);
  near.promiseBatchActionTransfer(transfer, amount);
  const then = near.promiseBatchThen(transfer, near.currentAccountId());
  near.promiseBatchActionFunctionCall(then, "on_claim_transfer", JSON.stringify({ index }), 0n, CLAIM_CALLBACK_GAS);
  emit("claim_started", [{ index, account_id: id, amount: c.amount }]);
  near.promiseReturn(then);
}

export function onClaimTransfer(s: PoolState, index: number) {
  const c = typeof index === "number" ? s.claims.get(index) : null;
  if (c === null || c.status !== "Pending") fail("ERR_UNKNOWN_CLAIM", String(index));
  const ok = callbackSucceeded(0);
  const before = near.storageUsage();
  const amount = BigInt(c.amount);
  const a = s.accounts.get(c.account_id);
  if (a === null) fail("ERR_INTERNAL", "claimer record missing");
  a.in_flight = (BigInt(a.in_flight) - amount).toString();
  addTotal(s, "in_flight", -amount);
  if (ok) {
    a.claimed = (BigInt(a.claimed) + amount).toString();
    addTotal(s, "claimed", amount);
  } else {
    // the transfer's refund brings the yocto back: the account is owed them again
    a.owed = (BigInt(a.owed) + amount).toString();
  }
  c.status = ok ? "Paid" : "Failed";
  s.claims.replace(index, c);
  s.accounts.set(c.account_id, a);
  // growth here (a longer `claimed`) comes out of the reserve the claim kept free
  const after = near.storageUsage();
  if (after > before) {
    const st = s.storage.get(c.account_id);
    if (st !== null) {
      const free = BigInt(st.total) - BigInt(st.used);
      let cost = storageCost(after - before);
      if (cost > free) cost = free > 0n ? free : 0n;
      st.used = (BigInt(st.used) + cost).toString();
      s.storage.set(c.account_id, st);
      addTotal(s, "storage_free", -cost);
    }
  }
  emit(ok ? "claim_paid" : "claim_failed", [{ index, account_id: c.account_id, amount: c.amount }]);
  return { index, status: c.status };
}
