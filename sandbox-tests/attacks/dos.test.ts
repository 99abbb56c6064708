// Liveness attacks on usage reporting and the pool, through near-workspaces against the compiled wasm on the local
// node: an epoch too big for one report (33 attesters across a mid-epoch model upgrade) is delivered in parts, a
// half-delivered report cannot be closed, a lost callback cannot leave an epoch Reporting forever (anyone resends
// after REPORT_TIMEOUT_BLOCKS and the pool counts it once), and oversized or padded parts, too many model versions
// or open epochs are refused with their codes, the pool's storage and the sender's balance unchanged.
import type { NearAccount } from "near-workspaces";
import { useWorker } from "../helpers/worker.ts";
import {
  activate,
  addAttester,
  draft,
  MODEL,
  SETTINGS,
  sign,
  submit,
  VERSION,
  type World,
  world,
} from "../verifier/fixture.ts";
import {
  assertPanics,
  chainNow,
  deployPool,
  FEE,
  NEAR,
  type PoolWorld,
  part,
  refused,
  SEC,
  stateDump,
  TGAS,
} from "./pool-kit.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";

const test = useWorker().serial;
const LEN = 60n * SEC;
const V2 = "2.0.0";
const W2 = "cd".repeat(32);
const REPORT_TIMEOUT_BLOCKS = 100;

interface EpochView {
  status: string;
  attempts: number;
  parts?: number;
  next_part?: number;
}

/** A verifier world with a real pool behind it (same 60 s epochs), funded with 10 NEAR. */
async function suite(t: { context: { worker: World["worker"]; root: NearAccount } }, settings = {}) {
  const { worker, root } = t.context;
  const w = await world(worker, root, { ...SETTINGS, ...settings });
  const p = await deployPool(worker, root, { pool: w.pool, dao: w.dao, verifier: w.verifier, len: LEN });
  await root.transfer(w.dao, 100n * NEAR);
  await w.dao.call(w.pool, "deposit", { memo: "grant" }, { attachedDeposit: 10n * NEAR });
  return { w, p };
}

/** Moves to the start of a fresh epoch when less than 30 s of the current one are left (receipts stay in one). */
async function roomInEpoch(w: World): Promise<void> {
  const now = await chainNow(w.worker);
  if (now % LEN > LEN - 30n * SEC) await w.worker.provider.fastForward(Number((LEN - (now % LEN)) / SEC) + 1);
}

