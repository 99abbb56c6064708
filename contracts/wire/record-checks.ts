// What the registries check in a creator's submission before anything is written: a record's creators (both
// registries), submit_dataset's arguments and register_model's core fields. Each returns the contract's refusal as it
// panics with it (`CODE` or `CODE: detail`), else null: the contracts panic with it (shared/creators.ts,
// dataset-registry/validate.ts, model-registry/validate.ts), the CLI and the web app refuse the same input with the same
// code before sending. Pure functions only.
import { BPS_TOTAL, MAX_CREATORS, MAX_URIS } from "./datasets.js";
import {
  isHexHash,
  isLabel,
  isRecordName,
  isSafeInt,
  isSpdxId,
  isU64String,
  isUri,
  isValidAccountId,
  isVersion,
} from "./fields.js";

// 1..16 distinct accounts whose basis-point shares (1..10,000 each) sum to 10,000.
export function creatorsProblem(creators: unknown): string | null {
  if (!Array.isArray(creators)) return "ERR_INVALID_CREATORS: an array of {account_id, share_bps}";
  if (creators.length < 1) return "ERR_NO_CREATORS";
  if (creators.length > MAX_CREATORS) return `ERR_TOO_MANY_CREATORS: at most ${MAX_CREATORS}`;
  const seen: Record<string, boolean> = {};
  let sum = 0;
  for (const c of creators as unknown[]) {
    if (c === null || typeof c !== "object") return "ERR_INVALID_CREATORS";
    const { account_id, share_bps } = c as { account_id: unknown; share_bps: unknown };
    if (!isValidAccountId(account_id)) return `ERR_INVALID_ACCOUNT_ID: creators: ${String(account_id)}`;
    if (seen[account_id]) return `ERR_DUPLICATE_CREATOR: ${account_id}`;
    seen[account_id] = true;
    if (typeof share_bps !== "number" || !Number.isInteger(share_bps) || share_bps < 1 || share_bps > BPS_TOTAL) {
      return `ERR_INVALID_SHARE: ${account_id}: 1..${BPS_TOTAL}`;
    }
    sum += share_bps;
  }
  return sum === BPS_TOTAL ? null : `ERR_SHARES_NOT_10000: sum ${sum}`;
}

// submit_dataset's arguments (contracts/wire/datasets.ts DatasetInput), in the registry's order.
export function datasetInputProblem(d: {
  name: unknown;
  version: unknown;
  content_sha256: unknown;
  datasheet_sha256: unknown;
  size_bytes: unknown;
  uris: unknown;
  license: unknown;
  creators: unknown;
}): string | null {
  if (!isRecordName(d.name)) return "ERR_INVALID_NAME: 1..64 of a-z 0-9 -";
  if (!isVersion(d.version)) return "ERR_INVALID_VERSION: 1..32 of a-z 0-9 . -";
  if (!isHexHash(d.content_sha256)) return "ERR_INVALID_HASH: content_sha256";
  if (!isHexHash(d.datasheet_sha256)) return "ERR_INVALID_HASH: datasheet_sha256";
  if (!isU64String(d.size_bytes) || d.size_bytes === "0") return "ERR_INVALID_SIZE: size_bytes: u64 > 0 as a string";
  if (!Array.isArray(d.uris) || d.uris.length < 1 || d.uris.length > MAX_URIS)
    return `ERR_INVALID_URIS: 1..${MAX_URIS}`;
  for (const u of d.uris as unknown[]) if (!isUri(u)) return `ERR_INVALID_URI: ${String(u).slice(0, 64)}`;
  if (!isSpdxId(d.license)) return "ERR_INVALID_LICENSE: an SPDX id";
  return creatorsProblem(d.creators);
}

// register_model's own fields, in the registry's order (its parent and evaluations are checked by the registry after
// these; its creators, when given, by creatorsProblem).
export function modelInputProblem(m: {
  name: unknown;
  version: unknown;
  weights_sha256: unknown;
  training_code_sha256: unknown;
  framework: unknown;
  architecture: unknown;
  training_manifest_id: unknown;
  license: unknown;
}): string | null {
  if (!isRecordName(m.name)) return "ERR_INVALID_NAME: 1..64 of a-z 0-9 -";
  if (!isVersion(m.version)) return "ERR_INVALID_VERSION: 1..32 of a-z 0-9 . -";
  if (!isHexHash(m.weights_sha256)) return "ERR_INVALID_HASH: weights_sha256";
  if (!isHexHash(m.training_code_sha256)) return "ERR_INVALID_HASH: training_code_sha256";
  if (!isLabel(m.framework, 32)) return "ERR_INVALID_FRAMEWORK: 1..32 visible ASCII";
  if (!isLabel(m.architecture)) return "ERR_INVALID_ARCHITECTURE: 1..64 visible ASCII";
  if (!isSafeInt(m.training_manifest_id, 1, 4294967295)) return "ERR_INVALID_MANIFEST_ID";
  if (!isSpdxId(m.license)) return "ERR_INVALID_LICENSE: an SPDX id";
  return null;
}
