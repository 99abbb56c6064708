// Attacks on the upgrade path (commits 1023647 / 267e889): UpgradeSuite (DAO kind) -> `upgrade` on a suite contract ->
// deploy + `migrate_state` in one batch -> the DAO's on_execute releases the blob. Each test runs through the compiled
// wasm on a live community (factory + create_community), as sandbox-tests/factory/upgrade-suite.test.ts does.
//
// Bugs shown here as test.failing (each names its bug; the passing tests next to them show that nothing is lost):
// - BUG-UPG-4b brick (most severe): nothing ties a blob to the contract it is sent to, and nothing checks that the new
//   code can still be upgraded. The DAO's own wasm sent to the model registry (same state version, so the migration
//   runs no step) is Executed; the registry then has no `upgrade` method and no access key: bricked for good, records
//   and balance with it (the same proposal aimed at the reward pool would lock its funds).
// - BUG-UPG-4a wrong code: the dataset registry's next release sent to the verifier is Executed (the verifier then
//   runs the registry's code on its own state).
// - BUG-UPG-3 funds: a larger release raises the contract's storage stake (code bytes count as storage) and nothing
//   pays for it: on the reward pool, funds owed to depositors silently become storage stake (get_invariant.solvent
//   false, surplus -1 NEAR after a 347 KB -> 546 KB release) and the last claims cannot be paid.
// - BUG-UPG-1 gas: the DAO attaches exactly upgradeGas(size) to `upgrade`, but upgradeByDao() reads its raw input
//   (the wasm) before checking `gasLeft() >= deploy + MIGRATE_GAS + 5 Tgas`; reading the input costs more than the
//   10 Tgas left of UPGRADE_OVERHEAD_GAS once the code is larger than ~550-700 KB (546 KB passes, 700 KB fails), so
//   such a release always panics ERR_NOT_ENOUGH_GAS at the callee: Failed, every retry fails the same way.
// - BUG-UPG-2 gas: the DAO's figure (upgradeGas + size x 4.47 Mgas + 45 Tgas) leaves out what execute burns reading
//   a blob and handing it to a promise (~57 Tgas at 700 KB, ~95 Tgas at 1.3 MB). A 1.3 MB blob passes requireGas and
//   the proposal is accepted, yet the execute exceeds its 300 Tgas: an Approved proposal that can never run.
//   (store_blob's 4 MiB limit is unreachable too: a transaction is at most 1.5 MiB.)
// - BUG-UPG-5 stuck: on_execute gets a fixed 20 Tgas, but releasing the blob costs ~11.5 Mgas per byte
//   (storage_remove's ret-value fee): after an UpgradeSelf of 1.1 MB the new code is live but on_execute runs out of
//   gas, so the proposal stays Executing for good (not retryable, not cancellable) and the blob is not released
//   (its owner can still remove it). UpgradeSuite has the same callback, hidden today behind BUG-UPG-1.
import { createHash } from "node:crypto";
import bs58 from "bs58";
import type { ExecutionContext } from "ava";
import type { NearAccount } from "near-workspaces";
import { DaoClient, events, gasOf, tgas } from "../dao/fixture.ts";
import { createCommunity, DAO_CODE, deployFactory, NEAR, TGAS, wasmOf } from "../helpers/community.ts";
import { failureText, stateOf, total } from "../helpers/tx.ts";
import { useWorker, type WorkerContext } from "../helpers/worker.ts";

const test = useWorker().serial;
type Ctx = ExecutionContext<WorkerContext>;

const BYTE = 10n ** 19n;
let owner: NearAccount;
let alice: NearAccount;
let bob: NearAccount;
let factory: NearAccount;
let ids: Record<string, string>;
let c: DaoClient;

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function leb(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  do {
    let b = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest !== 0) b |= 0x80;
    out.push(b);
  } while (rest !== 0);
  return out;
}

// `name`'s wasm grown to exactly `size` bytes by a custom section: the same valid module (a bigger next release).
function padded(name: string, size: number): Buffer {
  const wasm = wasmOf(name);
  const label = Buffer.from("pad");
  for (let payload = size - wasm.length - 2 - label.length; payload > 0; payload--) {
    const body = 1 + label.length + payload;
    const head = Buffer.from([0, ...leb(body), label.length]);
    if (wasm.length + head.length + label.length + payload === size) {
      return Buffer.concat([wasm, head, label, Buffer.alloc(payload)]);
    }
  }
  throw new Error(`cannot pad ${name} to ${size}`);
}

