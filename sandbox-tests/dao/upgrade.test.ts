// Upgrade with migration: a member stores the next release's wasm as a blob (by its sha256), an UpgradeSelf proposal
// deploys it and runs the state migration in the same batch, and the migrated state is read back through views.
// The next release is toolchain/fixtures/dao-upgrade-v2 (this DAO plus a 2 -> 3 migration step and a new view).
// The same release published to the chain's global store (NEP-591, through a factory's publish_code) is reached by
// hash instead: UpgradeSelf with `global: true` switches the DAO to it and migrates, no blob stored.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useWorker } from "../helpers/worker.ts";
import { fundPublisher, publishCode } from "../helpers/community.ts";
import { assertPanics, DaoClient, deployDao, events, gasOf, NEAR, ROOT, TGAS, tgas, total } from "./fixture.ts";

const test = useWorker();
const V2_WASM = join(ROOT, "build", "dao-upgrade-v2.wasm");

test.serial("a community upgrades its DAO by proposal and the state is migrated", async (t) => {
  const { root } = t.context;
  const [alice, bob, carol, outsider] = await Promise.all(
    ["alice", "bob", "carol", "outsider"].map((n) => root.createSubAccount(n)),
  );
  const dao = await deployDao(root, "dao", {
    members: [alice, bob, carol].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
  });
  const c = new DaoClient(dao, t);
  // Some history the migration must keep: an executed proposal with votes, and one still open.
  const done = await c.pass(alice, { kind: "Signal", message: "before the upgrade" }, [alice, bob]);
  t.true((await c.execute(outsider, done)).succeeded);
  const { id: open } = await c.propose(bob, { kind: "Signal", message: "still open" });
  await c.vote(carol, open, "Approve");
  const before = await dao.view<{ state_version: number; member_count: number }>("get_info");
  t.is(before.state_version, 2);

  // The blob is stored under its sha256; whoever stores it pays its storage.
  const wasm = readFileSync(V2_WASM);
  const hash = createHash("sha256").update(wasm).digest("hex");
  const aliceBefore = await total(alice);
  const stored = await alice.callRaw(dao, "store_blob", wasm, { attachedDeposit: 5n * NEAR, gas: 300n * TGAS });
  t.true(stored.succeeded, stored.receiptFailureMessages.join());
  const blob = stored.parseResult<{ hash: string; bytes: number; deposit: string }>();
  t.is(blob.hash, hash);
  t.is(blob.bytes, wasm.length);
  t.true(BigInt(blob.deposit) >= BigInt(wasm.length) * 10n ** 19n);
  const paid = aliceBefore - (await total(alice));
  t.true(paid >= BigInt(blob.deposit) && paid < BigInt(blob.deposit) + NEAR / 100n, "the excess came back");
  assertPanics(
    t,
    await bob.callRaw(dao, "store_blob", wasm, { attachedDeposit: 5n * NEAR, gas: 300n * TGAS }),
    "ERR_BLOB_EXISTS",
  );

  const id = await c.pass(alice, { kind: "UpgradeSelf", hash }, [alice, bob]);
  t.is((await c.proposal(id)).status, "Approved");
  // The old code has no get_code_version.
  await t.throwsAsync(dao.view("get_code_version"));
  const aliceBeforeUpgrade = await total(alice);
  const r = await c.execute(outsider, id);
  t.true(r.succeeded, r.receiptFailureMessages.join());
  t.log(`execute UpgradeSelf (${wasm.length} bytes + migration): ${tgas(gasOf(r))}`);
  const names = events(r).map((e) => e.event);
  t.deepEqual(names, ["proposal_executing", "state_migrated", "blob_removed", "proposal_executed"]);
  t.deepEqual(events(r).find((e) => e.event === "state_migrated")?.data, [{ from: 2, to: 3 }]);

  // The new code runs on the migrated state.
  t.is(await dao.view("get_code_version"), "dao-upgrade-v2");
  const info = await dao.view<{ state_version: number; member_count: number; last_proposal_id: number }>("get_info");
  t.is(info.state_version, 3);
  t.is(info.member_count, before.member_count);
  t.is(info.last_proposal_id, 3);
  const config = await dao.view<{ name: string; metadata: string }>("get_config");
  t.is(config.name, "dao");
  t.deepEqual(JSON.parse(config.metadata), { migrated_from: 2, previous_metadata: "" });
  t.is((await c.proposal(id)).status, "Executed");
  t.is((await c.proposal(done)).status, "Executed");
  const members = await dao.view<{ account_id: string }[]>("get_members", {});
  t.deepEqual(members.map((m) => m.account_id).sort(), [alice, bob, carol].map((a) => a.accountId).sort());
  // The blob is gone and its deposit went back to alice.
  t.is(await dao.view("get_blob", { hash }), null);
  t.true((await total(alice)) - aliceBeforeUpgrade === BigInt(blob.deposit));

  // The open proposal carries on under the new code with its tallies and bond.
  const resumed = await c.vote(alice, open, "Approve");
  t.true(events(resumed).some((e) => e.event === "bond_refunded"));
  t.is((await c.proposal(open)).status, "Approved");
  t.is((await c.proposal(open)).rules.find((x) => x.role === "council")?.approve, 2);
});

