// The community's reward pool for the signed-in account: what it can claim, its NEP-145 storage balance (claims are
// recorded at its cost), Claim and storage_deposit as `ai-commons claim` sends them (scripts/cli/reward-pool-calls.ts),
// and the pool's epochs, a page at a time.
import { useState } from "react";
import type { RewardPolicy } from "../../contracts/wire/reward-policy.ts";
import type { balanceView } from "../../contracts/reward-pool/funds.ts";
import type { EpochRecord, Totals } from "../../contracts/reward-pool/types.ts";
import { CLAIM_GAS, POOL_STORAGE_DEPOSIT, POOL_STORAGE_DEPOSIT_GAS } from "../../scripts/cli/reward-pool-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import type { PageProps } from "./pages.tsx";
import { pageAhead, suiteContract } from "./suite.ts";
import { MorePager, Show, useLoad } from "./ui.tsx";

/** NEP-145's storage_balance_of: null when the account is not registered with the pool */
type StorageBalance = ReturnType<typeof balanceView>;

export function Rewards({ chain, wallet, refresh, ask, dao }: PageProps & { dao: string }) {
  const [page, setPage] = useState(0);
  const account = wallet?.accountId ?? null;
  const loaded = useLoad(
    async () => {
      const pool = await suiteContract(chain, dao, "reward-pool");
      const [config, totals, bounds, epochs] = await Promise.all([
        chain.view<{ policy: RewardPolicy }>(pool, "get_config"),
        chain.view<Totals>(pool, "get_totals"),
        chain.view<{ min: string }>(pool, "storage_balance_bounds"),
        pageAhead<EpochRecord>(chain, pool, "get_epochs", page),
      ]);
      const mine =
        account === null
          ? null
          : await Promise.all([
              chain.view<string>(pool, "claimable", { account_id: account }),
              chain.view<StorageBalance>(pool, "storage_balance_of", { account_id: account }),
            ]).then(([claimable, storage]) => ({ claimable, storage }));
      return { pool, policy: config.policy, totals, bounds, epochs, mine };
    },
    [chain, dao, account, page, refresh],
    chain,
  );
  return (
    <section>
      <p>
        <a href={`#/c/${dao}`}>‹ community</a>
      </p>
      <h1>Rewards</h1>
      <Show loaded={loaded}>
        {({ pool, policy, totals, bounds, epochs, mine }) => (
          <>
            <p className="muted">
              the reward pool <span className="mono">{pool}</span> pays the creators of the models the community uses
              and of their data, epoch by epoch
            </p>
            {mine && account ? (
              <>
                <h2>Yours</h2>
                <dl className="grid">
                  <dt>account</dt>
                  <dd className="mono">{account}</dd>
                  <dt>claimable</dt>
                  <dd data-testid="claimable">{units.near(mine.claimable)}</dd>
                  <dt>storage balance</dt>
                  <dd data-testid="storage-balance">
                    {mine.storage === null
                      ? "not registered"
                      : `${units.near(mine.storage.total)} (${units.near(mine.storage.available)} available)`}
                  </dd>
                </dl>
                {mine.storage === null ? (
                  <p className="muted">
                    A claim is recorded at the claimer's cost: register with the pool first (at least{" "}
                    {units.near(bounds.min)}; what the records do not use stays yours and can be withdrawn).
                  </p>
                ) : null}
                {BigInt(mine.claimable) === 0n ? <p className="muted">Nothing to claim now.</p> : null}
                <div className="actions">
                  {mine.storage === null ? (
                    <button
                      type="button"
                      className="primary"
                      onClick={() =>
                        ask({
                          what: `Register ${account} with the reward pool (NEP-145 storage balance for its claims)`,
                          contractId: pool,
                          methodName: "storage_deposit",
                          args: {},
                          gas: POOL_STORAGE_DEPOSIT_GAS,
                          deposit: POOL_STORAGE_DEPOSIT,
                          contract: "reward-pool",
                        })
                      }
                    >
                      Register with the pool
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className={mine.storage === null ? "" : "primary"}
                    onClick={() =>
                      ask({
                        what: `Claim ${units.near(mine.claimable)} from the reward pool to ${account}`,
                        contractId: pool,
                        methodName: "claim",
                        args: {},
                        gas: CLAIM_GAS,
                        deposit: 0n,
                        contract: "reward-pool",
                      })
                    }
                  >
                    Claim
                  </button>
                </div>
              </>
            ) : (
              <p className="muted">Sign in to see and claim your rewards.</p>
            )}
            <h2>Pool</h2>
            <dl className="grid">
              <dt>received</dt>
              <dd>{units.near(totals.deposited)}</dd>
              <dt>not yet allocated</dt>
              <dd>{units.near(totals.unallocated)}</dd>
              <dt>allocated</dt>
              <dd>{units.near(totals.allocated)}</dd>
              <dt>claimed</dt>
              <dd>{units.near(totals.claimed)}</dd>
              <dt>split</dt>
              <dd>
                model makers {units.bps(policy.model_bps)}, data {units.bps(policy.data_bps)}, parent model{" "}
                {units.bps(policy.parent_bps)}; {units.bps(policy.release_bps)} of the unallocated funds an epoch
              </dd>
            </dl>
            <h2>Epochs</h2>
            {epochs.items.length === 0 && page === 0 ? (
              <p className="muted">No usage reported yet: an epoch appears once the verifier reports its receipts.</p>
            ) : null}
            <ul className="cards" data-testid="epochs">
              {epochs.items.map((e) => (
                <li key={e.epoch}>
                  <strong>{units.epoch(e.epoch, policy.epoch_length_ns)}</strong>
                  <span className={`status s-${e.status}`}>{e.status}</span>
                  <div>
                    {e.total_receipts} receipts over {Object.keys(e.usage).length} model(s)
                    {e.status === "Closed"
                      ? `; budget ${units.near(e.budget)}, ${units.near(e.distributed)} distributed`
                      : `; report parts ${e.reports} of ${e.parts}`}
                  </div>
                  {e.closed_at ? <div className="muted">closed {units.date(e.closed_at)}</div> : null}
                </li>
              ))}
            </ul>
            <MorePager page={page} more={epochs.more} onPage={setPage} />
          </>
        )}
      </Show>
    </section>
  );
}
