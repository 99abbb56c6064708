// Shared set-up for the community DAO stories: a DAO deployed from build/community-dao.wasm, funded member
// accounts, and small typed wrappers for propose / vote / execute that return gas and decoded results.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import type { NearAccount, TransactionResult } from "near-workspaces";
import { NEAR, parse, ROOT, TGAS } from "../helpers/tx.ts";

export { assertPanics, burnt, events, gasOf, NEAR, parse, ROOT, stateOf, TGAS, tgas, total } from "../helpers/tx.ts";
export const BOND = NEAR;
// DAO_WASM=<path> runs the stories (and gas.bench.ts) against another build, e.g. to compare gas.
export const DAO_WASM = process.env.DAO_WASM ?? join(ROOT, "build", "community-dao.wasm");

export function daoWasm(): Buffer {
  return readFileSync(DAO_WASM);
}

export interface Proposal {
  id: number;
  proposer: string;
  status: string;
  bond: string;
  bond_settled: boolean;
  storage_deposit?: string;
  sent?: boolean;
  snapshot: number;
  kind: { kind: string } & Record<string, unknown>;
  label: string;
  rules: {
    role: string;
    approve: number;
    reject: number;
    abstain: number;
    remove: number;
    total: number;
    actions: string[];
  }[];
  attempts: number;
  last_error: string | null;
  voting_ends_at: string;
  decided_at: string | null;
}

export interface VotePolicy {
  weight_kind: "RoleWeight" | "DelegatedWeight";
  quorum: number;
  threshold: { kind: "Ratio"; numerator: number; denominator: number } | { kind: "Weight"; weight: number };
}

export interface Role {
  name: string;
  kind: "Everyone" | "Group";
  permissions: string[];
  vote_policy: Record<string, VotePolicy>;
}

export interface Policy {
  v: 1;
  roles: Role[];
  default_vote_policy: VotePolicy;
  parameters: { proposal_bond: string; proposal_period: string; timelock: string };
}

export const HOUR_NS = 3600n * 10n ** 9n;

export function ratio(numerator: number, denominator: number, weight_kind: VotePolicy["weight_kind"] = "RoleWeight") {
  return { weight_kind, quorum: 0, threshold: { kind: "Ratio" as const, numerator, denominator } };
}

/** Everyone proposes and executes; the council votes on everything (more than half); a guardian may cancel. */
export function basePolicy(overrides: Partial<Policy["parameters"]> = {}): Policy {
  return {
    v: 1,
    roles: [
      { name: "all", kind: "Everyone", permissions: ["*:propose", "*:execute"], vote_policy: {} },
      { name: "council", kind: "Group", permissions: ["*:propose", "*:vote", "*:remove"], vote_policy: {} },
      { name: "guardian", kind: "Group", permissions: ["*:cancel"], vote_policy: {} },
    ],
    default_vote_policy: ratio(1, 2),
    parameters: {
      proposal_bond: BOND.toString(),
      proposal_period: (24n * HOUR_NS).toString(),
      timelock: "0",
      ...overrides,
    },
  };
}

export class DaoClient {
  constructor(
    readonly dao: NearAccount,
    readonly t: ExecutionContext,
  ) {}

  async propose(
    from: NearAccount,
    kind: Record<string, unknown>,
    opts: { deposit?: bigint; description?: string } = {},
  ): Promise<{ id: number; result: TransactionResult }> {
    const result = await from.callRaw(
      this.dao,
      "add_proposal",
      { description: opts.description ?? `proposal ${String(kind.kind)}`, kind },
      { attachedDeposit: opts.deposit ?? BOND, gas: 100n * TGAS },
    );
    if (result.failed) throw new Error(`add_proposal failed: ${result.receiptFailureMessages.join(" | ")}`);
    return { id: parse<number>(result), result };
  }

  async vote(from: NearAccount, id: number, choice: string): Promise<TransactionResult> {
    const r = await from.callRaw(this.dao, "vote", { id, choice }, { gas: 100n * TGAS });
    if (r.failed) throw new Error(`vote failed: ${r.receiptFailureMessages.join(" | ")}`);
    return r;
  }

  async execute(from: NearAccount, id: number): Promise<TransactionResult> {
    return from.callRaw(this.dao, "execute", { id }, { gas: 300n * TGAS });
  }

  async proposal(id: number): Promise<Proposal> {
    return this.dao.view<Proposal>("get_proposal", { id });
  }

  /** Proposes and has every voter approve; returns the id. */
  async pass(from: NearAccount, kind: Record<string, unknown>, voters: NearAccount[]): Promise<number> {
    const { id } = await this.propose(from, kind);
    for (const v of voters) {
      if ((await this.proposal(id)).status !== "InProgress") break;
      await this.vote(v, id, "Approve");
    }
    return id;
  }
}

export async function deployDao(
  root: NearAccount,
  name: string,
  args: { policy?: Policy; members: { account_id: string; roles: string[] }[]; balance?: bigint },
): Promise<NearAccount> {
  const dao = await root.createSubAccount(name, { initialBalance: args.balance ?? 30n * NEAR });
  await dao.deploy(daoWasm());
  await dao.call(
    dao,
    "init",
    {
      config: { name, purpose: "test community", metadata: "" },
      policy: args.policy ?? basePolicy(),
      members: args.members,
    },
    { gas: 100n * TGAS },
  );
  return dao;
}
