import { near } from "near-sdk-js";
import { ensure, fail } from "../shared/errors";
import { sendNear } from "../shared/storage";
import { isRecordName, isVersion, recordId } from "../wire/fields";
import type { LineageCreator, LineagePartInput } from "../wire/lineage";
import { LINEAGE_MAX_PARTS as MAX_PARTS, LINEAGE_PART_ENTRIES as MAX_PART_ENTRIES } from "../wire/lineage";
import { assertAccountId, isSafeInt } from "../shared/validate";
import type { PoolState } from "./state";
import { emit, emptyAccount, settleStorage } from "./state";
import type { AccountRecord, Lineage, Position } from "./types";
import { BPS, MAX_POSITIONS } from "./types";
import { onlyCaller } from "../shared/access";

// A model version: the registry's name and version rules (contracts/wire/fields.ts) or, as before, an integer
// version; 1 and "1" name the same version.
export function checkModel(name: unknown, version: unknown, code = "ERR_INVALID_MODEL"): string {
  if (!isRecordName(name) || !(isSafeInt(version, 0, 1000000000) || isVersion(version))) {
    fail(code, `${String(name)}@${String(version)}`);
  }
  return recordId(name, version);
}

function checkDatasetId(id: unknown): string {
  if (typeof id !== "string" || id.length < 1 || id.length > 128) fail("ERR_INVALID_DATASET");
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    // printable ASCII without '|', which separates model and dataset in storage keys
    if (c < 33 || c > 126 || c === 124) fail("ERR_INVALID_DATASET", id);
  }
  return id;
}

function checkCreator(c: unknown): LineageCreator {
  if (c === null || typeof c !== "object") fail("ERR_INVALID_LINEAGE", "creator");
  const x = c as LineageCreator;
  assertAccountId(x.account_id);
  if (!isSafeInt(x.bps, 1, BPS)) fail("ERR_INVALID_BPS", x.account_id);
  return x;
}

export function newLineage(model: string, totalParts: number): Lineage {
  return {
    v: 1,
    model,
    parent: null,
    total_parts: totalParts,
    parts: 0,
    received: "0".repeat(totalParts),
    model_bps: 0,
    datasets: 0,
    datasets_complete: 0,
    complete: false,
    creator_acc: "0",
    slot_acc: "0",
  };
}

// Adds weight to an account's position in a model (merging repeated entries). Positions start settled at 0: a
// lineage earns nothing until it is complete, and it is immutable from then on, so weights never change under credit.
function addPosition(cache: Map<string, AccountRecord>, s: PoolState, id: string, m: string, r: "m" | "d", w: number) {
  let a = cache.get(id);
  if (a === undefined) {
    a = s.accounts.get(id) ?? emptyAccount();
    cache.set(id, a);
  }
  let p: Position | undefined;
  for (const q of a.positions) if (q.m === m && q.r === r) p = q;
  if (p === undefined) {
    ensure(a.positions.length < MAX_POSITIONS, "ERR_TOO_MANY_POSITIONS", id);
    a.positions.push({ m, r, w, s: "0" });
  } else {
    p.w += w;
  }
}

