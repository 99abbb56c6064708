// Attacks on the inference verifier, each mounted as a user would through near-workspaces against the compiled
// wasm on the local node: forged, altered and replayed receipts, framing an honest attester with an ambiguous
// commitment, self-challenges that would pay the attester out of its own (treasury-funded) bond, dispute spam with
// nothing at risk, re-disputes, stale model pushes, attester-fee farming. Every refusal is checked with its ERR_
// code, a full dump of the verifier's storage before and after, and balances (the attacker loses only gas).
import { secp256k1 } from "@noble/curves/secp256k1";
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import type { ExecutionContext } from "ava";
import type { NearAccount, TransactionResult } from "near-workspaces";
import { InferenceAttester } from "../../attester/src/attester.ts";
import { loadVerified } from "../../attester/src/data.ts";
import { type Model, train } from "../../attester/src/model.ts";
import {
  type AttesterKey,
  canonicalReceipt,
  newKey,
  type SignedReceipt,
  type UnsignedReceipt,
} from "../../attester/src/receipt.ts";
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
  highS,
  MODEL,
  NEAR,
  nextSeq,
  SETTINGS,
  sign,
  stateDump,
  submit,
  TGAS,
  VERSION,
  verifierWasm,
  type World,
  world,
} from "../verifier/fixture.ts";

const test = useWorker().serial;

// what a disputer attaches: the 1 NEAR dispute bond (the default) and room for the dispute's storage
const DISPUTE = 11n * 10n ** 23n;
// attacker-side gas ceiling for one call (100 Tgas at the local node's gas price is 0.01 NEAR)
const MAX_GAS_COST = 10n ** 22n;
// docs/verifier.md "Attester fees": the reward pool's attester_fee must stay at or below this per receipt
const MAX_ATTESTER_FEE = 5n * 10n ** 21n;

interface Ctx {
  w: World;
  model: Model;
  weights: string;
  k1: AttesterKey;
  k2: AttesterKey;
  rogueKey: AttesterKey;
  mallory: NearAccount;
}

let c: Ctx;
let n = 0;

async function fresh(attester: string, over: Partial<UnsignedReceipt> = {}): Promise<UnsignedReceipt> {
  return draft(c.w, attester, await chainNow(c.w.worker), { weights_sha256: c.weights, ...over });
}

/** Signs and stores a receipt of `attester`; returns it with its id. */
async function accepted(attester: string, key: AttesterKey, over: Partial<UnsignedReceipt> = {}) {
  const r = sign(c.w, await fresh(attester, over), key);
  const res = await submit(c.w, [r]);
  if (res.failed) throw new Error(res.receiptFailureMessages.join(" | "));
  return { r, id: res.parseResult<number[]>()[0] };
}

async function newAttester(prefix: string): Promise<{ id: string; key: AttesterKey }> {
  n += 1;
  const id = `${prefix}${n}.test.near`;
  return { id, key: await addAttester(c.w, id) };
}

/**
 * Performs the attack and checks it was refused with `code`, that the verifier's storage is byte-for-byte the same,
 * that no one but the attacker's gas paid: the DAO's and verifier's balances unchanged (the verifier may only gain
 * its share of the gas), the attacker's deposit back.
 */
async function refused(
  t: ExecutionContext,
  from: NearAccount,
  method: string,
  args: Record<string, unknown>,
  code: string,
  detail?: string,
  deposit = 0n,
): Promise<TransactionResult> {
  const { w } = c;
  const before = await stateDump(w.worker, w.verifier.accountId);
  const [vb, db, ab] = [await total(w.verifier), await total(w.dao), await total(from)];
  const r = await from.callRaw(w.verifier, method, args, { gas: 100n * TGAS, attachedDeposit: deposit });
  assertPanics(t, r, code, detail);
  t.deepEqual(await stateDump(w.worker, w.verifier.accountId), before, "the verifier's storage changed");
  const vGain = (await total(w.verifier)) - vb;
  t.true(vGain >= 0n && vGain < MAX_GAS_COST, `verifier balance moved by ${vGain}`);
  if (from.accountId !== w.dao.accountId) t.is(await total(w.dao), db, "the DAO's balance changed");
  const spent = ab - (await total(from));
  t.true(spent > 0n && spent < MAX_GAS_COST, `attacker spent ${spent} (deposit not refunded?)`);
  return r;
}

function challenge(receipt_id: number, conflicting: unknown) {
  return { receipt_id, conflicting };
}

