// A community's suite contracts as the pages read them: which account runs each contract (the DAO's `get_info`),
// pages of lists read newest first or one item ahead, and the deposit an ActivateModel proposal asks from the
// treasury. View reads only; the rules they feed are the contracts' own (contracts/wire/).
import { activationDeposit, lineagePartsBound } from "../../contracts/wire/activation.ts";
import type { ContractName, SuiteMap } from "../../contracts/wire/contracts.ts";
import type { ManifestRecord } from "../../contracts/wire/datasets.ts";
import type { ModelRecord } from "../../contracts/model-registry/types.ts";
import { type Chain, PAGE } from "./chain.ts";

/** A failure the page finds before anything is sent, with the contract's own ERR_ code (shown with its meaning). */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** The community's contracts by code name (contracts/wire/contracts.ts), from its DAO. */
export async function suiteOf(chain: Chain, dao: string): Promise<SuiteMap> {
  return (await chain.view<{ suite: SuiteMap }>(dao, "get_info")).suite;
}

/** The account of one suite contract, or the DAO's ERR_NO_SUITE_CONTRACT when the community has none. */
export async function suiteContract(chain: Chain, dao: string, code: ContractName): Promise<string> {
  const id = (await suiteOf(chain, dao))[code];
  if (!id) throw new Refusal("ERR_NO_SUITE_CONTRACT", `${dao} has no ${code}`);
  return id;
}

/**
 * Page `page` of a list of `total` items shown newest first, as the (from_index, limit) of a view that lists oldest
 * first; the caller reverses what it reads.
 */
export function newestFirst(page: number, total: number): { from_index: number; limit: number } | null {
  const end = total - page * PAGE;
  if (end <= 0) return null;
  const from = Math.max(0, end - PAGE);
  return { from_index: from, limit: end - from };
}

/** Page `page` of a view whose list has no count: PAGE items and whether one more exists. */
export async function pageAhead<T>(
  chain: Chain,
  contractId: string,
  method: string,
  page: number,
  args: Record<string, unknown> = {},
): Promise<{ items: T[]; more: boolean }> {
  const read = await chain.view<T[]>(contractId, method, { ...args, from_index: page * PAGE, limit: PAGE + 1 });
  return { items: read.slice(0, PAGE), more: read.length > PAGE };
}

/**
 * What an ActivateModel proposal asks from the treasury (contracts/wire/activation.ts): the storage the activation
 * adds and, at a model's first activation with a reward pool, its lineage's parts (every creator of the model and of
 * its training manifest's datasets). The same reads as the CLI's activationDepositFor (scripts/cli/dao.ts), which
 * imports node-only modules; an unknown model is refused here with the registry's ERR_UNKNOWN_MODEL, as the CLI does.
 */
export async function activationDepositFor(chain: Chain, dao: string, modelId: string): Promise<bigint> {
  const suite = await suiteOf(chain, dao);
  const models = suite["model-registry"];
  const datasets = suite["dataset-registry"];
  if (!models || !datasets) throw new Refusal("ERR_NO_SUITE_CONTRACT", `${dao} has no model and dataset registries`);
  const model = await chain.view<ModelRecord | null>(models, "get_model", { model_id: modelId });
  if (model === null) throw new Refusal("ERR_UNKNOWN_MODEL", `no model ${modelId} in ${models}: register it first`);
  const config = await chain.view<{ reward_pool_id: string | null }>(models, "get_config");
  const pushed = await chain.view<unknown>(models, "get_lineage_status", { model_id: modelId });
  if (config.reward_pool_id === null || pushed !== null) return activationDeposit(null);
  const manifest = await chain.view<ManifestRecord | null>(datasets, "get_manifest", {
    manifest_id: model.training_manifest_id,
  });
  // an unknown manifest: the activation fails at the dataset check and the deposit comes back whole
  const entries = manifest?.entries ?? [];
  let creators = model.creators.length;
  for (const e of entries) {
    const d = await chain.view<{ creators: unknown[] } | null>(datasets, "get_dataset", { dataset_id: e.dataset_id });
    creators += d?.creators.length ?? 0;
  }
  return activationDeposit({
    entries: creators,
    datasets: entries.length,
    parts: lineagePartsBound(creators, entries.length),
  });
}
