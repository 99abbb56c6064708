// The reward pool's wasm run directly through the project's VM (local-node/src/vm), with a tiny "chain" around it:
// committed state, the account balance and storage usage, block time, and the transfers a call sends. About 100x
// faster than a node round trip, so a property test can take hundreds of steps. Calls are applied the way nearcore
// applies them: on success the writes, the new balance and storage usage; on failure nothing but the gas.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ACTION_FEES } from "../../local-node/src/runtime-config.ts";
import { runFunctionCall } from "../../local-node/src/vm/index.ts";
import type { PromiseResult, StateView, VmContext, VmOutcome } from "../../local-node/src/vm/types.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const POOL_WASM = join(ROOT, "build", "reward-pool.wasm");
export const NEAR = 10n ** 24n;
export const TGAS = 10n ** 12n;
export const BYTE_COST = 10n ** 19n;
export const POOL = "pool.test.near";
export const DAO = "dao.test.near";
export const VERIFIER = "verifier.test.near";
export const REGISTRY = "registry.test.near";
// receipt-level fees nearcore adds to a function call's own burnt gas (what a receipt outcome reports)
export const CALL_FEES = ACTION_FEES.functionCallBase.execution + ACTION_FEES.actionReceiptCreation.execution;

export interface CallOptions {
  from?: string;
  deposit?: bigint;
  promiseResults?: PromiseResult[];
  gas?: bigint;
}

export interface Transfer {
  to: string;
  amount: bigint;
}

export interface CallResult {
  ok: boolean;
  error: string | undefined;
  value: unknown;
  logs: string[];
  events: { event: string; data: Record<string, unknown>[] }[];
  transfers: Transfer[];
  outcome: VmOutcome;
  gas: bigint;
}

class Store implements StateView {
  readonly data = new Map<string, Uint8Array>();
  get(key: Uint8Array): Uint8Array | undefined {
    return this.data.get(Buffer.from(key).toString("hex"));
  }
  snapshot(): string {
    return [...this.data.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${Buffer.from(v).toString("hex")}`)
      .join(";");
  }
}

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

export function poolCode(): Uint8Array {
  if (!existsSync(POOL_WASM)) throw new Error("build/reward-pool.wasm is missing: run `npm run build -- reward-pool`");
  return new Uint8Array(readFileSync(POOL_WASM));
}

export class PoolVm {
  readonly store = new Store();
  balance: bigint;
  storageUsage: bigint;
  time = 1_000_000_000_000n;
  height = 100n;
  private readonly code: Uint8Array;
  private readonly hash: string;

  constructor(code = poolCode(), balance = 10n * NEAR) {
    this.code = code;
    this.hash = `reward-pool-${code.length}`;
    this.balance = balance;
    // code + the account record, as nearcore counts them
    this.storageUsage = BigInt(code.length) + 100n;
  }

  private context(method: string, args: unknown, o: CallOptions, isView: boolean): VmContext {
    const from = o.from ?? "alice.test.near";
    const deposit = o.deposit ?? 0n;
    this.height += 1n;
    return {
      currentAccountId: POOL,
      signerAccountId: from,
      signerAccountPk: new Uint8Array(33),
      predecessorAccountId: from,
      methodName: method,
      input: enc(args),
      blockHeight: this.height,
      blockTimestamp: this.time,
      epochHeight: 1n,
      accountBalance: this.balance + deposit,
      accountLockedBalance: 0n,
      storageUsage: this.storageUsage,
      attachedDeposit: deposit,
      prepaidGas: o.gas ?? 300n * TGAS,
      randomSeed: new Uint8Array(32).fill(7),
      isView,
      promiseResults: o.promiseResults ?? [],
    };
  }

  call(method: string, args: unknown = {}, o: CallOptions = {}): CallResult {
    const out = runFunctionCall(this.code, this.hash, this.context(method, args, o, false), this.store);
    const r = result(out);
    if (r.ok) {
      // nearcore refuses a call that leaves too little balance for its storage (LackBalanceForState)
      if (out.balance < out.storageUsage * BYTE_COST) {
        return { ...r, ok: false, error: "LackBalanceForState", transfers: [] };
      }
      for (const [k, v] of out.stateWrites) v ? this.store.data.set(k, v) : this.store.data.delete(k);
      this.balance = out.balance;
      this.storageUsage = out.storageUsage;
    } else {
      // a failed call keeps nothing, and its attached deposit goes back to the caller
      r.transfers = [];
    }
    return r;
  }

  view<T = unknown>(method: string, args: unknown = {}): T {
    const out = runFunctionCall(this.code, this.hash, this.context(method, args, {}, true), this.store);
    const r = result(out);
    if (!r.ok) throw new Error(`view ${method} failed: ${r.error}`);
    return r.value as T;
  }

  snapshot(): string {
    return `${this.store.snapshot()}|${this.balance}|${this.storageUsage}`;
  }

  /** a refund receipt coming back (a failed transfer's amount) */
  refund(amount: bigint): void {
    this.balance += amount;
  }
}

function result(out: VmOutcome): CallResult {
  const value =
    out.returnData.kind === "Value" && out.returnData.data.length > 0
      ? JSON.parse(new TextDecoder().decode(out.returnData.data))
      : undefined;
  const events = out.logs
    .filter((l) => l.startsWith("EVENT_JSON:"))
    .map((l) => JSON.parse(l.slice("EVENT_JSON:".length)));
  const transfers: Transfer[] = [];
  for (const rc of out.newReceipts) {
    for (const a of rc.actions) if (a.kind === "Transfer") transfers.push({ to: rc.receiverId, amount: a.deposit });
  }
  let error: string | undefined;
  if (out.error) error = "message" in out.error ? out.error.message : out.error.kind;
  return { ok: !out.error, error, value, logs: out.logs, events, transfers, outcome: out, gas: out.burntGas };
}

/** the stable code of a failed call: "Smart contract panicked: ERR_X: detail" -> "ERR_X" */
export function codeOf(r: CallResult): string | undefined {
  if (r.ok || !r.error) return undefined;
  const m = r.error.replace("Smart contract panicked: ", "");
  const colon = m.indexOf(":");
  return colon < 0 ? m : m.slice(0, colon);
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
