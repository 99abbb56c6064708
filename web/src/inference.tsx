// The community's attested inference: its inference verifier's settings and active model, the attesters with their
// bonds and status, the receipts newest first (model, attester, proof hash, status; a disputed one with its dispute),
// and usage per epoch as the verifier counted it beside what the reward pool received. Anyone may send an epoch's
// report (`report_usage`, one part a call, with the deposit and gas of `ai-commons usage report`,
// scripts/cli/verifier-calls.ts), close a reported epoch (`close_epoch`, as `ai-commons epoch close`), and challenge
// a receipt with another attester's conflicting one (`challenge_receipt`, prepared by the attester's own
// prepareChallenge as `ai-commons verify --submit` does: a dispute's bond, or a free equivocation proof). Views and
// calls are the contracts' own; the record types come from contracts/inference-verifier/ and contracts/reward-pool/.
import { type FormEvent, useState } from "react";
import { AttesterError } from "../../attester/src/errors.ts";
import type { InferenceVerifier } from "../../contracts/inference-verifier/contract.ts";
import type {
  ActiveModel,
  Attester,
  Dispute,
  EpochUsage,
  ReceiptRecord,
} from "../../contracts/inference-verifier/types.ts";
import type { EpochRecord } from "../../contracts/reward-pool/types.ts";
import type { UsageReportPart } from "../../contracts/wire/usage-report.ts";
import { CLOSE_EPOCH_DEPOSIT, CLOSE_EPOCH_GAS } from "../../scripts/cli/reward-pool-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import {
  dismissDisputeProposal,
  RELEASE_BOND_GAS,
  REPORT_USAGE_GAS,
  reportUsageDeposit,
} from "../../scripts/cli/verifier-calls.ts";
import { bondUnlockNs } from "../../contracts/wire/verifier-settings.ts";
import { meaningOf } from "../../contracts/wire/errors.ts";
import { type Chain, PAGE, type Problem, problemOf, type Tx } from "./chain.ts";
import { type PageProps, proposalTx } from "./pages.tsx";
import type { Policy } from "../../contracts/community-dao/types.ts";
import { newestFirst, suiteContract, suiteOf } from "./suite.ts";
import { Hash, Pager, ProblemBox, Show, TextField, useLoad } from "./ui.tsx";
import { type ChallengeWindow, challengeWindowEnd, challengeWindowOf } from "../../contracts/wire/receipt.ts";

type VerifierConfig = ReturnType<InferenceVerifier["get_config"]>;

// An accepted receipt's window, by the verifier's own rule (a window raised after it closed does not reopen it).
function windowText(acceptedAt: bigint, w: ChallengeWindow, now: bigint | string): string {
  const end = challengeWindowEnd(acceptedAt, w);
  return end > BigInt(now) ? `; challengeable until ${units.date(end)}` : "; final";
}

/** how many of the newest receipts name the epochs the usage section shows (besides the pool's epochs) */
const EPOCH_SOURCE = 100;

/** One epoch: the verifier's usage record, its report as preview_usage_report builds it, and the pool's record. */
interface EpochRow {
  epoch: number;
  usage: EpochUsage | null;
  preview: UsageReportPart[] | null;
  pool: EpochRecord | null;
}

/**
 * The epochs worth showing, newest first, PAGE of them: those of the newest receipts and those the pool recorded
 * (neither contract lists its epochs with a count; docs/web.md), each read from both contracts.
 */