async function codeHash(t: Ctx, account: string): Promise<string> {
  return (await t.context.worker.provider.viewAccount(account)).code_hash;
}

async function storeBlob(from: NearAccount, wasm: Uint8Array): Promise<string> {
  const r = await from.callRaw(ids[DAO_CODE], "store_blob", wasm, {
    attachedDeposit: BigInt(wasm.length) * BYTE + NEAR,
    gas: 300n * TGAS,
  });
  if (r.failed) throw new Error(`store_blob: ${failureText(r)}`);
  return r.parseResult<{ hash: string }>().hash;
}

async function blob(hash: string): Promise<{ owner: string; deposit: string } | null> {
  return c.dao.view("get_blob", { hash });
}

function upgradeSuite(contract: string, hash: string) {
  return { kind: "UpgradeSuite", contract, hash };
}

test.before(async (t) => {
  const { root } = t.context;
  owner = await root.createSubAccount("owner", { initialBalance: 100n * NEAR });
  alice = await root.createSubAccount("alice", { initialBalance: 1000n * NEAR });
  bob = await root.createSubAccount("bob", { initialBalance: 100n * NEAR });
  factory = await deployFactory(root, owner);
  ids = await createCommunity(factory, alice, "acme", [alice, bob]);
  c = new DaoClient(root.getAccount(ids[DAO_CODE]), t as unknown as ExecutionContext);
});

test("a blob removed by its owner after the vote: Failed (retryable), nothing changes; stored again, the retry runs and refunds only the new owner", async (t) => {
  const wasm = wasmOf("model-registry-v2");
  const account = t.context.root.getAccount(ids["model-registry"]);
  const hash = await storeBlob(bob, wasm);
  const id = await c.pass(alice, upgradeSuite("model-registry", hash), [alice, bob]);
  const removed = await bob.callRaw(ids[DAO_CODE], "remove_blob", { hash }, { gas: 50n * TGAS });
  t.true(removed.succeeded, failureText(removed));
  const code = await codeHash(t, account.accountId);
  const state = await stateOf(account);

  const r = await c.execute(alice, id);
  t.true(r.succeeded, failureText(r));
  const p = await c.proposal(id);
  t.is(p.status, "Failed");
  t.is(p.last_error, `ERR_UNKNOWN_BLOB: ${hash}`);
  t.is(await codeHash(t, account.accountId), code, "code unchanged");
  t.is(await stateOf(account), state, "storage unchanged");

  // Anyone may store the same bytes again (then they own it): the retry executes and refunds that owner, not bob.
  await storeBlob(alice, wasm);
  t.is((await blob(hash))?.owner, alice.accountId);
  const bobBefore = await total(bob);
  const retry = await c.execute(alice, id);
  t.true(retry.succeeded, failureText(retry));
  t.is((await c.proposal(id)).status, "Executed");
  const released = events<{ owner: string }[]>(retry as never).filter((e) => e.event === "blob_removed");
  t.deepEqual(
    released.map((e) => (e.data as unknown as { owner: string }[])[0].owner),
    [alice.accountId],
  );
  t.is(await total(bob), bobBefore, "bob is not paid twice");
  t.is(await codeHash(t, account.accountId), bs58.encode(Buffer.from(hash, "hex")));
  t.is(await blob(hash), null);
});

