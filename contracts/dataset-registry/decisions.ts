// The community DAO's decisions on datasets: admit, reject, retire (contract.ts names the event of each).
import { near } from "near-sdk-js";
import { onlyDao } from "../shared/access";
import { ensure } from "../shared/errors";
import { isMemo } from "../wire/fields";
import type { DatasetState } from "./state";
import { emit, mustGetDataset } from "./state";
import type { DatasetStatus } from "./types";

export function decide(
  r: DatasetState,
  dataset_id: string,
  from: DatasetStatus,
  to: DatasetStatus,
  memo: string | undefined,
  event: string,
): void {
  onlyDao(r.dao_id);
  ensure(isMemo(memo), "ERR_MEMO_TOO_LONG");
  const rec = mustGetDataset(r, dataset_id);
  ensure(rec.status === from, "ERR_INVALID_STATUS", `${dataset_id} is ${rec.status}, expected ${from}`);
  if (to === "Admitted") ensure(!rec.withdrawn, "ERR_DATASET_WITHDRAWN", dataset_id);
  rec.status = to;
  rec.decided_at = near.blockTimestamp().toString();
  r.datasets.set(dataset_id, rec);
  emit(event, [{ dataset_id, memo: memo ?? null }]);
}
