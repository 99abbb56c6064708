// The contract between the chain layer (transactions, receipts, blocks, RPC) and the VM layer (one wasm
// function call with host functions and gas). The chain prepares a VmContext and a StateView, calls
// runFunctionCall(), and applies the VmOutcome only when outcome.error is undefined (a failed call rolls back
// all its state writes and drops its new receipts, but its burnt gas and logs stay).

/** borsh-serialised PublicKey as nearcore's host functions take and return it: 1 byte key type (0 = ed25519,
 * 1 = secp256k1) then the raw key (32 or 64 bytes). */
export type PublicKeyBytes = Uint8Array;

export type PromiseResult = { status: "NotReady" } | { status: "Successful"; data: Uint8Array } | { status: "Failed" };

export interface VmContext {
  currentAccountId: string;
  signerAccountId: string;
  signerAccountPk: PublicKeyBytes;
  predecessorAccountId: string;
  methodName: string;
  input: Uint8Array;
  blockHeight: bigint;
  /** nanoseconds */
  blockTimestamp: bigint;
  epochHeight: bigint;
  /** amount of the account, attached deposit already included (as nearcore does before running the call) */
  accountBalance: bigint;
  accountLockedBalance: bigint;
  storageUsage: bigint;
  attachedDeposit: bigint;
  prepaidGas: bigint;
  /** 32 bytes */
  randomSeed: Uint8Array;
  /** true for the `query call_function` RPC: ProhibitedInView for the methods listed in nearcore */
  isView: boolean;
  /** one entry per data dependency of the receipt, in order */
  promiseResults: PromiseResult[];
  /** receiver account ids of the receipt's output data receivers (callbacks waiting on this call's result);
   * value_return pays the data receipt per-byte fees for each. Optional: omitted means none. */
  outputDataReceivers?: string[];
  /** the epoch's validators and their stakes, for validator_stake / validator_total_stake; omitted means none */
  validators?: Record<string, bigint>;
  /** where the receipt's deposits go back to on failure (promise_set_refund_to); default the predecessor */
  refundToAccountId?: string;
  /** the contract the account runs (current_contract_code); default Local(code hash) */
  contract?: AccountContract;
  /** 32 bytes, unique per action: the engine derives the data ids of promise_yield_create from it (nearcore's
   * action hash); default zeros */
  actionHash?: Uint8Array;
  /** hex data ids of the current account with a yield receipt or a yield status in the chain's state (nearcore's
   * TrieKey::PromiseYieldReceipt / PromiseYieldStatus): promise_yield_resume answers true for these */
  pendingYields?: string[];
  /** the current account's yield ids (promise_yield_create_with_id): hex yield id -> hex data id */
  yieldIds?: Record<string, string>;
}

/** nearcore's AccountContract: local code, or a global contract by hash or by the deploying account. */
export type AccountContract = { Local: string } | { Global: string } | { GlobalByAccount: string };

/** Read access to the contract account's committed storage. The VM buffers its own writes and returns them. */
export interface StateView {
  get(key: Uint8Array): Uint8Array | undefined;
  /** The chain's trie-node accounting for the block, as nearcore 2.13 counts trie nodes. Without it the engine
   * charges a fixed model: 3 nodes for a present key and 2 for a missing one, on every access. */
  trie?: TrieAccounting;
}

/** nearcore's trie-node counts for one account's storage keys in the current block (chunk): one accounting cache
 * for the whole block, the trie as it was at the start of the block. Called only for keys the call has not written
 * itself. */
export interface TrieAccounting {
  /** storage_read found the key: its value enters the block's accounting cache (free: flat storage reads count
   * no nodes) */
  read(key: Uint8Array): void;
  /** storage_write / storage_remove looked the key up in the trie: the nodes on its path plus the evicted value,
   * none for a key written earlier in the block, each node already counted in the block as cached */
  write(key: Uint8Array): { touched: number; cached: number };
}

/** Actions in the shape nearcore's ReceiptManager records them (amounts in yocto, gas in gas units). */
export type AccessKeyPermission =
  | { kind: "FullAccess" }
  | { kind: "FunctionCall"; allowance: bigint | null; receiverId: string; methodNames: string[] };

/** NEP-591: a global contract is named by its code hash (immutable) or by the account that deployed it (follows
 * that account's redeploys). */
export type GlobalContractIdentifier = { hash: string } | { accountId: string };

export type ReceiptAction =
  | { kind: "CreateAccount" }
  | { kind: "DeployContract"; code: Uint8Array }
  | { kind: "DeployGlobalContract"; code: Uint8Array; mode: "CodeHash" | "AccountId" }
  | { kind: "UseGlobalContract"; identifier: GlobalContractIdentifier }
  | {
      kind: "FunctionCall";
      methodName: string;
      args: Uint8Array;
      /** final gas after the function_call_weight distribution of unused gas */
      gas: bigint;
      deposit: bigint;
    }
  | { kind: "Transfer"; deposit: bigint }
  | { kind: "Stake"; stake: bigint; publicKey: PublicKeyBytes }
  | { kind: "AddKey"; publicKey: PublicKeyBytes; nonce: bigint; permission: AccessKeyPermission }
  | { kind: "DeleteKey"; publicKey: PublicKeyBytes }
  | { kind: "DeleteAccount"; beneficiaryId: string }
  /** NEP-366 meta transaction: actions signed by `delegate.senderId`, relayed inside another account's transaction.
   * Never produced by contracts; only transactions carry it. */
  | { kind: "Delegate"; delegate: DelegateAction; signature: DelegateSignature };

