// Receipts off chain: salted commitments, the canonical encoding (the same text the verifier hashes:
// contracts/inference-verifier/receipt.ts), secp256k1 signing with @noble/curves, and local verification.
import { secp256k1 } from "@noble/curves/secp256k1";
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex, concatBytes, hexToBytes, randomBytes } from "@noble/hashes/utils";

export const RECEIPT_DOMAIN = "ai-commons-receipt-v1";

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
  signature: string;
  recovery_id: number;
}

const enc = new TextEncoder();

// Salted commitments: sha256(tag || salt || UTF-8 bytes), tag "ai-commons-input\n" or "ai-commons-output\n". The
// user keeps the 32-byte salt; without it a short or guessable input cannot be found by hashing candidates, and
// revealing it later proves which input was used. One salt per request covers input and output, so one input
// commitment has exactly one correct output commitment (what a conflicting-receipt challenge relies on).
export function commitInput(salt: Uint8Array, input: string): string {
  return bytesToHex(sha256(concatBytes(enc.encode("ai-commons-input\n"), salt, enc.encode(input))));
}

export function commitOutput(salt: Uint8Array, output: string): string {
  return bytesToHex(sha256(concatBytes(enc.encode("ai-commons-output\n"), salt, enc.encode(output))));
}

export function newSalt(): Uint8Array {
  return randomBytes(32);
}

export function canonicalReceipt(verifierId: string, r: UnsignedReceipt): string {
  return [
    RECEIPT_DOMAIN,
    verifierId,
    r.community,
    r.model_name,
    r.model_version,
    r.weights_sha256,
    r.input_sha256,
    r.output_sha256,
    r.attester_id,
    r.nonce,
    r.timestamp,
    r.enclave_measurement ?? "",
  ].join("\n");
}

export function receiptHash(verifierId: string, r: UnsignedReceipt): Uint8Array {
  return sha256(enc.encode(canonicalReceipt(verifierId, r)));
}

export interface AttesterKey {
  private_key: string;
  // hex of the 64-byte uncompressed key without the 0x04 prefix: the form add_attester takes
  public_key: string;
}

export function newKey(priv: Uint8Array = secp256k1.utils.randomPrivateKey()): AttesterKey {
  return { private_key: bytesToHex(priv), public_key: publicKeyHex(priv) };
}

export function publicKeyHex(priv: Uint8Array | string): string {
  return bytesToHex(secp256k1.getPublicKey(priv, false).subarray(1));
}

// Low-s (the verifier calls ecrecover with malleability flag 1) and RFC 6979 deterministic nonces.
export function signReceipt(verifierId: string, r: UnsignedReceipt, privateKey: string): SignedReceipt {
  const sig = secp256k1.sign(receiptHash(verifierId, r), hexToBytes(privateKey), { lowS: true });
  return { ...r, signature: sig.toCompactHex(), recovery_id: sig.recovery };
}

// The key that signed the receipt, as the contract's ecrecover returns it (hex, 64 bytes), or null.
export function recoverSigner(verifierId: string, r: SignedReceipt): string | null {
  try {
    const sig = secp256k1.Signature.fromCompact(r.signature).addRecoveryBit(r.recovery_id);
    if (sig.hasHighS()) return null;
    return bytesToHex(sig.recoverPublicKey(receiptHash(verifierId, r)).toRawBytes(false).subarray(1));
  } catch {
    return null;
  }
}
