// The suite's contracts by code name: the folder under contracts/, the key of a community's suite map and of the
// error and event catalogues (errors.ts, events.ts). Data only: no near-sdk-js import, so contracts, CLI, tests and
// docs scripts all read the same list.

export const CONTRACTS = [
  "community-dao",
  "community-factory",
  "dataset-registry",
  "model-registry",
  "inference-verifier",
  "reward-pool",
] as const;

export type ContractName = (typeof CONTRACTS)[number];

export function isContractName(name: unknown): name is ContractName {
  return typeof name === "string" && (CONTRACTS as readonly string[]).indexOf(name) >= 0;
}
