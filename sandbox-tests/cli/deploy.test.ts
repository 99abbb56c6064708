// deploy/factory.ts and `ai-commons factory deploy` without any node: a dry run prints what would be sent and
// contacts nothing, mainnet refuses without --yes, and a missing key stops before any network use. The RPC URLs of
// testnet and mainnet point at a closed local port, so any contact would fail these tests. (Deploying for real and
// verifying the hashes is covered on the local node by cli.test.ts.)
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import anyTest, { type TestFn } from "ava";
import { CliEnv, manifestSha, ROOT, type Run } from "./harness.ts";

const test = anyTest as TestFn<{ cli: CliEnv }>;

interface Report {
  dry_run: boolean;
  factory: string;
  owner: string;
  actions: string[];
  factory_code: { bytes: number; sha256: string; deploy_gas_estimate: string };
  codes: { name: string; bytes: number; sha256: string; gas_estimate: string; burn: string }[];
  deposit_estimate: string;
}

test.before(async (t) => {
  const cli = new CliEnv();
  await cli.init();
  mkdirSync(join(cli.home, ".ai-commons"), { recursive: true });
  const closed = "http://127.0.0.1:9";
  writeFileSync(
    join(cli.home, ".ai-commons", "config.json"),
    JSON.stringify({ rpc: { testnet: closed, mainnet: closed, local: closed } }),
  );
  t.context.cli = cli;
});

test.after.always((t) => {
  if (t.context.cli) rmSync(t.context.cli.home, { recursive: true, force: true });
});

/** The deploy script itself, run with tsx as `npm run deploy:factory` would. */
function script(cli: CliEnv, args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "deploy", "factory.ts"), ...args], {
    cwd: ROOT,
    env: cli.env(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

test("a mainnet dry run prints accounts, sizes, sha256, gas and deposit, and contacts nothing", async (t) => {
  const { cli } = t.context;
  const r = await cli.run([
    "factory",
    "deploy",
    "--network",
    "mainnet",
    "--account",
    "acme.near",
    "--factory",
    "commons.acme.near",
    "--dry-run",
    "--json",
  ]);
  t.is(r.code, 0, r.stdout + r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  t.true(report.dry_run);
  t.is(report.factory, "commons.acme.near");
  t.is(report.owner, "acme.near");
  t.is(report.factory_code.sha256, manifestSha("community-factory"));
  t.is(report.codes[0].name, "community-dao");
  t.is(report.codes[0].sha256, manifestSha("community-dao"));
  t.true(BigInt(report.factory_code.deploy_gas_estimate) > 10n ** 13n);
  t.true(BigInt(report.deposit_estimate) > 0n, "creating the factory account costs its storage");
  t.true(report.actions.some((a) => a.startsWith("create commons.acme.near from acme.near")));
  t.true(report.actions.some((a) => a.startsWith("publish_code community-dao")));
  // the owner burns 10^20 yocto a byte for each code published to the global store
  t.is(BigInt(report.codes[0].burn), BigInt(report.codes[0].bytes) * 10n ** 20n);
  // The people-readable form says the same.
  const human = await cli.run(["factory", "deploy", "--network", "mainnet", "--account", "acme.near", "--dry-run"]);
  t.is(human.code, 0, human.stderr);
  t.regex(human.stdout, /^dry run: nothing sent\. network mainnet, factory acme\.near/m);
  t.regex(human.stdout, new RegExp(`sha256 ${manifestSha("community-dao")}`));
});

test("the deploy script: a testnet dry run, mainnet refused without --yes, a missing key named", async (t) => {
  const { cli } = t.context;
  const dry = await script(cli, ["--network", "testnet", "--account", "me.testnet", "--dry-run", "--json"]);
  t.is(dry.code, 0, dry.stdout + dry.stderr);
  t.is((JSON.parse(dry.stdout) as Report).factory_code.sha256, manifestSha("community-factory"));

  const noYes = await script(cli, ["--network", "mainnet", "--account", "acme.near", "--json"]);
  t.is(noYes.code, 1);
  t.is(JSON.parse(noYes.stdout).error.code, "NEEDS_YES");
  const noYesCli = await cli.run(["factory", "deploy", "--network", "mainnet", "--account", "acme.near"]);
  t.is(noYesCli.code, 1);
  t.regex(noYesCli.stderr, /a mainnet deploy needs --yes/);

  const noKey = await script(cli, ["--network", "testnet", "--account", "me.testnet"]);
  t.is(noKey.code, 1);
  const file = join(cli.home, ".near-credentials", "testnet", "me.testnet.json");
  t.true(noKey.stderr.includes(`no key for me.testnet on testnet: looked for ${file}`), noKey.stderr);

  const noAccount = await script(cli, ["--network", "testnet"]);
  t.is(noAccount.code, 1);
  t.regex(noAccount.stderr, /--account is required on testnet/);
});
