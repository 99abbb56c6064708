// Receipts off chain: the canonical encoding, salted commitments, low-s secp256k1 signatures that recover to the
// registered key form, and the attester producing receipts from real inference.
import { secp256k1 } from "@noble/curves/secp256k1";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import test from "ava";
import { InferenceAttester, opens } from "../src/attester.ts";
import { loadVerified } from "../src/data.ts";
import { train } from "../src/model.ts";
import {
  canonicalReceipt,
  commitInput,
  commitOutput,
  newKey,
  publicKeyHex,
  receiptHash,
  recoverSigner,
  type SignedReceipt,
  signReceipt,
  type UnsignedReceipt,
} from "../src/receipt.ts";

const H = (c: string) => c.repeat(64);
const base: UnsignedReceipt = {
  community: "dao.test.near",
  model_name: "community-intents",
  model_version: "1.0.0",
  weights_sha256: H("a"),
  input_sha256: H("b"),
  output_sha256: H("c"),
  attester_id: "att1.test.near",
  nonce: "42",
  timestamp: "1700000000000000000",
  enclave_measurement: null,
};

test("canonical encoding: fixed field order, one line each, and it parses back to the same fields", (t) => {
  const text = canonicalReceipt("verifier.test.near", base);
  t.is(
    text,
    [
      "ai-commons-receipt-v2",
      "verifier.test.near",
      "dao.test.near",
      "community-intents",
      "1.0.0",
      H("a"),
      H("b"),
      H("c"),
      "att1.test.near",
      "42",
      "1700000000000000000",
      "",
    ].join("\n"),
  );
  const [, verifier, community, model_name, model_version, w, i, o, attester_id, nonce, timestamp, em] =
    text.split("\n");
  t.is(verifier, "verifier.test.near");
  t.deepEqual(
    {
      community,
      model_name,
      model_version,
      weights_sha256: w,
      input_sha256: i,
      output_sha256: o,
      attester_id,
      nonce,
      timestamp,
      enclave_measurement: em === "" ? null : em,
    },
    base,
  );
  // with an enclave measurement, the last line carries it
  t.true(canonicalReceipt("v.near", { ...base, enclave_measurement: H("d") }).endsWith(`\n${H("d")}`));
  // the signed receipt survives JSON (what relayers send) unchanged
  const signed = signReceipt("verifier.test.near", base, newKey().private_key);
  t.deepEqual(JSON.parse(JSON.stringify(signed)) as SignedReceipt, signed);
});

test("signatures are low-s and recover to the 64-byte key without 0x04", (t) => {
  const key = newKey();
  t.is(key.public_key.length, 128);
  t.is(publicKeyHex(key.private_key), key.public_key);
  for (let n = 0; n < 20; n++) {
    const r = signReceipt("verifier.test.near", { ...base, nonce: String(n) }, key.private_key);
    t.is(r.signature.length, 128);
    t.true(r.recovery_id === 0 || r.recovery_id === 1);
    const sig = secp256k1.Signature.fromCompact(r.signature);
    t.false(sig.hasHighS());
    t.is(recoverSigner("verifier.test.near", r), key.public_key);
    // what near.ecrecover(hash, r || s, v, 1) computes
    const point = sig.addRecoveryBit(r.recovery_id).recoverPublicKey(receiptHash("verifier.test.near", r));
    t.is(bytesToHex(point.toRawBytes(false).subarray(1)), key.public_key);
  }
});

test("a changed field, another verifier or another key does not recover to the attester", (t) => {
  const key = newKey();
  const r = signReceipt("verifier.test.near", base, key.private_key);
  t.not(recoverSigner("verifier.test.near", { ...r, output_sha256: H("e") }), key.public_key);
  t.not(recoverSigner("other.test.near", r), key.public_key);
  t.not(
    recoverSigner("verifier.test.near", signReceipt("verifier.test.near", base, newKey().private_key)),
    key.public_key,
  );
  t.is(recoverSigner("verifier.test.near", { ...r, signature: "zz" }), null);
});

test("commitments are salted: same input, other salt, other hash; opening proves the input", (t) => {
  const s1 = hexToBytes("01".repeat(32));
  const s2 = hexToBytes("02".repeat(32));
  t.not(commitInput(s1, "yes"), commitInput(s2, "yes"));
  t.not(commitInput(s1, "yes"), commitOutput(s1, "yes"));
  t.is(commitInput(s1, "yes"), commitInput(s1, "yes"));
});

test("commitments have one opening: a salt of any length but 32 bytes and lone surrogates are refused", (t) => {
  const s = hexToBytes("01".repeat(32));
  // v1 accepted any salt length, so (S, "how") and (S || "h", "ow") committed to the same input
  const shifted = new Uint8Array([...s, 0x68]);
  for (const bad of [shifted, s.subarray(0, 31), new Uint8Array(0)]) {
    t.throws(() => commitInput(bad, "ow"), { message: /^ERR_SALT_LENGTH/ });
    t.throws(() => commitOutput(bad, "governance"), { message: /^ERR_SALT_LENGTH/ });
  }
  // a lone surrogate and U+FFFD encode to the same UTF-8 bytes but are different model inputs
  t.throws(() => commitInput(s, "\uD800 vote"), { message: /^ERR_INPUT_NOT_UNICODE/ });
  t.throws(() => commitOutput(s, "x\uDC00"), { message: /^ERR_INPUT_NOT_UNICODE/ });
  t.is(commitInput(s, "vote \u{1F5F3}"), commitInput(s, "vote \uD83D\uDDF3"));
  t.false(opens({ input: "ow", output: "x", salt: bytesToHex(shifted) }, { input_sha256: "", output_sha256: "" }));
});

test("the attester signs receipts over real inference with fresh nonces", (t) => {
  const model = train(loadVerified().examples);
  const key = newKey();
  const att = new InferenceAttester({
    model,
    model_name: "community-intents",
    model_version: "1.0.0",
    key,
    attester_id: "att1.test.near",
    community: "dao.test.near",
    verifier_id: "verifier.test.near",
    next_nonce: 7n,
    clock: () => 123n,
  });
  const a = att.attest("the council should vote on the budget");
  const b = att.attest("the council should vote on the budget");
  t.is(a.output, "governance");
  t.is(a.receipt.nonce, "7");
  t.is(b.receipt.nonce, "8");
  t.is(a.receipt.timestamp, "123");
  t.is(a.receipt.weights_sha256, att.weights_sha256);
  t.not(a.receipt.input_sha256, b.receipt.input_sha256);
  t.true(opens(a, a.receipt));
  t.false(opens({ ...a, input: "something else" }, a.receipt));
  t.false(opens({ ...a, output: "rewards" }, a.receipt));
  t.is(recoverSigner("verifier.test.near", a.receipt), key.public_key);
  // the same request (same salt) gives the same commitments: a second attester can be cross-checked
  const again = att.attest(a.input, hexToBytes(a.salt));
  t.is(again.receipt.input_sha256, a.receipt.input_sha256);
  t.is(again.receipt.output_sha256, a.receipt.output_sha256);
});
