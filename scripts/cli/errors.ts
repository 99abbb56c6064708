// Errors the CLI reports: a CliError carries a stable code and the text a user needs to act on it. Contract panics
// ("Smart contract panicked: ERR_X: detail") are turned into the code plus a one-line meaning from the suite's error
// catalogue (contracts/wire/errors.ts), the same table the docs' error tables are generated from.
import { meaningOf } from "../../contracts/wire/errors.ts";
import { txRef } from "./units.ts";

export { meaningOf };

export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/**
 * Thrown by a command that has printed its whole result and must still exit non-zero (`verify` when a check
 * fails): main returns `exitCode` and prints nothing more.
 */
export class Printed extends Error {
  constructor(readonly exitCode = 1) {
    super("printed");
  }
}

/** Finds "ERR_CODE" or "ERR_CODE: detail" in a failure from near-api-js (message, or its JSON for nested kinds). */
export function contractErrorOf(e: unknown): { code: string; detail?: string } | null {
  const texts = [e instanceof Error ? e.message : String(e)];
  try {
    texts.push(JSON.stringify(e));
  } catch {
    // circular: the message is enough
  }
  // the message first (near-api-js 7: "Smart contract panicked: ERR_X: detail"), then the error's fields
  for (const text of texts) {
    const m = /(?:panicked: |panic_msg: \\?"|^|[\s"])(ERR_[A-Z0-9_]+)(?::\s*([^"\\\n}]*))?/.exec(text);
    if (m) return { code: m[1], detail: m[2]?.trim() || undefined };
  }
  return null;
}

/**
 * Why a request never got an answer from the RPC node (no connection, a name that does not resolve, a timeout, a
 * refusal by the provider such as a rate limit), or null when the node answered, even with an error.
 */
export function networkProblem(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const cause = (e as { cause?: unknown }).cause;
  const inner = cause as { code?: string; errors?: { code?: string }[] } | undefined;
  const code = inner?.code ?? inner?.errors?.[0]?.code;
  if (typeof cause === "number" && cause !== 400) {
    return cause === 429 ? "rate limited (HTTP 429)" : `HTTP ${cause} (${e.message.slice(0, 120)})`;
  }
  if (code && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH/.test(code)) {
    return code === "ENOTFOUND" ? "its host name does not resolve (ENOTFOUND)" : `no connection (${code})`;
  }
  if (/ECONNREFUSED|fetch failed|RetriesExceeded|Exceeded \d+ attempts/.test(`${e.name} ${e.message}`)) {
    return e.message;
  }
  // answers that are not nearcore's JSON-RPC: an HTML page or a gateway's text (a wrong URL, a proxy, HTTP 404/504),
  // an error without nearcore's error names (an API key or plan refused: HTTP 401/403), or no result at all
  if (e instanceof SyntaxError && /is not valid JSON|Unexpected token|Unexpected end of JSON/.test(e.message)) {
    return `it answered something that is not JSON-RPC (${e.message.slice(0, 80)}): a wrong URL, a proxy or a gateway error`;
  }
  if (e.message === "Unknown RPC error") {
    return "it answered with an error that is not nearcore's (a refused API key or plan?)";
  }
  if (/JSON RPC response must include/.test(e.message)) return "it answered without a JSON-RPC result";
  return null;
}

/** " (tx <hash> <explorer link>)" of the transaction a failed call belongs to, when the error carries it (near-api-js
 * 7's TransactionExecutionError does), so the failure can be looked up; "" otherwise. */
export function failedTxSuffix(e: unknown): string {
  const hash = typeof e === "object" && e !== null ? (e as { txHash?: unknown }).txHash : undefined;
  return typeof hash === "string" && hash !== "" ? ` (${txRef(hash)})` : "";
}

/** Turns anything thrown into a CliError with a user-facing message; `rpc` names the node in network errors. */
export function toCliError(e: unknown, rpc?: { network: string; url: string }): CliError {
  if (e instanceof CliError) return e;
  const found = contractErrorOf(e);
  if (found) {
    const meaning = meaningOf(found.code) ?? "see the contract's docs";
    const detail = found.detail ? ` (${found.detail})` : "";
    return new CliError(
      found.code,
      `contract error ${found.code}${detail}: ${meaning}${failedTxSuffix(e)}`,
      found.detail,
    );
  }
  const message = e instanceof Error ? e.message : String(e);
  const unreachable = networkProblem(e);
  if (unreachable) {
    const where = rpc ? `the ${rpc.network} RPC node ${rpc.url}` : "the RPC node";
    const next =
      rpc?.network === "local"
        ? "`ai-commons node status` tells whether the local node runs; `ai-commons node start` starts it"
        : "check the connection, or use another RPC endpoint (docs/cli.md, Networks)";
    return new CliError("NETWORK", `cannot reach ${where}: ${unreachable}; ${next}`);
  }
  if (/does not exist while viewing|does not exist at block height|UNKNOWN_ACCOUNT|doesn't exist/.test(message)) {
    return new CliError("UNKNOWN_ACCOUNT", `${message}${failedTxSuffix(e)}`);
  }
  return new CliError("ERROR", `${message}${failedTxSuffix(e)}`);
}

/**
 * The first failure among a transaction's receipts, as "ERR_CODE (detail): meaning", when the transaction itself
 * succeeded: a callback that saw a failed promise only knows that it failed, the receipt's outcome says why.
 */
export function receiptFailure(outcome: { receipts_outcome?: { outcome: { status: unknown } }[] }): string | null {
  for (const r of outcome.receipts_outcome ?? []) {
    const status = r.outcome.status as { Failure?: unknown };
    if (typeof status !== "object" || status === null || status.Failure === undefined) continue;
    const found = contractErrorOf(JSON.stringify(status.Failure));
    if (!found) return JSON.stringify(status.Failure).slice(0, 200);
    const meaning = meaningOf(found.code);
    return `${found.code}${found.detail ? ` (${found.detail})` : ""}${meaning ? `: ${meaning}` : ""}`;
  }
  return null;
}
