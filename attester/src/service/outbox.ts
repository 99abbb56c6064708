// The durable receipt outbox: every signed receipt is written to SQLite (better-sqlite3, WAL, synchronous=FULL) in one
// transaction with the next nonce before the answer leaves the service, and the submitter works from it. Only the
// receipt (commitments, never the input, the output or the salt) is stored.
//
// Status of a receipt:
//   signed     stored; this service does not submit (submit: false: another relayer sends it)
//   queued     stored, waiting for the submitter
//   submitted  in a transaction that was sent (tx_hash) and whose outcome is not known yet ("in flight")
//   accepted   the verifier holds it (chain receipt id, accepted_at)
//   disputed   a challenge is open on it (the DAO voids it, or dismisses the dispute: accepted again)
//   final      accepted and past the verifier's challenge window, neither disputed nor voided (final_at: when)
//   voided     the verifier voided it (a challenge or the DAO)
//   rejected   the verifier refused it for good (error: its ERR_ code); never resent
// The finality sweep (finality.ts) moves accepted receipts on from what the chain says; pruning deletes receipts in
// an end state (final, voided, rejected) after a retention, never the one with the highest nonce.
import type BetterSqlite3 from "better-sqlite3";
import type { SignedReceipt } from "../receipt.ts";

export const STATUSES = [
  "signed",
  "queued",
  "submitted",
  "accepted",
  "disputed",
  "final",
  "voided",
  "rejected",
] as const;
export type ReceiptStatus = (typeof STATUSES)[number];

export interface OutboxRow {
  id: string;
  nonce: bigint;
  receipt: SignedReceipt;
  status: ReceiptStatus;
  tx_hash: string | null;
  chain_id: number | null;
  accepted_at: string | null;
  /** the chain time (ns) the receipt became final: accepted_at + the challenge window */
  final_at: string | null;
  error: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
}

/** The chain's word on an accepted receipt, as the finality sweep writes it. */
export interface Settled {
  id: string;
  status: "accepted" | "disputed" | "final" | "voided";
  final_at: string | null;
  /** the verifier's record's (the submitter wrote the chain's clock when the answer came, a block or so later) */
  accepted_at: string;
}

/** End states: nothing more happens to these receipts, so they can be pruned after the retention. */
export const END_STATES = ["final", "voided", "rejected"] as const;

