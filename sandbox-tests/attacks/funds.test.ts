// Attacks on the reward pool's funds, mounted through near-workspaces against the compiled wasm on the local node:
// forged, repeated, reordered and early usage reports, epoch closes out of order, early or before the report is
// complete, double claims and claims in flight, claims by strangers, forged claim
// callbacks and NEP-145 storage tricks (unregistering included). Every refusal is checked with its ERR_ code, the pool's whole storage before
// and after and the attacker's balance (it loses only the gas it burnt).
import type { NearAccount, TransactionResult } from "near-workspaces";
import { panicCodes, panicMatches } from "../helpers/tx.ts";
import { useWorker } from "../helpers/worker.ts";
import {
  assertPanics,
  burnt,
  chainNow,
  deployPool,
  events,
  FEE,
  NEAR,
  type PoolWorld,
  part,
  refused,
  SEC,
  stateDump,
  TGAS,
  total,
  waitEnd,
} from "./pool-kit.ts";

const test = useWorker().serial;

let w: PoolWorld;
let alice: NearAccount;
let carol: NearAccount;
let att: NearAccount;
let mallory: NearAccount;
// D: reported and closed; D + 1: part 0 of 2 received; D + 2: complete, open
let D = 0;

const m1 = (n: number): [string, [string, number][]][] => [["m1", [[att.accountId, n]]]];

test.before(async (t) => {
  const { worker, root } = t.context;
  w = await deployPool(worker, root);
  [alice, carol, att, mallory] = await Promise.all(
    ["alice", "carol", "att", "mallory"].map((n) => root.createSubAccount(n, { initialBalance: 20n * NEAR })),
  );
  await w.dao.call(w.pool, "deposit", { memo: "treasury" }, { attachedDeposit: 20n * NEAR });
  const creators = [
    { account_id: alice.accountId, bps: 5000 },
    { account_id: carol.accountId, bps: 5000 },
  ];
  await w.registry.call(
    w.pool,
    "register_lineage",
    { model_name: "m1", model_version: 1, model_creators: creators },
    { attachedDeposit: NEAR },
  );
  const [dep] = await w.pool.view<{ at: string }[]>("get_deposits", {});
  D = Number(BigInt(dep.at) / w.len);
  await waitEnd(w, D + 2);
  await w.verifier.call(w.pool, "on_usage_report", part(w, D, m1(5)), { gas: 100n * TGAS });
  await w.verifier.call(w.pool, "on_usage_report", part(w, D + 1, m1(2), { parts: 2 }), { gas: 100n * TGAS });
  await w.verifier.call(w.pool, "on_usage_report", part(w, D + 2, m1(3)), { gas: 100n * TGAS });
  await alice.call(w.pool, "close_epoch", { epoch: D }, { gas: 100n * TGAS });
  // The malformed reports below name epoch D + 5: it must have ended, or the pool refuses them for that first
  // (ERR_EPOCH_NOT_ENDED) whatever else is wrong, and the tests would depend on how fast the machine runs them.
  await waitEnd(w, D + 5);
});

// ---- usage reports -----------------------------------------------------------------------------------------------

test("usage report from anyone but the verifier: refused ERR_NOT_VERIFIER", async (t) => {
  await refused(t, w, mallory, "on_usage_report", part(w, D + 5, m1(1000)), "ERR_NOT_VERIFIER");
});

test("usage report for an epoch that has not ended (future epoch): refused ERR_EPOCH_NOT_ENDED", async (t) => {
  const future = Number((await chainNow(w.worker)) / w.len) + 10;
  await refused(t, w, w.verifier, "on_usage_report", part(w, future, m1(7)), "ERR_EPOCH_NOT_ENDED");
});

