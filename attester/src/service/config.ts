// The service's configuration: a JSON file, then AI_COMMONS_ATTESTER_<KEY> environment variables, then the command
// line (each overriding the one before), then defaults. Checked at once, each problem named with ERR_CONFIG.
import { readFileSync } from "node:fs";
import { AttesterError } from "../errors.ts";
import { MAX_BATCH } from "../submit.ts";

export interface ServiceConfig {
  /** NEAR JSON-RPC endpoint */
  node_url: string;
  /** the community's inference verifier and the community (DAO) its receipts name */
  verifier_id: string;
  community: string;
  /** the attester's account (added by the DAO) and its secp256k1 key file (attester keygen) */
  attester_id: string;
  key_file: string;
  /**
   * Where the weights are: the service loads the file whose sha256 is the verifier's active model's weights
   * (models.ts), among `model_file` and the files in `weights_dir`; at least one of the two is set. `model_card`:
   * a card (JSON), shown while the weights it names are loaded.
   */
  model_file: string | null;
  weights_dir: string | null;
  model_card: string | null;
  /**
   * More model implementations: paths of ES modules whose default export is a ModelFormat (models.ts), tried
   * before the built-in bag-of-words format. How a community runs another framework or architecture.
   */
  model_formats: string[];
  /** how often the verifier's active model is asked for, ms (also at start, and when it refuses a receipt's model) */
  follow_interval_ms: number;
  /** on a model switch, how long to wait for the previous model's receipts to be submitted before serving the new one */
  drain_timeout_ms: number;
  /** when not empty, /v1/* requires `Authorization: Bearer <one of these>` (ERR_UNAUTHORIZED) */
  api_keys: string[];
  /** requests per `rate_limit_window_ms` to /v1/*, per API key (or per IP without one); 0: no limit */
  rate_limit_max: number;
  rate_limit_window_ms: number;
  /** the relayer that pays for submission: its account and its ed25519 key ("ed25519:...") or credentials file */
  relayer_account: string | null;
  relayer_key: string | null;
  relayer_key_file: string | null;
  host: string;
  port: number;
  /** the outbox (SQLite file) */
  db_path: string;
  /** receipts per submit_receipts transaction, 1..64 */
  batch_size: number;
  /** false: only sign and store (status `signed`); another relayer submits */
  submit: boolean;
  /** how long a partial batch waits for more receipts, ms */
  linger_ms: number;
  backoff_base_ms: number;
  backoff_max_ms: number;
  /** the finality sweep (finality.ts): ms between sweeps, and accepted receipts checked on chain per sweep */
  finality_interval_ms: number;
  finality_batch: number;
  /**
   * Receipts final, voided or rejected are deleted from the outbox this long (ms) after they got there, at most
   * `prune_batch` per sweep; 0 keeps them for ever. The receipt with the highest nonce is always kept.
   */
  outbox_retention_ms: number;
  prune_batch: number;
  /** below this available balance (NEAR, e.g. "2.5") of the relayer, a warning is logged and /healthz says degraded */
  relayer_min_balance: string;
  /** ms between reads of the relayer's balance (and between tries while it cannot pay a batch) */
  balance_interval_ms: number;
}

export const DEFAULTS = {
  model_file: null,
  weights_dir: null,
  model_card: null,
  model_formats: [],
  follow_interval_ms: 3000,
  drain_timeout_ms: 60_000,
  api_keys: [],
  rate_limit_max: 0,
  rate_limit_window_ms: 60_000,
  relayer_account: null,
  relayer_key: null,
  relayer_key_file: null,
  host: "127.0.0.1",
  port: 8787,
  db_path: "attester-outbox.db",
  batch_size: MAX_BATCH,
  submit: true,
  linger_ms: 200,
  backoff_base_ms: 250,
  backoff_max_ms: 30_000,
  finality_interval_ms: 10_000,
  finality_batch: 100,
  outbox_retention_ms: 30 * 24 * 3600 * 1000,
  prune_batch: 1000,
  // a full batch of 64 receipts holds 1.28 NEAR of storage deposit, plus its gas
  relayer_min_balance: "2",
  balance_interval_ms: 30_000,
} satisfies Partial<ServiceConfig>;

const KEYS: (keyof ServiceConfig)[] = [
  "node_url",
  "verifier_id",
  "community",
  "attester_id",
  "key_file",
  "model_file",
  "weights_dir",
  "model_card",
  "model_formats",
  "follow_interval_ms",
  "drain_timeout_ms",
  "api_keys",
  "rate_limit_max",
  "rate_limit_window_ms",
  "relayer_account",
  "relayer_key",
  "relayer_key_file",
  "host",
  "port",
  "db_path",
  "batch_size",
  "submit",
  "linger_ms",
  "backoff_base_ms",
  "backoff_max_ms",
  "finality_interval_ms",
  "finality_batch",
  "outbox_retention_ms",
  "prune_batch",
  "relayer_min_balance",
  "balance_interval_ms",
];
const NUMBERS = new Set([
  "port",
  "batch_size",
  "linger_ms",
  "backoff_base_ms",
  "backoff_max_ms",
  "follow_interval_ms",
  "drain_timeout_ms",
  "rate_limit_max",
  "rate_limit_window_ms",
  "finality_interval_ms",
  "finality_batch",
  "outbox_retention_ms",
  "prune_batch",
  "balance_interval_ms",
]);