test("33 attesters across a mid-epoch model upgrade (66 entries): reported in 2 parts, nothing lost, a slash between parts changes nothing, half-delivered close refused ERR_REPORT_INCOMPLETE", async (t) => {
  const { w, p } = await suite(t);
  const ids = Array.from({ length: 33 }, (_, i) => `a${i}.test.near`);
  const keys: Awaited<ReturnType<typeof addAttester>>[] = [];
  for (const id of ids) keys.push(await addAttester(w, id));
  await roomInEpoch(w);
  await activate(w);
  let now = await chainNow(w.worker);
  const r1 = await submit(
    w,
    ids.map((id, i) => sign(w, draft(w, id, now), keys[i])),
  );
  t.false(r1.failed, r1.receiptFailureMessages.join());
  await activate(w, V2, W2);
  now = await chainNow(w.worker);
  const r2 = await submit(
    w,
    ids.map((id, i) => sign(w, draft(w, id, now, { model_version: V2, weights_sha256: W2 }), keys[i])),
  );
  t.false(r2.failed, r2.receiptFailureMessages.join());
  const epoch = (await w.verifier.view<{ epoch: number }>("get_receipt", { receipt_id: 0 })).epoch;
  t.is((await w.verifier.view<{ epoch: number }>("get_receipt", { receipt_id: 65 })).epoch, epoch);
  await w.worker.provider.fastForward(200);

  const preview = await w.verifier.view<{ part: number; parts: number; usage: { attester_counts: unknown[] }[] }[]>(
    "preview_usage_report",
    { epoch },
  );
  t.is(preview.length, 2);
  t.deepEqual(
    preview.map((x) => x.usage.reduce((a, u) => a + u.attester_counts.length, 0)),
    [64, 2],
  );
  const report = () => w.relayer.callRaw(w.verifier, "report_usage", { epoch }, { gas: 200n * TGAS });
  const first = await report();
  t.false(first.failed, first.receiptFailureMessages.join());
  t.is(first.parseResult<string>(), "Open");
  t.like(await w.verifier.view<EpochView>("get_epoch_usage", { epoch }), { status: "Open", parts: 2, next_part: 1 });
  t.like(await w.pool.view<object>("get_epoch", { epoch }), { reports: 1, parts: 2, status: "Open" });
  // nobody can close (and split the budget on) half the usage
  await refused(t, p, w.relayer, "close_epoch", { epoch }, "ERR_REPORT_INCOMPLETE");
  // a32 (whose count is in part 1) is slashed between the parts, for equivocating in the current epoch: the report
  // under way was frozen at its first part, so part 1 still carries what part 0 was cut against
  const fresh = await chainNow(w.worker);
  const d = draft(w, ids[32], fresh, { model_version: V2, weights_sha256: W2 });
  const sub = await submit(w, [sign(w, d, keys[32])]);
  t.false(sub.failed, sub.receiptFailureMessages.join());
  const [rid] = sub.parseResult<number[]>();
  const twin = sign(
    w,
    draft(w, ids[32], fresh, { model_version: V2, weights_sha256: W2, input_sha256: d.input_sha256 }),
    keys[32],
  );
  const ch = await w.relayer.callRaw(
    w.verifier,
    "challenge_receipt",
    { receipt_id: rid, conflicting: twin },
    { gas: 100n * TGAS },
  );
  t.is(ch.parseResult<string>(), "Slashed");
  t.like(await w.verifier.view<object>("get_attester", { attester_id: ids[32] }), { status: "Slashed" });

  const second = await report();
  t.false(second.failed, second.receiptFailureMessages.join());
  t.is(second.parseResult<string>(), "Reported");
  const pe = await w.pool.view<{ usage: Record<string, number>; attester_receipts: number; reports: number }>(
    "get_epoch",
    { epoch },
  );
  t.deepEqual(pe.usage, { [`${MODEL}@${VERSION}`]: 33, [`${MODEL}@${V2}`]: 33 });
  t.is(pe.attester_receipts, 66);
  t.is(pe.reports, 2);
  for (const id of [ids[0], ids[31], ids[32]]) {
    t.is(await w.pool.view<string>("claimable", { account_id: id }), (2n * FEE).toString(), id);
  }
  assertPanics(t, await report(), "ERR_ALREADY_REPORTED");
  const close = await w.relayer.callRaw(w.pool, "close_epoch", { epoch }, { gas: 100n * TGAS });
  t.false(close.failed, close.receiptFailureMessages.join());
});

test("callback lost (out of gas) leaves the epoch Reporting: early resend refused ERR_REPORT_IN_FLIGHT; after the timeout anyone resends and the pool counts it once", async (t) => {
  const { w, p } = await suite(t, { callback_gas_tgas: 5 });
  const key = await addAttester(w, "solo.test.near");
  await roomInEpoch(w);
  await activate(w);
  const now = await chainNow(w.worker);
  t.false(
    (
      await submit(
        w,
        [0, 1, 2].map(() => sign(w, draft(w, "solo.test.near", now), key)),
      )
    ).failed,
  );
  const epoch = (await w.verifier.view<{ epoch: number }>("get_receipt", { receipt_id: 0 })).epoch;
  await w.worker.provider.fastForward(200);

  const sent = await w.relayer.callRaw(w.verifier, "report_usage", { epoch }, { gas: 200n * TGAS });
  // the pool took the part; the callback ran out of its 5 Tgas
  t.true(
    sent.receiptFailureMessages.some((m) => /gas/i.test(m)),
    sent.receiptFailureMessages.join(),
  );
  t.like(await w.pool.view<object>("get_epoch", { epoch }), { reports: 1, attester_receipts: 3 });
  t.like(await w.verifier.view<EpochView>("get_epoch_usage", { epoch }), { status: "Reporting", attempts: 1 });
  const owed = await w.pool.view<string>("claimable", { account_id: "solo.test.near" });
  t.is(owed, (3n * FEE).toString());

  await refused(t, p, w.relayer, "report_usage", { epoch }, "ERR_REPORT_IN_FLIGHT", {
    contract: w.verifier,
    watch: [w.verifier, w.pool],
    gas: 150n * TGAS,
  });

  // the DAO restores the callback's gas; the timeout passes; anyone resends
  await w.dao.call(w.verifier, "update_settings", { settings: { callback_gas_tgas: 15 } });
  await w.worker.provider.fastForward(REPORT_TIMEOUT_BLOCKS + 1);
  const poolBefore = await stateDump(w.worker, w.pool.accountId);
  const resent = await w.relayer.callRaw(w.verifier, "report_usage", { epoch }, { gas: 200n * TGAS });
  t.false(resent.failed, resent.receiptFailureMessages.join());
  t.is(resent.parseResult<string>(), "Reported");
  // the pool saw a repeat: no second count, no second fee
  t.deepEqual(await stateDump(w.worker, w.pool.accountId), poolBefore);
  t.like(await w.pool.view<object>("get_epoch", { epoch }), { reports: 1, attester_receipts: 3, total_receipts: 3 });
  t.is(await w.pool.view<string>("claimable", { account_id: "solo.test.near" }), owed);
  t.like(await w.verifier.view<EpochView>("get_epoch_usage", { epoch }), { status: "Reported", attempts: 2 });
});

