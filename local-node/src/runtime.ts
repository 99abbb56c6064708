// Receipt execution (nearcore apply_action_receipt): actions, function calls through the VM, rollback on
// failure, storage-staking check, data receipts for waiting callbacks, deposit and gas refunds, and the 30%
// contract reward.
import {
  accessKeyStorage,
  execFeeParts,
  gasRefund,
  globalIdentifierBytes,
  insufficientStorageStake,
  totalDeposit,
  totalExecFees,
  totalPrepaidGas,
  totalPrepaidSendFees,
} from "./fees.ts";
import { ACTION_FEES, ECONOMICS, LIMITS } from "./runtime-config.ts";
import type { Account, State } from "./state.ts";
import { validateActions } from "./tx.ts";
import {
  b58,
  concat,
  EMPTY_CODE_HASH,
  fromHex,
  isDirectSubAccount,
  isNearImplicit,
  isTopLevel,
  type PublicKeyInfo,
  publicKeyFromBytes,
  sha256,
  toHex,
  u64le,
} from "./util.ts";
import type { GlobalContractIdentifier, PromiseResult, ReceiptAction, RunFunctionCall, VmError } from "./vm/types.ts";

const SYSTEM = "system";
const NONCE_MULTIPLIER = 1_000_000n;
/** Account::MAX_ACCOUNT_DELETION_STORAGE_USAGE */
const MAX_DELETION_STORAGE = 10_000n;

export interface ActionReceipt {
  kind: "action";
  id: string;
  predecessorId: string;
  receiverId: string;
  signerId: string;
  signerPk: PublicKeyInfo;
  gasPrice: bigint;
  actions: ReceiptAction[];
  outputDataReceivers: Array<{ dataId: string; receiverId: string }>;
  inputDataIds: string[];
  /** promise_set_refund_to: where a failed receipt's deposits go instead of the predecessor */
  refundTo?: string;
  /** NEP-519 PromiseYield receipt: stored (state.ts PendingYield) right after the receipt that created it, until a
   * PromiseResume receipt for its one input data id arrives (promise_yield_resume, or the timeout's Failed) */
  isYield?: boolean;
}

export interface DataReceipt {
  kind: "data";
  id: string;
  predecessorId: string;
  receiverId: string;
  dataId: string;
  data: Uint8Array | null;
  /** NEP-519 PromiseResume receipt: delivers the data to the stored yield of that data id, or is ignored */
  promiseResume?: boolean;
}

/** NEP-591: a global contract's code on its way to the global store (nearcore's GlobalContractDistribution receipt).
 * It is applied in the next block, has no outcome and is not listed among a receipt's receipt_ids. */
export interface DistributionReceipt {
  kind: "distribution";
  id: string;
  identifier: GlobalContractIdentifier;
  code: Uint8Array;
}

export type Receipt = ActionReceipt | DataReceipt | DistributionReceipt;

type ExecutionStatus = { SuccessValue: string } | { SuccessReceiptId: string } | { Failure: unknown } | "Unknown";

/** ExecutionOutcomeWithIdView as the RPC returns it. */
export interface OutcomeView {
  proof: [];
  block_hash: string;
  id: string;
  outcome: {
    logs: string[];
    receipt_ids: string[];
    gas_burnt: number;
    tokens_burnt: string;
    executor_id: string;
    status: ExecutionStatus;
    metadata: { version: number; gas_profile: unknown[] | null };
  };
}

export interface BlockContext {
  height: bigint;
  hash: string;
  timestampNs: bigint;
  epochHeight: bigint;
  gasPrice: bigint;
  /** the epoch's validators and stakes (validator_stake / validator_total_stake) */
  validators: Record<string, bigint>;
}

interface ApplyResult {
  outcome: OutcomeView;
  /** receipts for the next block (action receipts, data receipts, refunds) */
  outgoing: Receipt[];
}

/** Deterministic ids: hash(parent id || block hash || index). */
export function childId(parent: string, blockHash: string, index: number): string {
  return b58(sha256(concat(Buffer.from(parent), Buffer.from(blockHash), u64le(BigInt(index)))));
}

