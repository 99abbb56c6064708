// The web app's figures in docs/performance.md: `npm run bench:web` (bench.ts) writes them to docs/perf/web.json and
// its section "The web app" of the page; `npm run bench` (bench/report.ts), which writes the rest of the page, puts
// the same section back from docs/perf/web.json, so neither bench erases the other's figures.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BundleFile } from "./serve.ts";
import { WEB_DIR } from "./serve.ts";

export const WEB_BENCH_FILE = join(WEB_DIR, "..", "docs", "perf", "web.json");
const PAGE = join(WEB_DIR, "..", "docs", "performance.md");
const HEADING = "## The web app";
/** the section goes before this one when the page has none yet */
const BEFORE = "## How long the bench takes";

export interface WebBench {
  date: string;
  files: BundleFile[];
  /** 1-minute load average at the start (the 2 cores are shared: the times move with it) */
  load_average: number;
  render: {
    proposals: number;
    loads: number;
    cold_ms: number[];
    warm_ms: number[];
    cold_median_ms: number;
    warm_median_ms: number;
  };
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** The section, in the page's own table style. */
export function webSection(b: WebBench): string {
  const r = b.render;
  return [
    HEADING,
    "",
    `\`npm run bench:web\` (\`web/server/bench.ts\`) on ${b.date}, 1-minute load average ${b.load_average.toFixed(2)} at the start. ` +
      "Bundle sizes of the production build (a first visit downloads `index.html` and the `index-*` files; the " +
      "wallet selector on testnet and mainnet, the receipt-checking code for a challenge, on demand):",
    "",
    "| file | raw | gzipped |",
    "| --- | --- | --- |",
    ...b.files.map((f) => `| \`${f.file.replace(/-[A-Za-z0-9_-]{8}\./, "-*.")}\` | ${kib(f.bytes)} | ${kib(f.gzip)} |`),
    "",
    `Time to first render of the proposals page (\`#/c/<dao>/proposals\`) on the local node, a community with ${r.proposals} ` +
      "proposals made by the CLI: milliseconds from the navigation's start to the list's ten cards in the page " +
      "(`performance.now()` when they appear) in headless Chromium at 390 x 844, through `npm run web`'s server and " +
      `its RPC proxy; ${r.loads} loads each, cold (a fresh browser profile: nothing cached) and warm (the same browser ` +
      "again: the hashed assets cached).",
    "",
    "| load | median | each |",
    "| --- | --- | --- |",
    `| cold | ${r.cold_median_ms} ms | ${r.cold_ms.join(", ")} |`,
    `| warm | ${r.warm_median_ms} ms | ${r.warm_ms.join(", ")} |`,
    "",
    "",
  ].join("\n");
}

/** The section from docs/perf/web.json, or "" before the first `npm run bench:web`. */
export function webSectionFromFile(): string {
  if (!existsSync(WEB_BENCH_FILE)) return "";
  return webSection(JSON.parse(readFileSync(WEB_BENCH_FILE, "utf8")) as WebBench);
}

/** `page` with its web section replaced by `section` (or inserted before "How long the bench takes"). */
export function withWebSection(page: string, section: string): string {
  if (section === "") return page;
  const at = page.indexOf(`${HEADING}\n`);
  if (at >= 0) {
    const next = page.indexOf("\n## ", at + HEADING.length);
    return page.slice(0, at) + section + (next < 0 ? "" : page.slice(next + 1));
  }
  const before = page.indexOf(BEFORE);
  return before < 0 ? `${page.trimEnd()}\n\n${section}` : page.slice(0, before) + section + page.slice(before);
}

export function writeWebBench(b: WebBench): void {
  writeFileSync(WEB_BENCH_FILE, `${JSON.stringify(b, null, 2)}\n`);
  if (existsSync(PAGE)) writeFileSync(PAGE, withWebSection(readFileSync(PAGE, "utf8"), webSection(b)));
  console.log(`wrote ${WEB_BENCH_FILE} and its section of ${PAGE}`);
}