test.before(async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  const model = train(loadVerified().examples);
  const probe = new InferenceAttester({
    model,
    model_name: MODEL,
    model_version: VERSION,
    key: newKey(),
    attester_id: "x.test.near",
    community: w.dao.accountId,
    verifier_id: w.verifier.accountId,
  });
  const weights = probe.weights_sha256;
  await activate(w, VERSION, weights);
  const k1 = await addAttester(w, "att1.test.near");
  const k2 = await addAttester(w, "att2.test.near");
  // rogue: removed by the DAO and its bond released: it has nothing at stake any more
  const rogueKey = await addAttester(w, "rogue.test.near");
  const rm = await w.dao.callRaw(w.verifier, "remove_attester", { attester_id: "rogue.test.near" });
  if (rm.failed) throw new Error(rm.receiptFailureMessages.join());
  await worker.provider.fastForward(Number(BigInt(SETTINGS.challenge_window_ns) / 10n ** 9n) + 10);
  const rel = await w.relayer.callRaw(w.verifier, "release_bond", { attester_id: "rogue.test.near" });
  if (rel.failed) throw new Error(rel.receiptFailureMessages.join());
  const mallory = await root.createSubAccount("mallory", { initialBalance: 30n * NEAR });
  c = { w, model, weights, k1, k2, rogueKey, mallory };
});

// ---- forged, altered, replayed receipts ------------------------------------------------------------------------

test("relayer alters the output commitment of a signed receipt: refused ERR_BAD_SIGNATURE", async (t) => {
  const r = sign(c.w, await fresh("att1.test.near"), c.k1);
  const altered = { ...r, output_sha256: "00".repeat(32) };
  await refused(t, c.mallory, "submit_receipts", { receipts: [altered] }, "ERR_BAD_SIGNATURE", "receipts[0]", DISPUTE);
});

test("relayer moves a receipt to an older model version it names: refused ERR_MODEL_NOT_ACTIVE", async (t) => {
  const r = sign(c.w, await fresh("att1.test.near"), c.k1);
  await refused(t, c.mallory, "submit_receipt", { receipt: { ...r, model_version: "0.9.0" } }, "ERR_MODEL_NOT_ACTIVE");
});

test("relayer replays an accepted receipt: refused ERR_NONCE_USED", async (t) => {
  const { r } = await accepted("att1.test.near", c.k1);
  await refused(t, c.mallory, "submit_receipts", { receipts: [r] }, "ERR_NONCE_USED", "receipts[0]", DISPUTE);
});

test("relayer replays a receipt twice inside one batch: refused ERR_NONCE_USED", async (t) => {
  const r = sign(c.w, await fresh("att1.test.near"), c.k1);
  await refused(t, c.mallory, "submit_receipts", { receipts: [r, r] }, "ERR_NONCE_USED", "receipts[1]", DISPUTE);
});

test("relayer replays a receipt signed for another verifier deployment: refused ERR_BAD_SIGNATURE", async (t) => {
  const r = sign(c.w, await fresh("att1.test.near"), c.k1, "other-verifier.test.near");
  await refused(t, c.mallory, "submit_receipt", { receipt: r }, "ERR_BAD_SIGNATURE", "receipts[0]", DISPUTE);
});

test("relayer retargets a receipt to another community: refused ERR_WRONG_COMMUNITY", async (t) => {
  const r = sign(c.w, await fresh("att1.test.near", { community: "other-dao.test.near" }), c.k1);
  await refused(t, c.mallory, "submit_receipt", { receipt: r }, "ERR_WRONG_COMMUNITY", "receipts[0]", DISPUTE);
});

test("relayer submits the high-s twin of an accepted receipt's signature: refused ERR_BAD_SIGNATURE", async (t) => {
  const r = sign(c.w, await fresh("att1.test.near"), c.k1);
  await refused(t, c.mallory, "submit_receipt", { receipt: highS(r) }, "ERR_BAD_SIGNATURE", "receipts[0]", DISPUTE);
});

test("attester signs receipts under another attester's id: refused ERR_BAD_SIGNATURE", async (t) => {
  const r = sign(c.w, await fresh("att2.test.near"), c.k1);
  await refused(t, c.mallory, "submit_receipt", { receipt: r }, "ERR_BAD_SIGNATURE", "receipts[0]", DISPUTE);
});

test("removed attester with a released bond keeps relaying receipts: refused ERR_ATTESTER_REMOVED", async (t) => {
  const r = sign(c.w, await fresh("rogue.test.near"), c.rogueKey);
  await refused(t, c.mallory, "submit_receipt", { receipt: r }, "ERR_ATTESTER_REMOVED", "receipts[0]", DISPUTE);
});

test("attester back-dates a receipt past the age window: refused ERR_TIMESTAMP_TOO_OLD", async (t) => {
  const old = (await chainNow(c.w.worker)) - BigInt(SETTINGS.max_receipt_age_ns) - 10n ** 10n;
  const r = sign(c.w, await fresh("att1.test.near", { timestamp: old.toString() }), c.k1);
  await refused(t, c.mallory, "submit_receipt", { receipt: r }, "ERR_TIMESTAMP_TOO_OLD", "receipts[0]", DISPUTE);
});

// ---- framing an honest attester with an ambiguous commitment (finding 4) ----------------------------------------