export const envName = (k: string) => `AI_COMMONS_ATTESTER_${k.toUpperCase()}`;

function coerce(key: string, v: unknown): unknown {
  if (v === undefined || v === null) return v;
  if (NUMBERS.has(key)) {
    const n = typeof v === "number" ? v : Number(v);
    if (!Number.isInteger(n) || n < 0) throw new AttesterError("ERR_CONFIG", `${key}: not a non-negative integer`);
    return n;
  }
  if (key === "submit") {
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "1") return true;
    if (v === "false" || v === "0") return false;
    throw new AttesterError("ERR_CONFIG", `submit: true or false`);
  }
  if (key === "api_keys" || key === "model_formats") {
    // a list in the file; comma-separated in the environment (AI_COMMONS_ATTESTER_API_KEYS=a,b)
    const list = typeof v === "string" ? v.split(",") : v;
    if (!Array.isArray(list) || list.some((k) => typeof k !== "string")) {
      throw new AttesterError("ERR_CONFIG", `${key}: a list of strings (comma-separated in the environment)`);
    }
    const keys = list.map((k: string) => k.trim()).filter((k: string) => k !== "");
    if (key === "model_formats") return keys;
    // a short key is guessable, and the rate limit is all that slows guessing down
    if (keys.some((k: string) => k.length < 16))
      throw new AttesterError("ERR_CONFIG", "api_keys: at least 16 characters each");
    return keys;
  }
  // an amount of NEAR may be written as a number in the file
  if (key === "relayer_min_balance" && typeof v === "number") return String(v);
  if (typeof v !== "string") throw new AttesterError("ERR_CONFIG", `${key}: not a string`);
  return v;
}

/** file < environment < `over` (the command line) < defaults for what is still missing; then checked. */
export function loadConfig(
  file: string | undefined,
  over: Partial<ServiceConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  return checkConfig(mergeConfig(file, over, env));
}

/** The merged configuration, not yet checked (the CLI fills node_url, verifier_id, community from its session). */
export function mergeConfig(
  file: string | undefined,
  over: Partial<ServiceConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): Partial<ServiceConfig> {
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new AttesterError("ERR_CONFIG", `${file}: ${(e as Error).message}`);
    }
    const unknown = Object.keys(fromFile).filter((k) => !KEYS.includes(k as keyof ServiceConfig));
    if (unknown.length > 0) throw new AttesterError("ERR_CONFIG", `${file}: unknown keys ${unknown.join(", ")}`);
  }
  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const k of KEYS) {
    for (const v of [fromFile[k], env[envName(k)], over[k]]) {
      if (v !== undefined && v !== "") out[k] = coerce(k, v);
    }
  }
  return out as Partial<ServiceConfig>;
}

export function checkConfig(out: Partial<ServiceConfig>): ServiceConfig {
  const missing = ["node_url", "verifier_id", "community", "attester_id", "key_file"].filter(
    (k) => typeof out[k as keyof ServiceConfig] !== "string" || out[k as keyof ServiceConfig] === "",
  );
  if (missing.length > 0) {
    throw new AttesterError("ERR_CONFIG", `missing ${missing.map((k) => `${k} (${envName(k)})`).join(", ")}`);
  }
  if (!out.model_file && !out.weights_dir) {
    throw new AttesterError(
      "ERR_CONFIG",
      `missing model_file (${envName("model_file")}) or weights_dir (${envName("weights_dir")})`,
    );
  }
  const cfg = out as unknown as ServiceConfig;
  if (cfg.follow_interval_ms < 100) throw new AttesterError("ERR_CONFIG", "follow_interval_ms: at least 100");
  if (cfg.rate_limit_max > 0 && cfg.rate_limit_window_ms < 1) {
    throw new AttesterError("ERR_CONFIG", "rate_limit_window_ms: at least 1");
  }
  if (cfg.batch_size < 1 || cfg.batch_size > MAX_BATCH) {
    throw new AttesterError("ERR_CONFIG", `batch_size: 1..${MAX_BATCH}`);
  }
  if (cfg.port > 65535) throw new AttesterError("ERR_CONFIG", "port: 0..65535");
  if (cfg.finality_interval_ms < 100) throw new AttesterError("ERR_CONFIG", "finality_interval_ms: at least 100");
  if (cfg.balance_interval_ms < 100) throw new AttesterError("ERR_CONFIG", "balance_interval_ms: at least 100");
  if (cfg.finality_batch < 1) throw new AttesterError("ERR_CONFIG", "finality_batch: at least 1");
  if (cfg.prune_batch < 1) throw new AttesterError("ERR_CONFIG", "prune_batch: at least 1");
  if (!/^\d+(\.\d{1,24})?$/.test(cfg.relayer_min_balance)) {
    throw new AttesterError("ERR_CONFIG", "relayer_min_balance: an amount of NEAR (e.g. 2 or 0.5)");
  }
  return cfg;
}
