// Errors the CLI reports: a CliError carries a stable code and the text a user needs to act on it. Contract panics
// ("Smart contract panicked: ERR_X: detail") are turned into the code plus a one-line meaning from the table below
// (the DAO and factory docs) or, for contracts documented later, from the `| ERR_X | meaning |` tables in docs/*.md.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

// From docs/dao.md, docs/factory.md and the contracts' fail() calls.
const MEANINGS: Record<string, string> = {
  ERR_ALREADY_COMPLETE: "the community is already fully created",
  ERR_ALREADY_DELEGATED: "you already delegate to this member",
  ERR_ALREADY_FINAL: "the proposal is already decided or closed",
  ERR_ALREADY_MEMBER: "the account already has this role",
  ERR_ALREADY_VOTED: "you already cast this same vote on the proposal",
  ERR_BATCH_SIZE: "too many items in one call (at most 100)",
  ERR_BLOB_EXISTS: "a blob with this hash is already stored",
  ERR_DEPOSIT_TOO_LOW: "the attached deposit does not cover the storage or starting balances",
  ERR_DUPLICATE_MEMBER: "the same member appears twice",
  ERR_EXECUTION_FAILED: "the proposal's action failed when executed; it can be retried",
  ERR_EXECUTION_IN_PROGRESS: "the proposal is being executed right now",
  ERR_EXPIRED: "the proposal's voting period is over",
  ERR_INSUFFICIENT_TREASURY: "the DAO's available treasury (balance - bonds - storage) is too small",
  ERR_INVALID_ACCOUNT_ID: "a malformed account id",
  ERR_INVALID_AMOUNT: "an amount that is not a valid yoctoNEAR decimal string",
  ERR_INVALID_ARGS: "malformed call arguments",
  ERR_INVALID_BLOB: "the blob is not valid wasm",
  ERR_INVALID_CODE: "the stored code is not wasm or has a bad size",
  ERR_INVALID_CODE_INPUT: "store_code input must be a JSON header line, a newline, then the wasm",
  ERR_INVALID_CONFIG: "the community config (name, purpose, metadata) is malformed",
  ERR_INVALID_DESCRIPTION: "the proposal description is empty or too long",
  ERR_INVALID_HASH: "not a 64-character lower-case hex sha256",
  ERR_INVALID_MEMBER: "a malformed member entry",
  ERR_INVALID_NAME: "names are 1..32 characters of a-z 0-9 - (no _)",
  ERR_INVALID_PAGINATION: "from_index or limit out of range",
  ERR_INVALID_POLICY: "the policy is malformed (unknown label or action, bad threshold...)",
  ERR_INVALID_PROPOSAL: "the proposal kind or its fields are malformed",
  ERR_INVALID_PROPOSAL_ID: "not a valid proposal id",
  ERR_INVALID_SUITE: "the suite map given to init is malformed",
  ERR_INVALID_VERSION: "a code version must be 1..32 characters",
  ERR_INVALID_VOTE: "the vote must be Approve, Reject, Abstain or Remove",
  ERR_MIGRATION: "the state migration failed",
  ERR_NAME_TAKEN: "a community with this name already exists on the factory",
  ERR_NAME_TOO_LONG: "the community's account ids would exceed 64 characters",
  ERR_NOT_APPROVED: "only an approved (or failed) proposal can be executed",
  ERR_NOT_A_GROUP: "members can only be added to Group roles",
  ERR_NOT_A_MEMBER: "the account is not a member of this community",
  ERR_NOT_BLOB_OWNER: "only who stored the blob may remove it",
  ERR_NOT_CREATOR: "only the community's creator may do this",
  ERR_NOT_DELEGATED: "you do not delegate to anyone",
  ERR_NOT_ENOUGH_GAS: "attach more gas: the action's promises and callback do not fit",
  ERR_NOT_EXECUTING: "the proposal is not being executed",
  ERR_NOT_INITIALIZED: "the contract has not been initialized",
  ERR_NOT_IN_FLIGHT: "the factory step is not in flight",
  ERR_NOT_OWNER: "only the factory's owner may do this",
  ERR_NO_DAO_CODE: "the factory has no community-dao code stored yet (run factory deploy)",
  ERR_NO_PERMISSION: "your roles do not allow this action on this kind of proposal",
  ERR_NO_VOTERS: "no role can vote on this kind of proposal",
  ERR_NO_VOTING_POWER: "you had no voting power when the proposal was created",
  ERR_ONE_YOCTO: "attach exactly 1 yoctoNEAR",
  ERR_PRIVATE: "a private method: only the contract itself may call it",
  ERR_PROPOSAL_TOO_LARGE: "the proposal is too large",
  ERR_ROLE_NOT_EMPTY: "the role still has members: remove them first",
  ERR_SELF_CALL: "a function-call proposal cannot target the DAO itself",
  ERR_SELF_DELEGATION: "you cannot delegate to yourself",
  ERR_STEP_FAILED: "a creation step failed; run the create again to retry it",
  ERR_STEP_IN_FLIGHT: "a creation step is in flight; wait for it to finish",
  ERR_TIMELOCK: "the proposal's timelock has not passed yet",
  ERR_UNKNOWN_BLOB: "no blob with this hash is stored",
  ERR_UNKNOWN_CODE: "the factory has no code with this name",
  ERR_UNKNOWN_COMMUNITY: "no community with this name on the factory",
  ERR_UNKNOWN_KIND: "unknown proposal kind",
  ERR_UNKNOWN_PROPOSAL: "no proposal with this id",
  ERR_UNKNOWN_ROLE: "no role with this name in the policy",
  ERR_VERSION_EXISTS: "this code version is already stored; use a new version",
  ERR_VOTING_ENDED: "the voting period is over (finalize it)",
  ERR_VOTING_NOT_ENDED: "the voting period is not over yet",
  ERR_WRONG_BOND: "attach at least the policy's proposal bond",
  ERR_WRONG_KIND: "the label does not match the proposal's kind",
};

let docMeanings: Record<string, string> | null = null;

// `| `ERR_A` / `ERR_B` | meaning |` rows of the error tables in docs/*.md (registries, verifier, rewards...).
function fromDocs(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const dir = join(root, "docs");
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".md")) continue;
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      const m = /^\|\s*([^|]*ERR_[^|]*)\|\s*([^|]+)\|/.exec(line);
      if (!m) continue;
      for (const code of m[1].match(/ERR_[A-Z0-9_]+/g) ?? []) out[code] ??= m[2].trim();
    }
  }
  return out;
}

/** The meaning of `code` in one doc's error tables (codes shared by several contracts mean what the callee says). */
export function docMeaning(root: string, file: string, code: string): string | undefined {
  const path = join(root, "docs", file);
  if (!existsSync(path)) return undefined;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^\|\s*([^|]*ERR_[^|]*)\|\s*([^|]+)\|/.exec(line);
    const codes: string[] = m ? (m[1].match(/ERR_[A-Z0-9_]+/g) ?? []) : [];
    if (m && codes.includes(code)) return m[2].trim();
  }
  return undefined;
}

export function meaningOf(code: string, root: string): string | undefined {
  if (MEANINGS[code]) return MEANINGS[code];
  docMeanings ??= fromDocs(root);
  return docMeanings[code];
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

/** Turns anything thrown into a CliError with a user-facing message. */
export function toCliError(e: unknown, root: string): CliError {
  if (e instanceof CliError) return e;
  const found = contractErrorOf(e);
  if (found) {
    const meaning = meaningOf(found.code, root) ?? "see the contract's docs";
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