async function epochRows(chain: Chain, verifier: string, pool: string | undefined, receipts: number) {
  const from = Math.max(0, receipts - EPOCH_SOURCE);
  const [recent, pooled] = await Promise.all([
    receipts === 0
      ? Promise.resolve([] as ReceiptRecord[])
      : chain.view<ReceiptRecord[]>(verifier, "get_receipts", { from_index: from, limit: receipts - from }),
    pool ? chain.view<EpochRecord[]>(pool, "get_epochs", { from_index: 0, limit: 100 }) : Promise.resolve([]),
  ]);
  const numbers = [...new Set([...recent.map((r) => r.epoch), ...pooled.map((e) => e.epoch)])]
    .sort((a, b) => b - a)
    .slice(0, PAGE);
  return Promise.all(
    numbers.map(async (epoch): Promise<EpochRow> => {
      const [usage, preview, poolRecord] = await Promise.all([
        chain.view<EpochUsage | null>(verifier, "get_epoch_usage", { epoch }),
        chain.view<UsageReportPart[] | null>(verifier, "preview_usage_report", { epoch }),
        pool ? chain.view<EpochRecord | null>(pool, "get_epoch", { epoch }) : Promise.resolve(null),
      ]);
      return { epoch, usage, preview, pool: poolRecord };
    }),
  );
}

