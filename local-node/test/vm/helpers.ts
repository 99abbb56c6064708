// Test helpers: WebAssembly text -> binary with binaryen, a default VmContext and an in-memory StateView.

import binaryen from "binaryen";
import { lastRunStats, runFunctionCall } from "../../src/vm/index.ts";
import { HOST_SIGNATURES } from "../../src/vm/runner.ts";
import type { StateView, VmContext, VmOutcome } from "../../src/vm/types.ts";

export function wat(text: string): Uint8Array {
  const mod = binaryen.parseText(text);
  mod.setFeatures(binaryen.Features.All); // lets tests build modules nearcore rejects
  try {
    if (!mod.validate()) throw new Error("invalid module");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

export const TGAS = 1_000_000_000_000n;

export function context(overrides: Partial<VmContext> = {}): VmContext {
  return {
    currentAccountId: "contract.test.near",
    signerAccountId: "alice.test.near",
    signerAccountPk: new Uint8Array(33),
    predecessorAccountId: "bob.test.near",
    methodName: "main",
    input: new Uint8Array(),
    blockHeight: 100n,
    blockTimestamp: 1_700_000_000_000_000_000n,
    epochHeight: 1n,
    accountBalance: 10n ** 25n,
    accountLockedBalance: 0n,
    storageUsage: 1000n,
    attachedDeposit: 0n,
    prepaidGas: 300n * TGAS,
    randomSeed: new Uint8Array(32).fill(7),
    isView: false,
    promiseResults: [],
    ...overrides,
  };
}

export class MapState implements StateView {
  readonly data = new Map<string, Uint8Array>();
  constructor(entries: [string, string][] = []) {
    for (const [k, v] of entries) this.data.set(Buffer.from(k).toString("hex"), new TextEncoder().encode(v));
  }
  get(key: Uint8Array): Uint8Array | undefined {
    return this.data.get(Buffer.from(key).toString("hex"));
  }
}

let counter = 0;
/** runs `method` of the module, with a unique code hash per module text */
export function run(code: Uint8Array, overrides: Partial<VmContext> = {}, state: StateView = new MapState()) {
  return runFunctionCall(code, `test-${counter++}`, context(overrides), state);
}

export const text = (b: Uint8Array) => new TextDecoder().decode(b);
export const returned = (o: VmOutcome) => (o.returnData.kind === "Value" ? text(o.returnData.data) : undefined);

/** `(import "env" ...)` declarations with nearcore's signatures, each callable as $name */
export function imports(...names: string[]): string {
  return names
    .map((n) => {
      const [params, results] = HOST_SIGNATURES[n].split("->");
      const p = params ? ` (param ${params.split(",").join(" ")})` : "";
      const r = results ? ` (result ${results})` : "";
      return `(import "env" "${n}" (func $${n}${p}${r}))`;
    })
    .join("\n");
}

/** a module importing `names`, with one page of memory holding `data` (latin1: one byte per char) at offset 0 */
export function contract(names: string[], body: string, data = ""): Uint8Array {
  const escaped = [...Buffer.from(data, "latin1")].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
  return wat(`(module ${imports(...names)} (memory 1) (data (i32.const 0) "${escaped}") ${body})`);
}

export const profileOf = (key: string) => lastRunStats?.profile.get(key) ?? 0n;
