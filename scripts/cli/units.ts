// Human units for the CLI's plain output, in one place: NEAR amounts, basis points as percent, gas, nanosecond
// timestamps as UTC dates, durations, reward epochs as the dates they span, and explorer links. `--json` output never
// goes through here: it keeps the exact values (yocto strings, basis points, nanoseconds, epoch numbers).
//
// NEAR amounts: at most 5 decimals, cut (never rounded up, so a balance is never shown as more than it is), trailing
// zeros dropped, thousands grouped with ",": "1.25 NEAR", "0.99999 NEAR" (for 0.999999), "1,234,567.5 NEAR". A
// non-zero amount below 0.00001 NEAR is not shown as 0: below 1,000,000 yocto it is exact ("1 yoctoNEAR", NEAR's
// one-yocto deposits), above that "< 0.00001 NEAR". Amounts are never negative (u128 on chain).

import { NEAR, SEC } from "../../contracts/wire/units.ts";
import { accountUrl, type NetworkName, txUrl } from "./networks.ts";

const DECIMALS = 5;
const STEP = 10n ** BigInt(24 - DECIMALS); // the smallest amount shown in decimals: 0.00001 NEAR
/** Below this many yocto a non-zero amount is shown exactly in yoctoNEAR. */
export const YOCTO_SHOWN_BELOW = 1_000_000n;

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** yocto (string or bigint) -> "1.25 NEAR" (see the rules above). */
export function near(yocto: string | bigint): string {
  const y = BigInt(yocto);
  if (y < 0n) throw new RangeError(`a NEAR amount cannot be negative (got ${y})`);
  if (y === 0n) return "0 NEAR";
  if (y < YOCTO_SHOWN_BELOW) return `${y} yoctoNEAR`;
  if (y < STEP) return `< 0.${"0".repeat(DECIMALS - 1)}1 NEAR`;
  const whole = y / NEAR;
  const frac = ((y % NEAR) / STEP).toString().padStart(DECIMALS, "0").replace(/0+$/, "");
  return `${group(whole.toString())}${frac ? `.${frac}` : ""} NEAR`;
}

/** Basis points -> percent, exact: 1250 -> "12.5%", 10000 -> "100%", 1 -> "0.01%". */
export function bps(value: number): string {
  const sign = value < 0 ? "-" : "";
  const a = Math.abs(value);
  const frac = String(a % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return `${sign}${Math.floor(a / 100)}${frac ? `.${frac}` : ""}%`;
}

/** A share `part / whole` in percent with one decimal: "33.3%" (0% when whole is 0). */
export function share(part: number | bigint, whole: number | bigint): string {
  const p = Number(part);
  const w = Number(whole);
  return `${w === 0 ? "0" : ((p * 100) / w).toFixed(1).replace(/\.0$/, "")}%`;
}

/** Gas -> "12.34 Tgas". */
export function tgas(gas: bigint | string | number): string {
  return `${(Number(BigInt(gas) / 10n ** 9n) / 1000).toFixed(2)} Tgas`;
}

const NS_PER_MS = 1_000_000n;

/** A block timestamp in nanoseconds -> "2026-12-05 01:23:45 UTC" (to the second; chain time is not finer). */
export function date(ns: string | bigint): string {
  const iso = new Date(Number(BigInt(ns) / NS_PER_MS)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

const UNITS: [bigint, string, string][] = [
  [86_400n, "day", "days"],
  [3_600n, "h", "h"],
  [60n, "min", "min"],
  [1n, "s", "s"],
];

/** Nanoseconds -> the two largest units: "2 days", "1 day 4 h", "3 h 20 min", "45 s", "0 s" (cut, not rounded). */
export function duration(ns: string | bigint): string {
  let s = BigInt(ns) / SEC;
  if (s < 0n) s = -s;
  const parts: string[] = [];
  for (const [size, one, many] of UNITS) {
    if (parts.length === 2) break;
    const n = s / size;
    s %= size;
    if (n > 0n) parts.push(`${n} ${n === 1n ? one : many}`);
    else if (parts.length > 0) break;
  }
  return parts.length === 0 ? "0 s" : parts.join(" ");
}

/** `at` relative to `now` (both nanoseconds): "in 3 h 20 min", "2 days ago", "now" within a second. */
export function relative(at: string | bigint, now: string | bigint): string {
  const d = BigInt(at) - BigInt(now);
  if (d > -SEC && d < SEC) return "now";
  return d > 0n ? `in ${duration(d)}` : `${duration(d)} ago`;
}

/** "2026-12-05 01:23:45 UTC (in 3 h 20 min)", or the date alone without `now`. */
export function when(at: string | bigint, now?: string | bigint): string {
  return now === undefined ? date(at) : `${date(at)} (${relative(at, now)})`;
}

/**
 * A reward epoch (docs/rewards.md): epoch E of length L nanoseconds is the block time [E x L, (E + 1) x L), so its
 * number alone says nothing to a person. -> "epoch 20427 (2025-12-05 00:00:00 UTC to 2025-12-06 00:00:00 UTC, 1 day)".
 */
export function epoch(n: number, lengthNs: string | bigint | undefined): string {
  if (lengthNs === undefined || BigInt(lengthNs) === 0n) return `epoch ${n}`;
  const len = BigInt(lengthNs);
  const start = BigInt(n) * len;
  return `epoch ${n} (${date(start)} to ${date(start + len)}, ${duration(len)})`;
}

// Field names whose values are yocto, gas, basis points or nanosecond lengths in the suite's records (proposal
// kinds, policies, settings), for humanFields.
const YOCTO_KEYS = /^(amount|deposit|bond|proposal_bond|attester_fee|min_bond|storage_cost)$|_(amount|deposit|yocto)$/;
const NS_KEYS = /^(proposal_period|timelock|window)$|_ns$/;
const DIGITS = /^\d+$/;

/**
 * A record (a proposal kind, a policy) with its units made readable, for a one-line JSON view: yocto strings as NEAR,
 * `gas` as Tgas, `*_bps` as percent, nanosecond lengths as durations; everything else unchanged.
 */
export function humanFields(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => humanFields(v, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, humanFields(v, k)]));
  }
  if (typeof value === "string" && DIGITS.test(value)) {
    if (YOCTO_KEYS.test(key)) return near(value);
    if (key === "gas") return tgas(value);
    if (NS_KEYS.test(key)) return duration(value);
  }
  if (typeof value === "number" && Number.isInteger(value) && key.endsWith("_bps")) return bps(value);
  return value;
}

// ---------- explorer links ----------

/** " <explorer link>" of an account on public networks, "" on the local node: appended to an account id. */
export function accountLink(accountId: string, network?: NetworkName): string {
  const url = accountUrl(accountId, network);
  return url ? ` ${url}` : "";
}

/** "tx <hash>", followed by its explorer link on public networks (networks.ts). */
export function txRef(hash: string, network?: NetworkName): string {
  const url = txUrl(hash, network);
  return url ? `tx ${hash} ${url}` : `tx ${hash}`;
}
