import { fail } from "./errors";
import { isAmount, isValidAccountId } from "../wire/fields.js";

// The pure field rules live in contracts/wire/fields.ts (the protocol's, shared with the CLI, attester and tests);
// re-exported here with the helpers that panic or use the runtime.
export {
  isAmount,
  isHexHash,
  isMethodName,
  isRecordId,
  isRecordName,
  isSafeInt,
  isU64String,
  isValidAccountId,
  isValidName,
  isVersion,
} from "../wire/fields.js";

export function assertAccountId(id: unknown, field = "account_id"): string {
  if (!isValidAccountId(id)) fail("ERR_INVALID_ACCOUNT_ID", `${field}: ${String(id)}`);
  return id;
}

// yoctoNEAR amount as a decimal string: digits only, no leading zeros, at most u128::MAX.
export function parseAmount(value: unknown, field = "amount"): bigint {
  if (!isAmount(value)) fail("ERR_INVALID_AMOUNT", field);
  return BigInt(value);
}

const HEX = "0123456789abcdef";

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return out;
}

function b64Value(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 43 || c === 45) return 62; // + or -
  if (c === 47 || c === 95) return 63; // / or _
  return -1;
}

// Standard or url-safe base64, padding optional. Returns null on a malformed string.
export function decodeBase64(s: string): Uint8Array | null {
  let len = s.length;
  while (len > 0 && s.charCodeAt(len - 1) === 61) len--;
  if (len % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const v = b64Value(s.charCodeAt(i));
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

// Code a contract stores or deploys (the factory's store_code, a suite contract's upgrade): 8 bytes .. 4 MiB and the
// "\0asm" magic, so obvious garbage is refused before it costs anyone a deploy.
export const MAX_CODE_BYTES = 4 * 1024 * 1024;

export function assertWasmCode(code: Uint8Array): void {
  if (code.length < 8 || code.length > MAX_CODE_BYTES) fail("ERR_INVALID_CODE", "8 bytes .. 4 MiB");
  if (code[0] !== 0 || code[1] !== 97 || code[2] !== 115 || code[3] !== 109) fail("ERR_INVALID_CODE", "not wasm");
}
