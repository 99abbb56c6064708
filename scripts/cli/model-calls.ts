// What an ActivateModel proposal asks from the treasury, read from the chain the same way by the CLI
// (scripts/cli/dao.ts) and the web app (web/src/suite.ts). Pure (no node: imports): the caller passes its view call.
import { activationDeposit, lineagePartsBound } from "../../contracts/wire/activation.ts";
import { DATASET_REGISTRY, MODEL_REGISTRY } from "../../contracts/wire/contracts.ts";

export type ViewCall = <T>(contractId: string, method: string, args?: Record<string, unknown>) => Promise<T>;

/** Why the deposit could not be computed: the code the contracts would answer with (the caller words it its way). */
export class ActivationRefusal extends Error {
  constructor(
    readonly code: "ERR_NO_SUITE_CONTRACT" | "ERR_UNKNOWN_MODEL",
    message: string,
  ) {
    super(message);
  }
}

/**
 * The deposit of an ActivateModel proposal (contracts/wire/activation.ts): enough for the storage the activation adds
 * and, at a model's first activation while a reward pool is set, its lineage (every creator of the model and of its
 * training manifest's datasets). The model registry keeps what it stores and sends the rest back.
 */
export async function activationDepositOf(
  view: ViewCall,
  suite: Record<string, string>,
  dao: string,
  modelId: string,
): Promise<bigint> {
  const models = suite[MODEL_REGISTRY];
  const datasets = suite[DATASET_REGISTRY];
  if (!models || !datasets)
    throw new ActivationRefusal("ERR_NO_SUITE_CONTRACT", `${dao} has no model and dataset registries`);
  const model = await view<{ creators: unknown[]; training_manifest_id: number } | null>(models, "get_model", {
    model_id: modelId,
  });
  if (model === null)
    throw new ActivationRefusal("ERR_UNKNOWN_MODEL", `no model ${modelId} in ${models}: register it first`);
  const config = await view<{ reward_pool_id: string | null }>(models, "get_config");
  const pushed = await view<unknown>(models, "get_lineage_status", { model_id: modelId });
  if (config.reward_pool_id === null || pushed !== null) return activationDeposit(null);
  const manifest = await view<{ entries: { dataset_id: string }[] } | null>(datasets, "get_manifest", {
    manifest_id: model.training_manifest_id,
  });
  // an unknown manifest: the activation fails at the dataset check and the deposit comes back whole
  const entries = manifest?.entries ?? [];
  let creators = model.creators.length;
  for (const e of entries) {
    const d = await view<{ creators: unknown[] } | null>(datasets, "get_dataset", { dataset_id: e.dataset_id });
    creators += d?.creators.length ?? 0;
  }
  return activationDeposit({
    entries: creators,
    datasets: entries.length,
    parts: lineagePartsBound(creators, entries.length),
  });
}
