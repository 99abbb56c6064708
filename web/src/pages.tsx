// The governance pages: communities, a community's home, its proposals, one proposal (tally, votes, vote and
// execute), and the form that proposes adding a member, a transfer, admitting or rejecting a dataset or activating a
// model (datasets.tsx, models.tsx and rewards.tsx are the suite's pages). Views come from the contracts; amounts, gas,
// dates and shares are formatted by scripts/cli/units.ts, values checked by scripts/cli/checks.ts, calls built with
// scripts/cli/dao-calls.ts: the CLI's own rules.
import { parseNearAmount } from "near-api-js";
import { type FormEvent, useState } from "react";
import type { Config, Policy, Proposal, RoleRule } from "../../contracts/community-dao/types.ts";
import { DEFAULT_ACTIVATION_DEPOSIT } from "../../contracts/wire/activation.ts";
import { DEPRECATION_DEPOSIT } from "../../contracts/wire/activation.ts";
import { CONFIG_MAX } from "../../contracts/wire/dao.ts";
import { isPublicKeyHex } from "../../contracts/wire/fields.ts";
import { defaultRewardPolicy, rewardPolicyError } from "../../contracts/wire/reward-policy.ts";
import { PROPOSAL_STATUSES, valueProblem } from "../../scripts/cli/checks.ts";
import {
  ADD_PROPOSAL_GAS,
  CHOICES,
  executeGasOf,
  type Member,
  proposalDeposit,
  type Treasury,
  VOTE_GAS,
  type Vote,
} from "../../scripts/cli/dao-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import { type Chain, PAGE, type Problem, problemOf, type Sent, type Tx, type Wallet } from "./chain.ts";
import { Events } from "./events.tsx";
import { Forks, Provenance } from "./forks.tsx";
import { activationDepositFor, newestFirst, Refusal } from "./suite.ts";
import { MorePager, Pager, ProblemBox, Show, useLoad } from "./ui.tsx";

export interface PageProps {
  chain: Chain;
  wallet: Wallet | null;
  /** bumped after every transaction: every page reloads its views */
  refresh: number;
  ask: (tx: Tx, after?: (sent: Sent) => void) => void;
  go: (path: string) => void;
}

interface CommunityRow {
  name: string;
  status: string;
  dao_id: string;
  creator: string;
}

export function Communities({ chain, refresh, factory }: PageProps & { factory: string }) {
  const [page, setPage] = useState(0);
  const loaded = useLoad(
    async () => {
      const total = await chain.view<number>(factory, "get_community_count");
      const rows = await chain.view<CommunityRow[]>(factory, "get_communities", {
        from_index: page * PAGE,
        limit: PAGE,
      });
      return { total, rows };
    },
    [chain, factory, page, refresh],
    chain,
  );
  return (
    <section>
      <h1>Communities</h1>
      <p className="muted">
        on the factory <span className="mono">{factory}</span> · <a href="#/create">Create a community</a>
      </p>
      <Show loaded={loaded}>
        {({ total, rows }) => (
          <>
            {rows.length === 0 ? <p>No community yet.</p> : null}
            <ul className="cards">
              {rows.map((c) => (
                <li key={c.name}>
                  {c.status === "Ready" ? (
                    <a href={`#/c/${c.dao_id}`}>{c.name}</a>
                  ) : (
                    <a href={`#/create/${c.name}`}>{c.name}</a>
                  )}
                  <span className={`status s-${c.status}`}>{c.status}</span>
                  <div className="muted mono">{c.dao_id}</div>
                </li>
              ))}
            </ul>
            <Pager page={page} total={total} onPage={setPage} />
          </>
        )}
      </Show>
    </section>
  );
}

interface DaoInfo {
  member_count: number;
  last_proposal_id: number;
  factory_id: string;
  suite: Record<string, string>;
}

