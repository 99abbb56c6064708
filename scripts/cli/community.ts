// Communities on a factory (docs/factory.md): creation in one transaction on the factory's global codes, status, list,
// and resolving `-c` to a DAO. The chain is the only record of progress: re-running a create whose account failed
// reads the community and retries what is not done; nothing is kept locally. commands/community.ts prints the results.
import { readFileSync } from "node:fs";
import type { Account } from "near-api-js";
import type { Chain } from "./context.ts";
import { allPages, codeHashHex, formatNear, NEAR, parseNear, resultOf, view } from "./context.ts";
import { cleanPolicy } from "../../contracts/community-dao/policy-shape.ts";
import type { Policy } from "../../contracts/community-dao/types.ts";
import { CliError, networkProblem, receiptFailure } from "./errors.ts";
import type { Progress } from "./output.ts";
import { txRef } from "./units.ts";
import { ABANDON_GAS, type CommunityView, FOUNDER_ROLE } from "./community-calls.ts";

export type { CommunityView };

// create_community and resume_community attach get_required_deposit's `gas` (every account's batch and callback),
// not 1 Pgas: the signer holds the attached gas at 10^9 yocto a gas until the refund (protocol 86).
// Added to a fork's quote (accounts_total + fork_extra) for the record's storage; the excess is refunded.
export const RECORD_DEPOSIT = NEAR / 10n;

/** The factory's quote; with `community` (name, dao_args, init_args) it is checked and `deposit` is its exact price. */
export function requiredDeposit(chain: Chain, factory: string, community?: Record<string, unknown>) {
  return view<{
    accounts_total: string;
    deposit: string | null;
    gas: string;
    fork_extra: string;
    contracts: { code: string; gas: string }[];
  }>(chain, factory, "get_required_deposit", community ?? {});
}

export async function getCommunity(chain: Chain, factory: string, name: string): Promise<CommunityView | null> {
  return view<CommunityView | null>(chain, factory, "get_community", { name });
}

/**
 * The record right after this CLI's own transaction wrote it: a public RPC may serve the read from a node a block
 * behind, so a missing record is read again for a few seconds before it is an error.
 */
