// The community's models (its model registry): versions newest first as cards with the activation history, one
// version with its lineage (model -> training manifest -> datasets -> creators, the dataset registry's views), and
// the council's proposal to activate it (ActivateModel with the deposit the CLI computes, pages.tsx
// activationProposalTx).
import { useState } from "react";
import type { Policy } from "../../contracts/community-dao/types.ts";
// a manifest's dataset with its status and creators (get_manifest_datasets); the registry names it DatasetDetail
import type { DatasetDetail as ManifestDataset } from "../../contracts/dataset-registry/views.ts";
import type { ManifestRecord } from "../../contracts/wire/datasets.ts";
import type { HistoryEntry, LineageStatus, ModelRecord } from "../../contracts/model-registry/types.ts";
import type { ChainLink, configView } from "../../contracts/model-registry/views.ts";
import * as units from "../../scripts/cli/units.ts";
import { PAGE, type Problem, problemOf } from "./chain.ts";
import { activationProposalTx, type PageProps } from "./pages.tsx";
import { newestFirst, pageAhead, Refusal, suiteContract } from "./suite.ts";
import { Creators, Hash, MorePager, Pager, ProblemBox, Show, useLoad } from "./ui.tsx";

type RegistryConfig = ReturnType<typeof configView>;

function ModelStatus({ m }: { m: ModelRecord }) {
  return (
    <span className={`status s-${m.status}`} data-testid="model-status">
      {m.status}
    </span>
  );
}

/** The history's actions in words */
const ACTIONS: Record<HistoryEntry["action"], string> = {
  activate: "activated",
  rollback: "rolled back to",
  deprecate: "deprecated",
};

export function Models({ chain, wallet, refresh, dao }: PageProps & { dao: string }) {
  const [page, setPage] = useState(0);
  const [historyPage, setHistoryPage] = useState(0);
  const loaded = useLoad(
    async () => {
      const registry = await suiteContract(chain, dao, "model-registry");
      const config = await chain.view<RegistryConfig>(registry, "get_config");
      const range = newestFirst(page, config.model_count);
      const [models, history] = await Promise.all([
        range ? chain.view<ModelRecord[]>(registry, "get_models", range) : Promise.resolve([]),
        pageAhead<HistoryEntry>(chain, registry, "get_history", historyPage),
      ]);
      return { registry, config, models: models.reverse(), history };
    },
    [chain, dao, page, historyPage, refresh],
    chain,
  );
  return (
    <section>
      <p>
        <a href={`#/c/${dao}`}>‹ community</a> · <a href={`#/c/${dao}/datasets`}>Datasets</a>
      </p>
      <h1>Models</h1>
      {wallet ? (
        <nav className="tabs">
          <a href={`#/c/${dao}/register-model`}>Register a model</a>
          <a href={`#/c/${dao}/new-manifest`}>Create a manifest</a>
        </nav>
      ) : null}
      <Show loaded={loaded}>
        {({ registry, config, models, history }) => (
          <>
            <p className="muted">
              {config.model_count} registered on <span className="mono">{registry}</span>, newest first; active:{" "}
              <span data-testid="active-model">{config.active_model ?? "none"}</span>
            </p>
            {config.model_count === 0 ? (
              <p>No model yet: register one here or with `ai-commons model register`.</p>
            ) : null}
            <ul className="cards" data-testid="models">
              {models.map((m) => (
                <li key={m.id} data-testid={`model-${m.id}`}>
                  <a href={`#/c/${dao}/m/${encodeURIComponent(m.id)}`}>{m.id}</a>
                  <ModelStatus m={m} />
                  <div>
                    {m.framework} · {m.architecture} · {m.license}
                  </div>
                  <div>trained on manifest #{m.training_manifest_id}</div>
                  <div>
                    weights <Hash value={m.weights_sha256} />
                  </div>
                </li>
              ))}
            </ul>
            <Pager page={page} total={config.model_count} onPage={setPage} />
            <h2>Activation history</h2>
            {history.items.length === 0 && historyPage === 0 ? <p className="muted">no decision yet</p> : null}
            <ol start={historyPage * PAGE + 1} data-testid="history">
              {history.items.map((h) => (
                <li key={`${h.at}-${h.action}-${h.model_id}`}>
                  {units.date(h.at)}: {ACTIONS[h.action]} {h.model_id ?? "no model"}
                </li>
              ))}
            </ol>
            <MorePager page={historyPage} more={history.more} onPage={setHistoryPage} />
          </>
        )}
      </Show>
    </section>
  );
}

