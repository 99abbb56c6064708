// Promise host functions (nearcore logic.rs "Promises API"): the promise DAG, new receipts and their actions,
// and the gas they cost: send fees burnt now (sir when the receiver is the current account), execution fees and
// attached gas prepaid (used, not burnt). Attached deposits leave the account balance immediately.

import { ACTION_FEES, type Fee, LIMITS, sendFee } from "../runtime-config.ts";
import { isEthImplicit, isNearImplicit } from "../util.ts";
import { hostErrors } from "./errors.ts";
import { U64_MAX, VMLogic } from "./logic.ts";
import type { AccessKeyPermission, PublicKeyBytes } from "./types.ts";

const u64 = (x: bigint) => BigInt.asUintN(64, x);

/** borsh PublicKey: 0 + 32 bytes (ed25519) or 1 + 64 bytes (secp256k1). nearcore reports a bad key only after
 * charging the action fees (PublicKeyBuffer), so this returns a thunk. */
function publicKey(bytes: Uint8Array): () => PublicKeyBytes {
  const ok = (bytes[0] === 0 && bytes.length === 33) || (bytes[0] === 1 && bytes.length === 65);
  return () => {
    if (!ok) throw hostErrors.invalidPublicKey();
    return bytes;
  };
}

/** A function call action's arguments between the promise index and the gas weight (method, args, amount, gas). */
type FunctionCallArgs = Inner<Parameters<HostFunctions["promise_batch_action_function_call_weight"]>>;
type Inner<T> = T extends [bigint, ...infer A, bigint] ? A : never;

export class HostFunctions extends VMLogic {
  /** burn the send fee, reserve send + execution (pay_action_base / pay_action_per_byte) */
  private payActionFee(fee: Fee, sir: boolean, count: bigint, profileKey: string): void {
    const burn = sendFee(fee, sir) * count;
    this.gas.payAction(burn, burn + fee.execution * count, profileKey);
  }

  private checkedPushPromise(p: { receipt: number } | { joint: number[] }): bigint {
    this.promises.push(p);
    if (this.promises.length > LIMITS.maxPromisesPerFunctionCallAction) {
      throw hostErrors.numberPromisesExceeded(this.promises.length, LIMITS.maxPromisesPerFunctionCallAction);
    }
    return BigInt(this.promises.length - 1);
  }

  private promise(idx: bigint) {
    const p = idx < BigInt(this.promises.length) ? this.promises[Number(idx)] : undefined;
    if (!p) throw hostErrors.invalidPromiseIndex(idx);
    return p;
  }

  /** promise_idx_to_receipt_idx_with_sir */
  private receiptOf(idx: bigint): { receipt: number; sir: boolean } {
    const p = this.promise(u64(idx));
    if (!("receipt" in p)) throw hostErrors.cannotAppendActionToJointPromise();
    return { receipt: p.receipt, sir: this.receipts.receiverOf(p.receipt) === this.ctx.currentAccountId };
  }

  /** pay_gas_for_new_receipt: action receipt send (burnt) + exec (used); data receipts' send + exec both burnt */
  private payForNewReceipt(sir: boolean, dataDependencies: boolean[]): void {
    const arc = ACTION_FEES.actionReceiptCreation;
    const drb = ACTION_FEES.dataReceiptBase;
    let burn = sendFee(arc, sir);
    for (const dep of dataDependencies) burn += sendFee(drb, dep) + drb.execution;
    this.gas.payAction(burn, burn + arc.execution, "NEW_ACTION_RECEIPT");
  }

  promise_create(accountIdLen: bigint, accountIdPtr: bigint, ...call: FunctionCallArgs): bigint {
    const idx = this.promise_batch_create(accountIdLen, accountIdPtr);
    this.promise_batch_action_function_call(idx, ...call);
    return idx;
  }

  promise_then(promiseIdx: bigint, accountIdLen: bigint, accountIdPtr: bigint, ...call: FunctionCallArgs): bigint {
    const idx = this.promise_batch_then(promiseIdx, accountIdLen, accountIdPtr);
    this.promise_batch_action_function_call(idx, ...call);
    return idx;
  }

  promise_and(promiseIdxPtr: bigint, promiseIdxCount: bigint): bigint {
    this.gas.payBase("base");
    this.prohibitInView("promise_and");
    this.gas.payBase("promiseAndBase");
    const memoryLen = u64(promiseIdxCount) * 8n;
    if (memoryLen > U64_MAX) throw hostErrors.integerOverflow();
    this.gas.payPer("promiseAndPerPromise", memoryLen);
    const bytes = this.readMemory(u64(promiseIdxPtr), memoryLen);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const deps: number[] = [];
    for (let i = 0; i < bytes.length; i += 8) {
      const p = this.promise(view.getBigUint64(i, true));
      if ("receipt" in p) deps.push(p.receipt);
      else deps.push(...p.joint);
      if (deps.length > LIMITS.maxNumberInputDataDependencies) {
        throw hostErrors.numberInputDataDependenciesExceeded(deps.length, LIMITS.maxNumberInputDataDependencies);
      }
    }
    return this.checkedPushPromise({ joint: deps });
  }

