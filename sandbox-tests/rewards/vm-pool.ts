// The reward pool's wasm run directly through the project's VM (local-node/src/vm) by the shared in-process harness
// (helpers/vm.ts): committed state, the account balance and storage usage, block time, and the transfers a call
// sends. About 100x faster than a node round trip, so a property test can take hundreds of steps.
import { join } from "node:path";
import { NEAR, ROOT } from "../helpers/tx.ts";
import { type CallResult, ContractVm, wasmCode } from "../helpers/vm.ts";

export { BYTE_COST, NEAR, ROOT, TGAS } from "../helpers/tx.ts";
export { CALL_FEES, type CallOptions, type CallResult, codeOf, type Transfer } from "../helpers/vm.ts";

export const POOL_WASM = join(ROOT, "build", "reward-pool.wasm");
export const POOL = "pool.test.near";
export const DAO = "dao.test.near";
export const VERIFIER = "verifier.test.near";
export const REGISTRY = "registry.test.near";

export function poolCode(): Uint8Array {
  return wasmCode("reward-pool");
}

/** The pool at POOL (10 NEAR unless told). */
export class PoolVm extends ContractVm {
  constructor(code = poolCode(), balance = 10n * NEAR) {
    super({ code, accountId: POOL, balance });
  }
}

export function basePolicy(overrides: Record<string, unknown> = {}) {
  return {
    model_bps: 5000,
    data_bps: 4000,
    parent_bps: 1000,
    attester_fee: (10n ** 21n).toString(),
    epoch_length_ns: "1000000000",
    release_bps: 10000,
    ...overrides,
  };
}

export function initPool(vm: PoolVm, policy = basePolicy()): CallResult {
  return vm.call(
    "init",
    { dao_id: DAO, verifier_id: VERIFIER, model_registry_id: REGISTRY, policy },
    { from: "factory.test.near" },
  );
}
