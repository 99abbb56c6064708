import { bytes, near } from "near-sdk-js";
import type { UnorderedMap } from "near-sdk-js";
import { DAO_CODE } from "./types";
import type { CodeRecord } from "./types";
import { fail } from "../shared/errors";
import type { Emitter } from "../shared/events";
import { storageCost } from "../shared/storage";
import { assertWasmCode, isAmount, isValidName, toHex } from "../shared/validate";

export const MAX_CODE_NAME = 24;
// Headroom for a new contract's own state beyond its code: 1 NEAR = 100 KB.
export const DEFAULT_STATE_HEADROOM = 1000000000000000000000000n;

export function codeKey(name: string): Uint8Array {
  return bytes(`C${name}`);
}

interface CodeHeader {
  name: string;
  version: string;
  in_suite?: boolean;
  init_balance?: string;
}

// Input framing of store_code: a one-line JSON header, a newline (0x0a), then the raw wasm bytes. The header never
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

export function storeCode(codes: UnorderedMap<CodeRecord>, input: Uint8Array, emit: Emitter): CodeRecord {
  const { header, code } = parseCodeInput(input);
  if (header === null || typeof header !== "object") fail("ERR_INVALID_CODE_INPUT");
  if (!isValidName(header.name, MAX_CODE_NAME)) fail("ERR_INVALID_NAME", `code name: a-z 0-9 -, 1..${MAX_CODE_NAME}`);
  if (typeof header.version !== "string" || header.version.length < 1 || header.version.length > 32) {
    fail("ERR_INVALID_VERSION", "1..32 chars");
  }
  assertWasmCode(code);
  if (header.init_balance !== undefined && !isAmount(header.init_balance)) fail("ERR_INVALID_AMOUNT", "init_balance");
  const minBalance = storageCost(BigInt(code.length));
  const initBalance =
    header.init_balance === undefined ? minBalance + DEFAULT_STATE_HEADROOM : BigInt(header.init_balance);
  if (initBalance < minBalance) fail("ERR_INVALID_AMOUNT", `init_balance below the code's storage ${minBalance}`);
  const previous = codes.get(header.name) as CodeRecord | null;
  if (previous && previous.version === header.version) fail("ERR_VERSION_EXISTS", header.version);
  const record: CodeRecord = {
    v: 1,
    name: header.name,
    version: header.version,
    sha256: toHex(near.sha256(code)),
    bytes: code.length,
    in_suite: header.name === DAO_CODE ? true : header.in_suite !== false,
    init_balance: initBalance.toString(),
    stored_at: near.blockTimestamp().toString(),
  };
  near.storageWriteRaw(codeKey(header.name), code);
  codes.set(header.name, record);
  emit("code_stored", [
    {
      name: record.name,
      version: record.version,
      sha256: record.sha256,
      bytes: record.bytes,
      previous_version: previous ? previous.version : null,
    },
  ]);
  return record;
}

export function readCode(name: string): Uint8Array {
  const code = near.storageReadRaw(codeKey(name));
  if (!code) fail("ERR_UNKNOWN_CODE", name);
  return code;
}

// The suite in deploy order: the DAO first (it is the community's address), then the other codes as stored.
export function suiteCodes(codes: UnorderedMap<CodeRecord>): CodeRecord[] {
  const dao = codes.get(DAO_CODE) as CodeRecord | null;
  if (!dao) fail("ERR_NO_DAO_CODE", `store "${DAO_CODE}" first`);
  const out: CodeRecord[] = [dao];
  const n = codes.length;
  const names = codes.keys({ start: 0, limit: n }) as string[];
  for (const name of names) {
    if (name === DAO_CODE) continue;
    const rec = codes.get(name) as CodeRecord;
    if (rec.in_suite) out.push(rec);
  }
  return out;
}
