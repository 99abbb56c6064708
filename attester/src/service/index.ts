// The attester as a service: `startService(config)` opens the outbox, picks up nonces where the outbox left them,
// loads the verifier's active model from the weights (models.ts) and follows it (follow.ts), starts the submitter and
// listens. Fastify, @fastify/rate-limit, better-sqlite3 and prom-client are imported when the service starts, so the
// CLI's other commands never load them (nor need the native SQLite addon built).
import { readFileSync } from "node:fs";
import { Account, JsonRpcProvider, KeyPair, KeyPairSigner, type KeyPairString, nearToYocto } from "near-api-js";
import { AttesterError } from "../errors.ts";
import type { AttesterKey } from "../receipt.ts";
import { BalanceWatch } from "./balance.ts";
import { type ActiveModel, NearChain, type ServiceChain } from "./chain.ts";
import type { ServiceConfig } from "./config.ts";
import { ModelFollower, modelLabel, UNAVAILABLE } from "./follow.ts";
import { FinalitySweep } from "./finality.ts";
import { createMetrics } from "./metrics.ts";
import { loadFormats, type ModelFormat, ModelLoader } from "./models.ts";
import { Outbox } from "./outbox.ts";
import { buildApp } from "./server.ts";
import { ServiceSigner } from "./signer.ts";
import { Submitter } from "./submitter.ts";

