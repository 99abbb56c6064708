// The toolchain as a contract author meets it: builds are reproducible, only NEAR host functions are imported, and
// each kind of mistake fails the build with a message naming the file.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import test from "ava";
import binaryen from "binaryen";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const BUILD = path.join(ROOT, "toolchain", "build.mjs");
const exec = promisify(execFile);

interface BuildRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function build(args: string[]): Promise<BuildRun> {
  try {
    const r = await exec(process.execPath, [BUILD, ...args], { cwd: ROOT, maxBuffer: 1 << 24 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A scratch folder inside the project (so that `near-sdk-js` resolves) with one contract per entry. */
function scratch(contracts: Record<string, string>): { src: string; out: string } {
  const dir = path.join(ROOT, "build", ".test", crypto.randomBytes(6).toString("hex"));
  const src = path.join(dir, "src");
  for (const [name, code] of Object.entries(contracts)) {
    fs.mkdirSync(path.join(src, name), { recursive: true });
    fs.writeFileSync(path.join(src, name, "contract.ts"), code);
  }
  return { src, out: path.join(dir, "out") };
}

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

function imports(file: string): string[] {
  const mod = binaryen.readBinary(fs.readFileSync(file));
  const found: string[] = [];
  for (let i = 0; i < mod.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
    if (info.module) found.push(`${info.module}.${info.base}`);
  }
  mod.dispose();
  return found;
}

const MINIMAL = `
import { NearBindgen, call, view } from "near-sdk-js";
@NearBindgen({})
export class Minimal {
  n = 0;
  @call({}) bump(): void { this.n += 1; }
  @view({}) get(): number { return this.n; }
}
`;

test("two clean builds of the same source give the same wasm sha256", async (t) => {
  const a = scratch({ minimal: MINIMAL });
  const b = scratch({ minimal: MINIMAL });
  const [ra, rb] = [await build(["--src", a.src, "--out", a.out]), await build(["--src", b.src, "--out", b.out])];
  t.is(ra.code, 0, ra.stderr);
  t.is(rb.code, 0, rb.stderr);
  const [ha, hb] = [sha256(path.join(a.out, "minimal.wasm")), sha256(path.join(b.out, "minimal.wasm"))];
  t.is(ha, hb);
  const manifest = JSON.parse(fs.readFileSync(path.join(a.out, "manifest.json"), "utf8"));
  t.is(manifest.contracts[0].sha256, ha);
  t.deepEqual(manifest.contracts[0].methods.sort(), ["bump", "get"]);
  t.true(fs.existsSync(path.join(a.out, "minimal-abi.json")));
});

test("only exported functions become wasm methods, not the exported class or constants", async (t) => {
  const s = scratch({
    exports: `import { NearBindgen, call, near } from "near-sdk-js";
export const LIMIT = 3;
export const TABLE = { a: 1 };
@NearBindgen({})
export class Exports {
  n = 0;
  @call({}) bump(): void { if (this.n < LIMIT) this.n += TABLE.a; }
}
export function raw(): void { near.valueReturn("raw"); }
export const arrow = (): void => near.valueReturn("arrow");
`,
  });
  const r = await build(["--src", s.src, "--out", s.out, "--no-abi"]);
  t.is(r.code, 0, r.stderr);
  const mod = new WebAssembly.Module(fs.readFileSync(path.join(s.out, "exports.wasm")));
  const names = WebAssembly.Module.exports(mod).map((e) => e.name);
  t.deepEqual(names.sort(), ["arrow", "bump", "memory", "raw"]);
  const manifest = JSON.parse(fs.readFileSync(path.join(s.out, "manifest.json"), "utf8"));
  t.deepEqual(manifest.contracts[0].methods.sort(), ["arrow", "bump", "raw"]);
});

test("a built contract imports only NEAR host functions from env", async (t) => {
  const s = scratch({ minimal: MINIMAL });
  const r = await build(["--src", s.src, "--out", s.out, "--no-abi"]);
  t.is(r.code, 0, r.stderr);
  const found = imports(path.join(s.out, "minimal.wasm"));
  t.true(found.length > 40);
  t.deepEqual(
    found.filter((i) => !i.startsWith("env.")),
    [],
  );
  t.false(found.some((i) => i.includes("wasi")));
});

test("a type error fails the build and names the file and line", async (t) => {
  const s = scratch({
    typo: `import { NearBindgen, view } from "near-sdk-js";
@NearBindgen({})
export class Typo {
  n = 0;
  @view({}) get(): number { return this.missing; }
}
`,
  });
  const r = await build(["--src", s.src, "--out", s.out]);
  t.not(r.code, 0);
  t.regex(r.stderr, /typo\/contract\.ts\(5,\d+\): error TS2339/);
  t.false(fs.existsSync(path.join(s.out, "typo.wasm")));
});

test("a method named like a C symbol fails the build with the clashing names", async (t) => {
  const s = scratch({
    clash: `import { NearBindgen, call } from "near-sdk-js";
@NearBindgen({})
export class Clash {
  n = 0;
  @call({}) malloc(): void { this.n += 1; }
  @call({}) sha256(): void { this.n += 2; }
}
`,
  });
  const r = await build(["--src", s.src, "--out", s.out, "--no-abi"]);
  t.not(r.code, 0);
  t.regex(r.stderr, /clash\/contract\.ts: contract method names 'malloc', 'sha256' clash with C symbols/);
});

test("a wasm importing something that is not a NEAR host function is refused with its name", async (t) => {
  const mod = binaryen.parseText(`(module
    (import "env" "value_return" (func $vr (param i64 i64)))
    (import "env" "not_a_host_fn" (func $bad (param i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "go") (drop (call $bad (i32.const 1))) (drop (call $w (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
  )`);
  const s = scratch({});
  fs.mkdirSync(s.out, { recursive: true });
  const file = path.join(s.out, "bad.wasm");
  fs.writeFileSync(file, mod.emitBinary());
  mod.dispose();
  let err = "";
  try {
    await exec(process.execPath, [path.join(ROOT, "toolchain", "wasi-stub.mjs"), file]);
  } catch (e) {
    err = (e as { stderr: string }).stderr;
  }
  t.regex(err, /bad\.wasm: the wasm imports env\.not_a_host_fn: not a NEAR host function/);
  t.notRegex(err, /fd_write/, "WASI imports are stubbed, not reported");
});

test("an unknown contract name is refused", async (t) => {
  const r = await build(["no-such-contract", "--no-abi"]);
  t.not(r.code, 0);
  t.regex(r.stderr, /no contract named no-such-contract/);
});

test("the stock `near-sdk-js build` CLI works offline on the project's toolchain", async (t) => {
  const target = "build/stock-cli-fixture.wasm";
  const r = await exec(
    path.join(ROOT, "node_modules", ".bin", "near-sdk-js"),
    ["build", "toolchain/fixtures/fixture/contract.ts", target],
    { cwd: ROOT, maxBuffer: 1 << 24 },
  );
  t.regex(r.stdout + r.stderr, /Generated build\/stock-cli-fixture\.wasm contract successfully/);
  const size = fs.statSync(path.join(ROOT, target)).size;
  t.true(size > 400_000 && size < 560_000, `stock CLI wasm is ${size} bytes`);
  t.deepEqual(
    imports(path.join(ROOT, target)).filter((i) => !i.startsWith("env.")),
    [],
  );
});

test("a contract using RegExp fails to build lean, naming the feature and the file, and builds stock", async (t) => {
  const out = path.join(ROOT, "build", ".test", crypto.randomBytes(6).toString("hex"));
  const lean = await build(["regexp-fixture", "--profile", "lean", "--out", out, "--no-abi"]);
  t.not(lean.code, 0);
  t.regex(lean.stderr, /the lean runtime profile has no RegExp \(a regular expression literal\)/);
  t.regex(lean.stderr, /toolchain\/fixtures\/regexp-fixture\/contract\.ts:\d+: RegExp/);
  t.regex(lean.stderr, /\{"profile": "stock"\}/);
  t.false(fs.existsSync(path.join(out, "regexp-fixture.wasm")));
  const stock = await build(["regexp-fixture", "--out", out, "--no-abi"]);
  t.is(stock.code, 0, stock.stderr);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
  t.like(manifest.contracts[0], { name: "regexp-fixture", profile: "stock" });
});

test("the lean profile is a third smaller than stock for the same contract", async (t) => {
  const s = scratch({ minimal: MINIMAL });
  const [lean, stock] = [`${s.out}-lean`, `${s.out}-stock`];
  const rl = await build(["--src", s.src, "--out", lean, "--no-abi", "--profile", "lean"]);
  const rs = await build(["--src", s.src, "--out", stock, "--no-abi", "--profile", "stock"]);
  t.is(rl.code, 0, rl.stderr);
  t.is(rs.code, 0, rs.stderr);
  const [bl, bs] = [
    fs.statSync(path.join(lean, "minimal.wasm")).size,
    fs.statSync(path.join(stock, "minimal.wasm")).size,
  ];
  t.log(`lean ${bl} bytes, stock ${bs} bytes`);
  t.true(bl <= 360_000, `lean wasm is ${bl} bytes`);
  t.true(bl < bs * 0.7);
});

test("a lean contract calling a Math function the profile leaves out fails to build, naming it", async (t) => {
  const s = scratch({
    mathy: `import { NearBindgen, view } from "near-sdk-js";
@NearBindgen({})
export class Mathy {
  @view({}) f({ x }: { x: number }): number { return Math.floor(x) + 2 ** x + Math.log(x); }
}
`,
  });
  const r = await build(["--src", s.src, "--out", s.out, "--no-abi"]);
  t.not(r.code, 0);
  t.regex(r.stderr, /the lean runtime profile has no Math\.log; used at/);
  t.regex(r.stderr, /mathy\/contract\.ts:\d+: Math\.log/);
  t.notRegex(r.stderr, /Math\.floor/);
});

test("a second build of unchanged sources is skipped; editing one contract's import rebuilds only that one", async (t) => {
  const shared = "export const STEP = 1;\n";
  const s = scratch({
    one: MINIMAL.replace("this.n += 1", "this.n += STEP").replace(
      'import { NearBindgen, call, view } from "near-sdk-js";',
      'import { NearBindgen, call, view } from "near-sdk-js";\nimport { STEP } from "../lib/step";',
    ),
    two: MINIMAL,
  });
  fs.mkdirSync(path.join(s.src, "lib"), { recursive: true });
  fs.writeFileSync(path.join(s.src, "lib", "step.ts"), shared);
  const first = await build(["--src", s.src, "--out", s.out]);
  t.is(first.code, 0, first.stderr);
  t.regex(first.stdout, /\[build\] 2 contract\(s\) in/);
  const wasm = path.join(s.out, "one.wasm");
  const mtime = fs.statSync(wasm).mtimeMs;

  const second = await build(["--src", s.src, "--out", s.out]);
  t.is(second.code, 0, second.stderr);
  t.regex(second.stdout, /2 contract\(s\) up to date/);
  t.is(fs.statSync(wasm).mtimeMs, mtime, "an up-to-date wasm is not rewritten");

  // a file reached only through `one`'s import changes: `one` is rebuilt, `two` is not
  fs.writeFileSync(path.join(s.src, "lib", "step.ts"), "export const STEP = 2;\n");
  const third = await build(["--src", s.src, "--out", s.out]);
  t.is(third.code, 0, third.stderr);
  t.regex(third.stdout, /\[build\] one \(lean\)/);
  t.notRegex(third.stdout, /\[build\] two \(lean\)/);
  t.regex(third.stdout, /1 contract\(s\) in .* \(1 up to date\)/);

  // a wasm changed behind the build's back is rebuilt, and --force rebuilds everything
  fs.writeFileSync(path.join(s.out, "two.wasm"), "tampered");
  const fourth = await build(["--src", s.src, "--out", s.out]);
  t.regex(fourth.stdout, /\[build\] two \(lean\)/);
  const forced = await build(["--src", s.src, "--out", s.out, "--force"]);
  t.regex(forced.stdout, /\[build\] 2 contract\(s\) in/);
  const manifest = JSON.parse(fs.readFileSync(path.join(s.out, "manifest.json"), "utf8"));
  t.is(manifest.contracts.length, 2);
  for (const c of manifest.contracts) t.regex(c.inputs, /^[0-9a-f]{64}$/);
});

test("set-up failures name the step and the one command that fixes it", async (t) => {
  const { ensureReady, SetupError } = await import("../ready.mjs");
  // a clone without node_modules: the fix is npm install (run in a copy of ready.mjs's view of the world)
  const dir = fs.mkdtempSync(path.join(ROOT, "build", ".test-ready-"));
  fs.mkdirSync(path.join(dir, "toolchain", "lib"), { recursive: true });
  for (const f of ["ready.mjs", "config.mjs", "lib/exec.mjs"]) {
    fs.copyFileSync(path.join(ROOT, "toolchain", f), path.join(dir, "toolchain", f));
  }
  const r = await exec(process.execPath, [path.join(dir, "toolchain", "ready.mjs")], { cwd: dir }).catch(
    (e: { code: number; stderr: string }) => e,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  t.is((r as { code: number }).code, 1);
  t.regex((r as { stderr: string }).stderr, /set-up: dependencies failed: node_modules is missing/);
  t.regex((r as { stderr: string }).stderr, /to fix it, run:\n {2}npm install\n/);
  // in this clone every step is ready: nothing fails
  const ready = await ensureReady({ contracts: false, quiet: true });
  t.truthy(ready.toolchain.fingerprint);
  t.is(typeof SetupError, "function");
});
