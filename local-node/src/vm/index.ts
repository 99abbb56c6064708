// The VM layer of the local node: one contract function call on nearcore's own contract runtime (the native module
// of ../../native: near-vm-runner 0.37.4, Wasmtime, protocol 86's runtime config). The chain layer calls
// runFunctionCall (types.ts is the contract between the two layers); this file turns the module's JSON outcome into
// the VmOutcome the chain applies.
import { nativeVm } from "./native.ts";
import type {
  AccessKeyPermission,
  CostGasUsed,
  NewReceipt,
  ReceiptAction,
  ReturnData,
  StateView,
  VmContext,
  VmError,
  VmOutcome,
} from "./types.ts";

export type * from "./types.ts";

/** Timings and the per-cost profile of the last call, for benchmarks and tests. */
export interface RunStats {
  prepareMs: number;
  runMs: number;
  /** cost name as nearcore's profile names it (e.g. STORAGE_WRITE_BASE, WASM_INSTRUCTION) -> gas */
  profile: Map<string, bigint>;
}
export let lastRunStats: RunStats | undefined;

/** Folder of the compiled-contract cache (nearcore's FilesystemContractRuntimeCache); before the first call. */
export function setDiskCacheDir(dir: string): void {
  nativeVm().setCacheDir(dir);
}

/** nearcore's runtime config of the protocol the engine runs, as `EXPERIMENTAL_protocol_config` shows it. */
export function runtimeConfigJson(): Record<string, unknown> {
  return JSON.parse(nativeVm().runtimeConfigJson());
}

/** Every action fee by nearcore's ActionCosts name, the global-contract storage burn and the refund penalty. */
export function actionFeesJson(): {
  action_fees: Record<string, { send_sir: string; send_not_sir: string; execution: string }>;
  global_contract_storage_amount_per_byte: string;
  gas_refund_penalty: [number, number];
  min_gas_refund_penalty: string;
} {
  return JSON.parse(nativeVm().actionFeesJson());
}

export function engineProtocolVersion(): number {
  return nativeVm().protocolVersion();
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const asBuffer = (v: Uint8Array) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength));

// biome-ignore lint/suspicious/noExplicitAny: the native module's JSON outcome, typed at its use
type Json = Record<string, any>;

function permission(p: Json | string): AccessKeyPermission {
  if (p === "FullAccess") return { kind: "FullAccess" };
  const f = (p as Json).FunctionCall;
  return {
    kind: "FunctionCall",
    allowance: f.allowance === null ? null : BigInt(f.allowance),
    receiverId: f.receiver_id,
    methodNames: f.method_names,
  };
}

/** Actions the chain layer does not apply yet (deterministic state init, gas keys) make the call fail. */
class UnsupportedAction extends Error {}

function action(a: Json): ReceiptAction {
  const [name, v] = Object.entries(a)[0] as [string, Json];
  switch (name) {
    case "CreateAccount":
      return { kind: "CreateAccount" };
    case "DeployContract":
      return { kind: "DeployContract", code: bytes(v.code_hex) };
    case "FunctionCall":
      return {
        kind: "FunctionCall",
        methodName: v.method_name,
        args: bytes(v.args_hex),
        gas: BigInt(v.gas),
        deposit: BigInt(v.deposit),
      };
    case "Transfer":
      return { kind: "Transfer", deposit: BigInt(v.deposit) };
    case "Stake":
      return { kind: "Stake", stake: BigInt(v.stake), publicKey: bytes(v.public_key) };
    case "AddKey":
      return {
        kind: "AddKey",
        publicKey: bytes(v.public_key),
        nonce: BigInt(v.access_key.nonce),
        permission: permission(v.access_key.permission),
      };
    case "DeleteKey":
      return { kind: "DeleteKey", publicKey: bytes(v.public_key) };
    case "DeleteAccount":
      return { kind: "DeleteAccount", beneficiaryId: v.beneficiary_id };
    case "DeployGlobalContract":
      return {
        kind: "DeployGlobalContract",
        code: bytes(v.code_hex),
        mode: v.mode === "AccountId" ? "AccountId" : "CodeHash",
      };
    case "UseGlobalContract":
      // near-vm-runner's GlobalContractIdentifier: {"CodeHash": "<base58>"} or {"AccountId": "<id>"}
      return {
        kind: "UseGlobalContract",
        identifier: "AccountId" in v ? { accountId: v.AccountId } : { hash: v.CodeHash },
      };
    default:
      throw new UnsupportedAction(name);
  }
}

