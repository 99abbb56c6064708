// A record's creators (datasets and models): 1..16 distinct accounts whose basis-point shares sum to 10,000.
// Refusals panic with a stable code before any state is written.
import type { Creator } from "../wire/datasets";
import { BPS_TOTAL } from "../wire/datasets";
import { creatorsProblem } from "../wire/record-checks";
import { fail } from "./errors";

// The rule is contracts/wire/record-checks.ts creatorsProblem (the CLI and the web app refuse the same input).
export function checkCreators(creators: unknown): Creator[] {
  const why = creatorsProblem(creators);
  if (why !== null) fail(why);
  return (creators as Creator[]).map(({ account_id, share_bps }) => ({ account_id, share_bps }));
}

// A model's creators: the given list (checked as above) or, when left out, `fallback` alone with every share.
export function creatorsOrDefault(creators: unknown, fallback: string): Creator[] {
  return creators === undefined || creators === null
    ? [{ account_id: fallback, share_bps: BPS_TOTAL }]
    : checkCreators(creators);
}