test("usage report repeated (same epoch and part): a no-op, nothing counted or paid twice", async (t) => {
  const before = await stateDump(w.worker, w.pool.accountId);
  const owed = await w.pool.view<string>("claimable", { account_id: att.accountId });
  const r = await w.verifier.callRaw(w.pool, "on_usage_report", part(w, D + 1, m1(2), { parts: 2 }));
  t.false(r.failed, r.receiptFailureMessages.join());
  t.like(r.parseResult<object>(), { duplicate: true, attester_paid: "0" });
  t.deepEqual(events(r), []);
  t.deepEqual(await stateDump(w.worker, w.pool.accountId), before);
  t.is(await w.pool.view<string>("claimable", { account_id: att.accountId }), owed);
});

test("usage report in the old layout (top-level attesters, no parts): refused ERR_INVALID_REPORT", async (t) => {
  const old = {
    epoch: D + 5,
    usage: [{ model_name: "m1", model_version: 1, receipts: 9 }],
    attesters: [{ attester_id: att.accountId, receipts: 9 }],
  };
  await refused(t, w, w.verifier, "on_usage_report", old, "ERR_INVALID_REPORT");
});

test("usage report with a field the pool would silently drop: refused ERR_INVALID_REPORT", async (t) => {
  const args = { ...part(w, D + 5, m1(1)), attesters: [{ attester_id: mallory.accountId, receipts: 100 }] };
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_REPORT");
});

test("usage report inflating a model's receipts above its attester counts: refused ERR_INVALID_REPORT", async (t) => {
  const args = part(w, D + 5, m1(1));
  args.usage[0].receipts = 1000;
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_REPORT");
});

test("usage report naming one model twice in a part (double usage): refused ERR_INVALID_REPORT", async (t) => {
  const args = part(w, D + 5, [...m1(4), ...m1(4)]);
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_REPORT");
});

test("usage report naming one attester twice under a model (double fee): refused ERR_INVALID_REPORT", async (t) => {
  const args = part(w, D + 5, [
    [
      "m1",
      [
        [att.accountId, 4],
        [att.accountId, 4],
      ],
    ],
  ]);
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_REPORT");
});

test("usage report with forged epoch bounds (start not epoch x length): refused ERR_INVALID_REPORT", async (t) => {
  const args = { ...part(w, D + 5, m1(1)), epoch_start_ns: "0" };
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_REPORT");
});

test("usage report with a malformed weights hash: refused ERR_INVALID_REPORT", async (t) => {
  const args = part(w, D + 5, m1(1));
  args.usage[0].weights_sha256 = "XYZ";
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_REPORT");
});

test("usage report part index beyond its part count: refused ERR_INVALID_PART", async (t) => {
  await refused(t, w, w.verifier, "on_usage_report", part(w, D + 5, m1(1), { part: 2, parts: 2 }), "ERR_INVALID_PART");
});

test("usage report part sent before the earlier parts: refused ERR_PART_OUT_OF_ORDER", async (t) => {
  const args = part(w, D + 5, m1(1), { part: 1, parts: 2 });
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_PART_OUT_OF_ORDER");
});

test("usage report part claiming another part count than the first part: refused ERR_PARTS_MISMATCH", async (t) => {
  const args = part(w, D + 1, m1(1), { part: 1, parts: 3 });
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_PARTS_MISMATCH");
});

test("usage report into a closed epoch: refused ERR_EPOCH_CLOSED", async (t) => {
  await refused(t, w, w.verifier, "on_usage_report", part(w, D, m1(50), { part: 1, parts: 2 }), "ERR_EPOCH_CLOSED");
});

test("usage report from an invalid community id: refused ERR_INVALID_ACCOUNT_ID", async (t) => {
  const args = part(w, D + 5, m1(1), { community: "NOT A DAO" });
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_ACCOUNT_ID");
});

test("usage report with empty epoch bounds (end = start): refused ERR_INVALID_REPORT", async (t) => {
  const args = part(w, D + 5, m1(1));
  const bad = { ...args, epoch_end_ns: args.epoch_start_ns };
  await refused(t, w, w.verifier, "on_usage_report", bad, "ERR_INVALID_REPORT");
});

