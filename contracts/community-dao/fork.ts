import { NearPromise, near } from "near-sdk-js";
import type { KindHandler } from "./kinds/handler";
import { TGAS } from "./kinds/handler";
import { checkpointAt, getMember, removeMember } from "./members";
import { forkPolicy } from "./policy";
import type { DaoState } from "./state";
import { emit, OPEN_VOTES } from "./state";
import { availableTreasury } from "./treasury";
import type { ForkJoin, ForkRecord, ProposalKind } from "./types";
import { fail } from "../shared/errors";
import { gasLeft } from "../shared/gas";
import { readJson, removeKey, writeJson } from "../shared/json-store";
import { page } from "../shared/pagination";
import { sendNear } from "../shared/storage";
import { isValidAccountId, isValidName } from "../shared/validate";
import { selfCall } from "../shared/promise";

// Forking and ragequit (docs/fork.md). All fork state lives under its own keys, never in STATE, so vote and
// add_proposal neither read nor carry it: "FA" the open fork's id (present from the window's opening until the fork
// is Executed or Failed), "F<id>" the fork, "J<id>:<account>" a member's join, "L<id>#<n>" the n-th joined account.

type Fork = Extract<ProposalKind, { kind: "Fork" }>;

const ACTIVE = "FA";
// Joined members removed from the parent per execute_fork call (~1.2 Tgas each).
export const EXIT_PAGE = 25;
// At most this many members join a fork: the fork's DAO starts with them (its init takes at most 100 members, and
// the factory reads 100), so a fork is always payable (no opponent can veto it by joining).
export const MAX_JOINED = 100;

export function activeFork(): number | null {
  return readJson<number>(ACTIVE);
}

export function getFork(id: unknown): ForkRecord {
  const f = typeof id === "number" ? readJson<ForkRecord>(`F${id}`) : null;
  if (!f) fail("ERR_UNKNOWN_FORK", String(id));
  return f;
}

function save(f: ForkRecord): void {
  writeJson(`F${f.id}`, f);
}

function receiverOf(dao: DaoState, k: Fork): string {
  return k.receiver_id ?? `${k.name}.${dao.factory_id}`;
}

// Opening a window when one is already open (or awaiting its outcome) is refused: one fork at a time.
export const fork: KindHandler<Fork> = {
  check: (dao, k) => {
    if (!isValidName(k.name, 32)) return "ERR_INVALID_NAME: a-z 0-9 -, 1..32 chars";
    if (!isValidAccountId(receiverOf(dao, k))) return "ERR_INVALID_ACCOUNT_ID: receiver_id";
    if (receiverOf(dao, k) === near.currentAccountId()) return "ERR_SELF_CALL";
    // nobody could join, and the share would divide by zero
    if (dao.member_count === 0) return "ERR_NO_MEMBERS";
    return activeFork() === null ? null : "ERR_FORK_ACTIVE";
  },
  apply: (dao, k, p) => {
    const pol = forkPolicy(dao.policy);
    const now = near.blockTimestamp();
    const f: ForkRecord = {
      v: 1,
      id: p.id,
      name: k.name,
      receiver_id: receiverOf(dao, k),
      factory: receiverOf(dao, k) === `${k.name}.${dao.factory_id}`,
      candidate: null,
      status: "Open",
      opened_at: now.toString(),
      ends_at: (now + BigInt(pol.window)).toString(),
      opened_block: near.blockHeight().toString(),
      snapshot: dao.seq,
      weight_kind: dao.policy.default_vote_policy.weight_kind,
      // One unit per member: a fork counts and pays the members who leave, never weight delegated by those who stay.
      total_weight: dao.member_count,
      threshold_bps: pol.threshold_bps,
      joined_weight: 0,
      joined: 0,
      exited: 0,
      decided_block: null,
      settle_by: null,
      available: null,
      amount: null,
      last_error: null,
    };
    save(f);
    // the founding policy of the fork's DAO, frozen now: the factory reads it from get_fork, not from the caller
    writeJson(`FP${f.id}`, dao.policy);
    writeJson(ACTIVE, f.id);
    emit("fork_opened", [{ id: f.id, name: f.name, receiver_id: f.receiver_id, ends_at: f.ends_at }]);
    return null;
  },
};

