import { near } from "near-sdk-js";
import { fail } from "../shared/errors";
import { keepAndRefund, storageAddedCost } from "../shared/storage";
import { USAGE_EPOCH_MODELS } from "../wire/usage-report";
import { bytesToHex } from "./fast";
import { checkFields, checkSignature, checkWindow, keyLatin1, receiptHash } from "./receipt";
import type { VerifierState } from "./state";
import { activeModel, emit, epochOf, getEpoch, nonceKey, recount, versionKey } from "./state";
import type { Attester, ReceiptInput, ReceiptRecord } from "./types";
import { MAX_BATCH } from "./types";

// Verifies and records a batch, all or nothing: the first bad receipt panics the whole call with its ERR_ code and
// `receipts[i]`, so nothing of the batch is recorded. A relayer checks receipts off-chain (the attester CLI does)
// and resubmits the good ones; per-receipt acceptance would make every caller parse a result list to learn what
// was stored, and a partly stored batch is harder to reason about for storage deposits.
//
// Gas: the model check compares with the active model the registry pushed into STATE (no cross-contract call per
// receipt or per batch); attesters, the epoch's usage and the per-version totals are read once and written once per
// batch; per receipt there remain one sha256, one ecrecover, one nonce lookup and two writes (receipt, nonce).
export function submitReceipts(s: VerifierState, receipts: ReceiptInput[]): number[] {
  if (!Array.isArray(receipts) || receipts.length < 1 || receipts.length > MAX_BATCH) {
    fail("ERR_BATCH_SIZE", `1..${MAX_BATCH} receipts`);
  }
  const usageBefore = near.storageUsage();
  const now = near.blockTimestamp();
  const maxAge = BigInt(s.settings.max_receipt_age_ns);
  const maxSkew = BigInt(s.settings.max_clock_skew_ns);
  const verifier = near.currentAccountId();
  const relayer = near.predecessorAccountId();
  const epochNo = epochOf(s, now);
  const epoch = getEpoch(s, epochNo);
  const touched: Record<string, Attester> = {};
  const keys: Record<string, string> = {};
  const ids: number[] = [];
  const accepted: { id: number; attester_id: string; nonce: string; hash: string }[] = [];
  const nowStr = now.toString();
  for (let i = 0; i < receipts.length; i++) {
    const r = receipts[i];
    const where = `receipts[${i}]`;
    const ts = checkFields(r, s.community, activeModel(s), where);
    checkWindow(ts, now, maxAge, maxSkew, where);
    let a = touched[r.attester_id];
    if (a === undefined) {
      const found = s.attesters.get(r.attester_id);
      if (found === null) fail("ERR_UNKNOWN_ATTESTER", where);
      a = found;
      touched[r.attester_id] = a;
      keys[r.attester_id] = keyLatin1(a.public_key);
    }
    if (a.status === "Removed") fail("ERR_ATTESTER_REMOVED", where);
    if (a.status === "Slashed") fail("ERR_ATTESTER_SLASHED", where);
    const hash = receiptHash(verifier, r);
    checkSignature(r, hash, keys[r.attester_id], where);
    const rec: ReceiptRecord = {
      v: 1,
      id: s.receipts.length,
      hash: bytesToHex(hash),
      attester_id: r.attester_id,
      model_name: r.model_name,
      model_version: r.model_version,
      input_sha256: r.input_sha256,
      output_sha256: r.output_sha256,
      nonce: r.nonce,
      timestamp: r.timestamp,
      enclave_measurement: r.enclave_measurement ?? null,
      relayer,
      accepted_at: nowStr,
      epoch: epochNo,
      status: "Accepted",
    };
    // set says whether it replaced a value: one host call checks and records the nonce (a panic undoes the write),
    // and catches a nonce repeated inside this batch too
    if (s.nonces.set(nonceKey(r.attester_id, r.nonce), rec.id)) fail("ERR_NONCE_USED", where);
    s.receipts.push(rec);
    a.receipts += 1;
    recount(epoch, rec, r.weights_sha256);
    ids.push(rec.id);
    accepted.push({ id: rec.id, attester_id: rec.attester_id, nonce: rec.nonce, hash: rec.hash });
  }
  // the pool takes at most USAGE_EPOCH_MODELS model versions an epoch: one more would make the epoch unreportable
  if (Object.keys(epoch.models).length > USAGE_EPOCH_MODELS)
    fail("ERR_TOO_MANY_MODELS", `${USAGE_EPOCH_MODELS} this epoch`);
  for (const id in touched) s.attesters.set(id, touched[id]);
  s.epochs.set(String(epochNo), epoch);
  // every receipt of a batch is for the active model (checked above)
  const active = s.active;
  const vk = versionKey(active.model_name, active.model_version);
  const v = s.versions.get(vk) ?? {
    v: 1,
    model_name: active.model_name,
    model_version: active.model_version,
    weights_sha256: active.weights_sha256,
    accepted: 0,
    voided: 0,
  };
  v.accepted += receipts.length;
  s.versions.set(vk, v);
  // The relayer pays for the storage its receipts take; the rest of the deposit is refunded.
  keepAndRefund(storageAddedCost(usageBefore), "ERR_STORAGE_DEPOSIT");
  emit("receipts_accepted", accepted);
  return ids;
}
