#!/usr/bin/env node
// `npm test [-- ava arguments]`: type-check, lint, make the clone ready (toolchain, local node, contracts: each
// skipped when unchanged), then run every test with ava. Quiet when all is well: each step prints one line, passing
// tests print nothing, and what is shown is what failed (its assertion, diff, logs and the worker output around it),
// ava's summary, and last a line "N passed, N failed". AI_COMMONS_TEST_VERBOSE=1 shows every test as ava prints it;
// NEAR_PRINT_LOGS=1 brings back near-workspaces' contract logs and near-api-js' messages (sandbox-tests/helpers/env.ts).
// Under CI (CI=true) ava reports in TAP, whose "# pass N" and "# fail N" lines .ci/run turns into its summary even
// when some tests fail; the passing "ok" lines are left out the same way.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { ensureReadyOrExit } from "../toolchain/ready.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (pkg, file) => join(root, "node_modules", pkg, file);
const verbose = ["1", "true"].includes(process.env.AI_COMMONS_TEST_VERBOSE ?? "");

/** A step's output is shown only when it fails (or, with `show`, when it has something to say). */
function run(title, cmd, args, show = () => false) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trimEnd();
  if (r.status !== 0) {
    console.error(`\n[test] ${title}\n${output}\n[test] ${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  if (verbose || show(output)) console.log(output);
  console.log(`[test] ${title}: ok in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const node = process.execPath;
const tsc = bin("typescript", "bin/tsc");
run("type-check (contracts and tools)", node, [tsc, "--noEmit", "-p", "tsconfig.json"]);
run("type-check (node-side code)", node, [tsc, "--noEmit", "-p", "tsconfig.node.json"]);
run("type-check (unit tests)", node, [tsc, "--noEmit", "-p", join("sandbox-tests", "unit", "tsconfig.json")]);
run("type-check (web app)", node, [tsc, "--noEmit", "-p", join("web", "tsconfig.json")]);
// biome's warnings are shown (they do not fail the check); its infos are not
run("lint (biome)", join(root, "node_modules", ".bin", "biome"), ["check", "--diagnostic-level=warn", "."], (out) =>
  /\bwarn|Found \d+ warning/i.test(out),
);
console.log("[test] toolchain, local node and contracts");
await ensureReadyOrExit({ contracts: true });

const ci = process.env.CI === "true" || process.env.CI === "1";
const extra = process.argv.slice(2);
const tap = extra.includes("--tap") || ci;
const env = { ...process.env };
// near-workspaces prints every contract call's logs ("Contract logs from ...") unless told not to
if (!env.NEAR_PRINT_LOGS) env.NEAR_WORKSPACES_NO_LOGS ??= "1";
if (process.stdout.isTTY && env.FORCE_COLOR === undefined && env.NO_COLOR === undefined) env.FORCE_COLOR = "1";
const t0 = Date.now();
const ava = spawn(
  node,
  [bin("ava", "entrypoints/cli.mjs"), ...(tap && !extra.includes("--tap") ? ["--tap"] : []), ...extra],
  {
    cwd: root,
    env,
    stdio: ["inherit", "pipe", "pipe"],
  },
);

const counts = { passed: 0, failed: 0 };
const plain = stripVTControlCharacters;
let progressShown = false;
/** On a terminal, one line that counts the tests as they finish, rewritten in place and cleared before any output. */
function progress() {
  if (!process.stdout.isTTY || verbose) return;
  const s = Math.round((Date.now() - t0) / 1000);
  process.stdout.write(`\r\u001b[K  ${counts.passed} passed, ${counts.failed} failed (${s} s)`);
  progressShown = true;
}
function write(stream, text) {
  if (progressShown) {
    process.stdout.write("\r\u001b[K");
    progressShown = false;
  }
  stream.write(text);
}

// A passing test is "  ✔ title" followed by its t.log lines, indented deeper (ava's default reporter), or "ok N - title"
// followed by its t.log lines as "#   ..." comments (TAP); both are left out, everything else is shown as it comes.
let inPass = false;
function reportLine(line) {
  const p = plain(line);
  if (tap ? /^ok \d+ /.test(p) : /^ {2}✔ /.test(p)) {
    counts.passed++;
    inPass = true;
    return progress();
  }
  if (inPass && (tap ? /^# {3}/.test(p) : /^ {4}/.test(p) || p.trim() === "")) return;
  inPass = false;
  if (tap ? /^not ok \d+ /.test(p) : /^ {2}✘ \[fail\]/.test(p)) counts.failed++;
  write(process.stdout, line);
}

function lines(stream, onLine) {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (d) => {
    pending += d;
    const parts = pending.split(/(?<=\n)/);
    pending = parts.at(-1).endsWith("\n") ? "" : parts.pop();
    for (const l of parts) onLine(l);
  });
  stream.on("end", () => {
    if (pending) onLine(pending);
  });
}

const collected = [];
lines(ava.stdout, (line) => {
  collected.push(plain(line));
  if (verbose) process.stdout.write(line);
  else reportLine(line);
});
// worker output (console.log and console.error of the tests, and anything the libraries print) is kept as it comes
lines(ava.stderr, (line) => write(process.stderr, line));
const code = await new Promise((resolve) => ava.on("close", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
if (progressShown) write(process.stdout, "");

// The final line: ava's own counts where it printed them (TAP "# pass"/"# fail", or the default reporter's summary),
// and a run that failed without a failed test (an uncaught exception, a file that crashed, a timeout) counts one.
const text = collected.join("");
const num = (re) => Number(re.exec(text)?.[1] ?? 0);
let passed;
let failed;
if (tap) {
  passed = num(/^# pass (\d+)/m);
  failed = num(/^# fail (\d+)/m);
} else {
  passed = num(/^ +(\d+) tests? passed/m) || counts.passed;
  failed =
    num(/^ +(\d+) tests? failed/m) +
    num(/^ +(\d+) hooks? failed/m) +
    num(/^ +(\d+) uncaught exceptions?/m) +
    num(/^ +(\d+) unhandled rejections?/m) +
    num(/^ +(\d+) tests? timed out/m);
}
if (code !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(code);
