// The community DAO's views as the CLI and the web app read them, and what its calls attach: the gas and deposit of
// add_proposal, vote and execute for the kinds that need no chain lookup. Pure (no node: imports), so scripts/cli/dao.ts
// and the web app (web/) send the same transactions. Upgrades: the factory's release, the proposal and execute's gas, read
// through the caller's view call.
import { globalUpgradeExecuteAttach, upgradeExecuteAttach } from "../../contracts/wire/upgrade.ts";
import { CliError } from "./errors.ts";
import * as units from "./units.ts";
import { LINEAGE_DEPOSIT_PER_ENTRY, LINEAGE_ENTRY_BYTES } from "../../contracts/wire/activation.ts";
import { BYTE_COST, TGAS } from "../../contracts/wire/units.ts";

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

const HOUR_NS = 3_600_000_000_000n;

/** A number of hours (`--period-hours 24`, `0.5`) as nanoseconds, a policy's durations (to the second). */
export function hoursNs(value: string, flag: string): string {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new CliError("BAD_ARGS", `${flag} must be a number of hours`);
  return ((BigInt(Math.round(Number(value) * 3600)) * HOUR_NS) / 3600n).toString();
}

export const ADD_PROPOSAL_GAS = 50n * TGAS;
// Delegating pays the storage of the voting-power checkpoints it adds (~0.002 NEAR); the excess is refunded at once.
export const DELEGATION_DEPOSIT = 10n ** 22n;
export const DELEGATION_GAS = 30n * TGAS;
export const VOTE_GAS = 50n * TGAS;

/**
 * What add_proposal attaches: the policy's bond, or more when the proposal's storage may cost more. The proposer pays
 * the proposal's storage out of its deposit (the DAO keeps that part, the rest of the bond comes back when decided):
 * at least a generous estimate of it is attached; what is not needed is refunded in the same call.
 */
