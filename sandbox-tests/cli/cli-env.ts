// The CLI in a temporary HOME on a free port (CliEnv), without ava: sandbox-tests/cli/harness.ts gives it to test files
// (useCliEnv), and `npm run bench:web` (web/server/bench.ts) starts a local node and a community with it outside a
// test run, where importing ava's runtime is refused.
import "../helpers/env.ts";
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExecutionContext } from "ava";
import { baseDecode, JsonRpcProvider } from "near-api-js";
export { NEAR } from "../../contracts/wire/units.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = join(ROOT, "scripts", "cli", "bin.mjs");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class CliEnv {
  readonly home = mkdtempSync(join(tmpdir(), "ai-commons-cli-"));
  provider!: JsonRpcProvider;
  port = 0;

  async init(): Promise<void> {
    this.port = await freePort();
    this.provider = new JsonRpcProvider({ url: `http://127.0.0.1:${this.port}` });
  }

  env(): NodeJS.ProcessEnv {
    return { ...process.env, HOME: this.home, AI_COMMONS_LOCAL_PORT: String(this.port) };
  }

  spawn(args: string[], extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
    return spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...this.env(), ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  /** Runs `ai-commons ...args` to completion. */
  run(args: string[]): Promise<Run> {
    return this.spawnRun(args);
  }

  /** Runs `ai-commons ...args` to completion with more environment variables. */
  spawnRun(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
    return collectRun(this.spawn(args, extraEnv));
  }

  async view<T>(contract: string, method: string, args: object = {}): Promise<T> {
    const r = (await this.provider.query({
      request_type: "call_function",
      finality: "optimistic",
      account_id: contract,
      method_name: method,
      args_base64: Buffer.from(JSON.stringify(args)).toString("base64"),
    })) as unknown as { result: number[] };
    return JSON.parse(Buffer.from(r.result).toString()) as T;
  }

  async account(
    id: string,
  ): Promise<{ amount: string; code_hash: string; storage_usage: number; global_contract_hash?: string }> {
    return (await this.provider.query({
      request_type: "view_account",
      finality: "optimistic",
      account_id: id,
    })) as unknown as { amount: string; code_hash: string; storage_usage: number; global_contract_hash?: string };
  }

  /** Hex sha256 of the code an account runs, its own or global by hash (view_account gives it in base58). */
  async codeSha256(id: string): Promise<string> {
    const a = await this.account(id);
    return Buffer.from(baseDecode(a.global_contract_hash ?? a.code_hash)).toString("hex");
  }
}

export function manifestSha(name: string): string {
  const m = JSON.parse(readFileSync(join(ROOT, "build", "manifest.json"), "utf8")) as {
    contracts: { name: string; file: string; sha256: string }[];
  };
  const entry = m.contracts.find((c) => c.name === name);
  if (!entry) throw new Error(`${name} is not built`);
  // The manifest must describe the file on disk (other builds may be rewriting build/ concurrently).
  const actual = createHash("sha256")
    .update(readFileSync(join(ROOT, "build", entry.file)))
    .digest("hex");
  if (actual !== entry.sha256) throw new Error(`build/${entry.file} does not match the manifest`);
  return entry.sha256;
}

/** A command that runs until stopped (`attester serve`): guides show it, runGuide loops leave it to its own test. */
export const isService = (words: string[]) => words[0] === "attester" && words[1] === "serve";

/**
 * `npx ai-commons ...` lines of the ```sh blocks of a guide, split into arguments (double quotes respected); without
 * the services (isService), which never finish: `{ services: true }` gives those alone.
 */
export function guideCommands(file: string, o: { services?: boolean } = {}): string[][] {
  return guideLines(file).filter((words) => isService(words) === (o.services === true));
}

function guideLines(file: string): string[][] {
  const text = readFileSync(join(ROOT, "docs", "guides", file), "utf8");
  const out: string[][] = [];
  let inSh = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) {
      inSh = line.trim() === "```sh";
      continue;
    }
    if (!inSh || !line.startsWith("npx ai-commons ")) continue;
    const words = [...line.slice("npx ai-commons ".length).matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map(
      (m) => m[1] ?? m[2] ?? m[3],
    );
    out.push(words);
  }
  return out;
}

/** Asserts a CLI run exited 0, showing its output when it did not. */
export function ok(t: ExecutionContext, r: Run, what: string): void {
  t.is(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
}

/** Runs CLI commands in order, each of which must succeed, and logs how long this set-up took. */
export async function setUpByCli(t: ExecutionContext, cli: CliEnv, steps: string[][]): Promise<void> {
  const t0 = Date.now();
  for (const args of steps) ok(t, await cli.run(args), `ai-commons ${args.join(" ")}`);
  t.log(`set-up by the CLI: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** A child process run to completion: its exit code and everything it printed. */
export function collectRun(child: ChildProcess): Promise<Run> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}
