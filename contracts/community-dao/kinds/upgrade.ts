import { NearPromise, near } from "near-sdk-js";
import type { DaoState } from "../state";
import type { BlobRecord, ProposalKind } from "../types";
import { readBlob, releaseBlob } from "../upgrade";
import type { KindHandler } from "./handler";
import { availableTreasury } from "../treasury";
import { decodeBase64, isAmount, isHexHash, isMethodName, isValidAccountId } from "../../shared/validate";
import {
  EXECUTE_OVERHEAD_GAS,
  globalUpgradeExecuteGas,
  MAX_CALL_GAS,
  MIGRATE_GAS,
  maxUpgradeBytes,
  upgradeCallbackGas,
  upgradeCallGas,
  upgradeExecuteAttach,
  upgradeExecuteGas,
  UPGRADE_TO_GAS,
} from "../../wire/upgrade";

type UpgradeSelf = Extract<ProposalKind, { kind: "UpgradeSelf" }>;
type UpgradeSuite = Extract<ProposalKind, { kind: "UpgradeSuite" }>;

// Where both kinds' new code comes from: `hash`, with `global` (a boolean when given) naming code in the chain's global
// store (nothing is stored here, nothing is sent but the hash), else a blob stored in this DAO.
type CodeSource = { hash: string; global?: boolean };

function checkSource(dao: DaoState, k: CodeSource): string | null {
  if (!isHexHash(k.hash)) return "ERR_INVALID_HASH: lower-case hex sha256";
  if (k.global !== undefined && typeof k.global !== "boolean") return "ERR_INVALID_PROPOSAL: global (a boolean)";
  if (!k.global && !dao.blobs.containsKey(k.hash)) return `ERR_UNKNOWN_BLOB: ${k.hash}`;
  return null;
}

// What the kind needs beyond `execute`'s own work (wire/upgrade.ts states the whole figure, overhead included).
function kindGas(dao: DaoState, k: CodeSource, self: boolean): bigint {
  const whole = k.global ? globalUpgradeExecuteGas() : upgradeExecuteGas(blobBytes(dao, k.hash), self);
  return whole - EXECUTE_OVERHEAD_GAS;
}

// The DAO's `on_execute`: it deletes a used blob (its gas grows with the blob), a global switch leaves nothing to delete.
function kindCallbackGas(dao: DaoState, k: CodeSource): bigint {
  return upgradeCallbackGas(k.global ? 0 : blobBytes(dao, k.hash));
}

function releaseUsedBlob(dao: DaoState, k: CodeSource): void {
  if (!k.global) releaseBlob(dao, k.hash);
}

// Deploys a stored blob on the DAO itself and calls the migration in the same batch: if the migration panics the
// deploy is rolled back with it, the proposal is marked Failed and the old code keeps running. With `global` the DAO
// switches to the global code of the hash through its own `upgrade_to` (shared/versioned-state.ts), same batch rule:
// a hash with no global code, or a failing migration, leaves the old code running and the proposal Failed.
export const upgradeSelf: KindHandler<UpgradeSelf> = {
  check: (dao, k) => {
    const source = checkSource(dao, k);
    if (source !== null) return source;
    // Only a migration: any other method of the DAO called by itself (on_execute, a callback) would pass its
    // private check, so a proposal could settle another proposal.
    if (
      k.migrate_method !== undefined &&
      (!isMethodName(k.migrate_method) || k.migrate_method.indexOf("migrate") !== 0)
    )
      return "ERR_INVALID_PROPOSAL: migrate_method (migrate...)";
    if (k.migrate_args !== undefined && (typeof k.migrate_args !== "string" || decodeBase64(k.migrate_args) === null)) {
      return "ERR_INVALID_PROPOSAL: migrate_args (base64)";
    }
    return tooLarge(dao, k, true);
  },
  apply: (_dao, k) => {
    if (k.global) {
      const args: Record<string, string> = { hash: k.hash };
      if (k.migrate_method !== undefined) args.migrate_method = k.migrate_method;
      if (k.migrate_args !== undefined) args.migrate_args = k.migrate_args;
      return NearPromise.new(near.currentAccountId()).functionCall(
        "upgrade_to",
        JSON.stringify(args),
        0n,
        UPGRADE_TO_GAS,
      );
    }
    const code = readBlob(k.hash) as Uint8Array;
    const args = k.migrate_args === undefined ? new Uint8Array(0) : (decodeBase64(k.migrate_args) as Uint8Array);
    return NearPromise.new(near.currentAccountId())
      .deployContract(code)
      .functionCallRaw(k.migrate_method ?? "migrate_state", args, 0n, MIGRATE_GAS);
  },
  gas: (dao, k) => kindGas(dao, k, true),
  callbackGas: kindCallbackGas,
  onSuccess: releaseUsedBlob,
};

