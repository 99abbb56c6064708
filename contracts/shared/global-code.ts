// NEP-591 global contracts (protocol 78+): code stored once in the chain's global store and used by any number of
// accounts, through the host functions the toolchain binds beyond near-sdk-js 2.0.0
// (toolchain/quickjs/near-host-ext.inc.c). Always by code hash: an account that uses code by hash runs exactly that
// code until it switches itself; by account id, whoever deploys under that id could change it for everyone
// (docs/global-factory-plan.md, decision 1).
import type { PromiseIndex } from "near-sdk-js";
import { fail } from "./errors";
import { isHexHash } from "./validate";

interface GlobalCodeHost {
  promise_batch_action_deploy_global_contract(promiseIndex: PromiseIndex, code: Uint8Array): void;
  promise_batch_action_use_global_contract(promiseIndex: PromiseIndex, codeHash: Uint8Array): void;
}
const host = (globalThis as unknown as { env: GlobalCodeHost }).env;

// Storage an account using global code by hash holds for it: the 32-byte hash (nearcore
// AccountContract::Global, counted in the account's storage usage).
export const GLOBAL_CODE_ID_BYTES = 32n;

// A lower-case hex sha256 as the 32 bytes the host takes; ERR_INVALID_HASH otherwise.
export function hashBytes(hex: string): Uint8Array {
  if (!isHexHash(hex)) fail("ERR_INVALID_HASH", "lower-case hex sha256");
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// Adds "deploy `code` to the global store, by its hash" to a batch; the receiver account pays the burn.
export function deployGlobalCode(promise: PromiseIndex, code: Uint8Array): void {
  host.promise_batch_action_deploy_global_contract(promise, code);
}

// Adds "run the global code of this hash" to a batch: replaces the receiver's code (local or global). The batch fails
// (and rolls back) when no global code has that hash.
export function useGlobalCode(promise: PromiseIndex, hexHash: string): void {
  host.promise_batch_action_use_global_contract(promise, hashBytes(hexHash));
}
