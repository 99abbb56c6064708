import { encode, near } from "near-sdk-js";
import { fail } from "./errors";

// Bytes the contract's own state record (near-sdk-js's "STATE", the @NearBindgen class serialized as JSON when a call
// returns) will have grown by, measured now: storage_usage does not count it until the method has returned.
export function stateRecordGrowth(state: object): bigint {
  const stored = near.storageReadRaw(encode("STATE"));
  const after = encode(JSON.stringify(state)).length;
  const before = stored === null ? 0 : stored.length;
  return after > before ? BigInt(after - before) : 0n;
}

export function storageCost(bytes: bigint): bigint {
  return bytes * near.storageByteCost();
}

// Cost of the storage this call added since `usageBefore` (0 when it shrank).
export function storageAddedCost(usageBefore: bigint): bigint {
  const after = near.storageUsage();
  return after > usageBefore ? storageCost(after - usageBefore) : 0n;
}

// Sends `amount` yoctoNEAR to `receiver` as a detached promise; 0 sends nothing.
export function sendNear(receiver: string, amount: bigint): void {
  if (amount <= 0n) return;
  const p = near.promiseBatchCreate(receiver);
  near.promiseBatchActionTransfer(p, amount);
}

// Keeps `required` of the attached deposit and refunds the rest to the caller at once.
export function keepAndRefund(required: bigint, code = "ERR_DEPOSIT_TOO_LOW"): bigint {
  const attached = near.attachedDeposit();
  if (attached < required) fail(code, `attached ${attached}, required ${required}`);
  const excess = attached - required;
  sendNear(near.predecessorAccountId(), excess);
  return excess;
}

// The writer pays: keeps the cost of the storage this call added since `usageBefore`, plus `laterBytes` (what it
// writes after the measurement), out of the attached deposit and refunds the rest at once. Returns the cost.
export function chargeStorage(usageBefore: bigint, laterBytes: bigint): bigint {
  const cost = storageAddedCost(usageBefore) + storageCost(laterBytes);
  keepAndRefund(cost);
  return cost;
}

export function assertOneYocto(): void {
  if (near.attachedDeposit() !== 1n) fail("ERR_ONE_YOCTO", "attach exactly 1 yoctoNEAR");
}

export function callbackSucceeded(index = 0): boolean {
  if (near.promiseResultsCount() <= BigInt(index)) return false;
  try {
    near.promiseResultRaw(index);
    return true;
  } catch (_e) {
    return false;
  }
}