/** nearcore DelegateAction (its inner actions are never Delegate). */
export interface DelegateAction {
  senderId: string;
  receiverId: string;
  actions: ReceiptAction[];
  nonce: bigint;
  maxBlockHeight: bigint;
  publicKey: PublicKeyBytes;
}

/** The signature of a SignedDelegateAction and whether it verifies over the NEP-461 hash of the delegate action. */
export interface DelegateSignature {
  /** "ed25519:..." / "secp256k1:..." as nearcore prints it */
  text: string;
  valid: boolean;
}

/** A new action receipt created by the call (promise_create / promise_batch_create / *_then). */
export interface NewReceipt {
  receiverId: string;
  actions: ReceiptAction[];
  /** indices into VmOutcome.newReceipts whose results this receipt waits for (promise_then / promise_and
   * chains flattened to real receipts, in the order promise_result will see them) */
  inputReceiptIndices: number[];
  /** promise_set_refund_to: where the receipt's deposits go back to if it fails */
  refundTo?: string;
  /** promise_yield_create / _with_id: a PromiseYield receipt whose one input is this data id (hex) */
  yieldDataId?: string;
}

/** promise_yield_resume's PromiseResume receipt (nearcore DataReceiptMetadata), to the current account. */
export interface ResumeData {
  /** hex */
  dataId: string;
  data: Uint8Array;
}

/** nearcore's PromiseYieldStatus of a data id (TrieKey::PromiseYieldStatus). */
export type YieldStatus = "Yielded" | "ResumeInitiated";

export type ReturnData =
  | { kind: "None" }
  | { kind: "Value"; data: Uint8Array }
  /** promise_return(idx): the caller's outcome becomes SuccessReceiptId of newReceipts[index] */
  | { kind: "ReceiptIndex"; index: number };

/** Function-call errors as nearcore reports them inside ActionError.kind.FunctionCallError. */
export type VmError =
  | { kind: "ExecutionError"; message: string } // "Smart contract panicked: ..", "Exceeded the prepaid gas.", "WebAssembly trap: .."
  | { kind: "MethodNotFound" } // {"MethodResolveError":"MethodNotFound"}
  | { kind: "MethodEmptyName" }
  /** prepareError: nearcore's PrepareError variant, e.g. "Deserialization", for
   * {"CompilationError":{"PrepareError":"Deserialization"}} */
  | { kind: "CompilationError"; message: string; prepareError?: string }
  | { kind: "ProhibitedInView"; methodName: string }
  /** the debug form nearcore prints for a view failure, e.g. HostError(GuestPanic { panic_msg: "x" }) */
  | { kind: "Other"; message: string };

/** One entry of nearcore's per-cost gas profile (profile v3, as `metadata.gas_profile` of an outcome shows it). */
export interface CostGasUsed {
  cost_category: "ACTION_COST" | "WASM_HOST_COST";
  cost: string;
  gas_used: string;
}

export interface VmOutcome {
  returnData: ReturnData;
  logs: string[];
  /** gas burnt by this execution (wasm ops, host functions, send fees of created receipts) */
  burntGas: bigint;
  /** burnt + gas prepaid to the created receipts (their execution fees and attached gas) */
  usedGas: bigint;
  /** account balance after the call: context balance minus deposits attached to new receipts */
  balance: bigint;
  storageUsage: bigint;
  newReceipts: NewReceipt[];
  /** PromiseResume receipts of promise_yield_resume, after newReceipts */
  resumes: ResumeData[];
  /** the call's PromiseYieldStatus writes, in order: [hex data id, status] */
  yieldStatus: Array<[string, YieldStatus]>;
  /** the call's yield id mappings (promise_yield_create_with_id): [hex yield id, hex data id] */
  yieldIds: Array<[string, string]>;
  /** key (hex) -> value, or null for a removal; only meaningful when error is undefined */
  stateWrites: Map<string, Uint8Array | null>;
  /** the VM's `wasm execution failed with error: ...` debug string for views, ActionError for calls */
  error?: VmError;
  /** burntGas by cost: host functions, wasm instructions, send fees of the receipts the call created */
  profile: CostGasUsed[];
  /** the debug form of `error` for the view RPC result, e.g. HostError(GuestPanic { panic_msg: "..." }) */
  errorDebug?: string;
}

export type RunFunctionCall = (code: Uint8Array, codeHash: string, context: VmContext, state: StateView) => VmOutcome;
