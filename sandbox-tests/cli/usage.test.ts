// The command line itself, with no node: the global usage, each command's own usage (--help), --version, and the
// refusals of what a command does not take (an unknown or misplaced option, a typo with "did you mean", a missing
// kind or subcommand, a bad --gas), all before anything is started or sent.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import anyTest, { type TestFn } from "ava";
import { CliEnv, freePort, ROOT } from "./harness.ts";

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
  t.regex(own.stdout, /-c, --community <community>/);
  t.regex(own.stdout, /--json/);
  t.false(own.stdout.includes("fork import"), "not the global usage");
  const kind = await cli.run(["help", "propose", "transfer"]);
  t.is(kind.code, 0);
  const transfer = await cli.run(["propose", "transfer", "-h"]);
  t.regex(transfer.stdout, /--to <account>[\s\S]*--amount <NEAR>[\s\S]*--memo <text>[\s\S]*--description <text>/);

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
  await refused(["execute", "1", "-c", "acme", "--gas", "lots"], /--gas must be a whole number of Tgas .*\(got lots\)/);
  // global options before the command are still taken
  const early = await cli.run(["--json", "propose", "-c", "acme"]);
  t.is(JSON.parse(early.stdout).error.code, "BAD_ARGS");
  // nothing was started
  t.false(existsSync(join(cli.home, ".ai-commons", "localnet")));
});

// Every value is checked as the command line is read, before the local node is started or anything is sent: each row
// is a command, the part of the message naming what was expected, and (for files) the file named.
test("values are refused before anything starts: account ids, amounts, gas, statuses, names, files, JSON", async (t) => {
  const { cli } = t.context;
  const policy = join(cli.home, "policy.json");
  writeFileSync(policy, "{ roles: [] }");
  const rows: [string[], RegExp][] = [
    [
      ["proposals", "list", "-c", "acme", "--status", "Foo"],
      /--status must be one of InProgress, .*Failed \(got Foo\)/,
    ],
    [["account", "create", "Alice2"], /<sub-account> must be a name of a-z 0-9 .*\(got Alice2\)/],
    [["account", "create", "bob", "--balance", "ten"], /--balance must be an amount of NEAR like 1\.5/],
    [
      ["propose", "transfer", "-c", "acme", "--to", "Bob", "--amount", "1"],
      /--to must be a NEAR account id .*lower case: bob/,
    ],
    [
      ["propose", "transfer", "-c", "acme", "--to", "bob.near", "--amount", "1 NEAR"],
      /--amount must be an amount of NEAR/,
    ],
    [["propose", "add-member", "-c", "acme", "--member", "a..b"], /--member must be .*separator/],
    [["members", "add", "x", "-c", "acme"], /<account> must be a NEAR account id .*2 to 64/],
    [["members", "list", "-c", "Acme"], /--community must be a community name.*or the community's DAO account id/],
    [["execute", "1", "-c", "acme", "--gas", "5000"], /--gas must be a whole number of Tgas from 1 to 1000/],
    [["community", "create", "my_dao"], /<community-name> must be a community name/],
    [["community", "create", "acme", "--members", "a.near,B"], /--members must be a comma-separated list .*B is not/],
    [["community", "create", "acme", "--policy", join(cli.home, "none.json")], /no such file: .*none\.json/],
    [["community", "create", "acme", "--policy", policy], new RegExp(`a JSON file \\(${policy}: `)],
    [["propose", "set-reward-policy", "-c", "acme", "--policy", "{bad"], /--policy must be JSON or a JSON file/],
    [["dataset", "submit", "x@1", "-c", "acme", "--file", policy, "--creators", "a.near:5000"], /sum to 5000/],
    [["dataset", "show", "news", "-c", "acme"], /<name@version> must be name@version/],
    [["propose", "activate-model", "-c", "acme", "--model", "m@"], /--model must be name@version/],
    [["propose", "upgrade-self", "-c", "acme", "--hash", "abc"], /--hash must be a sha256 as 64 lower-case hex/],
    [["node", "fast-forward", "many"], /<blocks> must be a whole number/],
    [["members", "list", "-c", "acme", "--account", "Test.near"], /--account must be a NEAR account id/],
    [["community", "create", "acme", "--title", ""], /--title must be a name of 1 to 64 characters/],
    [["community", "create", "acme", "--purpose", "p".repeat(1001)], /--purpose must be at most 1000 characters/],
    [["propose", "raw", "-c", "acme", "--kind", "{kind"], /--kind must be inline JSON/],
    [["propose", "function-call", "-c", "acme", "--to", "x.near", "--method", "m", "--args", "[1"], /--args must be/],
    [
      ["propose", "add-attester", "-c", "acme", "--attester", "a.near", "--public-key", "abc"],
      /--public-key must be 128 lower-case hex characters or an existing file/,
    ],
  ];
  for (const [args, pattern] of rows) {
    const r = await cli.run([...args, "--json"]);
    t.is(r.code, 1, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    const err = JSON.parse(r.stdout).error as { code: string; message: string };
    t.is(err.code, "BAD_ARGS", args.join(" "));
    t.regex(err.message, pattern, args.join(" "));
  }
  t.false(existsSync(join(cli.home, ".ai-commons", "localnet")), "nothing was started");
});

// Key files are read before anything is sent; a broken one is named with what is wrong and what to do.
test("a missing, corrupt or foreign key file is named, with the network and the next step", async (t) => {
  const { cli } = t.context;
  const dir = join(cli.home, ".near-credentials", "testnet");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "bob.testnet.json");
  const cases: [string | null, RegExp][] = [
    [null, /no key for bob\.testnet on testnet: looked for .*bob\.testnet\.json\. Log in with near-cli/],
    ["{bad", /key file .*bob\.testnet\.json \(bob\.testnet on testnet\) is not JSON/],
    ['{"account_id":"bob.testnet"}', /has no private_key/],
    ['{"account_id":"carol.testnet","private_key":"ed25519:3"}', /is for carol\.testnet, not bob\.testnet/],
    ['{"account_id":"bob.testnet","private_key":"ed25519:xyz"}', /has a private_key that is not a key/],
  ];
  for (const [content, pattern] of cases) {
    if (content === null) rmSync(file, { force: true });
    else writeFileSync(file, content);
    const r = await cli.run(["account", "create", "x", "--network", "testnet", "--account", "bob.testnet", "--json"]);
    t.is(r.code, 1, r.stderr);
    const err = JSON.parse(r.stdout).error as { code: string; message: string };
    t.is(err.code, content === null ? "MISSING_KEY" : "BAD_KEY_FILE");
    t.regex(err.message, pattern);
  }
});

// An RPC node that cannot be reached is reported as such, naming the network and URL, never as "not a factory".
test("an unreachable RPC node is a NETWORK error naming the network and its URL", async (t) => {
  const { cli } = t.context;
  const port = await freePort();
  mkdirSync(join(cli.home, ".ai-commons"), { recursive: true });
  writeFileSync(
    join(cli.home, ".ai-commons", "config.json"),
    JSON.stringify({ rpc: { testnet: `http://127.0.0.1:${port}`, mainnet: "http://rpc.invalid" } }),
  );
  for (const [network, url, why] of [
    ["testnet", `http://127.0.0.1:${port}`, /no connection \(ECONNREFUSED\)|fetch failed/],
    ["mainnet", "http://rpc.invalid", /does not resolve|EAI_AGAIN|fetch failed/],
  ] as const) {
    const r = await cli.run(["members", "list", "-c", "acme", "--network", network, "--factory", "f.near", "--json"]);
    t.is(r.code, 1, r.stderr);
    const err = JSON.parse(r.stdout).error as { code: string; message: string };
    t.is(err.code, "NETWORK");
    t.true(err.message.startsWith(`cannot reach the ${network} RPC node ${url}: `), err.message);
    t.regex(err.message, why);
    t.regex(err.message, /use another RPC endpoint/);
  }
});

// `npx ai-commons` outside the clone would fetch an unrelated registry package of that name: the project's package is
// scoped, and the README's two ways to run it from another folder work (without the registry).
test("outside the clone: the package is scoped; npx --prefix and a global install run this CLI", async (t) => {
  const { cli } = t.context;
  const { spawnSync } = await import("node:child_process");
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    name: string;
    version: string;
    bin: object;
  };
  t.is(pkg.name, "@ai-commons/suite");
  t.deepEqual(Object.keys(pkg.bin), ["ai-commons"]);
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  t.true(readme.includes("npx --prefix /path/to/the/clone ai-commons"));
  const elsewhere = cli.home;
  const npm = (args: string[]) =>
    spawnSync("npm", args, { cwd: elsewhere, env: { ...cli.env(), npm_config_offline: "true" }, encoding: "utf8" });
  const viaPrefix = npm(["exec", "--prefix", ROOT, "--", "ai-commons", "--version"]);
  t.is(viaPrefix.status, 0, viaPrefix.stderr);
  t.is(viaPrefix.stdout.trim(), pkg.version);
  const global = join(elsewhere, "global");
  const installed = npm([
    "install",
    "--global",
    "--prefix",
    global,
    "--ignore-scripts",
    "--no-audit",
    "--no-fund",
    ROOT,
  ]);
  t.is(installed.status, 0, installed.stderr);
  const bin = spawnSync(join(global, "bin", "ai-commons"), ["--version"], {
    cwd: elsewhere,
    env: cli.env(),
    encoding: "utf8",
  });
  t.is(bin.status, 0, bin.stderr);
  t.is(bin.stdout.trim(), pkg.version);
});

