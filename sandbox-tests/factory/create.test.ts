// Community factory stories on global contracts (NEP-591): the owner publishes each code once to the chain's global
// store by hash and pays the burn; a creator sets up a community in ONE transaction that creates its accounts on those
// codes; a failed account is retried with a fixed release; unfinished creations are abandoned with a refund.
import { useWorker } from "../helpers/worker.ts";
import type { NearAccount, Worker } from "near-workspaces";
import { assertPanics, burnt, daoWasm, events, gasOf, NEAR, stateOf, TGAS, tgas, total } from "../dao/fixture.ts";
import { codeInput, deployFactory, GLOBAL_BYTE_COST, sha256Hex } from "../helpers/community.ts";
import type { CommunityView } from "../../scripts/cli/community.ts";

const test = useWorker();

interface Required {
  accounts_total: string;
  gas: string;
}

async function factoryWith(root: NearAccount, name: string, owner: NearAccount): Promise<NearAccount> {
  const factory = await root.createSubAccount(name, { initialBalance: 5n * NEAR });
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

async function publish(
  owner: NearAccount,
  factory: NearAccount,
  name: string,
  version: string,
  wasm: Uint8Array,
  extra: Record<string, unknown> = {},
) {
  return owner.callRaw(factory, "publish_code", codeInput(name, version, wasm, extra), {
    attachedDeposit: BigInt(wasm.length) * GLOBAL_BYTE_COST,
    gas: 300n * TGAS,
  });
}

/** The account's contract as view_account reports it (global_contract_hash: base58 of the code hash). */
async function accountView(worker: Worker, id: string) {
  const provider = worker.provider as unknown as { query: (q: unknown) => Promise<unknown> };
  return (await provider.query({ request_type: "view_account", finality: "final", account_id: id })) as {
    code_hash: string;
    storage_usage: number;
    amount: string;
    global_contract_hash?: string;
  };
}

test.serial(
  "the owner publishes each code once; a community is created in one transaction on the global codes",
  async (t) => {
    const { root, worker } = t.context;
    const owner = await root.createSubAccount("owner", { initialBalance: 100n * NEAR });
    const creator = await root.createSubAccount("creator", { initialBalance: 10n * NEAR });
    const factory = await factoryWith(root, "commons", owner);
    const wasm = daoWasm();
    const burn = BigInt(wasm.length) * GLOBAL_BYTE_COST;
    t.is(await factory.view("get_publish_cost", { bytes: wasm.length }), burn.toString());
    // Refusals change nothing: not the owner, too little attached for the burn, not a wasm.
    const mallory = await root.createSubAccount("mallory", { initialBalance: 60n * NEAR });
    const stateBefore = await stateOf(factory);
    assertPanics(t, await publish(mallory, factory, "community-dao", "1.0.0", wasm), "ERR_NOT_OWNER");
    assertPanics(
      t,
      await owner.callRaw(factory, "publish_code", codeInput("community-dao", "1.0.0", wasm), {
        attachedDeposit: burn - 1n,
        gas: 300n * TGAS,
      }),
      "ERR_DEPOSIT_TOO_LOW",
    );
    assertPanics(t, await publish(owner, factory, "community-dao", "1.0.0", new Uint8Array(20)), "ERR_INVALID_CODE");
    t.is(await stateOf(factory), stateBefore);

    const ownerBefore = await total(owner);
    const factoryBefore = await total(factory);
    const published = await publish(owner, factory, "community-dao", "1.0.0", wasm);
    t.true(published.succeeded, published.receiptFailureMessages.join());
    const stored = events(published).find((e) => e.event === "code_stored");
    t.is(stored?.data[0].sha256, sha256Hex(wasm));
    t.is(stored?.data[0].burnt, burn.toString());
    const ownerPaid = ownerBefore - (await total(owner));
    // the owner pays the burn and the gas; the factory keeps only the record (no wasm in its storage)
    t.true(ownerPaid >= burn && ownerPaid < burn + NEAR / 10n, `owner paid ${ownerPaid}`);
    t.true((await total(factory)) - factoryBefore < NEAR / 100n);
    t.log(
      `publish_code (${wasm.length} bytes): burn ${Number(burn) / 1e24} NEAR, ${tgas(gasOf(published))}, factory storage +${(await accountView(worker, factory.accountId)).storage_usage} bytes total`,
    );
    // The same version again is refused; a second suite code (the same wasm under another name) proves the suite is the
    // published list.
    assertPanics(t, await publish(owner, factory, "community-dao", "1.0.0", wasm), "ERR_VERSION_EXISTS");
    t.true((await publish(owner, factory, "council-dao", "1.0.0", wasm)).succeeded);

    const required = await factory.view<Required>("get_required_deposit");
    const deposit = BigInt(required.accounts_total) + NEAR / 10n;
    const before = await total(creator);
    const created = await creator.callRaw(
      factory,
      "create_community",
      {
        name: "acme",
        dao_args: daoArgs(creator),
        init_args: { "council-dao": { config: { name: "Acme council", purpose: "", metadata: "" } } },
      },
      { attachedDeposit: deposit, gas: BigInt(required.gas) },
    );
    t.true(created.succeeded, created.receiptFailureMessages.join());
    t.log(
      `create_community (one transaction, 2 accounts): ${tgas(gasOf(created))}, ${tgas(BigInt(required.gas))} attached`,
    );
    t.true(events(created).some((e) => e.event === "community_created"));
    const view = await factory.view<CommunityView>("get_community", { name: "acme" });
    t.is(view.status, "Ready");
    t.is(view.dao_id, "acme.commons.test.near");
    t.deepEqual(
      view.contracts.map((c) => [c.status, c.attempts, c.sha256]),
      [
        ["Done", 1, sha256Hex(wasm)],
        ["Done", 1, sha256Hex(wasm)],
      ],
    );
    t.is(view.deposit_left, "0");
    t.is(view.contracts[1].account_id, "acme_council-dao.commons.test.near");
    // Each account runs the global code by hash: it holds the 32-byte hash, not a copy of the wasm.
    for (const c of view.contracts) {
      const acc = await accountView(worker, c.account_id);
      t.truthy(acc.global_contract_hash, `${c.account_id} uses global code`);
      t.true(acc.storage_usage < 8000, `${c.account_id}: ${acc.storage_usage} bytes`);
      // NEP-330 where explorers read it: an account running the global code answers for that code
      const meta = await root
        .getAccount(c.account_id)
        .view<{ standards: { standard: string }[]; build_info: { contract_path: string } }>("contract_source_metadata");
      t.is(meta.build_info.contract_path, "contracts/community-dao", c.account_id);
      t.is(meta.standards[0].standard, "nep330");
    }
    // Contracts know each other and their factory.
    const dao = root.getAccount("acme.commons.test.near");
    const info = await dao.view<{ suite: Record<string, string>; factory_id: string; member_count: number }>(
      "get_info",
    );
    t.deepEqual(info.suite, {
      "community-dao": "acme.commons.test.near",
      "council-dao": "acme_council-dao.commons.test.near",
    });
    t.is(info.factory_id, factory.accountId);
    t.is(info.member_count, 1);
    // The creator paid the accounts' starting balances, the record's storage and gas: the excess came back.
    const spent = before - (await total(creator));
    t.true(spent > BigInt(required.accounts_total) && spent < deposit, `spent ${spent}`);
    t.log(
      `one community of 2 contracts costs ${Number(spent) / 1e24} NEAR (gas burnt ${Number(burnt(created)) / 1e24})`,
    );
    assertPanics(t, await creator.callRaw(factory, "resume_community", { name: "acme" }), "ERR_ALREADY_COMPLETE");
    const list = await factory.view<CommunityView[]>("get_communities", { from_index: 0, limit: 10 });
    t.deepEqual(
      list.map((c) => [c.name, c.status]),
      [["acme", "Ready"]],
    );
  },
);

test.serial("a failed account stays retryable with a fixed release; abandon refunds what is left", async (t) => {
  const { root } = t.context;
  const owner = await root.createSubAccount("owner2", { initialBalance: 100n * NEAR });
  const creator = await root.createSubAccount("creator2", { initialBalance: 10n * NEAR });
  const factory = await factoryWith(root, "commons2", owner);
  const wasm = daoWasm();
  t.true((await publish(owner, factory, "community-dao", "1.0.0", wasm)).succeeded);
  // A broken module: the wasm magic followed by garbage. Publishing does not compile it: the account's batch fails.
  const broken = Buffer.concat([Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]), Buffer.alloc(64, 7)]);
  t.true((await publish(owner, factory, "registry", "0.0.1", broken)).succeeded);
  const required = await factory.view<Required>("get_required_deposit");
  const factoryBefore = await total(factory);
  const created = await creator.callRaw(
    factory,
    "create_community",
    { name: "beta", dao_args: daoArgs(creator) },
    { attachedDeposit: BigInt(required.accounts_total) + NEAR / 10n, gas: BigInt(required.gas) },
  );
  t.true(created.succeeded, created.receiptFailureMessages.join());
  t.true(events(created).some((e) => e.event === "community_step_failed"));
  let view = await factory.view<CommunityView>("get_community", { name: "beta" });
  t.is(view.status, "Creating");
  t.deepEqual(
    view.contracts.map((c) => c.status),
    ["Done", "Failed"],
  );
  t.false(await root.getAccount("beta_registry.commons2.test.near").exists());
  // the failed batch rolled back: its starting balance is back with the factory, held for the retry
  t.true((await total(factory)) - factoryBefore >= BigInt(view.deposit_left) - NEAR / 100n);
  // A release needing a larger starting balance than was paid cannot fit: refused before anything is sent.
  t.true(
    (await publish(owner, factory, "registry", "0.0.2", wasm, { init_balance: (2n * NEAR).toString() })).succeeded,
  );
  assertPanics(t, await creator.callRaw(factory, "resume_community", { name: "beta" }), "ERR_INIT_BALANCE_TOO_LOW");
  view = await factory.view<CommunityView>("get_community", { name: "beta" });
  t.is(view.contracts[1].status, "Failed");
  t.is(view.contracts[1].version, "0.0.1");
  const left = BigInt(view.deposit_left);
  // only the creator may abandon, with exactly one yocto
  assertPanics(
    t,
    await root.callRaw(factory, "abandon_community", { name: "beta" }, { attachedDeposit: 1n }),
    "ERR_NOT_CREATOR",
  );
  const before = await total(creator);
  const r = await creator.callRaw(factory, "abandon_community", { name: "beta" }, { attachedDeposit: 1n });
  t.true(r.succeeded);
  const got = (await total(creator)) - before;
  // what was left of the deposit, plus the storage the failed account's arguments held in the record, less gas
  t.true(got > left - NEAR / 100n && got <= left + NEAR / 100n, `refund ${got} vs left ${left}`);
  const abandoned = events(r).find((e) => e.event === "community_abandoned")?.data[0] as { refund: string };
  t.true(BigInt(abandoned.refund) > left, "the event names the whole refund");
  view = await factory.view<CommunityView>("get_community", { name: "beta" });
  t.is(view.status, "Abandoned");
});

