// Attacks on the upgrade path (commits 1023647 / 267e889): UpgradeSuite (DAO kind) -> `upgrade` on a suite contract ->
// deploy + `migrate_state` in one batch -> the DAO's on_execute releases the blob. Each test runs through the compiled
// wasm on a live community (factory + create_community), as sandbox-tests/factory/upgrade-suite.test.ts does.
// The factory's communities run global code (NEP-591) and upgrade by hash (`global: true`, tested last here and in
// factory/upgrade-suite.test.ts); the blob path stays for code the factory never published: a blob deployed over
// global code stakes its whole size (nothing of the old code was counted), so those proposals carry that `deposit`.
//
// Bugs found by the audit of that change, each fixed and tested here as the rule that closes it:
// - BUG-UPG-4b brick / 4a wrong code: nothing tied a blob to the contract it was sent to, so the DAO's own wasm sent
//   to the model registry was Executed and left an account with no `upgrade` and no key. Rule: every suite contract
//   keeps its code name in STATE (`code_name`) and every migration refuses another contract's state
//   (`ERR_MIGRATION: this code is X, the state is Y's`), rolling the deploy back.
// - BUG-UPG-3 funds: a larger release raised the pool's storage stake out of what it owes. Rule: after the deploy,
//   `migrate_state` checks the balance less the new stake still covers what the contract holds for others (pool: its
//   ledger; verifier: bonds; DAO: proposal bonds), else ERR_UPGRADE_STORAGE; UpgradeSuite's `deposit` (from the
//   treasury, computed by `propose upgrade`) pays the growth.
// - BUG-UPG-1 / 2 gas: `upgrade` read its input before checking its gas, and the DAO's figure left out reading the
//   blob. Rule: one figure (contracts/wire/upgrade.ts) with measured per-byte costs, checked after the input is read;
//   a blob whose upgrade cannot fit in one call is refused when proposed.
// - BUG-UPG-5 stuck: on_execute had a fixed 20 Tgas, too little to delete a large blob. Rule: a kind may state its
//   callback's gas (`callbackGas`), which grows with the blob.
import bs58 from "bs58";
import type { ExecutionContext } from "ava";
import type { NearAccount } from "near-workspaces";
import { DaoClient, events, gasOf, tgas } from "../dao/fixture.ts";
import {
  createCommunity,
  DAO_CODE,
  deployFactory,
  NEAR,
  TGAS,
  wasmOf,
  codeHashOf,
  sha256Hex,
} from "../helpers/community.ts";
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

const sha256 = sha256Hex;

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
  return codeHashOf(t.context.worker, account);
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

function upgradeSuite(contract: string, hash: string, deposit?: bigint) {
  return { kind: "UpgradeSuite", contract, hash, ...(deposit ? { deposit: deposit.toString() } : {}) };
}

// The storage stake of a blob deployed over a contract that runs global code: its whole size.
const stake = (wasm: Uint8Array) => BigInt(wasm.length) * BYTE;

// The DAO's own receipt and the callee's, from an execute's outcome: what the gas figures of wire/upgrade.ts cover.
function receiptGas(r: { result: { receipts_outcome: { outcome: { gas_burnt: number } }[] } }): string {
  return r.result.receipts_outcome.map((o) => tgas(BigInt(o.outcome.gas_burnt))).join(", ");
}

test.before(async (t) => {
  const { root } = t.context;
  owner = await root.createSubAccount("owner", { initialBalance: 100n * NEAR });
  alice = await root.createSubAccount("alice", { initialBalance: 1000n * NEAR });
  bob = await root.createSubAccount("bob", { initialBalance: 100n * NEAR });
  factory = await deployFactory(root, owner);
  ids = await createCommunity(factory, alice, "acme", [alice, bob]);
  c = new DaoClient(root.getAccount(ids[DAO_CODE]), t as unknown as ExecutionContext);
  // A treasury to pay the blobs' storage from (UpgradeSuite's deposit).
  await alice.transfer(ids[DAO_CODE], 60n * NEAR);
});

