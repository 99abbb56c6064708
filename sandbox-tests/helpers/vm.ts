// Any contract's wasm run directly through the local node's engine (nearcore's runtime, local-node/src/vm), with a tiny "chain" around it:
// committed state, the account's balance and storage usage, block time and height, the caller (predecessor and
// signer), the attached deposit, promise results for callbacks, and what a call sends on (transfers and function
// calls, not executed). About 100x faster than a node round trip: a test file of a few dozen calls takes well under
// a second once the module is compiled. Calls are applied the way nearcore applies them: on success the writes,
// the new balance and storage usage; on failure nothing but the gas.
//   const vm = new ContractVm({ code: "community-dao", accountId: "dao.test.near" });
//   vm.call("init", {...}, { from: "dao.test.near" }); vm.call("vote", { id: 0, choice: "Approve" }, { from: "alice.test.near" });
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import { ACTION_FEES } from "../../local-node/src/runtime-config.ts";
import { b58 } from "../../local-node/src/util.ts";
import { runFunctionCall, setDiskCacheDir } from "../../local-node/src/vm/index.ts";
import type { PromiseResult, StateView, VmContext, VmOutcome } from "../../local-node/src/vm/types.ts";
import { BYTE_COST, eventsOf, NEAR, type NepEvent, panicCode, ROOT, TGAS } from "./tx.ts";

export type { PromiseResult, VmOutcome };

// Compiled code cached on disk by code hash (nearcore's FilesystemContractRuntimeCache): a test file's first call of
// a contract then loads it instead of compiling it (~1 s). AI_COMMONS_VM_CACHE names another folder.
setDiskCacheDir(process.env.AI_COMMONS_VM_CACHE ?? join(ROOT, "node_modules", ".cache", "ai-commons-vm"));

// receipt-level fees nearcore adds to a function call's own burnt gas (what a receipt outcome reports)
export const CALL_FEES = ACTION_FEES.functionCallBase.execution + ACTION_FEES.actionReceiptCreation.execution;

/** build/<name>.wasm, e.g. wasmCode("community-dao"). */
export function wasmCode(name: string): Uint8Array {
  const path = join(ROOT, "build", `${name}.wasm`);
  if (!existsSync(path)) throw new Error(`build/${name}.wasm is missing: run \`npm run build -- ${name}\``);
  return new Uint8Array(readFileSync(path));
}

export interface CallOptions {
  /** the predecessor (and, unless `signer` is given, the signer); default alice.test.near */
  from?: string;
  signer?: string;
  deposit?: bigint;
  /** one entry per receipt the call waits for: what a callback reads with promise_result */
  promiseResults?: PromiseResult[];
  gas?: bigint;
}

export interface Transfer {
  to: string;
  amount: bigint;
}

/** A function call the contract sent on (not executed here). `args` is the decoded JSON, or the raw bytes. */
export interface SentCall {
  to: string;
  method: string;
  args: unknown;
  deposit: bigint;
  gas: bigint;
}

export interface CallResult {
  ok: boolean;
  /** the VM's error: "Smart contract panicked: ERR_X: detail", "MethodNotFound", "LackBalanceForState", ... */
  error: string | undefined;
  /** the stable ERR_ code of a panic ("ERR_X"), or the error kind; undefined on success */
  code: string | undefined;
  value: unknown;
  logs: string[];
  events: NepEvent[];
  transfers: Transfer[];
  calls: SentCall[];
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

const encode = (v: unknown) => (v instanceof Uint8Array ? v : new TextEncoder().encode(JSON.stringify(v)));

function decode(data: Uint8Array): unknown {
  const text = new TextDecoder().decode(data);
  try {
    return JSON.parse(text);
  } catch {
    return data;
  }
}

/** A callback's promise result carrying `value` as JSON. */
export function succeeded(value: unknown = null): PromiseResult {
  return { status: "Successful", data: encode(value) };
}

/** A callback's promise result for a receipt that failed. */
export function failed(): PromiseResult {
  return { status: "Failed" };
}

export interface VmOptions {
  /** the wasm, or the name of a build/<name>.wasm */
  code: Uint8Array | string;
  accountId: string;
  balance?: bigint;
  /** extra bytes nearcore counts for the account besides the code (the account record and its keys) */
  accountBytes?: bigint;
}

/** One contract account with its wasm, storage and balance; `call`/`view` run a method in-process. */
export class ContractVm {
  readonly accountId: string;
  readonly store = new Store();
  balance: bigint;
  storageUsage: bigint;
  /** block timestamp in ns; set it to move time */
  time = 1_000_000_000_000n;
  height = 100n;
  readonly code: Uint8Array;
  private readonly hash: string;

  constructor(o: VmOptions) {
    this.code = typeof o.code === "string" ? wasmCode(o.code) : o.code;
    this.hash = b58(createHash("sha256").update(this.code).digest());
    this.accountId = o.accountId;
    this.balance = o.balance ?? 10n * NEAR;
    // code + the account record, as nearcore counts them
    this.storageUsage = BigInt(this.code.length) + (o.accountBytes ?? 100n);
  }

