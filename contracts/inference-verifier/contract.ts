import { NearBindgen, call, initialize, near, view } from "near-sdk-js";
import { JsonMap, JsonUnorderedMap, JsonVector } from "../shared/json-store";
import { fail } from "../shared/errors";
import { pageRange } from "../shared/pagination";
import { callbackSucceeded } from "../shared/storage";
import { checkSuite, peerId } from "../shared/suite";
import { INFERENCE_VERIFIER, MODEL_REGISTRY, REWARD_POOL } from "../wire/contracts";
import { returnSourceMetadata } from "../shared/source-metadata";
import {
  isHexHash,
  isRecordName,
  isSafeInt,
  isU64String,
  isValidAccountId,
  isVersion,
  parseAmount,
} from "../shared/validate";
import { addAttester, releaseBond, removeAttester } from "./attesters";
import { challengeReceipt, daoVoid, dismissDispute, getReceipt } from "./challenge";
import { canonicalReceipt } from "../wire/receipt";
import type { VerifierState } from "./state";
import { NO_MODEL, activeModel, emit, nonceKey } from "./state";
import { submitReceipts } from "./submit";
import type {
  ActiveModel,
  Attester,
  Dispute,
  EpochUsage,
  ReceiptInput,
  ReceiptRecord,
  Settings,
  VersionUsage,
} from "./types";
import { buildReport, onReported, reportUsage } from "./usage";
import { MIGRATIONS } from "./migrate";
import { migrateState, upgradeByDao, upgradeToGlobal } from "../shared/versioned-state";
import { onlyCaller, onlyDao } from "../shared/access";

const HOUR_NS = 3600000000000n;

function defaultSettings(): Settings {
  return {
    min_bond: "1000000000000000000000000",
    challenge_window_ns: (24n * HOUR_NS).toString(),
    max_receipt_age_ns: HOUR_NS.toString(),
    max_clock_skew_ns: (HOUR_NS / 12n).toString(),
    epoch_length_ns: (24n * HOUR_NS).toString(),
    dispute_bond: "1000000000000000000000000",
    report_gas_tgas: 30,
    callback_gas_tgas: 15,
  };
}

// Floors no init or update_settings can go below (ERR_SETTING_BELOW_FLOOR): with a zero dispute bond disputes are
// free griefing again, with a zero window fraud proofs are disabled, with a zero bond an attester risks nothing.
// 0.1 NEAR is about 20 times the storage a dispute takes (~0.005 NEAR); 60 s is about 60 blocks, enough for a
// watcher to see a receipt and land a challenge, and below the 120 s the sandbox tests use (the default is 24 h).
export const MIN_BOND_FLOOR = 100000000000000000000000n;
export const DISPUTE_BOND_FLOOR = 100000000000000000000000n;
export const CHALLENGE_WINDOW_FLOOR_NS = 60000000000n;

// Applies a partial update after checking every field; unknown keys are refused so a typo cannot pass silently.
function mergeSettings(base: Settings, patch: Partial<Settings> | undefined): Settings {
  if (patch === undefined) return base;
  if (patch === null || typeof patch !== "object") fail("ERR_INVALID_SETTINGS");
  const out: Settings = { ...base };
  const p = patch as Record<string, unknown>;
  for (const k in p) {
    const v = p[k];
    if (k === "min_bond" || k === "dispute_bond") {
      const amount = parseAmount(v, k);
      const floor = k === "min_bond" ? MIN_BOND_FLOOR : DISPUTE_BOND_FLOOR;
      if (amount < floor) fail("ERR_SETTING_BELOW_FLOOR", `${k} >= ${floor}`);
      out[k] = amount.toString();
    } else if (k === "challenge_window_ns" || k === "max_receipt_age_ns" || k === "max_clock_skew_ns") {
      if (!isU64String(v)) fail("ERR_INVALID_SETTINGS", k);
      if (k === "challenge_window_ns" && BigInt(v) < CHALLENGE_WINDOW_FLOOR_NS) {
        fail("ERR_SETTING_BELOW_FLOOR", `challenge_window_ns >= ${CHALLENGE_WINDOW_FLOOR_NS}`);
      }
      out[k] = v;
    } else if (k === "epoch_length_ns") {
      if (!isU64String(v) || v === "0") fail("ERR_INVALID_SETTINGS", k);
      out.epoch_length_ns = v;
    } else if (k === "report_gas_tgas" || k === "callback_gas_tgas") {
      if (!isSafeInt(v, 5, 100)) fail("ERR_INVALID_SETTINGS", k);
      out[k] = v;
    } else fail("ERR_INVALID_SETTINGS", `unknown key ${k}`);
  }
  return out;
}