test("DAO raises challenge_window_ns after part 0 reached the pool (to reopen the epoch's receipts): a raise reopens no closed receipt, so dispute, equivocation proof and DAO void on it are refused ERR_CHALLENGE_WINDOW_CLOSED; a reward_pool_id changed mid-report does not divert part 1; the pool closes the epoch", async (t) => {
  const { w, p } = await suite(t);
  const ids = Array.from({ length: 33 }, (_, i) => `f${i}.test.near`);
  const keys: Awaited<ReturnType<typeof addAttester>>[] = [];
  for (const id of ids) keys.push(await addAttester(w, id));
  await roomInEpoch(w);
  await activate(w);
  let now = await chainNow(w.worker);
  const v1 = ids.map((id, i) => sign(w, draft(w, id, now), keys[i]));
  t.false((await submit(w, v1)).failed);
  await activate(w, V2, W2);
  now = await chainNow(w.worker);
  const v2 = ids.map((id, i) => sign(w, draft(w, id, now, { model_version: V2, weights_sha256: W2 }), keys[i]));
  t.false((await submit(w, v2)).failed);
  const epoch = (await w.verifier.view<{ epoch: number }>("get_receipt", { receipt_id: 0 })).epoch;
  await w.worker.provider.fastForward(200);
  const report = () => w.relayer.callRaw(w.verifier, "report_usage", { epoch }, { gas: 200n * TGAS });
  const first = await report();
  t.false(first.failed, first.receiptFailureMessages.join());
  t.like(await w.pool.view<object>("get_epoch", { epoch }), { reports: 1, parts: 2 });

  // a day's window would put every receipt of the epoch inside it again, but a raise reopens nothing that had closed
  // (the verifier's challenges_closed_before_ns; the frozen report, ERR_REPORT_STARTED, stays behind it)
  const day = (24n * 3600n * SEC).toString();
  await w.dao.call(w.verifier, "update_settings", { settings: { challenge_window_ns: day } });
  const closedBefore = BigInt(
    (await w.verifier.view<{ challenges_closed_before_ns: string }>("get_config")).challenges_closed_before_ns,
  );
  const lastAccepted = BigInt(
    (await w.verifier.view<{ accepted_at: string }>("get_receipt", { receipt_id: 65 })).accepted_at,
  );
  t.true(lastAccepted < closedBefore, "every receipt of the epoch was closed when the window was raised");
  const watch = { contract: w.verifier, watch: [w.verifier, w.pool] };
  // a dispute (f1 contradicts f0's receipt 0) would uncount receipt 0 between the parts
  const other = sign(w, draft(w, ids[1], now, { input_sha256: v1[0].input_sha256 }), keys[1]);
  await refused(
    t,
    p,
    w.relayer,
    "challenge_receipt",
    { receipt_id: 0, conflicting: other },
    "ERR_CHALLENGE_WINDOW_CLOSED",
    {
      ...watch,
      deposit: 11n * 10n ** 23n,
    },
  );
  // an equivocation proof would void it (and slash) between the parts
  const twin = sign(w, draft(w, ids[0], now, { input_sha256: v1[0].input_sha256 }), keys[0]);
  await refused(
    t,
    p,
    w.relayer,
    "challenge_receipt",
    { receipt_id: 0, conflicting: twin },
    "ERR_CHALLENGE_WINDOW_CLOSED",
    watch,
  );
  // so would a DAO void, with or without a slash
  await refused(t, p, w.dao, "void_receipt", { receipt_id: 0, slash: true }, "ERR_CHALLENGE_WINDOW_CLOSED", watch);
  await refused(t, p, w.dao, "void_receipt", { receipt_id: 65 }, "ERR_CHALLENGE_WINDOW_CLOSED", watch);
  // no dispute can be open on a frozen epoch, so there is nothing to dismiss
  await refused(t, p, w.dao, "dismiss_dispute", { receipt_id: 0 }, "ERR_NOT_DISPUTED", watch);
  t.like(await w.verifier.view<object>("get_receipt", { receipt_id: 0 }), { status: "Accepted" });
  t.like(await w.verifier.view<object>("get_attester", { attester_id: ids[0] }), { status: "Active" });

  // the DAO moves to another reward pool mid-report: part 1 still goes where part 0 went
  const moved = await t.context.root.createSubAccount("movedpool", { initialBalance: NEAR });
  await w.dao.call(w.verifier, "update_settings", { reward_pool_id: moved.accountId });
  const second = await report();
  t.false(second.failed, second.receiptFailureMessages.join());
  t.is(second.parseResult<string>(), "Reported");
  const sent = second.logs.find((l) => l.includes('"usage_report_sent"'));
  t.true(sent?.includes(`"reward_pool_id":"${w.pool.accountId}"`), sent);
  const pe = await w.pool.view<{ usage: Record<string, number>; attester_receipts: number; reports: number }>(
    "get_epoch",
    { epoch },
  );
  t.deepEqual(pe.usage, { [`${MODEL}@${VERSION}`]: 33, [`${MODEL}@${V2}`]: 33 });
  t.is(pe.attester_receipts, 66);
  t.is(pe.reports, 2);
  const close = await w.relayer.callRaw(w.pool, "close_epoch", { epoch }, { gas: 100n * TGAS });
  t.false(close.failed, close.receiptFailureMessages.join());
  t.like(await w.verifier.view<object>("get_epoch_usage", { epoch }), { reward_pool_id: w.pool.accountId });
});