/** att1 (honest) answers `question` with a salt of 32 `saltByte`s at the chain's time; the receipt is accepted. */
async function honestAnswer(nonceBase: bigint, saltByte: string, question: string) {
  const now = await chainNow(c.w.worker);
  const honest = new InferenceAttester({
    model: c.model,
    model_name: MODEL,
    model_version: VERSION,
    key: c.k1,
    attester_id: "att1.test.near",
    community: c.w.dao.accountId,
    verifier_id: c.w.verifier.accountId,
    next_nonce: nonceBase + BigInt(Date.now() % 1_000_000),
    clock: () => now,
  });
  const salt = hexToBytes(saltByte.repeat(32));
  const first = honest.attest(question, salt);
  const res = await submit(c.w, [first.receipt]);
  if (!res.succeeded) throw new Error(`the honest receipt was refused: ${res.receiptFailureMessages.join()}`);
  return { honest, salt, first, id: res.parseResult<number[]>()[0] };
}

test("user frames an honest attester with a salt-shifted question (S||'h', 'ow...'): refused ERR_SALT_LENGTH, then ERR_NOT_CONFLICTING", async (t) => {
  const { honest, salt, first, id } = await honestAnswer(9_000_000n, "5a", "how do I vote on the budget");
  // under v1 (any salt length) this second question had the same input commitment and another answer
  const shifted = new Uint8Array([...salt, 0x68]);
  t.throws(() => honest.attest("ow do I vote on the budget", shifted), { message: /^ERR_SALT_LENGTH/ });
  // with a 32-byte salt the shifted question commits differently, so the honest answers never conflict
  const second = honest.attest("ow do I vote on the budget", shifted.subarray(1));
  t.not(second.receipt.input_sha256, first.receipt.input_sha256);
  await refused(t, c.mallory, "challenge_receipt", challenge(id, second.receipt), "ERR_NOT_CONFLICTING", "input");
  t.like(await c.w.verifier.view("get_attester", { attester_id: "att1.test.near" }), {
    status: "Active",
    bond: BOND.toString(),
  });
});

test("user frames an honest attester with a lone surrogate that encodes like U+FFFD: refused ERR_INPUT_NOT_UNICODE", async (t) => {
  const { honest, salt, id } = await honestAnswer(8_000_000n, "6b", "\uFFFD how do I vote");
  // "\uD800" and "\uFFFD" are the same UTF-8 bytes (a lone surrogate encodes as U+FFFD) but another model input
  t.is(bytesToHex(new TextEncoder().encode("\uD800")), bytesToHex(new TextEncoder().encode("\uFFFD")));
  t.throws(() => honest.attest("\uD800 how do I vote", salt), { message: /^ERR_INPUT_NOT_UNICODE/ });
  // what the user can get instead is the same question, hence the same answer: not a conflict
  const again = honest.attest("\uFFFD how do I vote", salt);
  await refused(t, c.mallory, "challenge_receipt", challenge(id, again.receipt), "ERR_NOT_CONFLICTING", "same output");
});

test("user presents two pre-v2 (v1-domain) receipts with ambiguous commitments as equivocation: refused ERR_BAD_SIGNATURE", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  // an old attester build signed v1 text; v1 receipts no longer verify anywhere
  const v1 = await fresh("att1.test.near", { input_sha256: r.input_sha256 });
  const text = canonicalReceipt(c.w.verifier.accountId, v1).replace("ai-commons-receipt-v2", "ai-commons-receipt-v1");
  const sig = secp256k1.sign(sha256(new TextEncoder().encode(text)), hexToBytes(c.k1.private_key), { lowS: true });
  const old: SignedReceipt = { ...v1, signature: sig.toCompactHex(), recovery_id: sig.recovery };
  await refused(t, c.mallory, "challenge_receipt", challenge(id, old), "ERR_BAD_SIGNATURE", "conflicting");
  await refused(t, c.mallory, "submit_receipt", { receipt: old }, "ERR_BAD_SIGNATURE", "receipts[0]", DISPUTE);
});

test("challenger forges an equivocation proof by altering the honest receipt's output: refused ERR_BAD_SIGNATURE", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const forged = { ...r, nonce: "77", output_sha256: "11".repeat(32) };
  await refused(t, c.mallory, "challenge_receipt", challenge(id, forged), "ERR_BAD_SIGNATURE", "conflicting");
});

test("challenger presents the receipt itself (same output) as equivocation: refused ERR_NOT_CONFLICTING", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  await refused(t, c.mallory, "challenge_receipt", challenge(id, r), "ERR_NOT_CONFLICTING", "same output");
});

test("challenger uses the attester's answer for another model version as equivocation: refused ERR_NOT_CONFLICTING", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const other = sign(
    c.w,
    await fresh("att1.test.near", { input_sha256: r.input_sha256, model_version: "2.0.0" }),
    c.k1,
  );
  await refused(t, c.mallory, "challenge_receipt", challenge(id, other), "ERR_NOT_CONFLICTING", "model version");
});

