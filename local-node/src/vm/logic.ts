// The state of one function call and the non-promise host functions, following nearcore's VMLogic
// (near-vm-runner logic/logic.rs, vmstate.rs): argument order, the order in which costs are charged (so running
// out of gas or failing midway burns what nearcore burns), registers, limits and errors.
// Promise host functions are in host-promises.ts.

import { ripemd160 } from "@noble/hashes/ripemd160";
import { sha256 } from "@noble/hashes/sha2";
import { keccak_256, keccak_512 } from "@noble/hashes/sha3";
import { ed25519 } from "@noble/curves/ed25519";
import { secp256k1 } from "@noble/curves/secp256k1";
import { ACTION_FEES, ECONOMICS, LIMITS, REGULAR_OP_COST } from "../runtime-config.ts";
import { isValidAccountId } from "../util.ts";
import { hostErrors } from "./errors.ts";
import type { GasCounter } from "./gas-counter.ts";
import { ReceiptManager } from "./receipt-manager.ts";
import type { ReturnData, StateView, VmContext } from "./types.ts";

export const U64_MAX = 2n ** 64n - 1n;
const u64 = (x: bigint) => BigInt.asUintN(64, x);

/** Trie nodes a storage operation touches: a small sandbox trie is 2-6 nodes deep (near-sdk-js's benchmark
 * profiles show 2-3 for a contract's own keys). A second access to a key in the same call pays
 * read_cached_trie_node per node instead; a key written earlier in the call costs no trie access at all. */
export const TRIE_NODES_EXISTING_KEY = 3n;
export const TRIE_NODES_MISSING_KEY = 2n;
/** nearcore's INLINE_DISK_VALUE_THRESHOLD: longer values pay storage_large_read_overhead_* */
const INLINE_DISK_VALUE_THRESHOLD = 4000;

type Promise_ = { receipt: number } | { joint: number[] };

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
export class VMLogic {
  memory: WebAssembly.Memory | undefined;
  readonly registers = new Map<bigint, Uint8Array>();
  private registersUsage = 0n;
  readonly logs: string[] = [];
  private totalLogLength = 0n;
  returnData: ReturnData = { kind: "None" };
  currentBalance: bigint;
  storageUsage: bigint;
  /** this call's storage writes: hex key -> value, or null for a removal */
  readonly writes = new Map<string, Uint8Array | null>();
  /** keys whose trie path this call already walked (their nodes are in the accounting cache) */
  private readonly touchedKeys = new Set<string>();
  readonly promises: Promise_[] = [];
  readonly receipts = new ReceiptManager();

  constructor(
    readonly ctx: VmContext,
    readonly state: StateView,
    readonly gas: GasCounter,
  ) {
    this.currentBalance = ctx.accountBalance;
    this.storageUsage = ctx.storageUsage;
  }

  // ---- memory and registers (vmstate.rs) ----

  private mem(): Uint8Array {
    if (!this.memory) throw hostErrors.memoryAccessViolation();
    return new Uint8Array(this.memory.buffer);
  }

  private checkRange(ptr: bigint, len: bigint): Uint8Array {
    const m = this.mem();
    if (ptr + len > BigInt(m.length)) throw hostErrors.memoryAccessViolation();
    return m;
  }

  /** memory.view: read_memory_base + read_memory_byte * len, then bounds */
  readMemory(ptr: bigint, len: bigint): Uint8Array {
    this.gas.payBase("readMemoryBase");
    this.gas.payPer("readMemoryByte", len);
    const m = this.checkRange(ptr, len);
    return m.slice(Number(ptr), Number(ptr + len));
  }

  private readFree(ptr: bigint, len: bigint): Uint8Array {
    const m = this.checkRange(ptr, len);
    return m.slice(Number(ptr), Number(ptr + len));
  }

  writeMemory(ptr: bigint, data: Uint8Array): void {
    this.gas.payBase("writeMemoryBase");
    this.gas.payPer("writeMemoryByte", data.length);
    const m = this.checkRange(ptr, BigInt(data.length));
    m.set(data, Number(ptr));
  }

  readU128(ptr: bigint): bigint {
    const b = this.readMemory(ptr, 16n);
    let v = 0n;
    for (let i = 15; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    return v;
  }

  writeU128(ptr: bigint, value: bigint): void {
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i++) b[i] = Number((value >> BigInt(8 * i)) & 0xffn);
    this.writeMemory(ptr, b);
  }

