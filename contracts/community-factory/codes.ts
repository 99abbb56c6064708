import { bytes, near } from "near-sdk-js";
import type { JsonUnorderedMap } from "../shared/json-store";
import { DAO_CODE } from "./types";
import type { CodeRecord } from "./types";
import { fail } from "../shared/errors";
import type { Emitter } from "../shared/events";
import { deployGlobalCode, GLOBAL_CODE_ID_BYTES } from "../shared/global-code";
import { GLOBAL_BYTE_COST } from "../wire/units";
import { requireGas, TGAS } from "../shared/gas";
import { keepAndRefund, sendNear, storageCost } from "../shared/storage";
import { assertWasmCode, isAmount, isValidName, toHex } from "../shared/validate";

export const MAX_CODE_NAME = 24;
// What a new suite account starts with beyond its account record and code hash, unless the release says otherwise:
// its fixed state after `init` (measured at protocol 86: 560 to 1,360 bytes with the account record) and 0.6 to 1.4 KB
// of headroom for what grows without a payer (statuses and history the DAO decides: the demo's whole story adds a few
// hundred bytes). The factory adds the size of each community's `init` arguments (communities.ts). Users pay for what
// they add: each contract charges its writers. Anyone may top an account up with a plain transfer.
export const DEFAULT_STATE_BYTES = 2000n;
// nearcore's account record (num_extra_bytes_record) plus the 32-byte global code hash the account holds.
export const ACCOUNT_RECORD_BYTES = 100n + GLOBAL_CODE_ID_BYTES;
// The deploy and the callback (a 400 KB code: ~31 Tgas of deploy fees, its input read by the contract).
export const PUBLISH_GAS_PER_BYTE = 6812999n + 70000000n + 25000000n;
export const PUBLISH_CALLBACK_GAS = 15n * TGAS;

// Legacy: releases stored before global contracts kept their wasm under this key (removed by remove_code).
export function codeKey(name: string): Uint8Array {
  return bytes(`C${name}`);
}

interface CodeHeader {
  name: string;
  version: string;
  in_suite?: boolean;
  init_balance?: string;
}

// Input framing of publish_code: a one-line JSON header, a newline (0x0a), then the raw wasm bytes. The header never
// contains a raw newline (JSON.stringify escapes them), so the first 0x0a ends it.
export function parseCodeInput(input: Uint8Array): { header: CodeHeader; code: Uint8Array } {
  let nl = -1;
  const scan = input.length < 4096 ? input.length : 4096;
  for (let i = 0; i < scan; i++) {
    if (input[i] === 10) {
      nl = i;
      break;
    }
  }
  if (nl < 0) fail("ERR_INVALID_CODE_INPUT", "expected a JSON header line, a newline, then the wasm bytes");
  let header: CodeHeader;
  try {
    let text = "";
    for (let i = 0; i < nl; i++) text += String.fromCharCode(input[i]);
    header = JSON.parse(text) as CodeHeader;
  } catch (_e) {
    fail("ERR_INVALID_CODE_INPUT", "header is not JSON");
  }
  return { header, code: input.subarray(nl + 1) };
}

// What publishing `bytes` of code burns (the owner attaches it).
export function publishCost(bytes: number): bigint {
  return BigInt(bytes) * GLOBAL_BYTE_COST;
}

// Validates a release (header + wasm) and deploys the code to the global store by its hash from the factory's own
// account; on_code_published records it once the deploy has succeeded. The owner attaches the burn (publishCost);
// the excess comes back at once, the burn itself if the deploy fails. The factory keeps no wasm, only the record.
export function publishCode(codes: JsonUnorderedMap<CodeRecord>, input: Uint8Array): void {
  const { header, code } = parseCodeInput(input);
  if (header === null || typeof header !== "object") fail("ERR_INVALID_CODE_INPUT");
  if (!isValidName(header.name, MAX_CODE_NAME)) fail("ERR_INVALID_NAME", `code name: a-z 0-9 -, 1..${MAX_CODE_NAME}`);
  if (typeof header.version !== "string" || header.version.length < 1 || header.version.length > 32) {
    fail("ERR_INVALID_VERSION", "1..32 chars");
  }
  assertWasmCode(code);
  if (header.init_balance !== undefined && !isAmount(header.init_balance)) fail("ERR_INVALID_AMOUNT", "init_balance");
  const minBalance = storageCost(ACCOUNT_RECORD_BYTES);
  const initBalance =
    header.init_balance === undefined
      ? storageCost(ACCOUNT_RECORD_BYTES + DEFAULT_STATE_BYTES)
      : BigInt(header.init_balance);
  if (initBalance < minBalance) fail("ERR_INVALID_AMOUNT", `init_balance below an account's storage ${minBalance}`);
  const previous = codes.get(header.name) as CodeRecord | null;
  // a release stored before global contracts (its wasm in the factory) may be published again under its version
  if (previous && previous.version === header.version && previous.global === true) {
    fail("ERR_VERSION_EXISTS", header.version);
  }
  requireGas(BigInt(code.length) * PUBLISH_GAS_PER_BYTE + PUBLISH_CALLBACK_GAS + 5n * TGAS);
  const burn = publishCost(code.length);
  keepAndRefund(burn);
  const record: CodeRecord = {
    v: 2,
    name: header.name,
    version: header.version,
    sha256: toHex(near.sha256(code)),
    bytes: code.length,
    in_suite: header.name === DAO_CODE ? true : header.in_suite !== false,
    init_balance: initBalance.toString(),
    stored_at: "0",
    global: true,
  };
  const self = near.currentAccountId();
  const deploy = near.promiseBatchCreate(self);
  deployGlobalCode(deploy, code);
  const args = JSON.stringify({ record, payer: near.predecessorAccountId(), burn: burn.toString() });
  near.promiseThen(deploy, self, "on_code_published", args, 0n, PUBLISH_CALLBACK_GAS);
}

// The deploy's outcome: the record replaces the previous release of that name, or the burn goes back to the payer.
export function onCodePublished(
  codes: JsonUnorderedMap<CodeRecord>,
  a: { record: CodeRecord; payer: string; burn: string },
  ok: boolean,
  emit: Emitter,
): CodeRecord | null {
  const { record } = a;
  if (!ok) {
    sendNear(a.payer, BigInt(a.burn));
    emit("code_publish_failed", [
      { name: record.name, version: record.version, sha256: record.sha256, refund: a.burn },
    ]);
    return null;
  }
  const previous = codes.get(record.name) as CodeRecord | null;
  // a release stored before global contracts kept its wasm here: the global record replaces it
  near.storageRemoveRaw(codeKey(record.name));
  record.stored_at = near.blockTimestamp().toString();
  codes.set(record.name, record);
  emit("code_stored", [
    {
      name: record.name,
      version: record.version,
      sha256: record.sha256,
      bytes: record.bytes,
      previous_version: previous ? previous.version : null,
      burnt: a.burn,
    },
  ]);
  return record;
}

// The suite in deploy order: the DAO first (it is the community's address), then the other codes as stored.
export function suiteCodes(codes: JsonUnorderedMap<CodeRecord>): CodeRecord[] {
  const dao = codes.get(DAO_CODE) as CodeRecord | null;
  if (!dao) fail("ERR_NO_DAO_CODE", `store "${DAO_CODE}" first`);
  const out: CodeRecord[] = [dao];
  const n = codes.size;
  const names = codes.keys(0, n);
  for (const name of names) {
    if (name === DAO_CODE) continue;
    const rec = codes.get(name) as CodeRecord;
    if (rec.in_suite) out.push(rec);
  }
  return out;
}
