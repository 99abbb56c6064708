import type { JsonMap, JsonUnorderedMap, JsonVector } from "../shared/json-store";
import { eventEmitter } from "../shared/events";
import type { ActiveModel, Attester, Dispute, EpochUsage, ReceiptRecord, Settings, VersionUsage } from "./types";
import { EVENT_VERSION, STANDARD } from "./types";
import { recordId } from "../wire/fields";

// What every module sees of the contract. The plain fields are the JSON STATE (small, rewritten on every call);
// what grows with use lives in the collections.
export interface VerifierState {
  dao_id: string;
  model_registry_id: string;
  // "" until set: no reward pool yet
  reward_pool_id: string;
  community: string;
  settings: Settings;
  // Receipts accepted before this instant (ns) are closed to challenges and voids for good: their window had ended
  // when the DAO raised challenge_window_ns, and a raise does not reopen what was final (challenge.ts windowOpen).
  // "0" until a raise; a state from before this field reads as "0" (near-sdk-js keeps the class default).
  challenges_closed_before_ns: string;
  // model_name "" when none is active (near-sdk-js cannot reconstruct a null field): read it with activeModel()
  active: ActiveModel;
  // yoctoNEAR held as attester bonds (the rest of the balance pays storage)
  bonds_total: string;
  // yoctoNEAR held as challengers' bonds of open disputes
  dispute_bonds_total: string;
  // seq of the last model push applied (the registry's verifier_seq): older pushes are refused
  active_seq: number;
  attesters: JsonUnorderedMap<Attester>;
  // public key hex -> attester_id: one key belongs to one attester forever
  keys: JsonMap<string>;
  // `${attester_id}:${nonce}` -> receipt id
  nonces: JsonMap<number>;
  receipts: JsonVector<ReceiptRecord>;
  disputes: JsonMap<Dispute>;
  epochs: JsonMap<EpochUsage>;
  // `${model_name}@${model_version}` -> totals, in first-use order
  versions: JsonUnorderedMap<VersionUsage>;
}

export const emit = eventEmitter(STANDARD, EVENT_VERSION);

export const NO_MODEL: ActiveModel = { model_name: "", model_version: "", weights_sha256: "", since: "0" };

export function activeModel(s: VerifierState): ActiveModel | null {
  return s.active.model_name === "" ? null : s.active;
}

// the model registry's model id, "<name>@<version>" (contracts/wire/fields.ts)
export const versionKey = recordId;

export function nonceKey(attesterId: string, nonce: string): string {
  return `${attesterId}:${nonce}`;
}

export function epochOf(s: VerifierState, t: bigint): number {
  return Number(t / BigInt(s.settings.epoch_length_ns));
}

// What the report's fields add to an epoch record at most: status, attempts, parts, next_part, sent_height (20
// digits), reward_pool_id (64 characters), last_error.
export const REPORT_PAD_BYTES = 200;

export function emptyEpoch(epoch: number): EpochUsage {
  const pad = " ".repeat(REPORT_PAD_BYTES);
  return { v: 1, epoch, models: {}, open_disputes: 0, status: "Open", attempts: 0, last_error: null, pad };
}

export function epochSize(e: EpochUsage): number {
  return JSON.stringify(e).length;
}

// Keeps the record at `size` (its length before the report's changes) by giving up pad for what they added, or
// taking back what they freed (never more than REPORT_PAD_BYTES): the first receipts paid for these bytes.
export function fitPad(e: EpochUsage, size: number): void {
  if (e.pad === undefined) return;
  const grown = epochSize(e) - size;
  if (grown > 0) e.pad = e.pad.slice(Math.min(grown, e.pad.length));
  else if (grown < 0) e.pad = " ".repeat(Math.min(REPORT_PAD_BYTES, e.pad.length - grown));
}

export function getEpoch(s: VerifierState, epoch: number): EpochUsage {
  return s.epochs.get(String(epoch)) ?? emptyEpoch(epoch);
}

// Removes one receipt from its epoch's usage (void or open dispute); the epoch record is written by the caller.
export function uncount(e: EpochUsage, r: ReceiptRecord): void {
  const m = e.models[versionKey(r.model_name, r.model_version)];
  if (!m) return;
  m.receipts -= 1;
  const left = (m.by_attester[r.attester_id] ?? 1) - 1;
  if (left > 0) m.by_attester[r.attester_id] = left;
  else delete m.by_attester[r.attester_id];
}

export function recount(e: EpochUsage, r: ReceiptRecord, weights: string): void {
  const key = versionKey(r.model_name, r.model_version);
  let m = e.models[key];
  if (!m) {
    m = {
      model_name: r.model_name,
      model_version: r.model_version,
      weights_sha256: weights,
      receipts: 0,
      by_attester: {},
    };
    e.models[key] = m;
  }
  m.receipts += 1;
  m.by_attester[r.attester_id] = (m.by_attester[r.attester_id] ?? 0) + 1;
}
