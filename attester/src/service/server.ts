// The HTTP API (Fastify), described in attester/openapi.yaml. Inputs and outputs pass through memory only: no route
// logs a body, and the outbox stores receipts (commitments), never texts or salts.
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import type { FastifyInstance, FastifyReply } from "fastify";
import type Fastify from "fastify";
import type { InferenceAttester } from "../attester.ts";
import { AttesterError } from "../errors.ts";
import { receiptHash, SALT_BYTES } from "../receipt.ts";
import type { ActiveModel, ServiceChain } from "./chain.ts";
import type { Metrics } from "./metrics.ts";
import type { Outbox, OutboxRow } from "./outbox.ts";

export interface AppDeps {
  attester: InferenceAttester;
  outbox: Outbox;
  chain: ServiceChain;
  metrics: Metrics;
  model: ActiveModel;
  card: unknown;
  submit: boolean;
  /** a receipt was queued: wake the submitter */
  queued: () => void;
  challengeWindowNs: bigint;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  health: () => Record<string, unknown>;
}

/** Request errors: a stable code, an HTTP status. */
export const API_ERRORS = {
  ERR_INVALID_REQUEST: 400,
  ERR_SALT_LENGTH: 400,
  ERR_SALT_NOT_HEX: 400,
  ERR_INPUT_NOT_UNICODE: 400,
  ERR_INPUT_TOO_LONG: 413,
  ERR_UNKNOWN_RECEIPT: 404,
  ERR_NOT_FOUND: 404,
  ERR_OUTBOX: 503,
  ERR_INTERNAL: 500,
} as const;
type ApiCode = keyof typeof API_ERRORS;

export const MAX_INPUT_CHARS = 10_000;

function fail(reply: FastifyReply, code: ApiCode, message: string) {
  return reply.code(API_ERRORS[code]).send({ error: { code, message } });
}

/** The receipt's id: hex sha256 of its canonical text (the hash the verifier records). */
export function receiptId(verifierId: string, receipt: Parameters<typeof receiptHash>[1]): string {
  return bytesToHex(receiptHash(verifierId, receipt));
}

export function receiptView(row: OutboxRow, finalAt: string | null) {
  return {
    id: row.id,
    status: row.status,
    nonce: row.nonce.toString(),
    tx_hash: row.tx_hash,
    chain_receipt_id: row.chain_id,
    accepted_at: row.accepted_at,
    final_at: finalAt,
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
  const verifierId = d.attester.cfg.verifier_id;

  app.addHook("onResponse", async (req, reply) => {
    d.log("request", {
      method: req.method,
      route: req.routeOptions.url ?? "unknown",
      status: reply.statusCode,
      ms: Number(reply.elapsedTime.toFixed(2)),
    });
  });

  app.setErrorHandler((err: { statusCode?: number; message: string; validation?: unknown }, _req, reply) => {
    if (err.validation || (err.statusCode && err.statusCode < 500)) {
      // Fastify's own messages name fields, not values
      return fail(reply, "ERR_INVALID_REQUEST", err.message);
    }
    d.log("internal error", { error: err.message });
    return fail(reply, "ERR_INTERNAL", "internal error");
  });
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
      let a: ReturnType<InferenceAttester["attest"]>;
      try {
        a = d.attester.attest(input, saltBytes);
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
    let finalAt: string | null = null;
    if (row.status === "accepted" || row.status === "final") {
      // the chain decides voided and final; the outbox keeps what was last seen
      try {
        const onChain = await d.chain.receiptByNonce(row.receipt.attester_id, row.receipt.nonce);
        if (onChain?.status === "Voided") d.outbox.setStatus([row.id], "voided");
        else if (onChain) {
          const f = BigInt(onChain.accepted_at) + d.challengeWindowNs;
          finalAt = f.toString();
          if (onChain.status === "Accepted" && (await d.chain.timeNs()) >= f) d.outbox.setStatus([row.id], "final");
        }
        row = d.outbox.get(id) as OutboxRow;
      } catch {
        // the node is unreachable: answer from the outbox
      }
    }
    return receiptView(row, finalAt);
  });

  app.get("/v1/model", async () => ({
    ...d.model,
    verifier_id: verifierId,
    community: d.attester.cfg.community,
    attester_id: d.attester.cfg.attester_id,
    card: d.card,
  }));

  app.get("/healthz", async () => ({ ok: true, ...d.health() }));

  app.get("/metrics", async (_req, reply) => {
    reply.header("content-type", d.metrics.registry.contentType);
    return d.metrics.registry.metrics();
  });

  return app;
}