test.serial("a migration that fails rolls the deploy back and the proposal is Failed", async (t) => {
  const { root } = t.context;
  const [alice, bob, outsider] = await Promise.all(["alice2", "bob2", "out2"].map((n) => root.createSubAccount(n)));
  const dao = await deployDao(root, "dao2", {
    members: [alice, bob].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
  });
  const c = new DaoClient(dao, t);
  const wasm = readFileSync(V2_WASM);
  const hash = createHash("sha256").update(wasm).digest("hex");
  await alice.call(dao, "store_blob", wasm, { attachedDeposit: 5n * NEAR, gas: 300n * TGAS });
  // migrate_state is private to the DAO; calling an unknown method instead makes the batch fail after the deploy.
  const id = await c.pass(alice, { kind: "UpgradeSelf", hash, migrate_method: "migrate_no_such_method" }, [alice, bob]);
  const r = await c.execute(outsider, id);
  t.true(r.succeeded);
  const p = await c.proposal(id);
  t.is(p.status, "Failed");
  t.is(p.last_error, "ERR_EXECUTION_FAILED");
  // Still the old code and the old state; the blob stays for a retry.
  await t.throwsAsync(dao.view("get_code_version"));
  t.is((await dao.view<{ state_version: number }>("get_info")).state_version, 2);
  t.not(await dao.view("get_blob", { hash }), null);
  assertPanics(t, await outsider.callRaw(dao, "migrate_state", {}, { gas: 100n * TGAS }), "ERR_PRIVATE");
});

test.serial(
  "UpgradeSelf by global hash: the DAO switches to a published release and migrates, its code no longer stored",
  async (t) => {
    const { root } = t.context;
    const [alice, bob, outsider, owner] = await Promise.all(
      ["alice3", "bob3", "out3", "owner3"].map((n) => root.createSubAccount(n)),
    );
    const dao = await deployDao(root, "dao3", {
      members: [alice, bob].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
    });
    const c = new DaoClient(dao, t);
    // a factory's owner publishes the release to the global store (any account could; the factory records its hash)
    const factory = await root.createSubAccount("commons3", { initialBalance: 10n * NEAR });
    await factory.deploy(readFileSync(join(ROOT, "build", "community-factory.wasm")));
    await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 100n * TGAS });
    await fundPublisher(root, owner, ["dao-upgrade-v2"]);
    const wasm = readFileSync(V2_WASM);
    await publishCode(factory, owner, "community-dao", "2.0.0", wasm);
    const hash = (await factory.view<{ sha256: string }>("get_code_info", { name: "community-dao" })).sha256;
    t.is(hash, createHash("sha256").update(wasm).digest("hex"));

    // a hash with no global code: the switch fails in the batch, the DAO keeps its code and state, the proposal Failed
    const missing = await c.pass(alice, { kind: "UpgradeSelf", hash: "ab".repeat(32), global: true }, [alice, bob]);
    const lost = await c.execute(outsider, missing);
    t.true(lost.succeeded);
    t.is((await c.proposal(missing)).status, "Failed");
    await t.throwsAsync(dao.view("get_code_version"));

    const usageBefore = BigInt((await dao.accountView()).storage_usage);
    const id = await c.pass(alice, { kind: "UpgradeSelf", hash, global: true }, [alice, bob]);
    const r = await c.execute(outsider, id);
    t.true(r.succeeded, r.receiptFailureMessages.join());
    t.log(`execute UpgradeSelf (global, + migration): ${tgas(gasOf(r))}`);
    t.deepEqual(
      events(r).map((e) => e.event),
      ["proposal_executing", "state_migrated", "proposal_executed"],
    );
    t.deepEqual(events(r).find((e) => e.event === "state_migrated")?.data, [{ from: 2, to: 3 }]);
    t.is((await c.proposal(id)).status, "Executed");
    t.is(await dao.view("get_code_version"), "dao-upgrade-v2");
    t.is((await dao.view<{ state_version: number }>("get_info")).state_version, 3);
    // the account now holds the 32-byte hash instead of its own copy of the code
    const usageAfter = BigInt((await dao.accountView()).storage_usage);
    t.true(usageBefore - usageAfter > 300_000n, `storage ${usageBefore} -> ${usageAfter}`);
  },
);
