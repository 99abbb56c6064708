// MyNearWallet's fallback when the message its window sends the app's window goes unheard: 3 s later it sends its
// own window to the app's page (the callback URL) with `?transactionHashes=...`, or `?errorCode=...&errorMessage=...`
// after a failure (its frontend's routes/SignWrapper.js). Wallet Selector 10.1.4 reads only the message, so the app
// waited until the window was closed and then showed "User closed the window" for a transaction that was sent. Here
// the app, loaded in that window, hands the parameters to the app's window it was opened from (same origin only) and
// closes it; wallet-selector.ts takes them as the wallet's answer. In the main bundle: it runs before the app renders.

export const WALLET_RETURN = "ai-commons:wallet-return";

export interface WalletReturn {
  type: typeof WALLET_RETURN;
  transactionHashes?: string;
  errorCode?: string;
  errorMessage?: string;
}

/** In a wallet's window sent back to the app: hands its answer to the app's window and closes; true when it did. */
export function relayWalletReturn(): boolean {
  const query = new URLSearchParams(location.search);
  const transactionHashes = query.get("transactionHashes") ?? undefined;
  const errorMessage = query.get("errorMessage") ?? undefined;
  const opener = window.opener as Window | null;
  if ((!transactionHashes && !errorMessage) || !opener || opener === window) return false;
  try {
    // reading another origin's location throws: only the app's own window is answered
    if (opener.location.origin !== location.origin) return false;
  } catch {
    return false;
  }
  // MyNearWallet encodes its error parameters twice (encodeURIComponent, then the URL's own encoding)
  const once = (v: string | null) => {
    if (v === null) return undefined;
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  };
  const answer: WalletReturn = {
    type: WALLET_RETURN,
    transactionHashes,
    errorCode: once(query.get("errorCode")),
    errorMessage: once(query.get("errorMessage")),
  };
  opener.postMessage(answer, location.origin);
  window.close();
  return true;
}
