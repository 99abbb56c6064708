// A seeded random walk over every user action of a whole community created through the factory (DAO + dataset and
// model registries + inference verifier + reward pool, and fork communities created from it), with the money
// invariants checked after every step through views and account balances. Refused actions are data (counted by
// their ERR_ code); only invariant violations are reported. Used by invariants.test.ts.
//
// Money model. The accounts the walk controls ("externals": members, creators, relayers, attesters) and the
// suite's accounts ("system": the factory, the community's five contracts and any fork community's) form a closed
// set; root only funds the externals before the baseline. After every transaction:
// - each external's balance change (plus the gas it burnt, if it signed) must be explained by the entitlements the
//   transaction's events name for it (a refunded proposal bond, a claim, a ragequit, a fork share, a Transfer
//   proposal, a challenger's slash share, a removed dataset's refund): exactly for a non-signer or a signer that
//   attached nothing, within [entitlements - attached deposit, entitlements] for a signer that attached a deposit;
// - every entitlement key (proposal bond, claim index, ragequit of one membership, fork id, Transfer proposal,
//   slash of one bonding, bond release of one bonding, dataset removal) is paid at most once;
// - the system's total gain equals what the externals lost minus the burnt gas plus the contract rewards, which lie
//   between 0 and the burnt gas (nothing created, nothing lost to an account outside the set);
// - every contract's balance covers what it owes: DAO locked bonds + storage (and locked bonds equal the bonds the
//   walk saw locked and not settled), verifier bonds + storage (and bonds_total equals the bonds the walk saw
//   posted and not slashed or released), pool unallocated + claimable + NEP-145 storage balances + storage, its
//   ledger balanced, nothing in flight at rest and `claimed` equal to the sum of claim_paid events;
// - a fast-forward (no transaction) moves no balance at all.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { secp256k1 } from "@noble/curves/secp256k1";
import { bytesToHex } from "@noble/hashes/utils";
import type { NearAccount, TransactionResult, Worker } from "near-workspaces";
import { type AttesterKey, newKey, type SignedReceipt, signReceipt } from "../../attester/src/receipt.ts";
import { BYTE_COST, burnt, gasOf, NEAR, ROOT, SEC, TGAS } from "../helpers/tx.ts";
import { type NepEvent, parseEventLog } from "../../contracts/wire/event-log.ts";
import { fundPublisher, publishCode } from "../helpers/community.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";
import { POOL_POLICY, VERIFIER_SETTINGS } from "../../scripts/scenario/community.ts";

export { NEAR, TGAS };
const CODES = ["community-dao", "dataset-registry", "model-registry", "inference-verifier", "reward-pool"];
const COMMUNITY = "acme";
const FORK_NAMES = ["spin", "split"];
const EPOCH_NS = BigInt(VERIFIER_SETTINGS.epoch_length_ns);

// the story's settings and policy (scripts/scenario/community.ts): a one-minute epoch, a two-minute window
const SETTINGS = VERIFIER_SETTINGS;
const BOND = NEAR / 2n;
const POLICY = {
  v: 1,
  roles: [
    { name: "all", kind: "Everyone", permissions: ["*:propose", "*:execute"], vote_policy: {} },
    { name: "council", kind: "Group", permissions: ["*:propose", "*:vote", "*:remove", "*:execute"], vote_policy: {} },
  ],
  default_vote_policy: {
    weight_kind: "RoleWeight",
    quorum: 0,
    threshold: { kind: "Weight", weight: 2 },
  },
  parameters: { proposal_bond: BOND.toString(), proposal_period: (1200n * SEC).toString(), timelock: "0" },
  fork: { window: (900n * SEC).toString(), threshold_bps: 3000, ragequit: true },
};

// ---- seeded randomness ---------------------------------------------------------------------------------------------

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    // mulberry32
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  hex32(): string {
    return bytesToHex(this.bytes(32));
  }
  /** A valid secp256k1 private key. */
  key(): AttesterKey {
    for (;;) {
      const b = this.bytes(32);
      if (secp256k1.utils.isValidPrivateKey(b)) return newKey(b);
    }
  }
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

// ---- transaction outcomes ------------------------------------------------------------------------------------------

interface Outcome {
  ok: boolean;
  code: string;
  events: NepEvent[];
  result: unknown;
  burnt: bigint;
  gas: bigint;
  touched: Set<string>;
  inner: string[];
  signer?: string;
}

function outcomeOf(r: TransactionResult): Outcome {
  const events: NepEvent[] = [];
  for (const l of r.logs) {
    try {
      const e = parseEventLog(l);
      if (e) events.push(e);
    } catch {
      // not ours
    }
  }
  let code = "OK";
  if (r.failed) {
    const msg = r.receiptFailureMessages.join(" | ");
    const m = /(ERR_[A-Z0-9_]+)/.exec(msg);
    code = m ? m[1] : `FAIL:${msg.replace(/\s+/g, " ").slice(0, 60)}`;
  }
  let result: unknown = null;
  if (!r.failed) {
    try {
      result = r.parseResult<unknown>();
    } catch {
      result = null;
    }
  }
  // panics of inner receipts (e.g. a callee refusing a DAO proposal's call while the transaction succeeds)
  const inner: string[] = [];
  for (const o of r.result.receipts_outcome) {
    const st = o.outcome.status as unknown as { Failure?: unknown };
    if (st && typeof st === "object" && "Failure" in st) inner.push(JSON.stringify(st.Failure));
  }
  const touched = new Set<string>([r.result.transaction_outcome.outcome.executor_id]);
  for (const o of r.result.receipts_outcome) touched.add(o.outcome.executor_id);
  return { ok: !r.failed, code, events, result, burnt: burnt(r), gas: gasOf(r), touched, inner };
}

// ---- the walk ------------------------------------------------------------------------------------------------------

interface ProposalInfo {
  id: number;
  kind: Record<string, unknown> & { kind: string };
  proposer: string;
  status: string;
  voters: Set<string>;
  electorate: string[];
  ends: bigint;
}

interface DatasetInfo {
  id: string;
  submitter: string;
  creators: string[];
}

interface ModelInfo {
  id: string;
  name: string;
  version: string;
  weights: string;
  manifest: number;
}

interface ReceiptInfo {
  id: number;
  attester: string;
  model_name: string;
  model_version: string;
  weights: string;
  input: string;
  epoch: number;
}

interface Entitlement {
  to: string;
  amount: bigint;
  key: string;
}

export interface Violation {
  step: number;
  action: string;
  what: string;
}

export interface WalkSummary {
  seed: number;
  steps: number;
  actions: Record<string, number>;
  outcomes: Record<string, Record<string, number>>;
  refusals: Record<string, number>;
  violations: Violation[];
  gas: bigint;
  transactions: number;
  seconds: number;
  setupSeconds: number;
  paidOut: bigint;
  paidIn: bigint;
  rewards: bigint;
  burnt: bigint;
  entitlementsPaid: Record<string, number>;
  /** the checks themselves, seen to fire on a planted money move and a planted double payment */
  selfCheck: { untrackedMove: boolean; doublePayment: boolean };
}

export interface WalkOptions {
  seed: number;
  steps: number;
  log?: (line: string) => void;
}

type Action = () => Promise<void>;

