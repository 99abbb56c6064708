// Operations on a community's DAO (docs/dao.md): members, proposals and votes, execution, delegation, treasury.
// Each builds the contract call, sends it with near-api-js and returns what the DAO's views say afterwards; the
// command layer (commands/members.ts, commands/proposals.ts) prints it.
import { readFileSync } from "node:fs";
import { type Account, baseEncode } from "near-api-js";
import type { AttesterKey } from "../../attester/src/receipt.ts";
import type { Chain, Outcome } from "./context.ts";
import { allPages, codeBytes, formatNear, parseNear, resultOf, TGAS, view } from "./context.ts";
import { ActivationRefusal, activationDepositOf, type ViewCall } from "./model-calls.ts";
import { CliError, networkProblem } from "./errors.ts";
import type { Progress } from "./output.ts";
import { txRef } from "./units.ts";
import { jsonArg } from "./suite.ts";
import { dismissDisputeProposal } from "./verifier-calls.ts";
import { INFERENCE_VERIFIER } from "../../contracts/wire/contracts.ts";
import {
  ADD_PROPOSAL_GAS,
  CHOICES,
  type CodeReads,
  DAO_CODE,
  DELEGATION_DEPOSIT,
  DELEGATION_GAS,
  executeGasFor,
  factoryReleaseOf,
  hoursNs,
  type Member,
  type Proposal,
  proposalDeposit,
  type Treasury,
  upgradeKindOf,
  VOTE_GAS,
  type Vote,
} from "./dao-calls.ts";

export type { Member, Proposal, Treasury, Vote };

export function listMembers(chain: Chain, dao: string): Promise<Member[]> {
  return allPages<Member>(chain, dao, "get_members");
}

export type Flags = Record<string, string | boolean | string[] | undefined>;

function need(flags: Flags, name: string, kind: string): string {
  const v = flags[name];
  if (typeof v !== "string" || v === "") throw new CliError("BAD_ARGS", `propose ${kind} needs --${name}`);
  return v;
}

/** A whole number of Tgas (refused before anything is sent, not as a BigInt conversion error). */
export function tgas(value: string, flag: string): string {
  if (!/^\d+$/.test(value)) throw new CliError("BAD_ARGS", `${flag} must be a whole number of Tgas (got ${value})`);
  return value;
}

export const PROPOSAL_KINDS = [
  "add-member",
  "remove-member",
  "transfer",
  "function-call",
  "signal",
  "change-config",
  "change-policy",
  "update-parameters",
  "upgrade-self",
  "upgrade",
  "fork",
  // the DAO's dedicated kinds for the community's own contracts (docs/dao.md)
  "admit-dataset",
  "reject-dataset",
  "retire-dataset",
  "activate-model",
  "deprecate-model",
  "add-attester",
  "remove-attester",
  "void-receipt",
  "dismiss-dispute",
  "set-reward-policy",
  "fund-pool",
  "raw",
];

/** The ActivateModel deposit (scripts/cli/model-calls.ts), its refusals as the CLI's errors. */
export async function activationDepositFor(chain: Chain, dao: string, modelId: string): Promise<bigint> {
  const { suite } = await view<{ suite: Record<string, string> }>(chain, dao, "get_info");
  const read: ViewCall = (contractId, method, args) => view(chain, contractId, method, args ?? {});
  try {
    return await activationDepositOf(read, suite, dao, modelId);
  } catch (e) {
    if (e instanceof ActivationRefusal) throw new CliError(e.code, e.message);
    throw e;
  }
}

