// Runs the real CLI (scripts/cli/bin.mjs) as a child process with a temporary HOME, so ~/.ai-commons (the local
// node's home) and ~/.near-credentials are isolated, on a free port; reads chain state over JSON-RPC with
// near-api-js, independently of the CLI's code.
import { rmSync } from "node:fs";
import anyTest, { type TestFn } from "ava";
import { CliEnv } from "./cli-env.ts";

// CliEnv and the helpers around it live in cli-env.ts (no ava import, so a bench can use them too)
export * from "./cli-env.ts";

/** One CliEnv (temp HOME, one local node) per test file: `const test = useCliEnv();` then t.context.cli. */
export function useCliEnv(): TestFn<{ cli: CliEnv }> {
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
  return test;
}