test("a blob removed by its owner after the vote: Failed (retryable), nothing changes; stored again, the retry runs and refunds only the new owner", async (t) => {
  const wasm = wasmOf("model-registry-v2");
  const account = t.context.root.getAccount(ids["model-registry"]);
  const hash = await storeBlob(bob, wasm);
  const id = await c.pass(alice, upgradeSuite("model-registry", hash, stake(wasm)), [alice, bob]);
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
  const wasm = wasmOf("inference-verifier-v2");
  const hash = await storeBlob(bob, wasm);
  const deposit = (await blob(hash))?.deposit;
  const first = await c.pass(alice, upgradeSuite("inference-verifier", hash, stake(wasm)), [alice, bob]);
  const second = await c.pass(alice, upgradeSuite("inference-verifier", hash, stake(wasm)), [alice, bob]);
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

// BUG-UPG-1: `upgrade` read its input before checking its gas, and the DAO attached too little for a big code.
const BIG = 700_000;

test("a 700 KB release (twice today's size) is deployed by UpgradeSuite, its storage paid by the proposal's deposit", async (t) => {
  const registry = ids["dataset-registry"];
  const wasm = padded("dataset-registry-v2", BIG);
  const hash = await storeBlob(alice, wasm);
  // the registry runs global code: the whole release is new storage
  const growth = stake(wasm);
  const id = await c.pass(alice, upgradeSuite("dataset-registry", hash, growth), [alice, bob]);
  const r = await c.execute(alice, id);
  t.log(`execute ${BIG} bytes: ${tgas(gasOf(r))} (receipts: ${receiptGas(r)})`);
  t.is((await c.proposal(id)).status, "Executed", failureText(r));
  t.is(await codeHash(t, registry), bs58.encode(Buffer.from(hash, "hex")));
  t.is(await blob(hash), null, "the blob is released by the callback");
});

// BUG-UPG-2: the DAO's figure left out reading the blob; a proposal that can never run was accepted.
const HUGE = 1_300_000;
let hugeHash = "";

test("an UpgradeSuite whose execution cannot fit in 300 Tgas is refused when proposed, nothing stored", async (t) => {
  hugeHash = await storeBlob(alice, padded("dataset-registry-v2", HUGE));
  const before = await stateOf(c.dao);
  const r = await alice.callRaw(
    ids[DAO_CODE],
    "add_proposal",
    { description: "too big to ever run", kind: upgradeSuite("dataset-registry", hugeHash) },
    { attachedDeposit: NEAR, gas: 100n * TGAS },
  );
  t.true(failureText(r).includes("ERR_INVALID_PROPOSAL: the code is too large to deploy within"), failureText(r));
  t.is(await stateOf(c.dao), before);
});

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

// BUG-UPG-3: a bigger release's storage stake came out of what the pool owes.
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
interface Invariant {
  balance: string;
  storage_locked: string;
  surplus: string;
  solvent: boolean;
}

test("a bigger reward-pool release never takes its stake from what the pool owes: refused without a deposit, run with one", async (t) => {
  const pool = t.context.root.getAccount(ids["reward-pool"]);
  const funded = await alice.callRaw(
    pool,
    "deposit",
    { memo: "rewards" },
    { attachedDeposit: 20n * NEAR, gas: 50n * TGAS },
  );
  t.true(funded.succeeded, failureText(funded));
  const before = await pool.view<Invariant>("get_invariant");
  poolStateBefore = await rawState(t, pool.accountId);
  t.true(before.solvent);
  // The pool runs global code (none of it counted in its storage): a blob stakes its whole size. A release larger
  // than the surplus by 1 NEAR of stake: without a deposit that NEAR would be the depositors'.
  const size = Math.max(wasmOf("reward-pool-v2").length, Number(BigInt(before.surplus) / BYTE)) + 100_000;
  const hash = await storeBlob(alice, padded("reward-pool-v2", size));
  const bare = await c.pass(alice, upgradeSuite("reward-pool", hash), [alice, bob]);
  const refused = await c.execute(alice, bare);
  t.is((await c.proposal(bare)).status, "Failed");
  t.true(
    failureText(refused).includes("Smart contract panicked: ERR_UPGRADE_STORAGE: the new code's storage leaves"),
    failureText(refused),
  );
  t.deepEqual(await rawState(t, pool.accountId), poolStateBefore, "the deploy was rolled back");
  const unchanged = await pool.view<Invariant>("get_invariant");
  t.true(unchanged.solvent);
  // (it only grows: a contract earns 30% of the gas its calls burn)
  t.true(BigInt(unchanged.surplus) >= BigInt(before.surplus));

  // With the growth paid by the treasury (what `propose upgrade` computes), it runs and the pool stays solvent.
  const treasury = BigInt((await c.dao.view<{ available: string }>("get_treasury")).available);
  const growth = BigInt(size) * BYTE;
  const paid = await c.pass(alice, upgradeSuite("reward-pool", hash, growth), [alice, bob]);
  const r = await c.execute(alice, paid);
  t.is((await c.proposal(paid)).status, "Executed", failureText(r));
  const after = await pool.view<Invariant>("get_invariant");
  t.true(after.solvent);
  t.true(BigInt(after.surplus) >= BigInt(before.surplus), `surplus ${before.surplus} -> ${after.surplus}`);
  const spent = treasury - BigInt((await c.dao.view<{ available: string }>("get_treasury")).available);
  // (less a little: the DAO earns 30% of the gas its own receipts burn)
  t.true(spent <= growth && spent > growth - NEAR / 100n, `the treasury paid ${spent} for a ${growth} growth`);
  poolStateAfter = await rawState(t, pool.accountId);
});

test("migrate_state's raw JSON round trip kept the pool's STATE (collections, totals, nested policy) byte for byte but state_version", (t) => {
  t.truthy(poolStateBefore.STATE);
  t.is(JSON.parse(poolStateBefore.STATE).state_version, 1);
  t.is(JSON.parse(poolStateAfter.STATE).state_version, 2);
  t.is(poolStateAfter.STATE, poolStateBefore.STATE.replace('"state_version":1', '"state_version":2'));
  const { STATE: _a, ...restBefore } = poolStateBefore;
  const { STATE: _b, "upgrade-note": _n, ...restAfter } = poolStateAfter;
  t.deepEqual(restAfter, restBefore, "every other key unchanged");
});

// BUG-UPG-4a / 4b: nothing tied a blob to the contract it was sent to; another contract's code could brick one.
test("another contract's code is refused by the migration (the dataset registry's release sent to the verifier)", async (t) => {
  const verifier = ids["inference-verifier"];
  const hash = await storeBlob(alice, wasmOf("dataset-registry-v2"));
  const code = await codeHash(t, verifier);
  const state = await stateOf(t.context.root.getAccount(verifier));
  const id = await c.pass(alice, upgradeSuite("inference-verifier", hash), [alice, bob]);
  const r = await c.execute(alice, id);
  t.is((await c.proposal(id)).status, "Failed");
  t.true(
    failureText(r).includes("ERR_MIGRATION: this code is dataset-registry, the state is inference-verifier's"),
    failureText(r),
  );
  t.is(await codeHash(t, verifier), code, "the verifier keeps its code");
  t.is(await stateOf(t.context.root.getAccount(verifier)), state);
});

test("the DAO's own code sent to the model registry is refused; the registry stays upgradable", async (t) => {
  const registry = ids["model-registry"];
  const daoHash = await storeBlob(alice, wasmOf(DAO_CODE));
  const code = await codeHash(t, registry);
  const wrong = await c.pass(alice, upgradeSuite("model-registry", daoHash), [alice, bob]);
  const r = await c.execute(alice, wrong);
  t.is((await c.proposal(wrong)).status, "Failed");
  t.true(
    failureText(r).includes("ERR_MIGRATION: this code is community-dao, the state is model-registry's"),
    failureText(r),
  );
  t.is(await codeHash(t, registry), code);
  // The registry's own next release still goes through.
  const next = wasmOf("model-registry-v2");
  const hash = await storeBlob(alice, next);
  const repair = await c.pass(alice, upgradeSuite("model-registry", hash, stake(next)), [alice, bob]);
  const fixed = await c.execute(alice, repair);
  t.is((await c.proposal(repair)).status, "Executed", failureText(fixed));
  t.is(await codeHash(t, registry), bs58.encode(Buffer.from(hash, "hex")));
});

// BUG-UPG-5: on_execute had a fixed 20 Tgas, too little to delete a large blob: the proposal stayed Executing.
test("UpgradeSelf with a 900 KB release settles: on_execute's gas grows with the blob it deletes", async (t) => {
  const dao = c.dao;
  const size = 900_000;
  const hash = await storeBlob(alice, padded("dao-upgrade-v2", size));
  // The treasury pays the DAO's larger code (its locked bonds are checked): fund it for the test.
  await alice.transfer(dao, BigInt(size) * BYTE + 5n * NEAR);
  const id = await c.pass(alice, { kind: "UpgradeSelf", hash }, [alice, bob]);
  const r = await c.execute(alice, id);
  t.log(`execute UpgradeSelf ${size} bytes: ${tgas(gasOf(r))} (receipts: ${receiptGas(r)})`);
  t.is((await c.proposal(id)).status, "Executed", failureText(r));
  t.is(await codeHash(t, dao.accountId), bs58.encode(Buffer.from(hash, "hex")));
  t.is(await blob(hash), null);
});

test("an UpgradeSelf too large for one call is refused when proposed", async (t) => {
  const hash = await storeBlob(alice, padded("dao-upgrade-v2", 1_100_000));
  const r = await alice.callRaw(
    ids[DAO_CODE],
    "add_proposal",
    { description: "too big", kind: { kind: "UpgradeSelf", hash } },
    { attachedDeposit: NEAR, gas: 100n * TGAS },
  );
  t.true(failureText(r).includes("ERR_INVALID_PROPOSAL: the code is too large to deploy within"), failureText(r));
  const removed = await alice.callRaw(c.dao, "remove_blob", { hash }, { gas: 100n * TGAS });
  t.true(removed.succeeded, failureText(removed));
});

// ---- the global path (NEP-591): a hash the factory published, no bytes travel -------------------------------------

async function publishedHash(code: string): Promise<string> {
  return (await factory.view<{ sha256: string }>("get_code_info", { name: code })).sha256;
}

function upgradeGlobal(contract: string, hash: string) {
  return { kind: "UpgradeSuite", contract, hash, global: true };
}

// BUG-UPG-4a / 4b by hash: any code published to the global store can be named, so the migration is still the guard.
test("another contract's published release sent to the verifier by hash: refused by the migration, rolled back", async (t) => {
  const verifier = ids["inference-verifier"];
  const hash = await publishedHash("dataset-registry");
  const code = await codeHash(t, verifier);
  const state = await stateOf(t.context.root.getAccount(verifier));
  const id = await c.pass(alice, upgradeGlobal("inference-verifier", hash), [alice, bob]);
  const r = await c.execute(alice, id);
  t.is((await c.proposal(id)).status, "Failed", failureText(r));
  t.true(
    failureText(r).includes("ERR_MIGRATION: this code is dataset-registry, the state is inference-verifier's"),
    failureText(r),
  );
  t.is(await codeHash(t, verifier), code, "the verifier keeps its code");
  t.is(await stateOf(t.context.root.getAccount(verifier)), state);
});

test("the DAO's published code sent to the pool by hash: refused by the migration, the pool keeps its code and funds", async (t) => {
  const pool = t.context.root.getAccount(ids["reward-pool"]);
  const hash = await publishedHash(DAO_CODE);
  const code = await codeHash(t, pool.accountId);
  const state = await stateOf(pool);
  const balance = await total(pool);
  const id = await c.pass(alice, upgradeGlobal("reward-pool", hash), [alice, bob]);
  const r = await c.execute(alice, id);
  t.is((await c.proposal(id)).status, "Failed", failureText(r));
  t.true(
    failureText(r).includes("ERR_MIGRATION: this code is community-dao, the state is reward-pool's"),
    failureText(r),
  );
  t.is(await codeHash(t, pool.accountId), code);
  t.is(await stateOf(pool), state);
  t.true((await total(pool)) >= balance);
});

test("a suite contract's published code named by the DAO's own UpgradeSelf: refused by the migration, the DAO keeps running", async (t) => {
  const dao = c.dao;
  const hash = await publishedHash("model-registry");
  const code = await codeHash(t, dao.accountId);
  const id = await c.pass(alice, { kind: "UpgradeSelf", hash, global: true }, [alice, bob]);
  const r = await c.execute(alice, id);
  t.is((await c.proposal(id)).status, "Failed", failureText(r));
  t.true(
    failureText(r).includes("ERR_MIGRATION: this code is model-registry, the state is community-dao's"),
    failureText(r),
  );
  t.is(await codeHash(t, dao.accountId), code);
  // still the DAO: it takes proposals
  const next = await c.pass(alice, { kind: "Signal", message: "still here" }, [alice, bob]);
  t.is((await c.proposal(next)).status, "Approved");
});
