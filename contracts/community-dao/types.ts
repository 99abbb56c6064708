// Stored and exchanged shapes of the community DAO. Every stored record carries `v` so an upgrade can migrate it.
// Amounts (yoctoNEAR) and durations (ns) are decimal strings; weights and counts are plain numbers.

import type { ForkStatus } from "../wire/dao.js";
import type { RewardPolicyInput } from "../wire/reward-policy.js";

export const STANDARD = "ai-commons-dao";
export const EVENT_VERSION = "1.0.0";
// 2: policy under its own key, proposals split into head and body, plain JSON records (see migrate.ts).
export const STATE_VERSION = 2;

export interface Config {
  name: string;
  purpose: string;
  metadata: string;
}

export type Threshold = { kind: "Ratio"; numerator: number; denominator: number } | { kind: "Weight"; weight: number };

export type WeightKind = "RoleWeight" | "DelegatedWeight";

export interface VotePolicy {
  weight_kind: WeightKind;
  // Minimum weight that must take part (approve + reject + abstain) before a decision.
  quorum: number;
  threshold: Threshold;
}

export interface Role {
  name: string;
  kind: "Everyone" | "Group";
  // "<kind label>:<action>", either side may be "*".
  permissions: string[];
  // Vote policy per kind label; labels not listed use the policy's default.
  vote_policy: Record<string, VotePolicy>;
}

export interface PolicyParameters {
  proposal_bond: string;
  proposal_period: string;
  timelock: string;
}

// Forking (fork.ts, docs/fork.md). Absent from a policy = the defaults of policy.ts (forkPolicy).
export interface ForkPolicy {
  // Length of the window in which members join a fork, ns.
  window: string;
  // Joined weight needed, in basis points of the total weight at the window's opening (at or above succeeds).
  threshold_bps: number;
  // Whether a member may leave alone with its own share (`ragequit`).
  ragequit: boolean;
}

export interface Policy {
  v: 1;
  roles: Role[];
  default_vote_policy: VotePolicy;
  parameters: PolicyParameters;
  fork?: ForkPolicy;
}

export interface MemberInput {
  account_id: string;
  roles: string[];
}

export interface MemberRole {
  member_id: string;
  role: string;
}

export interface FunctionCallAction {
  method_name: string;
  // base64 of the argument bytes, as in Sputnik DAO.
  args: string;
  deposit: string;
  gas: string;
}

// One tagged union of every proposal kind. To add a kind: add its variant here, its label in kinds/labels.ts and a
// handler module registered in kinds/index.ts. Nothing else changes.
export type ProposalKind =
  | { kind: "AddMember"; member_id: string; role: string }
  | { kind: "AddMembers"; members: MemberRole[] }
  | { kind: "RemoveMember"; member_id: string; role: string }
  | { kind: "RemoveMembers"; members: MemberRole[] }
  | { kind: "ChangeConfig"; config: Config }
  | { kind: "ChangePolicy"; policy: Policy }
  | { kind: "ChangePolicyAddOrUpdateRole"; role: Role }
  | { kind: "ChangePolicyRemoveRole"; role: string }
  | { kind: "ChangePolicyUpdateDefaultVotePolicy"; vote_policy: VotePolicy }
  | { kind: "ChangePolicyUpdateParameters"; parameters: Partial<PolicyParameters> }
  | { kind: "Transfer"; receiver_id: string; amount: string; memo?: string }
  | { kind: "FunctionCall"; receiver_id: string; actions: FunctionCallAction[] }
  // `global: true` (NEP-591): switch to the chain's global code of that hash (a release the factory published) instead
  // of deploying a stored blob; the switch and the migration run in one batch either way.
  | { kind: "UpgradeSelf"; hash: string; migrate_method?: string; migrate_args?: string; global?: boolean }
  // Deploys a stored blob on one of the community's other contracts (`contract`: its code name in `suite`), which
  // migrates its state in the same batch (shared/versioned-state.ts).
  // `deposit` (yocto, from the treasury): pays a larger code's storage stake (ERR_UPGRADE_STORAGE without it).
  | { kind: "UpgradeSuite"; contract: string; hash: string; deposit?: string; global?: boolean }
  | { kind: "Signal"; message?: string }
  // The suite kinds: typed calls to the community's own contracts (ids from `suite`, kinds/suite.ts).
  | { kind: "AdmitDataset"; dataset_id: string; memo?: string }
  | { kind: "RejectDataset"; dataset_id: string; memo?: string }
  | { kind: "RetireDataset"; dataset_id: string; memo?: string }
  // deposit: yoctoNEAR from the treasury for what the activation stores (contracts/wire/activation.ts); absent:
  // DEFAULT_ACTIVATION_DEPOSIT. The registry keeps what it stores and sends the rest back.
  | { kind: "ActivateModel"; model_id: string; deposit?: string }
  | { kind: "DeprecateModel"; model_id: string; reason?: string }
  | { kind: "RollbackModel"; deposit?: string }
  | { kind: "AddAttester"; attester_id: string; public_key: string; bond: string }
  | { kind: "RemoveAttester"; attester_id: string }
  | { kind: "VoidReceipt"; receipt_id: number; slash?: boolean; reason?: string }
  | { kind: "SetRewardPolicy"; policy: RewardPolicyInput }
  | { kind: "FundRewardPool"; amount: string; memo?: string }
  // Opens a forking window; `receiver_id` (default `<name>.<factory_id>`) is the new community's DAO.
  | { kind: "Fork"; name: string; receiver_id?: string };

