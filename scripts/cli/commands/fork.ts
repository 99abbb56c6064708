// Forks (docs/fork.md): `fork show|join|execute` on the parent DAO, `fork create` (the fork community on the
// factory, resumable), `fork import` (the registries' records, page by page) and `ragequit`. `propose fork` is a
// proposal kind (proposals.ts).
import type { CliCommand } from "../command.ts";
import { int, str } from "../command.ts";
import type { CommunityView } from "../community.ts";
import { getCommunity } from "../community.ts";
import { formatNear } from "../context.ts";
import { CliError } from "../errors.ts";
import type { ForkView } from "../fork.ts";
import { createFork, executeFork, forkDao, getFork, importFork, isoNs, joinFork, ragequit } from "../fork.ts";
import { table } from "../output.ts";
import { chainTimeNs } from "../suite.ts";
import * as units from "../units.ts";
import { txLine } from "./datasets.ts";

function forkLines(dao: string, f: ForkView, now: bigint): string[] {
  const lines = [
    `fork ${f.id} of ${dao}: ${f.status}`,
    `  new community: ${f.name} (its DAO ${f.receiver_id} receives the share)`,
    `  window ends:   ${units.when(f.ends_at, now)}`,
    `  joined:        ${f.joined_weight} of ${f.total_weight} (${units.share(f.joined_weight, f.total_weight)}, threshold ${units.bps(f.threshold_bps)})`,
  ];
  if (f.decided_block) lines.push(`  decided at:    block ${f.decided_block}`);
  if (f.amount) {
    lines.push(`  share:         ${formatNear(f.amount)} of ${f.available ? formatNear(f.available) : "?"} available`);
  }
  if (f.last_error) lines.push(`  last error:    ${f.last_error}`);
  lines.push(...table(f.members.map((m) => [`  ${m.account_id}`, `weight ${m.weight}`, m.roles.join(",")])));
  return lines;
}

/** What to do next, by status. */
function nextStep(f: ForkView, community: string): string {
  switch (f.status) {
    case "Open":
      return `members join with \`fork join --id ${f.id}\` until ${isoNs(f.ends_at)}; then \`fork execute --id ${f.id}\``;
    case "Exiting":
      return `run \`fork execute --id ${f.id}\` again: more joined members to remove`;
    case "Payable":
      return f.last_error
        ? `${f.receiver_id} was not paid (${f.last_error}): create the fork community with \`fork ` +
            `create ${f.name} --parent ${community} --fork-id ${f.id}\`, then run \`fork execute --id ${f.id}\` again` +
            (f.settle_by ? ` before ${isoNs(f.settle_by)} (then the fork is cancelled)` : "")
        : `run \`fork execute --id ${f.id}\` again to pay ${f.receiver_id}`;
    case "Checking":
    case "Paying":
      return "the payment is in flight: look again in a moment";
    case "Cancelled":
      return `not paid by its deadline (${f.last_error ?? "no fork community"}): nothing moved, nobody left`;
    case "Executed":
      return `${f.receiver_id} received ${formatNear(f.amount ?? "0")}; import the records with \`fork import ${f.name}\``;
    case "Failed":
      return "below the threshold: nothing moved, the freeze is over";
    default:
      return "";
  }
}

const ID = "--id <n>";
const ID_HELP = "the fork's id (= its proposal's)";

