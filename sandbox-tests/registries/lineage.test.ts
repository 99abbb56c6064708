// Lineage over a few hundred records: 60 datasets by 3 creators, a 50-dataset manifest, 250 model versions (a
// 150-deep finetune chain and 100 siblings), read back page by page: model -> manifest -> datasets -> creators with
// shares, parent chains, children, version lists, and the dataset -> manifests reverse index.
import { useWorker } from "../helpers/worker.ts";
import { datasetInput, deploySuite, modelInput, NEAR, ok } from "./fixture.ts";

const test = useWorker();

interface DatasetDetail {
  dataset_id: string;
  content_sha256: string;
  status: string;
  withdrawn: boolean;
  creators: { account_id: string; share_bps: number }[];
}

interface ChainLink {
  depth: number;
  model_id: string;
  relation_to_child: string;
}

async function pages<T>(fetch: (from_index: number, limit: number) => Promise<T[]>, limit: number): Promise<T[]> {
  const out: T[] = [];
  for (let from = 0; ; from += limit) {
    const page = await fetch(from, limit);
    out.push(...page);
    if (page.length < limit) return out;
  }
}

test("lineage queries over a few hundred records, paginated", async (t) => {
  const { root } = t.context;
  const s = await deploySuite(root);
  const [ana, ben, cem] = [
    await root.createSubAccount("ana"),
    await root.createSubAccount("ben"),
    await root.createSubAccount("cem"),
  ];
  const splits = [
    [
      { account_id: ana.accountId, share_bps: 6000 },
      { account_id: ben.accountId, share_bps: 4000 },
    ],
    [{ account_id: ben.accountId, share_bps: 10000 }],
    [
      { account_id: ana.accountId, share_bps: 2500 },
      { account_id: ben.accountId, share_bps: 2500 },
      { account_id: cem.accountId, share_bps: 5000 },
    ],
  ];
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) {
    const name = `set-${String(i).padStart(2, "0")}`;
    await ok(ana, s.datasets, "submit_dataset", datasetInput(name, "1", splits[i % 3]), { deposit: NEAR });
    await ok(s.dao, s.datasets, "admit_dataset", { dataset_id: `${name}@1` });
    ids.push(`${name}@1`);
  }
  const mr = await ok(
    ana,
    s.datasets,
    "create_manifest",
    { name: "big", dataset_ids: ids.slice(0, 50) },
    {
      deposit: NEAR,
    },
  );
  const manifestId = mr.parseResult<number>();
  await ok(ana, s.datasets, "create_manifest", { name: "small", dataset_ids: ids.slice(40, 60) }, { deposit: NEAR });

  // 150-deep chain lm@0 <- lm@1 <- ... <- lm@149, and 100 adapters of lm@0 under another name
  const relations = ["finetune", "quantized", "adapter", "merge"];
  for (let i = 0; i < 150; i++) {
    const parent = i === 0 ? null : { model_id: `lm@${i - 1}`, relation: relations[i % 4] };
    await ok(ben, s.models, "register_model", modelInput("lm", `${i}`, manifestId, { parent }), { deposit: NEAR });
  }
  for (let i = 0; i < 100; i++) {
    const parent = { model_id: "lm@0", relation: "adapter" };
    await ok(cem, s.models, "register_model", modelInput("adapters", `${i}`, 2, { parent }), { deposit: NEAR });
  }
  t.is((await s.models.view<{ model_count: number }>("get_config", {})).model_count, 250);

  // model -> manifest
  const lineage = await s.models.view<{
    training_manifest_id: number;
    dataset_registry_id: string;
    parents: ChainLink[];
  }>("get_lineage", { model_id: "lm@149", limit: 5 });
  t.is(lineage.training_manifest_id, manifestId);
  t.is(lineage.dataset_registry_id, s.datasets.accountId);
  t.deepEqual(
    lineage.parents.map((p) => [p.depth, p.model_id, p.relation_to_child]),
    [
      // relation_to_child: how the child (one depth less) derives from this model, relations[child % 4]
      [1, "lm@148", "quantized"],
      [2, "lm@147", "finetune"],
      [3, "lm@146", "merge"],
      [4, "lm@145", "adapter"],
      [5, "lm@144", "quantized"],
    ],
  );
  // manifest -> datasets -> creators with shares, 50 entries in pages of 15
  const details = await pages(
    (from_index, limit) =>
      s.datasets.view<DatasetDetail[]>("get_manifest_datasets", { manifest_id: manifestId, from_index, limit }),
    15,
  );
  t.deepEqual(
    details.map((d) => d.dataset_id),
    ids.slice(0, 50),
  );
  for (const d of details) {
    t.is(
      d.creators.reduce((a, c) => a + c.share_bps, 0),
      10000,
    );
    t.is(d.status, "Admitted");
    t.false(d.withdrawn);
  }
  // what a reward pool splitting equally between datasets would pay, in basis points of the manifest
  const perCreator: Record<string, number> = {};
  for (const d of details)
    for (const c of d.creators) perCreator[c.account_id] = (perCreator[c.account_id] ?? 0) + c.share_bps;
  t.deepEqual(perCreator, {
    [ana.accountId]: 17 * 6000 + 16 * 2500,
    [ben.accountId]: 17 * 4000 + 17 * 10000 + 16 * 2500,
    [cem.accountId]: 16 * 5000,
  });

  // the full parent chain of the deepest model, in pages of 40
  const chain = await pages(
    (from_index, limit) => s.models.view<ChainLink[]>("get_parent_chain", { model_id: "lm@149", from_index, limit }),
    40,
  );
  t.is(chain.length, 149);
  t.deepEqual(
    chain.map((c) => c.model_id),
    Array.from({ length: 149 }, (_, i) => `lm@${148 - i}`),
  );
  t.deepEqual(
    chain.map((c) => c.depth),
    Array.from({ length: 149 }, (_, i) => i + 1),
  );
  // children of lm@0: lm@1 first, then the 100 adapters, in pages of 30
  const children = await pages(
    (from_index, limit) => s.models.view<string[]>("get_children", { model_id: "lm@0", from_index, limit }),
    30,
  );
  t.deepEqual(children, ["lm@1", ...Array.from({ length: 100 }, (_, i) => `adapters@${i}`)]);
  // versions and all models, paginated
  const versions = await pages(
    (from_index, limit) => s.models.view<string[]>("get_versions", { name: "lm", from_index, limit }),
    100,
  );
  t.is(versions.length, 150);
  const all = await pages(
    (from_index, limit) => s.models.view<{ id: string }[]>("get_models", { from_index, limit }),
    100,
  );
  t.is(all.length, 250);
  t.deepEqual(await s.models.view("get_models_by_manifest", { manifest_id: 2, from_index: 98, limit: 10 }), [
    "adapters@98",
    "adapters@99",
  ]);
  // dataset -> manifests reverse index
  t.deepEqual(await s.datasets.view("get_dataset_manifests", { dataset_id: "set-45@1" }), [1, 2]);
  t.deepEqual(await s.datasets.view("get_dataset_manifests", { dataset_id: "set-55@1" }), [2]);
  t.is((await s.datasets.view<unknown[]>("get_datasets", { from_index: 50, limit: 100 })).length, 10);
  // pages are capped at 100
  const err = await t.throwsAsync(s.models.view("get_models", { limit: 101 }));
  t.true(err?.message.includes("ERR_INVALID_PAGINATION"));
});
