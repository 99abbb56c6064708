// The attester as a service: `startService(config)` opens the outbox, checks the model file against the verifier's
// active model, picks up nonces where the outbox left them, starts the submitter and listens. Fastify, better-sqlite3
// and prom-client are imported when the service starts, so the CLI's other commands never load them (nor need the
// native SQLite addon built).
import { readFileSync } from "node:fs";
import { Account, JsonRpcProvider, KeyPair, KeyPairSigner, type KeyPairString } from "near-api-js";
import { InferenceAttester } from "../attester.ts";
import { AttesterError } from "../errors.ts";
import { deserialize } from "../model.ts";
import type { AttesterKey } from "../receipt.ts";
import { type ActiveModel, NearChain, type ServiceChain } from "./chain.ts";
import type { ServiceConfig } from "./config.ts";
import { createMetrics } from "./metrics.ts";
import { Outbox } from "./outbox.ts";
import { buildApp } from "./server.ts";
import { Submitter } from "./submitter.ts";

export interface RunningService {
  url: string;
  port: number;
  model: ActiveModel;
  next_nonce: bigint;
  close(): Promise<void>;
}

export type Log = (msg: string, fields?: Record<string, unknown>) => void;

/** One JSON line per event on stderr; callers pass no input, output or salt (see server.ts). */
export const jsonLog: Log = (msg, fields = {}) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);
};

function relayerAccount(cfg: ServiceConfig, provider: JsonRpcProvider): Account {
  if (!cfg.relayer_account) throw new AttesterError("ERR_CONFIG", "relayer_account is needed to submit");
  let key = cfg.relayer_key;
  if (!key && cfg.relayer_key_file) {
    key = (JSON.parse(readFileSync(cfg.relayer_key_file, "utf8")) as { private_key: string }).private_key;
  }
  if (!key) throw new AttesterError("ERR_CONFIG", "relayer_key or relayer_key_file is needed to submit");
  return new Account(cfg.relayer_account, provider, new KeyPairSigner(KeyPair.fromString(key as KeyPairString)));
}

export async function startService(
  cfg: ServiceConfig,
  o: { relayer?: Account; chain?: ServiceChain; log?: Log } = {},
): Promise<RunningService> {
  const log = o.log ?? jsonLog;
  const [{ default: fastify }, { default: Database }, prom] = await Promise.all([
    import("fastify"),
    import("better-sqlite3"),
    import("prom-client"),
  ]);
  const provider = new JsonRpcProvider({ url: cfg.node_url });
  const chain =
    o.chain ??
    new NearChain(
      provider,
      o.relayer ?? (cfg.submit ? relayerAccount(cfg, provider) : new Account(cfg.attester_id, provider)),
      cfg.verifier_id,
    );
  const model = deserialize(readFileSync(cfg.model_file));
  const key = JSON.parse(readFileSync(cfg.key_file, "utf8")) as AttesterKey;
  const active = await chain.activeModel();
  if (!active) throw new AttesterError("ERR_NO_ACTIVE_MODEL", `${cfg.verifier_id} has no active model`);
  const offset = (await chain.timeNs()) - BigInt(Date.now()) * 1_000_000n;
  const challengeWindowNs = await chain.challengeWindowNs();

  const outbox = new Outbox(Database, cfg.db_path);
  let submitter: Submitter | null = null;
  try {
    // Nonces: above every nonce the outbox holds, and at least the clock in microseconds (what the one-shot CLI
    // uses), so a lost outbox still starts above the nonces it used unless it signed more than one receipt per
    // microsecond. The verifier exposes no highest nonce per attester; the nonce about to be used is checked unused.
    let next = outbox.nextNonce();
    const clockNonce = BigInt(Date.now()) * 1000n;
    if (clockNonce > next) next = clockNonce;
    if (await chain.receiptByNonce(cfg.attester_id, next.toString())) {
      throw new AttesterError(
        "ERR_NONCE_BEHIND_CHAIN",
        `the verifier already holds nonce ${next} of ${cfg.attester_id}: this outbox is not the attester's latest`,
      );
    }
    const attester = new InferenceAttester({
      model,
      model_name: active.model_name,
      model_version: active.model_version,
      key,
      attester_id: cfg.attester_id,
      community: cfg.community,
      verifier_id: cfg.verifier_id,
      next_nonce: next,
      // the chain's clock (a sandbox fast-forward moves it ahead of this machine's), measured at start
      clock: () => BigInt(Date.now()) * 1_000_000n + offset,
    });
    if (attester.weights_sha256 !== active.weights_sha256) {
      throw new AttesterError(
        "ERR_WEIGHTS_MISMATCH",
        `${cfg.model_file} has weights ${attester.weights_sha256}, the verifier's active model ${active.weights_sha256}`,
      );
    }
    let card: unknown = null;
    if (cfg.model_card) {
      const c = JSON.parse(readFileSync(cfg.model_card, "utf8")) as { weights_sha256?: string };
      // a card describes one set of weights: another model's card is not shown
      if (c.weights_sha256 === active.weights_sha256) card = c;
      else log("the model card is another model's: not served", { card: cfg.model_card });
    }

    const metrics = createMetrics(prom, () => outbox);
    let lastError: string | null = null;
    const sub = new Submitter(outbox, chain, metrics, {
      verifier_id: cfg.verifier_id,
      attester_id: cfg.attester_id,
      batch_size: cfg.batch_size,
      linger_ms: cfg.linger_ms,
      backoff_base_ms: cfg.backoff_base_ms,
      backoff_max_ms: cfg.backoff_max_ms,
      log: (msg, f) => {
        if (f?.error) lastError = String(f.error);
        else if (msg === "batch accepted") lastError = null;
        log(msg, f);
      },
    });
    submitter = cfg.submit ? sub : null;
    const app = await buildApp(fastify, {
      attester,
      outbox,
      chain,
      metrics,
      model: active,
      card,
      submit: cfg.submit,
      queued: () => sub.poke(),
      challengeWindowNs,
      log,
      health: () => ({
        model: `${active.model_name}@${active.model_version}`,
        next_nonce: attester.nextNonce().toString(),
        receipts: outbox.counts(),
        submitting: cfg.submit,
        last_submit_error: lastError,
      }),
    });
    submitter?.start();
    await app.listen({ host: cfg.host, port: cfg.port });
    const port = (app.server.address() as { port: number }).port;
    const url = `http://${cfg.host}:${port}`;
    log("attester service listening", {
      url,
      model: `${active.model_name}@${active.model_version}`,
      weights_sha256: active.weights_sha256,
      next_nonce: next.toString(),
      db: cfg.db_path,
      submit: cfg.submit,
    });
    return {
      url,
      port,
      model: active,
      next_nonce: next,
      async close() {
        await app.close();
        await submitter?.stop();
        outbox.close();
      },
    };
  } catch (e) {
    await submitter?.stop();
    outbox.close();
    throw e;
  }
}
