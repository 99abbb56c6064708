// The chain as the app sees it: one network's RPC (the local node through `npm run web`'s /rpc/local, testnet and
// mainnet directly at the endpoints of scripts/cli/networks.ts), view calls, pages, the chain's time, and who signs.
//
// Signing goes through `Wallet`, one interface with two sides: the development sign-in (a local account's key from
// the dev server, signed here with near-api-js) and NEAR Wallet Selector on testnet and mainnet (wallet-selector.ts).
import { Account, JsonRpcProvider, KeyPair, KeyPairSigner, type KeyPairString } from "near-api-js";
import { contractErrorOf, meaningOf, networkProblem } from "../../scripts/cli/errors.ts";
import { DEFAULT_RPC, type NetworkName } from "../../scripts/cli/networks.ts";
import type { ContractName } from "../../contracts/wire/contracts.ts";

export type { NetworkName };
export const NETWORKS: NetworkName[] = ["local", "testnet", "mainnet"];
export const PAGE = 10;

export function rpcUrl(network: NetworkName): string {
  return network === "local" ? new URL("rpc/local", document.baseURI).href : DEFAULT_RPC[network];
}

export class Chain {
  readonly provider: JsonRpcProvider;
  constructor(
    readonly network: NetworkName,
    readonly url = rpcUrl(network),
  ) {
    this.provider = new JsonRpcProvider({ url });
  }

  async view<T>(contractId: string, method: string, args: Record<string, unknown> = {}): Promise<T> {
    return (await this.provider.callFunction({ contractId, method, args })) as T;
  }

  /** One JSON-RPC call as it is (the events feed's block reads, event-scan.ts): the result, or an Error naming the cause. */
  async rpc(method: string, params: Record<string, unknown>): Promise<unknown> {
    const r = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: "ai-commons", method, params }),
    });
    const j = (await r.json()) as {
      result?: unknown;
      error?: string | { name?: string; cause?: { name?: string }; message?: string; data?: unknown };
    };
    if (typeof j.error === "string") throw new Error(j.error);
    if (j.error) {
      const e = j.error;
      throw new Error(
        `${e.cause?.name ?? e.name ?? "RPC_ERROR"}: ${e.message ?? ""} ${typeof e.data === "string" ? e.data : ""}`,
      );
    }
    return j.result;
  }

  /** The chain's time (the latest block's timestamp, ns): "in 3 h" is measured from it, as the CLI does. */
  async now(): Promise<bigint> {
    const b = await this.provider.viewBlock({ finality: "optimistic" });
    return BigInt(b.header.timestamp_nanosec ?? b.header.timestamp);
  }
}

/** One transaction as it is shown before it is sent: what it does, where, and what it attaches. */
export interface Tx {
  what: string;
  contractId: string;
  methodName: string;
  args: Record<string, unknown>;
  gas: bigint;
  deposit: bigint;
  /** the suite contract called, by code name: its refusals are explained as it means them (default: the DAO) */
  contract?: ContractName;
  /** more figures shown before signing, e.g. what a proposal will take from the treasury: [label, value, test id] */
  details?: [string, string, string?][];
  /** a plain transfer of `deposit` to `contractId` (a donation to a treasury): no method, no arguments, no gas */
  transfer?: boolean;
}

export interface Sent {
  hash: string;
  /** the call's return value (JSON when it parses) */
  value: unknown;
}

export interface Wallet {
  accountId: string;
  /** "development" on the local node's dev sign-in */
  kind: "development" | "wallet";
  send(tx: Tx): Promise<Sent>;
  /** forgets the sign-in where the wallet keeps one (Wallet Selector) */
  signOut?(): Promise<void>;
}

function decode(base64: string): unknown {
  const text = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The development sign-in's wallet: a local account's key, signing in the page (never offered off the local node). */
export function devWallet(chain: Chain, accountId: string, privateKey: string): Wallet {
  if (chain.network !== "local") throw new Error("the development sign-in is for the local node only");
  const account = new Account(
    accountId,
    chain.provider,
    new KeyPairSigner(KeyPair.fromString(privateKey as KeyPairString)),
  );
  return {
    accountId,
    kind: "development",
    async send(tx) {
      if (tx.transfer) {
        const t = await account.transfer({ receiverId: tx.contractId, amount: tx.deposit });
        return { hash: t.transaction_outcome.id, value: undefined };
      }
      const r = await account.callFunctionRaw({
        contractId: tx.contractId,
        methodName: tx.methodName,
        args: tx.args,
        gas: tx.gas,
        deposit: tx.deposit,
      });
      const s = r.status as { SuccessValue?: string };
      return {
        hash: r.transaction_outcome.id,
        value: typeof s === "object" && s.SuccessValue !== undefined ? decode(s.SuccessValue) : undefined,
      };
    },
  };
}

/** The dev server's local accounts and factory (serve.ts), or null when it offers none (not on loopback). */
export async function devAccounts(): Promise<{ factory: string; accounts: string[] } | null> {
  const r = await fetch(new URL("dev/accounts", document.baseURI), { headers: { "x-ai-commons-dev": "1" } });
  return r.ok ? ((await r.json()) as { factory: string; accounts: string[] }) : null;
}

export async function devKey(accountId: string): Promise<string> {
  const r = await fetch(new URL(`dev/key/${encodeURIComponent(accountId)}`, document.baseURI), {
    headers: { "x-ai-commons-dev": "1" },
  });
  const j = (await r.json()) as { private_key?: string; error?: string };
  if (!r.ok || !j.private_key) throw new Error(j.error ?? `no key for ${accountId}`);
  return j.private_key;
}

/** A failure for people: the contract's ERR_ code and its meaning (contracts/wire/errors.ts), or what else went wrong. */
export interface Problem {
  code: string;
  meaning: string;
  detail?: string;
}

export function problemOf(e: unknown, chain?: Chain, contract?: string): Problem {
  const found = contractErrorOf(e);
  if (found) {
    return {
      code: found.code,
      meaning: meaningOf(found.code, contract) ?? "see the contract's docs",
      detail: found.detail,
    };
  }
  const unreachable = networkProblem(e);
  if (unreachable || (e instanceof TypeError && /fetch/i.test(e.message))) {
    const where = chain ? `the ${chain.network} RPC node ${chain.url}` : "the RPC node";
    const hint = chain?.network === "local" ? "; start the local node with `npm run node`" : "";
    return { code: "NETWORK", meaning: `cannot reach ${where}${hint}`, detail: unreachable ?? String(e) };
  }
  return { code: "ERROR", meaning: e instanceof Error ? e.message : String(e) };
}