test("usage report for a model version outside the registry's rule: refused ERR_INVALID_MODEL", async (t) => {
  const args = part(w, D + 5, [["m1@V1", [[att.accountId, 1]]]]);
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_MODEL");
});

// ---- closing epochs ----------------------------------------------------------------------------------------------

test("close of an epoch whose report is incomplete: refused ERR_REPORT_INCOMPLETE", async (t) => {
  await refused(t, w, mallory, "close_epoch", { epoch: D + 1 }, "ERR_REPORT_INCOMPLETE");
});

test("close of a later epoch before an earlier reported one (pick the richest): refused ERR_EPOCH_ORDER", async (t) => {
  await refused(t, w, mallory, "close_epoch", { epoch: D + 2 }, "ERR_EPOCH_ORDER");
});

test("close of an epoch twice: refused ERR_EPOCH_CLOSED", async (t) => {
  await refused(t, w, mallory, "close_epoch", { epoch: D }, "ERR_EPOCH_CLOSED");
});

test("close of a fractional epoch: refused ERR_INVALID_EPOCH", async (t) => {
  await refused(t, w, mallory, "close_epoch", { epoch: D + 0.5 }, "ERR_INVALID_EPOCH");
});

test("close of an epoch nobody reported: refused ERR_UNKNOWN_EPOCH", async (t) => {
  await refused(t, w, mallory, "close_epoch", { epoch: D + 100 }, "ERR_UNKNOWN_EPOCH");
});

test("close before the epoch ended (verifier epochs shorter than the pool's): refused ERR_EPOCH_NOT_ENDED", async (t) => {
  const { worker, root } = t.context;
  // a pool with 1-hour epochs receiving a report cut with 1-second bounds
  const p = await deployPool(worker, root, { len: 3600n * SEC });
  const e = Number((await chainNow(worker)) / SEC) - 2;
  const args = { ...part(w, e, m1(1)), community: p.dao.accountId };
  const r = await p.verifier.callRaw(p.pool, "on_usage_report", args);
  t.false(r.failed, r.receiptFailureMessages.join());
  await refused(t, p, mallory, "close_epoch", { epoch: e }, "ERR_EPOCH_NOT_ENDED");
});

test("close of a later epoch while an earlier complete one is still open (pick which epoch takes the funds): refused ERR_EPOCH_ORDER", async (t) => {
  // D + 1's report completes; D + 2 still cannot go first
  await w.verifier.call(w.pool, "on_usage_report", part(w, D + 1, m1(1), { part: 1, parts: 2 }), {
    gas: 100n * TGAS,
  });
  await w.dao.call(w.pool, "deposit", { memo: "grant" }, { attachedDeposit: 30n * NEAR });
  await refused(t, w, mallory, "close_epoch", { epoch: D + 2 }, "ERR_EPOCH_ORDER");
  // in order, each takes release_bps (here all) of what is unallocated at its close
  const c1 = await mallory.callRaw(w.pool, "close_epoch", { epoch: D + 1 }, { gas: 100n * TGAS });
  t.false(c1.failed, c1.receiptFailureMessages.join());
  t.true(BigInt(c1.parseResult<{ budget: string }>().budget) > 29n * NEAR);
  const c2 = await mallory.callRaw(w.pool, "close_epoch", { epoch: D + 2 }, { gas: 100n * TGAS });
  t.false(c2.failed, c2.receiptFailureMessages.join());
  t.true(BigInt(c2.parseResult<{ budget: string }>().budget) < NEAR / 10n);
});

// ---- claims ------------------------------------------------------------------------------------------------------

test("claim by an account that is owed nothing (not a creator): refused ERR_NOTHING_TO_CLAIM", async (t) => {
  await mallory.call(w.pool, "storage_deposit", {}, { attachedDeposit: NEAR / 10n });
  await refused(t, w, mallory, "claim", {}, "ERR_NOTHING_TO_CLAIM");
});