test.serial("an account that fails succeeds on retry once the owner publishes a fixed release", async (t) => {
  const { root } = t.context;
  const owner = await root.createSubAccount("owner3", { initialBalance: 150n * NEAR });
  const creator = await root.createSubAccount("creator3", { initialBalance: 10n * NEAR });
  const factory = await factoryWith(root, "commons3", owner);
  t.true((await publish(owner, factory, "community-dao", "1.0.0", daoWasm())).succeeded);
  // The registry's first release is broken: its `init` rejects the arguments (here: the DAO's code, which wants a
  // config), so the account's batch fails and rolls back.
  t.true((await publish(owner, factory, "registry", "0.0.1", daoWasm())).succeeded);
  const required = await factory.view<Required>("get_required_deposit");
  // Too little gas for even one account: refused before anything is reserved.
  assertPanics(
    t,
    await creator.callRaw(
      factory,
      "create_community",
      { name: "gamma", dao_args: daoArgs(creator) },
      { attachedDeposit: BigInt(required.accounts_total) + NEAR / 10n, gas: 60n * TGAS },
    ),
    "ERR_NOT_ENOUGH_GAS",
  );
  const created = await creator.callRaw(
    factory,
    "create_community",
    { name: "gamma", dao_args: daoArgs(creator), init_args: { registry: { greeting: "registry of gamma" } } },
    { attachedDeposit: BigInt(required.accounts_total) + NEAR / 10n, gas: BigInt(required.gas) },
  );
  t.true(created.succeeded, created.receiptFailureMessages.join());
  const registryId = "gamma_registry.commons3.test.near";
  let view = await factory.view<CommunityView>("get_community", { name: "gamma" });
  t.is(view.status, "Creating");
  t.is(view.contracts[1].status, "Failed");
  t.is(view.contracts[1].version, "0.0.1");
  t.false(await root.getAccount(registryId).exists());

  // The owner ships a fixed release (here the toolchain's fixture contract); the creator retries.
  const fixed = (await import("node:fs")).readFileSync("build/fixture.wasm");
  t.true((await publish(owner, factory, "registry", "0.0.2", fixed)).succeeded);
  // only the creator retries a failed account (an outsider could otherwise keep it in flight to hold off abandon)
  assertPanics(
    t,
    await root.callRaw(factory, "resume_community", { name: "gamma" }, { gas: 300n * TGAS }),
    "ERR_NOT_CREATOR",
  );
  const retry = await creator.callRaw(factory, "resume_community", { name: "gamma" }, { gas: 300n * TGAS });
  t.true(retry.succeeded, retry.receiptFailureMessages.join());
  t.true(events(retry).some((e) => e.event === "community_created"));
  view = await factory.view("get_community", { name: "gamma" });
  t.is(view.status, "Ready");
  t.is(view.deposit_left, "0");
  t.is(view.contracts[1].status, "Done");
  t.is(view.contracts[1].version, "0.0.2");
  t.is(view.contracts[1].attempts, 2);
  t.is(view.contracts[1].sha256, sha256Hex(fixed));
  // The registry runs the fixed code, initialised with the creator's arguments.
  const registry = root.getAccount(registryId);
  t.is(await registry.view("get_greeting"), "registry of gamma");
  assertPanics(t, await creator.callRaw(factory, "resume_community", { name: "gamma" }), "ERR_ALREADY_COMPLETE");
});

