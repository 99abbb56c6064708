// Challenges and DAO votes: equivocation proven by a conflicting receipt slashes at once; a conflict between two
// attesters opens a dispute the DAO settles; the DAO may void (and slash) within the window; bonds of removed
// attesters are released only after the window.
import { total } from "../helpers/tx.ts";
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
  sign,
  submit,
  TGAS,
  tgas,
  world,
} from "./fixture.ts";

// a dispute bond (1 NEAR by default) and room for its storage; the unused part is refunded
const DISPUTE = 11n * 10n ** 23n;

const test = useWorker().serial;

interface ReceiptView {
  status: string;
  epoch: number;
}

test("a conflicting receipt from the same attester voids the receipt and slashes the whole bond", async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  const k1 = await addAttester(w, "att1.test.near");
  await activate(w);
  const now = await chainNow(worker);
  const honest = sign(w, draft(w, "att1.test.near", now), k1);
  const other = sign(w, draft(w, "att1.test.near", now), k1);
  t.true((await submit(w, [honest, other])).succeeded);
  // same input commitment, another output: the attester signed two answers for one question
  const conflicting = sign(w, draft(w, "att1.test.near", now, { input_sha256: honest.input_sha256 }), k1);
  const challenger = await root.createSubAccount("challenger1");
  const daoBefore = await total(w.dao);
  const chBefore = await total(challenger);

  // not conflicting: same output, another model version, another input
  for (const [bad, why] of [
    [{ ...conflicting, output_sha256: honest.output_sha256 }, "same output"],
    [{ ...conflicting, model_version: "2.0.0" }, "another model version"],
    [{ ...conflicting, input_sha256: "aa".repeat(32) }, "another input"],
  ] as const) {
    const r = await challenger.callRaw(
      w.verifier,
      "challenge_receipt",
      { receipt_id: 0, conflicting: bad },
      { gas: 100n * TGAS },
    );
    assertPanics(t, r, "ERR_NOT_CONFLICTING", why);
  }
  const forged = await challenger.callRaw(
    w.verifier,
    "challenge_receipt",
    { receipt_id: 0, conflicting: { ...conflicting, nonce: "1" } },
    { gas: 100n * TGAS },
  );
  assertPanics(t, forged, "ERR_BAD_SIGNATURE", "conflicting");

  const r = await challenger.callRaw(
    w.verifier,
    "challenge_receipt",
    { receipt_id: 0, conflicting },
    { gas: 100n * TGAS },
  );
  t.true(r.succeeded, r.receiptFailureMessages.join());
  t.is(r.parseResult<string>(), "Slashed");
  t.log(`challenge with equivocation proof (void + slash + 2 transfers): ${tgas(gasOf(r))}`);
  t.deepEqual(
    events(r).map((e) => e.event),
    ["receipt_challenged", "receipt_voided", "attester_slashed"],
  );
  const slash = events(r)[2].data[0];
  t.is(slash.amount, BOND.toString());
  t.is(slash.to_challenger, "0");
  t.is(slash.to_dao, BOND.toString());
  t.is((await w.verifier.view<ReceiptView>("get_receipt", { receipt_id: 0 })).status, "Voided");
  t.is((await w.verifier.view<ReceiptView>("get_receipt", { receipt_id: 1 })).status, "Accepted");
  t.like(await w.verifier.view("get_attester", { attester_id: "att1.test.near" }), {
    status: "Slashed",
    bond: "0",
    voided: 1,
  });
  t.like(await w.verifier.view("get_config", {}), { bonds_total: "0" });
  t.like(await w.verifier.view("get_model_usage", {}), [{ model_name: MODEL, accepted: 2, voided: 1 }]);
  // the whole bond back to the DAO treasury that posted it; the challenger pays only its gas
  t.is((await total(w.dao)) - daoBefore, BOND);
  const spent = chBefore - (await total(challenger));
  t.true(spent > 0n && spent < 10n ** 22n, `challenger spent ${spent}`);

  // the slashed attester can submit nothing more, and the voided receipt cannot be challenged again
  const after = await submit(w, [sign(w, draft(w, "att1.test.near", await chainNow(worker)), k1)]);
  assertPanics(t, after, "ERR_ATTESTER_SLASHED");
  const again = await challenger.callRaw(
    w.verifier,
    "challenge_receipt",
    { receipt_id: 0, conflicting },
    { gas: 100n * TGAS },
  );
  assertPanics(t, again, "ERR_RECEIPT_NOT_CHALLENGEABLE");
  // receipt 1 is still Accepted, but its usage is withheld from the report: its attester is slashed
  const epoch = (await w.verifier.view<ReceiptView>("get_receipt", { receipt_id: 1 })).epoch;
  // (the report comes in parts: no part carries any usage)
  const parts = await w.verifier.view<{ usage: unknown[] }[]>("preview_usage_report", { epoch });
  t.deepEqual(
    parts.flatMap((p) => p.usage),
    [],
  );
});

