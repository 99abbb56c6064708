import { encode, near, str } from "near-sdk-js";
import { fail } from "../shared/errors";
import { hexToBytes, isHex64, isHexOf, parseU64 } from "./fast";
import { canonicalReceipt } from "../wire/receipt";
import type { ActiveModel, ReceiptInput } from "./types";

// The canonical encoding is the protocol's (contracts/wire/receipt.ts); the checks below make it unambiguous.
export function receiptHash(verifierId: string, r: ReceiptInput): Uint8Array {
  return near.sha256(encode(canonicalReceipt(verifierId, r)));
}

// The registered key as a 64-char Latin-1 string: compared with str(ecrecover(...)) natively, no hex per receipt.
export function keyLatin1(publicKeyHex: string): string {
  return str(hexToBytes(publicKeyHex, 64));
}

// Checks that need no state beyond the active model and the community: shape, hashes, numbers, model. `where`
// names the receipt in a batch so a relayer can find the bad one. Returns the timestamp.
export function checkFields(r: ReceiptInput, community: string, active: ActiveModel | null, where: string): bigint {
  if (r === null || typeof r !== "object") fail("ERR_INVALID_RECEIPT", where);
  if (r.community !== community) fail("ERR_WRONG_COMMUNITY", where);
  if (!isHex64(r.input_sha256)) fail("ERR_INVALID_HASH", `${where}.input_sha256`);
  if (!isHex64(r.output_sha256)) fail("ERR_INVALID_HASH", `${where}.output_sha256`);
  const em = r.enclave_measurement;
  if (em !== undefined && em !== null && !isHex64(em)) fail("ERR_INVALID_HASH", `${where}.enclave_measurement`);
  if (parseU64(r.nonce) === null) fail("ERR_INVALID_NONCE", where);
  const ts = parseU64(r.timestamp);
  if (ts === null) fail("ERR_INVALID_TIMESTAMP", where);
  if (typeof r.attester_id !== "string") fail("ERR_UNKNOWN_ATTESTER", where);
  if (active === null) fail("ERR_NO_ACTIVE_MODEL", where);
  if (r.model_name !== active.model_name || r.model_version !== active.model_version) {
    fail("ERR_MODEL_NOT_ACTIVE", `${where}: active is ${active.model_name}@${active.model_version}`);
  }
  // equal to the validated active hash, hence well-formed; anything else is a mismatch, malformed or not
  if (r.weights_sha256 !== active.weights_sha256) {
    fail(isHex64(r.weights_sha256) ? "ERR_WEIGHTS_MISMATCH" : "ERR_INVALID_HASH", `${where}.weights_sha256`);
  }
  return ts;
}

export function checkWindow(t: bigint, now: bigint, maxAge: bigint, maxSkew: bigint, where: string): void {
  if (t > now + maxSkew) fail("ERR_TIMESTAMP_IN_FUTURE", where);
  if (t + maxAge < now) fail("ERR_TIMESTAMP_TOO_OLD", where);
}

// Recovers the signer of the receipt hash and compares it with the attester's registered key (`key`: keyLatin1).
// The signature's length and recovery id are checked first: ecrecover aborts the whole call on those instead of
// returning null. Malleability flag 1 rejects high-s signatures, so each receipt has exactly one valid signature.
export function checkSignature(r: ReceiptInput, hash: Uint8Array, key: string, where: string): void {
  if (!isHexOf(r.signature, 64)) fail("ERR_INVALID_SIGNATURE", `${where}: signature must be 128 lower-case hex chars`);
  if (r.recovery_id !== 0 && r.recovery_id !== 1) fail("ERR_INVALID_SIGNATURE", `${where}: recovery_id must be 0 or 1`);
  const signer = near.ecrecover(hash, hexToBytes(r.signature, 64), r.recovery_id, 1);
  if (signer === null || str(signer) !== key) fail("ERR_BAD_SIGNATURE", where);
}