export async function runWalk(worker: Worker, root: NearAccount, opts: WalkOptions): Promise<WalkSummary> {
  const t0 = Date.now();
  const rng = new Rng(opts.seed);
  const log = opts.log ?? (() => {});
  const provider = worker.provider;
  const rootId = root.accountId;
  const factoryId = `commons.${rootId}`;
  const accountOf = (name: string, code: string) =>
    code === "community-dao" ? `${name}.${factoryId}` : `${name}_${code}.${factoryId}`;
  const daoId = accountOf(COMMUNITY, "community-dao");
  const dsId = accountOf(COMMUNITY, "dataset-registry");
  const mrId = accountOf(COMMUNITY, "model-registry");
  const ivId = accountOf(COMMUNITY, "inference-verifier");
  const poolId = accountOf(COMMUNITY, "reward-pool");

  const view = async <T>(contract: string, method: string, args: Record<string, unknown> = {}): Promise<T> =>
    root.getAccount(contract).view(method, args) as Promise<T>;
  const chainNow = async (): Promise<bigint> => {
    const p = provider as unknown as {
      block(q: { finality: string }): Promise<{ header: { timestamp_nanosec: string } }>;
    };
    return BigInt((await p.block({ finality: "optimistic" })).header.timestamp_nanosec);
  };

  // ---- set-up: accounts, factory, codes, community ----
  const owner = await root.createSubAccount("owner", { initialBalance: 20n * NEAR });
  const people: NearAccount[] = [];
  for (const n of ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank"]) {
    people.push(await root.createSubAccount(n, { initialBalance: 300n * NEAR }));
  }
  const attesterAccounts: NearAccount[] = [];
  for (const n of ["att0", "att1", "att2"])
    attesterAccounts.push(await root.createSubAccount(n, { initialBalance: 20n * NEAR }));
  const externals = [...people, ...attesterAccounts];
  const externalIds = externals.map((a) => a.accountId);
  // the factory keeps no wasm: its codes are published once to the chain's global store (NEP-591), the owner paying
  // each burn (before the baseline, outside the walk's money)
  const factory = await root.createSubAccount("commons", { initialBalance: 10n * NEAR });
  await factory.deploy(readFileSync(join(ROOT, "build", "community-factory.wasm")));
  await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 30n * TGAS });
  await fundPublisher(root, owner, CODES);
  for (const code of CODES) {
    await publishCode(factory, owner, code, "1.0.0", readFileSync(join(ROOT, "build", `${code}.wasm`)));
  }
  const needs = await factory.view<{ accounts_total: string; gas: string }>("get_required_deposit");
  const required = BigInt(needs.accounts_total);
  // every account of a community in one transaction
  const createGas = BigInt(needs.gas);
  const founders = people.slice(0, 3);
  {
    const r = await founders[0].callRaw(
      factory,
      "create_community",
      {
        name: COMMUNITY,
        dao_args: {
          config: { name: "Acme commons", purpose: "walk", metadata: "" },
          policy: POLICY,
          members: founders.map((a) => ({ account_id: a.accountId, roles: ["council"] })),
        },
        init_args: { "inference-verifier": { settings: SETTINGS }, "reward-pool": { policy: POOL_POLICY } },
      },
      { attachedDeposit: required + NEAR, gas: createGas },
    );
    if (r.failed) throw new Error(`create_community: ${r.receiptFailureMessages.join(" | ")}`);
    const c = await factory.view<{ status: string }>("get_community", { name: COMMUNITY });
    if (c.status !== "Ready") {
      throw new Error(`community not Ready: ${JSON.stringify(c)}: ${r.receiptFailureMessages.join(" | ")}`);
    }
  }
  await root.transfer(daoId, 30n * NEAR); // a starting treasury (before the baseline)
  const attesterKeys = new Map<string, AttesterKey>();
  for (const a of attesterAccounts) attesterKeys.set(a.accountId, rng.key());
  const setupSeconds = (Date.now() - t0) / 1000;

  // fork communities' accounts join the system when the factory creates them (create_fork)
  const systemIds = [factoryId, ...CODES.map((c) => accountOf(COMMUNITY, c))];
  const tracked = [...externalIds, ...systemIds];
  const trackFork = (name: string) => {
    for (const c of CODES) {
      const id = accountOf(name, c);
      if (!systemIds.includes(id)) {
        systemIds.push(id);
        tracked.push(id);
        bal.set(id, { amount: 0n, storage: 0n });
      }
    }
  };

  interface AccountView {
    amount: bigint;
    storage: bigint;
  }
  // the balances of `ids` read now, the others copied from `prev` (an account that executed no receipt cannot have
  // changed: every 10th step and every fast-forward read them all, which checks that too)
  const snapshot = async (
    ids: string[] = tracked,
    prev?: Map<string, AccountView>,
  ): Promise<Map<string, AccountView>> => {
    const out = new Map<string, AccountView>(prev ?? []);
    await Promise.all(
      ids.map(async (id) => {
        try {
          const v = (await provider.viewAccount(id)) as unknown as { amount: string; storage_usage: number };
          out.set(id, { amount: BigInt(v.amount), storage: BigInt(v.storage_usage) });
        } catch {
          out.set(id, { amount: 0n, storage: 0n });
        }
      }),
    );
    return out;
  };
  const sumOf = (m: Map<string, AccountView>, ids: string[]) => ids.reduce((s, id) => s + m.get(id)!.amount, 0n);

  // ---- walk state ----
  const violations: Violation[] = [];
  const actions: Record<string, number> = {};
  const outcomes: Record<string, Record<string, number>> = {};
  const refusals: Record<string, number> = {};
  const paidKeys = new Map<string, bigint>();
  const entitlementsPaid: Record<string, number> = {};
  const proposals = new Map<number, ProposalInfo>();
  const datasets = new Map<string, DatasetInfo & { status: string; withdrawn: boolean }>();
  const manifests: number[] = [];
  const models = new Map<string, ModelInfo>();
  const receipts: ReceiptInfo[] = [];
  const receiptEpochs = new Set<number>();
  const reportedEpochs = new Set<number>();
  const closedEpochs = new Set<number>();
  const badModels = new Set<string>(); // deprecated, or whose activation failed
  const modelOwners = new Map<string, string>(); // model name -> its first registrant
  const forks = new Map<number, { name: string; receiver: string; electorate: string[] }>();
  const membership = new Map<string, number>(); // account -> times it became a member
  const bondings = new Map<string, number>(); // attester -> times it was bonded
  const storageRegistered = new Set<string>();
  let members: string[] = founders.map((a) => a.accountId);
  for (const m of members) membership.set(m, 1);
  let lockedBonds = 0n; // DAO bonds the walk saw locked and not settled
  const bondLocks = new Map<number, bigint>(); // proposal -> what its creation added to locked_bonds
  let createdNow: number[] = [];
  let verifierBonds = 0n; // bonds the walk saw posted and not slashed or released
  let claimedTotal = 0n; // sum of claim_paid
  let nonce = 1000n;
  let stepNo = 0;
  let currentAction = "setup";
  let gasTotal = 0n;
  let burntTotal = 0n;
  let rewardsTotal = 0n;
  let paidIn = 0n;
  let paidOut = 0n;
  let txCount = 0;
  let txMs = 0;
  let checkMs = 0;

  const violate = (what: string) => {
    violations.push({ step: stepNo, action: currentAction, what });
    if (currentAction !== "self-check") log(`VIOLATION step ${stepNo} (${currentAction}): ${what}`);
  };

  let bal = await snapshot();
  const systemBase = sumOf(bal, systemIds);

  // entitlements named by a transaction's events, each key paid at most once
  const entitlementsOf = (evs: NepEvent[], signer: string): Entitlement[] => {
    const out: Entitlement[] = [];
    const add = (kind: string, key: string, to: string, amount: bigint) => {
      const prev = paidKeys.get(key);
      if (prev !== undefined) violate(`${key} paid twice (${prev} then ${amount} to ${to})`);
      paidKeys.set(key, amount);
      entitlementsPaid[kind] = (entitlementsPaid[kind] ?? 0) + 1;
      out.push({ to, amount, key });
    };
    for (const e of evs) {
      for (const d of e.data ?? []) {
        const s = (k: string) => String(d[k] ?? "");
        switch (e.event) {
          case "bond_refunded": {
            const p = proposals.get(Number(d.proposal_id));
            const locked = bondLocks.get(Number(d.proposal_id));
            if (p && p.proposer !== s("account_id"))
              violate(`bond_refunded ${JSON.stringify(d)}: proposer ${p.proposer}`);
            if (locked !== undefined && locked !== BigInt(s("amount"))) {
              violate(`bond_refunded ${JSON.stringify(d)}: the proposal locked ${locked}`);
            }
            add("bond refund", `bond:${d.proposal_id}`, s("account_id"), BigInt(s("amount")));
            lockedBonds -= BigInt(s("amount"));
            break;
          }
          case "bond_forfeited":
            if (paidKeys.has(`bond:${d.proposal_id}`)) violate(`bond of ${d.proposal_id} forfeited after its refund`);
            if (bondLocks.has(Number(d.proposal_id)) && bondLocks.get(Number(d.proposal_id)) !== BigInt(s("amount"))) {
              violate(
                `bond_forfeited ${JSON.stringify(d)}: the proposal locked ${bondLocks.get(Number(d.proposal_id))}`,
              );
            }
            paidKeys.set(`bond:${d.proposal_id}`, 0n);
            lockedBonds -= BigInt(s("amount"));
            break;
          case "community_step_done":
            // the record's storage freed by the account's init args, back to the community's creator
            if (BigInt(s("storage_refund") || "0") > 0n) {
              add("creation refund", `step:${d.name}:${d.code}`, s("creator"), BigInt(s("storage_refund")));
            }
            break;
          case "claim_paid":
            add("claim", `claim:${d.index}`, s("account_id"), BigInt(s("amount")));
            claimedTotal += BigInt(s("amount"));
            break;
          case "ragequit":
            for (const [fid] of forks) {
              if (joined.has(`${fid}:${s("account_id")}`) && paidKeys.has(`fork:${fid}`)) {
                violate(`${s("account_id")} ragequit after its share left with fork ${fid}`);
              }
            }
            add(
              "ragequit",
              `ragequit:${s("account_id")}:${membership.get(s("account_id")) ?? 0}`,
              s("account_id"),
              BigInt(s("amount")),
            );
            break;
          case "fork_payment_sent": {
            // the transfer leaves with this event; a refused transfer comes back in the same transaction
            const refused = evs.some(
              (x) => x.event === "fork_payment_failed" && x.data.some((y) => y.id === d.id && y.amount !== null),
            );
            if (!refused) add("fork share", `fork:${d.id}`, s("receiver_id"), BigInt(s("amount")));
            break;
          }
          case "fork_executed":
            if (paidKeys.get(`fork:${d.id}`) !== BigInt(s("amount"))) {
              violate(`fork ${d.id} executed with amount ${s("amount")}, paid ${paidKeys.get(`fork:${d.id}`)}`);
            }
            break;
          case "attester_slashed": {
            const n = bondings.get(s("attester_id")) ?? 0;
            add("slash", `slash:${s("attester_id")}:${n}`, s("challenger") || daoId, BigInt(s("to_challenger")));
            const total = BigInt(s("amount"));
            if (BigInt(s("to_challenger")) + BigInt(s("to_dao")) !== total) violate(`slash split ${JSON.stringify(d)}`);
            verifierBonds -= total;
            break;
          }
          case "bond_released": {
            const n = bondings.get(s("attester_id")) ?? 0;
            add("bond release", `release:${s("attester_id")}:${n}`, s("to"), BigInt(s("amount")));
            verifierBonds -= BigInt(s("amount"));
            break;
          }
          case "attester_added":
            bondings.set(s("attester_id"), (bondings.get(s("attester_id")) ?? 0) + 1);
            verifierBonds += BigInt(s("bond"));
            break;
          case "dataset_removed":
            add("dataset refund", `dsremove:${d.dataset_id}`, signer, BigInt(s("refund")));
            break;
          case "proposal_created":
            createdNow.push(Number(d.id));
            break;
          case "proposal_executed": {
            const p = proposals.get(Number(d.id));
            if (p && p.kind.kind === "Transfer") {
              add("transfer", `transfer:${p.id}`, String(p.kind.receiver_id), BigInt(String(p.kind.amount)));
            }
            break;
          }
          case "model_deprecated":
            badModels.add(s("model_id"));
            break;
          case "member_added": {
            const id = s("member_id") || s("account_id");
            if (id) membership.set(id, (membership.get(id) ?? 0) + 1);
            break;
          }
          default:
            break;
        }
        if (e.event.startsWith("proposal_") && e.event !== "proposal_created") {
          const p = proposals.get(Number(d.id));
          if (p) p.status = e.event.slice("proposal_".length);
          if (p && p.status === "failed" && p.kind.kind === "ActivateModel") badModels.add(String(p.kind.model_id));
        }
      }
    }
    return out;
  };

  // ---- checks after every step ----
  interface ContractViews {
    treasury: { balance: string; locked_bonds: string; storage_stake: string; available: string };
    vcfg: { bonds_total: string };
    totals: Record<string, string>;
    inv: { solvent: boolean; ledger_balanced: boolean; storage_free: string };
    memberPage: { account_id: string }[];
  }
  const daoViews = async () => {
    const [treasury, memberPage] = await Promise.all([
      view<ContractViews["treasury"]>(daoId, "get_treasury"),
      view<ContractViews["memberPage"]>(daoId, "get_members", { limit: 100 }),
    ]);
    return { treasury, memberPage };
  };
  const poolViews = async () => {
    const [totals, inv] = await Promise.all([
      view<ContractViews["totals"]>(poolId, "get_totals"),
      view<ContractViews["inv"]>(poolId, "get_invariant"),
    ]);
    return { totals, inv };
  };
  const views: ContractViews = {
    ...(await daoViews()),
    ...(await poolViews()),
    vcfg: await view<ContractViews["vcfg"]>(ivId, "get_config"),
  };
  const stale = { dao: 0, iv: 0, pool: 0 };
  let sinceFullBalances = 0;

  // Balances are checked after every step: those of the accounts that executed a receipt of the transaction, and
  // every 10th step (and after every fast-forward) all of them. A contract's own views are read again after every
  // step that could have changed its state (it executed a receipt of an accepted transaction, or of one with
  // events) and at least every 8 steps: a refused call changes nothing, and the balances would show it if it did.
  const checkAfter = async (signer: string | null, attached: bigint, o: Outcome | null) => {
    sinceFullBalances += 1;
    const allBalances = o === null || sinceFullBalances >= 10;
    if (allBalances) sinceFullBalances = 0;
    const ids = allBalances ? tracked : tracked.filter((id) => id === signer || o.touched.has(id));
    const changed = o !== null && (o.ok || o.events.length > 0);
    const want = (id: string, k: keyof typeof stale) => {
      stale[k] += 1;
      return stale[k] >= 8 || (changed && o.touched.has(id));
    };
    const [after, dv, pv, vc] = await Promise.all([
      snapshot(ids, bal),
      want(daoId, "dao") ? daoViews() : null,
      want(poolId, "pool") ? poolViews() : null,
      want(ivId, "iv") ? view<ContractViews["vcfg"]>(ivId, "get_config") : null,
    ]);
    if (dv) {
      Object.assign(views, dv);
      stale.dao = 0;
    }
    if (pv) {
      Object.assign(views, pv);
      stale.pool = 0;
    }
    if (vc) {
      views.vcfg = vc;
      stale.iv = 0;
    }
    const fresh = dv !== null;
    const { treasury, vcfg, totals, inv, memberPage } = views;
    members = memberPage.map((m) => m.account_id);
    const burnt = o?.burnt ?? 0n;
    const ents = o ? entitlementsOf(o.events, signer ?? "") : [];
    // externals: balance change explained by entitlements
    let stepIn = 0n;
    let stepOut = 0n;
    for (const id of externalIds) {
      const net = after.get(id)!.amount - bal.get(id)!.amount + (id === signer ? burnt : 0n);
      const expected = ents.filter((e) => e.to === id).reduce((s, e) => s + e.amount, 0n);
      if (net > 0n) stepOut += net;
      else stepIn -= net;
      if (id === signer && attached > 0n) {
        if (net > expected || net < expected - attached) {
          violate(`${id} (signer, attached ${attached}) net ${net} outside [${expected - attached}, ${expected}]`);
        }
      } else if (net !== expected) {
        violate(`${id} net ${net}, entitled to ${expected}${id === signer ? " (signer)" : ""}`);
      }
    }
    paidIn += stepIn;
    paidOut += stepOut;
    // conservation: the closed set loses the burnt gas and gains the contract rewards (0 <= rewards <= burnt)
    const delta = sumOf(after, tracked) - sumOf(bal, tracked);
    const rewards = delta + burnt;
    rewardsTotal += rewards;
    burntTotal += burnt;
    if (rewards < 0n || rewards > burnt) violate(`conservation: total moved by ${delta} with ${burnt} burnt`);
    if (!o) {
      for (const id of tracked) {
        if (after.get(id)!.amount !== bal.get(id)!.amount) violate(`${id} balance moved without a transaction`);
      }
    }
    if (paidOut > paidIn + systemBase) violate(`suite paid out ${paidOut} > ${paidIn} in + ${systemBase} at start`);
    // DAO
    const dao = after.get(daoId)!;
    if (fresh && BigInt(treasury.balance) !== dao.amount) {
      violate(`DAO get_treasury.balance ${treasury.balance} != ${dao.amount}`);
    }
    if (createdNow.length === 1) {
      // what the new proposal locked: at most what its proposer attached
      const lock = BigInt(treasury.locked_bonds) - lockedBonds;
      bondLocks.set(createdNow[0], lock);
      if (lock <= 0n || lock > attached) violate(`proposal ${createdNow[0]} locked ${lock} of ${attached} attached`);
      lockedBonds = BigInt(treasury.locked_bonds);
    } else if (BigInt(treasury.locked_bonds) !== lockedBonds) {
      violate(`DAO locked_bonds ${treasury.locked_bonds} != ${lockedBonds} locked and not settled`);
      lockedBonds = BigInt(treasury.locked_bonds);
    }
    createdNow = [];
    if (dao.amount < BigInt(treasury.locked_bonds) + dao.storage * BYTE_COST) {
      violate(`DAO balance ${dao.amount} < locked bonds ${treasury.locked_bonds} + storage ${dao.storage * BYTE_COST}`);
    }
    // verifier
    const iv = after.get(ivId)!;
    if (BigInt(vcfg.bonds_total) !== verifierBonds) {
      violate(`verifier bonds_total ${vcfg.bonds_total} != ${verifierBonds} posted and not slashed or released`);
      verifierBonds = BigInt(vcfg.bonds_total);
    }
    if (iv.amount < BigInt(vcfg.bonds_total) + iv.storage * BYTE_COST) {
      violate(`verifier balance ${iv.amount} < bonds ${vcfg.bonds_total} + storage ${iv.storage * BYTE_COST}`);
    }
    // pool
    const pool = after.get(poolId)!;
    const tv = (k: string) => BigInt(totals[k] ?? "0");
    const claimable = tv("allocated") - tv("claimed") - tv("in_flight");
    const owes = tv("unallocated") + claimable + tv("in_flight") + BigInt(inv.storage_free) + pool.storage * BYTE_COST;
    if (pool.amount < owes) violate(`pool balance ${pool.amount} < owed ${owes} (${JSON.stringify(totals)})`);
    if (tv("deposited") !== tv("unallocated") + tv("allocated") + tv("storage_charged")) {
      violate(`pool ledger: ${JSON.stringify(totals)}`);
    }
    if (claimable < 0n) violate(`pool claimable ${claimable} < 0`);
    if (tv("in_flight") !== 0n) violate(`pool in_flight ${tv("in_flight")} at rest`);
    if (tv("claimed") !== claimedTotal) {
      violate(`pool claimed ${tv("claimed")} != ${claimedTotal} paid by claim_paid`);
      claimedTotal = tv("claimed");
    }
    if (!inv.solvent || !inv.ledger_balanced) violate(`pool get_invariant ${JSON.stringify(inv)}`);
    // every account covers its storage
    for (const id of systemIds) {
      const a = after.get(id)!;
      if (a.amount < a.storage * BYTE_COST) violate(`${id} balance below its storage`);
    }
    bal = after;
  };

  const signerOf = (o: Outcome) => o.signer ?? "";
  const count = (o: Outcome) => {
    txCount += 1;
    gasTotal += o.gas;
    // an execution the DAO marked Failed (the callee refused): counted by the callee's code
    const failed = o.events.find((e) => e.event === "proposal_failed");
    if (o.ok && failed) {
      const err = String(failed.data[0]?.error ?? "");
      const inner = /(ERR_[A-Z0-9_]+)/.exec(o.inner.join(" ")) ?? /(ERR_[A-Z0-9_]+)/.exec(err);
      o.code = `Failed:${inner ? inner[1] : err}`;
    }
    if (!outcomes[currentAction]) outcomes[currentAction] = {};
    const per = outcomes[currentAction];
    per[o.code] = (per[o.code] ?? 0) + 1;
    if (!o.ok) refusals[o.code] = (refusals[o.code] ?? 0) + 1;
  };

  // one transaction, its outcome counted and checked
  const tx = async (
    signer: NearAccount,
    receiver: string,
    method: string,
    args: Record<string, unknown> | Uint8Array,
    deposit = 0n,
    gas = 100n * TGAS,
  ): Promise<Outcome> => {
    let o: Outcome;
    const tStart = Date.now();
    try {
      o = outcomeOf(await signer.callRaw(receiver, method, args, { attachedDeposit: deposit, gas }));
    } catch (e) {
      log(`step ${stepNo} (${currentAction}): ${String(e).slice(0, 300)}`);
      o = {
        ok: false,
        code: `THROWN:${String(e).slice(0, 60)}`,
        events: [],
        result: null,
        burnt: 0n,
        gas: 0n,
        touched: new Set(),
        inner: [],
      };
    }
    o.signer = signer.accountId;
    count(o);
    const tMid = Date.now();
    await checkAfter(signer.accountId, deposit, o);
    txMs += tMid - tStart;
    checkMs += Date.now() - tMid;
    return o;
  };

  // ---- choices ----
  const person = () => rng.pick(people);
  const acct = (id: string): NearAccount => externals.find((a) => a.accountId === id) ?? person();
  const memberOr = (p: number) => {
    if (members.length > 0 && rng.chance(p)) {
      const id = rng.pick(members);
      return acct(id);
    }
    return person();
  };
  const someProposal = (statuses: string[]): ProposalInfo | null => {
    const open = [...proposals.values()].filter((p) => statuses.includes(p.status));
    if (open.length > 0 && rng.chance(0.9)) return rng.pick(open);
    return proposals.get(rng.int(proposals.size + 2)) ?? null;
  };
  const someDataset = (status?: string) => {
    const all = [...datasets.values()];
    const fit = status ? all.filter((d) => d.status === status && !d.withdrawn) : all;
    if (fit.length > 0 && rng.chance(0.85)) return rng.pick(fit);
    return all.length > 0 ? rng.pick(all) : null;
  };
  const someModel = () => (models.size > 0 ? rng.pick([...models.values()]) : null);
  const creatorsOf = () => {
    const a = person().accountId;
    const b = person().accountId;
    if (a === b || rng.chance(0.4)) return [{ account_id: a, share_bps: 10000 }];
    const x = rng.range(1, 9999);
    return [
      { account_id: a, share_bps: x },
      { account_id: b, share_bps: 10000 - x },
    ];
  };
  const epochNow = async () => Number((await chainNow()) / EPOCH_NS);

  // ---- proposals ----
  const kindOf = (): Record<string, unknown> & { kind: string } => {
    const k = rng.pick([
      "AddMember",
      "AddMember",
      "AddMember",
      "RemoveMember",
      "Transfer",
      "AdmitDataset",
      "AdmitDataset",
      "AdmitDataset",
      "RejectDataset",
      "RetireDataset",
      "ActivateModel",
      "ActivateModel",
      "ActivateModel",
      "DeprecateModel",
      "RollbackModel",
      "AddAttester",
      "AddAttester",
      "AddAttester",
      "RemoveAttester",
      "VoidReceipt",
      "FundRewardPool",
      "FundRewardPool",
      "FundRewardPool",
      "SetRewardPolicy",
      "Fork",
      "Signal",
    ]);
    switch (k) {
      case "AddMember": {
        const out = people.filter((p) => !members.includes(p.accountId));
        const who = out.length > 0 && rng.chance(0.9) ? rng.pick(out) : person();
        return { kind: k, member_id: who.accountId, role: "council" };
      }
      case "RemoveMember":
        return { kind: k, member_id: (members.length >= 3 ? memberOr(0.9) : person()).accountId, role: "council" };
      case "Transfer":
        return {
          kind: k,
          receiver_id: rng.pick(externals).accountId,
          amount: ((NEAR / 10n) * BigInt(rng.range(1, 30))).toString(),
        };
      case "AdmitDataset":
      case "RejectDataset":
      case "RetireDataset": {
        const d = someDataset(k === "RetireDataset" ? "Admitted" : "Submitted");
        return { kind: k, dataset_id: d ? d.id : "nothing@1.0.0" };
      }
      case "ActivateModel":
      case "DeprecateModel": {
        const all = [...models.values()];
        const m =
          all.length > 0 && rng.chance(0.7) ? all[all.length - 1 - rng.int(Math.min(all.length, 2))] : someModel();
        return { kind: k, model_id: m ? m.id : "nothing@1.0.0" };
      }
      case "RollbackModel":
        return { kind: k };
      case "AddAttester": {
        const a = rng.pick(attesterAccounts).accountId;
        const key = rng.chance(0.9) ? attesterKeys.get(a)! : rng.key();
        const bond = rng.chance(0.85) ? NEAR + (NEAR / 10n) * BigInt(rng.int(10)) : NEAR / 2n;
        return { kind: k, attester_id: a, public_key: key.public_key, bond: bond.toString() };
      }
      case "RemoveAttester":
        return { kind: k, attester_id: rng.pick(attesterAccounts).accountId };
      case "VoidReceipt": {
        const r = receipts.length > 0 ? rng.pick(receipts).id : rng.int(5);
        return { kind: k, receipt_id: r, slash: rng.chance(0.5) };
      }
      case "FundRewardPool":
        return { kind: k, amount: (NEAR * BigInt(rng.range(1, 5))).toString(), memo: "walk" };
      case "SetRewardPolicy": {
        const m = rng.range(1000, 8000);
        const d = rng.range(0, 10000 - m);
        return {
          kind: k,
          policy: {
            model_bps: m,
            data_bps: d,
            parent_bps: 10000 - m - d,
            attester_fee: rng.pick(["0", (10n ** 21n).toString(), (10n ** 22n).toString()]),
            epoch_length_ns: EPOCH_NS.toString(),
            release_bps: rng.pick([2500, 5000, 10000]),
          },
        };
      }
      case "Fork": {
        const name = rng.pick(FORK_NAMES);
        return rng.chance(0.5) ? { kind: k, name } : { kind: k, name, receiver_id: rng.pick(externals).accountId };
      }
      default:
        return { kind: "Signal", message: "walk" };
    }
  };

  const propose = async (forced?: Record<string, unknown> & { kind: string }) => {
    const kind = forced ?? kindOf();
    currentAction = `propose ${kind.kind}`;
    const who = memberOr(0.7);
    const o = await tx(who, daoId, "add_proposal", { description: `walk ${stepNo}`, kind }, BOND, 50n * TGAS);
    if (o.ok) {
      const id = Number(o.result);
      proposals.set(id, {
        id,
        kind,
        proposer: who.accountId,
        status: "inprogress",
        voters: new Set(),
        electorate: members.slice(),
        ends: (await chainNow()) + 1200n * SEC,
      });
    }
  };
  const vote = async (forced?: ProposalInfo) => {
    // mostly a member who has not voted yet, on one of the oldest open proposals
    const now = await chainNow();
    const open = [...proposals.values()].filter((q) => q.status === "inprogress" && q.ends > now);
    const p =
      forced ??
      (open.length > 0 && rng.chance(0.9) ? open[rng.int(Math.min(open.length, 3))] : someProposal(["inprogress"]));
    const id = p ? p.id : rng.int(proposals.size + 2);
    const fresh = p ? members.filter((m) => !p.voters.has(m) && p.electorate.includes(m)) : [];
    const who = fresh.length > 0 && rng.chance(0.9) ? acct(rng.pick(fresh)) : memberOr(0.8);
    const choice = rng.pick([
      "Approve",
      "Approve",
      "Approve",
      "Approve",
      "Approve",
      "Approve",
      "Approve",
      "Reject",
      "Remove",
    ]);
    currentAction = `vote ${choice}`;
    const o = await tx(who, daoId, "vote", { id, choice }, 0n, 50n * TGAS);
    if (o.ok && p) p.voters.add(who.accountId);
  };
  const execute = async (forced?: ProposalInfo) => {
    currentAction = "execute";
    const p = forced ?? someProposal(rng.chance(0.8) ? ["approved"] : ["approved", "failed"]);
    const id = p ? p.id : rng.int(5);
    if (p) currentAction = `execute ${p.kind.kind}`;
    const heavy = p && (p.kind.kind === "ActivateModel" || p.kind.kind === "RollbackModel" || p.kind.kind === "Fork");
    const medium = p && p.kind.kind === "DeprecateModel";
    await tx(person(), daoId, "execute", { id }, 0n, heavy ? 250n * TGAS : medium ? 120n * TGAS : 100n * TGAS);
  };
  const finalize: Action = async () => {
    currentAction = "finalize";
    const p = someProposal(["inprogress"]);
    await tx(person(), daoId, "finalize", { id: p ? p.id : 0 });
  };
  const leave: Action = async () => {
    const ragequit = rng.chance(0.7);
    currentAction = ragequit ? "ragequit" : "leave";
    // members leave only while at least three remain (the community must keep deciding); else a non-member tries
    const outsiders = people.filter((a) => !members.includes(a.accountId));
    const who = members.length >= 3 ? memberOr(0.9) : outsiders.length > 0 ? rng.pick(outsiders) : person();
    const [tre, info] = await Promise.all([
      view<{ available: string }>(daoId, "get_treasury"),
      view<{ account_id: string }[]>(daoId, "get_members", { limit: 100 }),
    ]);
    const expected = info.length > 0 ? BigInt(tre.available) / BigInt(info.length) : 0n;
    const wasMember = info.some((m) => m.account_id === who.accountId);
    const o = await tx(who, daoId, "leave", ragequit ? { ragequit: true } : {});
    if (o.ok && ragequit && wasMember) {
      const ev = o.events.find((e) => e.event === "ragequit");
      const amount = ev ? BigInt(String(ev.data[0].amount)) : -1n;
      if (amount !== expected) violate(`ragequit paid ${amount}, expected floor(available / members) = ${expected}`);
    }
  };
  const donate: Action = async () => {
    currentAction = "donate to DAO";
    const who = person();
    const amount = NEAR * BigInt(rng.range(1, 5));
    let o: Outcome;
    try {
      o = outcomeOf(await who.transfer(daoId, amount));
    } catch (e) {
      o = {
        ok: false,
        code: `THROWN:${String(e).slice(0, 60)}`,
        events: [],
        result: null,
        burnt: 0n,
        gas: 0n,
        touched: new Set(),
        inner: [],
      };
    }
    count(o);
    await checkAfter(who.accountId, amount, o);
  };

  // ---- forks ----
  const joined = new Set<string>(); // fork id : account
  const joinFork = async (forkId?: number, who?: NearAccount) => {
    currentAction = "join_fork";
    const ids = [...forks.keys()];
    const id = forkId ?? (ids.length > 0 ? rng.pick(ids) : rng.int(5));
    const signer = who ?? memberOr(0.9);
    const o = await tx(signer, daoId, "join_fork", { id }, 0n, 30n * TGAS);
    if (o.ok) joined.add(`${id}:${signer.accountId}`);
  };
  const executeFork = async (forkId?: number) => {
    currentAction = "execute_fork";
    const ids = [...forks.keys()];
    const id = forkId ?? (ids.length > 0 ? rng.pick(ids) : rng.int(5));
    await checkForkShare(await tx(person(), daoId, "execute_fork", { id }, 0n, 150n * TGAS));
  };
  const forkFactory: Action = async () => {
    // the next step of a fork community through the factory: create_fork (with the gas of its accounts: read and
    // creation in one transaction once the fork is decided), read_fork, resume_community
    const withDefault = [...forks.entries()].filter(([, f]) => f.receiver === accountOf(f.name, "community-dao"));
    // without a fork to the factory's receiver: a community that names a fork id that does not exist (it stays
    // Pending; under its own name, so that it does not take the name of a later real fork)
    const [forkId, f] = withDefault.length > 0 ? rng.pick(withDefault) : [rng.int(5), { name: "bogus" }];
    const c = await view<{ status: string; forked_from?: { status: string } } | null>(factoryId, "get_community", {
      name: f.name,
    }).catch(() => null);
    const who = person();
    if (!c) {
      currentAction = "create_fork";
      trackFork(f.name);
      await tx(
        who,
        factoryId,
        "create_fork",
        { name: f.name, parent: COMMUNITY, fork_id: forkId },
        required + NEAR,
        createGas + 250n * TGAS,
      );
    } else if (c.forked_from && c.forked_from.status === "Pending") {
      currentAction = "read_fork";
      await tx(who, factoryId, "read_fork", { name: f.name }, 0n, 150n * TGAS);
    } else {
      currentAction = "resume_community (fork)";
      await tx(who, factoryId, "resume_community", { name: f.name }, 0n, createGas);
    }
  };

  // ---- registries ----
  const DS_NAMES = ["faq", "chat", "code", "news"];
  const submitDataset = async (fresh?: string) => {
    currentAction = "submit_dataset";
    const name = fresh ?? rng.pick(DS_NAMES);
    const version = fresh ? "1.0.0" : `1.${rng.int(3)}.${rng.int(8)}`;
    const creators = creatorsOf();
    const who = rng.chance(0.7) ? acct(creators[0].account_id) : person();
    const o = await tx(
      who,
      dsId,
      "submit_dataset",
      {
        name,
        version,
        content_sha256: sha(`content ${name}@${version}`),
        size_bytes: "123456",
        uris: [`ipfs://bafy${name}${version}`],
        license: "CC-BY-4.0",
        datasheet_sha256: sha(`sheet ${name}@${version}`),
        creators,
      },
      NEAR / 10n,
      50n * TGAS,
    );
    if (o.ok) {
      const id = String(o.result);
      datasets.set(id, {
        id,
        submitter: who.accountId,
        creators: creators.map((c) => c.account_id),
        status: "Submitted",
        withdrawn: false,
      });
    }
  };
  const withdrawDataset: Action = async () => {
    currentAction = "withdraw_dataset";
    const d = someDataset();
    const who = d && rng.chance(0.8) ? acct(rng.pick([d.submitter, ...d.creators])) : person();
    const o = await tx(who, dsId, "withdraw_dataset", { dataset_id: d ? d.id : "faq@1.0.0", reason: "walk" });
    if (o.ok && d) d.withdrawn = true;
  };
  const removeDataset: Action = async () => {
    currentAction = "remove_dataset";
    const d = someDataset("Submitted");
    const who = d && rng.chance(0.8) ? acct(d.submitter) : person();
    const o = await tx(who, dsId, "remove_dataset", { dataset_id: d ? d.id : "faq@1.0.0" });
    if (o.ok && d) datasets.delete(d.id);
  };
  const createManifest: Action = async () => {
    currentAction = "create_manifest";
    const ids = new Set<string>();
    const n = rng.range(1, 3);
    for (let i = 0; i < n; i++) {
      const d = someDataset("Admitted");
      if (d) ids.add(d.id);
    }
    if (ids.size === 0) ids.add("faq@1.0.0");
    const o = await tx(
      person(),
      dsId,
      "create_manifest",
      { name: `m${stepNo}`, dataset_ids: [...ids] },
      NEAR / 10n,
      50n * TGAS,
    );
    if (o.ok) manifests.push(Number(o.result));
  };
  const registerModel = async (latestManifest = false) => {
    currentAction = "register_model";
    const name = rng.chance(0.8) ? "intent" : rng.pick(["intent-tuned", "other"]);
    const version = `1.${rng.int(3)}.${rng.int(10)}`;
    const manifest =
      latestManifest && manifests.length > 0
        ? manifests[manifests.length - 1]
        : manifests.length > 0 && rng.chance(0.9)
          ? manifests[manifests.length - 1 - rng.int(Math.min(manifests.length, 3))]
          : rng.range(1, 5);
    const parent = someModel();
    const weights = sha(`weights ${name}@${version} ${rng.int(2)}`);
    const owner = modelOwners.get(name);
    const o = await tx(
      latestManifest && owner ? acct(owner) : person(),
      mrId,
      "register_model",
      {
        name,
        version,
        weights_sha256: weights,
        framework: "ngram-logreg 1",
        architecture: "hashed n-grams",
        training_manifest_id: manifest,
        training_code_sha256: sha("code"),
        parent: parent && rng.chance(0.3) ? { model_id: parent.id, relation: "finetune" } : null,
        license: "Apache-2.0",
        creators: creatorsOf(),
      },
      NEAR / 10n,
      50n * TGAS,
    );
    if (o.ok) {
      const id = String(o.result);
      models.set(id, { id, name, version, weights, manifest });
      if (!modelOwners.has(name)) modelOwners.set(name, signerOf(o));
    }
  };
  const syncOrPush: Action = async () => {
    if (rng.chance(0.5)) {
      currentAction = "sync_verifier";
      await tx(person(), mrId, "sync_verifier", {}, 0n, 60n * TGAS);
    } else {
      currentAction = "push_lineage";
      const m = someModel();
      await tx(person(), mrId, "push_lineage", { model_id: m ? m.id : "intent@1.0.0" }, 0n, 100n * TGAS);
    }
  };

  // ---- verifier ----
  const signed = (
    attester: string,
    key: AttesterKey,
    m: { model_name: string; model_version: string; weights: string },
    now: bigint,
    input = rng.hex32(),
  ): SignedReceipt => {
    nonce += 1n;
    return signReceipt(
      ivId,
      {
        community: daoId,
        model_name: m.model_name,
        model_version: m.model_version,
        weights_sha256: m.weights,
        input_sha256: input,
        output_sha256: rng.hex32(),
        attester_id: attester,
        nonce: nonce.toString(),
        timestamp: now.toString(),
        enclave_measurement: null,
      },
      key.private_key,
    );
  };
  const submitReceipts: Action = async () => {
    currentAction = "submit_receipts";
    const [active, now] = await Promise.all([
      view<{ model_name: string; model_version: string; weights_sha256: string } | null>(ivId, "get_active_model"),
      chainNow(),
    ]);
    const fallback = someModel();
    const m = active
      ? { model_name: active.model_name, model_version: active.model_version, weights: active.weights_sha256 }
      : fallback
        ? { model_name: fallback.name, model_version: fallback.version, weights: fallback.weights }
        : { model_name: "intent", model_version: "1.0.0", weights: sha("none") };
    const bonded = (await view<{ attester_id: string; status: string }[]>(ivId, "get_attesters", {}))
      .filter((a) => a.status === "Active")
      .map((a) => a.attester_id);
    const attester = bonded.length > 0 && rng.chance(0.85) ? rng.pick(bonded) : rng.pick(attesterAccounts).accountId;
    const n = rng.range(1, 4);
    const list: SignedReceipt[] = [];
    const mutate = rng.chance(0.15) ? rng.int(4) : -1;
    for (let i = 0; i < n; i++) {
      const key = mutate === 0 ? rng.key() : attesterKeys.get(attester)!;
      const ts = mutate === 1 ? now - 700n * SEC : now - BigInt(rng.int(20)) * SEC;
      const mm = mutate === 2 ? { ...m, weights: rng.hex32() } : m;
      list.push(signed(attester, key, mm, ts));
    }
    if (mutate === 3 && receipts.length > 0) {
      const r = rng.pick(receipts);
      list.push({ ...list[0], input_sha256: r.input });
      list[list.length - 1] = signReceipt(
        ivId,
        { ...list[list.length - 1], attester_id: attester },
        attesterKeys.get(attester)!.private_key,
      );
    }
    const o = await tx(
      relayer(),
      ivId,
      "submit_receipts",
      { receipts: list },
      RECEIPT_STORAGE_DEPOSIT * BigInt(list.length),
      100n * TGAS,
    );
    if (o.ok && Array.isArray(o.result)) {
      const ids = o.result as number[];
      const first = await view<{ epoch: number }>(ivId, "get_receipt", { receipt_id: ids[0] });
      for (const [i, id] of ids.entries()) {
        receipts.push({
          id,
          attester,
          model_name: list[i].model_name,
          model_version: list[i].model_version,
          weights: list[i].weights_sha256,
          input: list[i].input_sha256,
          epoch: first.epoch,
        });
      }
      receiptEpochs.add(first.epoch);
    }
  };
  const relayer = () => person();
  const challenge: Action = async () => {
    currentAction = "challenge_receipt";
    if (receipts.length === 0) {
      await tx(person(), ivId, "challenge_receipt", { receipt_id: 0, conflicting: {} });
      return;
    }
    const r = rng.chance(0.8)
      ? receipts[receipts.length - 1 - rng.int(Math.min(receipts.length, 8))]
      : rng.pick(receipts);
    const same = rng.chance(0.7);
    const other = same
      ? r.attester
      : rng.pick(attesterAccounts.map((a) => a.accountId).filter((a) => a !== r.attester));
    const now = await chainNow();
    const conflicting = signed(other, attesterKeys.get(other)!, r, now, r.input);
    currentAction = same ? "challenge (same attester)" : "challenge (other attester)";
    await tx(person(), ivId, "challenge_receipt", { receipt_id: r.id, conflicting }, 0n, 100n * TGAS);
  };
  const releaseBond: Action = async () => {
    currentAction = "release_bond";
    await tx(person(), ivId, "release_bond", { attester_id: rng.pick(attesterAccounts).accountId }, 0n, 50n * TGAS);
  };
  const reportUsage: Action = async () => {
    currentAction = "report_usage";
    const eps = [...receiptEpochs].filter((e) => !reportedEpochs.has(e)).sort((a, b) => a - b);
    const epoch =
      eps.length > 0 && rng.chance(0.85) ? (rng.chance(0.8) ? eps[0] : rng.pick(eps)) : (await epochNow()) - rng.int(4);
    const o = await tx(person(), ivId, "report_usage", { epoch }, 0n, 200n * TGAS);
    if (o.ok && o.result === "Reported") reportedEpochs.add(epoch);
  };
  const closeEpoch: Action = async () => {
    currentAction = "close_epoch";
    // epochs close in order: mostly the earliest reported one
    const eps = [...reportedEpochs].filter((e) => !closedEpochs.has(e)).sort((a, b) => a - b);
    const epoch =
      eps.length > 0 && rng.chance(0.85) ? (rng.chance(0.8) ? eps[0] : rng.pick(eps)) : (await epochNow()) - rng.int(4);
    const o = await tx(person(), poolId, "close_epoch", { epoch }, 0n, 100n * TGAS);
    if (o.ok) closedEpochs.add(epoch);
  };

  // ---- pool ----
  const storageDeposit = async (forWho?: NearAccount) => {
    currentAction = "storage_deposit";
    const who = forWho ?? rng.pick(externals);
    const o = await tx(who, poolId, "storage_deposit", {}, NEAR / 50n, 30n * TGAS);
    if (o.ok) storageRegistered.add(who.accountId);
  };
  const claim = async (forWho?: NearAccount) => {
    currentAction = "claim";
    let who = forWho ?? rng.pick(externals);
    let before = BigInt(await view<string>(poolId, "claimable", { account_id: who.accountId }));
    for (let i = 0; i < 2 && !forWho && before === 0n && rng.chance(0.8); i++) {
      who = rng.pick(externals);
      before = BigInt(await view<string>(poolId, "claimable", { account_id: who.accountId }));
    }
    const o = await tx(who, poolId, "claim", {}, 0n, 80n * TGAS);
    if (o.ok) {
      const paid = o.events.filter((e) => e.event === "claim_paid");
      const sum = paid.reduce((s, e) => s + BigInt(String(e.data[0].amount)), 0n);
      if (sum !== before) violate(`claim by ${who.accountId} paid ${sum}, claimable before was ${before}`);
      const left = BigInt(await view<string>(poolId, "claimable", { account_id: who.accountId }));
      if (left !== 0n) violate(`claimable of ${who.accountId} is ${left} right after its claim`);
    }
  };
  const poolDeposit: Action = async () => {
    currentAction = "pool deposit";
    await tx(person(), poolId, "deposit", { memo: "gift" }, (NEAR / 10n) * BigInt(rng.range(1, 20)), 30n * TGAS);
  };

  // ---- time ----
  const fastForward: Action = async () => {
    currentAction = "fast_forward";
    const blocks = rng.pick([5, 20, 50, 100, 200]);
    await provider.fastForward(blocks);
    await checkAfter(null, 0n, null);
  };

  // The director pushes the story forward (datasets admitted, a manifest, a model activated, attesters bonded,
  // receipts, reports, closes, claims) so that the random mix has something to act on; it runs a third of the steps.
  let dsSerial = 0;
  let lastForkProposal = 0;
  const director = async (): Promise<Action | null> => {
    const admitted = [...datasets.values()].filter((d) => d.status === "Admitted" && !d.withdrawn);
    const submitted = [...datasets.values()].filter((d) => d.status === "Submitted" && !d.withdrawn);
    const pendingOf = (kind: string) =>
      [...proposals.values()].filter((p) => p.kind.kind === kind && ["inprogress", "approved"].includes(p.status));
    const pending = (kind: string) => pendingOf(kind).length > 0;
    // half of the time, a pipeline proposal in flight is voted or executed rather than waiting for the mix
    const advance = (kind: string): Action | null => {
      const list = pendingOf(kind);
      if (list.length === 0 || rng.chance(0.5)) return null;
      const p = list[list.length - 1];
      return p.status === "approved" ? () => execute(p) : () => vote(p);
    };
    // a fork open or awaiting its outcome: members join during the window, then it is executed (and, for the
    // factory's receiver, the fork community is created so the share can be paid)
    const fork = await view<{ id: number; status: string; ends_at: string; name: string; receiver_id: string } | null>(
      daoId,
      "get_fork",
      {},
    ).catch(() => null);
    if (fork && rng.chance(0.6)) {
      const now = await chainNow();
      if (fork.status === "Open" && now <= BigInt(fork.ends_at)) {
        const electorate = forks.get(fork.id)?.electorate ?? members;
        // at most half of the electorate joins, so that the parent community keeps members
        const already = electorate.filter((m) => joined.has(`${fork.id}:${m}`)).length;
        const joiners =
          already * 2 >= electorate.length - 1
            ? []
            : members.filter((m) => electorate.includes(m) && !joined.has(`${fork.id}:${m}`));
        if (joiners.length > 0 && rng.chance(0.6)) return () => joinFork(fork.id, acct(rng.pick(joiners)));
        return fastForward;
      }
      if (fork.receiver_id === accountOf(fork.name, "community-dao") && rng.chance(0.5)) return forkFactory;
      return () => executeFork(fork.id);
    }
    // once the community runs, a fork (to the factory's receiver or to an account) at least every 200 steps
    if (stepNo - lastForkProposal >= 200 && members.length >= 3 && !pending("Fork") && !fork) {
      lastForkProposal = stepNo;
      const name = rng.pick(FORK_NAMES);
      return () =>
        propose(rng.chance(0.5) ? { kind: "Fork", name } : { kind: "Fork", name, receiver_id: person().accountId });
    }
    if (admitted.length < 2) {
      if (submitted.length === 0) {
        return async () => {
          dsSerial += 1;
          await submitDataset(`set${dsSerial}`);
        };
      }
      if (!pending("AdmitDataset")) return () => propose({ kind: "AdmitDataset", dataset_id: rng.pick(submitted).id });
      return advance("AdmitDataset");
    }
    const active = await view<{ model_name: string } | null>(ivId, "get_active_model");
    if (!active) {
      if (manifests.length === 0 || rng.chance(0.15)) return createManifest;
      const good = [...models.values()].filter((m) => !badModels.has(m.id) && manifests.includes(m.manifest));
      if (good.length === 0 || rng.chance(0.1)) return rng.chance(0.8) ? () => registerModel(true) : createManifest;
      if (!pending("ActivateModel")) {
        return () => propose({ kind: "ActivateModel", model_id: good[good.length - 1].id });
      }
      return advance("ActivateModel");
    }
    const attesters = await view<{ attester_id: string; status: string }[]>(ivId, "get_attesters", {});
    const slashed = attesters.filter((a) => a.status === "Slashed").map((a) => a.attester_id);
    const bondable = attesterAccounts.map((a) => a.accountId).filter((a) => !slashed.includes(a));
    if (!attesters.some((a) => a.status === "Active") && !pending("AddAttester") && bondable.length > 0) {
      const a = rng.pick(bondable);
      return () =>
        propose({
          kind: "AddAttester",
          attester_id: a,
          public_key: attesterKeys.get(a)!.public_key,
          bond: NEAR.toString(),
        });
    }
    const totals = views?.totals ?? {};
    if (BigInt(totals.unallocated ?? "0") < NEAR && !pending("FundRewardPool")) {
      return () => propose({ kind: "FundRewardPool", amount: (3n * NEAR).toString() });
    }
    const next = advance("AddAttester") ?? advance("FundRewardPool");
    if (next) return next;
    const now = await chainNow();
    const unreported = [...receiptEpochs].filter((e) => !reportedEpochs.has(e));
    if (unreported.length > 0 && rng.chance(0.6)) {
      const ready = unreported.filter((e) => BigInt(e + 1) * EPOCH_NS + 121n * SEC < now);
      return ready.length > 0 ? reportUsage : fastForward;
    }
    const unclosed = [...reportedEpochs].filter((e) => !closedEpochs.has(e));
    if (unclosed.length > 0 && rng.chance(0.6)) return closeEpoch;
    if (rng.chance(0.4)) {
      // someone owed claims (after its NEP-145 storage deposit)
      const owed = await Promise.all(
        externals.map(
          async (a) => [a, BigInt(await view<string>(poolId, "claimable", { account_id: a.accountId }))] as const,
        ),
      );
      const due = owed.filter(([, v]) => v > 0n).map(([a]) => a);
      if (due.length > 0) {
        const who = rng.pick(due);
        return storageRegistered.has(who.accountId) ? () => claim(who) : () => storageDeposit(who);
      }
    }
    return rng.pick([submitReceipts, submitReceipts, () => storageDeposit(), fastForward]);
  };

  const MIX: [number, Action][] = [
    [30, () => vote()],
    [13, () => propose()],
    [10, () => execute()],
    [1, finalize],
    [5, () => submitDataset()],
    [0.6, withdrawDataset],
    [1, removeDataset],
    [3, createManifest],
    [3, () => registerModel()],
    [1, syncOrPush],
    [8, submitReceipts],
    [1.5, challenge],
    [1, releaseBond],
    [4, reportUsage],
    [4, closeEpoch],
    [2, () => storageDeposit()],
    [5, () => claim()],
    [1, poolDeposit],
    [2, donate],
    [1.5, leave],
    [2, () => joinFork()],
    [2, () => executeFork()],
    [1, forkFactory],
    [5, fastForward],
  ];
  const weightSum = MIX.reduce((s, [w]) => s + w, 0);
  const choose = (): Action => {
    let x = rng.next() * weightSum;
    for (const [w, a] of MIX) {
      x -= w;
      if (x < 0) return a;
    }
    return MIX[MIX.length - 1][1];
  };

  // Everyone the pool can credit (model and dataset creators, attesters) is an account of the walk: what they can
  // claim adds up to exactly the pool's allocated - claimed - in flight (no credit to nobody, none counted twice).
  const checkCredits = async () => {
    const [each, totals] = await Promise.all([
      Promise.all(externals.map((a) => view<string>(poolId, "claimable", { account_id: a.accountId }))),
      view<Record<string, string>>(poolId, "get_totals"),
    ]);
    const sum = each.reduce((acc, v) => acc + BigInt(v), 0n);
    const t = (k: string) => BigInt(totals[k] ?? "0");
    const owed = t("allocated") - t("claimed") - t("in_flight");
    if (sum !== owed)
      violate(`pool: claimable of all creators and attesters ${sum} != allocated - claimed - in flight ${owed}`);
  };
  // a fork's share: floor(available x joined weight / total weight), at most what was available, paid once
  const checkForkShare = async (o: Outcome) => {
    for (const e of o.events.filter((x) => x.event === "fork_payment_sent")) {
      const f = await view<{ joined_weight: number; total_weight: number }>(daoId, "get_fork", {
        id: Number(e.data[0].id),
      });
      const available = BigInt(String(e.data[0].available));
      const expected = (available * BigInt(f.joined_weight)) / BigInt(f.total_weight);
      if (BigInt(String(e.data[0].amount)) !== expected) {
        violate(`fork ${e.data[0].id} paid ${e.data[0].amount}, expected ${expected} of ${available} available`);
      }
    }
  };

  const walkStart = Date.now();
  for (stepNo = 1; stepNo <= opts.steps; stepNo++) {
    const a = rng.chance(0.3) ? ((await director()) ?? choose()) : choose();
    await a();
    actions[currentAction] = (actions[currentAction] ?? 0) + 1;
    // forks opened by an executed Fork proposal
    for (const p of proposals.values()) {
      if (p.kind.kind === "Fork" && p.status === "executed" && !forks.has(p.id)) {
        forks.set(p.id, {
          name: String(p.kind.name),
          receiver: String(p.kind.receiver_id ?? accountOf(String(p.kind.name), "community-dao")),
          electorate: members.slice(),
        });
      }
    }
    // dataset statuses follow the DAO's decisions (cheap: one view for the datasets a proposal touched)
    if (currentAction.startsWith("execute ") && /Dataset/.test(currentAction)) {
      for (const d of datasets.values()) {
        if (d.status === "Submitted" || d.status === "Admitted") {
          const v = await view<{ status: string } | null>(dsId, "get_dataset", { dataset_id: d.id }).catch(() => null);
          if (v) d.status = v.status;
        }
      }
    }
    if (stepNo % 25 === 0 || stepNo === opts.steps) await checkCredits();
    if (stepNo % 50 === 0) {
      log(
        `step ${stepNo}: ${txCount} transactions, ${violations.length} violations, tx ${txMs} ms, checks ${checkMs} ms`,
      );
    }
  }
  // Negative controls, after the walk: a yocto planted in a member's balance outside any transaction of the walk,
  // and a claim event seen twice, must both be reported; they are then taken out of the list.
  const before = violations.length;
  currentAction = "self-check";
  await root.transfer(people[0].accountId, 1n);
  await checkAfter(null, 0n, null);
  const untrackedMove = violations.slice(before).some((v) => v.what.includes(people[0].accountId));
  const planted: NepEvent = {
    standard: "ai-commons-rewards",
    version: "1.0.0",
    event: "claim_paid",
    data: [{ index: -1, account_id: people[0].accountId, amount: "1" }],
  };
  entitlementsOf([planted], "");
  entitlementsOf([planted], "");
  const doublePayment = violations.slice(before).some((v) => v.what.includes("claim:-1 paid twice"));
  violations.length = before;
  return {
    seed: opts.seed,
    steps: opts.steps,
    actions,
    outcomes,
    refusals,
    violations,
    gas: gasTotal,
    transactions: txCount,
    seconds: (Date.now() - walkStart) / 1000,
    setupSeconds,
    paidOut,
    paidIn,
    rewards: rewardsTotal,
    burnt: burntTotal,
    entitlementsPaid,
    selfCheck: { untrackedMove, doublePayment },
  };
}
