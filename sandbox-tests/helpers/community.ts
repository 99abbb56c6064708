// A live community as the factory creates it, for tests that need the whole suite: a factory that published the five
// codes from build/ to the global store (NEP-591), and a community created by one create_community transaction.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { NearAccount, TransactionResult, Worker } from "near-workspaces";
import { NEAR, ROOT, TGAS } from "./tx.ts";
import { GLOBAL_BYTE_COST } from "../../contracts/wire/units.ts";
export { GLOBAL_BYTE_COST } from "../../contracts/wire/units.ts";

export { NEAR, ROOT, TGAS };
export const DAO_CODE = "community-dao";
// The other suite contracts, in the factory's deploy order.
export const SUITE_CODES = ["dataset-registry", "model-registry", "inference-verifier", "reward-pool"] as const;
export type SuiteCode = (typeof SUITE_CODES)[number];
/** Every code a factory publishes, the DAO first (the factory requires it). */
export const FACTORY_CODES = [DAO_CODE, ...SUITE_CODES];

export const sha256Hex = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/** The code hash an account runs, its own or the global code's by hash (NEP-591), as the RPC shows it (base58). */
export async function codeHashOf(worker: Worker, account: string): Promise<string> {
  const v = (await worker.provider.viewAccount(account)) as { code_hash: string; global_contract_hash?: string };
  return v.global_contract_hash ?? v.code_hash;
}

export function wasmOf(name: string): Buffer {
  return readFileSync(join(ROOT, "build", `${name}.wasm`));
}

// publish_code's input: a one-line JSON header, a newline, the wasm.
export function codeInput(
  name: string,
  version: string,
  wasm: Uint8Array,
  extra: Record<string, unknown> = {},
): Uint8Array {
  return Buffer.concat([Buffer.from(`${JSON.stringify({ name, version, ...extra })}\n`), Buffer.from(wasm)]);
}

/** Publishes `wasm` as release `version` of code `name` (the owner attaches the burn); returns the outcome. */
export async function publishCode(
  factory: NearAccount,
  owner: NearAccount,
  name: string,
  version: string,
  wasm: Uint8Array,
  extra: Record<string, unknown> = {},
) {
  const r = await owner.callRaw(factory, "publish_code", codeInput(name, version, wasm, extra), {
    attachedDeposit: BigInt(wasm.length) * GLOBAL_BYTE_COST,
    gas: 300n * TGAS,
  });
  if (r.failed) throw new Error(`publish_code ${name}: ${r.receiptFailureMessages.join(" | ")}`);
  return r;
}

/** Gives `owner` what publishing these codes burns (~37 NEAR each), from `root`. */
export async function fundPublisher(root: NearAccount, owner: NearAccount, codes: readonly string[]): Promise<void> {
  const burn = codes.reduce((n, c) => n + BigInt(wasmOf(c).length) * GLOBAL_BYTE_COST, 0n);
  await root.transfer(owner, burn + 5n * NEAR);
}

/** Called with a transaction a helper sent and its label (e.g. "publish_code community-dao"); returns it. */
export type Recorder = (label: string, r: TransactionResult) => TransactionResult;

/**
 * A factory under `root` owned by `owner` that published the DAO and the four suite codes as release 1.0.0 (the
 * factory keeps no wasm: a small balance is enough). Each `publish_code <code>` goes to `record`.
 */
export async function deployFactory(
  root: NearAccount,
  owner: NearAccount,
  name = "commons",
  record: Recorder = (_label, r) => r,
): Promise<NearAccount> {
  const factory = await root.createSubAccount(name, { initialBalance: 10n * NEAR });
  await factory.deploy(wasmOf("community-factory"));
  await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 100n * TGAS });
  const codes = [DAO_CODE, ...SUITE_CODES];
  await fundPublisher(root, owner, codes);
  for (const code of codes)
    record(`publish_code ${code}`, await publishCode(factory, owner, code, "1.0.0", wasmOf(code)));
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
  const config = { name: `${name} commons`, purpose: "own our model", metadata: "" };
  return (await createCommunityWith(factory, creator, { name, config, council, initArgs })).ids;
}

/** The factory's quote for a community (get_required_deposit with its arguments). */
export interface Quote {
  deposit: string;
  gas: string;
  accounts_total: string;
}

/**
 * create_community with the factory's quote for exactly these arguments (its DAO's balance grows with the founders),
 * the transaction handed to `record` as "create_community"; throws unless the community is Ready.
 */
export async function createCommunityWith(
  factory: NearAccount,
  creator: NearAccount,
  c: {
    name: string;
    config: { name: string; purpose: string; metadata: string };
    council: NearAccount[];
    initArgs?: Record<string, unknown>;
  },
  record: Recorder = (_label, r) => r,
): Promise<{ ids: Record<string, string>; quote: Quote }> {
  const dao_args = {
    config: c.config,
    members: c.council.map((m) => ({ account_id: m.accountId, roles: ["council"] })),
  };
  const args = { name: c.name, dao_args, init_args: c.initArgs ?? {} };
  const quote = await factory.view<Quote>("get_required_deposit", args);
  const created = record(
    "create_community",
    await creator.callRaw(factory, "create_community", args, {
      attachedDeposit: BigInt(quote.deposit),
      gas: BigInt(quote.gas),
    }),
  );
  if (created.failed) throw new Error(`create_community: ${created.receiptFailureMessages.join(" | ")}`);
  const view = await factory.view<CommunityView>("get_community", { name: c.name });
  if (view.status !== "Ready") {
    const failed = view.contracts.filter((x) => x.status !== "Done").map((x) => `${x.code}: ${x.status}`);
    throw new Error(
      `create_community left ${c.name} ${view.status} (${failed.join(", ")}): ${created.logs.join(" | ")}`,
    );
  }
  return { ids: Object.fromEntries(view.contracts.map((x) => [x.code, x.account_id])), quote };
}
