// Host functions other than storage and promises: registers, context, economics, math, logs and panics.

import { ed25519 } from "@noble/curves/ed25519";
import { secp256k1 } from "@noble/curves/secp256k1";
import { keccak_256 } from "@noble/hashes/sha3";
import test from "ava";
import { ACTION_FEES, EXT_COSTS } from "../../src/runtime-config.ts";
import { contract, profileOf, run } from "./helpers.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const ret = (o: { returnData: { kind: string; data?: Uint8Array } }) =>
  o.returnData.kind === "Value" ? (o.returnData.data as Uint8Array) : new Uint8Array();
const u64le = (b: Uint8Array, off: number) => Buffer.from(b).readBigUInt64LE(off);
const u128le = (b: Uint8Array, off: number) => u64le(b, off) + (u64le(b, off + 8) << 64n);
const REG = "(i64.const -1)"; // len == u64::MAX: the pointer is a register id

test("registers: write, length (u64::MAX when unset), read, and their gas", (t) => {
  const code = contract(
    ["write_register", "register_len", "read_register", "value_return"],
    `(func (export "main")
      (call $write_register (i64.const 1) (i64.const 5) (i64.const 0))
      (i64.store (i32.const 100) (call $register_len (i64.const 1)))
      (i64.store (i32.const 108) (call $register_len (i64.const 2)))
      (call $read_register (i64.const 1) (i64.const 116))
      (call $value_return (i64.const 21) (i64.const 100)))`,
    "hello",
  );
  const o = run(code);
  t.is(o.error, undefined);
  const r = ret(o);
  t.is(u64le(r, 0), 5n);
  t.is(u64le(r, 8), 2n ** 64n - 1n);
  t.is(Buffer.from(r.subarray(16)).toString(), "hello");
  t.is(profileOf("WRITE_REGISTER_BASE"), EXT_COSTS.write_register_base);
  t.is(profileOf("WRITE_REGISTER_BYTE"), 5n * EXT_COSTS.write_register_byte);
  t.is(profileOf("READ_REGISTER_BASE"), EXT_COSTS.read_register_base);
  t.is(profileOf("READ_REGISTER_BYTE"), 5n * EXT_COSTS.read_register_byte);
  t.is(profileOf("BASE"), 5n * EXT_COSTS.base);
});

test("reading an unset register is InvalidRegisterId; more than 100 registers is MemoryAccessViolation", (t) => {
  const unset = run(
    contract(["read_register"], `(func (export "main") (call $read_register (i64.const 9) (i64.const 0)))`),
  );
  t.deepEqual(unset.error, { kind: "ExecutionError", message: "Accessed invalid register id: 9" });
  t.is(unset.errorDebug, "HostError(InvalidRegisterId { register_id: 9 })");
  const many = run(
    contract(
      ["write_register"],
      `(func (export "main") (local $i i64)
        (loop $l (call $write_register (local.get $i) (i64.const 1) (i64.const 0))
          (local.set $i (i64.add (local.get $i) (i64.const 1)))
          (br_if $l (i64.lt_u (local.get $i) (i64.const 101)))))`,
    ),
  );
  t.is(many.errorDebug, "HostError(MemoryAccessViolation)");
});

test("context: account ids, input, block and epoch data, storage usage, random seed (via registers)", (t) => {
  const names = ["current_account_id", "signer_account_id", "predecessor_account_id", "input", "random_seed"];
  for (const [i, name] of names.entries()) {
    const code = contract(
      [name, "value_return"],
      `(func (export "main") (call $${name} (i64.const ${i})) (call $value_return ${REG} (i64.const ${i})))`,
    );
    const o = run(code, { input: new TextEncoder().encode('{"a":1}') });
    const expected: Record<string, string> = {
      current_account_id: "contract.test.near",
      signer_account_id: "alice.test.near",
      predecessor_account_id: "bob.test.near",
      input: '{"a":1}',
    };
    if (name === "random_seed") t.is(hex(ret(o)), "07".repeat(32));
    else t.is(Buffer.from(ret(o)).toString(), expected[name]);
  }
  const code = contract(
    ["block_index", "block_timestamp", "epoch_height", "storage_usage", "value_return"],
    `(func (export "main")
      (i64.store (i32.const 0) (call $block_index))
      (i64.store (i32.const 8) (call $block_timestamp))
      (i64.store (i32.const 16) (call $epoch_height))
      (i64.store (i32.const 24) (call $storage_usage))
      (call $value_return (i64.const 32) (i64.const 0)))`,
  );
  const r = ret(run(code, { blockHeight: 77n, blockTimestamp: 123456789n, epochHeight: 3n, storageUsage: 4242n }));
  t.deepEqual(
    [0, 8, 16, 24].map((o) => u64le(r, o)),
    [77n, 123456789n, 3n, 4242n],
  );
});

