import { NearPromise, near, type PromiseAction } from "near-sdk-js";

// A call from this contract to itself: the callback half of the promise-plus-callback pattern
// (`NearPromise.new(peer).functionCall(...).then(selfCall("on_x", {...}, gas))`) and a self-scheduled next step. The
// callee refuses any other caller (shared/access.ts onlySelf, or near-sdk-js's privateFunction).
export function selfCall(method: string, args: unknown, gas: bigint): NearPromise {
  return NearPromise.new(near.currentAccountId()).functionCall(method, JSON.stringify(args), 0n, gas);
}

// The host function near-sdk-js's runtime registers for weighted function calls: its arguments are a raw string,
// one byte per character (toolchain/quickjs/quickjs-near-ext.c).
interface WeightHost {
  promise_batch_action_function_call_weight(
    promiseIndex: bigint | number,
    methodName: string,
    args: string,
    amount: bigint,
    gas: bigint,
    weight: bigint,
  ): void;
}

// JSON with every character above 0x7F as a \u escape (the same value; a loop, as the lean runtime has no RegExp).
export function asciiJson(json: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x80) continue;
    out += `${json.slice(from, i)}\\u${(0x10000 + c).toString(16).slice(1)}`;
    from = i + 1;
  }
  return from === 0 ? json : out + json.slice(from);
}

// `promise` with a call of `method` that gets at least `gas` and, on top, whatever this execution leaves unused: for
// work whose size is known only later (an activation's lineage), so that a caller who attaches more gets further.
export function callTakingUnusedGas(
  promise: NearPromise,
  method: string,
  args: unknown,
  amount: bigint,
  gas: bigint,
): NearPromise {
  // nearcore's gas weight (1: the only weighted call of the receipt takes all the unused gas). near-sdk-js 2.0's own
  // `functionCallWeight` passes its arguments through `encode` (a Uint8Array) to the host function, which takes a
  // string, so the callee would read "123,34,...": this passes the JSON itself, one byte per character. An object
  // with `add`, not a class: a class would be built at load, on every call of every contract importing this module.
  const json = asciiJson(JSON.stringify(args));
  const action = {
    add(promiseIndex: bigint | number): void {
      const env = (globalThis as unknown as { env: WeightHost }).env;
      env.promise_batch_action_function_call_weight(promiseIndex, method, json, amount, gas, 1n);
    },
  } as unknown as PromiseAction;
  // NearPromise.addAction is private in near-sdk-js's types only
  return (promise as unknown as { addAction(a: PromiseAction): NearPromise }).addAction(action);
}
