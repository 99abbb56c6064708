import type { RawState } from "../shared/versioned-state";
import { Migrations } from "../shared/versioned-state";
import { REWARD_POOL } from "../wire/contracts";

// The pool holds unallocated funds, everything claimable and the free storage balances for others (views.ts
// invariantView): new code's storage must never come out of them.
function poolObligations(state: RawState): bigint {
  const t = state.totals as Record<string, string>;
  const claimable = BigInt(t.allocated) - BigInt(t.claimed) - BigInt(t.in_flight);
  return BigInt(t.unallocated) + claimable + BigInt(t.storage_free);
}

// The reward-pool's state versions: 1 is the first upgradable release. A release that changes a stored layout adds its
// step here (`MIGRATIONS.add(1, (state) => ...)`), and `migrate_state` runs it after the DAO's UpgradeSuite deploys
// the code (shared/versioned-state.ts).
export const MIGRATIONS = new Migrations(1, REWARD_POOL, poolObligations);
