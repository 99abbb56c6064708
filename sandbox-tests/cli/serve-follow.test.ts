// `ai-commons attester serve` following the chain, on the real local node: the DAO switches the active model while
// users keep asking, and the service follows without a restart (drains the old model's receipts, then answers with
// the new weights from its weights directory): receipts signed = receipts accepted + receipts rejected with the
// verifier's code, none twice, none lost, and the new model's receipts are accepted. Then an active model whose weights
// are not in the directory (409 until the file appears, a decoy with its name but other bytes never loaded), and
// access control: API keys (401) and the rate limit per key or IP (429); last, a model format plugged in by
// configuration, served once the DAO activates its model, and 409 once the DAO deprecates it. Set-up: the guides.
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { deserialize, serialize } from "../../attester/src/model.ts";
import { ok, useCliEnv } from "./harness.ts";
import {
  type Answer,
  ask,
  type Ctx,
  chainReceipts,
  counts,
  home,
  json,
  onChain,
  pass,
  question,
  runGuide,
  type Service,
  serve,
  until,
} from "./service.ts";

const test = useCliEnv();
const FOLLOW_MS = 1000;

/**
 * Another version of the guide's model: the same weights with one bias nudged by one quantisation step, so another
 * weights sha256 (a retrained model in real life; training the same data gives the same hash, by design).
 */
function nudgedModel(t: Ctx, out: string, label: number): string {
  const m = deserialize(readFileSync(home(t, "model.aicm")));
  m.bias[label] += 1;
  writeFileSync(out, serialize(m));
  return out;
}

/**
 * Registers `model@version` with the file's weights (as the guide, by frank) and activates it through the DAO.
 * `register --model-file` reads only the bag-of-words format; another format's file is registered by its sha256.
 */
async function registerAndActivate(t: Ctx, model: string, file: string, o: { bySha256?: boolean } = {}): Promise<void> {
  const weights = o.bySha256
    ? ["--weights-sha256", createHash("sha256").update(readFileSync(file)).digest("hex")]
    : ["--model-file", file];
  const args = ["model", "register", model, "--manifest", "1", ...weights];
  const creators = ["--creators", "frank.test.near:7500,erin.test.near:2500", "-c", "coop"];
  ok(t, await t.context.cli.run([...args, ...creators, "--account", "frank.test.near"]), `register ${model}`);
  await pass(t, ["activate-model", "--model", model]);
}

interface ModelView {
  model_name: string | null;
  model_version: string | null;
  weights_sha256: string | null;
  state: string;
  chain_active_model: { model_version: string; weights_sha256: string } | null;
}

/** The service's JSON log lines (one object a line, after the CLI's own output). */
const logLines = (s: Service) =>
  s
    .output()
    .split("\n")
    .filter((l) => l.startsWith('{"time"'))
    .map((l) => JSON.parse(l) as { msg: string; [k: string]: unknown });

test.serial("set-up: the guides up to attest-inferences (which trains into the weights directory)", async (t) => {
  await runGuide(t, "curate-datasets.md");
  await runGuide(t, "train-and-activate-a-model.md");
  await runGuide(t, "attest-inferences.md");
  t.deepEqual(readFileSync(home(t, "weights/community-intents-1.0.0.aicm")), readFileSync(home(t, "model.aicm")));
});

