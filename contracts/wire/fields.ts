// Field rules of the suite's protocol: what an account id, a name, a version, a record id, an amount, a hash, a
// license, a URI, a label or a memo may be. Pure predicates (no near-sdk-js import, no RegExp: the lean runtime has
// none), true/false so each caller picks its own error code; contracts, CLI, attester and tests use the same ones.

const U128_MAX = 340282366920938463463374607431768211455n;

export const MAX_NAME = 64;
export const MAX_VERSION = 32;
export const MAX_LICENSE = 64;
export const MAX_URI = 512;
export const MAX_LABEL = 64;
export const MAX_MEMO = 256;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLowerAlnum(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 122);
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
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
export function isAmount(value: unknown): value is string {
  if (typeof value !== "string" || value.length < 1 || value.length > 39) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (value.length > 1 && value.charCodeAt(0) === 48) return false;
  return BigInt(value) <= U128_MAX;
}

// Same as isAmount for nanosecond durations and gas (u64).
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

// An attester's secp256k1 public key as the verifier takes it (add_attester, the DAO's AddAttester): the 64-byte
// uncompressed key without its 0x04 prefix, as 128 lower-case hex characters. BigInt parsing rejects non-hex, the
// round trip upper case: one native call where a 128-step loop costs ~0.1 Tgas in QuickJS.
export function isPublicKeyHex(k: unknown): k is string {
  if (typeof k !== "string" || k.length !== 128) return false;
  try {
    return BigInt(`0x${k}`).toString(16).padStart(128, "0") === k;
  } catch (_e) {
    return false;
  }
}

// The name of a dataset or a model (the model-name rule everywhere: registries, verifier, pool): 1..64 of a-z 0-9 -.
export function isRecordName(name: unknown): name is string {
  return isValidName(name, MAX_NAME);
}

// A version label such as "1.0.0", "2024-06" or "v3-rc.1": lower-case alnum, '.', '-', starting and ending alnum.
export function isVersion(v: unknown): v is string {
  if (typeof v !== "string" || v.length < 1 || v.length > MAX_VERSION) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!(isLowerAlnum(c) || c === 46 || c === 45)) return false;
  }
  return isLowerAlnum(v.charCodeAt(0)) && isLowerAlnum(v.charCodeAt(v.length - 1));
}

// A record id is "<name>@<version>" (datasets, models, the pool's model keys); '@' appears in neither part, so the
// split is unambiguous. The pool still accepts integer versions from older callers: 1 and "1" give the same id.
export function recordId(name: string, version: string | number): string {
  return `${name}@${version}`;
}

// The two parts of a record id (no check: see isRecordId).
export function splitRecordId(id: string): { name: string; version: string } {
  const at = id.indexOf("@");
  return { name: id.slice(0, at), version: id.slice(at + 1) };
}

export function isRecordId(id: unknown): id is string {
  if (typeof id !== "string") return false;
  const at = id.indexOf("@");
  return at > 0 && isRecordName(id.slice(0, at)) && isVersion(id.slice(at + 1));
}

// An SPDX license id or LicenseRef ("MIT", "Apache-2.0", "CC-BY-4.0", "LicenseRef-community-1"): letters,
// digits, '.', '-', '+'; starts with a letter. Compound expressions are not accepted: one id per record.
export function isSpdxId(s: unknown): s is string {
  if (typeof s !== "string" || s.length < 1 || s.length > MAX_LICENSE) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(isAlpha(c) || isDigit(c) || c === 46 || c === 45 || c === 43)) return false;
  }
  return isAlpha(s.charCodeAt(0));
}

// "<scheme>://<rest>": scheme a letter then letters, digits, '+', '-', '.'; rest 1+ visible ASCII characters.
export function isUri(s: unknown): s is string {
  if (typeof s !== "string" || s.length < 4 || s.length > MAX_URI) return false;
  const sep = s.indexOf("://");
  if (sep < 1 || sep + 3 >= s.length) return false;
  if (!isAlpha(s.charCodeAt(0))) return false;
  for (let i = 1; i < sep; i++) {
    const c = s.charCodeAt(i);
    if (!(isAlpha(c) || isDigit(c) || c === 43 || c === 45 || c === 46)) return false;
  }
  for (let i = sep + 3; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

// A human label (framework, architecture, benchmark, manifest name): visible ASCII and inner spaces, no space at
// either end.
export function isLabel(s: unknown, max = MAX_LABEL): s is string {
  if (typeof s !== "string" || s.length < 1 || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return s.charCodeAt(0) !== 32 && s.charCodeAt(s.length - 1) !== 32;
}

// An optional free-text memo (reasons on DAO decisions): any characters but bounded.
export function isMemo(s: unknown): boolean {
  return s === undefined || s === null || (typeof s === "string" && s.length <= MAX_MEMO);
}

// A decimal metric value: optional '-', digits, at most one '.', 1..32 characters ("0.873", "-1.5", "42").
export function isDecimal(s: unknown): s is string {
  if (typeof s !== "string" || s.length < 1 || s.length > 32) return false;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (c === 46) dots++;
    else if (!(c === 45 && i === 0)) return false;
  }
  return digits > 0 && dots <= 1 && s.charCodeAt(s.length - 1) !== 46;
}

// A contract method name (a FunctionCall proposal's action, an UpgradeSelf's migration): 1..256 of a-z A-Z 0-9 _.
export function isMethodName(name: unknown): name is string {
  if (typeof name !== "string" || name.length < 1 || name.length > 256) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95)) return false;
  }
  return true;
}