function vmErrorJson(e: VmError, debug: string | undefined): unknown {
  switch (e.kind) {
    case "ExecutionError":
      return { ExecutionError: e.message };
    case "MethodNotFound":
      return { MethodResolveError: "MethodNotFound" };
    case "MethodEmptyName":
      return { MethodResolveError: "MethodEmptyName" };
    case "CompilationError":
      return { CompilationError: { PrepareError: e.prepareError ?? e.message } };
    case "ProhibitedInView":
      return { HostError: { ProhibitedInView: { method_name: e.methodName } } };
    case "Other": {
      // LinkError and MethodInvalidSignature come as "Other"; the debug form tells them apart
      const resolve = debug?.match(/^MethodResolveError\((\w+)\)$/);
      if (resolve) return { MethodResolveError: resolve[1] };
      if (debug?.startsWith("LinkError")) return { LinkError: { msg: e.message } };
      return { ExecutionError: e.message };
    }
  }
}

interface Ctx {
  state: State;
  block: BlockContext;
  vm: RunFunctionCall;
  receipt: ActionReceipt;
  /** promise results from the data receipts this receipt waited for */
  promiseResults: PromiseResult[];
}

interface Acc {
  account: Account | undefined;
  actorId: string;
  gasBurnt: bigint;
  gasUsed: bigint;
  burntForFunctionCall: bigint;
  logs: string[];
  newReceipts: ActionReceipt[];
  returnKind: "None" | "Value" | "ReceiptIndex";
  returnValue: Uint8Array;
  returnIndex: number;
  profile: Map<string, bigint>;
  /** tokens burnt by the actions themselves (a global contract's storage), dropped if the receipt fails */
  actionBurnt: bigint;
  distributions: DistributionReceipt[];
  /** promise_yield_resume's PromiseResume receipts, dropped if the receipt fails */
  resumes: DataReceipt[];
}

function newAccount(amount: bigint, storageUsage: bigint): Account {
  return { amount, locked: 0n, codeHash: EMPTY_CODE_HASH, storageUsage };
}