test.serial(
  "a model switch mid-stream: the service follows, drains, and no receipt is lost or sent twice",
  async (t) => {
    const before = await chainReceipts(t);
    const v2 = nudgedModel(t, home(t, "weights/community-intents-1.1.0.aicm"), 0);
    const s = await serve(t, home(t, "outbox-follow.db"), [
      "--weights-dir",
      home(t, "weights"),
      "--follow-interval",
      String(FOLLOW_MS),
    ]);
    try {
      t.is((await json<ModelView>(s, "/v1/model")).model_version, "1.0.0");
      // users ask without pause (one request every 20 ms) while the DAO registers and activates 1.1.0
      const answers: Answer[] = [];
      const refusals: string[] = [];
      let stop = false;
      let firstNewAt: number | null = null;
      const stream = (async () => {
        for (let i = 0; !stop; i++) {
          const r = await ask(s, question(i));
          if (r.status === 200) {
            answers.push(r.body);
            if (r.body.receipt.model_version === "1.1.0") firstNewAt ??= Date.now();
          } else {
            t.is(r.status, 409, JSON.stringify(r.body));
            refusals.push(r.body.error?.code ?? "?");
          }
          await new Promise((res) => setTimeout(res, 20));
        }
      })();
      await new Promise((r) => setTimeout(r, 1500));
      await registerAndActivate(t, "community-intents@1.1.0", v2);
      const activatedAt = Date.now();
      await until("answers from 1.1.0", async () => firstNewAt !== null, 30_000);
      await new Promise((r) => setTimeout(r, 1500));
      stop = true;
      await stream;
      await until("every receipt settled", async () => {
        const c = await counts(s);
        return c.queued + c.submitted === 0;
      });

      const old = answers.filter((a) => a.receipt.model_version === "1.0.0");
      const fresh = answers.filter((a) => a.receipt.model_version === "1.1.0");
      t.is(old.length + fresh.length, answers.length);
      t.true(old.length > 0 && fresh.length > 0);
      t.is(new Set(answers.map((a) => a.receipt.nonce)).size, answers.length, "nonces are distinct");
      // nothing signed for the old model once the new one answered
      const maxOld = old.map((a) => BigInt(a.receipt.nonce)).reduce((a, b) => (a > b ? a : b));
      const minNew = fresh.map((a) => BigInt(a.receipt.nonce)).reduce((a, b) => (a < b ? a : b));
      t.true(maxOld < minNew);
      t.is<string | null, string | null>(
        fresh[0].receipt.weights_sha256,
        (await json<ModelView>(s, "/v1/model")).weights_sha256,
      );

      // each answer's receipt: accepted and held by the verifier with its hash, or rejected with the verifier's code
      // and not held; none in between
      let accepted = 0;
      const rejectedCodes: Record<string, number> = {};
      for (const a of answers) {
        const r = await json<{ status: string; error: string | null }>(s, `/v1/receipts/${a.id}`);
        const held = await onChain(t, a.receipt.nonce);
        if (r.status === "accepted") {
          accepted++;
          t.is(held?.hash, a.id, `nonce ${a.receipt.nonce} on chain`);
        } else {
          t.is(r.status, "rejected", `nonce ${a.receipt.nonce}`);
          t.regex(r.error ?? "", /^ERR_[A-Z_]+$/);
          t.is(a.receipt.model_version, "1.0.0", "only the old model's receipts can be refused");
          t.is(held, null);
          rejectedCodes[r.error as string] = (rejectedCodes[r.error as string] ?? 0) + 1;
        }
      }
      const rejected = Object.values(rejectedCodes).reduce((a, b) => a + b, 0);
      t.is(accepted + rejected, answers.length, "receipts signed = accepted + rejected");
      t.is((await chainReceipts(t)) - before, accepted, "the verifier holds exactly the accepted ones (none twice)");
      for (const a of fresh) t.truthy(await onChain(t, a.receipt.nonce), "the new model's receipts are accepted");
      for (const code of Object.keys(rejectedCodes)) t.is(code, "ERR_MODEL_NOT_ACTIVE");

      // the drain came first: every old receipt was settled before the new model was loaded
      const log = logLines(s);
      const drained = log.findIndex((l) => l.msg.startsWith("drained"));
      const serving = log.findIndex((l) => l.msg === "serving model" && l.model === "community-intents@1.1.0");
      t.true(drained >= 0 && serving > drained, "drained, then serving 1.1.0");
      t.is(log[drained].queued, 0);
      t.is(log[drained].submitted, 0);
      const health = await json<{ model: string; chain_model: string; model_switches: number }>(s, "/healthz");
      t.is(health.model, "community-intents@1.1.0");
      t.is(health.chain_model, "community-intents@1.1.0");
      t.is(health.model_switches, 1);
      t.log(
        `signed ${answers.length} (${old.length} for 1.0.0, ${fresh.length} for 1.1.0): accepted ${accepted},`,
        `rejected ${JSON.stringify(rejectedCodes)}; 409 during the switch ${JSON.stringify(countBy(refusals))};`,
        `first 1.1.0 answer ${(firstNewAt as unknown as number) - activatedAt} ms after execute returned;`,
        `drain ${log[drained].waited_ms} ms;`,
        `${log.filter((l) => l.msg === "batch refused by the verifier").length} batch(es) refused`,
      );
    } finally {
      s.child.kill("SIGTERM");
      t.is(await s.exited, 0);
    }
  },
);