test("claim without a NEP-145 storage deposit: refused ERR_STORAGE_NOT_REGISTERED", async (t) => {
  t.true(BigInt(await w.pool.view<string>("claimable", { account_id: alice.accountId })) > 0n);
  await refused(t, w, alice, "claim", {}, "ERR_STORAGE_NOT_REGISTERED");
});

test("double claim: the second is refused ERR_NOTHING_TO_CLAIM and the creator is paid once", async (t) => {
  await alice.call(w.pool, "storage_deposit", {}, { attachedDeposit: NEAR / 10n });
  const owed = BigInt(await w.pool.view<string>("claimable", { account_id: alice.accountId }));
  const before = await total(alice);
  const r = await alice.callRaw(w.pool, "claim", {}, { gas: 100n * TGAS });
  t.deepEqual(
    events(r).map((e) => e.event),
    ["claim_started", "claim_paid"],
  );
  t.is(await total(alice), before + owed - burnt(r));
  await refused(t, w, alice, "claim", {}, "ERR_NOTHING_TO_CLAIM");
});

test("claim while the first claim is in flight: refused ERR_NOTHING_TO_CLAIM, paid once", async (t) => {
  await att.call(w.pool, "storage_deposit", {}, { attachedDeposit: NEAR / 10n });
  const owed = BigInt(await w.pool.view<string>("claimable", { account_id: att.accountId }));
  t.true(owed >= 10n * FEE);
  const claimedBefore = BigInt((await w.pool.view<{ claimed: string }>("get_totals")).claimed);
  const before = await total(att);
  // two distinct claim transactions sent together (the node runs their receipts in the same blocks)
  const [a, b] = await Promise.all([
    att.callRaw(w.pool, "claim", {}, { gas: 100n * TGAS }),
    att.callRaw(w.pool, "claim", {}, { gas: 99n * TGAS }),
  ]);
  t.not(a.result.transaction.hash, b.result.transaction.hash);
  const ok = [a, b].filter((r) => !r.failed);
  const bad = [a, b].filter((r) => r.failed);
  t.is(ok.length, 1);
  t.is(bad.length, 1);
  assertPanics(t, bad[0], "ERR_NOTHING_TO_CLAIM");
  t.is(await total(att), before + owed - burnt(a) - burnt(b));
  const totals = await w.pool.view<{ claimed: string; in_flight: string }>("get_totals");
  t.is(BigInt(totals.claimed), claimedBefore + owed);
  t.is(totals.in_flight, "0");
});

test("claim callback called directly (forged transfer outcome): refused as private", async (t) => {
  await refused(t, w, mallory, "on_claim_transfer", { index: 0 }, "Function is private");
});

test("claim after withdrawing the storage balance that pays its records: refused ERR_STORAGE_BALANCE", async (t) => {
  await carol.call(w.pool, "storage_deposit", {}, { attachedDeposit: NEAR / 100n });
  await carol.call(w.pool, "storage_withdraw", {}, { attachedDeposit: 1n });
  t.true(BigInt(await w.pool.view<string>("claimable", { account_id: carol.accountId })) > 0n);
  await refused(t, w, carol, "claim", {}, "ERR_STORAGE_BALANCE");
});

// ---- NEP-145 storage and deposits --------------------------------------------------------------------------------

test("storage_withdraw without the 1 yocto (function-call key): refused ERR_ONE_YOCTO", async (t) => {
  await refused(t, w, mallory, "storage_withdraw", {}, "ERR_ONE_YOCTO");
});

test("storage_withdraw above the available balance (take reward funds): refused ERR_STORAGE_WITHDRAW", async (t) => {
  await refused(t, w, mallory, "storage_withdraw", { amount: NEAR.toString() }, "ERR_STORAGE_WITHDRAW", {
    deposit: 1n,
  });
});

test("storage_withdraw of a malformed amount (negative, to mint balance): refused ERR_INVALID_AMOUNT", async (t) => {
  await refused(t, w, mallory, "storage_withdraw", { amount: "-1000" }, "ERR_INVALID_AMOUNT", { deposit: 1n });
});

