// A fork end to end through the factory (docs/fork.md): a community with admitted datasets, a manifest and two
// model versions; a Fork proposal; three of five members join; the factory creates the fork community on its
// published global codes (an account fails and is resumed with nothing lost); the parent pays treasury x 3 / 5 to the new DAO to the yocto; the new
// registries import the parent's records in ordered, idempotent pages; lineage in the new community shows the
// provenance; the parent's records are untouched.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { NearAccount, TransactionResult } from "near-workspaces";
import { daoWasm, HOUR_NS } from "../dao/fixture.ts";
import { burnt, failureText, panicCodes, panicMatches, stateOf } from "../helpers/tx.ts";
import { codeInput, fundPublisher, GLOBAL_BYTE_COST } from "../helpers/community.ts";
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
import { must, b64json } from "../helpers/tx.ts";

const test = useWorker().serial;
const CODES = ["dataset-registry", "model-registry"];

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
  // the factory stores no wasm (its codes live in the chain's global store): a small balance is enough
  const factory = await root.createSubAccount("commons", { initialBalance: 10n * NEAR });
  await factory.deploy(readFileSync(join(ROOT, "build", "community-factory.wasm")));
  await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 30n * TGAS });
  const wasm: Record<string, Uint8Array> = { "community-dao": daoWasm() };
  for (const c of CODES) wasm[c] = readFileSync(join(ROOT, "build", `${c}.wasm`));
  // the owner pays each publication's burn (10^20 yocto a byte)
  await fundPublisher(root, owner, ["community-dao", ...CODES]);
  const publish = async (name: string, version: string, code: Uint8Array, extra: Record<string, unknown> = {}) =>
    must(
      await owner.callRaw(factory, "publish_code", codeInput(name, version, code, extra), {
        attachedDeposit: BigInt(code.length) * GLOBAL_BYTE_COST,
        gas: 300n * TGAS,
      }),
      `publish ${name} ${version}`,
    );
  for (const name of ["community-dao", ...CODES]) await publish(name, "1.0.0", wasm[name]);
  const needs = await factory.view<{ accounts_total: string; gas: string }>("get_required_deposit");
  const required = BigInt(needs.accounts_total);
  const allGas = BigInt(needs.gas);

  // 1. the parent community "acme"
  const members = m.map((a) => ({ account_id: a.accountId, roles: ["council"] }));
  must(
    await alice.callRaw(
      factory,
      "create_community",
      { name: "acme", dao_args: { config: { name: "Acme", purpose: "p", metadata: "" }, policy: POLICY, members } },
      { attachedDeposit: required + NEAR, gas: allGas },
    ),
    "create acme",
  );
  // one transaction created the three accounts
  t.is((await factory.view<{ status: string }>("get_community", { name: "acme" })).status, "Ready");
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
      args: b64json({ dataset_id }),
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

  // 3. the factory reserves "spin" before the fork is decided: the read is refused, nothing deploys (even with the gas
  // of every account attached, the callback sends nothing after a refused read)
  const spinArgs = { name: "spin", parent: "acme", fork_id: forkId };
  const early = step(
    "create_fork",
    await carol.callRaw(factory, "create_fork", spinArgs, {
      attachedDeposit: required + NEAR,
      gas: allGas + 250n * TGAS,
    }),
  );
  t.true(events(early).some((e) => e.event === "fork_read_failed"));
  let view = await factory.view<{
    forked_from: { status: string; last_error: string; block_height: string | null; members: number };
    provenance: string | null;
    contracts: { status: string }[];
    status: string;
  }>("get_community", { name: "spin" });
  t.like(view.forked_from, { status: "Pending", last_error: "ERR_FORK_NOT_SUCCEEDED: Open" });
  t.deepEqual(
    view.contracts.map((c) => c.status),
    ["Pending", "Pending", "Pending"],
  );
  const before = await stateOf(factory);
  assertPanics(
    t,
    await carol.callRaw(factory, "resume_community", { name: "spin" }, { gas: allGas }),
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

  // 5. deployment, all accounts in one resume_community; the model registry's release is broken at first (the wasm
  // magic and garbage: publishing does not compile it): its account's batch fails, rolls back and is resumed
  const good = wasm["model-registry"];
  const broken = Buffer.concat([Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]), Buffer.alloc(64, 7)]);
  await publish("model-registry", "0.0.1-broken", broken);
  const leftBefore = BigInt(
    (await factory.view<{ deposit_left: string }>("get_community", { name: "spin" })).deposit_left,
  );
  const failed = step(
    "resume_community (3 accounts, one fails)",
    await carol.callRaw(factory, "resume_community", { name: "spin" }, { gas: allGas }),
  );
  t.is(events(failed).filter((e) => e.event === "community_step_started").length, 3);
  t.true(events(failed).some((e) => e.event === "community_step_failed"));
  view = await factory.view("get_community", { name: "spin" });
  t.is(view.status, "Creating");
  t.deepEqual(
    view.contracts.map((c) => c.status),
    ["Done", "Done", "Failed"],
  );
  const left = BigInt((await factory.view<{ deposit_left: string }>("get_community", { name: "spin" })).deposit_left);
  t.true(left > 0n);
  t.false(await root.getAccount("spin_model-registry.commons.test.near").exists());
  // the two created accounts hold exactly their starting balances (plus their init's gas reward); the failed one's
  // stays in the deposit for the retry
  const createdTotal =
    (await total(root.getAccount("spin.commons.test.near"))) +
    (await total(root.getAccount("spin_dataset-registry.commons.test.near")));
  t.true(
    createdTotal >= leftBefore - left && createdTotal < leftBefore - left + NEAR / 100n,
    `${createdTotal} vs ${leftBefore - left}`,
  );
  await publish("model-registry", "1.0.1", good);
  step(
    "resume_community (the failed account again)",
    await carol.callRaw(factory, "resume_community", { name: "spin" }, { gas: allGas }),
  );
  view = await factory.view("get_community", { name: "spin" });
  t.is(view.status, "Ready");
  t.is((await factory.view<{ deposit_left: string }>("get_community", { name: "spin" })).deposit_left, "0");
  // nothing lost: the registry got exactly what was left for it (plus its share of the init's gas reward)
  const registryTotal = await total(root.getAccount("spin_model-registry.commons.test.near"));
  t.true(registryTotal >= left && registryTotal < left + NEAR / 100n, `${registryTotal} vs ${left}`);

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
  // the caller pays each page's storage: 1 NEAR attached, the rest comes back in the same transaction (the
  // registries start with their state's storage and ~2 KB of headroom, nothing more)
  const page = (reg: NearAccount, p: number, attachedDeposit = NEAR) =>
    m[3].callRaw(reg, "import_page", { page: p }, { gas: 150n * TGAS, attachedDeposit });
  const refusedPage = async (reg: NearAccount, p: number, code: string) => {
    const s = await stateOf(reg);
    const before = await total(m[3]);
    const r = await page(reg, p);
    assertPanics(t, r, code);
    t.is(await stateOf(reg), s, `${code}: state changed`);
    t.is(await total(m[3]), before - burnt(r), `${code}: the deposit came back`);
  };
  const usage = async (a: NearAccount) => BigInt((await a.accountView()).storage_usage);
  // too little deposit: on_import_page refuses ERR_DEPOSIT_TOO_LOW with the amount (its writes undone), on_import_done
  // clears the in-flight flag and refunds the whole deposit: nothing imported, only the gas spent
  const low = NEAR / 1000n;
  let pageRequired = 0n;
  {
    const s = await stateOf(spinSets);
    const before = await total(m[3]);
    const r = await page(spinSets, 0, low);
    t.false(r.failed, "the transaction ends with on_import_done's refund");
    t.true(
      panicCodes(r).some((x) => panicMatches(x, "ERR_DEPOSIT_TOO_LOW")),
      `expected ERR_DEPOSIT_TOO_LOW: ${failureText(r)}`,
    );
    t.deepEqual(r.parseResult(), { page: 0, status: "Failed", refund: low.toString() });
    t.true(events(r).some((e) => e.event === "import_page_failed"));
    t.is(await stateOf(spinSets), s, "ERR_DEPOSIT_TOO_LOW: state changed");
    t.is(await total(m[3]), before - burnt(r), "ERR_DEPOSIT_TOO_LOW: the deposit came back");
    t.like(await spinSets.view("get_fork_import"), { next_page: 0, imported: 0, in_flight: false });
    pageRequired = BigInt(/required (\d+)/.exec(failureText(r))?.[1] ?? "0");
    t.true(pageRequired > low, `required ${pageRequired}`);
  }
  await refusedPage(spinSets, 1, "ERR_PAGE_OUT_OF_ORDER");
  // enough: the page keeps exactly the storage it added (+ a 16-byte STATE margin) and refunds the rest at once
  const paid0 = await total(m[3]);
  const usage0 = await usage(spinSets);
  const r0 = step("import_page datasets 0 (10)", await page(spinSets, 0));
  const done0 = r0.parseResult<{ status: string; records: number; storage_cost: string; refund: string }>();
  t.like(done0, { status: "Imported", records: 10 });
  const cost0 = BigInt(done0.storage_cost);
  const grown0 = (await usage(spinSets)) - usage0;
  t.true(cost0 >= grown0 * 10n ** 19n && cost0 <= (grown0 + 16n) * 10n ** 19n, `${cost0} for ${grown0} bytes`);
  t.is(cost0, pageRequired, "the refusal named the exact amount");
  t.is(BigInt(done0.refund), NEAR - cost0);
  t.is(await total(m[3]), paid0 - cost0 - burnt(r0), "the payer paid the storage and the gas, nothing more");
  t.log(`page 0 (10 datasets): +${grown0} bytes, ${cost0} yocto kept, ${done0.refund} refunded`);
  const s0 = await stateOf(spinSets);
  const againBefore = await total(m[3]);
  const again = await page(spinSets, 0);
  t.deepEqual(must(again, "again").parseResult(), { page: 0, status: "AlreadyImported" });
  t.is(await stateOf(spinSets), s0);
  t.is(await total(m[3]), againBefore - burnt(again), "AlreadyImported: the deposit came back");
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

  const usageM = await usage(spinModels);
  const rm = step("import_page models 0", await page(spinModels, 0));
  const doneM = rm.parseResult<{ storage_cost: string; refund: string }>();
  const grownM = (await usage(spinModels)) - usageM;
  t.true(BigInt(doneM.storage_cost) >= grownM * 10n ** 19n, `${doneM.storage_cost} for ${grownM} bytes`);
  t.log(`models page 0 (2 versions): +${grownM} bytes, ${doneM.storage_cost} yocto kept`);
  // each receipt of a page: import_page, the parent's read, on_import_page, on_import_done (and the refund transfer)
  for (const [name, r] of [
    ["datasets 0", r0],
    ["models 0", rm],
  ] as const) {
    const outcomes = r.result.receipts_outcome as { outcome: { gas_burnt: number } }[];
    const each = outcomes.map((o) => tgas(BigInt(o.outcome.gas_burnt)));
    t.log(`import_page ${name}: ${tgas(gasOf(r))} = tx + receipts ${each.join(" + ")}`);
  }
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

