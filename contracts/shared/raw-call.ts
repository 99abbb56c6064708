import { near } from "near-sdk-js";
import { fail } from "./errors";

// The statics that @NearBindgen adds to a contract class (near-sdk-js 2.0.0 near-bindgen.js).
interface BindgenStatics<T> {
  _getState(): unknown;
  _create(): T;
  _reconstruct(instance: T, state: unknown): T;
  _saveToStorage(instance: T): void;
}

// Runs `body` on the contract's state for a method that takes raw bytes as input (a wasm blob): the generated
// wrappers JSON-parse the input, which raw bytes are not. Mirrors what those wrappers do: load, run, save, return.
// Non-payable/private checks are the body's job.
export function withRawInput<T>(contractClass: unknown, body: (contract: T, input: Uint8Array) => unknown): void {
  const statics = contractClass as BindgenStatics<T>;
  const state = statics._getState();
  if (state === null || state === undefined) fail("ERR_NOT_INITIALIZED");
  const instance = statics._create();
  statics._reconstruct(instance, state);
  const result = body(instance, near.inputRaw());
  statics._saveToStorage(instance);
  if (result !== undefined) near.valueReturn(JSON.stringify(result));
}