test("a conflict between two attesters opens a dispute; the DAO dismisses it or voids and slashes", async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  const k1 = await addAttester(w, "att1.test.near");
  const k2 = await addAttester(w, "att2.test.near");
  await activate(w);
  const now = await chainNow(worker);
  const a = sign(w, draft(w, "att1.test.near", now), k1);
  const b = sign(w, draft(w, "att1.test.near", now), k1);
  t.true((await submit(w, [a, b])).succeeded);
  const epoch = (await w.verifier.view<ReceiptView>("get_receipt", { receipt_id: 0 })).epoch;
  // att2 answered the same (salted) question differently: one of them is wrong, the chain cannot tell which
  const c1 = sign(w, draft(w, "att2.test.near", now, { input_sha256: a.input_sha256 }), k2);
  const c2 = sign(w, draft(w, "att2.test.near", now, { input_sha256: b.input_sha256 }), k2);
  const d1 = await w.relayer.callRaw(
    w.verifier,
    "challenge_receipt",
    { receipt_id: 0, conflicting: c1 },
    { gas: 100n * TGAS, attachedDeposit: DISPUTE },
  );
  t.is(d1.parseResult<string>(), "Disputed");
  t.true(events(d1).some((e) => e.event === "dispute_opened"));
  const d2 = await w.relayer.callRaw(
    w.verifier,
    "challenge_receipt",
    { receipt_id: 1, conflicting: c2 },
    { gas: 100n * TGAS, attachedDeposit: DISPUTE },
  );
  t.is(d2.parseResult<string>(), "Disputed");
  t.like(await w.verifier.view("get_dispute", { receipt_id: 0 }), { conflicting_attester_id: "att2.test.near" });
  t.like(await w.verifier.view("get_epoch_usage", { epoch }), { open_disputes: 2 });
  t.like(await w.verifier.view("get_attester", { attester_id: "att1.test.near" }), {
    status: "Active",
    open_disputes: 2,
  });

  // only the DAO decides
  assertPanics(t, await w.relayer.callRaw(w.verifier, "dismiss_dispute", { receipt_id: 0 }), "ERR_NOT_DAO");
  assertPanics(t, await w.relayer.callRaw(w.verifier, "void_receipt", { receipt_id: 0 }), "ERR_NOT_DAO");

  const dismissed = await w.dao.callRaw(w.verifier, "dismiss_dispute", { receipt_id: 0 });
  t.true(dismissed.succeeded, dismissed.receiptFailureMessages.join());
  t.is((await w.verifier.view<ReceiptView>("get_receipt", { receipt_id: 0 })).status, "Accepted");
  // the dismissed dispute stays on record (the challenger's bond went to the DAO), so it cannot be re-opened
  t.like(await w.verifier.view("get_dispute", { receipt_id: 0 }), { dismissed: true });
  assertPanics(t, await w.dao.callRaw(w.verifier, "dismiss_dispute", { receipt_id: 0 }), "ERR_NOT_DISPUTED");

  const daoBefore = await total(w.dao);
  const voided = await w.dao.callRaw(w.verifier, "void_receipt", {
    receipt_id: 1,
    slash: true,
    reason: "re-run says att1 lied",
  });
  t.true(voided.succeeded, voided.receiptFailureMessages.join());
  t.deepEqual(
    events(voided).map((e) => e.event),
    ["dispute_upheld", "receipt_voided", "attester_slashed"],
  );
  t.is((await w.verifier.view<ReceiptView>("get_receipt", { receipt_id: 1 })).status, "Voided");
  t.like(await w.verifier.view("get_attester", { attester_id: "att1.test.near" }), {
    status: "Slashed",
    open_disputes: 0,
  });
  t.like(await w.verifier.view("get_epoch_usage", { epoch }), { open_disputes: 0 });
  // the whole bond goes to the treasury (the DAO pays a little gas for the call)
  const gained = (await total(w.dao)) - daoBefore;
  t.true(gained > BOND - 10n ** 22n && gained <= BOND, `dao gained ${gained}`);
  assertPanics(t, await w.dao.callRaw(w.verifier, "void_receipt", { receipt_id: 1 }), "ERR_ALREADY_VOIDED");
});

