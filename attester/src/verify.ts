// The user's check of an inference proof (docs/verifier.md, attester/README.md "Checking a proof"): given the input,
// the salt, the output and the signed receipt an attester returned, is this receipt a proof that the community's
// chosen model gave this output to this input? Pure functions plus `verifyReceipt`, which reads the chain only
// through a view caller, so a browser app can use it with any RPC client (no file system, no CLI, no near-api-js).
//
// Checks, one line each in the verdict, in this order (a check that cannot be made without an earlier one is
// skipped, `ok: null`):
//   receipt    the receipt is well formed (what the verifier checks before anything else)
//   salt       exactly 32 bytes (64 hex): any other length would give a commitment two openings
//   input      sha256("ai-commons-input\n" || salt || input) is the receipt's input_sha256
//   output     sha256("ai-commons-output\n" || salt || output) is its output_sha256
//   community  the receipt names the verifier's community
//   attester   the attester is registered on the verifier and not slashed
//   signature  the signature recovers to the attester's key as registered on the verifier
//   on_chain   the verifier holds this very receipt (by attester and nonce, the same hash)
//   model      it names the model the model registry had active when the verifier accepted it (its history)
//   finality   final (past its challenge window), still challengeable, or disputed / voided
import type { ReceiptRecord } from "../../contracts/inference-verifier/types.ts";
import { bytesToHex } from "@noble/hashes/utils";
import { isHexHash, isU64String, isValidAccountId, recordId } from "../../contracts/wire/fields.ts";
import {
  type ChallengeWindow,
  challengeWindowEnd,
  challengeWindowOf,
  type SignedReceipt,
} from "../../contracts/wire/receipt.ts";
import { AttesterError } from "./errors.ts";
import { checkText, commitInput, commitOutput, receiptHash, recoverSigner, SALT_BYTES } from "./receipt.ts";

// ---------- codes ----------

/**
 * Every code a verdict can carry, defined once. `wire: true`: the suite's own code (contracts/wire/errors.ts) in the
 * same sense, reused; `attester: true`: the attester's refusal before signing (receipt.ts); otherwise the check's own.
 */
export const VERIFY_CODES = {
  ERR_INVALID_RECEIPT: { meaning: "not a signed receipt: a field is missing or malformed", wire: true },
  ERR_SALT_LENGTH: { meaning: "the salt is not exactly 32 bytes (64 hex characters)", attester: true },
  ERR_INPUT_NOT_UNICODE: {
    meaning: "the input or output is not well-formed UTF-16 (a lone surrogate)",
    attester: true,
  },
  ERR_INPUT_MISMATCH: { meaning: "the input and salt do not open the receipt's input commitment" },
  ERR_OUTPUT_MISMATCH: { meaning: "the output and salt do not open the receipt's output commitment" },
  ERR_WRONG_COMMUNITY: { meaning: "the receipt names another community than the verifier's", wire: true },
  ERR_UNKNOWN_ATTESTER: { meaning: "no attester with this id on the verifier", wire: true },
  ERR_ATTESTER_SLASHED: { meaning: "the attester was slashed: caught signing two outputs for one input", wire: true },
  ERR_INVALID_SIGNATURE: { meaning: "signature not 128 hex characters, or recovery id not 0/1", wire: true },
  ERR_BAD_SIGNATURE: { meaning: "the signature does not recover to the attester's registered key", wire: true },
  ERR_UNKNOWN_RECEIPT: { meaning: "the verifier holds no receipt of this attester with this nonce", wire: true },
  ERR_RECEIPT_MISMATCH: { meaning: "the verifier holds another receipt under this attester and nonce" },
  ERR_MODEL_NOT_ACTIVE: { meaning: "the receipt names a model the registry did not have active then", wire: true },
  ERR_WEIGHTS_MISMATCH: { meaning: "the receipt's weights hash is not the registry's for its model", wire: true },
  ERR_RECEIPT_DISPUTED: { meaning: "the receipt is disputed: its usage is withheld until the DAO decides" },
  ERR_RECEIPT_VOIDED: { meaning: "the receipt was voided (by the DAO, or as an equivocation)" },
  ERR_CONFLICTING_RECEIPTS: { meaning: "two receipts for one model and input commitment give different outputs" },
  ERR_NOT_CONFLICTING: { meaning: "the receipts are not for the same model version and input", wire: true },
  ERR_RECEIPT_NOT_CHALLENGEABLE: { meaning: "the receipt to challenge is not Accepted", wire: true },
  ERR_CHALLENGE_WINDOW_CLOSED: { meaning: "the receipt to challenge is past its challenge window", wire: true },
  ERR_DISPUTE_DISMISSED: { meaning: "the DAO already dismissed a dispute of this receipt", wire: true },
} as const satisfies Record<string, { meaning: string; wire?: true; attester?: true }>;

