// Every NEP-297 event a suite contract logs: its standard and version, each event name, and the shape of one entry
// of the event's `data` (always an array of such entries):
//   EVENT_JSON:{"standard":"ai-commons-dao","version":"1.0.0","event":"vote_cast","data":[{...}]}
// One shape per name within a contract. sandbox-tests/wire/catalogue.test.ts checks it against the contracts'
// emit("name", data) calls (names both ways, data fields against these types). Data only (no near-sdk-js import).
//
// Two names mean different things in two contracts (each under its own standard): `usage_reported` (verifier: an
// epoch's whole report reached the pool; pool: one report part was recorded) and `model_activated` (model registry:
// the DAO activated a model version; verifier: the registry's push of the active model was applied).
import type { ContractName } from "./contracts.ts";
import type { Creator } from "./datasets.ts";
import type { RewardPolicy } from "./reward-policy.ts";
import type { AllocationSplit } from "./usage-report.ts";
import type { VerifierSettings } from "./verifier-settings.ts";

/** Each contract's NEP-297 `standard` and `version`. */
export const EVENT_STANDARDS = {
  "community-dao": { standard: "ai-commons-dao", version: "1.0.0" },
  "community-factory": { standard: "ai-commons-factory", version: "1.0.0" },
  "dataset-registry": { standard: "ai-commons-datasets", version: "1.0.0" },
  "model-registry": { standard: "ai-commons-models", version: "1.0.0" },
  "inference-verifier": { standard: "ai-commons-verifier", version: "1.0.0" },
  "reward-pool": { standard: "ai-commons-rewards", version: "1.0.0" },
} as const satisfies Record<ContractName, { standard: string; version: string }>;

// ---------- shapes shared by several events ----------

export interface StateMigrated {
  from: number;
  to: number;
}

export interface ImportPageFailed {
  page: number;
  /** the parent registry read */
  source: string;
  /** the caller's whole deposit, sent back (yoctoNEAR) */
  refund: string;
}

export interface ImportPageDone {
  page: number;
  kind: string;
  records: number;
  complete: boolean;
  /** what the caller paid for the storage the page added (yoctoNEAR) */
  storage_cost: string;
  /** the rest of the caller's deposit, sent back */
  refund: string;
}

export interface ForkImportCompleted {
  source: string;
  imported: number;
}

export type { Creator };

// The policy as the pool stores and logs it (release_bps always present).
export type RewardPolicyData = RewardPolicy;

// ---------- community-dao (ai-commons-dao) ----------

export interface ProposalDecided {
  id: number;
}

export interface DaoEvents {
  dao_created: { config: { name: string; purpose: string; metadata: string }; members: number; factory_id: string };
  proposal_created: {
    id: number;
    proposer: string;
    /** the proposal kind's name (AddMember, Transfer, Fork, ...) */
    kind: string;
    label: string;
    bond: string;
    storage_deposit: string;
    snapshot: number;
  };
  vote_cast: {
    id: number;
    account_id: string;
    choice: string;
    weights: number[];
    changed_from: "Approve" | "Reject" | "Abstain" | "Remove" | null;
  };
  proposal_approved: ProposalDecided;
  proposal_rejected: ProposalDecided;
  proposal_removed: ProposalDecided;
  proposal_expired: ProposalDecided;
  proposal_cancelled: ProposalDecided & { by: string };
  proposal_executing: ProposalDecided;
  proposal_executed: ProposalDecided;
  proposal_failed: ProposalDecided & { error: string; retryable: boolean };
  votes_voided: { account_id: string; role: string | null; proposals: { id: number; weights: number[] }[] };
  bond_refunded: { proposal_id: number; account_id: string; amount: string };
  bond_forfeited: { proposal_id: number; account_id: string; amount: string };
  member_added: { member_id: string; role: string };
  /**
   * reason: "proposal" (RemoveMember(s)), "left" / "ragequit" (leave; one entry per role), "fork" (a fork's exit:
   * every role at once, role null, with fork_id)
   */
  member_removed: { member_id: string; role: string | null; reason: string; fork_id?: number };
  delegated: { account_id: string; delegate_id: string };
  undelegated: { account_id: string; delegate_id: string | null };
  config_changed: { name: string; purpose: string; metadata: string };
  policy_changed: { change: string };
  blob_stored: { hash: string; bytes: number; owner: string; deposit: string };
  blob_removed: { hash: string; owner: string; refund: string };
  fork_opened: { id: number; name: string; receiver_id: string; ends_at: string };
  fork_joined: { id: number; account_id: string; weight: number; joined_weight: number };
  fork_succeeded: { id: number; joined_weight: number; total_weight: number; settle_by: string };
  fork_failed: { id: number; joined_weight: number; total_weight: number };
  fork_payment_sent: { id: number; receiver_id: string; available: string; amount: string };
  fork_payment_failed: { id: number; receiver_id: string; amount: string | null; error: string };
  fork_executed: { id: number; receiver_id: string; amount: string | null };
  fork_cancelled: { id: number; receiver_id: string; last_error: string | null };
  ragequit: { account_id: string; available: string; members: number; amount: string };
  state_migrated: StateMigrated;
}