export function Inference({ chain, wallet, refresh, ask, go, dao }: PageProps & { dao: string }) {
  const [attesterPage, setAttesterPage] = useState(0);
  const [receiptPage, setReceiptPage] = useState(0);
  const loaded = useLoad(
    async () => {
      const [verifier, suite] = await Promise.all([
        suiteContract(chain, dao, "inference-verifier"),
        suiteOf(chain, dao),
      ]);
      const pool = suite["reward-pool"];
      const [config, active, now, current, policy] = await Promise.all([
        chain.view<VerifierConfig>(verifier, "get_config"),
        chain.view<ActiveModel | null>(verifier, "get_active_model"),
        chain.now(),
        chain.view<number>(verifier, "current_epoch"),
        chain.view<Policy>(dao, "get_policy"),
      ]);
      const range = newestFirst(receiptPage, config.receipts);
      const [attesters, receipts, epochs] = await Promise.all([
        chain.view<Attester[]>(verifier, "get_attesters", { from_index: attesterPage * PAGE, limit: PAGE }),
        range
          ? chain.view<ReceiptRecord[]>(verifier, "get_receipts", range).then((r) => r.reverse())
          : Promise.resolve([] as ReceiptRecord[]),
        epochRows(chain, verifier, pool, config.receipts),
      ]);
      // a disputed receipt's dispute (a dismissed one leaves the receipt Accepted and its record in place)
      const disputes = new Map<number, Dispute>();
      await Promise.all(
        receipts
          .filter((r) => r.status === "Disputed")
          .map(async (r) => {
            const d = await chain.view<Dispute | null>(verifier, "get_dispute", { receipt_id: r.id });
            if (d) disputes.set(r.id, d);
          }),
      );
      return { verifier, pool, config, active, now, current, policy, attesters, receipts, disputes, epochs };
    },
    [chain, dao, attesterPage, receiptPage, refresh],
    chain,
  );
  return (
    <section>
      <p>
        <a href={`#/c/${dao}`}>‹ community</a>
      </p>
      <h1>Inference</h1>
      <Show loaded={loaded}>
        {({ verifier, pool, config, active, now, current, policy, attesters, receipts, disputes, epochs }) => {
          const length = config.settings.epoch_length_ns;
          const reportTx = (row: EpochRow) => {
            const part = row.usage?.next_part ?? 0;
            const parts = row.preview?.length ?? 0;
            return ask({
              what: `Report the usage of ${units.epoch(row.epoch, length)} to the reward pool${parts > 1 ? ` (part ${part + 1} of ${parts})` : ""}; the deposit pays the records it adds there, the rest comes back`,
              contractId: verifier,
              methodName: "report_usage",
              args: { epoch: row.epoch },
              gas: REPORT_USAGE_GAS,
              deposit: reportUsageDeposit(row.usage, row.preview),
              contract: "inference-verifier",
            });
          };
          // a council proposal on a dispute (the CLI's descriptions), then the proposal's page
          const propose = (p: { kind: { kind: string } & Record<string, unknown>; description: string }) =>
            ask(proposalTx(dao, policy, p.kind, p.description), (sent) => go(`/c/${dao}/p/${sent.value}`));
          const closeTx = (row: EpochRow) =>
            pool &&
            ask({
              what: `Close ${units.epoch(row.epoch, length)} in the reward pool: split its budget among the creators (the deposit pays the bookkeeping the pool's surplus cannot; the excess comes back)`,
              contractId: pool,
              methodName: "close_epoch",
              args: { epoch: row.epoch },
              gas: CLOSE_EPOCH_GAS,
              deposit: CLOSE_EPOCH_DEPOSIT,
              contract: "reward-pool",
            });
          return (
            <>
              <p className="muted">
                the inference verifier <span className="mono">{verifier}</span> accepts receipts signed by the
                community's attesters for its active model and counts them per epoch for the reward pool
              </p>
              <dl className="grid">
                <dt>active model</dt>
                <dd data-testid="verifier-model">{active ? `${active.model_name}@${active.model_version}` : "none"}</dd>
                <dt>receipts</dt>
                <dd data-testid="verifier-receipts">{config.receipts}</dd>
                <dt>bonds held</dt>
                <dd>{units.near(config.bonds_total)}</dd>
                <dt>minimum bond</dt>
                <dd>{units.near(config.settings.min_bond)}</dd>
                <dt>challenge window</dt>
                <dd>{units.duration(config.settings.challenge_window_ns)}</dd>
                <dt>dispute bond</dt>
                <dd>{units.near(config.settings.dispute_bond)}</dd>
                <dt>epoch now</dt>
                <dd>{units.epoch(current, length)}</dd>
              </dl>

              <h2>Attesters ({config.attesters})</h2>
              {config.attesters === 0 ? (
                <p className="muted">No attester yet: the council adds one with an AddAttester proposal.</p>
              ) : null}
              <ul className="cards" data-testid="attesters">
                {attesters.map((a) => (
                  <li key={a.attester_id} data-testid={`attester-${a.attester_id}`}>
                    <span className="mono">{a.attester_id}</span>
                    <span className={`status s-${a.status}`} data-testid="attester-status">
                      {a.status}
                    </span>
                    <div>
                      bond <span data-testid="attester-bond">{units.near(a.bond)}</span> (posted by{" "}
                      <span className="mono">{a.bond_owner}</span>) · {a.receipts} receipts, {a.voided} voided
                      {a.open_disputes > 0 ? ` · ${a.open_disputes} open dispute(s)` : ""}
                    </div>
                    <div className="muted">
                      added {units.when(a.added_at, now)}
                      {a.removed_at ? `, removed ${units.when(a.removed_at, now)}` : ""}
                    </div>
                    <div className="muted">
                      key <Hash value={a.public_key} />
                    </div>
                    {a.status === "Removed" && a.bond !== "0" ? (
                      <BondRelease
                        attester={a}
                        unlock={bondUnlockNs(BigInt(a.removed_at ?? "0"), BigInt(config.settings.challenge_window_ns))}
                        now={BigInt(now)}
                        signedIn={Boolean(wallet)}
                        release={() =>
                          ask({
                            what: `Release ${a.attester_id}'s bond of ${units.near(a.bond)} to ${a.bond_owner}, who posted it (its receipts are past challenge)`,
                            contractId: verifier,
                            methodName: "release_bond",
                            args: { attester_id: a.attester_id },
                            gas: RELEASE_BOND_GAS,
                            deposit: 0n,
                            contract: "inference-verifier",
                          })
                        }
                      />
                    ) : null}
                  </li>
                ))}
              </ul>
              <Pager page={attesterPage} total={config.attesters} onPage={setAttesterPage} />

              <h2>Receipts ({config.receipts})</h2>
              {config.receipts === 0 ? <p className="muted">No receipt yet.</p> : null}
              <ul className="cards" data-testid="receipts">
                {receipts.map((r) => {
                  const d = disputes.get(r.id);
                  return (
                    <li key={r.id} data-testid={`receipt-${r.id}`}>
                      <strong>#{r.id}</strong> {r.model_name}@{r.model_version}
                      <span className={`status s-${r.status}`} data-testid="receipt-status">
                        {r.status}
                      </span>
                      <div>
                        by <span className="mono">{r.attester_id}</span> (nonce {r.nonce}), relayed by{" "}
                        <span className="mono">{r.relayer}</span>
                      </div>
                      <div className="muted">
                        accepted {units.when(r.accepted_at, now)}, epoch {r.epoch}
                        {r.status === "Accepted"
                          ? windowText(BigInt(r.accepted_at), challengeWindowOf(config), now)
                          : ""}
                      </div>
                      <div className="muted">
                        proof <Hash value={r.hash} testId="receipt-hash" />
                      </div>
                      {d ? (
                        <div data-testid="dispute">
                          disputed by <span className="mono">{d.challenger}</span> {units.when(d.opened_at, now)} (bond{" "}
                          {units.near(d.bond)}): another receipt of{" "}
                          <span className="mono">{d.conflicting_attester_id}</span> for the same input gives another
                          output; the council upholds it (VoidReceipt) or dismisses it
                          {wallet ? (
                            <p>
                              <button
                                type="button"
                                onClick={() =>
                                  propose({
                                    kind: { kind: "VoidReceipt", receipt_id: r.id, reason: "dispute upheld" },
                                    description: `VoidReceipt #${r.id}: dispute upheld`,
                                  })
                                }
                              >
                                Propose upholding it
                              </button>{" "}
                              <button type="button" onClick={() => propose(dismissDisputeProposal(verifier, r.id))}>
                                Propose dismissing it
                              </button>
                            </p>
                          ) : null}
                        </div>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
              <Pager page={receiptPage} total={config.receipts} onPage={setReceiptPage} />
              <VerifyAnswer chain={chain} verifier={verifier} />
              {wallet ? <Challenge chain={chain} verifier={verifier} ask={ask} /> : null}

              <h2>Usage per epoch</h2>
              <p className="muted">
                What the verifier counted (accepted, not voided receipts per model and attester) and what the reward
                pool received; an epoch is reported once its challenge window has passed, by anyone, and closed in the
                pool once the whole report arrived. The newest {PAGE} epochs among the latest {EPOCH_SOURCE} receipts
                and the pool's.
              </p>
              {epochs.length === 0 ? <p className="muted">No usage yet.</p> : null}
              <ul className="cards" data-testid="epochs">
                {epochs.map((row) => {
                  const u = row.usage;
                  const counted = u ? Object.values(u.models).reduce((s, m) => s + m.receipts, 0) : 0;
                  return (
                    <li key={row.epoch} data-testid={`epoch-${row.epoch}`}>
                      <strong>{units.epoch(row.epoch, length)}</strong>
                      <div data-testid="epoch-verifier">
                        verifier: {u ? `${u.status}, ${counted} receipts` : "no receipts"}
                        {u && u.open_disputes > 0 ? `, ${u.open_disputes} open dispute(s)` : ""}
                        {u?.parts ? `, report part ${u.next_part ?? 0} of ${u.parts} confirmed` : ""}
                        {u?.last_error ? ` (last error: ${u.last_error})` : ""}
                      </div>
                      {u ? (
                        <ul>
                          {Object.entries(u.models).map(([model, m]) => (
                            <li key={model} data-testid={`epoch-model-${model}`}>
                              {model}: {m.receipts} ·{" "}
                              {Object.entries(m.by_attester)
                                .map(([a, n]) => `${a} ${n}`)
                                .join(", ")}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                      <div data-testid="epoch-pool">
                        reward pool:{" "}
                        {row.pool
                          ? `${row.pool.status}, ${row.pool.total_receipts} receipts reported (parts ${row.pool.reports} of ${row.pool.parts})${row.pool.status === "Closed" ? `, budget ${units.near(row.pool.budget)}, ${units.near(row.pool.distributed)} distributed` : ""}`
                          : pool
                            ? "nothing reported yet"
                            : "the community has no reward pool"}
                      </div>
                      <div className="actions">
                        {u && u.status !== "Reported" && wallet ? (
                          <button type="button" onClick={() => reportTx(row)}>
                            Report usage
                          </button>
                        ) : null}
                        {row.pool && row.pool.status !== "Closed" && row.pool.reports === row.pool.parts && wallet ? (
                          <button type="button" onClick={() => closeTx(row)}>
                            Close the epoch
                          </button>
                        ) : null}
                      </div>
                    </li>
                  );
                })}
              </ul>
              {wallet ? null : <p className="muted">Sign in to report an epoch's usage or close it.</p>}
            </>
          );
        }}
      </Show>
    </section>
  );
}

/**
 * A receipt pasted as JSON: a signed receipt, or one answer of `ai-commons attest --out` (attester/src/verify.ts, loaded
 * on demand with its secp256k1 code: only a challenge needs it).
 */
// A refusal of the attester's checks (its own ERR_ codes, with their meanings) or of the chain.
function checkProblem(err: unknown, chain: Chain): Problem {
  return err instanceof AttesterError
    ? { code: err.code, meaning: meaningOf(err.code) ?? err.message, detail: err.message }
    : problemOf(err, chain, "inference-verifier");
}

// What was pasted as `which`: a signed receipt or an answer (receipt with its opening), as pickReceipt reads it.
function answerOf(pickReceipt: typeof import("../../attester/src/verify.ts").pickReceipt, text: string, which: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AttesterError("ERR_INVALID_RECEIPT", `${which}: not JSON (${(e as Error).message})`);
  }
  return pickReceipt(json);
}

/**
 * Challenging a receipt: the receipt challenged and a conflicting one (same model and input, another output) signed by
 * another attester (a dispute: the verifier's dispute bond and the dispute's storage, the council decides) or by the
 * same one (an equivocation: free, the receipt voided and the attester slashed at once). Checked in the page as the
 * CLI's `verify` checks it (prepareChallenge); a refusal found there is shown with its code and nothing is sent.
 */
function Challenge({ chain, verifier, ask }: { chain: Chain; verifier: string; ask: (tx: Tx) => void }) {
  const [challenged, setChallenged] = useState("");
  const [conflicting, setConflicting] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      const { pickReceipt, prepareChallenge } = await import("../../attester/src/verify.ts");
      const view = (contractId: string, method: string, args: Record<string, unknown>) =>
        chain.view<unknown>(contractId, method, args);
      const c = await prepareChallenge(
        view,
        verifier,
        answerOf(pickReceipt, challenged, "the receipt challenged").receipt,
        answerOf(pickReceipt, conflicting, "the conflicting receipt").receipt,
        await chain.now(),
      );
      if (!c.ok) {
        const code = c.code ?? "ERROR";
        setProblem({ code, meaning: meaningOf(code, "inference-verifier") ?? c.detail, detail: c.detail });
        return;
      }
      const pay =
        c.kind === "equivocation"
          ? "An equivocation proof is free."
          : `The deposit is the dispute bond (${units.near(c.dispute_bond)}) and the dispute's storage; the unused part comes back.`;
      ask({
        what: `Challenge receipt #${c.args.receipt_id}: ${c.detail}. ${pay}`,
        contractId: c.contract_id,
        methodName: c.method,
        args: c.args as unknown as Record<string, unknown>,
        gas: BigInt(c.gas_tgas) * 10n ** 12n,
        deposit: BigInt(c.deposit),
        contract: "inference-verifier",
      });
    } catch (err) {
      setProblem(checkProblem(err, chain));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="challenge">
      <summary>Challenge a receipt</summary>
      <p className="muted">
        Two receipts for the same model and input with different outputs cannot both be right. Paste the receipt you
        challenge and the conflicting one (each a signed receipt, or one answer of <code>ai-commons attest --out</code>)
        while the challenged one is still challengeable.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          label="The receipt you challenge (JSON)"
          name="challenged"
          value={challenged}
          onChange={setChallenged}
          rows={3}
        />
        <TextField
          label="The conflicting receipt (JSON)"
          name="conflicting"
          value={conflicting}
          onChange={setConflicting}
          rows={3}
        />
        {problem ? <ProblemBox problem={problem} /> : null}
        <button type="submit" className="primary" disabled={busy || !challenged || !conflicting}>
          Review the challenge
        </button>
      </form>
    </details>
  );
}

// A removed attester's bond: held while a dispute on its receipts is open, locked for one challenge window after the
// removal, then anyone may send it back to who posted it.
function BondRelease({
  attester,
  unlock,
  now,
  signedIn,
  release,
}: {
  attester: Attester;
  unlock: bigint;
  now: bigint;
  signedIn: boolean;
  release: () => void;
}) {
  if (attester.open_disputes > 0) {
    return (
      <p className="muted" data-testid="bond-release">
        The bond is held while disputes on its receipts are open.
      </p>
    );
  }
  if (now < unlock) {
    return (
      <p className="muted" data-testid="bond-release">
        The bond is locked until {units.date(unlock)} (one challenge window after the removal); then anyone may send it
        back to {attester.bond_owner}.
      </p>
    );
  }
  return (
    <p data-testid="bond-release">
      <button type="button" onClick={release} disabled={!signedIn}>
        Release the bond to {attester.bond_owner}
      </button>
      {signedIn ? null : <span className="muted"> (sign in to send it)</span>}
    </p>
  );
}

type Verdict = import("../../attester/src/verify.ts").Verdict;

// Anyone, signed in or not: an answer of the community's model (the attester service's /v1/infer response or one answer
// of `ai-commons attest --out`: input, output, salt and signed receipt) checked as `ai-commons verify` checks it
// (attester/src/verify.ts verifyReceipt, loaded on demand): the salt opens the commitments, the attester's registered
// key signed it, the verifier holds it, the registry's active model then, and whether it is final.
function VerifyAnswer({ chain, verifier }: { chain: Chain; verifier: string }) {
  const [answer, setAnswer] = useState("");
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setVerdict(null);
    setBusy(true);
    try {
      const { pickReceipt, verifyReceipt } = await import("../../attester/src/verify.ts");
      const a = answerOf(pickReceipt, answer, "the answer");
      if (a.input === undefined || a.output === undefined || a.salt === undefined) {
        throw new AttesterError(
          "ERR_INVALID_RECEIPT",
          "a receipt alone cannot be opened: paste the whole answer, with its input, output and salt",
        );
      }
      const view = (contractId: string, method: string, args: Record<string, unknown>) =>
        chain.view<unknown>(contractId, method, args);
      setVerdict(
        await verifyReceipt(view, {
          verifier_id: verifier,
          receipt: a.receipt,
          input: a.input,
          output: a.output,
          salt: a.salt,
          now: await chain.now(),
        }),
      );
    } catch (err) {
      setProblem(checkProblem(err, chain));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="verify" data-testid="verify-answer">
      <summary>Verify an answer</summary>
      <p className="muted">
        Paste an answer of the community's model (what its attester service returned, or one answer of{" "}
        <code>ai-commons attest --out</code>): the page checks that it is the community's chosen model's answer to that
        input, signed by a bonded attester and held by the verifier.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextField label="The answer (JSON)" name="answer" value={answer} onChange={setAnswer} rows={4} />
        {problem ? <ProblemBox problem={problem} /> : null}
        <button type="submit" className="primary" disabled={busy || answer.trim() === ""}>
          {busy ? "Verifying…" : "Verify"}
        </button>
      </form>
      {verdict ? (
        <div data-testid="verdict">
          <p className={verdict.ok ? "ok" : "field-error"} data-testid="verdict-summary">
            {verdict.ok
              ? `Verified: receipt #${verdict.record?.id ?? "?"} of ${verdict.attester_id}, ${
                  verdict.finality === "final"
                    ? "final"
                    : `challengeable until ${verdict.final_at ? units.date(verdict.final_at) : "?"}`
                }`
              : `Not verified: ${verdict.checks.find((c) => c.ok === false)?.code ?? "a check failed"}`}
          </p>
          <ul className="checks">
            {verdict.checks.map((c) => (
              <li key={c.check} data-testid={`check-${c.check}`}>
                {c.ok === true ? "✓" : c.ok === false ? "✗" : "–"} {c.check}: {c.code ? `${c.code}: ` : ""}
                {c.detail}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </details>
  );
}