export interface RunningService {
  url: string;
  port: number;
  /** the model loaded at start (null: the verifier has none, or its weights are not here: /v1/infer answers 409) */
  model: ActiveModel | null;
  /** what the verifier named at start */
  chain_model: ActiveModel | null;
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
  o: {
    relayer?: Account;
    chain?: ServiceChain;
    log?: Log;
    /** the model implementations the loader knows (default: the bag-of-words classifier); a community adds its own */
    formats?: readonly ModelFormat[];
  } = {},
): Promise<RunningService> {
  const log = o.log ?? jsonLog;
  const [{ default: fastify }, { default: rateLimit }, { default: Database }, prom] = await Promise.all([
    import("fastify"),
    import("@fastify/rate-limit"),
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
  const key = JSON.parse(readFileSync(cfg.key_file, "utf8")) as AttesterKey;
  const loader = new ModelLoader(cfg, o.formats ?? (await loadFormats(cfg.model_formats)));
  const offset = (await chain.timeNs()) - BigInt(Date.now()) * 1_000_000n;

  const outbox = new Outbox(Database, cfg.db_path);
  let submitter: Submitter | null = null;
  let following: ModelFollower | null = null;
  let finality: FinalitySweep | null = null;
  // the relayer's balance matters only when this service submits
  const balance = cfg.submit
    ? new BalanceWatch(chain, {
        min_yocto: nearToYocto(cfg.relayer_min_balance as `${number}`),
        interval_ms: cfg.balance_interval_ms,
        log,
      })
    : null;
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
    // the chain's clock (a sandbox fast-forward moves it ahead of this machine's), measured at start
    const signer = new ServiceSigner({ ...cfg, key }, next, () => BigInt(Date.now()) * 1_000_000n + offset);
    let card: { weights_sha256?: string } | null = null;
    if (cfg.model_card) {
      // a card describes one set of weights: shown while those are loaded (server.ts)
      card = JSON.parse(readFileSync(cfg.model_card, "utf8")) as { weights_sha256?: string };
    }

    // the follower is made after the submitter it drains; both refer to each other through `following`
    const metrics = createMetrics(
      prom,
      () => outbox,
      () => following?.state ?? null,
      () => balance,
    );
    let lastError: string | null = null;
    let closing = false;
    const sub = new Submitter(outbox, chain, metrics, {
      verifier_id: cfg.verifier_id,
      attester_id: cfg.attester_id,
      batch_size: cfg.batch_size,
      linger_ms: cfg.linger_ms,
      backoff_base_ms: cfg.backoff_base_ms,
      backoff_max_ms: cfg.backoff_max_ms,
      onModelRefused: () => void following?.check(),
      balance: balance ?? undefined,
      balance_retry_ms: cfg.balance_interval_ms,
      log: (msg, f) => {
        if (f?.error) lastError = String(f.error);
        else if (msg === "batch accepted") lastError = null;
        log(msg, f);
      },
    });
    // A model switch drains: the receipts signed for the previous model (all that are queued or in flight, since
    // nothing is signed while switching) are submitted before the new model answers. Each ends accepted, or
    // rejected with the verifier's code; the timeout only bounds how long answers wait, not what happens to them
    // (they stay in the outbox and are submitted all the same). Stopping the service ends the wait.
    const drain = async () => {
      if (!cfg.submit) return;
      const started = Date.now();
      for (;;) {
        const c = outbox.counts();
        const waiting = { queued: c.queued, submitted: c.submitted, waited_ms: Date.now() - started };
        if (c.queued + c.submitted === 0) {
          log("drained: the previous model's receipts are all accepted or rejected", {
            ...waiting,
            accepted: c.accepted,
            rejected: c.rejected,
          });
          return;
        }
        if (closing) return;
        if (Date.now() - started > cfg.drain_timeout_ms) {
          log("drain timed out: serving the new model, the previous model's receipts are still submitted", waiting);
          return;
        }
        sub.poke();
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const follower = new ModelFollower(chain, loader, { interval_ms: cfg.follow_interval_ms, drain, log });
    following = follower;
    submitter = cfg.submit ? sub : null;
    const sweep = new FinalitySweep(outbox, chain, metrics, {
      batch: cfg.finality_batch,
      interval_ms: cfg.finality_interval_ms,
      retention_ms: cfg.outbox_retention_ms,
      prune_batch: cfg.prune_batch,
      log,
    });
    finality = sweep;
    const app = await buildApp(fastify, {
      signer,
      follower,
      outbox,
      chain,
      metrics,
      card,
      submit: cfg.submit,
      access: cfg,
      rateLimit,
      queued: () => sub.poke(),
      finality: sweep,
      log,
      readiness: () => {
        const ready = follower.state === "serving" && follower.current !== null;
        return {
          ready,
          state: follower.state,
          code: ready ? null : UNAVAILABLE[follower.state === "serving" ? "starting" : follower.state],
          model: follower.current ? `${follower.current.name}@${follower.current.version}` : null,
        };
      },
      health: () => ({
        // degraded: up and answering, but something needs an operator (today: the relayer's balance)
        status: balance?.low || balance?.waitingFor != null ? "degraded" : "ok",
        model: follower.current ? `${follower.current.name}@${follower.current.version}` : null,
        model_state: follower.state,
        chain_model: modelLabel(follower.chainModel),
        chain_checked_at: follower.checkedAt === null ? null : new Date(follower.checkedAt).toISOString(),
        follow_error: follower.lastError,
        model_switches: follower.switches,
        next_nonce: signer.nextNonce().toString(),
        receipts: outbox.counts(),
        submitting: cfg.submit,
        last_submit_error: lastError,
        relayer: balance?.view(cfg.relayer_account) ?? null,
        finality: {
          last_sweep_at: sweep.lastSweepAt === null ? null : new Date(sweep.lastSweepAt).toISOString(),
          error: sweep.lastError,
          retention_ms: cfg.outbox_retention_ms,
        },
      }),
    });
    if (balance) await balance.read();
    balance?.start();
    submitter?.start();
    sweep.start();
    await follower.check();
    follower.start();
    await app.listen({ host: cfg.host, port: cfg.port });
    const port = (app.server.address() as { port: number }).port;
    const url = `http://${cfg.host}:${port}`;
    const loaded = follower.current;
    const model: ActiveModel | null = loaded && {
      model_name: loaded.name,
      model_version: loaded.version,
      weights_sha256: loaded.weightsSha256,
    };
    log("attester service listening", {
      url,
      model: modelLabel(model),
      model_state: follower.state,
      chain_model: modelLabel(follower.chainModel),
      next_nonce: next.toString(),
      db: cfg.db_path,
      submit: cfg.submit,
    });
    return {
      url,
      port,
      model,
      chain_model: follower.chainModel,
      next_nonce: next,
      async close() {
        closing = true;
        await follower.stop();
        await app.close();
        balance?.stop();
        await submitter?.stop();
        await sweep.stop();
        outbox.close();
      },
    };
  } catch (e) {
    await following?.stop();
    balance?.stop();
    await submitter?.stop();
    await finality?.stop();
    outbox.close();
    throw e;
  }
}