export function CommunityHome(props: PageProps & { dao: string }) {
  const { chain, refresh, dao } = props;
  const [page, setPage] = useState(0);
  const loaded = useLoad(
    async () => {
      const [config, info, treasury, policy, members] = await Promise.all([
        chain.view<Config>(dao, "get_config"),
        chain.view<DaoInfo>(dao, "get_info"),
        chain.view<Treasury>(dao, "get_treasury"),
        chain.view<Policy>(dao, "get_policy"),
        chain.view<Member[]>(dao, "get_members", { from_index: page * PAGE, limit: PAGE }),
      ]);
      return { config, info, treasury, policy, members };
    },
    [chain, dao, page, refresh],
    chain,
  );
  return (
    <Show loaded={loaded}>
      {({ config, info, treasury, policy, members }) => (
        <section>
          <h1>{config.name}</h1>
          <p className="purpose">{config.purpose}</p>
          <Provenance {...props} factory={info.factory_id} />
          <nav className="tabs">
            <a href={`#/c/${dao}/proposals`}>Proposals ({info.last_proposal_id})</a>
            <a href={`#/c/${dao}/propose`}>New proposal</a>
            <a href={`#/c/${dao}/datasets`}>Datasets</a>
            <a href={`#/c/${dao}/models`}>Models</a>
            <a href={`#/c/${dao}/rewards`}>Rewards</a>
            <a href={`#/c/${dao}/inference`}>Inference</a>
          </nav>
          <h2>Treasury</h2>
          <dl className="grid">
            <dt>available</dt>
            <dd data-testid="treasury-available">{units.near(treasury.available)}</dd>
            <dt>balance</dt>
            <dd>{units.near(treasury.balance)}</dd>
            <dt>locked bonds</dt>
            <dd>{units.near(treasury.locked_bonds)}</dd>
            <dt>storage stake</dt>
            <dd>{units.near(treasury.storage_stake)}</dd>
          </dl>
          <h2>Members ({info.member_count})</h2>
          <ul className="members" data-testid="members">
            {members.map((m) => (
              <li key={m.account_id}>
                <span className="mono">{m.account_id}</span>
                <span className="roles">{m.roles.join(", ")}</span>
                {m.delegate ? <span className="muted"> delegates to {m.delegate}</span> : null}
              </li>
            ))}
          </ul>
          <Pager page={page} total={info.member_count} onPage={setPage} />
          <h2>Roles</h2>
          <ul>
            {policy.roles.map((r) => (
              <li key={r.name}>
                <strong>{r.name}</strong> ({r.kind === "Everyone" ? "everyone" : "members of the role"}): may{" "}
                {r.permissions.join(", ")}
              </li>
            ))}
          </ul>
          <p className="muted">
            Proposal bond {units.near(policy.parameters.proposal_bond)} (refunded when decided, less the proposal's
            storage); voting period {units.duration(policy.parameters.proposal_period)}
            {BigInt(policy.parameters.timelock) > 0n ? `, timelock ${units.duration(policy.parameters.timelock)}` : ""}.
          </p>
          <Forks
            {...props}
            proposals={info.last_proposal_id}
            treasury={treasury}
            policy={policy}
            members={info.member_count}
            factory={info.factory_id}
          />
          <Events {...props} />
        </section>
      )}
    </Show>
  );
}

type ProposalKindArgs = { kind: string } & Record<string, unknown>;

/** add_proposal of `kind`: the policy's bond or the proposal's storage (dao-calls.ts proposalDeposit), as the CLI. */
export function proposalTx(dao: string, policy: Policy, kind: ProposalKindArgs, description: string): Tx {
  return {
    what: `Propose: ${kindInWords(kind)}. The bond is refunded when the proposal is decided, less its storage.`,
    contractId: dao,
    methodName: "add_proposal",
    args: { description, kind },
    gas: ADD_PROPOSAL_GAS,
    deposit: proposalDeposit(BigInt(policy.parameters.proposal_bond), kind, description),
  };
}

/**
 * An ActivateModel proposal with the deposit the CLI computes (suite.ts activationDepositFor), shown before signing as
 * what the treasury will pay at execution; an unknown model is refused (ERR_UNKNOWN_MODEL) before anything is sent.
 */
export async function activationProposalTx(
  chain: Chain,
  dao: string,
  policy: Policy,
  modelId: string,
  description = "",
): Promise<Tx> {
  const deposit = await activationDepositFor(chain, dao, modelId);
  const kind = { kind: "ActivateModel", model_id: modelId, deposit: deposit.toString() };
  // the CLI's description (scripts/cli/dao.ts buildKind)
  const tx = proposalTx(dao, policy, kind, description || `ActivateModel ${modelId}`);
  return { ...tx, details: [["from the treasury", units.near(deposit), "tx-treasury"]] };
}