/** Applies one action; returns the ActionErrorKind JSON on failure. */
function applyAction(ctx: Ctx, acc: Acc, a: ReceiptAction): unknown {
  const { state, receipt, block } = ctx;
  const id = receipt.receiverId;
  const isRefund = receipt.predecessorId === SYSTEM;
  // check_account_existence
  if (a.kind === "CreateAccount") {
    if (acc.account) return { AccountAlreadyExists: { account_id: id } };
    if (isNearImplicit(id)) return { OnlyImplicitAccountCreationAllowed: { account_id: id } };
  } else if (!acc.account) {
    const implicitTransfer = a.kind === "Transfer" && isNearImplicit(id) && receipt.actions.length === 1 && !isRefund;
    if (!implicitTransfer) return { AccountDoesNotExist: { account_id: id } };
  }
  // check_actor_permissions
  const ownOnly = ["DeployContract", "DeployGlobalContract", "UseGlobalContract", "Stake", "AddKey", "DeleteKey"];
  if ([...ownOnly, "DeleteAccount"].includes(a.kind) && acc.actorId !== id) {
    return { ActorNoPermission: { account_id: id, actor_id: acc.actorId } };
  }
  switch (a.kind) {
    case "CreateAccount": {
      if (isTopLevel(id)) {
        if (id.length < LIMITS.minAllowedTopLevelAccountLength && receipt.predecessorId !== LIMITS.registrarAccountId) {
          return {
            CreateAccountOnlyByRegistrar: {
              account_id: id,
              registrar_account_id: LIMITS.registrarAccountId,
              predecessor_id: receipt.predecessorId,
            },
          };
        }
      } else if (!isDirectSubAccount(id, receipt.predecessorId)) {
        return { CreateAccountNotAllowed: { account_id: id, predecessor_id: receipt.predecessorId } };
      }
      acc.account = newAccount(0n, ECONOMICS.accountStorageBytes);
      acc.actorId = id;
      state.setAccount(id, acc.account);
      return undefined;
    }
    case "Transfer": {
      if (!acc.account) {
        // implicit account creation: the account's only key is the one its id encodes
        const pk = concat(Uint8Array.of(0), fromHex(id));
        const key = { nonce: (block.height - 1n) * NONCE_MULTIPLIER, permission: { kind: "FullAccess" as const } };
        acc.account = newAccount(a.deposit, ECONOMICS.accountStorageBytes + accessKeyStorage(33, key.permission));
        acc.actorId = id;
        state.setAccount(id, acc.account);
        state.setAccessKey(id, publicKeyFromBytes(pk)!.text, key);
        return undefined;
      }
      acc.account.amount += a.deposit;
      if (isRefund && receipt.signerId === id) refundAllowance(state, id, receipt.signerPk.text, a.deposit);
      state.setAccount(id, acc.account);
      return undefined;
    }
    case "DeployContract": {
      const account = acc.account!;
      clearContract(state, id, account);
      account.storageUsage += BigInt(a.code.length);
      account.codeHash = b58(sha256(a.code));
      state.setCode(id, a.code);
      state.setAccount(id, account);
      return undefined;
    }
    case "DeployGlobalContract": {
      // nearcore global_contracts.rs: the code's storage is burnt at 10x the storage price, the account's own
      // storage does not change, and the code reaches the global store in the next block
      const account = acc.account!;
      const cost = BigInt(a.code.length) * ECONOMICS.globalContractStorageAmountPerByte;
      if (account.amount < cost) return { LackBalanceForState: { account_id: id, amount: cost.toString() } };
      account.amount -= cost;
      acc.actionBurnt += cost;
      state.setAccount(id, account);
      const identifier = a.mode === "CodeHash" ? { hash: b58(sha256(a.code)) } : { accountId: id };
      acc.distributions.push({ kind: "distribution", id: "", identifier, code: a.code });
      return undefined;
    }
    case "UseGlobalContract": {
      const account = acc.account!;
      if (!state.getGlobalCode(a.identifier)) {
        const identifier =
          "hash" in a.identifier ? { hash: a.identifier.hash } : { account_id: a.identifier.accountId };
        return { GlobalContractDoesNotExist: { identifier } };
      }
      clearContract(state, id, account);
      account.storageUsage += globalIdentifierBytes(a.identifier);
      account.global = a.identifier;
      state.setAccount(id, account);
      return undefined;
    }
    case "FunctionCall":
      return functionCall(ctx, acc, a);
    case "Delegate":
      return applyDelegate(ctx, acc, a);
    case "Stake": {
      // Minimal staking: locking moves balance at once; unstaking returns it at once (no epochs of delay).
      const account = acc.account!;
      if (a.stake > account.locked) {
        const diff = a.stake - account.locked;
        if (diff > account.amount) {
          return {
            TriesToStake: {
              account_id: id,
              stake: a.stake.toString(),
              locked: account.locked.toString(),
              balance: account.amount.toString(),
            },
          };
        }
        account.amount -= diff;
      } else {
        if (account.locked === 0n && a.stake === 0n) return { TriesToUnstake: { account_id: id } };
        account.amount += account.locked - a.stake;
      }
      account.locked = a.stake;
      state.setAccount(id, account);
      return undefined;
    }
    case "AddKey": {
      const account = acc.account!;
      const pk = publicKeyFromBytes(a.publicKey)!;
      if (state.getAccessKey(id, pk.text)) return { AddKeyAlreadyExists: { account_id: id, public_key: pk.text } };
      account.storageUsage += accessKeyStorage(a.publicKey.length, a.permission);
      state.setAccessKey(id, pk.text, { nonce: (block.height - 1n) * NONCE_MULTIPLIER, permission: a.permission });
      state.setAccount(id, account);
      return undefined;
    }
    case "DeleteKey": {
      const account = acc.account!;
      const pk = publicKeyFromBytes(a.publicKey)!;
      const key = state.getAccessKey(id, pk.text);
      if (!key) return { DeleteKeyDoesNotExist: { account_id: id, public_key: pk.text } };
      account.storageUsage -= accessKeyStorage(a.publicKey.length, key.permission);
      state.deleteAccessKey(id, pk.text);
      state.setAccount(id, account);
      return undefined;
    }
    case "DeleteAccount": {
      const account = acc.account!;
      if (account.locked !== 0n) return { DeleteAccountStaking: { account_id: id } };
      const codeLen = BigInt(state.getCode(id)?.length ?? 0);
      if (account.storageUsage - codeLen > MAX_DELETION_STORAGE)
        return { DeleteAccountWithLargeState: { account_id: id } };
      if (account.amount > 0n) {
        // the balance goes out as a system (refund-like) transfer receipt
        acc.newReceipts.push(balanceRefund("", a.beneficiaryId, account.amount));
      }
      state.deleteAccount(id);
      acc.account = undefined;
      acc.actorId = receipt.predecessorId;
      return undefined;
    }
  }
}

/** nearcore clear_account_contract_storage_usage: drops the account's local code or global-contract reference and
 * the storage it counted. */
