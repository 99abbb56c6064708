// Every contract of a live community is upgraded by its own members: the factory's owner publishes the next release
// of each code to the chain's global store (NEP-591), the council votes an UpgradeSuite proposal naming its hash with
// `global: true` (UpgradeSelf for the DAO), and executing it switches the contract to that global code and migrates
// its state in one batch. The next releases are toolchain/fixtures/<code>-v2 (one migration step 1 -> 2 that records
// itself, one new view) and dao-upgrade-v2 (2 -> 3). Attacks: an outsider calling `upgrade`, `upgrade_to` or
// `migrate_state` directly, a proposal naming the DAO or an unknown contract, a FunctionCall around UpgradeSuite,
// non-wasm code (blob path), a hash with no global code, and a downgrade whose migration refuses the newer state: each
// is refused or Failed with the old code still running.
import bs58 from "bs58";
import type { ExecutionContext } from "ava";
import type { NearAccount } from "near-workspaces";
import { DaoClient, events, gasOf, tgas, total } from "../dao/fixture.ts";
import {
  createCommunity,
  DAO_CODE,
  deployFactory,
  NEAR,
  SUITE_CODES,
  type SuiteCode,
  fundPublisher,
  publishCode,
  TGAS,
  wasmOf,
  codeHashOf,
  sha256Hex,
} from "../helpers/community.ts";
import { failureText } from "../helpers/tx.ts";
import { useWorker, type WorkerContext } from "../helpers/worker.ts";
import { datasetInput } from "../registries/fixture.ts";

const test = useWorker().serial;
type Ctx = ExecutionContext<WorkerContext>;

let owner: NearAccount;
let alice: NearAccount;
let bob: NearAccount;
let outsider: NearAccount;
let factory: NearAccount;
let ids: Record<string, string>;
let c: DaoClient;

const sha256 = sha256Hex;

// Every stored key of an account, STATE parsed (its state_version left out) and the migration's own note left out:
// what an upgrade must keep exactly.
async function keptState(t: Ctx, account: string): Promise<Record<string, string>> {
  const rows = (await t.context.worker.provider.viewState(account, "")) as { key: Buffer; value: Buffer }[];
  const out: Record<string, string> = {};
  for (const { key, value } of rows) {
    const k = key.toString();
    if (k === "upgrade-note") continue;
    if (k === "STATE") {
      const { state_version: _, ...rest } = JSON.parse(value.toString());
      out[k] = JSON.stringify(rest);
    } else out[k] = sha256(value);
  }
  return out;
}

async function codeHash(t: Ctx, account: string): Promise<string> {
  return codeHashOf(t.context.worker, account);
}

// The hash an account's code is known by: its global code's (base58), or its own.
function globalHash(hex: string): string {
  return bs58.encode(Buffer.from(hex, "hex"));
}

test.before(async (t) => {
  const { root } = t.context;
  owner = await root.createSubAccount("owner", { initialBalance: 100n * NEAR });
  alice = await root.createSubAccount("alice", { initialBalance: 100n * NEAR });
  bob = await root.createSubAccount("bob", { initialBalance: 100n * NEAR });
  outsider = await root.createSubAccount("outsider", { initialBalance: 100n * NEAR });
  factory = await deployFactory(root, owner);
  ids = await createCommunity(factory, alice, "acme", [alice, bob]);
  c = new DaoClient(root.getAccount(ids[DAO_CODE]), t as unknown as ExecutionContext);
  // Some state the upgrades must keep: a dataset submitted and admitted, a proposal executed.
  const creators = [{ account_id: alice.accountId, share_bps: 10000 }];
  const submitted = await alice.callRaw(
    ids["dataset-registry"],
    "submit_dataset",
    datasetInput("set", "1.0.0", creators),
    {
      attachedDeposit: NEAR / 10n,
      gas: 50n * TGAS,
    },
  );
  if (submitted.failed) throw new Error(failureText(submitted));
  const admit = await c.pass(alice, { kind: "AdmitDataset", dataset_id: "set@1.0.0" }, [alice, bob]);
  const admitted = await c.execute(alice, admit);
  if (admitted.failed) throw new Error(failureText(admitted));
});