test("challenger uses a conflicting receipt over other weights: refused ERR_WEIGHTS_MISMATCH", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const other = sign(
    c.w,
    await fresh("att1.test.near", { input_sha256: r.input_sha256, weights_sha256: "cd".repeat(32) }),
    c.k1,
  );
  await refused(t, c.mallory, "challenge_receipt", challenge(id, other), "ERR_WEIGHTS_MISMATCH", "conflicting");
});

test("challenger uses an equivocation signed for another verifier deployment: refused ERR_BAD_SIGNATURE", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const other = sign(c.w, await fresh("att1.test.near", { input_sha256: r.input_sha256 }), c.k1, "elsewhere.test.near");
  await refused(t, c.mallory, "challenge_receipt", challenge(id, other), "ERR_BAD_SIGNATURE", "conflicting");
});

test("challenger disputes with a receipt from an unregistered key: refused ERR_UNKNOWN_ATTESTER", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const other = sign(c.w, await fresh("nobody.test.near", { input_sha256: r.input_sha256 }), newKey());
  const args = challenge(id, other);
  await refused(t, c.mallory, "challenge_receipt", args, "ERR_UNKNOWN_ATTESTER", "nobody.test.near", DISPUTE);
});

// ---- self-challenge (finding 7) --------------------------------------------------------------------------------

test("attester self-challenges its own equivocation from a side account after removal: whole bond to the DAO, side account gains nothing", async (t) => {
  const { id: cheat, key } = await newAttester("cheat");
  const { r, id } = await accepted(cheat, key);
  const rm = await c.w.dao.callRaw(c.w.verifier, "remove_attester", { attester_id: cheat });
  t.true(rm.succeeded);
  // the attester signs a second answer to the same question and "proves" it from a side account, deposit attached
  const twin = sign(c.w, await fresh(cheat, { input_sha256: r.input_sha256 }), key);
  const side = c.mallory;
  const [daoBefore, sideBefore, bondsBefore] = [
    await total(c.w.dao),
    await total(side),
    BigInt((await c.w.verifier.view<{ bonds_total: string }>("get_config", {})).bonds_total),
  ];
  const res = await side.callRaw(c.w.verifier, "challenge_receipt", challenge(id, twin), {
    gas: 100n * TGAS,
    attachedDeposit: NEAR,
  });
  t.true(res.succeeded, res.receiptFailureMessages.join());
  t.is(res.parseResult<string>(), "Slashed");
  const slash = events(res).find((e) => e.event === "attester_slashed")?.data[0];
  t.like(slash, { amount: BOND.toString(), to_challenger: "0", to_dao: BOND.toString(), challenger: side.accountId });
  t.is((await total(c.w.dao)) - daoBefore, BOND);
  const spent = sideBefore - (await total(side));
  t.true(spent > 0n && spent < MAX_GAS_COST, `side account moved by ${-spent} (the deposit must come back)`);
  t.like(await c.w.verifier.view("get_config", {}), { bonds_total: (bondsBefore - BOND).toString() });
});

test("slashed attester proves a second equivocation to collect again: nothing paid, no transfer", async (t) => {
  const { id: cheat, key } = await newAttester("cheat");
  const a = await accepted(cheat, key);
  const b = await accepted(cheat, key);
  const twinA = sign(c.w, await fresh(cheat, { input_sha256: a.r.input_sha256 }), key);
  const twinB = sign(c.w, await fresh(cheat, { input_sha256: b.r.input_sha256 }), key);
  t.true(
    (await c.mallory.callRaw(c.w.verifier, "challenge_receipt", challenge(a.id, twinA), { gas: 100n * TGAS }))
      .succeeded,
  );
  const [daoBefore, vBefore, mBefore] = [await total(c.w.dao), await total(c.w.verifier), await total(c.mallory)];
  const res = await c.mallory.callRaw(c.w.verifier, "challenge_receipt", challenge(b.id, twinB), { gas: 100n * TGAS });
  t.true(res.succeeded, res.receiptFailureMessages.join());
  t.false(events(res).some((e) => e.event === "attester_slashed"));
  t.is(await total(c.w.dao), daoBefore);
  t.true((await total(c.w.verifier)) >= vBefore);
  t.true(mBefore - (await total(c.mallory)) > 0n);
  // and the first proof cannot be replayed
  await refused(t, c.mallory, "challenge_receipt", challenge(a.id, twinA), "ERR_RECEIPT_NOT_CHALLENGEABLE", "Voided");
});

test("attester pays itself a share by raising challenger_share_bps through settings: refused ERR_INVALID_SETTINGS", async (t) => {
  const args = { settings: { challenger_share_bps: 10000 } };
  await refused(t, c.w.dao, "update_settings", args, "ERR_INVALID_SETTINGS", "unknown key challenger_share_bps");
});

// ---- dispute griefing (finding 8) ------------------------------------------------------------------------------

test("released attester (bond 0) disputes an honest receipt with nothing at risk: refused ERR_DISPUTE_BOND", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  t.like(await c.w.verifier.view("get_attester", { attester_id: "rogue.test.near" }), { status: "Removed", bond: "0" });
  const lie = sign(c.w, await fresh("rogue.test.near", { input_sha256: r.input_sha256 }), c.rogueKey);
  await refused(t, c.mallory, "challenge_receipt", challenge(id, lie), "ERR_DISPUTE_BOND", "dispute bond");
});