// Opt in once during the window. One unit per member who was a member at the opening, whatever the vote weight
// rule: a fork pays per member who leaves (a member who delegated leaves with its own unit; a delegate does not carry
// the units of delegators who stay, they keep them for their own exit).
export function joinFork(dao: DaoState, id: unknown): number {
  const f = getFork(id);
  const account = near.predecessorAccountId();
  if (f.status !== "Open" || near.blockTimestamp() > BigInt(f.ends_at)) fail("ERR_FORK_WINDOW_CLOSED");
  const rec = getMember(dao, account);
  if (!rec) fail("ERR_NOT_A_MEMBER");
  const key = `J${f.id}:${account}`;
  if (readJson<ForkJoin>(key)) fail("ERR_ALREADY_JOINED");
  const cp = checkpointAt(dao, account, f.snapshot);
  // not a member at the opening (joined the DAO during the window): not counted in total_weight
  if (!cp || cp.r.length === 0) fail("ERR_NO_VOTING_POWER");
  if (f.joined >= MAX_JOINED) fail("ERR_FORK_FULL", `at most ${MAX_JOINED} members join a fork`);
  const w = 1;
  writeJson(key, { w, r: rec.roles } as ForkJoin);
  writeJson(`L${f.id}#${f.joined}`, account);
  f.joined += 1;
  f.joined_weight += w;
  save(f);
  emit("fork_joined", [{ id: f.id, account_id: account, weight: w, joined_weight: f.joined_weight }]);
  return w;
}

function close(f: ForkRecord): void {
  removeKey(ACTIVE);
  removeKey(`FP${f.id}`);
  save(f);
}

// Gas: the factory's get_community view, the check callback (which sends the payment and its callback), the
// payment's callback (which only records the outcome, so it cannot run out of gas with the money sent), and the
// execute_fork it then calls on itself to remove the first joined members (a separate receipt: if it runs short,
// the fork simply stays Exiting for the next execute_fork).
const VIEW_GAS = 15n * TGAS;
const EXIT_GAS = 30n * TGAS;
const PAID_GAS = EXIT_GAS + 15n * TGAS;
const CHECK_GAS = PAID_GAS + 15n * TGAS;

// Whether the fork is paid to a community its factory confirms (no explicit receiver_id in the proposal). Such a
// fork's receiver is not fixed by the proposal: any community the factory records as this fork's (created with the
// joined members and the frozen policy, whatever its name) is paid, so a squatted name cannot kill the fork.
function viaFactory(dao: DaoState, f: ForkRecord): boolean {
  return f.factory ?? f.receiver_id === `${f.name}.${dao.factory_id}`;
}

// What removing `account` may cost: its open votes are taken out of their proposals' tallies (at most 100 open:
// 137 Tgas measured, docs/dao.md).
function removalGas(account: string): bigint {
  const open = OPEN_VOTES.get(account);
  return 3n * TGAS + (BigInt(open ? open.length : 0) * 14n * TGAS) / 10n;
}

// Removes up to EXIT_PAGE joined members from every role (a member who left meanwhile is skipped), each only when the
// call's gas still covers its removal plus `reserve` (so members made costly by many open votes never make every
// call run out of gas: they wait for a call with enough). Executed once all have left.
function exitMembers(dao: DaoState, f: ForkRecord, reserve: bigint): void {
  const end = Math.min(f.joined, f.exited + EXIT_PAGE);
  const gone: string[] = [];
  let i = f.exited;
  for (; i < end; i++) {
    const account = readJson<string>(`L${f.id}#${i}`) as string;
    if (gasLeft() < reserve + removalGas(account)) break;
    // every role at once, its open votes voided once (removalGas is that cost, whatever the number of roles)
    removeMember(dao, account);
    gone.push(account);
  }
  if (gone.length > 0) {
    dao.seq += 1;
    emit(
      "member_removed",
      gone.map((member_id) => ({ member_id, role: null, reason: "fork", fork_id: f.id })),
    );
  }
  f.exited = i;
  if (f.exited < f.joined) {
    save(f);
    return;
  }
  f.status = "Executed";
  close(f);
  emit("fork_executed", [{ id: f.id, receiver_id: f.receiver_id, amount: f.amount }]);
}