test("one blob named by two proposals: the first runs and releases it once; the second Fails, the first cannot run twice", async (t) => {
  const verifier = ids["inference-verifier"];
  const hash = await storeBlob(bob, wasmOf("inference-verifier-v2"));
  const deposit = (await blob(hash))?.deposit;
  const first = await c.pass(alice, upgradeSuite("inference-verifier", hash), [alice, bob]);
  const second = await c.pass(alice, upgradeSuite("inference-verifier", hash), [alice, bob]);
  const bobBefore = await total(bob);
  const r1 = await c.execute(alice, first);
  t.true(r1.succeeded, failureText(r1));
  t.is((await c.proposal(first)).status, "Executed");
  const released = events(r1).filter((e) => e.event === "blob_removed");
  t.deepEqual(
    released.map((e) => e.data),
    [[{ hash, owner: bob.accountId, refund: deposit }]],
  );
  t.is((await total(bob)) - bobBefore, BigInt(deposit as string), "bob gets his deposit back, once");

  const again = await c.execute(alice, first);
  t.true(failureText(again).includes("ERR_ALREADY_FINAL"), failureText(again));
  const code = await codeHash(t, verifier);
  const r2 = await c.execute(alice, second);
  t.true(r2.succeeded, failureText(r2));
  const p2 = await c.proposal(second);
  t.is(p2.status, "Failed");
  t.is(p2.last_error, `ERR_UNKNOWN_BLOB: ${hash}`);
  t.false(events(r2).some((e) => e.event === "blob_removed"));
  t.is((await total(bob)) - bobBefore, BigInt(deposit as string));
  t.is(await codeHash(t, verifier), code);
});

// BUG-UPG-1 (see the header).
const BIG = 700_000;
let bigId = -1;
let bigHash = "";

test("a 700 KB release (twice today's size) fails at the contract's own gas check: Failed, nothing lost", async (t) => {
  const registry = t.context.root.getAccount(ids["dataset-registry"]);
  const wasm = padded("dataset-registry-v2", BIG);
  bigHash = await storeBlob(alice, wasm);
  // The bigger code needs a bigger storage stake: fund the registry so that only gas can be the reason.
  await alice.transfer(registry, BigInt(BIG) * BYTE);
  bigId = await c.pass(alice, upgradeSuite("dataset-registry", bigHash), [alice, bob]);
  const code = await codeHash(t, registry.accountId);
  const state = await stateOf(registry);
  const r = await c.execute(alice, bigId);
  t.log(`execute: ${tgas(gasOf(r))}`);
  const p = await c.proposal(bigId);
  t.is(p.status, "Failed");
  t.is(p.last_error, "ERR_EXECUTION_FAILED");
  t.true(failureText(r).includes("Smart contract panicked: ERR_NOT_ENOUGH_GAS"), failureText(r));
  t.is(await codeHash(t, registry.accountId), code, "the old code keeps running");
  t.is(await stateOf(registry), state);
  t.is((await blob(bigHash))?.owner, alice.accountId, "the blob is kept");
});

test.failing(
  "BUG-UPG-1: a 700 KB release can be deployed by UpgradeSuite (the DAO attaches too little gas for `upgrade` to read its input)",
  async (t) => {
    // A retry attaches the same figure: it fails the same way, for ever.
    const r = await c.execute(bob, bigId);
    t.false(failureText(r).includes("ERR_NOT_ENOUGH_GAS"), failureText(r));
    t.is((await c.proposal(bigId)).status, "Executed");
    t.is(await codeHash(t, ids["dataset-registry"]), bs58.encode(Buffer.from(bigHash, "hex")));
  },
);

// BUG-UPG-2 (see the header).
const HUGE = 1_300_000;
let hugeHash = "";

test("a 1.3 MB blob is accepted, but executing its UpgradeSuite exceeds 300 Tgas: the proposal stays Approved, nothing changes", async (t) => {
  const registry = t.context.root.getAccount(ids["dataset-registry"]);
  hugeHash = await storeBlob(alice, padded("dataset-registry-v2", HUGE));
  const id = await c.pass(alice, upgradeSuite("dataset-registry", hugeHash), [alice, bob]);
  const code = await codeHash(t, registry.accountId);
  const state = await stateOf(registry);
  const daoState = await stateOf(c.dao);
  const r = await c.execute(alice, id);
  t.true(r.failed);
  t.true(failureText(r).includes("Exceeded the prepaid gas"), failureText(r));
  t.is((await c.proposal(id)).status, "Approved");
  t.is(await codeHash(t, registry.accountId), code);
  t.is(await stateOf(registry), state);
  t.is(await stateOf(c.dao), daoState, "the DAO's storage is unchanged");
});

test.failing(
  "BUG-UPG-2: an UpgradeSuite whose execution cannot fit in 300 Tgas is refused when proposed",
  async (t) => {
    const r = await alice.callRaw(
      ids[DAO_CODE],
      "add_proposal",
      { description: "too big to ever run", kind: upgradeSuite("dataset-registry", hugeHash) },
      { attachedDeposit: NEAR, gas: 100n * TGAS },
    );
    t.true(r.failed, "accepted: the proposal can be voted but never executed");
  },
);

