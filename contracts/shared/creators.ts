// A record's creators (datasets and models): 1..16 distinct accounts whose basis-point shares sum to 10,000.
// Refusals panic with a stable code before any state is written.
import type { Creator } from "../wire/datasets";
import { BPS_TOTAL, MAX_CREATORS } from "../wire/datasets";
import { isValidAccountId } from "../wire/fields";
import { ensure, fail } from "./errors";

export function checkCreators(creators: unknown): Creator[] {
  ensure(Array.isArray(creators), "ERR_INVALID_CREATORS", "an array of {account_id, share_bps}");
  ensure(creators.length >= 1, "ERR_NO_CREATORS");
  ensure(creators.length <= MAX_CREATORS, "ERR_TOO_MANY_CREATORS", `at most ${MAX_CREATORS}`);
  const seen: Record<string, boolean> = {};
  const out: Creator[] = [];
  let sum = 0;
  for (const c of creators as unknown[]) {
    ensure(c !== null && typeof c === "object", "ERR_INVALID_CREATORS");
    const { account_id, share_bps } = c as Creator;
    if (!isValidAccountId(account_id)) fail("ERR_INVALID_ACCOUNT_ID", `creators: ${String(account_id)}`);
    ensure(!seen[account_id], "ERR_DUPLICATE_CREATOR", account_id);
    seen[account_id] = true;
    ensure(
      typeof share_bps === "number" && Number.isInteger(share_bps) && share_bps >= 1 && share_bps <= BPS_TOTAL,
      "ERR_INVALID_SHARE",
      `${account_id}: 1..${BPS_TOTAL}`,
    );
    sum += share_bps;
    out.push({ account_id, share_bps });
  }
  ensure(sum === BPS_TOTAL, "ERR_SHARES_NOT_10000", `sum ${sum}`);
  return out;
}

// A model's creators: the given list (checked as above) or, when left out, `fallback` alone with every share.
export function creatorsOrDefault(creators: unknown, fallback: string): Creator[] {
  return creators === undefined || creators === null
    ? [{ account_id: fallback, share_bps: BPS_TOTAL }]
    : checkCreators(creators);
}