// Anyone, after the window: decides the outcome; then (the receiver checked with the factory when it is the
// factory's account for the fork's name) pays treasury x joined / total (floor) once; only then removes the joined
// members from the parent, in pages. Unpaid by `settle_by` (receiver never created, squatted, refused): Cancelled,
// nobody removed. Call again until Executed, Failed or Cancelled.
export function executeFork(dao: DaoState, id: unknown, name?: unknown): ForkRecord | NearPromise {
  const f = getFork(id);
  if (name !== undefined && name !== null && !isValidName(name, 32)) fail("ERR_INVALID_NAME", "name");
  const now = near.blockTimestamp();
  if (f.status === "Open") {
    if (now <= BigInt(f.ends_at)) fail("ERR_FORK_WINDOW_OPEN");
    f.decided_block = near.blockHeight().toString();
    // joined / total >= threshold_bps / 10,000, in integers; nobody joined: nothing to fork
    if (f.joined === 0 || f.joined_weight * 10000 < f.threshold_bps * f.total_weight) {
      f.status = "Failed";
      close(f);
      emit("fork_failed", [{ id: f.id, joined_weight: f.joined_weight, total_weight: f.total_weight }]);
      return f;
    }
    f.status = "Payable";
    // as long again as the window to create the fork community and have it paid
    f.settle_by = (now + (BigInt(f.ends_at) - BigInt(f.opened_at))).toString();
    emit("fork_succeeded", [
      { id: f.id, joined_weight: f.joined_weight, total_weight: f.total_weight, settle_by: f.settle_by },
    ]);
  }
  // Checking holds no money (the transfer is sent by the check's callback): still Checking after settle_by means that
  // callback failed, so the fork is cancelled like an unpaid one instead of freezing the parent.
  if (f.status === "Payable" || (f.status === "Checking" && now > BigInt(f.settle_by as string))) {
    if (now > BigInt(f.settle_by as string)) {
      f.status = "Cancelled";
      close(f);
      emit("fork_cancelled", [{ id: f.id, receiver_id: f.receiver_id, last_error: f.last_error }]);
      return f;
    }
    const factory = viaFactory(dao, f);
    const need = (factory ? VIEW_GAS + CHECK_GAS : PAID_GAS) + 10n * TGAS;
    if (gasLeft() < need) {
      save(f);
      return f;
    }
    if (!factory) return pay(dao, f);
    // the community to check: the caller's (e.g. the forkers', created under another name), else the proposal's name
    const candidate = typeof name === "string" ? name : f.name;
    f.status = "Checking";
    f.candidate = candidate;
    save(f);
    return NearPromise.new(dao.factory_id)
      .functionCall("get_community", JSON.stringify({ name: candidate }), 0n, VIEW_GAS)
      .then(selfCall("on_execute", { id: f.id, fork: "check" }, CHECK_GAS));
  }
  if (f.status === "Exiting") {
    // each removal also takes the member's open votes out of their tallies (members.ts): exitMembers prices each
    // member by its own open votes (removalGas) instead of reserving the worst case for everyone
    const from = f.exited;
    exitMembers(dao, f, 5n * TGAS);
    // a caller's call that could not remove anyone says so (the DAO's own follow-up just leaves it for the next call)
    if (f.exited === from && near.predecessorAccountId() !== near.currentAccountId()) {
      const next = readJson<string>(`L${f.id}#${from}`) as string;
      fail("ERR_NOT_ENOUGH_GAS", `removing ${next} needs ${removalGas(next) + 5n * TGAS} more gas`);
    }
    return f;
  }
  if (f.status === "Checking" || f.status === "Paying") fail("ERR_EXECUTION_IN_PROGRESS");
  fail("ERR_ALREADY_FINAL", f.status);
}

function pay(dao: DaoState, f: ForkRecord): NearPromise {
  const available = availableTreasury(dao);
  const amount = (available * BigInt(f.joined_weight)) / BigInt(f.total_weight);
  f.available = available.toString();
  f.amount = amount.toString();
  f.status = "Paying";
  save(f);
  emit("fork_payment_sent", [{ id: f.id, receiver_id: f.receiver_id, available: f.available, amount: f.amount }]);
  return NearPromise.new(f.receiver_id)
    .transfer(amount)
    .then(selfCall("on_execute", { id: f.id, fork: true }, PAID_GAS));
}

