import { near } from "near-sdk-js";
import { sendNear } from "../shared/storage";
import { fail } from "../shared/errors";
import { requireGas, TGAS } from "../shared/gas";
import { isSafeInt } from "../shared/validate";
import type { VerifierState } from "./state";
import { emit, epochSize, fitPad, versionKey } from "./state";
import type { EpochUsage, UsageReport } from "./types";
import {
  MAX_REPORT_DEPOSIT,
  reportGasTgas,
  splitUsage,
  type UsageAttesterCount,
  USAGE_REPORT_PAYER,
} from "../wire/usage-report";

function epochBounds(s: VerifierState, epoch: number): [bigint, bigint] {
  const len = BigInt(s.settings.epoch_length_ns);
  return [BigInt(epoch) * len, BigInt(epoch + 1) * len];
}

// A part in flight whose callback has not run this many blocks later (it ran out of gas, or never came) may be
// resent by anyone: the pool keeps each (epoch, part) once, so the resend cannot count twice.
export const REPORT_TIMEOUT_BLOCKS = 100n;

// The epoch's usage per model version, in stored order, as the report sends it. Until the report is frozen, usage
// attested by an attester slashed by now is withheld: a proven fraud taints its other unreported receipts too.
function usageModels(s: VerifierState, e: EpochUsage) {
  const frozen = (e.parts ?? 0) > 0;
  const slashed: Record<string, boolean> = {};
  const out: { model_name: string; model_version: string; weights_sha256: string; counts: UsageAttesterCount[] }[] = [];
  for (const key in e.models) {
    const m = e.models[key];
    const counts: UsageAttesterCount[] = [];
    for (const id in m.by_attester) {
      if (!frozen && slashed[id] === undefined) slashed[id] = s.attesters.get(id)?.status === "Slashed";
      if (slashed[id] || m.by_attester[id] <= 0) continue;
      counts.push({ attester_id: id, receipts: m.by_attester[id] });
    }
    if (counts.length > 0) {
      out.push({ model_name: m.model_name, model_version: m.model_version, weights_sha256: m.weights_sha256, counts });
    }
  }
  return out;
}

// Fixes what the report sends before its first part goes out, so every part is cut from the same counts: withheld
// counts are dropped from the epoch's record (a later slash no longer changes a report under way).
function freeze(e: EpochUsage, models: ReturnType<typeof usageModels>): void {
  const kept: Record<string, Record<string, number>> = {};
  for (const m of models) {
    const k: Record<string, number> = {};
    for (const c of m.counts) k[c.attester_id] = c.receipts;
    kept[versionKey(m.model_name, m.model_version)] = k;
  }
  for (const key in e.models) {
    const m = e.models[key];
    const k = kept[key] ?? {};
    let receipts = 0;
    for (const id in k) receipts += k[id];
    m.by_attester = k;
    m.receipts = receipts;
  }
}

// Every part of the epoch's report, as it would be sent now (parts of at most USAGE_PART_MODELS models and
// USAGE_PART_ATTESTERS attester entries, contracts/wire/usage-report.ts).
export function buildReport(s: VerifierState, e: EpochUsage): UsageReport[] {
  const [start, end] = epochBounds(s, e.epoch);
  const split = splitUsage(usageModels(s, e));
  return split.map((usage, part) => ({
    community: s.community,
    epoch: e.epoch,
    epoch_start_ns: start.toString(),
    epoch_end_ns: end.toString(),
    part,
    parts: split.length,
    usage,
  }));
}

