import { bytes, near } from "near-sdk-js";
import type { DaoState } from "./state";
import { blobKey, emit } from "./state";
import type { BlobRecord } from "./types";
import { fail } from "../shared/errors";
import { sendNear, storageCost } from "../shared/storage";
import { toHex } from "../shared/validate";

export const MAX_BLOB_BYTES = 4 * 1024 * 1024;

// Stores new contract code (raw bytes, typically fetched from the factory) under its sha256 so an UpgradeSelf
// proposal can name it. Whoever stores it pays its storage; the deposit comes back when the blob is removed, by its
// owner or by the successful upgrade that used it.
export function storeBlob(dao: DaoState, code: Uint8Array): { hash: string; bytes: number; deposit: string } {
  if (code.length === 0 || code.length > MAX_BLOB_BYTES) fail("ERR_INVALID_BLOB", "1 byte .. 4 MiB");
  const hash = toHex(near.sha256(code));
  if (dao.blobs.containsKey(hash)) fail("ERR_BLOB_EXISTS", hash);
  const usageBefore = near.storageUsage();
  const owner = near.predecessorAccountId();
  const record: BlobRecord = { v: 1, owner, deposit: "0", bytes: code.length };
  near.storageWriteRaw(bytes(blobKey(hash)), code);
  dao.blobs.set(hash, record);
  // The record is rewritten with its deposit; the string only grows by a few digits, covered by a fixed margin.
  const required = storageCost(near.storageUsage() - usageBefore + 64n);
  const attached = near.attachedDeposit();
  if (attached < required) fail("ERR_DEPOSIT_TOO_LOW", `attached ${attached}, required ${required}`);
  record.deposit = required.toString();
  dao.blobs.set(hash, record);
  sendNear(owner, attached - required);
  emit("blob_stored", [{ hash, bytes: code.length, owner, deposit: record.deposit }]);
  return { hash, bytes: code.length, deposit: record.deposit };
}

export function releaseBlob(dao: DaoState, hash: string): void {
  const rec = dao.blobs.get(hash) as BlobRecord | null;
  if (!rec) return;
  near.storageRemoveRaw(bytes(blobKey(hash)));
  dao.blobs.remove(hash);
  sendNear(rec.owner, BigInt(rec.deposit));
  emit("blob_removed", [{ hash, owner: rec.owner, refund: rec.deposit }]);
}

export function removeBlob(dao: DaoState, hash: string): void {
  const rec = dao.blobs.get(hash) as BlobRecord | null;
  if (!rec) fail("ERR_UNKNOWN_BLOB", hash);
  if (rec.owner !== near.predecessorAccountId()) fail("ERR_NOT_BLOB_OWNER");
  releaseBlob(dao, hash);
}

export function readBlob(hash: string): Uint8Array | null {
  return near.storageReadRaw(bytes(blobKey(hash)));
}
