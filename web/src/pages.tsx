// The governance pages: communities, a community's home, its proposals, one proposal (tally, votes, vote and
// execute), and the form that proposes adding a member, a transfer, admitting or rejecting a dataset or activating a
// model (datasets.tsx, models.tsx and rewards.tsx are the suite's pages). Views come from the contracts; amounts, gas,
// dates and shares are formatted by scripts/cli/units.ts, values checked by scripts/cli/checks.ts, calls built with
// scripts/cli/dao-calls.ts: the CLI's own rules.
import { parseNearAmount } from "near-api-js";
import { type FormEvent, useState } from "react";
import { nextPolicyOf, type PolicyChange } from "../../contracts/community-dao/policy.ts";
import type {
  Config,
  Policy,
  Proposal,
  ProposalKind,
  Role,
  RoleRule,
  VotePolicy,
} from "../../contracts/community-dao/types.ts";
import { DEFAULT_ACTIVATION_DEPOSIT } from "../../contracts/wire/activation.ts";
import { DEPRECATION_DEPOSIT } from "../../contracts/wire/activation.ts";
import { CONFIG_MAX, thresholdWeight } from "../../contracts/wire/dao.ts";
import { isMethodName, isPublicKeyHex } from "../../contracts/wire/fields.ts";
import { defaultRewardPolicy, rewardPolicyError } from "../../contracts/wire/reward-policy.ts";
import { PROPOSAL_STATUSES, valueProblem } from "../../scripts/cli/checks.ts";
import {
  ADD_PROPOSAL_GAS,
  CHOICES,
  DAO_CODE,
  executeGasFor,
  factoryReleaseOf,
  hoursNs,
  type Member,
  proposalDeposit,
  type Treasury,
  upgradeKindOf,
  VOTE_GAS,
  type Vote,
} from "../../scripts/cli/dao-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import { type Chain, PAGE, type Problem, problemOf, type Sent, type Tx, type Wallet } from "./chain.ts";
import { Events } from "./events.tsx";
import { Forks, Provenance } from "./forks.tsx";
import { Membership } from "./membership.tsx";
import { activationDepositFor, codeReads, newestFirst, Refusal } from "./suite.ts";
import { Hash, MorePager, Pager, ProblemBox, Show, TextField, useLoad } from "./ui.tsx";
import { TGAS } from "../../contracts/wire/units.ts";

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
  role_counts: Record<string, number>;
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
          <Membership {...props} />
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
    // what its execution will send from the treasury (a transfer, a function call's deposit, ...), shown now too
    details: fromTreasury(kind),
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
    case "RetireDataset":
      return `Retire the dataset ${k.dataset_id}: no new manifest may name it${k.memo ? ` (memo: ${k.memo})` : ""}`;
    case "VoidReceipt":
      return `Void the inference receipt #${k.receipt_id}${k.slash ? ", slashing its attester's bond" : ""}${k.reason ? ` (reason: ${k.reason})` : ""}`;
    case "FunctionCall": {
      const f = kind as Extract<ProposalKind, { kind: "FunctionCall" }>;
      const calls = f.actions.map(
        (a) => `${a.method_name}(${argsText(a.args)}) with ${units.near(a.deposit)} and ${units.tgas(a.gas)}`,
      );
      return `Call ${f.receiver_id} as the DAO: ${calls.join("; ")}`;
    }
    case "ChangePolicy":
      return `Replace the whole policy (${(k.policy as Policy).roles?.length ?? 0} roles)`;
    case "ChangePolicyAddOrUpdateRole": {
      const r = k.role as Role;
      return `Add or update the role ${r.name} (${r.kind === "Everyone" ? "everyone" : "a group"}) that may ${r.permissions.join(", ") || "do nothing"}${Object.keys(r.vote_policy ?? {}).length ? `, with its own vote policy for ${Object.keys(r.vote_policy).join(", ")}` : ""}`;
    }
    case "ChangePolicyRemoveRole":
      return `Remove the role ${k.role}`;
    case "ChangePolicyUpdateDefaultVotePolicy":
      return `Set the default vote policy: ${votePolicyWords(k.vote_policy as VotePolicy)}`;
    case "ChangePolicyUpdateParameters": {
      const p = k.parameters as Partial<Policy["parameters"]>;
      const parts = [
        p.proposal_bond !== undefined ? `the proposal bond to ${units.near(p.proposal_bond)}` : "",
        p.proposal_period !== undefined ? `the voting period to ${units.duration(p.proposal_period)}` : "",
        p.timelock !== undefined ? `the timelock to ${units.duration(p.timelock)}` : "",
      ].filter(Boolean);
      return `Change ${parts.join(", ")}`;
    }
    case "UpgradeSelf":
      return `Upgrade the DAO itself to ${k.global ? "the global code" : "the stored code"} ${k.hash}`;
    case "UpgradeSuite":
      return `Upgrade ${k.contract} to ${k.global ? "the global code" : "the stored code"} ${k.hash}${k.deposit ? `, with ${units.near(k.deposit as string)} from the treasury for its storage` : ""}`;
    default:
      return `${k.kind}: ${JSON.stringify(units.humanFields(kind))}`;
  }
}

