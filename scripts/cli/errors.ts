// Errors the CLI reports: a CliError carries a stable code and the text a user needs to act on it. Contract panics
// ("Smart contract panicked: ERR_X: detail") are turned into the code plus a one-line meaning from the suite's error
// catalogue (contracts/wire/errors.ts), the same table the docs' error tables are generated from.
import { meaningOf } from "../../contracts/wire/errors.ts";

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

/** Finds "ERR_CODE" or "ERR_CODE: detail" in a failure from near-api-js (message, or its JSON for nested kinds). */
export function contractErrorOf(e: unknown): { code: string; detail?: string } | null {
  let text = e instanceof Error ? e.message : String(e);
  try {
    text += ` ${JSON.stringify(e)}`;
  } catch {
    // circular: the message is enough
  }
  const m = /(?:panicked: |panic_msg: \\?"|^|[\s"])(ERR_[A-Z0-9_]+)(?::\s*([^"\\\n}]*))?/.exec(text);
  if (!m) return null;
  return { code: m[1], detail: m[2]?.trim() || undefined };
}

/** Turns anything thrown into a CliError with a user-facing message (`_root`: no longer read, meanings are built in). */
export function toCliError(e: unknown, _root?: string): CliError {
  if (e instanceof CliError) return e;
  const found = contractErrorOf(e);
  if (found) {
    const meaning = meaningOf(found.code) ?? "see the contract's docs";
    const detail = found.detail ? ` (${found.detail})` : "";
    return new CliError(found.code, `contract error ${found.code}${detail}: ${meaning}`, found.detail);
  }
  const message = e instanceof Error ? e.message : String(e);
  if (/ECONNREFUSED|fetch failed/.test(message)) {
    return new CliError("NETWORK", `cannot reach the RPC node: ${message}`);
  }
  if (/does not exist while viewing|UNKNOWN_ACCOUNT|doesn't exist/.test(message)) {
    return new CliError("UNKNOWN_ACCOUNT", message);
  }
  return new CliError("ERROR", message);
}
