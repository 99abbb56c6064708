import { NearPromise, near } from "near-sdk-js";
import type { ForkOf } from "../wire/fork";
import { IMPORT_PAGE } from "../wire/fork";
import { fail } from "./errors";
import type { Emitter } from "./events";
import { isSafeInt, isValidAccountId } from "./validate";
import { requireGas, TGAS } from "./gas";
import { selfCall } from "./promise";
import { callbackSucceeded, sendNear, storageAddedCost, storageCost } from "./storage";

// Paged import of a forked community's records from its parent's registry (docs/fork.md). The registry pulls each
// page itself (a view call on the parent, then its own callback), so nobody can push forged records. Pages go in
// order: a page already in is a no-op (idempotent), a later one is refused, a failed read leaves the cursor where it
// was (resumable). The import is complete when the parent returns a short page.
//
// The caller pays the page's storage: `import_page` is payable, its deposit stays on this account while the page is
// read and its amount and payer travel in the callbacks' arguments. `on_import_page` writes the page, keeps the cost
// of the bytes it added and refunds the rest at once; if the deposit is short it panics ERR_DEPOSIT_TOO_LOW with the
// exact amount (its writes undone) and `on_import_done`, which runs after it in every case, clears the in-flight flag
// and refunds the whole deposit. A failed read refunds it too. The deposit is never attached to a callback: a failed
// callback's deposit would go back to this account, not to the caller.

// Within 150 Tgas with import_page's own work (~12 Tgas) and the three receipts' fees. Measured on the local node:
// the read of 2 models 12.0 Tgas, on_import_page 15.8 (2 models; ~35 for 10), on_import_done 11-13 (it loads the
// contract like any call: 10 Tgas ran out).
export const IMPORT_READ_GAS = 30n * TGAS;
export const IMPORT_CALLBACK_GAS = 70n * TGAS;
export const IMPORT_DONE_GAS = 20n * TGAS;
// STATE is written after the callback returns (cursor, counters, flags): its growth is at most this many bytes.
export const IMPORT_STATE_BYTES = 16n;

// Who pays for a page and what they attached, as the callbacks receive it (yoctoNEAR in a string).
export interface PagePayment {
  payer: string;
  deposit: string;
}

// What the factory passes to a fork's registries (init `fork_of`) and the page size: the protocol's (wire/fork.ts).
export type { ForkOf };
export { IMPORT_PAGE };

// The fields a registry keeps ("" = not a fork: near-sdk-js cannot restore a null class field).
export interface ForkImport {
  fork_of: string;
  fork_community: string;
  fork_block: string;
  import_next: number;
  import_done: boolean;
  import_in_flight: boolean;
  imported: number;
}

export function setForkOf(s: ForkImport, v: ForkOf | undefined | null): void {
  if (v === undefined || v === null) return;
  if (typeof v !== "object" || !isValidAccountId(v.account_id) || typeof v.community !== "string") {
    fail("ERR_INVALID_FORK_OF");
  }
  s.fork_of = v.account_id;
  s.fork_community = v.community;
  s.fork_block = typeof v.block_height === "string" ? v.block_height : "";
}

export function importStatus(s: ForkImport) {
  if (s.fork_of === "") return null;
  return {
    parent_registry_id: s.fork_of,
    community: s.fork_community,
    block_height: s.fork_block || null,
    provenance: `forked from community ${s.fork_community}${s.fork_block ? ` at block ${s.fork_block}` : ""}`,
    next_page: s.import_next,
    imported: s.imported,
    complete: s.import_done,
    in_flight: s.import_in_flight,
  };
}

