// The user's proof check (src/verify.ts), pure parts: openings, signatures, the registry history replay, finality,
// conflicts, receipt files, and a full verdict against fake views. The checks through the real node are in
// sandbox-tests/cli/verify.test.ts.
import { readFileSync } from "node:fs";
import { bytesToHex } from "@noble/hashes/utils";
import test from "ava";
import { ERRORS } from "../../contracts/wire/errors.ts";
import { commitInput, commitOutput, newKey, receiptHash, type SignedReceipt, signReceipt } from "../src/receipt.ts";
import {
  activeModelAt,
  checkOpening,
  checkSignature,
  finalityOf,
  findConflict,
  pickReceipt,
  type ReceiptRecordView,
  VERIFY_CODES,
  type ViewCaller,
  verifyReceipt,
} from "../src/verify.ts";

const VERIFIER = "coop_inference-verifier.commons.test.near";
const salt = new Uint8Array(32).fill(7);
const SALT = bytesToHex(salt);
const key = newKey();
const S = 1_000_000_000n;

function receipt(input = "hello", output = "governance", over: Partial<SignedReceipt> = {}): SignedReceipt {
  return signReceipt(
    VERIFIER,
    {
      community: "coop.commons.test.near",
      model_name: "community-intents",
      model_version: "1.0.0",
      weights_sha256: "a".repeat(64),
      input_sha256: commitInput(salt, input),
      output_sha256: commitOutput(salt, output),
      attester_id: "att.test.near",
      nonce: "7",
      timestamp: (1000n * S).toString(),
      enclave_measurement: null,
      ...over,
    },
    key.private_key,
  );
}

test("codes: the reused ones are the suite's (same code in contracts/wire/errors.ts), the new ones are not", (t) => {
  for (const [code, info] of Object.entries(VERIFY_CODES)) {
    const wire = (info as { wire?: boolean }).wire === true;
    t.is(code in ERRORS, wire, code);
  }
});

