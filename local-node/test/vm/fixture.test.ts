// The project's real near-sdk-js contract (build/fixture.wasm, built by `npm run build`) through
// runFunctionCall on nearcore's contract runtime: views, state writes, panics, deposits, cross-contract promises,
// and gas calibration.
// Removed with the TS VM: its timing breakdown (instrument / compile / instantiate / execute) and operator count;
// the native module reports prepare and run times only.

import { existsSync, readFileSync } from "node:fs";
import test from "ava";
import { ACTION_FEES, EXT_COSTS } from "../../src/runtime-config.ts";
import { b58, sha256 } from "../../src/util.ts";
import { lastRunStats, runFunctionCall } from "../../src/vm/index.ts";
import type { VmContext, VmOutcome } from "../../src/vm/types.ts";
import { context, MapState, returned, TGAS } from "./helpers.ts";

const FIXTURE = new URL("../../../build/fixture.wasm", import.meta.url);
const code = existsSync(FIXTURE) ? new Uint8Array(readFileSync(FIXTURE)) : undefined;
const codeHash = code ? b58(sha256(code)) : "";
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const tgas = (g: bigint) => (Number(g) / 1e12).toFixed(3);

function call(state: MapState, methodName: string, args: unknown, overrides: Partial<VmContext> = {}): VmOutcome {
  if (!code) throw new Error("build/fixture.wasm is missing: run `npm run build` first");
  const o = runFunctionCall(code, codeHash, context({ methodName, input: json(args), ...overrides }), state);
  if (!o.error) for (const [k, v] of o.stateWrites) v ? state.data.set(k, v) : state.data.delete(k);
  return o;
}

test.serial("a view of a getter returns the default greeting; gas of a minimal near-sdk-js call", (t) => {
  const o = call(new MapState(), "get_greeting", {}, { isView: true });
  t.is(o.error, undefined);
  t.is(returned(o), '"hello"');
  const stats = lastRunStats!;
  const wasm = stats.profile.get("WASM_INSTRUCTION") ?? 0n;
  const loading =
    (stats.profile.get("CONTRACT_LOADING_BYTES") ?? 0n) + (stats.profile.get("CONTRACT_LOADING_BASE") ?? 0n);
  t.is(loading, EXT_COSTS.contract_loading_base + EXT_COSTS.contract_loading_bytes * BigInt(code!.length));
  const host = [...stats.profile]
    .filter(([k]) => k !== "WASM_INSTRUCTION" && !k.startsWith("CONTRACT_LOADING"))
    .reduce((sum, [, g]) => sum + g, 0n);
  t.is(o.burntGas, wasm + loading + host, "the profile adds up to the burnt gas");
  // near-sdk-js reads its STATE key once: absent in a fresh account, 2 trie nodes in the native module's model
  t.is(stats.profile.get("TOUCHING_TRIE_NODE"), 2n * EXT_COSTS.touching_trie_node);
  const fees = ACTION_FEES.functionCallBase.execution + ACTION_FEES.actionReceiptCreation.execution;
  t.log(`first call: prepare ${stats.prepareMs.toFixed(0)} ms, run ${stats.runMs.toFixed(0)} ms`);
  t.log(`burnt ${tgas(o.burntGas)} Tgas = wasm ${tgas(wasm)} + loading ${tgas(loading)} + host ${tgas(host)}`);
  t.log(`receipt gas_burnt with function call exec fees: ${tgas(o.burntGas + fees)} Tgas`);
  // near-sdk-js's benchmark: ~4.5 Tgas (low level) to ~5.7 Tgas (@NearBindgen) of wasm instructions per call
  t.true(wasm > 3n * TGAS && wasm < 10n * TGAS);
  const again = call(new MapState(), "get_greeting", {}, { isView: true });
  t.is(again.burntGas, o.burntGas, "the same call burns the same gas (deterministic metering)");
});

