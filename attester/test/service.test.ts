// The attester service (src/service/) against a fake verifier that keeps receipts by nonce as the real one does: the
// API and its error codes, openapi.yaml against the routes, privacy (the input is in neither the outbox file nor the
// logs), nonces across restarts, and the submitter's recovery (an outcome lost after the transaction landed, a
// transaction that never landed, a refused receipt), each receipt held once. The real node: sandbox-tests/cli/serve.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytesToHex } from "@noble/hashes/utils";
import test from "ava";
import Database from "better-sqlite3";
import { opens } from "../src/attester.ts";
import { loadVerified } from "../src/data.ts";
import { serialize, train, weightsSha256 } from "../src/model.ts";
import { newKey, receiptHash, recoverSigner, type SignedReceipt } from "../src/receipt.ts";
import type { BatchResult, ChainReceipt, ServiceChain } from "../src/service/chain.ts";
import { parseContractError, SubmitError } from "../src/service/chain.ts";
import { loadConfig } from "../src/service/config.ts";
import { chainVerdict, idRuns } from "../src/service/finality.ts";
import { type RunningService, startService } from "../src/service/index.ts";
import { Outbox } from "../src/service/outbox.ts";
import { API_ERRORS, registeredRoutes } from "../src/service/server.ts";
import { backoffMs } from "../src/service/submitter.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";

const VERIFIER = "coop_inference-verifier.commons.test.near";
const dir = mkdtempSync(join(tmpdir(), "attester-service-"));
const model = train(loadVerified().examples);
const MODEL_FILE = join(dir, "model.aicm");
writeFileSync(MODEL_FILE, serialize(model));
const key = newKey();
const KEY_FILE = join(dir, "key.json");
writeFileSync(KEY_FILE, JSON.stringify(key));
const ACTIVE = { model_name: "community-intents", model_version: "1.0.0", weights_sha256: weightsSha256(model) };

type Mode = "ok" | "down" | "land-then-lose" | "lose";

/** The verifier as the service sees it: receipts by nonce, all-or-nothing batches, ERR_NONCE_USED on a reuse. */
class FakeChain implements ServiceChain {
  mode: Mode = "ok";
  byNonce = new Map<string, ChainReceipt>();
  accepted: string[] = [];
  txs = 0;
  /** how far the chain's clock is ahead of this machine's (ns): a fast-forward past the challenge window */
  aheadNs = 0n;
  /** the relayer's available balance (yoctoNEAR) */
  available = 100n * 10n ** 24n;
  async activeModel() {
    return ACTIVE;
  }
  async challengeWindow() {
    return { windowNs: 120n * 10n ** 9n, closedBeforeNs: 0n };
  }
  async timeNs() {
    return BigInt(Date.now()) * 1_000_000n + this.aheadNs;
  }
  async receiptsFrom(from: number, limit: number) {
    return [...this.byNonce.values()].filter((r) => r.id >= from && r.id < from + limit).sort((a, b) => a.id - b.id);
  }
  async relayerBalance() {
    return { available: this.available, total: this.available };
  }
  async batchCost(receipts: number) {
    return RECEIPT_STORAGE_DEPOSIT * BigInt(receipts) + 3n * 10n ** 22n;
  }
  async receiptByNonce(_a: string, nonce: string) {
    if (this.mode === "down") throw new Error("fetch failed");
    return this.byNonce.get(nonce) ?? null;
  }
  async submit(receipts: SignedReceipt[], signed: (h: string) => void): Promise<BatchResult> {
    if (this.mode === "down") throw new SubmitError("fetch failed", false, null, null);
    const hash = `tx${++this.txs}`;
    signed(hash);
    if (this.mode === "lose") throw new SubmitError("socket hang up", false, null, null);
    const i = receipts.findIndex((r) => this.byNonce.has(r.nonce));
    if (i >= 0) throw new SubmitError(`ERR_NONCE_USED: receipts[${i}]`, true, "ERR_NONCE_USED", i);
    const ids = receipts.map((r) => {
      const id = this.accepted.length;
      this.accepted.push(r.nonce);
      this.byNonce.set(r.nonce, {
        id,
        hash: bytesToHex(receiptHash(VERIFIER, r)),
        nonce: r.nonce,
        accepted_at: String(BigInt(Date.now()) * 1_000_000n + this.aheadNs),
        status: "Accepted",
      });
      return id;
    });
    if (this.mode === "land-then-lose") throw new SubmitError("timeout", false, null, null);
    return { tx_hash: hash, receipt_ids: ids, block_hash: "b" };
  }
}

