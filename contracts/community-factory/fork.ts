import { NearPromise, near } from "near-sdk-js";
import type { Communities } from "./communities";
import {
  allStepsGas,
  create,
  daoAccount,
  deploySteps,
  getCommunity,
  INIT_GAS,
  readArgs,
  stepsProblem,
  utf8Bytes,
  writeArgs,
} from "./communities";
import { DAO_CODE } from "./types";
import type { Community, ForkOrigin } from "./types";
import { fail } from "../shared/errors";
import { gasLeft, TGAS } from "../shared/gas";
import { isSafeInt } from "../shared/validate";
import { FORK_SUCCEEDED, MAX_FOUNDERS } from "../wire/dao";
import type { ForkOf } from "../wire/fork";
import { selfCall } from "../shared/promise";

const READ_GAS = 30n * TGAS;
// a parent with 100 members answers get_policy for more than 10 Tgas
const POLICY_GAS = 20n * TGAS;
const CALLBACK_GAS = 30n * TGAS;
const SENDING_CALLBACK_GAS = 60n * TGAS;
// The DAO's `init` gas for a fork of up to MAX_MEMBERS members (~0.9 Tgas each, see on_fork_read).
// The parent DAO's fork statuses from which the fork is decided and succeeded, and its most members
// (contracts/wire/dao.ts).
const SUCCEEDED = FORK_SUCCEEDED as readonly string[];
const MAX_MEMBERS = MAX_FOUNDERS;
// Up to 100 members (~70 bytes each with their roles) and a policy (~4 KB) added to the DAO's init args.
export const RESERVE_BYTES = 100 * 70 + 4096;
const FORK_DAO_INIT_GAS = INIT_GAS + BigInt(MAX_MEMBERS) * TGAS;

export interface ForkArgs {
  name: string;
  parent: string;
  fork_id: number;
  dao_args?: unknown;
  init_args?: unknown;
}

// Reserves the fork community like create_community (same deposit, same steps) with the provenance, and reads the
// parent's fork; the registries get `fork_of` so they can import the parent's records (docs/fork.md). Everything the
// new DAO starts with comes from the parent's fork record (its name = the fork's receiver, its members = those who
// joined, its policy = the parent's frozen at the opening), never from the caller: anyone may pay for the creation,
// nobody but the parent's decision shapes it.
export function createFork(f: Communities, a: ForkArgs): NearPromise {
  if (a.dao_args !== undefined || a.init_args !== undefined) {
    fail("ERR_INVALID_ARGS", "a fork's DAO and contracts are set by its parent's fork, not by dao_args / init_args");
  }
  const parent = getCommunity(f, a.parent);
  if (parent.status !== "Ready") fail("ERR_PARENT_NOT_READY", parent.status);
  if (!isSafeInt(a.fork_id, 0, Number.MAX_SAFE_INTEGER)) fail("ERR_UNKNOWN_FORK", String(a.fork_id));
  const init_args: Record<string, Record<string, unknown>> = {};
  for (const s of parent.steps) {
    if (s.code === DAO_CODE) continue;
    // each suite contract learns its parent counterpart; the registries import from it
    const fork_of: ForkOf = { account_id: s.account_id, community: parent.name };
    init_args[s.code] = { fork_of };
  }
  const dao_args = { config: { name: a.name, purpose: `fork of ${parent.name}`, metadata: "" } };
  const forked_from: ForkOrigin = {
    community: parent.name,
    dao_id: parent.dao_id,
    fork_id: a.fork_id,
    block_height: null,
    members: 0,
    status: "Pending",
    last_error: null,
  };
  // the members and the parent's policy join the DAO's init args after the read: paid for now
  const c = create(f, { name: a.name, dao_args, init_args, forked_from, reserve_bytes: RESERVE_BYTES });
  return readFork(f, c);
}

// Reads the parent's fork (its first 100 joined members and the policy frozen at its opening); on_fork_read fills
// in the DAO's init.
// When the call carries the gas of every step too (get_required_deposit's `gas` plus ~150 Tgas), the callback also
// sends them: the fork is created in this one transaction. Otherwise `resume_community` sends them after the read.
export function readFork(f: Communities, c: Community): NearPromise {
  const o = c.forked_from as ForkOrigin;
  o.status = "Fetching";
  // each read is numbered: only the callback of the latest read of this record may apply
  o.read = (o.read ?? 0) + 1;
  f.communities.set(c.name, c);
  const args = JSON.stringify({ id: o.fork_id, from_index: 0, limit: MAX_MEMBERS });
  const deployGas = allStepsGas(c.steps.length, FORK_DAO_INIT_GAS);
  // the callback that also sends the steps reads up to 100 members and rewrites the arguments first: more gas
  const withSteps = gasLeft() >= READ_GAS + POLICY_GAS + SENDING_CALLBACK_GAS + deployGas + 20n * TGAS;
  return (
    NearPromise.new(o.dao_id)
      .functionCall("get_fork", args, 0n, READ_GAS)
      // a parent on code from before the frozen policy has no `policy` in get_fork: its current policy is used
      .and(NearPromise.new(o.dao_id).functionCall("get_policy", "{}", 0n, POLICY_GAS))
      .then(
        selfCall(
          "on_fork_read",
          { name: c.name, read: o.read },
          withSteps ? SENDING_CALLBACK_GAS + deployGas : CALLBACK_GAS,
        ),
      )
  );
}

