// nearcore's ReceiptManager: the action receipts a call creates, in creation order, and the gas weights of
// function calls that take a share of the unused gas when the call ends (function_call_weight).

import { hostErrors } from "./errors.ts";
import type { NewReceipt, ReceiptAction } from "./types.ts";

interface GasWeight {
  receipt: number;
  action: number;
  weight: bigint;
}

export class ReceiptManager {
  readonly receipts: NewReceipt[] = [];
  private gasWeights: GasWeight[] = [];

  createActionReceipt(inputReceiptIndices: number[], receiverId: string): number {
    this.receipts.push({ receiverId, actions: [], inputReceiptIndices });
    return this.receipts.length - 1;
  }

  receiverOf(index: number): string {
    return this.receipts[index].receiverId;
  }

  append(index: number, action: ReceiptAction): number {
    const actions = this.receipts[index].actions;
    actions.push(action);
    return actions.length - 1;
  }

  appendFunctionCall(
    index: number,
    methodName: Uint8Array,
    args: Uint8Array,
    deposit: bigint,
    gas: bigint,
    weight: bigint,
  ): void {
    let name: string;
    try {
      name = new TextDecoder("utf-8", { fatal: true }).decode(methodName);
    } catch {
      throw hostErrors.invalidMethodName();
    }
    const action = this.append(index, { kind: "FunctionCall", methodName: name, args, gas, deposit });
    if (weight > 0n) this.gasWeights.push({ receipt: index, action, weight });
  }

  /** Splits `unused` gas by weight (floor), the remainder going to the last weighted call. Returns false when
   * no call has a weight (then nothing is distributed). */
  distributeUnusedGas(unused: bigint): boolean {
    const sum = this.gasWeights.reduce((acc, w) => acc + w.weight, 0n);
    if (sum === 0n) return false;
    let distributed = 0n;
    const add = (w: GasWeight, gas: bigint) => {
      const a = this.receipts[w.receipt].actions[w.action];
      if (a.kind === "FunctionCall") a.gas += gas;
    };
    for (const w of this.gasWeights) {
      const assigned = (unused * w.weight) / sum;
      add(w, assigned);
      distributed += assigned;
    }
    add(this.gasWeights[this.gasWeights.length - 1], unused - distributed);
    this.gasWeights = [];
    return true;
  }
}
