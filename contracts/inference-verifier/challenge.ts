import { near } from "near-sdk-js";
import { fail } from "../shared/errors";
import { keepAndRefund, sendNear, storageAddedCost, storageCost } from "../shared/storage";
import { isHexHash, isSafeInt, isU64String, toHex } from "../shared/validate";
import { checkSignature, keyLatin1, receiptHash } from "./receipt";
import { challengeWindowEnd } from "../wire/receipt";
import type { VerifierState } from "./state";
import { emit, getEpoch, recount, uncount, versionKey } from "./state";
import type { Attester, Dispute, ReceiptInput, ReceiptRecord } from "./types";

export function getReceipt(s: VerifierState, receiptId: number): ReceiptRecord {
  if (!isSafeInt(receiptId, 0, 4294967295)) fail("ERR_INVALID_RECEIPT_ID");
  const rec = s.receipts.get(receiptId);
  if (rec === null) fail("ERR_UNKNOWN_RECEIPT", String(receiptId));
  return rec;
}

// Open while the window runs, unless the receipt's window had already ended when the DAO raised it (state.ts).
function windowOpen(s: VerifierState, rec: ReceiptRecord): boolean {
  const w = { windowNs: BigInt(s.settings.challenge_window_ns), closedBeforeNs: BigInt(s.challenges_closed_before_ns) };
  return near.blockTimestamp() < challengeWindowEnd(BigInt(rec.accepted_at), w);
}

// Once the first part of an epoch's report has gone out (its counts frozen, usage.ts), nothing may change the
// epoch's usage: the pool holds parts cut from those counts and the rest must match them. A receipt's window can be
// open again only if the DAO raised challenge_window_ns after the report started while the receipt was still open;
// its epoch stays as reported.
function notFrozen(s: VerifierState, rec: ReceiptRecord): void {
  const e = s.epochs.get(String(rec.epoch));
  if (e !== null && (e.status === "Reported" || (e.parts ?? 0) > 0)) fail("ERR_REPORT_STARTED", `epoch ${rec.epoch}`);
}

function attesterOf(s: VerifierState, id: string): Attester {
  const a = s.attesters.get(id);
  if (a === null) fail("ERR_UNKNOWN_ATTESTER", id);
  return a;
}

