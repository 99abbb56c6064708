// Submission checks: each refusal panics with a stable code before any state is written.
import type { Creator, DatasetInput } from "./types";
import { BPS_TOTAL, MAX_CREATORS, MAX_URIS } from "./types";
import { isRecordName, isSpdxId, isUri, isVersion } from "./fields";
import { ensure, fail } from "../shared/errors";
import { isHexHash, isU64String, isValidAccountId } from "../shared/validate";

export function checkCreators(creators: unknown): Creator[] {
  ensure(Array.isArray(creators), "ERR_INVALID_CREATORS", "an array of {account_id, share_bps}");
  ensure(creators.length >= 1, "ERR_NO_CREATORS");
  ensure(creators.length <= MAX_CREATORS, "ERR_TOO_MANY_CREATORS", `at most ${MAX_CREATORS}`);
  const seen: Record<string, boolean> = {};
  const out: Creator[] = [];
  let sum = 0;
  for (const c of creators as unknown[]) {
    ensure(c !== null && typeof c === "object", "ERR_INVALID_CREATORS");
    const { account_id, share_bps } = c as Creator;
    if (!isValidAccountId(account_id)) fail("ERR_INVALID_ACCOUNT_ID", `creators: ${String(account_id)}`);
    ensure(!seen[account_id], "ERR_DUPLICATE_CREATOR", account_id);
    seen[account_id] = true;
    ensure(
      typeof share_bps === "number" && Number.isInteger(share_bps) && share_bps >= 1 && share_bps <= BPS_TOTAL,
      "ERR_INVALID_SHARE",
      `${account_id}: 1..${BPS_TOTAL}`,
    );
    sum += share_bps;
    out.push({ account_id, share_bps });
  }
  ensure(sum === BPS_TOTAL, "ERR_SHARES_NOT_10000", `sum ${sum}`);
  return out;
}

export function checkDatasetInput(d: DatasetInput): DatasetInput {
  ensure(isRecordName(d.name), "ERR_INVALID_NAME", "1..64 of a-z 0-9 -");
  ensure(isVersion(d.version), "ERR_INVALID_VERSION", "1..32 of a-z 0-9 . -");
  ensure(isHexHash(d.content_sha256), "ERR_INVALID_HASH", "content_sha256");
  ensure(isHexHash(d.datasheet_sha256), "ERR_INVALID_HASH", "datasheet_sha256");
  ensure(isU64String(d.size_bytes) && d.size_bytes !== "0", "ERR_INVALID_SIZE", "size_bytes: u64 > 0 as a string");
  ensure(
    Array.isArray(d.uris) && d.uris.length >= 1 && d.uris.length <= MAX_URIS,
    "ERR_INVALID_URIS",
    `1..${MAX_URIS}`,
  );
  for (const u of d.uris) ensure(isUri(u), "ERR_INVALID_URI", String(u).slice(0, 64));
  ensure(isSpdxId(d.license), "ERR_INVALID_LICENSE", "an SPDX id");
  const creators = checkCreators(d.creators);
  return {
    name: d.name,
    version: d.version,
    content_sha256: d.content_sha256,
    size_bytes: d.size_bytes,
    uris: d.uris.slice(),
    license: d.license,
    datasheet_sha256: d.datasheet_sha256,
    creators,
  };
}
