// Creators: submit immutable dataset versions (the writer pays their storage), withdraw consent, and take back a
// version nothing can depend on.
import { near } from "near-sdk-js";
import { ensure } from "../shared/errors";
import { listLength, listPop, listPush } from "../shared/lists";
import { chargeStorage, sendNear, storageCost } from "../shared/storage";
import { isMemo, recordId } from "../wire/fields";
import type { DatasetState } from "./state";
import { ALL, datasetManifestsList, emit, mustGetDataset, versionsList } from "./state";
import type { DatasetInput, DatasetRecord, NameRecord } from "./types";
import { DATASET_HEADROOM_BYTES } from "./types";
import { checkDatasetInput } from "./validate";

// The caller pays the storage (bytes added + DATASET_HEADROOM_BYTES); the excess deposit is refunded in this call.
export function submitDataset(r: DatasetState, input: DatasetInput): string {
  const d = checkDatasetInput(input);
  const submitter = near.predecessorAccountId();
  // a fork's names and ids come from its parent first
  ensure(r.fork_of === "" || r.import_done, "ERR_IMPORT_INCOMPLETE");
  const id = recordId(d.name, d.version);
  ensure(!r.paid.containsKey(id), "ERR_DUPLICATE_VERSION", id);
  const name = r.names.get(d.name);
  if (name !== null) ensure(name.owner === submitter, "ERR_NOT_NAME_OWNER", `${d.name} belongs to ${name.owner}`);
  const before = near.storageUsage();
  const rec: DatasetRecord = {
    id,
    ...d,
    // after the input: a field of that name in the input never sets the layout version
    v: 1,
    submitter,
    previous: name === null ? null : name.latest,
    status: "Submitted",
    withdrawn: false,
    submitted_at: near.blockTimestamp().toString(),
    decided_at: null,
    withdrawn_at: null,
  };
  r.datasets.set(id, rec);
  r.names.set(d.name, { v: 1, owner: submitter, latest: id });
  listPush(r.list_items, r.list_lengths, versionsList(d.name), id);
  listPush(r.list_items, r.list_lengths, ALL, id);
  const cost = chargeStorage(before, DATASET_HEADROOM_BYTES);
  r.paid.set(id, cost.toString());
  emit("dataset_submitted", [
    {
      dataset_id: id,
      submitter,
      previous: rec.previous,
      content_sha256: d.content_sha256,
      license: d.license,
      creators: d.creators,
      storage_cost: cost.toString(),
    },
  ]);
  return id;
}

// Any listed creator (or the submitter) may withdraw consent at any time: the dataset can no longer enter a
// manifest, and manifests already naming it fail the model registry's activation check (taint).
export function withdrawDataset(r: DatasetState, dataset_id: string, reason: string | undefined): void {
  const rec = mustGetDataset(r, dataset_id);
  const who = near.predecessorAccountId();
  ensure(who === rec.submitter || rec.creators.some((c) => c.account_id === who), "ERR_NOT_CREATOR");
  ensure(!rec.withdrawn, "ERR_ALREADY_WITHDRAWN", dataset_id);
  ensure(isMemo(reason), "ERR_MEMO_TOO_LONG");
  rec.withdrawn = true;
  rec.withdrawn_at = near.blockTimestamp().toString();
  r.datasets.set(dataset_id, rec);
  emit("dataset_withdrawn", [
    {
      dataset_id,
      by: who,
      reason: reason ?? null,
      tainted_manifests: listLength(r.list_lengths, datasetManifestsList(dataset_id)),
    },
  ]);
}

// The submitter may take back a version nothing can depend on (Submitted or Rejected, the name's newest) and get
// back what it paid less a tombstone's storage. Admitted versions and manifests are permanent: lineage uses them.
export function removeDataset(r: DatasetState, dataset_id: string): string {
  const rec = mustGetDataset(r, dataset_id);
  ensure(near.predecessorAccountId() === rec.submitter, "ERR_NOT_SUBMITTER");
  ensure(rec.status === "Submitted" || rec.status === "Rejected", "ERR_INVALID_STATUS", rec.status);
  const name = r.names.get(rec.name) as NameRecord;
  ensure(name.latest === dataset_id, "ERR_NOT_LATEST_VERSION", `newest is ${name.latest}`);
  // The id stays taken (a tombstone in `paid`, and its slot in the "all" list, which keeps the slot rather than
  // reorder everyone's pages) so no different record ever shows under an old id. Only the bytes actually freed
  // come back: whatever stays (the tombstone, whose size grows with the id) remains paid by the submitter.
  const paid = BigInt(r.paid.get(dataset_id) ?? "0");
  const before = near.storageUsage();
  r.datasets.remove(dataset_id);
  r.paid.set(dataset_id, "0");
  listPop(r.list_items, r.list_lengths, versionsList(rec.name));
  if (rec.previous === null) r.names.remove(rec.name);
  else r.names.set(rec.name, { v: 1, owner: name.owner, latest: rec.previous });
  const after = near.storageUsage();
  const freed = before > after ? storageCost(before - after) : 0n;
  const refund = freed < paid ? freed : paid;
  sendNear(rec.submitter, refund);
  emit("dataset_removed", [{ dataset_id, refund: refund.toString() }]);
  return refund.toString();
}
