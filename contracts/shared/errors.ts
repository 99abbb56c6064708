import { encode, near } from "near-sdk-js";

// Panics with exactly `CODE` or `CODE: detail`. We panic directly instead of throwing: a thrown Error reaches the
// host as "message\nstack", and callers (tests, CLI, other contracts) match on a stable code.
export function fail(code: string, detail?: string): never {
  return near.panicUtf8(encode(detail === undefined ? code : `${code}: ${detail}`));
}

export function ensure(condition: unknown, code: string, detail?: string): asserts condition {
  if (!condition) fail(code, detail);
}