test("disputer attaches the bond but not the dispute's storage: refused ERR_DISPUTE_BOND", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const lie = sign(c.w, await fresh("rogue.test.near", { input_sha256: r.input_sha256 }), c.rogueKey);
  await refused(t, c.mallory, "challenge_receipt", challenge(id, lie), "ERR_DISPUTE_BOND", "required", NEAR);
});

test("dispute spam: every dispute locks a bond and pays its own storage, the verifier pays nothing", async (t) => {
  const list = [await accepted("att1.test.near", c.k1), await accepted("att1.test.near", c.k1)];
  for (const { r, id } of list) {
    const lie = sign(c.w, await fresh("rogue.test.near", { input_sha256: r.input_sha256 }), c.rogueKey);
    const cfg0 = await c.w.verifier.view<{ dispute_bonds_total: string }>("get_config", {});
    const [vb, mb] = [await total(c.w.verifier), await total(c.mallory)];
    const usage0 = BigInt((await c.w.verifier.accountView()).storage_usage);
    const res = await c.mallory.callRaw(c.w.verifier, "challenge_receipt", challenge(id, lie), {
      gas: 100n * TGAS,
      attachedDeposit: DISPUTE,
    });
    t.true(res.succeeded, res.receiptFailureMessages.join());
    t.is(res.parseResult<string>(), "Disputed");
    const grown = BigInt((await c.w.verifier.accountView()).storage_usage) - usage0;
    const d = await c.w.verifier.view<{ bond: string; storage_deposit: string; challenger: string }>("get_dispute", {
      receipt_id: id,
    });
    t.is(d.bond, NEAR.toString());
    t.is(d.challenger, c.mallory.accountId);
    // the challenger paid for at least every byte the dispute added
    t.true(BigInt(d.storage_deposit) >= grown * 10n ** 19n, `paid ${d.storage_deposit} for ${grown} bytes`);
    const cfg1 = await c.w.verifier.view<{ dispute_bonds_total: string }>("get_config", {});
    t.is(BigInt(cfg1.dispute_bonds_total) - BigInt(cfg0.dispute_bonds_total), NEAR);
    // the verifier gained bond + storage deposit; the rest of the deposit went back to the challenger
    t.true((await total(c.w.verifier)) - vb >= NEAR + BigInt(d.storage_deposit));
    const spent = mb - (await total(c.mallory));
    t.true(spent >= NEAR + BigInt(d.storage_deposit) && spent < NEAR + BigInt(d.storage_deposit) + MAX_GAS_COST);
  }
  // the DAO dismisses both: the spammer's bonds go to the treasury
  for (const { id } of list) {
    const daoBefore = await total(c.w.dao);
    const res = await c.w.dao.callRaw(c.w.verifier, "dismiss_dispute", { receipt_id: id });
    t.true(res.succeeded, res.receiptFailureMessages.join());
    t.like(events(res)[0].data[0], { receipt_id: id, challenger: c.mallory.accountId, forfeited: NEAR.toString() });
    const gained = (await total(c.w.dao)) - daoBefore;
    t.true(gained > NEAR - MAX_GAS_COST && gained <= NEAR, `dao gained ${gained}`);
  }
});

test("re-dispute of a dismissed receipt with the same lie: refused ERR_DISPUTE_DISMISSED", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const lie = sign(c.w, await fresh("rogue.test.near", { input_sha256: r.input_sha256 }), c.rogueKey);
  const opts = { gas: 100n * TGAS, attachedDeposit: DISPUTE };
  t.true((await c.mallory.callRaw(c.w.verifier, "challenge_receipt", challenge(id, lie), opts)).succeeded);
  t.true((await c.w.dao.callRaw(c.w.verifier, "dismiss_dispute", { receipt_id: id })).succeeded);
  await refused(t, c.mallory, "challenge_receipt", challenge(id, lie), "ERR_DISPUTE_DISMISSED", String(id), DISPUTE);
  t.like(await c.w.verifier.view("get_receipt", { receipt_id: id }), { status: "Accepted" });
});

test("re-dispute of a dismissed receipt from another account with another attester's answer: refused ERR_DISPUTE_DISMISSED", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const lie = sign(c.w, await fresh("rogue.test.near", { input_sha256: r.input_sha256 }), c.rogueKey);
  const opts = { gas: 100n * TGAS, attachedDeposit: DISPUTE };
  t.true((await c.mallory.callRaw(c.w.verifier, "challenge_receipt", challenge(id, lie), opts)).succeeded);
  t.true((await c.w.dao.callRaw(c.w.verifier, "dismiss_dispute", { receipt_id: id })).succeeded);
  const other = sign(c.w, await fresh("att2.test.near", { input_sha256: r.input_sha256 }), c.k2);
  await refused(t, c.w.relayer, "challenge_receipt", challenge(id, other), "ERR_DISPUTE_DISMISSED", undefined, DISPUTE);
});

