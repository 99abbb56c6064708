// `ai-commons attester serve` after acceptance, on the real local node: the finality sweep marks the DAO's voided
// receipt `voided` and the others `final` once the chain passes their two-minute challenge window (the guides'
// short-epochs.json; the chain is fast-forwarded); pruning then deletes the receipts in an end state from the SQLite
// outbox, except the highest nonce, and never one still open; a relayer that cannot pay a batch keeps its receipts
// queued (no transaction, no attempt) with health degraded, and after a top-up they are accepted. Set-up: the guides.
import Database from "better-sqlite3";
import { NEAR, ok, useCliEnv } from "./harness.ts";
import {
  type Answer,
  counts,
  daoCall,
  home,
  infer,
  json,
  onChain,
  question,
  runGuide,
  type Service,
  savedAccount,
  serve,
  until,
} from "./service.ts";

const test = useCliEnv();
const DB = "outbox-final.db";
/** fast sweeps for the test (the default is every 10 s) */
const SWEEP_ENV = { AI_COMMONS_ATTESTER_FINALITY_INTERVAL_MS: "300" };

interface ReceiptView {
  status: string;
  nonce: string;
  chain_receipt_id: number | null;
  accepted_at: string | null;
  final_at: string | null;
  attempts: number;
}

interface Health {
  status: string;
  receipts: Record<string, number>;
  relayer: { account: string; available_near: string; low: boolean; waiting_for_near: string | null } | null;
}

/** The outbox's rows as the SQLite file holds them (read-only, beside the running service: WAL). */
function rows(t: Parameters<typeof home>[0]): { nonce: bigint; status: string }[] {
  const db = new Database(home(t, DB), { readonly: true });
  db.defaultSafeIntegers(true);
  try {
    return db.prepare("SELECT nonce, status FROM receipts ORDER BY nonce").all() as { nonce: bigint; status: string }[];
  } finally {
    db.close();
  }
}

async function stop(t: Parameters<typeof home>[0], s: Service): Promise<void> {
  s.child.kill("SIGTERM");
  t.is(await s.exited, 0);
}

const receipt = (s: Service, a: Answer) => json<ReceiptView>(s, `/v1/receipts/${a.id}`);

const answers: Answer[] = [];

test.serial("set-up: the guides up to attest-inferences", async (t) => {
  await runGuide(t, "curate-datasets.md");
  await runGuide(t, "train-and-activate-a-model.md");
  await runGuide(t, "attest-inferences.md");
  t.pass();
});

test.serial("accepted receipts become final after the challenge window; the DAO's void shows voided", async (t) => {
  const s = await serve(t, home(t, DB), [], SWEEP_ENV);
  try {
    for (let i = 0; i < 4; i++) answers.push(await infer(s, question(i)));
    await until("all accepted", async () => (await counts(s)).accepted === 4);
    const voided = await receipt(s, answers[1]);
    await daoCall(t, "void_receipt", { receipt_id: voided.chain_receipt_id, reason: "serve-final test" });
    t.is((await onChain(t, answers[1].receipt.nonce))?.status, "Voided");
    // /healthz reads the outbox only: the sweep, not a GET of the receipt, moved it
    await until("the sweep sees the void", async () => (await counts(s)).voided === 1, 30_000);
    for (const i of [0, 2, 3]) t.like(await receipt(s, answers[i]), { status: "accepted", final_at: null });

    ok(t, await t.context.cli.run(["node", "fast-forward", "200"]), "node fast-forward 200");
    const forwarded = Date.now();
    await until("final", async () => (await counts(s)).final === 3, 30_000);
    const sweepMs = Date.now() - forwarded;
    const windowNs = 120_000_000_000n;
    for (const i of [0, 2, 3]) {
      const r = await receipt(s, answers[i]);
      t.is(r.status, "final");
      t.is(r.final_at, (BigInt(r.accepted_at as string) + windowNs).toString(), "final at accepted_at + window");
      t.is((await onChain(t, answers[i].receipt.nonce))?.status, "Accepted");
    }
    t.like(await receipt(s, answers[1]), { status: "voided", final_at: null });
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    t.regex(metrics, /attester_receipts_settled_total\{status="final"\} 3/);
    t.regex(metrics, /attester_receipts_settled_total\{status="voided"\} 1/);
    t.notRegex(metrics, /attester_finality_sweeps_total\{result="error"\}/);
    const sum = Number(/attester_finality_sweep_duration_seconds_sum (\S+)/.exec(metrics)?.[1]);
    const n = Number(/attester_finality_sweep_duration_seconds_count (\S+)/.exec(metrics)?.[1]);
    t.log(
      `final ${sweepMs} ms after the fast-forward; ${n} sweeps, ${((1000 * sum) / n).toFixed(1)} ms each on average`,
    );
  } finally {
    await stop(t, s);
  }
});