/** The ProposalKind JSON and a default description for `propose <kind> --flags`. */
export async function buildKind(
  chain: Chain,
  dao: string,
  kind: string,
  f: Flags,
): Promise<{ kind: Record<string, unknown>; description: string }> {
  const memo = typeof f.memo === "string" ? { memo: f.memo } : {};
  switch (kind) {
    case "add-member": {
      const member = need(f, "member", kind);
      const role = (f.role as string) ?? "council";
      return { kind: { kind: "AddMember", member_id: member, role }, description: `add ${member} to ${role}` };
    }
    case "remove-member": {
      const member = need(f, "member", kind);
      const role = (f.role as string) ?? "council";
      return { kind: { kind: "RemoveMember", member_id: member, role }, description: `remove ${member} from ${role}` };
    }
    case "transfer": {
      const to = need(f, "to", kind);
      const amount = parseNear(need(f, "amount", kind), "--amount");
      const k: Record<string, unknown> = { kind: "Transfer", receiver_id: to, amount: amount.toString() };
      if (typeof f.memo === "string") k.memo = f.memo;
      return { kind: k, description: `transfer ${formatNear(amount)} to ${to}` };
    }
    case "function-call": {
      const to = need(f, "to", kind);
      const method = need(f, "method", kind);
      let args = "{}";
      if (typeof f.args === "string") {
        try {
          args = JSON.stringify(JSON.parse(f.args));
        } catch {
          throw new CliError("BAD_ARGS", "--args must be JSON");
        }
      }
      const action = {
        method_name: method,
        args: Buffer.from(args).toString("base64"),
        deposit: typeof f.deposit === "string" ? parseNear(f.deposit, "--deposit").toString() : "0",
        gas: (BigInt(tgas(typeof f.gas === "string" ? f.gas : "50", "--gas")) * TGAS).toString(),
      };
      return {
        kind: { kind: "FunctionCall", receiver_id: to, actions: [action] },
        description: `call ${to}.${method}(${args})`,
      };
    }
    case "signal": {
      const message = need(f, "message", kind);
      return { kind: { kind: "Signal", message }, description: message };
    }
    case "change-config": {
      const current = await view<{ name: string; purpose: string; metadata: string }>(chain, dao, "get_config");
      const config = {
        name: (f.title as string) ?? current.name,
        purpose: (f.purpose as string) ?? current.purpose,
        metadata: (f.metadata as string) ?? current.metadata,
      };
      return { kind: { kind: "ChangeConfig", config }, description: `change config to ${JSON.stringify(config)}` };
    }
    case "change-policy": {
      const file = need(f, "policy", kind);
      const policy = JSON.parse(readFileSync(file, "utf8"));
      return { kind: { kind: "ChangePolicy", policy }, description: `replace the policy with ${file}` };
    }
    case "update-parameters": {
      const parameters: Record<string, string> = {};
      if (typeof f.bond === "string") parameters.proposal_bond = parseNear(f.bond, "--bond").toString();
      if (typeof f["period-hours"] === "string") {
        parameters.proposal_period = hoursNs(f["period-hours"], "--period-hours");
      }
      if (typeof f["timelock-hours"] === "string") {
        parameters.timelock = hoursNs(f["timelock-hours"], "--timelock-hours");
      }
      if (Object.keys(parameters).length === 0) {
        throw new CliError("BAD_ARGS", "update-parameters needs --bond, --period-hours or --timelock-hours");
      }
      return {
        kind: { kind: "ChangePolicyUpdateParameters", parameters },
        description: `update parameters ${JSON.stringify(parameters)}`,
      };
    }
    case "upgrade-self":
      return upgradeKindOf(codeReads(chain), dao, DAO_CODE, need(f, "hash", kind));
    case "upgrade":
      return upgradeKindOf(codeReads(chain), dao, need(f, "contract", kind), need(f, "hash", kind));
    case "fork": {
      const name = need(f, "name", kind);
      const k: Record<string, unknown> = { kind: "Fork", name };
      if (typeof f.receiver === "string") k.receiver_id = f.receiver;
      const to = typeof f.receiver === "string" ? ` (${f.receiver} receives the share)` : "";
      return { kind: k, description: `fork into a new community ${name}${to}` };
    }
    case "raw": {
      const text = need(f, "kind", kind);
      let k: Record<string, unknown>;
      try {
        k = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new CliError("BAD_ARGS", "--kind must be a ProposalKind JSON object");
      }
      return { kind: k, description: `${String(k.kind)} proposal` };
    }
    case "admit-dataset":
    case "reject-dataset":
    case "retire-dataset": {
      const id = need(f, "dataset", kind);
      const k =
        kind === "admit-dataset" ? "AdmitDataset" : kind === "reject-dataset" ? "RejectDataset" : "RetireDataset";
      return { kind: { kind: k, dataset_id: id, ...memo }, description: `${k} ${id}` };
    }
    case "deprecate-model": {
      const id = need(f, "model", kind);
      const reason = typeof f.reason === "string" ? { reason: f.reason } : {};
      return { kind: { kind: "DeprecateModel", model_id: id, ...reason }, description: `DeprecateModel ${id}` };
    }
    case "remove-attester": {
      const id = need(f, "attester", kind);
      return { kind: { kind: "RemoveAttester", attester_id: id }, description: `RemoveAttester ${id}` };
    }
    case "void-receipt": {
      const text = need(f, "receipt", kind);
      if (!/^(0|[1-9]\d{0,9})$/.test(text) || Number(text) > 4294967295) {
        throw new CliError("BAD_ARGS", "--receipt must be the verifier's receipt id (0 to 4294967295)");
      }
      const reason = typeof f.reason === "string" ? { reason: f.reason } : {};
      const slash = f.slash === true ? { slash: true } : {};
      return {
        kind: { kind: "VoidReceipt", receipt_id: Number(text), ...slash, ...reason },
        description: `VoidReceipt #${text}${f.slash === true ? " and slash its attester" : ""}`,
      };
    }
    case "dismiss-dispute": {
      const text = need(f, "receipt", kind);
      if (!/^(0|[1-9]\d{0,9})$/.test(text) || Number(text) > 4294967295) {
        throw new CliError("BAD_ARGS", "--receipt must be the verifier's receipt id (0 to 4294967295)");
      }
      const { suite } = await view<{ suite: Record<string, string> }>(chain, dao, "get_info");
      const verifier = suite[INFERENCE_VERIFIER];
      if (!verifier) throw new CliError("ERR_NO_SUITE_CONTRACT", `${dao} has no inference verifier`);
      return dismissDisputeProposal(verifier, Number(text));
    }
    case "activate-model": {
      const id = need(f, "model", kind);
      const deposit = await activationDepositFor(chain, dao, id);
      return {
        kind: { kind: "ActivateModel", model_id: id, deposit: deposit.toString() },
        description: `ActivateModel ${id}`,
      };
    }
    case "add-attester": {
      const id = need(f, "attester", kind);
      let publicKey = need(f, "public-key", kind);
      // a key file from `attester keygen` is accepted too
      if (!/^[0-9a-f]{128}$/.test(publicKey)) {
        try {
          publicKey = (JSON.parse(readFileSync(publicKey, "utf8")) as AttesterKey).public_key;
        } catch {
          throw new CliError("BAD_ARGS", "--public-key is 128 lower-case hex or a key file from attester keygen");
        }
      }
      const bond = parseNear(typeof f.bond === "string" ? f.bond : "1", "--bond");
      return {
        kind: { kind: "AddAttester", attester_id: id, public_key: publicKey, bond: bond.toString() },
        description: `AddAttester ${id} with a bond of ${formatNear(bond)} from the treasury`,
      };
    }
    case "set-reward-policy": {
      const policy = jsonArg(need(f, "policy", kind), "--policy");
      return { kind: { kind: "SetRewardPolicy", policy }, description: `SetRewardPolicy ${JSON.stringify(policy)}` };
    }
    case "fund-pool": {
      const amount = parseNear(need(f, "amount", kind), "--amount");
      return {
        kind: { kind: "FundRewardPool", amount: amount.toString(), ...memo },
        description: `FundRewardPool ${formatNear(amount)} from the treasury`,
      };
    }
    default: {
      throw new CliError("BAD_ARGS", `unknown proposal kind ${kind}; one of: ${PROPOSAL_KINDS.join(", ")}`);
    }
  }
}