// ---------- community-factory (ai-commons-factory) ----------

export interface FactoryEvents {
  owner_changed: { old_owner_id: string; new_owner_id: string };
  // A release published to the global store by hash (NEP-591); `burnt`: what the owner paid for it, in yocto.
  code_stored: {
    name: string;
    version: string;
    sha256: string;
    bytes: number;
    previous_version: string | null;
    burnt: string;
  };
  // The global deploy failed: nothing recorded, the burn went back to the owner.
  code_publish_failed: { name: string; version: string; sha256: string; refund: string };
  code_removed: { name: string };
  community_reserved: {
    name: string;
    creator: string;
    dao_id: string;
    suite: Record<string, string>;
    deposit: string;
    // what came back of the attached deposit at once (yocto)
    refund: string;
    creator_args: Record<string, Record<string, unknown>>;
  };
  community_step_started: { name: string; code: string; account_id: string; version: string; sha256: string };
  // `storage_refund` (yocto): what the record's storage freed by dropping the step's init args, sent to `creator`.
  community_step_done: {
    name: string;
    code: string;
    account_id: string;
    version: string | null;
    sha256: string | null;
    creator: string;
    storage_refund: string;
  };
  community_step_failed: { name: string; code: string; account_id: string; attempt: number };
  community_created: { name: string; dao_id: string; creator: string };
  community_abandoned: { name: string; refund: string; released: boolean };
  fork_read_failed: { name: string; parent: string; fork_id: number; error: string | null };
  fork_provenance: {
    name: string;
    dao_id: string;
    forked_from: string;
    parent_dao_id: string;
    fork_id: number;
    block_height: string | null;
    members: number;
  };
}

// ---------- dataset-registry (ai-commons-datasets) ----------

export interface DatasetDecided {
  dataset_id: string;
  memo: string | null;
}

export interface DatasetEvents {
  dataset_submitted: {
    dataset_id: string;
    submitter: string;
    previous: string | null;
    content_sha256: string;
    license: string;
    creators: Creator[];
    storage_cost: string;
  };
  dataset_admitted: DatasetDecided;
  dataset_rejected: DatasetDecided;
  dataset_retired: DatasetDecided;
  dataset_withdrawn: { dataset_id: string; by: string; reason: string | null; tainted_manifests: number };
  dataset_removed: { dataset_id: string; refund: string };
  manifest_created: { manifest_id: number; name: string; creator: string; root: string; dataset_ids: string[] };
  model_dependency_recorded: { manifest_id: number; model_id: string; dataset_ids: string[] };
  model_registry_set: { model_registry_id: string };
  import_page_failed: ImportPageFailed;
  import_page_done: ImportPageDone;
  fork_import_completed: ForkImportCompleted;
  state_migrated: StateMigrated;
}

// ---------- model-registry (ai-commons-models) ----------

export interface ModelActivation {
  model_id: string;
  previous: string | null;
  manifest_id: number;
  manifest_root: string | null;
  // yoctoNEAR: the DAO's deposit, what the decision stored here, what it reserved for the lineage parts' deposits to
  // the pool, and what went back to the DAO (the dataset registry's MODEL_USE_DEPOSIT share is settled there)
  deposit: string;
  storage_cost: string;
  lineage_reserve: string;
  refund: string;
}

export interface VerifierSync {
  verifier_id: string;
  seq: number;
  active_model: string | null;
  current: boolean;
}