async function communityAfterTx(chain: Chain, factory: string, name: string): Promise<CommunityView> {
  for (let i = 0; i < 10; i++) {
    const c = await getCommunity(chain, factory, name);
    if (c) return c;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new CliError(
    "UNKNOWN_COMMUNITY",
    `${factory} has no record of ${name} after its transaction: run the command again`,
  );
}

/** The DAO account of `--community`: a full account id (with a dot) or a community name on the factory. */
export async function resolveDao(chain: Chain, factory: string | null, community: string | undefined): Promise<string> {
  if (!community) throw new CliError("BAD_ARGS", "--community NAME (or a DAO account id) is required");
  if (community.includes(".")) {
    try {
      await view(chain, community, "get_info");
    } catch (e) {
      if (networkProblem(e)) throw e;
      throw new CliError(
        "UNKNOWN_COMMUNITY",
        `unknown community: ${community} is not a community DAO on ${chain.network}`,
      );
    }
    return community;
  }
  if (!factory) throw new CliError("NO_FACTORY", `no factory known on ${chain.network}: pass --factory`);
  let c: CommunityView | null;
  try {
    c = await getCommunity(chain, factory, community);
  } catch (e) {
    if (networkProblem(e)) throw e;
    throw new CliError(
      "NO_FACTORY",
      `${factory} is not a community factory on ${chain.network}: pass --factory, or deploy one (ai-commons factory deploy)`,
    );
  }
  if (!c) throw new CliError("UNKNOWN_COMMUNITY", `unknown community: no community named ${community} on ${factory}`);
  if (c.status !== "Ready") {
    throw new CliError(
      "COMMUNITY_NOT_READY",
      `community ${community} is ${c.status}: run \`ai-commons community create ${community}\` to finish it`,
    );
  }
  return c.dao_id;
}

export interface CreateOptions {
  name: string;
  title?: string;
  purpose?: string;
  members?: string[];
  policyFile?: string;
  deposit?: string;
  // init arguments per suite code, e.g. {"inference-verifier": {"settings": {...}}, "reward-pool": {"policy": {...}}}
  initArgs?: Record<string, unknown>;
}

export async function createCommunity(
  chain: Chain,
  signer: Account,
  factory: string,
  opts: CreateOptions,
  out: Progress,
): Promise<CommunityView> {
  const name = opts.name;
  let c = await getCommunity(chain, factory, name);
  if (c === null) {
    const founders = opts.members?.length ? opts.members : [signer.accountId];
    const daoArgs: Record<string, unknown> = {
      config: { name: opts.title ?? name, purpose: opts.purpose ?? "", metadata: "" },
      members: founders.map((account_id) => ({ account_id, roles: [FOUNDER_ROLE] })),
    };
    if (opts.policyFile) daoArgs.policy = readPolicy(opts.policyFile);
    const args = { name, dao_args: daoArgs, ...(opts.initArgs ? { init_args: opts.initArgs } : {}) };
    // the factory checks the arguments and quotes this community's price before anything is sent
    const required = await requiredDeposit(chain, factory, args);
    const deposit = opts.deposit ? parseNear(opts.deposit, "--deposit") : BigInt(required.deposit ?? "0");
    out.progress(
      `creating ${name} on ${factory}: ${required.contracts.length} contracts in one transaction ` +
        `(deposit ${formatNear(deposit)}, excess refunded) ...`,
    );
    const sent = await signer.callFunctionRaw({
      contractId: factory,
      methodName: "create_community",
      args,
      gas: BigInt(required.gas),
      deposit: deposit,
    });
    out.progress(`${name}: ${txRef(sent.transaction_outcome.id)}`);
    c = await communityAfterTx(chain, factory, name);
  } else {
    if (c.creator !== signer.accountId) {
      throw new CliError("NAME_TAKEN", `community ${name} on ${factory} was created by ${c.creator}, not you`);
    }
    if (c.status === "Abandoned") throw new CliError("ABANDONED", `community ${name} was abandoned by its creator`);
    const differences = await optionsDiffer(chain, c, opts);
    if (differences.length > 0) {
      const what = c.status === "Ready" ? "exists" : "is reserved by you";
      const next =
        c.status === "Ready"
          ? "create another community under another name"
          : `run \`ai-commons community create ${name}\` without them to finish it as reserved, or ` +
            `\`ai-commons community abandon ${name}\` to get the deposit back and create it again`;
      throw new CliError(
        "OPTIONS_DIFFER",
        `community ${name} on ${factory} ${what} with other options: ${differences.join("; ")}. To keep it, ${next}`,
        differences.join("; "),
      );
    }
    if (opts.deposit) out.progress(`${name}: --deposit is not used when resuming (the reservation's deposit is)`);
    if (c.status !== "Ready") out.progress(`${name} already reserved by you: resuming`);
  }
  return finishCommunity(chain, signer, factory, name, c, out);
}

function readPolicy(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Whether two JSON values are equal, numbers and strings by their text (the contracts keep amounts as strings). */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const ka = Object.keys(ao).filter((k) => ao[k] !== undefined);
    const kb = Object.keys(bo).filter((k) => bo[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameJson(ao[k], bo[k]));
  }
  if (typeof a === "number" || typeof b === "number") return String(a) === String(b);
  return a === b;
}

/** A policy file as the DAO would store it (its own rule: known fields only), or null when it is not a policy. */
function storedForm(policy: unknown): Policy | null {
  try {
    return cleanPolicy(policy as Policy);
  } catch {
    return null;
  }
}

// founders as a set: the DAO keeps one record per account
const listed = (ids: string[]) => (ids.length > 0 ? [...new Set(ids)].sort().join(", ") : "none");

/**
 * What a re-run `community create` asks for that the community it resumes was not created with: each option given
 * (title, purpose, members, policy, init arguments) against the DAO's own state once it exists, else against the
 * arguments the factory keeps for it. Options not given are not compared: a bare re-run resumes as reserved.
 */
export async function optionsDiffer(chain: Chain, c: CommunityView, opts: CreateOptions): Promise<string[]> {
  const asked = [opts.title, opts.purpose, opts.members, opts.policyFile, opts.initArgs].some((o) => o !== undefined);
  if (!asked) return [];
  let config: { name?: string; purpose?: string } | undefined;
  let members: string[] | undefined;
  let policy: unknown;
  const dao = c.contracts.find((s) => s.account_id === c.dao_id);
  const daoDone = dao?.status === "Done";
  if (daoDone) {
    config = await view(chain, c.dao_id, "get_config");
    members = (await allPages<{ account_id: string }>(chain, c.dao_id, "get_members")).map((m) => m.account_id);
    policy = await view(chain, c.dao_id, "get_policy");
  } else if (c.pending_dao_args) {
    const a = c.pending_dao_args as { config?: typeof config; members?: { account_id: string }[]; policy?: unknown };
    config = a.config;
    members = a.members?.map((m) => m.account_id);
    policy = a.policy;
  }
  const out: string[] = [];
  if (opts.title !== undefined && config && config.name !== opts.title) {
    out.push(`--title: it has ${JSON.stringify(config.name)}, given ${JSON.stringify(opts.title)}`);
  }
  if (opts.purpose !== undefined && config && config.purpose !== opts.purpose) {
    out.push(`--purpose: it has ${JSON.stringify(config.purpose)}, given ${JSON.stringify(opts.purpose)}`);
  }
  if (opts.members !== undefined && members && listed(members) !== listed(opts.members)) {
    out.push(`--members: it has ${listed(members)}, given ${listed(opts.members)}`);
  }
  if (opts.policyFile !== undefined && (config !== undefined || policy !== undefined)) {
    // compared as the DAO stores a policy (its known fields only); reserved arguments that are not a policy at all
    // (the DAO refused them) are compared as given
    const raw = readPolicy(opts.policyFile);
    const given = storedForm(raw);
    const had = policy === undefined ? "the default policy" : "another policy";
    const reserved = daoDone ? policy : policy === undefined ? undefined : storedForm(policy);
    const same =
      policy !== undefined &&
      (given !== null && reserved !== null ? sameJson(given, reserved) : !daoDone && sameJson(raw, policy));
    // no policy in the reserved arguments: the DAO was asked for its default one
    if (!same) {
      out.push(`--policy: ${opts.policyFile} is not the policy it has (${had}; see community status ${c.name})`);
    }
  }
  if (opts.initArgs !== undefined) {
    const had = c.creator_args ?? {};
    for (const code of new Set([...Object.keys(opts.initArgs), ...Object.keys(had)])) {
      if (!sameJson(opts.initArgs[code] ?? {}, had[code] ?? {})) {
        out.push(`--init-args: ${code}'s differ (it has ${JSON.stringify(had[code] ?? {})})`);
      }
    }
  }
  if (config === undefined && [opts.title, opts.purpose, opts.members, opts.policyFile].some((o) => o !== undefined)) {
    out.push(
      "the factory keeps no arguments for this community's DAO to compare with (a record from an older release)",
    );
  }
  return out;
}

/** One line per contract whose state changed since the last report (`shown`: what was printed, by account). */
function reportContracts(c: CommunityView, out: Progress, shown: Map<string, string>): void {
  const n = c.contracts.length;
  for (const [i, s] of c.contracts.entries()) {
    const state = `${s.status}/${s.attempts}`;
    if (shown.get(s.account_id) === state) continue;
    shown.set(s.account_id, state);
    const tag = `[${i + 1}/${n}]`;
    if (s.status === "Done") out.progress(`${tag} ${s.code} ${s.version} at ${s.account_id} (sha256 ${s.sha256})`);
    else if (s.status === "Failed") out.progress(`${tag} ${s.code} failed (attempt ${s.attempts}): ${s.last_error}`);
    else out.progress(`${tag} ${s.code}: ${s.status}`);
  }
}

/**
 * Shows each contract's outcome and, while some are not done, sends resume_community (it retries every failed or
 * unsent account at once); gives up after a second failure with the error. `extraGas` adds gas for a fork's DAO,
 * whose `init` grows with its members.
 */
export async function finishCommunity(
  chain: Chain,
  signer: Account,
  factory: string,
  name: string,
  start: CommunityView,
  out: Progress,
  extraGas = 0n,
): Promise<CommunityView> {
  let c = start;
  const shown = new Map<string, string>();
  reportContracts(c, out, shown);
  // why the last attempt failed, from its receipts (the factory's record only knows that it did)
  let why: string | null = null;
  for (let attempt = 0; c.status !== "Ready"; attempt++) {
    const failed = c.contracts.filter((s) => s.status === "Failed");
    if (attempt >= 2 && failed.length > 0) {
      throw new CliError(
        "ERR_STEP_FAILED",
        `creating ${failed.map((s) => s.code).join(", ")} failed ${failed[0].attempts} times: ` +
          `${why ?? failed[0].last_error}. Fix the cause and re-run to retry, or abandon it ` +
          `(\`ai-commons community abandon ${name}\`)`,
        why ?? undefined,
      );
    }
    if (c.contracts.every((s) => s.status === "Done" || s.status === "InFlight")) {
      // Another run's transaction is still settling: its callbacks will mark the accounts.
      out.progress(`${name}: accounts being created by another transaction, waiting ...`);
      await new Promise((r) => setTimeout(r, 1500));
    } else {
      const required = await requiredDeposit(chain, factory);
      out.progress(`${name}: creating ${c.contracts.filter((s) => s.status !== "Done").length} account(s) again ...`);
      const outcome = await signer.callFunctionRaw({
        contractId: factory,
        methodName: "resume_community",
        args: { name },
        gas: BigInt(required.gas) + extraGas,
      });
      why = receiptFailure(outcome);
    }
    c = await communityAfterTx(chain, factory, name);
    reportContracts(c, out, shown);
  }
  out.progress(`${name} is ready: its DAO is ${c.dao_id}`);
  return c;
}

/** abandon_community (creator only, 1 yocto): the deposit left back; the name is released when no account was made. */
export async function abandonCommunity(chain: Chain, signer: Account, factory: string, name: string) {
  const c = await getCommunity(chain, factory, name);
  if (!c) throw new CliError("UNKNOWN_COMMUNITY", `unknown community: no community named ${name} on ${factory}`);
  if (c.creator !== signer.accountId) {
    throw new CliError("ERR_NOT_CREATOR", `community ${name} was created by ${c.creator}: only they can abandon it`);
  }
  const outcome = await signer.callFunctionRaw({
    contractId: factory,
    methodName: "abandon_community",
    args: { name },
    gas: ABANDON_GAS,
    deposit: 1n,
  });
  const refund = String(resultOf<string>(outcome));
  return {
    name,
    refund,
    released: (await getCommunity(chain, factory, name)) === null,
    tx_hash: outcome.transaction.hash,
  };
}

export interface CodeStatus {
  code: string;
  account_id: string;
  running_sha256: string | null;
  factory_version: string | null;
  factory_sha256: string | null;
  up_to_date: boolean;
}

export interface CommunityStatus extends CommunityView {
  config?: unknown;
  info?: { member_count?: number; last_proposal_id?: number };
  treasury?: { available: string };
  code?: CodeStatus[];
}

/** The community's record and, once Ready, its DAO's config, info, treasury and code status. */
export async function communityStatus(chain: Chain, factory: string, name: string): Promise<CommunityStatus> {
  const c = await getCommunity(chain, factory, name);
  if (!c) throw new CliError("UNKNOWN_COMMUNITY", `unknown community: no community named ${name} on ${factory}`);
  if (c.status !== "Ready") return c;
  return {
    ...c,
    config: await view(chain, c.dao_id, "get_config"),
    info: await view(chain, c.dao_id, "get_info"),
    treasury: await view(chain, c.dao_id, "get_treasury"),
    code: await codeStatus(chain, factory, c),
  };
}

export function listCommunities(chain: Chain, factory: string) {
  return allPages<{ name: string; status: string; dao_id: string }>(chain, factory, "get_communities");
}

/**
 * What each of a community's contracts runs (its code hash on chain) against what the factory holds now: the factory's
 * own record is of the code it deployed at creation, so after an upgrade by proposal only the chain tells.
 */
export async function codeStatus(chain: Chain, factory: string, c: CommunityView): Promise<CodeStatus[]> {
  return Promise.all(
    c.contracts.map(async (s) => {
      const running = await codeHashHex(chain, s.account_id);
      const info = await view<{ version: string; sha256: string } | null>(chain, factory, "get_code_info", {
        name: s.code,
      });
      return {
        code: s.code,
        account_id: s.account_id,
        running_sha256: running,
        factory_version: info?.version ?? null,
        factory_sha256: info?.sha256 ?? null,
        up_to_date: info !== null && running === info.sha256,
      };
    }),
  );
}
