// `ai-commons <command>`: the command table. Each group of commands declares its own arguments, options and usage in
// commands/<group>.ts; the operations they call (community.ts, dao.ts, suite.ts, fork.ts, factory-deploy.ts,
// localnode.ts) return values and only the commands print. See docs/cli.md.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CommanderError } from "commander";
import { CliCommand, COMMUNITY_OPTION, GLOBAL_HELP, GLOBAL_OPTIONS, leaves } from "./command.ts";
import * as account from "./commands/account.ts";
import * as attesters from "./commands/attesters.ts";
import * as community from "./commands/community.ts";
import * as datasets from "./commands/datasets.ts";
import * as factory from "./commands/factory.ts";
import * as fork from "./commands/fork.ts";
import * as members from "./commands/members.ts";
import * as models from "./commands/models.ts";
import * as node from "./commands/node.ts";
import * as proposals from "./commands/proposals.ts";
import * as rewards from "./commands/rewards.ts";
import { parseNetwork, projectRoot, rpcUrl } from "./context.ts";
import { Printed, toCliError } from "./errors.ts";

/** Every group, in the order of the global usage. */
const COMMANDS: { register(program: CliCommand): void }[] = [
  node,
  account,
  factory,
  community,
  members,
  proposals,
  datasets,
  models,
  attesters,
  rewards,
  fork,
];

function version(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** One line per command (a group with a summary: one line), generated from the table. */
function globalUsage(program: CliCommand): string {
  const rows: [string, string][] = [];
  const seen = new Set<CliCommand>();
  for (const leaf of leaves(program)) {
    const group = leaf.parent as unknown as CliCommand;
    if (group.oneLine) {
      if (!seen.has(group)) rows.push([group.oneLine, ""]);
      seen.add(group);
      continue;
    }
    const args = leaf.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`));
    const community = leaf.options.some((o) => o.long === "--community") ? ["-c <community>"] : [];
    const required = leaf.options.filter((o) => o.mandatory).map((o) => o.flags);
    const optional = leaf.options.some((o) => !o.hidden && !o.mandatory && o.long !== "--community");
    rows.push([
      [leaf.path(), ...args, ...required, ...community, ...(optional ? ["[options]"] : [])].join(" "),
      leaf.description().split("; ")[0],
    ]);
  }
  const width = 46;
  const lines = rows.flatMap(([u, d]) => {
    if (!d) return [`  ${u}`];
    return u.length <= width ? [`  ${u.padEnd(width)}  ${d}`] : [`  ${u}`, `  ${"".padEnd(width)}  ${d}`];
  });
  return [
    "usage: ai-commons <command> [options]        ai-commons <command> --help: the command's own usage",
    "",
    ...lines,
    "",
    GLOBAL_HELP,
    "  -V, --version         the CLI's version",
    "",
  ].join("\n");
}

export function program(): CliCommand {
  const p = new CliCommand("ai-commons");
  p.enablePositionalOptions()
    .exitOverride()
    .version(version(), "-V, --version", "the CLI's version")
    .helpOption("-h, --help", "this usage");
  for (const group of COMMANDS) group.register(p);
  p.helpInformation = () => globalUsage(p);
  return p;
}

// Global options placed before the command (`ai-commons --json members list`) are moved after it, as they always
// were accepted anywhere; each command then checks them with its own.
const LEADING = new Map(
  [...GLOBAL_OPTIONS.map(([flags]) => flags), COMMUNITY_OPTION].flatMap((flags) =>
    flags
      .split(/[ ,]+/)
      .filter((w) => w.startsWith("-"))
      .map((flag) => [flag, flags.includes("<")] as const),
  ),
);

function hoistGlobalOptions(argv: string[]): string[] {
  const moved: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const flag = argv[i].split("=")[0];
    const takesValue = LEADING.get(flag);
    if (takesValue === undefined) break;
    const n = takesValue && !argv[i].includes("=") ? 2 : 1;
    moved.push(...argv.slice(i, i + n));
    i += n;
  }
  return [...argv.slice(i), ...moved];
}

/** The network the command line names and its RPC URL, for a network error's message (none if it names none valid). */
function rpcOf(argv: string[]): { network: string; url: string } | undefined {
  const i = argv.findIndex((a) => a === "--network" || a.startsWith("--network="));
  const value = i < 0 ? undefined : argv[i].includes("=") ? argv[i].split("=")[1] : argv[i + 1];
  try {
    const network = parseNetwork(value);
    return { network, url: rpcUrl(network) };
  } catch {
    return undefined;
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    const p = program();
    const args = hoistGlobalOptions(argv);
    if (args.length === 0 || (args.length === 1 && args[0] === "help")) {
      process.stdout.write(p.helpInformation());
      return 0;
    }
    await p.parseAsync(args, { from: "user" });
    return 0;
  } catch (e) {
    // --help and --version end the parse with exit code 0 once printed
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof Printed) return e.exitCode;
    const err = toCliError(e, rpcOf(argv));
    if (argv.includes("--json")) {
      process.stdout.write(
        `${JSON.stringify({ error: { code: err.code, message: err.message, detail: err.detail } })}\n`,
      );
    } else {
      process.stderr.write(`error: ${err.message}\n`);
    }
    return 1;
  }
}
