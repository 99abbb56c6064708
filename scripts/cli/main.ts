// `ai-commons <command>`: parses the command line, sets up the network and signer, and dispatches. See docs/cli.md.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { KeyPair } from "near-api-js";
import {
  defaultsFor,
  DEFAULT_CODES,
  deployFactory,
  FACTORY_CODE,
  printReport,
  readManifest,
} from "../../deploy/factory.ts";
import { codeStatus, createCommunity, getCommunity, printCommunity, resolveDao } from "./community.ts";
import type { Chain, NetworkId } from "./context.ts";
import {
  accountExists,
  codeHashHex,
  connect,
  formatNear,
  LOCAL_ROOT,
  NEAR,
  parseNear,
  parseNetwork,
  projectRoot,
  readConfig,
  saveKey,
  signer as signerOf,
  view,
} from "./context.ts";
import * as daoCmd from "./dao.ts";
import { jsonArg } from "./suite.ts";
import { SUITE_COMMANDS, SUITE_GROUPS, SUITE_OPTIONS, SUITE_USAGE } from "./suite-cli.ts";
import { CliError, toCliError } from "./errors.ts";
import { FORK_COMMANDS, FORK_OPTIONS, FORK_USAGE } from "./fork.ts";
import { logFile, nodeStatus, startNode, stopNode, validatorKeyFile } from "./localnode.ts";
import { Output } from "./output.ts";

const USAGE = `usage: ai-commons <command> [options]

  node start|stop|status                 the local node (default network), home ~/.ai-commons/localnet
  account create <name> [--balance N]    a sub-account of the signer (local: of test.near); key in ~/.near-credentials
  factory deploy [--codes a,b=entry] [--dry-run] [--yes]   deploy or update the factory and store the suite codes
  factory status                         the factory's owner, code hash and stored codes
  community create <name> [--title T] [--purpose P] [--members a,b] [--policy FILE] [--deposit N] [--init-args JSON]
  community status <name> | community list
  members list -c <community>
  members add <account> -c <community> [--role R]      proposes AddMember
  members remove <account> -c <community> [--role R]   proposes RemoveMember
  propose <kind> -c <community> [--description D] ...   kinds: ${daoCmd.PROPOSAL_KINDS.join(", ")}
  propose upgrade --contract <code> -c <community> [--hash H]   the factory's current code for one of the community's
                                         contracts (stored in the DAO first, the signer paying its storage)
  vote approve|reject|abstain|remove <id> -c <community>
  execute <id> -c <community>
  delegate <account> -c <community> | undelegate -c <community>
  proposals list [--status S] -c <community> | proposals show <id> -c <community>
  treasury -c <community>
${SUITE_USAGE}
${FORK_USAGE}

global options:
  --network local|testnet|mainnet  (default local)     --account <id>  the signer (local default: test.near)
  --factory <id>  (default: the one factory deploy stored, local: commons.test.near)
  --json          machine-readable output on stdout`;

