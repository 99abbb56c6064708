import { NearPromise, near } from "near-sdk-js";
import type { KindHandler } from "./kinds/handler";
import { CALLBACK_GAS, TGAS } from "./kinds/handler";
import { checkpointAt, getMember, removeFromRole } from "./members";
import { forkPolicy } from "./policy";
import type { DaoState } from "./state";
import { emit } from "./state";
import { availableTreasury } from "./treasury";
import type { ForkJoin, ForkRecord, ProposalKind } from "./types";
import { fail } from "../shared/errors";
import { readJson, removeKey, writeJson } from "../shared/json-store";
import { pageRange } from "../shared/pagination";
import { sendNear } from "../shared/storage";
import { isValidAccountId, isValidName } from "../shared/validate";

// Forking and ragequit (docs/fork.md). All fork state lives under its own keys, never in STATE, so vote and
// add_proposal neither read nor carry it: "FA" the open fork's id (present from the window's opening until the fork
// is Executed or Failed), "F<id>" the fork, "J<id>:<account>" a member's join, "L<id>#<n>" the n-th joined account.

type Fork = Extract<ProposalKind, { kind: "Fork" }>;

const ACTIVE = "FA";
// Joined members removed from the parent per execute_fork call (~1.2 Tgas each).
export const EXIT_PAGE = 25;

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
      status: "Open",
      opened_at: now.toString(),
      ends_at: (now + BigInt(pol.window)).toString(),
      opened_block: near.blockHeight().toString(),
      snapshot: dao.seq,
      weight_kind: dao.policy.default_vote_policy.weight_kind,
      // Every member holds one unit (kept or delegated), so the total weight is the member count either way.
      total_weight: dao.member_count,
      threshold_bps: pol.threshold_bps,
      joined_weight: 0,
      joined: 0,
      exited: 0,
      decided_block: null,
      available: null,
      amount: null,
      last_error: null,
    };
    save(f);
    writeJson(ACTIVE, f.id);
    emit("fork_opened", [{ id: f.id, name: f.name, receiver_id: f.receiver_id, ends_at: f.ends_at }]);
    return null;
  },
};

// Opt in once during the window with the weight the DAO's rule gives as of the opening (RoleWeight: 1,
// DelegatedWeight: own unit unless delegated, plus the units delegated to the member).
export function joinFork(dao: DaoState, id: unknown): number {
  const f = getFork(id);
  const account = near.predecessorAccountId();
  if (f.status !== "Open" || near.blockTimestamp() > BigInt(f.ends_at)) fail("ERR_FORK_WINDOW_CLOSED");
  const rec = getMember(dao, account);
  if (!rec) fail("ERR_NOT_A_MEMBER");
  const key = `J${f.id}:${account}`;
  if (readJson<ForkJoin>(key)) fail("ERR_ALREADY_JOINED");
  const cp = checkpointAt(dao, account, f.snapshot);
  const w = !cp || cp.r.length === 0 ? 0 : f.weight_kind === "RoleWeight" ? 1 : cp.p;
  if (w <= 0) fail("ERR_NO_VOTING_POWER");
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
  save(f);
}

// Anyone, after the window: decides the outcome, then removes the joined members from the parent in pages, then
// sends treasury x joined / total (floor) to the new DAO once. Call again until Executed (or Failed).
export function executeFork(dao: DaoState, id: unknown): ForkRecord | NearPromise {
  const f = getFork(id);
  if (f.status === "Open") {
    if (near.blockTimestamp() <= BigInt(f.ends_at)) fail("ERR_FORK_WINDOW_OPEN");
    f.decided_block = near.blockHeight().toString();
    // joined / total >= threshold_bps / 10,000, in integers
    if (f.joined_weight * 10000 < f.threshold_bps * f.total_weight) {
      f.status = "Failed";
      close(f);
      emit("fork_failed", [{ id: f.id, joined_weight: f.joined_weight, total_weight: f.total_weight }]);
      return f;
    }
    f.status = "Exiting";
    emit("fork_succeeded", [{ id: f.id, joined_weight: f.joined_weight, total_weight: f.total_weight }]);
  }
  if (f.status === "Exiting") {
    const end = Math.min(f.joined, f.exited + EXIT_PAGE);
    if (end > f.exited) dao.seq += 1;
    const gone: string[] = [];
    for (let i = f.exited; i < end; i++) {
      const account = readJson<string>(`L${f.id}#${i}`) as string;
      const rec = getMember(dao, account);
      if (rec) for (const role of rec.roles.slice()) removeFromRole(dao, account, role);
      gone.push(account);
    }
    f.exited = end;
    if (gone.length > 0) emit("member_removed", [{ fork_id: f.id, members: gone, reason: "fork" }]);
    if (f.exited < f.joined) {
      save(f);
      return f;
    }
    f.status = "Payable";
  }
  if (f.status === "Payable") {
    if (near.prepaidGas() - near.usedGas() < CALLBACK_GAS + 10n * TGAS) {
      save(f);
      return f;
    }
    const available = availableTreasury(dao);
    const amount = (available * BigInt(f.joined_weight)) / BigInt(f.total_weight);
    f.available = available.toString();
    f.amount = amount.toString();
    f.status = "Paying";
    save(f);
    emit("fork_payment_sent", [{ id: f.id, receiver_id: f.receiver_id, available: f.available, amount: f.amount }]);
    return NearPromise.new(f.receiver_id)
      .transfer(amount)
      .then(
        NearPromise.new(near.currentAccountId()).functionCall(
          "on_execute",
          JSON.stringify({ id: f.id, fork: true }),
          0n,
          CALLBACK_GAS,
        ),
      );
  }
  if (f.status === "Paying") fail("ERR_EXECUTION_IN_PROGRESS");
  fail("ERR_ALREADY_FINAL", f.status);
}

// The transfer's outcome: done once, or (no such account yet, e.g. the factory has not created the new DAO)
// back to Payable with the amount recomputed on the next call; the refund has returned the funds.
export function onForkPaid(id: number, ok: boolean): ForkRecord {
  const f = getFork(id);
  if (f.status !== "Paying") fail("ERR_NOT_EXECUTING");
  if (ok) {
    f.status = "Executed";
    f.last_error = null;
    close(f);
    emit("fork_executed", [{ id: f.id, receiver_id: f.receiver_id, amount: f.amount }]);
  } else {
    f.status = "Payable";
    f.last_error = "ERR_TRANSFER_FAILED";
    save(f);
    emit("fork_payment_failed", [{ id: f.id, receiver_id: f.receiver_id, amount: f.amount }]);
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
  const [start, end] = pageRange(from_index, limit, f.joined);
  const members: { account_id: string; weight: number; roles: string[] }[] = [];
  for (let i = start; i < end; i++) {
    const account = readJson<string>(`L${f.id}#${i}`) as string;
    const j = readJson<ForkJoin>(`J${f.id}:${account}`) as ForkJoin;
    members.push({ account_id: account, weight: j.w, roles: j.r });
  }
  return { ...f, members };
}
