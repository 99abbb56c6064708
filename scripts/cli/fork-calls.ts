// A fork as the CLI and the web app read and send it (docs/fork.md): the DAO's fork record and a fork registry's
import { NEAR, TGAS } from "../../contracts/wire/units.ts";
// import progress, the gas of join_fork, execute_fork and ragequit, and the shares the DAO pays, computed as the DAO
// computes them (contracts/community-dao/fork.ts: integers, floor). Pure (no node: imports), so scripts/cli/fork.ts
// and the web app (web/) send the same transactions and show the same amounts.

export const JOIN_FORK_GAS = 30n * TGAS;
export const EXECUTE_FORK_GAS = 100n * TGAS;
export const RAGEQUIT_GAS = 50n * TGAS;
// create_fork reserves and reads the parent's fork and policy (49-71 Tgas measured); read_fork the same read.
// On top of create_fork's own work, the two reads of the parent and the callback; with get_required_deposit's `gas` and a
// fork DAO's members (up to 100 Tgas) on top, the callback also creates every account: the fork in one transaction.
export const CREATE_FORK_GAS = 150n * TGAS;
export const FORK_MEMBERS_GAS = 100n * TGAS;
export const READ_FORK_GAS = 150n * TGAS;
export const IMPORT_PAGE_GAS = 150n * TGAS;
// The caller pays each page's storage (~0.1 NEAR for 10 datasets); the registry keeps that and refunds the rest in
// the same transaction, all of it when the page fails.
export const IMPORT_PAGE_DEPOSIT = NEAR;
// Added to a fork's quote (accounts_total + fork_extra) for the factory's record; the excess is refunded
// (scripts/cli/community.ts RECORD_DEPOSIT).
export const FORK_RECORD_DEPOSIT = 10n ** 23n;

/** create_fork's deposit and gas from the factory's get_required_deposit (no arguments): the fork in one transaction. */
export function forkCreation(quote: { accounts_total: string; fork_extra: string; gas: string }): {
  deposit: bigint;
  gas: bigint;
} {
  return {
    deposit: BigInt(quote.accounts_total) + BigInt(quote.fork_extra) + FORK_RECORD_DEPOSIT,
    gas: CREATE_FORK_GAS + BigInt(quote.gas) + FORK_MEMBERS_GAS,
  };
}

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
