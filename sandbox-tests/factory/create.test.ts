// Community factory stories: the owner stores code, a creator sets up a community in a few resumable calls and pays
// for it, failures are retried, unfinished creations are abandoned with a refund, and communities are listed.
import { useWorker } from "../helpers/worker.ts";
import type { NearAccount } from "near-workspaces";
import { assertPanics, daoWasm, events, gasOf, NEAR, TGAS, tgas, total } from "../dao/fixture.ts";

const test = useWorker();

function codeInput(name: string, version: string, wasm: Uint8Array, extra: Record<string, unknown> = {}): Uint8Array {
  const header = Buffer.from(`${JSON.stringify({ name, version, ...extra })}\n`);
  return Buffer.concat([header, Buffer.from(wasm)]);
}

interface CommunityView {
  name: string;
  status: string;
  dao_id: string;
  deposit_left: string;
  contracts: { code: string; account_id: string; status: string; version: string | null; sha256: string | null }[];
}

async function factoryWith(root: NearAccount, name: string, owner: NearAccount): Promise<NearAccount> {
  const factory = await root.createSubAccount(name, { initialBalance: 50n * NEAR });
  await factory.deploy(await import("node:fs").then((fs) => fs.readFileSync("build/community-factory.wasm")));
  await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 100n * TGAS });
  return factory;
}

function daoArgs(founder: NearAccount) {
  return {
    config: { name: "Acme commons", purpose: "own our model", metadata: "" },
    members: [{ account_id: founder.accountId, roles: ["council"] }],
  };
}

test.serial("the owner stores code and a creator creates a community in resumable steps", async (t) => {
  const { root } = t.context;
  const owner = await root.createSubAccount("owner");
  const creator = await root.createSubAccount("creator", { initialBalance: 200n * NEAR });
  const factory = await factoryWith(root, "commons", owner);
  const wasm = daoWasm();
  const store = await owner.callRaw(factory, "store_code", codeInput("community-dao", "1.0.0", wasm), {
    attachedDeposit: 1n,
    gas: 300n * TGAS,
  });
  t.true(store.succeeded, store.receiptFailureMessages.join());
  t.log(`store_code (${wasm.length} bytes): ${tgas(gasOf(store))}`);
  // A second suite contract (the same wasm under another name) proves the suite is just the stored list.
  const store2 = await owner.callRaw(factory, "store_code", codeInput("council-dao", "1.0.0", wasm), {
    attachedDeposit: 1n,
    gas: 300n * TGAS,
  });
  t.true(store2.succeeded);
  const required = await factory.view<{ accounts_total: string }>("get_required_deposit");
  const deposit = BigInt(required.accounts_total) + NEAR;
  const before = await total(creator);
  const created = await creator.callRaw(
    factory,
    "create_community",
    {
      name: "acme",
      dao_args: daoArgs(creator),
      init_args: { "council-dao": { config: { name: "Acme council", purpose: "", metadata: "" } } },
    },
    { attachedDeposit: deposit, gas: 300n * TGAS },
  );
  t.true(created.succeeded, created.receiptFailureMessages.join());
  t.log(`create_community (reserve + DAO deploy): ${tgas(gasOf(created))}`);
  let view = await factory.view<CommunityView>("get_community", { name: "acme" });
  t.is(view.dao_id, "acme.commons.test.near");
  t.is(view.contracts[0].status, "Done");
  t.is(view.contracts[1].status, "Pending");
  t.is(view.status, "Creating");
  const next = await creator.callRaw(factory, "deploy_next", { name: "acme" }, { gas: 300n * TGAS });
  t.true(next.succeeded, next.receiptFailureMessages.join());
  t.log(`deploy_next: ${tgas(gasOf(next))}`);
  t.true(events(next).some((e) => e.event === "community_created"));
  view = await factory.view<CommunityView>("get_community", { name: "acme" });
  t.is(view.status, "Ready");
  t.is(view.deposit_left, "0");
  t.is(view.contracts[1].account_id, "acme_council-dao.commons.test.near");
  // Contracts know each other and their factory.
  const dao = root.getAccount("acme.commons.test.near");
  const info = await dao.view<{ suite: Record<string, string>; factory_id: string; member_count: number }>("get_info");
  t.deepEqual(info.suite, {
    "community-dao": "acme.commons.test.near",
    "council-dao": "acme_council-dao.commons.test.near",
  });
  t.is(info.factory_id, factory.accountId);
  t.is(info.member_count, 1);
  const codeInfo = await factory.view<{ sha256: string }>("get_code_info", { name: "community-dao" });
  t.is(view.contracts[0].sha256, codeInfo.sha256);
  // The creator paid for what was created (deposit minus the excess refunded) plus gas.
  const spent = before - (await total(creator));
  t.true(spent > BigInt(required.accounts_total) && spent < deposit, `spent ${spent}`);
  t.log(`one community of 2 contracts costs ${Number(spent) / 1e24} NEAR`);
  assertPanics(
    t,
    await creator.callRaw(factory, "deploy_next", { name: "acme" }, { gas: 300n * TGAS }),
    "ERR_ALREADY_COMPLETE",
  );
  const list = await factory.view<CommunityView[]>("get_communities", { from_index: 0, limit: 10 });
  t.deepEqual(
    list.map((c) => [c.name, c.status]),
    [["acme", "Ready"]],
  );
});