test("a 33rd model version in one verifier epoch (an epoch the pool could never take): refused ERR_TOO_MANY_MODELS at submit", async (t) => {
  const { worker, root } = t.context;
  const HOUR = 3600n * SEC;
  const w = await world(worker, root, { ...SETTINGS, epoch_length_ns: HOUR.toString() });
  const key = await addAttester(w, "busy.test.near");
  const now0 = await chainNow(worker);
  if (now0 % HOUR > HOUR - 300n * SEC) await worker.provider.fastForward(Number((HOUR - (now0 % HOUR)) / SEC) + 1);
  const weights = (i: number) => i.toString(16).padStart(64, "0");
  for (let i = 0; i < 32; i++) {
    await activate(w, `1.0.${i}`, weights(i));
    const now = await chainNow(worker);
    const r = await submit(w, [
      sign(w, draft(w, "busy.test.near", now, { model_version: `1.0.${i}`, weights_sha256: weights(i) }), key),
    ]);
    t.false(r.failed, r.receiptFailureMessages.join());
  }
  await activate(w, "1.0.32", weights(32));
  const now = await chainNow(worker);
  const receipt = sign(
    w,
    draft(w, "busy.test.near", now, { model_version: "1.0.32", weights_sha256: weights(32) }),
    key,
  );
  const p: PoolWorld = { worker, pool: w.pool, dao: w.dao, verifier: w.verifier, registry: w.registry, len: HOUR };
  await refused(t, p, w.relayer, "submit_receipts", { receipts: [receipt] }, "ERR_TOO_MANY_MODELS", {
    contract: w.verifier,
    deposit: RECEIPT_STORAGE_DEPOSIT,
    gas: 300n * TGAS,
  });
  const epoch = (await w.verifier.view<{ epoch: number }>("get_receipt", { receipt_id: 0 })).epoch;
  t.is(Object.keys((await w.verifier.view<{ models: object }>("get_epoch_usage", { epoch })).models).length, 32);
});

