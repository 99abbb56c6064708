// Forking (docs/fork.md): `fork show|join|execute` on the parent DAO, `fork create` (the factory's create_fork,
// read_fork and deploy_next steps, resumable like `community create`), `fork import` (the registries' paged import)
// and `ragequit`. `propose fork --name N` is built in dao.ts. main.ts dispatches "fork <sub>" and "ragequit" here.
import type { Account } from "near-api-js";
import type { CommunityView } from "./community.ts";
import { deploySteps, getCommunity, RECORD_DEPOSIT, requiredDeposit } from "./community.ts";
import type { Chain } from "./context.ts";
import { formatNear, NEAR, parseNear, TGAS, view } from "./context.ts";
import { CliError, contractErrorOf } from "./errors.ts";
import type { Output } from "./output.ts";
import { table } from "./output.ts";
import type { SessionLike } from "./suite-cli.ts";
import { callTx, DATASET_REGISTRY, MODEL_REGISTRY, suiteOf, tgasText } from "./suite.ts";

export const FORK_OPTIONS = {
  name: { type: "string" },
  receiver: { type: "string" },
  id: { type: "string" },
  parent: { type: "string" },
  "fork-id": { type: "string" },
} as const;

export const FORK_USAGE = `  propose fork --name <new> [--receiver <id>] -c <community>   a Fork proposal (voted like any other)
  fork show [--id N] -c <community>       the open fork (or fork N): status, window, joined weight, members
  fork join --id N -c <community>         join fork N during its window (your weight is fixed at the opening)
  fork execute --id N [--name <new>] -c <community>   after the window: decide, pay, remove the joined (repeat)
  fork create <new> --parent <community> --fork-id N [--deposit N]   the fork community on the factory (resumable)
  fork import <new>                       import the parent's datasets, manifests and models, page by page
  ragequit -c <community>                 leave with your share of the treasury (if the policy allows it)`;

// create_fork reserves and reads the parent's fork and policy (49-71 Tgas measured); read_fork the same read.
const CREATE_FORK_GAS = 150n * TGAS;
const READ_FORK_GAS = 150n * TGAS;
// The fork's record (members and policy) on the factory: 11 KB on top of create_community's deposit.
const FORK_RECORD_DEPOSIT = (11n * NEAR) / 100n;
const EXECUTE_FORK_GAS = 100n * TGAS;
const IMPORT_PAGE_GAS = 150n * TGAS;

export interface ForkView {
  id: number;
  name: string;
  receiver_id: string;
  status: string;
  ends_at: string;
  settle_by?: string | null;
  snapshot?: number;
  weight_kind?: string;
  total_weight: number;
  joined_weight: number;
  threshold_bps: number;
  decided_block: string | null;
  available: string | null;
  amount: string | null;
  last_error?: string | null;
  members: { account_id: string; weight: number; roles: string[] }[];
}

export interface ForkImportView {
  parent_registry_id: string;
  community: string;
  block_height: string | null;
  provenance: string;
  next_page: number;
  imported: number;
  complete: boolean;
  in_flight: boolean;
}

function int(value: string | boolean | string[] | undefined, what: string): number {
  if (typeof value !== "string" || !/^\d+$/.test(value)) throw new CliError("BAD_ARGS", `${what} must be a number`);
  return Number(value);
}

const isoNs = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();

/** Every member of fork `id` (pages of 100) with the record. */
export async function getFork(chain: Chain, dao: string, id?: number): Promise<ForkView | null> {
  const first = await view<ForkView | null>(chain, dao, "get_fork", {
    ...(id === undefined ? {} : { id }),
    limit: 100,
  });
  if (!first) return null;
  for (let from = first.members.length; first.members.length % 100 === 0 && from > 0; from += 100) {
    const page = await view<ForkView>(chain, dao, "get_fork", { id: first.id, from_index: from, limit: 100 });
    if (page.members.length === 0) break;
    first.members.push(...page.members);
    if (page.members.length < 100) break;
  }
  return first;
}

