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
  /** the model's weights (.aicm) and, optionally, its card (JSON) */
  model_file: string;
  model_card: string | null;
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
}

export const DEFAULTS = {
  model_card: null,
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
} satisfies Partial<ServiceConfig>;

const KEYS: (keyof ServiceConfig)[] = [
  "node_url",
  "verifier_id",
  "community",
  "attester_id",
  "key_file",
  "model_file",
  "model_card",
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
];
const NUMBERS = new Set(["port", "batch_size", "linger_ms", "backoff_base_ms", "backoff_max_ms"]);

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
  const missing = ["node_url", "verifier_id", "community", "attester_id", "key_file", "model_file"].filter(
    (k) => typeof out[k as keyof ServiceConfig] !== "string" || out[k as keyof ServiceConfig] === "",
  );
  if (missing.length > 0) {
    throw new AttesterError("ERR_CONFIG", `missing ${missing.map((k) => `${k} (${envName(k)})`).join(", ")}`);
  }
  const cfg = out as unknown as ServiceConfig;
  if (cfg.batch_size < 1 || cfg.batch_size > MAX_BATCH) {
    throw new AttesterError("ERR_CONFIG", `batch_size: 1..${MAX_BATCH}`);
  }
  if (cfg.port > 65535) throw new AttesterError("ERR_CONFIG", "port: 0..65535");
  return cfg;
}