export type ProposalStatus =
  | "InProgress"
  | "Approved"
  | "Rejected"
  | "Removed"
  | "Expired"
  | "Cancelled"
  | "Executing"
  | "Executed"
  | "Failed";

export type VoteChoice = "Approve" | "Reject" | "Abstain" | "Remove";

// The rules of one role for one proposal, copied from the policy when the proposal is created so later policy
// changes never alter a proposal in flight. `total` is the role's weight at the snapshot (ratio thresholds).
export interface RoleRule {
  role: string;
  everyone: boolean;
  actions: string[];
  weight_kind: WeightKind;
  quorum: number;
  threshold: Threshold;
  total: number;
  approve: number;
  reject: number;
  abstain: number;
  remove: number;
}

export interface Proposal {
  v: 1;
  id: number;
  proposer: string;
  description: string;
  kind: ProposalKind;
  label: string;
  status: ProposalStatus;
  bond: string;
  bond_settled: boolean;
  // The proposal's own storage (head + body + growth), paid by the proposer out of its deposit and kept by the DAO
  // while the record exists (forever); the refundable bond is `bond` less this. Absent on older proposals (0).
  storage_deposit?: string;
  // Set when an at-most-once kind (FunctionCall) sent its promise and it failed: nothing is sent again.
  sent?: boolean;
  // Membership and delegation counter at creation: weights are read as of this point.
  snapshot: number;
  submitted_at: string;
  voting_ends_at: string;
  timelock: string;
  decided_at: string | null;
  rules: RoleRule[];
  voters: number;
  attempts: number;
  last_error: string | null;
}

// How a proposal is stored: the head, read and rewritten by every vote, and the body, written once. Heads written by
// state version 1 still carry description and kind (no body record); readers fall back to them.
export type ProposalHead = Omit<Proposal, "description" | "kind"> & Partial<Pick<Proposal, "description" | "kind">>;

export interface ProposalBody {
  description: string;
  kind: ProposalKind;
}

export interface VoteRecord {
  v: 1;
  choice: VoteChoice;
  // Weight counted per rule index, fixed from the snapshot.
  weights: number[];
}

// A membership/delegation checkpoint: from counter `s` on, the account had roles `r` and voting power `p`.
export interface Checkpoint {
  s: number;
  r: string[];
  p: number;
}

export interface MemberRecord {
  v: 1;
  roles: string[];
  delegate: string | null;
  // `since` of the delegate when the delegation was made; a delegation to an account removed since then has lapsed.
  delegate_since: number;
  received: number;
  since: number;
}

export interface BlobRecord {
  v: 1;
  owner: string;
  deposit: string;
  bytes: number;
}

// Open: members join until ends_at. Then Failed (below threshold, nothing moved) or Payable (decided, nobody removed
// yet) -> Checking (the factory is asked whether the receiver is this fork's community) -> Paying -> Exiting (paid;
// joined members leave in pages) -> Executed; a refused check or failed transfer goes back to Payable, and a fork
// still Payable after `settle_by` is Cancelled (nothing moved, nobody removed).
export type { ForkStatus };

export interface ForkRecord {
  v: 1;
  // The Fork proposal's id.
  id: number;
  name: string;
  // The proposal's explicit receiver_id, or (factory) the factory's account for `name`, until a community is
  // confirmed: then that community's DAO.
  receiver_id: string;
  // Paid to a community the factory confirms as this fork's, whatever its name (absent in records written before).
  factory?: boolean;
  // The community name being checked with the factory (execute_fork's `name`, else `name`).
  candidate?: string | null;
  status: ForkStatus;
  opened_at: string;
  ends_at: string;
  // Block and membership counter at the opening: join weights are read as of `snapshot`.
  opened_block: string;
  snapshot: number;
  weight_kind: WeightKind;
  total_weight: number;
  threshold_bps: number;
  joined_weight: number;
  joined: number;
  // Joined members removed from the parent so far (Exiting).
  exited: number;
  // Block where the window's outcome was decided (the provenance block of the new community).
  decided_block: string | null;
  // Decided + one window: a fork still unpaid then is Cancelled by the next execute_fork.
  settle_by: string | null;
  available: string | null;
  amount: string | null;
  last_error: string | null;
}

// One member's opt-in: its weight (fixed at join) and the roles it held, for the new community.
export interface ForkJoin {
  w: number;
  r: string[];
}