test("import_page: a failed read of the parent refunds the whole deposit, nothing changes", async (t) => {
  const { root } = t.context;
  const payer = await root.createSubAccount("payer", { initialBalance: 10n * NEAR });
  for (const code of CODES) {
    // a fork registry whose parent has no contract: every read fails
    // (its own copy of the code: ~3.6 NEAR of storage)
    const reg = await root.createSubAccount(`lonely-${code}`, { initialBalance: 5n * NEAR });
    must(await reg.deploy(readFileSync(join(ROOT, "build", `${code}.wasm`))), "deploy");
    const ghost = await root.createSubAccount(`ghost-${code}`, { initialBalance: NEAR });
    must(
      await reg.callRaw(
        reg,
        "init",
        {
          dao_id: payer.accountId,
          ...(code === "model-registry" ? { dataset_registry_id: `lonely-dataset-registry.${root.accountId}` } : {}),
          fork_of: { account_id: ghost.accountId, community: "ghost" },
        },
        { gas: 30n * TGAS },
      ),
      "init",
    );
    const s = await stateOf(reg);
    const before = await total(payer);
    const r = await payer.callRaw(reg, "import_page", { page: 0 }, { gas: 150n * TGAS, attachedDeposit: NEAR });
    t.false(r.failed, failureText(r));
    t.deepEqual(r.parseResult(), { page: 0, status: "Failed", refund: NEAR.toString() });
    t.like(events(r).find((e) => e.event === "import_page_failed")?.data[0], { page: 0, refund: NEAR.toString() });
    t.is(await stateOf(reg), s, `${code}: state changed`);
    t.is(await total(payer), before - burnt(r), `${code}: the deposit came back whole`);
    t.like(await reg.view("get_fork_import"), { next_page: 0, in_flight: false });
  }
});