export interface Proposed {
  id: number;
  dao: string;
  kind: Record<string, unknown>;
  description: string;
  bond: string;
  tx_hash: string;
}

/** add_proposal with the policy's bond (at least the proposal's storage); `flags` are propose's, by flag name. */
export async function propose(
  chain: Chain,
  signer: Account,
  dao: string,
  kind: string,
  flags: Flags,
  progress: Progress,
): Promise<Proposed> {
  if (kind === "upgrade" && typeof flags.hash !== "string") {
    flags = { ...flags, hash: await factoryRelease(chain, dao, need(flags, "contract", kind), progress) };
  }
  const built = await buildKind(chain, dao, kind, flags);
  const policy = await view<{ parameters: { proposal_bond: string } }>(chain, dao, "get_policy");
  const bond = BigInt(policy.parameters.proposal_bond);
  const description = typeof flags.description === "string" ? flags.description : built.description;
  const r = await signer.callFunctionRaw({
    contractId: dao,
    methodName: "add_proposal",
    args: { description, kind: built.kind },
    gas: ADD_PROPOSAL_GAS,
    deposit: proposalDeposit(bond, built.kind, description),
  });
  return {
    id: resultOf<number>(r),
    dao,
    kind: built.kind,
    description,
    bond: bond.toString(),
    tx_hash: r.transaction_outcome.id,
  };
}