  promise_batch_create(accountIdLen: bigint, accountIdPtr: bigint): bigint {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_create");
    const accountId = this.readAccountId(accountIdPtr, accountIdLen);
    this.payForNewReceipt(accountId === this.ctx.currentAccountId, []);
    const receipt = this.receipts.createActionReceipt([], accountId);
    return this.checkedPushPromise({ receipt });
  }

  promise_batch_then(promiseIdx: bigint, accountIdLen: bigint, accountIdPtr: bigint): bigint {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_then");
    const accountId = this.readAccountId(accountIdPtr, accountIdLen);
    const p = this.promise(u64(promiseIdx));
    const deps = "receipt" in p ? [p.receipt] : [...p.joint];
    const sirDeps = deps.map((r) => this.receipts.receiverOf(r) === accountId);
    this.payForNewReceipt(accountId === this.ctx.currentAccountId, sirDeps);
    const receipt = this.receipts.createActionReceipt(deps, accountId);
    return this.checkedPushPromise({ receipt });
  }

  promise_batch_action_create_account(promiseIdx: bigint): void {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_action_create_account");
    const { receipt, sir } = this.receiptOf(promiseIdx);
    this.payActionFee(ACTION_FEES.createAccount, sir, 1n, "CREATE_ACCOUNT");
    this.receipts.append(receipt, { kind: "CreateAccount" });
  }

  promise_batch_action_deploy_contract(promiseIdx: bigint, codeLen: bigint, codePtr: bigint): void {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_action_deploy_contract");
    const code = this.memoryOrRegister(codePtr, codeLen);
    if (code.length > LIMITS.maxContractSize) {
      throw hostErrors.contractSizeExceeded(code.length, LIMITS.maxContractSize);
    }
    const { receipt, sir } = this.receiptOf(promiseIdx);
    this.payActionFee(ACTION_FEES.deployContractBase, sir, 1n, "DEPLOY_CONTRACT_BASE");
    this.payActionFee(ACTION_FEES.deployContractPerByte, sir, BigInt(code.length), "DEPLOY_CONTRACT_BYTE");
    this.receipts.append(receipt, { kind: "DeployContract", code });
  }

  promise_batch_action_function_call(promiseIdx: bigint, ...call: FunctionCallArgs): void {
    this.promise_batch_action_function_call_weight(promiseIdx, ...call, 0n);
  }

  promise_batch_action_function_call_weight(
    promiseIdx: bigint,
    methodNameLen: bigint,
    methodNamePtr: bigint,
    argumentsLen: bigint,
    argumentsPtr: bigint,
    amountPtr: bigint,
    gas: bigint,
    gasWeight: bigint,
  ): void {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_action_function_call");
    const amount = this.readU128(u64(amountPtr));
    const methodName = this.memoryOrRegister(methodNamePtr, methodNameLen);
    if (methodName.length === 0) throw hostErrors.emptyMethodName();
    const args = this.memoryOrRegister(argumentsPtr, argumentsLen);
    const { receipt, sir } = this.receiptOf(promiseIdx);
    const numBytes = BigInt(methodName.length + args.length);
    this.payActionFee(ACTION_FEES.functionCallBase, sir, 1n, "FUNCTION_CALL_BASE");
    this.payActionFee(ACTION_FEES.functionCallPerByte, sir, numBytes, "FUNCTION_CALL_BYTE");
    this.gas.prepayGas(u64(gas));
    this.deductBalance(amount);
    this.receipts.appendFunctionCall(receipt, methodName, args, amount, u64(gas), u64(gasWeight));
  }

  promise_batch_action_transfer(promiseIdx: bigint, amountPtr: bigint): void {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_action_transfer");
    const amount = this.readU128(u64(amountPtr));
    const { receipt, sir } = this.receiptOf(promiseIdx);
    const receiver = this.receipts.receiverOf(receipt);
    // transfer_send_fee / transfer_exec_fee: a transfer to an implicit account also creates it
    // (implicit_account_creation and eth_implicit_accounts are on at protocol 77)
    const fees: Fee[] = [ACTION_FEES.transfer];
    if (isNearImplicit(receiver)) fees.push(ACTION_FEES.createAccount, ACTION_FEES.addKeyFullAccess);
    else if (isEthImplicit(receiver)) fees.push(ACTION_FEES.createAccount);
    const burn = fees.reduce((acc, f) => acc + sendFee(f, sir), 0n);
    const exec = fees.reduce((acc, f) => acc + f.execution, 0n);
    this.gas.payAction(burn, burn + exec, "TRANSFER");
    this.deductBalance(amount);
    this.receipts.append(receipt, { kind: "Transfer", deposit: amount });
  }

  promise_batch_action_stake(promiseIdx: bigint, amountPtr: bigint, pkLen: bigint, pkPtr: bigint): void {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_action_stake");
    const amount = this.readU128(u64(amountPtr));
    const pk = publicKey(this.memoryOrRegister(pkPtr, pkLen));
    const { receipt, sir } = this.receiptOf(promiseIdx);
    this.payActionFee(ACTION_FEES.stake, sir, 1n, "STAKE");
    this.receipts.append(receipt, { kind: "Stake", stake: amount, publicKey: pk() });
  }

