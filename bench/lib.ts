// Shared pieces of the benchmark: the local node (near-workspaces on local-node/dist), gas sums over a whole
// receipt tree, storage readings and small chain helpers. Everything here is node-side; nothing is timed.
import "../sandbox-tests/helpers/env.ts";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import nearWorkspaces, { type NearAccount, type TransactionResult, type Worker } from "near-workspaces";

// units, gas sums and events: the sandbox tests' helpers (BYTE_COST is NEAR's storage price, 10^19 yocto a byte)
export {
  BYTE_COST,
  events as eventsOf,
  gasOf,
  NEAR,
  ROOT,
  SEC,
  TGAS,
} from "../sandbox-tests/helpers/tx.ts";
// nearcore counts each stored key/value pair as key + value + 40 bytes (num_extra_bytes_record).
export const RECORD_OVERHEAD = 40;

// near-api-js prints every receipt's logs through its Logger (the CommonJS copy near-workspaces loads).
const { Logger } = createRequire(import.meta.url)("@near-js/utils") as {
  Logger: { overrideLogger(logger: undefined): void };
};
Logger.overrideLogger(undefined);
process.env.NEAR_WORKSPACES_NO_LOGS = "1";

export async function startWorker(): Promise<Worker> {
  return nearWorkspaces.Worker.init();
}

export async function stopWorker(worker: Worker): Promise<void> {
  await worker.tearDown();
  // near-workspaces' own `rm` is a non-recursive fs.rm that fails on the home folder
  const home = (worker as unknown as { config?: { homeDir?: string } }).config?.homeDir;
  if (home) rmSync(home, { recursive: true, force: true });
}

export function failure(r: TransactionResult): string {
  return r.receiptFailureMessages.join(" | ").slice(0, 500);
}

/** Throws with the failure messages when any receipt failed (a bench must never record a failed call's gas). */
export function must(label: string, r: TransactionResult): TransactionResult {
  if (r.failed) throw new Error(`${label} failed: ${failure(r)}`);
  return r;
}

export async function storageUsage(worker: Worker, accountId: string): Promise<number> {
  const a = await worker.provider.viewAccount(accountId);
  return Number(a.storage_usage);
}

export interface StateRecord {
  key: Buffer;
  value: Buffer;
}

export async function stateOf(worker: Worker, accountId: string): Promise<StateRecord[]> {
  return (await worker.provider.viewState(accountId, "")).map(({ key, value }) => ({ key, value }));
}

export async function chainNow(worker: Worker): Promise<bigint> {
  const provider = worker.provider as unknown as {
    block(q: { finality: string }): Promise<{ header: { timestamp_nanosec: string } }>;
  };
  return BigInt((await provider.block({ finality: "final" })).header.timestamp_nanosec);
}

/** Moves the chain clock on by `blocks` x 1.3 s (the local node's sandbox_fast_forward). */
export async function fastForward(worker: Worker, blocks: number): Promise<void> {
  await worker.provider.fastForward(blocks);
}

export type { NearAccount, TransactionResult, Worker };

/** Where a transaction's gas went: "tx 0.31 + dao 10.02 + founder 0.22 ..." (Tgas per receipt, in outcome order). */
export function gasParts(r: TransactionResult): string {
  const short = (id: string) => id.replace(/\.commons\.test\.near$/, "").replace(/\.test\.near$/, "");
  const parts = [`tx ${(Number(r.result.transaction_outcome.outcome.gas_burnt) / 1e12).toFixed(2)}`];
  for (const o of r.result.receipts_outcome) {
    parts.push(`${short(o.outcome.executor_id)} ${(Number(o.outcome.gas_burnt) / 1e12).toFixed(2)}`);
  }
  return parts.join(" + ");
}