// Anyone may push a final epoch's usage to the reward pool: the epoch has ended, every receipt in it is past its
// challenge window, and no dispute in it is open. Each call sends the next part; the epoch is Reporting until that
// part's callback: back to Open with the next part due (or Reported after the last one) on success, Open with the
// same part due on failure (retryable by anyone). A part whose callback never ran is resent after
// REPORT_TIMEOUT_BLOCKS. Every part goes to the reward pool the first one went to (pinned on the epoch). Returns "Reported" when there was nothing to send; otherwise the call's result is the
// callback's (promise_return), so the caller sees "Reported" or "Open".
// The attached deposit goes on with the part (payer: the caller), for the records the part adds in the pool, which
// sends back what it did not use; a failed part's deposit comes back here and the callback returns it to the caller.
export function reportUsage(s: VerifierState, epoch: number): string | undefined {
  if (s.reward_pool_id === "") fail("ERR_NO_REWARD_POOL");
  if (near.attachedDeposit() > MAX_REPORT_DEPOSIT) fail("ERR_INVALID_AMOUNT", `at most ${MAX_REPORT_DEPOSIT} yocto`);
  if (!isSafeInt(epoch, 0, 4294967295)) fail("ERR_INVALID_EPOCH");
  const e = s.epochs.get(String(epoch));
  if (e === null) fail("ERR_NOTHING_TO_REPORT", `epoch ${epoch}`);
  if (e.status === "Reported") fail("ERR_ALREADY_REPORTED");
  const size = epochSize(e);
  const height = near.blockHeight();
  if (e.status === "Reporting") {
    const due = BigInt(e.sent_height ?? "0") + REPORT_TIMEOUT_BLOCKS;
    if (height < due) fail("ERR_REPORT_IN_FLIGHT", `resend from block ${due}`);
  }
  if (e.open_disputes > 0) fail("ERR_OPEN_DISPUTES", `${e.open_disputes} open`);
  const [, end] = epochBounds(s, epoch);
  // a started report is frozen (challenges and voids on it refused, challenge.ts): a window the DAO raised since
  // cannot hold back its remaining parts, which would leave the pool's epoch incomplete and block later closes
  const started = (e.parts ?? 0) > 0;
  // final once every receipt of the epoch is closed: its window has passed, or it was closed by a raise (state.ts)
  const closed = end <= BigInt(s.challenges_closed_before_ns);
  if (!started && !closed && near.blockTimestamp() < end + BigInt(s.settings.challenge_window_ns)) {
    fail("ERR_EPOCH_NOT_FINAL");
  }
  if ((e.parts ?? 0) === 0) {
    const models = usageModels(s, e);
    freeze(e, models);
    e.parts = splitUsage(models).length;
    e.next_part = 0;
    // every part goes where the first one went: a reward_pool_id changed mid-report applies from the next epoch
    e.reward_pool_id = s.reward_pool_id;
  }
  const pool = e.reward_pool_id ?? s.reward_pool_id;
  const parts = buildReport(s, e);
  e.attempts += 1;
  if (parts.length === 0) {
    // everything was voided or withheld: nothing to pay for, nothing to send
    e.status = "Reported";
    e.last_error = null;
    fitPad(e, size);
    s.epochs.set(String(epoch), e);
    emit("usage_reported", [{ epoch, models: 0, receipts: 0, parts: 0, reward_pool_id: pool }]);
    sendNear(near.predecessorAccountId(), near.attachedDeposit());
    return "Reported";
  }
  const part = e.next_part ?? 0;
  // report_gas_tgas plus REPORT_TGAS_PER_ENTRY per attester entry: a full part (64 entries) always fits
  const callGas = BigInt(reportGasTgas(s.settings.report_gas_tgas, parts[part])) * TGAS;
  const cbGas = BigInt(s.settings.callback_gas_tgas) * TGAS;
  requireGas(callGas + cbGas + 10n * TGAS, `attach at least ${callGas + cbGas + 30n * TGAS}`);
  e.status = "Reporting";
  e.sent_height = height.toString();
  fitPad(e, size);
  s.epochs.set(String(epoch), e);
  const deposit = near.attachedDeposit();
  const payer = near.predecessorAccountId();
  const message = deposit > 0n ? { ...parts[part], [USAGE_REPORT_PAYER]: payer } : parts[part];
  const call = near.promiseBatchCreate(pool);
  near.promiseBatchActionFunctionCall(call, "on_usage_report", JSON.stringify(message), deposit, callGas);
  const back = deposit > 0n ? { payer, deposit: deposit.toString() } : {};
  const args = JSON.stringify({ epoch, part, attempt: e.attempts, ...back });
  const cb = near.promiseThen(call, near.currentAccountId(), "on_usage_reported", args, 0n, cbGas);
  near.promiseReturn(cb);
  emit("usage_report_sent", [{ epoch, part, parts: parts.length, attempt: e.attempts, reward_pool_id: pool }]);
  return undefined;
}

// The callback of one part. Only the latest attempt's callback counts: one superseded by a resend is refused
// (ERR_STALE_CALLBACK) and changes nothing (one carrying a failed part's deposit returns it and "Stale" instead).
export function onReported(
  s: VerifierState,
  epoch: number,
  part: number,
  attempt: number,
  ok: boolean,
  refund: { payer?: string; deposit?: string },
): string {
  // a failed part's deposit came back here with its receipt's refund: it goes on to whoever attached it, even from a
  // callback that is otherwise refused (a panic would keep it here)
  const due = !ok && refund.payer !== undefined && refund.deposit !== undefined;
  if (due) sendNear(refund.payer as string, BigInt(refund.deposit as string));
  const e = s.epochs.get(String(epoch));
  const stale = e === null || e.status !== "Reporting" || attempt !== e.attempts || part !== (e.next_part ?? 0);
  if (stale && due) return "Stale";
  if (e === null || e.status !== "Reporting") fail("ERR_NOT_REPORTING");
  if (attempt !== e.attempts || part !== (e.next_part ?? 0)) fail("ERR_STALE_CALLBACK", `attempt ${e.attempts}`);
  const size = epochSize(e);
  const parts = e.parts ?? 1;
  const pool = e.reward_pool_id ?? s.reward_pool_id;
  e.sent_height = undefined;
  if (ok) {
    e.next_part = part + 1;
    e.last_error = null;
    if (e.next_part >= parts) {
      let receipts = 0;
      let models = 0;
      for (const key in e.models) {
        if (e.models[key].receipts <= 0) continue;
        models += 1;
        receipts += e.models[key].receipts;
      }
      e.status = "Reported";
      emit("usage_reported", [{ epoch, models, receipts, parts, reward_pool_id: pool }]);
    } else {
      e.status = "Open";
      emit("usage_part_reported", [{ epoch, part, parts, reward_pool_id: pool }]);
    }
  } else {
    e.status = "Open";
    e.last_error = "reward pool call failed";
    emit("usage_report_failed", [{ epoch, part, attempt: e.attempts, reward_pool_id: pool }]);
  }
  fitPad(e, size);
  s.epochs.set(String(epoch), e);
  return e.status;
}