/** The chain reads of an upgrade proposal (dao-calls.ts upgradeKindOf): views, the global store, code sizes. */
function codeReads(chain: Chain): CodeReads {
  return {
    network: chain.network,
    view: (contractId, method, args) => view(chain, contractId, method, args ?? {}),
    async globalCodeExists(hash) {
      try {
        await chain.provider.query({
          request_type: "view_global_contract_code",
          finality: "optimistic",
          code_hash: baseEncode(Buffer.from(hash, "hex")),
        } as never);
        return true;
      } catch (e) {
        if (networkProblem(e)) throw e;
        return false;
      }
    },
    codeBytes: (accountId) => codeBytes(chain, accountId),
  };
}

/**
 * `propose upgrade --contract <code>` without --hash: the current release of `code` on the factory that created the
 * community (dao-calls.ts factoryReleaseOf).
 */
async function factoryRelease(chain: Chain, dao: string, code: string, out: Progress): Promise<string> {
  const info = await factoryReleaseOf((c, m, a) => view(chain, c, m, a ?? {}), dao, code);
  out.progress(`${code} ${info.version} (sha256 ${info.sha256}) is the release ${info.factory} publishes`);
  return info.sha256;
}

export const VOTE_CHOICES = Object.keys(CHOICES);

export async function vote(chain: Chain, signer: Account, dao: string, choice: string, id: number) {
  const c = CHOICES[choice];
  if (!c) throw new CliError("BAD_ARGS", `vote approve|reject|abstain|remove <id> (got ${choice})`);
  const tx = await signer.callFunctionRaw({
    contractId: dao,
    methodName: "vote",
    args: { id, choice: c },
    gas: VOTE_GAS,
  });
  const p = await view<Proposal>(chain, dao, "get_proposal", { id });
  return { id, choice: c, status: p.status, rules: p.rules, tx_hash: tx.transaction_outcome.id };
}

