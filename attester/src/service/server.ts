// The HTTP API (Fastify), described in attester/openapi.yaml. Inputs and outputs pass through memory only: no route
// logs a body, and the outbox stores receipts (commitments), never texts or salts.
import { createHash, timingSafeEqual } from "node:crypto";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import type RateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type Fastify from "fastify";
import { AttesterError } from "../errors.ts";
import { receiptHash, SALT_BYTES } from "../receipt.ts";
import type { ServiceChain } from "./chain.ts";
import type { FinalitySweep } from "./finality.ts";
import type { ModelFollower } from "./follow.ts";
import type { Metrics } from "./metrics.ts";
import type { Outbox, OutboxRow } from "./outbox.ts";
import type { ServiceAnswer, ServiceSigner } from "./signer.ts";

export interface AppDeps {
  signer: ServiceSigner;
  follower: ModelFollower;
  outbox: Outbox;
  chain: ServiceChain;
  metrics: Metrics;
  /** the model card (JSON), shown while the weights it names are the ones loaded */
  card: { weights_sha256?: string } | null;
  submit: boolean;
  /** access to /v1/*: API keys (none: open) and a rate limit per key or IP (max 0: none) */
  access: { api_keys: string[]; rate_limit_max: number; rate_limit_window_ms: number };
  rateLimit: typeof RateLimit;
  /** a receipt was queued: wake the submitter */
  queued: () => void;
  /** the finality sweep: GET /v1/receipts/:id asks the chain about an accepted receipt at once through it */
  finality: FinalitySweep;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  health: () => Record<string, unknown>;
  /** whether /v1/infer can answer now: the follower's state and, when it cannot, the code it would refuse with */
  readiness: () => { ready: boolean; state: string; code: string | null; model: string | null };
}

/** Request errors: a stable code, an HTTP status. */
export const API_ERRORS = {
  ERR_INVALID_REQUEST: 400,
  ERR_SALT_LENGTH: 400,
  ERR_SALT_NOT_HEX: 400,
  ERR_INPUT_NOT_UNICODE: 400,
  ERR_INPUT_TOO_LONG: 413,
  ERR_UNAUTHORIZED: 401,
  ERR_UNKNOWN_RECEIPT: 404,
  ERR_MODEL_SWITCHING: 409,
  ERR_MODEL_WEIGHTS_MISSING: 409,
  ERR_NO_ACTIVE_MODEL: 409,
  ERR_RATE_LIMITED: 429,
  ERR_NOT_FOUND: 404,
  ERR_OUTBOX: 503,
  ERR_INTERNAL: 500,
} as const;
type ApiCode = keyof typeof API_ERRORS;

export const MAX_INPUT_CHARS = 10_000;

/** Seconds a client should wait before asking again while the model is being switched. */
const SWITCH_RETRY_AFTER_S = 1;

/** API keys are compared by their sha256, in constant time (no timing leak of a key's prefix). */
const keyDigest = (k: string) => createHash("sha256").update(k, "utf8").digest();

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  const m = typeof h === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? m[1] : null;
}

function fail(reply: FastifyReply, code: ApiCode, message: string) {
  return reply.code(API_ERRORS[code]).send({ error: { code, message } });
}

/** The receipt's id: hex sha256 of its canonical text (the hash the verifier records). */
export function receiptId(verifierId: string, receipt: Parameters<typeof receiptHash>[1]): string {
  return bytesToHex(receiptHash(verifierId, receipt));
}

export function receiptView(row: OutboxRow) {
  return {
    id: row.id,
    status: row.status,
    nonce: row.nonce.toString(),
    tx_hash: row.tx_hash,
    chain_receipt_id: row.chain_id,
    accepted_at: row.accepted_at,
    final_at: row.final_at,
    error: row.error,
    attempts: row.attempts,
    receipt: row.receipt,
  };
}

let lastRoutes: { method: string; url: string }[] = [];

/** The routes of the app built last (the OpenAPI test compares them with attester/openapi.yaml). */
export function registeredRoutes(): { method: string; url: string }[] {
  return lastRoutes;
}

