// Dataset registry stories on the local node: submit -> admitted, rejection, withdrawal and taint, manifests whose
// root is recomputed off chain, removal with refund, exact storage payment.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { useWorker } from "../helpers/worker.ts";
import { computeManifestRoot } from "../../scripts/manifest-root.mjs";
import {
  BYTE_COST,
  burnt,
  datasetInput,
  deploySuite,
  events,
  gasOf,
  modelInput,
  NEAR,
  ok,
  ROOT,
  TGAS,
  tgas,
  total,
} from "./fixture.ts";
import { DEFAULT_ACTIVATION_DEPOSIT } from "../../contracts/wire/activation.ts";

const test = useWorker();

interface DatasetView {
  id: string;
  status: string;
  withdrawn: boolean;
  previous: string | null;
  creators: { account_id: string; share_bps: number }[];
  decided_at: string | null;
  content_sha256: string;
}

test("submit -> admitted: events, storage paid exactly, excess refunded, versions chained", async (t) => {
  const { root } = t.context;
  const s = await deploySuite(root);
  const alice = await root.createSubAccount("alice");
  const bob = await root.createSubAccount("bob");
  const creators = [
    { account_id: alice.accountId, share_bps: 7000 },
    { account_id: bob.accountId, share_bps: 3000 },
  ];
  const before = await total(alice);
  const storageBefore = (await s.datasets.accountView()).storage_usage;
  const r = await ok(alice, s.datasets, "submit_dataset", datasetInput("wiki-fr", "1.0.0", creators), {
    deposit: NEAR,
  });
  t.log(`submit_dataset: ${tgas(gasOf(r))}`);
  t.is(r.parseResult<string>(), "wiki-fr@1.0.0");
  const ev = events(r);
  t.deepEqual(
    ev.map((e) => [e.standard, e.version, e.event]),
    [["ai-commons-datasets", "1.0.0", "dataset_submitted"]],
  );
  const cost = BigInt(ev[0].data[0].storage_cost as string);
  // the measured bytes (everything but STATE and the paid entry, which the 200 headroom bytes cover) + 200
  const storageAfter = (await s.datasets.accountView()).storage_usage;
  t.true(cost >= BigInt(storageAfter - storageBefore) * BYTE_COST);
  t.true(cost <= BigInt(storageAfter - storageBefore + 200) * BYTE_COST);
  t.is(await total(alice), before - cost - burnt(r), "kept exactly the storage cost; the rest came back");
  t.is(await s.datasets.view("get_storage_paid", { dataset_id: "wiki-fr@1.0.0" }), cost.toString());

  const admit = await ok(s.dao, s.datasets, "admit_dataset", { dataset_id: "wiki-fr@1.0.0", memo: "vote #4" });
  t.log(`admit_dataset: ${tgas(gasOf(admit))}`);
  t.deepEqual(events(admit)[0].data, [{ dataset_id: "wiki-fr@1.0.0", memo: "vote #4" }]);
  const d = await s.datasets.view<DatasetView>("get_dataset", { dataset_id: "wiki-fr@1.0.0" });
  t.is(d.status, "Admitted");
  t.deepEqual(d.creators, creators);
  t.truthy(d.decided_at);

  // a new version points at its predecessor; only the name's owner may add one
  await ok(alice, s.datasets, "submit_dataset", datasetInput("wiki-fr", "1.1.0", creators), { deposit: NEAR });
  const v2 = await s.datasets.view<DatasetView>("get_dataset", { dataset_id: "wiki-fr@1.1.0" });
  t.is(v2.previous, "wiki-fr@1.0.0");
  t.is(v2.status, "Submitted");
  t.deepEqual(await s.datasets.view("get_versions", { name: "wiki-fr" }), ["wiki-fr@1.0.0", "wiki-fr@1.1.0"]);
  t.deepEqual(await s.datasets.view("get_name", { name: "wiki-fr" }), {
    v: 1,
    owner: alice.accountId,
    latest: "wiki-fr@1.1.0",
    versions: 2,
  });
});

test("rejection, then the submitter removes the rejected version and gets its deposit back", async (t) => {
  const { root } = t.context;
  const s = await deploySuite(root);
  const carol = await root.createSubAccount("carol");
  const creators = [{ account_id: carol.accountId, share_bps: 10000 }];
  const sub = await ok(carol, s.datasets, "submit_dataset", datasetInput("scraped", "0.1", creators), {
    deposit: NEAR,
  });
  const paid = BigInt(events(sub)[0].data[0].storage_cost as string);
  const rej = await ok(s.dao, s.datasets, "reject_dataset", { dataset_id: "scraped@0.1", memo: "no consent" });
  t.is(events(rej)[0].event, "dataset_rejected");
  t.is((await s.datasets.view<DatasetView>("get_dataset", { dataset_id: "scraped@0.1" })).status, "Rejected");

  const before = await total(carol);
  const usageBefore = (await s.datasets.accountView()).storage_usage;
  const rm = await ok(carol, s.datasets, "remove_dataset", { dataset_id: "scraped@0.1" });
  const refund = BigInt(rm.parseResult<string>());
  const freed = BigInt(usageBefore - (await s.datasets.accountView()).storage_usage);
  t.is(refund, freed * BYTE_COST, "the bytes freed; the tombstone stays paid");
  t.true(refund < paid);
  t.is(await total(carol), before + refund - burnt(rm));
  t.is(await s.datasets.view("get_dataset", { dataset_id: "scraped@0.1" }), null);
  t.is(await s.datasets.view("get_name", { name: "scraped" }), null);
  t.deepEqual(await s.datasets.view("get_datasets", {}), [{ id: "scraped@0.1", removed: true }]);
});