export interface ModelEvents {
  model_registered: {
    model_id: string;
    registrant: string;
    weights_sha256: string;
    training_manifest_id: number;
    parent: { model_id: string; relation: "finetune" | "quantized" | "adapter" | "merge" } | null;
    storage_cost: string;
  };
  model_activated: ModelActivation;
  model_rolled_back: ModelActivation;
  model_deprecated: { model_id: string; was_active: boolean; reason: string | null };
  verifier_set: { verifier_id: string | null };
  verifier_synced: VerifierSync;
  verifier_sync_failed: VerifierSync;
  reward_pool_set: { reward_pool_id: string | null };
  lineage_prepared: { model_id: string; reward_pool_id: string; total_parts: number; entries: number[] };
  lineage_part_sent: { model_id: string; part: number; entries: number; deposit: string };
  lineage_push_failed: { model_id: string; part: number; reward_pool_id: string };
  lineage_pushed: { model_id: string; reward_pool_id: string; total_parts: number };
  import_page_failed: ImportPageFailed;
  import_page_done: ImportPageDone;
  fork_import_completed: ForkImportCompleted;
  state_migrated: StateMigrated;
}

// ---------- inference-verifier (ai-commons-verifier) ----------

export interface VerifierEvents {
  verifier_created: { dao_id: string; model_registry_id: string; reward_pool_id: string; community: string };
  settings_updated: {
    settings: VerifierSettings;
    reward_pool_id: string;
  };
  model_activated: { model_name: string; model_version: string; weights_sha256: string; seq: number };
  model_cleared: { model_name: string | null; model_version: string | null; seq: number };
  // `storage_cost`: what the caller paid for the attester's storage, kept besides the bond
  attester_added: { attester_id: string; public_key: string; bond: string; storage_cost: string };
  attester_removed: { attester_id: string };
  bond_released: { attester_id: string; amount: string; to: string };
  receipts_accepted: { id: number; attester_id: string; nonce: string; hash: string };
  receipt_challenged: {
    receipt_id: number;
    challenger: string;
    conflicting_attester_id: string;
    conflicting_hash: string;
  };
  attester_slashed: {
    attester_id: string;
    amount: string;
    to_challenger: string;
    challenger: string | null;
    to_dao: string;
    reason: string;
  };
  dispute_opened: {
    receipt_id: number;
    attester_id: string;
    challenger: string;
    bond: string;
    storage_deposit: string;
  };
  dispute_upheld: { receipt_id: number; challenger: string; refund: string };
  dispute_dismissed: { receipt_id: number; challenger: string | null; forfeited: string };
  receipt_voided: { receipt_id: number; attester_id: string; reason: string };
  usage_report_sent: { epoch: number; part: number; parts: number; attempt: number; reward_pool_id: string };
  usage_part_reported: { epoch: number; part: number; parts: number; reward_pool_id: string };
  usage_report_failed: { epoch: number; part: number; attempt: number; reward_pool_id: string };
  usage_reported: { epoch: number; models: number; receipts: number; parts: number; reward_pool_id: string };
  state_migrated: StateMigrated;
}

// ---------- reward-pool (ai-commons-rewards) ----------

export interface Claim {
  index: number;
  account_id: string;
  amount: string;
}

export interface PoolEvents {
  pool_created: {
    dao_id: string;
    /** absent when init took the peer from `suite` (the event lists init's arguments) */
    verifier_id?: string;
    model_registry_id?: string;
    policy: RewardPolicyData;
  };
  policy_set: { policy_version: number; policy: RewardPolicyData };
  deposit: { index: number; source: string; amount: string; net: string; memo: string | null };
  storage_deposit: { account_id: string; total: string; used: string };
  /** NEP-145 `storage_withdraw` (yocto): `amount` sent back (besides the attached yocto), `total` the balance left */
  storage_withdraw: { account_id: string; amount: string; total: string };
  /**
   * NEP-145 `storage_unregister` (yocto): `total` the balance it had, `refund` what came back (besides the attached
   * yocto), `kept` = total - refund (the storage of records that stay, e.g. its claim history), `forfeited` what
   * `force` returned to the pool's unallocated funds ("0" without it)
   */
  storage_unregister: { account_id: string; total: string; refund: string; kept: string; forfeited: string };
  lineage_registered: {
    model: string;
    part: number;
    total_parts: number;
    entries: number;
    complete: boolean;
    parent: string | null;
  };
  usage_reported: {
    epoch: number;
    part: number;
    parts: number;
    complete: boolean;
    receipts: number;
    models: number;
    fee_per_receipt: string;
    payouts: { attester_id: string; receipts: number; amount: string }[];
  };
  epoch_closed: {
    epoch: number;
    budget: string;
    distributed: string;
    remainder: string;
    policy_version: number;
    allocations: AllocationSplit[];
  };
  claim_started: Claim;
  claim_paid: Claim;
  claim_failed: Claim;
  state_migrated: StateMigrated;
}