interface ParentFork {
  id: number;
  name: string;
  status: string;
  receiver_id: string;
  // a parent that pays any community this factory confirms as the fork's (absent: only `receiver_id`)
  factory?: boolean;
  joined: number;
  decided_block: string | null;
  members: { account_id: string; roles: string[] }[];
  // absent from a parent on code from before the frozen policy
  policy?: Record<string, unknown> | null;
}

function result<T>(i: number): T | null {
  try {
    return JSON.parse(near.promiseResult(i)) as T;
  } catch (_e) {
    return null;
  }
}

// Never panics: a refusal is recorded (Pending + last_error) so the creator can retry the read or abandon.
export function onForkRead(f: Communities, name: string, read: number) {
  const c = getCommunity(f, name);
  const o = c.forked_from;
  // a read sent for an earlier record under this name (abandoned, then created again) or an earlier read: stale
  if (!o || o.status !== "Fetching" || (o.read ?? 0) !== read) fail("ERR_NOT_IN_FLIGHT");
  const fork = result<ParentFork>(0);
  const policy = !fork ? null : fork.policy === undefined ? result<Record<string, unknown>>(1) : fork.policy;
  // A parent that checks the community with this factory pays any community recorded as its fork's (so a squatted
  // name cannot stop a fork): any name. Otherwise the parent pays its fixed receiver: the name must be that one.
  const anyName = fork !== null && fork.factory === true && fork.receiver_id === daoAccount(fork.name);
  let err: string | null = null;
  if (!fork || fork.id !== o.fork_id) err = "ERR_PARENT_READ_FAILED";
  else if (SUCCEEDED.indexOf(fork.status) < 0) err = `ERR_FORK_NOT_SUCCEEDED: ${fork.status}`;
  else if (!anyName && fork.receiver_id !== daoAccount(c.name)) err = `ERR_FORK_RECEIVER_MISMATCH: ${fork.receiver_id}`;
  else if (fork.joined > MAX_MEMBERS) err = `ERR_TOO_MANY_MEMBERS: ${fork.joined}`;
  else if (!policy) err = "ERR_PARENT_READ_FAILED: no policy";
  if (err !== null || !fork || !policy) {
    o.status = "Pending";
    o.last_error = err;
    f.communities.set(name, c);
    f.emit("fork_read_failed", [{ name, parent: o.community, fork_id: o.fork_id, error: err }]);
    return { name, status: o.status, error: err };
  }
  const step = c.steps[0];
  const daoArgs = readArgs(c, 0);
  const args = JSON.parse(daoArgs) as Record<string, unknown>;
  args.members = fork.members.map((m) => ({ account_id: m.account_id, roles: m.roles }));
  // the parent's rules as of the fork's opening, whoever pays for the creation
  args.policy = policy;
  const text = JSON.stringify(args);
  // The record's deposit paid RESERVE_BYTES for this growth (and the DAO's balance four times it): a parent whose
  // members and policy need more cannot be forked whole; nothing is written.
  if (utf8Bytes(text) - utf8Bytes(daoArgs) > RESERVE_BYTES) {
    const tooBig = `ERR_PARENT_READ_FAILED: the fork's members and policy exceed ${RESERVE_BYTES} bytes`;
    o.status = "Pending";
    o.last_error = tooBig;
    f.communities.set(name, c);
    f.emit("fork_read_failed", [{ name, parent: o.community, fork_id: o.fork_id, error: tooBig }]);
    return { name, status: o.status, error: tooBig };
  }
  writeArgs(name, 0, text);
  step.init_gas = (INIT_GAS + BigInt(fork.members.length) * TGAS).toString();
  // the other contracts learn the provenance block too (steps not yet deployed: all of them, the DAO goes first)
  for (let i = 1; i < c.steps.length; i++) {
    if (c.steps[i].status === "Done") continue;
    const a = JSON.parse(readArgs(c, i)) as { fork_of?: { block_height?: string | null } };
    if (a.fork_of) a.fork_of.block_height = fork.decided_block;
    writeArgs(name, i, JSON.stringify(a));
  }
  o.block_height = fork.decided_block;
  o.members = fork.members.length;
  o.status = "Ready";
  o.last_error = null;
  f.communities.set(name, c);
  f.emit("fork_provenance", [
    {
      name,
      dao_id: c.dao_id,
      forked_from: o.community,
      parent_dao_id: o.dao_id,
      fork_id: o.fork_id,
      block_height: o.block_height,
      members: o.members,
    },
  ]);
  // Sent when this callback was given their gas (readFork); never a panic here: the read stays recorded.
  let sent = 0;
  const ready = stepsProblem(f, c) === null;
  if (ready && gasLeft() >= allStepsGas(c.steps.length, BigInt(step.init_gas)) + 10n * TGAS) {
    sent = deploySteps(f, c, false);
  }
  return { name, status: o.status, error: null, steps_sent: sent };
}
