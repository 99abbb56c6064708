// An inference receipt as the attester signs it and a relayer submits it (inference_verifier.submit_receipt(s),
// challenge_receipt), and its canonical signing text (docs/verifier.md, "Canonical encoding"): the fields below, in
// this order, joined by "\n", UTF-8, after the domain tag and the verifier's own account id (so a signature binds to
// one deployment). The verifier checks every field (account id, name, lower-case hex, decimal digits) before it
// trusts the text, so no field can contain "\n" and the join is unambiguous. Text, not borsh: the contract builds it
// with a few string concatenations, where byte-level packing costs many QuickJS operations per receipt.

// v2: commitments take exactly 32 bytes of salt (v1 took any length, so (salt, "how") and (salt || "h", "ow")
// committed to the same input and two honest receipts could be framed as an equivocation). No v1 receipt verifies.
export const RECEIPT_DOMAIN = "ai-commons-receipt-v2";

// What a relayer attaches per receipt it submits (0.02 NEAR): the verifier keeps exactly the storage the receipt adds
// (about 0.006 NEAR for an epoch's first receipt, less after) and refunds the rest in the same call.
export const RECEIPT_STORAGE_DEPOSIT = 20_000_000_000_000_000_000_000n;

// Hashes are lower-case hex sha256; u64 values (nonce, timestamp in ns) are decimal strings.
export interface UnsignedReceipt {
  community: string;
  model_name: string;
  model_version: string;
  weights_sha256: string;
  input_sha256: string;
  output_sha256: string;
  attester_id: string;
  nonce: string;
  timestamp: string;
  enclave_measurement?: string | null;
}

export interface SignedReceipt extends UnsignedReceipt {
  // hex of r || s (64 bytes, low-s) and the recovery id (0 or 1)
  signature: string;
  recovery_id: number;
}

export function canonicalReceipt(verifierId: string, r: UnsignedReceipt): string {
  return (
    `${RECEIPT_DOMAIN}\n${verifierId}\n${r.community}\n${r.model_name}\n${r.model_version}\n${r.weights_sha256}\n` +
    `${r.input_sha256}\n${r.output_sha256}\n${r.attester_id}\n${r.nonce}\n${r.timestamp}\n${r.enclave_measurement ?? ""}`
  );
}

// The verifier's challenge window: its setting, and the instant before which every accepted receipt is closed for good
// (`challenges_closed_before_ns`: their window had ended when the DAO raised the setting; a raise reopens nothing).
export interface ChallengeWindow {
  windowNs: bigint;
  closedBeforeNs: bigint;
}

// The window as the verifier's get_config shows it (a verifier from before the field: nothing closed early).
export function challengeWindowOf(config: {
  settings: { challenge_window_ns: string };
  challenges_closed_before_ns?: string;
}): ChallengeWindow {
  return {
    windowNs: BigInt(config.settings.challenge_window_ns),
    closedBeforeNs: BigInt(config.challenges_closed_before_ns ?? "0"),
  };
}

// When a receipt's challenge window ends (ns): accepted_at + the window, or, for a receipt accepted before
// closedBeforeNs, that instant (it was closed by then). The verifier takes challenges and voids while the chain's
// clock is before it; the attester's checks and service call the receipt final from it on.
export function challengeWindowEnd(acceptedAtNs: bigint, w: ChallengeWindow): bigint {
  return acceptedAtNs < w.closedBeforeNs ? w.closedBeforeNs : acceptedAtNs + w.windowNs;
}