test("the owner of a blob no proposal can use gets its whole deposit back", async (t) => {
  const rec = await blob(hugeHash);
  t.is(rec?.owner, alice.accountId);
  const r = await alice.callRaw(ids[DAO_CODE], "remove_blob", { hash: hugeHash }, { gas: 100n * TGAS });
  t.true(r.succeeded, failureText(r));
  t.deepEqual(events(r).find((e) => e.event === "blob_removed")?.data, [
    { hash: hugeHash, owner: alice.accountId, refund: rec?.deposit },
  ]);
  t.is(await blob(hugeHash), null);
});

// BUG-UPG-3 (see the header).
let poolStateBefore: Record<string, string> = {};
let poolStateAfter: Record<string, string> = {};

// Every stored key of an account: STATE as text, the other values as their sha256.
async function rawState(t: Ctx, account: string): Promise<Record<string, string>> {
  const rows = (await t.context.worker.provider.viewState(account, "")) as { key: Buffer; value: Buffer }[];
  const out: Record<string, string> = {};
  for (const { key, value } of rows)
    out[key.toString()] = key.toString() === "STATE" ? value.toString() : sha256(value);
  return out;
}
let selfId = -1;
let selfHash = "";
interface Invariant {
  balance: string;
  storage_locked: string;
  surplus: string;
  solvent: boolean;
}

test.failing(
  "BUG-UPG-3: a bigger reward-pool release keeps the pool solvent (its storage stake is paid, not taken from what it owes)",
  async (t) => {
    const pool = t.context.root.getAccount(ids["reward-pool"]);
    const funded = await alice.callRaw(
      pool,
      "deposit",
      { memo: "rewards" },
      { attachedDeposit: 20n * NEAR, gas: 50n * TGAS },
    );
    t.true(funded.succeeded, failureText(funded));
    const before = await pool.view<Invariant>("get_invariant");
    t.log(before);
    poolStateBefore = await rawState(t, pool.accountId);
    t.true(before.solvent);
    const currentCode = wasmOf("reward-pool").length;
    // Grow the code by the surplus plus 1 NEAR of stake: the rest comes out of the depositors' funds.
    const size = currentCode + Number(BigInt(before.surplus) / BYTE) + 100_000;
    t.log(`pool code ${currentCode} -> ${size} bytes`);
    const hash = await storeBlob(alice, padded("reward-pool-v2", size));
    const id = await c.pass(alice, upgradeSuite("reward-pool", hash), [alice, bob]);
    const r = await c.execute(alice, id);
    t.log(`execute: ${tgas(gasOf(r))} ${failureText(r).slice(0, 200)}`);
    const status = (await c.proposal(id)).status;
    const after = await pool.view<Invariant>("get_invariant");
    t.log(status, after);
    poolStateAfter = await rawState(t, pool.accountId);
    t.true(
      status !== "Executed" || after.solvent,
      `Executed and insolvent: surplus ${after.surplus} yocto (owed funds became storage stake)`,
    );
  },
);

test("migrate_state's raw JSON round trip kept the pool's STATE (collections, totals, nested policy) byte for byte but state_version", (t) => {
  t.truthy(poolStateBefore.STATE);
  t.is(JSON.parse(poolStateBefore.STATE).state_version, 1);
  t.is(JSON.parse(poolStateAfter.STATE).state_version, 2);
  t.is(poolStateAfter.STATE, poolStateBefore.STATE.replace('"state_version":1', '"state_version":2'));
  const { STATE: _a, ...restBefore } = poolStateBefore;
  const { STATE: _b, "upgrade-note": _n, ...restAfter } = poolStateAfter;
  t.deepEqual(restAfter, restBefore, "every other key unchanged");
});

test.failing(
  "BUG-UPG-4a: UpgradeSuite refuses another contract's code (the dataset registry's code sent to the verifier)",
  async (t) => {
    // Both at state version 2 (the verifier was upgraded above): the version check alone lets it through.
    const verifier = ids["inference-verifier"];
    const hash = await storeBlob(alice, wasmOf("dataset-registry-v2"));
    const code = await codeHash(t, verifier);
    const id = await c.pass(alice, upgradeSuite("inference-verifier", hash), [alice, bob]);
    const r = await c.execute(alice, id);
    t.log((await c.proposal(id)).status, failureText(r).slice(0, 200));
    t.is(await codeHash(t, verifier), code, "the verifier now runs the dataset registry's code");
    t.not((await c.proposal(id)).status, "Executed");
  },
);

