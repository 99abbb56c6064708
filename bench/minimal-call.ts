// A minimal near-sdk-js call reported the way near-sdk-js's own benchmark reports it (near/near-sdk-js bench/README.md,
// 2023: "Gas used to convert transaction to receipt", "... to execute the receipt", each cost of the receipt's gas
// profile, "... to refund unused gas", total), next to the published figures for its "JS highlevel minimal
// contract", with the reason for each difference. The contract is the toolchain's @NearBindgen fixture
// (build/fixture.wasm), the call `set_greeting`: read STATE, log, write STATE, like the published one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { must, NEAR, ROOT, TGAS, type Worker } from "./lib.ts";

export interface MinimalCall {
  wasm_bytes: number;
  convert: number;
  execute: number;
  refund: number;
  total: number;
  /** the executed receipt's gas profile: cost name -> gas */
  profile: Record<string, number>;
}

/** near-sdk-js bench/README.md (2023), "JS highlevel minimal contract", in gas. */
export const PUBLISHED_2023 = {
  convert: 2.43e12,
  execute: 8.39e12,
  refund: 223.18e9,
  total: 11.05e12,
  profile: {
    CONTRACT_LOADING_BYTES: 112.03e9,
    TOUCHING_TRIE_NODE: 48.31e9,
    READ_CACHED_TRIE_NODE: 6.84e9,
    STORAGE_READ_BASE: 56.36e9,
    STORAGE_WRITE_BASE: 64.2e9,
    WASM_INSTRUCTION: 5.66e12,
  } as Record<string, number>,
};

type Outcome = {
  executor_id: string;
  gas_burnt: number;
  metadata?: { gas_profile?: { cost: string; gas_used: string }[] };
};

export async function minimalCall(worker: Worker): Promise<MinimalCall> {
  const wasm = readFileSync(join(ROOT, "build", "fixture.wasm"));
  const contract = await worker.rootAccount.createSubAccount("minimal", { initialBalance: 10n * NEAR });
  await contract.deploy(wasm);
  must("init", await contract.callRaw(contract, "init", { greeting: "hello" }, { gas: 30n * TGAS }));
  const caller = await worker.rootAccount.createSubAccount("caller", { initialBalance: 10n * NEAR });
  // a second call, as the published figures are: STATE exists and the contract is loaded once before
  must("warm-up", await caller.callRaw(contract, "set_greeting", { greeting: "hi" }, { gas: 30n * TGAS }));
  const r = must(
    "set_greeting",
    await caller.callRaw(contract, "set_greeting", { greeting: "hey" }, { gas: 30n * TGAS }),
  );
  const outcomes = (r.result.receipts_outcome as unknown as { outcome: Outcome }[]).map((o) => o.outcome);
  const executed = outcomes.find((o) => o.executor_id === contract.accountId);
  if (!executed) throw new Error("no receipt at the contract");
  const refund = outcomes.filter((o) => o !== executed).reduce((n: number, o: Outcome) => n + Number(o.gas_burnt), 0);
  const profile: Record<string, number> = {};
  for (const c of executed.metadata?.gas_profile ?? []) profile[c.cost] = (profile[c.cost] ?? 0) + Number(c.gas_used);
  const convert = Number(r.result.transaction_outcome.outcome.gas_burnt);
  return {
    wasm_bytes: wasm.length,
    convert,
    execute: Number(executed.gas_burnt),
    refund,
    total: convert + Number(executed.gas_burnt) + refund,
    profile,
  };
}

const t = (gas: number) => `${(gas / 1e12).toFixed(2)}T`;
const g = (gas: number) => `${(gas / 1e9).toFixed(2)}G`;

/** The report as near-sdk-js prints it, with the published 2023 figure beside each line. */
export function minimalCallReport(m: MinimalCall): string[] {
  const P = PUBLISHED_2023;
  const lines = [
    `Gas used to convert transaction to receipt: ${t(m.convert)} (2023: ${t(P.convert)})`,
    `Gas used to execute the receipt (actual contract call): ${t(m.execute)} (2023: ${t(P.execute)})`,
  ];
  for (const [cost, gas] of Object.entries(m.profile).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const was = P.profile[cost];
    lines.push(
      `   ${cost}: ${gas >= 1e12 ? t(gas) : g(gas)}${was === undefined ? "" : ` (2023: ${was >= 1e12 ? t(was) : g(was)})`}`,
    );
  }
  lines.push(`Gas used to refund unused gas: ${g(m.refund)} (2023: ${g(P.refund)})`);
  lines.push(`Total gas used: ${t(m.total)} (2023: ${t(P.total)})`);
  return lines;
}

/** Why each figure differs from 2023's (protocol 62-ish, near-vm, near-sdk-js 0.7 and its QuickJS build). */
export const MINIMAL_CALL_REASONS = [
  "convert: protocol 66 (res/runtime_configs/66.yaml) cut the function_call send fee from 2.32 Tgas to 0.2 Tgas; the " +
    "rest (new_action_receipt, per byte of method and args) is the same.",
  "execute: the same cut took the function_call execution fee from 2.32 to 0.78 Tgas (FUNCTION_CALL_BASE above; the " +
    "2023 profile did not list action costs), which more than offsets the rises below.",
  "WASM_INSTRUCTION: a different QuickJS/near-sdk-js build (2.0.0, this project's lean runtime) and fixture class, " +
    "and protocol 84's Wasmtime metering (finite-wasm): each function call pays its stack frame and every loop " +
    "iteration is charged, about 1.2x the protocol-77 instruction gas for QuickJS.",
  "CONTRACT_LOADING_BYTES: 216,750 gas per byte in 2023, 1,089,295 since protocol 66; the fixture is 327 KB.",
  "TOUCHING_TRIE_NODE: 16.1 Ggas per node in 2023, 2.28 Ggas since protocol 82; the local node counts trie nodes " +
    "as nearcore 2.13 does (each written key's path in the trie of the state, reads free; docs/trie-nodes-plan.md).",
  "refund: the same transfer receipt (new_action_receipt + transfer exec fees, 223.18 Ggas reported, none burnt).",
];