@NearBindgen({ requireInit: true })
export class InferenceVerifier implements VerifierState {
  state_version = MIGRATIONS.target;
  // Which contract this state belongs to: a migration refuses another contract's code (shared/versioned-state.ts).
  code_name = MIGRATIONS.contract;
  dao_id = "";
  model_registry_id = "";
  reward_pool_id = "";
  community = "";
  settings: Settings = defaultSettings();
  challenges_closed_before_ns = "0";
  active: ActiveModel = NO_MODEL;
  bonds_total = "0";
  dispute_bonds_total = "0";
  active_seq = 0;
  attesters = new JsonUnorderedMap<Attester>("a");
  keys = new JsonMap<string>("k");
  nonces = new JsonMap<number>("n");
  receipts = new JsonVector<ReceiptRecord>("r");
  disputes = new JsonMap<Dispute>("d");
  epochs = new JsonMap<EpochUsage>("e");
  versions = new JsonUnorderedMap<VersionUsage>("v");

  // `community` is what receipts name in their community field (default: dao_id).
  @initialize({})
  // The factory passes `suite` (code name -> account id); explicit ids override it (reward_pool_id null: none).
  init({
    dao_id,
    suite,
    model_registry_id,
    reward_pool_id,
    community,
    settings,
  }: {
    dao_id: string;
    suite?: Record<string, string>;
    model_registry_id?: string;
    reward_pool_id?: string | null;
    community?: string;
    settings?: Partial<Settings>;
  }): void {
    if (!isValidAccountId(dao_id)) fail("ERR_INVALID_ACCOUNT_ID", "dao_id");
    const peers = checkSuite(suite);
    const registry = peerId(model_registry_id, peers, MODEL_REGISTRY, "model_registry_id", true);
    const pool = peerId(reward_pool_id, peers, REWARD_POOL, "reward_pool_id");
    const c = community ?? dao_id;
    if (!isValidAccountId(c)) fail("ERR_INVALID_ACCOUNT_ID", "community");
    this.dao_id = dao_id;
    this.model_registry_id = registry;
    this.reward_pool_id = pool;
    this.community = c;
    this.settings = mergeSettings(defaultSettings(), settings);
    emit("verifier_created", [{ dao_id, model_registry_id: registry, reward_pool_id: pool, community: c }]);
  }

  private onlyDao(): void {
    onlyDao(this.dao_id);
  }

  // ---- DAO: attesters, voids, settings -----------------------------------------------------------------------

  // The DAO attaches the bond from its treasury through a proposal (AddAttester, or FunctionCall), plus the storage
  // the attester adds: with `bond`, exactly that is bonded and the rest beyond the storage comes back at once; without
  // it the bond is the deposit minus the storage (attesters.ts).
  @call({ payableFunction: true })
  add_attester({
    attester_id,
    public_key,
    bond,
  }: {
    attester_id: string;
    public_key: string;
    bond?: string;
  }): Attester {
    this.onlyDao();
    return addAttester(this, attester_id, public_key, bond);
  }

  @call({})
  remove_attester({ attester_id }: { attester_id: string }): Attester {
    this.onlyDao();
    return removeAttester(this, attester_id);
  }

  // Anyone: a removed attester's bond goes back to whoever posted it once its receipts are past challenge.
  @call({})
  release_bond({ attester_id }: { attester_id: string }): string {
    return releaseBond(this, attester_id);
  }

  @call({})
  void_receipt({ receipt_id, slash, reason }: { receipt_id: number; slash?: boolean; reason?: string }): void {
    this.onlyDao();
    daoVoid(this, receipt_id, slash === true, typeof reason === "string" ? reason.slice(0, 200) : "vote");
  }

  @call({})
  dismiss_dispute({ receipt_id }: { receipt_id: number }): void {
    this.onlyDao();
    dismissDispute(this, receipt_id);
  }