function forkLines(dao: string, f: ForkView): string[] {
  const pct = (f.joined_weight * 100) / Math.max(f.total_weight, 1);
  const lines = [
    `fork ${f.id} of ${dao}: ${f.status}`,
    `  new community: ${f.name} (its DAO ${f.receiver_id} receives the share)`,
    `  window ends:   ${isoNs(f.ends_at)}`,
    `  joined:        ${f.joined_weight} of ${f.total_weight} (${pct.toFixed(1)}%, threshold ${f.threshold_bps / 100}%)`,
  ];
  if (f.decided_block) lines.push(`  decided at:    block ${f.decided_block}`);
  if (f.amount) lines.push(`  share:         ${f.amount} yocto (${formatNear(f.amount)}) of ${f.available} available`);
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

async function forkShow(s: SessionLike): Promise<void> {
  const chain = await s.chain();
  const dao = await s.dao();
  const id = s.v.id === undefined ? undefined : int(s.v.id, "--id");
  const f = await getFork(chain, dao, id);
  if (!f) {
    if (id !== undefined) throw new CliError("ERR_UNKNOWN_FORK", `contract error ERR_UNKNOWN_FORK: no fork ${id}`);
    s.out.result(null, `no fork is open or awaiting its outcome on ${dao}`);
    return;
  }
  s.out.result(f, [...forkLines(dao, f), `  next: ${nextStep(f, String(s.v.community))}`]);
}

async function forkJoin(s: SessionLike): Promise<void> {
  const id = int(s.v.id, "--id (the fork's id, = its proposal's)");
  const chain = await s.chain();
  const dao = await s.dao();
  const signer = await s.signer();
  const tx = await callTx(signer, dao, "join_fork", { id }, 30n * TGAS);
  const f = (await getFork(chain, dao, id)) as ForkView;
  const me = f.members.find((m) => m.account_id === signer.accountId);
  s.out.result(
    {
      id,
      account_id: signer.accountId,
      weight: me?.weight ?? null,
      fork: f,
      tx_hash: tx.tx_hash,
      gas_burnt: tx.gas_burnt,
    },
    `${signer.accountId} joined fork ${id} with weight ${me?.weight}: now ${f.joined_weight} of ${f.total_weight} ` +
      `joined (threshold ${f.threshold_bps / 100}%) (tx ${tx.tx_hash}, ${tgasText(tx.gas_burnt)})`,
  );
}

async function forkExecute(s: SessionLike): Promise<void> {
  const id = int(s.v.id, "--id (the fork's id, = its proposal's)");
  const chain = await s.chain();
  const dao = await s.dao();
  let tx: Awaited<ReturnType<typeof callTx>>;
  try {
    // --name: the fork community to pay when it is not the proposal's name (that one was squatted): the DAO pays it
    // only if the factory confirms it is this fork's (docs/fork.md)
    const name = typeof s.v.name === "string" ? s.v.name : undefined;
    tx = await callTx(await s.signer(), dao, "execute_fork", name ? { id, name } : { id }, EXECUTE_FORK_GAS);
  } catch (e) {
    const open = contractErrorOf(e)?.code === "ERR_FORK_WINDOW_OPEN" ? await getFork(chain, dao, id) : null;
    if (!open) throw e;
    throw new CliError(
      "ERR_FORK_WINDOW_OPEN",
      `contract error ERR_FORK_WINDOW_OPEN: fork ${id}'s window ends at ${isoNs(open.ends_at)}; ` +
        "run fork execute after it",
    );
  }
  const f = (await getFork(chain, dao, id)) as ForkView;
  s.out.result({ id, status: f.status, fork: f, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt }, [
    `fork ${id}: ${f.status === "Executed" ? "executed" : f.status} (tx ${tx.tx_hash}, ${tgasText(tx.gas_burnt)})`,
    ...(f.amount && f.status === "Executed"
      ? [`  paid ${f.amount} yocto (${formatNear(f.amount)}) to ${f.receiver_id}`]
      : []),
    `  next: ${nextStep(f, String(s.v.community))}`,
  ]);
}

/** Reserves the fork community (create_fork), has the parent's fork read (read_fork), then deploys each step. */
export async function createFork(
  chain: Chain,
  signer: Account,
  factory: string,
  o: { name: string; parent: string; forkId: number; deposit?: string },
  out: Output,
): Promise<CommunityView> {
  let c = await getCommunity(chain, factory, o.name);
  const required = await requiredDeposit(chain, factory);
  const n = required.contracts.length + 1;
  if (c === null) {
    const deposit = o.deposit
      ? parseNear(o.deposit, "--deposit")
      : BigInt(required.accounts_total) + RECORD_DEPOSIT + FORK_RECORD_DEPOSIT;
    out.progress(
      `[1/${n}] reserving ${o.name} as a fork of ${o.parent} (fork ${o.forkId}, deposit ${formatNear(deposit)}) ...`,
    );
    await callTx(
      signer,
      factory,
      "create_fork",
      { name: o.name, parent: o.parent, fork_id: o.forkId },
      CREATE_FORK_GAS,
      deposit,
    );
    c = (await getCommunity(chain, factory, o.name)) as CommunityView;
  } else {
    if (!c.forked_from) throw new CliError("ERR_NOT_A_FORK", `community ${o.name} on ${factory} is not a fork`);
    if (c.creator !== signer.accountId) {
      throw new CliError("NAME_TAKEN", `community ${o.name} on ${factory} was created by ${c.creator}, not you`);
    }
    if (c.status === "Abandoned") throw new CliError("ABANDONED", `community ${o.name} was abandoned by its creator`);
    out.progress(`[1/${n}] ${o.name} already reserved by you: resuming`);
    if (c.forked_from.status !== "Ready") {
      out.progress(`[1/${n}] reading fork ${c.forked_from.fork_id} of ${c.forked_from.community} again ...`);
      await callTx(signer, factory, "read_fork", { name: o.name }, READ_FORK_GAS);
      c = (await getCommunity(chain, factory, o.name)) as CommunityView;
    }
  }
  const ff = c.forked_from;
  if (!ff) throw new CliError("ERR_NOT_A_FORK", `community ${o.name} on ${factory} is not a fork`);
  if (ff.status !== "Ready") {
    const code = /ERR_[A-Z0-9_]+/.exec(ff.last_error ?? "")?.[0] ?? "ERR_PARENT_READ_FAILED";
    throw new CliError(
      code,
      `${o.name} is reserved but the parent's fork could not be read yet: ${ff.last_error}. ` +
        `When fork ${ff.fork_id} of ${ff.community} is decided (\`fork execute --id ${ff.fork_id} -c ${ff.community}\`), ` +
        `re-run \`fork create ${o.name} --parent ${ff.community} --fork-id ${ff.fork_id}\``,
      ff.last_error ?? undefined,
    );
  }
  out.progress(`[1/${n}] ${o.name}: ${c.provenance}, ${ff.members} member(s) carried over`);
  const members = BigInt(ff.members);
  c = await deploySteps(chain, signer, factory, o.name, c, out, (code) =>
    code === "community-dao" ? members * TGAS : 0n,
  );
  return c;
}

async function forkCreate(s: SessionLike & { requireFactory(): string }, args: string[]): Promise<void> {
  const usage = "fork create <new> --parent <community> --fork-id N [--deposit NEAR]";
  const name = args[0];
  if (!name) throw new CliError("BAD_ARGS", usage);
  const parent = typeof s.v.parent === "string" ? s.v.parent : undefined;
  const chain = await s.chain();
  const factory = s.requireFactory();
  const existing = await getCommunity(chain, factory, name);
  if (!existing && !parent) throw new CliError("BAD_ARGS", `--parent is required: ${usage}`);
  const forkId = existing?.forked_from ? existing.forked_from.fork_id : int(s.v["fork-id"], "--fork-id");
  const c = await createFork(
    chain,
    await s.signer(),
    factory,
    {
      name,
      parent: parent ?? existing?.forked_from?.community ?? "",
      forkId,
      deposit: typeof s.v.deposit === "string" ? s.v.deposit : undefined,
    },
    s.out,
  );
  const ff = c.forked_from as NonNullable<CommunityView["forked_from"]>;
  s.out.result(c, [
    `fork community ${c.name}: ${c.status}, ${c.provenance}`,
    `  DAO:      ${c.dao_id} (${ff.members} member(s))`,
    ...table(c.contracts.map((x) => [`  ${x.code}`, x.account_id, x.status, x.version ?? "-"])),
    `  next: \`fork execute --id ${ff.fork_id} -c ${ff.community}\` pays the share, \`fork import ${c.name}\` ` +
      "copies the records",
  ]);
}

/** Pages import_page on the fork's dataset registry, then its model registry, until both are complete. */
export async function importFork(
  chain: Chain,
  signer: Account,
  dao: string,
  out: Output,
): Promise<{ registry: string; code: string; pages: number; import: ForkImportView }[]> {
  const suite = await suiteOf(chain, dao);
  const result = [];
  for (const code of [DATASET_REGISTRY, MODEL_REGISTRY]) {
    const registry = suite[code];
    if (!registry) continue;
    let st = await view<ForkImportView | null>(chain, registry, "get_fork_import");
    if (!st) throw new CliError("ERR_NOT_A_FORK", `${registry} is not a fork's registry: nothing to import`);
    let pages = 0;
    while (!st.complete) {
      if (st.in_flight) {
        out.progress(`${code}: page ${st.next_page} is in flight, waiting ...`);
        await new Promise((r) => setTimeout(r, 1500));
      } else {
        const page = st.next_page;
        const before = st.imported;
        const tx = await callTx(signer, registry, "import_page", { page }, IMPORT_PAGE_GAS);
        pages += 1;
        st = (await view<ForkImportView>(chain, registry, "get_fork_import")) as ForkImportView;
        out.progress(
          `${code}: page ${page} imported ${st.imported - before} record(s), ${st.imported} in total` +
            `${st.complete ? ", complete" : ""} (${tgasText(tx.gas_burnt)})`,
        );
        continue;
      }
      st = (await view<ForkImportView>(chain, registry, "get_fork_import")) as ForkImportView;
    }
    result.push({ registry, code, pages, import: st });
  }
  return result;
}

async function forkImport(s: SessionLike & { requireFactory(): string }, args: string[]): Promise<void> {
  const name = args[0] ?? (typeof s.v.community === "string" ? s.v.community : undefined);
  if (!name) throw new CliError("BAD_ARGS", "fork import <new community>");
  const chain = await s.chain();
  const factory = s.requireFactory();
  const c = name.includes(".") ? null : await getCommunity(chain, factory, name);
  if (!name.includes(".") && !c) {
    throw new CliError("UNKNOWN_COMMUNITY", `unknown community: no community named ${name} on ${factory}`);
  }
  if (c && c.status !== "Ready") {
    throw new CliError(
      "COMMUNITY_NOT_READY",
      `community ${name} is ${c.status}: finish it with \`fork create ${name}\``,
    );
  }
  const dao = c ? c.dao_id : name;
  const r = await importFork(chain, await s.signer(), dao, s.out);
  s.out.result(
    r,
    r.map((x) => `${x.code} ${x.registry}: ${x.import.imported} record(s) imported, ${x.import.provenance}`),
  );
}

async function ragequit(s: SessionLike): Promise<void> {
  const dao = await s.dao();
  const signer = await s.signer();
  const tx = await callTx<string>(signer, dao, "leave", { ragequit: true }, 50n * TGAS);
  const amount = String(tx.value ?? "0");
  s.out.result(
    { dao, account_id: signer.accountId, amount, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt },
    `${signer.accountId} left ${dao} with ${amount} yocto (${formatNear(amount)}) (tx ${tx.tx_hash})`,
  );
}

type ForkSession = SessionLike & { requireFactory(): string };

export const FORK_COMMANDS: Record<string, (s: ForkSession, args: string[]) => Promise<void>> = {
  "fork show": (s) => forkShow(s),
  "fork join": (s) => forkJoin(s),
  "fork execute": (s) => forkExecute(s),
  "fork create": (s, a) => forkCreate(s, a),
  "fork import": (s, a) => forkImport(s, a),
  ragequit: (s) => ragequit(s),
};
