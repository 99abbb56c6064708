// The submitter loop: queued receipts go to the verifier in batches of up to `batch_size` (at most 64, the verifier's
// limit), oldest nonce first. Each batch is marked `submitted` with its transaction hash before the transaction is
// sent; an answer marks it `accepted`. When the outcome is unknown (the node is down, a timeout, a crash), the
// receipts stay `submitted` until the chain is asked, by nonce (`get_receipt_by_nonce`), whether it holds each one:
// held with the same hash -> accepted, not held -> queued again. So a receipt is never lost (it stays in the outbox
// until the chain holds it) and never accepted twice (the verifier refuses a used nonce; a resend that meets one is
// resolved the same way). Failures back off exponentially with full jitter.
import { bytesToHex } from "@noble/hashes/utils";
import { receiptHash } from "../receipt.ts";
import type { BalanceWatch } from "./balance.ts";
import type { ServiceChain } from "./chain.ts";
import { RELAYER_BALANCE_CODE, SubmitError } from "./chain.ts";
import type { Metrics } from "./metrics.ts";
import type { Outbox, OutboxRow } from "./outbox.ts";

export interface SubmitterOptions {
  verifier_id: string;
  attester_id: string;
  batch_size: number;
  /** how long a partial batch waits for more receipts (ms) */
  linger_ms: number;
  backoff_base_ms: number;
  backoff_max_ms: number;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** the verifier refused a receipt for its model: the active model changed (the follower checks at once) */
  onModelRefused?: () => void;
  /** asked before each batch is signed: a batch the relayer cannot pay waits `balance_retry_ms`, still queued */
  balance?: BalanceWatch;
  balance_retry_ms?: number;
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^attempt)]. */
export function backoffMs(attempt: number, base: number, max: number, random = Math.random): number {
  return Math.floor(random() * Math.min(max, base * 2 ** Math.min(attempt, 30)));
}

export class Submitter {
  private stopped = false;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private failures = 0;
  /** the receipts whose outcome is unknown must be checked on chain before anything is sent */
  private needsResolve = true;
  private stopNow: () => void = () => {};
  private readonly stopping = new Promise<void>((r) => {
    this.stopNow = r;
  });

