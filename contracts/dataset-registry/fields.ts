// Field validators shared by the dataset and model registries (candidates for contracts/shared/). Plain loops,
// no RegExp: the lean runtime has none. Each returns false rather than panicking so callers pick the error code.
import { isValidName } from "../shared/validate";

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

// A record id is "<name>@<version>"; '@' appears in neither part, so the split is unambiguous.
export function recordId(name: string, version: string): string {
  return `${name}@${version}`;
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

// A human label (framework, architecture, benchmark): visible ASCII and inner spaces, no space at either end.
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