export type VerifyCode = keyof typeof VERIFY_CODES;

/** A verifier applies the registry's model push a block or two after the registry's change (docs/verifier.md). */
export const MODEL_PUSH_LAG_NS = 30_000_000_000n;
/** What a dispute attaches beyond the dispute bond for its storage; the unused part is refunded. */
export const DISPUTE_STORAGE_MARGIN = 10n ** 23n;
export const CHALLENGE_GAS_TGAS = 100;

// ---------- what the chain says (views of contracts/inference-verifier and contracts/model-registry) ----------

/** `(contract, method, args) => parsed JSON result` of a view call. */
export type ViewCaller = (contractId: string, method: string, args: Record<string, unknown>) => Promise<unknown>;

/** The verifier's receipt record as `get_receipt_by_nonce` returns it (its one definition: the contract's types). */
export type ReceiptRecordView = ReceiptRecord;

export interface HistoryEntry {
  model_id: string | null;
  action: "activate" | "rollback" | "deprecate";
  at: string;
}

interface VerifierConfig {
  community: string;
  model_registry_id: string;
  settings: { challenge_window_ns: string; dispute_bond?: string };
  challenges_closed_before_ns?: string;
}

interface AttesterView {
  attester_id: string;
  public_key: string;
  status: "Active" | "Removed" | "Slashed";
}

// ---------- verdict ----------

export type CheckName =
  | "receipt"
  | "salt"
  | "input"
  | "output"
  | "community"
  | "attester"
  | "signature"
  | "on_chain"
  | "model"
  | "finality";

export interface CheckResult {
  check: CheckName;
  /** true: passed, false: failed (with `code`), null: skipped (an earlier check failed) */
  ok: boolean | null;
  code?: VerifyCode;
  detail: string;
}

export type Finality = "final" | "challengeable" | "disputed" | "voided";

export interface Verdict {
  ok: boolean;
  verifier_id: string;
  attester_id: string | null;
  nonce: string | null;
  /** hex sha256 of the canonical text the attester signed */
  receipt_hash: string | null;
  checks: CheckResult[];
  /** the verifier's record of the receipt, when it holds it */
  record: ReceiptRecordView | null;
  finality: Finality | null;
  /** accepted_at + challenge window (ns): final from then on */
  final_at: string | null;
  /** the registry's active model at the time checked, and since when (ns) */
  active_model: { model_id: string | null; since: string | null } | null;
  /** the time the model check was made for: accepted_at, or the receipt's timestamp when not on chain */
  model_checked_at: string | null;
  /** chain time of the check (ns) */
  now: string;
}

const pass = (check: CheckName, detail: string): CheckResult => ({ check, ok: true, detail });
const fail = (check: CheckName, code: VerifyCode, detail?: string): CheckResult => ({
  check,
  ok: false,
  code,
  detail: detail ?? VERIFY_CODES[code].meaning,
});
const skip = (check: CheckName, why: string): CheckResult => ({ check, ok: null, detail: `not checked: ${why}` });

// ---------- pure checks ----------

/** Why `r` is not a well-formed signed receipt (the fields the verifier checks), or null. */
export function receiptProblem(r: unknown): string | null {
  if (r === null || typeof r !== "object" || Array.isArray(r)) return "not an object";
  const x = r as Record<string, unknown>;
  if (!isValidAccountId(x.community)) return "community";
  if (!isValidAccountId(x.attester_id)) return "attester_id";
  if (typeof x.model_name !== "string" || x.model_name === "") return "model_name";
  if (typeof x.model_version !== "string" || x.model_version === "") return "model_version";
  for (const k of ["weights_sha256", "input_sha256", "output_sha256"]) if (!isHexHash(x[k])) return k;
  const em = x.enclave_measurement;
  if (em !== undefined && em !== null && !isHexHash(em)) return "enclave_measurement";
  if (!isU64String(x.nonce)) return "nonce";
  if (!isU64String(x.timestamp)) return "timestamp";
  if (typeof x.signature !== "string") return "signature";
  if (typeof x.recovery_id !== "number") return "recovery_id";
  return null;
}

