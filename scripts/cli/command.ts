// The command layer's frame, on commander: every command declares its own arguments and options and gets its own
// usage (`<command> --help`); the global options (--network, --account, --factory, --json) are accepted by every
// command. What commander refuses (an unknown or misplaced option, a missing argument or value, an extra argument, an
// unknown command) becomes a BAD_ARGS error naming the command, its options and the nearest match. A command's action
// gets its arguments, its options by flag name ("weights-sha256") and a Session and Output built from the global ones.
import { type Argument, Command, type Option } from "commander";
import { CliError } from "./errors.ts";
import { Output } from "./output.ts";
import { Session } from "./session.ts";
import { checkFor, placeholderOf } from "./validate.ts";

export type Flags = Record<string, string | boolean | string[] | undefined>;

export interface Ctx {
  /** The command's arguments, in the order of its <args> (undefined when an optional one is absent). */
  args: (string | undefined)[];
  /** Its options by long name without the dashes; `--no-x` is `"no-x": true` when given. */
  flags: Flags;
  s: Session;
  out: Output;
}

export const GLOBAL_OPTIONS: [string, string][] = [
  ["--network <network>", "local|testnet|mainnet (default local: the project's local node, started on demand)"],
  ["--account <account>", "the signer (local default: test.near)"],
  ["--factory <account>", "the community factory (default: the one factory deploy recorded; local: commons.test.near)"],
  ["--json", "one JSON document on stdout (progress on stderr)"],
];
export const GLOBAL_FLAGS = GLOBAL_OPTIONS.map(([flags]) => flags.split(" ")[0]);
export const COMMUNITY_OPTION = "-c, --community <community>";

export const GLOBAL_HELP = ["Global options:", ...GLOBAL_OPTIONS.map(([f, d]) => `  ${f.padEnd(21)} ${d}`)].join("\n");

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidate nearest to `word` when it is a plausible typo of it (1 edit, 2 for 8 letters or more), or extends it. */
export function nearest(word: string, candidates: string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(word, c);
    if (!best || d < best.d) best = { c, d };
  }
  const bare = word.replace(/^-+/, "");
  if (best && best.d <= (bare.length >= 8 ? 2 : 1)) return best.c;
  return candidates.find((c) => bare.length >= 3 && c.replace(/^-+/, "").startsWith(bare));
}

export class CliCommand extends Command {
  /** What a subcommand of this group is called in errors ("proposal kind" for propose). */
  noun = "command";
  /** A one-line summary for the global usage instead of one line per subcommand. */
  oneLine?: string;

  override createCommand(name?: string): CliCommand {
    return new CliCommand(name);
  }

  // Every option and argument gets the check of its placeholder (validate.ts) when it is declared, so a bad value is
  // refused while the command line is read: before the node is started or anything is sent.
  override createOption(flags: string, description?: string): Option {
    const option = super.createOption(flags, description);
    const check = checkFor(placeholderOf(flags), option.long);
    if (check) option.argParser((value: string) => this.checked(option.long ?? flags, value, check));
    return option;
  }

  override createArgument(name: string, description?: string): Argument {
    const argument = super.createArgument(name, description);
    const check = checkFor(argument.name());
    if (check) argument.argParser((value: string) => this.checked(`<${argument.name()}>`, value, check));
    return argument;
  }

  private checked(what: string, value: string, check: (v: string) => string | null): string {
    const expected = check(value);
    if (expected)
      throw new CliError("BAD_ARGS", `${this.path() || "ai-commons"}: ${what} must be ${expected} (got ${value})`);
    return value;
  }

  /** A group of subcommands (`members list|add|remove`). */
  group(name: string, description: string): CliCommand {
    const g = this.command(name).description(description).helpCommand(false) as CliCommand;
    return g;
  }

  /** A command that runs something: the global options are added (listed after its own in its usage). */
  leaf(nameAndArgs: string, description: string): CliCommand {
    const c = this.command(nameAndArgs).description(description) as CliCommand;
    for (const [flags, help] of GLOBAL_OPTIONS) c.addOption(c.createOption(flags, help).hideHelp());
    c.addHelpText("after", `\n${GLOBAL_HELP}`);
    return c;
  }

  /** -c, --community. */
  community(): this {
    return this.option(COMMUNITY_OPTION, "the community: a name on the factory or its DAO account id");
  }

  /** The command's action. */
  run(handler: (ctx: Ctx) => Promise<void>): this {
    return this.action(async () => {
      const flags = flagsOf(this);
      const out = new Output(flags.json === true);
      const s = new Session(
        {
          network: str(flags, "network"),
          account: str(flags, "account"),
          factory: str(flags, "factory"),
          community: str(flags, "community"),
        },
        out,
      );
      await handler({ args: this.processedArgs as (string | undefined)[], flags, s, out });
    });
  }

  /** "members add": the command's words without the program's name. */
  path(): string {
    const words: string[] = [];
    for (let c: Command | null = this; c?.parent; c = c.parent) words.unshift(c.name());
    return words.join(" ");
  }