interface FactoryCommunity {
  dao_id: string;
  forked_from: { dao_id: string; fork_id: number; status: string; members: number } | null;
  contracts: { account_id: string; status: string }[];
}

// Why the factory's record of the community `account` (its DAO) is not this fork's created community (null: it is).
function unbound(f: ForkRecord, account: string, c: FactoryCommunity | null): string | null {
  if (!c) return "ERR_FORK_NOT_CREATED";
  const o = c.forked_from;
  if (c.dao_id !== account || !o || o.dao_id !== near.currentAccountId() || o.fork_id !== f.id) {
    return "ERR_FORK_NOT_BOUND";
  }
  if (o.status !== "Ready" || o.members !== f.joined) return "ERR_FORK_NOT_CREATED";
  const step = c.contracts.find((s) => s.account_id === account);
  return step && step.status === "Done" ? null : "ERR_FORK_NOT_CREATED";
}

// The factory's answer: pays if the receiver is this fork's community with its DAO created, else back to Payable.
export function onForkChecked(dao: DaoState, id: number): ForkRecord | NearPromise {
  const f = getFork(id);
  if (f.status !== "Checking") fail("ERR_NOT_EXECUTING");
  let c: FactoryCommunity | null = null;
  try {
    c = JSON.parse(near.promiseResult(0)) as FactoryCommunity | null;
  } catch (_e) {
    c = null;
  }
  // the account the factory gives the checked name's DAO (`<name>.<factory_id>`)
  const account = `${f.candidate ?? f.name}.${dao.factory_id}`;
  const err = unbound(f, account, c);
  if (err === null) {
    // confirmed: this community is paid (the receiver is now fixed; a failed transfer checks again)
    f.receiver_id = account;
    return pay(dao, f);
  }
  f.status = "Payable";
  f.last_error = err;
  save(f);
  emit("fork_payment_failed", [{ id: f.id, receiver_id: f.receiver_id, amount: null, error: err }]);
  return f;
}

// The transfer's outcome: paid once, then the joined members leave (execute_fork, first called here on itself); or
// (no such account) back to Payable, the refund has returned the funds and the next call recomputes the amount on
// the then-current treasury.
export function onForkPaid(id: number, ok: boolean): ForkRecord | NearPromise {
  const f = getFork(id);
  if (f.status !== "Paying") fail("ERR_NOT_EXECUTING");
  if (ok) {
    f.status = "Exiting";
    f.last_error = null;
    save(f);
    return selfCall("execute_fork", { id: f.id }, EXIT_GAS);
  } else {
    f.status = "Payable";
    f.last_error = "ERR_TRANSFER_FAILED";
    save(f);
    emit("fork_payment_failed", [
      { id: f.id, receiver_id: f.receiver_id, amount: f.amount, error: "ERR_TRANSFER_FAILED" },
    ]);
  }
  return f;
}

// Ragequit: a leaving member's share, available treasury x 1 / member_count (floor; its own unit, delegated or not),
// sent here; the caller then removes it. Only when the policy allows it and no fork is open or awaiting its outcome
// (the fork's share is computed on the same funds).
export function ragequitShare(dao: DaoState, account: string): bigint {
  if (!forkPolicy(dao.policy).ragequit) fail("ERR_RAGEQUIT_DISABLED");
  if (activeFork() !== null) fail("ERR_FORK_WINDOW_OPEN");
  const available = availableTreasury(dao);
  const amount = available / BigInt(dao.member_count);
  sendNear(account, amount);
  emit("ragequit", [
    { account_id: account, available: available.toString(), members: dao.member_count, amount: amount.toString() },
  ]);
  return amount;
}

export function forkView(id: unknown, from_index?: number, limit?: number) {
  const f = getFork(id);
  const members = page(from_index, limit, f.joined, (i) => {
    const account = readJson<string>(`L${f.id}#${i}`) as string;
    const j = readJson<ForkJoin>(`J${f.id}:${account}`) as ForkJoin;
    return { account_id: account, weight: j.w, roles: j.r };
  });
  // the fork DAO's founding policy (frozen at the opening, until the fork is final)
  return { ...f, members, policy: readJson<Record<string, unknown>>(`FP${f.id}`) };
}