test("second dispute stacked on an open dispute to lock a second bond: refused ERR_RECEIPT_NOT_CHALLENGEABLE", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const lie = sign(c.w, await fresh("rogue.test.near", { input_sha256: r.input_sha256 }), c.rogueKey);
  const opts = { gas: 100n * TGAS, attachedDeposit: DISPUTE };
  t.true((await c.mallory.callRaw(c.w.verifier, "challenge_receipt", challenge(id, lie), opts)).succeeded);
  const other = sign(c.w, await fresh("att2.test.near", { input_sha256: r.input_sha256 }), c.k2);
  const args = challenge(id, other);
  await refused(t, c.w.relayer, "challenge_receipt", args, "ERR_RECEIPT_NOT_CHALLENGEABLE", "Disputed", DISPUTE);
  // the DAO upholds the dispute: the challenger gets its bond and storage deposit back in full
  const d = await c.w.verifier.view<{ bond: string; storage_deposit: string }>("get_dispute", { receipt_id: id });
  const mb = await total(c.mallory);
  const res = await c.w.dao.callRaw(c.w.verifier, "void_receipt", { receipt_id: id, reason: "re-run agrees" });
  t.true(res.succeeded, res.receiptFailureMessages.join());
  const refund = BigInt(d.bond) + BigInt(d.storage_deposit);
  const upheld = events(res)[0];
  t.is(upheld.event, "dispute_upheld");
  t.like(upheld.data[0], { receipt_id: id, challenger: c.mallory.accountId, refund: refund.toString() });
  t.is((await total(c.mallory)) - mb, refund);
  t.is(await c.w.verifier.view("get_dispute", { receipt_id: id }), null);
});

test("challenger dismisses its own losing dispute to dodge the forfeit: refused ERR_NOT_DAO", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const lie = sign(c.w, await fresh("rogue.test.near", { input_sha256: r.input_sha256 }), c.rogueKey);
  const opts = { gas: 100n * TGAS, attachedDeposit: DISPUTE };
  t.true((await c.mallory.callRaw(c.w.verifier, "challenge_receipt", challenge(id, lie), opts)).succeeded);
  await refused(t, c.mallory, "void_receipt", { receipt_id: id }, "ERR_NOT_DAO");
  await refused(t, c.mallory, "dismiss_dispute", { receipt_id: id }, "ERR_NOT_DAO");
  t.true((await c.w.dao.callRaw(c.w.verifier, "dismiss_dispute", { receipt_id: id })).succeeded);
  await refused(t, c.w.dao, "dismiss_dispute", { receipt_id: id }, "ERR_NOT_DISPUTED");
});

// ---- stale model pushes ----------------------------------------------------------------------------------------

function pushSet(version: string, weights: string, seq: unknown) {
  return { model_name: MODEL, model_version: version, weights_sha256: weights, seq };
}

test("older set_active_model push landing after a newer one: refused ERR_STALE_MODEL_PUSH, the newer model stays", async (t) => {
  const older = nextSeq();
  const newer = nextSeq();
  const res = await c.w.registry.callRaw(c.w.verifier, "set_active_model", pushSet(VERSION, c.weights, newer));
  t.true(res.succeeded, res.receiptFailureMessages.join());
  const args = pushSet("0.9.0", "ef".repeat(32), older);
  await refused(t, c.w.registry, "set_active_model", args, "ERR_STALE_MODEL_PUSH", `last applied ${newer}`);
  t.like(await c.w.verifier.view("get_active_model", {}), { model_version: VERSION, weights_sha256: c.weights });
  t.like(await c.w.verifier.view("get_config", {}), { active_seq: newer });
});

test("registry push replayed with the same seq: refused ERR_STALE_MODEL_PUSH", async (t) => {
  const seq = (await c.w.verifier.view<{ active_seq: number }>("get_config", {})).active_seq;
  const args = pushSet(VERSION, c.weights, seq);
  await refused(t, c.w.registry, "set_active_model", args, "ERR_STALE_MODEL_PUSH");
});

test("older clear_active_model landing after a newer activation: refused ERR_STALE_MODEL_PUSH, receipts still accepted", async (t) => {
  const older = nextSeq();
  const newer = nextSeq();
  const res = await c.w.registry.callRaw(c.w.verifier, "set_active_model", pushSet(VERSION, c.weights, newer));
  t.true(res.succeeded);
  await refused(t, c.w.registry, "clear_active_model", { seq: older }, "ERR_STALE_MODEL_PUSH");
  await accepted("att1.test.near", c.k1);
});

test("unnumbered or malformed model push: refused ERR_INVALID_SEQ", async (t) => {
  for (const seq of [undefined, 0, -1, "99", 1.5]) {
    const args = pushSet("0.9.0", "ef".repeat(32), seq);
    await refused(t, c.w.registry, "set_active_model", args, "ERR_INVALID_SEQ");
  }
  await refused(t, c.w.registry, "clear_active_model", {}, "ERR_INVALID_SEQ");
});

