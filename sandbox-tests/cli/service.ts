// What the `attester serve` and `verify` tests share (serve.test.ts, serve-follow.test.ts, serve-final.test.ts,
// verify.test.ts): running the guides, starting the guide's service command on a free port, asking it over HTTP,
// passing DAO proposals, and reading the verifier's receipts.
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import { Account, KeyPair, KeyPairSigner, type KeyPairString } from "near-api-js";
import type { SignedReceipt } from "../../attester/src/receipt.ts";
import { type CliEnv, freePort, guideCommands, ok } from "./harness.ts";

export const VERIFIER = "coop_inference-verifier.commons.test.near";
export const ATTESTER = "att.test.near";
export type Ctx = ExecutionContext<{ cli: CliEnv }>;

export interface Answer {
  id: string;
  output: string;
  salt: string;
  status: string;
  receipt: SignedReceipt;
}

export const home = (t: Ctx, f: string) => join(t.context.cli.home, f);
export const expand = (t: Ctx, words: string[]) => words.map((w) => (w.startsWith("~/") ? home(t, w.slice(2)) : w));

export async function runGuide(t: Ctx, file: string): Promise<void> {
  for (const words of guideCommands(file)) {
    ok(t, await t.context.cli.run(expand(t, words)), `ai-commons ${words.join(" ")}`);
  }
}

export interface Service {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `attester serve` (the guide's command, on a free port and the given outbox, with `extra` arguments and
 * `env` variables; `flags` replaces the values of the guide's flags, e.g. `{ "--account": "x.test.near" }`) and
 * waits until it listens.
 */
export async function serve(
  t: Ctx,
  db: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
  flags: Record<string, string> = {},
): Promise<Service> {
  const [words] = guideCommands("attest-inferences.md", { services: true });
  const port = await freePort();
  const values: Record<string, string> = { ...flags, "--port": String(port), "--db": db };
  const args = expand(t, words).map((w, i, all) => values[all[i - 1]] ?? w);
  const child = t.context.cli.spawn([...args, ...extra], env);
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const end = Date.now() + 60_000;
  while (!/attester service on http/.test(out)) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`attester serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => out, exited };
}

/** POST /v1/infer: the status and the body, whatever they are. */
export async function ask(
  s: Service,
  input: string,
  o: { salt?: string; key?: string } = {},
): Promise<{ status: number; body: Answer & { error?: { code: string; message: string } }; headers: Headers }> {
  const r = await fetch(`${s.url}/v1/infer`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(o.key ? { authorization: `Bearer ${o.key}` } : {}) },
    body: JSON.stringify(o.salt ? { input, salt: o.salt } : { input }),
  });
  return {
    status: r.status,
    body: (await r.json()) as Answer & { error?: { code: string; message: string } },
    headers: r.headers,
  };
}

/** POST /v1/infer, which must answer 200. */
export async function infer(s: Service, input: string, salt?: string): Promise<Answer> {
  const r = await ask(s, input, { salt });
  if (r.status !== 200) throw new Error(`infer: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function json<T>(s: Service, path: string, key?: string): Promise<T> {
  return (await (
    await fetch(`${s.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} })
  ).json()) as T;
}

export const counts = async (s: Service) => (await json<{ receipts: Record<string, number> }>(s, "/healthz")).receipts;

/** A proposal as the guides make one: alice proposes (--json gives its id), alice and bob approve, bob executes. */
export async function pass(t: Ctx, kindArgs: string[]): Promise<void> {
  const cli = async (args: string[]) => {
    const r = await t.context.cli.run(args);
    ok(t, r, `ai-commons ${args.join(" ")}`);
    return r.stdout;
  };
  const p = await cli(["propose", ...kindArgs, "-c", "coop", "--account", "alice.test.near", "--json"]);
  const id = String((JSON.parse(p) as { id: number }).id);
  for (const who of ["alice", "bob"]) await cli(["vote", "approve", id, "-c", "coop", "--account", `${who}.test.near`]);
  await cli(["execute", id, "-c", "coop", "--account", "bob.test.near"]);
}

/** A DAO FunctionCall proposal to the verifier (e.g. void_receipt), voted by alice and bob and executed. */
export async function daoCall(t: Ctx, method: string, args: object): Promise<void> {
  await pass(t, ["function-call", "--to", VERIFIER, "--method", method, "--args", JSON.stringify(args)]);
}

/** An account the CLI created (`account create`), signing with the key it saved in the test's HOME. */
export function savedAccount(t: Ctx, id: string): Account {
  const f = home(t, `.near-credentials/local/${id}.json`);
  const key = KeyPair.fromString(JSON.parse(readFileSync(f, "utf8")).private_key as KeyPairString);
  return new Account(id, t.context.cli.provider, new KeyPairSigner(key));
}

export async function until(what: string, f: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many receipts the verifier holds. */
export const chainReceipts = async (t: Ctx) =>
  (await t.context.cli.view<{ receipts: number }>(VERIFIER, "get_config")).receipts;

/** The verifier's receipt of the attester's nonce, or null. */
export const onChain = (t: Ctx, nonce: string) =>
  t.context.cli.view<{ hash: string; status: string } | null>(VERIFIER, "get_receipt_by_nonce", {
    attester_id: ATTESTER,
    nonce,
  });

/** Every answer's receipt is held by the verifier, by its nonce, with its hash; and the verifier holds no others. */
export async function allOnChainOnce(t: Ctx, answers: Answer[], before: number): Promise<void> {
  t.is(new Set(answers.map((a) => a.receipt.nonce)).size, answers.length, "nonces are distinct");
  for (const a of answers) t.is((await onChain(t, a.receipt.nonce))?.hash, a.id, `nonce ${a.receipt.nonce} on chain`);
  t.is((await chainReceipts(t)) - before, answers.length, "receipts signed = receipts accepted (none twice)");
}

const QUESTIONS = [
  "who can vote on the treasury budget",
  "this dataset has personal data to remove",
  "when does the reward pool pay the creators",
  "which model version is active now",
];
/** The i-th of a stream of distinct user questions. */
export const question = (i: number) => `${QUESTIONS[i % QUESTIONS.length]} (request ${i})`;