// One bounded part of a model version's lineage, pushed by the model registry. O(entries in the part) reads and
// writes, at most MAX_PART_ENTRIES; the lineage is checked (bps sums) when its last part arrives.
export function registerLineage(s: PoolState, input: LineagePartInput, payer: unknown) {
  onlyCaller(s.model_registry_id, "ERR_NOT_MODEL_REGISTRY");
  const refundTo =
    payer === undefined || payer === null ? near.predecessorAccountId() : assertAccountId(payer, "payer");
  if (input === null || typeof input !== "object") fail("ERR_INVALID_LINEAGE");
  const m = checkModel(input.model_name, input.model_version);
  const totalParts = input.total_parts ?? 1;
  const part = input.part ?? 0;
  if (!isSafeInt(totalParts, 1, MAX_PARTS)) fail("ERR_INVALID_PART", "total_parts");
  if (!isSafeInt(part, 0, totalParts - 1)) fail("ERR_INVALID_PART", "part");
  const creators = input.model_creators ?? [];
  const datasets = input.datasets ?? [];
  if (!Array.isArray(creators) || !Array.isArray(datasets)) fail("ERR_INVALID_LINEAGE");
  // creator entries are what costs (one account record each); datasets are capped separately
  if (datasets.length > MAX_PART_ENTRIES) fail("ERR_BATCH_SIZE", `at most ${MAX_PART_ENTRIES} datasets a part`);
  let entries = creators.length;
  for (const d of datasets) {
    if (d === null || typeof d !== "object" || !Array.isArray(d.creators)) fail("ERR_INVALID_LINEAGE", "dataset");
    entries += d.creators.length;
  }
  if (entries > MAX_PART_ENTRIES) fail("ERR_BATCH_SIZE", `at most ${MAX_PART_ENTRIES} creator entries a part`);

  const lin = s.lineages.get(m) ?? newLineage(m, totalParts);
  if (lin.complete) fail("ERR_LINEAGE_COMPLETE", m);
  if (lin.total_parts !== totalParts) fail("ERR_PARTS_MISMATCH", `${m} has ${lin.total_parts} parts`);
  if (lin.received.charAt(part) === "1") fail("ERR_PART_ALREADY_REGISTERED", `${m} part ${part}`);

  if (input.parent !== undefined && input.parent !== null) {
    const pk = checkModel(input.parent.model_name, input.parent.model_version, "ERR_INVALID_PARENT");
    if (pk === m) fail("ERR_INVALID_PARENT", "a model cannot be its own parent");
    if (lin.parent !== null && lin.parent !== pk) fail("ERR_PARENT_MISMATCH", lin.parent);
    lin.parent = pk;
  }

  const cache = new Map<string, AccountRecord>();
  for (const raw of creators) {
    const c = checkCreator(raw);
    lin.model_bps += c.bps;
    if (lin.model_bps > BPS) fail("ERR_BPS_SUM", "model creators exceed 10000");
    addPosition(cache, s, c.account_id, m, "m", c.bps);
  }
  for (const d of datasets) {
    const id = checkDatasetId(d.dataset_id);
    const key = `${m}|${id}`;
    let sum = s.dataset_bps.get(key);
    if (sum === null) {
      lin.datasets += 1;
      sum = 0;
    }
    const wasComplete = sum === BPS;
    for (const raw of d.creators) {
      const c = checkCreator(raw);
      sum += c.bps;
      if (sum > BPS) fail("ERR_BPS_SUM", `dataset ${id} exceeds 10000`);
      addPosition(cache, s, c.account_id, m, "d", c.bps);
    }
    if (sum === BPS && !wasComplete) lin.datasets_complete += 1;
    s.dataset_bps.set(key, sum);
  }

  lin.received = `${lin.received.slice(0, part)}1${lin.received.slice(part + 1)}`;
  lin.parts += 1;
  if (lin.parts === lin.total_parts) {
    if (lin.model_bps !== BPS) fail("ERR_BPS_SUM", `model creators sum to ${lin.model_bps}`);
    if (lin.datasets_complete !== lin.datasets) {
      fail("ERR_BPS_SUM", `${lin.datasets - lin.datasets_complete} dataset(s) do not sum to 10000`);
    }
    lin.complete = true;
  }
  // the marker "1" state no longer needed once complete: keep the record small
  if (lin.complete) lin.received = "";
  s.lineages.set(m, lin);
  for (const [id, a] of cache) s.accounts.set(id, a);

  const refund = settleStorage(s, near.attachedDeposit());
  sendNear(refundTo, refund);
  emit("lineage_registered", [
    { model: m, part, total_parts: totalParts, entries, complete: lin.complete, parent: lin.parent },
  ]);
  return { model: m, part, complete: lin.complete };
}