function clearContract(state: State, id: string, account: Account): void {
  if (account.global) {
    account.storageUsage -= globalIdentifierBytes(account.global);
    account.global = undefined;
  }
  const old = state.getCode(id);
  if (old) {
    account.storageUsage -= BigInt(old.length);
    state.setCode(id, undefined);
  }
  account.codeHash = EMPTY_CODE_HASH;
}

/** nearcore apply_delegate_action + validate_delegate_action_key (protocol 86): checks the signature, expiry,
 * sender, the sender's access key and nonce, bumps the nonce, then sends the inner actions as a new receipt from the
 * sender (signer and gas price stay the relayer's). The relayer bought the inner receipt's gas with the transaction:
 * its send fees are burnt here, its exec fees and attached gas are reserved (used) for the new receipt. */
function applyDelegate(ctx: Ctx, acc: Acc, a: Extract<ReceiptAction, { kind: "Delegate" }>): unknown {
  const { state, receipt, block } = ctx;
  const d = a.delegate;
  const id = receipt.receiverId;
  if (!a.signature.valid) return "DelegateActionInvalidSignature";
  if (block.height > d.maxBlockHeight) return "DelegateActionExpired";
  if (d.senderId !== id) {
    return { DelegateActionSenderDoesNotMatchTxReceiver: { sender_id: d.senderId, receiver_id: id } };
  }
  const pk = publicKeyFromBytes(d.publicKey)!;
  const key = state.getAccessKey(d.senderId, pk.text);
  const keyError = (e: unknown) => ({ DelegateActionAccessKeyError: e });
  if (!key) return keyError({ AccessKeyNotFound: { account_id: d.senderId, public_key: pk.text } });
  if (d.nonce <= key.nonce) {
    return { DelegateActionInvalidNonce: { delegate_nonce: Number(d.nonce), ak_nonce: Number(key.nonce) } };
  }
  const upper = block.height * NONCE_MULTIPLIER;
  if (d.nonce >= upper) {
    return { DelegateActionNonceTooLarge: { delegate_nonce: Number(d.nonce), upper_bound: Number(upper) } };
  }
  const p = key.permission;
  if (p.kind === "FunctionCall") {
    const call = d.actions[0];
    if (d.actions.length !== 1 || call.kind !== "FunctionCall") return keyError("RequiresFullAccess");
    // FixDelegateActionDepositWithFunctionCallError (85): the deposit error returns at once
    if (call.deposit > 0n) return keyError("DepositWithFunctionCall");
    if (d.receiverId !== p.receiverId) {
      return keyError({ ReceiverMismatch: { tx_receiver: d.receiverId, ak_receiver: p.receiverId } });
    }
    if (p.methodNames.length > 0 && !p.methodNames.includes(call.methodName)) {
      return keyError({ MethodNameMismatch: { method_name: call.methodName } });
    }
  }
  key.nonce = d.nonce;
  state.setAccessKey(d.senderId, pk.text, key);
  acc.newReceipts.push({
    kind: "action",
    id: childId(receipt.id, block.hash, acc.newReceipts.length),
    predecessorId: d.senderId,
    receiverId: d.receiverId,
    signerId: receipt.signerId,
    signerPk: receipt.signerPk,
    gasPrice: receipt.gasPrice,
    actions: d.actions,
    outputDataReceivers: [],
    inputDataIds: [],
  });
  // receipt_required_cost of the new receipt: used (not burnt) here, burnt by its receiver
  const required =
    totalExecFees(d.actions, d.receiverId) + totalPrepaidGas(d.actions) + ACTION_FEES.actionReceiptCreation.execution;
  const prepaidSend = totalPrepaidSendFees([a]);
  acc.gasUsed += required + prepaidSend;
  acc.gasBurnt += prepaidSend;
  return undefined;
}

function refundAllowance(state: State, id: string, pk: string, amount: bigint): void {
  const key = state.getAccessKey(id, pk);
  if (key && key.permission.kind === "FunctionCall" && key.permission.allowance !== null) {
    key.permission = { ...key.permission, allowance: key.permission.allowance + amount };
    state.setAccessKey(id, pk, key);
  }
}

