// Sign-in on testnet and mainnet with NEAR Wallet Selector (@near-wallet-selector/core 10.1.4), its own modal
// (@near-wallet-selector/modal-ui) and the wallets NEAR users have that work in a browser with no other service:
// MyNearWallet, Meteor Wallet, HERE Wallet, Intear Wallet and Sender. "Connect a wallet" opens the modal; the wallet
// chosen there signs in and approves each transaction (in its window, its extension or its app), after the app has
// shown what the transaction does, its deposit and its gas. Loaded on demand (a chunk of its own, with the modal's
// CSS), so the local node's app never downloads it. No function-call access key is requested at sign-in: every call
// is approved in the wallet.
import { actionCreators, setupWalletSelector, type WalletSelector } from "@near-wallet-selector/core";
import { setupHereWallet } from "@near-wallet-selector/here-wallet";
import { setupIntearWallet } from "@near-wallet-selector/intear-wallet";
import { setupMeteorWallet } from "@near-wallet-selector/meteor-wallet";
import { setupModal, type WalletSelectorModal } from "@near-wallet-selector/modal-ui";
import { setupMyNearWallet } from "@near-wallet-selector/my-near-wallet";
import modalCss from "@near-wallet-selector/modal-ui/styles.css?inline";
import { setupSender } from "@near-wallet-selector/sender";
import { JsonRpcProvider } from "near-api-js";
import { DEFAULT_RPC } from "../../scripts/cli/networks.ts";
import type { Sent, Tx, Wallet } from "./chain.ts";
import { WALLET_RETURN, type WalletReturn } from "./wallet-return.ts";

// MyNearWallet's module (and others: HERE's, Meteor's SDK) call Node's `Buffer` to put the transactions in its /sign URL (`Buffer.from(borsh)
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
const MY_NEAR_WALLET = "my-near-wallet";
// MyNearWallet's own defaults (the module's resolveWalletUrl), stated here because its answers are read by origin
const WALLET_URL: Record<Public, string> = {
  testnet: "https://testnet.mynearwallet.com",
  mainnet: "https://app.mynearwallet.com",
};
const selectors = new Map<Public, Promise<WalletSelector>>();

/**
 * The selector's storage, one per network: the selector and its modules keep the selected wallet and its accounts
 * under the same keys whatever the network, so a testnet sign-in would be taken up on mainnet after a switch.
 */
function storageOf(network: Public) {
  const key = (k: string) => `ai-commons:${network}:${k}`;
  return {
    getItem: async (k: string) => localStorage.getItem(key(k)),
    setItem: async (k: string, v: string) => localStorage.setItem(key(k), v),
    removeItem: async (k: string) => localStorage.removeItem(key(k)),
  };
}

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
      storage: storageOf(network),
      // one selector per network (without this the selector is a singleton: the first network's, whatever is asked)
      allowMultipleSelectors: true,
      modules: [
        setupMyNearWallet({ walletUrl: WALLET_URL[network] }),
        setupMeteorWallet(),
        setupHereWallet(),
        setupIntearWallet(),
        setupSender(),
      ],
    });
    selectors.set(network, s);
  }
  return s;
}