test("outsider pushes a huge seq to lock the registry out of later pushes: refused ERR_NOT_MODEL_REGISTRY", async (t) => {
  const args = pushSet(VERSION, c.weights, Number.MAX_SAFE_INTEGER);
  await refused(t, c.mallory, "set_active_model", args, "ERR_NOT_MODEL_REGISTRY");
  await refused(t, c.mallory, "clear_active_model", { seq: Number.MAX_SAFE_INTEGER }, "ERR_NOT_MODEL_REGISTRY");
});

// ---- attester fee farming --------------------------------------------------------------------------------------

test("attester self-relays fake receipts to farm attester fees: each receipt locks more storage than the fee bound pays", async (t) => {
  // an attester can sign answers to questions no one asked and relay them itself; what it pays per receipt is the
  // storage the verifier keeps forever, which must exceed the pool's attester_fee (docs/verifier.md)
  const batch = [];
  for (let i = 0; i < 10; i++) batch.push(sign(c.w, await fresh("att1.test.near"), c.k1));
  const before = await total(c.mallory);
  const usage0 = BigInt((await c.w.verifier.accountView()).storage_usage);
  const res = await c.mallory.callRaw(
    c.w.verifier,
    "submit_receipts",
    { receipts: batch },
    { attachedDeposit: NEAR, gas: 100n * TGAS },
  );
  t.true(res.succeeded, res.receiptFailureMessages.join());
  const kept = before - (await total(c.mallory));
  const grown = BigInt((await c.w.verifier.accountView()).storage_usage) - usage0;
  t.true(grown * 10n ** 19n >= 10n * MAX_ATTESTER_FEE, `10 receipts took only ${grown} bytes`);
  t.true(kept >= 10n * MAX_ATTESTER_FEE, `relayer paid ${kept} for 10 receipts`);
});

// ---- more receipt and challenge abuse ----------------------------------------------------------------------------

test("attester re-signs another answer under a used nonce to overwrite its receipt: refused ERR_NONCE_USED", async (t) => {
  const { r } = await accepted("att1.test.near", c.k1);
  const over = sign(c.w, await fresh("att1.test.near", { nonce: r.nonce, input_sha256: r.input_sha256 }), c.k1);
  await refused(t, c.mallory, "submit_receipt", { receipt: over }, "ERR_NONCE_USED", "receipts[0]", DISPUTE);
});

test("challenger sends a conflicting receipt with recovery id 2 to abort ecrecover: refused ERR_INVALID_SIGNATURE", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const twin = sign(c.w, await fresh("att1.test.near", { input_sha256: r.input_sha256 }), c.k1);
  const args = challenge(id, { ...twin, recovery_id: 2 });
  await refused(t, c.mallory, "challenge_receipt", args, "ERR_INVALID_SIGNATURE", "recovery_id");
});

test("challenger sends a non-object or an unknown receipt id: refused ERR_INVALID_RECEIPT / ERR_INVALID_RECEIPT_ID", async (t) => {
  const { id } = await accepted("att1.test.near", c.k1);
  await refused(t, c.mallory, "challenge_receipt", challenge(id, "x"), "ERR_INVALID_RECEIPT", "conflicting");
  await refused(t, c.mallory, "challenge_receipt", challenge(-1, {}), "ERR_INVALID_RECEIPT_ID");
  await refused(t, c.mallory, "challenge_receipt", challenge(1_000_000, {}), "ERR_UNKNOWN_RECEIPT");
});

test("forfeited dispute bond reclaimed by getting the receipt voided later: no refund, the dismissal stays", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const lie = sign(c.w, await fresh("rogue.test.near", { input_sha256: r.input_sha256 }), c.rogueKey);
  const opts = { gas: 100n * TGAS, attachedDeposit: DISPUTE };
  t.true((await c.mallory.callRaw(c.w.verifier, "challenge_receipt", challenge(id, lie), opts)).succeeded);
  t.true((await c.w.dao.callRaw(c.w.verifier, "dismiss_dispute", { receipt_id: id })).succeeded);
  const mb = await total(c.mallory);
  const v = await c.w.dao.callRaw(c.w.verifier, "void_receipt", { receipt_id: id, reason: "other complaint" });
  t.true(v.succeeded, v.receiptFailureMessages.join());
  t.false(events(v).some((e) => e.event === "dispute_upheld"));
  t.is(await total(c.mallory), mb);
  t.like(await c.w.verifier.view("get_dispute", { receipt_id: id }), {
    dismissed: true,
    challenger: c.mallory.accountId,
  });
});