  @call({})
  update_settings({ settings, reward_pool_id }: { settings?: Partial<Settings>; reward_pool_id?: string }): Settings {
    this.onlyDao();
    if (reward_pool_id !== undefined) {
      if (!isValidAccountId(reward_pool_id)) fail("ERR_INVALID_ACCOUNT_ID", "reward_pool_id");
      this.reward_pool_id = reward_pool_id;
    }
    const next = mergeSettings(this.settings, settings);
    // epoch numbers are floor(accepted_at / epoch_length_ns): another length would renumber recorded usage
    if (next.epoch_length_ns !== this.settings.epoch_length_ns && this.receipts.length > 0) {
      fail("ERR_INVALID_SETTINGS", "epoch_length_ns is fixed once receipts exist");
    }
    // a longer window applies to the receipts still open: those whose window had ended stay final
    const [was, now] = [BigInt(this.settings.challenge_window_ns), near.blockTimestamp()];
    if (BigInt(next.challenge_window_ns) > was && now > was) {
      const closed = now - was;
      if (closed > BigInt(this.challenges_closed_before_ns)) this.challenges_closed_before_ns = closed.toString();
    }
    this.settings = next;
    emit("settings_updated", [{ settings: this.settings, reward_pool_id: this.reward_pool_id }]);
    return this.settings;
  }

  // ---- model registry pushes the active model ----------------------------------------------------------------

  // Pushes are numbered by the registry (its verifier_seq): receipts of pushes may land in any order, and only a
  // push newer than the last applied one counts (ERR_STALE_MODEL_PUSH), so a late older push can never put back a
  // model the registry has since replaced while the registry believes the verifier in sync.
  private checkSeq(seq: unknown): void {
    onlyCaller(this.model_registry_id, "ERR_NOT_MODEL_REGISTRY");
    if (!isSafeInt(seq, 1, 9007199254740991)) fail("ERR_INVALID_SEQ", "seq: the registry's push number, >= 1");
    if (seq <= this.active_seq) fail("ERR_STALE_MODEL_PUSH", `seq ${seq}, last applied ${this.active_seq}`);
  }

  // Pushed by the registry on every activation, so checking a receipt's model costs a string comparison instead
  // of a cross-contract call (about 5 Tgas and one block of latency per batch, plus a callback).
  @call({})
  set_active_model({
    model_name,
    model_version,
    weights_sha256,
    seq,
  }: {
    model_name: string;
    model_version: string;
    weights_sha256: string;
    seq: number;
  }): ActiveModel {
    this.checkSeq(seq);
    if (!isRecordName(model_name)) fail("ERR_INVALID_MODEL", "model_name");
    if (!isVersion(model_version)) fail("ERR_INVALID_MODEL", "model_version");
    if (!isHexHash(weights_sha256)) fail("ERR_INVALID_HASH", "weights_sha256");
    this.active_seq = seq;
    this.active = { model_name, model_version, weights_sha256, since: near.blockTimestamp().toString() };
    emit("model_activated", [{ model_name, model_version, weights_sha256, seq }]);
    return this.active;
  }

  @call({})
  clear_active_model({ seq }: { seq: number }): void {
    this.checkSeq(seq);
    const was = activeModel(this);
    this.active_seq = seq;
    this.active = NO_MODEL;
    emit("model_cleared", [{ model_name: was?.model_name ?? null, model_version: was?.model_version ?? null, seq }]);
  }

  // ---- receipts ------------------------------------------------------------------------------------------------

  // Anyone relays; attach a deposit for storage (about 0.01 NEAR a receipt is plenty; the rest is refunded).
  @call({ payableFunction: true })
  submit_receipts({ receipts }: { receipts: ReceiptInput[] }): number[] {
    return submitReceipts(this, receipts);
  }

  @call({ payableFunction: true })
  submit_receipt({ receipt }: { receipt: ReceiptInput }): number {
    return submitReceipts(this, [receipt])[0];
  }

  // Payable: a dispute against another attester's receipt takes settings.dispute_bond plus its storage; an
  // equivocation proof costs nothing (any deposit is refunded).
  @call({ payableFunction: true })
  challenge_receipt({ receipt_id, conflicting }: { receipt_id: number; conflicting: ReceiptInput }): string {
    return challengeReceipt(this, receipt_id, conflicting);
  }

  // ---- usage reports -------------------------------------------------------------------------------------------

  // Payable: the deposit pays the records the part adds in the reward pool (REPORT_DEPOSIT, wire/usage-report.ts);
  // the pool sends back what it did not use. Without one the pool's own funds pay (they may be short between grants).
  @call({ payableFunction: true })
  report_usage({ epoch }: { epoch: number }): string | undefined {
    return reportUsage(this, epoch);
  }