test("usage callback called directly (forge a pool success): refused as private", async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  const p: PoolWorld = { worker, pool: w.pool, dao: w.dao, verifier: w.verifier, registry: w.registry, len: LEN };
  await refused(t, p, w.relayer, "on_usage_reported", { epoch: 0, part: 0, attempt: 1 }, "Function is private", {
    contract: w.verifier,
  });
});

// ---- the pool's bounds ---------------------------------------------------------------------------------------------

let w: PoolWorld;
let D = 0;

test("pool set-up for the bound attacks", async (t) => {
  w = await deployPool(t.context.worker, t.context.root);
  D = Number((await chainNow(w.worker)) / w.len) - 200;
  t.pass();
});

const many = (n: number, prefix = "a"): [string, number][] =>
  Array.from({ length: n }, (_, i) => [`${prefix}${i}.test.near`, 1]);
const models = (n: number, from = 0): [string, [string, number][]][] =>
  Array.from({ length: n }, (_, i) => [`x${from + i}`, [["att.test.near", 1]]]);

test("report part with 65 attester entries (over the shared bound): refused ERR_BATCH_SIZE", async (t) => {
  await refused(t, w, w.verifier, "on_usage_report", part(w, D, [["m1", many(65)]]), "ERR_BATCH_SIZE");
});

test("report part with 65 attester entries spread over two models: refused ERR_BATCH_SIZE", async (t) => {
  const args = part(w, D, [
    ["m1", many(40)],
    ["m2", many(25, "b")],
  ]);
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_BATCH_SIZE");
});

test("report part with 33 model entries: refused ERR_BATCH_SIZE", async (t) => {
  await refused(t, w, w.verifier, "on_usage_report", part(w, D, models(33)), "ERR_BATCH_SIZE");
});

test("report announcing 65,537 parts (unbounded epoch record): refused ERR_INVALID_PART", async (t) => {
  const args = part(w, D, [["m1", many(1)]], { parts: 65537 });
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_PART");
});

test("report with receipts above 10^9 (overflowing counters): refused ERR_INVALID_RECEIPTS", async (t) => {
  await refused(
    t,
    w,
    w.verifier,
    "on_usage_report",
    part(w, D, [["m1", [["a.test.near", 1000000001]]]]),
    "ERR_INVALID_RECEIPTS",
  );
});

test("report padded with zero-receipt attester entries: refused ERR_INVALID_RECEIPTS", async (t) => {
  const args = part(w, D, [
    [
      "m1",
      [
        ["a.test.near", 1],
        ["b.test.near", 0],
      ],
    ],
  ]);
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_RECEIPTS");
});

test("report with a model entry without attester counts (usage nobody attested): refused ERR_INVALID_REPORT", async (t) => {
  const args = part(w, D, [["m1", []]]);
  args.usage[0].receipts = 5;
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_INVALID_REPORT");
});

test("a 33rd model version in one epoch (close would exceed its bound): refused ERR_TOO_MANY_MODELS", async (t) => {
  const r = await w.verifier.callRaw(w.pool, "on_usage_report", part(w, D, models(32), { parts: 2 }), {
    gas: 200n * TGAS,
  });
  t.false(r.failed, r.receiptFailureMessages.join());
  const args = part(w, D, models(1, 32), { part: 1, parts: 2 });
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_TOO_MANY_MODELS");
});

test("a 65th open epoch (unbounded close queue): refused ERR_TOO_MANY_OPEN_EPOCHS", async (t) => {
  // D is open already: 63 more, then one too many
  for (let e = D + 1; e <= D + 63; e++) {
    await w.verifier.call(w.pool, "on_usage_report", part(w, e, [["m1", [["a.test.near", 1]]]]), {
      gas: 100n * TGAS,
    });
  }
  const args = part(w, D + 64, [["m1", [["a.test.near", 1]]]]);
  await refused(t, w, w.verifier, "on_usage_report", args, "ERR_TOO_MANY_OPEN_EPOCHS");
});
