// Where things live (project root, ~/.ai-commons, ~/.near-credentials), which network and signer a command uses,
// and a near-api-js connection with only the signer's key loaded (so a missing key is reported by file name).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Account,
  actions,
  baseDecode,
  JsonRpcProvider,
  KeyPair,
  KeyPairSigner,
  type KeyPairString,
  parseNearAmount,
} from "near-api-js";
import { CliError } from "./errors.ts";
import { type RpcEndpoint, rpcEndpoint } from "./networks.ts";
import * as units from "./units.ts";
import { accountIdProblem } from "./validate.ts";
import { TGAS } from "../../contracts/wire/units.ts";
export { NEAR, TGAS } from "../../contracts/wire/units.ts";

export type NetworkId = "local" | "testnet" | "mainnet";
export const NETWORKS: NetworkId[] = ["local", "testnet", "mainnet"];
export const LOCAL_ROOT = "test.near";
export const DEFAULT_LOCAL_PORT = 3033;

/** The project's package name: scoped, so `npx` outside the clone never runs another package (README, CLI). */
export const PACKAGE_NAME = "@ai-commons/suite";

/** The repository root: the nearest folder above this file (or its bundle) whose package.json is PACKAGE_NAME. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === PACKAGE_NAME) {
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new CliError("NO_PROJECT", "cannot find the ai-commons project folder above the CLI");
    dir = up;
  }
}

// homedir() follows $HOME, so tests isolate everything with a temporary HOME.
export const aiCommonsDir = () => join(homedir(), ".ai-commons");
export const credentialsDir = () => join(homedir(), ".near-credentials");
export const keyFile = (network: NetworkId, account: string) => join(credentialsDir(), network, `${account}.json`);

export interface UserConfig {
  // Factory account per network, written by `factory deploy`.
  factories?: Partial<Record<NetworkId, string>>;
  // RPC URL overrides per network (after the environment's NEAR_TESTNET_RPC / NEAR_MAINNET_RPC: networks.ts).
  rpc?: Partial<Record<NetworkId, string>>;
}

const configPath = () => join(aiCommonsDir(), "config.json");

export function readConfig(): UserConfig {
  return existsSync(configPath()) ? (JSON.parse(readFileSync(configPath(), "utf8")) as UserConfig) : {};
}

export function writeConfig(cfg: UserConfig): void {
  mkdirSync(aiCommonsDir(), { recursive: true });
  const tmp = `${configPath()}.${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(cfg, null, 2)}\n`);
  renameSync(tmp, configPath());
}

export function localPort(): number {
  return Number(process.env.AI_COMMONS_LOCAL_PORT ?? DEFAULT_LOCAL_PORT);
}

/** The RPC of a network and the headers it is sent (an API key): networks.ts. */
export function rpcOf(network: NetworkId): RpcEndpoint {
  const rpc = readConfig().rpc ?? {};
  return rpcEndpoint(network, process.env, { ...rpc, local: rpc.local ?? `http://127.0.0.1:${localPort()}` });
}

export function rpcUrl(network: NetworkId): string {
  return rpcOf(network).url;
}

export function parseNetwork(value: string | undefined): NetworkId {
  const n = value ?? "local";
  if (!NETWORKS.includes(n as NetworkId)) {
    throw new CliError("BAD_ARGS", `--network must be one of ${NETWORKS.join(", ")} (got ${n})`);
  }
  return n as NetworkId;
}

export interface KeySource {
  keyPair: KeyPair;
  file: string;
}

/** The signer's key: ~/.near-credentials/<network>/<account>.json, or on local for test.near the node's key file. */
export function loadKey(network: NetworkId, account: string, validatorKeyFile?: string): KeySource {
  const file = keyFile(network, account);
  const candidates = [file];
  if (network === "local" && account === LOCAL_ROOT && validatorKeyFile) candidates.push(validatorKeyFile);
  for (const f of candidates) {
    if (!existsSync(f)) continue;
    // a key file near-cli would write: {"account_id", "public_key", "private_key": "ed25519:..."}
    const bad = (why: string) =>
      new CliError(
        "BAD_KEY_FILE",
        `the key file ${f} (${account} on ${network}) ${why}; it should be near-cli's JSON ` +
          `{"account_id", "public_key", "private_key": "ed25519:..."}: restore it from your backup or add a key to ` +
          `${account} again`,
        f,
      );
    let j: { private_key?: unknown; secret_key?: unknown; account_id?: unknown };
    try {
      j = JSON.parse(readFileSync(f, "utf8"));
    } catch (e) {
      throw bad(`is not JSON (${(e as Error).message})`);
    }
    const secret = j?.private_key ?? j?.secret_key;
    if (typeof secret !== "string") throw bad("has no private_key");
    if (typeof j.account_id === "string" && j.account_id !== account) {
      throw bad(`is for ${j.account_id}, not ${account}`);
    }
    try {
      return { keyPair: KeyPair.fromString(secret as KeyPairString), file: f };
    } catch (e) {
      throw bad(`has a private_key that is not a key (${(e as Error).message})`);
    }
  }
  throw new CliError(
    "MISSING_KEY",
    `no key for ${account} on ${network}: looked for ${candidates.join(" and ")}. ` +
      (network === "local"
        ? `Create the account with \`ai-commons account create\`, which saves its key there`
        : `Log in with near-cli (\`near login\`, or near-cli-rs \`near account import-account\`), which saves it there`),
    candidates.join(", "),
  );
}

