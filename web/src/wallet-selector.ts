// Sign-in on testnet and mainnet with NEAR Wallet Selector (@near-wallet-selector/core 10.1.4) and MyNearWallet, the
// one wallet module of this slice: the wallet opens in its own window to sign in and to approve each transaction,
// after the app has shown what the transaction does, its deposit and its gas. Loaded on demand (a chunk of its
// own), so the local node's app never downloads it. No function-call access key is requested at sign-in: every call
// is approved in the wallet.
import { actionCreators, setupWalletSelector, type WalletSelector } from "@near-wallet-selector/core";
import { setupMyNearWallet } from "@near-wallet-selector/my-near-wallet";
import { JsonRpcProvider } from "near-api-js";
import { DEFAULT_RPC } from "../../scripts/cli/networks.ts";
import type { Sent, Tx, Wallet } from "./chain.ts";
import { WALLET_RETURN, type WalletReturn } from "./wallet-return.ts";

// MyNearWallet's module calls Node's `Buffer` to put the transactions in its /sign URL (`Buffer.from(borsh)
// .toString("base64")`), and the selector's core to read a call's arguments (`Buffer.from(args).toString()`); a
// browser has no Buffer and Vite adds none, so every "Sign and send" failed with "Buffer is not defined" before the
// wallet opened (found by sandbox-tests/web/wallet.test.ts). This is the part of Buffer they use: bytes or a string
// in, the bytes back with toString() as UTF-8 or base64. Set only where no Buffer exists.
if (!("Buffer" in globalThis)) {
  const withText = (bytes: Uint8Array) =>
    Object.assign(bytes, {
      toString(encoding?: string) {
        if (encoding === "base64") return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
        return new TextDecoder().decode(bytes);
      },
    });
  Object.assign(globalThis, {
    Buffer: {
      from(value: string | ArrayLike<number> | ArrayBuffer, encoding?: string) {
        if (typeof value !== "string") return withText(new Uint8Array(value as ArrayLike<number>));
        if (encoding === "base64") return withText(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
        return withText(new TextEncoder().encode(value));
      },
      isBuffer: () => false,
    },
  });
}

type Public = "testnet" | "mainnet";
const WALLET = "my-near-wallet";
// MyNearWallet's own defaults (the module's resolveWalletUrl), stated here because its answers are read by origin
const WALLET_URL: Record<Public, string> = {
  testnet: "https://testnet.mynearwallet.com",
  mainnet: "https://app.mynearwallet.com",
};
const selectors = new Map<Public, Promise<WalletSelector>>();

function selectorOf(network: Public): Promise<WalletSelector> {
  let s = selectors.get(network);
  if (!s) {
    s = setupWalletSelector({
      network: {
        networkId: network,
        // the RPC the CLI uses (scripts/cli/networks.ts)
        nodeUrl: DEFAULT_RPC[network],
        helperUrl: `https://helper.${network}.near.org`,
        explorerUrl: network === "testnet" ? "https://testnet.nearblocks.io" : "https://nearblocks.io",
        indexerUrl: `https://api.kitwallet.app`,
      },
      modules: [setupMyNearWallet({ walletUrl: WALLET_URL[network] })],
    });
    selectors.set(network, s);
  }
  return s;
}

function decode(base64: string): unknown {
  const text = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

/** A sent transaction's outcome once executed, read again while the RPC node does not know it yet (~10 s). */
async function executedOutcome(network: Public, hash: string, accountId: string) {
  const provider = new JsonRpcProvider({ url: DEFAULT_RPC[network] });
  for (let attempt = 1; ; attempt++) {
    try {
      return await provider.viewTransactionStatus({ txHash: hash, accountId, waitUntil: "EXECUTED_OPTIMISTIC" });
    } catch (e) {
      if (attempt >= 10 || !/UNKNOWN_TRANSACTION|doesn't exist/.test(String((e as Error).message))) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function walletOf(network: Public, accountId: string): Promise<Wallet> {
  const selector = await selectorOf(network);
  const wallet = await selector.wallet(WALLET);
  return {
    accountId,
    kind: "wallet",
    async send(tx: Tx): Promise<Sent> {
      // MyNearWallet answers the app's window with {status: "success", transactionHashes} (or "failure" with an
      // errorMessage); the module then reads the outcome with sender "unused" and wait_until NONE, which a node that
      // checks the sender (the local node) or routes by it does not find, and which a node that has not executed the
      // transaction yet answers without an outcome: the sign-in worked but every sent call showed an error (found by
      // sandbox-tests/web/wallet.test.ts). So the hash is taken from the wallet's answer and the outcome read here,
      // for the signer, once executed; a failure the wallet reports (no hash) is the error shown.
      // The same answer may come from the app itself, loaded in the wallet's window by MyNearWallet's fallback
      // redirect (wallet-return.ts); the module then only sees its window closed ("User closed the window").
      const origin = new URL(WALLET_URL[network]).origin;
      let reported: string | undefined;
      let reportedError: string | undefined;
      const listen = (e: MessageEvent) => {
        const data = e.data as Partial<WalletReturn> | null;
        const relayed = e.origin === location.origin && data?.type === WALLET_RETURN;
        if (e.origin !== origin && !relayed) return;
        if (typeof data?.transactionHashes === "string" && data.transactionHashes !== "")
          reported = data.transactionHashes.split(",")[0];
        if (relayed && typeof data?.errorMessage === "string") reportedError = data.errorMessage;
      };
      window.addEventListener("message", listen);
      let outcome: Awaited<ReturnType<typeof wallet.signAndSendTransaction>> | undefined;
      let failure: unknown;
      try {
        outcome = await wallet.signAndSendTransaction({
          signerId: accountId,
          receiverId: tx.contractId,
          actions: [actionCreators.functionCall(tx.methodName, tx.args, tx.gas, tx.deposit)],
        });
      } catch (e) {
        failure = e;
      } finally {
        window.removeEventListener("message", listen);
      }
      const hash = reported ?? outcome?.transaction_outcome?.id;
      if (!hash) {
        if (reportedError !== undefined) throw new Error(reportedError);
        if (failure !== undefined) throw failure;
        return { hash: "", value: undefined };
      }
      const executed = await executedOutcome(network, hash, accountId);
      const s = (executed as { status?: unknown }).status as { SuccessValue?: string; Failure?: unknown };
      if (typeof s === "object" && s.Failure !== undefined) throw new Error(JSON.stringify(s.Failure));
      return {
        hash,
        value: typeof s === "object" && s.SuccessValue !== undefined ? decode(s.SuccessValue) : undefined,
      };
    },
    async signOut() {
      await wallet.signOut();
    },
  };
}

/** The account already signed in with the wallet on this browser, if any. */
export async function restore(network: Public): Promise<Wallet | null> {
  const selector = await selectorOf(network);
  const active = selector.store.getState().accounts.find((a) => a.active) ?? selector.store.getState().accounts[0];
  return active ? walletOf(network, active.accountId) : null;
}

/** Opens the wallet to sign in; resolves with the account it signed in. */
export async function connect(network: Public): Promise<Wallet> {
  const selector = await selectorOf(network);
  const wallet = await selector.wallet(WALLET);
  const accounts = await wallet.signIn({ contractId: undefined, methodNames: [], accounts: [] } as never);
  const first = accounts[0];
  if (!first) throw new Error("the wallet signed in no account");
  return walletOf(network, first.accountId);
}