  /** `ai-commons members add <account> [options]`. */
  usageLine(): string {
    return `ai-commons ${[this.path(), this.usage()].filter(Boolean).join(" ")}`;
  }

  private seeHelp(): string {
    return `see \`${["ai-commons", this.path(), "--help"].filter(Boolean).join(" ")}\``;
  }

  private subcommandNames(): string[] {
    return this.commands.map((c) => c.name());
  }

  // ---------- commander's refusals, as BAD_ARGS that name the command ----------

  override error(message: string): never {
    throw new CliError("BAD_ARGS", `${this.path() || "ai-commons"}: ${message.replace(/^error: /, "")}`);
  }

  override help(context?: { error: boolean } | ((str: string) => string)): never {
    if (typeof context === "function") return super.help(context);
    if (!context?.error) return super.help(context);
    // a group without its subcommand (`ai-commons propose`)
    throw new CliError(
      "BAD_ARGS",
      `${this.path()} needs a ${this.noun}: one of ${this.subcommandNames().join(", ")}; ${this.seeHelp()}`,
    );
  }

  unknownOption(flag: string): never {
    const name = flag.split("=")[0];
    if (this.commands.length > 0) {
      const where = this.parent ? `${this.path()} <${this.noun}>` : "<command>";
      throw new CliError(
        "BAD_ARGS",
        this.parent
          ? `${this.path()} needs a ${this.noun}: one of ${this.subcommandNames().join(", ")} (options go after it, got ${name})`
          : `unknown option ${name}: options go after the command (ai-commons ${where} [options]); ${this.seeHelp()}`,
      );
    }
    const own = this.options.filter((o) => !o.hidden);
    const longs = this.options.map((o) => o.long).filter((l): l is string => l !== undefined);
    const near = nearest(name, longs);
    const takers = leaves(root(this))
      .filter((c) => c !== this && c.options.some((o) => !o.hidden && (o.long === name || o.short === name)))
      .map((c) => c.path());
    const lines = [
      `${this.path()} has no option ${name}${near ? ` (did you mean ${near}?)` : ""}`,
      `its options: ${own.length ? own.map((o) => o.flags).join(", ") : "none"}; global: ${GLOBAL_FLAGS.join(", ")}`,
    ];
    if (takers.length > 0) {
      const more = takers.length > 3 ? ` and ${takers.length - 3} more` : "";
      lines.push(`${name} is an option of ${takers.slice(0, 3).join(", ")}${more}`);
    }
    throw new CliError("BAD_ARGS", `${lines.join("; ")}; ${this.seeHelp()}`);
  }

  unknownCommand(): never {
    const name = String(this.args[0]);
    const names = this.subcommandNames();
    const near = nearest(name, names);
    const what = this.noun === "command" ? `unknown command: ${[this.path(), name].filter(Boolean).join(" ")}` : "";
    const head = what || `unknown ${this.noun} ${name}`;
    throw new CliError(
      "BAD_ARGS",
      `${head}${near ? ` (did you mean ${near}?)` : ""}; ${this.parent ? `one of: ${names.join(", ")}` : this.seeHelp()}`,
    );
  }

  missingArgument(name: string): never {
    throw new CliError("BAD_ARGS", `${this.path()} needs <${name}>: ${this.usageLine()}`);
  }

  optionMissingArgument(option: Option): never {
    throw new CliError("BAD_ARGS", `${this.path()}: ${option.flags} needs a value`);
  }

  missingMandatoryOptionValue(option: Option): never {
    throw new CliError("BAD_ARGS", `${this.path()} needs ${option.long}: ${this.usageLine()}; ${this.seeHelp()}`);
  }

  _excessArguments(received: string[]): void {
    const expected = this.registeredArguments.length;
    if (received.length <= expected) return;
    throw new CliError(
      "BAD_ARGS",
      `${this.path()} takes ${expected === 0 ? "no arguments" : `${expected} argument${expected === 1 ? "" : "s"}`}` +
        ` (got also ${received.slice(expected).join(" ")}): ${this.usageLine()}`,
    );
  }
}

function root(c: Command): Command {
  let r = c;
  while (r.parent) r = r.parent;
  return r;
}

/** Every command that runs something, depth first, in registration order. */
export function leaves(c: Command): CliCommand[] {
  if (c.commands.length === 0) return [c as unknown as CliCommand];
  return c.commands.flatMap((s) => leaves(s));
}

function flagsOf(c: Command): Flags {
  const flags: Flags = {};
  for (const o of c.options) {
    if (!o.long) continue;
    const value = c.getOptionValue(o.attributeName()) as Flags[string];
    // `--no-submit` is stored by commander as submit=false
    flags[o.long.slice(2)] = o.negate ? value === false : value;
  }
  return flags;
}

/** A string option, or undefined when absent or empty. */
export function str(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** A non-negative integer argument or option (`what` names it in the error). */
export function int(value: string | boolean | string[] | undefined, what: string): number {
  if (typeof value !== "string" || !/^\d+$/.test(value)) throw new CliError("BAD_ARGS", `${what} must be a number`);
  return Number(value);
}

/** For repeatable options (`--text a --text b`). */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