  @call({ privateFunction: true })
  on_usage_reported({
    epoch,
    part,
    attempt,
    payer,
    deposit,
  }: {
    epoch: number;
    part?: number;
    attempt?: number;
    payer?: string;
    deposit?: string;
  }): string {
    return onReported(this, epoch, part ?? 0, attempt ?? 0, callbackSucceeded(0), { payer, deposit });
  }

  // ---- views ---------------------------------------------------------------------------------------------------

  @view({})
  get_config() {
    return {
      state_version: this.state_version,
      dao_id: this.dao_id,
      model_registry_id: this.model_registry_id,
      reward_pool_id: this.reward_pool_id === "" ? null : this.reward_pool_id,
      community: this.community,
      settings: this.settings,
      challenges_closed_before_ns: this.challenges_closed_before_ns,
      bonds_total: this.bonds_total,
      dispute_bonds_total: this.dispute_bonds_total,
      active_seq: this.active_seq,
      receipts: this.receipts.length,
      attesters: this.attesters.size,
    };
  }

  @view({})
  get_active_model(): ActiveModel | null {
    return activeModel(this);
  }

  @view({})
  get_attester({ attester_id }: { attester_id: string }): Attester | null {
    return this.attesters.get(attester_id);
  }

  @view({})
  get_attesters({ from_index, limit }: { from_index?: number; limit?: number }): Attester[] {
    const [start, end] = pageRange(from_index, limit, this.attesters.size);
    const out: Attester[] = [];
    for (let i = start; i < end; i++) out.push(this.attesters.get(this.attesters.keyAt(i)!)!);
    return out;
  }

  @view({})
  get_receipt({ receipt_id }: { receipt_id: number }): ReceiptRecord {
    return getReceipt(this, receipt_id);
  }

  @view({})
  get_receipts({ from_index, limit }: { from_index?: number; limit?: number }): ReceiptRecord[] {
    const [start, end] = pageRange(from_index, limit, this.receipts.length);
    const out: ReceiptRecord[] = [];
    for (let i = start; i < end; i++) out.push(this.receipts.get(i)!);
    return out;
  }

  @view({})
  get_receipt_by_nonce({ attester_id, nonce }: { attester_id: string; nonce: string }): ReceiptRecord | null {
    const id = this.nonces.get(nonceKey(attester_id, nonce));
    return id === null ? null : this.receipts.get(id);
  }

  @view({})
  get_dispute({ receipt_id }: { receipt_id: number }): Dispute | null {
    return this.disputes.get(String(receipt_id));
  }

  // Totals per model version (accepted ever, voided ever), in order of first use.
  @view({})
  get_model_usage({ from_index, limit }: { from_index?: number; limit?: number }): VersionUsage[] {
    const [start, end] = pageRange(from_index, limit, this.versions.size);
    const out: VersionUsage[] = [];
    for (let i = start; i < end; i++) out.push(this.versions.get(this.versions.keyAt(i)!)!);
    return out;
  }

  @view({})
  get_epoch_usage({ epoch }: { epoch: number }): EpochUsage | null {
    return this.epochs.get(String(epoch));
  }

  // What report_usage would send for this epoch now.
  @view({})
  preview_usage_report({ epoch }: { epoch: number }) {
    const e = this.epochs.get(String(epoch));
    return e === null ? null : buildReport(this, e);
  }

  @view({})
  current_epoch(): number {
    return Number(near.blockTimestamp() / BigInt(this.settings.epoch_length_ns));
  }

  // The exact text an attester signs (sha256 of its UTF-8 bytes), for client-side debugging.
  @view({})
  receipt_signing_text({ receipt }: { receipt: ReceiptInput }): string {
    return canonicalReceipt(near.currentAccountId(), receipt);
  }
}

// Code upgrade by the community's DAO (its UpgradeSuite proposal): the raw input is the new wasm, deployed here with
// `migrate_state` in the same batch (shared/versioned-state.ts). Only the DAO in `dao_id` may call it.
export function upgrade(): void {
  upgradeByDao();
}

// Code upgrade by the community's DAO to global code (UpgradeSuite with `global`, NEP-591): `{hash}` names code in the
// chain's global store; the switch and `migrate_state` run in one batch. Only the DAO in `dao_id` may call it.
export function upgrade_to(): void {
  upgradeToGlobal((state) => onlyDao(state.dao_id));
}

export function migrate_state(): void {
  migrateState(MIGRATIONS, emit);
}

// NEP-330 source metadata: version, standards and how this wasm was built (docs/source-metadata.md).
export function contract_source_metadata(): void {
  returnSourceMetadata(INFERENCE_VERIFIER);
}