// Endpoints that answer but not as nearcore does (a wrong URL's HTML page, a gateway's text, a refused API key) are
// NETWORK errors too, not "not a community factory".
test("an RPC answering something that is not nearcore's JSON-RPC is a NETWORK error", async (t) => {
  const { cli } = t.context;
  const { createServer } = await import("node:http");
  const answers: [number, string, string, RegExp][] = [
    [404, "<html>not here</html>", "text/html", /not JSON-RPC .*a wrong URL, a proxy or a gateway error/],
    [504, "Gateway Timeout", "text/plain", /not JSON-RPC/],
    [401, '{"error":"invalid api key"}', "application/json", /an error that is not nearcore's/],
    [403, '{"message":"forbidden"}', "application/json", /without a JSON-RPC result/],
  ];
  for (const [status, body, type, why] of answers) {
    const srv = createServer((_q, r) => {
      r.writeHead(status, { "content-type": type });
      r.end(body);
    });
    await new Promise<void>((ok) => srv.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    const r = await cli.spawnRun(
      ["members", "list", "-c", "acme", "--network", "testnet", "--factory", "f.testnet", "--json"],
      { NEAR_TESTNET_RPC: url },
    );
    srv.close();
    const err = JSON.parse(r.stdout).error as { code: string; message: string };
    t.is(err.code, "NETWORK", `HTTP ${status}: ${err.message}`);
    t.true(err.message.startsWith(`cannot reach the testnet RPC node ${url}: `), err.message);
    t.regex(err.message, why);
  }
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
