// `npm run bench:web`: builds the web app for production and prints each file of web/dist with its size, raw and
// gzipped (what a phone downloads on first visit), and the build time; then the time to first render of the proposals
// page on the local node: a local node and a community with 20 proposals made by the CLI in a temporary HOME
// (sandbox-tests/cli/cli-env.ts, as the tests do), `#/c/<dao>/proposals` opened in headless Chromium
// (sandbox-tests/web/browser.ts), milliseconds from navigation to the list's ten cards in the page, median of 5 cold
// loads (a fresh profile each: nothing cached) and 5 warm ones (the same browser again: the assets cached).
// Writes docs/perf/web.json and the section "The web app" of docs/performance.md (bench/report.ts keeps it).
//   npx tsx web/server/bench.ts [--no-render]
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type BundleFile, buildApp } from "./serve.ts";
import { type WebBench, writeWebBench } from "./bench-report.ts";

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const PROPOSALS = 20;
const LOADS = 5;

function printSizes(files: BundleFile[], seconds: number): void {
  for (const f of files)
    console.log(`${f.file.padEnd(32)} ${kib(f.bytes).padStart(10)} ${kib(f.gzip).padStart(10)} gzipped`);
  const bytes = files.reduce((s, f) => s + f.bytes, 0);
  const gzip = files.reduce((s, f) => s + f.gzip, 0);
  console.log(
    `${"total".padEnd(32)} ${kib(bytes).padStart(10)} ${kib(gzip).padStart(10)} gzipped (built in ${seconds.toFixed(1)} s)`,
  );
}

/** Milliseconds from the navigation's start to the proposals list's ten cards in the page (performance.now()). */
async function firstRender(page: import("playwright-core").Page, url: string): Promise<number> {
  await page.goto("about:blank");
  await page.goto(url, { waitUntil: "commit" });
  const handle = await page.waitForFunction(
    () => document.querySelectorAll("main ul.cards > li").length >= 10 && performance.now(),
    undefined,
    { polling: "raf", timeout: 60_000 },
  );
  return Math.round((await handle.jsonValue()) as number);
}

async function renderBench(): Promise<WebBench["render"]> {
  const { CliEnv } = await import("../../sandbox-tests/cli/cli-env.ts");
  const { launchChromium } = await import("../../sandbox-tests/web/browser.ts");
  const cli = new CliEnv();
  await cli.init();
  // the server reads the node's port and the keys from this process's environment, as the CLI does
  process.env.HOME = cli.home;
  process.env.AI_COMMONS_LOCAL_PORT = String(cli.port);
  const dist = mkdtempSync(join(tmpdir(), "ai-commons-web-bench-"));
  const run = async (args: string[]) => {
    const r = await cli.run(args);
    if (r.code !== 0) throw new Error(`ai-commons ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  };
  try {
    const t0 = Date.now();
    await run(["factory", "deploy"]);
    await run(["account", "create", "alice", "--balance", "100"]);
    await run(["community", "create", "bench", "--account", "alice.test.near"]);
    for (let i = 1; i <= PROPOSALS; i++) {
      await run(["propose", "signal", "--message", `bench signal ${i}`, "-c", "bench", "--account", "alice.test.near"]);
    }
    console.log(
      `local node, community and ${PROPOSALS} proposals by the CLI in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const { startServer } = await import("./serve.ts");
    await buildApp(dist);
    const web = await startServer({ port: 0, dist });
    const url = `${web.url}#/c/bench.commons.test.near/proposals`;
    const cold: number[] = [];
    const warm: number[] = [];
    try {
      for (let i = 0; i < LOADS; i++) {
        const b = await launchChromium();
        try {
          cold.push(await firstRender(await b.browser.newPage(), url));
        } finally {
          await b.close();
        }
      }
      const b = await launchChromium();
      try {
        const page = await b.browser.newPage();
        await firstRender(page, url);
        for (let i = 0; i < LOADS; i++) warm.push(await firstRender(page, url));
      } finally {
        await b.close();
      }
    } finally {
      await web.close();
    }
    console.log(
      `proposals page, first render (ms, navigation to the list): cold ${cold.join(", ")}; warm ${warm.join(", ")}`,
    );
    console.log(`median: cold ${median(cold)} ms, warm ${median(warm)} ms`);
    return {
      proposals: PROPOSALS,
      loads: LOADS,
      cold_ms: cold,
      warm_ms: warm,
      cold_median_ms: median(cold),
      warm_median_ms: median(warm),
    };
  } finally {
    await cli.run(["node", "stop"]);
    rmSync(cli.home, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
  }
}

const { seconds, files } = await buildApp();
printSizes(files, seconds);
if (!process.argv.includes("--no-render")) {
  const load = loadavg()[0];
  const render = await renderBench();
  writeWebBench({ date: new Date().toISOString().slice(0, 10), files, load_average: load, render });
}
