// Gas and storage arithmetic of nearcore protocol 86 (runtime/runtime/src/config.rs tx_cost, lib.rs
// refund_unspent_gas_and_deposits): send/exec fees per action, the transaction cost (send fees burnt at the block
// gas price, attached gas and exec fees bought at max(gas price, min_gas_purchase_price): NEP-536 removed the
// pessimistic price at 78, NEP-642 added the purchase price at 85), and the storage bytes an access key occupies.
import { ACTION_FEES, ECONOMICS, type Fee, sendFee } from "./runtime-config.ts";
import { isNearImplicit } from "./util.ts";
import type { AccessKeyPermission, GlobalContractIdentifier, ReceiptAction } from "./vm/types.ts";

const F = ACTION_FEES;

/** An action's fee split into nearcore's ActionCosts (upper-cased as the gas profile names them) and their gas. */
type FeeParts = Array<[cost: string, gas: bigint]>;

function addKeyFee(p: AccessKeyPermission, pick: (f: Fee) => bigint): FeeParts {
  if (p.kind === "FullAccess") return [["ADD_FULL_ACCESS_KEY", pick(F.addKeyFullAccess)]];
  // method names are counted with a null terminator each
  const bytes = p.methodNames.reduce((n, m) => n + BigInt(Buffer.byteLength(m) + 1), 0n);
  return [
    ["ADD_FUNCTION_CALL_KEY_BASE", pick(F.addKeyFunctionCallBase)],
    ["ADD_FUNCTION_CALL_KEY_BYTE", bytes * pick(F.addKeyFunctionCallPerByte)],
  ];
}

function actionFeeParts(a: ReceiptAction, receiverId: string, pick: (f: Fee) => bigint): FeeParts {
  switch (a.kind) {
    case "Delegate":
      // the delegate fee itself; total_send_fees adds the inner actions' send fees (sendFeeOf below)
      return [["DELEGATE", pick(F.delegate)]];
    case "CreateAccount":
      return [["CREATE_ACCOUNT", pick(F.createAccount)]];
    case "DeployContract":
      return [
        ["DEPLOY_CONTRACT_BASE", pick(F.deployContractBase)],
        ["DEPLOY_CONTRACT_BYTE", BigInt(a.code.length) * pick(F.deployContractPerByte)],
      ];
    case "FunctionCall":
      return [
        ["FUNCTION_CALL_BASE", pick(F.functionCallBase)],
        ["FUNCTION_CALL_BYTE", BigInt(Buffer.byteLength(a.methodName) + a.args.length) * pick(F.functionCallPerByte)],
      ];
    case "Transfer":
      // a transfer to a missing NEAR-implicit account also pays for creating it and its key
      return isNearImplicit(receiverId)
        ? [
            ["TRANSFER", pick(F.transfer)],
            ["CREATE_ACCOUNT", pick(F.createAccount)],
            ["ADD_FULL_ACCESS_KEY", pick(F.addKeyFullAccess)],
          ]
        : [["TRANSFER", pick(F.transfer)]];
    case "Stake":
      return [["STAKE", pick(F.stake)]];
    case "AddKey":
      return addKeyFee(a.permission, pick);
    case "DeleteKey":
      return [["DELETE_KEY", pick(F.deleteKey)]];
    case "DeleteAccount":
      return [["DELETE_ACCOUNT", pick(F.deleteAccount)]];
    case "DeployGlobalContract":
      return [
        ["DEPLOY_GLOBAL_CONTRACT_BASE", pick(F.deployGlobalContractBase)],
        ["DEPLOY_GLOBAL_CONTRACT_BYTE", BigInt(a.code.length) * pick(F.deployGlobalContractPerByte)],
      ];
    case "UseGlobalContract":
      return [
        ["USE_GLOBAL_CONTRACT_BASE", pick(F.useGlobalContractBase)],
        ["USE_GLOBAL_CONTRACT_BYTE", globalIdentifierBytes(a.identifier) * pick(F.useGlobalContractPerIdentifierByte)],
      ];
  }
}

/** GlobalContractIdentifier::len(): 32 for a code hash, the account id's length otherwise (storage and fees). */
export function globalIdentifierBytes(id: GlobalContractIdentifier): bigint {
  return "hash" in id ? 32n : BigInt(Buffer.byteLength(id.accountId));
}

const sum = (parts: FeeParts) => parts.reduce((n, [, g]) => n + g, 0n);
const actionFee = (a: ReceiptAction, receiverId: string, pick: (f: Fee) => bigint) =>
  sum(actionFeeParts(a, receiverId, pick));

/** The execution fee of an action by cost, for the outcome's gas profile. */
export function execFeeParts(a: ReceiptAction, receiverId: string): FeeParts {
  return actionFeeParts(a, receiverId, (f) => f.execution);
}

/** nearcore total_send_fees: a Delegate costs the delegate send fee plus its inner actions' send fees, all with the
 * outer sender_is_receiver (and the inner receiver for an implicit-account transfer). */
function totalSendFees(actions: ReceiptAction[], receiverId: string, sir: boolean): bigint {
  return actions.reduce((n, a) => {
    const own = actionFee(a, receiverId, (f) => sendFee(f, sir));
    return n + own + (a.kind === "Delegate" ? totalSendFees(a.delegate.actions, a.delegate.receiverId, sir) : 0n);
  }, 0n);
}

/** nearcore total_prepaid_send_fees: the send fees of a Delegate's inner receipt (sender_is_receiver of the delegate
 * action itself), bought by the transaction and burnt when the Delegate executes. 0 without a Delegate. */