export async function buildApp(fastify: typeof Fastify, d: AppDeps): Promise<FastifyInstance> {
  // no request logging by Fastify (pino would be a second log); our own line per request names no body
  // no type coercion: an input that is not a string is refused, not turned into one
  const app = fastify({ logger: false, bodyLimit: 256 * 1024, ajv: { customOptions: { coerceTypes: false } } });
  const routes: { method: string; url: string }[] = [];
  lastRoutes = routes;
  app.addHook("onRoute", (r) => {
    for (const method of [r.method].flat()) routes.push({ method: String(method), url: r.url });
  });
  const verifierId = d.signer.cfg.verifier_id;
  const isApi = (url: string | undefined) => url?.startsWith("/v1/") === true;

  // Access to /v1/* (health and metrics stay open for probes and scrapers; they carry no input or output).
  // The rate limit runs first, keyed by a valid API key or else by IP, so guessing keys is limited per IP too.
  const keys = d.access.api_keys.map(keyDigest);
  const validKey = (req: FastifyRequest): number => {
    const k = bearer(req);
    if (k === null) return -1;
    const dk = keyDigest(k);
    let found = -1;
    keys.forEach((key, i) => {
      if (timingSafeEqual(key, dk)) found = i;
    });
    return found;
  };
  if (d.access.rate_limit_max > 0) {
    await app.register(d.rateLimit, {
      // one budget per key or IP across the /v1/ routes (a route's own config would give it its own counter)
      global: true,
      max: d.access.rate_limit_max,
      timeWindow: d.access.rate_limit_window_ms,
      keyGenerator: (req) => {
        const i = validKey(req);
        // the key's index, never the key: the limiter's store holds no secret
        return i >= 0 ? `key:${i}` : `ip:${req.ip}`;
      },
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        error: { code: "ERR_RATE_LIMITED", message: `at most ${ctx.max} requests per ${ctx.after}; retry later` },
      }),
    });
  }
  // the routes the limiter leaves alone (it ignores this when it is not registered)
  const unlimited = { rateLimit: false as const };
  if (keys.length > 0) {
    const requireKey = async (req: FastifyRequest, reply: FastifyReply) => {
      if (validKey(req) < 0) {
        reply.header("www-authenticate", 'Bearer realm="attester"');
        return fail(reply, "ERR_UNAUTHORIZED", "an API key is required: Authorization: Bearer <key>");
      }
    };
    // a route's own hooks run in order: the rate limiter's (added by its onRoute hook, registered above) first
    app.addHook("onRoute", (r) => {
      if (!isApi(r.url)) return;
      const hooks = r.onRequest;
      r.onRequest = [...(hooks === undefined ? [] : [hooks].flat()), requireKey];
    });
  }

  app.addHook("onResponse", async (req, reply) => {
    d.log("request", {
      method: req.method,
      route: req.routeOptions.url ?? "unknown",
      status: reply.statusCode,
      ms: Number(reply.elapsedTime.toFixed(2)),
    });
  });

  app.setErrorHandler(
    (err: { statusCode?: number; message: string; validation?: unknown; error?: unknown }, _req, reply) => {
      // @fastify/rate-limit throws what errorResponseBuilder built (Retry-After is already set)
      const built = err.error as { code?: string; message?: string } | undefined;
      if (err.statusCode === 429 && built?.code === "ERR_RATE_LIMITED") {
        return fail(reply, "ERR_RATE_LIMITED", built.message ?? "too many requests");
      }
      if (err.validation || (err.statusCode && err.statusCode < 500)) {
        // Fastify's own messages name fields, not values
        return fail(reply, "ERR_INVALID_REQUEST", err.message);
      }
      d.log("internal error", { error: err.message });
      return fail(reply, "ERR_INTERNAL", "internal error");
    },
  );
  app.setNotFoundHandler((_req, reply) => fail(reply, "ERR_NOT_FOUND", "no such route"));

  app.post(
    "/v1/infer",
    {
      schema: {
        body: {
          type: "object",
          required: ["input"],
          additionalProperties: false,
          properties: { input: { type: "string" }, salt: { type: "string" } },
        },
      },
    },
    async (req, reply) => {
      const end = d.metrics.latency.startTimer();
      const { input, salt } = req.body as { input: string; salt?: string };
      let saltBytes: Uint8Array | undefined;
      if (salt !== undefined) {
        if (salt.length !== 2 * SALT_BYTES) {
          d.metrics.inferences.inc({ result: "error" });
          return fail(reply, "ERR_SALT_LENGTH", `the salt must be exactly ${SALT_BYTES} bytes, ${2 * SALT_BYTES} hex`);
        }
        if (!/^[0-9a-fA-F]+$/.test(salt)) {
          d.metrics.inferences.inc({ result: "error" });
          return fail(reply, "ERR_SALT_NOT_HEX", "the salt must be hex");
        }
        saltBytes = hexToBytes(salt.toLowerCase());
      }
      if (input.length > MAX_INPUT_CHARS) {
        d.metrics.inferences.inc({ result: "error" });
        return fail(reply, "ERR_INPUT_TOO_LONG", `at most ${MAX_INPUT_CHARS} characters`);
      }
      const now = d.follower.serving();
      if ("code" in now) {
        d.metrics.inferences.inc({ result: "unavailable" });
        if (now.code === "ERR_MODEL_SWITCHING") reply.header("retry-after", String(SWITCH_RETRY_AFTER_S));
        return fail(reply, now.code, now.message);
      }
      let a: ServiceAnswer;
      try {
        // from here to the outbox write nothing awaits: the follower cannot swap the model in between
        a = d.signer.attest(now.model, input, saltBytes);
      } catch (e) {
        d.metrics.inferences.inc({ result: "error" });
        if (e instanceof AttesterError && e.code in API_ERRORS) return fail(reply, e.code as ApiCode, e.message);
        throw e;
      }
      const id = receiptId(verifierId, a.receipt);
      try {
        // durable before the answer: the receipt and the next nonce, in one transaction
        d.outbox.insert(id, a.receipt, d.submit ? "queued" : "signed");
      } catch (e) {
        d.metrics.inferences.inc({ result: "error" });
        d.log("outbox write failed", { error: (e as Error).message });
        return fail(reply, "ERR_OUTBOX", "the receipt could not be stored; nothing was answered");
      }
      if (d.submit) d.queued();
      d.metrics.inferences.inc({ result: "ok" });
      end();
      return {
        id,
        output: a.output,
        salt: a.salt,
        status: d.submit ? "queued" : "signed",
        receipt: a.receipt,
      };
    },
  );

  app.get("/v1/receipts/:id", async (req, reply) => {
    const { id } = req.params as { id: string };
    let row = d.outbox.get(id);
    if (!row) return fail(reply, "ERR_UNKNOWN_RECEIPT", "no receipt with this id here");
    if (row.status === "accepted" || row.status === "disputed") {
      // the chain decides final, disputed and voided: asked now rather than at the sweep's next pass
      try {
        await d.finality.refresh(row);
        row = d.outbox.get(id) as OutboxRow;
      } catch {
        // the node is unreachable: answer from the outbox
      }
    }
    return receiptView(row);
  });

  app.get("/v1/model", async () => {
    const f = d.follower;
    const m = f.current;
    return {
      // what answers now (null while switching, or when the chain's model has no weights here)
      model_name: m?.name ?? null,
      model_version: m?.version ?? null,
      weights_sha256: m?.weightsSha256 ?? null,
      format: m?.format ?? null,
      state: f.state,
      // what the verifier said last, and when
      chain_active_model: f.chainModel,
      checked_at: f.checkedAt === null ? null : new Date(f.checkedAt).toISOString(),
      verifier_id: verifierId,
      community: d.signer.cfg.community,
      attester_id: d.signer.cfg.attester_id,
      card: m && d.card?.weights_sha256 === m.weightsSha256 ? d.card : null,
    };
  });

  app.get("/healthz", { config: unlimited }, async () => ({ ok: true, ...d.health() }));

  // Readiness for a load balancer or an orchestrator: 503 while /v1/infer would refuse (no active model, its weights
  // missing, a switch draining), so traffic goes elsewhere; /healthz stays 200 (alive, even when degraded).
  app.get("/readyz", { config: unlimited }, async (_req, reply) => {
    const r = d.readiness();
    reply.code(r.ready ? 200 : 503);
    return r;
  });

  app.get("/metrics", { config: unlimited }, async (_req, reply) => {
    reply.header("content-type", d.metrics.registry.contentType);
    return d.metrics.registry.metrics();
  });

  return app;
}
