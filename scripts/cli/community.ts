// Communities on a factory (docs/factory.md): creation step by step, status, list, and resolving `-c` to a DAO. The
// chain is the only record of progress, so re-running a create after an interruption reads the community's steps and
// continues with the first one not done; nothing is kept locally. commands/community.ts prints the results.
import { readFileSync } from "node:fs";
import type { Account } from "near-api-js";
import type { Chain } from "./context.ts";
import { allPages, codeHashHex, formatNear, NEAR, parseNear, TGAS, view } from "./context.ts";
import { CliError } from "./errors.ts";
import type { Progress } from "./output.ts";

// Enough for create_community to reserve the name but never to deploy in the same call (it deploys the DAO only when
// the remaining gas covers a whole step), so each step is its own short, resumable transaction.
const RESERVE_GAS = 60n * TGAS;
// deploy_next attaches the step's own gas (get_required_deposit) plus its bookkeeping, not 300 Tgas: the signer holds
// the attached gas at 10^9 yocto a gas until the refund (protocol 86; 1.03x per ~0.6 Tgas attached at protocol 77).
const STEP_OVERHEAD_GAS = 30n * TGAS;
// Added to get_required_deposit's accounts_total for the community record's storage; the excess is refunded.
export const RECORD_DEPOSIT = NEAR / 10n;

export interface CommunityView {
  name: string;
  creator: string;
  dao_id: string;
  status: "Creating" | "Ready" | "Abandoned";
  deposit_left: string;
  forked_from?: {
    community: string;
    dao_id: string;
    fork_id: number;
    block_height: string | null;
    members: number;
    status: string;
    last_error: string | null;
  } | null;
  provenance?: string | null;
  contracts: {
    code: string;
    account_id: string;
    status: string;
    version: string | null;
    sha256: string | null;
    attempts: number;
    last_error: string | null;
  }[];
  next_step?: number;
}

export function requiredDeposit(chain: Chain, factory: string) {
  return view<{ accounts_total: string; contracts: { code: string; gas: string }[] }>(
    chain,
    factory,
    "get_required_deposit",
  );
}

// Test seam: AI_COMMONS_TEST_PAUSE_AFTER_STEP=k makes the command stop (hang) once step k is done, so a test can
// kill it at a known point between two transactions and check that re-running resumes.
async function testPause(step: number): Promise<void> {
  if (process.env.AI_COMMONS_TEST_PAUSE_AFTER_STEP !== String(step)) return;
  process.stdout.write(`paused after step ${step}\n`);
  await new Promise(() => setInterval(() => {}, 60_000));
}

export async function getCommunity(chain: Chain, factory: string, name: string): Promise<CommunityView | null> {
  return view<CommunityView | null>(chain, factory, "get_community", { name });
}