test.serial("pruning deletes end states past the retention, never the highest nonce nor an open receipt", async (t) => {
  const before = rows(t);
  t.deepEqual(
    before.map((r) => r.status),
    ["final", "voided", "final", "final"],
  );
  const highest = before[before.length - 1].nonce;
  // a retention of 1 ms, one receipt per sweep: bounded batches
  const s = await serve(t, home(t, DB), [], {
    ...SWEEP_ENV,
    AI_COMMONS_ATTESTER_OUTBOX_RETENTION_MS: "1",
    AI_COMMONS_ATTESTER_PRUNE_BATCH: "1",
  });
  try {
    await until("pruned to the highest nonce", async () => rows(t).length === 1, 30_000);
    t.deepEqual(rows(t), [{ nonce: highest, status: "final" }]);
    // a new receipt: its nonce is above the kept one; while it is open (accepted, inside its window) it stays
    const fresh = await infer(s, question(9));
    t.true(BigInt(fresh.receipt.nonce) > highest, "nonces stay monotonic");
    await until("accepted", async () => (await receipt(s, fresh)).status === "accepted");
    await until("the old highest goes", async () => rows(t).length === 1, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    t.deepEqual(rows(t), [{ nonce: BigInt(fresh.receipt.nonce), status: "accepted" }]);
    t.regex(await (await fetch(`${s.url}/metrics`)).text(), /attester_outbox_pruned_total 4/);
  } finally {
    await stop(t, s);
  }
});

test.serial(
  "a relayer that cannot pay keeps receipts queued, health degraded; topped up, they are accepted",
  async (t) => {
    // 0.04 NEAR: less than one receipt's batch (0.02 NEAR storage deposit and 300 Tgas of prepaid gas)
    ok(t, await t.context.cli.run(["account", "create", "poor", "--balance", "0.04"]), "account create poor");
    const s = await serve(
      t,
      home(t, "outbox-poor.db"),
      [],
      { AI_COMMONS_ATTESTER_BALANCE_INTERVAL_MS: "500", AI_COMMONS_ATTESTER_RELAYER_MIN_BALANCE: "1" },
      { "--account": "poor.test.near" },
    );
    try {
      const mine = [await infer(s, question(20)), await infer(s, question(21))];
      await until("degraded", async () => (await json<Health>(s, "/healthz")).status === "degraded");
      await new Promise((r) => setTimeout(r, 2000));
      const h = await json<Health>(s, "/healthz");
      t.like(h.relayer, { account: "poor.test.near", low: true });
      t.truthy(h.relayer?.waiting_for_near, "the submitter waits for funds");
      t.is(h.receipts.queued, 2);
      for (const a of mine) {
        t.like(await receipt(s, a), { status: "queued", attempts: 0 });
        t.is(await onChain(t, a.receipt.nonce), null);
      }
      t.regex(await (await fetch(`${s.url}/metrics`)).text(), /attester_submit_waiting_for_funds 1/);
      t.true(/relayer balance cannot pay a batch/.test(s.output()), "a warning is logged");

      await savedAccount(t, "relayer.test.near").transfer({ receiverId: "poor.test.near", amount: 2n * NEAR });
      const toppedUp = Date.now();
      await until("accepted after the top-up", async () => (await counts(s)).accepted === 2, 30_000);
      const waitedMs = Date.now() - toppedUp;
      for (const a of mine) t.like(await receipt(s, a), { status: "accepted", attempts: 1 });
      const after = await json<Health>(s, "/healthz");
      t.is(after.status, "ok");
      t.like(after.relayer, { low: false, waiting_for_near: null });
      t.log(`accepted ${waitedMs} ms after the top-up (balance read every 500 ms)`);
    } finally {
      await stop(t, s);
    }
  },
);