test("economics: balances and attached deposit are u128 little-endian in memory; prepaid and used gas", (t) => {
  const code = contract(
    ["account_balance", "account_locked_balance", "attached_deposit", "prepaid_gas", "used_gas", "value_return"],
    `(func (export "main")
      (call $account_balance (i64.const 0))
      (call $account_locked_balance (i64.const 16))
      (call $attached_deposit (i64.const 32))
      (i64.store (i32.const 48) (call $prepaid_gas))
      (i64.store (i32.const 56) (call $used_gas))
      (call $value_return (i64.const 64) (i64.const 0)))`,
  );
  const balance = 2n ** 100n + 12345n;
  const o = run(code, { accountBalance: balance, accountLockedBalance: 7n, attachedDeposit: 10n ** 24n + 1n });
  const r = ret(o);
  // accountBalance already includes the attached deposit (types.ts); nearcore's VMLogic adds the deposit to the
  // context's balance itself, so the wrapper must pass it without: neither the contract nor the outcome counts it twice
  t.is(u128le(r, 0), balance);
  t.is(o.balance, balance);
  t.is(u128le(r, 16), 7n);
  t.is(u128le(r, 32), 10n ** 24n + 1n);
  t.is(u64le(r, 48), 300_000_000_000_000n);
  const used = u64le(r, 56);
  t.true(used > 0n && used < o.burntGas);
  t.is(profileOf("WRITE_MEMORY_BYTE"), 3n * 16n * EXT_COSTS.write_memory_byte);
});

test("views: signer/predecessor/prepaid/used gas are ProhibitedInView; reads are allowed", (t) => {
  for (const [name, call] of [
    ["signer_account_id", "(call $signer_account_id (i64.const 0))"],
    ["predecessor_account_id", "(call $predecessor_account_id (i64.const 0))"],
    ["prepaid_gas", "(drop (call $prepaid_gas))"],
    ["used_gas", "(drop (call $used_gas))"],
    ["promise_results_count", "(drop (call $promise_results_count))"],
  ]) {
    const o = run(contract([name], `(func (export "main") ${call})`), { isView: true });
    t.deepEqual(o.error, { kind: "ProhibitedInView", methodName: name });
    t.is(o.errorDebug, `HostError(ProhibitedInView { method_name: "${name}" })`);
  }
  const ok = run(contract(["current_account_id"], `(func (export "main") (call $current_account_id (i64.const 0)))`), {
    isView: true,
  });
  t.is(ok.error, undefined);
});

