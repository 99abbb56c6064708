// What the CLI checks on its own before it starts the node or sends anything: account ids, amounts, gas, numbers,
// hashes, record ids, names, statuses and input files. A command's options and arguments get their check from the
// placeholder they are declared with (`--to <account>`, `--amount <NEAR>`, `--gas <TGAS>`: see VALUE_CHECKS), so a
// new option is checked by declaring it; a value that fails is refused with what was expected, the value and an
// example, as BAD_ARGS. The rules are the contracts' own (contracts/wire/fields.ts), never restated here.
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { type Check, PURE_CHECKS } from "./checks.ts";

export { accountIdProblem, MAX_COMMUNITY_NAME, MAX_TGAS, PROPOSAL_STATUSES } from "./checks.ts";

/** Each check returns what was expected when the value fails, else null. */
const CHECKS: Record<string, Check> = {
  ...PURE_CHECKS,
  file: (v) => fileProblem(v),
  jsonFile: (v) => {
    const problem = fileProblem(v);
    if (problem) return `a JSON file: ${problem}`;
    const why = jsonProblem(readFileSync(resolve(v), "utf8"));
    return why ? `a JSON file (${resolve(v)}: ${why})` : null;
  },
  jsonOrFile: (v) => {
    const inline = v.trimStart().startsWith("{") || v.trimStart().startsWith("[");
    const problem = inline ? null : fileProblem(v);
    if (problem) return `JSON or ${problem}`;
    const why = jsonProblem(inline ? v : readFileSync(resolve(v), "utf8"));
    return why ? `JSON or a JSON file (${inline ? "" : `${resolve(v)}: `}${why})` : null;
  },
  // an attester's public key: 128 hex, or the key file `attester keygen` wrote
  keyOrFile: (v) => {
    if (/^[0-9a-f]{128}$/.test(v)) return null;
    const problem = fileProblem(v);
    return problem ? `128 lower-case hex characters or ${problem}` : null;
  },
};

function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function fileProblem(path: string): string | null {
  const abs = resolve(path);
  if (!existsSync(abs)) return `an existing file (no such file: ${abs})`;
  if (!statSync(abs).isFile()) return `a file (${abs} is a folder)`;
  return null;
}

// Which check a value gets, by its placeholder: option values (`--to <account>`) and arguments (`members add <account>`)
// alike. A placeholder not listed (`<text>`, `<role>`, `<json>`) is free text for the contract to judge.
const CHECK_OF_PLACEHOLDER: Record<string, keyof typeof CHECKS> = {
  account: "account",
  member: "account",
  "a,b": "accounts",
  "a:bps,b:bps": "creators",
  NEAR: "near",
  TGAS: "tgas",
  n: "count",
  blocks: "count",
  h: "hours",
  sha256: "sha256",
  "name@version": "record",
  community: "community",
  "community-name": "communityName",
  new: "communityName",
  "sub-account": "subAccount",
  status: "status",
  file: "file",
  path: "file",
  "json-file": "jsonFile",
  "json|file": "jsonOrFile",
  "hex|file": "keyOrFile",
  title: "title",
  purpose: "purpose",
  metadata: "metadata",
  json: "json",
};

/** The check of a placeholder; output files (`--out <file>`) are not checked. */
export function checkFor(placeholder: string | undefined, option?: string): Check | undefined {
  if (placeholder === undefined || option === "--out") return undefined;
  const kind = CHECK_OF_PLACEHOLDER[placeholder];
  return kind ? CHECKS[kind] : undefined;
}

/** The placeholder of an option's flags (`--to <account>` -> "account") or of an argument's name. */
export function placeholderOf(flags: string): string | undefined {
  const m = /[<[]([^>\]]+)[>\]]/.exec(flags);
  return m?.[1];
}
