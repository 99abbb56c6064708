// A fork end to end through the factory (docs/fork.md): a community with admitted datasets, a manifest and two
// model versions; a Fork proposal; three of five members join; the factory creates the fork community (a step fails
// and is resumed with nothing lost); the parent pays treasury x 3 / 5 to the new DAO to the yocto; the new
// registries import the parent's records in ordered, idempotent pages; lineage in the new community shows the
// provenance; the parent's records are untouched.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { NearAccount, TransactionResult } from "near-workspaces";
import { daoWasm, HOUR_NS } from "../dao/fixture.ts";
import { stateOf } from "../helpers/tx.ts";
import { useWorker } from "../helpers/worker.ts";
import {
  assertPanics,
  datasetInput,
  events,
  gasOf,
  modelInput,
  NEAR,
  ROOT,
  TGAS,
  tgas,
  total,
} from "../registries/fixture.ts";

const test = useWorker().serial;
const CODES = ["dataset-registry", "model-registry"];

function codeInput(name: string, version: string, wasm: Uint8Array, extra: Record<string, unknown> = {}) {
  return Buffer.concat([Buffer.from(`${JSON.stringify({ name, version, ...extra })}\n`), Buffer.from(wasm)]);
}

function must(r: TransactionResult, what: string): TransactionResult {
  if (r.failed) throw new Error(`${what} failed: ${r.receiptFailureMessages.join(" | ")}`);
  return r;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");

// One approving vote decides (Weight 1), so the story stays short; the council is everyone.
const POLICY = {
  v: 1,
  roles: [
    { name: "all", kind: "Everyone", permissions: ["*:propose", "*:execute"], vote_policy: {} },
    { name: "council", kind: "Group", permissions: ["*:propose", "*:vote", "*:remove"], vote_policy: {} },
  ],
  default_vote_policy: { weight_kind: "RoleWeight", quorum: 0, threshold: { kind: "Weight", weight: 1 } },
  parameters: { proposal_bond: NEAR.toString(), proposal_period: (24n * HOUR_NS).toString(), timelock: "0" },
  fork: { window: HOUR_NS.toString(), threshold_bps: 5000, ragequit: true },
};

test("fork a community: members, treasury share, datasets, models and lineage with provenance", async (t) => {
  const { worker, root } = t.context;
  const gas: [string, bigint][] = [];
  const step = (name: string, r: TransactionResult) => {
    must(r, name);
    gas.push([name, gasOf(r)]);
    return r;
  };
  const big = { initialBalance: 100n * NEAR };
  const owner = await root.createSubAccount("owner", big);
  const m: NearAccount[] = [];
  for (const n of ["alice", "bob", "carol", "dave", "erin"]) m.push(await root.createSubAccount(n, big));
  const [alice, bob, carol] = m;
  const factory = await root.createSubAccount("commons", { initialBalance: 60n * NEAR });
  await factory.deploy(readFileSync(join(ROOT, "build", "community-factory.wasm")));
  await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 30n * TGAS });
  const wasm: Record<string, Uint8Array> = { "community-dao": daoWasm() };
  for (const c of CODES) wasm[c] = readFileSync(join(ROOT, "build", `${c}.wasm`));
  for (const name of ["community-dao", ...CODES]) {
    must(
      await owner.callRaw(factory, "store_code", codeInput(name, "1.0.0", wasm[name]), {
        attachedDeposit: 1n,
        gas: 150n * TGAS,
      }),
      `store ${name}`,
    );
  }
  const required = BigInt((await factory.view<{ accounts_total: string }>("get_required_deposit")).accounts_total);

  // 1. the parent community "acme"
  const members = m.map((a) => ({ account_id: a.accountId, roles: ["council"] }));
  must(
    await alice.callRaw(
      factory,
      "create_community",
      { name: "acme", dao_args: { config: { name: "Acme", purpose: "p", metadata: "" }, policy: POLICY, members } },
      { attachedDeposit: required + NEAR, gas: 300n * TGAS },
    ),
    "create acme",
  );
  for (let i = 0; i < 2; i++) {
    must(await alice.callRaw(factory, "deploy_next", { name: "acme" }, { gas: 300n * TGAS }), "deploy acme");
  }
  const dao = root.getAccount("acme.commons.test.near");
  const datasets = root.getAccount("acme_dataset-registry.commons.test.near");
  const models = root.getAccount("acme_model-registry.commons.test.near");

  // 12 datasets (two creators each); 11 admitted by two batched proposals, one left Submitted (not carried over)
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const creators = [
      { account_id: m[3].accountId, share_bps: 7000 },
      { account_id: m[4].accountId, share_bps: 3000 },
    ];
    const r = await m[3].callRaw(datasets, "submit_dataset", datasetInput(`set${i}`, "1.0.0", creators), {
      attachedDeposit: NEAR / 10n,
      gas: 50n * TGAS,
    });
    ids.push(must(r, "submit").parseResult<string>());
  }
  const propose = async (kind: Record<string, unknown>) => {
    const r = await alice.callRaw(
      dao,
      "add_proposal",
      { description: "d", kind },
      { attachedDeposit: NEAR, gas: 100n * TGAS },
    );
    const id = must(r, "propose").parseResult<number>();
    must(await bob.callRaw(dao, "vote", { id, choice: "Approve" }, { gas: 50n * TGAS }), "vote");
    return id;
  };
  for (const batch of [ids.slice(0, 10), ids.slice(10, 11)]) {
    const actions = batch.map((dataset_id) => ({
      method_name: "admit_dataset",
      args: b64({ dataset_id }),
      deposit: "0",
      gas: (20n * TGAS).toString(),
    }));
    const id = await propose({ kind: "FunctionCall", receiver_id: datasets.accountId, actions });
    must(await alice.callRaw(dao, "execute", { id }, { gas: 300n * TGAS }), "admit");
  }
  const manifestId = must(
    await m[3].callRaw(
      datasets,
      "create_manifest",
      { name: "train", dataset_ids: ids.slice(0, 3) },
      { attachedDeposit: NEAR / 10n, gas: 50n * TGAS },
    ),
    "manifest",
  ).parseResult<number>();
  const base = must(
    await m[4].callRaw(models, "register_model", modelInput("chat", "1.0.0", manifestId), {
      attachedDeposit: NEAR / 10n,
      gas: 50n * TGAS,
    }),
    "register",
  ).parseResult<string>();
  const tuned = must(
    await m[4].callRaw(
      models,
      "register_model",
      modelInput("chat-tuned", "1.0.0", manifestId, { parent: { model_id: base, relation: "finetune" } }),
      { attachedDeposit: NEAR / 10n, gas: 50n * TGAS },
    ),
    "register",
  ).parseResult<string>();
  const parentDatasets = await stateOf(datasets);
  const parentModels = await stateOf(models);

  // 2. the fork: opened by proposal, three of five join
  const forkId = await propose({ kind: "Fork", name: "spin" });
  step("execute Fork (opens the window)", await alice.callRaw(dao, "execute", { id: forkId }, { gas: 100n * TGAS }));
  for (const a of [alice, bob, carol]) {
    step("join_fork", await a.callRaw(dao, "join_fork", { id: forkId }, { gas: 30n * TGAS }));
  }

  // 3. the factory reserves "spin" before the fork is decided: the read is refused, nothing deploys
  const spinArgs = { name: "spin", parent: "acme", fork_id: forkId };
  const early = step(
    "create_fork",
    await carol.callRaw(factory, "create_fork", spinArgs, { attachedDeposit: required + NEAR, gas: 150n * TGAS }),
  );
  t.true(events(early).some((e) => e.event === "fork_read_failed"));
  let view = await factory.view<{
    forked_from: { status: string; last_error: string; block_height: string | null; members: number };
    provenance: string | null;
    contracts: { status: string }[];
    status: string;
  }>("get_community", { name: "spin" });
  t.like(view.forked_from, { status: "Pending", last_error: "ERR_FORK_NOT_SUCCEEDED: Open" });
  const before = await stateOf(factory);
  assertPanics(
    t,
    await carol.callRaw(factory, "deploy_next", { name: "spin" }, { gas: 300n * TGAS }),
    "ERR_FORK_NOT_READ",
  );
  t.is(await stateOf(factory), before);

  // 4. the window ends; the parent decides; spin's DAO does not exist yet: the factory's record says so, nothing is
  // paid and nobody is removed yet (Payable)
  await worker.provider.fastForward(3000);
  const decided = step(
    "execute_fork (decided, receiver not created yet)",
    await m[3].callRaw(dao, "execute_fork", { id: forkId }, { gas: 100n * TGAS }),
  );
  t.true(events(decided).some((e) => e.event === "fork_payment_failed"));
  const fork = await dao.view<{ status: string; decided_block: string; last_error: string }>("get_fork", {
    id: forkId,
  });
  t.like(fork, { status: "Payable", last_error: "ERR_FORK_NOT_CREATED" });
  t.is((await dao.view<{ member_count: number }>("get_info")).member_count, 5);
  step("read_fork", await carol.callRaw(factory, "read_fork", { name: "spin" }, { gas: 150n * TGAS }));
  view = await factory.view("get_community", { name: "spin" });
  t.like(view.forked_from, { status: "Ready", members: 3, block_height: fork.decided_block });
  t.is(view.provenance, `forked from community acme at block ${fork.decided_block}`);

  // 5. deployment; the model registry's release is broken at first: its step fails, rolls back and is resumed
  const good = wasm["model-registry"];
  const initBalance = (BigInt(good.length) * 10n ** 19n + NEAR).toString();
  must(
    await owner.callRaw(
      factory,
      "store_code",
      codeInput("model-registry", "0.0.1-broken", readFileSync(join(ROOT, "build", "community-factory.wasm")), {
        init_balance: initBalance,
      }),
      { attachedDeposit: 1n, gas: 150n * TGAS },
    ),
    "store broken",
  );
  for (let i = 0; i < 2; i++) {
    step("deploy_next", await carol.callRaw(factory, "deploy_next", { name: "spin" }, { gas: 300n * TGAS }));
  }
  const left = (await factory.view<{ deposit_left: string }>("get_community", { name: "spin" })).deposit_left;
  const failed = await carol.callRaw(factory, "deploy_next", { name: "spin" }, { gas: 300n * TGAS });
  t.true(events(failed).some((e) => e.event === "community_step_failed"));
  view = await factory.view("get_community", { name: "spin" });
  t.is(view.contracts[2].status, "Failed");
  t.is((await factory.view<{ deposit_left: string }>("get_community", { name: "spin" })).deposit_left, left);
  t.false(await root.getAccount("spin_model-registry.commons.test.near").exists());
  must(
    await owner.callRaw(factory, "store_code", codeInput("model-registry", "1.0.1", good), {
      attachedDeposit: 1n,
      gas: 150n * TGAS,
    }),
    "store fixed",
  );
  step("deploy_next (resumed)", await carol.callRaw(factory, "deploy_next", { name: "spin" }, { gas: 300n * TGAS }));
  view = await factory.view("get_community", { name: "spin" });
  t.is(view.status, "Ready");

  // 6. the parent pays spin's DAO: treasury x 3 / 5, floor, to the yocto
  const spin = root.getAccount("spin.commons.test.near");
  const spinBefore = await total(spin);
  step(
    "execute_fork (check, payment, 3 exits)",
    await m[3].callRaw(dao, "execute_fork", { id: forkId }, { gas: 100n * TGAS }),
  );
  const paid = await dao.view<{ status: string; available: string; amount: string }>("get_fork", { id: forkId });
  t.is(paid.status, "Executed");
  t.is(BigInt(paid.amount), (BigInt(paid.available) * 3n) / 5n);
  t.is((await total(spin)) - spinBefore, BigInt(paid.amount));
  const spinMembers = await spin.view<{ account_id: string; roles: string[] }[]>("get_members", {});
  t.deepEqual(
    spinMembers.map((x) => [x.account_id, x.roles]),
    [alice, bob, carol].map((a) => [a.accountId, ["council"]]),
  );
  t.is((await dao.view<{ member_count: number }>("get_info")).member_count, 2);

  // 7. the registries import in pages: datasets 0, 1, then manifests 2
  const spinSets = root.getAccount("spin_dataset-registry.commons.test.near");
  const spinModels = root.getAccount("spin_model-registry.commons.test.near");
  const page = (reg: NearAccount, p: number) => m[3].callRaw(reg, "import_page", { page: p }, { gas: 150n * TGAS });
  const refusedPage = async (reg: NearAccount, p: number, code: string) => {
    const s = await stateOf(reg);
    assertPanics(t, await page(reg, p), code);
    t.is(await stateOf(reg), s, `${code}: state changed`);
  };
  await refusedPage(spinSets, 1, "ERR_PAGE_OUT_OF_ORDER");
  step("import_page datasets 0 (10)", await page(spinSets, 0));
  const s0 = await stateOf(spinSets);
  const again = await page(spinSets, 0);
  t.deepEqual(must(again, "again").parseResult(), { page: 0, status: "AlreadyImported" });
  t.is(await stateOf(spinSets), s0);
  await refusedPage(spinSets, 2, "ERR_PAGE_OUT_OF_ORDER");
  const early2 = await m[3].callRaw(
    spinSets,
    "submit_dataset",
    datasetInput("late", "1.0.0", [{ account_id: m[3].accountId, share_bps: 10000 }]),
    { attachedDeposit: NEAR / 10n, gas: 50n * TGAS },
  );
  assertPanics(t, early2, "ERR_IMPORT_INCOMPLETE");
  step("import_page datasets 1 (1 of 2)", await page(spinSets, 1));
  step("import_page manifests 2", await page(spinSets, 2));
  await refusedPage(spinSets, 3, "ERR_IMPORT_COMPLETE");
  const imp = await spinSets.view<Record<string, unknown>>("get_fork_import");
  t.like(imp, {
    parent_registry_id: datasets.accountId,
    community: "acme",
    block_height: fork.decided_block,
    imported: 12,
    complete: true,
  });
  t.is((await spinSets.view<{ dataset_slots: number }>("get_config")).dataset_slots, 11);
  t.is(await spinSets.view("get_dataset", { dataset_id: ids[11] }), null);
  const copied = await spinSets.view<{ creators: unknown; status: string; imported_from: string }>("get_dataset", {
    dataset_id: ids[0],
  });
  t.like(copied, { status: "Admitted", imported_from: datasets.accountId });
  t.deepEqual(copied.creators, [
    { account_id: m[3].accountId, share_bps: 7000 },
    { account_id: m[4].accountId, share_bps: 3000 },
  ]);
  t.deepEqual(
    await spinSets.view("get_manifest_datasets", { manifest_id: manifestId }),
    await datasets.view("get_manifest_datasets", { manifest_id: manifestId }),
  );

  step("import_page models 0", await page(spinModels, 0));
  const lineage = await spinModels.view<{
    provenance: string;
    parents: { model_id: string }[];
    training_manifest_id: number;
    dataset_registry_id: string;
    model: { status: string; imported_from: string };
  }>("get_lineage", { model_id: tuned });
  t.is(lineage.provenance, `forked from community acme at block ${fork.decided_block}`);
  t.deepEqual(
    lineage.parents.map((p) => p.model_id),
    [base],
  );
  t.is(lineage.training_manifest_id, manifestId);
  t.is(lineage.dataset_registry_id, spinSets.accountId);
  t.is(lineage.model.imported_from, models.accountId);
  t.deepEqual(await spinModels.view("get_children", { model_id: base }), [tuned]);

  // 8. the parent's records are untouched
  t.is(await stateOf(datasets), parentDatasets);
  t.is(await stateOf(models), parentModels);

  let sum = 0n;
  for (const [name, g] of gas) {
    sum += g;
    t.log(`${name}: ${tgas(g)}`);
  }
  t.log(`fork steps in total: ${tgas(sum)}`);
});
