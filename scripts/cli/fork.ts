// Forking (docs/fork.md): the parent DAO's fork record, joining and executing it, the fork community's creation (the
// factory's create_fork and read_fork, then resume_community if needed, like `community create`), the registries' paged
// import, and ragequit. `propose fork --name N` is built in dao.ts; commands/fork.ts prints the results.
import type { Account } from "near-api-js";
import type { CommunityView } from "./community.ts";
import { finishCommunity, getCommunity, requiredDeposit } from "./community.ts";
import type { Chain } from "./context.ts";
import { formatNear, parseNear, TGAS, view } from "./context.ts";
import { CliError, contractErrorOf } from "./errors.ts";
import type { Progress } from "./output.ts";
import { callTx, DATASET_REGISTRY, MODEL_REGISTRY, suiteOf, tgasText } from "./suite.ts";
import {
  EXECUTE_FORK_GAS,
  type ForkImportView,
  type ForkView,
  forkCreation,
  IMPORT_PAGE_DEPOSIT,
  IMPORT_PAGE_GAS,
  JOIN_FORK_GAS,
  RAGEQUIT_GAS,
  READ_FORK_GAS,
} from "./fork-calls.ts";
import { date } from "./units.ts";

export type { ForkImportView, ForkView };

export { IMPORT_PAGE_DEPOSIT };

/** A block time for people: "2026-12-05 01:23:45 UTC" (units.ts). */
export const isoNs = (ns: string) => date(ns);

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

/** Reserves the fork community (create_fork), has the parent's fork read (read_fork), then deploys each step. */
export async function createFork(
  chain: Chain,
  signer: Account,
  factory: string,
  o: { name: string; parent: string; forkId: number; deposit?: string },
  out: Progress,
): Promise<CommunityView> {
  let c = await getCommunity(chain, factory, o.name);
  const required = await requiredDeposit(chain, factory);
  const n = required.contracts.length + 1;
  if (c === null) {
    const creation = forkCreation(required);
    const deposit = o.deposit ? parseNear(o.deposit, "--deposit") : creation.deposit;
    out.progress(
      `[1/${n}] reserving ${o.name} as a fork of ${o.parent} (fork ${o.forkId}, deposit ${formatNear(deposit)}) ...`,
    );
    await callTx(
      signer,
      factory,
      "create_fork",
      { name: o.name, parent: o.parent, fork_id: o.forkId },
      creation.gas,
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
  c = await finishCommunity(chain, signer, factory, o.name, c, out, members * TGAS);
  return c;
}

interface ImportPageResult {
  page: number;
  status: "Imported" | "AlreadyImported" | "Failed";
  records?: number;
  complete?: boolean;
  storage_cost?: string;
  refund?: string;
}

// The panic of the first failed receipt of a transaction ("ERR_X: detail"), if any.
function failedReceipt(outcome: { receipts_outcome: { outcome: { status: unknown } }[] }): string | null {
  for (const r of outcome.receipts_outcome) {
    const f = (r.outcome.status as { Failure?: unknown }).Failure;
    if (f) {
      const m = /Smart contract panicked: ([^"]*)/.exec(JSON.stringify(f));
      return m ? m[1] : JSON.stringify(f);
    }
  }
  return null;
}

/** Pages import_page on the fork's dataset registry, then its model registry, until both are complete. Each page
 * attaches IMPORT_PAGE_DEPOSIT for its storage; the registry keeps the cost and refunds the rest at once. */
export async function importFork(
  chain: Chain,
  signer: Account,
  dao: string,
  out: Progress,
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
        const tx = await callTx<ImportPageResult>(
          signer,
          registry,
          "import_page",
          { page },
          IMPORT_PAGE_GAS,
          IMPORT_PAGE_DEPOSIT,
        );
        // a refused page (e.g. ERR_DEPOSIT_TOO_LOW in on_import_page) ends in on_import_done's refund: not a throw
        if (tx.value?.status === "Failed") {
          const why = failedReceipt(tx.outcome) ?? "the parent registry's read failed";
          throw new CliError("IMPORT_PAGE_FAILED", `${code}: page ${page} not imported, deposit refunded: ${why}`);
        }
        pages += 1;
        st = (await view<ForkImportView>(chain, registry, "get_fork_import")) as ForkImportView;
        const paid = tx.value?.storage_cost ? `, storage ${formatNear(BigInt(tx.value.storage_cost))}` : "";
        out.progress(
          `${code}: page ${page} imported ${st.imported - before} record(s), ${st.imported} in total` +
            `${st.complete ? ", complete" : ""} (${tgasText(tx.gas_burnt)}${paid})`,
        );
        continue;
      }
      st = (await view<ForkImportView>(chain, registry, "get_fork_import")) as ForkImportView;
    }
    result.push({ registry, code, pages, import: st });
  }
  return result;
}

/** join_fork during the window: the signer's weight and the fork afterwards. */
export async function joinFork(chain: Chain, signer: Account, dao: string, id: number) {
  const tx = await callTx(signer, dao, "join_fork", { id }, JOIN_FORK_GAS);
  const f = (await getFork(chain, dao, id)) as ForkView;
  const me = f.members.find((m) => m.account_id === signer.accountId);
  return {
    id,
    account_id: signer.accountId,
    weight: me?.weight ?? null,
    fork: f,
    tx_hash: tx.tx_hash,
    gas_burnt: tx.gas_burnt,
  };
}

/**
 * execute_fork: decides, pays, removes the joined (repeat until Executed). `name`: the fork community to pay when it
 * is not the proposal's name (that one was squatted): the DAO pays it only if the factory confirms it is this fork's.
 */
export async function executeFork(chain: Chain, signer: Account, dao: string, id: number, name?: string) {
  let tx: Awaited<ReturnType<typeof callTx>>;
  try {
    tx = await callTx(signer, dao, "execute_fork", name ? { id, name } : { id }, EXECUTE_FORK_GAS);
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
  return { id, status: f.status, fork: f, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt };
}

/** leave({ragequit: true}): the signer leaves with its share of the treasury. */
export async function ragequit(signer: Account, dao: string) {
  const tx = await callTx<string>(signer, dao, "leave", { ragequit: true }, RAGEQUIT_GAS);
  const amount = String(tx.value ?? "0");
  return { dao, account_id: signer.accountId, amount, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt };
}

/** The DAO of the fork community `name` (a community name on the factory, or a DAO account id), once it is Ready. */
export async function forkDao(chain: Chain, factory: string, name: string): Promise<string> {
  if (name.includes(".")) return name;
  const c = await getCommunity(chain, factory, name);
  if (!c) throw new CliError("UNKNOWN_COMMUNITY", `unknown community: no community named ${name} on ${factory}`);
  if (c.status !== "Ready") {
    throw new CliError(
      "COMMUNITY_NOT_READY",
      `community ${name} is ${c.status}: finish it with \`fork create ${name}\``,
    );
  }
  return c.dao_id;
}
