// `npm run bench:service`: the attester service under sustained load. Without --url it sets up its own local node in
// a temporary HOME (the guides up to attest-inferences, as sandbox-tests/cli/serve.test.ts does), starts the guide's
// `attester serve`, and measures; with --url it measures a running service. Prints sustained inferences per second
// (answers, each durably stored), p50/p99 latency, the time until the chain held every receipt, and chain
// transactions per 1,000 inferences. Not a test: nothing is asserted.
//   tsx bench/attester-service.ts [--url URL] [--n 2000] [--concurrency 8] [--batch 64] [--service-log FILE]
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./lib.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    n: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8" },
    batch: { type: "string", default: "64" },
    "service-log": { type: "string" },
  },
});
const N = Number(values.n);
const CONCURRENCY = Number(values.concurrency);
const BIN = join(ROOT, "scripts", "cli", "bin.mjs");
const log = (s: string) => console.log(`[bench:service] ${s}`);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `npx ai-commons` lines of a guide's ```sh blocks (as sandbox-tests/cli/harness.ts reads them). */
function guideCommands(file: string): string[][] {
  const out: string[][] = [];
  let inSh = false;
  for (const line of readFileSync(join(ROOT, "docs", "guides", file), "utf8").split("\n")) {
    if (line.startsWith("```")) {
      inSh = line.trim() === "```sh";
      continue;
    }
    if (inSh && line.startsWith("npx ai-commons ")) {
      out.push([...line.slice(15).matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]));
    }
  }
  return out;
}

const isService = (w: string[]) => w[0] === "attester" && w[1] === "serve";

class Env {
  readonly home = mkdtempSync(join(tmpdir(), "ai-commons-bench-"));
  constructor(readonly nodePort: number) {}
  spawn(args: string[]): ChildProcess {
    const a = args.map((w) => (w.startsWith("~/") ? join(this.home, w.slice(2)) : w));
    return spawn(process.execPath, [BIN, ...a], {
      cwd: ROOT,
      env: { ...process.env, HOME: this.home, AI_COMMONS_LOCAL_PORT: String(this.nodePort) },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }
  run(args: string[]): Promise<void> {
    const c = this.spawn(args);
    let out = "";
    c.stdout?.on("data", (d) => {
      out += d;
    });
    c.stderr?.on("data", (d) => {
      out += d;
    });
    return new Promise((resolve, reject) =>
      c.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")}:\n${out}`)))),
    );
  }
}

async function setUp(): Promise<{ url: string; stop: () => Promise<void> }> {
  const env = new Env(await freePort());
  const t0 = Date.now();
  for (const guide of ["curate-datasets.md", "train-and-activate-a-model.md", "attest-inferences.md"]) {
    for (const words of guideCommands(guide).filter((w) => !isService(w))) await env.run(words);
  }
  log(`local node set up by the guides in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const port = await freePort();
  const words = guideCommands("attest-inferences.md").find(isService);
  if (!words) throw new Error("the guide has no attester serve command");
  // each receipt keeps ~0.006 NEAR of its relayer's for storage: the guide's relayer (10 NEAR) pays for ~1,500
  await env.run(["account", "create", "bench-relayer", "--balance", "100"]);
  const args = words.map((w, i) =>
    words[i - 1] === "--port" ? String(port) : words[i - 1] === "--account" ? "bench-relayer.test.near" : w,
  );
  const svc = env.spawn([...args, "--batch", String(values.batch)]);
  let out = "";
  svc.stdout?.on("data", (d) => {
    out += d;
  });
  // the service's own log (one JSON line per request and submitter event; no texts), kept on request
  const logFile = values["service-log"];
  svc.stderr?.on("data", (d) => {
    if (logFile) appendFileSync(logFile, d);
  });
  while (!/attester service on/.test(out)) {
    if (svc.exitCode !== null) throw new Error(`attester serve exited:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      svc.kill("SIGTERM");
      await new Promise((r) => svc.on("exit", r));
      await env.run(["node", "stop"]);
      rmSync(env.home, { recursive: true, force: true });
    },
  };
}

async function metric(url: string, re: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = re.exec(line);
    if (m) sum += Number(m[1]);
  }
  return sum;
}

const TXS = /^attester_submit_batches_total\{[^}]*\} (\d+)/;
const ACCEPTED = /^attester_receipts\{status="(?:accepted|final)"\} (\d+)/;

const QUESTIONS = [
  "who can vote on the treasury budget",
  "this dataset has personal data to remove",
  "when does the reward pool pay the creators",
  "which model version is active now",
];

async function main(): Promise<void> {
  const own = values.url ? null : await setUp();
  const url = values.url ?? (own as { url: string }).url;
  try {
    const ask = async (i: number) => {
      const t = performance.now();
      const r = await fetch(`${url}/v1/infer`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: `${QUESTIONS[i % 4]} #${i}` }),
      });
      if (r.status !== 200) throw new Error(`infer ${r.status}: ${await r.text()}`);
      await r.json();
      return performance.now() - t;
    };
    for (let i = 0; i < 50; i++) await ask(-1 - i); // warm-up
    const accepted0 = await metric(url, ACCEPTED);
    const txs0 = await metric(url, TXS);
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) latencies.push(await ask(next++));
      }),
    );
    const answered = (performance.now() - t0) / 1000;
    while ((await metric(url, ACCEPTED)) - accepted0 < N) await new Promise((r) => setTimeout(r, 200));
    const drained = (performance.now() - t0) / 1000;
    const txs = (await metric(url, TXS)) - txs0;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    const rows: [string, string][] = [
      ["inferences", String(N)],
      ["concurrency", String(CONCURRENCY)],
      ["sustained inferences/s (answered, receipt stored)", (N / answered).toFixed(0)],
      ["latency p50 / p99 (ms)", `${pct(50).toFixed(2)} / ${pct(99).toFixed(2)}`],
      ["all receipts on chain after (s)", drained.toFixed(1)],
      ["inferences/s end to end (on chain)", (N / drained).toFixed(0)],
      ["chain transactions", String(txs)],
      ["chain transactions per 1,000 inferences", ((txs * 1000) / N).toFixed(1)],
    ];
    for (const [k, v] of rows) console.log(`${k.padEnd(52)} ${v}`);
  } finally {
    await own?.stop();
  }
}

await main();