/** One entry of `data`, by contract and event name. */
export interface EventData {
  "community-dao": DaoEvents;
  "community-factory": FactoryEvents;
  "dataset-registry": DatasetEvents;
  "model-registry": ModelEvents;
  "inference-verifier": VerifierEvents;
  "reward-pool": PoolEvents;
}

export type EventName<C extends ContractName> = keyof EventData[C] & string;

/** An emitter that only takes the contract's event names, each with its own data shape. */
export type TypedEmitter<C extends ContractName> = <E extends EventName<C>>(event: E, data: EventData[C][E][]) => void;

/** Every event name, by contract (the keys of EventData's interfaces; the test checks both agree). */
export const EVENTS = {
  "community-dao": [
    "dao_created",
    "proposal_created",
    "vote_cast",
    "proposal_approved",
    "proposal_rejected",
    "proposal_removed",
    "proposal_expired",
    "proposal_cancelled",
    "proposal_executing",
    "proposal_executed",
    "proposal_failed",
    "votes_voided",
    "bond_refunded",
    "bond_forfeited",
    "member_added",
    "member_removed",
    "delegated",
    "undelegated",
    "config_changed",
    "policy_changed",
    "blob_stored",
    "blob_removed",
    "fork_opened",
    "fork_joined",
    "fork_succeeded",
    "fork_failed",
    "fork_payment_sent",
    "fork_payment_failed",
    "fork_executed",
    "fork_cancelled",
    "ragequit",
    "state_migrated",
  ],
  "community-factory": [
    "owner_changed",
    "code_stored",
    "code_publish_failed",
    "code_removed",
    "community_reserved",
    "community_step_started",
    "community_step_done",
    "community_step_failed",
    "community_created",
    "community_abandoned",
    "fork_read_failed",
    "fork_provenance",
  ],
  "dataset-registry": [
    "dataset_submitted",
    "dataset_admitted",
    "dataset_rejected",
    "dataset_retired",
    "dataset_withdrawn",
    "dataset_removed",
    "manifest_created",
    "model_dependency_recorded",
    "model_registry_set",
    "import_page_failed",
    "import_page_done",
    "fork_import_completed",
    "state_migrated",
  ],
  "model-registry": [
    "model_registered",
    "model_activated",
    "model_rolled_back",
    "model_deprecated",
    "verifier_set",
    "verifier_synced",
    "verifier_sync_failed",
    "reward_pool_set",
    "lineage_prepared",
    "lineage_part_sent",
    "lineage_push_failed",
    "lineage_pushed",
    "import_page_failed",
    "import_page_done",
    "fork_import_completed",
    "state_migrated",
  ],
  "inference-verifier": [
    "verifier_created",
    "settings_updated",
    "model_activated",
    "model_cleared",
    "attester_added",
    "attester_removed",
    "bond_released",
    "receipts_accepted",
    "receipt_challenged",
    "attester_slashed",
    "dispute_opened",
    "dispute_upheld",
    "dispute_dismissed",
    "receipt_voided",
    "usage_report_sent",
    "usage_part_reported",
    "usage_report_failed",
    "usage_reported",
    "state_migrated",
  ],
  "reward-pool": [
    "pool_created",
    "policy_set",
    "deposit",
    "storage_deposit",
    "storage_withdraw",
    "storage_unregister",
    "lineage_registered",
    "usage_reported",
    "epoch_closed",
    "claim_started",
    "claim_paid",
    "claim_failed",
    "state_migrated",
  ],
} as const satisfies { [C in ContractName]: readonly EventName<C>[] };

/** Whether `contract` logs an event named `event`. */
export function isEventOf(contract: ContractName, event: string): boolean {
  return (EVENTS[contract] as readonly string[]).indexOf(event) >= 0;
}
