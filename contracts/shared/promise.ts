import { NearPromise, near } from "near-sdk-js";

// A call from this contract to itself: the callback half of the promise-plus-callback pattern
// (`NearPromise.new(peer).functionCall(...).then(selfCall("on_x", {...}, gas))`) and a self-scheduled next step. The
// callee refuses any other caller (shared/access.ts onlySelf, or near-sdk-js's privateFunction).
export function selfCall(method: string, args: unknown, gas: bigint): NearPromise {
  return NearPromise.new(near.currentAccountId()).functionCall(method, JSON.stringify(args), 0n, gas);
}
