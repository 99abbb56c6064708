// Gas-lean helpers for the per-receipt path. In QuickJS on NEAR one iteration of a plain JS loop costs about
// 0.8 Ggas, so a per-character hex check (64 iterations) costs more than the ecrecover host call. These push the
// work into natively implemented built-ins (BigInt parsing, parseInt, DataView, JSON) instead. Measured in
// docs/verifier.md ("Gas").

const U64_MAX = 18446744073709551615n;

// Lower-case hex sha256 (64 chars). BigInt("0x...") rejects non-hex characters; the round trip through
// toString(16) rejects upper case and surrounding whitespace (which BigInt() would otherwise trim).
export function isHex64(h: unknown): h is string {
  if (typeof h !== "string" || h.length !== 64) return false;
  try {
    return BigInt(`0x${h}`).toString(16).padStart(64, "0") === h;
  } catch (_e) {
    return false;
  }
}

// Lower-case hex of `bytes` bytes (a multiple of 4), same technique as isHex64.
export function isHexOf(h: unknown, bytes: number): h is string {
  if (typeof h !== "string" || h.length !== bytes * 2) return false;
  try {
    return (
      BigInt(`0x${h}`)
        .toString(16)
        .padStart(bytes * 2, "0") === h
    );
  } catch (_e) {
    return false;
  }
}

// A canonical u64 decimal string ("0", "17", never "017", "+1", " 1" or "0x11") as a bigint, or null.
export function parseU64(v: unknown): bigint | null {
  if (typeof v !== "string" || v.length < 1 || v.length > 20) return null;
  try {
    const b = BigInt(v);
    return b >= 0n && b <= U64_MAX && b.toString() === v ? b : null;
  } catch (_e) {
    return null;
  }
}

// Hex already validated (isHexOf) to bytes, four bytes per step. `len` is a multiple of 4.
export function hexToBytes(h: string, len: number): Uint8Array {
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < len; i += 4) dv.setUint32(i, parseInt(h.substring(2 * i, 2 * i + 8), 16));
  return out;
}

// Bytes (length a multiple of 4) to lower-case hex, four bytes per step.
export function bytesToHex(b: Uint8Array): string {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let out = "";
  for (let i = 0; i < b.length; i += 4) out += dv.getUint32(i).toString(16).padStart(8, "0");
  return out;
}