test("hashes match known vectors and charge base + per byte", (t) => {
  const vectors: [string, string][] = [
    ["sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["keccak256", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"],
    [
      "keccak512",
      "18587dc2ea106b9a1563e32b3312421ca164c7f1f07bc922a9c83d77cea3a1e5d0c69910739025372dc14ac9642629379540c17e2a65b19d77aa511a9d00bb96",
    ],
    ["ripemd160", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"],
  ];
  for (const [name, digest] of vectors) {
    const code = contract(
      [name, "value_return"],
      `(func (export "main") (call $${name} (i64.const 3) (i64.const 0) (i64.const 0)) (call $value_return ${REG} (i64.const 0)))`,
      "abc",
    );
    const o = run(code);
    t.is(hex(ret(o)), digest, name);
    if (name === "ripemd160") {
      t.is(profileOf("RIPEMD160_BASE"), EXT_COSTS.ripemd160_base);
      t.is(profileOf("RIPEMD160_BLOCK"), EXT_COSTS.ripemd160_block); // (3 + 8) / 64 + 1 = 1 block
    } else {
      t.is(profileOf(`${name.toUpperCase()}_BYTE`), 3n * EXT_COSTS[`${name}_byte`]);
    }
    t.is(profileOf("BASE"), EXT_COSTS.base, "hash functions do not pay `base`, value_return does");
  }
});

function ecrecoverModule(v: number, flag: number) {
  // memory: 0..32 hash, 32..96 signature
  return `(func (export "main")
    (i64.store (i32.const 200) (call $ecrecover (i64.const 32) (i64.const 0) (i64.const 64) (i64.const 32)
      (i64.const ${v}) (i64.const ${flag}) (i64.const 1)))
    (call $value_return (i64.const 8) (i64.const 200)))`;
}

test("ecrecover recovers the secp256k1 public key; nearcore's (v, malleability_flag) argument order", (t) => {
  const priv = secp256k1.utils.randomPrivateKey();
  const pub = secp256k1.getPublicKey(priv, false).subarray(1);
  const hash = keccak_256(new TextEncoder().encode("AI Commons"));
  const sig = secp256k1.sign(hash, priv, { lowS: true });
  const data = Buffer.concat([hash, sig.toCompactRawBytes()]).toString("latin1");
  const names = ["ecrecover", "value_return", "read_register"];
  const code = contract(
    names,
    `(func (export "main")
      (i64.store (i32.const 200) (call $ecrecover (i64.const 32) (i64.const 0) (i64.const 64) (i64.const 32)
        (i64.const ${sig.recovery}) (i64.const 1) (i64.const 1)))
      (call $read_register (i64.const 1) (i64.const 208))
      (call $value_return (i64.const 72) (i64.const 200)))`,
    data,
  );
  const o = run(code);
  t.is(o.error, undefined);
  t.is(u64le(ret(o), 0), 1n);
  t.is(hex(ret(o).subarray(8)), hex(pub));
  t.is(profileOf("ECRECOVER_BASE"), EXT_COSTS.ecrecover_base);

  // the high-s twin of the signature: rejected with malleability_flag 1, accepted (other parity) with 0
  const highS = new secp256k1.Signature(sig.r, secp256k1.CURVE.n - sig.s);
  const highData = Buffer.concat([hash, highS.toCompactRawBytes()]).toString("latin1");
  const rejected = run(contract(names, ecrecoverModule(sig.recovery ^ 1, 1), highData));
  t.is(u64le(ret(rejected), 0), 0n);
  const accepted = run(contract(names, ecrecoverModule(sig.recovery ^ 1, 0), highData));
  t.is(u64le(ret(accepted), 0), 1n);

  const badV = run(contract(names, ecrecoverModule(4, 0), data));
  t.deepEqual(badV.error, {
    kind: "ExecutionError",
    message: "ECDSA recover error: V recovery byte 0 through 3 are valid but was provided 4",
  });
  const badFlag = run(contract(names, ecrecoverModule(0, 2), data));
  t.regex(
    badFlag.error?.kind === "ExecutionError" ? badFlag.error.message : "",
    /Malleability flag needs to be 0 or 1/,
  );
});

test("ed25519_verify returns 1 for a valid signature and 0 for a tampered message", (t) => {
  const priv = ed25519.utils.randomPrivateKey();
  const msg = new TextEncoder().encode("hello");
  const sig = ed25519.sign(msg, priv);
  const data = Buffer.concat([sig, ed25519.getPublicKey(priv), msg]).toString("latin1");
  const body = (msgOffset: number) => `(func (export "main")
    (i64.store (i32.const 200) (call $ed25519_verify (i64.const 64) (i64.const 0) (i64.const 5) (i64.const ${msgOffset})
      (i64.const 32) (i64.const 64)))
    (call $value_return (i64.const 8) (i64.const 200)))`;
  t.is(u64le(ret(run(contract(["ed25519_verify", "value_return"], body(96), data))), 0), 1n);
  t.is(profileOf("ED25519_VERIFY_BYTE"), 5n * EXT_COSTS.ed25519_verify_byte);
  t.is(u64le(ret(run(contract(["ed25519_verify", "value_return"], body(95), data))), 0), 0n);
});

test("logs: utf8 (also nul-terminated) and utf16, with their gas", (t) => {
  const code = contract(
    ["log_utf8", "log_utf16"],
    `(func (export "main")
      (call $log_utf8 (i64.const 5) (i64.const 0))
      (call $log_utf8 (i64.const -1) (i64.const 0))
      (call $log_utf16 (i64.const 4) (i64.const 16)))`,
    "hello\0..........h\0\xe9\0",
  );
  const o = run(code);
  t.is(o.error, undefined);
  t.deepEqual(o.logs, ["hello", "hello", "hé"]);
  // log_byte is paid per UTF-8 byte of the message: 5 + 5 + 3
  t.is(profileOf("LOG_BYTE"), 13n * EXT_COSTS.log_byte);
  t.is(profileOf("LOG_BASE"), 3n * EXT_COSTS.log_base);
  t.is(profileOf("UTF16_DECODING_BYTE"), 4n * EXT_COSTS.utf16_decoding_byte);
  // the nul-terminated read pays one memory read per byte, including the terminator
  t.is(profileOf("READ_MEMORY_BASE"), (1n + 6n + 1n) * EXT_COSTS.read_memory_base);
});

test("logs are limited to 100 messages and 16 KiB, and kept when the call fails", (t) => {
  const loop = (len: number, n: number) => `(func (export "main") (local $i i32)
    (loop $l (call $log_utf8 (i64.const ${len}) (i64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const ${n})))))`;
  const many = run(contract(["log_utf8"], loop(1, 101), "x"));
  t.is(many.logs.length, 100);
  t.deepEqual(many.error, { kind: "ExecutionError", message: "The number of logs will exceed the limit 100" });
  const long = run(contract(["log_utf8"], loop(5000, 4), "y".repeat(5000)));
  t.is(long.logs.length, 3);
  t.is(long.errorDebug, "HostError(TotalLogLengthExceeded { length: 20000, limit: 16384 })");
  t.true(long.burntGas > 0n);
});

test("panics: explicit guest panic, panic_utf8 message, invalid UTF-8", (t) => {
  const p = run(contract(["panic"], `(func (export "main") (call $panic))`));
  t.deepEqual(p.error, { kind: "ExecutionError", message: "Smart contract panicked: explicit guest panic" });
  t.is(p.errorDebug, 'HostError(GuestPanic { panic_msg: "explicit guest panic" })');
  const u = run(
    contract(["panic_utf8"], `(func (export "main") (call $panic_utf8 (i64.const 9) (i64.const 0)))`, 'bad "x"\n!'),
  );
  t.deepEqual(u.error, { kind: "ExecutionError", message: 'Smart contract panicked: bad "x"\n!' });
  t.is(u.errorDebug, 'HostError(GuestPanic { panic_msg: "bad \\"x\\"\\n!" })');
  const bad = run(
    contract(["log_utf8"], `(func (export "main") (call $log_utf8 (i64.const 1) (i64.const 0)))`, "\xff"),
  );
  t.is(bad.errorDebug, "HostError(BadUTF8)");
  const oob = run(
    contract(["log_utf8"], `(func (export "main") (call $log_utf8 (i64.const 10) (i64.const 70000000)))`),
  );
  t.is(oob.errorDebug, "HostError(MemoryAccessViolation)");
});

test("value_return pays data receipt byte fees per output data receiver (sir or not)", (t) => {
  const code = contract(["value_return"], `(func (export "main") (call $value_return (i64.const 10) (i64.const 0)))`);
  const plain = run(code);
  const withReceivers = run(code, { outputDataReceivers: ["contract.test.near", "other.test.near"] });
  const f = ACTION_FEES.dataReceiptPerByte;
  t.is(withReceivers.burntGas - plain.burntGas, 10n * (f.sendSir + f.execution + f.sendNotSir + f.execution));
  t.is(withReceivers.usedGas, withReceivers.burntGas);
});

test("validator_stake / validator_total_stake answer from the epoch's validators (0 for a non-validator)", (t) => {
  // data: "test.near" at 0, "alice.test.near" at 16; stakes written at 64, 80 and the total at 96
  const code = contract(
    ["validator_stake", "validator_total_stake", "value_return"],
    `(func (export "main")
      (call $validator_stake (i64.const 9) (i64.const 0) (i64.const 64))
      (call $validator_stake (i64.const 15) (i64.const 16) (i64.const 80))
      (call $validator_total_stake (i64.const 96))
      (call $value_return (i64.const 48) (i64.const 64)))`,
    `test.near${"\0".repeat(7)}alice.test.near`,
  );
  const stake = 5n * 10n ** 31n;
  const o = run(code, { validators: { "test.near": stake, "bob.test.near": 7n } });
  const r = ret(o);
  t.is(o.error, undefined);
  t.deepEqual([u128le(r, 0), u128le(r, 16), u128le(r, 32)], [stake, 0n, stake + 7n]);
  t.is(profileOf("VALIDATOR_STAKE_BASE"), 2n * EXT_COSTS.validator_stake_base);
  t.is(profileOf("VALIDATOR_TOTAL_STAKE_BASE"), EXT_COSTS.validator_total_stake_base);
});

test("alt_bn128: nearcore's implementation answers (the sum of no points is the point at infinity; pairing of none is true)", (t) => {
  const code = contract(
    ["alt_bn128_g1_sum", "alt_bn128_pairing_check", "read_register", "register_len", "value_return"],
    `(func (export "main")
      (call $alt_bn128_g1_sum (i64.const 0) (i64.const 0) (i64.const 0))
      (call $read_register (i64.const 0) (i64.const 100))
      (i64.store (i32.const 200) (call $register_len (i64.const 0)))
      (i64.store (i32.const 208) (call $alt_bn128_pairing_check (i64.const 0) (i64.const 0)))
      (call $value_return (i64.const 116) (i64.const 100)))`,
  );
  const o = run(code);
  t.is(o.error, undefined, JSON.stringify(o.error));
  const r = ret(o);
  t.deepEqual([...r.subarray(0, 64)], new Array(64).fill(0), "G1 zero");
  t.deepEqual([u64le(r, 100), u64le(r, 108)], [64n, 1n], "64-byte point; an empty pairing holds");
  t.true(profileOf("ALT_BN128_G1_SUM_BASE") > 0n);
  t.true(profileOf("ALT_BN128_PAIRING_CHECK_BASE") > 0n);
});