test.serial("a failed step stays retryable with the newest code, and abandon refunds what is left", async (t) => {
  const { root } = t.context;
  const owner = await root.createSubAccount("owner2");
  const creator = await root.createSubAccount("creator2", { initialBalance: 200n * NEAR });
  const factory = await factoryWith(root, "commons2", owner);
  const wasm = daoWasm();
  await owner.callRaw(factory, "store_code", codeInput("community-dao", "1.0.0", wasm), {
    attachedDeposit: 1n,
    gas: 300n * TGAS,
  });
  // A broken module: the wasm magic followed by garbage.
  const broken = Buffer.concat([Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]), Buffer.alloc(64, 7)]);
  await owner.callRaw(factory, "store_code", codeInput("registry", "0.0.1", broken), {
    attachedDeposit: 1n,
    gas: 300n * TGAS,
  });
  const required = BigInt((await factory.view<{ accounts_total: string }>("get_required_deposit")).accounts_total);
  await creator.call(
    factory,
    "create_community",
    { name: "beta", dao_args: daoArgs(creator) },
    { attachedDeposit: required + NEAR, gas: 300n * TGAS },
  );
  const failed = await creator.callRaw(factory, "deploy_next", { name: "beta" }, { gas: 300n * TGAS });
  t.true(failed.succeeded);
  let view = await factory.view<CommunityView>("get_community", { name: "beta" });
  t.is(view.contracts[1].status, "Failed");
  t.false(await root.getAccount("beta_registry.commons2.test.near").exists());
  // The owner ships a larger release than the one the step's balance was paid for: the factory refuses to send a
  // batch that could only fail on the storage stake, and the step stays Failed for the creator to abandon.
  await owner.callRaw(factory, "store_code", codeInput("registry", "0.0.2", wasm), {
    attachedDeposit: 1n,
    gas: 300n * TGAS,
  });
  assertPanics(
    t,
    await creator.callRaw(factory, "deploy_next", { name: "beta" }, { gas: 300n * TGAS }),
    "ERR_INIT_BALANCE_TOO_LOW",
  );
  view = await factory.view<CommunityView>("get_community", { name: "beta" });
  t.is(view.contracts[1].status, "Failed");
  t.is(view.contracts[1].version, "0.0.1");
  const left = BigInt(view.deposit_left);
  const before = await total(creator);
  const r = await creator.callRaw(factory, "abandon_community", { name: "beta" }, { attachedDeposit: 1n });
  t.true(r.succeeded);
  const got = (await total(creator)) - before;
  t.true(got > left - NEAR / 100n && got <= left, `refund ${got} vs left ${left}`);
  view = await factory.view<CommunityView>("get_community", { name: "beta" });
  t.is(view.status, "Abandoned");
});

test.serial("a step that fails succeeds on retry once the owner fixes the code", async (t) => {
  const { root } = t.context;
  const owner = await root.createSubAccount("owner3");
  const creator = await root.createSubAccount("creator3", { initialBalance: 200n * NEAR });
  const factory = await factoryWith(root, "commons3", owner);
  await owner.call(factory, "store_code", codeInput("community-dao", "1.0.0", daoWasm()), {
    attachedDeposit: 1n,
    gas: 300n * TGAS,
  });
  // The registry's first release is broken: its `init` rejects the arguments (here: the DAO's code, which wants a
  // config), so the step's batch fails and rolls back.
  await owner.call(factory, "store_code", codeInput("registry", "0.0.1", daoWasm()), {
    attachedDeposit: 1n,
    gas: 300n * TGAS,
  });
  const required = BigInt((await factory.view<{ accounts_total: string }>("get_required_deposit")).accounts_total);
  await creator.call(
    factory,
    "create_community",
    { name: "gamma", dao_args: daoArgs(creator), init_args: { registry: { greeting: "registry of gamma" } } },
    { attachedDeposit: required + NEAR, gas: 300n * TGAS },
  );
  const registryId = "gamma_registry.commons3.test.near";
  const factoryBefore = await total(factory);
  const failed = await creator.callRaw(factory, "deploy_next", { name: "gamma" }, { gas: 300n * TGAS });
  t.true(failed.succeeded);
  t.true(events(failed).some((e) => e.event === "community_step_failed"));
  let view = await factory.view<CommunityView & { contracts: { attempts: number }[] }>("get_community", {
    name: "gamma",
  });
  t.is(view.status, "Creating");
  t.is(view.contracts[1].status, "Failed");
  t.is(view.contracts[1].version, "0.0.1");
  t.false(await root.getAccount(registryId).exists());
  // The batch rolled back: the registry's starting balance is back with the factory (less nothing but gas rewards).
  t.true((await total(factory)) >= factoryBefore);

  // The owner ships a fixed release (here the toolchain's fixture contract); anyone retries the same step.
  const fixed = (await import("node:fs")).readFileSync("build/fixture.wasm");
  await owner.call(factory, "store_code", codeInput("registry", "0.0.2", fixed), {
    attachedDeposit: 1n,
    gas: 300n * TGAS,
  });
  const retry = await root.callRaw(factory, "deploy_next", { name: "gamma" }, { gas: 300n * TGAS });
  t.true(retry.succeeded, retry.receiptFailureMessages.join());
  t.true(events(retry).some((e) => e.event === "community_created"));
  view = await factory.view("get_community", { name: "gamma" });
  t.is(view.status, "Ready");
  t.is(view.deposit_left, "0");
  t.is(view.contracts[1].status, "Done");
  t.is(view.contracts[1].version, "0.0.2");
  t.is(view.contracts[1].attempts, 2);
  const info = await factory.view<{ sha256: string }>("get_code_info", { name: "registry" });
  t.is(view.contracts[1].sha256, info.sha256);
  // The registry runs the fixed code, initialised with the creator's arguments.
  const registry = root.getAccount(registryId);
  t.is(await registry.view("get_greeting"), "registry of gamma");
  assertPanics(
    t,
    await creator.callRaw(factory, "deploy_next", { name: "gamma" }, { gas: 300n * TGAS }),
    "ERR_ALREADY_COMPLETE",
  );
});
