import { near } from "near-sdk-js";
import { fail } from "../shared/errors";
import { isSafeInt } from "../shared/validate";
import type { VerifierState } from "./state";
import { emit } from "./state";
import type { EpochUsage, UsageReport } from "./types";

const TGAS = 1000000000000n;

function epochBounds(s: VerifierState, epoch: number): [bigint, bigint] {
  const len = BigInt(s.settings.epoch_length_ns);
  return [BigInt(epoch) * len, BigInt(epoch + 1) * len];
}

// The report for one epoch. Usage attested by an attester that has been slashed by now is withheld: a proven fraud
// taints its other unreported receipts too, and those are still within reach here.
export function buildReport(s: VerifierState, e: EpochUsage): UsageReport {
  const [start, end] = epochBounds(s, e.epoch);
  const slashed: Record<string, boolean> = {};
  const usage: UsageReport["usage"] = [];
  for (const key in e.models) {
    const m = e.models[key];
    const counts: { attester_id: string; receipts: number }[] = [];
    let total = 0;
    for (const id in m.by_attester) {
      if (slashed[id] === undefined) slashed[id] = s.attesters.get(id)?.status === "Slashed";
      if (slashed[id] || m.by_attester[id] <= 0) continue;
      counts.push({ attester_id: id, receipts: m.by_attester[id] });
      total += m.by_attester[id];
    }
    if (total > 0) {
      usage.push({
        model_name: m.model_name,
        model_version: m.model_version,
        weights_sha256: m.weights_sha256,
        receipts: total,
        attester_counts: counts,
      });
    }
  }
  return {
    community: s.community,
    epoch: e.epoch,
    epoch_start_ns: start.toString(),
    epoch_end_ns: end.toString(),
    usage,
  };
}

// Anyone may push a final epoch's usage to the reward pool: the epoch has ended, every receipt in it is past its
// challenge window, and no dispute in it is open. The epoch is Reporting until the callback: Reported on success,
// back to Open (retryable by anyone) on failure. Returns "Reported" when there was nothing to send; otherwise the
// call's result is the callback's (promise_return), so the caller sees "Reported" or "Open".
export function reportUsage(s: VerifierState, epoch: number): string | undefined {
  if (s.reward_pool_id === "") fail("ERR_NO_REWARD_POOL");
  if (!isSafeInt(epoch, 0, 4294967295)) fail("ERR_INVALID_EPOCH");
  const e = s.epochs.get(String(epoch));
  if (e === null) fail("ERR_NOTHING_TO_REPORT", `epoch ${epoch}`);
  if (e.status === "Reported") fail("ERR_ALREADY_REPORTED");
  if (e.status === "Reporting") fail("ERR_REPORT_IN_FLIGHT");
  if (e.open_disputes > 0) fail("ERR_OPEN_DISPUTES", `${e.open_disputes} open`);
  const [, end] = epochBounds(s, epoch);
  if (near.blockTimestamp() < end + BigInt(s.settings.challenge_window_ns)) fail("ERR_EPOCH_NOT_FINAL");
  const report = buildReport(s, e);
  e.attempts += 1;
  if (report.usage.length === 0) {
    // everything was voided or withheld: nothing to pay for, nothing to send
    e.status = "Reported";
    e.last_error = null;
    s.epochs.set(String(epoch), e);
    emit("usage_reported", [{ epoch, models: 0, receipts: 0, reward_pool_id: s.reward_pool_id }]);
    return "Reported";
  }
  const callGas = BigInt(s.settings.report_gas_tgas) * TGAS;
  const cbGas = BigInt(s.settings.callback_gas_tgas) * TGAS;
  const left = near.prepaidGas() - near.usedGas();
  if (left < callGas + cbGas + 10n * TGAS)
    fail("ERR_NOT_ENOUGH_GAS", `attach at least ${callGas + cbGas + 30n * TGAS}`);
  e.status = "Reporting";
  s.epochs.set(String(epoch), e);
  const call = near.promiseBatchCreate(s.reward_pool_id);
  near.promiseBatchActionFunctionCall(call, "on_usage_report", JSON.stringify(report), 0n, callGas);
  const cb = near.promiseThen(call, near.currentAccountId(), "on_usage_reported", JSON.stringify({ epoch }), 0n, cbGas);
  near.promiseReturn(cb);
  emit("usage_report_sent", [{ epoch, attempt: e.attempts, reward_pool_id: s.reward_pool_id }]);
  return undefined;
}

export function onReported(s: VerifierState, epoch: number, ok: boolean): string {
  const e = s.epochs.get(String(epoch));
  if (e === null || e.status !== "Reporting") fail("ERR_NOT_REPORTING");
  if (ok) {
    const report = buildReport(s, e);
    let receipts = 0;
    for (const u of report.usage) receipts += u.receipts;
    e.status = "Reported";
    e.last_error = null;
    emit("usage_reported", [{ epoch, models: report.usage.length, receipts, reward_pool_id: s.reward_pool_id }]);
  } else {
    e.status = "Open";
    e.last_error = "reward pool call failed";
    emit("usage_report_failed", [{ epoch, attempt: e.attempts, reward_pool_id: s.reward_pool_id }]);
  }
  s.epochs.set(String(epoch), e);
  return e.status;
}
