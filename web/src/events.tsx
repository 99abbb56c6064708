// The community's events feed on its home: the NEP-297 events of its DAO and suite contracts (registries, verifier,
// reward pool), newest first, each in words with who, what, when (block height and time) and the transaction. NEAR's
// RPC keeps no history per account, so the feed scans blocks back from the final one, a page of blocks at a time
// (event-scan.ts); "Load older" scans the next page. Slow on testnet and mainnet, where an indexer is the real answer
// (docs/web.md).
import { useEffect, useRef, useState } from "react";
import type { ContractName, SuiteMap } from "../../contracts/wire/contracts.ts";
import * as units from "../../scripts/cli/units.ts";
import { type Problem, problemOf } from "./chain.ts";
import { eventWords, type FeedEvent, finalHeight, nextRange, scanBlocks } from "./event-scan.ts";
import type { PageProps } from "./pages.tsx";
import { ProblemBox } from "./ui.tsx";

/** blocks a page of the scan reads: the local node makes a block per receipt hop; a public network one a second */
const BLOCKS = { local: 200, testnet: 30, mainnet: 30 } as const;

interface Feed {
  events: FeedEvent[];
  /** the blocks read so far, [lowest, highest] */
  lowest: number;
  highest: number;
}

export function Events({ chain, refresh, dao }: PageProps & { dao: string }) {
  const [feed, setFeed] = useState<Feed | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const watched = useRef<Map<string, ContractName> | null>(null);
  const run = useRef(0);
  const rpc = (method: string, params: Record<string, unknown>) => chain.rpc(method, params);
  const blocks = BLOCKS[chain.network];

  const scan = async (from: number, to: number, before: Feed | null, id: number) => {
    setBusy(true);
    setProblem(null);
    try {
      if (!watched.current) {
        const { suite } = await chain.view<{ suite: SuiteMap }>(dao, "get_info");
        const map = new Map<string, ContractName>([[dao, "community-dao"]]);
        for (const [code, account] of Object.entries(suite)) if (account) map.set(account, code as ContractName);
        watched.current = map;
      }
      const page = await scanBlocks(rpc, watched.current, from, to, { cancelled: () => id !== run.current });
      if (id !== run.current) return;
      setFeed({
        events: [...(before?.events ?? []), ...page.events],
        lowest: page.from,
        highest: before?.highest ?? page.to,
      });
    } catch (e) {
      if (id === run.current) setProblem(problemOf(e, chain));
    } finally {
      if (id === run.current) setBusy(false);
    }
  };

  // from the final block, again after every transaction (refresh)
  // biome-ignore lint/correctness/useExhaustiveDependencies: scan reads the latest chain and dao through the deps
  useEffect(() => {
    const id = ++run.current;
    watched.current = null;
    setFeed(null);
    finalHeight(rpc).then(
      (top) => scan(Math.max(0, top - blocks + 1), top, null, id),
      (e) => id === run.current && setProblem(problemOf(e, chain)),
    );
    return () => {
      run.current++;
    };
  }, [chain, dao, refresh]);

  const older = feed ? nextRange(feed.lowest, blocks) : null;
  return (
    <section className="events">
      <h2>Events</h2>
      <p className="muted" data-testid="events-progress">
        {feed ? `scanned blocks ${feed.lowest}–${feed.highest}` : "scanning the newest blocks…"}
        {busy && feed ? " · scanning older blocks…" : ""}
      </p>
      {problem ? <ProblemBox problem={problem} /> : null}
      {feed && feed.events.length === 0 ? <p className="muted">No event of the community in these blocks.</p> : null}
      <ul className="cards" data-testid="events">
        {(feed?.events ?? []).map((e) => (
          <li key={e.key} data-testid={`event-${e.event}`}>
            <div>{eventWords(e)}</div>
            <div className="muted">
              <span className="mono">{e.event}</span> by <span className="mono">{e.contract_id}</span> · signed by{" "}
              <span className="mono">{e.signer}</span> · block {e.height}, {units.date(e.timestamp)}
            </div>
            <div className="muted">
              transaction <span className="mono hash">{e.tx_hash}</span>
            </div>
          </li>
        ))}
      </ul>
      {older && feed ? (
        <button type="button" disabled={busy} onClick={() => scan(older.from, older.to, feed, run.current)}>
          Load older (blocks {older.from}–{older.to})
        </button>
      ) : feed ? (
        <p className="muted">The first block is reached.</p>
      ) : null}
    </section>
  );
}