// Challenge with a conflicting receipt: same community, model version and input commitment, another output
// commitment, validly signed by a registered attester (any status: a removed attester's key still authenticates).
// The model is deterministic, the salt is shared by input and output and is exactly 32 bytes (receipt domain v2,
// checked by the attester before signing), so one input commitment has exactly one opening and one correct output
// commitment: an honest attester can never sign two v2 receipts with one input commitment and two outputs.
// - Same attester: it signed two outputs for one input, which is fraud on its face: the receipt is voided and the
//   attester slashed at once. The whole bond goes back to the DAO that posted it: a share for the challenger would
//   be paid out of the treasury's money to whoever is first with the proof, and the attester always is (from a side
//   account). The challenger pays only gas; any deposit is refunded.
// - Another attester: one of the two lied, and only re-running the model on the revealed input tells which. The
//   receipt is Disputed (its usage withheld, its epoch not reportable) until the DAO votes void_receipt or
//   dismiss_dispute. The challenger attaches settings.dispute_bond plus the storage the dispute takes
//   (ERR_DISPUTE_BOND): both refunded when the DAO upholds it, the bond forfeited to the DAO when it dismisses it.
//   A dismissed receipt cannot be disputed again (ERR_DISPUTE_DISMISSED).
export function challengeReceipt(s: VerifierState, receiptId: number, c: ReceiptInput): string {
  const rec = getReceipt(s, receiptId);
  if (rec.status !== "Accepted") fail("ERR_RECEIPT_NOT_CHALLENGEABLE", rec.status);
  if (!windowOpen(s, rec)) fail("ERR_CHALLENGE_WINDOW_CLOSED");
  notFrozen(s, rec);
  if (c === null || typeof c !== "object") fail("ERR_INVALID_RECEIPT", "conflicting");
  if (c.community !== s.community) fail("ERR_WRONG_COMMUNITY", "conflicting");
  if (!isHexHash(c.output_sha256) || !isHexHash(c.weights_sha256)) fail("ERR_INVALID_HASH", "conflicting");
  const em = c.enclave_measurement;
  if (em !== undefined && em !== null && !isHexHash(em)) fail("ERR_INVALID_HASH", "conflicting.enclave_measurement");
  if (!isU64String(c.nonce)) fail("ERR_INVALID_NONCE", "conflicting");
  if (!isU64String(c.timestamp)) fail("ERR_INVALID_TIMESTAMP", "conflicting");
  if (c.model_name !== rec.model_name || c.model_version !== rec.model_version) {
    fail("ERR_NOT_CONFLICTING", "another model version");
  }
  if (c.input_sha256 !== rec.input_sha256) fail("ERR_NOT_CONFLICTING", "another input commitment");
  if (c.output_sha256 === rec.output_sha256) fail("ERR_NOT_CONFLICTING", "same output commitment");
  const v = s.versions.get(versionKey(rec.model_name, rec.model_version))!;
  if (c.weights_sha256 !== v.weights_sha256) fail("ERR_WEIGHTS_MISMATCH", "conflicting");
  if (typeof c.attester_id !== "string") fail("ERR_UNKNOWN_ATTESTER", "conflicting");
  const signer = attesterOf(s, c.attester_id);
  const hash = receiptHash(near.currentAccountId(), c);
  checkSignature(c, hash, keyLatin1(signer.public_key), "conflicting");
  const challenger = near.predecessorAccountId();
  const same = c.attester_id === rec.attester_id;
  // a dismissed dispute stays on record: the DAO already judged this receipt against another attester's answer
  if (!same && s.disputes.get(String(rec.id)) !== null) fail("ERR_DISPUTE_DISMISSED", String(rec.id));
  // a state written before dispute bonds existed has no dispute_bond: the default (1 NEAR) until the DAO sets one
  const bond = BigInt(s.settings.dispute_bond ?? "1000000000000000000000000");
  const attached = near.attachedDeposit();
  if (!same && attached < bond) fail("ERR_DISPUTE_BOND", `attach the dispute bond ${bond} plus storage`);
  emit("receipt_challenged", [
    { receipt_id: rec.id, challenger, conflicting_attester_id: c.attester_id, conflicting_hash: toHex(hash) },
  ]);
  if (same) {
    voidReceipt(s, rec, "equivocation");
    slash(s, signer, challenger, `equivocation on receipt ${rec.id}`);
    keepAndRefund(0n);
    return "Slashed";
  }
  const usageBefore = near.storageUsage();
  const e = getEpoch(s, rec.epoch);
  uncount(e, rec);
  e.open_disputes += 1;
  s.epochs.set(String(rec.epoch), e);
  rec.status = "Disputed";
  s.receipts.replace(rec.id, rec);
  const owner = attesterOf(s, rec.attester_id);
  owner.open_disputes += 1;
  s.attesters.set(owner.attester_id, owner);
  const d: Dispute = {
    v: 1,
    receipt_id: rec.id,
    challenger,
    conflicting_attester_id: c.attester_id,
    conflicting_output_sha256: c.output_sha256,
    conflicting_hash: toHex(hash),
    opened_at: near.blockTimestamp().toString(),
    bond: bond.toString(),
    // placeholder no shorter than the final value, so the rewrite below takes no more storage than measured
    storage_deposit: attached.toString(),
    dismissed: false,
  };
  s.disputes.set(String(rec.id), d);
  const total = (BigInt(s.dispute_bonds_total) + bond).toString();
  // plus what STATE grows when the total gets longer (STATE is written after this returns)
  const longer = BigInt(Math.max(0, total.length - s.dispute_bonds_total.length));
  const storage = storageAddedCost(usageBefore) + storageCost(longer);
  if (attached < bond + storage) fail("ERR_DISPUTE_BOND", `attached ${attached}, required ${bond + storage}`);
  d.storage_deposit = storage.toString();
  s.disputes.set(String(rec.id), d);
  s.dispute_bonds_total = total;
  sendNear(challenger, attached - bond - storage);
  emit("dispute_opened", [
    { receipt_id: rec.id, attester_id: rec.attester_id, challenger, bond: d.bond, storage_deposit: d.storage_deposit },
  ]);
  return "Disputed";
}