/** The salt, input and output checks: the commitments opened exactly as the receipt format defines them. */
export function checkOpening(
  opening: { input: string; output: string; salt: string },
  r: { input_sha256: string; output_sha256: string },
): CheckResult[] {
  const { input, output, salt } = opening;
  if (typeof salt !== "string" || !/^[0-9a-fA-F]*$/.test(salt) || salt.length !== 2 * SALT_BYTES) {
    const got = typeof salt === "string" && /^[0-9a-fA-F]*$/.test(salt) && salt.length % 2 === 0;
    const detail = `${VERIFY_CODES.ERR_SALT_LENGTH.meaning}${got ? `: got ${salt.length / 2} bytes` : ": not hex"}`;
    return [fail("salt", "ERR_SALT_LENGTH", detail), skip("input", "no valid salt"), skip("output", "no valid salt")];
  }
  const bytes = hexBytes(salt.toLowerCase());
  const out: CheckResult[] = [pass("salt", `${SALT_BYTES} bytes`)];
  for (const [check, text, commit, want, code] of [
    ["input", input, commitInput, r.input_sha256, "ERR_INPUT_MISMATCH"],
    ["output", output, commitOutput, r.output_sha256, "ERR_OUTPUT_MISMATCH"],
  ] as const) {
    try {
      checkText(text);
    } catch {
      out.push(fail(check, "ERR_INPUT_NOT_UNICODE"));
      continue;
    }
    const got = commit(bytes, text);
    out.push(
      got === want
        ? pass(check, `opens ${check}_sha256 ${want.slice(0, 16)}...`)
        : fail(check, code, `${VERIFY_CODES[code].meaning}: the commitment is ${want}, this ${check} gives ${got}`),
    );
  }
  return out;
}

