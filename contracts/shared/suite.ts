// Peer ids at init: the factory passes `suite` (code name -> account id, code names being the contract folder
// names); an explicit id argument overrides it (tests and hand-made deployments name their peers directly).
import { fail } from "./errors";
import { assertAccountId } from "./validate";

export type Suite = Record<string, string>;

export function checkSuite(suite: unknown): Suite {
  if (suite === undefined || suite === null) return {};
  if (typeof suite !== "object" || Array.isArray(suite)) fail("ERR_INVALID_SUITE", "an object of code -> account id");
  const out: Suite = {};
  for (const code in suite as Suite) out[code] = assertAccountId((suite as Suite)[code], `suite.${code}`);
  return out;
}

// The explicit id if given (null counts as given only when `nullable`), else the suite's entry for `code`, else ""
// (none). `required` refuses "" with ERR_INVALID_ACCOUNT_ID.
export function peerId(explicit: unknown, suite: Suite, code: string, field: string, required = false): string {
  let id = "";
  if (explicit !== undefined && explicit !== null) id = assertAccountId(explicit, field);
  else if (explicit === undefined && suite[code] !== undefined) id = suite[code];
  if (required && id === "") fail("ERR_INVALID_ACCOUNT_ID", `${field}: missing (pass it or suite["${code}"])`);
  return id;
}
