// Small shared pieces: loading a page's views (reloaded after every transaction), the pagers, the problem box,
// creators with their shares, hashes, and the transaction dialog that shows what a call does, its deposit and its
// gas (and what else it moves, `Tx.details`) before anything is sent.
import { type DependencyList, Fragment, type ReactNode, useEffect, useState } from "react";
import * as units from "../../scripts/cli/units.ts";
import { type Chain, PAGE, type Problem, problemOf, type Sent, type Tx, type Wallet } from "./chain.ts";

export interface Loaded<T> {
  data: T | null;
  problem: Problem | null;
  loading: boolean;
}

/** Runs `load` when `deps` change (the app's refresh counter among them) and keeps its result or its problem. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList, chain?: Chain): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, problem: null, loading: true });
  const run = () => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, problem: null, loading: false }),
      (e) => live && setState({ data: null, problem: problemOf(e, chain), loading: false }),
    );
    return () => {
      live = false;
    };
  };
  useEffect(
    run,
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what its load depends on
    deps,
  );
  return state;
}

export function ProblemBox({ problem }: { problem: Problem }) {
  return (
    <div className="problem" role="alert">
      <strong className="code">{problem.code}</strong> {problem.meaning}
      {problem.detail ? <div className="detail">({problem.detail})</div> : null}
    </div>
  );
}

export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.problem) return <ProblemBox problem={loaded.problem} />;
  if (loaded.data === null) return <p className="muted">Loading…</p>;
  return <>{children(loaded.data)}</>;
}

export function Pager({ page, total, onPage }: { page: number; total: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label="pages">
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        ‹ Previous
      </button>
      <span>
        page {page + 1} of {pages}
      </span>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        Next ›
      </button>
    </nav>
  );
}

/**
 * The pager of a list whose length no view gives (a registry's history, the pool's epochs): a page is read with one
 * item more than it shows, and that extra item says whether there is a next page.
 */
export function MorePager({ page, more, onPage }: { page: number; more: boolean; onPage: (p: number) => void }) {
  if (page === 0 && !more) return null;
  return (
    <nav className="pager" aria-label="pages">
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        ‹ Previous
      </button>
      <span>page {page + 1}</span>
      <button type="button" disabled={!more} onClick={() => onPage(page + 1)}>
        Next ›
      </button>
    </nav>
  );
}

/** A transaction waiting for the signer's decision, and what to do once it went through. */
export interface Pending {
  tx: Tx;
  after?: (sent: Sent) => void;
}

export function TxDialog({
  pending,
  wallet,
  onClose,
  onSent,
}: {
  pending: Pending;
  wallet: Wallet;
  onClose: () => void;
  onSent: (sent: Sent) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const { tx } = pending;
  const send = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const sent = await wallet.send(tx);
      // the follow-up first (it may open another page), so the app shows its notice on the page that follows
      pending.after?.(sent);
      onSent(sent);
    } catch (e) {
      setProblem(problemOf(e, undefined, tx.contract ?? "community-dao"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="backdrop">
      <dialog open className="tx" aria-label="confirm transaction">
        <h2>{problem ? "The contract refused" : "Confirm the transaction"}</h2>
        <p className="what">{tx.what}</p>
        <dl>
          <dt>signer</dt>
          <dd>{wallet.accountId}</dd>
          {tx.transfer ? (
            <>
              <dt>transfer to</dt>
              <dd className="mono">{tx.contractId}</dd>
            </>
          ) : (
            <>
              <dt>call</dt>
              <dd className="mono">
                {tx.contractId}.{tx.methodName}
              </dd>
              <dt>arguments</dt>
              <dd className="mono args">{JSON.stringify(tx.args)}</dd>
            </>
          )}
          <dt>{tx.transfer ? "amount" : "deposit"}</dt>
          <dd data-testid="tx-deposit">{units.near(tx.deposit)}</dd>
          <dt>gas</dt>
          <dd data-testid="tx-gas">{units.tgas(tx.gas)}</dd>
          {(tx.details ?? []).map(([label, value, testId]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd data-testid={testId}>{value}</dd>
            </Fragment>
          ))}
        </dl>
        {problem ? <ProblemBox problem={problem} /> : null}
        <div className="actions">
          <button type="button" onClick={onClose} disabled={busy}>
            {problem ? "Close" : "Cancel"}
          </button>
          {problem ? null : (
            <button type="button" className="primary" onClick={send} disabled={busy}>
              {busy ? "Sending…" : "Sign and send"}
            </button>
          )}
        </div>
      </dialog>
    </div>
  );
}

/** Who made a record and their shares ("alice.test.near 60%"), as the CLI lists creators. */
export function Creators({ creators }: { creators: { account_id: string; share_bps: number }[] }) {
  return (
    <ul className="creators">
      {creators.map((c) => (
        <li key={c.account_id}>
          <span className="mono">{c.account_id}</span> {units.bps(c.share_bps)}
        </li>
      ))}
    </ul>
  );
}

/** A sha256 in full, broken anywhere so it never widens a phone's screen. */
export function Hash({ value, testId }: { value: string; testId?: string }) {
  return (
    <span className="mono hash" data-testid={testId}>
      {value}
    </span>
  );
}

// A labelled text field: the label's text, then an input (a textarea when `rows` is given). `trim` drops surrounding
// white space as the user types, for ids, hashes, accounts and amounts; free text keeps it.
export function TextField({
  label,
  name,
  value,
  onChange,
  trim = false,
  rows,
  placeholder,
  inputMode,
  maxLength,
}: {
  label: ReactNode;
  name: string;
  value: string;
  onChange: (value: string) => void;
  trim?: boolean;
  rows?: number;
  placeholder?: string;
  inputMode?: "decimal" | "numeric";
  maxLength?: number;
}) {
  // what the input and the textarea share
  const field = {
    value,
    name,
    placeholder,
    maxLength,
    onChange: (e: { target: { value: string } }) => onChange(trim ? e.target.value.trim() : e.target.value),
  };
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the input or textarea is inside the label, in either branch
    <label>
      {label}
      {rows === undefined ? <input {...field} inputMode={inputMode} /> : <textarea {...field} rows={rows} />}
    </label>
  );
}