  readRegister(id: bigint): Uint8Array {
    const data = this.registers.get(id);
    if (!data) throw hostErrors.invalidRegisterId(id);
    this.gas.payBase("readRegisterBase");
    this.gas.payPer("readRegisterByte", data.length);
    return data;
  }

  setRegister(id: bigint, data: Uint8Array, chargeBytes = true): void {
    this.gas.payBase("writeRegisterBase");
    if (chargeBytes) this.gas.payPer("writeRegisterByte", data.length);
    const len = BigInt(data.length);
    if (len > BigInt(LIMITS.maxRegisterSize)) throw hostErrors.memoryAccessViolation();
    // nearcore fails at the limit even when replacing a register (a bug kept in the protocol)
    if (this.registers.size >= LIMITS.maxNumberRegisters) throw hostErrors.memoryAccessViolation();
    const old = this.registers.get(id);
    const usage = this.registersUsage - (old ? BigInt(old.length) + 8n : 0n) + len + 8n;
    if (usage > BigInt(LIMITS.maxTotalRegisterSize)) throw hostErrors.memoryAccessViolation();
    this.registersUsage = usage;
    this.registers.set(id, data);
  }

  /** len == u64::MAX reads register `ptr` */
  memoryOrRegister(ptr: bigint, len: bigint): Uint8Array {
    return u64(len) === U64_MAX ? this.readRegister(u64(ptr)) : this.readMemory(u64(ptr), u64(len));
  }

  prohibitInView(method: string): void {
    if (this.ctx.isView) throw hostErrors.prohibitedInView(method);
  }

  // ---- strings and logs ----

  private logExceeded(add: bigint): never {
    throw hostErrors.totalLogLengthExceeded(this.totalLogLength + add, LIMITS.maxTotalLogLength);
  }

  private maxLogLen(): bigint {
    const rest = BigInt(LIMITS.maxTotalLogLength) - this.totalLogLength;
    return rest > 0n ? rest : 0n;
  }

