import { fail } from "./errors";

const U128_MAX = 340282366920938463463374607431768211455n;

function isLowerAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
}

function isSeparator(c: number): boolean {
  return c === 45 || c === 95 || c === 46; // - _ .
}

// NEAR account id rules: 2..64 chars of a-z 0-9, parts separated by one of - _ . with no separator at either end
// and none doubled. Implicit (64 hex) and ETH-style (0x + 40 hex) ids satisfy these rules too.
export function isValidAccountId(id: unknown): id is string {
  if (typeof id !== "string" || id.length < 2 || id.length > 64) return false;
  let lastWasSeparator = true;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (isSeparator(c)) {
      if (lastWasSeparator) return false;
      lastWasSeparator = true;
    } else if (isLowerAlnum(c)) {
      lastWasSeparator = false;
    } else {
      return false;
    }
  }
  return !lastWasSeparator;
}

export function assertAccountId(id: unknown, field = "account_id"): string {
  if (!isValidAccountId(id)) fail("ERR_INVALID_ACCOUNT_ID", `${field}: ${String(id)}`);
  return id;
}

// A short name used as a label or an account part: 1..max chars of a-z 0-9 and '-', no '-' at either end or doubled.
export function isValidName(name: unknown, max = 32): name is string {
  if (typeof name !== "string" || name.length < 1 || name.length > max) return false;
  let last = 45;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 45) {
      if (last === 45) return false;
    } else if (!isLowerAlnum(c)) {
      return false;
    }
    last = c;
  }
  return last !== 45;
}

// yoctoNEAR amount as a decimal string: digits only, no leading zeros, at most u128::MAX.
export function parseAmount(value: unknown, field = "amount"): bigint {
  if (typeof value !== "string" || value.length < 1 || value.length > 39) fail("ERR_INVALID_AMOUNT", field);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) fail("ERR_INVALID_AMOUNT", field);
  }
  if (value.length > 1 && value.charCodeAt(0) === 48) fail("ERR_INVALID_AMOUNT", field);
  const n = BigInt(value);
  if (n > U128_MAX) fail("ERR_INVALID_AMOUNT", field);
  return n;
}

export function isAmount(value: unknown): value is string {
  if (typeof value !== "string" || value.length < 1 || value.length > 39) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (value.length > 1 && value.charCodeAt(0) === 48) return false;
  return BigInt(value) <= U128_MAX;
}

// Same as parseAmount for nanosecond durations and gas (u64).
export function isU64String(value: unknown): value is string {
  return isAmount(value) && BigInt(value) <= 18446744073709551615n;
}

export function isSafeInt(n: unknown, min = 0, max = 1000000000): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;
}

// Lower-case hex sha256, the form every contract here uses for code and blob hashes.
export function isHexHash(h: unknown): h is string {
  if (typeof h !== "string" || h.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = h.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
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

export function isMethodName(name: unknown): name is string {
  if (typeof name !== "string" || name.length < 1 || name.length > 256) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!(isLowerAlnum(c) || (c >= 65 && c <= 90) || c === 95)) return false;
  }
  return true;
}