function countBy(xs: string[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const x of xs) m[x] = (m[x] ?? 0) + 1;
  return m;
}

test.serial("an active model without weights here: 409 until its file appears, a decoy never loaded", async (t) => {
  const s = await serve(t, home(t, "outbox-missing.db"), [
    "--weights-dir",
    home(t, "weights"),
    "--follow-interval",
    String(FOLLOW_MS),
  ]);
  try {
    t.is((await json<ModelView>(s, "/v1/model")).model_version, "1.1.0");
    const v3 = nudgedModel(t, home(t, "community-intents-1.2.0.aicm"), 1);
    // a file named as the new model, with other bytes (1.0.0's): the loader goes by sha256 only
    copyFileSync(home(t, "model.aicm"), home(t, "weights/community-intents-1.2.0.aicm"));
    await registerAndActivate(t, "community-intents@1.2.0", v3);
    await until("the service sees 1.2.0", async () => {
      return (await json<ModelView>(s, "/v1/model")).chain_active_model?.model_version === "1.2.0";
    });
    const m = await json<ModelView>(s, "/v1/model");
    t.is(m.state, "weights_missing");
    t.is(m.model_version, null);
    const refused = await ask(s, question(1));
    t.is(refused.status, 409);
    t.is(refused.body.error?.code, "ERR_MODEL_WEIGHTS_MISSING");
    // not ready for traffic (a load balancer sends it elsewhere), alive all the same
    const notReady = await fetch(`${s.url}/readyz`);
    t.is(notReady.status, 503);
    t.like(await notReady.json(), { ready: false, state: "weights_missing", code: "ERR_MODEL_WEIGHTS_MISSING" });
    t.is((await fetch(`${s.url}/healthz`)).status, 200);
    t.is((await json<{ model: string | null }>(s, "/healthz")).model, null);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    t.regex(metrics, /attester_model_state\{state="weights_missing"\} 1/);
    t.regex(metrics, /attester_inferences_total\{result="unavailable"\} 1/);
    // the deployer puts the weights in (written aside, renamed in: never half a file)
    copyFileSync(v3, home(t, "weights/.incoming"));
    renameSync(home(t, "weights/.incoming"), home(t, "weights/community-intents-1.2.0.aicm"));
    const since = Date.now();
    await until("serving 1.2.0", async () => (await json<ModelView>(s, "/v1/model")).state === "serving", 10_000);
    t.log(`1.2.0 served ${Date.now() - since} ms after its file appeared (follow interval ${FOLLOW_MS} ms)`);
    const r = await ask(s, question(2));
    t.is(r.status, 200);
    t.is(r.body.receipt.model_version, "1.2.0");
    await until("accepted", async () => (await counts(s)).accepted === 1);
    t.is((await onChain(t, r.body.receipt.nonce))?.hash, r.body.id);
  } finally {
    s.child.kill("SIGTERM");
    await s.exited;
  }
});

