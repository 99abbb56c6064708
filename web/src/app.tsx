// The app's frame: network, sign-in, the route (from the URL hash) and the transaction dialog. After every
// transaction, sent or refused, `refresh` is bumped and each page reads its views again.
import { type ReactElement, useCallback, useEffect, useMemo, useState } from "react";
import {
  Chain,
  devAccounts,
  devKey,
  devWallet,
  NETWORKS,
  type NetworkName,
  type Sent,
  type Tx,
  type Wallet,
} from "./chain.ts";
import { CreateCommunity, CreationProgress } from "./create.tsx";
import { CreateManifest, RegisterModel, SubmitDataset } from "./creator.tsx";
import { DatasetDetail, Datasets } from "./datasets.tsx";
import { Inference } from "./inference.tsx";
import { ModelDetail, Models } from "./models.tsx";
import { Communities, CommunityHome, type PageProps, ProposalDetail, Proposals, Propose } from "./pages.tsx";
import { Rewards } from "./rewards.tsx";
import { type Pending, ProblemBox, TxDialog, useLoad } from "./ui.tsx";

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return hash;
}

const stored = (key: string, fallback: string) => localStorage.getItem(`ai-commons.${key}`) ?? fallback;
const store = (key: string, value: string) => localStorage.setItem(`ai-commons.${key}`, value);

export function App() {
  const [network, setNetwork] = useState<NetworkName>(stored("network", "local") as NetworkName);
  const chain = useMemo(() => new Chain(network), [network]);
  const [factoryInput, setFactoryInput] = useState(stored(`factory.${network}`, ""));
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [pending, setPending] = useState<Pending | null>(null);
  // what the last transaction did, shown on the page it left the app on and gone once another page opens
  const [notice, setNotice] = useState<{ text: string; hash: string } | null>(null);
  const hash = useHash();

  // a wallet sign-in made earlier on this browser (Wallet Selector keeps it) is taken up again, and any later change
  // of the selector's account followed (a sign-in ending after its modal was closed, a wallet's own sign-out)
  useEffect(() => {
    if (network === "local") return;
    const stop = new AbortController();
    import("./wallet-selector.ts").then((ws) => ws.watch(network, setWallet, stop.signal)).catch(() => {});
    return () => stop.abort();
  }, [network]);

  const dev = useLoad(() => (network === "local" ? devAccounts() : Promise.resolve(null)), [network], chain);
  const factory = network === "local" ? (dev.data?.factory ?? "") : factoryInput;

  const changeNetwork = (n: NetworkName) => {
    store("network", n);
    // a community of one network is not one of another's: start from its list
    location.hash = "#/";
    setNotice(null);
    setWallet(null);
    setFactoryInput(stored(`factory.${n}`, ""));
    setNetwork(n);
  };

  const ask = useCallback((tx: Tx, after?: (sent: Sent) => void) => {
    setNotice(null);
    setPending({ tx, after });
  }, []);
  const go = useCallback((path: string) => {
    location.hash = `#${path}`;
  }, []);

  const props: PageProps = { chain, wallet, refresh, ask, go };
  const [path, query] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  const params = new URLSearchParams(query ?? "");
  let page: ReactElement;
  if (parts[0] === "c" && parts[1]) {
    const dao = decodeURIComponent(parts[1]);
    if (parts[2] === "proposals") page = <Proposals {...props} dao={dao} status={params.get("status") ?? ""} />;
    else if (parts[2] === "p" && parts[3]) page = <ProposalDetail {...props} dao={dao} id={Number(parts[3])} />;
    else if (parts[2] === "propose")
      // a new ?kind= is a new form (a link from one kind's page to another's)
      page = (
        <Propose key={params.get("kind") ?? ""} {...props} dao={dao} initialKind={params.get("kind") ?? undefined} />
      );
    else if (parts[2] === "datasets") page = <Datasets {...props} dao={dao} />;
    else if (parts[2] === "d" && parts[3])
      page = <DatasetDetail {...props} dao={dao} id={decodeURIComponent(parts[3])} />;
    else if (parts[2] === "models") page = <Models {...props} dao={dao} />;
    else if (parts[2] === "m" && parts[3])
      page = <ModelDetail {...props} dao={dao} id={decodeURIComponent(parts[3])} />;
    else if (parts[2] === "rewards") page = <Rewards {...props} dao={dao} />;
    else if (parts[2] === "submit-dataset") page = <SubmitDataset {...props} dao={dao} />;
    else if (parts[2] === "new-manifest") page = <CreateManifest {...props} dao={dao} />;
    else if (parts[2] === "register-model")
      page = <RegisterModel {...props} dao={dao} initialManifest={params.get("manifest") ?? undefined} />;
    else if (parts[2] === "inference") page = <Inference {...props} dao={dao} />;
    else page = <CommunityHome {...props} dao={dao} />;
  } else if (parts[0] === "create" && factory) {
    page = parts[1] ? (
      <CreationProgress {...props} factory={factory} name={decodeURIComponent(parts[1])} />
    ) : (
      <CreateCommunity {...props} factory={factory} />
    );
  } else if (factory) page = <Communities {...props} factory={factory} />;
  else if (network === "local" && dev.problem) page = <ProblemBox problem={dev.problem} />;
  else if (network === "local") page = <p className="muted">Loading…</p>;
  else page = <p>Enter the community factory's account above to list its communities, or open a DAO by its URL.</p>;

  return (
    <div className="app">
      <header>
        <a href="#/" className="brand">
          AI Commons
        </a>
        <label>
          <span className="sr">network</span>
          <select value={network} onChange={(e) => changeNetwork(e.target.value as NetworkName)} aria-label="network">
            {NETWORKS.map((n) => (
              <option key={n} value={n}>
                {n === "local" ? "local node" : n}
              </option>
            ))}
          </select>
        </label>
        <SignIn
          network={network}
          chain={chain}
          accounts={dev.data?.accounts ?? null}
          wallet={wallet}
          setWallet={setWallet}
        />
      </header>
      {network !== "local" ? (
        <div className="factory">
          <label>
            Factory{" "}
            <input
              value={factoryInput}
              placeholder={`commons.you.${network === "testnet" ? "testnet" : "near"}`}
              onChange={(e) => {
                setFactoryInput(e.target.value.trim());
                store(`factory.${network}`, e.target.value.trim());
              }}
            />
          </label>
        </div>
      ) : null}
      {notice && notice.hash === hash ? <output className="notice">{notice.text}</output> : null}
      <main>{page}</main>
      {pending && wallet ? (
        <TxDialog
          pending={pending}
          wallet={wallet}
          onClose={() => {
            setPending(null);
            setRefresh((r) => r + 1);
          }}
          onSent={(sent) => {
            setPending(null);
            setNotice({ text: `Done: ${pending.tx.what} (transaction ${sent.hash})`, hash: location.hash });
            setRefresh((r) => r + 1);
          }}
        />
      ) : null}
    </div>
  );
}