function returnData(r: Json | string): ReturnData {
  if (r === "None") return { kind: "None" };
  const v = r as Json;
  if ("Value" in v) return { kind: "Value", data: bytes(v.Value) };
  return { kind: "ReceiptIndex", index: Number(v.ReceiptIndex) };
}

export function runFunctionCall(code: Uint8Array, codeHash: string, ctx: VmContext, state: StateView): VmOutcome {
  const context = {
    current_account_id: ctx.currentAccountId,
    signer_account_id: ctx.signerAccountId,
    signer_account_pk: hex(ctx.signerAccountPk),
    predecessor_account_id: ctx.predecessorAccountId,
    block_height: ctx.blockHeight.toString(),
    block_timestamp: ctx.blockTimestamp.toString(),
    epoch_height: ctx.epochHeight.toString(),
    // near-vm-runner 0.37 adds the attached deposit to the balance itself (VMLogic's result state)
    account_balance: (ctx.accountBalance - ctx.attachedDeposit).toString(),
    account_locked_balance: ctx.accountLockedBalance.toString(),
    storage_usage: ctx.storageUsage.toString(),
    attached_deposit: ctx.attachedDeposit.toString(),
    prepaid_gas: ctx.prepaidGas.toString(),
    random_seed: hex(ctx.randomSeed),
    is_view: ctx.isView,
    promise_results: ctx.promiseResults.map((r) => (r.status === "Successful" ? hex(r.data) : null)),
    output_data_receivers: ctx.outputDataReceivers ?? [],
    refund_to_account_id: ctx.refundToAccountId,
    contract: ctx.contract,
    action_hash: ctx.actionHash ? hex(ctx.actionHash) : undefined,
    pending_yields: ctx.pendingYields ?? [],
    yield_ids: ctx.yieldIds ?? {},
    validators: Object.fromEntries(Object.entries(ctx.validators ?? {}).map(([id, stake]) => [id, stake.toString()])),
  };
  const trie = state.trie;
  const raw = nativeVm().runFunctionCall(
    asBuffer(code),
    codeHash,
    ctx.methodName,
    asBuffer(ctx.input),
    JSON.stringify(context),
    (key) => {
      const v = state.get(key);
      return v === undefined ? undefined : asBuffer(v);
    },
    trie && ((key) => trie.read(key)),
    trie &&
      ((key) => {
        const { touched, cached } = trie.write(key);
        return Math.min(touched, 0xffff) * 0x10000 + Math.min(cached, 0xffff);
      }),
  );
  const out = JSON.parse(raw) as Json;
  const profile: CostGasUsed[] = out.profile;
  lastRunStats = {
    prepareMs: out.stats.prepare_ms,
    runMs: out.stats.run_ms,
    profile: new Map(profile.map((c) => [c.cost, BigInt(c.gas_used)])),
  };
  const outcome: VmOutcome = {
    returnData: returnData(out.return_data),
    logs: out.logs,
    burntGas: BigInt(out.burnt_gas),
    usedGas: BigInt(out.used_gas),
    balance: BigInt(out.balance),
    storageUsage: BigInt(out.storage_usage),
    newReceipts: [],
    resumes: [],
    yieldStatus: [],
    yieldIds: [],
    stateWrites: new Map(
      Object.entries(out.state_changes as Record<string, string | null>).map(([k, v]) => [
        k,
        v === null ? null : bytes(v),
      ]),
    ),
    profile,
  };
  if (out.error) {
    outcome.error = out.error.error as VmError;
    outcome.errorDebug = out.error.debug;
    return outcome;
  }
  try {
    outcome.newReceipts = (out.receipts as Json[]).map((r): NewReceipt => {
      return {
        receiverId: r.receiver_id,
        actions: (r.actions as Json[]).map(action),
        inputReceiptIndices: (r.receipt_indices as number[]).map(Number),
        ...(r.refund_to ? { refundTo: r.refund_to } : {}),
        ...(r.is_yield ? { yieldDataId: r.yield_data_id } : {}),
      };
    });
    outcome.resumes = (out.resumes as Json[]).map((d) => ({ dataId: d.data_id, data: bytes(d.data) }));
    outcome.yieldStatus = out.yield_status;
    outcome.yieldIds = out.yield_ids;
  } catch (e) {
    if (!(e instanceof UnsupportedAction)) throw e;
    outcome.newReceipts = [];
    outcome.resumes = [];
    outcome.yieldStatus = [];
    outcome.yieldIds = [];
    outcome.stateWrites = new Map();
    outcome.error = { kind: "ExecutionError", message: `the local node does not apply ${e.message} actions yet` };
  }
  return outcome;
}