/**
 * The key file a new account's key will be written to, refused when one is already there: called before an account
 * is created too, so its key can always be saved (no key lost). Returns the file.
 */
export function assertNoKeyFile(network: NetworkId, account: string): string {
  const file = keyFile(network, account);
  if (existsSync(file)) {
    throw new CliError("KEY_EXISTS", `${file} already exists: move it away first (it is not ${account}'s new key)`);
  }
  return file;
}

/** Writes a key the way near-cli does (its JSON, mode 0600 in a 0700 folder); refuses to overwrite an existing one. */
export async function saveKey(network: NetworkId, account: string, keyPair: KeyPair): Promise<string> {
  const file = assertNoKeyFile(network, account);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const json = { account_id: account, public_key: keyPair.getPublicKey().toString(), private_key: keyPair.toString() };
  writeFileSync(file, `${JSON.stringify(json)}\n`, { mode: 0o600, flag: "wx" });
  return file;
}

/** A sub-account `name.<parent>` (or the full id `name`) with a new key, saved as near-cli does. */
export async function createSubAccount(
  network: NetworkId,
  chain: Chain,
  parent: Account,
  name: string,
  balance: bigint,
) {
  const id = name.includes(".") ? name : `${name}.${parent.accountId}`;
  const why = accountIdProblem(id);
  if (why) throw new CliError("BAD_ARGS", `account create: ${id} is not a NEAR account id (${why})`);
  // only a sub-account: anything else would go through a top-level account's create_account, whose failure is a
  // successful transaction returning false
  if (!id.endsWith(`.${parent.accountId}`)) {
    throw new CliError("BAD_ARGS", `account create: ${id} is not a sub-account of the signer ${parent.accountId}`);
  }
  if (await accountExists(chain, id)) throw new CliError("ACCOUNT_EXISTS", `${id} already exists on ${network}`);
  // the key is saved after the account exists: refuse before sending if it could not be (no key lost)
  assertNoKeyFile(network, id);
  const kp = KeyPair.fromRandom("ed25519");
  await parent.createAccount({ newAccountId: id, publicKey: kp.getPublicKey(), nearToTransfer: balance });
  const file = await saveKey(network, id, kp);
  return { account_id: id, balance: balance.toString(), key_file: file };
}

/** A transaction's final outcome (near-api-js 7: the RPC's `tx` answer, with the receipts' outcomes). */
export type Outcome = Awaited<ReturnType<Account["callFunctionRaw"]>>;

export interface Chain {
  network: NetworkId;
  url: string;
  provider: JsonRpcProvider;
}

export function connect(network: NetworkId): Chain {
  const { url, headers } = rpcOf(network);
  return { network, url, provider: new JsonRpcProvider({ url, headers }) };
}

/** A failed transaction: nearcore's failure (the message: a contract's panic text, else the failure as JSON, where
 * errors.ts finds an ERR_ code) and the transaction's hash, so every failure the CLI reports can be looked up. */
export class FailedTransaction extends Error {
  constructor(
    readonly failure: unknown,
    readonly txHash: string,
  ) {
    super(failureText(failure));
  }
}

