#!/usr/bin/env node
// Makes a clone ready to run: the contract toolchain (.toolchain/), the local node (local-node/dist/), the native
// SQLite addon of the attester service's outbox (toolchain/sqlite.mjs) and the contracts (build/), each step skipped
// when its inputs are unchanged. `npm install` runs no install scripts at all (.npmrc: ignore-scripts=true, see
// README "Why npm install runs no scripts"), so the commands that need these (`npm run demo`, `npm test`,
// `npm run build`, `npm run node`) call this first. A failure names the step that failed
// and the one command that fixes it.
import fs from "node:fs";
import path from "node:path";
import { BUILD_DIR, NEAR_SDK_JS, ROOT } from "./config.mjs";
import { ToolError } from "./lib/exec.mjs";

export class SetupError extends Error {
  constructor(step, message, fix) {
    super(`${step} failed: ${message}`);
    this.step = step;
    this.fix = fix;
  }
}

async function step(name, fix, fn) {
  try {
    return await fn();
  } catch (e) {
    const message = e instanceof ToolError ? e.message : (e?.stack ?? String(e));
    // a ToolError from apt already carries its own exact command
    const own = /\nrun(?: as root)?:\n?\s*(.+)$/.exec(message);
    throw new SetupError(name, own ? message.slice(0, own.index) : message, own ? own[1].trim() : fix);
  }
}

/**
 * `contracts`: also build the contracts (skipped when sources and toolchain are unchanged).
 * Returns what was done, for callers that report it.
 */
export async function ensureReady({ contracts = true, quiet = false, force = false } = {}) {
  const say = quiet ? () => {} : (m) => console.log(`[ready] ${m}`);
  if (
    !fs.existsSync(path.join(NEAR_SDK_JS, "package.json")) ||
    !fs.existsSync(path.join(ROOT, "node_modules", "esbuild"))
  ) {
    throw new SetupError("dependencies", "node_modules is missing or incomplete", "npm install");
  }
  const t0 = Date.now();
  const { setup } = await import("./setup.mjs");
  const stamp = await step("toolchain set-up", "npm run setup", () => setup({ force }));
  const { buildLocalNode } = await import("../local-node/build.mjs");
  await step("local node build", "npm run build:node", () => buildLocalNode());
  // the attester service's outbox (better-sqlite3): its native addon, built once (npm install runs no scripts)
  const { ensureSqlite } = await import("./sqlite.mjs");
  await step("better-sqlite3 build", "npm rebuild better-sqlite3 --ignore-scripts=false", () => ensureSqlite(say));
  let built = null;
  if (contracts) {
    const { buildAll } = await import("./build.mjs");
    built = await step("contract build", "npm run build -- --force", () => buildAll({ outDir: BUILD_DIR }));
  }
  say(
    `toolchain, local node, SQLite addon${contracts ? " and contracts" : ""} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { toolchain: stamp, built };
}

/** For entry points: runs ensureReady and exits with the failure and its fix. */
export async function ensureReadyOrExit(opts) {
  try {
    return await ensureReady(opts);
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    process.stderr.write(`\nset-up: ${e.message.trimEnd()}\nto fix it, run:\n  ${e.fix}\n`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--no-contracts" && a !== "--force");
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(" ")} (options: --no-contracts, --force)`);
    process.exit(2);
  }
  await ensureReadyOrExit({ contracts: !args.includes("--no-contracts"), force: args.includes("--force") });
}
