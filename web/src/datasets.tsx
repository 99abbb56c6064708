// The community's datasets (its dataset registry): newest first as cards, one dataset with where it is used, and the
// council's proposals to admit or reject a submitted one (AdmitDataset / RejectDataset, as `propose admit-dataset`).
import { useState } from "react";
import type { Policy } from "../../contracts/community-dao/types.ts";
import type { DatasetRecord } from "../../contracts/wire/datasets.ts";
import type { configView, taintView } from "../../contracts/dataset-registry/views.ts";
import * as units from "../../scripts/cli/units.ts";
import { type PageProps, proposalTx } from "./pages.tsx";
import { newestFirst, Refusal, suiteContract } from "./suite.ts";
import { Creators, Hash, MorePager, Pager, Show, useLoad } from "./ui.tsx";
import { WithdrawDataset } from "./creator.tsx";
import { PAGE } from "./chain.ts";

type RegistryConfig = ReturnType<typeof configView>;
type Taint = ReturnType<typeof taintView>;
/** get_datasets keeps a removed dataset's slot as `{id, removed: true}` so indexes stay stable */
type DatasetSlot = DatasetRecord | { id: string; removed: true };

/** "1,234,567 bytes" */
function size(bytes: string): string {
  return `${bytes.replace(/\B(?=(\d{3})+(?!\d))/g, ",")} bytes`;
}

function DatasetStatus({ d }: { d: DatasetRecord }) {
  return (
    <>
      <span className={`status s-${d.status}`} data-testid="dataset-status">
        {d.status}
      </span>
      {d.withdrawn ? <span className="status s-withdrawn">withdrawn</span> : null}
    </>
  );
}

/** One page of the community's datasets, newest first (the registry's slots: a removed dataset leaves an empty one). */
export async function datasetsPage(chain: PageProps["chain"], dao: string, page: number) {
  const registry = await suiteContract(chain, dao, "dataset-registry");
  const config = await chain.view<RegistryConfig>(registry, "get_config");
  const range = newestFirst(page, config.dataset_slots);
  const slots = range ? await chain.view<DatasetSlot[]>(registry, "get_datasets", range) : [];
  return { registry, total: config.dataset_slots, slots: slots.reverse() };
}

export function Datasets({ chain, wallet, refresh, dao }: PageProps & { dao: string }) {
  const [page, setPage] = useState(0);
  const loaded = useLoad(() => datasetsPage(chain, dao, page), [chain, dao, page, refresh], chain);
  return (
    <section>
      <p>
        <a href={`#/c/${dao}`}>‹ community</a> · <a href={`#/c/${dao}/models`}>Models</a>
      </p>
      <h1>Datasets</h1>
      {wallet ? (
        <nav className="tabs">
          <a href={`#/c/${dao}/submit-dataset`}>Submit a dataset</a>
          <a href={`#/c/${dao}/new-manifest`}>Create a manifest</a>
        </nav>
      ) : null}
      <Show loaded={loaded}>
        {({ registry, total, slots }) => (
          <>
            <p className="muted">
              {total} submitted to <span className="mono">{registry}</span>, newest first
            </p>
            {total === 0 ? <p>No dataset yet: creators submit them here or with `ai-commons dataset submit`.</p> : null}
            <ul className="cards" data-testid="datasets">
              {slots.map((d) =>
                "removed" in d ? (
                  <li key={d.id}>
                    <strong>{d.id}</strong> <span className="muted">removed by its submitter</span>
                  </li>
                ) : (
                  <li key={d.id} data-testid={`dataset-${d.id}`}>
                    <a href={`#/c/${dao}/d/${encodeURIComponent(d.id)}`}>{d.id}</a>
                    <DatasetStatus d={d} />
                    <div>
                      {d.license} · {size(d.size_bytes)}
                    </div>
                    <Creators creators={d.creators} />
                    <div>
                      sha256 <Hash value={d.content_sha256} />
                    </div>
                  </li>
                ),
              )}
            </ul>
            <Pager page={page} total={total} onPage={setPage} />
          </>
        )}
      </Show>
    </section>
  );
}

