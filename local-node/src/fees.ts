// Gas and storage arithmetic of nearcore protocol 77: send/exec fees per action, the transaction cost with the
// pessimistic receipt gas price (inflation 103/100 per possible hop, removed in protocol 78 by NEP-536), and
// the storage bytes an access key occupies.
import { ACTION_FEES, ECONOMICS, type Fee, sendFee } from "./runtime-config.ts";
import { isNearImplicit } from "./util.ts";
import type { AccessKeyPermission, ReceiptAction } from "./vm/types.ts";

const F = ACTION_FEES;
/** pessimistic_gas_price_inflation_ratio at protocol 77 */
const INFLATION_NUM = 103n;
const INFLATION_DEN = 100n;

function addKeyFee(p: AccessKeyPermission, pick: (f: Fee) => bigint): bigint {
  if (p.kind === "FullAccess") return pick(F.addKeyFullAccess);
  // method names are counted with a null terminator each
  const bytes = p.methodNames.reduce((n, m) => n + BigInt(Buffer.byteLength(m) + 1), 0n);
  return pick(F.addKeyFunctionCallBase) + bytes * pick(F.addKeyFunctionCallPerByte);
}

function actionFee(a: ReceiptAction, receiverId: string, pick: (f: Fee) => bigint): bigint {
  switch (a.kind) {
    case "CreateAccount":
      return pick(F.createAccount);
    case "DeployContract":
      return pick(F.deployContractBase) + BigInt(a.code.length) * pick(F.deployContractPerByte);
    case "FunctionCall":
      return (
        pick(F.functionCallBase) + BigInt(Buffer.byteLength(a.methodName) + a.args.length) * pick(F.functionCallPerByte)
      );
    case "Transfer":
      // a transfer to a missing NEAR-implicit account also pays for creating it and its key
      return isNearImplicit(receiverId)
        ? pick(F.transfer) + pick(F.createAccount) + pick(F.addKeyFullAccess)
        : pick(F.transfer);
    case "Stake":
      return pick(F.stake);
    case "AddKey":
      return addKeyFee(a.permission, pick);
    case "DeleteKey":
      return pick(F.deleteKey);
    case "DeleteAccount":
      return pick(F.deleteAccount);
  }
}

function totalSendFees(actions: ReceiptAction[], receiverId: string, sir: boolean): bigint {
  return actions.reduce((n, a) => n + actionFee(a, receiverId, (f) => sendFee(f, sir)), 0n);
}

export function execFee(a: ReceiptAction, receiverId: string): bigint {
  return actionFee(a, receiverId, (f) => f.execution);
}

export function totalExecFees(actions: ReceiptAction[], receiverId: string): bigint {
  return actions.reduce((n, a) => n + execFee(a, receiverId), 0n);
}

export function totalPrepaidGas(actions: ReceiptAction[]): bigint {
  return actions.reduce((n, a) => n + (a.kind === "FunctionCall" ? a.gas : 0n), 0n);
}

export function totalDeposit(actions: ReceiptAction[]): bigint {
  return actions.reduce((n, a) => n + (a.kind === "FunctionCall" || a.kind === "Transfer" ? a.deposit : 0n), 0n);
}

/** min_receipt_with_function_call_gas: the cheapest possible hop (receipt + function call, send + exec). */
const MIN_RECEIPT_WITH_FUNCTION_CALL_GAS =
  F.actionReceiptCreation.sendSir +
  F.actionReceiptCreation.execution +
  F.functionCallBase.sendSir +
  F.functionCallBase.execution;

/** gas_price * 1.03^exponent, rounded up, as safe_gas_price_inflated does. */
function inflatedGasPrice(gasPrice: bigint, exponent: bigint): bigint {
  const num = INFLATION_NUM ** exponent;
  const den = INFLATION_DEN ** exponent;
  return (num * gasPrice + den - 1n) / den;
}

interface TxCost {
  gasBurnt: bigint;
  gasRemaining: bigint;
  receiptGasPrice: bigint;
  burntAmount: bigint;
  totalCost: bigint;
}

/** Returns undefined when the inflation exponent does not fit in a u8 (nearcore: CostOverflow). */
export function txCost(
  signerId: string,
  receiverId: string,
  actions: ReceiptAction[],
  gasPrice: bigint,
): TxCost | undefined {
  const sir = signerId === receiverId;
  const gasBurnt = sendFee(F.actionReceiptCreation, sir) + totalSendFees(actions, receiverId, sir);
  const prepaid = totalPrepaidGas(actions);
  const exponent = (sir ? 0n : 1n) + prepaid / MIN_RECEIPT_WITH_FUNCTION_CALL_GAS;
  if (exponent > 255n) return undefined;
  const receiptGasPrice = inflatedGasPrice(gasPrice, exponent);
  const gasRemaining = prepaid + F.actionReceiptCreation.execution + totalExecFees(actions, receiverId);
  const burntAmount = gasBurnt * gasPrice;
  const totalCost = burntAmount + gasRemaining * receiptGasPrice + totalDeposit(actions);
  return { gasBurnt, gasRemaining, receiptGasPrice, burntAmount, totalCost };
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