interface Started {
  svc: RunningService;
  chain: FakeChain;
  logs: string[];
  db: string;
}

async function start(name: string, chain = new FakeChain(), over: Record<string, unknown> = {}): Promise<Started> {
  const db = join(dir, `${name}.db`);
  const logs: string[] = [];
  const cfg = loadConfig(
    undefined,
    {
      node_url: "http://127.0.0.1:1",
      verifier_id: VERIFIER,
      community: "coop.commons.test.near",
      attester_id: "att.test.near",
      key_file: KEY_FILE,
      model_file: MODEL_FILE,
      model_card: join(import.meta.dirname, "..", "model-card.json"),
      port: 0,
      db_path: db,
      linger_ms: 0,
      backoff_base_ms: 5,
      backoff_max_ms: 20,
      ...over,
    },
    {},
  );
  const svc = await startService(cfg, { chain, log: (m, f) => logs.push(JSON.stringify({ m, ...f })) });
  return { svc, chain, logs, db };
}

async function post(svc: RunningService, body: unknown) {
  const r = await fetch(`${svc.url}/v1/infer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> & { error?: { code: string } } };
}

const get = async (svc: RunningService, path: string) => {
  const r = await fetch(`${svc.url}${path}`);
  const text = await r.text();
  return { status: r.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
};

async function until(what: string, f: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("infer: output, salt, a signed receipt over the commitments, its id; statuses to accepted", async (t) => {
  const { svc, chain } = await start("infer");
  try {
    const salt = "ab".repeat(32);
    const r = await post(svc, { input: "the council should vote on the treasury budget", salt });
    t.is(r.status, 200);
    const b = r.body as { id: string; output: string; salt: string; receipt: SignedReceipt; status: string };
    t.is(b.output, "governance");
    t.is(b.salt, salt);
    t.is(recoverSigner(VERIFIER, b.receipt), key.public_key);
    t.true(opens({ input: "the council should vote on the treasury budget", output: b.output, salt }, b.receipt));
    t.is(b.id, bytesToHex(receiptHash(VERIFIER, b.receipt)));
    const random = (await post(svc, { input: "when will the reward pool pay" })).body as { salt: string };
    t.regex(random.salt, /^[0-9a-f]{64}$/);
    await until("accepted", async () => (await get(svc, `/v1/receipts/${b.id}`)).json().status === "accepted");
    const v = (await get(svc, `/v1/receipts/${b.id}`)).json();
    t.like(v, { status: "accepted", chain_receipt_id: 0 });
    t.regex(String(v.tx_hash), /^tx\d+$/);
    t.is(v.final_at, null, "set when it becomes final");
    t.is(chain.accepted.length, 2);
    t.is((await get(svc, "/v1/receipts/00")).status, 404);
    t.is((await get(svc, "/v1/receipts/00")).json().error && "ERR_UNKNOWN_RECEIPT", "ERR_UNKNOWN_RECEIPT");
  } finally {
    await svc.close();
  }
});

test("request errors have stable codes; nothing is signed for them", async (t) => {
  const { svc } = await start("errors", new FakeChain(), { submit: false });
  try {
    const code = async (body: unknown) => (await post(svc, body)).body.error?.code;
    t.is(await code({ input: "x", salt: "ab".repeat(31) }), "ERR_SALT_LENGTH");
    t.is(await code({ input: "x", salt: "ab".repeat(33) }), "ERR_SALT_LENGTH");
    t.is(await code({ input: "x", salt: "zz".repeat(32) }), "ERR_SALT_NOT_HEX");
    t.is(await code({ input: "bad \ud800 text" }), "ERR_INPUT_NOT_UNICODE");
    t.is(await code({ input: 5 }), "ERR_INVALID_REQUEST");
    t.is(await code({ text: "x" }), "ERR_INVALID_REQUEST");
    t.is(await code({ input: "x".repeat(10_001) }), "ERR_INPUT_TOO_LONG");
    t.is((await post(svc, { input: "x", salt: "ab".repeat(31) })).status, 400);
    const h = (await get(svc, "/healthz")).json() as { receipts: Record<string, number> };
    t.is(
      Object.values(h.receipts).reduce((a, b) => a + b, 0),
      0,
    );
    // --no-submit: signed, stored, not sent
    const ok = (await post(svc, { input: "a dataset of chat logs" })).body as { id: string; status: string };
    t.is(ok.status, "signed");
    t.is((await get(svc, `/v1/receipts/${ok.id}`)).json().status, "signed");
  } finally {
    await svc.close();
  }
});

test("model, healthz and Prometheus metrics", async (t) => {
  const { svc } = await start("meta");
  try {
    await post(svc, { input: "vote on the proposal" });
    await post(svc, { input: "x", salt: "00" });
    const m = (await get(svc, "/v1/model")).json();
    t.like(m, { ...ACTIVE, verifier_id: VERIFIER, attester_id: "att.test.near" });
    t.is((m.card as { weights_sha256: string } | null)?.weights_sha256 ?? ACTIVE.weights_sha256, ACTIVE.weights_sha256);
    t.like((await get(svc, "/healthz")).json(), { ok: true, model: "community-intents@1.0.0" });
    const ready = await get(svc, "/readyz");
    t.is(ready.status, 200);
    t.deepEqual(ready.json(), { ready: true, state: "serving", code: null, model: "community-intents@1.0.0" });
    await until("submitted", async () =>
      /attester_receipts\{status="accepted"\} 1/.test((await get(svc, "/metrics")).text),
    );
    const text = (await get(svc, "/metrics")).text;
    t.regex(text, /attester_inferences_total\{result="ok"\} 1/);
    t.regex(text, /attester_inferences_total\{result="error"\} 1/);
    t.regex(text, /attester_submit_batches_total\{result="accepted"\} 1/);
    t.regex(text, /attester_submit_failures_total 0/);
    t.regex(text, /attester_infer_duration_seconds_bucket\{le="0.05"\} 1/);
    t.regex(text, /attester_infer_duration_seconds_count 1/);
  } finally {
    await svc.close();
  }
});

test("openapi.yaml describes exactly the routes the service has", async (t) => {
  const { svc } = await start("openapi", new FakeChain(), { submit: false });
  await svc.close();
  const yaml = readFileSync(join(import.meta.dirname, "..", "openapi.yaml"), "utf8");
  const documented: string[] = [];
  let path: string | null = null;
  for (const line of yaml.slice(yaml.indexOf("\npaths:")).split("\n").slice(2)) {
    if (/^\S/.test(line)) break;
    const p = /^ {2}(\/\S*):\s*$/.exec(line);
    if (p) path = p[1].replace(/\{(\w+)\}/g, ":$1");
    const m = /^ {4}(get|post|put|delete|patch):\s*$/.exec(line);
    if (m && path) documented.push(`${m[1].toUpperCase()} ${path}`);
  }
  const routes = registeredRoutes()
    .filter((r) => r.method !== "HEAD")
    .map((r) => `${r.method} ${r.url}`);
  t.deepEqual([...new Set(documented)].sort(), [...new Set(routes)].sort());
  // every error code the API answers with is documented
  for (const code of Object.keys(API_ERRORS)) {
    t.true(yaml.includes(code), code);
  }
});

test("privacy: the input and output are in neither the outbox file nor the logs", async (t) => {
  const { svc, logs, db } = await start("privacy");
  const input = "please remove my private medical record 4417 from the dataset";
  const r = (await post(svc, { input })).body as { output: string; id: string };
  await until("accepted", async () => (await get(svc, `/v1/receipts/${r.id}`)).json().status === "accepted");
  await svc.close();
  const files = [db, `${db}-wal`].filter((f) => existsSync(f));
  t.true(files.length >= 1);
  for (const f of files) {
    const bytes = readFileSync(f).toString("latin1");
    t.false(bytes.includes("medical"), f);
    t.false(bytes.includes(input), f);
  }
  t.true(logs.length > 0);
  t.false(logs.join("\n").includes("medical"));
  // the receipt is there, by its commitments
  t.true(
    readFileSync(db).toString("latin1").includes(r.id) || readFileSync(`${db}-wal`).toString("latin1").includes(r.id),
  );
});

test("nonces: strictly increasing, and above the outbox's after a restart", async (t) => {
  const first = await start("nonces");
  const n1 = BigInt(((await post(first.svc, { input: "a" })).body.receipt as SignedReceipt).nonce);
  const n2 = BigInt(((await post(first.svc, { input: "b" })).body.receipt as SignedReceipt).nonce);
  t.is(n2, n1 + 1n);
  await first.svc.close();
  // a nonce far ahead of the clock in the outbox (as after a burst): the restarted service continues above it
  const o = new Outbox(Database, first.db);
  const ahead = n2 + 10n ** 12n;
  o.insert("f".repeat(64), { nonce: ahead.toString() } as SignedReceipt, "signed");
  o.close();
  const again = await start("nonces", first.chain);
  t.is(again.svc.next_nonce, ahead + 1n);
  const n3 = BigInt(((await post(again.svc, { input: "c" })).body.receipt as SignedReceipt).nonce);
  t.is(n3, ahead + 1n);
  await again.svc.close();
});

test("recovery: a batch that landed but whose answer was lost, one that never landed, the node down", async (t) => {
  const chain = new FakeChain();
  chain.mode = "land-then-lose";
  const { svc } = await start("recovery", chain, { batch_size: 4 });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await post(svc, { input: `question ${i}` })).body.id as string);
  await until("first batch landed", () => chain.accepted.length >= 1);
  chain.mode = "lose";
  for (let i = 6; i < 10; i++) ids.push((await post(svc, { input: `question ${i}` })).body.id as string);
  await new Promise((r) => setTimeout(r, 100));
  chain.mode = "down";
  for (let i = 10; i < 14; i++) ids.push((await post(svc, { input: `question ${i}` })).body.id as string);
  await new Promise((r) => setTimeout(r, 100));
  chain.mode = "ok";
  await until("all accepted", () => chain.accepted.length === 14);
  await until("all marked", async () => {
    const h = (await get(svc, "/healthz")).json() as { receipts: Record<string, number> };
    return h.receipts.accepted === 14;
  });
  t.is(new Set(chain.accepted).size, 14, "none twice");
  for (const id of ids) t.is((await get(svc, `/v1/receipts/${id}`)).json().status, "accepted");
  t.regex((await get(svc, "/metrics")).text, /attester_submit_failures_total [1-9]/);
  await svc.close();
});

test("a receipt the verifier refuses for good is rejected with its code; the rest of its batch goes on", async (t) => {
  const chain = new FakeChain();
  const real = chain.submit.bind(chain);
  let refused = false;
  chain.submit = async (receipts, signed) => {
    if (!refused && receipts.length > 1) {
      refused = true;
      signed("txbad");
      throw new SubmitError("ERR_TIMESTAMP_TOO_OLD: receipts[1]", true, "ERR_TIMESTAMP_TOO_OLD", 1);
    }
    return real(receipts, signed);
  };
  const again = await start("refused", chain, { linger_ms: 300 });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await post(again.svc, { input: `q${i}` })).body.id as string);
  await until("settled", () => chain.accepted.length === 2);
  await until("rejected", async () => (await get(again.svc, `/v1/receipts/${ids[1]}`)).json().status === "rejected");
  t.like((await get(again.svc, `/v1/receipts/${ids[1]}`)).json(), { error: "ERR_TIMESTAMP_TOO_OLD" });
  await again.svc.close();
});

test("many stale receipts are rejected one refusal after another, without backoff", async (t) => {
  const chain = new FakeChain();
  const real = chain.submit.bind(chain);
  const stale = new Set<string>();
  chain.submit = async (receipts, signed) => {
    const i = receipts.findIndex((r) => stale.has(r.nonce));
    if (i >= 0) {
      signed(`refused${i}`);
      throw new SubmitError(`ERR_TIMESTAMP_TOO_OLD: receipts[${i}]`, true, "ERR_TIMESTAMP_TOO_OLD", i);
    }
    return real(receipts, signed);
  };
  const { svc } = await start("stale", chain, { submit: false, backoff_base_ms: 60_000, backoff_max_ms: 60_000 });
  for (let i = 0; i < 10; i++) {
    const b = (await post(svc, { input: `old question ${i}` })).body as { receipt: SignedReceipt };
    if (i < 8) stale.add(b.receipt.nonce);
  }
  await svc.close();
  // the same outbox, now submitting: the signed receipts are not sent (signed is final); queue them by hand
  const db = new Database(join(dir, "stale.db"));
  db.prepare("UPDATE receipts SET status = 'queued'").run();
  db.close();
  const again = await start("stale", chain, { backoff_base_ms: 60_000, backoff_max_ms: 60_000 });
  await until(
    "settled",
    async () => {
      const h = (await get(again.svc, "/healthz")).json() as { receipts: Record<string, number> };
      return h.receipts.rejected === 8 && h.receipts.accepted === 2;
    },
    5000,
  );
  t.is(chain.accepted.length, 2);
  await again.svc.close();
});

test("stopping cuts a backoff short; the receipts stay queued in the outbox for the next start", async (t) => {
  const chain = new FakeChain();
  const { svc } = await start("stop", chain, { backoff_base_ms: 60_000, backoff_max_ms: 60_000 });
  chain.mode = "down";
  const id = (await post(svc, { input: "a question while the node is down" })).body.id as string;
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  await svc.close();
  t.true(Date.now() - t0 < 2000, `closed in ${Date.now() - t0} ms`);
  chain.mode = "ok";
  const again = await start("stop", chain);
  await until("accepted after the restart", () => chain.accepted.length === 1);
  await until("marked", async () => (await get(again.svc, `/v1/receipts/${id}`)).json().status === "accepted");
  t.pass();
  await again.svc.close();
});

test("finality: accepted receipts turn final past the window, voided and disputed as the chain says", async (t) => {
  const chain = new FakeChain();
  const { svc, db } = await start("final", chain, { finality_interval_ms: 100, finality_batch: 2 });
  try {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await post(svc, { input: `question ${i}` })).body.id as string);
    await until("all accepted", () => chain.accepted.length === 5);
    const rec = (i: number) => [...chain.byNonce.values()].find((r) => r.hash === ids[i]) as ChainReceipt;
    rec(1).status = "Voided";
    rec(2).status = "Disputed";
    // a page of 2 per sweep: the cursor goes round all five
    const status = () => {
      const o = new Database(db, { readonly: true });
      const rows = o.prepare("SELECT id, status, final_at FROM receipts").all() as {
        id: string;
        status: string;
        final_at: string | null;
      }[];
      o.close();
      return new Map(rows.map((r) => [r.id, r]));
    };
    await until(
      "voided and disputed",
      () => status().get(ids[1])?.status === "voided" && status().get(ids[2])?.status === "disputed",
    );
    t.is(status().get(ids[0])?.status, "accepted", "inside its window");
    chain.aheadNs = 121n * 10n ** 9n;
    await until("final", () => [0, 3, 4].every((i) => status().get(ids[i])?.status === "final"));
    t.is(status().get(ids[0])?.final_at, (BigInt(rec(0).accepted_at) + 120n * 10n ** 9n).toString());
    // a dismissed dispute: accepted again, then final (its window is past)
    rec(2).status = "Accepted";
    await until("final after the dismissal", () => status().get(ids[2])?.status === "final");
    t.is(status().get(ids[1])?.status, "voided");
    const view = (await get(svc, `/v1/receipts/${ids[0]}`)).json();
    t.like(view, { status: "final", final_at: status().get(ids[0])?.final_at });
    const metrics = (await get(svc, "/metrics")).text;
    t.regex(metrics, /attester_receipts_settled_total\{status="final"\} 4/);
    t.regex(metrics, /attester_receipts_settled_total\{status="voided"\} 1/);
    t.regex(metrics, /attester_finality_sweeps_total\{result="ok"\} \d+/);
  } finally {
    await svc.close();
  }
});

test("pruning: end states past the retention go, in batches; never one not final, never the highest nonce", (t) => {
  const path = join(dir, "prune.db");
  const o = new Outbox(Database, path);
  const base = { ...({} as SignedReceipt) };
  const put = (n: number, status: "accepted" | "final" | "voided" | "rejected" | "queued") => {
    o.insert(`r${n}`, { ...base, nonce: String(n) }, "queued");
    if (status !== "queued") o.setStatus([`r${n}`], status);
  };
  put(1, "final");
  put(2, "accepted");
  put(3, "voided");
  put(4, "rejected");
  put(5, "queued");
  put(6, "final");
  put(7, "final");
  const left = () =>
    o
      .byStatus("final")
      .concat(o.byStatus("voided"), o.byStatus("rejected"), o.byStatus("accepted"), o.byStatus("queued"))
      .map((r) => Number(r.nonce))
      .sort((a, b) => a - b);
  t.is(o.prune(Date.now() - 60_000, 10), 0, "nothing older than the retention");
  t.is(o.prune(Date.now() + 1, 2), 2, "a batch at a time, oldest first");
  t.deepEqual(left(), [2, 4, 5, 6, 7]);
  t.is(o.prune(Date.now() + 1, 10), 2);
  t.deepEqual(left(), [2, 5, 7], "the accepted and the queued stay; the final with the highest nonce stays");
  t.is(o.nextNonce(), 8n);
  o.close();
});

test("relayer balance: a batch it cannot pay waits queued, health degraded; a top-up lets it go", async (t) => {
  const chain = new FakeChain();
  chain.available = 10n ** 22n;
  const { svc } = await start("balance", chain, { balance_interval_ms: 100, relayer_min_balance: "1" });
  try {
    const id = (await post(svc, { input: "a question the relayer cannot pay for" })).body.id as string;
    await until("health degraded", async () => (await get(svc, "/healthz")).json().status === "degraded");
    await new Promise((r) => setTimeout(r, 500));
    const h = (await get(svc, "/healthz")).json() as { relayer: Record<string, unknown>; receipts: { queued: number } };
    t.like(h.relayer, { low: true, available_near: "0.01", min_near: "1", waiting_for_near: "0.05" });
    t.is(h.receipts.queued, 1);
    t.is(chain.txs, 0, "no transaction sent");
    t.like((await get(svc, `/v1/receipts/${id}`)).json(), { status: "queued", attempts: 0 });
    t.regex((await get(svc, "/metrics")).text, /attester_submit_waiting_for_funds 1/);
    chain.available = 5n * 10n ** 24n;
    await until("accepted", async () => (await get(svc, `/v1/receipts/${id}`)).json().status === "accepted");
    t.is((await get(svc, "/healthz")).json().status, "ok");
    t.regex((await get(svc, "/metrics")).text, /attester_relayer_balance_near\{kind="available"\} 5/);
  } finally {
    await svc.close();
  }
});

test("finality: the verdict of a record, and ids read in pages of consecutive verifier ids", (t) => {
  const w = { windowNs: 100n, closedBeforeNs: 0n };
  t.deepEqual(chainVerdict({ status: "Accepted", accepted_at: "1000" }, w, 1099n), {
    status: "accepted",
    final_at: null,
    accepted_at: "1000",
  });
  t.like(chainVerdict({ status: "Accepted", accepted_at: "1000" }, w, 1100n), { status: "final", final_at: "1100" });
  t.like(chainVerdict({ status: "Disputed", accepted_at: "1000" }, w, 5000n), { status: "disputed", final_at: null });
  t.like(chainVerdict({ status: "Voided", accepted_at: "1000" }, w, 5000n), { status: "voided", final_at: null });
  // the DAO raised the window to 500 at 1200: a receipt accepted at 1000 was final at 1100 and stays so (closed
  // before 1100), one accepted at 1150 gets the longer window
  const raised = { windowNs: 500n, closedBeforeNs: 1100n };
  t.like(chainVerdict({ status: "Accepted", accepted_at: "1000" }, raised, 1200n), {
    status: "final",
    final_at: "1100",
  });
  t.like(chainVerdict({ status: "Accepted", accepted_at: "1150" }, raised, 1200n), { status: "accepted" });
  t.like(chainVerdict({ status: "Accepted", accepted_at: "1150" }, raised, 1650n), {
    status: "final",
    final_at: "1650",
  });
  t.deepEqual(idRuns([7, 3, 5, 3]), [{ from: 3, limit: 5 }]);
  t.deepEqual(idRuns([0, 99, 100, 250]), [
    { from: 0, limit: 100 },
    { from: 100, limit: 1 },
    { from: 250, limit: 1 },
  ]);
  t.deepEqual(idRuns([]), []);
});

test("config: file, environment, command line, checks", (t) => {
  const file = join(dir, "cfg.json");
  writeFileSync(file, JSON.stringify({ node_url: "http://a", verifier_id: "v", community: "c", port: 1 }));
  const env = {
    AI_COMMONS_ATTESTER_PORT: "2",
    AI_COMMONS_ATTESTER_ATTESTER_ID: "att",
    AI_COMMONS_ATTESTER_SUBMIT: "false",
  };
  const c = loadConfig(file, { key_file: "k", model_file: "m", batch_size: 10 }, env);
  t.like(c, { port: 2, attester_id: "att", submit: false, batch_size: 10, host: "127.0.0.1", linger_ms: 200 });
  t.is(loadConfig(file, { key_file: "k", model_file: "m", attester_id: "x", port: 3 }, env).port, 3);
  t.throws(() => loadConfig(file, { key_file: "k", model_file: "m" }, {}), {
    message: /ERR_CONFIG: missing attester_id/,
  });
  t.throws(() => loadConfig(file, { key_file: "k", model_file: "m", attester_id: "a", batch_size: 65 }, {}), {
    message: /batch_size: 1\.\.64/,
  });
  t.like(loadConfig(file, { key_file: "k", model_file: "m", attester_id: "a" }, {}), {
    outbox_retention_ms: 30 * 24 * 3600 * 1000,
    relayer_min_balance: "2",
    finality_interval_ms: 10_000,
  });
  t.is(
    loadConfig(
      file,
      { key_file: "k", model_file: "m", attester_id: "a" },
      { AI_COMMONS_ATTESTER_RELAYER_MIN_BALANCE: "0.5" },
    ).relayer_min_balance,
    "0.5",
  );
  t.throws(
    () =>
      loadConfig(
        file,
        { key_file: "k", model_file: "m", attester_id: "a" },
        { AI_COMMONS_ATTESTER_RELAYER_MIN_BALANCE: "2 NEAR" },
      ),
    { message: /relayer_min_balance: an amount of NEAR/ },
  );
  writeFileSync(file, JSON.stringify({ nodeurl: "x" }));
  t.throws(() => loadConfig(file, {}, {}), { message: /unknown keys nodeurl/ });
});

test("backoff: exponential with full jitter, capped; contract errors parsed", (t) => {
  t.is(
    backoffMs(3, 100, 10_000, () => 0.999999),
    799,
  );
  t.is(
    backoffMs(30, 100, 10_000, () => 0.5),
    5000,
  );
  t.is(
    backoffMs(1, 100, 10_000, () => 0),
    0,
  );
  t.deepEqual(parseContractError('{"ExecutionError":"Smart contract panicked: ERR_NONCE_USED: receipts[3]"}'), {
    code: "ERR_NONCE_USED",
    index: 3,
  });
  t.deepEqual(parseContractError("ERR_STORAGE_DEPOSIT: attached 1"), { code: "ERR_STORAGE_DEPOSIT", index: null });
  t.is(parseContractError("fetch failed"), null);
});