// The modal is one per page (setupModal keeps the first one it made, with the selector it was given): it is given
// a selector that stands for the network's selector of the moment, set before each show().
let current: WalletSelector | null = null;
const currentSelector = new Proxy({} as WalletSelector, {
  get(_, key) {
    if (!current) throw new Error("no wallet selector");
    const value = Reflect.get(current, key);
    return typeof value === "function" ? value.bind(current) : value;
  },
});
let modal: WalletSelectorModal | null = null;

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
  // the wallet selected at sign-in (the selector keeps which one, across reloads)
  const wallet = await selector.wallet();
  return {
    accountId,
    kind: "wallet",
    async send(tx: Tx): Promise<Sent> {
      // MyNearWallet answers the app's window with {status: "success", transactionHashes} (or "failure" with an
      // errorMessage); the module then reads the outcome with sender "unused" and wait_until NONE, which a node that
      // checks the sender (the local node) or routes by it does not find, and which a node that has not executed the
      // transaction yet answers without an outcome: the sign-in worked but every sent call showed an error (found by
      // sandbox-tests/web/wallet.test.ts). So the hash is taken from the wallet's answer and the outcome read here,
      // for the signer, once executed; a failure the wallet reports (no hash) is the error shown. For every wallet
      // the outcome is read so, from the hash it returns: what the page shows is the executed transaction's.
      // The same answer may come from the app itself, loaded in the wallet's window by MyNearWallet's fallback
      // redirect (wallet-return.ts); the module then only sees its window closed ("User closed the window").
      const origin = wallet.id === MY_NEAR_WALLET ? new URL(WALLET_URL[network]).origin : null;
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
          actions: [
            tx.transfer
              ? actionCreators.transfer(tx.deposit)
              : actionCreators.functionCall(tx.methodName, tx.args, tx.gas, tx.deposit),
          ],
        });
      } catch (e) {
        failure = e;
      } finally {
        window.removeEventListener("message", listen);
      }
      const hash = reported ?? outcome?.transaction_outcome?.id ?? outcome?.transaction?.hash;
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

/**
 * The account signed in with a wallet on this browser, now and whenever it changes, until `stop` aborts: at once (a
 * sign-in of an earlier visit, with the wallet it was made with, which the selector keeps), then on each sign-in or
 * sign-out, also one that ends after the modal was closed (a wallet's window still open) or one a wallet makes.
 */
export async function watch(network: Public, onChange: (wallet: Wallet | null) => void, stop: AbortSignal) {
  const selector = await selectorOf(network);
  if (stop.aborted) return;
  let last: string | undefined;
  let seq = 0;
  const subscription = selector.store.observable.subscribe(({ accounts, selectedWalletId }) => {
    const active = accounts.find((a) => a.active) ?? accounts[0];
    const key = active && selectedWalletId ? `${selectedWalletId}:${active.accountId}` : "";
    if (key === last) return;
    last = key;
    const mine = ++seq;
    const report = (w: Wallet | null) => mine === seq && !stop.aborted && onChange(w);
    if (!active || !selectedWalletId) report(null);
    else walletOf(network, active.accountId).then(report, () => report(null));
  });
  stop.addEventListener("abort", () => subscription.unsubscribe());
}

/**
 * Opens the selector's modal, which lists the wallets; resolves with the account the wallet chosen there signed in,
 * or null when the modal was closed without one (a sign-in that ends later comes by `watch`).
 */
export async function connect(network: Public): Promise<Wallet | null> {
  const selector = await selectorOf(network);
  current = selector;
  // no contractId: no function-call access key is requested, every call is approved in the wallet
  if (!modal) {
    // the modal's stylesheet, added when it first opens: as text in this chunk (a CSS file of the chunk would make
    // the main bundle carry Vite's preload helper to load it), less its first rule, an @import of Google Fonts (Inter;
    // its URL has ";" in it): the page asks no third party for anything to show it
    const style = document.createElement("style");
    style.textContent = modalCss.replace(/@import\s*(?:url\(\s*)?(["'])[^"']*\1\s*\)?[^;]*;/g, "");
    document.head.append(style);
  }
  modal ??= setupModal(currentSelector, { theme: "light", description: "Sign in to AI Commons with a NEAR wallet." });
  const shown = modal;
  return new Promise<Wallet | null>((resolve, reject) => {
    const signedIn = selector.on("signedIn", ({ accounts }) => {
      done();
      const first = accounts[0];
      if (!first) reject(new Error("the wallet signed in no account"));
      else walletOf(network, first.accountId).then(resolve, reject);
    });
    const hidden = shown.on("onHide", ({ hideReason }) => {
      if (hideReason !== "user-triggered") return;
      done();
      resolve(null);
    });
    const done = () => {
      signedIn.remove();
      hidden.remove();
    };
    shown.show();
  });
}