export function proposalDeposit(bond: bigint, kind: Record<string, unknown>, description: string): bigint {
  const storage = BigInt(JSON.stringify(kind).length + description.length + 2500) * BYTE_COST;
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

// ---------- upgrades (UpgradeSuite / UpgradeSelf): which code, its kind and description, execute's gas ----------

/** A view call, as the CLI (context.ts view) and the web app (Chain.view) make it. */
export type ViewCall = <T>(contractId: string, method: string, args?: Record<string, unknown>) => Promise<T>;

/** What an upgrade proposal reads beyond views: whether the chain holds global code of a hash, an account's code size. */
export interface CodeReads {
  /** the network's name, for the refusal of an unknown hash */
  network: string;
  view: ViewCall;
  /** false when the chain has no global code of this sha256 (hex); network failures are thrown */
  globalCodeExists(hash: string): Promise<boolean>;
  codeBytes(accountId: string): Promise<number>;
}

/** The DAO's own code name: it upgrades itself with UpgradeSelf, the other contracts with UpgradeSuite. */
export const DAO_CODE = "community-dao";

/** A release the factory publishes (its `get_code_info`). */
export interface CodeRelease {
  factory: string;
  version: string;
  sha256: string;
  bytes: number;
}

/**
 * The current release of `code` on the factory that created the community: the code the factory published to the
 * global store, which `propose upgrade --contract <code>` (and the web app's form) switches the contract to by hash.
 */
export async function factoryReleaseOf(view: ViewCall, dao: string, code: string): Promise<CodeRelease> {
  const { factory_id, suite } = await view<{ factory_id?: string; suite: Record<string, string> }>(dao, "get_info");
  if (code !== DAO_CODE && !suite[code]) {
    throw new CliError("BAD_ARGS", `${dao} has no ${code}; its contracts: ${Object.keys(suite).join(", ")}`);
  }
  if (!factory_id) throw new CliError("BAD_ARGS", `${dao} was not created by a factory: pass --hash of a stored blob`);
  const info = await view<{ version: string; sha256: string; bytes: number } | null>(factory_id, "get_code_info", {
    name: code,
  });
  if (!info) throw new CliError("BAD_ARGS", `the factory ${factory_id} has published no code named ${code}`);
  return { factory: factory_id, ...info };
}

/**
 * What voters should know about a global hash: the factory release it is, or that it is none (anyone can publish code
 * to the global store, so a hash from elsewhere must be checked before voting). Goes into the proposal's description.
 */
async function releaseNote(view: ViewCall, dao: string, code: string, hash: string): Promise<string> {
  const { factory_id } = await view<{ factory_id?: string }>(dao, "get_info");
  if (!factory_id) return " (no factory to compare with: check this code before voting)";
  const info = await view<{ version: string; sha256: string } | null>(factory_id, "get_code_info", { name: code });
  return info?.sha256 === hash
    ? ` (${factory_id} release ${info.version})`
    : ` (NOT the current ${code} release of ${factory_id}: check this code before voting)`;
}

/**
 * A hash names global code unless this DAO holds a blob of it (then the blob is deployed, as before global contracts):
 * the chain's global store is checked, so a typo is caught before anyone votes.
 */
async function isGlobal(reads: CodeReads, dao: string, hash: string): Promise<boolean> {
  if ((await reads.view(dao, "get_blob", { hash })) !== null) return false;
  if (await reads.globalCodeExists(hash)) return true;
  throw new CliError("BAD_ARGS", `no blob ${hash} in ${dao} and no global code of that hash on ${reads.network}`);
}

/**
 * What the treasury pays a suite contract for a larger code's storage stake: (new bytes - running bytes) x the
 * storage price. A contract that holds money for others (the pool, the verifier's bonds) refuses an upgrade whose
 * stake would come out of it (ERR_UPGRADE_STORAGE), so the proposal carries it as `deposit`.
 */
async function codeGrowthCost(reads: CodeReads, dao: string, contract: string, hash: string): Promise<bigint> {
  const { suite } = await reads.view<{ suite: Record<string, string> }>(dao, "get_info");
  const account = suite[contract];
  const blob = await reads.view<{ bytes: number } | null>(dao, "get_blob", { hash });
  if (!account || !blob) return 0n;
  const running = await reads.codeBytes(account);
  return blob.bytes > running ? BigInt(blob.bytes - running) * BYTE_COST : 0n;
}

/**
 * The proposal that upgrades `contract` (a code name of the community) to the code of `hash`: UpgradeSelf for the DAO,
 * UpgradeSuite for another contract; `global` when the hash is global code (a factory release), else a blob stored in
 * the DAO (with the treasury's deposit for a larger code). `propose upgrade` and `propose upgrade-self` build these.
 */
export async function upgradeKindOf(
  reads: CodeReads,
  dao: string,
  contract: string,
  hash: string,
): Promise<{ kind: { kind: string } & Record<string, unknown>; description: string }> {
  const global = await isGlobal(reads, dao, hash);
  if (contract === DAO_CODE) {
    return global
      ? {
          kind: { kind: "UpgradeSelf", hash, global: true },
          description: `switch the DAO to global code ${hash}${await releaseNote(reads.view, dao, DAO_CODE, hash)}`,
        }
      : { kind: { kind: "UpgradeSelf", hash }, description: `upgrade the DAO to ${hash}` };
  }
  if (global) {
    return {
      kind: { kind: "UpgradeSuite", contract, hash, global: true },
      description: `switch ${contract} to global code ${hash}${await releaseNote(reads.view, dao, contract, hash)}`,
    };
  }
  const deposit = await codeGrowthCost(reads, dao, contract, hash);
  return {
    kind: { kind: "UpgradeSuite", contract, hash, ...(deposit > 0n ? { deposit: deposit.toString() } : {}) },
    description: `upgrade ${contract} to ${hash}${deposit > 0n ? ` (${units.near(deposit)} from the treasury for the larger code's storage)` : ""}`,
  };
}

/** execute's gas for a proposal of `kind`: executeGasOf, or for an upgrade the DAO's own figure for its code. */
export async function executeGasFor(
  view: ViewCall,
  dao: string,
  kind: { kind: string } & Record<string, unknown>,
): Promise<bigint> {
  const plain = executeGasOf(kind);
  if (plain !== null) return plain;
  // An upgrade's gas grows with its code (contracts/wire/upgrade.ts); the blob may be gone, then the DAO refuses with
  // ERR_UNKNOWN_BLOB whatever is attached.
  if ((kind as { global?: boolean }).global) return globalUpgradeExecuteAttach();
  const blob = await view<{ bytes: number } | null>(dao, "get_blob", { hash: kind.hash });
  return upgradeExecuteAttach(blob?.bytes ?? 0, kind.kind === "UpgradeSelf");
}
