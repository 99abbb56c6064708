import { NearPromise, near } from "near-sdk-js";
import type { ForkOf } from "../wire/fork";
import { IMPORT_PAGE } from "../wire/fork";
import { fail } from "./errors";
import type { Emitter } from "./events";
import { isSafeInt, isValidAccountId } from "./validate";
import { requireGas, TGAS } from "./gas";
import { selfCall } from "./promise";

// Paged import of a forked community's records from its parent's registry (docs/fork.md). The registry pulls each
// page itself (a view call on the parent, then its own callback), so nobody can push forged records. Pages go in
// order: a page already in is a no-op (idempotent), a later one is refused, a failed read leaves the cursor where it
// was (resumable). The import is complete when the parent returns a short page.

export const IMPORT_READ_GAS = 30n * TGAS;
export const IMPORT_CALLBACK_GAS = 80n * TGAS;

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
  if (page < s.import_next) return { page, status: "AlreadyImported" };
  if (s.import_done) fail("ERR_IMPORT_COMPLETE");
  if (page > s.import_next) fail("ERR_PAGE_OUT_OF_ORDER", `next page is ${s.import_next}`);
  if (s.import_in_flight) fail("ERR_PAGE_IN_FLIGHT", String(page));
  requireGas(IMPORT_READ_GAS + IMPORT_CALLBACK_GAS + 10n * TGAS, "attach 150 Tgas");
  s.import_in_flight = true;
  return NearPromise.new(s.fork_of)
    .functionCall(method, JSON.stringify(args), 0n, IMPORT_READ_GAS)
    .then(selfCall("on_import_page", { page }, IMPORT_CALLBACK_GAS));
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

// `on_import_page` of a registry: receives the page, imports each row with `add` (false: skipped), moves the cursor
// and reports. A short page ends the phase: `onShort` (default: the import is complete).
export function importPage<T>(
  s: ForkImport,
  page: number,
  emit: Emitter,
  kind: string,
  add: (row: T) => boolean,
  onShort?: () => void,
) {
  const rows = receivePage<T>(s, page);
  if (rows === null) {
    emit("import_page_failed", [{ page, source: s.fork_of }]);
    return { page, status: "Failed" };
  }
  let n = 0;
  for (const r of rows) n += add(r) ? 1 : 0;
  s.imported += n;
  s.import_next = page + 1;
  if (rows.length < IMPORT_PAGE) {
    if (onShort) onShort();
    else s.import_done = true;
  }
  emit("import_page_done", [{ page, kind, records: n, complete: s.import_done }]);
  if (s.import_done) emit("fork_import_completed", [{ source: s.fork_of, imported: s.imported }]);
  return { page, status: "Imported", records: n, complete: s.import_done };
}