// Marks a receipt Voided and takes it out of usage. An Accepted receipt is uncounted here; a Disputed one was
// uncounted when its dispute opened, which this closes as upheld: the challenger's bond and storage deposit go back.
export function voidReceipt(s: VerifierState, rec: ReceiptRecord, reason: string): void {
  const e = getEpoch(s, rec.epoch);
  const a = attesterOf(s, rec.attester_id);
  if (rec.status === "Accepted") uncount(e, rec);
  else if (rec.status === "Disputed") {
    e.open_disputes -= 1;
    a.open_disputes -= 1;
    const d = s.disputes.take(String(rec.id));
    if (d !== null) upheld(s, d);
  }
  s.epochs.set(String(rec.epoch), e);
  rec.status = "Voided";
  s.receipts.replace(rec.id, rec);
  a.voided += 1;
  s.attesters.set(a.attester_id, a);
  const vk = versionKey(rec.model_name, rec.model_version);
  const v = s.versions.get(vk)!;
  v.voided += 1;
  s.versions.set(vk, v);
  emit("receipt_voided", [{ receipt_id: rec.id, attester_id: rec.attester_id, reason }]);
}

function upheld(s: VerifierState, d: Dispute): void {
  const bond = BigInt(d.bond ?? "0");
  const refund = bond + BigInt(d.storage_deposit ?? "0");
  s.dispute_bonds_total = (BigInt(s.dispute_bonds_total) - bond).toString();
  sendNear(d.challenger, refund);
  emit("dispute_upheld", [{ receipt_id: d.receipt_id, challenger: d.challenger, refund: refund.toString() }]);
}

// The whole remaining bond goes back to the DAO treasury, which posted it: nothing to the challenger (`challenger`
// is recorded only; `to_challenger` stays in the event, always "0"). The attester can never submit again; its
// usage not yet reported is withheld (usage.ts).
export function slash(s: VerifierState, a: Attester, challenger: string | null, reason: string): void {
  // re-read: voidReceipt may have written this attester since the caller loaded it
  const cur = attesterOf(s, a.attester_id);
  if (cur.status === "Slashed") return;
  const amount = BigInt(cur.bond);
  cur.bond = "0";
  cur.status = "Slashed";
  s.attesters.set(cur.attester_id, cur);
  s.bonds_total = (BigInt(s.bonds_total) - amount).toString();
  sendNear(s.dao_id, amount);
  emit("attester_slashed", [
    {
      attester_id: cur.attester_id,
      amount: amount.toString(),
      to_challenger: "0",
      challenger,
      to_dao: amount.toString(),
      reason,
    },
  ]);
}

// DAO vote: void a receipt still in its challenge window, or a disputed one at any time; optionally slash its
// attester.
export function daoVoid(s: VerifierState, receiptId: number, doSlash: boolean, reason: string): void {
  const rec = getReceipt(s, receiptId);
  if (rec.status === "Voided") fail("ERR_ALREADY_VOIDED");
  if (rec.status === "Accepted" && !windowOpen(s, rec)) fail("ERR_CHALLENGE_WINDOW_CLOSED");
  notFrozen(s, rec);
  voidReceipt(s, rec, `dao: ${reason}`);
  if (doSlash) slash(s, attesterOf(s, rec.attester_id), null, `dao vote on receipt ${rec.id}: ${reason}`);
}

// DAO vote: the conflicting receipt was the false one; the receipt counts again. The challenger's bond goes to the
// DAO; the dispute record stays (its storage paid by the challenger's storage deposit), marked dismissed, so the
// receipt cannot be disputed again.
export function dismissDispute(s: VerifierState, receiptId: number): void {
  const rec = getReceipt(s, receiptId);
  if (rec.status !== "Disputed") fail("ERR_NOT_DISPUTED");
  notFrozen(s, rec);
  const e = getEpoch(s, rec.epoch);
  const v = s.versions.get(versionKey(rec.model_name, rec.model_version))!;
  recount(e, rec, v.weights_sha256);
  e.open_disputes -= 1;
  s.epochs.set(String(rec.epoch), e);
  rec.status = "Accepted";
  s.receipts.replace(rec.id, rec);
  const a = attesterOf(s, rec.attester_id);
  a.open_disputes -= 1;
  s.attesters.set(a.attester_id, a);
  const d = s.disputes.get(String(rec.id));
  let forfeited = 0n;
  if (d !== null) {
    forfeited = BigInt(d.bond ?? "0");
    d.dismissed = true;
    s.disputes.set(String(rec.id), d);
    s.dispute_bonds_total = (BigInt(s.dispute_bonds_total) - forfeited).toString();
    sendNear(s.dao_id, forfeited);
  }
  emit("dispute_dismissed", [
    { receipt_id: rec.id, challenger: d?.challenger ?? null, forfeited: forfeited.toString() },
  ]);
}
