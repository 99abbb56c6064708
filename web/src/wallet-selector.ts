// Sign-in on testnet and mainnet with NEAR Wallet Selector (@near-wallet-selector/core 10.1.4) and MyNearWallet, the
// one wallet module of this slice: the wallet opens in its own window to sign in and to approve each transaction,
// after the app has shown what the transaction does, its deposit and its gas. Loaded on demand (a chunk of its
// own), so the local node's app never downloads it. No function-call access key is requested at sign-in: every call
// is approved in the wallet.
import { actionCreators, setupWalletSelector, type WalletSelector } from "@near-wallet-selector/core";
import { setupMyNearWallet } from "@near-wallet-selector/my-near-wallet";
import { DEFAULT_RPC } from "../../scripts/cli/networks.ts";
import type { Sent, Tx, Wallet } from "./chain.ts";

type Public = "testnet" | "mainnet";
const WALLET = "my-near-wallet";
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
      modules: [setupMyNearWallet()],
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

async function walletOf(network: Public, accountId: string): Promise<Wallet> {
  const selector = await selectorOf(network);
  const wallet = await selector.wallet(WALLET);
  return {
    accountId,
    kind: "wallet",
    async send(tx: Tx): Promise<Sent> {
      const outcome = await wallet.signAndSendTransaction({
        signerId: accountId,
        receiverId: tx.contractId,
        actions: [actionCreators.functionCall(tx.methodName, tx.args, tx.gas, tx.deposit)],
      });
      if (!outcome) return { hash: "", value: undefined };
      const s = outcome.status as { SuccessValue?: string; Failure?: unknown };
      if (typeof s === "object" && s.Failure !== undefined) throw new Error(JSON.stringify(s.Failure));
      return {
        hash: outcome.transaction_outcome.id,
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