export async function execute(chain: Chain, signer: Account, dao: string, id: number, gasTgas: string | undefined) {
  const before = await view<Proposal>(chain, dao, "get_proposal", { id });
  const gas = gasTgas
    ? BigInt(gasTgas) * TGAS
    : await executeGasFor((c, m, a) => view(chain, c, m, a ?? {}), dao, before.kind);
  const tx = await signer.callFunctionRaw({ contractId: dao, methodName: "execute", args: { id }, gas });
  const p = await view<Proposal>(chain, dao, "get_proposal", { id });
  if (p.status === "Failed") {
    // The transaction succeeded but the proposal's action did not (e.g. ERR_INSUFFICIENT_TREASURY): say why.
    throw new CliError(
      "ERR_EXECUTION_FAILED",
      `proposal ${id} failed when executed: ${p.last_error} (${txRef(tx.transaction_outcome.id)})`,
      p.last_error ?? "",
    );
  }
  return { id, status: p.status, attempts: p.attempts, tx_hash: tx.transaction_outcome.id };
}

/** delegate to `to`, or undelegate when null. */
export async function delegate(chain: Chain, signer: Account, dao: string, to: string | null) {
  let tx: Outcome;
  if (to === null) {
    tx = await signer.callFunctionRaw({
      contractId: dao,
      methodName: "undelegate",
      args: {},
      gas: DELEGATION_GAS,
      deposit: DELEGATION_DEPOSIT,
    });
  } else {
    tx = await signer.callFunctionRaw({
      contractId: dao,
      methodName: "delegate",
      args: { delegate_id: to },
      gas: DELEGATION_GAS,
      deposit: DELEGATION_DEPOSIT,
    });
  }
  const me = await view<Member>(chain, dao, "get_member", { account_id: signer.accountId });
  const target = to ? await view<Member>(chain, dao, "get_member", { account_id: to }) : null;
  return {
    account_id: signer.accountId,
    delegate: me.delegate,
    delegate_power: target?.voting_power ?? null,
    tx_hash: tx.transaction_outcome.id,
  };
}

/** Every proposal, or those whose status is `status` (any case). */
export async function listProposals(chain: Chain, dao: string, status?: string): Promise<Proposal[]> {
  const list = await allPages<Proposal>(chain, dao, "get_proposals");
  return status ? list.filter((p) => p.status.toLowerCase() === status.toLowerCase()) : list;
}

export function getProposal(chain: Chain, dao: string, id: number): Promise<Proposal> {
  return view<Proposal>(chain, dao, "get_proposal", { id });
}

/**
 * Who voted what on proposal `id`: the DAO's `get_votes` pages over its members (non-voters skipped, so pages run to
 * `member_count`); a DAO on code from before that view is asked `get_vote` for each member instead. Votes by
 * accounts that have left since are counted in the tallies but not listed; the DAO does not record when a vote was
 * cast.
 */
export async function getVotes(chain: Chain, dao: string, id: number): Promise<Vote[]> {
  const { member_count } = await view<{ member_count: number }>(chain, dao, "get_info");
  const out: Vote[] = [];
  try {
    for (let from = 0; from < member_count; from += 100) {
      out.push(...(await view<Vote[]>(chain, dao, "get_votes", { id, from_index: from, limit: 100 })));
    }
    return out;
  } catch (e) {
    if (!/MethodNotFound|method.*not found/i.test(String((e as Error).message))) throw e;
  }
  for (const m of await listMembers(chain, dao)) {
    const v = await view<{ choice: string; weights: number[] } | null>(chain, dao, "get_vote", {
      id,
      account_id: m.account_id,
    });
    if (v) out.push({ account_id: m.account_id, choice: v.choice, weights: v.weights });
  }
  return out;
}

export function getTreasury(chain: Chain, dao: string): Promise<Treasury> {
  return view<Treasury>(chain, dao, "get_treasury");
}

/** A plain transfer from the signer to the DAO's treasury. */
export async function donate(chain: Chain, signer: Account, dao: string, amount: bigint) {
  const outcome = await signer.transfer({ receiverId: dao, amount });
  const t = await getTreasury(chain, dao);
  return { dao, amount: amount.toString(), tx_hash: outcome.transaction_outcome.id, available: t.available };
}