function functionCall(ctx: Ctx, acc: Acc, a: Extract<ReceiptAction, { kind: "FunctionCall" }>): unknown {
  const { state, receipt, block } = ctx;
  const id = receipt.receiverId;
  const account = acc.account!;
  const isLastAction = receipt.actions[receipt.actions.length - 1] === a;
  const contract = state.contractOf(id);
  if (!contract) {
    return { FunctionCallError: { CompilationError: { CodeDoesNotExist: { account_id: id } } } };
  }
  let out: ReturnType<RunFunctionCall>;
  try {
    out = ctx.vm(
      contract.code,
      contract.hash,
      {
        currentAccountId: id,
        signerAccountId: receipt.signerId,
        signerAccountPk: receipt.signerPk.bytes,
        predecessorAccountId: receipt.predecessorId,
        methodName: a.methodName,
        input: a.args,
        blockHeight: block.height,
        blockTimestamp: block.timestampNs,
        epochHeight: block.epochHeight,
        accountBalance: account.amount + a.deposit,
        accountLockedBalance: account.locked,
        storageUsage: account.storageUsage,
        attachedDeposit: a.deposit,
        prepaidGas: a.gas,
        randomSeed: sha256(concat(Buffer.from(block.hash), Buffer.from(receipt.id))),
        isView: false,
        promiseResults: ctx.promiseResults,
        // nearcore: only the receipt's last action answers the waiting callbacks (and pays their data fees)
        outputDataReceivers: isLastAction ? receipt.outputDataReceivers.map((d) => d.receiverId) : [],
        refundToAccountId: receipt.refundTo ?? receipt.predecessorId,
        contract: contract.kind,
        validators: block.validators,
        // nearcore create_action_hash_from_receipt_id(receipt id, block height, action index): the data ids of
        // promise_yield_create derive from it, so they are unique across receipts and blocks
        actionHash: sha256(
          concat(Buffer.from(receipt.id), Buffer.from(block.hash), u64le(BigInt(receipt.actions.indexOf(a)))),
        ),
        pendingYields: state.pendingYields(id),
        yieldIds: state.yieldIds(id),
      },
      { get: (key) => state.getData(id, toHex(key)) },
    );
  } catch (e) {
    process.stderr.write(`VM internal error: ${(e as Error)?.stack ?? e}\n`);
    return { FunctionCallError: { ExecutionError: `VM internal error: ${(e as Error)?.message ?? e}` } };
  }
  acc.gasBurnt += out.burntGas;
  acc.burntForFunctionCall += out.burntGas;
  acc.gasUsed += out.usedGas;
  acc.logs.push(...out.logs);
  for (const c of out.profile) addCost(acc.profile, `${c.cost_category}:${c.cost}`, BigInt(c.gas_used));
  if (out.error) return { FunctionCallError: vmErrorJson(out.error, out.errorDebug) };
  // nearcore validate_receipt(NewReceipt) on what the call created: the same limits as a transaction's actions
  for (const r of out.newReceipts) {
    const invalid = validateActions(r.actions);
    if (invalid !== undefined) return { NewReceiptValidationError: { ActionsValidation: invalid } };
  }
  for (const [hexKey, value] of out.stateWrites) state.setData(id, hexKey, value ?? undefined);
  account.amount = out.balance;
  account.storageUsage = out.storageUsage;
  state.setAccount(id, account);
  // new receipts inherit signer and gas price; data dependencies become data ids
  const base = acc.newReceipts.length;
  const made: ActionReceipt[] = out.newReceipts.map((r, i) => ({
    kind: "action",
    id: childId(receipt.id, block.hash, base + i),
    predecessorId: id,
    receiverId: r.receiverId,
    signerId: receipt.signerId,
    signerPk: receipt.signerPk,
    gasPrice: receipt.gasPrice,
    actions: r.actions,
    outputDataReceivers: [],
    inputDataIds: [],
    ...(r.refundTo !== undefined ? { refundTo: r.refundTo } : {}),
    // promise_yield_create: a PromiseYield receipt, its one input the data id the contract got
    ...(r.yieldDataId !== undefined ? { inputDataIds: [r.yieldDataId], isYield: true } : {}),
  }));
  // the call's writes of yield statuses and yield ids (nearcore's RuntimeExt writes them during the call)
  for (const [dataId, status] of out.yieldStatus) state.setYieldStatus(id, dataId, status);
  for (const [yieldId, dataId] of out.yieldIds) state.setYieldId(id, yieldId, dataId);
  // nearcore action_function_call: each PromiseYield receipt enqueues its timeout (PromiseYieldTimeout at
  // block height + yield_timeout_length_in_blocks); rolled back with the receipt if it fails
  const indices = state.yieldIndices();
  const firstNext = indices.next;
  for (const r of made) {
    if (!r.isYield) continue;
    state.setYieldTimeout(indices.next, {
      accountId: id,
      dataId: r.inputDataIds[0],
      expiresAt: block.height + LIMITS.yieldTimeoutLengthInBlocks,
    });
    indices.next += 1n;
  }
  if (indices.next !== firstNext) state.setYieldIndices(indices);
  for (const d of out.resumes) {
    acc.resumes.push({
      kind: "data",
      id: "",
      predecessorId: id,
      receiverId: id,
      dataId: d.dataId,
      data: d.data,
      promiseResume: true,
    });
  }
  out.newReceipts.forEach((r, i) => {
    for (const j of r.inputReceiptIndices) {
      const dataId = childId(`data:${made[i].id}`, block.hash, j);
      made[j].outputDataReceivers.push({ dataId, receiverId: made[i].receiverId });
      made[i].inputDataIds.push(dataId);
    }
  });
  acc.newReceipts.push(...made);
  const rd = out.returnData;
  acc.returnKind = rd.kind;
  if (rd.kind === "Value") acc.returnValue = rd.data;
  if (rd.kind === "ReceiptIndex") acc.returnIndex = base + rd.index;
  return undefined;
}

