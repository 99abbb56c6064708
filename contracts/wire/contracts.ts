// The suite's contracts by code name: the folder under contracts/, the key of a community's suite map and of the
// error and event catalogues (errors.ts, events.ts). Data only: no near-sdk-js import, so contracts, CLI, tests and
// docs scripts all read the same list.

export const COMMUNITY_DAO = "community-dao";
export const COMMUNITY_FACTORY = "community-factory";
export const DATASET_REGISTRY = "dataset-registry";
export const MODEL_REGISTRY = "model-registry";
export const INFERENCE_VERIFIER = "inference-verifier";
export const REWARD_POOL = "reward-pool";

export const CONTRACTS = [
  COMMUNITY_DAO,
  COMMUNITY_FACTORY,
  DATASET_REGISTRY,
  MODEL_REGISTRY,
  INFERENCE_VERIFIER,
  REWARD_POOL,
] as const;

export type ContractName = (typeof CONTRACTS)[number];

// A community's contracts as the factory passes them to each `init` (`suite`): code name -> account id. The factory
// deploys the DAO at `<name>.<factory>` and every other code at `<name>_<code>.<factory>`.
export type SuiteMap = Partial<Record<ContractName, string>>;

export function isContractName(name: unknown): name is ContractName {
  return typeof name === "string" && (CONTRACTS as readonly string[]).indexOf(name) >= 0;
}