/** A FunctionCall action's arguments (base64 of their bytes) as text. */
function argsText(base64: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  } catch {
    return base64;
  }
}

/** A vote policy in words: "more than 1/2 of the role's weight, quorum 0, one vote per member" */
function votePolicyWords(vp: VotePolicy): string {
  const t = vp.threshold;
  const need = t.kind === "Ratio" ? `more than ${t.numerator}/${t.denominator}` : `a weight of ${t.weight}`;
  const weight = vp.weight_kind === "RoleWeight" ? "one vote per member" : "votes weighted by delegation";
  return `${need}, quorum ${vp.quorum}, ${weight}`;
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
  else if (k.kind === "UpgradeSuite" && k.deposit) amount = k.deposit as string;
  else if (k.kind === "FunctionCall") {
    const sum = (k.actions as { deposit: string }[]).reduce((n, a) => n + BigInt(a.deposit), 0n);
    if (sum > 0n) amount = sum;
  }
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

function thresholdWords(rule: RoleRule): string {
  // a role that may only execute (or remove) this kind is part of the proposal's rules but casts no vote
  if (!rule.actions.includes("vote")) return `does not vote on this kind; may ${rule.actions.join(", ")}`;
  const t = rule.threshold;
  // the DAO's own rule (contracts/wire/dao.ts)
  const need = thresholdWeight(rule);
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
  const execute = async (p: Proposal) => {
    const k = p.kind as ProposalKindArgs;
    // an upgrade's gas grows with its code: the DAO's own figure (scripts/cli/dao-calls.ts executeGasFor)
    const gas = await executeGasFor((c, m, a) => chain.view(c, m, a ?? {}), dao, k);
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
                  <button type="button" className="primary" onClick={() => void execute(p)}>
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

/**
 * The kinds the form proposes, by the CLI's `propose <kind>` names where it has one (`upgrade`: UpgradeSuite, or
 * UpgradeSelf for the DAO; `update-parameters`), else the kind's own words.
 */
const PROPOSE_KINDS = [
  "add-member",
  "remove-member",
  "change-config",
  "transfer",
  "admit-dataset",
  "reject-dataset",
  "retire-dataset",
  "activate-model",
  "deprecate-model",
  "rollback-model",
  "add-attester",
  "remove-attester",
  "void-receipt",
  "fund-pool",
  "set-reward-policy",
  "fork",
  "signal",
  "function-call",
  "add-role",
  "remove-role",
  "default-vote-policy",
  "update-parameters",
  "upgrade",
] as const;
type ProposeKind = (typeof PROPOSE_KINDS)[number];

/** Each kind in the form's list. */
const KIND_NAMES: Record<ProposeKind, string> = {
  "add-member": "Add a member",
  "remove-member": "Remove a member",
  "change-config": "Change the title or purpose",
  transfer: "Transfer from the treasury",
  "admit-dataset": "Admit a dataset",
  "reject-dataset": "Reject a dataset",
  "retire-dataset": "Retire a dataset",
  "activate-model": "Activate a model",
  "deprecate-model": "Deprecate a model",
  "rollback-model": "Roll back the active model",
  "add-attester": "Add an attester",
  "remove-attester": "Remove an attester",
  "void-receipt": "Void an inference receipt",
  "fund-pool": "Fund the reward pool",
  "set-reward-policy": "Set the reward policy",
  fork: "Fork the community",
  signal: "Signal (a text to vote on)",
  "function-call": "Function call (any contract)",
  "add-role": "Add or update a role",
  "remove-role": "Remove a role",
  "default-vote-policy": "Change the default vote policy",
  "update-parameters": "Change the bond, voting period or timelock",
  upgrade: "Upgrade a contract",
};

/** The kinds whose fields moreFields draws (retire-dataset shares the dataset kinds' fields). */
const MORE_KINDS: readonly ProposeKind[] = [
  "void-receipt",
  "signal",
  "function-call",
  "add-role",
  "remove-role",
  "default-vote-policy",
  "update-parameters",
  "upgrade",
];

/** "0" or more NEAR as yocto, or null with what was expected (scripts/cli/checks.ts near). */
function yoctoOf(value: string): { yocto: string } | { why: string } {
  const why = valueProblem("near", value);
  return why ? { why } : { yocto: parseNearAmount(value as `${number}`) ?? "0" };
}

/** UTF-8 bytes of text as base64 (a FunctionCall action's args, as the CLI's Buffer.from(args).toString("base64")) */
function base64Of(text: string): string {
  let bin = "";
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

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
  // the fields of the signal, function-call, receipt, role, policy and upgrade kinds, by input name
  const [v, setV] = useState<Record<string, string>>({
    message: "",
    receiptId: "",
    slash: "",
    method: "",
    callArgs: "{}",
    deposit: "0",
    gas: "50",
    roleName: "",
    roleKind: "Group",
    permissions: "",
    roleVotePolicy: "{}",
    removeRole: "",
    weightKind: "RoleWeight",
    quorum: "0",
    thresholdKind: "Ratio",
    numerator: "1",
    denominator: "2",
    weight: "1",
    bondParam: "",
    periodHours: "",
    timelockHours: "",
    contract: DAO_CODE,
    hash: "",
  });
  const put = (name: string, value: string) => setV((old) => ({ ...old, [name]: value }));
  const loaded = useLoad(
    async () => {
      const [policy, config, info] = await Promise.all([
        chain.view<Policy>(dao, "get_policy"),
        chain.view<Config>(dao, "get_config"),
        chain.view<DaoInfo>(dao, "get_info"),
      ]);
      return { policy, config, info };
    },
    [chain, dao, refresh],
    chain,
  );
  // an upgrade's code: the release the community's factory publishes for the chosen contract (get_code_info)
  const release = useLoad(
    () =>
      kind === "upgrade"
        ? factoryReleaseOf((c, m, a) => chain.view(c, m, a ?? {}), dao, v.contract)
        : Promise.resolve(null),
    [chain, dao, kind, v.contract],
    chain,
  );

  /** A refusal by the DAO's own rule ("ERR_X: detail"), shown with its meaning; nothing is sent. */
  const refuse = (why: string) => {
    const [code, ...detail] = why.split(": ");
    setRefused(problemOf(new Refusal(code, detail.join(": ") || code), chain, "community-dao"));
  };

  /**
   * The kinds added with the creator's slice: the ProposalKind and the CLI's description, or null for another kind,
   * or "refused" when the DAO's own check (policy.ts nextPolicyOf) or the chain refuses it.
   */
  const buildMore = async (
    policy: Policy,
    info: DaoInfo,
    bad: Record<string, string>,
  ): Promise<{ k: ProposalKindArgs; fallback: string } | null | "refused"> => {
    /** a policy change as the DAO will check it, with the members it has now */
    const checked = (k: PolicyChange, fallback: string) => {
      if (Object.keys(bad).length > 0) return { k: k as ProposalKindArgs, fallback };
      const next = nextPolicyOf(policy, info.role_counts, k);
      if (typeof next === "string") {
        refuse(next);
        return "refused" as const;
      }
      return { k: k as ProposalKindArgs, fallback };
    };
    switch (kind) {
      case "retire-dataset": {
        const why = valueProblem("record", record);
        if (why) bad.record = `must be ${why}`;
        return {
          k: { kind: "RetireDataset", dataset_id: record, ...(memo ? { memo } : {}) },
          fallback: `RetireDataset ${record}`,
        };
      }
      case "void-receipt": {
        const why = valueProblem("count", v.receiptId);
        if (why) bad.receiptId = `must be ${why}`;
        const k = {
          kind: "VoidReceipt",
          receipt_id: Number(v.receiptId),
          ...(v.slash ? { slash: true } : {}),
          ...(memo ? { reason: memo } : {}),
        };
        return { k, fallback: `VoidReceipt ${v.receiptId}${v.slash ? " (slash)" : ""}` };
      }
      case "signal":
        if (v.message.trim() === "") bad.message = "must be a text";
        // the CLI's description: the message itself
        return { k: { kind: "Signal", message: v.message }, fallback: v.message };
      case "function-call": {
        const whyTo = valueProblem("account", to);
        if (whyTo) bad.to = `must be ${whyTo}`;
        if (!isMethodName(v.method)) bad.method = "must be a method name: 1 to 256 of a-z A-Z 0-9 _";
        const whyArgs = valueProblem("json", v.callArgs);
        if (whyArgs) bad.callArgs = `must be ${whyArgs}`;
        const deposit = yoctoOf(v.deposit);
        if ("why" in deposit) bad.deposit = `must be ${deposit.why}`;
        const whyGas = valueProblem("tgas", v.gas);
        if (whyGas) bad.gas = `must be ${whyGas}`;
        if (Object.keys(bad).length > 0) return { k: { kind: "FunctionCall" }, fallback: "" };
        const args = JSON.stringify(JSON.parse(v.callArgs));
        const action = {
          method_name: v.method,
          args: base64Of(args),
          deposit: "yocto" in deposit ? deposit.yocto : "0",
          gas: (BigInt(v.gas) * TGAS).toString(),
        };
        return {
          k: { kind: "FunctionCall", receiver_id: to, actions: [action] },
          fallback: `call ${to}.${v.method}(${args})`,
        };
      }
      case "add-role": {
        const whyJson = valueProblem("json", v.roleVotePolicy);
        if (whyJson) bad.roleVotePolicy = `must be ${whyJson}`;
        const role: Role = {
          name: v.roleName,
          kind: v.roleKind === "Everyone" ? "Everyone" : "Group",
          permissions: v.permissions
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean),
          vote_policy: whyJson ? {} : (JSON.parse(v.roleVotePolicy) as Role["vote_policy"]),
        };
        return checked({ kind: "ChangePolicyAddOrUpdateRole", role }, `add or update the role ${v.roleName}`);
      }
      case "remove-role": {
        const name = v.removeRole || (policy.roles[0]?.name ?? "");
        return checked({ kind: "ChangePolicyRemoveRole", role: name }, `remove the role ${name}`);
      }
      case "default-vote-policy": {
        for (const n of ["quorum", ...(v.thresholdKind === "Ratio" ? ["numerator", "denominator"] : ["weight"])]) {
          const why = valueProblem("count", v[n]);
          if (why) bad[n] = `must be ${why}`;
        }
        const vote_policy: VotePolicy = {
          weight_kind: v.weightKind === "DelegatedWeight" ? "DelegatedWeight" : "RoleWeight",
          quorum: Number(v.quorum),
          threshold:
            v.thresholdKind === "Ratio"
              ? { kind: "Ratio", numerator: Number(v.numerator), denominator: Number(v.denominator) }
              : { kind: "Weight", weight: Number(v.weight) },
        };
        return checked(
          { kind: "ChangePolicyUpdateDefaultVotePolicy", vote_policy },
          `update the default vote policy to ${JSON.stringify(vote_policy)}`,
        );
      }
      case "update-parameters": {
        // what is left empty is kept, as the CLI's update-parameters without --bond, --period-hours or --timelock-hours
        const parameters: Record<string, string> = {};
        if (v.bondParam) {
          const bondYocto = yoctoOf(v.bondParam);
          if ("why" in bondYocto) bad.bondParam = `must be ${bondYocto.why}`;
          else parameters.proposal_bond = bondYocto.yocto;
        }
        for (const [input, field] of [
          ["periodHours", "proposal_period"],
          ["timelockHours", "timelock"],
        ] as const) {
          if (!v[input]) continue;
          const why = valueProblem("hours", v[input]);
          if (why) bad[input] = `must be ${why}`;
          else parameters[field] = hoursNs(v[input], input);
        }
        if (Object.keys(parameters).length === 0 && Object.keys(bad).length === 0) {
          bad.bondParam = "give a bond, a voting period or a timelock";
        }
        return checked(
          { kind: "ChangePolicyUpdateParameters", parameters },
          `update parameters ${JSON.stringify(parameters)}`,
        );
      }
      case "upgrade": {
        const hash = v.hash || release.data?.sha256 || "";
        const why = valueProblem("sha256", hash);
        if (why) {
          bad.hash = `must be ${why}`;
          return { k: { kind: "UpgradeSuite" }, fallback: "" };
        }
        try {
          // as `propose upgrade --contract C --hash H`: global code (a factory release) or a blob stored in the DAO
          const built = await upgradeKindOf(codeReads(chain), dao, v.contract, hash);
          return { k: built.kind, fallback: built.description };
        } catch (err) {
          setRefused(problemOf(err, chain, "community-dao"));
          return "refused";
        }
      }
      default:
        return null;
    }
  };

  const submit = async (e: FormEvent, policy: Policy, config: Config, info: DaoInfo) => {
    e.preventDefault();
    setRefused(null);
    const bad: Record<string, string> = {};
    const more = await buildMore(policy, info, bad);
    if (more === "refused") {
      setErrors(bad);
      return;
    }
    if (more) {
      setErrors(bad);
      if (Object.keys(bad).length > 0) return;
      ask(proposalTx(dao, policy, more.k, description || more.fallback), (sent) => go(`/c/${dao}/p/${sent.value}`));
      return;
    }
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
  const memoInput = <TextField label="Memo (optional)" name="memo" value={memo} onChange={setMemo} />;
  const amountInput = (label: string, placeholder: string) => (
    <TextField
      label={label}
      name="amount"
      value={amount}
      onChange={setAmount}
      trim
      placeholder={placeholder}
      inputMode="decimal"
    />
  );
  /** a text input of the fields kept in `v` */
  const input = (
    name: string,
    label: string,
    extra: { placeholder?: string; inputMode?: "decimal" | "numeric" } = {},
  ) => (
    <>
      <label>
        {label}
        <input value={v[name]} onChange={(e) => put(name, e.target.value)} name={name} {...extra} />
      </label>
      {field(name)}
    </>
  );
  const moreFields = (policy: Policy, info: DaoInfo) => {
    switch (kind) {
      case "void-receipt":
        return (
          <>
            {input("receiptId", "Receipt id (the verifier's)", { inputMode: "numeric", placeholder: "0" })}
            <label className="check">
              <input
                type="checkbox"
                checked={v.slash === "1"}
                onChange={(e) => put("slash", e.target.checked ? "1" : "")}
                name="slash"
              />{" "}
              Slash the attester's bond
            </label>
            <TextField label="Reason (optional)" name="memo" value={memo} onChange={setMemo} />
            <p className="muted">
              The verifier voids the receipt: it earns nothing in its epoch's report; with a slash, the attester's bond
              goes to the treasury.
            </p>
          </>
        );
      case "signal":
        return (
          <>
            <TextField label="Message" name="message" value={v.message} onChange={(x) => put("message", x)} rows={3} />
            {field("message")}
            <p className="muted">A text the members vote on; executing it changes nothing on chain.</p>
          </>
        );
      case "function-call":
        return (
          <>
            <p className="warning" data-testid="function-call-warning">
              The DAO will call this contract itself, with the deposit paid from the treasury: approving it approves
              whatever that method does with the DAO's authority and money. Check the receiver, the method and every
              argument; what the call does cannot be undone by the community.
            </p>
            <TextField
              label="Receiver (contract account)"
              name="to"
              value={to}
              onChange={setTo}
              trim
              placeholder="contract.near"
            />
            {field("to")}
            {input("method", "Method", { placeholder: "set_greeting" })}
            <TextField
              label="Arguments (JSON)"
              name="callArgs"
              value={v.callArgs}
              onChange={(x) => put("callArgs", x)}
              rows={3}
            />
            {field("callArgs")}
            {input("deposit", "Deposit from the treasury (NEAR)", { inputMode: "decimal" })}
            {input("gas", "Gas (Tgas)", { inputMode: "numeric" })}
          </>
        );
      case "add-role":
        return (
          <>
            {input("roleName", "Role name (a-z 0-9 -; an existing name is replaced)", { placeholder: "curators" })}
            <label>
              Who holds it
              <select value={v.roleKind} onChange={(e) => put("roleKind", e.target.value)} aria-label="role kind">
                <option value="Group">a group of members (added by AddMember)</option>
                <option value="Everyone">everyone</option>
              </select>
            </label>
            {input("permissions", "Permissions (label:action, comma-separated)", {
              placeholder: "admit_dataset:vote, admit_dataset:propose",
            })}
            <TextField
              label={<>Vote policy per label (JSON; {"{}"}: the default vote policy)</>}
              name="roleVotePolicy"
              value={v.roleVotePolicy}
              onChange={(x) => put("roleVotePolicy", x)}
              rows={2}
            />
            {field("roleVotePolicy")}
            <p className="muted">
              A label is a kind's (add_member, transfer, admit_dataset, ... or *), an action one of propose, vote,
              remove, execute, cancel (or *).
            </p>
          </>
        );
      case "remove-role":
        return (
          <>
            <label>
              Role
              <select
                value={v.removeRole || policy.roles[0]?.name}
                onChange={(e) => put("removeRole", e.target.value)}
                aria-label="role to remove"
              >
                {policy.roles.map((r) => (
                  <option key={r.name} value={r.name}>
                    {r.name}
                    {r.kind === "Group" ? ` (${info.role_counts[r.name] ?? 0} members)` : " (everyone)"}
                  </option>
                ))}
              </select>
            </label>
            <p className="muted">A group that still has members cannot be removed (ERR_ROLE_NOT_EMPTY).</p>
          </>
        );
      case "default-vote-policy":
        return (
          <>
            <p className="muted">Now: {votePolicyWords(policy.default_vote_policy)}.</p>
            <label>
              Weight
              <select value={v.weightKind} onChange={(e) => put("weightKind", e.target.value)} aria-label="weight kind">
                <option value="RoleWeight">one vote per member of the role</option>
                <option value="DelegatedWeight">votes weighted by delegation</option>
              </select>
            </label>
            <label>
              Threshold
              <select
                value={v.thresholdKind}
                onChange={(e) => put("thresholdKind", e.target.value)}
                aria-label="threshold kind"
              >
                <option value="Ratio">more than a ratio of the role's weight</option>
                <option value="Weight">a fixed weight</option>
              </select>
            </label>
            {v.thresholdKind === "Ratio" ? (
              <>
                {input("numerator", "Numerator", { inputMode: "numeric" })}
                {input("denominator", "Denominator", { inputMode: "numeric" })}
              </>
            ) : (
              input("weight", "Weight", { inputMode: "numeric" })
            )}
            {input("quorum", "Quorum (weight that must take part)", { inputMode: "numeric" })}
          </>
        );
      case "update-parameters":
        return (
          <>
            <p className="muted">
              Now: bond {units.near(policy.parameters.proposal_bond)}, voting period{" "}
              {units.duration(policy.parameters.proposal_period)}, timelock {units.duration(policy.parameters.timelock)}
              . What is left empty is kept.
            </p>
            {input("bondParam", "Proposal bond (NEAR)", { inputMode: "decimal" })}
            {input("periodHours", "Voting period (hours)", { inputMode: "decimal" })}
            {input("timelockHours", "Timelock (hours)", { inputMode: "decimal" })}
          </>
        );
      case "upgrade":
        return (
          <>
            <label>
              Contract
              <select value={v.contract} onChange={(e) => put("contract", e.target.value)} aria-label="contract">
                {[DAO_CODE, ...Object.keys(info.suite).filter((c) => c !== DAO_CODE)].map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <p className="muted" data-testid="release">
              {release.problem
                ? `${release.problem.meaning}: give the hash of a blob stored in the DAO`
                : release.data
                  ? [
                      `${release.data.factory} publishes ${v.contract} ${release.data.version}, sha256 `,
                      <Hash key="hash" value={release.data.sha256} />,
                    ]
                  : "reading the factory's release…"}
            </p>
            {input("hash", "Code sha256 (empty: the factory's release)")}
            <p className="muted">
              The DAO upgrades itself with UpgradeSelf, its other contracts with UpgradeSuite; global code (a factory
              release) is switched to by hash, a blob stored in the DAO is deployed. The contract migrates its state in
              the same batch; if that fails, the old code keeps running.
            </p>
          </>
        );
      default:
        return null;
    }
  };
  return (
    <section>
      <p>
        <a href={`#/c/${dao}`}>‹ community</a>
      </p>
      <h1>New proposal</h1>
      <Show loaded={loaded}>
        {({ policy, config, info }) => (
          // an edit clears a refusal shown for the values before it
          <form onSubmit={(e) => void submit(e, policy, config, info)} onChange={() => setRefused(null)} noValidate>
            <label>
              Kind
              <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} aria-label="kind">
                {PROPOSE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_NAMES[k]}
                  </option>
                ))}
              </select>
            </label>
            {kind === "admit-dataset" ||
            kind === "reject-dataset" ||
            kind === "retire-dataset" ||
            kind === "activate-model" ? (
              <>
                <TextField
                  label={<>{kind === "activate-model" ? "Model" : "Dataset"} (name@version)</>}
                  name="record"
                  value={record}
                  onChange={setRecord}
                  trim
                  placeholder={kind === "activate-model" ? "intents@1.0.0" : "corpus@1.0.0"}
                />
                {field("record")}
                {kind === "activate-model" ? null : memoInput}
              </>
            ) : kind === "deprecate-model" ? (
              <>
                <TextField
                  label="Model (name@version)"
                  name="record"
                  value={record}
                  onChange={setRecord}
                  trim
                  placeholder="intents@1.0.0"
                />
                {field("record")}
                <TextField label="Reason (optional)" name="memo" value={memo} onChange={setMemo} />
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
                <TextField
                  label="Attester account"
                  name="member"
                  value={member}
                  onChange={setMember}
                  trim
                  placeholder="att.test.near"
                />
                {field("member")}
                {kind === "add-attester" ? (
                  <>
                    <TextField
                      label="Public key (128 hex, from `ai-commons attester keygen`)"
                      name="publicKey"
                      value={publicKey}
                      onChange={setPublicKey}
                      trim
                    />
                    {field("publicKey")}
                    <TextField
                      label="Bond from the treasury (NEAR)"
                      name="bond"
                      value={bond}
                      onChange={setBond}
                      trim
                      inputMode="decimal"
                    />
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
                <TextField
                  label="Reward policy (JSON: shares in basis points summing to 10,000, attester fee in yocto, epoch length in ns, release share)"
                  name="rewardPolicy"
                  value={rewardPolicy}
                  onChange={setRewardPolicy}
                  rows={4}
                />
                {field("rewardPolicy")}
              </>
            ) : kind === "fork" ? (
              <>
                <TextField
                  label="Name of the fork's community"
                  name="forkName"
                  value={forkName}
                  onChange={setForkName}
                  trim
                  placeholder="acme-fork"
                />
                {field("forkName")}
                <p className="muted">
                  Once executed, members have the policy's fork window to join; if enough do, the fork's community is
                  created and paid their share of the treasury, and they leave with it.
                </p>
              </>
            ) : kind === "change-config" ? (
              <>
                <TextField
                  label={
                    <>
                      Title (at most {CONFIG_MAX.name} characters; empty: keep “{config.name}”)
                    </>
                  }
                  name="title"
                  value={title}
                  onChange={setTitle}
                />
                {field("title")}
                <TextField
                  label={<>Purpose (at most {CONFIG_MAX.purpose} characters; empty: keep the current one)</>}
                  name="purpose"
                  value={purpose}
                  onChange={setPurpose}
                  rows={3}
                />
                {field("purpose")}
              </>
            ) : MORE_KINDS.includes(kind) ? (
              moreFields(policy, info)
            ) : kind === "add-member" || kind === "remove-member" ? (
              <>
                <TextField
                  label="Member account"
                  name="member"
                  value={member}
                  onChange={setMember}
                  trim
                  placeholder="carol.test.near"
                />
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
                <TextField
                  label="Receiver account"
                  name="to"
                  value={to}
                  onChange={setTo}
                  trim
                  placeholder="bob.test.near"
                />
                {field("to")}
                {amountInput("Amount (NEAR)", "0.5")}
                {field("amount")}
                {memoInput}
              </>
            )}
            <TextField
              label="Description (optional)"
              name="description"
              value={description}
              onChange={setDescription}
            />
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
