// Receipts off chain: salted commitments, the canonical encoding (the same text the verifier hashes:
// contracts/wire/receipt.ts), secp256k1 signing with @noble/curves, and local verification.
import { secp256k1 } from "@noble/curves/secp256k1";
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex, concatBytes, hexToBytes, randomBytes } from "@noble/hashes/utils";
import {
  canonicalReceipt,
  RECEIPT_DOMAIN,
  type SignedReceipt,
  type UnsignedReceipt,
} from "../../contracts/wire/receipt.ts";
import { AttesterError } from "./errors.ts";

// The receipt, its domain tag and its canonical signing text are the protocol's (contracts/wire/receipt.ts): the
// verifier hashes the same text. v2: commitments take exactly SALT_BYTES of salt.
export { canonicalReceipt, RECEIPT_DOMAIN, type SignedReceipt, type UnsignedReceipt };
export const SALT_BYTES = 32;

const enc = new TextEncoder();

// Salted commitments: sha256(tag || salt || UTF-8 bytes), tag "ai-commons-input\n" or "ai-commons-output\n". The
// user keeps the salt; without it a short or guessable input cannot be found by hashing candidates, and revealing it
// later proves which input was used. One salt per request covers input and output, so one input commitment has
// exactly one correct output commitment (what the verifier's instant slash for equivocation relies on). That holds
// only if a commitment has one opening: the salt is exactly 32 bytes (else (S, "how") and (S || "h", "ow") collide)
// and the text is well-formed UTF-16 (else a lone surrogate and U+FFFD encode to the same bytes yet may get other
// answers). Anything else is refused before signing: ERR_SALT_LENGTH, ERR_INPUT_NOT_UNICODE.
export function checkSalt(salt: Uint8Array): void {
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_BYTES) {
    throw new AttesterError("ERR_SALT_LENGTH", `the salt must be exactly ${SALT_BYTES} bytes`);
  }
}

export function checkText(text: string): void {
  // with the u flag a surrogate pair is one code point, so this matches lone surrogates only
  if (typeof text !== "string" || /[\uD800-\uDFFF]/u.test(text)) {
    throw new AttesterError("ERR_INPUT_NOT_UNICODE", "text must be well-formed UTF-16 (no lone surrogates)");
  }
}

function commit(tag: string, salt: Uint8Array, text: string): string {
  checkSalt(salt);
  checkText(text);
  return bytesToHex(sha256(concatBytes(enc.encode(tag), salt, enc.encode(text))));
}

export function commitInput(salt: Uint8Array, input: string): string {
  return commit("ai-commons-input\n", salt, input);
}

export function commitOutput(salt: Uint8Array, output: string): string {
  return commit("ai-commons-output\n", salt, output);
}

export function newSalt(): Uint8Array {
  return randomBytes(SALT_BYTES);
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