/** A proposal kind in words (the common kinds), else its fields in human units (units.humanFields, as the CLI). */
export function kindInWords(kind: Proposal["kind"] | ({ kind: string } & Record<string, unknown>)): string {
  const k = kind as Record<string, unknown> & { kind: string };
  switch (k.kind) {
    case "AddMember":
      return `Add ${k.member_id} to the role ${k.role}`;
    case "RemoveMember":
      return `Remove ${k.member_id} from the role ${k.role}`;
    case "Transfer":
      return `Transfer ${units.near(k.amount as string)} from the treasury to ${k.receiver_id}${k.memo ? ` (memo: ${k.memo})` : ""}`;
    case "ChangeConfig": {
      const c = k.config as Config;
      return `Change the title to “${c.name}” and the purpose to “${c.purpose}”`;
    }
    case "DeprecateModel":
      return `Deprecate the model ${k.model_id}${k.reason ? ` (reason: ${k.reason})` : ""}`;
    case "RollbackModel":
      return "Roll back to the latest earlier activation that is not deprecated";
    case "AddAttester":
      return `Add the attester ${k.attester_id} with a bond of ${units.near(k.bond as string)} from the treasury`;
    case "RemoveAttester":
      return `Remove the attester ${k.attester_id} (its bond comes back to the treasury)`;
    case "Fork":
      return `Fork into the community ${k.name}: members may join and leave with their share`;
    case "Signal":
      return `Signal: ${k.message ?? ""}`;
    case "FundRewardPool":
      return `Fund the reward pool with ${units.near(k.amount as string)} from the treasury`;
    case "AdmitDataset":
      return `Admit the dataset ${k.dataset_id}${k.memo ? ` (memo: ${k.memo})` : ""}`;
    case "RejectDataset":
      return `Reject the dataset ${k.dataset_id}${k.memo ? ` (memo: ${k.memo})` : ""}`;
    case "ActivateModel":
      return `Activate the model ${k.model_id}${k.deposit ? `, with ${units.near(k.deposit as string)} from the treasury for what the activation stores` : ""}`;
    default:
      return `${k.kind}: ${JSON.stringify(units.humanFields(kind))}`;
  }
}

/** What executing a proposal of `kind` sends from the treasury (contracts/community-dao/kinds/suite.ts), if anything. */
function fromTreasury(k: ProposalKindArgs): Tx["details"] {
  let amount: bigint | string | null = null;
  if (k.kind === "ActivateModel" || k.kind === "RollbackModel") {
    // the DAO attaches an activation's deposit from its treasury
    amount = (k.deposit as string | undefined) ?? DEFAULT_ACTIVATION_DEPOSIT;
  } else if (k.kind === "DeprecateModel") amount = DEPRECATION_DEPOSIT;
  else if (k.kind === "FundRewardPool" || k.kind === "Transfer") amount = k.amount as string;
  else if (k.kind === "AddAttester") amount = k.bond as string;
  if (amount === null) return undefined;
  const label = k.kind === "AddAttester" ? "bond from the treasury (plus its record's storage)" : "from the treasury";
  return [[label, units.near(amount), "tx-treasury"]];
}

/** get_proposals reads at most this many at once */
const PROPOSALS_READ = 100;

/**
 * Page `page` of the proposals newest first: with no status, exactly that page (`total` for the pager); with one,
 * the DAO has no view by status, so the proposals are read back from the newest, a hundred at a time, only until
 * the page and one more match (`more`) or the first proposal is reached.
 */
async function proposalsPage(
  chain: Chain,
  dao: string,
  status: string,
  page: number,
): Promise<{ shown: Proposal[]; total: number | null; more: boolean }> {
  const total = (await chain.view<DaoInfo>(dao, "get_info")).last_proposal_id;
  if (!status) {
    const range = newestFirst(page, total);
    const shown = range ? await chain.view<Proposal[]>(dao, "get_proposals", range) : [];
    return { shown: shown.reverse(), total, more: false };
  }
  const want = (page + 1) * PAGE + 1;
  const matches: Proposal[] = [];
  for (let end = total; end > 0 && matches.length < want; end -= PROPOSALS_READ) {
    const from = Math.max(0, end - PROPOSALS_READ);
    const read = await chain.view<Proposal[]>(dao, "get_proposals", { from_index: from, limit: end - from });
    matches.push(...read.reverse().filter((p) => p.status === status));
  }
  return { shown: matches.slice(page * PAGE, (page + 1) * PAGE), total: null, more: matches.length >= want };
}

