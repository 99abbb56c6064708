// Anyone registers a model version (the writer pays its storage). The manifest is not checked here (that is a
// cross-contract call): activation checks it.
import { near } from "near-sdk-js";
import { creatorsOrDefault } from "../shared/creators";
import { ensure } from "../shared/errors";
import { chargeStorage } from "../shared/storage";
import { recordId } from "../wire/fields";
import { addToLists } from "./fork";
import type { RegistryState } from "./state";
import { emit } from "./state";
import type { ModelRecord, RegisterModelArgs } from "./types";
import { MODEL_HEADROOM_BYTES } from "./types";
import { checkModelInput } from "./validate";

// The caller pays the storage (bytes added + MODEL_HEADROOM_BYTES); the excess deposit is refunded in this call.
export function registerModel(r: RegistryState, input: RegisterModelArgs): string {
  const m = checkModelInput(input);
  const registrant = near.predecessorAccountId();
  // a fork's names and ids come from its parent first
  ensure(r.fork_of === "" || r.import_done, "ERR_IMPORT_INCOMPLETE");
  // same rule as a dataset's creators (1..16 distinct accounts, bps summing to 10,000)
  const makers = creatorsOrDefault(input.creators, registrant);
  const id = recordId(m.name, m.version);
  ensure(!r.models.containsKey(id), "ERR_DUPLICATE_VERSION", id);
  const owner = r.names.get(m.name);
  if (owner !== null) ensure(owner.owner === registrant, "ERR_NOT_NAME_OWNER", `${m.name} belongs to ${owner.owner}`);
  if (m.parent !== null) ensure(r.models.containsKey(m.parent.model_id), "ERR_UNKNOWN_PARENT", m.parent.model_id);
  const before = near.storageUsage();
  const rec: ModelRecord = {
    id,
    ...m,
    // after the input: a field of that name in the input never sets the layout version
    v: 1,
    creators: makers,
    registrant,
    status: "Registered",
    registered_at: near.blockTimestamp().toString(),
    activated_at: null,
    deprecated_at: null,
  };
  r.models.set(id, rec);
  r.names.set(m.name, { owner: registrant, latest: id });
  addToLists(r, rec);
  const cost = chargeStorage(before, MODEL_HEADROOM_BYTES);
  emit("model_registered", [
    {
      model_id: id,
      registrant,
      weights_sha256: m.weights_sha256,
      training_manifest_id: m.training_manifest_id,
      parent: m.parent,
      storage_cost: cost.toString(),
    },
  ]);
  return id;
}
