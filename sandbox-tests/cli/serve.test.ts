// `ai-commons attester serve` against the real local node: the attest-inferences guide's service command answers
// over HTTP and its receipts land on chain (and pass `verify`); the input is in neither the outbox nor the service's
// output; then two faults, each ending with receipts signed = receipts the verifier holds, none twice, none lost:
// kill -9 of the service while a batch is in flight (then a restart), and the node stopped while users keep asking
// (then started again). Set-up: the guides before it, on one local node in a temporary HOME.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { ok, useCliEnv } from "./harness.ts";
import {
  allOnChainOnce,
  type Answer,
  chainReceipts,
  counts,
  home,
  infer,
  json,
  question as ask,
  runGuide,
  serve,
  until,
} from "./service.ts";

const test = useCliEnv();

/** Receipts the outbox at `db` holds as sent but not yet seen on chain. */
function submittedIn(db: string): number {
  const outbox = new Database(db, { readonly: true });
  try {
    return (outbox.prepare("SELECT COUNT(*) AS n FROM receipts WHERE status = 'submitted'").get() as { n: number }).n;
  } finally {
    outbox.close();
  }
}

test.serial("set-up: the guides up to attest-inferences", async (t) => {
  await runGuide(t, "curate-datasets.md");
  await runGuide(t, "train-and-activate-a-model.md");
  await runGuide(t, "attest-inferences.md");
  t.pass();
});

test.serial(
  "the guide's service: answers over HTTP, receipts accepted on chain and verified, nothing private kept",
  async (t) => {
    const db = home(t, "attester-outbox.db");
    const before = await chainReceipts(t);
    const s = await serve(t, db);
    try {
      const secret = "my neighbour's phone number is 555 0199, please delete the dataset";
      const answers = [await infer(s, secret, "cd".repeat(32))];
      for (let i = 0; i < 5; i++) answers.push(await infer(s, ask(i)));
      t.is(answers[0].salt, "cd".repeat(32));
      const bad = await fetch(`${s.url}/v1/infer`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: "x", salt: "cd".repeat(16) }),
      });
      t.is(bad.status, 400);
      t.is(((await bad.json()) as { error: { code: string } }).error.code, "ERR_SALT_LENGTH");
      await until("all accepted", async () => (await counts(s)).accepted === answers.length);
      const r = await json<{ status: string; tx_hash: string; chain_receipt_id: number }>(
        s,
        `/v1/receipts/${answers[0].id}`,
      );
      t.is(r.status, "accepted");
      t.regex(r.tx_hash, /^[1-9A-HJ-NP-Za-km-z]{43,44}$/);
      await allOnChainOnce(t, answers, before);
      // the user's check of an answer the service gave
      const file = home(t, "service-answer.json");
      writeFileSync(file, JSON.stringify({ input: secret, ...answers[0] }));
      const v = await t.context.cli.run(["verify", "--receipt", file, "-c", "coop"]);
      ok(t, v, "verify");
      t.regex(v.stdout, /verified: every check passed/);
      const model = await json<{ model_name: string; card: { weights_sha256: string } | null }>(s, "/v1/model");
      t.is(model.model_name, "community-intents");
      t.truthy(model.card);
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      t.regex(metrics, /attester_inferences_total\{result="ok"\} 6/);
      t.regex(metrics, /attester_receipts\{status="accepted"\} 6/);
      // privacy: neither the outbox nor anything the service printed holds the input or the salt-opened output
      for (const f of [db, `${db}-wal`].filter((x) => existsSync(x))) {
        t.false(readFileSync(f).toString("latin1").includes("555 0199"), f);
      }
      t.false(s.output().includes("555 0199"));
      t.false(s.output().includes("personal data"));
    } finally {
      s.child.kill("SIGTERM");
      t.is(await s.exited, 0, "SIGTERM stops it cleanly");
    }
  },
);

test.serial("kill -9 while a batch is in flight, restart: every receipt accepted once", async (t) => {
  const db = home(t, "outbox-kill.db");
  const before = await chainReceipts(t);
  const answers: Answer[] = [];
  // keep asking until a batch is in flight, then kill the process without warning. The node may accept the batch
  // between the check and the kill; the outbox left behind tells: try again until the kill caught a batch in flight.
  let caught = 0;
  for (let attempt = 0; attempt < 5 && caught === 0; attempt++) {
    const s = await serve(t, db, ["--batch", "8"]);
    let inFlight = false;
    for (let i = 0; i < 200 && !inFlight; i++) {
      answers.push(await infer(s, ask(answers.length)));
      inFlight = (await counts(s)).submitted > 0;
    }
    s.child.kill("SIGKILL");
    await s.exited;
    caught = submittedIn(db);
  }
  t.true(caught > 0, "a kill caught a batch in flight");
  const again = await serve(t, db, ["--batch", "8"]);
  try {
    for (let i = 0; i < 5; i++) answers.push(await infer(again, ask(1000 + i)));
    await until("all accepted after the restart", async () => (await counts(again)).accepted === answers.length);
    const c = await counts(again);
    t.is(c.queued + c.submitted + c.rejected, 0);
    t.regex(again.output(), /checking receipts in flight on chain/);
    await allOnChainOnce(t, answers, before);
  } finally {
    again.child.kill("SIGTERM");
    await again.exited;
  }
});

test.serial("the node down while users keep asking: answers go on, receipts land once it is back", async (t) => {
  const db = home(t, "outbox-down.db");
  const before = await chainReceipts(t);
  const s = await serve(t, db);
  try {
    const answers: Answer[] = [];
    for (let i = 0; i < 3; i++) answers.push(await infer(s, ask(i)));
    await until("first receipts accepted", async () => (await counts(s)).accepted === 3);
    ok(t, await t.context.cli.run(["node", "stop"]), "node stop");
    for (let i = 3; i < 30; i++) answers.push(await infer(s, ask(i)));
    await new Promise((r) => setTimeout(r, 4000));
    const down = await counts(s);
    t.is(down.accepted, 3, "nothing lands while the node is down");
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    t.regex(metrics, /attester_submit_failures_total [1-9]/);
    ok(t, await t.context.cli.run(["node", "start"]), "node start");
    await until("all accepted", async () => (await counts(s)).accepted === answers.length);
    await allOnChainOnce(t, answers, before);
  } finally {
    s.child.kill("SIGTERM");
    await s.exited;
  }
});
