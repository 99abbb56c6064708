// The finality sweep: in the background, accepted receipts are checked against the verifier until they reach an end
// state. A receipt is `final` once the chain's clock passes accepted_at + challenge_window_ns (read from the verifier
// at every sweep: the DAO may change it; a raise closes nothing it had not, wire/receipt.ts challengeWindowEnd) while it is `Accepted` there: from then on the verifier refuses challenges
// and the DAO's void (ERR_CHALLENGE_WINDOW_CLOSED), so nothing can change it. `Voided` and `Disputed` are copied as
// the chain says (a dismissed dispute makes it `Accepted` again, then final in its turn). The work per sweep is
// bounded: one page of `batch` receipts, oldest nonce first, from a cursor that goes round; their records are read in
// pages of consecutive verifier ids (get_receipts), not one view per receipt when they are close together.
// Then pruning: receipts in an end state longer than the retention are deleted, `prune_batch` at a time.
import { type ChallengeWindow, challengeWindowEnd } from "../../../contracts/wire/receipt.ts";
import type { ChainReceipt, ServiceChain } from "./chain.ts";
import { RECEIPT_PAGE } from "./chain.ts";
import type { Metrics } from "./metrics.ts";
import type { Outbox, OutboxRow, Settled } from "./outbox.ts";

export interface FinalityOptions {
  /** receipts checked per sweep */
  batch: number;
  /** ms between sweeps */
  interval_ms: number;
  /** receipts in an end state are deleted this long (ms) after they reached it; 0: never */
  retention_ms: number;
  /** receipts deleted per sweep at most */
  prune_batch: number;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

/** What the verifier's record says of an accepted receipt now (`nowNs`: the chain's clock). */
export function chainVerdict(
  rec: Pick<ChainReceipt, "status" | "accepted_at">,
  window: ChallengeWindow,
  nowNs: bigint,
): Omit<Settled, "id"> {
  const { accepted_at } = rec;
  if (rec.status === "Voided") return { status: "voided", final_at: null, accepted_at };
  if (rec.status === "Disputed") return { status: "disputed", final_at: null, accepted_at };
  const end = challengeWindowEnd(BigInt(accepted_at), window);
  return nowNs >= end
    ? { status: "final", final_at: end.toString(), accepted_at }
    : { status: "accepted", final_at: null, accepted_at };
}

/** Sorted verifier ids cut into runs that one get_receipts page covers. */
export function idRuns(ids: number[], page = RECEIPT_PAGE): { from: number; limit: number }[] {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: { from: number; limit: number }[] = [];
  for (const id of sorted) {
    const last = runs[runs.length - 1];
    if (last && id - last.from < page) last.limit = id - last.from + 1;
    else runs.push({ from: id, limit: 1 });
  }
  return runs;
}

export class FinalitySweep {
  /** the nonce the last page ended at; null: start again from the oldest */
  private cursor: bigint | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  lastError: string | null = null;
  lastSweepAt: number | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly chain: ServiceChain,
    private readonly metrics: Metrics,
    private readonly o: FinalityOptions,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.sweep().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.o.interval_ms);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One sweep: a page of receipts checked on chain, then a batch pruned. Never throws (logged, counted). */
  async sweep(): Promise<void> {
    const end = this.metrics.finalitySweepSeconds.startTimer();
    try {
      const rows = this.outbox.unsettled(this.cursor, this.o.batch);
      this.cursor = rows.length < this.o.batch ? null : rows[rows.length - 1].nonce;
      if (rows.length > 0) await this.check(rows);
      if (this.o.retention_ms > 0) {
        const pruned = this.outbox.prune(Date.now() - this.o.retention_ms, this.o.prune_batch);
        if (pruned > 0) {
          this.metrics.pruned.inc(pruned);
          this.o.log("outbox pruned", { receipts: pruned, retention_ms: this.o.retention_ms });
        }
      }
      this.metrics.finalitySweeps.inc({ result: "ok" });
      this.lastError = null;
    } catch (e) {
      this.metrics.finalitySweeps.inc({ result: "error" });
      this.lastError = (e as Error).message.slice(0, 300);
      this.o.log("finality sweep failed", { error: this.lastError });
    } finally {
      this.lastSweepAt = Date.now();
      end();
    }
  }

  private async check(rows: OutboxRow[]): Promise<void> {
    const [window, nowNs] = await Promise.all([this.chain.challengeWindow(), this.chain.timeNs()]);
    const held = new Map<number, ChainReceipt>();
    const ids = rows.flatMap((r) => (r.chain_id === null ? [] : [r.chain_id]));
    for (const run of idRuns(ids)) {
      for (const rec of await this.chain.receiptsFrom(run.from, run.limit)) held.set(rec.id, rec);
    }
    const verdicts: Settled[] = [];
    for (const r of rows) {
      const rec = r.chain_id === null ? undefined : held.get(r.chain_id);
      // the verifier keeps every receipt it accepted: a missing or other record is a different verifier or chain
      if (!rec || rec.hash !== r.id) {
        this.o.log("receipt not found on chain as accepted", { id: r.id, chain_receipt_id: r.chain_id });
        continue;
      }
      verdicts.push({ id: r.id, ...chainVerdict(rec, window, nowNs) });
    }
    this.metrics.finalityChecked.inc(rows.length);
    const changed = this.outbox.settle(verdicts);
    for (const c of changed) this.metrics.settled.inc({ status: c.status });
    if (changed.length > 0) {
      const by: Record<string, number> = {};
      for (const c of changed) by[c.status] = (by[c.status] ?? 0) + 1;
      this.o.log("receipts settled on chain", by);
    }
  }

  /** One receipt, now (GET /v1/receipts/:id): what the chain says of it, written to the outbox. */
  async refresh(row: OutboxRow): Promise<void> {
    if (row.status !== "accepted" && row.status !== "disputed") return;
    const rec = await this.chain.receiptByNonce(row.receipt.attester_id, row.receipt.nonce);
    if (!rec || rec.hash !== row.id) return;
    const [window, nowNs] = await Promise.all([this.chain.challengeWindow(), this.chain.timeNs()]);
    for (const c of this.outbox.settle([{ id: row.id, ...chainVerdict(rec, window, nowNs) }])) {
      this.metrics.settled.inc({ status: c.status });
    }
  }
}
