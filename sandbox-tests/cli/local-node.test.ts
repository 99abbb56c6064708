// One local node: `npm run node` (local-node/run.mjs, foreground) and the CLI's own node (`ai-commons node start`,
// background) use the same port, home and pid file, so each finds and refuses to double the other; `node reset`
// deletes that home only when no node runs on it.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import anyTest, { type TestFn } from "ava";
import { CliEnv, collectRun, ok, ROOT, type Run } from "./harness.ts";

const RUN_NODE = join(ROOT, "local-node", "run.mjs");
const test = anyTest as TestFn<{ cli: CliEnv }>;

test.before(async (t) => {
  const cli = new CliEnv();
  await cli.init();
  t.context.cli = cli;
});

test.after.always(async (t) => {
  const cli = t.context.cli;
  if (!cli) return;
  await cli.run(["node", "stop"]);
  rmSync(cli.home, { recursive: true, force: true });
});

/** `npm run node -- ...args` with the test's HOME and port, run to completion (for refusals and --help). */
function runNode(cli: CliEnv, args: string[], env: NodeJS.ProcessEnv = cli.env()): Promise<Run> {
  const child = spawn(process.execPath, [RUN_NODE, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  return collectRun(child);
}

interface Status {
  running: boolean;
  pid: number | null;
  url: string;
  home: string;
}

async function status(cli: CliEnv, env?: NodeJS.ProcessEnv): Promise<Status> {
  const r = env
    ? await collectRun(spawnCli(env, ["node", "status", "--json"]))
    : await cli.run(["node", "status", "--json"]);
  return JSON.parse(r.stdout) as Status;
}

function spawnCli(env: NodeJS.ProcessEnv, args: string[]): ChildProcess {
  return spawn(process.execPath, [join(ROOT, "scripts", "cli", "bin.mjs"), ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

test.serial("npm run node and the CLI name the same default port and home", async (t) => {
  const { cli } = t.context;
  // no AI_COMMONS_LOCAL_PORT: the defaults themselves
  const env = { ...cli.env() };
  delete env.AI_COMMONS_LOCAL_PORT;
  const help = await runNode(cli, ["--help"], env);
  t.is(help.code, 0, help.stderr);
  const st = await status(cli, env);
  t.is(st.home, join(cli.home, ".ai-commons", "localnet"));
  const port = /:(\d+)$/.exec(st.url)?.[1];
  t.regex(help.stdout, new RegExp(`--port N +RPC port \\(default ${port},`));
  t.true(help.stdout.includes(`--home DIR   the node's home (default ${st.home}, the CLI's)`), help.stdout);
  t.regex(help.stdout, /--host ADDR +address to listen on \(default 127\.0\.0\.1;/);
});

test.serial(
  "npm run node is the CLI's node: status sees it, a second one and reset are refused, node stop ends it",
  async (t) => {
    const { cli } = t.context;
    const byHand = spawn(process.execPath, [RUN_NODE], {
      cwd: ROOT,
      env: cli.env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const done = collectRun(byHand);
    let st = await status(cli);
    for (let i = 0; i < 300 && !st.running; i++) {
      await new Promise((r) => setTimeout(r, 100));
      st = await status(cli);
    }
    t.true(st.running, "npm run node answers where the CLI looks");
    t.is(st.url, `http://127.0.0.1:${cli.port}`);
    t.not(st.pid, null, "it wrote the CLI's pid file");

    // the CLI uses it rather than starting another
    const start = await cli.run(["node", "start", "--json"]);
    ok(t, start, "node start");
    t.is((JSON.parse(start.stdout) as Status).pid, st.pid);

    // neither a second `npm run node` nor a reset touches a home a node runs on
    const second = await runNode(cli, []);
    t.is(second.code, 1);
    t.regex(
      second.stderr,
      /a local node already runs on .*localnet \(pid \d+\): use it as it is .*npx ai-commons node stop/,
    );
    const reset = await cli.run(["node", "reset"]);
    t.not(reset.code, 0);
    t.regex(reset.stderr, /the local node runs on .*localnet \(pid \d+, http:\/\/127\.0\.0\.1:\d+\): stop it first/);
    t.true(existsSync(st.home));

    // `node stop` ends `npm run node` (its pid file is the CLI's), then reset deletes the home
    ok(t, await cli.run(["node", "stop"]), "node stop");
    const exited = await done;
    t.regex(exited.stdout, /RPC: +http:\/\/127\.0\.0\.1:\d+ \(listening on 127\.0\.0\.1;/);
    const after = await cli.run(["node", "reset"]);
    ok(t, after, "node reset");
    t.regex(after.stdout, /deleted .*localnet: the next local command starts a new chain/);
    t.false(existsSync(st.home));
    t.regex((await cli.run(["node", "reset"])).stdout, /nothing to reset: .*localnet does not exist/);
  },
);

test.serial("a reset refuses the CLI's own background node too", async (t) => {
  const { cli } = t.context;
  ok(t, await cli.run(["node", "start"]), "node start");
  const reset = await cli.run(["node", "reset"]);
  t.not(reset.code, 0);
  t.regex(reset.stderr, /stop it first with `ai-commons node stop`/);
  // and `npm run node --reset` refuses as well, before deleting anything
  const byHand = await runNode(cli, ["--reset"]);
  t.is(byHand.code, 1);
  t.true(existsSync(join(cli.home, ".ai-commons", "localnet", "genesis.json")));
  ok(t, await cli.run(["node", "stop"]), "node stop");
});
