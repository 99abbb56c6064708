// A live community as the factory creates it, for tests that need the whole suite: a factory holding the six codes
// from build/, and a community created through create_community + deploy_next until Ready.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { NearAccount, Worker } from "near-workspaces";
import { NEAR, ROOT, TGAS } from "./tx.ts";

export { NEAR, ROOT, TGAS };
export const DAO_CODE = "community-dao";
// The other suite contracts, in the factory's deploy order.
export const SUITE_CODES = ["dataset-registry", "model-registry", "inference-verifier", "reward-pool"] as const;
export type SuiteCode = (typeof SUITE_CODES)[number];

export const sha256Hex = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/** The code hash an account runs, as the RPC shows it (base58 of the sha256). */
export async function codeHashOf(worker: Worker, account: string): Promise<string> {
  return (await worker.provider.viewAccount(account)).code_hash;
}

export function wasmOf(name: string): Buffer {
  return readFileSync(join(ROOT, "build", `${name}.wasm`));
}

// store_code's input: a one-line JSON header, a newline, the wasm.
export function codeInput(name: string, version: string, wasm: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from(`${JSON.stringify({ name, version })}\n`), Buffer.from(wasm)]);
}

export async function storeCode(factory: NearAccount, owner: NearAccount, name: string, version: string, wasm: Buffer) {
  const r = await owner.callRaw(factory, "store_code", codeInput(name, version, wasm), {
    attachedDeposit: 1n,
    gas: 300n * TGAS,
  });
  if (r.failed) throw new Error(`store_code ${name}: ${r.receiptFailureMessages.join(" | ")}`);
}

/** A factory under `root` owned by `owner`, holding the DAO and the four suite codes as version 1.0.0. */
export async function deployFactory(root: NearAccount, owner: NearAccount, name = "commons"): Promise<NearAccount> {
  const factory = await root.createSubAccount(name, { initialBalance: 80n * NEAR });
  await factory.deploy(wasmOf("community-factory"));
  await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 100n * TGAS });
  for (const code of [DAO_CODE, ...SUITE_CODES]) await storeCode(factory, owner, code, "1.0.0", wasmOf(code));
  return factory;
}

export interface CommunityView {
  name: string;
  status: string;
  dao_id: string;
  contracts: { code: string; account_id: string; status: string; version: string | null; sha256: string | null }[];
}

/** Creates community `name` with `council` as its founding council and deploys it to Ready; returns code -> id. */
export async function createCommunity(
  factory: NearAccount,
  creator: NearAccount,
  name: string,
  council: NearAccount[],
  initArgs: Record<string, unknown> = {},
): Promise<Record<string, string>> {
  const { accounts_total } = await factory.view<{ accounts_total: string }>("get_required_deposit");
  const dao_args = {
    config: { name: `${name} commons`, purpose: "own our model", metadata: "" },
    members: council.map((m) => ({ account_id: m.accountId, roles: ["council"] })),
  };
  const created = await creator.callRaw(
    factory,
    "create_community",
    { name, dao_args, init_args: initArgs },
    { attachedDeposit: BigInt(accounts_total) + NEAR, gas: 300n * TGAS },
  );
  if (created.failed) throw new Error(`create_community: ${created.receiptFailureMessages.join(" | ")}`);
  for (;;) {
    const view = await factory.view<CommunityView>("get_community", { name });
    if (view.status === "Ready") return Object.fromEntries(view.contracts.map((c) => [c.code, c.account_id]));
    const r = await creator.callRaw(factory, "deploy_next", { name }, { gas: 300n * TGAS });
    if (r.failed) throw new Error(`deploy_next: ${r.receiptFailureMessages.join(" | ")}`);
  }
}