  private context(method: string, args: unknown, o: CallOptions, isView: boolean): VmContext {
    const from = o.from ?? "alice.test.near";
    const deposit = o.deposit ?? 0n;
    this.height += 1n;
    return {
      currentAccountId: this.accountId,
      signerAccountId: o.signer ?? from,
      signerAccountPk: new Uint8Array(33),
      predecessorAccountId: from,
      methodName: method,
      input: encode(args),
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

  /** Runs `method` as a function call; `args` is JSON-encoded unless it is already bytes. */
  call(method: string, args: unknown = {}, o: CallOptions = {}): CallResult {
    const out = runFunctionCall(this.code, this.hash, this.context(method, args, o, false), this.store);
    const r = resultOf(out);
    if (r.ok) {
      // nearcore refuses a call that leaves too little balance for its storage (LackBalanceForState)
      if (out.balance < out.storageUsage * BYTE_COST) {
        return { ...r, ok: false, error: "LackBalanceForState", code: "LackBalanceForState", transfers: [], calls: [] };
      }
      for (const [k, v] of out.stateWrites) v ? this.store.data.set(k, v) : this.store.data.delete(k);
      this.balance = out.balance;
      this.storageUsage = out.storageUsage;
    } else {
      // a failed call keeps nothing, sends nothing, and its attached deposit goes back to the caller
      r.transfers = [];
      r.calls = [];
    }
    return r;
  }

  /** Runs a call another contract sent on (`CallResult.calls`) as its receipt would arrive here: from `from`, with
   * the call's deposit and gas. Chains two in-process contracts without a node. */
  receive(sent: SentCall, from: string): CallResult {
    if (sent.to !== this.accountId) throw new Error(`${sent.method} was sent to ${sent.to}, not ${this.accountId}`);
    return this.call(sent.method, sent.args, { from, deposit: sent.deposit, gas: sent.gas });
  }

  /** Runs `method` as a view (the `query call_function` RPC); throws when it fails. */
  view<T = unknown>(method: string, args: unknown = {}): T {
    const r = this.tryView(method, args);
    if (!r.ok) throw new Error(`view ${method} failed: ${r.error}`);
    return r.value as T;
  }

  /** Runs `method` as a view and returns the result, failed or not. */
  tryView(method: string, args: unknown = {}): CallResult {
    return resultOf(runFunctionCall(this.code, this.hash, this.context(method, args, {}, true), this.store));
  }

  /** Storage, balance and storage usage as one comparable string, for "nothing changed" checks. */
  snapshot(): string {
    return `${this.store.snapshot()}|${this.balance}|${this.storageUsage}`;
  }

  /** The raw value stored under `key` (a UTF-8 string), as text. */
  read(key: string): string | undefined {
    const v = this.store.get(new TextEncoder().encode(key));
    return v && new TextDecoder().decode(v);
  }

  /** a refund receipt coming back (a failed transfer's amount) */
  refund(amount: bigint): void {
    this.balance += amount;
  }
}

function resultOf(out: VmOutcome): CallResult {
  const value =
    out.returnData.kind === "Value" && out.returnData.data.length > 0 ? decode(out.returnData.data) : undefined;
  const transfers: Transfer[] = [];
  const calls: SentCall[] = [];
  for (const rc of out.newReceipts) {
    for (const a of rc.actions) {
      if (a.kind === "Transfer") transfers.push({ to: rc.receiverId, amount: a.deposit });
      if (a.kind === "FunctionCall") {
        calls.push({ to: rc.receiverId, method: a.methodName, args: decode(a.args), deposit: a.deposit, gas: a.gas });
      }
    }
  }
  let error: string | undefined;
  if (out.error) error = "message" in out.error ? out.error.message : out.error.kind;
  return {
    ok: !out.error,
    error,
    code: error === undefined ? undefined : panicCode(error),
    value,
    logs: out.logs,
    events: eventsOf(out.logs),
    transfers,
    calls,
    outcome: out,
    gas: out.burntGas,
  };
}

/** the stable code of a failed call: "Smart contract panicked: ERR_X: detail" -> "ERR_X" */
export function codeOf(r: CallResult): string | undefined {
  return r.ok ? undefined : r.code;
}

/** Calls `method` and asserts it is refused with exactly `code` (the panic's stable code: "ERR_X" of
 * "ERR_X: detail") and leaves the account as it was: storage, balance and storage usage. A refused call sends
 * nothing (ContractVm drops its transfers and calls). Returns the result, e.g. to read the panic's detail. */
export function assertRefused(
  t: ExecutionContext,
  vm: ContractVm,
  code: string,
  method: string,
  args: unknown = {},
  o: CallOptions = {},
): CallResult {
  const before = vm.snapshot();
  const r = vm.call(method, args, o);
  t.false(r.ok, `${method} should be refused with ${code}`);
  t.is(r.code, code, r.error);
  t.is(vm.snapshot(), before, `${method} -> ${code}: state changed`);
  return r;
}
