// Training manifests: anyone snapshots admitted datasets under a recomputable root (the rule is the protocol's,
// contracts/wire/datasets.ts), and the model registry checks one when the DAO activates a model (taint tracking).
import { encode, near } from "near-sdk-js";
import { onlyCaller } from "../shared/access";
import { ensure, fail } from "../shared/errors";
import { listPush } from "../shared/lists";
import { chargeStorage, sendNear, storageAddedCost } from "../shared/storage";
import { toHex } from "../shared/validate";
import { manifestRootText, sortManifestEntries } from "../wire/datasets";
import { isLabel, isRecordId } from "../wire/fields";
import type { DatasetState } from "./state";
import { datasetManifestsList, emit, isManifestId, manifestModelsList } from "./state";
import type { Creator, ManifestCheck, ManifestEntry, ManifestRecord } from "./types";
import { MAX_MANIFEST_DATASETS } from "./types";

// Anyone may snapshot admitted, non-withdrawn, non-retired versions; the DAO's say comes at model activation.
export function createManifest(r: DatasetState, name: string, dataset_ids: string[]): number {
  // imported manifests keep their ids: new ones are numbered after them
  ensure(r.fork_of === "" || r.import_done, "ERR_IMPORT_INCOMPLETE");
  ensure(isLabel(name), "ERR_INVALID_NAME", "manifest name: 1..64 visible ASCII");
  ensure(Array.isArray(dataset_ids) && dataset_ids.length >= 1, "ERR_EMPTY_MANIFEST");
  ensure(dataset_ids.length <= MAX_MANIFEST_DATASETS, "ERR_TOO_MANY_DATASETS", `at most ${MAX_MANIFEST_DATASETS}`);
  const entries: ManifestEntry[] = [];
  const seen: Record<string, boolean> = {};
  for (const id of dataset_ids) {
    ensure(isRecordId(id), "ERR_INVALID_DATASET_ID", String(id).slice(0, 100));
    ensure(!seen[id], "ERR_DUPLICATE_DATASET", id);
    seen[id] = true;
    const rec = r.datasets.get(id);
    if (rec === null) fail("ERR_UNKNOWN_DATASET", id);
    ensure(!rec.withdrawn, "ERR_DATASET_WITHDRAWN", id);
    ensure(rec.status !== "Retired", "ERR_DATASET_RETIRED", id);
    ensure(rec.status === "Admitted", "ERR_DATASET_NOT_ADMITTED", `${id} is ${rec.status}`);
    entries.push({ dataset_id: id, content_sha256: rec.content_sha256 });
  }
  const sorted = sortManifestEntries(entries);
  const creator = near.predecessorAccountId();
  const before = near.storageUsage();
  r.manifest_count += 1;
  const m: ManifestRecord = {
    v: 1,
    id: r.manifest_count,
    name,
    creator,
    entries: sorted,
    root: toHex(near.sha256(encode(manifestRootText(sorted)))),
    created_at: near.blockTimestamp().toString(),
  };
  r.manifests.set(String(m.id), m);
  for (const e of sorted) listPush(r.list_items, r.list_lengths, datasetManifestsList(e.dataset_id), String(m.id));
  // + 16 bytes: manifest_count in STATE may gain a digit, and STATE is written after this measurement
  chargeStorage(before, 16n);
  emit("manifest_created", [
    { manifest_id: m.id, name, creator, root: m.root, dataset_ids: sorted.map((e) => e.dataset_id) },
  ]);
  return m.id;
}

// Called by the model registry when the DAO activates a model. Writes nothing unless the manifest exists and none
// of its datasets is withdrawn; then records the model as depending on the manifest (once) for taint queries.
// with_creators: the check also returns each dataset's creators (aligned with dataset_ids), read anyway for the
// withdrawn check, so the model registry can push the model's lineage to the reward pool.
export function recordModelUse(
  r: DatasetState,
  manifest_id: number,
  model_id: string,
  with_creators: boolean | undefined,
): ManifestCheck {
  onlyCaller(r.model_registry_id, "ERR_NOT_MODEL_REGISTRY");
  ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID");
  const check = checkManifest(r, manifest_id, with_creators === true);
  const key = `${manifest_id}/${model_id}`;
  const usageBefore = near.storageUsage();
  if (check.ok && !r.model_seen.containsKey(key)) {
    r.model_seen.set(key, 1);
    listPush(r.list_items, r.list_lengths, manifestModelsList(manifest_id), model_id);
    emit("model_dependency_recorded", [{ manifest_id, model_id, dataset_ids: check.dataset_ids }]);
  }
  // Paid by the DAO's activation deposit, which the model registry passes on (MODEL_USE_DEPOSIT,
  // contracts/wire/activation.ts): the record's cost is kept, the rest goes to the DAO, whose deposit it is.
  const cost = storageAddedCost(usageBefore);
  const attached = near.attachedDeposit();
  ensure(attached >= cost, "ERR_DEPOSIT_TOO_LOW", `attached ${attached}, required ${cost}`);
  sendNear(r.dao_id, attached - cost);
  return check;
}

export function checkManifest(r: DatasetState, manifest_id: number, withCreators = false): ManifestCheck {
  const m = isManifestId(manifest_id) ? r.manifests.get(String(manifest_id)) : null;
  if (m === null) return { manifest_id, exists: false, root: null, dataset_ids: [], withdrawn: [], ok: false };
  const withdrawn: string[] = [];
  const creators: Creator[][] = [];
  for (const e of m.entries) {
    const rec = r.datasets.get(e.dataset_id);
    if (rec === null || rec.withdrawn) withdrawn.push(e.dataset_id);
    if (withCreators) creators.push(rec === null ? [] : rec.creators);
  }
  const dataset_ids = m.entries.map((e) => e.dataset_id);
  const check: ManifestCheck = {
    manifest_id,
    exists: true,
    root: m.root,
    dataset_ids,
    withdrawn,
    ok: !withdrawn.length,
  };
  if (withCreators) check.creators = creators;
  return check;
}