function hexBytes(hex: string): Uint8Array {
  const b = new Uint8Array(hex.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return b;
}

/** The signature check against a registered public key (128 hex, the form add_attester takes). */
export function checkSignature(verifierId: string, r: SignedReceipt, publicKey: string): CheckResult {
  if (!/^[0-9a-f]{128}$/.test(r.signature) || (r.recovery_id !== 0 && r.recovery_id !== 1)) {
    return fail("signature", "ERR_INVALID_SIGNATURE");
  }
  const signer = recoverSigner(verifierId, r);
  if (signer === publicKey) return pass("signature", `signed by ${r.attester_id}'s registered key for ${verifierId}`);
  return fail(
    "signature",
    "ERR_BAD_SIGNATURE",
    signer === null
      ? `${VERIFY_CODES.ERR_BAD_SIGNATURE.meaning}: it recovers to no key (or has a high s)`
      : `${VERIFY_CODES.ERR_BAD_SIGNATURE.meaning}: it recovers to ${signer.slice(0, 16)}..., registered ${publicKey.slice(0, 16)}...`,
  );
}

/**
 * The registry's active model at time `t` (ns), replaying its history (activate and rollback make a model active;
 * deprecating the active one leaves none), with the model it replaced and when.
 */
export function activeModelAt(
  history: HistoryEntry[],
  t: bigint,
): { model_id: string | null; since: string | null; previous: string | null; replaced_at: string | null } {
  let active: string | null = null;
  let since: string | null = null;
  let previous: string | null = null;
  let replaced: string | null = null;
  for (const e of history) {
    if (BigInt(e.at) > t) break;
    let next: string | null = active;
    if (e.action === "activate" || e.action === "rollback") next = e.model_id;
    else if (e.action === "deprecate" && e.model_id === active) next = null;
    if (next !== active) {
      previous = active;
      replaced = e.at;
      active = next;
      since = e.at;
    }
  }
  return { model_id: active, since, previous, replaced_at: replaced };
}

/** Final, challengeable, disputed or voided, from the verifier's record, its window and the chain time. */
export function finalityOf(
  rec: ReceiptRecordView,
  window: ChallengeWindow,
  now: bigint,
): { finality: Finality; final_at: bigint; result: CheckResult } {
  const finalAt = challengeWindowEnd(BigInt(rec.accepted_at), window);
  if (rec.status === "Voided")
    return { finality: "voided", final_at: finalAt, result: fail("finality", "ERR_RECEIPT_VOIDED") };
  if (rec.status === "Disputed") {
    return { finality: "disputed", final_at: finalAt, result: fail("finality", "ERR_RECEIPT_DISPUTED") };
  }
  if (now >= finalAt)
    return { finality: "final", final_at: finalAt, result: pass("finality", "final: past its challenge window") };
  return {
    finality: "challengeable",
    final_at: finalAt,
    result: pass("finality", "accepted, still challengeable until its window ends"),
  };
}

/** Whether two receipts conflict: same community, model version, weights and input commitment, other outputs. */
export function findConflict(
  a: SignedReceipt,
  b: SignedReceipt,
): { conflict: boolean; kind: "equivocation" | "dispute" | null; detail: string } {
  const no = (detail: string) => ({ conflict: false, kind: null, detail });
  if (a.attester_id === b.attester_id && a.nonce === b.nonce) return no("the same receipt twice");
  if (a.community !== b.community) return no("receipts of two communities");
  if (a.model_name !== b.model_name || a.model_version !== b.model_version || a.weights_sha256 !== b.weights_sha256) {
    return no("receipts of two model versions: each model may answer differently");
  }
  if (a.input_sha256 !== b.input_sha256) return no("two input commitments: not the same input and salt");
  if (a.output_sha256 === b.output_sha256) return no("the same output: the attesters agree");
  return a.attester_id === b.attester_id
    ? { conflict: true, kind: "equivocation", detail: `${a.attester_id} signed two outputs for one input` }
    : {
        conflict: true,
        kind: "dispute",
        detail: `${a.attester_id} and ${b.attester_id} gave different outputs for one input to one model`,
      };
}

// ---------- the whole check, through views ----------

export interface VerifyInput {
  verifier_id: string;
  receipt: SignedReceipt;
  input: string;
  output: string;
  /** hex, exactly 32 bytes */
  salt: string;
  /** chain time (ns) for finality; default this machine's clock */
  now?: bigint;
}

async function allHistory(view: ViewCaller, registry: string): Promise<HistoryEntry[]> {
  const out: HistoryEntry[] = [];
  for (let from = 0; ; from += 100) {
    const page = (await view(registry, "get_history", { from_index: from, limit: 100 })) as HistoryEntry[];
    out.push(...page);
    if (page.length < 100) return out;
  }
}

export async function verifyReceipt(view: ViewCaller, v: VerifyInput): Promise<Verdict> {
  const now = v.now ?? BigInt(Date.now()) * 1_000_000n;
  const r = v.receipt;
  const verdict: Verdict = {
    ok: false,
    verifier_id: v.verifier_id,
    attester_id: null,
    nonce: null,
    receipt_hash: null,
    checks: [],
    record: null,
    finality: null,
    final_at: null,
    active_model: null,
    model_checked_at: null,
    now: now.toString(),
  };
  const checks = verdict.checks;
  const problem = receiptProblem(r);
  if (problem !== null) {
    checks.push(fail("receipt", "ERR_INVALID_RECEIPT", `${VERIFY_CODES.ERR_INVALID_RECEIPT.meaning}: ${problem}`));
    for (const c of [
      "salt",
      "input",
      "output",
      "community",
      "attester",
      "signature",
      "on_chain",
      "model",
      "finality",
    ]) {
      checks.push(skip(c as CheckName, "no well-formed receipt"));
    }
    return verdict;
  }
  verdict.attester_id = r.attester_id;
  verdict.nonce = r.nonce;
  const hash = bytesToHex(receiptHash(v.verifier_id, r));
  verdict.receipt_hash = hash;
  checks.push(pass("receipt", `${r.model_name}@${r.model_version} by ${r.attester_id}, nonce ${r.nonce}`));
  checks.push(...checkOpening(v, r));

  const config = (await view(v.verifier_id, "get_config", {})) as VerifierConfig;
  checks.push(
    r.community === config.community
      ? pass("community", r.community)
      : fail(
          "community",
          "ERR_WRONG_COMMUNITY",
          `the receipt names ${r.community}, the verifier's is ${config.community}`,
        ),
  );

  const attester = (await view(v.verifier_id, "get_attester", { attester_id: r.attester_id })) as AttesterView | null;
  if (attester === null) {
    checks.push(fail("attester", "ERR_UNKNOWN_ATTESTER", `${r.attester_id} is not an attester of ${v.verifier_id}`));
    checks.push(skip("signature", "no registered key"));
  } else {
    checks.push(
      attester.status === "Slashed"
        ? fail("attester", "ERR_ATTESTER_SLASHED")
        : pass("attester", `${r.attester_id} (${attester.status})`),
    );
    checks.push(checkSignature(v.verifier_id, r, attester.public_key));
  }

  const rec = (await view(v.verifier_id, "get_receipt_by_nonce", {
    attester_id: r.attester_id,
    nonce: r.nonce,
  })) as ReceiptRecordView | null;
  if (rec === null)
    checks.push(
      fail("on_chain", "ERR_UNKNOWN_RECEIPT", `${VERIFY_CODES.ERR_UNKNOWN_RECEIPT.meaning}: never submitted`),
    );
  else if (rec.hash !== hash) {
    checks.push(
      fail(
        "on_chain",
        "ERR_RECEIPT_MISMATCH",
        `receipt #${rec.id} under this nonce has hash ${rec.hash}, this one ${hash}`,
      ),
    );
  } else {
    verdict.record = rec;
    checks.push(pass("on_chain", `receipt #${rec.id}, epoch ${rec.epoch}`));
  }

  // the model the registry had active when the verifier accepted it (or, off chain, when it was signed)
  const at = BigInt(verdict.record?.accepted_at ?? r.timestamp);
  verdict.model_checked_at = at.toString();
  const history = await allHistory(view, config.model_registry_id);
  const state = activeModelAt(history, at);
  verdict.active_model = { model_id: state.model_id, since: state.since };
  const named = recordId(r.model_name, r.model_version);
  const inLag =
    state.previous === named && state.replaced_at !== null && at - BigInt(state.replaced_at) <= MODEL_PUSH_LAG_NS;
  if (state.model_id === named || inLag) {
    const model = (await view(config.model_registry_id, "get_model", { model_id: named })) as {
      weights_sha256: string;
    } | null;
    if (model === null || model.weights_sha256 !== r.weights_sha256) {
      checks.push(
        fail(
          "model",
          "ERR_WEIGHTS_MISMATCH",
          `${named} has weights ${model?.weights_sha256 ?? "(none)"} in the registry`,
        ),
      );
    } else {
      checks.push(
        pass(
          "model",
          inLag
            ? `${named}, replaced in the registry just before (the verifier had not yet received the switch)`
            : `${named} (weights ${r.weights_sha256.slice(0, 16)}...), the registry's active model then`,
        ),
      );
    }
  } else {
    checks.push(
      fail(
        "model",
        "ERR_MODEL_NOT_ACTIVE",
        `the receipt names ${named}; the registry's active model then was ${state.model_id ?? "none"}`,
      ),
    );
  }

  if (verdict.record === null) checks.push(skip("finality", "not on chain"));
  else {
    const f = finalityOf(verdict.record, challengeWindowOf(config), now);
    verdict.finality = f.finality;
    verdict.final_at = f.final_at.toString();
    checks.push(f.result);
  }
  verdict.ok = checks.every((c) => c.ok === true);
  return verdict;
}

// ---------- conflicts: the challenge to send ----------

export interface PreparedChallenge {
  /** false: the challenge cannot be sent (code and detail say why) */
  ok: boolean;
  code?: VerifyCode;
  detail: string;
  kind: "equivocation" | "dispute";
  contract_id: string;
  method: "challenge_receipt";
  args: { receipt_id: number; conflicting: SignedReceipt };
  /** yoctoNEAR: 0 for an equivocation proof, else the dispute bond plus a storage margin (the rest refunded) */
  deposit: string;
  dispute_bond: string;
  gas_tgas: number;
}

/**
 * The `challenge_receipt` call that disputes `challenged` (on chain) with `conflicting` as the evidence, checked
 * against what the verifier would refuse: the receipt must be Accepted, inside its window, never dismissed.
 */
export async function prepareChallenge(
  view: ViewCaller,
  verifierId: string,
  challenged: SignedReceipt,
  conflicting: SignedReceipt,
  now: bigint = BigInt(Date.now()) * 1_000_000n,
): Promise<PreparedChallenge> {
  const c = findConflict(challenged, conflicting);
  const config = (await view(verifierId, "get_config", {})) as VerifierConfig;
  const bond = BigInt(config.settings.dispute_bond ?? "1000000000000000000000000");
  const kind = c.kind ?? "dispute";
  const rec = (await view(verifierId, "get_receipt_by_nonce", {
    attester_id: challenged.attester_id,
    nonce: challenged.nonce,
  })) as ReceiptRecordView | null;
  const base = {
    kind,
    contract_id: verifierId,
    method: "challenge_receipt" as const,
    args: { receipt_id: rec?.id ?? -1, conflicting },
    deposit: (kind === "equivocation" ? 0n : bond + DISPUTE_STORAGE_MARGIN).toString(),
    dispute_bond: bond.toString(),
    gas_tgas: CHALLENGE_GAS_TGAS,
  };
  const refuse = (code: VerifyCode, detail: string): PreparedChallenge => ({ ...base, ok: false, code, detail });
  if (!c.conflict) return refuse("ERR_NOT_CONFLICTING", c.detail);
  if (rec === null) return refuse("ERR_UNKNOWN_RECEIPT", `${challenged.attester_id}'s receipt was never submitted`);
  if (rec.hash !== bytesToHex(receiptHash(verifierId, challenged))) {
    return refuse("ERR_RECEIPT_MISMATCH", `receipt #${rec.id} is another receipt`);
  }
  if (rec.status !== "Accepted") return refuse("ERR_RECEIPT_NOT_CHALLENGEABLE", `receipt #${rec.id} is ${rec.status}`);
  if (now >= challengeWindowEnd(BigInt(rec.accepted_at), challengeWindowOf(config))) {
    return refuse("ERR_CHALLENGE_WINDOW_CLOSED", `receipt #${rec.id} is final`);
  }
  if (kind === "dispute" && (await view(verifierId, "get_dispute", { receipt_id: rec.id })) !== null) {
    return refuse("ERR_DISPUTE_DISMISSED", `receipt #${rec.id} was disputed before and the DAO dismissed it`);
  }
  return {
    ...base,
    ok: true,
    detail:
      kind === "equivocation"
        ? `${challenged.attester_id} signed both: the proof voids receipt #${rec.id} and slashes its whole bond at once`
        : `receipt #${rec.id} becomes Disputed until the DAO votes void_receipt (your bond back) or dismiss_dispute (your bond to the DAO)`,
  };
}

// ---------- receipt files ----------

export interface ReceiptWithOpening {
  receipt: SignedReceipt;
  input?: string;
  salt?: string;
  output?: string;
}

/**
 * A receipt from what an attester returns: a signed receipt, one answer `{input, salt, output, receipt}`, or an
 * answers file (`attest --out`: an array of answers, `index` picks one; without it the file must hold one).
 */
export function pickReceipt(json: unknown, index?: number): ReceiptWithOpening {
  let x = json;
  if (Array.isArray(x)) {
    if (index === undefined && x.length !== 1) {
      throw new AttesterError("ERR_INVALID_RECEIPT", `the file holds ${x.length} answers: pick one by its index`);
    }
    const i = index ?? 0;
    if (i >= x.length) throw new AttesterError("ERR_INVALID_RECEIPT", `no answer ${i}: the file holds ${x.length}`);
    x = x[i];
  } else if (index !== undefined && index !== 0) {
    throw new AttesterError("ERR_INVALID_RECEIPT", "an index picks an answer of an answers file (an array)");
  }
  if (x === null || typeof x !== "object") throw new AttesterError("ERR_INVALID_RECEIPT", "not an object");
  const o = x as Record<string, unknown>;
  if (o.receipt !== undefined) {
    const str = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
    return { receipt: o.receipt as SignedReceipt, input: str("input"), salt: str("salt"), output: str("output") };
  }
  return { receipt: o as unknown as SignedReceipt };
}
