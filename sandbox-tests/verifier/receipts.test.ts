// Verifier stories: set-up by the DAO and the registry, one receipt, a batch of 50 (gas measured), views.
import { useWorker } from "../helpers/worker.ts";
import {
  activate,
  addAttester,
  assertPanics,
  BOND,
  chainNow,
  draft,
  events,
  gasOf,
  MODEL,
  NEAR,
  nextSeq,
  sign,
  submit,
  TGAS,
  tgas,
  WEIGHTS,
  VERSION,
  world,
} from "./fixture.ts";

// serial: every story creates accounts from the root account, and parallel creations race on its nonce
const test = useWorker().serial;

interface ReceiptView {
  id: number;
  hash: string;
  attester_id: string;
  status: string;
  relayer: string;
  epoch: number;
  nonce: string;
}

test("the DAO adds an attester with a bond, the registry activates a model, one receipt is accepted", async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  const key = await addAttester(w, "att1.test.near");
  const a = await w.verifier.view<{ status: string; bond: string; bond_owner: string; public_key: string }>(
    "get_attester",
    { attester_id: "att1.test.near" },
  );
  t.is(a.status, "Active");
  t.is(a.bond, BOND.toString());
  t.is(a.bond_owner, w.dao.accountId);
  t.is(a.public_key, key.public_key);
  await activate(w);
  t.like(await w.verifier.view<object>("get_active_model", {}), {
    model_name: MODEL,
    model_version: VERSION,
    weights_sha256: WEIGHTS,
  });

  const now = await chainNow(worker);
  const receipt = sign(w, draft(w, "att1.test.near", now), key);
  const before = BigInt((await w.relayer.balance()).total.toString());
  const r = await w.relayer.callRaw(
    w.verifier,
    "submit_receipt",
    { receipt },
    { attachedDeposit: NEAR, gas: 300n * TGAS },
  );
  t.true(r.succeeded, r.receiptFailureMessages.join(" | "));
  const gas = gasOf(r);
  t.log(`one receipt (submit_receipt, whole tx): ${tgas(gas)}`);
  t.true(gas <= 30n * TGAS, `one receipt costs ${tgas(gas)}, goal 30 Tgas`);
  t.is(r.parseResult<number>(), 0);
  // the 1 NEAR deposit is refunded but for the storage the receipt takes
  const spent = before - BigInt((await w.relayer.balance()).total.toString());
  t.log(`relayer paid ${spent} yoctoNEAR (storage and gas)`);
  t.true(spent < NEAR / 50n, `relayer spent ${spent}`);
  const ev = events(r);
  t.is(ev.length, 1);
  t.is(ev[0].standard, "ai-commons-verifier");
  t.is(ev[0].event, "receipts_accepted");
  t.like(ev[0].data[0], { id: 0, attester_id: "att1.test.near", nonce: receipt.nonce });

  const stored = await w.verifier.view<ReceiptView>("get_receipt", { receipt_id: 0 });
  t.like(stored, { id: 0, attester_id: "att1.test.near", status: "Accepted", relayer: w.relayer.accountId });
  t.is(stored.hash, ev[0].data[0].hash as string);
  t.deepEqual(
    await w.verifier.view("get_receipt_by_nonce", { attester_id: "att1.test.near", nonce: receipt.nonce }),
    stored,
  );
  t.deepEqual(await w.verifier.view("get_model_usage", {}), [
    { v: 1, model_name: MODEL, model_version: VERSION, weights_sha256: WEIGHTS, accepted: 1, voided: 0 },
  ]);
  const epoch = await w.verifier.view<{ models: Record<string, { receipts: number; by_attester: object }> }>(
    "get_epoch_usage",
    { epoch: stored.epoch },
  );
  t.deepEqual(epoch.models[`${MODEL}@${VERSION}`].by_attester, { "att1.test.near": 1 });
  t.like(await w.verifier.view("get_attester", { attester_id: "att1.test.near" }), { receipts: 1 });
});