test("storage_withdraw of a balance paid for another account: refused ERR_STORAGE_NOT_REGISTERED", async (t) => {
  const { root } = t.context;
  const eve = await root.createSubAccount("eve", { initialBalance: 5n * NEAR });
  // eve pays a victim's registration, then tries to take it back through her own (absent) registration
  await eve.call(w.pool, "storage_deposit", { account_id: "victim.test.near" }, { attachedDeposit: NEAR / 10n });
  await refused(t, w, eve, "storage_withdraw", {}, "ERR_STORAGE_NOT_REGISTERED", { deposit: 1n });
});

test("storage_deposit below the minimum (a registration the pool would pay for): refused ERR_DEPOSIT_TOO_LOW", async (t) => {
  const { root } = t.context;
  const fred = await root.createSubAccount("fred", { initialBalance: 5n * NEAR });
  await refused(t, w, fred, "storage_deposit", {}, "ERR_DEPOSIT_TOO_LOW", { deposit: 10n ** 18n });
});

// ---- NEP-145 storage_unregister ---------------------------------------------------------------------------------

interface Invariant {
  solvent: boolean;
  ledger_balanced: boolean;
}
interface Unregistered {
  account_id: string;
  total: string;
  refund: string;
  kept: string;
  forfeited: string;
}
const claimableOf = async (a: NearAccount) =>
  BigInt(await w.pool.view<string>("claimable", { account_id: a.accountId }));
const sound = async () => w.pool.view<Invariant>("get_invariant");
const failsWith = (r: TransactionResult, code: string) => panicCodes(r).some((m) => panicMatches(m, code));

test("storage_unregister without the 1 yocto (function-call key): refused ERR_ONE_YOCTO", async (t) => {
  await refused(t, w, mallory, "storage_unregister", {}, "ERR_ONE_YOCTO");
  await refused(t, w, mallory, "storage_unregister", { force: true }, "ERR_ONE_YOCTO", { deposit: 2n });
});

test("storage_unregister with rewards to claim and no force (take the storage back, rewards stay): refused ERR_STORAGE_HAS_BALANCE", async (t) => {
  t.true((await claimableOf(carol)) > 0n);
  t.not(await w.pool.view("storage_balance_of", { account_id: carol.accountId }), null);
  await refused(t, w, carol, "storage_unregister", {}, "ERR_STORAGE_HAS_BALANCE", { deposit: 1n });
  await refused(t, w, carol, "storage_unregister", { force: false }, "ERR_STORAGE_HAS_BALANCE", { deposit: 1n });
});

test("storage_unregister of an account never registered: false, it loses only the gas, nothing changes", async (t) => {
  const { root } = t.context;
  const gus = await root.createSubAccount("gus", { initialBalance: 5n * NEAR });
  const before = await total(gus);
  const state = await stateDump(w.worker, w.pool.accountId);
  const r = await gus.callRaw(w.pool, "storage_unregister", {}, { attachedDeposit: 1n, gas: 30n * TGAS });
  t.false(r.failed, r.receiptFailureMessages.join());
  t.is(r.parseResult<boolean>(), false);
  t.deepEqual(events(r), []);
  t.is(await total(gus), before - burnt(r), "the yocto came back");
  t.deepEqual(await stateDump(w.worker, w.pool.accountId), state);
});

