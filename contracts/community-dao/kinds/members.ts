import { addToRole, checkAdd, getMember, isInRole, removeFromRole } from "../members";
import { findRole } from "../policy";
import type { DaoState } from "../state";
import { emit } from "../state";
import type { MemberRole, ProposalKind } from "../types";
import type { KindHandler, Phase } from "./handler";
import { isValidAccountId } from "../../shared/validate";

export const MAX_BATCH = 100;

type Add = Extract<ProposalKind, { kind: "AddMember" }>;
type AddMany = Extract<ProposalKind, { kind: "AddMembers" }>;
type Remove = Extract<ProposalKind, { kind: "RemoveMember" }>;
type RemoveMany = Extract<ProposalKind, { kind: "RemoveMembers" }>;

function checkBatch(list: unknown): string | null {
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_BATCH) return `ERR_BATCH_SIZE: 1..${MAX_BATCH}`;
  const seen: string[] = [];
  for (const m of list as MemberRole[]) {
    if (m === null || typeof m !== "object") return "ERR_INVALID_PROPOSAL: members";
    const key = `${m.member_id}/${m.role}`;
    if (seen.indexOf(key) >= 0) return `ERR_DUPLICATE_MEMBER: ${key}`;
    seen.push(key);
  }
  return null;
}

function checkAddOne(dao: DaoState, m: MemberRole, phase: Phase): string | null {
  const err = checkAdd(dao, m.member_id, m.role);
  if (err) return err;
  // At execution an existing membership is a no-op, so a batch is not blocked by one member added meanwhile.
  if (phase === "propose" && isInRole(dao, m.member_id, m.role)) return `ERR_ALREADY_MEMBER: ${m.member_id}`;
  return null;
}

function checkRemoveOne(dao: DaoState, m: MemberRole, phase: Phase): string | null {
  if (!isValidAccountId(m.member_id)) return `ERR_INVALID_ACCOUNT_ID: ${String(m.member_id)}`;
  if (phase === "propose" && !findRole(dao.policy, m.role)) return `ERR_UNKNOWN_ROLE: ${String(m.role)}`;
  if (phase === "propose" && !isInRole(dao, m.member_id, m.role)) return `ERR_NOT_A_MEMBER: ${m.member_id}`;
  return null;
}

// A removal may not leave the community without members: nobody could propose or vote again, and the treasury,
// bonds and suite would be stranded. The last member adds a successor first, or pays the treasury out by a Transfer.
function checkNotEmptied(dao: DaoState, list: MemberRole[]): string | null {
  let gone = 0;
  const counted: string[] = [];
  for (const m of list) {
    if (counted.indexOf(m.member_id) >= 0) continue;
    const rec = getMember(dao, m.member_id);
    if (!rec) continue;
    let left = 0;
    for (const role of rec.roles) if (!list.some((x) => x.member_id === m.member_id && x.role === role)) left++;
    if (left === 0) gone++;
    counted.push(m.member_id);
  }
  return gone > 0 && gone >= dao.member_count ? "ERR_LAST_MEMBER" : null;
}

function addAll(dao: DaoState, list: MemberRole[]): void {
  dao.seq += 1;
  const added: MemberRole[] = [];
  for (const m of list) if (addToRole(dao, m.member_id, m.role)) added.push({ member_id: m.member_id, role: m.role });
  if (added.length > 0) emit("member_added", added);
}

function removeAll(dao: DaoState, list: MemberRole[]): void {
  dao.seq += 1;
  const removed: MemberRole[] = [];
  for (const m of list) {
    if (removeFromRole(dao, m.member_id, m.role)) removed.push({ member_id: m.member_id, role: m.role });
  }
  if (removed.length > 0)
    emit(
      "member_removed",
      removed.map((m) => ({ ...m, reason: "proposal" })),
    );
}

export const addMember: KindHandler<Add> = {
  check: (dao, k, phase) => checkAddOne(dao, { member_id: k.member_id, role: k.role }, phase),
  apply: (dao, k) => {
    addAll(dao, [{ member_id: k.member_id, role: k.role }]);
    return null;
  },
};

export const addMembers: KindHandler<AddMany> = {
  check: (dao, k, phase) => {
    const err = checkBatch(k.members);
    if (err) return err;
    for (const m of k.members) {
      const e = checkAddOne(dao, m, phase);
      if (e) return e;
    }
    return null;
  },
  apply: (dao, k) => {
    addAll(dao, k.members);
    return null;
  },
};

export const removeMember: KindHandler<Remove> = {
  check: (dao, k, phase) =>
    checkRemoveOne(dao, { member_id: k.member_id, role: k.role }, phase) ??
    checkNotEmptied(dao, [{ member_id: k.member_id, role: k.role }]),
  apply: (dao, k) => {
    removeAll(dao, [{ member_id: k.member_id, role: k.role }]);
    return null;
  },
};

export const removeMembers: KindHandler<RemoveMany> = {
  check: (dao, k, phase) => {
    const err = checkBatch(k.members);
    if (err) return err;
    for (const m of k.members) {
      const e = checkRemoveOne(dao, m, phase);
      if (e) return e;
    }
    return checkNotEmptied(dao, k.members);
  },
  apply: (dao, k) => {
    removeAll(dao, k.members);
    return null;
  },
};
