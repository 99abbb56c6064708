// What the web app's end-to-end tests share: Debian's Chromium (installed when missing), the app built and served
// against the test's local node, and a headless page at a phone's 390 x 844 with the development sign-in.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import type { BundleFile } from "../../web/server/serve.ts";
import { type CliEnv, ROOT } from "../cli/cli-env.ts";

export const CHROMIUM = "/usr/bin/chromium";
/** AI_COMMONS_WEB_SCREENSHOTS=1 writes the pages' screenshots to docs/guides/web/ (docs/guides/web.md shows them) */
const SHOTS = process.env.AI_COMMONS_WEB_SCREENSHOTS === "1" ? join(ROOT, "docs", "guides", "web") : null;

/** Debian's chromium: installed as root the way toolchain/lib/apt.mjs installs the toolchain, else the exact command. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const cmd = "apt-get update && apt-get install -y --no-install-recommends chromium";
  if (process.getuid?.() !== 0)
    throw new Error(`the web app's test needs Debian's chromium; run as root:\n  sudo sh -c '${cmd}'`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { env, encoding: "utf8" });
  if (r.status !== 0) {
    spawnSync("apt-get", ["update"], { env });
    r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { env, encoding: "utf8" });
  }
  if (r.status !== 0 || !existsSync(CHROMIUM)) throw new Error(`installing chromium failed:\n${r.stderr}\nrun: ${cmd}`);
}

export interface WebSession {
  url: string;
  bundle: BundleFile[];
  browser: BrowserContext;
  page: Page;
  /** page errors and console errors: a test ends by asserting there were none */
  errors: string[];
  /** signs out whoever is signed in, then in as `account` with the development sign-in */
  signIn(account: string): Promise<void>;
  /** a full-page screenshot for the guide, when AI_COMMONS_WEB_SCREENSHOTS=1 */
  shot(name: string): Promise<void>;
  /** the transaction dialog */
  dialog: Locator;
  /** signs and sends the transaction the dialog shows */
  send(): Promise<void>;
  /** asserts nothing is wider than the phone's 390 px (no sideways scrolling) */
  fitsPhone(what: string): Promise<void>;
  /** on proposal `id`'s page: each of `voters` signs in and approves, then Execute opens its dialog (left open) */
  approveAndReviewExecute(id: number, voters: string[]): Promise<void>;
  /**
   * Ends the session. The browser and the server are closed at the test's teardown, once ava knows whether the test
   * failed: a failed test leaves the page as it was (capturePage) first.
   */
  close(): Promise<void>;
}

/**
 * What the page shows now, kept for a person to look at: a full-page screenshot and the HTML, in a new directory under
 * the OS's temporary directory (its path returned and printed by the failing test's log).
 */
export async function capturePage(page: Page): Promise<{ dir: string; png: string; html: string }> {
  const dir = mkdtempSync(join(tmpdir(), "ai-commons-web-failure-"));
  const png = join(dir, "page.png");
  const html = join(dir, "page.html");
  await page.screenshot({ path: png, fullPage: true }).catch((e) => writeFileSync(`${png}.error.txt`, String(e)));
  writeFileSync(html, await page.content().catch((e) => `<!-- no content: ${String(e)} -->`));
  return { dir, png, html };
}

/**
 * Debian's Chromium, headless, with a fresh profile (no cache, no storage) at a phone's 390 x 844: the tests' browser,
 * and each cold load of `npm run bench:web`. `close` closes it and deletes the profile.
 */
export async function launchChromium(): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), "ai-commons-chromium-"));
  // a fresh profile: chromium.launchPersistentContext is how playwright-core takes --user-data-dir
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    // a phone-sized screen
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Builds the app, starts `npm run web`'s server on a free port against the CLI's node (the server reads the keys and
 * the node's port from this process's HOME and environment, as the CLI does) and opens a fresh headless Chromium.
 */
export async function openWeb(t: ExecutionContext, cli: CliEnv): Promise<WebSession> {
  ensureChromium();
  process.env.HOME = cli.home;
  process.env.AI_COMMONS_LOCAL_PORT = String(cli.port);
  const { buildApp, startServer } = await import("../../web/server/serve.ts");
  // its own build: another web test file may be building and serving at the same time
  const dist = mkdtempSync(join(tmpdir(), "ai-commons-web-dist-"));
  const built = await buildApp(dist);
  const web = await startServer({ port: 0, dist });
  const { browser, close: closeBrowser } = await launchChromium();
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  let closed = false;
  const shutdown = async () => {
    if (closed) return;
    closed = true;
    await closeBrowser();
    await web.close();
    rmSync(dist, { recursive: true, force: true });
  };
  // teardown runs after the test's own `finally { await web.close() }`: the browser is still open here, so a failed
  // test's page can be captured before it closes
  t.teardown(async () => {
    try {
      if (!t.passed) {
        const at = await capturePage(page).then(
          (c) => `${c.png} and ${c.html}`,
          (e) => `not captured (${(e as Error).message})`,
        );
        const text = await page.innerText("body").catch(() => "");
        // printed too: ava shows a teardown's log with the failure, a reader of the raw output finds the files here
        console.error(`page at failure of "${t.title}": ${at}`);
        t.log(`page at failure (${page.url()}): ${at}\n${text}\n${errors.join("\n")}`);
      }
    } finally {
      await shutdown();
    }
  });
  const dialog = page.getByRole("dialog");
  const send = () => dialog.getByRole("button", { name: "Sign and send" }).click();
  const signIn = async (account: string) => {
    if (await page.getByRole("button", { name: "Sign out" }).isVisible()) {
      await page.getByRole("button", { name: "Sign out" }).click();
    }
    await page.getByLabel("local account").selectOption(account);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("signed-in").filter({ hasText: account }).waitFor();
  };
  return {
    url: web.url,
    bundle: built.files,
    browser,
    page,
    errors,
    signIn,
    dialog,
    send,
    async fitsPhone(what) {
      t.true((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, `${what} fits 390 px`);
    },
    async approveAndReviewExecute(id, voters) {
      await page.getByRole("heading", { name: new RegExp(`Proposal #${id}`) }).waitFor();
      for (const [i, voter] of voters.entries()) {
        await signIn(voter);
        await page.getByRole("button", { name: "Approve" }).click();
        await send();
        if (i < voters.length - 1) await page.getByTestId("votes").getByText(voter).waitFor();
      }
      await page.getByTestId("proposal-status").filter({ hasText: "Approved" }).waitFor();
      await page.getByRole("button", { name: "Execute" }).click();
      await dialog.waitFor();
    },
    async shot(name) {
      if (!SHOTS) return;
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      // at teardown (shutdown), after a failure's page is captured
    },
  };
}
