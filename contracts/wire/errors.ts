// Every ERR_ code a suite contract can refuse with (`ERR_CODE` or `ERR_CODE: detail` as the panic message, or in a
// record's `last_error`), what it means, and which contracts raise it. One table for everyone: the CLI prints these
// meanings (scripts/cli/errors.ts), docs/<contract>.md error tables are generated from it (scripts/docs/errors.ts),
// and sandbox-tests/wire/catalogue.test.ts checks it against the contracts' sources (a code written in a contract
// that is missing here, a contract list that differs, an entry no contract uses, a docs table that differs).
//
// `meaning` is one line, true for every contract listed; `when` says more for one contract where the code has a
// narrower or different sense there. Data only (no near-sdk-js import).
import type { ContractName } from "./contracts.ts";

export interface ErrorInfo {
  /** one line: what the refusal means */
  readonly meaning: string;
  /** the contracts that raise it, by code name (folder under contracts/), sorted */
  readonly contracts: readonly ContractName[];
  /** the meaning in one contract where it says more than `meaning` */
  readonly when?: Partial<Record<ContractName, string>>;
}

const DAO = "community-dao";
const FACTORY = "community-factory";
const DATASETS = "dataset-registry";
const MODELS = "model-registry";
const VERIFIER = "inference-verifier";
const POOL = "reward-pool";
const ALL = [DAO, FACTORY, DATASETS, VERIFIER, MODELS, POOL] as const;

