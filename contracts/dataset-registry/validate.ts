// Submission checks: each refusal panics with a stable code before any state is written.
import type { DatasetInput } from "../wire/datasets";
import { MAX_URIS } from "../wire/datasets";
import { isHexHash, isRecordName, isSpdxId, isU64String, isUri, isVersion } from "../wire/fields";
import { checkCreators } from "../shared/creators";
import { ensure } from "../shared/errors";

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