test("no Node-only imports in the check or what it imports (a browser app can bundle it)", (t) => {
  const files = ["attester/src/verify.ts", "attester/src/receipt.ts", "attester/src/errors.ts"];
  files.push("contracts/wire/receipt.ts", "contracts/wire/fields.ts");
  for (const f of files) {
    const src = readFileSync(new URL(`../../${f}`, import.meta.url), "utf8");
    const imports = [...src.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    t.deepEqual(
      imports.filter((i) => !i.startsWith("./") && !i.startsWith("../") && !i.startsWith("@noble/")),
      [],
      f,
    );
  }
});

test("openings: salt of exactly 32 bytes, input and output commitments", (t) => {
  const r = receipt();
  const codes = (o: { input: string; output: string; salt: string }) => checkOpening(o, r).map((c) => c.code ?? c.ok);
  t.deepEqual(codes({ input: "hello", output: "governance", salt: SALT }), [true, true, true]);
  t.deepEqual(codes({ input: "hullo", output: "governance", salt: SALT }), [true, "ERR_INPUT_MISMATCH", true]);
  t.deepEqual(codes({ input: "hello", output: "dataset", salt: SALT }), [true, true, "ERR_OUTPUT_MISMATCH"]);
  const other = SALT.replace(/^07/, "08");
  t.deepEqual(codes({ input: "hello", output: "governance", salt: other }), [
    true,
    "ERR_INPUT_MISMATCH",
    "ERR_OUTPUT_MISMATCH",
  ]);
  t.deepEqual(codes({ input: "hello", output: "governance", salt: SALT.slice(2) }), ["ERR_SALT_LENGTH", null, null]);
  t.deepEqual(codes({ input: "hello", output: "governance", salt: `${SALT}07` }), ["ERR_SALT_LENGTH", null, null]);
  t.deepEqual(codes({ input: "\ud800", output: "governance", salt: SALT }), [true, "ERR_INPUT_NOT_UNICODE", true]);
});

test("signatures: the registered key, another key, malformed", (t) => {
  const r = receipt();
  t.true(checkSignature(VERIFIER, r, key.public_key).ok === true);
  t.is(checkSignature(VERIFIER, r, newKey().public_key).code, "ERR_BAD_SIGNATURE");
  t.is(checkSignature("other.test.near", r, key.public_key).code, "ERR_BAD_SIGNATURE");
  t.is(checkSignature(VERIFIER, { ...r, output_sha256: "b".repeat(64) }, key.public_key).code, "ERR_BAD_SIGNATURE");
  t.is(checkSignature(VERIFIER, { ...r, signature: "00" }, key.public_key).code, "ERR_INVALID_SIGNATURE");
});

test("the registry's history: activations, rollbacks, deprecation of the active model", (t) => {
  const h = [
    { model_id: "m@1", action: "activate" as const, at: "100" },
    { model_id: "m@2", action: "activate" as const, at: "200" },
    { model_id: "m@1", action: "rollback" as const, at: "300" },
    { model_id: "m@2", action: "deprecate" as const, at: "350" },
    { model_id: "m@1", action: "deprecate" as const, at: "400" },
  ];
  t.is(activeModelAt(h, 50n).model_id, null);
  t.like(activeModelAt(h, 150n), { model_id: "m@1", since: "100" });
  t.like(activeModelAt(h, 250n), { model_id: "m@2", previous: "m@1", replaced_at: "200" });
  t.like(activeModelAt(h, 360n), { model_id: "m@1", since: "300" });
  t.like(activeModelAt(h, 500n), { model_id: null, previous: "m@1", replaced_at: "400" });
});

test("finality: final, challengeable, disputed, voided", (t) => {
  const rec = { accepted_at: "1000", status: "Accepted" } as ReceiptRecordView;
  const w = { windowNs: 100n, closedBeforeNs: 0n };
  t.is(finalityOf(rec, w, 1100n).finality, "final");
  t.is(finalityOf(rec, w, 1099n).finality, "challengeable");
  t.is(finalityOf({ ...rec, status: "Disputed" }, w, 5000n).result.code, "ERR_RECEIPT_DISPUTED");
  t.is(finalityOf({ ...rec, status: "Voided" }, w, 5000n).result.code, "ERR_RECEIPT_VOIDED");
  // a window raised to 1000 after this receipt's had ended (closed before 1050): still final
  t.is(finalityOf(rec, { windowNs: 1000n, closedBeforeNs: 1050n }, 1100n).finality, "final");
  t.is(finalityOf(rec, { windowNs: 1000n, closedBeforeNs: 900n }, 1100n).finality, "challengeable");
});

test("conflicts: same model and input commitment, other outputs", (t) => {
  const a = receipt();
  t.like(findConflict(a, receipt("hello", "dataset", { attester_id: "att2.test.near" })), { kind: "dispute" });
  t.like(findConflict(a, receipt("hello", "dataset", { nonce: "8" })), { kind: "equivocation" });
  t.false(findConflict(a, receipt("hello", "governance", { attester_id: "att2.test.near" })).conflict);
  t.false(findConflict(a, receipt("hullo", "dataset", { attester_id: "att2.test.near" })).conflict);
  t.false(findConflict(a, receipt("hello", "dataset", { attester_id: "b.near", model_version: "2.0.0" })).conflict);
});

test("receipt files: a receipt, an answer, an answers file with an index", (t) => {
  const r = receipt();
  const answer = { input: "hello", salt: SALT, output: "governance", receipt: r };
  t.is(pickReceipt(r).receipt, r);
  t.deepEqual(pickReceipt(answer), answer);
  t.is(pickReceipt([answer, { ...answer, input: "x" }], 1).input, "x");
  t.throws(() => pickReceipt([answer, answer]), { message: /holds 2 answers/ });
  t.throws(() => pickReceipt([answer], 3), { message: /no answer 3/ });
});

test("a full verdict through views: every check passes, then a void and a model that was not active", async (t) => {
  const r = receipt();
  const rec: ReceiptRecordView = {
    v: 1,
    enclave_measurement: null,
    relayer: "relayer.test.near",
    id: 4,
    hash: bytesToHex(receiptHash(VERIFIER, r)),
    attester_id: r.attester_id,
    model_name: r.model_name,
    model_version: r.model_version,
    input_sha256: r.input_sha256,
    output_sha256: r.output_sha256,
    nonce: r.nonce,
    timestamp: r.timestamp,
    accepted_at: (1001n * S).toString(),
    epoch: 16,
    status: "Accepted",
  };
  let history = [{ model_id: "community-intents@1.0.0", action: "activate", at: (900n * S).toString() }];
  const view: ViewCaller = async (contract, method) => {
    if (method === "get_config") {
      return {
        community: "coop.commons.test.near",
        model_registry_id: "models.test.near",
        settings: { challenge_window_ns: (120n * S).toString() },
      };
    }
    if (method === "get_attester") return { attester_id: r.attester_id, public_key: key.public_key, status: "Active" };
    if (method === "get_receipt_by_nonce") return rec;
    if (method === "get_history") return contract === "models.test.near" ? history : [];
    if (method === "get_model") return { weights_sha256: r.weights_sha256 };
    throw new Error(method);
  };
  const base = { verifier_id: VERIFIER, receipt: r, input: "hello", output: "governance", salt: SALT };
  const v = await verifyReceipt(view, { ...base, now: 1050n * S });
  t.true(v.ok, JSON.stringify(v.checks));
  t.is(v.checks.length, 10);
  t.is(v.finality, "challengeable");
  t.is((await verifyReceipt(view, { ...base, now: 2000n * S })).finality, "final");
  rec.status = "Voided";
  const voided = await verifyReceipt(view, { ...base, now: 2000n * S });
  t.false(voided.ok);
  t.deepEqual(
    voided.checks.filter((c) => c.ok === false).map((c) => c.code),
    ["ERR_RECEIPT_VOIDED"],
  );
  rec.status = "Accepted";
  history = [
    { model_id: "community-intents@0.9.0", action: "activate", at: (900n * S).toString() },
    { model_id: "community-intents@1.0.0", action: "activate", at: (1100n * S).toString() },
  ];
  const model = await verifyReceipt(view, { ...base, now: 2000n * S });
  t.deepEqual(
    model.checks.filter((c) => c.ok === false).map((c) => c.code),
    ["ERR_MODEL_NOT_ACTIVE"],
  );
});