export function totalPrepaidSendFees(actions: ReceiptAction[]): bigint {
  return actions.reduce((n, a) => {
    if (a.kind !== "Delegate") return n;
    const d = a.delegate;
    return n + totalSendFees(d.actions, d.receiverId, d.senderId === d.receiverId);
  }, 0n);
}

/** nearcore exec_fee (a Delegate: the delegate execution fee only). */
export function execFee(a: ReceiptAction, receiverId: string): bigint {
  return actionFee(a, receiverId, (f) => f.execution);
}

/** nearcore total_prepaid_exec_fees: the exec fees of the actions; a Delegate adds its inner actions' exec fees and
 * the new_action_receipt exec fee of the receipt it creates. */
export function totalExecFees(actions: ReceiptAction[], receiverId: string): bigint {
  return actions.reduce((n, a) => {
    if (a.kind !== "Delegate") return n + execFee(a, receiverId);
    const d = a.delegate;
    return n + totalExecFees(d.actions, d.receiverId) + execFee(a, d.receiverId) + F.actionReceiptCreation.execution;
  }, 0n);
}

/** nearcore total_prepaid_gas (a Delegate: its inner actions' attached gas). */
export function totalPrepaidGas(actions: ReceiptAction[]): bigint {
  return actions.reduce(
    (n, a) =>
      n + (a.kind === "FunctionCall" ? a.gas : a.kind === "Delegate" ? totalPrepaidGas(a.delegate.actions) : 0n),
    0n,
  );
}

/** nearcore total_deposit: a Delegate's inner deposits are paid by the relayer (refunded to the delegate's sender if
 * the inner receipt fails). */
export function totalDeposit(actions: ReceiptAction[]): bigint {
  return actions.reduce(
    (n, a) =>
      n +
      (a.kind === "FunctionCall" || a.kind === "Transfer"
        ? a.deposit
        : a.kind === "Delegate"
          ? totalDeposit(a.delegate.actions)
          : 0n),
    0n,
  );
}

interface TxCost {
  gasBurnt: bigint;
  gasRemaining: bigint;
  /** the price the receipt's gas was bought at: max(block gas price, min_gas_purchase_price) */
  receiptGasPrice: bigint;
  burntAmount: bigint;
  totalCost: bigint;
}

export function txCost(signerId: string, receiverId: string, actions: ReceiptAction[], gasPrice: bigint): TxCost {
  const sir = signerId === receiverId;
  const gasBurnt = sendFee(F.actionReceiptCreation, sir) + totalSendFees(actions, receiverId, sir);
  const gasRemaining =
    totalPrepaidGas(actions) +
    totalPrepaidSendFees(actions) +
    F.actionReceiptCreation.execution +
    totalExecFees(actions, receiverId);
  const receiptGasPrice = gasPrice > ECONOMICS.minGasPurchasePrice ? gasPrice : ECONOMICS.minGasPurchasePrice;
  const burntAmount = gasBurnt * gasPrice;
  const totalCost = burntAmount + gasRemaining * receiptGasPrice + totalDeposit(actions);
  return { gasBurnt, gasRemaining, receiptGasPrice, burntAmount, totalCost };
}

/** The gas refund of an executed receipt (nearcore refund_unspent_gas_and_deposits at 85+, penalty 0). */
export function gasRefund(p: {
  purchasePrice: bigint;
  blockGasPrice: bigint;
  prepaidGas: bigint;
  gasBurnt: bigint;
  gasUsed: bigint;
  failed: boolean;
  createdAccount: boolean;
}): { burnPrice: bigint; refund: bigint; accountCharge: bigint } {
  const burnPrice = p.purchasePrice < p.blockGasPrice ? p.purchasePrice : p.blockGasPrice;
  const unused = (p.prepaidGas - (p.failed ? p.gasBurnt : p.gasUsed)) * p.purchasePrice;
  let surplus = (p.purchasePrice - burnPrice) * p.gasBurnt;
  let accountCharge = 0n;
  if (p.createdAccount) {
    const owed = ECONOMICS.accountCreationCharge - burnPrice * F.createAccount.execution;
    accountCharge = owed <= 0n ? 0n : owed < surplus ? owed : surplus;
    surplus -= accountCharge;
  }
  return { burnPrice, refund: unused + surplus, accountCharge };
}

/** Borsh size of an AccessKey (nonce + permission). */
function accessKeyBorshLen(p: AccessKeyPermission): bigint {
  if (p.kind === "FullAccess") return 9n;
  const methods = p.methodNames.reduce((n, m) => n + 4 + Buffer.byteLength(m), 0);
  return BigInt(8 + 1 + (p.allowance === null ? 1 : 17) + 4 + Buffer.byteLength(p.receiverId) + 4 + methods);
}

/** Storage bytes of one access key record: borsh(public key) + borsh(access key) + num_extra_bytes_record. */
export function accessKeyStorage(publicKeyBytes: number, p: AccessKeyPermission): bigint {
  return BigInt(publicKeyBytes) + accessKeyBorshLen(p) + ECONOMICS.numExtraBytesRecord;
}

/** NEP-448: accounts using at most this many bytes need no balance for storage. */
const ZERO_BALANCE_ACCOUNT_STORAGE_LIMIT = 770n;

/** Returns the missing amount when the account cannot pay for its storage, else 0. */
export function insufficientStorageStake(amount: bigint, locked: bigint, storageUsage: bigint): bigint {
  const required = storageUsage * ECONOMICS.storageAmountPerByte;
  const available = amount + locked;
  if (available >= required || storageUsage <= ZERO_BALANCE_ACCOUNT_STORAGE_LIMIT) return 0n;
  return required - available;
}
