// Test helpers: WebAssembly text -> binary with binaryen, a default VmContext and an in-memory StateView.

import binaryen from "binaryen";
import { b58, sha256 } from "../../src/util.ts";
import { lastRunStats, runFunctionCall } from "../../src/vm/index.ts";
import type { StateView, TrieAccounting, VmContext, VmOutcome } from "../../src/vm/types.ts";

export function wat(text: string): Uint8Array {
  const mod = binaryen.parseText(text);
  mod.setFeatures(binaryen.Features.All); // lets tests build modules nearcore rejects
  try {
    if (!mod.validate()) throw new Error("invalid module");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

const I64 = "i64";
const sig = (n: number, ret: boolean, t = I64) => `${Array(n).fill(t).join(",")}->${ret ? I64 : ""}`;

/** Host functions nearcore links, with their wasm signatures (nearcore runtime/near-vm-runner/src/logic/imports.rs),
 * for assembling test modules. */
export const HOST_SIGNATURES: Record<string, string> = {
  read_register: sig(2, false),
  register_len: sig(1, true),
  write_register: sig(3, false),
  current_account_id: sig(1, false),
  signer_account_id: sig(1, false),
  signer_account_pk: sig(1, false),
  predecessor_account_id: sig(1, false),
  input: sig(1, false),
  block_index: sig(0, true),
  block_timestamp: sig(0, true),
  epoch_height: sig(0, true),
  storage_usage: sig(0, true),
  account_balance: sig(1, false),
  account_locked_balance: sig(1, false),
  attached_deposit: sig(1, false),
  prepaid_gas: sig(0, true),
  used_gas: sig(0, true),
  random_seed: sig(1, false),
  sha256: sig(3, false),
  keccak256: sig(3, false),
  keccak512: sig(3, false),
  ripemd160: sig(3, false),
  ecrecover: sig(7, true),
  ed25519_verify: sig(6, true),
  alt_bn128_g1_multiexp: sig(3, false),
  alt_bn128_g1_sum: sig(3, false),
  alt_bn128_pairing_check: sig(2, true),
  value_return: sig(2, false),
  panic: sig(0, false),
  panic_utf8: sig(2, false),
  log_utf8: sig(2, false),
  log_utf16: sig(2, false),
  abort: "i32,i32,i32,i32->",
  promise_create: sig(8, true),
  promise_then: sig(9, true),
  promise_and: sig(2, true),
  promise_batch_create: sig(2, true),
  promise_batch_then: sig(3, true),
  promise_batch_action_create_account: sig(1, false),
  promise_batch_action_deploy_contract: sig(3, false),
  promise_batch_action_function_call: sig(7, false),
  promise_batch_action_function_call_weight: sig(8, false),
  promise_batch_action_transfer: sig(2, false),
  promise_batch_action_stake: sig(4, false),
  promise_batch_action_add_key_with_full_access: sig(4, false),
  promise_batch_action_add_key_with_function_call: sig(9, false),
  promise_batch_action_delete_key: sig(3, false),
  promise_batch_action_delete_account: sig(3, false),
  promise_results_count: sig(0, true),
  promise_result: sig(2, true),
  promise_return: sig(1, false),
  storage_write: sig(5, true),
  storage_read: sig(3, true),
  storage_remove: sig(3, true),
  storage_has_key: sig(2, true),
  storage_iter_prefix: sig(2, true),
  storage_iter_range: sig(4, true),
  storage_iter_next: sig(3, true),
  validator_stake: sig(3, false),
  validator_total_stake: sig(1, false),
  sandbox_debug_log: sig(2, false),
  gas: "i32->",
};

export const TGAS = 1_000_000_000_000n;

export function context(overrides: Partial<VmContext> = {}): VmContext {
  return {
    currentAccountId: "contract.test.near",
    signerAccountId: "alice.test.near",
    signerAccountPk: new Uint8Array(33),
    predecessorAccountId: "bob.test.near",
    methodName: "main",
    input: new Uint8Array(),
    blockHeight: 100n,
    blockTimestamp: 1_700_000_000_000_000_000n,
    epochHeight: 1n,
    accountBalance: 10n ** 25n,
    accountLockedBalance: 0n,
    storageUsage: 1000n,
    attachedDeposit: 0n,
    prepaidGas: 300n * TGAS,
    randomSeed: new Uint8Array(32).fill(7),
    isView: false,
    promiseResults: [],
    ...overrides,
  };
}

export class MapState implements StateView {
  readonly data = new Map<string, Uint8Array>();
  /** the chain's trie-node accounting; unset: the engine's fixed model */
  trie?: TrieAccounting;
  constructor(entries: [string, string][] = []) {
    for (const [k, v] of entries) this.data.set(Buffer.from(k).toString("hex"), new TextEncoder().encode(v));
  }
  get(key: Uint8Array): Uint8Array | undefined {
    return this.data.get(Buffer.from(key).toString("hex"));
  }
}

/** runs `method` of the module */
export function run(code: Uint8Array, overrides: Partial<VmContext> = {}, state: StateView = new MapState()) {
  return runFunctionCall(code, b58(sha256(code)), context(overrides), state);
}

export const text = (b: Uint8Array) => new TextDecoder().decode(b);
export const returned = (o: VmOutcome) => (o.returnData.kind === "Value" ? text(o.returnData.data) : undefined);

/** `(import "env" ...)` declarations with nearcore's signatures, each callable as $name */
export function imports(...names: string[]): string {
  return names
    .map((n) => {
      const [params, results] = HOST_SIGNATURES[n].split("->");
      const p = params ? ` (param ${params.split(",").join(" ")})` : "";
      const r = results ? ` (result ${results})` : "";
      return `(import "env" "${n}" (func $${n}${p}${r}))`;
    })
    .join("\n");
}

/** a module importing `names`, with one page of memory holding `data` (latin1: one byte per char) at offset 0 */
export function contract(names: string[], body: string, data = ""): Uint8Array {
  const escaped = [...Buffer.from(data, "latin1")].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
  return wat(`(module ${imports(...names)} (memory 1) (data (i32.const 0) "${escaped}") ${body})`);
}

export const profileOf = (key: string) => lastRunStats?.profile.get(key) ?? 0n;
