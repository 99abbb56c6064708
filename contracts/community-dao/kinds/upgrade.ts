import { NearPromise, near } from "near-sdk-js";
import type { BlobRecord, ProposalKind } from "../types";
import { readBlob, releaseBlob } from "../upgrade";
import type { KindHandler } from "./handler";
import { CALLBACK_GAS, TGAS } from "./handler";
import { decodeBase64, isHexHash, isMethodName } from "../../shared/validate";

type UpgradeSelf = Extract<ProposalKind, { kind: "UpgradeSelf" }>;

export const MIGRATE_GAS = 80n * TGAS;
// Protocol 77 deploy fees per byte (send, self-receipt + execution), paid up front by the execute call.
const DEPLOY_GAS_PER_BYTE = 6812999n + 64572944n;

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