test.serial("API keys (401) and a rate limit per key or IP (429 with Retry-After)", async (t) => {
  const alpha = "alpha-key-0123456789abcdef";
  const beta = "beta-key-0123456789abcdef";
  const s = await serve(t, home(t, "outbox-keys.db"), ["--weights-dir", home(t, "weights")], {
    AI_COMMONS_ATTESTER_API_KEYS: `${alpha},${beta}`,
    AI_COMMONS_ATTESTER_RATE_LIMIT_MAX: "5",
    AI_COMMONS_ATTESTER_RATE_LIMIT_WINDOW_MS: "60000",
  });
  try {
    const status = async (path: string, key?: string) =>
      (await fetch(`${s.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} })).status;
    t.is(await status("/healthz"), 200, "health stays open");
    // without a key, or with a wrong one: 401, and nothing signed (these count against the IP: 3)
    const none = await ask(s, question(0));
    t.is(none.status, 401);
    t.is(none.body.error?.code, "ERR_UNAUTHORIZED");
    t.regex(none.headers.get("www-authenticate") ?? "", /^Bearer/);
    t.is((await ask(s, question(0), { key: "wrong-key-0123456789abcdef" })).status, 401);
    t.is(await status("/v1/model"), 401);
    // five per minute per key
    const signed: Answer[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await ask(s, question(i), { key: alpha });
      t.is(r.status, 200);
      signed.push(r.body);
    }
    const over = await ask(s, question(5), { key: alpha });
    t.is(over.status, 429);
    t.is(over.body.error?.code, "ERR_RATE_LIMITED");
    t.true(Number(over.headers.get("retry-after")) > 0, "Retry-After in seconds");
    // another key has its own budget
    const b = await ask(s, question(6), { key: beta });
    t.is(b.status, 200);
    signed.push(b.body);
    // without a key the IP's budget: two more 401s, then 429 before the key is even looked at
    t.is(await status("/v1/model"), 401);
    t.is(await status("/v1/model", "wrong-key-0123456789abcdef"), 401);
    t.is(await status("/v1/model"), 429);
    t.is(await status("/metrics"), 200, "metrics stay open");
    await until("accepted", async () => (await counts(s)).accepted === signed.length);
    for (const a of signed) t.is((await onChain(t, a.receipt.nonce))?.hash, a.id);
    t.is((await counts(s)).queued, 0);
  } finally {
    s.child.kill("SIGTERM");
    await s.exited;
  }
});

test.serial("another model implementation, plugged in by configuration; then no active model: 409", async (t) => {
  // A community's own format: a module default-exporting a ModelFormat (attester/src/service/models.ts). This one
  // is a constant classifier whose file is "CONST\n" and its label: as small as a format gets, and still real weights
  // with a sha256 the registry and the verifier hold.
  const plugin = home(t, "const-format.mjs");
  writeFileSync(
    plugin,
    `const MAGIC = "CONST\\n";
export default {
  id: "constant-label/v1",
  recognises: (bytes) => Buffer.from(bytes.subarray(0, MAGIC.length)).toString("latin1") === MAGIC,
  load: (bytes) => {
    const label = Buffer.from(bytes.subarray(MAGIC.length)).toString("utf8").trim();
    return () => label;
  },
};
`,
  );
  const file = home(t, "weights/constant-2.0.0.const");
  writeFileSync(file, "CONST\ngovernance\n");
  const s = await serve(
    t,
    home(t, "outbox-plugin.db"),
    ["--weights-dir", home(t, "weights"), "--follow-interval", String(FOLLOW_MS)],
    { AI_COMMONS_ATTESTER_MODEL_FORMATS: plugin },
  );
  try {
    await registerAndActivate(t, "community-intents@2.0.0", file, { bySha256: true });
    await until("serving 2.0.0", async () => (await json<ModelView>(s, "/v1/model")).model_version === "2.0.0");
    t.is((await json<{ format: string }>(s, "/v1/model")).format, "constant-label/v1");
    const r = await ask(s, question(3));
    t.is(r.status, 200);
    t.is(r.body.output, "governance");
    t.is(r.body.receipt.model_version, "2.0.0");
    await until("accepted", async () => (await counts(s)).accepted === 1);
    t.is((await onChain(t, r.body.receipt.nonce))?.hash, r.body.id);
    // the DAO deprecates the active model: the verifier has none, and the service signs nothing
    const deprecate = { kind: "DeprecateModel", model_id: "community-intents@2.0.0", reason: "superseded" };
    await pass(t, ["raw", "--kind", JSON.stringify(deprecate)]);
    await until("no active model", async () => (await json<ModelView>(s, "/v1/model")).state === "no_active_model");
    t.is((await json<ModelView>(s, "/v1/model")).chain_active_model, null);
    const none = await ask(s, question(4));
    t.is(none.status, 409);
    t.is(none.body.error?.code, "ERR_NO_ACTIVE_MODEL");
    const noModel = await fetch(`${s.url}/readyz`);
    t.is(noModel.status, 503);
    t.like(await noModel.json(), { ready: false, state: "no_active_model", code: "ERR_NO_ACTIVE_MODEL", model: null });
  } finally {
    s.child.kill("SIGTERM");
    await s.exited;
  }
});