export const ERRORS = {
  ERR_ALREADY_ACTIVE: {
    meaning: "the model version is already the active one",
    contracts: [MODELS],
  },
  ERR_ALREADY_COMPLETE: {
    meaning: "the community is already fully created (or a fork's parent was already read)",
    contracts: [FACTORY],
  },
  ERR_ALREADY_DELEGATED: {
    meaning: "you already delegate to this member",
    contracts: [DAO],
  },
  ERR_ALREADY_DEPRECATED: {
    meaning: "the model version is already deprecated",
    contracts: [MODELS],
  },
  ERR_ALREADY_FINAL: {
    meaning: "the proposal is already decided or closed (or the fork executed, failed or cancelled)",
    contracts: [DAO],
  },
  ERR_ALREADY_IN_SYNC: {
    meaning: "`sync_verifier` with nothing to resend: the verifier already has the active model",
    contracts: [MODELS],
  },
  ERR_ALREADY_JOINED: {
    meaning: "the account already joined this fork",
    contracts: [DAO],
  },
  ERR_ALREADY_MEMBER: {
    meaning: "the account already has this role",
    contracts: [DAO],
  },
  ERR_ALREADY_REPORTED: {
    meaning: "the epoch's usage was already reported to the reward pool",
    contracts: [VERIFIER],
  },
  ERR_ALREADY_SENT: {
    meaning: "a failed FunctionCall proposal is not sent again: propose it again",
    contracts: [DAO],
  },
  ERR_ALREADY_VOIDED: {
    meaning: "DAO void of a receipt that is already voided",
    contracts: [VERIFIER],
  },
  ERR_ALREADY_VOTED: {
    meaning: "you already cast this same vote on the proposal",
    contracts: [DAO],
  },
  ERR_ALREADY_WITHDRAWN: {
    meaning: "the dataset is already withdrawn",
    contracts: [DATASETS],
  },
  ERR_ATTESTER_EXISTS: {
    meaning: "attester id in use (a removed attester may come back only after its bond was released)",
    contracts: [VERIFIER],
  },
  ERR_ATTESTER_FEE_TOO_HIGH: {
    meaning: "the reward policy's `attester_fee` is above 0.005 NEAR (a receipt's storage)",
    contracts: [DAO, POOL],
  },
  ERR_ATTESTER_NOT_ACTIVE: {
    meaning: "removal of an attester that is not active",
    contracts: [VERIFIER],
  },
  ERR_ATTESTER_NOT_REMOVED: {
    meaning: "bond release of an attester that was not removed",
    contracts: [VERIFIER],
  },
  ERR_ATTESTER_REMOVED: {
    meaning: "a receipt signed by a removed attester",
    contracts: [VERIFIER],
  },
  ERR_ATTESTER_SLASHED: {
    meaning: "a receipt signed by a slashed attester",
    contracts: [VERIFIER],
  },
  ERR_BAD_SIGNATURE: {
    meaning: "the signature does not recover to the attester's key (incl. high-s)",
    contracts: [VERIFIER],
  },
  ERR_BATCH_SIZE: {
    meaning: "too many (or no) items in one call; the detail gives the bound",
    contracts: [DAO, VERIFIER, POOL],
    when: {
      [DAO]: "not 1..100 members in one proposal, or more than the founders' limit at init",
      [VERIFIER]: "0 or more than 64 receipts",
      [POOL]:
        "more than 32 models / 64 attester entries in a report part, creator entries / datasets in a lineage part",
    },
  },
  ERR_BLOB_EXISTS: {
    meaning: "a blob with this hash is already stored",
    contracts: [DAO],
  },
  ERR_BOND_LOCKED: {
    meaning: "bond release before the challenge window after the removal ends",
    contracts: [VERIFIER],
  },
  ERR_BOND_RELEASED: {
    meaning: "the attester's bond was already released",
    contracts: [VERIFIER],
  },
  ERR_BOND_TOO_LOW: {
    meaning: "attached deposit below `min_bond`",
    contracts: [VERIFIER],
  },
  ERR_BPS_SUM: {
    meaning: "creators above 10,000 bps, or not exactly 10,000 when the lineage completes",
    contracts: [POOL],
  },
  ERR_CHALLENGE_WINDOW_CLOSED: {
    meaning: "challenge or DAO void after the challenge window",
    contracts: [VERIFIER],
  },
  ERR_CLAIM_IN_FLIGHT: {
    meaning:
      "`storage_unregister` while one of the caller's claims is in flight (even with force): retry once it settles",
    contracts: [POOL],
  },
  ERR_CODE_NOT_PUBLISHED: {
    meaning: "a suite code was stored before global contracts (its wasm in the factory): publish that release again",
    contracts: [FACTORY],
  },
  ERR_CONCURRENT_CHANGE: {
    meaning: "the registry changed between the check's start and its callback",
    contracts: [MODELS],
  },
  ERR_DATASET_NOT_ADMITTED: {
    meaning: "a manifest naming a dataset that is not admitted",
    contracts: [DATASETS],
  },
  ERR_DATASET_REGISTRY_FAILED: {
    meaning: "the dataset registry call failed (e.g. out of gas)",
    contracts: [MODELS],
  },
  ERR_DATASET_RETIRED: {
    meaning: "a manifest naming a retired dataset",
    contracts: [DATASETS],
  },
  ERR_DATASET_WITHDRAWN: {
    meaning: "admitting, or naming in a manifest, a withdrawn dataset",
    contracts: [DATASETS],
  },
  ERR_DEPOSIT_TOO_LOW: {
    meaning: "the attached deposit does not cover the storage or starting balances",
    contracts: ALL,
    when: {
      [DATASETS]: "attached deposit below the storage cost (of a submission, a manifest, or an import page's records)",
      [MODELS]: "attached deposit below the storage cost (of a registration or an import page's records)",
      [VERIFIER]: "`add_attester` with `bond`: attached deposit below `bond` + the attester's storage",
      [POOL]: "deposit not above its record's storage; storage deposit below the minimum",
    },
  },
  ERR_DISPUTE_BOND: {
    meaning: "a challenge or dispute with less than `dispute_bond` (plus a dispute's storage) attached",
    contracts: [VERIFIER],
  },
  ERR_DISPUTE_DISMISSED: {
    meaning: "a dispute of a receipt whose earlier dispute the DAO dismissed",
    contracts: [VERIFIER],
  },
  ERR_DUPLICATE_CREATOR: {
    meaning: "the same account twice among creators",
    contracts: [DATASETS, MODELS],
  },
  ERR_DUPLICATE_DATASET: {
    meaning: "the same dataset twice in a manifest",
    contracts: [DATASETS],
  },
  ERR_DUPLICATE_MEMBER: {
    meaning: "the same member appears twice",
    contracts: [DAO],
  },
  ERR_DUPLICATE_VERSION: {
    meaning: "the `name@version` id exists (or existed)",
    contracts: [DATASETS, MODELS],
  },
  ERR_EMPTY_MANIFEST: {
    meaning: "a manifest without datasets",
    contracts: [DATASETS],
  },
  ERR_EMPTY_REPORT: {
    meaning: "a report part without model entries",
    contracts: [POOL],
  },
  ERR_EPOCH_CLOSED: {
    meaning: "report or close for a closed epoch",
    contracts: [POOL],
  },
  ERR_EPOCH_NOT_ENDED: {
    meaning: "report before its `epoch_end_ns`; close before `(E + 1) × epoch_length_ns`",
    contracts: [POOL],
  },
  ERR_EPOCH_NOT_FINAL: {
    meaning: "usage report before the epoch's challenge window has passed",
    contracts: [VERIFIER],
  },
  ERR_EPOCH_ORDER: {
    meaning: "close of an epoch while an earlier reported epoch is open",
    contracts: [POOL],
  },
  ERR_EXECUTION_FAILED: {
    meaning: "the proposal's action failed when executed; it can be retried",
    contracts: [DAO],
  },
  ERR_EXECUTION_IN_PROGRESS: {
    meaning: "the proposal (or the fork's check or payment) is being executed right now",
    contracts: [DAO],
  },
  ERR_EXPIRED: {
    meaning: "the proposal's voting period is over",
    contracts: [DAO],
  },
  ERR_FORK_ACTIVE: {
    meaning: "a Fork proposed or executed while another is open or awaiting its outcome",
    contracts: [DAO],
  },
  ERR_FORK_FULL: {
    meaning: "the 101st member joining a fork (the new DAO starts with at most 100)",
    contracts: [DAO],
  },
  ERR_FORK_NOT_BOUND: {
    meaning: "recorded in the fork's `last_error`: the receiver is not this fork's community",
    contracts: [DAO],
  },
  ERR_FORK_NOT_CREATED: {
    meaning: "recorded in the fork's `last_error`: the fork's community is not created yet (run `fork create`)",
    contracts: [DAO],
  },
  ERR_FORK_NOT_READ: {
    meaning: "`resume_community` before the parent's fork was read",
    contracts: [FACTORY],
  },
  ERR_FORK_NOT_SUCCEEDED: {
    meaning: "recorded in `forked_from.last_error`: the parent's fork has not succeeded (the read is retried)",
    contracts: [FACTORY],
  },
  ERR_FORK_RECEIVER_MISMATCH: {
    meaning: "recorded in `forked_from.last_error`: the parent's fork pays another account (the read is retried)",
    contracts: [FACTORY],
  },
  ERR_FORK_WINDOW_CLOSED: {
    meaning: "joining a fork after its window (or after its outcome)",
    contracts: [DAO],
  },
  ERR_FORK_WINDOW_OPEN: {
    meaning: "a spending kind executed, `execute_fork` before the end, or ragequit, during a fork",
    contracts: [DAO],
  },
  ERR_IMPORT_COMPLETE: {
    meaning: "an import page after the fork's import completed",
    contracts: [DATASETS, MODELS],
  },
  ERR_IMPORT_INCOMPLETE: {
    meaning: "new datasets, manifests or models in a fork's registry before its import is complete",
    contracts: [DATASETS, MODELS],
  },
  ERR_INIT_BALANCE_TOO_LOW: {
    meaning: "the release published now needs a larger starting balance than the account was paid for",
    contracts: [FACTORY],
  },
  ERR_INSUFFICIENT_FUNDS: {
    meaning: "the records a call creates cannot be paid (no surplus, no deposit, no unallocated funds)",
    contracts: [POOL],
  },
  ERR_INSUFFICIENT_TREASURY: {
    meaning: "the DAO's available treasury (balance - bonds - storage - write reserve) is too small",
    contracts: [DAO],
  },
  ERR_INTERNAL: {
    meaning: "an internal invariant broke (a balance below zero, a claimer record missing): a bug",
    contracts: [POOL],
  },
  ERR_INVALID_ACCOUNT_ID: {
    meaning: "a malformed (or missing) account id",
    contracts: ALL,
    when: {
      [DATASETS]: "a malformed account id (creator, dao_id, registry ids)",
      [MODELS]: "a malformed account id (creator, dao_id, registry ids)",
      [VERIFIER]: "bad `dao_id`, `model_registry_id`, `reward_pool_id`, `community`, `attester_id`",
      [POOL]: "an account id (creator, attester, argument, init peer) is invalid or missing",
    },
  },
  ERR_INVALID_AMOUNT: {
    meaning: "an amount that is not a u128 decimal string (or zero where it must be positive)",
    contracts: [DAO, FACTORY, VERIFIER, POOL],
  },
  ERR_INVALID_ARCHITECTURE: {
    meaning: "`architecture` not 1..64 visible ASCII",
    contracts: [MODELS],
  },
  ERR_INVALID_ARGS: {
    meaning: "malformed `init_args` / `dao_args`, or any of them given to `create_fork`",
    contracts: [...ALL],
    when: {
      [DAO]: "`upgrade_to`'s arguments are not JSON, or `migrate_args` is not base64",
      [DATASETS]: "`upgrade_to`'s arguments are not JSON",
      [MODELS]: "`upgrade_to`'s arguments are not JSON",
      [VERIFIER]: "`upgrade_to`'s arguments are not JSON",
      [POOL]: "`upgrade_to`'s arguments are not JSON",
    },
  },
  ERR_INVALID_BLOB: {
    meaning: "the blob is empty or above 4 MiB",
    contracts: [DAO],
  },
  ERR_INVALID_BPS: {
    meaning: "a share or creator bps not an integer in range (shares 0..10,000; creators and `release_bps` 1..10,000)",
    contracts: [DAO, POOL],
  },
  ERR_INVALID_CODE: {
    meaning: "the code is not wasm or not 8 bytes .. 4 MiB",
    contracts: [FACTORY, DATASETS, VERIFIER, MODELS, POOL],
  },
  ERR_INVALID_CODE_INPUT: {
    meaning: "publish_code input must be a JSON header line, a newline, then the wasm",
    contracts: [FACTORY],
  },
  ERR_INVALID_CONFIG: {
    meaning: "the community config (name, purpose, metadata) is malformed",
    contracts: [DAO],
  },
  ERR_INVALID_CREATORS: {
    meaning: "creators not an array of objects",
    contracts: [DATASETS, MODELS],
  },
  ERR_INVALID_DATASET: {
    meaning: "dataset id not 1..128 printable ASCII without `|`",
    contracts: [POOL],
  },
  ERR_INVALID_DATASET_ID: {
    meaning: "a malformed dataset id (`<name>@<version>`)",
    contracts: [DAO, DATASETS],
  },
  ERR_INVALID_DESCRIPTION: {
    meaning: "the proposal description is not a string or too long",
    contracts: [DAO],
  },
  ERR_INVALID_EPOCH: {
    meaning: "epoch not an integer in 0..2^32−1",
    contracts: [VERIFIER, POOL],
  },
  ERR_INVALID_EPOCH_LENGTH: {
    meaning: "`epoch_length_ns` zero or not a u64 string",
    contracts: [DAO, POOL],
  },
  ERR_INVALID_EVALUATION: {
    meaning: "evaluations not an array, or a malformed evaluation",
    contracts: [MODELS],
  },
  ERR_INVALID_FORK_OF: {
    meaning: "malformed `fork_of` at a registry's init",
    contracts: [DATASETS, MODELS],
  },
  ERR_INVALID_FRAMEWORK: {
    meaning: "`framework` not 1..32 visible ASCII",
    contracts: [MODELS],
  },
  ERR_INVALID_HASH: {
    meaning: "not a 64-character lower-case hex sha256",
    contracts: [...ALL],
    when: { [VERIFIER]: "malformed weights / input / output / enclave hash" },
  },
  ERR_INVALID_LICENSE: {
    meaning: "the license is not an SPDX id",
    contracts: [DATASETS, MODELS],
  },
  ERR_INVALID_LINEAGE: {
    meaning: "a malformed lineage entry",
    contracts: [POOL],
  },
  ERR_INVALID_MANIFEST_ID: {
    meaning: "a manifest id that is not an integer in 1..2^32−1",
    contracts: [DATASETS, MODELS],
  },
  ERR_INVALID_MEMBER: {
    meaning: "a malformed member entry",
    contracts: [DAO],
  },
  ERR_INVALID_MEMO: {
    meaning: "memo not a string of at most 256 characters",
    contracts: [POOL],
  },
  ERR_INVALID_MODEL: {
    meaning: "a malformed model name or version",
    contracts: [VERIFIER, POOL],
    when: {
      [VERIFIER]: "the model registry pushed a bad name or version",
      [POOL]:
        "model name not 1..64 of a-z 0-9 '-', or version neither an integer nor a registry version string (1..32 of a-z 0-9 . -, letter or digit at both ends; `1` and `\"1\"` are the same version)",
    },
  },
  ERR_INVALID_MODEL_ID: {
    meaning: "a malformed model id (`<name>@<version>`)",
    contracts: [DAO, DATASETS, MODELS],
  },
  ERR_INVALID_NAME: {
    meaning: "a malformed name: a-z 0-9 - (no _), the detail gives the length",
    contracts: [DAO, FACTORY, DATASETS, MODELS],
    when: {
      [DAO]: "a Fork's (or `execute_fork`'s) community name not 1..32 of a-z 0-9 -",
      [FACTORY]: "a community or code name not 1..32 of a-z 0-9 -",
      [DATASETS]: "name not 1..64 of `a-z 0-9 -` (manifest name: 1..64 visible ASCII)",
      [MODELS]: "name not 1..64 of `a-z 0-9 -`",
    },
  },
  ERR_INVALID_NONCE: {
    meaning: "a receipt's nonce is not a canonical u64 decimal string",
    contracts: [VERIFIER],
  },
  ERR_INVALID_PAGE: {
    meaning: "an import page number that is not an integer in 0..2^32−1",
    contracts: [DATASETS, MODELS],
  },
  ERR_INVALID_PAGINATION: {
    meaning: "from_index or limit out of range",
    contracts: ALL,
  },
  ERR_INVALID_PARENT: {
    meaning: "a malformed parent model",
    contracts: [MODELS, POOL],
    when: {
      [MODELS]: "parent not an object",
      [POOL]: "a malformed parent, or the model its own parent",
    },
  },
  ERR_INVALID_PART: {
    meaning: "`part` / `total_parts` (lineage) or `part` / `parts` (report) out of range",
    contracts: [POOL],
  },
  ERR_INVALID_POLICY: {
    meaning: "the policy is malformed (unknown label or action, bad threshold...)",
    contracts: [DAO, POOL],
    when: { [POOL]: "the reward policy is not an object" },
  },
  ERR_INVALID_PROPOSAL: {
    meaning: "the proposal kind or its fields are malformed",
    contracts: [DAO],
  },
  ERR_INVALID_PROPOSAL_ID: {
    meaning: "not a valid proposal id",
    contracts: [DAO],
  },
  ERR_INVALID_PUBLIC_KEY: {
    meaning: "an attester key that is not 128 lower-case hex chars (the 64-byte key without 04)",
    contracts: [DAO, VERIFIER],
  },
  ERR_INVALID_RECEIPT: {
    meaning: "a receipt that is not an object",
    contracts: [VERIFIER],
  },
  ERR_INVALID_RECEIPTS: {
    meaning: "receipts not an integer in 1..10^9",
    contracts: [POOL],
  },
  ERR_INVALID_RECEIPT_ID: {
    meaning: "a receipt id that is not a non-negative integer",
    contracts: [DAO, VERIFIER],
  },
  ERR_INVALID_RELATION: {
    meaning: "a parent with an unknown relation",
    contracts: [MODELS],
  },
  ERR_INVALID_REPORT: {
    meaning:
      "report not in its one shape: a missing or unknown field, bad bounds or weights hash, a model or attester twice, `receipts` not the sum of `attester_counts`, a model without attester counts",
    contracts: [POOL],
  },
  ERR_INVALID_REWARD_POLICY: {
    meaning: "the proposed reward policy is not an object",
    contracts: [DAO],
  },
  ERR_INVALID_SEQ: {
    meaning: "a model push without a positive integer `seq`",
    contracts: [VERIFIER],
  },
  ERR_INVALID_SETTINGS: {
    meaning: "a setting out of range, an unknown key, or `epoch_length_ns` changed once receipts exist",
    contracts: [VERIFIER],
  },
  ERR_INVALID_SHARE: {
    meaning: "`share_bps` not an integer 1..10,000",
    contracts: [DATASETS, MODELS],
  },
  ERR_INVALID_SIGNATURE: {
    meaning: "signature not 128 hex chars, or recovery id not 0/1",
    contracts: [VERIFIER],
  },
  ERR_INVALID_SIZE: {
    meaning: "`size_bytes` not a u64 > 0 decimal string",
    contracts: [DATASETS],
  },
  ERR_INVALID_STATUS: {
    meaning: "the transition is not allowed from the dataset's current status",
    contracts: [DATASETS],
  },
  ERR_INVALID_SUITE: {
    meaning: "the suite map given to init is not an object of code -> account id",
    contracts: [DAO, DATASETS, VERIFIER, MODELS, POOL],
  },
  ERR_INVALID_TIMESTAMP: {
    meaning: "a receipt's timestamp is not a canonical u64 decimal string",
    contracts: [VERIFIER],
  },
  ERR_INVALID_URI: {
    meaning: "a URI malformed or over 512 chars",
    contracts: [DATASETS],
  },
  ERR_INVALID_URIS: {
    meaning: "not 1..8 URIs",
    contracts: [DATASETS],
  },
  ERR_INVALID_VERSION: {
    meaning: "a version not 1..32 characters",
    contracts: [FACTORY, DATASETS, MODELS],
    when: {
      [DATASETS]: "version not 1..32 of `a-z 0-9 . -` with alnum ends",
      [MODELS]: "version not 1..32 of `a-z 0-9 . -` with alnum ends",
    },
  },
  ERR_INVALID_VOTE: {
    meaning: "the vote must be Approve, Reject, Abstain or Remove",
    contracts: [DAO],
  },
  ERR_KEY_IN_USE: {
    meaning: "the key is registered for another attester id",
    contracts: [VERIFIER],
  },
  ERR_LAST_MEMBER: {
    meaning: "the community's last member cannot leave or be removed: add a member first (or pay the treasury out)",
    contracts: [DAO],
  },
  ERR_LINEAGE_COMPLETE: {
    meaning: "the model version's lineage is complete (immutable)",
    contracts: [POOL],
  },
  ERR_LINEAGE_IN_FLIGHT: {
    meaning: "`push_lineage` while every waiting part is already in flight",
    contracts: [MODELS],
  },
  ERR_LINEAGE_PUSHED: {
    meaning: "`push_lineage` of a model whose lineage parts all reached the pool",
    contracts: [MODELS],
  },
  ERR_MANIFEST_WITHDRAWN: {
    meaning: "activation or rollback on a manifest with withdrawn data (detail: the ids)",
    contracts: [MODELS],
  },
  ERR_MEMO_TOO_LONG: {
    meaning: "memo or reason over 256 chars",
    contracts: [DATASETS, MODELS],
  },
  ERR_MIGRATION: {
    meaning:
      "the state migration failed (state newer than the code, no step from its version, or the code of another contract)",
    contracts: [DAO, DATASETS, VERIFIER, MODELS, POOL],
  },
  ERR_MODEL_DEPRECATED: {
    meaning: "activation of (or rollback to) a deprecated model",
    contracts: [MODELS],
  },
  ERR_MODEL_NOT_ACTIVE: {
    meaning: "a receipt for a model version that is not the active one",
    contracts: [VERIFIER],
  },
  ERR_NAME_TAKEN: {
    meaning: "a community with this name already exists on the factory",
    contracts: [FACTORY],
  },
  ERR_NAME_TOO_LONG: {
    meaning: "the community's account ids would exceed 64 characters",
    contracts: [FACTORY],
  },
  ERR_NONCE_USED: {
    meaning: "nonce already used by this attester (or twice in the batch)",
    contracts: [VERIFIER],
  },
  ERR_NOTHING_TO_CLAIM: {
    meaning: "claim with nothing owed (including a second claim while the first is in flight)",
    contracts: [POOL],
  },
  ERR_NOTHING_TO_REPORT: {
    meaning: "usage report of an epoch without receipts",
    contracts: [VERIFIER],
  },
  ERR_NOT_APPROVED: {
    meaning: "only an approved (or failed) proposal can be executed",
    contracts: [DAO],
  },
  ERR_NOT_A_FORK: {
    meaning: "`read_fork` on a normal community; `import_page` on a registry that is not a fork's",
    contracts: [FACTORY, DATASETS, MODELS],
  },
  ERR_NOT_A_GROUP: {
    meaning: "members can only be added to Group roles",
    contracts: [DAO],
  },
  ERR_NOT_A_MEMBER: {
    meaning: "the account is not a member of this community",
    contracts: [DAO],
  },
  ERR_NOT_BLOB_OWNER: {
    meaning: "only who stored the blob may remove it",
    contracts: [DAO],
  },
  ERR_NOT_CONFLICTING: {
    meaning: "the conflicting receipt has another model version or input, or the same output",
    contracts: [VERIFIER],
  },
  ERR_NOT_CREATOR: {
    meaning: "only a creator may do this",
    contracts: [FACTORY, DATASETS],
    when: {
      [FACTORY]: "only the community's creator may do this",
      [DATASETS]: "withdrawal by an account neither listed as creator nor the submitter",
    },
  },
  ERR_NOT_DAO: {
    meaning: "a DAO-only method called by another account",
    contracts: [DATASETS, VERIFIER, MODELS, POOL],
  },
  ERR_NOT_DELEGATED: {
    meaning: "you do not delegate to anyone",
    contracts: [DAO],
  },
  ERR_NOT_DISPUTED: {
    meaning: "DAO dismissal of a receipt that is not disputed",
    contracts: [VERIFIER],
  },
  ERR_NOT_ENOUGH_GAS: {
    meaning: "attach more gas: the action's promises and callback do not fit",
    contracts: ALL,
    when: {
      [DAO]: "attach more gas: the action's promises and callback (or removing the next joined member) do not fit",
      [VERIFIER]: "`report_usage` without gas for the pool call and callback",
    },
  },
  ERR_NOT_EXECUTING: {
    meaning: "a callback for a proposal (or fork check or payment) that is not being executed",
    contracts: [DAO],
  },
  ERR_NOT_INITIALIZED: {
    meaning: "the contract has not been initialized",
    contracts: ALL,
  },
  ERR_NOT_IN_FLIGHT: {
    meaning: "a callback for a step, page or part that is not in flight",
    contracts: [FACTORY, DATASETS, MODELS],
    when: { [FACTORY]: "the factory step (or fork read) is not in flight" },
  },
  ERR_NOT_LATEST_VERSION: {
    meaning: "removing a version that is not its name's newest",
    contracts: [DATASETS],
  },
  ERR_NOT_MODEL_REGISTRY: {
    meaning: "a method only the configured model registry may call",
    contracts: [DATASETS, VERIFIER, POOL],
    when: {
      [DATASETS]: "`record_model_use` not called by the configured model registry",
      [VERIFIER]: "`set_active_model` / `clear_active_model` from another account",
      [POOL]: "`register_lineage` from anyone but `model_registry_id`",
    },
  },
  ERR_NOT_NAME_OWNER: {
    meaning: "a new version of a name first registered by another account",
    contracts: [DATASETS, MODELS],
  },
  ERR_NOT_OWNER: {
    meaning: "only the factory's owner may do this",
    contracts: [FACTORY],
  },
  ERR_NOT_REPORTING: {
    meaning: "callback for an epoch that is not in flight",
    contracts: [VERIFIER],
  },
  ERR_NOT_SUBMITTER: {
    meaning: "removal by an account other than the submitter",
    contracts: [DATASETS],
  },
  ERR_NOT_VERIFIER: {
    meaning: "`on_usage_report` from anyone but `verifier_id`",
    contracts: [POOL],
  },
  ERR_NO_ACTIVE_MODEL: {
    meaning: "a receipt while no model is active",
    contracts: [VERIFIER],
  },
  ERR_NO_CREATORS: {
    meaning: "an empty creators list",
    contracts: [DATASETS, MODELS],
  },
  ERR_NO_DAO_CODE: {
    meaning: "the factory has published no community-dao code yet (run factory deploy)",
    contracts: [FACTORY],
  },
  ERR_NO_LINEAGE: {
    meaning: "`push_lineage` of a model with no lineage prepared",
    contracts: [MODELS],
  },
  ERR_NO_MEMBERS: {
    meaning: "a Fork proposed or executed when the DAO has no members",
    contracts: [DAO],
  },
  ERR_NO_PERMISSION: {
    meaning: "your roles do not allow this action on this kind of proposal",
    contracts: [DAO],
  },
  ERR_NO_REWARD_POOL: {
    meaning: "no reward pool is configured",
    contracts: [VERIFIER, MODELS],
  },
  ERR_NO_ROLLBACK_TARGET: {
    meaning: "no earlier non-deprecated activation within the last 50",
    contracts: [MODELS],
  },
  ERR_NO_SUITE_CONTRACT: {
    meaning: "the community's suite has no such contract",
    contracts: [DAO],
  },
  ERR_NO_VERIFIER: {
    meaning: "`sync_verifier` with no verifier configured",
    contracts: [MODELS],
  },
  ERR_NO_VOTERS: {
    meaning: "no role can vote on this kind of proposal",
    contracts: [DAO],
  },
  ERR_NO_VOTING_POWER: {
    meaning: "you had no voting power when the proposal (or fork) was opened",
    contracts: [DAO],
  },
  ERR_ONE_YOCTO: {
    meaning: "attach exactly 1 yoctoNEAR",
    contracts: [FACTORY, POOL],
  },
  ERR_OPEN_DISPUTES: {
    meaning: "usage report of an epoch, or bond release of an attester, with disputes open",
    contracts: [VERIFIER],
  },
  ERR_PAGE_IN_FLIGHT: {
    meaning: "an import page while that page is in flight",
    contracts: [DATASETS, MODELS],
  },
  ERR_PAGE_OUT_OF_ORDER: {
    meaning: "an import page after the next one to import",
    contracts: [DATASETS, MODELS],
  },
  ERR_PARENT_MISMATCH: {
    meaning: "a lineage part naming a different parent than another part",
    contracts: [POOL],
  },
  ERR_PARENT_NOT_READY: {
    meaning: "`create_fork` of a parent community not fully created",
    contracts: [FACTORY],
  },
  ERR_PARENT_READ_FAILED: {
    meaning: "recorded in `forked_from.last_error`: the parent's fork or policy could not be read (retried)",
    contracts: [FACTORY],
  },
  ERR_PARTS_MISMATCH: {
    meaning: "`total_parts` / `parts` differs from the first part's",
    contracts: [POOL],
  },
  ERR_PART_ALREADY_REGISTERED: {
    meaning: "that lineage part was already received",
    contracts: [POOL],
  },
  ERR_PART_OUT_OF_ORDER: {
    meaning: "a report part before the earlier parts of its epoch",
    contracts: [POOL],
  },
  ERR_PEER_ARG: {
    meaning: "a peer contract id in `init_args` / `dao_args`: peers come from the factory's suite map",
    contracts: [FACTORY],
  },
  ERR_POLICY_SHARES: {
    meaning: "model + data + parent shares do not sum to 10,000",
    contracts: [DAO, POOL],
  },
  ERR_PRIVATE: {
    meaning: "a private method: only the contract itself may call it",
    contracts: ALL,
  },
  ERR_PROPOSAL_TOO_LARGE: {
    meaning: "the proposal is too large",
    contracts: [DAO],
  },
  ERR_RAGEQUIT_DISABLED: {
    meaning: "`leave({ragequit: true})` when the policy does not allow it",
    contracts: [DAO],
  },
  ERR_RECEIPT_NOT_CHALLENGEABLE: {
    meaning: "the challenged receipt is not `Accepted`",
    contracts: [VERIFIER],
  },
  ERR_REPORT_INCOMPLETE: {
    meaning: "close of an epoch whose report parts have not all arrived",
    contracts: [POOL],
  },
  ERR_REPORT_IN_FLIGHT: {
    meaning: "the epoch's report part is in flight: resend from the block in the detail",
    contracts: [VERIFIER],
  },
  ERR_REPORT_STARTED: {
    meaning: "challenge, DAO void or dismissal of a receipt whose epoch's report has started (frozen)",
    contracts: [VERIFIER],
  },
  ERR_RETRY_EXPIRED: {
    meaning: "a failed proposal can be retried only until one period after it unlocked",
    contracts: [DAO],
  },
  ERR_ROLE_NOT_EMPTY: {
    meaning: "the role still has members: remove them first",
    contracts: [DAO],
  },
  ERR_SELF_CALL: {
    meaning: "a FunctionCall or Fork proposal cannot target the DAO itself",
    contracts: [DAO],
  },
  ERR_SELF_DELEGATION: {
    meaning: "you cannot delegate to yourself",
    contracts: [DAO],
  },
  ERR_SETTING_BELOW_FLOOR: {
    meaning: "`min_bond` or `dispute_bond` below 0.1 NEAR, `challenge_window_ns` below 60 s (init or update)",
    contracts: [VERIFIER],
  },
  ERR_SHARES_NOT_10000: {
    meaning: "creators' shares do not sum to 10,000",
    contracts: [DATASETS, MODELS],
  },
  ERR_STALE_CALLBACK: {
    meaning: "callback of an attempt superseded by a resend",
    contracts: [VERIFIER],
  },
  ERR_STALE_MODEL_PUSH: {
    meaning: "a model push with a `seq` not above the last applied",
    contracts: [VERIFIER],
  },
  ERR_STEP_FAILED: {
    meaning: "a creation step failed; run the create again to retry it",
    contracts: [FACTORY],
  },
  ERR_STEP_IN_FLIGHT: {
    meaning: "every remaining account of the community is being created; wait for the outcome",
    contracts: [FACTORY],
  },
  ERR_STORAGE_BALANCE: {
    meaning: "the storage balance cannot pay the records the call writes (a claim's, a forced unregister's settlement)",
    contracts: [POOL],
  },
  ERR_STORAGE_DEPOSIT: {
    meaning: "attached deposit below the storage the receipts take",
    contracts: [VERIFIER],
  },
  ERR_STORAGE_HAS_BALANCE: {
    meaning: "`storage_unregister` without `force: true` by an account with rewards to claim: claim them first",
    contracts: [POOL],
  },
  ERR_STORAGE_NOT_REGISTERED: {
    meaning: "claim / storage_withdraw without a storage deposit",
    contracts: [POOL],
  },
  ERR_STORAGE_WITHDRAW: {
    meaning: "withdraw above the available storage balance",
    contracts: [POOL],
  },
  ERR_TIMELOCK: {
    meaning: "the proposal's timelock has not passed yet",
    contracts: [DAO],
  },
  ERR_TIMESTAMP_IN_FUTURE: {
    meaning: "a receipt's timestamp is ahead of the block time by more than the allowed skew",
    contracts: [VERIFIER],
  },
  ERR_TIMESTAMP_TOO_OLD: {
    meaning: "a receipt's timestamp is older than the allowed age",
    contracts: [VERIFIER],
  },
  ERR_TOO_MANY_CREATORS: {
    meaning: "more than 16 creators",
    contracts: [DATASETS, MODELS],
  },
  ERR_TOO_MANY_DATASETS: {
    meaning: "a manifest with more than 50 datasets",
    contracts: [DATASETS],
  },
  ERR_TOO_MANY_EVALUATIONS: {
    meaning: "more than 16 evaluations",
    contracts: [MODELS],
  },
  ERR_TOO_MANY_MEMBERS: {
    meaning: "recorded in `forked_from.last_error`: the parent's fork has more members than a new DAO takes",
    contracts: [FACTORY],
  },
  ERR_TOO_MANY_MODELS: {
    meaning: "an epoch would have more than 32 model versions",
    contracts: [VERIFIER, POOL],
    when: { [VERIFIER]: "a batch bringing a 33rd model version into one epoch" },
  },
  ERR_TOO_MANY_OPEN_EPOCHS: {
    meaning: "a report opening a 65th reported, unclosed epoch",
    contracts: [POOL],
  },
  ERR_TOO_MANY_OPEN_VOTES: {
    meaning: "the voter has too many votes on proposals still open",
    contracts: [DAO],
  },
  ERR_TOO_MANY_POSITIONS: {
    meaning: "an account would hold more than 256 positions",
    contracts: [POOL],
  },
  ERR_TRANSFER_FAILED: {
    meaning: "recorded in the fork's `last_error`: the payment to the fork's community came back",
    contracts: [DAO],
  },
  ERR_UNKNOWN_ATTESTER: {
    meaning: "no attester with this id",
    contracts: [VERIFIER],
  },
  ERR_UNKNOWN_BLOB: {
    meaning: "no blob with this hash is stored",
    contracts: [DAO],
  },
  ERR_UNKNOWN_CLAIM: {
    meaning: "callback for an unknown or already settled claim",
    contracts: [POOL],
  },
  ERR_UNKNOWN_CODE: {
    meaning: "the factory has no code with this name",
    contracts: [FACTORY],
  },
  ERR_UNKNOWN_COMMUNITY: {
    meaning: "no community with this name on the factory",
    contracts: [FACTORY],
  },
  ERR_UNKNOWN_DATASET: {
    meaning: "no dataset with this id",
    contracts: [DATASETS],
  },
  ERR_UNKNOWN_EPOCH: {
    meaning: "close of an epoch with no report",
    contracts: [POOL],
  },
  ERR_UNKNOWN_FORK: {
    meaning: "no fork with that id",
    contracts: [DAO, FACTORY],
  },
  ERR_UNKNOWN_KIND: {
    meaning: "unknown proposal kind",
    contracts: [DAO],
  },
  ERR_UNKNOWN_MANIFEST: {
    meaning: "no manifest with this id",
    contracts: [DATASETS, MODELS],
  },
  ERR_UNKNOWN_MODEL: {
    meaning: "no model with this id",
    contracts: [MODELS],
  },
  ERR_UNKNOWN_PARENT: {
    meaning: "the parent model is not registered",
    contracts: [MODELS],
  },
  ERR_UNKNOWN_PROPOSAL: {
    meaning: "no proposal with this id",
    contracts: [DAO],
  },
  ERR_UNKNOWN_RECEIPT: {
    meaning: "no receipt with this id",
    contracts: [VERIFIER],
  },
  ERR_UNKNOWN_ROLE: {
    meaning: "no role with this name in the policy",
    contracts: [DAO],
  },
  ERR_UPGRADE_STORAGE: {
    meaning:
      "the new code's storage stake would come out of money the contract holds for others: attach the amount as the UpgradeSuite's deposit",
    contracts: [DAO, DATASETS, VERIFIER, MODELS, POOL],
  },
  ERR_VERSION_EXISTS: {
    meaning: "this code version is already published; use a new version",
    contracts: [FACTORY],
  },
  ERR_VOTING_ENDED: {
    meaning: "the voting period is over (finalize it)",
    contracts: [DAO],
  },
  ERR_VOTING_NOT_ENDED: {
    meaning: "the voting period is not over yet",
    contracts: [DAO],
  },
  ERR_WEIGHTS_MISMATCH: {
    meaning: "a receipt's weights hash is not the active model's (in a challenge: not the challenged receipt's)",
    contracts: [VERIFIER],
  },
  ERR_WRONG_BOND: {
    meaning: "attach at least the policy's proposal bond plus the proposal's storage",
    contracts: [DAO],
  },
  ERR_WRONG_COMMUNITY: {
    meaning: "a receipt for another community",
    contracts: [VERIFIER],
  },
  ERR_WRONG_KIND: {
    meaning: "the label does not match the proposal's kind",
    contracts: [DAO],
  },
  ERR_ZERO_DEPOSIT: {
    meaning: "deposit (or storage top-up) of zero",
    contracts: [POOL],
  },
} as const satisfies Record<string, ErrorInfo>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && code.startsWith("ERR_") && code in ERRORS;
}

/** The meaning of `code` (in `contract` when given and the code says more there), or undefined for an unknown code. */
export function meaningOf(code: string, contract?: string): string | undefined {
  if (!isErrorCode(code)) return undefined;
  const info: ErrorInfo = ERRORS[code];
  return (contract !== undefined && info.when?.[contract as ContractName]) || info.meaning;
}

/** The codes `contract` raises, sorted. */
export function codesOf(contract: ContractName): ErrorCode[] {
  return (Object.keys(ERRORS) as ErrorCode[]).filter((c) =>
    (ERRORS[c].contracts as readonly ContractName[]).includes(contract),
  );
}
