// Prometheus metrics (prom-client, its own registry: nothing global): inferences, receipts by status (read from the
// outbox at scrape time), submit batches and failures, the latency of /v1/infer, and whether the active model is
// served (read from the follower at scrape time: alert when it is 0 for long).
import type PromClient from "prom-client";
import { FOLLOW_STATES } from "./follow.ts";
import { STATUSES, type Outbox } from "./outbox.ts";

export interface Metrics {
  registry: PromClient.Registry;
  inferences: PromClient.Counter<"result">;
  submitBatches: PromClient.Counter<"result">;
  submitFailures: PromClient.Counter;
  latency: PromClient.Histogram;
}

export function createMetrics(
  prom: typeof PromClient,
  outbox: () => Outbox | null,
  modelState: () => string | null = () => null,
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
    help: "submit_receipts transactions, by result (accepted, refused by the verifier, unknown outcome)",
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
  return { registry, inferences, submitBatches, submitFailures, latency };
}
