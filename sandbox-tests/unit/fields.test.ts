// contracts/wire/fields.ts: the record-level field rules the registries, verifier and pool share (record ids
// "name@version", versions, licenses, URIs, labels, memos, metric values, attester keys), at their boundaries.
import test from "ava";
import {
  isDecimal,
  isLabel,
  isMemo,
  isPublicKeyHex,
  isRecordId,
  isRecordName,
  isSpdxId,
  isUri,
  isVersion,
  MAX_MEMO,
  recordId,
  splitRecordId,
} from "../../contracts/wire/fields.ts";

test("record ids: name@version, split at the one '@', integer versions as their digits", (t) => {
  t.is(recordId("corpus", "1.0"), "corpus@1.0");
  t.is(recordId("lm", 1), "lm@1");
  t.is(recordId("lm", 1), recordId("lm", "1"));
  t.deepEqual(splitRecordId("corpus@1.0"), { name: "corpus", version: "1.0" });
  t.deepEqual(splitRecordId("a-b@v3-rc.1"), { name: "a-b", version: "v3-rc.1" });
  for (const ok of ["a@1", "corpus@1.0.0", `${"x".repeat(64)}@${"1".repeat(32)}`, "my-data@2024-06"]) {
    t.true(isRecordId(ok), ok);
  }
  const bad = ["@1", "a@", "a", "A@1", "a@1@2", `${"x".repeat(65)}@1`, `a@${"1".repeat(33)}`, "a_b@1", "a@.1", 7];
  for (const no of bad) t.false(isRecordId(no), String(no));
});

test("names 1..64 of a-z 0-9 and inner single dashes; versions 1..32, alnum at both ends, '.' and '-' inside", (t) => {
  t.true(isRecordName("x".repeat(64)));
  t.false(isRecordName("x".repeat(65)));
  t.false(isRecordName("a--b"));
  for (const ok of ["1", "1.0.0", "2024-06", "v3-rc.1", "1".repeat(32)]) t.true(isVersion(ok), ok);
  for (const no of ["", ".1", "1.", "-1", "1-", "V1", "1_0", "1 0", "1".repeat(33)]) t.false(isVersion(no), no);
});

test("licenses (one SPDX id), URIs (scheme://visible ASCII), labels, memos, decimals", (t) => {
  for (const ok of ["MIT", "Apache-2.0", "CC-BY-4.0", "GPL-3.0+", "LicenseRef-community-1"]) t.true(isSpdxId(ok), ok);
  for (const no of ["", "1MIT", "MIT OR Apache-2.0", "MIT/X", "x".repeat(65)]) t.false(isSpdxId(no), no);
  for (const ok of ["ipfs://bafy", "https://data.example.org/a.tar", "s3+x.y-z://b", "a://b"]) t.true(isUri(ok), ok);
  for (const no of ["ipfs:/bafy", "://x", "1ab://x", "ht_tp://x", "https://", "https://a b", "https://é"]) {
    t.false(isUri(no), no);
  }
  t.true(isUri(`a://${"b".repeat(508)}`), "512 characters");
  t.false(isUri(`a://${"b".repeat(509)}`), "513 characters");
  t.true(isLabel("llama-3 8B"));
  t.false(isLabel(" x"));
  t.false(isLabel("x "));
  t.false(isLabel("tab\there"));
  t.true(isLabel("x".repeat(64)));
  t.false(isLabel("x".repeat(65)));
  t.true(isLabel("x".repeat(100), 100));
  t.true(isMemo(undefined));
  t.true(isMemo(null));
  t.true(isMemo("x".repeat(MAX_MEMO)));
  t.false(isMemo("x".repeat(MAX_MEMO + 1)));
  t.false(isMemo(5));
  for (const ok of ["0.873", "-1.5", "42", "0", ".5"]) t.true(isDecimal(ok), ok);
  for (const no of ["", "-", "1.", "1.2.3", "1e3", "+1", "1-2", "--1", "1".repeat(33)]) t.false(isDecimal(no), no);
});

test("attester keys: 64-byte uncompressed secp256k1 keys as 128 lower-case hex characters", (t) => {
  t.true(isPublicKeyHex("ab".repeat(64)));
  t.true(isPublicKeyHex("0".repeat(128)));
  t.false(isPublicKeyHex("AB".repeat(64)), "upper case");
  t.false(isPublicKeyHex(`04${"ab".repeat(64)}`), "with the 0x04 prefix");
  t.false(isPublicKeyHex("ab".repeat(63)));
  t.false(isPublicKeyHex(`${"ab".repeat(63)}zz`));
  t.false(isPublicKeyHex(`${"ab".repeat(63)} a`));
});