test.serial("a call that writes state, then a view that reads it; storage usage and logs", (t) => {
  const state = new MapState();
  const o = call(state, "set_greeting", { greeting: "hi there" }, { storageUsage: 600n });
  t.is(o.error, undefined);
  t.deepEqual(o.logs, ["greeting set to hi there"]);
  const [[key, value]] = [...o.stateWrites.entries()];
  t.is(Buffer.from(key, "hex").toString(), "STATE");
  t.is(o.storageUsage, 600n + 5n + BigInt(value!.length) + 40n);
  const v = call(state, "get_greeting", {}, { isView: true });
  t.is(returned(v), '"hi there"');
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    call(state, "get_greeting", {}, { isView: true });
    times.push(performance.now() - t0);
  }
  t.log(`warm view call: ${Math.min(...times).toFixed(1)} ms (min of 5)`);
});

test.serial("a panic in the contract is a GuestPanic with the JS error message", (t) => {
  const o = call(new MapState(), "fail", { message: "boom" });
  t.is(o.error?.kind, "ExecutionError");
  t.true(o.error?.kind === "ExecutionError" && o.error.message.startsWith("Smart contract panicked: boom"));
  t.regex(o.errorDebug ?? "", /^HostError\(GuestPanic \{ panic_msg: "boom/);
  t.is(o.stateWrites.size, 0);
});

test.serial("a view that writes state fails with ProhibitedInView", (t) => {
  const o = call(new MapState(), "set_greeting", { greeting: "x" }, { isView: true });
  t.is(o.errorDebug, 'HostError(ProhibitedInView { method_name: "storage_write" })');
});

test.serial("a payable method reads the u128 attached deposit and the predecessor", (t) => {
  const state = new MapState();
  const deposit = 10n ** 24n + 7n;
  const o = call(state, "deposit", {}, { attachedDeposit: deposit, predecessorAccountId: "carol.test.near" });
  t.is(o.error, undefined);
  t.is(returned(o), `"${deposit}"`);
  const again = call(state, "deposit", {}, { attachedDeposit: deposit, predecessorAccountId: "carol.test.near" });
  t.is(returned(again), `"${2n * deposit}"`);
  const of = call(state, "deposit_of", { account_id: "carol.test.near" }, { isView: true });
  t.is(returned(of), `"${2n * deposit}"`);
});

test.serial("call_other creates a call and a callback on this contract and returns the callback", (t) => {
  const o = call(new MapState(), "call_other", { account_id: "other.test.near", method: "ping", args: "{}" });
  t.is(o.error, undefined);
  t.is(o.newReceipts.length, 2);
  const [callee, callback] = o.newReceipts;
  t.is(callee.receiverId, "other.test.near");
  t.like(callee.actions[0], { kind: "FunctionCall", methodName: "ping", gas: 20n * TGAS, deposit: 0n });
  t.is(callback.receiverId, "contract.test.near");
  t.deepEqual(callback.inputReceiptIndices, [0]);
  t.like(callback.actions[0], { kind: "FunctionCall", methodName: "on_result" });
  t.deepEqual(o.returnData, { kind: "ReceiptIndex", index: 1 });
  t.true(o.usedGas - o.burntGas >= 40n * TGAS);
});

test.serial("the callback sees the promise result (successful or failed)", (t) => {
  const predecessorAccountId = "contract.test.near";
  const ok = call(
    new MapState(),
    "on_result",
    {},
    {
      predecessorAccountId,
      promiseResults: [{ status: "Successful", data: new TextEncoder().encode('"pong"') }],
    },
  );
  t.is(ok.error, undefined);
  t.is(returned(ok), '"ok:\\"pong\\""');
  const failed = call(
    new MapState(),
    "on_result",
    {},
    { predecessorAccountId, promiseResults: [{ status: "Failed" }] },
  );
  t.is(returned(failed), '"failed"');
  t.deepEqual(failed.logs, ["callee failed (1 result)"]);
});
