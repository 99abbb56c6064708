// The community DAO's views as the CLI and the web app read them, and what its calls attach: the gas and deposit of
// add_proposal, vote and execute for the kinds that need no chain lookup. Pure (no node: imports), so scripts/cli/dao.ts
// and the web app (web/) send the same transactions.
import { BYTE_COST, LINEAGE_DEPOSIT_PER_ENTRY, LINEAGE_ENTRY_BYTES } from "../../contracts/wire/activation.ts";

const TGAS = 10n ** 12n;
/** yocto per byte of storage (protocol 86). */
const STORAGE_PRICE = 10n ** 19n;

export interface Member {
  account_id: string;
  roles: string[];
  delegate: string | null;
  delegation_lapsed: boolean;
  delegations_received: number;
  voting_power: number;
}

export interface Proposal {
  id: number;
  proposer: string;
  description: string;
  kind: { kind: string } & Record<string, unknown>;
  label: string;
  status: string;
  bond: string;
  submitted_at: string;
  voting_ends_at: string;
  timelock: string;
  decided_at: string | null;
  rules: { role: string; approve: number; reject: number; abstain: number; remove: number; total: number }[];
  voters: number;
  attempts: number;
  last_error: string | null;
}

/** One member's vote on a proposal: its choice and its weight per rule of the proposal (`rules[i].role`). */
export interface Vote {
  account_id: string;
  choice: string;
  weights: number[];
}

export interface Treasury {
  balance: string;
  locked_bonds: string;
  storage_stake: string;
  // kept for the next execution's own writes (older DAOs: absent)
  write_reserve?: string;
  available: string;
}

/** The CLI's vote words and the DAO's choices. */
export const CHOICES: Record<string, string> = {
  approve: "Approve",
  reject: "Reject",
  abstain: "Abstain",
  remove: "Remove",
};

export const ADD_PROPOSAL_GAS = 50n * TGAS;
export const VOTE_GAS = 50n * TGAS;

/**
 * What add_proposal attaches: the policy's bond, or more when the proposal's storage may cost more. The proposer pays
 * the proposal's storage out of its deposit (the DAO keeps that part, the rest of the bond comes back when decided):
 * at least a generous estimate of it is attached; what is not needed is refunded in the same call.
 */
export function proposalDeposit(bond: bigint, kind: Record<string, unknown>, description: string): bigint {
  const storage = BigInt(JSON.stringify(kind).length + description.length + 2500) * STORAGE_PRICE;
  return bond > storage ? bond : storage;
}

// Enough for a transfer or member change and its callback; a function call adds its actions' gas. Kept well under
// 300 Tgas: the signer holds the attached gas at 10^9 yocto a gas until the refund (protocol 86; at protocol 77 the
// balance reserved for prepaid gas grew exponentially with it).
// ActivateModel and RollbackModel attach 160 Tgas to the registry (dataset check, verifier push, first lineage part)
// and need their callback on top (docs/dao.md: 230 Tgas, less is refused with ERR_NOT_ENOUGH_GAS).
export const ACTIVATION_EXECUTE_GAS = 240n * TGAS;
// The registry's callback takes what the execute leaves unused: 240 Tgas stores a lineage of ~390 creator entries,
// 300 the largest a manifest allows (801 measured in the VM). The proposal's deposit bounds its lineage: each entry
// costs at least LINEAGE_ENTRY_BYTES of storage and LINEAGE_DEPOSIT_PER_ENTRY (wire/activation.ts), 0.0042 NEAR.
const ENTRY_DEPOSIT_FLOOR = LINEAGE_ENTRY_BYTES * BYTE_COST + LINEAGE_DEPOSIT_PER_ENTRY;
const LINEAGE_ENTRIES_AT_240 = 350n;
const GAS_PER_EXTRA_ENTRY = 150_000_000_000n;
export const LARGEST_ACTIVATION_EXECUTE_GAS = 300n * TGAS;

/** execute's gas for an ActivateModel or RollbackModel carrying `deposit`: 240 Tgas, more for a large lineage. */
export function activationExecuteGas(deposit: bigint): bigint {
  const entries = deposit / ENTRY_DEPOSIT_FLOOR;
  if (entries <= LINEAGE_ENTRIES_AT_240) return ACTIVATION_EXECUTE_GAS;
  const gas = ACTIVATION_EXECUTE_GAS + (entries - LINEAGE_ENTRIES_AT_240) * GAS_PER_EXTRA_ENTRY;
  return gas < LARGEST_ACTIVATION_EXECUTE_GAS ? gas : LARGEST_ACTIVATION_EXECUTE_GAS;
}

/** execute's gas for a proposal of `kind`, or null for an upgrade (its gas grows with its code: dao.ts asks the DAO). */
export function executeGasOf(kind: { kind: string } & Record<string, unknown>): bigint | null {
  if (kind.kind === "ActivateModel" || kind.kind === "RollbackModel")
    return activationExecuteGas(
      typeof kind.deposit === "string" && /^\d+$/.test(kind.deposit) ? BigInt(kind.deposit) : 0n,
    );
  // the registry's own work, the verifier update of an active model and its callback (docs/dao.md)
  if (kind.kind === "DeprecateModel") return 120n * TGAS;
  if (kind.kind === "UpgradeSuite" || kind.kind === "UpgradeSelf") return null;
  let gas = 100n * TGAS;
  const actions = (kind as { actions?: { gas: string }[] }).actions;
  if (kind.kind === "FunctionCall" && actions) for (const a of actions) gas += BigInt(a.gas);
  return gas > 300n * TGAS ? 300n * TGAS : gas;
}