interface RawRow {
  id: string;
  nonce: bigint;
  receipt: string;
  status: ReceiptStatus;
  tx_hash: string | null;
  chain_id: bigint | null;
  accepted_at: string | null;
  final_at: string | null;
  error: string | null;
  attempts: bigint;
  created_at: bigint;
  updated_at: bigint;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS receipts (
  id TEXT PRIMARY KEY,
  nonce INTEGER NOT NULL UNIQUE,
  receipt TEXT NOT NULL,
  status TEXT NOT NULL,
  tx_hash TEXT,
  chain_id INTEGER,
  accepted_at TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS receipts_status ON receipts (status, nonce);
`;

/** Columns added after the first release: added to an older outbox when it is opened. */
const ADDED_COLUMNS: [string, string][] = [["final_at", "TEXT"]];

function fromRaw(r: RawRow): OutboxRow {
  return {
    ...r,
    receipt: JSON.parse(r.receipt) as SignedReceipt,
    chain_id: r.chain_id === null ? null : Number(r.chain_id),
    attempts: Number(r.attempts),
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
}

export class Outbox {
  private readonly db: BetterSqlite3.Database;

  constructor(Database: typeof BetterSqlite3, path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    // an answer is returned only after its receipt is on disk: fsync at every commit
    this.db.pragma("synchronous = FULL");
    this.db.exec(SCHEMA);
    const columns = new Set(
      (this.db.prepare("PRAGMA table_info(receipts)").all() as { name: string }[]).map((c) => c.name),
    );
    for (const [name, type] of ADDED_COLUMNS) {
      if (!columns.has(name)) this.db.exec(`ALTER TABLE receipts ADD COLUMN ${name} ${type}`);
    }
    this.db.defaultSafeIntegers(true);
  }

  close(): void {
    this.db.close();
  }

  /** The nonce to use next: above every nonce this db ever stored or reserved. */
  nextNonce(): bigint {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'next_nonce'").get() as
      | { value: string }
      | undefined;
    const max = (this.db.prepare("SELECT MAX(nonce) AS m FROM receipts").get() as { m: bigint | null }).m;
    let n = row ? BigInt(row.value) : 0n;
    if (max !== null && max + 1n > n) n = max + 1n;
    return n;
  }

  /** Stores a signed receipt and the next nonce in one transaction (durable when this returns). */
  insert(id: string, receipt: SignedReceipt, status: "signed" | "queued"): void {
    const now = Date.now();
    const nonce = BigInt(receipt.nonce);
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO receipts (id, nonce, receipt, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
        .run(id, nonce, JSON.stringify(receipt), status, now, now);
      this.db
        .prepare("INSERT INTO meta (key, value) VALUES ('next_nonce', ?) ON CONFLICT(key) DO UPDATE SET value = ?")
        .run(String(nonce + 1n), String(nonce + 1n));
    })();
  }

  get(id: string): OutboxRow | null {
    const r = this.db.prepare("SELECT * FROM receipts WHERE id = ?").get(id) as RawRow | undefined;
    return r ? fromRaw(r) : null;
  }

  /** Oldest first. */
  byStatus(status: ReceiptStatus, limit = 1_000_000): OutboxRow[] {
    return (
      this.db.prepare("SELECT * FROM receipts WHERE status = ? ORDER BY nonce LIMIT ?").all(status, limit) as RawRow[]
    ).map(fromRaw);
  }

  counts(): Record<ReceiptStatus, number> {
    const out = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ReceiptStatus, number>;
    for (const r of this.db.prepare("SELECT status, COUNT(*) AS n FROM receipts GROUP BY status").all() as {
      status: ReceiptStatus;
      n: bigint;
    }[]) {
      out[r.status] = Number(r.n);
    }
    return out;
  }

  /** Marks receipts in flight in the transaction `txHash` (before it is sent). */
  markSubmitted(ids: string[], txHash: string): void {
    const now = Date.now();
    const st = this.db.prepare(
      "UPDATE receipts SET status = 'submitted', tx_hash = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?",
    );
    this.db.transaction(() => {
      for (const id of ids) st.run(txHash, now, id);
    })();
  }

  markAccepted(rows: { id: string; chain_id: number; accepted_at: string; tx_hash?: string | null }[]): void {
    const now = Date.now();
    const st = this.db.prepare(
      "UPDATE receipts SET status = 'accepted', chain_id = ?, accepted_at = ?, tx_hash = COALESCE(?, tx_hash), error = NULL, updated_at = ? WHERE id = ?",
    );
    this.db.transaction(() => {
      for (const r of rows) st.run(r.chain_id, r.accepted_at, r.tx_hash ?? null, now, r.id);
    })();
  }

  setStatus(ids: string[], status: ReceiptStatus, error: string | null = null): void {
    const now = Date.now();
    const st = this.db.prepare("UPDATE receipts SET status = ?, error = ?, updated_at = ? WHERE id = ?");
    this.db.transaction(() => {
      for (const id of ids) st.run(status, error, now, id);
    })();
  }

  /**
   * A page of the receipts the chain may still move on (accepted, disputed), oldest nonce first, after `afterNonce`
   * (the finality sweep's cursor; null: from the oldest).
   */
  unsettled(afterNonce: bigint | null, limit: number): OutboxRow[] {
    return (
      this.db
        .prepare("SELECT * FROM receipts WHERE status IN ('accepted', 'disputed') AND nonce > ? ORDER BY nonce LIMIT ?")
        .all(afterNonce ?? -1n, limit) as RawRow[]
    ).map(fromRaw);
  }

  /**
   * Writes what the finality sweep read on chain (and the record's accepted_at); returns the receipts whose status
   * changed.
   */
  settle(rows: Settled[]): Settled[] {
    const now = Date.now();
    const before = this.db.prepare("SELECT status FROM receipts WHERE id = ? AND status IN ('accepted', 'disputed')");
    const st = this.db.prepare(
      "UPDATE receipts SET status = ?, final_at = ?, accepted_at = ?, updated_at = ? WHERE id = ? AND (status <> ? OR final_at IS NOT ? OR accepted_at IS NOT ?)",
    );
    const changed: Settled[] = [];
    this.db.transaction(() => {
      for (const r of rows) {
        const was = before.get(r.id) as { status: ReceiptStatus } | undefined;
        if (!was) continue;
        st.run(r.status, r.final_at, r.accepted_at, now, r.id, r.status, r.final_at, r.accepted_at);
        if (was.status !== r.status) changed.push(r);
      }
    })();
    return changed;
  }

  /**
   * Deletes up to `limit` receipts in an end state (END_STATES) last updated before `before` (ms), oldest nonce
   * first; never the receipt with the highest nonce (with `meta.next_nonce`, what keeps nonces monotonic if the
   * meta row were ever lost). Returns how many were deleted.
   */
  prune(before: number, limit: number): number {
    return Number(
      this.db
        .prepare(
          `DELETE FROM receipts WHERE id IN (
           SELECT id FROM receipts
           WHERE status IN (${END_STATES.map((s) => `'${s}'`).join(", ")}) AND updated_at < ?
             AND nonce < (SELECT MAX(nonce) FROM receipts)
           ORDER BY nonce LIMIT ?)`,
        )
        .run(before, limit).changes,
    );
  }
}