// Sends the read of `page` (the parent's `method` with `args`) or, for a page already in, returns without a change.
export function requestPage(
  s: ForkImport,
  page: unknown,
  method: string,
  args: Record<string, unknown>,
): NearPromise | { page: number; status: string } {
  if (s.fork_of === "") fail("ERR_NOT_A_FORK");
  if (!isSafeInt(page, 0, 4294967295)) fail("ERR_INVALID_PAGE");
  if (page < s.import_next) {
    // nothing written: the deposit goes back at once
    sendNear(near.predecessorAccountId(), near.attachedDeposit());
    return { page, status: "AlreadyImported" };
  }
  if (s.import_done) fail("ERR_IMPORT_COMPLETE");
  if (page > s.import_next) fail("ERR_PAGE_OUT_OF_ORDER", `next page is ${s.import_next}`);
  if (s.import_in_flight) fail("ERR_PAGE_IN_FLIGHT", String(page));
  requireGas(IMPORT_READ_GAS + IMPORT_CALLBACK_GAS + IMPORT_DONE_GAS + 10n * TGAS, "attach 150 Tgas");
  s.import_in_flight = true;
  const cb = { page, payer: near.predecessorAccountId(), deposit: near.attachedDeposit().toString() };
  return NearPromise.new(s.fork_of)
    .functionCall(method, JSON.stringify(args), 0n, IMPORT_READ_GAS)
    .then(selfCall("on_import_page", cb, IMPORT_CALLBACK_GAS))
    .then(selfCall("on_import_done", cb, IMPORT_DONE_GAS));
}

// The page's records, or null when the read failed (the cursor stays, the same page can be asked again).
export function receivePage<T>(s: ForkImport, page: number): T[] | null {
  if (!s.import_in_flight || page !== s.import_next) fail("ERR_NOT_IN_FLIGHT");
  s.import_in_flight = false;
  try {
    const rows = JSON.parse(near.promiseResult(0)) as T[];
    return Array.isArray(rows) ? rows : null;
  } catch (_e) {
    return null;
  }
}

// `on_import_page` of a registry: receives the page, imports each row with `add` (false: skipped), moves the cursor,
// charges the payer the storage it added (ERR_DEPOSIT_TOO_LOW: nothing imported) and reports. A short page ends the
// phase: `onShort` (default: the import is complete).
export function importPage<T>(
  s: ForkImport,
  page: number,
  pay: PagePayment,
  emit: Emitter,
  kind: string,
  add: (row: T) => boolean,
  onShort?: () => void,
) {
  const deposit = BigInt(pay.deposit);
  const rows = receivePage<T>(s, page);
  if (rows === null) {
    sendNear(pay.payer, deposit);
    emit("import_page_failed", [{ page, source: s.fork_of, refund: pay.deposit }]);
    return { page, status: "Failed", refund: pay.deposit };
  }
  const before = near.storageUsage();
  let n = 0;
  for (const r of rows) n += add(r) ? 1 : 0;
  s.imported += n;
  s.import_next = page + 1;
  if (rows.length < IMPORT_PAGE) {
    if (onShort) onShort();
    else s.import_done = true;
  }
  const cost = storageAddedCost(before) + storageCost(IMPORT_STATE_BYTES);
  // a panic undoes this page's writes; on_import_done then refunds the deposit
  if (deposit < cost) fail("ERR_DEPOSIT_TOO_LOW", `attached ${deposit}, required ${cost}`);
  const refund = deposit - cost;
  sendNear(pay.payer, refund);
  const storage_cost = cost.toString();
  emit("import_page_done", [
    { page, kind, records: n, complete: s.import_done, storage_cost, refund: refund.toString() },
  ]);
  if (s.import_done) emit("fork_import_completed", [{ source: s.fork_of, imported: s.imported }]);
  return { page, status: "Imported", records: n, complete: s.import_done, storage_cost, refund: refund.toString() };
}

// `on_import_done` of a registry, after `on_import_page` in every case: passes its result on, or, when it failed
// (deposit too low, out of gas: nothing of the page was written), clears the in-flight flag and refunds the deposit,
// which is still on this account. The same page can be asked again.
export function settlePage(s: ForkImport, page: number, pay: PagePayment, emit: Emitter) {
  if (callbackSucceeded(0)) return JSON.parse(near.promiseResult(0));
  if (s.import_in_flight && page === s.import_next) s.import_in_flight = false;
  sendNear(pay.payer, BigInt(pay.deposit));
  emit("import_page_failed", [{ page, source: s.fork_of, refund: pay.deposit }]);
  return { page, status: "Failed", refund: pay.deposit };
}
