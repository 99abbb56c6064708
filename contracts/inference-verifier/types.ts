// Records and settings of the inference-receipt verifier. Everything here is plain JSON: STATE holds the settings,
// the active model and counters; receipts, nonces, attesters and usage live in collections (see state.ts).

export const STANDARD = "ai-commons-verifier";
export const EVENT_VERSION = "1.0.0";

// A batch of 64 keeps the receipts_accepted event under NEAR's 16 KiB total log limit with room to spare.
export const MAX_BATCH = 64;

export type { VerifierSettings as Settings } from "../wire/verifier-settings.js";

export interface ActiveModel {
  model_name: string;
  model_version: string;
  weights_sha256: string;
  since: string;
}

export type AttesterStatus = "Active" | "Removed" | "Slashed";

export interface Attester {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  attester_id: string;
  // hex of the 64-byte uncompressed secp256k1 key without the 0x04 prefix (128 lower-case hex chars)
  public_key: string;
  status: AttesterStatus;
  // yoctoNEAR still held for this attester; 0 after release or slash
  bond: string;
  // who posted the bond (the DAO, through its proposal) and gets it back on release
  bond_owner: string;
  added_at: string;
  removed_at: string | null;
  receipts: number;
  voided: number;
  // disputes on this attester's receipts still awaiting a DAO decision: the bond stays locked while any is open
  open_disputes: number;
}

// A receipt as relayed (JSON arguments): the protocol's signed receipt (contracts/wire/receipt.ts).
export type { SignedReceipt as ReceiptInput } from "../wire/receipt.js";

export type ReceiptStatus = "Accepted" | "Disputed" | "Voided";

export interface ReceiptRecord {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  id: number;
  // sha256 of the canonical encoding, the message the attester signed
  hash: string;
  attester_id: string;
  model_name: string;
  model_version: string;
  input_sha256: string;
  output_sha256: string;
  nonce: string;
  timestamp: string;
  enclave_measurement: string | null;
  relayer: string;
  accepted_at: string;
  epoch: number;
  status: ReceiptStatus;
}

export interface Dispute {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  receipt_id: number;
  challenger: string;
  // the conflicting receipt's attester and output commitment (its signature was checked)
  conflicting_attester_id: string;
  conflicting_output_sha256: string;
  conflicting_hash: string;
  opened_at: string;
  // the challenger's bond (settings.dispute_bond when opened) and what it paid for the storage the dispute took:
  // both refunded when the DAO upholds the dispute; on dismissal the bond goes to the DAO and the record stays
  // (paid by that storage deposit) so the receipt cannot be disputed again
  bond: string;
  storage_deposit: string;
  dismissed: boolean;
}

export type ReportStatus = "Open" | "Reporting" | "Reported";

export interface ModelUsage {
  model_name: string;
  model_version: string;
  weights_sha256: string;
  receipts: number;
  // attester_id -> accepted, unvoided receipts in this epoch
  by_attester: Record<string, number>;
}

export interface EpochUsage {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  epoch: number;
  // key: `${model_name}@${model_version}`
  models: Record<string, ModelUsage>;
  open_disputes: number;
  status: ReportStatus;
  attempts: number;
  last_error: string | null;
  // The report goes in parts (contracts/wire/usage-report.ts). `parts`: 0 until the first part is sent, when the
  // epoch's counts are frozen (slashed attesters' counts withheld); `next_part`: parts the pool confirmed;
  // `sent_height`: block height of the part in flight (anyone may resend it REPORT_TIMEOUT_BLOCKS later).
  parts?: number;
  next_part?: number;
  sent_height?: string;
  // the reward pool the first part went to: the remaining parts go there too, whatever reward_pool_id is now
  reward_pool_id?: string;
  // Spaces paid for with the epoch's first receipts (REPORT_PAD_BYTES), given up as the report's fields above are
  // written (state.ts fitPad), so reporting never grows the record at the verifier's cost (storage audit F5).
  // Records from before it have none: their report grows them, as it did.
  pad?: string;
}

export interface VersionUsage {
  // the record's layout version (shared/versioned-state.ts): a release that changes it writes 2 and migrates
  v: 1;
  model_name: string;
  model_version: string;
  weights_sha256: string;
  accepted: number;
  voided: number;
}

// What the verifier sends to reward_pool.on_usage_report: one part of an epoch's report (docs/verifier.md).
export type { UsageReportPart as UsageReport } from "../wire/usage-report.js";