test("withdrawal and taint: the dataset leaves future manifests and the models activated on it are listed", async (t) => {
  const { root } = t.context;
  const s = await deploySuite(root);
  const dan = await root.createSubAccount("dan");
  const erin = await root.createSubAccount("erin");
  const creators = [
    { account_id: dan.accountId, share_bps: 5000 },
    { account_id: erin.accountId, share_bps: 5000 },
  ];
  for (const name of ["forum", "books"]) {
    await ok(dan, s.datasets, "submit_dataset", datasetInput(name, "1", creators), { deposit: NEAR });
    await ok(s.dao, s.datasets, "admit_dataset", { dataset_id: `${name}@1` });
  }
  const mr = await ok(
    dan,
    s.datasets,
    "create_manifest",
    { name: "base mix", dataset_ids: ["forum@1", "books@1"] },
    {
      deposit: NEAR,
    },
  );
  const manifestId = mr.parseResult<number>();
  await ok(dan, s.models, "register_model", modelInput("commons-lm", "1.0", manifestId), { deposit: NEAR });
  await ok(
    s.dao,
    s.models,
    "activate_model",
    { model_id: "commons-lm@1.0" },
    { gas: 300n * TGAS, deposit: DEFAULT_ACTIVATION_DEPOSIT },
  );

  // erin is a creator, not the submitter: any creator may withdraw
  const w = await ok(erin, s.datasets, "withdraw_dataset", { dataset_id: "books@1", reason: "license changed" });
  t.deepEqual(
    events(w).map((e) => [e.event, e.data[0]]),
    [
      [
        "dataset_withdrawn",
        { dataset_id: "books@1", by: erin.accountId, reason: "license changed", tainted_manifests: 1 },
      ],
    ],
  );
  const d = await s.datasets.view<DatasetView>("get_dataset", { dataset_id: "books@1" });
  t.true(d.withdrawn);
  t.is(d.status, "Admitted", "the DAO's decision stays visible");
  t.deepEqual(await s.datasets.view("get_taint", { dataset_id: "books@1" }), {
    dataset_id: "books@1",
    withdrawn: true,
    manifests: [{ manifest_id: manifestId, model_count: 1, models: ["commons-lm@1.0"] }],
  });
  t.deepEqual(await s.datasets.view("check_manifest", { manifest_id: manifestId }), {
    manifest_id: manifestId,
    exists: true,
    root: (await s.datasets.view<{ root: string }>("get_manifest", { manifest_id: manifestId })).root,
    dataset_ids: ["books@1", "forum@1"],
    withdrawn: ["books@1"],
    ok: false,
  });
});

test("manifest root recomputed off chain (library and CLI over RPC) equals the stored one", async (t) => {
  const { root, worker } = t.context;
  const s = await deploySuite(root);
  const fay = await root.createSubAccount("fay");
  const creators = [{ account_id: fay.accountId, share_bps: 10000 }];
  const ids: string[] = [];
  for (const name of ["zeta", "alpha", "mid-set", "alpha-2"]) {
    await ok(fay, s.datasets, "submit_dataset", datasetInput(name, "2.0", creators), { deposit: NEAR });
    await ok(s.dao, s.datasets, "admit_dataset", { dataset_id: `${name}@2.0` });
    ids.push(`${name}@2.0`);
  }
  const r = await ok(fay, s.datasets, "create_manifest", { name: "mix", dataset_ids: ids }, { deposit: NEAR });
  const id = r.parseResult<number>();
  const m = await s.datasets.view<{ root: string; entries: { dataset_id: string; content_sha256: string }[] }>(
    "get_manifest",
    { manifest_id: id },
  );
  t.deepEqual(
    m.entries.map((e) => e.dataset_id),
    ["alpha-2@2.0", "alpha@2.0", "mid-set@2.0", "zeta@2.0"],
  );
  t.is(events(r)[0].data[0].root, m.root);
  // from the datasets' own content hashes, in the order they were given (the rule sorts)
  const fromDatasets = [];
  for (const d of ids) {
    const rec = await s.datasets.view<DatasetView>("get_dataset", { dataset_id: d });
    fromDatasets.push({ dataset_id: d, content_sha256: rec.content_sha256 });
  }
  t.is(computeManifestRoot(fromDatasets), m.root);
  // `config` is protected in the typings; its rpcAddr is the sandbox's JSON-RPC address
  const rpc = (worker as unknown as { config: { rpcAddr: string } }).config.rpcAddr;
  const cli = spawnSync(
    process.execPath,
    [
      join(ROOT, "scripts", "manifest-root.mjs"),
      "--rpc",
      rpc,
      "--contract",
      s.datasets.accountId,
      "--manifest",
      `${id}`,
    ],
    { encoding: "utf8" },
  );
  t.is(cli.status, 0, cli.stderr);
  t.regex(cli.stdout, new RegExp(`^root ${m.root}$`, "m"));
  t.regex(cli.stdout, /^match: yes$/m);
});
