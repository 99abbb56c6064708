// contracts/shared/validate.ts: the field rules every contract applies to its input, at their boundaries.
import test from "ava";
import {
  assertAccountId,
  decodeBase64,
  isAmount,
  isHexHash,
  isMethodName,
  isSafeInt,
  isU64String,
  isValidAccountId,
  isValidName,
  parseAmount,
  toHex,
} from "../../contracts/shared/validate.ts";
import { panics } from "./host.ts";

const U128_MAX = "340282366920938463463374607431768211455";
const U64_MAX = "18446744073709551615";

test("account ids: 2..64 chars of a-z 0-9, parts joined by one of - _ .", (t) => {
  for (const ok of ["ab", "a1", "alice.near", "a-b_c.d", "x".repeat(64), `0x${"a".repeat(40)}`, "f".repeat(64)]) {
    t.true(isValidAccountId(ok), ok);
  }
  const bad = [
    "a",
    "x".repeat(65),
    "Alice.near",
    "a..b",
    "a.-b",
    ".ab",
    "ab.",
    "-ab",
    "ab_",
    "a b",
    "a@b",
    "",
    42,
    null,
  ];
  for (const no of bad) t.false(isValidAccountId(no), String(no));
  t.is(assertAccountId("bob.near"), "bob.near");
  panics(t, () => assertAccountId("Bob"), "ERR_INVALID_ACCOUNT_ID: account_id: Bob");
  panics(t, () => assertAccountId("a", "owner_id"), "ERR_INVALID_ACCOUNT_ID: owner_id: a");
});

test("names: 1..max of a-z 0-9 and single inner dashes (max 32 unless told)", (t) => {
  for (const ok of ["a", "acme", "my-dao-2", "x".repeat(32)]) t.true(isValidName(ok), ok);
  for (const no of ["", "x".repeat(33), "-a", "a-", "a--b", "a_b", "a.b", "Acme", 7])
    t.false(isValidName(no), String(no));
  t.true(isValidName("x".repeat(40), 40));
  t.false(isValidName("x".repeat(41), 40));
});

test("amounts: decimal strings 0..u128::MAX, no sign, no leading zero; u64 strings up to u64::MAX", (t) => {
  for (const ok of ["0", "1", "10", U128_MAX]) t.true(isAmount(ok), ok);
  const bad = ["", "01", "-1", "+1", "1.0", "1e24", " 1", "340282366920938463463374607431768211456", "9".repeat(40), 1];
  for (const no of bad) t.false(isAmount(no), String(no));
  t.is(parseAmount("1000000000000000000000000"), 10n ** 24n);
  t.is(parseAmount(U128_MAX), 2n ** 128n - 1n);
  panics(t, () => parseAmount("01"), "ERR_INVALID_AMOUNT: amount");
  panics(t, () => parseAmount(5, "bond"), "ERR_INVALID_AMOUNT: bond");
  t.true(isU64String(U64_MAX));
  t.false(isU64String("18446744073709551616"));
  t.false(isU64String("-1"));
});

test("safe ints, hashes, method names", (t) => {
  t.true(isSafeInt(0));
  t.true(isSafeInt(1000000000));
  t.false(isSafeInt(1000000001));
  t.false(isSafeInt(-1));
  t.false(isSafeInt(1.5));
  t.false(isSafeInt("1"));
  t.true(isSafeInt(5, 5, 5));
  t.false(isSafeInt(4, 5, 5));
  t.true(isHexHash("0123456789abcdef".repeat(4)));
  t.false(isHexHash("0123456789ABCDEF".repeat(4)), "upper case");
  t.false(isHexHash("a".repeat(63)));
  t.false(isHexHash("g".repeat(64)));
  t.true(isMethodName("on_usage_report"));
  t.true(isMethodName("A".repeat(256)));
  t.false(isMethodName("A".repeat(257)));
  t.false(isMethodName(""));
  t.false(isMethodName("a-b"));
  t.false(isMethodName("a.b"));
});

test("hex and base64 (standard or url-safe, padding optional)", (t) => {
  t.is(toHex(new Uint8Array([0, 1, 15, 16, 255])), "00010f10ff");
  t.is(toHex(new Uint8Array()), "");
  t.deepEqual(decodeBase64("AAEC/w=="), new Uint8Array([0, 1, 2, 255]));
  t.deepEqual(decodeBase64("AAEC_w"), new Uint8Array([0, 1, 2, 255]));
  t.deepEqual(decodeBase64("+/-_"), new Uint8Array([0xfb, 0xff, 0xbf]));
  t.deepEqual(decodeBase64(""), new Uint8Array());
  t.is(decodeBase64("A"), null, "one char left over is not base64");
  t.is(decodeBase64("AA*A"), null);
  for (const n of [1, 2, 3, 31, 32, 33]) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
    t.deepEqual(decodeBase64(Buffer.from(bytes).toString("base64")), bytes);
    t.deepEqual(decodeBase64(Buffer.from(bytes).toString("base64url")), bytes);
  }
});
