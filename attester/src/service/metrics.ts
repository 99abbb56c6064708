// Prometheus metrics (prom-client, its own registry: nothing global): inferences, receipts by status (read from the
// outbox at scrape time), submit batches and failures, the latency of /v1/infer, and whether the active model is
// served (read from the follower at scrape time: alert when it is 0 for long), the finality sweep and pruning, and the
// relayer's balance (read from the balance watch at scrape time).
import type PromClient from "prom-client";
import { yoctoToNear } from "near-api-js";
import type { BalanceWatch } from "./balance.ts";
import { FOLLOW_STATES } from "./follow.ts";
import { STATUSES, type Outbox } from "./outbox.ts";

export interface Metrics {
  registry: PromClient.Registry;
  inferences: PromClient.Counter<"result">;
  submitBatches: PromClient.Counter<"result">;
  submitFailures: PromClient.Counter;
  latency: PromClient.Histogram;
  finalitySweeps: PromClient.Counter<"result">;
  finalityChecked: PromClient.Counter;
  settled: PromClient.Counter<"status">;
  finalitySweepSeconds: PromClient.Histogram;
  pruned: PromClient.Counter;
}

export function createMetrics(
  prom: typeof PromClient,
  outbox: () => Outbox | null,
  modelState: () => string | null = () => null,
  balance: () => BalanceWatch | null = () => null,
): Metrics {
  const registry = new prom.Registry();
  const inferences = new prom.Counter({
    name: "attester_inferences_total",
    help: "Inferences answered (ok), refused for the request (error) or for want of the active model (unavailable)",
    labelNames: ["result"],
    registers: [registry],
  });
  new prom.Gauge({
    name: "attester_receipts",
    help: "Receipts in the outbox, by status",
    labelNames: ["status"],
    registers: [registry],
    collect() {
      const o = outbox();
      if (!o) return;
      const c = o.counts();
      for (const s of STATUSES) this.set({ status: s }, c[s]);
    },
  });
  new prom.Gauge({
    name: "attester_model_state",
    help: "1 for the follower's state (follow.ts: serving, switching, weights_missing, no_active_model), 0 for others",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const now = modelState();
      if (now === null) return;
      for (const s of FOLLOW_STATES) {
        this.set({ state: s }, s === now ? 1 : 0);
      }
    },
  });
  const submitBatches = new prom.Counter({
    name: "attester_submit_batches_total",
    help: "submit_receipts transactions, by result (accepted, refused by the verifier, unknown outcome, unpaid: the relayer could not pay)",
    labelNames: ["result"],
    registers: [registry],
  });
  const submitFailures = new prom.Counter({
    name: "attester_submit_failures_total",
    help: "Submitter iterations that failed and backed off",
    registers: [registry],
  });
  const latency = new prom.Histogram({
    name: "attester_infer_duration_seconds",
    help: "Latency of POST /v1/infer (inference, signing and the durable write)",
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const finalitySweeps = new prom.Counter({
    name: "attester_finality_sweeps_total",
    help: "Finality sweeps (accepted receipts checked on chain, then pruning), by result (ok, error)",
    labelNames: ["result"],
    registers: [registry],
  });
  const finalityChecked = new prom.Counter({
    name: "attester_finality_checked_total",
    help: "Accepted or disputed receipts checked on chain by the finality sweep",
    registers: [registry],
  });
  const settled = new prom.Counter({
    name: "attester_receipts_settled_total",
    help: "Receipts moved on by what the chain says (final, voided, disputed, accepted again after a dismissed dispute)",
    labelNames: ["status"],
    registers: [registry],
  });
  const finalitySweepSeconds = new prom.Histogram({
    name: "attester_finality_sweep_duration_seconds",
    help: "Duration of one finality sweep (its page of receipts read on chain, and pruning)",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const pruned = new prom.Counter({
    name: "attester_outbox_pruned_total",
    help: "Receipts in an end state (final, voided, rejected) deleted from the outbox after the retention",
    registers: [registry],
  });
  new prom.Gauge({
    name: "attester_relayer_balance_near",
    help: "The relayer's balance in NEAR, available (not locked nor held for storage) and total, at its last read",
    labelNames: ["kind"],
    registers: [registry],
    collect() {
      const b = balance()?.balance;
      if (!b) return;
      this.set({ kind: "available" }, Number(yoctoToNear(b.available, 6)));
      this.set({ kind: "total" }, Number(yoctoToNear(b.total, 6)));
    },
  });
  new prom.Gauge({
    name: "attester_relayer_balance_low",
    help: "1 when the relayer's available balance is below relayer_min_balance (health degraded)",
    registers: [registry],
    collect() {
      const w = balance();
      if (w) this.set(w.low ? 1 : 0);
    },
  });
  new prom.Gauge({
    name: "attester_submit_waiting_for_funds",
    help: "1 while the submitter holds a batch the relayer's balance cannot pay (its receipts stay queued)",
    registers: [registry],
    collect() {
      const w = balance();
      if (w) this.set(w.waitingFor === null ? 0 : 1);
    },
  });
  return {
    registry,
    inferences,
    submitBatches,
    submitFailures,
    latency,
    finalitySweeps,
    finalityChecked,
    settled,
    finalitySweepSeconds,
    pruned,
  };
}