function balanceRefund(signerPkText: string, receiverId: string, amount: bigint, signerId = SYSTEM): ActionReceipt {
  const pk = signerPkText
    ? { text: signerPkText, bytes: new Uint8Array() }
    : { text: "ed25519:11111111111111111111111111111111", bytes: new Uint8Array(33) };
  return {
    kind: "action",
    id: "",
    predecessorId: SYSTEM,
    receiverId,
    signerId,
    signerPk: pk,
    gasPrice: 0n,
    actions: [{ kind: "Transfer", deposit: amount }],
    outputDataReceivers: [],
    inputDataIds: [],
  };
}

/** Executes one action receipt whose input data (if any) has arrived. */
export function applyActionReceipt(
  state: State,
  block: BlockContext,
  vm: RunFunctionCall,
  receipt: ActionReceipt,
  promiseResults: PromiseResult[],
): ApplyResult {
  const ctx: Ctx = { state, block, vm, receipt, promiseResults };
  const isRefund = receipt.predecessorId === SYSTEM;
  const receiptFee = ACTION_FEES.actionReceiptCreation.execution;
  const acc: Acc = {
    account: state.getAccount(receipt.receiverId),
    actorId: receipt.predecessorId,
    gasBurnt: receiptFee,
    gasUsed: receiptFee,
    burntForFunctionCall: 0n,
    logs: [],
    newReceipts: [],
    returnKind: "None",
    returnValue: new Uint8Array(),
    returnIndex: 0,
    profile: new Map([["ACTION_COST:NEW_ACTION_RECEIPT", receiptFee]]),
    actionBurnt: 0n,
    distributions: [],
    resumes: [],
  };
  const accountWasMissing = acc.account === undefined;
  const cp = state.checkpoint();
  let failure: { index: number | null; kind: unknown } | undefined;
  for (let i = 0; i < receipt.actions.length; i++) {
    const a = receipt.actions[i];
    for (const [cost, gas] of execFeeParts(a, receipt.receiverId)) {
      acc.gasBurnt += gas;
      acc.gasUsed += gas;
      addCost(acc.profile, `ACTION_COST:${cost}`, gas);
    }
    // the receipt's result is the last action's (a transfer after a call returns nothing, as in nearcore)
    acc.returnKind = "None";
    const err = applyAction(ctx, acc, a);
    if (err !== undefined) {
      failure = { index: i, kind: err };
      break;
    }
  }
  if (!failure && acc.account) {
    const missing = insufficientStorageStake(acc.account.amount, acc.account.locked, acc.account.storageUsage);
    if (missing > 0n) {
      failure = {
        index: null,
        kind: { LackBalanceForState: { account_id: receipt.receiverId, amount: missing.toString() } },
      };
    }
  }
  if (failure) {
    state.rollbackTo(cp);
    acc.newReceipts = [];
    acc.distributions = [];
    acc.resumes = [];
    acc.actionBurnt = 0n;
  }
  const outgoing: Receipt[] = [...acc.newReceipts, ...acc.resumes, ...acc.distributions];
  // output data for receipts waiting on this one (promise_then callbacks)
  if (receipt.outputDataReceivers.length > 0) {
    if (!failure && acc.returnKind === "ReceiptIndex") {
      acc.newReceipts[acc.returnIndex].outputDataReceivers.push(...receipt.outputDataReceivers);
    } else {
      const data = failure ? null : acc.returnKind === "Value" ? acc.returnValue : new Uint8Array();
      for (const r of receipt.outputDataReceivers) {
        outgoing.push({
          kind: "data",
          id: "",
          predecessorId: receipt.receiverId,
          receiverId: r.receiverId,
          dataId: r.dataId,
          data,
        });
      }
    }
  }
  // refunds (predecessor `system`) are free: their outcome still reports the gas (CountRefundReceiptsInGasLimit,
  // stable long before protocol 77) but nothing is burnt
  let tokensBurnt = 0n;
  if (!isRefund) {
    // nearcore refund_unspent_gas_and_deposits (85+): deposits back to the predecessor on failure; to the signer the
    // unused gas at the purchase price plus the price surplus on burnt gas, less the account-creation charge
    const created = accountWasMissing && !failure && state.getAccount(receipt.receiverId) !== undefined;
    const { burnPrice, refund, accountCharge } = gasRefund({
      purchasePrice: receipt.gasPrice,
      blockGasPrice: block.gasPrice,
      prepaidGas:
        totalPrepaidGas(receipt.actions) +
        totalPrepaidSendFees(receipt.actions) +
        totalExecFees(receipt.actions, receipt.receiverId) +
        receiptFee,
      gasBurnt: acc.gasBurnt,
      gasUsed: acc.gasUsed,
      failed: failure !== undefined,
      createdAccount: created,
    });
    tokensBurnt = acc.gasBurnt * burnPrice + accountCharge + acc.actionBurnt;
    const depositRefund = failure ? totalDeposit(receipt.actions) : 0n;
    // nearcore balance_refund_receiver: promise_set_refund_to's account, else the predecessor
    if (depositRefund > 0n) outgoing.push(balanceRefund("", receipt.refundTo ?? receipt.predecessorId, depositRefund));
    if (refund > 0n) outgoing.push(balanceRefund(receipt.signerPk.text, receipt.signerId, refund, receipt.signerId));
    if (acc.burntForFunctionCall > 0n) {
      // 30% of the gas burnt by the VM goes to the contract, even when the receipt failed
      const reward =
        ((acc.burntForFunctionCall * ECONOMICS.burntGasRewardNumerator) / ECONOMICS.burntGasRewardDenominator) *
        burnPrice;
      const account = state.getAccount(receipt.receiverId);
      if (account && reward > 0n) {
        account.amount += reward;
        state.setAccount(receipt.receiverId, account);
      }
    }
  }
  // ids for the receipts that still lack one (refunds, data receipts)
  outgoing.forEach((r, i) => {
    if (!r.id) r.id = childId(receipt.id, block.hash, 10_000 + i);
  });
  let status: ExecutionStatus;
  if (failure) status = { Failure: { ActionError: failure } };
  else if (acc.returnKind === "ReceiptIndex") status = { SuccessReceiptId: acc.newReceipts[acc.returnIndex].id };
  else status = { SuccessValue: acc.returnKind === "Value" ? Buffer.from(acc.returnValue).toString("base64") : "" };
  // nearcore's profile v3 view: one entry per cost, sorted by category then name
  const profile = isRefund
    ? []
    : [...acc.profile]
        .filter(([, gas]) => gas > 0n)
        .map(([key, gas]) => {
          const [cost_category, cost] = key.split(":");
          return { cost_category, cost, gas_used: gas.toString() };
        })
        .sort((x, y) => cmp(x.cost_category, y.cost_category) || cmp(x.cost, y.cost));
  return {
    outcome: {
      proof: [],
      block_hash: block.hash,
      id: receipt.id,
      outcome: {
        logs: acc.logs,
        receipt_ids: outgoing.filter((r) => r.kind === "action").map((r) => r.id),
        gas_burnt: Number(acc.gasBurnt),
        tokens_burnt: tokensBurnt.toString(),
        executor_id: receipt.receiverId,
        status,
        metadata: { version: 3, gas_profile: profile },
      },
    },
    outgoing,
  };
}

function addCost(profile: Map<string, bigint>, key: string, gas: bigint): void {
  profile.set(key, (profile.get(key) ?? 0n) + gas);
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