/** The DAO account of `--community`: a full account id (with a dot) or a community name on the factory. */
export async function resolveDao(chain: Chain, factory: string | null, community: string | undefined): Promise<string> {
  if (!community) throw new CliError("BAD_ARGS", "--community NAME (or a DAO account id) is required");
  if (community.includes(".")) {
    try {
      await view(chain, community, "get_info");
    } catch {
      throw new CliError("UNKNOWN_COMMUNITY", `unknown community: ${community} is not a community DAO`);
    }
    return community;
  }
  if (!factory) throw new CliError("NO_FACTORY", `no factory known on ${chain.network}: pass --factory`);
  let c: CommunityView | null;
  try {
    c = await getCommunity(chain, factory, community);
  } catch {
    throw new CliError("NO_FACTORY", `${factory} is not a community factory on ${chain.network}`);
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
  const steps = (v: CommunityView) => v.contracts.length + 1;
  if (c === null) {
    const required = await requiredDeposit(chain, factory);
    const n = required.contracts.length + 1;
    const deposit = opts.deposit
      ? parseNear(opts.deposit, "--deposit")
      : BigInt(required.accounts_total) + RECORD_DEPOSIT;
    const founders = opts.members?.length ? opts.members : [signer.accountId];
    const daoArgs: Record<string, unknown> = {
      config: { name: opts.title ?? name, purpose: opts.purpose ?? "", metadata: "" },
      members: founders.map((account_id) => ({ account_id, roles: ["council"] })),
    };
    if (opts.policyFile) daoArgs.policy = JSON.parse(readFileSync(opts.policyFile, "utf8"));
    out.progress(`[1/${n}] reserving ${name} on ${factory} (deposit ${formatNear(deposit)}) ...`);
    await signer.functionCall({
      contractId: factory,
      methodName: "create_community",
      args: { name, dao_args: daoArgs, ...(opts.initArgs ? { init_args: opts.initArgs } : {}) },
      gas: RESERVE_GAS,
      attachedDeposit: deposit,
    });
    c = (await getCommunity(chain, factory, name)) as CommunityView;
    out.progress(`[1/${n}] reserved ${name}: ${c.contracts.map((s) => s.code).join(", ")} to deploy`);
  } else {
    if (c.creator !== signer.accountId) {
      throw new CliError("NAME_TAKEN", `community ${name} on ${factory} was created by ${c.creator}, not you`);
    }
    if (c.status === "Abandoned") throw new CliError("ABANDONED", `community ${name} was abandoned by its creator`);
    out.progress(`[1/${steps(c)}] ${name} already reserved by you: resuming`);
  }
  await testPause(1);
  return deploySteps(chain, signer, factory, name, c, out);
}

/**
 * Sends deploy_next until the community is Ready, one transaction per step, with a progress line each; a failed
 * step is retried once. `extraGas` adds gas to a code's step (a fork's DAO init grows with its members).
 */
export async function deploySteps(
  chain: Chain,
  signer: Account,
  factory: string,
  name: string,
  start: CommunityView,
  out: Progress,
  extraGas: (code: string) => bigint = () => 0n,
): Promise<CommunityView> {
  let c = start;
  const steps = (v: CommunityView) => v.contracts.length + 1;
  let failures = 0;
  for (;;) {
    if (c.status === "Ready") break;
    const i = c.next_step ?? c.contracts.findIndex((s) => s.status !== "Done");
    for (const [j, s] of c.contracts.entries()) {
      if (j < i && s.status === "Done" && failures === 0) {
        out.progress(`[${j + 2}/${steps(c)}] ${s.code}: already deployed at ${s.account_id}`);
      }
    }
    const step = c.contracts[i];
    const tag = `[${i + 2}/${steps(c)}]`;
    if (step.status === "InFlight") {
      // Another run's transaction is still settling: its callback will mark the step.
      out.progress(`${tag} ${step.code}: a deploy is in flight, waiting ...`);
      await new Promise((r) => setTimeout(r, 1500));
    } else {
      out.progress(`${tag} deploying ${step.code} to ${step.account_id} ...`);
      const gas = (await requiredDeposit(chain, factory)).contracts.find((x) => x.code === step.code)?.gas;
      await signer.functionCall({
        contractId: factory,
        methodName: "deploy_next",
        args: { name },
        gas: (gas ? BigInt(gas) : 250n * TGAS) + STEP_OVERHEAD_GAS + extraGas(step.code),
      });
    }
    c = (await getCommunity(chain, factory, name)) as CommunityView;
    const now = c.contracts[i];
    if (now.status === "Done") {
      out.progress(`${tag} deployed ${now.code} ${now.version} at ${now.account_id} (sha256 ${now.sha256})`);
      failures = 0;
      await testPause(i + 2);
    } else if (now.status === "Failed") {
      failures += 1;
      if (failures >= 2) {
        throw new CliError(
          "ERR_STEP_FAILED",
          `deploying ${now.code} failed ${now.attempts} times: ${now.last_error}. Re-run to retry, or abandon it`,
        );
      }
      out.progress(`${tag} ${now.code} failed (${now.last_error}); retrying`);
    }
  }
  out.progress(`${name} is ready: its DAO is ${c.dao_id}`);
  return c;
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
