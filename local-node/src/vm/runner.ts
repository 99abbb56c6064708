// runFunctionCall: one contract function call the way nearcore's near-vm runner does it at protocol 77
// (fix_contract_loading_cost off): empty method name check, prepare + compile (a failure is a no-op outcome
// with no gas), contract loading fee, link, method lookup (not found: no-op outcome), run, and on success the
// distribution of unused gas to function calls with a weight.

import { EXT_COSTS, LIMITS } from "../runtime-config.ts";
import {
  debugOf,
  type FunctionCallError,
  HostError,
  hostErrors,
  PrepareError,
  toVmError,
  trapKindOf,
} from "./errors.ts";
import { GasCounter } from "./gas-counter.ts";
import { HostFunctions } from "./host-promises.ts";
import { type CompiledContract, loadContract } from "./module-cache.ts";
import { GAS_LEFT_EXPORT, OUT_OF_GAS_EXPORT } from "./prepare.ts";
import type { StateView, VmContext, VmOutcome } from "./types.ts";

const I64 = "i64";
const sig = (n: number, ret: boolean, t = I64) => `${Array(n).fill(t).join(",")}->${ret ? I64 : ""}`;

/** Host functions nearcore 2.6 links (protocol 77) that this VM provides, with their wasm signatures.
 * Not provided (a contract importing them gets a LinkError): bls12381_*, promise_yield_*. */
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

/** statistics of the last call, for benchmarks and calibration */
interface RunStats {
  prepareMs: number;
  compileMs: number;
  instantiateMs: number;
  executeMs: number;
  operatorCount: number;
  profile: Map<string, bigint>;
}
export let lastRunStats: RunStats | undefined;

function emptyOutcome(ctx: VmContext): VmOutcome {
  return {
    returnData: { kind: "None" },
    logs: [],
    burntGas: 0n,
    usedGas: 0n,
    balance: ctx.accountBalance,
    storageUsage: ctx.storageUsage,
    newReceipts: [],
    stateWrites: new Map(),
  };
}

function withError(outcome: VmOutcome, err: FunctionCallError): VmOutcome {
  return { ...outcome, newReceipts: [], stateWrites: new Map(), error: toVmError(err), errorDebug: debugOf(err) };
}

function linkError(contract: CompiledContract): string | undefined {
  for (const [name, signature] of Object.entries(contract.prepared.imports)) {
    const expected = HOST_SIGNATURES[name];
    const [params, results] = signature.split("->");
    const ty = `Function(FunctionType { params: [${params ? params.toUpperCase().split(",").join(", ") : ""}], results: [${results ? results.toUpperCase() : ""}] })`;
    if (expected === undefined) return `Error while importing "env"."${name}": unknown import. Expected ${ty}`;
    if (expected !== signature)
      return `Error while importing "env"."${name}": incompatible import type. Expected ${ty}`;
  }
  return undefined;
}