test("attester under dispute gets removed and releases its bond before the DAO decides: refused ERR_OPEN_DISPUTES", async (t) => {
  const { id: shady, key } = await newAttester("shady");
  const { r, id } = await accepted(shady, key);
  const other = sign(c.w, await fresh("att2.test.near", { input_sha256: r.input_sha256 }), c.k2);
  const opts = { gas: 100n * TGAS, attachedDeposit: DISPUTE };
  t.true((await c.w.relayer.callRaw(c.w.verifier, "challenge_receipt", challenge(id, other), opts)).succeeded);
  t.true((await c.w.dao.callRaw(c.w.verifier, "remove_attester", { attester_id: shady })).succeeded);
  await refused(t, c.mallory, "release_bond", { attester_id: shady }, "ERR_OPEN_DISPUTES", "1 open");
  t.like(await c.w.verifier.view("get_attester", { attester_id: shady }), { bond: BOND.toString(), open_disputes: 1 });
});

test("the verifier stays solvent after the attacks: balance covers storage, attester bonds and dispute bonds", async (t) => {
  const view = await c.w.verifier.accountView();
  const cfg = await c.w.verifier.view<{ bonds_total: string; dispute_bonds_total: string }>("get_config", {});
  const storage = BigInt(view.storage_usage) * 10n ** 19n;
  const held = BigInt(cfg.bonds_total) + BigInt(cfg.dispute_bonds_total);
  t.true(BigInt(cfg.dispute_bonds_total) > 0n, "some disputes are open");
  t.true(BigInt(view.amount) >= storage + held, `balance ${view.amount} < storage ${storage} + held ${held}`);
});

test("challenger disputes after the challenge window to freeze a final epoch: refused ERR_CHALLENGE_WINDOW_CLOSED", async (t) => {
  const { r, id } = await accepted("att1.test.near", c.k1);
  const other = sign(c.w, await fresh("att2.test.near", { input_sha256: r.input_sha256 }), c.k2);
  await c.w.worker.provider.fastForward(Number(BigInt(SETTINGS.challenge_window_ns) / 10n ** 9n) + 10);
  const args = challenge(id, other);
  await refused(t, c.mallory, "challenge_receipt", args, "ERR_CHALLENGE_WINDOW_CLOSED", undefined, DISPUTE);
});

// ---- settings below their floors (contracts/inference-verifier/contract.ts) --------------------------------------

const FLOOR_CASES: [string, Record<string, string>, string][] = [
  ["free disputes (dispute_bond 0)", { dispute_bond: "0" }, "dispute_bond"],
  [
    "disputes for a token (dispute_bond 0.1 NEAR - 1 yocto)",
    { dispute_bond: (10n ** 23n - 1n).toString() },
    "dispute_bond",
  ],
  ["fraud proofs disabled (challenge_window_ns 0)", { challenge_window_ns: "0" }, "challenge_window_ns"],
  ["a window no watcher can meet (59 s)", { challenge_window_ns: "59000000000" }, "challenge_window_ns"],
  ["attesters with nothing at stake (min_bond 0)", { min_bond: "0" }, "min_bond"],
];

for (const [what, settings, key] of FLOOR_CASES) {
  test(`DAO sets ${what}: refused ERR_SETTING_BELOW_FLOOR, settings unchanged`, async (t) => {
    const before = await c.w.verifier.view<{ settings: object }>("get_config", {});
    await refused(t, c.w.dao, "update_settings", { settings }, "ERR_SETTING_BELOW_FLOOR", key);
    t.deepEqual((await c.w.verifier.view<{ settings: object }>("get_config", {})).settings, before.settings);
  });

  test(`community creator inits a verifier with ${what}: refused ERR_SETTING_BELOW_FLOOR, nothing stored`, async (t) => {
    const { root } = t.context as { root: NearAccount };
    n += 1;
    const v = await root.createSubAccount(`floor${n}`, { initialBalance: 10n * NEAR });
    await v.deploy(verifierWasm());
    const args = {
      dao_id: c.w.dao.accountId,
      model_registry_id: c.w.registry.accountId,
      settings: { ...SETTINGS, ...settings },
    };
    const r = await v.callRaw(v, "init", args, { gas: 100n * TGAS });
    assertPanics(t, r, "ERR_SETTING_BELOW_FLOOR", key);
    t.deepEqual(await stateDump(c.w.worker, v.accountId), []);
  });
}

test("settings exactly at the floors are accepted (0.1 NEAR bonds, 60 s window)", async (t) => {
  const { root } = t.context as { root: NearAccount };
  n += 1;
  const v = await root.createSubAccount(`floor${n}`, { initialBalance: 10n * NEAR });
  await v.deploy(verifierWasm());
  const settings = {
    ...SETTINGS,
    min_bond: (10n ** 23n).toString(),
    dispute_bond: (10n ** 23n).toString(),
    challenge_window_ns: "60000000000",
  };
  const args = { dao_id: c.w.dao.accountId, model_registry_id: c.w.registry.accountId, settings };
  const r = await v.callRaw(v, "init", args, { gas: 100n * TGAS });
  t.true(r.succeeded, r.receiptFailureMessages.join());
  t.like(await v.view<{ settings: object }>("get_config", {}), { settings });
});
