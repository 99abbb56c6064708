// What every sandbox test reads off a transaction: units, the gas and tokens a receipt tree burnt, its NEP-297
// events, its return value, its panics, and an account's balance. One copy for every area's fixture (dao, verifier,
// registries, attacks, rewards); the in-process VM harness (helpers/vm.ts) reuses the units, `eventsOf` and
// `panicCode`.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExecutionContext } from "ava";
import type { NearAccount, TransactionResult } from "near-workspaces";
import { eventsOfLogs, type NepEvent } from "../../contracts/wire/event-log.ts";
export { BYTE_COST, NEAR, SEC, TGAS } from "../../contracts/wire/units.ts";

/** The repository's root folder. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Gas burnt by the whole receipt tree of a transaction. */
export function gasOf(r: TransactionResult): bigint {
  let sum = BigInt(r.result.transaction_outcome.outcome.gas_burnt);
  for (const o of r.result.receipts_outcome) sum += BigInt(o.outcome.gas_burnt);
  return sum;
}

/** Tokens burnt by the whole receipt tree: what the signer pays once refunds have landed. */
export function burnt(r: TransactionResult): bigint {
  let sum = BigInt(r.result.transaction_outcome.outcome.tokens_burnt);
  for (const o of r.result.receipts_outcome) sum += BigInt(o.outcome.tokens_burnt);
  return sum;
}

/** "12.34 Tgas" (`digits` decimals). */
export function tgas(g: bigint, digits = 2): string {
  return `${(Number(g) / 1e12).toFixed(digits)} Tgas`;
}

/** An account's total balance (amount + locked), in yocto. */
export async function total(account: NearAccount): Promise<bigint> {
  return BigInt((await account.balance()).total.toString());
}

/** The transaction, or an error naming `what` with the receipts' failure messages when any receipt failed. */
export function must(r: TransactionResult, what: string): TransactionResult {
  if (r.failed) throw new Error(`${what} failed: ${r.receiptFailureMessages.join(" | ")}`);
  return r;
}

/** A value as JSON in base64: a FunctionCall action's `args`. */
export function b64json(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString("base64");
}

/** The decoded return value of a transaction. */
export function parse<T>(r: TransactionResult): T {
  return r.parseResult<T>();
}

export type { NepEvent };

/** The NEP-297 events among `logs`, in order: the parser of contracts/wire/event-log.ts, the web app's too. */
export function eventsOf<D = Record<string, unknown>>(logs: readonly string[]): NepEvent<D>[] {
  return eventsOfLogs<D>(logs);
}

/** The NEP-297 events a transaction (or a VM call: anything with `logs`) emitted, in order. */
export function events<D = Record<string, unknown>>(r: { logs: readonly string[] }): NepEvent<D>[] {
  return eventsOf<D>(r.logs);
}

/** Every receipt failure message of a transaction, joined by " | ". */
export function failureText(r: TransactionResult): string {
  return r.receiptFailureMessages.join(" | ");
}

/** The panic texts of a transaction's failed receipts ("ERR_X" or "ERR_X: detail"). */
export function panicCodes(r: TransactionResult): string[] {
  // the messages are JSON: take the panic text up to its closing (unescaped) quote
  const out: string[] = [];
  for (const m of r.receiptFailureMessages) {
    const found = /Smart contract panicked: ((?:[^"\\]|\\.)*)/.exec(m);
    if (found) out.push(found[1]);
  }
  return out;
}

// a panic's code ends at its first ":" or line break (near-sdk-js adds a stack trace to its own asserts, e.g.
// "Function is private\n    at ..."); text read out of JSON carries the line break escaped, as backslash + n
const CODE_END = /:|\n|\\n/;

/** The stable code of a panic text: "Smart contract panicked: ERR_X: detail" or "ERR_X: detail" -> "ERR_X". */
export function panicCode(message: string): string {
  const m = message.replace("Smart contract panicked: ", "");
  const end = CODE_END.exec(m);
  return (end ? m.slice(0, end.index) : m).trim();
}

/** True when panic text `message` has exactly the code of `code` ("ERR_X" never matches "ERR_X_Y"); when `code`
 * names a detail too ("ERR_X: field"), the panic's detail must start with it ("ERR_X: field (<= 64 chars)"). */
export function panicMatches(message: string, code: string): boolean {
  const want = panicCode(code);
  if (panicCode(message) !== want) return false;
  const colon = code.indexOf(":");
  if (colon < 0) return true;
  const m = message.replace("Smart contract panicked: ", "");
  return m
    .slice(m.indexOf(":") + 1)
    .trim()
    .startsWith(code.slice(colon + 1).trim());
}

/** Asserts the transaction failed with a panic of exactly `code` (see panicMatches) and, when `detail` is given,
 * that the failure messages contain `detail`. */
export function assertPanics(t: ExecutionContext, r: TransactionResult, code: string, detail?: string): void {
  t.true(r.failed, `expected ${code}, the call succeeded`);
  const found = panicCodes(r).some((m) => panicMatches(m, code));
  t.true(found, `expected ${code}, got: ${failureText(r).slice(0, 300)}`);
  if (detail !== undefined) t.true(failureText(r).includes(detail), `expected "${detail}" in: ${failureText(r)}`);
}

/** A contract's whole storage as one comparable string, for "nothing changed" checks. */
export async function stateOf(account: NearAccount): Promise<string> {
  const items = await account.viewStateRaw();
  return JSON.stringify(items.map((i) => [i.key, i.value]).sort());
}