export function runFunctionCall(code: Uint8Array, codeHash: string, ctx: VmContext, state: StateView): VmOutcome {
  const base = emptyOutcome(ctx);
  if (ctx.methodName === "") return withError(base, { type: "MethodResolveError", kind: "MethodEmptyName" });
  let contract: CompiledContract;
  try {
    contract = loadContract(code, codeHash);
  } catch (e) {
    if (e instanceof PrepareError) return withError(base, { type: "CompilationError", kind: e.kind });
    throw e;
  }

  const gas = new GasCounter(LIMITS.maxGasBurnt, ctx.prepaidGas, ctx.isView);
  const logic = new HostFunctions(ctx, state, gas);
  const outcome = (err?: FunctionCallError): VmOutcome => {
    const o: VmOutcome = {
      returnData: logic.returnData,
      logs: logic.logs,
      burntGas: gas.burnt,
      usedGas: gas.used,
      balance: logic.currentBalance,
      storageUsage: logic.storageUsage,
      newReceipts: logic.receipts.receipts,
      stateWrites: logic.writes,
    };
    return err ? withError(o, err) : o;
  };

  // Contract loading fee, charged after loading at protocol 77; running out here reports GasExceeded.
  try {
    gas.payPer("contractLoadingBytes", code.length);
    gas.payBase("contractLoadingBase");
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    return outcome({ type: "HostError", error: hostErrors.gasExceeded() });
  }
  const link = linkError(contract);
  if (link) return outcome({ type: "LinkError", msg: link });
  const method = contract.prepared.functionExports[ctx.methodName];
  if (method === undefined) return withError(base, { type: "MethodResolveError", kind: "MethodNotFound" });
  if (method !== "->") return withError(base, { type: "MethodResolveError", kind: "MethodInvalidSignature" });

  // Gas left for wasm lives in an i64 global; host calls settle the difference with the GasCounter.
  let gasGlobal: WebAssembly.Global | undefined;
  let lastLeft = 0n;
  const syncIn = () => {
    if (!gasGlobal) return;
    const left = BigInt.asUintN(64, gasGlobal.value as bigint);
    if (left !== lastLeft) gas.burnGas(lastLeft - left);
    lastLeft = left;
  };
  const syncOut = () => {
    if (!gasGlobal) return;
    lastLeft = gas.gasLimit - gas.burnt;
    gasGlobal.value = BigInt.asIntN(64, lastLeft);
  };
  const env: Record<string, WebAssembly.ImportValue> = {};
  const host = logic as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of Object.keys(contract.prepared.imports)) {
    const impl = name === "gas" ? host.gas_opcodes : host[name];
    env[name] = (...args: unknown[]) => {
      syncIn();
      const r = impl.apply(logic, args);
      syncOut();
      return r;
    };
  }
  const memory = new WebAssembly.Memory({ initial: LIMITS.initialMemoryPages, maximum: LIMITS.maxMemoryPages });
  env.memory = memory;
  logic.memory = memory;

  const t0 = performance.now();
  let t1 = t0;
  let instance: WebAssembly.Instance | undefined;
  let error: FunctionCallError | undefined;
  let oogGlobal: WebAssembly.Global | undefined;
  try {
    // A start function would run during instantiation, before the gas global is set: give it no gas.
    instance = new WebAssembly.Instance(contract.module, { env });
    gasGlobal = instance.exports[GAS_LEFT_EXPORT] as WebAssembly.Global;
    oogGlobal = instance.exports[OUT_OF_GAS_EXPORT] as WebAssembly.Global;
    syncOut();
    t1 = performance.now();
    (instance.exports[ctx.methodName] as () => void)();
    syncIn();
  } catch (e) {
    error = classify(e, () => {
      syncIn();
      const oog = oogGlobal ? BigInt.asUintN(64, oogGlobal.value as bigint) : 0n;
      if (oog === 0n) return undefined;
      try {
        gas.burnGas(oog);
      } catch (g) {
        return g as HostError;
      }
      return undefined;
    });
  }
  const t2 = performance.now();
  if (!error && !ctx.isView) {
    // Unused prepaid gas goes to function calls scheduled with a weight.
    const unused = ctx.prepaidGas > gas.used ? ctx.prepaidGas - gas.used : 0n;
    if (logic.receipts.distributeUnusedGas(unused)) gas.prepayGas(unused);
  }
  lastRunStats = {
    prepareMs: contract.prepareMs,
    compileMs: contract.compileMs,
    instantiateMs: t1 - t0,
    executeMs: t2 - t1,
    operatorCount: contract.prepared.operatorCount,
    profile: gas.profile,
  };
  contract.prepareMs = 0;
  contract.compileMs = 0;
  return outcome(error);
}

function classify(e: unknown, outOfGas: () => HostError | undefined): FunctionCallError {
  if (e instanceof HostError) return { type: "HostError", error: e };
  if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
    const oog = outOfGas();
    if (oog) return { type: "HostError", error: oog };
    return { type: "WasmTrap", trap: trapKindOf(e) };
  }
  if (e instanceof WebAssembly.LinkError) return { type: "LinkError", msg: e.message };
  throw e;
}

/** the cost of loading a contract of `bytes` bytes (contract_loading_base + contract_loading_bytes * bytes) */
export function contractLoadingCost(bytes: number): bigint {
  return EXT_COSTS.contractLoadingBase + EXT_COSTS.contractLoadingBytes * BigInt(bytes);
}
