// A fork as the CLI and the web app read and send it (docs/fork.md): the DAO's fork record and a fork registry's
// import progress, the gas of join_fork, execute_fork and ragequit, and the shares the DAO pays, computed as the DAO
// computes them (contracts/community-dao/fork.ts: integers, floor). Pure (no node: imports), so scripts/cli/fork.ts
// and the web app (web/) send the same transactions and show the same amounts.

const TGAS = 10n ** 12n;

export const JOIN_FORK_GAS = 30n * TGAS;
export const EXECUTE_FORK_GAS = 100n * TGAS;
export const RAGEQUIT_GAS = 50n * TGAS;

export interface ForkView {
  id: number;
  name: string;
  receiver_id: string;
  status: string;
  ends_at: string;
  settle_by?: string | null;
  snapshot?: number;
  weight_kind?: string;
  total_weight: number;
  joined_weight: number;
  threshold_bps: number;
  decided_block: string | null;
  available: string | null;
  amount: string | null;
  last_error?: string | null;
  members: { account_id: string; weight: number; roles: string[] }[];
}

export interface ForkImportView {
  parent_registry_id: string;
  community: string;
  block_height: string | null;
  provenance: string;
  next_page: number;
  imported: number;
  complete: boolean;
  in_flight: boolean;
}

/** What a fork pays its community: floor(available x joined / total), the DAO's `fork_payment_sent.amount`. */
export function forkShare(available: bigint, joinedWeight: number, totalWeight: number): bigint {
  return totalWeight > 0 ? (available * BigInt(joinedWeight)) / BigInt(totalWeight) : 0n;
}

/** What ragequit pays the member who leaves: floor(available / members), the DAO's `ragequit.amount`. */
export function ragequitShare(available: bigint, members: number): bigint {
  return members > 0 ? available / BigInt(members) : 0n;
}

/** Whether a fork's joined weight reaches its threshold: joined x 10,000 >= threshold_bps x total, as the DAO decides. */
export function forkReachesThreshold(f: Pick<ForkView, "joined_weight" | "total_weight" | "threshold_bps">): boolean {
  return f.joined_weight > 0 && f.joined_weight * 10_000 >= f.threshold_bps * f.total_weight;
}
