import { NearPromise, near } from "near-sdk-js";
import type { DaoState } from "../state";
import type { BlobRecord, ProposalKind } from "../types";
import { readBlob, releaseBlob } from "../upgrade";
import type { KindHandler } from "./handler";
import { CALLBACK_GAS } from "./handler";
import { DEPLOY_GAS_PER_BYTE, FUNCTION_CALL_GAS_PER_BYTE, TGAS } from "../../shared/gas";
import { decodeBase64, isHexHash, isMethodName, isValidAccountId } from "../../shared/validate";
import { MIGRATE_GAS, upgradeGas } from "../../shared/versioned-state";

type UpgradeSelf = Extract<ProposalKind, { kind: "UpgradeSelf" }>;
type UpgradeSuite = Extract<ProposalKind, { kind: "UpgradeSuite" }>;

// Deploys a stored blob on the DAO itself and calls the migration in the same batch: if the migration panics the
// deploy is rolled back with it, the proposal is marked Failed and the old code keeps running.
export const upgradeSelf: KindHandler<UpgradeSelf> = {
  check: (dao, k) => {
    if (!isHexHash(k.hash)) return "ERR_INVALID_HASH: lower-case hex sha256";
    if (!dao.blobs.containsKey(k.hash)) return `ERR_UNKNOWN_BLOB: ${k.hash}`;
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
    return null;
  },
  apply: (_dao, k) => {
    const code = readBlob(k.hash) as Uint8Array;
    const args = k.migrate_args === undefined ? new Uint8Array(0) : (decodeBase64(k.migrate_args) as Uint8Array);
    return NearPromise.new(near.currentAccountId())
      .deployContract(code)
      .functionCallRaw(k.migrate_method ?? "migrate_state", args, 0n, MIGRATE_GAS);
  },
  gas: (dao, k) => {
    const rec = dao.blobs.get(k.hash) as BlobRecord | null;
    const size = rec ? BigInt(rec.bytes) : 0n;
    return size * DEPLOY_GAS_PER_BYTE + MIGRATE_GAS + CALLBACK_GAS + 10n * TGAS;
  },
  onSuccess: (dao, k) => releaseBlob(dao, k.hash),
};

function blobBytes(dao: DaoState, hash: string): bigint {
  const rec = dao.blobs.get(hash) as BlobRecord | null;
  return rec ? BigInt(rec.bytes) : 0n;
}

// Sends a stored blob to one of the community's other contracts as the raw input of its `upgrade` method (only the
// DAO may call it): that contract deploys it and runs its migration in one batch, and the batch's result decides
// Executed / Failed. A failed migration rolls the deploy back; the blob stays for another attempt.
export const upgradeSuite: KindHandler<UpgradeSuite> = {
  check: (dao, k) => {
    if (typeof k.contract !== "string") return "ERR_INVALID_PROPOSAL: contract (a code name in the suite)";
    const id = dao.suite ? dao.suite[k.contract] : undefined;
    // The DAO itself upgrades with UpgradeSelf, which keeps its own migration arguments.
    if (id === near.currentAccountId()) return "ERR_INVALID_PROPOSAL: the DAO upgrades itself with UpgradeSelf";
    if (typeof id !== "string" || !isValidAccountId(id)) return `ERR_NO_SUITE_CONTRACT: ${k.contract}`;
    if (!isHexHash(k.hash)) return "ERR_INVALID_HASH: lower-case hex sha256";
    if (!dao.blobs.containsKey(k.hash)) return `ERR_UNKNOWN_BLOB: ${k.hash}`;
    return null;
  },
  apply: (dao, k) => {
    const code = readBlob(k.hash) as Uint8Array;
    return NearPromise.new(dao.suite[k.contract]).functionCallRaw("upgrade", code, 0n, upgradeGas(code.length));
  },
  gas: (dao, k) => {
    const size = blobBytes(dao, k.hash);
    return upgradeGas(Number(size)) + size * FUNCTION_CALL_GAS_PER_BYTE + CALLBACK_GAS + 10n * TGAS;
  },
  onSuccess: (dao, k) => releaseBlob(dao, k.hash),
};
