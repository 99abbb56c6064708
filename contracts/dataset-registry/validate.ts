// Submission checks: each refusal panics with a stable code before any state is written.
import type { Creator, DatasetInput } from "../wire/datasets";
import { datasetInputProblem } from "../wire/record-checks";
import { fail } from "../shared/errors";

// The rule is contracts/wire/record-checks.ts datasetInputProblem (the CLI and the web app refuse the same input).
export function checkDatasetInput(d: DatasetInput): DatasetInput {
  const why = datasetInputProblem(d);
  if (why !== null) fail(why);
  const creators = d.creators.map(({ account_id, share_bps }: Creator) => ({ account_id, share_bps }));
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