test("outsiders cannot call upgrade, upgrade_to or migrate_state on any suite contract", async (t) => {
  const wasm = wasmOf("reward-pool-v2");
  const published = { hash: sha256(wasmOf("reward-pool")) };
  for (const code of SUITE_CODES) {
    const before = await keptState(t, ids[code]);
    const hash = await codeHash(t, ids[code]);
    for (const [from, method, input, err] of [
      [outsider, "upgrade", wasm, "ERR_NOT_DAO"],
      [alice, "upgrade", wasm, "ERR_NOT_DAO"],
      [outsider, "upgrade_to", published, "ERR_NOT_DAO"],
      [alice, "upgrade_to", published, "ERR_NOT_DAO"],
      [outsider, "migrate_state", {}, "ERR_PRIVATE"],
    ] as const) {
      const r = await from.callRaw(ids[code], method, input, { gas: 300n * TGAS });
      t.true(r.failed, `${code}.${method} by ${from.accountId}`);
      t.true(failureText(r).includes(`Smart contract panicked: ${err}`), failureText(r));
    }
    t.deepEqual(await keptState(t, ids[code]), before, `${code}: state unchanged`);
    t.is(await codeHash(t, ids[code]), hash, `${code}: code unchanged`);
  }
  // The DAO's own `upgrade_to` answers only the DAO itself (its UpgradeSelf).
  const r = await outsider.callRaw(ids[DAO_CODE], "upgrade_to", published, { gas: 300n * TGAS });
  t.true(failureText(r).includes("Smart contract panicked: ERR_PRIVATE"), failureText(r));
});

test("UpgradeSuite refuses the DAO itself, unknown contracts, unknown blobs and FunctionCall detours before anyone votes", async (t) => {
  const hash = "ab".repeat(32);
  for (const [kind, err] of [
    [
      { kind: "UpgradeSuite", contract: DAO_CODE, hash },
      "ERR_INVALID_PROPOSAL: the DAO upgrades itself with UpgradeSelf",
    ],
    [{ kind: "UpgradeSuite", contract: "token", hash }, "ERR_NO_SUITE_CONTRACT: token"],
    [{ kind: "UpgradeSuite", contract: "reward-pool", hash: "AB" }, "ERR_INVALID_HASH"],
    [{ kind: "UpgradeSuite", contract: "reward-pool", hash }, `ERR_UNKNOWN_BLOB: ${hash}`],
    [{ kind: "UpgradeSuite", hash }, "ERR_INVALID_PROPOSAL: contract"],
    [{ kind: "UpgradeSuite", contract: "reward-pool", hash, global: "yes" }, "ERR_INVALID_PROPOSAL: global"],
    [{ kind: "UpgradeSelf", hash: "AB", global: true }, "ERR_INVALID_HASH"],
    // The same call as a FunctionCall would skip UpgradeSuite's permission label and vote policy.
    [
      {
        kind: "FunctionCall",
        receiver_id: ids["reward-pool"],
        actions: [{ method_name: "upgrade", args: "AGFzbQ==", deposit: "0", gas: "200000000000000" }],
      },
      "ERR_INVALID_PROPOSAL: upgrade a suite contract with UpgradeSuite",
    ],
    [
      {
        kind: "FunctionCall",
        receiver_id: ids["model-registry"],
        actions: [
          {
            method_name: "upgrade_to",
            args: Buffer.from(JSON.stringify({ hash })).toString("base64"),
            deposit: "0",
            gas: "200000000000000",
          },
        ],
      },
      "ERR_INVALID_PROPOSAL: upgrade a suite contract with UpgradeSuite",
    ],
  ] as const) {
    const r = await alice.callRaw(
      ids[DAO_CODE],
      "add_proposal",
      { description: "upgrade", kind },
      { attachedDeposit: NEAR, gas: 100n * TGAS },
    );
    t.true(r.failed, JSON.stringify(kind));
    t.true(failureText(r).includes(`Smart contract panicked: ${err}`), failureText(r));
  }
});