const OPTIONS = {
  network: { type: "string" },
  account: { type: "string" },
  factory: { type: "string" },
  community: { type: "string", short: "c" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  // factory deploy
  codes: { type: "string" },
  owner: { type: "string" },
  version: { type: "string" },
  "initial-balance": { type: "string" },
  "dry-run": { type: "boolean" },
  yes: { type: "boolean" },
  // account / community
  balance: { type: "string" },
  title: { type: "string" },
  purpose: { type: "string" },
  metadata: { type: "string" },
  members: { type: "string" },
  policy: { type: "string" },
  deposit: { type: "string" },
  // proposals
  description: { type: "string" },
  member: { type: "string" },
  role: { type: "string" },
  to: { type: "string" },
  amount: { type: "string" },
  memo: { type: "string" },
  method: { type: "string" },
  args: { type: "string" },
  gas: { type: "string" },
  message: { type: "string" },
  bond: { type: "string" },
  "period-hours": { type: "string" },
  "timelock-hours": { type: "string" },
  hash: { type: "string" },
  contract: { type: "string" },
  kind: { type: "string" },
  status: { type: "string" },
  ...SUITE_OPTIONS,
  ...FORK_OPTIONS,
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

export class Session {
  private chainCache: Chain | null = null;
  readonly network: NetworkId;

  constructor(
    readonly v: Values,
    readonly out: Output,
  ) {
    this.network = parseNetwork(v.network);
  }

  /** The connection; on local the node is started first when it is not running. */
  async chain(): Promise<Chain> {
    if (this.chainCache) return this.chainCache;
    if (this.network === "local") await startNode((m) => this.out.progress(m));
    this.chainCache = connect(this.network);
    return this.chainCache;
  }

  signerId(): string {
    const id = this.v.account ?? (this.network === "local" ? LOCAL_ROOT : undefined);
    if (!id) throw new CliError("BAD_ARGS", `--account <id> is required on ${this.network}`);
    return id;
  }

  async signer() {
    return signerOf(await this.chain(), this.signerId(), this.network === "local" ? validatorKeyFile() : undefined);
  }

  factory(): string | null {
    return (
      this.v.factory ??
      readConfig().factories?.[this.network] ??
      (this.network === "local" ? `commons.${LOCAL_ROOT}` : null)
    );
  }

  requireFactory(): string {
    const f = this.factory();
    if (!f)
      throw new CliError("NO_FACTORY", `no factory known on ${this.network}: run factory deploy or pass --factory`);
    return f;
  }

  async dao(): Promise<string> {
    return resolveDao(await this.chain(), this.factory(), this.v.community);
  }
}

function positiveInt(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new CliError("BAD_ARGS", `${what} must be a number`);
  return Number(value);
}

async function run(argv: string[]): Promise<void> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError("BAD_ARGS", `${(e as Error).message}\n\n${USAGE}`);
  }
  const { values: v, positionals: pos } = parsed;
  const out = new Output(v.json === true);
  const [cmd, sub, arg] = pos;
  if (!cmd || v.help || cmd === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const s = new Session(v, out);
  // Groups dispatch on "<group> <sub>"; other commands take their first positional as an argument (kind, choice...).
  const GROUPS = ["node", "account", "factory", "community", "members", "proposals", "fork", ...SUITE_GROUPS];
  const key = GROUPS.includes(cmd) ? `${cmd} ${sub ?? ""}`.trim() : cmd;
  switch (key) {
    case "node start": {
      if (s.network !== "local") throw new CliError("BAD_ARGS", "node commands manage the local node only");
      const st = await startNode((m) => out.progress(m));
      out.result(st, [
        `local node running at ${st.url} (height ${st.height})`,
        `  home: ${st.home}`,
        `  root key: ${st.root_key}`,
        `  log: ${logFile()}`,
      ]);
      return;
    }
    case "node stop": {
      const r = await stopNode();
      out.result(r, r.stopped ? `stopped the local node (pid ${r.pid})` : "the local node was not running");
      return;
    }
    case "node status": {
      const st = await nodeStatus();
      out.result(
        st,
        st.running
          ? `running at ${st.url}, chain ${st.chain_id}, height ${st.height}, pid ${st.pid ?? "?"}, home ${st.home}`
          : `not running (home ${st.home})`,
      );
      return;
    }
    case "account create": {
      if (!sub || !arg) throw new CliError("BAD_ARGS", "account create <name> [--balance NEAR]");
      const chain = await s.chain();
      const parent = await s.signer();
      const id = arg.includes(".") ? arg : `${arg}.${parent.accountId}`;
      if (await accountExists(chain, id)) throw new CliError("ACCOUNT_EXISTS", `${id} already exists on ${s.network}`);
      const balance = v.balance ? parseNear(v.balance, "--balance") : 10n * NEAR;
      const kp = KeyPair.fromRandom("ed25519");
      await parent.createAccount(id, kp.getPublicKey(), balance);
      const file = await saveKey(s.network, id, kp);
      out.result(
        { account_id: id, balance: balance.toString(), key_file: file },
        `created ${id} with ${formatNear(balance)}; key ${file}`,
      );
      return;
    }
    case "factory deploy": {
      const { signer, factory } = defaultsFor(s.network, v.account, v.factory ?? s.factory() ?? undefined);
      if (!v["dry-run"]) await s.chain();
      const pkg = JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as { version: string };
      const report = await deployFactory({
        network: s.network,
        signer,
        factory,
        owner: v.owner ?? signer,
        codes: v.codes ? v.codes.split(",").filter(Boolean) : DEFAULT_CODES,
        version: v.version ?? pkg.version,
        initialBalance: v["initial-balance"] ? parseNear(v["initial-balance"], "--initial-balance") : undefined,
        dryRun: v["dry-run"] === true,
        yes: v.yes === true,
        out,
      });
      printReport(out, report);
      return;
    }
    case "factory status": {
      const chain = await s.chain();
      const factory = s.requireFactory();
      const owner = await view<string>(chain, factory, "get_owner");
      const codes = await view<{ name: string; version: string; sha256: string; bytes: number }[]>(
        chain,
        factory,
        "get_codes",
        { from_index: 0, limit: 100 },
      );
      const hash = await codeHashHex(chain, factory);
      const built = readManifest(projectRoot()).find((c) => c.name === FACTORY_CODE)?.sha256;
      out.result({ factory, owner, code_sha256: hash, matches_build: hash === built, codes }, [
        `factory ${factory} (owner ${owner}), code sha256 ${hash} ${hash === built ? "(= build/)" : "(not build/)"}`,
        ...codes.map((c) => `  ${c.name} ${c.version}: ${c.bytes} bytes, sha256 ${c.sha256}`),
      ]);
      return;
    }
    case "community create": {
      if (!arg) throw new CliError("BAD_ARGS", "community create <name> [--title T] [--members a,b]");
      const chain = await s.chain();
      const c = await createCommunity(
        chain,
        await s.signer(),
        s.requireFactory(),
        {
          name: arg,
          title: v.title,
          purpose: v.purpose,
          members: v.members?.split(",").filter(Boolean),
          policyFile: v.policy,
          deposit: v.deposit,
          initArgs: v["init-args"] ? (jsonArg(v["init-args"], "--init-args") as Record<string, unknown>) : undefined,
        },
        out,
      );
      printCommunity(out, c);
      return;
    }
    case "community status": {
      if (!arg) throw new CliError("BAD_ARGS", "community status <name>");
      const chain = await s.chain();
      const factory = s.requireFactory();
      const c = await getCommunity(chain, factory, arg);
      if (!c) throw new CliError("UNKNOWN_COMMUNITY", `unknown community: no community named ${arg} on ${factory}`);
      const extra: Record<string, unknown> = {};
      if (c.status === "Ready") {
        extra.config = await view(chain, c.dao_id, "get_config");
        extra.info = await view(chain, c.dao_id, "get_info");
        extra.treasury = await view(chain, c.dao_id, "get_treasury");
        extra.code = await codeStatus(chain, factory, c);
      }
      printCommunity(out, c, extra);
      return;
    }
    case "community list": {
      const chain = await s.chain();
      const factory = s.requireFactory();
      const list = await view<{ name: string; status: string; dao_id: string }[]>(chain, factory, "get_communities", {
        from_index: 0,
        limit: 100,
      });
      out.result(list, [
        `${list.length} communit${list.length === 1 ? "y" : "ies"} on ${factory}`,
        ...list.map((c) => `  ${c.name}  ${c.status}  ${c.dao_id}`),
      ]);
      return;
    }
    case "members list":
      return daoCmd.membersList(await s.chain(), await s.dao(), out);
    case "members add":
    case "members remove": {
      if (!arg) throw new CliError("BAD_ARGS", `members ${sub} <account> -c <community> [--role R]`);
      const chain = await s.chain();
      const dao = await s.dao();
      await daoCmd.propose(chain, await s.signer(), dao, `${sub}-member`, { ...v, member: arg }, out);
      return;
    }
    case "propose": {
      const chain = await s.chain();
      const dao = await s.dao();
      await daoCmd.propose(chain, await s.signer(), dao, sub, v, out);
      return;
    }
    case "vote": {
      const chain = await s.chain();
      const dao = await s.dao();
      await daoCmd.vote(chain, await s.signer(), dao, sub, positiveInt(arg, "the proposal id"), out);
      return;
    }
    case "execute": {
      const chain = await s.chain();
      const dao = await s.dao();
      await daoCmd.execute(chain, await s.signer(), dao, positiveInt(sub, "the proposal id"), v.gas, out);
      return;
    }
    case "delegate": {
      const chain = await s.chain();
      const dao = await s.dao();
      if (!sub) throw new CliError("BAD_ARGS", "delegate <member> -c <community> (undelegate to withdraw)");
      await daoCmd.delegate(chain, await s.signer(), dao, sub, out);
      return;
    }
    case "undelegate": {
      const chain = await s.chain();
      const dao = await s.dao();
      await daoCmd.delegate(chain, await s.signer(), dao, null, out);
      return;
    }
    case "proposals list":
      return daoCmd.proposalsList(await s.chain(), await s.dao(), v.status, out);
    case "proposals show":
      return daoCmd.proposalShow(await s.chain(), await s.dao(), positiveInt(arg, "the proposal id"), out);
    case "treasury":
      return daoCmd.treasury(await s.chain(), await s.dao(), out);
    default: {
      const handler = SUITE_COMMANDS[key];
      if (handler) return handler(s, pos.slice(GROUPS.includes(cmd) ? 2 : 1));
      const forkHandler = FORK_COMMANDS[key];
      if (forkHandler) return forkHandler(s, pos.slice(GROUPS.includes(cmd) ? 2 : 1));
      throw new CliError("BAD_ARGS", `unknown command: ${pos.join(" ")}\n\n${USAGE}`);
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    await run(argv);
    return 0;
  } catch (e) {
    const err = toCliError(e, projectRoot());
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
