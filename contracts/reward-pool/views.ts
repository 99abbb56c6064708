import { near } from "near-sdk-js";
import { page } from "../shared/pagination";
import { storageCost } from "../shared/storage";
import { assertAccountId } from "../shared/validate";
import { claimableOf } from "./ledger";
import type { PoolState } from "./state";
import { total } from "./state";

export function depositsPage(s: PoolState, from?: number, limit?: number) {
  return page(from, limit, s.deposits.length, (i) => s.deposits.get(i));
}

export function epochsPage(s: PoolState, from?: number, limit?: number) {
  return page(from, limit, s.epoch_list.length, (i) => {
    const e = s.epoch_list.get(i);
    return e === null ? null : s.epochs.get(String(e));
  });
}

export function allocationsPage(s: PoolState, from?: number, limit?: number) {
  return page(from, limit, s.allocations.length, (i) => s.allocations.get(i));
}

export function claimsPage(s: PoolState, from?: number, limit?: number) {
  return page(from, limit, s.claims.length, (i) => s.claims.get(i));
}

export function accountClaimsPage(s: PoolState, accountId: unknown, from?: number, limit?: number) {
  const id = assertAccountId(accountId);
  const n = s.account_claims.get(`#${id}`) ?? 0;
  return page(from, limit, n, (i) => {
    const idx = s.account_claims.get(`${id}/${i}`);
    return idx === null ? null : s.claims.get(idx);
  });
}

export function accountView(s: PoolState, accountId: unknown) {
  const id = assertAccountId(accountId);
  const a = s.accounts.get(id);
  if (a === null) return null;
  return { ...a, claimable: claimableOf(s, id).toString(), claims: s.account_claims.get(`#${id}`) ?? 0 };
}

// The solvency check: the balance not locked for storage covers unallocated funds, everything claimable and the
// free storage balances; and the ledger adds up to the yocto.
export function invariantView(s: PoolState) {
  const balance = near.accountBalance();
  const locked = storageCost(near.storageUsage());
  const unallocated = total(s, "unallocated");
  const claimable = total(s, "allocated") - total(s, "claimed") - total(s, "in_flight");
  const storageFree = total(s, "storage_free");
  const required = unallocated + claimable + storageFree;
  const free = balance - locked;
  const ledger =
    total(s, "deposited") === unallocated + total(s, "allocated") + total(s, "storage_charged") && claimable >= 0n;
  return {
    balance: balance.toString(),
    storage_locked: locked.toString(),
    unallocated: unallocated.toString(),
    claimable_total: claimable.toString(),
    in_flight: s.totals.in_flight,
    storage_free: storageFree.toString(),
    surplus: (free - required).toString(),
    solvent: free >= required,
    ledger_balanced: ledger,
  };
}