  constructor(
    private readonly outbox: Outbox,
    private readonly chain: ServiceChain,
    private readonly metrics: Metrics,
    private readonly o: SubmitterOptions,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  /** A new receipt is queued. */
  poke(): void {
    this.wake?.();
  }

  /** Ends the loop: a batch being sent is finished first, a backoff or a wait is cut short. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopNow();
    this.poke();
    await this.running;
  }

  /** Waits `ms`, or less if the submitter is stopped. */
  private sleep(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      new Promise<void>((r) => {
        timer = setTimeout(r, ms);
      }),
      this.stopping,
    ]).finally(() => clearTimeout(timer));
  }

  private async idle(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(t);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.needsResolve) {
          await this.resolveInFlight();
          this.needsResolve = false;
        }
        let batch = this.outbox.byStatus("queued", this.o.batch_size);
        if (batch.length === 0) {
          await this.idle(1000);
          continue;
        }
        if (batch.length < this.o.batch_size && this.o.linger_ms > 0) {
          await this.sleep(this.o.linger_ms);
          if (this.stopped) break;
          batch = this.outbox.byStatus("queued", this.o.batch_size);
        }
        if (this.o.balance && !(await this.o.balance.canPay(batch.length))) {
          // not a failure: no transaction, no attempt counted, no growing backoff; the next read may find a top-up
          await this.sleep(this.o.balance_retry_ms ?? 1000);
          continue;
        }
        await this.send(batch);
        this.failures = 0;
      } catch (e) {
        this.failures++;
        this.metrics.submitFailures.inc();
        const wait = backoffMs(this.failures, this.o.backoff_base_ms, this.o.backoff_max_ms);
        this.o.log("submit failed, backing off", { error: (e as Error).message.slice(0, 300), wait_ms: wait });
        if (this.stopped) break;
        await this.sleep(wait);
      }
    }
  }

  private async send(batch: OutboxRow[]): Promise<void> {
    const ids = batch.map((r) => r.id);
    let result: Awaited<ReturnType<ServiceChain["submit"]>>;
    try {
      result = await this.chain.submit(
        batch.map((r) => r.receipt),
        (txHash) => this.outbox.markSubmitted(ids, txHash),
      );
    } catch (e) {
      if (e instanceof SubmitError && e.contract) {
        // the verifier refused the whole batch (all or nothing): which receipts does it hold already?
        this.metrics.submitBatches.inc({ result: "refused" });
        const settled = await this.resolve(batch, e.code, e.index);
        this.o.log("batch refused by the verifier", { code: e.code, index: e.index, settled });
        if (e.code !== null && MODEL_REFUSALS.has(e.code)) this.o.onModelRefused?.();
        // a receipt left the queue (rejected, or found accepted): the rest goes again at once, without backoff
        if (settled > 0) return;
      } else if (e instanceof SubmitError && e.code === RELAYER_BALANCE_CODE) {
        // refused before it ran (the estimate in canPay was short): the receipts go back to the queue, and wait
        this.metrics.submitBatches.inc({ result: "unpaid" });
        this.needsResolve = true;
        this.o.log("the relayer could not pay the batch: waiting for a top-up", { receipts: batch.length });
        await this.sleep(this.o.balance_retry_ms ?? 1000);
        return;
      } else {
        this.metrics.submitBatches.inc({ result: "unknown" });
        this.needsResolve = true;
      }
      throw e;
    }
    this.metrics.submitBatches.inc({ result: "accepted" });
    const acceptedAt = (await this.chain.timeNs().catch(() => null))?.toString() ?? null;
    this.outbox.markAccepted(
      batch.map((r, i) => ({
        id: r.id,
        chain_id: result.receipt_ids[i],
        accepted_at: acceptedAt ?? "",
        tx_hash: result.tx_hash,
      })),
    );
    this.o.log("batch accepted", { receipts: batch.length, tx_hash: result.tx_hash });
  }

  /** Every receipt left `submitted` (a crash, an unknown outcome) is checked on chain before anything is sent. */
  private async resolveInFlight(): Promise<void> {
    for (;;) {
      const rows = this.outbox.byStatus("submitted", 256);
      if (rows.length === 0) return;
      this.o.log("checking receipts in flight on chain", { receipts: rows.length });
      await this.resolve(rows, null, null);
    }
  }

  /**
   * Asks the chain about each receipt by nonce: held with this hash -> accepted; held with another hash -> rejected
   * (ERR_NONCE_USED: the nonce went to another receipt); not held -> queued again, except the one the verifier
   * named as bad (`code` at `index`), which is rejected with that code unless the code is transient. A refusal of
   * the receipt's model (MODEL_REFUSALS) holds for every receipt of the batch naming the same model, in the same
   * state of the verifier: those are rejected with it too, instead of one transaction per receipt after a switch.
   */
  private async resolve(rows: OutboxRow[], code: string | null, index: number | null): Promise<number> {
    const accepted: { id: string; chain_id: number; accepted_at: string }[] = [];
    const requeue: string[] = [];
    const rejected: [string, string][] = [];
    const named = index !== null ? rows[index]?.receipt : undefined;
    const sameModelRefused = (r: OutboxRow) =>
      named !== undefined &&
      code !== null &&
      MODEL_REFUSALS.has(code) &&
      r.receipt.model_name === named.model_name &&
      r.receipt.model_version === named.model_version &&
      r.receipt.weights_sha256 === named.weights_sha256;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const onChain = await this.chain.receiptByNonce(this.o.attester_id, r.receipt.nonce);
      const hash = bytesToHex(receiptHash(this.o.verifier_id, r.receipt));
      if (onChain && onChain.hash === hash) {
        accepted.push({ id: r.id, chain_id: onChain.id, accepted_at: onChain.accepted_at });
      } else if (onChain) {
        rejected.push([r.id, "ERR_NONCE_USED"]);
      } else if (index === i && code !== null && !TRANSIENT.has(code)) {
        rejected.push([r.id, code]);
      } else if (sameModelRefused(r)) {
        rejected.push([r.id, code as string]);
      } else {
        requeue.push(r.id);
      }
    }
    if (accepted.length > 0) this.outbox.markAccepted(accepted);
    if (requeue.length > 0) this.outbox.setStatus(requeue, "queued");
    for (const [id, c] of rejected) this.outbox.setStatus([id], "rejected", c);
    if (accepted.length + rejected.length > 0) {
      this.o.log("receipts resolved on chain", {
        accepted: accepted.length,
        requeued: requeue.length,
        rejected: rejected.length,
      });
    }
    return accepted.length + rejected.length;
  }
}

/** Refusals of the receipt's model (not the verifier's active model, other weights, no active model at all). */
const MODEL_REFUSALS = new Set(["ERR_MODEL_NOT_ACTIVE", "ERR_WEIGHTS_MISMATCH", "ERR_NO_ACTIVE_MODEL"]);

/** Refusals that concern the batch or the moment, not the receipt: it is sent again. */
const TRANSIENT = new Set(["ERR_STORAGE_DEPOSIT", "ERR_NONCE_USED", "ERR_BATCH_SIZE", "ERR_TOO_MANY_MODELS"]);