// nearcore's failure in words: a contract's panic text as it is ("Smart contract panicked: ERR_X: detail"), a missing
// account as near-api-js words it (errors.ts maps it to UNKNOWN_ACCOUNT), any other kind by its name and fields.
function failureText(failure: unknown): string {
  const find = (v: unknown, key: string): unknown => {
    if (typeof v !== "object" || v === null) return undefined;
    if (key in v) return (v as Record<string, unknown>)[key];
    for (const x of Object.values(v)) {
      const found = find(x, key);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const panic = find(failure, "ExecutionError");
  if (typeof panic === "string") return panic;
  const missing = find(failure, "AccountDoesNotExist") as { account_id?: string } | undefined;
  if (missing?.account_id) return `account ${missing.account_id} doesn't exist`;
  const kind = find(failure, "kind");
  const shown = typeof kind === "object" && kind !== null ? kind : failure;
  return `transaction failed: ${JSON.stringify(shown)}`;
}

// near-api-js 7 turns a failed function call into an error without its transaction hash; this account keeps it.
class CliAccount extends Account {
  override async callFunctionRaw(p: Parameters<Account["callFunctionRaw"]>[0]): Promise<Outcome> {
    const outcome = await this.signAndSendTransaction({
      receiverId: p.contractId,
      actions: [actions.functionCall(p.methodName, p.args ?? {}, BigInt(p.gas ?? 30n * TGAS), BigInt(p.deposit ?? 0n))],
      waitUntil: p.waitUntil,
      throwOnFailure: false,
    });
    const status = outcome.status as { Failure?: unknown };
    if (typeof status === "object" && status !== null && status.Failure !== undefined) {
      throw new FailedTransaction(status.Failure, outcome.transaction_outcome.id);
    }
    return outcome;
  }
}

/** The signer's account, signing with its key only (so a missing key is reported by file name, see loadKey). */
export async function signer(chain: Chain, account: string, validatorKeyFile?: string): Promise<Account> {
  const { keyPair } = loadKey(chain.network, account, validatorKeyFile);
  return new CliAccount(account, chain.provider, new KeyPairSigner(keyPair));
}

/** A view call's result, parsed from JSON. */
export async function view<T>(chain: Chain, contractId: string, method: string, args: object = {}): Promise<T> {
  return (await chain.provider.callFunction({ contractId, method, args: args as Record<string, unknown> })) as T;
}

/** Every page of a paginated view (`from_index`, `limit` 100). */
export async function allPages<T>(chain: Chain, contractId: string, method: string): Promise<T[]> {
  const out: T[] = [];
  for (let from = 0; ; from += 100) {
    const page = await view<T[]>(chain, contractId, method, { from_index: from, limit: 100 });
    out.push(...page);
    if (page.length < 100) return out;
  }
}

export async function accountExists(chain: Chain, accountId: string): Promise<boolean> {
  try {
    await chain.provider.query({ request_type: "view_account", finality: "optimistic", account_id: accountId });
    return true;
  } catch (e) {
    if (/does not exist|doesn.t exist|UNKNOWN_ACCOUNT/.test(String((e as Error).message))) return false;
    throw e;
  }
}

/** sha256 (hex) of the code deployed on an account, or null when it has none. */
export async function codeHashHex(chain: Chain, accountId: string): Promise<string | null> {
  const r = (await chain.provider.query({
    request_type: "view_account",
    finality: "optimistic",
    account_id: accountId,
  })) as unknown as { code_hash: string; global_contract_hash?: string };
  // an account on global code by hash (NEP-591) shows the empty code hash and names the global one
  const hash = r.global_contract_hash ?? r.code_hash;
  if (hash === "11111111111111111111111111111111") return null;
  return Buffer.from(baseDecode(hash)).toString("hex");
}

/** The size in bytes of the code an account runs, its own or global (0 without code). */
export async function codeBytes(chain: Chain, accountId: string): Promise<number> {
  if ((await codeHashHex(chain, accountId)) === null) return 0;
  const r = (await chain.provider.query({
    request_type: "view_code",
    finality: "optimistic",
    account_id: accountId,
  })) as unknown as { code_base64: string };
  return Buffer.from(r.code_base64, "base64").length;
}

/** Decoded return value of a successful transaction (JSON when it parses, else the text). */
export function resultOf<T = unknown>(outcome: Outcome): T {
  const s = outcome.status as { SuccessValue?: string };
  if (typeof s === "object" && s.SuccessValue !== undefined) {
    const text = Buffer.from(s.SuccessValue, "base64").toString();
    if (text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
  }
  return undefined as T;
}

/** A NEAR amount for people (units.ts: at most 5 decimals, cut; tiny amounts not shown as 0). */
export const formatNear = (yocto: string | bigint) => units.near(yocto);

export function parseNear(value: string, flag: string): bigint {
  const y = /^\d+(\.\d+)?$/.test(value) ? parseNearAmount(value as `${number}`) : null;
  if (y === null) throw new CliError("BAD_ARGS", `${flag} must be an amount of NEAR like 1.5 (got ${value})`);
  return BigInt(y);
}