function SignIn({
  network,
  chain,
  accounts,
  wallet,
  setWallet,
}: {
  network: NetworkName;
  chain: Chain;
  accounts: string[] | null;
  wallet: Wallet | null;
  setWallet: (w: Wallet | null) => void;
}) {
  const [choice, setChoice] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  if (wallet) {
    return (
      <div className="signin">
        <span className="mono" data-testid="signed-in">
          {wallet.accountId}
        </span>
        {wallet.kind === "development" ? <span className="dev-badge">development only</span> : null}
        <button
          type="button"
          onClick={() => {
            void wallet.signOut?.();
            setWallet(null);
          }}
        >
          Sign out
        </button>
      </div>
    );
  }
  if (network !== "local") {
    // NEAR Wallet Selector's modal and the wallets it lists (wallet-selector.ts, loaded only here)
    const connect = async () => {
      setProblem(null);
      try {
        const ws = await import("./wallet-selector.ts");
        const signedIn = await ws.connect(network);
        if (signedIn) setWallet(signedIn);
      } catch (e) {
        setProblem((e as Error).message);
      }
    };
    return (
      <div className="signin">
        <button type="button" onClick={connect}>
          Connect a wallet
        </button>
        {problem ? <span className="field-error">{problem}</span> : null}
      </div>
    );
  }
  const signIn = async () => {
    setProblem(null);
    try {
      setWallet(devWallet(chain, choice, await devKey(choice)));
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  return (
    <div className="signin">
      <span className="dev-badge" title="a local account's key, served by npm run web on loopback only">
        development only
      </span>
      <select value={choice} onChange={(e) => setChoice(e.target.value)} aria-label="local account">
        <option value="">local account…</option>
        {(accounts ?? []).map((a) => (
          <option key={a}>{a}</option>
        ))}
      </select>
      <button type="button" disabled={!choice} onClick={signIn}>
        Sign in
      </button>
      {problem ? <span className="field-error">{problem}</span> : null}
    </div>
  );
}
