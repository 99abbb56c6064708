// Forks on a community's home (docs/fork.md): its forks with their status, joining the open one with what the member
// leaves with shown before signing (its unit of the treasury and the fork's share, computed as the DAO computes them:
// scripts/cli/fork-calls.ts), executing a fork once its window has ended (decide, pay the fork's community, remove the
// joined), ragequit where the policy allows it; and on a fork's own home its provenance (the factory's record: which
// community and proposal it came from, at which block) and its registries' import progress.
import type { Policy, Proposal } from "../../contracts/community-dao/types.ts";
import type { Treasury } from "../../scripts/cli/dao-calls.ts";
import {
  EXECUTE_FORK_GAS,
  type ForkImportView,
  type ForkView,
  forkCreation,
  forkReachesThreshold,
  forkShare,
  IMPORT_PAGE_DEPOSIT,
  IMPORT_PAGE_GAS,
  JOIN_FORK_GAS,
  RAGEQUIT_GAS,
  ragequitShare,
} from "../../scripts/cli/fork-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import { COMMUNITY_DAO, COMMUNITY_FACTORY } from "../../contracts/wire/contracts.ts";
import { meaningOf } from "../../contracts/wire/errors.ts";
import type { Tx } from "./chain.ts";
import type { CommunityView } from "./create.tsx";
import type { PageProps } from "./pages.tsx";
import { suiteOf } from "./suite.ts";
import { Show, useLoad } from "./ui.tsx";

/** get_proposals reads at most this many at once; forks are found among the latest ones */
const PROPOSALS_READ = 100;
/** a fork's statuses while it is open or awaiting its outcome (the DAO's spending freeze holds) */
const ACTIVE = ["Open", "Payable", "Checking", "Paying", "Exiting"];

interface ForkRow {
  proposal: Proposal;
  fork: ForkView | null;
  /** the factory's record of the fork's community by its name, once the fork is decided */
  community: CommunityView | null;
}

/** The community name of a DAO made by `factory` (`<name>.<factory>`), or null. */
export function communityNameOf(dao: string, factory: string): string | null {
  return dao.endsWith(`.${factory}`) ? dao.slice(0, -factory.length - 1) : null;
}

/** The Fork proposals among the latest hundred, newest first, each with its fork record once executed. */
async function forksOf(chain: PageProps["chain"], dao: string, factory: string, total: number): Promise<ForkRow[]> {
  // get_proposals refuses a limit of 0 (ERR_INVALID_PAGINATION)
  if (total === 0) return [];
  const from = Math.max(0, total - PROPOSALS_READ);
  const read = await chain.view<Proposal[]>(dao, "get_proposals", { from_index: from, limit: total - from });
  const forks = read.reverse().filter((p) => p.kind.kind === "Fork");
  return Promise.all(
    forks.map(async (proposal) => {
      // a fork's id is its proposal's; the record exists once the proposal was executed
      const fork =
        proposal.status === "Executed"
          ? await chain.view<ForkView>(dao, "get_fork", { id: proposal.id, from_index: 0, limit: 100 })
          : null;
      const community =
        fork && fork.status === "Payable"
          ? await chain.view<CommunityView | null>(factory, "get_community", { name: fork.name })
          : null;
      return { proposal, fork, community };
    }),
  );
}

/** What execute_fork does next, by the fork's status (docs/fork.md). */
function nextStep(f: ForkView, available: bigint): string {
  if (f.status === "Open") {
    return forkReachesThreshold(f)
      ? `Decide fork #${f.id}: its window has ended and ${f.joined_weight} of ${f.total_weight} joined, at or above its threshold: it becomes Payable (the fork's community is then created and paid).`
      : `Decide fork #${f.id}: its window has ended and ${f.joined_weight} of ${f.total_weight} joined, below its threshold: it fails and nothing moves.`;
  }
  if (f.status === "Payable") {
    return `Pay fork #${f.id}: the DAO checks with its factory that ${f.name} is this fork's community, sends it ${units.near(forkShare(available, f.joined_weight, f.total_weight))} (at today's treasury) and the joined members leave.`;
  }
  return `Continue fork #${f.id}: remove the joined members who have not left yet.`;
}