test("the DAO voids without slashing inside the window, not after; challenges close with the window", async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  const k1 = await addAttester(w, "att1.test.near");
  await activate(w);
  const now = await chainNow(worker);
  const list = [0, 1, 2].map(() => sign(w, draft(w, "att1.test.near", now), k1));
  t.true((await submit(w, list)).succeeded);
  const v = await w.dao.callRaw(w.verifier, "void_receipt", { receipt_id: 0, reason: "user complaint upheld" });
  t.true(v.succeeded);
  t.deepEqual(
    events(v).map((e) => e.event),
    ["receipt_voided"],
  );
  t.like(await w.verifier.view("get_attester", { attester_id: "att1.test.near" }), {
    status: "Active",
    bond: BOND.toString(),
  });
  await worker.provider.fastForward(130);
  assertPanics(t, await w.dao.callRaw(w.verifier, "void_receipt", { receipt_id: 1 }), "ERR_CHALLENGE_WINDOW_CLOSED");
  const conflicting = sign(w, draft(w, "att1.test.near", now, { input_sha256: list[2].input_sha256 }), k1);
  const late = await w.relayer.callRaw(
    w.verifier,
    "challenge_receipt",
    { receipt_id: 2, conflicting },
    { gas: 100n * TGAS },
  );
  assertPanics(t, late, "ERR_CHALLENGE_WINDOW_CLOSED");
  assertPanics(
    t,
    await w.relayer.callRaw(w.verifier, "challenge_receipt", { receipt_id: 99, conflicting }, { gas: 100n * TGAS }),
    "ERR_UNKNOWN_RECEIPT",
  );
});

test("a removed attester's bond stays slashable for one window, then anyone releases it to the DAO", async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  await addAttester(w, "att1.test.near");
  assertPanics(
    t,
    await w.relayer.callRaw(w.verifier, "release_bond", { attester_id: "att1.test.near" }),
    "ERR_ATTESTER_NOT_REMOVED",
  );
  const rm = await w.dao.callRaw(w.verifier, "remove_attester", { attester_id: "att1.test.near" });
  t.deepEqual(
    events(rm).map((e) => e.event),
    ["attester_removed"],
  );
  assertPanics(
    t,
    await w.dao.callRaw(w.verifier, "remove_attester", { attester_id: "att1.test.near" }),
    "ERR_ATTESTER_NOT_ACTIVE",
  );
  assertPanics(
    t,
    await w.relayer.callRaw(w.verifier, "release_bond", { attester_id: "att1.test.near" }),
    "ERR_BOND_LOCKED",
  );
  await worker.provider.fastForward(130);
  const daoBefore = await total(w.dao);
  const rel = await w.relayer.callRaw(w.verifier, "release_bond", { attester_id: "att1.test.near" });
  t.true(rel.succeeded, rel.receiptFailureMessages.join());
  t.is((await total(w.dao)) - daoBefore, BOND);
  t.like(await w.verifier.view("get_attester", { attester_id: "att1.test.near" }), { status: "Removed", bond: "0" });
  t.like(await w.verifier.view("get_config", {}), { bonds_total: "0" });
  assertPanics(
    t,
    await w.relayer.callRaw(w.verifier, "release_bond", { attester_id: "att1.test.near" }),
    "ERR_BOND_RELEASED",
  );
  // released: the DAO may bring it back with a new bond (its nonces stay spent)
  await addAttester(w, "att1.test.near");
  t.like(await w.verifier.view("get_attester", { attester_id: "att1.test.near" }), { status: "Active" });
});