  readUtf8(len: bigint, ptr: bigint): string {
    this.gas.payBase("utf8DecodingBase");
    const maxLen = this.maxLogLen();
    let buf: Uint8Array;
    if (len !== U64_MAX) {
      if (len > maxLen) this.logExceeded(len);
      buf = this.readMemory(ptr, len);
    } else {
      const bytes: number[] = [];
      for (let i = 0n; i <= maxLen; i++) {
        const el = this.readMemory(ptr + i, 1n)[0];
        if (el === 0) break;
        if (i === maxLen) this.logExceeded(maxLen + 1n);
        bytes.push(el);
      }
      buf = Uint8Array.from(bytes);
    }
    this.gas.payPer("utf8DecodingByte", buf.length);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(buf);
    } catch {
      throw hostErrors.badUtf8();
    }
  }

  readUtf16(len: bigint, ptr: bigint): string {
    this.gas.payBase("utf16DecodingBase");
    const maxLen = this.maxLogLen();
    let buf: Uint8Array;
    if (len === U64_MAX) {
      len = 0n;
      for (;;) {
        const b = this.readMemory(ptr + len, 2n);
        if (b[0] === 0 && b[1] === 0) break;
        len += 2n;
        if (len > maxLen) this.logExceeded(len);
      }
      buf = this.readFree(ptr, len);
    } else {
      buf = this.readMemory(ptr, len);
    }
    if (buf.length % 2 !== 0) throw hostErrors.badUtf16();
    if (len > maxLen) this.logExceeded(len);
    this.gas.payPer("utf16DecodingByte", len);
    let out = "";
    for (let i = 0; i < buf.length; i += 2) {
      const c = buf[i] | (buf[i + 1] << 8);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = i + 3 < buf.length ? buf[i + 2] | (buf[i + 3] << 8) : -1;
        if (d < 0xdc00 || d > 0xdfff) throw hostErrors.badUtf16();
        out += String.fromCharCode(c, d);
        i += 2;
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        throw hostErrors.badUtf16();
      } else {
        out += String.fromCharCode(c);
      }
    }
    return out;
  }

  pushLog(message: string): void {
    const len = BigInt(Buffer.byteLength(message, "utf8"));
    this.totalLogLength += len;
    if (this.totalLogLength > BigInt(LIMITS.maxTotalLogLength)) {
      this.totalLogLength -= len;
      this.logExceeded(len);
    }
    this.logs.push(message);
  }

  checkCanAddLog(): void {
    if (this.logs.length >= LIMITS.maxNumberLogs) throw hostErrors.numberOfLogsExceeded(LIMITS.maxNumberLogs);
  }

  readAccountId(ptr: bigint, len: bigint): string {
    const buf = this.memoryOrRegister(ptr, len);
    this.gas.payBase("utf8DecodingBase");
    this.gas.payPer("utf8DecodingByte", buf.length);
    let id: string;
    try {
      id = new TextDecoder("utf-8", { fatal: true }).decode(buf);
    } catch {
      throw hostErrors.badUtf8();
    }
    if (!isValidAccountId(id)) throw hostErrors.invalidAccountId();
    return id;
  }

  deductBalance(amount: bigint): void {
    if (amount > this.currentBalance) throw hostErrors.balanceExceeded();
    this.currentBalance -= amount;
  }

  // ---- storage (with RuntimeExt's trie accounting) ----

  /** TrieUpdate::get_ref: this call's writes first (free), else the trie (touching or cached nodes). */
  private lookup(key: Uint8Array): Uint8Array | undefined {
    const k = hex(key);
    if (this.writes.has(k)) return this.writes.get(k) ?? undefined;
    const value = this.state.get(key);
    const nodes = value === undefined ? TRIE_NODES_MISSING_KEY : TRIE_NODES_EXISTING_KEY;
    if (this.touchedKeys.has(k)) this.gas.payPer("readCachedTrieNode", nodes);
    else this.gas.payPer("touchingTrieNode", nodes);
    this.touchedKeys.add(k);
    return value;
  }

  private readKey(ptr: bigint, len: bigint): Uint8Array {
    const key = this.memoryOrRegister(ptr, len);
    if (key.length > LIMITS.maxStorageKeyLength) {
      throw hostErrors.keyLengthExceeded(key.length, LIMITS.maxStorageKeyLength);
    }
    return key;
  }

  storage_write(keyLen: bigint, keyPtr: bigint, valueLen: bigint, valuePtr: bigint, registerId: bigint): bigint {
    this.gas.payBase("base");
    this.prohibitInView("storage_write");
    this.gas.payBase("storageWriteBase");
    const key = this.readKey(keyPtr, keyLen);
    const value = this.memoryOrRegister(valuePtr, valueLen);
    if (value.length > LIMITS.maxStorageValueLength) {
      throw hostErrors.valueLengthExceeded(value.length, LIMITS.maxStorageValueLength);
    }
    this.gas.payPer("storageWriteKeyByte", key.length);
    this.gas.payPer("storageWriteValueByte", value.length);
    const evicted = this.lookup(key);
    if (evicted) this.gas.payPer("storageWriteEvictedByte", evicted.length);
    this.writes.set(hex(key), value);
    if (evicted) {
      this.storageUsage += BigInt(value.length) - BigInt(evicted.length);
      this.setRegister(u64(registerId), evicted);
      return 1n;
    }
    this.storageUsage += BigInt(value.length + key.length) + ECONOMICS.numExtraBytesRecord;
    return 0n;
  }

  storage_read(keyLen: bigint, keyPtr: bigint, registerId: bigint): bigint {
    this.gas.payBase("base");
    this.gas.payBase("storageReadBase");
    const key = this.readKey(keyPtr, keyLen);
    this.gas.payPer("storageReadKeyByte", key.length);
    const value = this.lookup(key);
    if (!value) return 0n;
    this.gas.payPer("storageReadValueByte", value.length);
    if (value.length > INLINE_DISK_VALUE_THRESHOLD) {
      this.gas.burnGas(1n + BigInt(value.length), "storageLargeReadOverhead");
    }
    this.setRegister(u64(registerId), value);
    return 1n;
  }

  storage_remove(keyLen: bigint, keyPtr: bigint, registerId: bigint): bigint {
    this.gas.payBase("base");
    this.prohibitInView("storage_remove");
    this.gas.payBase("storageRemoveBase");
    const key = this.readKey(keyPtr, keyLen);
    this.gas.payPer("storageRemoveKeyByte", key.length);
    const removed = this.lookup(key);
    if (removed) this.gas.payPer("storageRemoveRetValueByte", removed.length);
    this.writes.set(hex(key), null);
    if (!removed) return 0n;
    this.storageUsage -= BigInt(removed.length + key.length) + ECONOMICS.numExtraBytesRecord;
    this.setRegister(u64(registerId), removed);
    return 1n;
  }

  storage_has_key(keyLen: bigint, keyPtr: bigint): bigint {
    this.gas.payBase("base");
    this.gas.payBase("storageHasKeyBase");
    const key = this.readKey(keyPtr, keyLen);
    this.gas.payPer("storageHasKeyByte", key.length);
    return this.lookup(key) ? 1n : 0n;
  }

  // ---- registers API ----

  read_register(registerId: bigint, ptr: bigint): void {
    this.gas.payBase("base");
    const data = this.readRegister(u64(registerId));
    this.writeMemory(u64(ptr), data);
  }

  register_len(registerId: bigint): bigint {
    this.gas.payBase("base");
    const data = this.registers.get(u64(registerId));
    return data ? BigInt(data.length) : U64_MAX;
  }

  write_register(registerId: bigint, dataLen: bigint, dataPtr: bigint): void {
    this.gas.payBase("base");
    const data = this.readMemory(u64(dataPtr), u64(dataLen));
    this.setRegister(u64(registerId), data);
  }

  // ---- context API ----

  private accountToRegister(registerId: bigint, value: string | Uint8Array, viewName?: string): void {
    this.gas.payBase("base");
    if (viewName) this.prohibitInView(viewName);
    this.setRegister(u64(registerId), typeof value === "string" ? new TextEncoder().encode(value) : value);
  }

  current_account_id(registerId: bigint): void {
    this.accountToRegister(registerId, this.ctx.currentAccountId);
  }
  signer_account_id(registerId: bigint): void {
    this.accountToRegister(registerId, this.ctx.signerAccountId, "signer_account_id");
  }
  signer_account_pk(registerId: bigint): void {
    this.accountToRegister(registerId, this.ctx.signerAccountPk, "signer_account_pk");
  }
  predecessor_account_id(registerId: bigint): void {
    this.accountToRegister(registerId, this.ctx.predecessorAccountId, "predecessor_account_id");
  }
  input(registerId: bigint): void {
    this.accountToRegister(registerId, this.ctx.input);
  }
  block_index(): bigint {
    this.gas.payBase("base");
    return this.ctx.blockHeight;
  }
  block_timestamp(): bigint {
    this.gas.payBase("base");
    return this.ctx.blockTimestamp;
  }
  epoch_height(): bigint {
    this.gas.payBase("base");
    return this.ctx.epochHeight;
  }
  storage_usage(): bigint {
    this.gas.payBase("base");
    return this.storageUsage;
  }

  // ---- economics API ----

  account_balance(ptr: bigint): void {
    this.gas.payBase("base");
    this.writeU128(u64(ptr), this.currentBalance);
  }
  account_locked_balance(ptr: bigint): void {
    this.gas.payBase("base");
    this.writeU128(u64(ptr), this.ctx.accountLockedBalance);
  }
  attached_deposit(ptr: bigint): void {
    this.gas.payBase("base");
    this.writeU128(u64(ptr), this.ctx.attachedDeposit);
  }
  prepaid_gas(): bigint {
    this.gas.payBase("base");
    this.prohibitInView("prepaid_gas");
    return this.ctx.prepaidGas;
  }
  used_gas(): bigint {
    this.gas.payBase("base");
    this.prohibitInView("used_gas");
    return this.gas.used;
  }
  validator_stake(accountIdLen: bigint, accountIdPtr: bigint, stakePtr: bigint): void {
    this.gas.payBase("base");
    this.readAccountId(accountIdPtr, accountIdLen);
    this.gas.payBase("validatorStakeBase");
    this.writeU128(u64(stakePtr), 0n); // the local node has no validators with stake
  }
  validator_total_stake(stakePtr: bigint): void {
    this.gas.payBase("base");
    this.gas.payBase("validatorTotalStakeBase");
    this.writeU128(u64(stakePtr), 0n);
  }

  // ---- math API ----

  random_seed(registerId: bigint): void {
    this.gas.payBase("base");
    this.setRegister(u64(registerId), this.ctx.randomSeed);
  }

  private hash(
    base: "sha256Base" | "keccak256Base" | "keccak512Base",
    perByte: "sha256Byte" | "keccak256Byte" | "keccak512Byte",
    fn: (b: Uint8Array) => Uint8Array,
    len: bigint,
    ptr: bigint,
    registerId: bigint,
  ): void {
    this.gas.payBase(base);
    const value = this.memoryOrRegister(ptr, len);
    this.gas.payPer(perByte, value.length);
    this.setRegister(u64(registerId), fn(value));
  }

  sha256(len: bigint, ptr: bigint, registerId: bigint): void {
    this.hash("sha256Base", "sha256Byte", sha256, len, ptr, registerId);
  }
  keccak256(len: bigint, ptr: bigint, registerId: bigint): void {
    this.hash("keccak256Base", "keccak256Byte", keccak_256, len, ptr, registerId);
  }
  keccak512(len: bigint, ptr: bigint, registerId: bigint): void {
    this.hash("keccak512Base", "keccak512Byte", keccak_512, len, ptr, registerId);
  }
  ripemd160(len: bigint, ptr: bigint, registerId: bigint): void {
    this.gas.payBase("ripemd160Base");
    const value = this.memoryOrRegister(ptr, len);
    const blocks = Math.floor((value.length + 8) / 64) + 1;
    this.gas.payPer("ripemd160Block", blocks);
    this.setRegister(u64(registerId), ripemd160(value));
  }

  ecrecover(
    hashLen: bigint,
    hashPtr: bigint,
    sigLen: bigint,
    sigPtr: bigint,
    v: bigint,
    malleabilityFlag: bigint,
    registerId: bigint,
  ): bigint {
    this.gas.payBase("ecrecoverBase");
    const sig = this.memoryOrRegister(sigPtr, sigLen);
    if (sig.length !== 64) {
      throw hostErrors.ecrecover(`The length of the signature: ${sig.length}, exceeds the limit of 64 bytes`);
    }
    v = u64(v);
    if (v >= 4n) throw hostErrors.ecrecover(`V recovery byte 0 through 3 are valid but was provided ${v}`);
    const hash = this.memoryOrRegister(hashPtr, hashLen);
    if (hash.length !== 32) {
      throw hostErrors.ecrecover(`The length of the hash: ${hash.length}, exceeds the limit of 32 bytes`);
    }
    const flag = u64(malleabilityFlag);
    if (flag !== 0n && flag !== 1n) {
      throw hostErrors.ecrecover(`Malleability flag needs to be 0 or 1, but is instead ${flag}`);
    }
    const r = BigInt(`0x${hex(sig.subarray(0, 32))}`);
    const s = BigInt(`0x${hex(sig.subarray(32, 64))}`);
    const n = secp256k1.CURVE.n;
    // Secp256K1Signature::check_signature_values
    if (r === 0n || r >= n || s === 0n || s >= n) return 0n;
    if (flag === 1n && s > n / 2n) return 0n;
    let pk: Uint8Array;
    try {
      const point = new secp256k1.Signature(r, s).addRecoveryBit(Number(v)).recoverPublicKey(hash);
      pk = point.toRawBytes(false).subarray(1);
    } catch {
      return 0n;
    }
    this.setRegister(u64(registerId), pk);
    return 1n;
  }

  ed25519_verify(sigLen: bigint, sigPtr: bigint, msgLen: bigint, msgPtr: bigint, pkLen: bigint, pkPtr: bigint): bigint {
    this.gas.payBase("ed25519VerifyBase");
    const sig = this.memoryOrRegister(sigPtr, sigLen);
    if (sig.length !== 64) throw hostErrors.ed25519("invalid signature length");
    if ((sig[63] & 0xe0) !== 0) return 0n;
    const msg = this.memoryOrRegister(msgPtr, msgLen);
    this.gas.payPer("ed25519VerifyByte", msg.length);
    const pk = this.memoryOrRegister(pkPtr, pkLen);
    if (pk.length !== 32) throw hostErrors.ed25519("invalid public key length");
    try {
      return ed25519.verify(sig, msg, pk, { zip215: false }) ? 1n : 0n;
    } catch {
      return 0n;
    }
  }

  // alt_bn128 is imported by near-sdk-js but not implemented by this node: it fails cleanly after its base cost.
  private altBn128(base: "altBn128G1MultiexpBase" | "altBn128G1SumBase" | "altBn128PairingCheckBase"): never {
    this.gas.payBase(base);
    throw hostErrors.altBn128("alt_bn128 is not supported by the AI Commons local node");
  }
  alt_bn128_g1_multiexp(_len: bigint, _ptr: bigint, _registerId: bigint): void {
    this.altBn128("altBn128G1MultiexpBase");
  }
  alt_bn128_g1_sum(_len: bigint, _ptr: bigint, _registerId: bigint): void {
    this.altBn128("altBn128G1SumBase");
  }
  alt_bn128_pairing_check(_len: bigint, _ptr: bigint): bigint {
    this.altBn128("altBn128PairingCheckBase");
  }

  // ---- miscellaneous API ----

  value_return(valueLen: bigint, valuePtr: bigint): void {
    this.gas.payBase("base");
    const value = this.memoryOrRegister(valuePtr, valueLen);
    if (value.length > LIMITS.maxLengthReturnedData) {
      throw hostErrors.returnedValueLengthExceeded(value.length, LIMITS.maxLengthReturnedData);
    }
    let burn = 0n;
    for (const receiver of this.ctx.outputDataReceivers ?? []) {
      const sir = receiver === this.ctx.currentAccountId;
      const fee = ACTION_FEES.dataReceiptPerByte;
      burn += ((sir ? fee.sendSir : fee.sendNotSir) + fee.execution) * BigInt(value.length);
    }
    this.gas.payAction(burn, burn, "NEW_DATA_RECEIPT_BYTE");
    this.returnData = { kind: "Value", data: value };
  }

  panic(): void {
    this.gas.payBase("base");
    throw hostErrors.guestPanic("explicit guest panic");
  }
  panic_utf8(len: bigint, ptr: bigint): void {
    this.gas.payBase("base");
    throw hostErrors.guestPanic(this.readUtf8(u64(len), u64(ptr)));
  }
  log_utf8(len: bigint, ptr: bigint): void {
    this.gas.payBase("base");
    this.checkCanAddLog();
    const message = this.readUtf8(u64(len), u64(ptr));
    this.gas.payBase("logBase");
    this.gas.payPer("logByte", Buffer.byteLength(message, "utf8"));
    this.pushLog(message);
  }
  log_utf16(len: bigint, ptr: bigint): void {
    this.gas.payBase("base");
    this.checkCanAddLog();
    const message = this.readUtf16(u64(len), u64(ptr));
    this.gas.payBase("logBase");
    this.gas.payPer("logByte", Buffer.byteLength(message, "utf8"));
    this.pushLog(message);
  }
  abort(msgPtr: number, filenamePtr: number, line: number, col: number): void {
    this.gas.payBase("base");
    const [m, f] = [msgPtr >>> 0, filenamePtr >>> 0];
    if (m < 4 || f < 4) throw hostErrors.badUtf16();
    this.checkCanAddLog();
    const u32At = (p: number) => new DataView(this.readMemory(BigInt(p), 4n).buffer).getUint32(0, true);
    const msgLen = u32At(m - 4);
    const fileLen = u32At(f - 4);
    const msg = this.readUtf16(BigInt(msgLen), BigInt(m));
    const file = this.readUtf16(BigInt(fileLen), BigInt(f));
    const message = `${msg}, filename: "${file}" line: ${line >>> 0} col: ${col >>> 0}`;
    this.gas.payBase("logBase");
    this.gas.payPer("logByte", Buffer.byteLength(message, "utf8"));
    this.pushLog(`ABORT: ${message}`);
    throw hostErrors.guestPanic(message);
  }
  sandbox_debug_log(_len: bigint, _ptr: bigint): void {
    // free and without effect: near-sandbox only writes these to its own debug log
  }
  gas_opcodes(opcodes: number): void {
    this.gas.burnGas(BigInt(opcodes >>> 0) * REGULAR_OP_COST);
  }
  storage_iter_prefix(): bigint {
    throw hostErrors.deprecated("storage_iter_prefix");
  }
  storage_iter_range(): bigint {
    throw hostErrors.deprecated("storage_iter_range");
  }
  storage_iter_next(): bigint {
    throw hostErrors.deprecated("storage_iter_next");
  }
}