test("code that is not wasm fails at the contract: the proposal is Failed and nothing changes", async (t) => {
  const junk = Buffer.from("this is not a wasm module, only text that a member stored as a blob");
  const stored = await alice.callRaw(ids[DAO_CODE], "store_blob", junk, { attachedDeposit: NEAR, gas: 100n * TGAS });
  t.true(stored.succeeded, failureText(stored));
  const hash = sha256(junk);
  const before = await keptState(t, ids["model-registry"]);
  const id = await c.pass(alice, { kind: "UpgradeSuite", contract: "model-registry", hash }, [alice, bob]);
  const r = await c.execute(alice, id);
  t.is((await c.proposal(id)).status, "Failed");
  t.true(failureText(r).includes("ERR_INVALID_CODE: not wasm"), failureText(r));
  t.deepEqual(await keptState(t, ids["model-registry"]), before);
  t.not(await c.dao.view("get_blob", { hash }), null, "the blob is kept");
  const removed = await alice.callRaw(ids[DAO_CODE], "remove_blob", { hash }, { gas: 50n * TGAS });
  t.true(removed.succeeded, failureText(removed));
});

test("a hash with no global code: the proposal is Failed and the contract keeps its code", async (t) => {
  const hash = "cd".repeat(32);
  const account = ids["dataset-registry"];
  const before = await keptState(t, account);
  const codeBefore = await codeHash(t, account);
  const id = await c.pass(alice, { kind: "UpgradeSuite", contract: "dataset-registry", hash, global: true }, [
    alice,
    bob,
  ]);
  const r = await c.execute(alice, id);
  t.is((await c.proposal(id)).status, "Failed");
  t.true(failureText(r).includes("GlobalContractDoesNotExist"), failureText(r));
  t.is(await codeHash(t, account), codeBefore);
  t.deepEqual(await keptState(t, account), before);
});

test("the community upgrades each of its five contracts by vote to the factory's next release, state migrated", async (t) => {
  // The factory's owner publishes the next release of every code to the global store, once for every community.
  const next = [...SUITE_CODES.map((code) => `${code}-v2`), "dao-upgrade-v2"];
  await fundPublisher(t.context.root, owner, next);
  for (const code of SUITE_CODES) await publishCode(factory, owner, code, "1.1.0", wasmOf(`${code}-v2`));
  await publishCode(factory, owner, DAO_CODE, "1.1.0", wasmOf("dao-upgrade-v2"));

  for (const code of SUITE_CODES as readonly SuiteCode[]) {
    const account = ids[code];
    const before = await keptState(t, account);
    t.is((await viewConfig(t, account)).state_version, 1, `${code} starts at state version 1`);
    await t.throwsAsync(viewOf(t, account, "get_code_version"), undefined, `${code}: the old code has no such view`);

    const info = await factory.view<{ sha256: string; version: string }>("get_code_info", { name: code });
    t.is(info.sha256, sha256(wasmOf(`${code}-v2`)), "the factory's record is the release's code");
    t.is(info.version, "1.1.0");
    const hash = info.sha256;
    const id = await c.pass(alice, { kind: "UpgradeSuite", contract: code, hash, global: true }, [alice, bob]);
    const treasury = await total(c.dao);
    const r = await c.execute(bob, id);
    t.true(r.succeeded, failureText(r));
    t.log(`${code}: UpgradeSuite to global ${hash.slice(0, 8)}… executed for ${tgas(gasOf(r))}`);
    t.is((await c.proposal(id)).status, "Executed");
    const migrated = events(r).find((e) => e.event === "state_migrated");
    t.deepEqual(migrated?.data, [{ from: 1, to: 2 }], `${code} emits state_migrated`);
    // nothing but the hash travelled: no blob, no deposit from the treasury (only gas rewards may arrive)
    t.false(events(r).some((e) => e.event === "blob_removed"));
    t.true((await total(c.dao)) >= treasury - NEAR / 1000n, "the treasury paid nothing");

    // The new code runs on the old state, migrated: its view reports what its migration step recorded.
    t.is(await codeHash(t, account), globalHash(hash));
    t.deepEqual(await viewOf(t, account, "get_code_version"), {
      release: `${code}-v2`,
      migration: { release: `${code}-v2`, migrated_from: 1, dao_id: ids[DAO_CODE] },
    });
    t.is((await viewConfig(t, account)).state_version, 2);
    t.deepEqual(await keptState(t, account), before, `${code}: every record kept`);
  }
  // The admitted dataset is still admitted and the registries still talk to each other.
  const set = await viewOf<{ status: string }>(t, ids["dataset-registry"], "get_dataset", { dataset_id: "set@1.0.0" });
  t.is(set.status, "Admitted");

  // The DAO switches itself to the factory's next DAO release (2 -> 3), by the same vote.
  const daoHash = (await factory.view<{ sha256: string }>("get_code_info", { name: DAO_CODE })).sha256;
  const id = await c.pass(alice, { kind: "UpgradeSelf", hash: daoHash, global: true }, [alice, bob]);
  const r = await c.execute(bob, id);
  t.true(r.succeeded, failureText(r));
  t.log(`community-dao: UpgradeSelf to global code executed for ${tgas(gasOf(r))}`);
  t.deepEqual(events(r).find((e) => e.event === "state_migrated")?.data, [{ from: 2, to: 3 }]);
  t.is(await c.dao.view("get_code_version"), "dao-upgrade-v2");
  t.is((await c.dao.view<{ state_version: number }>("get_info")).state_version, 3);
  t.is((await c.proposal(id)).status, "Executed");
  t.is(await codeHash(t, ids[DAO_CODE]), globalHash(daoHash));
});

