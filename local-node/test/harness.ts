// Test harness: starts the built local node (dist/near-sandbox) as a child process on a free port with its
// own home, talks JSON-RPC to it, and signs transactions with near-api-js's primitives.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as nearCrypto from "near-js-crypto-2";
import * as nearTransactions from "near-js-transactions-2";
import bs58 from "bs58";

// biome-ignore lint/suspicious/noExplicitAny: the packages' ESM typings cannot be resolved under nodenext
type Any = any;
const { KeyPair } = nearCrypto as Any;
export const tx = nearTransactions as Any;
export const actions = tx.actionCreators as Any;

const localNode = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BIN = join(localNode, "dist", "near-sandbox");
export const NEAR = 10n ** 24n;
export const GAS_PRICE = 100_000_000n;
export const TGAS = 10n ** 12n;

let built = false;
/** Builds dist once per test process (build.mjs is idempotent and renames atomically). */
export function buildOnce(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [join(localNode, "build.mjs")], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  built = true;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RpcReply {
  result?: Any;
  error?: Any;
  status: number;
}

export interface NodeHandle {
  url: string;
  home: string;
  proc: ChildProcess;
  root: Signer;
  rpc(method: string, params: unknown): Promise<RpcReply>;
  /** result or throw */
  call(method: string, params: unknown): Promise<Any>;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export async function rpcAt(url: string, method: string, params: unknown): Promise<RpcReply> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: "t", method, params }),
  });
  const text = await res.text();
  return { ...(JSON.parse(text) as object), status: res.status };
}

const createdHomes: string[] = [];
// homes outlive a stopped node (restart tests reuse them); they go when the test process ends
process.once("exit", () => {
  for (const h of createdHomes) rmSync(h, { recursive: true, force: true });
});

/** Starts a node; with `home` it reuses (restarts on) an existing home folder. */
export async function startNode(home?: string, env: Record<string, string> = {}): Promise<NodeHandle> {
  buildOnce();
  const dir = home ?? mkdtempSync(join(tmpdir(), "local-node-test-"));
  if (!home) {
    createdHomes.push(dir);
    const r = spawnSync(BIN, ["--home", dir, "init"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  }
  const port = await freePort();
  const proc = spawn(BIN, ["--home", dir, "run", "--rpc-addr", `0.0.0.0:${port}`, "--network-addr", "0.0.0.0:1"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env },
  });
  let stderr = "";
  proc.stderr?.on("data", (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await rpcAt(url, "block", { finality: "final" });
      if (r.result) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`node did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const key = JSON.parse(readFileSync(join(dir, "validator_key.json"), "utf8"));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const handle: NodeHandle = {
    url,
    home: dir,
    proc,
    root: undefined as unknown as Signer,
    rpc: (m, p) => rpcAt(url, m, p),
    call: async (m, p) => {
      const r = await rpcAt(url, m, p);
      if (r.error) throw new Error(`${m}: ${JSON.stringify(r.error)}`);
      return r.result;
    },
    stop: async () => {
      if (proc.exitCode === null) proc.kill("SIGINT");
      await exited;
    },
    kill9: async () => {
      if (proc.exitCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
  handle.root = new Signer(handle, "test.near", KeyPair.fromString(key.secret_key));
  return handle;
}

export function randomKey(): Any {
  return KeyPair.fromRandom("ed25519");
}

export interface SendOptions {
  nonce?: bigint;
  blockHash?: Uint8Array;
  waitUntil?: string;
  keyPair?: Any;
  /** tamper with the signed bytes before sending */
  mutate?: (bytes: Uint8Array) => Uint8Array;
}

/** Signs and sends transactions for one account. */
export class Signer {
  constructor(
    readonly node: NodeHandle,
    readonly accountId: string,
    readonly keyPair: Any,
  ) {}

  get publicKey(): string {
    return this.keyPair.getPublicKey().toString();
  }

  async nonce(keyPair = this.keyPair): Promise<bigint> {
    const r = await this.node.call("query", {
      request_type: "view_access_key",
      finality: "final",
      account_id: this.accountId,
      public_key: keyPair.getPublicKey().toString(),
    });
    return BigInt(r.nonce);
  }

  async sign(receiverId: string, acts: Any[], opts: SendOptions = {}): Promise<{ bytes: Uint8Array; hash: string }> {
    const kp = opts.keyPair ?? this.keyPair;
    const block = await this.node.call("block", { finality: "final" });
    const nonce = opts.nonce ?? (await this.nonce(kp)) + 1n;
    const blockHash = opts.blockHash ?? bs58.decode(block.header.hash);
    const t = tx.createTransaction(this.accountId, kp.getPublicKey(), receiverId, nonce, acts, blockHash);
    const encoded = tx.encodeTransaction(t);
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", encoded));
    const sig = kp.sign(hash);
    const signed = new tx.SignedTransaction({
      transaction: t,
      signature: new tx.Signature({ keyType: kp.getPublicKey().keyType, data: sig.signature }),
    });
    return { bytes: signed.encode(), hash: bs58.encode(hash) };
  }

  /** Sends with send_tx; returns the raw JSON-RPC reply. */
  async send(receiverId: string, acts: Any[], opts: SendOptions = {}): Promise<RpcReply & { hash: string }> {
    const { bytes, hash } = await this.sign(receiverId, acts, opts);
    const body = opts.mutate ? opts.mutate(bytes) : bytes;
    const r = await this.node.rpc("send_tx", {
      signed_tx_base64: Buffer.from(body).toString("base64"),
      wait_until: opts.waitUntil ?? "EXECUTED_OPTIMISTIC",
    });
    return { ...r, hash };
  }

  /** Sends and expects an executed outcome (status may still be a Failure). */
  async exec(receiverId: string, acts: Any[], opts: SendOptions = {}): Promise<Any> {
    const r = await this.send(receiverId, acts, opts);
    if (r.error) throw new Error(`send_tx failed: ${JSON.stringify(r.error)}`);
    return r.result;
  }
}

export async function account(node: NodeHandle, id: string): Promise<Any> {
  return node.call("query", { request_type: "view_account", finality: "final", account_id: id });
}

export async function balance(node: NodeHandle, id: string): Promise<bigint> {
  return BigInt((await account(node, id)).amount);
}

/** Creates `name` as a sub-account of the signer with a fresh full-access key. */
export async function createAccount(parent: Signer, name: string, amount = 10n * NEAR): Promise<Signer> {
  const kp = randomKey();
  const r = await parent.exec(name, [
    actions.createAccount(),
    actions.transfer(amount),
    actions.addKey(kp.getPublicKey(), actions.fullAccessKey()),
  ]);
  if (!("SuccessValue" in r.status)) throw new Error(`create ${name} failed: ${JSON.stringify(r.status)}`);
  return new Signer(parent.node, name, kp);
}

/** A fresh node with sub-accounts of test.near (`{ alice: 50n * NEAR }` -> alice.test.near), for a test file. */
export async function startNodeWith<K extends string>(
  balances: Record<K, bigint>,
): Promise<{ node: NodeHandle; accounts: Record<K, Signer> }> {
  const node = await startNode();
  const accounts = {} as Record<K, Signer>;
  for (const [name, amount] of Object.entries(balances) as [K, bigint][]) {
    accounts[name] = await createAccount(node.root, `${name}.test.near`, amount);
  }
  return { node, accounts };
}

/** The InvalidTxError object inside a send_tx error reply. */
export function invalidTx(r: RpcReply): Any {
  return r.error?.data?.TxExecutionError?.InvalidTxError;
}