export function DatasetDetail({ chain, wallet, refresh, ask, go, dao, id }: PageProps & { dao: string; id: string }) {
  const [page, setPage] = useState(0);
  const [memo, setMemo] = useState("");
  const loaded = useLoad(
    async () => {
      const registry = await suiteContract(chain, dao, "dataset-registry");
      const [d, policy] = await Promise.all([
        chain.view<DatasetRecord | null>(registry, "get_dataset", { dataset_id: id }),
        chain.view<Policy>(dao, "get_policy"),
      ]);
      if (d === null) throw new Refusal("ERR_UNKNOWN_DATASET", `no dataset ${id} in ${registry}`);
      // the manifests naming it, each with the models activated on it (its taint when withdrawn), one more ahead
      const taint = await chain.view<Taint>(registry, "get_taint", {
        dataset_id: id,
        from_index: page * PAGE,
        limit: PAGE + 1,
      });
      return { registry, d, policy, manifests: taint.manifests.slice(0, PAGE), more: taint.manifests.length > PAGE };
    },
    [chain, dao, id, page, refresh],
    chain,
  );
  const propose = (kind: "AdmitDataset" | "RejectDataset", policy: Policy) => {
    const k = { kind, dataset_id: id, ...(memo ? { memo } : {}) };
    // the CLI's description (scripts/cli/dao.ts buildKind)
    ask(proposalTx(dao, policy, k, `${kind} ${id}`), (sent) => go(`/c/${dao}/p/${sent.value}`));
  };
  return (
    <section>
      <p>
        <a href={`#/c/${dao}/datasets`}>‹ datasets</a>
      </p>
      <Show loaded={loaded}>
        {({ registry, d, policy, manifests, more }) => (
          <>
            <h1>
              {d.id} <DatasetStatus d={d} />
            </h1>
            <dl className="grid">
              <dt>license</dt>
              <dd>{d.license}</dd>
              <dt>size</dt>
              <dd>{size(d.size_bytes)}</dd>
              <dt>content</dt>
              <dd>
                <Hash value={d.content_sha256} testId="dataset-sha256" />
              </dd>
              <dt>datasheet</dt>
              <dd>
                <Hash value={d.datasheet_sha256} />
              </dd>
              <dt>submitter</dt>
              <dd className="mono">{d.submitter}</dd>
              <dt>submitted</dt>
              <dd>{units.date(d.submitted_at)}</dd>
              {d.decided_at ? (
                <>
                  <dt>decided</dt>
                  <dd>{units.date(d.decided_at)}</dd>
                </>
              ) : null}
              {d.withdrawn_at ? (
                <>
                  <dt>withdrawn</dt>
                  <dd>{units.date(d.withdrawn_at)}</dd>
                </>
              ) : null}
              {d.previous ? (
                <>
                  <dt>previous version</dt>
                  <dd>
                    <a href={`#/c/${dao}/d/${encodeURIComponent(d.previous)}`}>{d.previous}</a>
                  </dd>
                </>
              ) : null}
              {d.imported_from ? (
                <>
                  <dt>imported from</dt>
                  <dd className="mono">{d.imported_from}</dd>
                </>
              ) : null}
              <dt>registry</dt>
              <dd className="mono">{registry}</dd>
            </dl>
            <h2>Creators</h2>
            <Creators creators={d.creators} />
            <h2>Where the data is</h2>
            <ul>
              {d.uris.map((u) => (
                <li key={u} className="mono hash">
                  {u}
                </li>
              ))}
            </ul>
            <h2>Training manifests</h2>
            {d.withdrawn && manifests.length > 0 ? (
              <p className="problem" data-testid="taint">
                Withdrawn by its creators: the models below were trained on it and cannot be activated again.
              </p>
            ) : null}
            {manifests.length === 0 && page === 0 ? <p className="muted">in no manifest yet</p> : null}
            <ul data-testid="dataset-manifests">
              {manifests.map((m) => (
                <li key={m.manifest_id}>
                  manifest #{m.manifest_id}
                  {m.model_count > 0 ? ": models " : ", no model activated on it"}
                  {m.models.map((model, i) => (
                    <span key={model}>
                      {i > 0 ? ", " : ""}
                      <a href={`#/c/${dao}/m/${encodeURIComponent(model)}`}>{model}</a>
                    </span>
                  ))}
                  {m.model_count > m.models.length ? ` and ${m.model_count - m.models.length} more` : ""}
                </li>
              ))}
            </ul>
            <MorePager page={page} more={more} onPage={setPage} />
            <WithdrawDataset wallet={wallet} ask={ask} registry={registry} d={d} />
            {d.status === "Submitted" && !d.withdrawn ? (
              <>
                <h2>Decide</h2>
                <p className="muted">
                  A proposal to the community: once the council approves and it is executed, the registry admits (a
                  manifest may then name it) or rejects the dataset.
                </p>
                {wallet ? (
                  <>
                    <label>
                      Memo (optional){" "}
                      <input value={memo} onChange={(e) => setMemo(e.target.value)} name="memo" maxLength={256} />
                    </label>
                    <div className="actions">
                      <button type="button" className="primary" onClick={() => propose("AdmitDataset", policy)}>
                        Propose admitting
                      </button>
                      <button type="button" onClick={() => propose("RejectDataset", policy)}>
                        Propose rejecting
                      </button>
                    </div>
                  </>
                ) : (
                  <p className="muted">Sign in to propose.</p>
                )}
              </>
            ) : null}
          </>
        )}
      </Show>
    </section>
  );
}