test.failing(
  "BUG-UPG-4b: a suite contract stays upgradable after any Executed UpgradeSuite (the DAO's own code sent to the model registry bricks it)",
  async (t) => {
    const registry = ids["model-registry"];
    // The DAO's code is at the same state version (2) as the upgraded registry: its migration runs no step and passes.
    const daoHash = await storeBlob(alice, wasmOf(DAO_CODE));
    const wrong = await c.pass(alice, upgradeSuite("model-registry", daoHash), [alice, bob]);
    const r = await c.execute(alice, wrong);
    t.log(`wrong code: ${(await c.proposal(wrong)).status} ${failureText(r).slice(0, 200)}`);
    // No access key either (the factory created the account with code only): nothing else can redeploy it.
    t.log(`access keys: ${JSON.stringify(await t.context.root.viewAccessKeys(registry))}`);
    // The community tries to repair it with the registry's own next release.
    const hash = await storeBlob(alice, wasmOf("model-registry-v2"));
    const repair = await c.pass(alice, upgradeSuite("model-registry", hash), [alice, bob]);
    const fixed = await c.execute(alice, repair);
    t.log(`repair: ${(await c.proposal(repair)).status} ${failureText(fixed).slice(0, 300)}`);
    t.is((await c.proposal(repair)).status, "Executed", "the registry can no longer be upgraded: bricked for good");
    t.is(await codeHash(t, registry), bs58.encode(Buffer.from(hash, "hex")));
  },
);

test.failing(
  "BUG-UPG-5: UpgradeSelf with a 1.1 MB release settles (on_execute can release a blob that large)",
  async (t) => {
    const dao = c.dao;
    const size = 1_100_000;
    const hash = await storeBlob(alice, padded("dao-upgrade-v2", size));
    // The DAO holds the blob and the new code at once: fund the stake so that only gas can be the reason.
    await alice.transfer(dao, BigInt(size) * BYTE + 5n * NEAR);
    const id = await c.pass(alice, { kind: "UpgradeSelf", hash }, [alice, bob]);
    const r = await c.execute(alice, id);
    t.log(`execute: ${tgas(gasOf(r))} ${failureText(r).slice(0, 300)}`);
    t.log(
      JSON.stringify(
        r.result.receipts_outcome.map((o: { outcome: { gas_burnt: number; status: unknown } }) => [
          String(o.outcome.gas_burnt),
          o.outcome.status,
        ]),
      ).slice(0, 1200),
    );
    t.log(await codeHash(t, dao.accountId), bs58.encode(Buffer.from(hash, "hex")));
    const p = await c.proposal(id);
    t.log(p.status, p.last_error);
    selfId = id;
    selfHash = hash;
    t.is(p.status, "Executed");
    t.is(await blob(hash), null);
  },
);

test("after BUG-UPG-5 the UpgradeSelf proposal is Executing for good; its blob's owner can still take the deposit back", async (t) => {
  t.is(await codeHash(t, c.dao.accountId), bs58.encode(Buffer.from(selfHash, "hex")), "the new code is live");
  t.is((await c.proposal(selfId)).status, "Executing");
  const again = await c.execute(bob, selfId);
  t.true(failureText(again).includes("ERR_EXECUTION_IN_PROGRESS"), failureText(again));
  const cancelled = await alice.callRaw(c.dao, "cancel", { id: selfId }, { gas: 50n * TGAS });
  t.true(cancelled.failed, "not cancellable either");
  const rec = await blob(selfHash);
  t.is(rec?.owner, alice.accountId);
  const removed = await alice.callRaw(c.dao, "remove_blob", { hash: selfHash }, { gas: 100n * TGAS });
  t.true(removed.succeeded, failureText(removed));
  t.deepEqual(events(removed).find((e) => e.event === "blob_removed")?.data, [
    { hash: selfHash, owner: alice.accountId, refund: rec?.deposit },
  ]);
});
