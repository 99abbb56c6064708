// The command line itself, with no node: the global usage, each command's own usage (--help), --version, and the
// refusals of what a command does not take (an unknown or misplaced option, a typo with "did you mean", a missing
// kind or subcommand, a bad --gas), all before anything is started or sent.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import anyTest, { type TestFn } from "ava";
import { CliEnv, ROOT } from "./harness.ts";

const test = anyTest as TestFn<{ cli: CliEnv }>;

test.before(async (t) => {
  const cli = new CliEnv();
  await cli.init();
  t.context.cli = cli;
});

test.after.always((t) => {
  if (t.context.cli) rmSync(t.context.cli.home, { recursive: true, force: true });
});

test("usage: the global one lists every command, --help gives a command's own, --version the package's", async (t) => {
  const { cli } = t.context;
  const all = await cli.run([]);
  t.is(all.code, 0);
  for (const line of ["members add <account>", "propose <kind>", "fork import [new]", "node fast-forward <blocks>"]) {
    t.true(all.stdout.includes(line), line);
  }
  t.is((await cli.run(["--help"])).stdout, all.stdout);

  const own = await cli.run(["members", "list", "--help"]);
  t.is(own.code, 0);
  t.regex(own.stdout, /^Usage: ai-commons members list \[options\]/);
  t.regex(own.stdout, /-c, --community <name>/);
  t.regex(own.stdout, /--json/);
  t.false(own.stdout.includes("fork import"), "not the global usage");
  const kind = await cli.run(["help", "propose", "transfer"]);
  t.is(kind.code, 0);
  const transfer = await cli.run(["propose", "transfer", "-h"]);
  t.regex(transfer.stdout, /--to <id>[\s\S]*--amount <NEAR>[\s\S]*--memo <text>[\s\S]*--description <text>/);

  const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version as string;
  const v = await cli.run(["--version"]);
  t.is(v.code, 0);
  t.is(v.stdout.trim(), version);
  // --version of factory deploy is that command's own option, not the CLI's
  const dry = await cli.run(["factory", "deploy", "--dry-run", "--version", "9.9.9", "--json"]);
  t.is(dry.code, 0, dry.stderr);
  t.regex(JSON.parse(dry.stdout).codes[0].version, /^9\.9\.9-/);
});

test("refusals: unknown, misplaced and mistyped options, missing kinds and subcommands, bad values", async (t) => {
  const { cli } = t.context;
  const refused = async (args: string[], pattern: RegExp) => {
    const r = await cli.run([...args, "--json"]);
    t.is(r.code, 1, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    const err = JSON.parse(r.stdout).error as { code: string; message: string };
    t.is(err.code, "BAD_ARGS", args.join(" "));
    t.regex(err.message, pattern, args.join(" "));
    const plain = await cli.run(args);
    t.regex(plain.stderr, /^error: /);
  };
  await refused(
    ["members", "list", "-c", "acme", "--amount", "5"],
    /members list has no option --amount.*propose transfer/,
  );
  await refused(["vote", "approve", "0", "-c", "acme", "--description", "x"], /vote has no option --description/);
  await refused(["proposals", "list", "-c", "acme", "--stauts", "x"], /did you mean --status\?/);
  await refused(["propose", "-c", "acme"], /propose needs a proposal kind/);
  await refused(["propose", "transfr", "-c", "acme"], /unknown proposal kind transfr \(did you mean transfer\?\)/);
  await refused(["propose", "transfer", "-c", "acme", "--to", "bob.test.near"], /propose transfer needs --amount/);
  await refused(["members"], /members needs a command: one of list, add, remove/);
  await refused(["membres", "list"], /unknown command: membres \(did you mean members\?\)/);
  await refused(["vote", "approve", "0", "1", "-c", "acme"], /vote takes 2 arguments/);
  await refused(["execute", "1", "-c", "acme", "--gas", "lots"], /--gas must be a whole number of Tgas \(got lots\)/);
  // global options before the command are still taken
  const early = await cli.run(["--json", "propose", "-c", "acme"]);
  t.is(JSON.parse(early.stdout).error.code, "BAD_ARGS");
  // nothing was started
  t.false(existsSync(join(cli.home, ".ai-commons", "localnet")));
});

test("the deploy script is the factory deploy command", async (t) => {
  const { cli } = t.context;
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "deploy", "factory.ts"), "--help"], {
    cwd: ROOT,
    env: cli.env(),
    encoding: "utf8",
  });
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^Usage: ai-commons factory deploy \[options\]/);
  t.regex(r.stdout, /--dry-run/);
});