function blobBytes(dao: DaoState, hash: string): number {
  const rec = dao.blobs.get(hash) as BlobRecord | null;
  return rec ? rec.bytes : 0;
}

// A blob whose upgrade cannot fit in one call's gas is refused before anyone votes on it (global code never travels).
function tooLarge(dao: DaoState, k: CodeSource, self: boolean): string | null {
  if (k.global || upgradeExecuteAttach(blobBytes(dao, k.hash), self) <= MAX_CALL_GAS) return null;
  return `ERR_INVALID_PROPOSAL: the code is too large to deploy within ${MAX_CALL_GAS} gas (at most ${maxUpgradeBytes(self)} bytes)`;
}

// The treasury's payment for the new code's storage stake when it is larger than the old (the CLI computes it): a
// contract that holds money for others refuses code whose stake would come out of it (ERR_UPGRADE_STORAGE).
function depositOf(k: UpgradeSuite): bigint {
  return k.deposit === undefined ? 0n : BigInt(k.deposit);
}

// Sends a stored blob to one of the community's other contracts as the raw input of its `upgrade` method (only the
// DAO may call it): that contract deploys it and runs its migration in one batch, and the batch's result decides
// Executed / Failed. A failed migration rolls the deploy back; the blob stays for another attempt.
export const upgradeSuite: KindHandler<UpgradeSuite> = {
  check: (dao, k, phase) => {
    if (typeof k.contract !== "string") return "ERR_INVALID_PROPOSAL: contract (a code name in the suite)";
    const id = dao.suite ? dao.suite[k.contract] : undefined;
    // The DAO itself upgrades with UpgradeSelf, which keeps its own migration arguments.
    if (id === near.currentAccountId()) return "ERR_INVALID_PROPOSAL: the DAO upgrades itself with UpgradeSelf";
    if (typeof id !== "string" || !isValidAccountId(id)) return `ERR_NO_SUITE_CONTRACT: ${k.contract}`;
    const source = checkSource(dao, k);
    if (source !== null) return source;
    if (k.deposit !== undefined && !isAmount(k.deposit)) return "ERR_INVALID_AMOUNT: deposit";
    if (phase === "execute" && availableTreasury(dao) < depositOf(k)) return "ERR_INSUFFICIENT_TREASURY";
    return tooLarge(dao, k, false);
  },
  apply: (dao, k) => {
    if (k.global) {
      return NearPromise.new(dao.suite[k.contract]).functionCall(
        "upgrade_to",
        JSON.stringify({ hash: k.hash }),
        depositOf(k),
        UPGRADE_TO_GAS,
      );
    }
    const code = readBlob(k.hash) as Uint8Array;
    return NearPromise.new(dao.suite[k.contract]).functionCallRaw(
      "upgrade",
      code,
      depositOf(k),
      upgradeCallGas(code.length),
    );
  },
  gas: (dao, k) => kindGas(dao, k, false),
  callbackGas: kindCallbackGas,
  onSuccess: releaseUsedBlob,
};
