// Shared set-up for the verifier stories: a verifier deployed from build/inference-verifier.wasm, plain accounts
// acting as the DAO and the model registry, attester keys, signed receipts (attester/src/receipt.ts), state
// snapshots for "nothing recorded" checks, and a tiny raw-wasm reward pool that logs what it receives.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { secp256k1 } from "@noble/curves/secp256k1";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import binaryen from "binaryen";
import type { NearAccount, TransactionResult, Worker } from "near-workspaces";
import {
  type AttesterKey,
  newKey,
  signReceipt,
  type SignedReceipt,
  type UnsignedReceipt,
} from "../../attester/src/receipt.ts";
import { NEAR, ROOT, TGAS, tgas as tgasText } from "../helpers/tx.ts";

import { ATTESTER_STORAGE_DEPOSIT } from "../../contracts/wire/dao.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";
import { VERIFIER_SETTINGS } from "../../scripts/scenario/community.ts";

export { assertPanics, events, gasOf, NEAR, type NepEvent as Event, ROOT, SEC, TGAS } from "../helpers/tx.ts";

export const BOND = 2n * NEAR;
// what the DAO's AddAttester attaches for the attester's storage besides the bond; the verifier keeps the exact cost
// and sends the rest back
export const ATTESTER_STORAGE = ATTESTER_STORAGE_DEPOSIT;
// storage a relayer attaches per receipt (about 0.006 NEAR is kept for the first receipt, less after; the rest is refunded)
export const DEPOSIT = RECEIPT_STORAGE_DEPOSIT;
export const MODEL = "intents";
export const VERSION = "1.0.0";
export const WEIGHTS = "ab".repeat(32);

// Short windows so stories can pass them with fastForward (one block is at least one second there): the community
// story's (scripts/scenario/community.ts).
export const SETTINGS = VERIFIER_SETTINGS;

export function verifierWasm(): Buffer {
  return readFileSync(join(ROOT, "build", "inference-verifier.wasm"));
}

/** A raw wasm contract whose on_usage_report logs its JSON arguments (so a test can read the report). */
export function loggingPoolWasm(): Uint8Array {
  const m = binaryen.parseText(`(module
    (import "env" "input" (func $input (param i64)))
    (import "env" "register_len" (func $register_len (param i64) (result i64)))
    (import "env" "read_register" (func $read_register (param i64 i64)))
    (import "env" "log_utf8" (func $log_utf8 (param i64 i64)))
    (memory 1)
    (func (export "on_usage_report")
      (call $input (i64.const 0))
      (call $read_register (i64.const 0) (i64.const 0))
      (call $log_utf8 (call $register_len (i64.const 0)) (i64.const 0))))`);
  const bin = m.emitBinary();
  m.dispose();
  return bin;
}

/** The verifier's gas in Tgas with three decimals (its calls are small). */
export function tgas(g: bigint): string {
  return tgasText(g, 3);
}

export async function chainNow(worker: Worker): Promise<bigint> {
  const provider = worker.provider as unknown as {
    block(q: { finality: string }): Promise<{ header: { timestamp_nanosec: string } }>;
  };
  return BigInt((await provider.block({ finality: "final" })).header.timestamp_nanosec);
}

/** Every key and value the contract stores, for "nothing recorded" checks. */
export async function stateDump(worker: Worker, accountId: string): Promise<string[]> {
  const state = await worker.provider.viewState(accountId, "");
  return state.map(({ key, value }) => `${key.toString("base64")}=${value.toString("base64")}`).sort();
}

export interface World {
  worker: Worker;
  root: NearAccount;
  dao: NearAccount;
  registry: NearAccount;
  relayer: NearAccount;
  verifier: NearAccount;
  pool: NearAccount;
}

let seq = 0;

/** Verifier + plain DAO / registry / relayer accounts; the reward pool is an account without a contract. */
export async function world(
  worker: Worker,
  root: NearAccount,
  settings: Record<string, unknown> = SETTINGS,
): Promise<World> {
  seq += 1;
  const dao = await root.createSubAccount(`dao${seq}`, { initialBalance: 50n * NEAR });
  const registry = await root.createSubAccount(`registry${seq}`);
  const relayer = await root.createSubAccount(`relayer${seq}`);
  const pool = await root.createSubAccount(`pool${seq}`);
  const verifier = await root.createSubAccount(`verifier${seq}`, { initialBalance: 20n * NEAR });
  await verifier.deploy(verifierWasm());
  await verifier.call(
    verifier,
    "init",
    { dao_id: dao.accountId, model_registry_id: registry.accountId, reward_pool_id: pool.accountId, settings },
    { gas: 100n * TGAS },
  );
  return { worker, root, dao, registry, relayer, verifier, pool };
}

let pushSeq = 0;

/** The next model-push number (the registry's verifier_seq): increasing across every world, so always fresh. */
export function nextSeq(): number {
  pushSeq += 1;
  return pushSeq;
}

export async function activate(w: World, version = VERSION, weights = WEIGHTS, name = MODEL): Promise<void> {
  await w.registry.call(
    w.verifier,
    "set_active_model",
    { model_name: name, model_version: version, weights_sha256: weights, seq: nextSeq() },
    { gas: 30n * TGAS },
  );
}

export async function addAttester(w: World, id: string, key: AttesterKey = newKey()): Promise<AttesterKey> {
  const r = await w.dao.callRaw(
    w.verifier,
    "add_attester",
    { attester_id: id, public_key: key.public_key, bond: BOND.toString() },
    { attachedDeposit: BOND + ATTESTER_STORAGE, gas: 30n * TGAS },
  );
  if (r.failed) throw new Error(`add_attester failed: ${r.receiptFailureMessages.join(" | ")}`);
  return key;
}

let nonce = 1000n;

export function fresh(): bigint {
  nonce += 1n;
  return nonce;
}

/** An unsigned receipt for the active test model with random commitments; `over` replaces fields. */
export function draft(w: World, attesterId: string, now: bigint, over: Partial<UnsignedReceipt> = {}): UnsignedReceipt {
  return {
    community: w.dao.accountId,
    model_name: MODEL,
    model_version: VERSION,
    weights_sha256: WEIGHTS,
    input_sha256: bytesToHex(secp256k1.utils.randomPrivateKey()),
    output_sha256: bytesToHex(secp256k1.utils.randomPrivateKey()),
    attester_id: attesterId,
    nonce: fresh().toString(),
    timestamp: now.toString(),
    enclave_measurement: null,
    ...over,
  };
}

export function sign(w: World, r: UnsignedReceipt, key: AttesterKey, verifierId = w.verifier.accountId): SignedReceipt {
  return signReceipt(verifierId, r, key.private_key);
}

/** The same signature with s replaced by n - s (valid for secp256k1, refused by the low-s rule). */
export function highS(r: SignedReceipt): SignedReceipt {
  const sig = secp256k1.Signature.fromCompact(hexToBytes(r.signature));
  const flipped = new secp256k1.Signature(sig.r, secp256k1.CURVE.n - sig.s);
  return { ...r, signature: flipped.toCompactHex(), recovery_id: r.recovery_id ^ 1 };
}

export async function submit(w: World, receipts: unknown[], deposit?: bigint): Promise<TransactionResult> {
  return w.relayer.callRaw(
    w.verifier,
    "submit_receipts",
    { receipts },
    { attachedDeposit: deposit ?? BigInt(receipts.length) * DEPOSIT, gas: 300n * TGAS },
  );
}
