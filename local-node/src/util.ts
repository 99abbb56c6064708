// Encoding helpers shared by the chain layer: base58/base64, hashing, keys, account ids.
import { createHash } from "node:crypto";
import bs58 from "bs58";

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

export const b58 = (data: Uint8Array): string => bs58.encode(data);
export const fromB58 = (s: string): Uint8Array => bs58.decode(s);
export const b64 = (data: Uint8Array): string => Buffer.from(data).toString("base64");
export const toHex = (data: Uint8Array): string => Buffer.from(data).toString("hex");
export const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "hex"));

/** Strict base64 (standard alphabet, padding optional) as nearcore's serde decoder accepts it. */
export function fromB64(s: unknown): Uint8Array | undefined {
  if (typeof s !== "string") return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.replace(/=+$/, "").length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(s, "base64"));
}

export const EMPTY_CODE_HASH = "11111111111111111111111111111111";

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function u64le(v: bigint): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return new Uint8Array(b);
}

/** A public key as the chain stores it: "ed25519:<b58>" string plus the borsh bytes (type byte + raw key). */
export interface PublicKeyInfo {
  text: string;
  bytes: Uint8Array;
}

export function parsePublicKey(text: unknown): PublicKeyInfo | undefined {
  if (typeof text !== "string") return undefined;
  const [curve, data] = text.includes(":") ? text.split(":", 2) : ["ed25519", text];
  let raw: Uint8Array;
  try {
    raw = fromB58(data);
  } catch {
    return undefined;
  }
  if (curve === "ed25519" && raw.length === 32)
    return { text: `ed25519:${data}`, bytes: concat(Uint8Array.of(0), raw) };
  if (curve === "secp256k1" && raw.length === 64) {
    return { text: `secp256k1:${data}`, bytes: concat(Uint8Array.of(1), raw) };
  }
  return undefined;
}

/** From borsh bytes (type byte + raw) to the text form. */
export function publicKeyFromBytes(bytes: Uint8Array): PublicKeyInfo | undefined {
  if (bytes.length === 33 && bytes[0] === 0) return { text: `ed25519:${b58(bytes.subarray(1))}`, bytes };
  if (bytes.length === 65 && bytes[0] === 1) return { text: `secp256k1:${b58(bytes.subarray(1))}`, bytes };
  return undefined;
}

/** nearcore AccountId validation: 2..64 chars, parts of [a-z0-9] joined by single - or _, separated by dots. */
export function isValidAccountId(id: unknown): id is string {
  if (typeof id !== "string" || id.length < 2 || id.length > 64) return false;
  return /^(([a-z\d]+[-_])*[a-z\d]+\.)*([a-z\d]+[-_])*[a-z\d]+$/.test(id);
}

export function isNearImplicit(id: string): boolean {
  return /^[0-9a-f]{64}$/.test(id);
}

export function isEthImplicit(id: string): boolean {
  return /^0x[0-9a-f]{40}$/.test(id);
}

export function isTopLevel(id: string): boolean {
  return !id.includes(".");
}

/** True when `child` is exactly one label below `parent` (a.b is a direct sub-account of b). */
export function isDirectSubAccount(child: string, parent: string): boolean {
  if (!child.endsWith(`.${parent}`)) return false;
  const head = child.slice(0, child.length - parent.length - 1);
  return head.length > 0 && !head.includes(".");
}

/** JSON with bigint written as decimal strings (used for the journal and RPC results). */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}