test("storage_unregister on the node: the whole deposit back to the yocto, the record removed, the event", async (t) => {
  const { root } = t.context;
  const hana = await root.createSubAccount("hana", { initialBalance: 5n * NEAR });
  const dep = NEAR / 20n;
  await hana.call(w.pool, "storage_deposit", {}, { attachedDeposit: dep });
  const freeBefore = BigInt((await w.pool.view<{ storage_free: string }>("get_totals")).storage_free);
  const available = BigInt(
    (await w.pool.view<{ available: string }>("storage_balance_of", { account_id: hana.accountId })).available,
  );
  const before = await total(hana);
  const r = await hana.callRaw(w.pool, "storage_unregister", {}, { attachedDeposit: 1n, gas: 30n * TGAS });
  t.false(r.failed, r.receiptFailureMessages.join());
  t.is(r.parseResult<boolean>(), true);
  t.deepEqual(
    events(r).map((e) => [e.standard, e.event, e.data]),
    [
      [
        "ai-commons-rewards",
        "storage_unregister",
        [{ account_id: hana.accountId, total: dep.toString(), refund: dep.toString(), kept: "0", forfeited: "0" }],
      ],
    ],
  );
  t.is(await total(hana), before + dep - burnt(r), "the deposit and the yocto, less the gas, to the yocto");
  t.is(await w.pool.view("storage_balance_of", { account_id: hana.accountId }), null);
  t.is(BigInt((await w.pool.view<{ storage_free: string }>("get_totals")).storage_free), freeBefore - available);
  t.like(await sound(), { solvent: true, ledger_balanced: true });
});

test("claim and forced unregister sent together (race the claim's callback): paid or forfeited once, the storage refunded once, the pool solvent", async (t) => {
  // carol is owed and registered (with no free balance left): she tops up, then races the two
  await carol.call(w.pool, "storage_deposit", {}, { attachedDeposit: NEAR / 10n });
  const owed = await claimableOf(carol);
  t.true(owed > 0n);
  const before = await total(carol);
  const [c, u] = await Promise.all([
    carol.callRaw(w.pool, "claim", {}, { gas: 100n * TGAS }),
    carol.callRaw(w.pool, "storage_unregister", { force: true }, { attachedDeposit: 1n, gas: 50n * TGAS }),
  ]);
  const paid = !c.failed && events(c).some((e) => e.event === "claim_paid") ? owed : 0n;
  if (c.failed) t.true(["ERR_NOTHING_TO_CLAIM", "ERR_STORAGE_NOT_REGISTERED"].some((code) => failsWith(c, code)));
  let refund = 0n;
  let forfeited = 0n;
  if (u.failed) {
    assertPanics(t, u, "ERR_CLAIM_IN_FLIGHT");
  } else {
    const [ev] = events<Unregistered>(u).filter((e) => e.event === "storage_unregister");
    refund = BigInt(ev.data[0].refund);
    forfeited = BigInt(ev.data[0].forfeited);
    t.is(await w.pool.view("storage_balance_of", { account_id: carol.accountId }), null);
  }
  t.log(`claim ${c.failed ? "refused" : "paid"}, unregister ${u.failed ? "refused" : `refunded ${refund}`}`);
  t.false(c.failed && u.failed, "one of them went through");
  t.is(paid + forfeited, owed, "the rewards were paid or forfeited, once");
  t.is(await total(carol), before + paid + refund - burnt(c) - burnt(u), "nothing else reached carol");
  t.is((await w.pool.view<{ in_flight: string }>("get_totals")).in_flight, "0");
  t.like(await sound(), { solvent: true, ledger_balanced: true });
});

test("deposit of zero (an empty record): refused ERR_ZERO_DEPOSIT", async (t) => {
  await refused(t, w, mallory, "deposit", {}, "ERR_ZERO_DEPOSIT");
});

test("deposit with an oversized memo (a record bigger than it paid for): refused ERR_INVALID_MEMO", async (t) => {
  await refused(t, w, mallory, "deposit", { memo: "x".repeat(257) }, "ERR_INVALID_MEMO", { deposit: NEAR });
});

test("deposit of 1 yocto (a record the pool would pay for): refused ERR_DEPOSIT_TOO_LOW", async (t) => {
  await refused(t, w, mallory, "deposit", { memo: "x" }, "ERR_DEPOSIT_TOO_LOW", { deposit: 1n });
});

test("the pool stays solvent and its ledger balanced after the attacks", async (t) => {
  const inv = await w.pool.view<{ solvent: boolean; ledger_balanced: boolean }>("get_invariant");
  t.true(inv.solvent && inv.ledger_balanced);
});