test.serial(
  "the whole suite: one transaction creates the five accounts; what the creator pays, measured",
  async (t) => {
    const { root, worker } = t.context;
    const owner = await root.createSubAccount("owner5", { initialBalance: 5n * NEAR });
    const creator = await root.createSubAccount("founder", { initialBalance: 10n * NEAR });
    const factory = await deployFactory(root, owner, "commons5");
    const args = { name: "acme", dao_args: daoArgs(creator) };
    const quote = await factory.view<Required & { deposit: string }>("get_required_deposit", args);
    const before = await total(creator);
    const r = await creator.callRaw(factory, "create_community", args, {
      attachedDeposit: BigInt(quote.deposit),
      gas: BigInt(quote.gas),
    });
    t.true(r.succeeded, r.receiptFailureMessages.join());
    const view = await factory.view<CommunityView>("get_community", { name: "acme" });
    t.is(view.status, "Ready", "one transaction made the whole community");
    t.is(view.contracts.length, 5);
    let stake = 0n;
    let bytes = 0;
    for (const c of view.contracts) {
      const acc = await accountView(worker, c.account_id);
      t.truthy(acc.global_contract_hash, c.account_id);
      stake += BigInt(acc.amount);
      bytes += acc.storage_usage;
    }
    const spent = before - (await total(creator));
    const record = spent - stake - burnt(r);
    t.log(
      `community of 5 contracts: creator paid ${Number(spent) / 1e24} NEAR = accounts' balances ${Number(stake) / 1e24} ` +
        `(${bytes} bytes stored) + gas and account-creation charges ${Number(burnt(r)) / 1e24} + factory record ` +
        `${Number(record) / 1e24}; ${tgas(gasOf(r))} burnt of ${tgas(BigInt(quote.gas))} attached`,
    );
    // a fence, not the goal (0.1 NEAR, docs/factory.md says why it is not met): protocol 77 cost 23.4 NEAR
    t.true(spent < (3n * NEAR) / 10n, `spent ${spent}`);
  },
);

