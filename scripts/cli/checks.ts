// The CLI's value checks that need no file system: account ids, amounts, gas, numbers, hashes, record ids, names,
// statuses and creators' shares, with the contracts' own rules (contracts/wire/fields.ts). validate.ts adds the
// file checks and maps each option's placeholder to its check; the web app (web/) imports these as they are, so a
// value is refused in the browser exactly as on the command line.
import type { ProposalStatus } from "../../contracts/community-dao/types.ts";
import { CONFIG_MAX } from "../../contracts/wire/dao.ts";
import { isRecordId, isValidAccountId, isValidName } from "../../contracts/wire/fields.ts";

/** Why `id` is not a NEAR account id, or null when it is one. */
export function accountIdProblem(id: string): string | null {
  const valid: boolean = isValidAccountId(id);
  if (valid) return null;
  if (id.length < 2 || id.length > 64) return `it has ${id.length} characters, an account id has 2 to 64`;
  if (/[A-Z]/.test(id) && isValidAccountId(id.toLowerCase())) return `account ids are lower case: ${id.toLowerCase()}`;
  const bad = [...new Set(id.replace(/[a-z0-9._-]/g, ""))];
  if (bad.length > 0) return `${bad.map((c) => JSON.stringify(c)).join(", ")} cannot appear in an account id`;
  return "a separator (. - _) cannot start or end it or follow another";
}

/** Largest gas one call may carry at protocol 86 (1 Pgas), in Tgas. */
export const MAX_TGAS = 1000;
/** The factory's rule for a community name (contracts/community-factory: MAX_COMMUNITY_NAME). */
export const MAX_COMMUNITY_NAME = 32;

// the DAO's ProposalStatus (contracts/community-dao/types.ts), in its order
export const PROPOSAL_STATUSES = [
  "InProgress",
  "Approved",
  "Rejected",
  "Removed",
  "Expired",
  "Cancelled",
  "Executing",
  "Executed",
  "Failed",
] as const satisfies readonly ProposalStatus[];

export type Check = (value: string) => string | null;

const COMMUNITY_NAME = `a community name: 1 to ${MAX_COMMUNITY_NAME} characters of a-z 0-9 and -, no - at either end or doubled`;

const ACCOUNT: Check = (v) => {
  const why = accountIdProblem(v);
  return why ? `a NEAR account id like alice.testnet (${why})` : null;
};

/** Each check returns what was expected when the value fails, else null. */
export const PURE_CHECKS = {
  account: ACCOUNT,
  accounts: (v) => {
    const ids = v.split(",").filter((a) => a !== "");
    if (ids.length === 0) return "a comma-separated list of account ids like alice.testnet,bob.testnet";
    for (const id of ids) {
      const why = ACCOUNT(id);
      if (why) return `a comma-separated list of account ids; ${id} is not: ${why}`;
    }
    return null;
  },
  near: (v) =>
    /^\d+(\.\d{1,24})?$/.test(v) ? null : "an amount of NEAR like 1.5 (digits, at most 24 decimals, no unit)",
  tgas: (v) =>
    /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_TGAS
      ? null
      : `a whole number of Tgas from 1 to ${MAX_TGAS} (a call carries at most 1 Pgas) like 100`,
  count: (v) => (/^\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? null : "a whole number like 3"),
  hours: (v) => (/^\d+(\.\d+)?$/.test(v) ? null : "a number of hours like 24 or 0.5"),
  sha256: (v) => (/^[0-9a-f]{64}$/.test(v) ? null : "a sha256 as 64 lower-case hex characters"),
  record: (v) =>
    isRecordId(v) ? null : "name@version, like news-corpus@1.0.0 (name: a-z 0-9 -; version: a-z 0-9 . -)",
  communityName: (v) => (isValidName(v, MAX_COMMUNITY_NAME) ? null : COMMUNITY_NAME),
  // -c: a community's name on the factory, or its DAO's account id
  community: (v) =>
    v.includes(".")
      ? ACCOUNT(v)
      : isValidName(v, MAX_COMMUNITY_NAME)
        ? null
        : `${COMMUNITY_NAME}, or the community's DAO account id`,
  // `account create`: a name under the signer (alice -> alice.<signer>) or a whole account id
  subAccount: (v) =>
    v.includes(".")
      ? ACCOUNT(v)
      : /^[a-z0-9]+([-_][a-z0-9]+)*$/.test(v)
        ? null
        : "a name of a-z 0-9 with - or _ between (it becomes <name>.<signer>), or a whole account id like alice.testnet",
  status: (v) =>
    PROPOSAL_STATUSES.some((s) => s.toLowerCase() === v.toLowerCase())
      ? null
      : `one of ${PROPOSAL_STATUSES.join(", ")}`,
  // the DAO's config (ChangeConfig and a new community's --title / --purpose), by its own limits
  title: (v) =>
    v.length >= 1 && v.length <= CONFIG_MAX.name
      ? null
      : `a name of 1 to ${CONFIG_MAX.name} characters (got ${v.length})`,
  purpose: (v) =>
    v.length <= CONFIG_MAX.purpose ? null : `at most ${CONFIG_MAX.purpose} characters (got ${v.length})`,
  metadata: (v) =>
    v.length <= CONFIG_MAX.metadata ? null : `at most ${CONFIG_MAX.metadata} characters (got ${v.length})`,
  json: (v) => {
    try {
      JSON.parse(v);
      return null;
    } catch (e) {
      return `inline JSON (${(e as Error).message})`;
    }
  },
  creators: (v) => {
    const form =
      "account:bps,account:bps with shares in basis points summing to 10000, like a.testnet:6000,b.testnet:4000";
    let sum = 0;
    for (const part of v.split(",")) {
      const [id, bps = "10000", ...rest] = part.split(":");
      const why = ACCOUNT(id);
      if (why) return `${form}; ${id || "(empty)"} is not ${why}`;
      if (rest.length > 0 || !/^\d+$/.test(bps) || Number(bps) < 1 || Number(bps) > 10000) {
        return `${form}; ${part} has no share from 1 to 10000`;
      }
      sum += Number(bps);
    }
    return sum === 10000 ? null : `${form} (these sum to ${sum})`;
  },
} satisfies Record<string, Check>;

/** Why `value` fails the check `kind` (what was expected), or null when it passes. */
export function valueProblem(kind: keyof typeof PURE_CHECKS, value: string): string | null {
  return PURE_CHECKS[kind](value);
}