export function Proposals({ chain, refresh, dao, status }: PageProps & { dao: string; status: string }) {
  const [page, setPage] = useState(0);
  const loaded = useLoad(
    async () => {
      const [found, now] = await Promise.all([proposalsPage(chain, dao, status, page), chain.now()]);
      return { ...found, now };
    },
    [chain, dao, status, page, refresh],
    chain,
  );
  const setStatus = (s: string) => {
    setPage(0);
    location.hash = `#/c/${dao}/proposals${s ? `?status=${s}` : ""}`;
  };
  return (
    <section>
      <h1>Proposals</h1>
      <p>
        <a href={`#/c/${dao}`}>‹ community</a> · <a href={`#/c/${dao}/propose`}>New proposal</a>
      </p>
      <label>
        Status{" "}
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label="status">
          <option value="">all</option>
          {PROPOSAL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <Show loaded={loaded}>
        {({ shown, total, more, now }) => {
          return (
            <>
              {shown.length === 0 && page === 0 ? <p>No proposal{status ? ` with status ${status}` : ""}.</p> : null}
              <ul className="cards">
                {shown.map((p) => (
                  <li key={p.id}>
                    <a href={`#/c/${dao}/p/${p.id}`}>
                      #{p.id} {kindInWords(p.kind)}
                    </a>
                    <span className={`status s-${p.status}`}>{p.status}</span>
                    <div className="muted">
                      {p.description} · by {p.proposer} ·{" "}
                      {p.decided_at
                        ? `decided ${units.relative(p.decided_at, now)}`
                        : `voting ends ${units.relative(p.voting_ends_at, now)}`}
                    </div>
                  </li>
                ))}
              </ul>
              {total === null ? (
                <MorePager page={page} more={more} onPage={setPage} />
              ) : (
                <Pager page={page} total={total} onPage={setPage} />
              )}
            </>
          );
        }}
      </Show>
    </section>
  );
}

// The weight a rule needs to decide: the contract's rule (contracts/community-dao/policy.ts thresholdWeight), which
// lives beside near-sdk-js code the browser cannot load; restated here until it moves to contracts/wire.
function needed(rule: RoleRule): number {
  const t = rule.threshold;
  if (t.kind === "Weight") return rule.everyone || rule.total === 0 ? t.weight : Math.min(t.weight, rule.total);
  if (rule.total === 0) return Number.MAX_SAFE_INTEGER;
  return Math.min(rule.total, Math.floor((rule.total * t.numerator) / t.denominator) + 1);
}

function thresholdWords(rule: RoleRule): string {
  // a role that may only execute (or remove) this kind is part of the proposal's rules but casts no vote
  if (!rule.actions.includes("vote")) return `does not vote on this kind; may ${rule.actions.join(", ")}`;
  const t = rule.threshold;
  const need = needed(rule);
  const of = rule.everyone ? "" : ` of ${rule.total}`;
  const rule_ = t.kind === "Ratio" ? `more than ${t.numerator}/${t.denominator}` : `a weight of ${t.weight}`;
  return `${rule_}${of}: ${need === Number.MAX_SAFE_INTEGER ? "cannot pass (no members)" : `${need} needed`}${rule.quorum > 0 ? `, quorum ${rule.quorum}` : ""}`;
}

export function ProposalDetail({ chain, wallet, refresh, ask, dao, id }: PageProps & { dao: string; id: number }) {
  const loaded = useLoad(
    async () => {
      const [p, info, now] = await Promise.all([
        chain.view<Proposal>(dao, "get_proposal", { id }),
        chain.view<DaoInfo>(dao, "get_info"),
        chain.now(),
      ]);
      // who voted what: the DAO's get_votes pages over its members, non-voters skipped (scripts/cli/dao.ts getVotes)
      const votes: Vote[] = [];
      for (let from = 0; from < info.member_count; from += 100) {
        votes.push(...(await chain.view<Vote[]>(dao, "get_votes", { id, from_index: from, limit: 100 })));
      }
      return { p, votes, now };
    },
    [chain, dao, id, refresh],
    chain,
  );
  const vote = (choice: string, p: Proposal) =>
    ask({
      what: `Vote ${choice} on proposal #${p.id}: ${kindInWords(p.kind)}`,
      contractId: dao,
      methodName: "vote",
      args: { id: p.id, choice },
      gas: VOTE_GAS,
      deposit: 0n,
    });
  const execute = (p: Proposal) => {
    const gas = executeGasOf(p.kind as { kind: string } & Record<string, unknown>);
    if (gas === null) return;
    const k = p.kind as ProposalKindArgs;
    ask({
      what: `Execute proposal #${p.id}: ${kindInWords(p.kind)}`,
      contractId: dao,
      methodName: "execute",
      args: { id: p.id },
      gas,
      deposit: 0n,
      // the DAO attaches an activation's deposit from its treasury (contracts/community-dao/kinds/suite.ts)
      details: fromTreasury(k),
    });
  };
  return (
    <Show loaded={loaded}>
      {({ p, votes, now }) => {
        const mine = wallet ? votes.find((v) => v.account_id === wallet.accountId) : undefined;
        return (
          <section>
            <p>
              <a href={`#/c/${dao}/proposals`}>‹ proposals</a>
            </p>
            <h1>
              Proposal #{p.id}{" "}
              <span className={`status s-${p.status}`} data-testid="proposal-status">
                {p.status}
              </span>
            </h1>
            <p className="what" data-testid="proposal-kind">
              {kindInWords(p.kind)}
            </p>
            <p>{p.description}</p>
            <dl className="grid">
              <dt>proposer</dt>
              <dd>
                {p.proposer} (bond {units.near(p.bond)})
              </dd>
              <dt>submitted</dt>
              <dd>{units.when(p.submitted_at, now)}</dd>
              <dt>voting ends</dt>
              <dd>{units.when(p.voting_ends_at, now)}</dd>
              {p.decided_at ? (
                <>
                  <dt>decided</dt>
                  <dd>{units.when(p.decided_at, now)}</dd>
                </>
              ) : null}
              {p.decided_at && BigInt(p.timelock) > 0n ? (
                <>
                  <dt>executable</dt>
                  <dd>{units.when(BigInt(p.decided_at) + BigInt(p.timelock), now)}</dd>
                </>
              ) : null}
            </dl>
            <h2>Tally</h2>
            <ul className="tally" data-testid="tally">
              {p.rules.map((r) => (
                <li key={r.role}>
                  <strong>{r.role}</strong>
                  {r.actions.includes("vote")
                    ? `: ${r.approve} yes, ${r.reject} no, ${r.abstain} abstain${r.remove ? `, ${r.remove} remove` : ""}`
                    : ""}{" "}
                  <span className="muted">({thresholdWords(r)})</span>
                </li>
              ))}
            </ul>
            <h2>Votes ({votes.length})</h2>
            {votes.length === 0 ? <p className="muted">none yet</p> : null}
            <ul data-testid="votes">
              {votes.map((v) => (
                <li key={v.account_id}>
                  <span className="mono">{v.account_id}</span> {v.choice}
                </li>
              ))}
            </ul>
            {p.voters > votes.length ? (
              <p className="muted">({p.voters - votes.length} more by accounts no longer members)</p>
            ) : null}
            {p.last_error ? <output className="problem">last error: {p.last_error}</output> : null}
            {wallet ? (
              <div className="actions">
                {p.status === "InProgress"
                  ? ["Approve", "Reject", "Abstain"].map((c) => (
                      <button
                        type="button"
                        key={c}
                        onClick={() => vote(c, p)}
                        className={c === "Approve" ? "primary" : ""}
                      >
                        {c}
                      </button>
                    ))
                  : null}
                {p.status === "Approved" || p.status === "Failed" ? (
                  <button type="button" className="primary" onClick={() => execute(p)}>
                    Execute
                  </button>
                ) : null}
                {mine ? <span className="muted">you voted {mine.choice}</span> : null}
              </div>
            ) : (
              <p className="muted">Sign in to vote or execute.</p>
            )}
            <p className="muted small">Vote choices: {Object.values(CHOICES).join(", ")}.</p>
          </section>
        );
      }}
    </Show>
  );
}

/** The kinds the form proposes, by the CLI's `propose <kind>` names. */
type ProposeKind =
  | "add-member"
  | "remove-member"
  | "change-config"
  | "transfer"
  | "admit-dataset"
  | "reject-dataset"
  | "activate-model"
  | "deprecate-model"
  | "rollback-model"
  | "add-attester"
  | "remove-attester"
  | "fund-pool"
  | "set-reward-policy"
  | "fork";

const PROPOSE_KINDS: ProposeKind[] = [
  "add-member",
  "remove-member",
  "change-config",
  "transfer",
  "admit-dataset",
  "reject-dataset",
  "activate-model",
  "deprecate-model",
  "rollback-model",
  "add-attester",
  "remove-attester",
  "fund-pool",
  "set-reward-policy",
  "fork",
];

export function Propose({
  chain,
  wallet,
  refresh,
  ask,
  go,
  dao,
  initialKind,
}: PageProps & { dao: string; initialKind?: string }) {
  const [kind, setKind] = useState<ProposeKind>(PROPOSE_KINDS.find((k) => k === initialKind) ?? "add-member");
  const [forkName, setForkName] = useState("");
  const [publicKey, setPublicKey] = useState("");
  const [bond, setBond] = useState("1");
  const [rewardPolicy, setRewardPolicy] = useState(JSON.stringify(defaultRewardPolicy()));
  const [record, setRecord] = useState("");
  const [refused, setRefused] = useState<Problem | null>(null);
  const [member, setMember] = useState("");
  const [role, setRole] = useState("council");
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [memo, setMemo] = useState("");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [title, setTitle] = useState("");
  const [purpose, setPurpose] = useState("");
  const loaded = useLoad(
    async () => {
      const [policy, config] = await Promise.all([
        chain.view<Policy>(dao, "get_policy"),
        chain.view<Config>(dao, "get_config"),
      ]);
      return { policy, config };
    },
    [chain, dao, refresh],
    chain,
  );

  const submit = async (e: FormEvent, policy: Policy, config: Config) => {
    e.preventDefault();
    setRefused(null);
    const bad: Record<string, string> = {};
    let k: Record<string, unknown>;
    let fallback: string;
    if (kind === "admit-dataset" || kind === "reject-dataset" || kind === "activate-model") {
      const why = valueProblem("record", record);
      if (why) {
        setErrors({ record: `must be ${why}` });
        return;
      }
      if (kind === "activate-model") {
        setErrors({});
        try {
          const tx = await activationProposalTx(chain, dao, policy, record, description);
          ask(tx, (sent) => go(`/c/${dao}/p/${sent.value}`));
        } catch (err) {
          setRefused(problemOf(err, chain, "model-registry"));
        }
        return;
      }
      k = { kind: kind === "admit-dataset" ? "AdmitDataset" : "RejectDataset", dataset_id: record };
      if (memo) k.memo = memo;
      // the CLI's descriptions (scripts/cli/dao.ts buildKind)
      fallback = `${k.kind} ${record}`;
    } else if (kind === "add-member" || kind === "remove-member") {
      const why = valueProblem("account", member);
      if (why) bad.member = `must be ${why}`;
      const adding = kind === "add-member";
      k = { kind: adding ? "AddMember" : "RemoveMember", member_id: member, role };
      fallback = `${adding ? "add" : "remove"} ${member} ${adding ? "to" : "from"} ${role}`;
    } else if (kind === "deprecate-model") {
      const why = valueProblem("record", record);
      if (why) bad.record = `must be ${why}`;
      k = { kind: "DeprecateModel", model_id: record, ...(memo ? { reason: memo } : {}) };
      fallback = `DeprecateModel ${record}`;
    } else if (kind === "rollback-model") {
      // back to the latest earlier activation that is not deprecated (the registry picks it; ERR_NO_ROLLBACK_TARGET)
      k = { kind: "RollbackModel" };
      fallback = "RollbackModel";
    } else if (kind === "add-attester" || kind === "remove-attester") {
      const why = valueProblem("account", member);
      if (why) bad.member = `must be ${why}`;
      if (kind === "add-attester") {
        // the DAO's own checks (contracts/community-dao/kinds/suite.ts): a 64-byte key without 04, a bond above 0
        if (!isPublicKeyHex(publicKey))
          bad.publicKey = "must be 128 lower-case hex characters (a 64-byte key without 04)";
        const whyBond = valueProblem("near", bond);
        const yocto = whyBond ? "0" : (parseNearAmount(bond as `${number}`) ?? "0");
        if (whyBond || yocto === "0") bad.bond = `must be ${whyBond ?? "more than 0"}`;
        k = { kind: "AddAttester", attester_id: member, public_key: publicKey, bond: yocto };
        fallback = `AddAttester ${member}`;
      } else {
        k = { kind: "RemoveAttester", attester_id: member };
        fallback = `RemoveAttester ${member}`;
      }
    } else if (kind === "fund-pool") {
      const whyAmount = valueProblem("near", amount);
      const yocto = whyAmount ? "0" : (parseNearAmount(amount as `${number}`) ?? "0");
      if (whyAmount || yocto === "0") bad.amount = `must be ${whyAmount ?? "more than 0"}`;
      k = { kind: "FundRewardPool", amount: yocto, ...(memo ? { memo } : {}) };
      fallback = `FundRewardPool ${units.near(yocto)} from the treasury`;
    } else if (kind === "set-reward-policy") {
      const whyJson = valueProblem("json", rewardPolicy);
      if (whyJson) {
        setErrors({ rewardPolicy: `must be ${whyJson}` });
        return;
      }
      const parsed = JSON.parse(rewardPolicy) as unknown;
      // the pool's own validator (contracts/wire/reward-policy.ts), as the DAO runs it at add_proposal
      const refusal = rewardPolicyError(parsed, "ERR_INVALID_REWARD_POLICY");
      if (refusal) {
        setErrors({});
        const [code, ...detail] = refusal.split(": ");
        setRefused(problemOf(new Refusal(code, detail.join(": ") || code), chain, "community-dao"));
        return;
      }
      k = { kind: "SetRewardPolicy", policy: parsed };
      fallback = `SetRewardPolicy ${rewardPolicy}`;
    } else if (kind === "fork") {
      // the fork's community is created by the factory under this name (docs/fork.md)
      const why = valueProblem("communityName", forkName);
      if (why) bad.forkName = `must be ${why}`;
      k = { kind: "Fork", name: forkName };
      fallback = `fork into ${forkName}`;
    } else if (kind === "change-config") {
      // what is left empty keeps its current value, as the CLI's change-config without --title or --purpose
      const next = { name: title || config.name, purpose: purpose || config.purpose, metadata: config.metadata };
      const whyTitle = valueProblem("title", next.name);
      if (whyTitle) bad.title = `must be ${whyTitle}`;
      const whyPurpose = valueProblem("purpose", next.purpose);
      if (whyPurpose) bad.purpose = `must be ${whyPurpose}`;
      k = { kind: "ChangeConfig", config: next };
      fallback = `change config to ${JSON.stringify(next)}`;
    } else {
      const whyTo = valueProblem("account", to);
      if (whyTo) bad.to = `must be ${whyTo}`;
      const whyAmount = valueProblem("near", amount);
      if (whyAmount) bad.amount = `must be ${whyAmount}`;
      const yocto = whyAmount ? "0" : (parseNearAmount(amount as `${number}`) ?? "0");
      k = { kind: "Transfer", receiver_id: to, amount: yocto, ...(memo ? { memo } : {}) };
      fallback = `transfer ${units.near(yocto)} to ${to}`;
    }
    setErrors(bad);
    if (Object.keys(bad).length > 0) return;
    ask(proposalTx(dao, policy, k as ProposalKindArgs, description || fallback), (sent) =>
      go(`/c/${dao}/p/${sent.value}`),
    );
  };

  const field = (name: string) => (errors[name] ? <div className="field-error">{errors[name]}</div> : null);
  // the inputs several kinds share (Transfer and FundRewardPool: an amount; they and the dataset kinds: a memo)
  const memoInput = (
    <label>
      Memo (optional)
      <input value={memo} onChange={(e) => setMemo(e.target.value)} name="memo" />
    </label>
  );
  const amountInput = (label: string, placeholder: string) => (
    <label>
      {label}
      <input
        value={amount}
        onChange={(e) => setAmount(e.target.value.trim())}
        inputMode="decimal"
        placeholder={placeholder}
        name="amount"
      />
    </label>
  );
  return (
    <section>
      <p>
        <a href={`#/c/${dao}`}>‹ community</a>
      </p>
      <h1>New proposal</h1>
      <Show loaded={loaded}>
        {({ policy, config }) => (
          <form onSubmit={(e) => void submit(e, policy, config)} noValidate>
            <label>
              Kind
              <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} aria-label="kind">
                <option value="add-member">Add a member</option>
                <option value="remove-member">Remove a member</option>
                <option value="change-config">Change the title or purpose</option>
                <option value="transfer">Transfer from the treasury</option>
                <option value="admit-dataset">Admit a dataset</option>
                <option value="reject-dataset">Reject a dataset</option>
                <option value="activate-model">Activate a model</option>
                <option value="deprecate-model">Deprecate a model</option>
                <option value="rollback-model">Roll back the active model</option>
                <option value="add-attester">Add an attester</option>
                <option value="remove-attester">Remove an attester</option>
                <option value="fund-pool">Fund the reward pool</option>
                <option value="set-reward-policy">Set the reward policy</option>
                <option value="fork">Fork the community</option>
              </select>
            </label>
            {kind === "admit-dataset" || kind === "reject-dataset" || kind === "activate-model" ? (
              <>
                <label>
                  {kind === "activate-model" ? "Model" : "Dataset"} (name@version)
                  <input
                    value={record}
                    onChange={(e) => setRecord(e.target.value.trim())}
                    placeholder={kind === "activate-model" ? "intents@1.0.0" : "corpus@1.0.0"}
                    name="record"
                  />
                </label>
                {field("record")}
                {kind === "activate-model" ? null : memoInput}
              </>
            ) : kind === "deprecate-model" ? (
              <>
                <label>
                  Model (name@version)
                  <input
                    value={record}
                    onChange={(e) => setRecord(e.target.value.trim())}
                    placeholder="intents@1.0.0"
                    name="record"
                  />
                </label>
                {field("record")}
                <label>
                  Reason (optional)
                  <input value={memo} onChange={(e) => setMemo(e.target.value)} name="memo" />
                </label>
                <p className="muted">
                  At execution the treasury pays {units.near(DEPRECATION_DEPOSIT)} for what the registry stores.
                </p>
              </>
            ) : kind === "rollback-model" ? (
              <p className="muted">
                The registry goes back to the latest earlier activation that is not deprecated; at execution the
                treasury pays {units.near(DEFAULT_ACTIVATION_DEPOSIT)} for what it stores (the rest comes back).
              </p>
            ) : kind === "add-attester" || kind === "remove-attester" ? (
              <>
                <label>
                  Attester account
                  <input
                    value={member}
                    onChange={(e) => setMember(e.target.value.trim())}
                    placeholder="att.test.near"
                    name="member"
                  />
                </label>
                {field("member")}
                {kind === "add-attester" ? (
                  <>
                    <label>
                      Public key (128 hex, from `ai-commons attester keygen`)
                      <input value={publicKey} onChange={(e) => setPublicKey(e.target.value.trim())} name="publicKey" />
                    </label>
                    {field("publicKey")}
                    <label>
                      Bond from the treasury (NEAR)
                      <input
                        value={bond}
                        onChange={(e) => setBond(e.target.value.trim())}
                        inputMode="decimal"
                        name="bond"
                      />
                    </label>
                    {field("bond")}
                  </>
                ) : null}
              </>
            ) : kind === "fund-pool" ? (
              <>
                {amountInput("Amount from the treasury (NEAR)", "2")}
                {field("amount")}
                {memoInput}
              </>
            ) : kind === "set-reward-policy" ? (
              <>
                <label>
                  Reward policy (JSON: shares in basis points summing to 10,000, attester fee in yocto, epoch length in
                  ns, release share)
                  <textarea
                    value={rewardPolicy}
                    onChange={(e) => setRewardPolicy(e.target.value)}
                    name="rewardPolicy"
                    rows={4}
                  />
                </label>
                {field("rewardPolicy")}
              </>
            ) : kind === "fork" ? (
              <>
                <label>
                  Name of the fork's community
                  <input
                    value={forkName}
                    onChange={(e) => setForkName(e.target.value.trim())}
                    placeholder="acme-fork"
                    name="forkName"
                  />
                </label>
                {field("forkName")}
                <p className="muted">
                  Once executed, members have the policy's fork window to join; if enough do, the fork's community is
                  created and paid their share of the treasury, and they leave with it.
                </p>
              </>
            ) : kind === "change-config" ? (
              <>
                <label>
                  Title (at most {CONFIG_MAX.name} characters; empty: keep “{config.name}”)
                  <input value={title} onChange={(e) => setTitle(e.target.value)} name="title" />
                </label>
                {field("title")}
                <label>
                  Purpose (at most {CONFIG_MAX.purpose} characters; empty: keep the current one)
                  <textarea value={purpose} onChange={(e) => setPurpose(e.target.value)} name="purpose" rows={3} />
                </label>
                {field("purpose")}
              </>
            ) : kind === "add-member" || kind === "remove-member" ? (
              <>
                <label>
                  Member account
                  <input
                    value={member}
                    onChange={(e) => setMember(e.target.value.trim())}
                    placeholder="carol.test.near"
                    name="member"
                  />
                </label>
                {field("member")}
                <label>
                  Role
                  <select value={role} onChange={(e) => setRole(e.target.value)} aria-label="role">
                    {policy.roles
                      .filter((r) => r.kind === "Group")
                      .map((r) => (
                        <option key={r.name}>{r.name}</option>
                      ))}
                  </select>
                </label>
              </>
            ) : (
              <>
                <label>
                  Receiver account
                  <input
                    value={to}
                    onChange={(e) => setTo(e.target.value.trim())}
                    placeholder="bob.test.near"
                    name="to"
                  />
                </label>
                {field("to")}
                {amountInput("Amount (NEAR)", "0.5")}
                {field("amount")}
                {memoInput}
              </>
            )}
            <label>
              Description (optional)
              <input value={description} onChange={(e) => setDescription(e.target.value)} name="description" />
            </label>
            <p className="muted">
              Bond: {units.near(policy.parameters.proposal_bond)}, refunded when the proposal is decided (less its
              storage).
            </p>
            {refused ? <ProblemBox problem={refused} /> : null}
            <button type="submit" className="primary" disabled={!wallet}>
              {wallet ? "Review the transaction" : "Sign in to propose"}
            </button>
          </form>
        )}
      </Show>
    </section>
  );
}