test.serial(
  "100 founders with long ids and a large purpose: still one transaction, every callback within its gas",
  async (t) => {
    const { root } = t.context;
    const owner = await root.createSubAccount("owner6", { initialBalance: 5n * NEAR });
    const creator = await root.createSubAccount("founder6", { initialBalance: 20n * NEAR });
    const factory = await deployFactory(root, owner, "commons6");
    // 100 founders of 58-character ids, and non-ASCII text (3 bytes a character in UTF-8) in the config
    const members = Array.from({ length: 100 }, (_, i) => ({
      account_id: `founder-${String(i).padStart(3, "0")}-${"x".repeat(35)}.test.near`,
      roles: ["council"],
    }));
    const dao_args = {
      config: { name: "Grand commons", purpose: "€".repeat(300), metadata: "" },
      members,
    };
    const args = { name: "grand", dao_args };
    const quote = await factory.view<Required & { deposit: string }>("get_required_deposit", args);
    const r = await creator.callRaw(factory, "create_community", args, {
      attachedDeposit: BigInt(quote.deposit),
      gas: BigInt(quote.gas),
    });
    t.true(r.succeeded, r.receiptFailureMessages.join());
    t.deepEqual(r.receiptFailureMessages, [], "no receipt failed (no callback ran out of gas)");
    let view = await factory.view<CommunityView>("get_community", { name: "grand" });
    t.is(view.contracts[0].status, "Done", "the DAO with its 100 founders exists");
    // under the 1 Pgas cap the DAO's callback may not carry the others' gas: one resume sends them
    let txs = 1;
    if (view.status !== "Ready") {
      t.deepEqual(
        view.contracts.slice(1).map((c) => c.status),
        ["Pending", "Pending", "Pending", "Pending"],
      );
      const resumed = await creator.callRaw(factory, "resume_community", { name: "grand" }, { gas: BigInt(quote.gas) });
      t.true(resumed.succeeded, resumed.receiptFailureMessages.join());
      t.deepEqual(resumed.receiptFailureMessages, []);
      txs += 1;
      view = await factory.view<CommunityView>("get_community", { name: "grand" });
    }
    t.is(view.status, "Ready");
    const dao = root.getAccount("grand.commons6.test.near");
    t.is((await dao.view<{ member_count: number }>("get_info")).member_count, 100);
    t.log(
      `100 founders: ${txs} transaction(s), the first ${tgas(gasOf(r))} burnt of ${tgas(BigInt(quote.gas))} ` +
        `attached, deposit ${Number(quote.deposit) / 1e24} NEAR`,
    );
  },
);
