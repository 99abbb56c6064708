// Shared set-up for the registry stories: both registries deployed from build/, a plain account acting as the
// community DAO, input factories, and `refuse`, which asserts an exact ERR_ code with both registries' storage and
// the caller's balance (less the gas it burnt) unchanged.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import binaryen from "binaryen";
import type { NearAccount, TransactionResult, Worker } from "near-workspaces";
import type { Creator, DatasetInput } from "../../contracts/wire/datasets.ts";
import { assertPanics, burnt, failureText, NEAR, ROOT, TGAS, total } from "../helpers/tx.ts";

export {
  assertPanics,
  BYTE_COST,
  burnt,
  events,
  failureText,
  gasOf,
  NEAR,
  type NepEvent,
  panicCodes,
  ROOT,
  TGAS,
  tgas,
  total,
} from "../helpers/tx.ts";

export function sha(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

// the registry's argument shapes are the protocol's (contracts/wire/datasets.ts)
export type { Creator, DatasetInput };

export function datasetInput(name: string, version: string, creators: Creator[], over: Partial<DatasetInput> = {}) {
  return {
    name,
    version,
    content_sha256: sha(`content ${name}@${version}`),
    size_bytes: "123456789",
    uris: [`ipfs://bafy${name}${version}`, `https://data.example.org/${name}/${version}.tar`],
    license: "CC-BY-4.0",
    datasheet_sha256: sha(`datasheet ${name}@${version}`),
    creators,
    ...over,
  };
}

export function modelInput(name: string, version: string, manifestId: number, over: Record<string, unknown> = {}) {
  return {
    name,
    version,
    weights_sha256: sha(`weights ${name}@${version}`),
    framework: "pytorch 2.3",
    architecture: "llama-3 8B",
    training_manifest_id: manifestId,
    training_code_sha256: sha(`code ${name}`),
    parent: null,
    evaluations: [{ benchmark: "mmlu", metric: "accuracy", value: "0.642", dataset_sha256: null }],
    license: "Apache-2.0",
    ...over,
  };
}

/** A wasm with no-op set_active_model / clear_active_model (or ones that trap): a stand-in inference verifier. */
export function stubVerifierWasm(trap = false): Uint8Array {
  const body = trap ? "(unreachable)" : "(nop)";
  const mod = binaryen.parseText(
    `(module (func (export "set_active_model") ${body}) (func (export "clear_active_model") ${body}))`,
  );
  const bytes = mod.emitBinary();
  mod.dispose();
  return bytes;
}

export interface Suite {
  dao: NearAccount;
  datasets: NearAccount;
  models: NearAccount;
}

let suiteCount = 0;

/** Deploys both registries under fresh accounts, with `dao` as the community DAO. */
export async function deploySuite(
  root: NearAccount,
  opts: { verifier_id?: string | null; dao?: NearAccount } = {},
): Promise<Suite> {
  suiteCount += 1;
  const n = suiteCount;
  const dao = opts.dao ?? (await root.createSubAccount(`dao${n}`, { initialBalance: 300n * NEAR }));
  const datasets = await root.createSubAccount(`datasets${n}`, { initialBalance: 20n * NEAR });
  const models = await root.createSubAccount(`models${n}`, { initialBalance: 20n * NEAR });
  await datasets.deploy(readFileSync(join(ROOT, "build", "dataset-registry.wasm")));
  await models.deploy(readFileSync(join(ROOT, "build", "model-registry.wasm")));
  await datasets.call(datasets, "init", { dao_id: dao.accountId, model_registry_id: models.accountId });
  await models.call(models, "init", {
    dao_id: dao.accountId,
    dataset_registry_id: datasets.accountId,
    verifier_id: opts.verifier_id ?? null,
  });
  return { dao, datasets, models };
}

/** Both registries' full storage (every key and value), to show a refused call changed nothing. */
export async function storageOf(worker: Worker, s: Suite): Promise<string> {
  const dump = async (a: NearAccount) =>
    (await worker.provider.viewState(a.accountId, ""))
      .map(({ key, value }) => `${key.toString("base64")}=${value.toString("base64")}`)
      .sort()
      .join("\n");
  return `${await dump(s.datasets)}\n--\n${await dump(s.models)}`;
}

export interface CallOpts {
  deposit?: bigint;
  gas?: bigint;
}

export async function callRaw(
  from: NearAccount,
  contract: NearAccount,
  method: string,
  args: Record<string, unknown>,
  opts: CallOpts = {},
): Promise<TransactionResult> {
  return from.callRaw(contract, method, args, { attachedDeposit: opts.deposit ?? 0n, gas: opts.gas ?? 100n * TGAS });
}

/** Calls, expects a panic with exactly `code`, and checks storage and the caller's balance less gas are unchanged. */
export async function refuse(
  t: ExecutionContext,
  worker: Worker,
  s: Suite,
  from: NearAccount,
  contract: NearAccount,
  method: string,
  args: Record<string, unknown>,
  code: string,
  opts: CallOpts = {},
): Promise<TransactionResult> {
  const stateBefore = await storageOf(worker, s);
  const balanceBefore = await total(from);
  const r = await callRaw(from, contract, method, args, opts);
  assertPanics(t, r, code);
  t.is(await storageOf(worker, s), stateBefore, `${method} -> ${code}: storage changed`);
  t.is(await total(from), balanceBefore - burnt(r), `${method} -> ${code}: balance changed beyond gas`);
  return r;
}

/** Calls and throws with the failure messages when the call failed. */
export async function ok(
  from: NearAccount,
  contract: NearAccount,
  method: string,
  args: Record<string, unknown>,
  opts: CallOpts = {},
): Promise<TransactionResult> {
  const r = await callRaw(from, contract, method, args, opts);
  if (r.failed) throw new Error(`${method} failed: ${failureText(r)}`);
  return r;
}
