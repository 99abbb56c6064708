// What the DAO attaches to the model decisions it executes (ActivateModel, RollbackModel, DeprecateModel) and how the
// registries spend it. The writer pays: what a DAO decision stores in the model registry (activation stack, history,
// the lineage kept until the reward pool confirms it) and in the dataset registry (the model's use of a manifest), and
// the deposits the lineage parts carry to the pool, come out of this deposit, taken from the treasury; what is not
// used goes back to the DAO in the same execution. Before, these writes were paid from the contracts' starting
// headroom (~1.7 KB), which the first activation of a model with more than ~20 creator entries exceeded
// (docs/registries.md, "Who pays for storage").
import { LINEAGE_PART_ENTRIES } from "./lineage.js";
import { BYTE_COST } from "./units.js";

// Constants are written out, not computed (no `10n ** 19n`, no call at load): this module is evaluated on every call
// of the contracts that import it, and computing them there cost the DAO 1.04 Tgas a call (measured; the unit test
// sandbox-tests/unit/activation.test.ts checks the written values against the formulas).

// Upper bounds, in bytes, of what one activation or rollback stores in the model registry (each record is also
// charged nearcore's 40 bytes of per-record overhead; ids at their longest; a part is JSON inside a JSON string, so
// its quotes are escaped). The registry measures what it really stored, keeps that and refunds the rest.
// stack entry, history entry, the list lengths, the model's status change, the active id in STATE, the lineage
// status record (~1,020 bytes with every id at its longest: a 97-character model id, a 64-character pool)
export const ACTIVATION_BASE_BYTES = 1_100n;
// one lineage part's key and header (model name, version, parent, part numbers) and its slot in the status record
export const LINEAGE_PART_BYTES = 520n;
// one dataset in a part (its `name@version`)
export const LINEAGE_DATASET_BYTES = 160n;
// one creator entry in a part (account id and share)
export const LINEAGE_ENTRY_BYTES = 120n;

// What a lineage part carries to the pool for its records (reward_pool.register_lineage keeps what they use and
// refunds the rest to the model registry).
export const LINEAGE_DEPOSIT_PER_PART = 5_000_000_000_000_000_000_000n;
export const LINEAGE_DEPOSIT_PER_ENTRY = 3_000_000_000_000_000_000_000n;

// What the model registry attaches to dataset_registry.record_model_use: the manifest -> model records (written once
// per model version: 2 x the model id + ~141 bytes, 335 with a 97-character id; 500 bytes here). The dataset registry
// keeps the cost of what it writes and sends the rest to the DAO.
export const MODEL_USE_DEPOSIT = 5_000_000_000_000_000_000_000n;

// A history entry and the status change of a deprecation, at most.
export const DEPRECATION_BYTES = 300n;
// DEPRECATION_BYTES x BYTE_COST
export const DEPRECATION_DEPOSIT = 3_000_000_000_000_000_000_000n;

export interface LineageSize {
  // creator entries: the model's creators plus every dataset creator of its training manifest
  entries: number;
  // datasets in the training manifest
  datasets: number;
  // parts the lineage is sent in (lineagePartsBound when not known)
  parts: number;
}

export function lineagePartDeposit(entries: number): bigint {
  return LINEAGE_DEPOSIT_PER_PART + BigInt(entries) * LINEAGE_DEPOSIT_PER_ENTRY;
}

// The most parts a lineage of this size is packed into (a dataset's creators, at most 16, are never split).
export function lineagePartsBound(entries: number, datasets: number): number {
  if (entries === 0 && datasets === 0) return 1;
  return Math.min(datasets + 1, Math.ceil(entries / (LINEAGE_PART_ENTRIES - 15)) + 1);
}

// The storage an activation may add to the model registry, in bytes; `lineage` null when no lineage is prepared
// (no reward pool, or the model's lineage was prepared at an earlier activation).
export function activationBytes(lineage: LineageSize | null): bigint {
  if (lineage === null) return ACTIVATION_BASE_BYTES;
  return (
    ACTIVATION_BASE_BYTES +
    BigInt(lineage.parts) * LINEAGE_PART_BYTES +
    BigInt(lineage.datasets) * LINEAGE_DATASET_BYTES +
    BigInt(lineage.entries) * LINEAGE_ENTRY_BYTES
  );
}

// The deposits of all of a lineage's parts, kept by the model registry for them (parts sent later, or again after a
// failure, use it).
export function lineageReserve(entriesPerPart: number[]): bigint {
  let total = 0n;
  for (const e of entriesPerPart) total += lineagePartDeposit(e);
  return total;
}

// The deposit an ActivateModel or RollbackModel needs: the registry refuses less (ERR_DEPOSIT_TOO_LOW, naming this
// amount) and gives all of it back; of more, it keeps the storage it measured and the lineage's part deposits.
export function activationDeposit(lineage: LineageSize | null, byteCost = BYTE_COST): bigint {
  let total = activationBytes(lineage) * byteCost + MODEL_USE_DEPOSIT;
  if (lineage !== null) {
    // each part's fixed deposit, and every entry's
    total += BigInt(lineage.parts) * LINEAGE_DEPOSIT_PER_PART + BigInt(lineage.entries) * LINEAGE_DEPOSIT_PER_ENTRY;
  }
  return total;
}

// What the DAO attaches when a proposal names no deposit: a lineage of up to 10 creator entries over 4 datasets.
// The CLI computes the deposit from the model and its manifest (scripts/cli/dao.ts).
// activationDeposit({ entries: 10, datasets: 4, parts: 1 })
export const DEFAULT_ACTIVATION_DEPOSIT = 74_600_000_000_000_000_000_000n;

// The most an ActivateModel or RollbackModel may attach (the DAO refuses more at proposal time): the deposit of the
// largest lineage a manifest allows (50 datasets of 16 creators, 16 model creators: activationDeposit of 816 entries,
// 50 datasets, 11 parts is 3.68 NEAR), rounded up.
export const MAX_ACTIVATION_DEPOSIT = 4_000_000_000_000_000_000_000_000n;