export function Forks({
  chain,
  wallet,
  refresh,
  ask,
  dao,
  proposals,
  treasury,
  policy,
  members,
  factory,
}: PageProps & {
  dao: string;
  proposals: number;
  treasury: Treasury;
  policy: Policy;
  members: number;
  factory: string;
}) {
  const loaded = useLoad(
    async () => {
      const [rows, now] = await Promise.all([forksOf(chain, dao, factory, proposals), chain.now()]);
      return { rows, now };
    },
    [chain, dao, factory, proposals, refresh],
    chain,
  );
  const parent = communityNameOf(dao, factory);
  // create_fork, as `ai-commons fork create`: the factory reads this DAO's decided fork and creates its community with
  // the joined members and the policy frozen at the opening; anyone may pay for it, nobody else shapes it
  const createFork = async (f: ForkView) => {
    const quote = await chain.view<{ accounts_total: string; fork_extra: string; gas: string }>(
      factory,
      "get_required_deposit",
    );
    const { deposit, gas } = forkCreation(quote);
    ask({
      what: `Create the fork's community ${f.name} on ${factory} from fork #${f.id} of ${parent}: its members are the ${f.joined_weight} who joined, its policy this community's as frozen when the fork opened. The excess of the deposit is refunded.`,
      contractId: factory,
      methodName: "create_fork",
      args: { name: f.name, parent, fork_id: f.id },
      gas,
      deposit,
      contract: COMMUNITY_FACTORY,
    });
  };
  const available = BigInt(treasury.available);
  const join = (f: ForkView) => {
    const tx: Tx = {
      what: `Join fork #${f.id} into ${f.name}: once the fork is decided and paid you leave this community with it, for the fork's community (founded by the members who joined). One unit per member, whatever your vote weight.`,
      contractId: dao,
      methodName: "join_fork",
      args: { id: f.id },
      gas: JOIN_FORK_GAS,
      deposit: 0n,
      details: [
        ["your unit of the treasury today", units.near(ragequitShare(available, f.total_weight)), "tx-unit"],
        [
          `the fork's share with you (${f.joined_weight + 1} of ${f.total_weight}), at today's treasury`,
          units.near(forkShare(available, f.joined_weight + 1, f.total_weight)),
          "tx-fork-share",
        ],
      ],
    };
    ask(tx);
  };
  const execute = (f: ForkView) =>
    ask({
      what: nextStep(f, available),
      contractId: dao,
      methodName: "execute_fork",
      args: { id: f.id },
      gas: EXECUTE_FORK_GAS,
      deposit: 0n,
    });
  const ragequit = () =>
    ask({
      what: "Ragequit: leave the community now with your unit of its treasury (every role you hold is dropped).",
      contractId: dao,
      methodName: "leave",
      args: { ragequit: true },
      gas: RAGEQUIT_GAS,
      deposit: 0n,
      details: [["you leave with, at today's treasury", units.near(ragequitShare(available, members)), "tx-ragequit"]],
    });
  const fork = (policy as Policy & { fork?: { window: string; threshold_bps: number; ragequit: boolean } }).fork;
  return (
    <>
      <h2>Forks</h2>
      <p className="muted">
        A fork lets members who disagree leave together with their share of the treasury, the admitted datasets and the
        models: window {units.duration(fork?.window ?? String(3n * 86_400n * 10n ** 9n))}, threshold{" "}
        {units.bps(fork?.threshold_bps ?? 2000)} of the members
        {fork?.ragequit ? "; ragequit allowed" : ""}. <a href={`#/c/${dao}/propose?kind=fork`}>Propose a fork</a>
      </p>
      <Show loaded={loaded}>
        {({ rows, now }) => {
          const active = rows.find((r) => r.fork && ACTIVE.includes(r.fork.status));
          return (
            <>
              {rows.length === 0 ? <p className="muted">No fork proposed.</p> : null}
              <ul className="cards" data-testid="forks">
                {rows.map(({ proposal, fork: f }) => {
                  const mine = wallet ? f?.members.some((m) => m.account_id === wallet.accountId) : false;
                  const ended = f ? BigInt(f.ends_at) < now : false;
                  return (
                    <li key={proposal.id} data-testid={`fork-${proposal.id}`}>
                      <a href={`#/c/${dao}/p/${proposal.id}`}>
                        #{proposal.id} fork into {String((proposal.kind as { name?: string }).name)}
                      </a>
                      <span className={`status s-${f?.status ?? proposal.status}`}>
                        {f ? f.status : `proposal ${proposal.status}`}
                      </span>
                      {f ? (
                        <div className="muted">
                          {f.joined_weight} of {f.total_weight} joined (threshold {units.bps(f.threshold_bps)}) ·{" "}
                          {f.status === "Open"
                            ? `window ${ended ? "ended" : "ends"} ${units.relative(f.ends_at, now)}`
                            : f.amount
                              ? `paid ${units.near(f.amount)} to ${f.receiver_id}`
                              : `to ${f.receiver_id}`}
                          {f.last_error ? ` · last error ${f.last_error}` : ""}
                          {f.members.length > 0 ? (
                            <div>
                              joined: <span className="mono">{f.members.map((m) => m.account_id).join(", ")}</span>
                            </div>
                          ) : null}
                        </div>
                      ) : null}
                      {f && wallet ? (
                        <div className="actions">
                          {f.status === "Open" && !ended && !mine ? (
                            <button type="button" className="primary" onClick={() => join(f)}>
                              Join the fork
                            </button>
                          ) : null}
                          {mine ? <span className="muted">you joined</span> : null}
                          {f.status === "Payable" && parent && !rows.find((r) => r.fork === f)?.community ? (
                            <button type="button" onClick={() => void createFork(f)}>
                              Create the fork's community
                            </button>
                          ) : null}
                          {f.status === "Payable" && rows.find((r) => r.fork === f)?.community ? (
                            <a href={`#/create/${f.name}`}>its community</a>
                          ) : null}
                          {(f.status === "Open" && ended) || f.status === "Payable" || f.status === "Exiting" ? (
                            <button type="button" onClick={() => execute(f)}>
                              Execute the fork
                            </button>
                          ) : null}
                        </div>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
              {fork?.ragequit && wallet && !active && members > 1 ? (
                <div className="actions">
                  <button type="button" onClick={ragequit}>
                    Ragequit
                  </button>
                </div>
              ) : null}
              {fork?.ragequit && wallet && !active && members <= 1 ? (
                // the DAO refuses it (ERR_LAST_MEMBER): said here rather than offered and refused
                <p className="muted" data-testid="last-member">
                  No ragequit: {meaningOf("ERR_LAST_MEMBER", COMMUNITY_DAO)}.
                </p>
              ) : null}
            </>
          );
        }}
      </Show>
    </>
  );
}

/**
 * A fork community's provenance, from its factory's record (get_community of the DAO's name): which community and
 * which of its fork proposals it came from, at which block, and how far its registries have imported the parent's
 * records. Nothing for a community that is not a fork.
 */
export function Provenance({
  chain,
  wallet,
  refresh,
  ask,
  dao,
  factory,
}: PageProps & { dao: string; factory: string }) {
  const loaded = useLoad(
    async () => {
      const name = communityNameOf(dao, factory);
      if (!name) return null;
      const c = await chain.view<CommunityView | null>(factory, "get_community", {
        name,
      });
      if (!c?.forked_from) return null;
      const suite = await suiteOf(chain, dao);
      const imports = await Promise.all(
        (["dataset-registry", "model-registry"] as const)
          .filter((code) => suite[code])
          .map(async (code) => ({
            code,
            registry: suite[code] as string,
            view: await chain.view<ForkImportView | null>(suite[code] as string, "get_fork_import"),
          })),
      );
      return { c, forkedFrom: c.forked_from, imports };
    },
    [chain, dao, factory, refresh],
    chain,
  );
  if (!loaded.data) return null;
  const { c, forkedFrom, imports } = loaded.data;
  return (
    <div className="provenance" data-testid="provenance">
      <p>
        {c.provenance ?? `forked from community ${forkedFrom.community}`}: fork proposal{" "}
        <a href={`#/c/${forkedFrom.dao_id}/p/${forkedFrom.fork_id}`}>#{forkedFrom.fork_id}</a> of{" "}
        <a href={`#/c/${forkedFrom.dao_id}`}>{forkedFrom.community}</a>, {forkedFrom.members} member(s) carried over.
      </p>
      <ul className="muted" data-testid="fork-import">
        {imports.map(({ code, registry, view }) =>
          view ? (
            <li key={code}>
              {code}: {view.imported} record(s) imported from {view.parent_registry_id},{" "}
              {view.complete ? "complete" : `next page ${view.next_page}${view.in_flight ? " (in flight)" : ""}`}
              {wallet && !view.complete && !view.in_flight ? (
                <button
                  type="button"
                  onClick={() =>
                    ask({
                      what: `Import page ${view.next_page} of ${view.community}'s ${code} into ${registry}: the registry reads it from the parent and keeps what its records' storage costs; the rest of the deposit comes back in the same transaction.`,
                      contractId: registry,
                      methodName: "import_page",
                      args: { page: view.next_page },
                      gas: IMPORT_PAGE_GAS,
                      deposit: IMPORT_PAGE_DEPOSIT,
                      contract: code,
                    })
                  }
                >
                  Import page {view.next_page}
                </button>
              ) : null}
            </li>
          ) : null,
        )}
      </ul>
    </div>
  );
}