test("a downgrade is refused by the migration: Failed, the newer code keeps running", async (t) => {
  // After the previous test the pool runs v2 (state version 2); the 1.0.0 code (still in the global store) knows
  // only version 1.
  const pool = ids["reward-pool"];
  const hash = sha256(wasmOf("reward-pool"));
  const before = await keptState(t, pool);
  const codeBefore = await codeHash(t, pool);
  const id = await c.pass(alice, { kind: "UpgradeSuite", contract: "reward-pool", hash, global: true }, [alice, bob]);
  const r = await c.execute(alice, id);
  t.is((await c.proposal(id)).status, "Failed");
  t.true(failureText(r).includes("ERR_MIGRATION: state version 2 is newer than the code"), failureText(r));
  t.is(await codeHash(t, pool), codeBefore, "the switch was rolled back with the migration");
  t.deepEqual(await keptState(t, pool), before);
  t.is((await viewConfig(t, pool)).state_version, 2);
});

async function viewOf<T = unknown>(t: Ctx, account: string, method: string, args: object = {}): Promise<T> {
  return t.context.root.getAccount(account).view<T>(method, args as Record<string, unknown>);
}

async function viewConfig(t: Ctx, account: string): Promise<{ state_version: number }> {
  return viewOf(t, account, "get_config");
}

test("no upgrade while a fork is open: the code that holds the funds stays what leaving members saw", async (t) => {
  // An approved upgrade that waits for the fork to settle.
  const hash = sha256(wasmOf("reward-pool-v2"));
  const upgrade = await c.pass(alice, { kind: "UpgradeSuite", contract: "reward-pool", hash, global: true }, [
    alice,
    bob,
  ]);
  const fork = await c.pass(alice, { kind: "Fork", name: "spin" }, [alice, bob]);
  const opened = await c.execute(alice, fork);
  t.true(opened.succeeded, failureText(opened));
  const codeBefore = await codeHash(t, ids["reward-pool"]);
  const r = await c.execute(alice, upgrade);
  t.true(failureText(r).includes("Smart contract panicked: ERR_FORK_WINDOW_OPEN"), failureText(r));
  t.is((await c.proposal(upgrade)).status, "Approved", "it can be executed once the fork is settled");
  t.is(await codeHash(t, ids["reward-pool"]), codeBefore);
});