export function ModelDetail({ chain, wallet, refresh, ask, go, dao, id }: PageProps & { dao: string; id: string }) {
  const [page, setPage] = useState(0);
  const [preparing, setPreparing] = useState(false);
  const [refused, setRefused] = useState<Problem | null>(null);
  const loaded = useLoad(
    async () => {
      const registry = await suiteContract(chain, dao, "model-registry");
      const m = await chain.view<ModelRecord | null>(registry, "get_model", { model_id: id });
      if (m === null) throw new Refusal("ERR_UNKNOWN_MODEL", `no model ${id} in ${registry}`);
      const datasets = await suiteContract(chain, dao, "dataset-registry");
      const [config, pool, parents, manifest] = await Promise.all([
        chain.view<RegistryConfig>(registry, "get_config"),
        chain.view<LineageStatus | null>(registry, "get_lineage_status", { model_id: id }),
        chain.view<ChainLink[]>(registry, "get_parent_chain", { model_id: id, limit: PAGE }),
        chain.view<ManifestRecord | null>(datasets, "get_manifest", { manifest_id: m.training_manifest_id }),
      ]);
      // the manifest's datasets with their creators and shares, a page at a time
      const entries =
        manifest === null
          ? []
          : await chain.view<ManifestDataset[]>(datasets, "get_manifest_datasets", {
              manifest_id: m.training_manifest_id,
              from_index: page * PAGE,
              limit: PAGE,
            });
      return { registry, m, config, pool, parents, manifest, entries };
    },
    [chain, dao, id, page, refresh],
    chain,
  );

  const proposeActivation = async () => {
    setRefused(null);
    setPreparing(true);
    try {
      const policy = await chain.view<Policy>(dao, "get_policy");
      const tx = await activationProposalTx(chain, dao, policy, id);
      ask(tx, (sent) => go(`/c/${dao}/p/${sent.value}`));
    } catch (e) {
      setRefused(problemOf(e, chain, "model-registry"));
    } finally {
      setPreparing(false);
    }
  };

  return (
    <section>
      <p>
        <a href={`#/c/${dao}/models`}>‹ models</a>
      </p>
      <Show loaded={loaded}>
        {({ registry, m, config, pool, parents, manifest, entries }) => (
          <>
            <h1>
              {m.id} <ModelStatus m={m} />
            </h1>
            <dl className="grid">
              <dt>weights</dt>
              <dd>
                <Hash value={m.weights_sha256} testId="model-weights" />
              </dd>
              <dt>framework</dt>
              <dd>{m.framework}</dd>
              <dt>architecture</dt>
              <dd>{m.architecture}</dd>
              <dt>license</dt>
              <dd>{m.license}</dd>
              <dt>training code</dt>
              <dd>
                <Hash value={m.training_code_sha256} />
              </dd>
              <dt>registrant</dt>
              <dd className="mono">{m.registrant}</dd>
              <dt>registered</dt>
              <dd>{units.date(m.registered_at)}</dd>
              {m.activated_at ? (
                <>
                  <dt>activated</dt>
                  <dd>{units.date(m.activated_at)}</dd>
                </>
              ) : null}
              {m.deprecated_at ? (
                <>
                  <dt>deprecated</dt>
                  <dd>{units.date(m.deprecated_at)}</dd>
                </>
              ) : null}
              <dt>reward pool</dt>
              <dd data-testid="lineage-push">
                {config.reward_pool_id === null
                  ? "none"
                  : pool === null
                    ? "lineage not sent yet (at its first activation)"
                    : `lineage ${pool.done} of ${pool.total_parts} part(s) confirmed`}
              </dd>
              <dt>registry</dt>
              <dd className="mono">{registry}</dd>
            </dl>
            {m.evaluations.length > 0 ? (
              <>
                <h2>Evaluations</h2>
                <ul>
                  {m.evaluations.map((e) => (
                    <li key={`${e.benchmark}-${e.metric}`}>
                      {e.benchmark}: {e.metric} {e.value}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <h2>Lineage</h2>
            <ul className="lineage" data-testid="lineage">
              <li>
                <strong>model {m.id}</strong>, made by
                <Creators creators={m.creators} />
                {parents.map((p) => (
                  <div key={p.model_id}>
                    {p.depth === 1 ? "" : `${p.depth} generations up: `}
                    {p.relation_to_child} of <a href={`#/c/${dao}/m/${encodeURIComponent(p.model_id)}`}>{p.model_id}</a>{" "}
                    ({p.status})
                  </div>
                ))}
                <ul className="lineage">
                  <li>
                    {manifest === null ? (
                      <span className="problem">
                        trained on manifest #{m.training_manifest_id}, which does not exist
                      </span>
                    ) : (
                      <>
                        trained on manifest #{manifest.id} "{manifest.name}" by{" "}
                        <span className="mono">{manifest.creator}</span>, root <Hash value={manifest.root} />
                      </>
                    )}
                    <ul className="lineage">
                      {entries.map((d) => (
                        <li key={d.dataset_id} data-testid={`lineage-${d.dataset_id}`}>
                          dataset <a href={`#/c/${dao}/d/${encodeURIComponent(d.dataset_id)}`}>{d.dataset_id}</a>
                          <span className={`status s-${d.status}`}>{d.status}</span>
                          {d.withdrawn ? <span className="status s-withdrawn">withdrawn</span> : null} {d.license}
                          <Creators creators={d.creators} />
                        </li>
                      ))}
                    </ul>
                    {manifest ? <Pager page={page} total={manifest.entries.length} onPage={setPage} /> : null}
                  </li>
                </ul>
              </li>
            </ul>
            {m.status === "Registered" ? (
              <>
                <h2>Activate</h2>
                <p className="muted">
                  A proposal to the community: once approved and executed, the registry checks the training manifest (no
                  withdrawn data) and makes this version the community's model. The treasury pays what the activation
                  stores; what is not used comes back.
                </p>
                {wallet ? (
                  <button type="button" className="primary" onClick={proposeActivation} disabled={preparing}>
                    {preparing ? "Computing the deposit…" : "Propose activating"}
                  </button>
                ) : (
                  <p className="muted">Sign in to propose.</p>
                )}
                {refused ? <ProblemBox problem={refused} /> : null}
              </>
            ) : null}
          </>
        )}
      </Show>
    </section>
  );
}