  promise_batch_action_add_key_with_full_access(promiseIdx: bigint, pkLen: bigint, pkPtr: bigint, nonce: bigint) {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_action_add_key_with_full_access");
    const pk = publicKey(this.memoryOrRegister(pkPtr, pkLen));
    const { receipt, sir } = this.receiptOf(promiseIdx);
    this.payActionFee(ACTION_FEES.addKeyFullAccess, sir, 1n, "ADD_FULL_ACCESS_KEY");
    const permission: AccessKeyPermission = { kind: "FullAccess" };
    this.receipts.append(receipt, { kind: "AddKey", publicKey: pk(), nonce: u64(nonce), permission });
  }

  promise_batch_action_add_key_with_function_call(
    promiseIdx: bigint,
    pkLen: bigint,
    pkPtr: bigint,
    nonce: bigint,
    allowancePtr: bigint,
    receiverIdLen: bigint,
    receiverIdPtr: bigint,
    methodNamesLen: bigint,
    methodNamesPtr: bigint,
  ): void {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_action_add_key_with_function_call");
    const pk = publicKey(this.memoryOrRegister(pkPtr, pkLen));
    const allowance = this.readU128(u64(allowancePtr));
    const receiverId = this.readAccountId(receiverIdPtr, receiverIdLen);
    const raw = this.memoryOrRegister(methodNamesPtr, methodNamesLen);
    const methodNames = splitMethodNames(raw);
    const { receipt, sir } = this.receiptOf(promiseIdx);
    const numBytes = methodNames.reduce((acc, m) => acc + BigInt(Buffer.byteLength(m, "utf8") + 1), 0n);
    this.payActionFee(ACTION_FEES.addKeyFunctionCallBase, sir, 1n, "ADD_FUNCTION_CALL_KEY_BASE");
    this.payActionFee(ACTION_FEES.addKeyFunctionCallPerByte, sir, numBytes, "ADD_FUNCTION_CALL_KEY_BYTE");
    const permission: AccessKeyPermission = {
      kind: "FunctionCall",
      allowance: allowance > 0n ? allowance : null,
      receiverId,
      methodNames,
    };
    this.receipts.append(receipt, { kind: "AddKey", publicKey: pk(), nonce: u64(nonce), permission });
  }

  promise_batch_action_delete_key(promiseIdx: bigint, pkLen: bigint, pkPtr: bigint): void {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_action_delete_key");
    const pk = publicKey(this.memoryOrRegister(pkPtr, pkLen));
    const { receipt, sir } = this.receiptOf(promiseIdx);
    this.payActionFee(ACTION_FEES.deleteKey, sir, 1n, "DELETE_KEY");
    this.receipts.append(receipt, { kind: "DeleteKey", publicKey: pk() });
  }

  promise_batch_action_delete_account(promiseIdx: bigint, beneficiaryLen: bigint, beneficiaryPtr: bigint): void {
    this.gas.payBase("base");
    this.prohibitInView("promise_batch_action_delete_account");
    const beneficiaryId = this.readAccountId(beneficiaryPtr, beneficiaryLen);
    const { receipt, sir } = this.receiptOf(promiseIdx);
    this.payActionFee(ACTION_FEES.deleteAccount, sir, 1n, "DELETE_ACCOUNT");
    this.receipts.append(receipt, { kind: "DeleteAccount", beneficiaryId });
  }

  promise_results_count(): bigint {
    this.gas.payBase("base");
    this.prohibitInView("promise_results_count");
    return BigInt(this.ctx.promiseResults.length);
  }

  promise_result(resultIdx: bigint, registerId: bigint): bigint {
    this.gas.payBase("base");
    this.prohibitInView("promise_result");
    const idx = u64(resultIdx);
    const r = idx < BigInt(this.ctx.promiseResults.length) ? this.ctx.promiseResults[Number(idx)] : undefined;
    if (!r) throw hostErrors.invalidPromiseResultIndex(idx);
    if (r.status === "NotReady") return 0n;
    if (r.status === "Failed") return 2n;
    this.setRegister(u64(registerId), r.data);
    return 1n;
  }

  promise_return(promiseIdx: bigint): void {
    this.gas.payBase("base");
    this.gas.payBase("promiseReturn");
    this.prohibitInView("promise_return");
    const p = this.promise(u64(promiseIdx));
    if (!("receipt" in p)) throw hostErrors.cannotReturnJointPromise();
    this.returnData = { kind: "ReceiptIndex", index: p.receipt };
  }
}

/** nearcore utils::split_method_names: comma separated, no empty names, UTF-8. */
function splitMethodNames(raw: Uint8Array): string[] {
  if (raw.length === 0) return [];
  const names: string[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i === raw.length || raw[i] === 0x2c) {
      if (i === start) throw hostErrors.emptyMethodName();
      try {
        names.push(new TextDecoder("utf-8", { fatal: true }).decode(raw.subarray(start, i)));
      } catch {
        throw hostErrors.badUtf8();
      }
      start = i + 1;
    }
  }
  return names;
}
