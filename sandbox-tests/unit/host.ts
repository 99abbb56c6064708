// Unit tests import the contracts' pure modules directly. Those rules refuse through contracts/shared/errors.ts
// `fail`, which calls the host's panic_utf8 (near-sdk-js reads a global `env`). Importing this file first installs a
// stand-in `env`: panic_utf8 throws a ContractPanic carrying the text, so a test can assert the exact
// "CODE: detail", and near-sdk-js's string conversions (QuickJS helpers, not chain calls) work. Every other host
// function throws: a rule that needs the runtime is tested through the VM harness (helpers/vm.ts) instead.
import type { ExecutionContext } from "ava";

export class ContractPanic extends Error {}

const host: Record<string, unknown> = {
  panic_utf8(msg: Uint8Array | string) {
    throw new ContractPanic(typeof msg === "string" ? msg : new TextDecoder().decode(msg));
  },
  // the string conversions near-sdk-js's encode / decode / bytes / str take from the QuickJS build (not the chain)
  utf8_string_to_uint8array: (s: string) => new TextEncoder().encode(s),
  uint8array_to_utf8_string: (a: Uint8Array) => new TextDecoder().decode(a),
  latin1_string_to_uint8array: (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0)),
  uint8array_to_latin1_string: (a: Uint8Array) => String.fromCharCode(...a),
};

const g = globalThis as { env?: unknown };
g.env ??= new Proxy(host, {
  get(target, name) {
    if (name in target) return target[name as string];
    throw new Error(`host function ${String(name)} is not available in a unit test: use the VM harness`);
  },
});

/** Asserts `fn` panics with exactly `text` ("CODE" or "CODE: detail"). */
export function panics(t: ExecutionContext, fn: () => unknown, text: string): void {
  const e = t.throws(fn, { instanceOf: ContractPanic });
  t.is(e?.message, text);
}