export function register(program: CliCommand): void {
  const fork = program.group("fork", "forks: show, join, execute on the parent; create and import the new community");

  fork
    .leaf("show", "the open fork (or fork N): status, window, joined weight, members, share, what to do next")
    .community()
    .option(ID, ID_HELP)
    .run(async ({ s, out, flags }) => {
      const id = flags.id === undefined ? undefined : int(flags.id, "--id");
      const chain = await s.chain();
      const dao = await s.dao();
      const f = await getFork(chain, dao, id);
      if (!f) {
        if (id !== undefined) throw new CliError("ERR_UNKNOWN_FORK", `contract error ERR_UNKNOWN_FORK: no fork ${id}`);
        out.result(null, `no fork is open or awaiting its outcome on ${dao}`);
        return;
      }
      out.result(f, [
        ...forkLines(dao, f, await chainTimeNs(chain)),
        `  next: ${nextStep(f, String(flags.community))}`,
      ]);
    });

  fork
    .leaf("join", "join fork N during its window (your weight is fixed at the opening)")
    .community()
    .requiredOption(ID, ID_HELP)
    .run(async ({ s, out, flags }) => {
      const id = int(flags.id, "--id (the fork's id, = its proposal's)");
      const chain = await s.chain();
      const r = await joinFork(chain, await s.signer(), await s.dao(), id);
      const f = r.fork;
      out.result(
        r,
        `${r.account_id} joined fork ${id} with weight ${r.weight ?? undefined}: now ${f.joined_weight} of ${f.total_weight} ` +
          `joined (threshold ${units.bps(f.threshold_bps)}) ${txLine(r)}`,
      );
    });

  fork
    .leaf("execute", "after the window: decide, pay the new community, remove the joined (repeat until executed)")
    .community()
    .requiredOption(ID, ID_HELP)
    .option("--name <new>", "pay the fork community created under this name (the proposal's name was squatted)")
    .run(async ({ s, out, flags }) => {
      const id = int(flags.id, "--id (the fork's id, = its proposal's)");
      const chain = await s.chain();
      const dao = await s.dao();
      const r = await executeFork(chain, await s.signer(), dao, id, str(flags, "name"));
      const f = r.fork;
      out.result(r, [
        `fork ${id}: ${f.status === "Executed" ? "executed" : f.status} ${txLine(r)}`,
        ...(f.amount && f.status === "Executed" ? [`  paid ${formatNear(f.amount)} to ${f.receiver_id}`] : []),
        `  next: ${nextStep(f, String(flags.community))}`,
      ]);
    });

  const createUsage = "fork create <new> --parent <community> --fork-id N [--deposit NEAR]";
  fork
    .leaf("create <new>", "the fork community on the factory, from the parent's decided fork (resumable)")
    .option("--parent <community>", "the parent community (not needed to resume)")
    .option("--fork-id <n>", "the fork's id in the parent")
    .option("--deposit <NEAR>", "the deposit (default: get_required_deposit + 0.21 NEAR; the excess is refunded)")
    .run(async ({ s, out, args, flags }) => {
      const name = args[0] as string;
      const parent = str(flags, "parent");
      const chain = await s.chain();
      const factory = s.requireFactory();
      const existing = await getCommunity(chain, factory, name);
      if (!existing && !parent) throw new CliError("BAD_ARGS", `--parent is required: ${createUsage}`);
      const forkId = existing?.forked_from ? existing.forked_from.fork_id : int(flags["fork-id"], "--fork-id");
      const c = await createFork(
        chain,
        await s.signer(),
        factory,
        { name, parent: parent ?? existing?.forked_from?.community ?? "", forkId, deposit: str(flags, "deposit") },
        out,
      );
      const ff = c.forked_from as NonNullable<CommunityView["forked_from"]>;
      out.result(c, [
        `fork community ${c.name}: ${c.status}, ${c.provenance}`,
        `  DAO:      ${c.dao_id} (${ff.members} member(s))`,
        ...table(c.contracts.map((x) => [`  ${x.code}`, x.account_id, x.status, x.version ?? "-"])),
        `  next: \`fork execute --id ${ff.fork_id} -c ${ff.community}\` pays the share, \`fork import ${c.name}\` ` +
          "copies the records",
      ]);
    });

  fork
    .leaf("import [new]", "import the parent's datasets, manifests and models into the fork, page by page")
    .community()
    .run(async ({ s, out, args, flags }) => {
      const name = args[0] ?? str(flags, "community");
      if (!name) throw new CliError("BAD_ARGS", "fork import <new community>");
      const chain = await s.chain();
      const dao = await forkDao(chain, s.requireFactory(), name);
      const r = await importFork(chain, await s.signer(), dao, out);
      out.result(
        r,
        r.map((x) => `${x.code} ${x.registry}: ${x.import.imported} record(s) imported, ${x.import.provenance}`),
      );
    });

  program
    .leaf("ragequit", "leave with your share of the treasury (if the policy allows it)")
    .community()
    .run(async ({ s, out }) => {
      const dao = await s.dao();
      const r = await ragequit(await s.signer(), dao);
      out.result(r, `${r.account_id} left ${dao} with ${formatNear(r.amount)} ${txLine(r)}`);
    });
}
