export const STANDARD = "ai-commons-factory";
export const EVENT_VERSION = "1.0.0";
// The code name deployed as a community's DAO (at `<name>.<factory>`); every other suite code goes to
// `<name>_<code>.<factory>`.
export { COMMUNITY_DAO as DAO_CODE } from "../wire/contracts";

// v 2: published to the global store by hash (NEP-591); v 1 (before): the wasm was kept in the factory's storage,
// which no longer creates communities (ERR_CODE_NOT_PUBLISHED: publish the release again).
export interface CodeRecord {
  v: 1 | 2;
  name: string;
  version: string;
  // Lower-case hex sha256 of the wasm.
  sha256: string;
  bytes: number;
  // Part of every new community's suite.
  in_suite: boolean;
  // Balance each new account running this code starts with: its code's storage plus headroom for its state.
  init_balance: string;
  stored_at: string;
  global?: boolean;
}

export type StepStatus = "Pending" | "InFlight" | "Done" | "Failed";

export interface Step {
  code: string;
  account_id: string;
  status: StepStatus;
  init_balance: string;
  // Records from before 2026-12-05 kept the `init` arguments (JSON text) here; they now live under their own key
  // until the step is done (communities.ts readArgs), and this is null.
  init_args: string | null;
  // Gas for `init` when not the default (a fork's DAO starts with up to 100 members: ~0.9 Tgas each).
  init_gas?: string;
  version: string | null;
  sha256: string | null;
  attempts: number;
  last_error: string | null;
}

export type CommunityStatus = "Creating" | "Ready" | "Abandoned";

// Where a forked community comes from (fork.ts): the parent community, its DAO's fork (the Fork proposal's id) and
// the block where the parent decided the fork. The members come from the parent's fork; until they have been read
// (status Fetching, or Pending after a failed read) no step is deployed.
export interface ForkOrigin {
  community: string;
  dao_id: string;
  fork_id: number;
  block_height: string | null;
  members: number;
  status: "Pending" | "Fetching" | "Ready";
  last_error: string | null;
  // how many reads were sent: the callback names the read it answers, an older one is refused
  read?: number;
}

export interface Community {
  v: 1;
  forked_from?: ForkOrigin;
  // The creator's own `init_args` per suite code (settings, reward policy...); peer ids are refused.
  creator_args?: Record<string, Record<string, unknown>>;
  name: string;
  creator: string;
  dao_id: string;
  status: CommunityStatus;
  steps: Step[];
  // What is left of the creator's deposit: init balances of steps not yet done.
  deposit_left: string;
  // Part of the deposit that pays for this record in the factory's storage.
  storage_deposit: string;
  created_at: string;
}