test("a batch of 50 receipts from two attesters in one call; marginal gas per receipt", async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  const k1 = await addAttester(w, "att1.test.near");
  const k2 = await addAttester(w, "att2.test.near");
  await activate(w);
  const now = await chainNow(worker);
  const one = await submit(w, [sign(w, draft(w, "att1.test.near", now), k1)]);
  t.true(one.succeeded);
  const batch = Array.from({ length: 50 }, (_, i) =>
    i % 5 === 4 ? sign(w, draft(w, "att2.test.near", now), k2) : sign(w, draft(w, "att1.test.near", now), k1),
  );
  const usage = async () => Number((await w.verifier.accountView()).storage_usage);
  const bytesBefore = await usage();
  const r = await submit(w, batch);
  t.true(r.succeeded, r.receiptFailureMessages.join(" | "));
  const perReceipt = ((await usage()) - bytesBefore) / 50;
  t.log(`storage: ${perReceipt} bytes per receipt (${(perReceipt / 100000).toFixed(5)} NEAR, paid by the relayer)`);
  t.true(perReceipt < 1000);
  t.deepEqual(
    r.parseResult<number[]>(),
    Array.from({ length: 50 }, (_, i) => i + 1),
  );
  const g1 = gasOf(one);
  const g50 = gasOf(r);
  const marginal = (g50 - g1) / 49n;
  t.log(`batch of 1: ${tgas(g1)}; batch of 50: ${tgas(g50)}; marginal per receipt: ${tgas(marginal)}`);
  t.true(marginal <= (15n * TGAS) / 10n, `marginal ${tgas(marginal)}, goal 1.5 Tgas`);
  t.is(events(r)[0].data.length, 50);
  const page = await w.verifier.view<ReceiptView[]>("get_receipts", { from_index: 40, limit: 20 });
  t.deepEqual(
    page.map((x) => x.id),
    [40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50],
  );
  t.like(await w.verifier.view("get_config", {}), { receipts: 51, attesters: 2 });
  t.like(await w.verifier.view("get_attester", { attester_id: "att2.test.near" }), { receipts: 10 });
  t.like(await w.verifier.view("get_attester", { attester_id: "att1.test.near" }), { receipts: 41 });
  const attesters = await w.verifier.view<{ attester_id: string }[]>("get_attesters", { from_index: 1, limit: 5 });
  t.deepEqual(
    attesters.map((a) => a.attester_id),
    ["att2.test.near"],
  );
  t.like(await w.verifier.view("get_model_usage", {}), [{ accepted: 51 }]);
  // settings: only the DAO; the epoch length is fixed once receipts exist
  const s1 = await w.relayer.callRaw(w.verifier, "update_settings", { settings: { dispute_bond: "5" } });
  assertPanics(t, s1, "ERR_NOT_DAO");
  const s2 = await w.dao.callRaw(w.verifier, "update_settings", { settings: { epoch_length_ns: "120000000000" } });
  assertPanics(t, s2, "ERR_INVALID_SETTINGS", "epoch_length_ns");
  // the challenger's share of a slashed bond is gone (the whole bond goes back to the DAO): the key is unknown now
  const s3 = await w.dao.callRaw(w.verifier, "update_settings", { settings: { challenger_share_bps: 500 } });
  assertPanics(t, s3, "ERR_INVALID_SETTINGS", "unknown key challenger_share_bps");
  // below the floor (0.1 NEAR): refused
  const s5 = await w.dao.callRaw(w.verifier, "update_settings", { settings: { dispute_bond: "500" } });
  assertPanics(t, s5, "ERR_SETTING_BELOW_FLOOR", "dispute_bond");
  const bond = (2n * NEAR).toString();
  const s4 = await w.dao.callRaw(w.verifier, "update_settings", { settings: { dispute_bond: bond } });
  t.true(s4.succeeded);
  t.like(await w.verifier.view<{ settings: object }>("get_config", {}), { settings: { dispute_bond: bond } });
});

test("only the DAO manages attesters and only the registry sets the model", async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  const key = await addAttester(w, "att1.test.near");
  const r1 = await w.relayer.callRaw(
    w.verifier,
    "add_attester",
    { attester_id: "att9.test.near", public_key: key.public_key },
    { attachedDeposit: BOND },
  );
  assertPanics(t, r1, "ERR_NOT_DAO");
  assertPanics(
    t,
    await w.relayer.callRaw(w.verifier, "remove_attester", { attester_id: "att1.test.near" }),
    "ERR_NOT_DAO",
  );
  assertPanics(
    t,
    await w.dao.callRaw(w.verifier, "set_active_model", {
      model_name: MODEL,
      model_version: VERSION,
      weights_sha256: WEIGHTS,
      seq: nextSeq(),
    }),
    "ERR_NOT_MODEL_REGISTRY",
  );
  assertPanics(t, await w.dao.callRaw(w.verifier, "clear_active_model", { seq: nextSeq() }), "ERR_NOT_MODEL_REGISTRY");
  assertPanics(
    t,
    await w.registry.callRaw(w.verifier, "set_active_model", {
      model_name: MODEL,
      model_version: VERSION,
      weights_sha256: "x",
      seq: nextSeq(),
    }),
    "ERR_INVALID_HASH",
  );
  const low = await w.dao.callRaw(
    w.verifier,
    "add_attester",
    { attester_id: "att9.test.near", public_key: "cd".repeat(64) },
    { attachedDeposit: NEAR / 2n },
  );
  assertPanics(t, low, "ERR_BOND_TOO_LOW");
  const badKey = await w.dao.callRaw(
    w.verifier,
    "add_attester",
    { attester_id: "att9.test.near", public_key: `04${key.public_key}` },
    { attachedDeposit: BOND },
  );
  assertPanics(t, badKey, "ERR_INVALID_PUBLIC_KEY");
  const dup = await w.dao.callRaw(
    w.verifier,
    "add_attester",
    { attester_id: "att1.test.near", public_key: "cd".repeat(64) },
    { attachedDeposit: BOND },
  );
  assertPanics(t, dup, "ERR_ATTESTER_EXISTS");
  const reuse = await w.dao.callRaw(
    w.verifier,
    "add_attester",
    { attester_id: "att9.test.near", public_key: key.public_key },
    { attachedDeposit: BOND },
  );
  assertPanics(t, reuse, "ERR_KEY_IN_USE");
  t.like(await w.verifier.view("get_config", {}), { attesters: 1, bonds_total: BOND.toString() });
  const cleared = await w.registry.callRaw(w.verifier, "clear_active_model", { seq: nextSeq() });
  t.deepEqual(
    events(cleared).map((e) => e.event),
    ["model_cleared"],
  );
  t.is(await w.verifier.view("get_active_model", {}), null);
});
