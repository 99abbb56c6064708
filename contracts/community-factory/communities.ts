import { decode, encode, near } from "near-sdk-js";
import type { JsonUnorderedMap } from "../shared/json-store";
import { suiteCodes } from "./codes";
import { DAO_CODE } from "./types";
import type { CodeRecord, Community, ForkOrigin, Step } from "./types";
import { fail } from "../shared/errors";
import type { Emitter } from "../shared/events";
import { gasLeft, requireGas, TGAS } from "../shared/gas";
import { useGlobalCode } from "../shared/global-code";
import { sendNear, storageCost } from "../shared/storage";
import { isValidAccountId, isValidName } from "../shared/validate";

export const MAX_COMMUNITY_NAME = 32;
export const MAX_INIT_ARGS = 16384;
// Bytes the DAO stores per byte of its `init` arguments (see create).
export const DAO_STATE_PER_ARG_BYTE = 5n;
// Gas for a suite contract's `init` (a JS contract spends ~10 Tgas just starting) and for the factory callback.
export const INIT_GAS = 60n * TGAS;
// on_step_done reads and writes the record, deletes the step's init args and sends the storage they freed back: 15-21
// Tgas measured when the arguments were still in the record; a callback out of gas would leave the step InFlight for
// good, so it gets more than twice that.
export const CALLBACK_GAS = 45n * TGAS;
// Protocol 86 fees of a step, paid up front by the call that sends it (nearcore runtime_configs: create account
// 0.5 + 7.2, transfer 2 x 0.115, use global contract ~0.42, two action receipts 2 x 0.108, a function call's base
// 0.98 Tgas), and this call's own work per step (~5 Tgas of JS to build the batch).
const STEP_FIXED_GAS =
  7700000000000n + 2n * 115123062500n + 420000000000n + 2n * 108059500000n + 980000000000n + 5n * TGAS;
// Record growth after creation (status strings, versions and hashes written by callbacks) is paid up front.
export const RECORD_MARGIN_BYTES = 400n;
// What a creator may set in `init_args` (all codes together, as JSON), kept in the record and shown in the views and
// the `community_reserved` event.
export const MAX_CREATOR_ARGS = 4096;

// A creator's `init_args` may not name peers: a factory-made suite's contracts know each other only through the
// factory's `suite` map (and `dao_id`), and only the factory's fork path sets `fork_of`. Otherwise a creator could
// wire the pool to a verifier it runs, or a registry to a "parent" that admits anything (audit finding 5).
export function peerArg(key: string): boolean {
  return key === "suite" || key === "fork_of" || key === "community" || key.endsWith("_id") || key.endsWith("_ids");
}

// Refuses peer ids and fork_of in what a creator passes; returns the creator's settings as JSON text per code.
// `forkOf`: the factory's fork path has added `fork_of` to the registries' args itself (fork.ts), so it is let through.
export function checkCreatorArgs(
  init_args: unknown,
  suiteNames: string[],
  forkOf = false,
): Record<string, Record<string, unknown>> | undefined {
  if (init_args === undefined) return undefined;
  if (init_args === null || typeof init_args !== "object" || Array.isArray(init_args)) {
    fail("ERR_INVALID_ARGS", "init_args");
  }
  const args = init_args as Record<string, unknown>;
  for (const code in args) {
    if (code === DAO_CODE) fail("ERR_INVALID_ARGS", "the DAO's init arguments go in dao_args");
    if (suiteNames.indexOf(code) < 0) {
      // a parent's code that left the suite since: its fork_of is simply not used
      if (forkOf) continue;
      fail("ERR_INVALID_ARGS", `init_args.${code}: not a suite code`);
    }
    const extra = args[code];
    if (extra === null || typeof extra !== "object" || Array.isArray(extra)) fail("ERR_INVALID_ARGS", code);
    for (const key in extra as Record<string, unknown>) {
      if (forkOf && key === "fork_of") continue;
      if (peerArg(key)) fail("ERR_PEER_ARG", `init_args.${code}.${key}: peers come from the factory`);
    }
  }
  if (JSON.stringify(args).length > MAX_CREATOR_ARGS) {
    fail("ERR_INVALID_ARGS", `init_args above ${MAX_CREATOR_ARGS} bytes`);
  }
  return args as Record<string, Record<string, unknown>>;
}

export interface Communities {
  codes: JsonUnorderedMap<CodeRecord>;
  communities: JsonUnorderedMap<Community>;
  emit: Emitter;
}

export function daoAccount(name: string): string {
  return `${name}.${near.currentAccountId()}`;
}

export function suiteAccount(name: string, code: string): string {
  return code === DAO_CODE ? daoAccount(name) : `${name}_${code}.${near.currentAccountId()}`;
}

// The DAO's `init` gas: ~0.9 Tgas per founder on top of the base (a fork's DAO gets the same from fork.ts).
export function daoInitGas(dao_args: unknown): bigint {
  const members = (dao_args as { members?: unknown } | null)?.members;
  return INIT_GAS + (Array.isArray(members) ? BigInt(members.length) * TGAS : 0n);
}

// What sending one step costs the call that sends it: with global code no bytes travel, so the code's size no longer
// matters.
export function stepGas(initGas: bigint = INIT_GAS): bigint {
  return STEP_FIXED_GAS + initGas + CALLBACK_GAS;
}

// Gas the DAO's callback carries to send the other `count - 1` accounts (deploySteps).
function othersGas(count: number): bigint {
  return BigInt(count - 1) * stepGas() + 10n * TGAS;
}

// Gas to create a whole community: the DAO's step, whose callback carries the gas of the others, with the DAO's
// `init` gas as given (a fork's grows with its members).
export function allStepsGas(count: number, daoInitGas: bigint = INIT_GAS): bigint {
  return stepGas(daoInitGas) + othersGas(count);
}

export function getCommunity(f: Communities, name: unknown): Community {
  if (typeof name !== "string") fail("ERR_INVALID_NAME");
  const c = f.communities.get(name) as Community | null;
  if (!c) fail("ERR_UNKNOWN_COMMUNITY", name);
  return c;
}

export interface CreateArgs {
  name: string;
  // Arguments of the DAO's `init` (config, policy, members); `suite` is added by the factory.
  dao_args: Record<string, unknown>;
  // Extra `init` arguments per other suite code; `dao_id` and `suite` are added by the factory.
  init_args?: Record<string, Record<string, unknown>>;
  // A fork (fork.ts): its provenance, and the bytes its DAO's init args will grow by once the members are read.
  forked_from?: ForkOrigin;
  reserve_bytes?: number;
}

export interface Plan {
  dao_id: string;
  suite: Record<string, string>;
  steps: Step[];
  creator_args: Record<string, Record<string, unknown>>;
  // the accounts' starting balances together
  total: bigint;
}

// Checks a creation and works out its accounts, their `init` arguments and starting balances, writing nothing: what
// create records, and what get_required_deposit quotes before anyone pays.
export function plan(f: Communities, args: CreateArgs): Plan {
  const { name, dao_args, init_args, forked_from } = args;
  // '_' is not allowed in community names: it separates the community from the code name in suite accounts.
  if (!isValidName(name, MAX_COMMUNITY_NAME)) fail("ERR_INVALID_NAME", `a-z 0-9 -, 1..${MAX_COMMUNITY_NAME} chars`);
  if (f.communities.get(name) !== null) fail("ERR_NAME_TAKEN", name);
  if (dao_args === null || typeof dao_args !== "object" || Array.isArray(dao_args))
    fail("ERR_INVALID_ARGS", "dao_args");
  if ((dao_args as Record<string, unknown>).suite !== undefined) fail("ERR_PEER_ARG", "dao_args.suite");
  if (init_args !== undefined && (init_args === null || typeof init_args !== "object")) {
    fail("ERR_INVALID_ARGS", "init_args");
  }
  const codes = suiteCodes(f.codes);
  for (const code of codes) {
    if (code.global !== true) fail("ERR_CODE_NOT_PUBLISHED", `${code.name} ${code.version}: publish the release again`);
  }
  // The factory's own fork path (forked_from set) adds `fork_of` to the registries' args; a creator never does.
  checkCreatorArgs(
    init_args,
    codes.map((c) => c.name),
    forked_from !== undefined,
  );
  const suite: Record<string, string> = {};
  for (const code of codes) {
    const account = suiteAccount(name, code.name);
    if (!isValidAccountId(account)) fail("ERR_NAME_TOO_LONG", account);
    suite[code.name] = account;
  }
  const daoId = suite[DAO_CODE];
  const steps: Step[] = [];
  const creatorArgs: Record<string, Record<string, unknown>> = {};
  let total = 0n;
  for (const code of codes) {
    let initArgs: Record<string, unknown>;
    if (code.name === DAO_CODE) initArgs = { ...dao_args, suite };
    else {
      const extra = init_args?.[code.name];
      if (extra !== undefined && (extra === null || typeof extra !== "object")) fail("ERR_INVALID_ARGS", code.name);
      initArgs = { ...(extra ?? {}), dao_id: daoId, suite };
      const own: Record<string, unknown> = {};
      for (const key in extra ?? {}) if (key !== "fork_of") own[key] = (extra as Record<string, unknown>)[key];
      if (Object.keys(own).length > 0) creatorArgs[code.name] = own;
    }
    const text = JSON.stringify(initArgs);
    const textBytes = utf8Bytes(text);
    if (textBytes > MAX_INIT_ARGS) fail("ERR_INVALID_ARGS", `${code.name} init args above ${MAX_INIT_ARGS} bytes`);
    // The release's starting balance covers the contract's fixed state; what `init` stores from its arguments grows
    // with them, so it is paid on top: their size for the suite map and settings, five times it for the DAO, which
    // keeps each founder as a member record, a voting-power checkpoint and role counts (~320 bytes for ~70 of JSON),
    // including, for a fork's DAO, the members and policy its arguments grow by once read. What is not used for
    // storage stays in the community's treasury.
    const argBytes =
      code.name === DAO_CODE
        ? DAO_STATE_PER_ARG_BYTE * (BigInt(textBytes) + BigInt(args.reserve_bytes ?? 0))
        : BigInt(textBytes);
    const balance = BigInt(code.init_balance) + storageCost(argBytes);
    steps.push({
      code: code.name,
      account_id: suite[code.name],
      status: "Pending",
      ...(code.name === DAO_CODE ? { init_gas: daoInitGas(dao_args).toString() } : {}),
      init_balance: balance.toString(),
      init_args: text,
      version: null,
      sha256: null,
      attempts: 0,
      last_error: null,
    });
    total += balance;
  }
  return { dao_id: daoId, suite, steps, creator_args: creatorArgs, total };
}

// What create_community will ask for `args` (no fork): the accounts' starting balances and the storage of the record
// and of each account's `init` arguments (kept under their own keys until the account exists). The record is
// estimated from its JSON, with a quarter more and 1 KB for the map's keys, its index and the fields not listed here;
// the excess of a deposit is refunded.
export function quote(f: Communities, args: CreateArgs): bigint {
  const p = plan(f, args);
  const steps = p.steps.map((st) => ({ ...st, init_args: null }));
  const record = JSON.stringify({ name: args.name, creator: "", dao_id: p.dao_id, steps, c: p.creator_args });
  let argBytes = 0n;
  for (const st of p.steps) argBytes += BigInt(utf8Bytes(st.init_args as string) + 40 + args.name.length);
  return p.total + storageCost((BigInt(utf8Bytes(record)) * 5n) / 4n + 1000n + argBytes + RECORD_MARGIN_BYTES);
}

// create_community's own work besides sending the steps: parsing its arguments, the checks, the record, each
// account's arguments written under its key (measured: 30-50 Tgas with a verifier's settings and a pool's policy,
// ~100 Tgas for 100 founders of 9.4 KB; what is not used is refunded). Quoted without the arguments, the base alone
// covers a community with settings and a few founders.
export function createOwnGas(dao_args: unknown, init_args: unknown): bigint {
  if (dao_args === undefined) return 80n * TGAS;
  const argBytes = utf8Bytes(JSON.stringify(dao_args)) + utf8Bytes(JSON.stringify(init_args ?? null));
  return 80n * TGAS + BigInt(argBytes) * 10000000n;
}

// A step's `init` arguments (JSON text) live under their own key until its account exists, so the record that every
// callback reads and writes stays small whatever the arguments' size.
function argsKey(name: string, index: number): Uint8Array {
  return encode(`A${name}/${index}`);
}

export function readArgs(c: Community, index: number): string {
  const raw = near.storageReadRaw(argsKey(c.name, index));
  // a record from before the arguments had their own key keeps them in the step
  return raw ? decode(raw) : (c.steps[index].init_args as string);
}

export function writeArgs(name: string, index: number, text: string): void {
  near.storageWriteRaw(argsKey(name, index), encode(text));
}

function dropArgs(c: Community, index: number): void {
  near.storageRemoveRaw(argsKey(c.name, index));
  c.steps[index].init_args = null;
}

export function utf8Bytes(text: string): number {
  return encode(text).length;
}

// Gives back to the creator the storage a change freed (measured from `before`), never more than the record's
// deposit holds. Returns the amount sent.
function refundFreed(c: Community, before: bigint): bigint {
  const after = near.storageUsage();
  if (after >= before) return 0n;
  const held = BigInt(c.storage_deposit);
  const freed = storageCost(before - after);
  const refund = freed < held ? freed : held;
  if (refund <= 0n) return 0n;
  c.storage_deposit = (held - refund).toString();
  sendNear(c.creator, refund);
  return refund;
}

// Reserves the name and records one step per suite code; the creator's deposit must cover every account's starting
// balance plus this record's storage, and the rest is refunded here.
export function create(f: Communities, args: CreateArgs): Community {
  const { name, forked_from } = args;
  const p = plan(f, args);
  const { steps, suite, total } = p;
  const daoId = p.dao_id;
  const creatorArgs = p.creator_args;
  const before = near.storageUsage();
  const community: Community = {
    v: 1,
    name,
    creator: near.predecessorAccountId(),
    dao_id: daoId,
    status: "Creating",
    steps,
    deposit_left: total.toString(),
    storage_deposit: "0",
    created_at: near.blockTimestamp().toString(),
  };
  if (forked_from !== undefined) community.forked_from = forked_from;
  // What the creator chose beyond the factory's wiring stays visible after the steps drop their init args.
  if (Object.keys(creatorArgs).length > 0) community.creator_args = creatorArgs;
  for (let i = 0; i < steps.length; i++) {
    writeArgs(name, i, steps[i].init_args as string);
    steps[i].init_args = null;
  }
  f.communities.set(name, community);
  const margin = RECORD_MARGIN_BYTES + BigInt(args.reserve_bytes ?? 0);
  const storage = storageCost(near.storageUsage() - before + margin);
  community.storage_deposit = storage.toString();
  f.communities.set(name, community);
  const required = total + storage;
  const attached = near.attachedDeposit();
  if (attached < required) fail("ERR_DEPOSIT_TOO_LOW", `attached ${attached}, required ${required}`);
  sendNear(community.creator, attached - required);
  f.emit("community_reserved", [
    {
      name,
      creator: community.creator,
      dao_id: daoId,
      suite,
      deposit: required.toString(),
      refund: (attached - required).toString(),
      creator_args: community.creator_args ?? {},
    },
  ]);
  return community;
}

export function nextStep(c: Community): number {
  for (let i = 0; i < c.steps.length; i++) if (c.steps[i].status !== "Done") return i;
  return -1;
}

// Why the remaining steps cannot be sent now ([code, detail]), or null. Checked before anything is sent, so a callback
// (on_fork_read) can decide without panicking.
export function stepsProblem(f: Communities, c: Community): [string, string] | null {
  if (c.status !== "Creating") return ["ERR_ALREADY_COMPLETE", c.status];
  if (nextStep(c) < 0) return ["ERR_ALREADY_COMPLETE", ""];
  // a fork's DAO is created with the members who joined: not before they have been read (read_fork)
  if (c.forked_from && c.forked_from.status !== "Ready") return ["ERR_FORK_NOT_READ", c.forked_from.status];
  for (const step of c.steps) {
    if (step.status === "Done" || step.status === "InFlight") continue;
    const code = f.codes.get(step.code) as CodeRecord | null;
    if (!code) return ["ERR_UNKNOWN_CODE", step.code];
    if (code.global !== true) return ["ERR_CODE_NOT_PUBLISHED", `${step.code} ${code.version}: publish it again`];
    // The step's balance was paid at creation for the release of that time: a larger one cannot fit on it (the batch
    // would fail on the storage stake every time), so say so instead of sending it.
    if (BigInt(code.init_balance) > BigInt(step.init_balance)) {
      return [
        "ERR_INIT_BALANCE_TOO_LOW",
        `${step.code} ${code.version} needs ${code.init_balance}, paid ${step.init_balance}`,
      ];
    }
  }
  return null;
}

// Sends the community's accounts, each as one batch to its new account: create it, fund it, use the release's global
// code by hash, call `init`; a failure anywhere undoes that account's batch entirely (it is never created and its
// balance comes back to the factory), and `on_step_done` records the outcome. The DAO goes first, alone, and its
// callback (given the gas for them) sends the others: if the DAO cannot be created nothing else is, and the creator
// abandons with everything back. All of it happens in the transaction that started it. `retry`: a Failed account is
// sent again only by the community's creator (anyone may send what was never sent), so nobody can keep a failing
// step in flight to hold off the creator's `abandon`. Returns how many were sent.
export function deploySteps(f: Communities, c: Community, retry: boolean): number {
  const problem = stepsProblem(f, c);
  if (problem !== null) fail(problem[0], problem[1]);
  const self = near.currentAccountId();
  const daoFirst = c.steps[0].status !== "Done";
  let sent = 0;
  let skipped = 0;
  for (let i = 0; i < c.steps.length; i++) {
    const step = c.steps[i];
    if (step.status === "Done" || step.status === "InFlight") continue;
    if (daoFirst && i > 0) break;
    if (step.status === "Failed" && !retry) {
      skipped += 1;
      continue;
    }
    const code = f.codes.get(step.code) as CodeRecord;
    const initGas = step.init_gas ? BigInt(step.init_gas) : INIT_GAS;
    // the DAO's callback carries the others' gas when this call has it (a very large DAO may not leave enough under
    // the 1 Pgas cap: then the others wait, Pending, for resume_community)
    const withRest = CALLBACK_GAS + othersGas(c.steps.length);
    const callbackGas =
      i === 0 && gasLeft() >= STEP_FIXED_GAS + initGas + withRest + 10n * TGAS ? withRest : CALLBACK_GAS;
    const need = STEP_FIXED_GAS + initGas + callbackGas;
    if (gasLeft() < need + 5n * TGAS) {
      if (sent === 0) requireGas(need + 5n * TGAS);
      break;
    }
    step.status = "InFlight";
    step.attempts += 1;
    step.version = code.version;
    step.sha256 = code.sha256;
    const batch = near.promiseBatchCreate(step.account_id);
    near.promiseBatchActionCreateAccount(batch);
    near.promiseBatchActionTransfer(batch, BigInt(step.init_balance));
    useGlobalCode(batch, code.sha256);
    near.promiseBatchActionFunctionCall(batch, "init", readArgs(c, i), 0n, initGas);
    near.promiseThen(batch, self, "on_step_done", JSON.stringify({ name: c.name, index: i }), 0n, callbackGas);
    f.emit("community_step_started", [
      { name: c.name, code: step.code, account_id: step.account_id, version: code.version, sha256: code.sha256 },
    ]);
    sent += 1;
  }
  if (sent === 0 && skipped > 0) fail("ERR_NOT_CREATOR", "only the creator retries an account that failed");
  if (sent === 0) fail("ERR_STEP_IN_FLIGHT", "every remaining step is in flight: wait for its outcome");
  f.communities.set(c.name, c);
  return sent;
}

export function onStepDone(f: Communities, name: string, index: number, ok: boolean) {
  const c = getCommunity(f, name);
  const step = c.steps[index];
  if (!step || step.status !== "InFlight") fail("ERR_NOT_IN_FLIGHT");
  if (!ok) {
    // The batch rolled back: the account does not exist and its balance came back to the factory.
    step.status = "Failed";
    step.last_error = "ERR_STEP_FAILED";
    f.communities.set(name, c);
    f.emit("community_step_failed", [{ name, code: step.code, account_id: step.account_id, attempt: step.attempts }]);
    return { name, status: c.status, step: step.code, step_status: step.status };
  }
  step.status = "Done";
  step.last_error = null;
  c.deposit_left = (BigInt(c.deposit_left) - BigInt(step.init_balance)).toString();
  if (nextStep(c) < 0) c.status = "Ready";
  // The step's `init` arguments are no longer needed: the storage they held goes back to the creator.
  const before = near.storageUsage();
  dropArgs(c, index);
  const refund = refundFreed(c, before);
  f.communities.set(name, c);
  f.emit("community_step_done", [
    {
      name,
      code: step.code,
      account_id: step.account_id,
      version: step.version,
      sha256: step.sha256,
      creator: c.creator,
      storage_refund: refund.toString(),
    },
  ]);
  if (c.status === "Ready") f.emit("community_created", [{ name, dao_id: c.dao_id, creator: c.creator }]);
  // The DAO exists: its callback sends the other accounts with the gas it was given. Never a panic here (the DAO's
  // step is recorded above): a reason not to send (a newer release that needs more balance) leaves them Pending for
  // resume_community.
  let sent = 0;
  if (index === 0 && c.status === "Creating" && stepsProblem(f, c) === null && gasLeft() >= othersGas(c.steps.length)) {
    sent = deploySteps(f, c, false);
  }
  return { name, status: c.status, step: step.code, step_status: step.status, sent };
}

// The creator gives up on an unfinished community: what is left of the deposit comes back. If nothing was deployed
// the name is released and the record's storage deposit comes back too; otherwise the record stays (its accounts
// exist) marked Abandoned.
export function abandon(f: Communities, c: Community): string {
  if (near.predecessorAccountId() !== c.creator) fail("ERR_NOT_CREATOR");
  if (c.status !== "Creating") fail("ERR_ALREADY_COMPLETE", c.status);
  for (const s of c.steps) if (s.status === "InFlight") fail("ERR_STEP_IN_FLIGHT", s.code);
  // a read of the parent's fork in flight would land on a released name (and a community created under it again)
  if (c.forked_from && c.forked_from.status === "Fetching")
    fail("ERR_STEP_IN_FLIGHT", "the parent's fork is being read");
  const left = BigInt(c.deposit_left);
  const anyDone = c.steps.some((s) => s.status === "Done");
  const before = near.storageUsage();
  for (let i = 0; i < c.steps.length; i++) if (c.steps[i].status !== "Done") dropArgs(c, i);
  let refund: bigint;
  if (anyDone) {
    // the accounts that exist stay; the record stays, without the arguments of those that do not
    c.status = "Abandoned";
    c.deposit_left = "0";
    refund = left + refundFreed(c, before);
    f.communities.set(c.name, c);
    sendNear(c.creator, left);
  } else {
    refund = left + BigInt(c.storage_deposit);
    f.communities.remove(c.name);
    sendNear(c.creator, refund);
  }
  f.emit("community_abandoned", [{ name: c.name, refund: refund.toString(), released: !anyDone }]);
  return refund.toString();
}

// The DAO's `init` arguments as the creator gave them (config, members, policy; without the suite map the factory
// adds) while its account does not exist yet, so a creator who resumes can be told whether they asked for the same
// community; null once the DAO exists (its own views tell then), and for a record from before arguments had keys.
export function pendingDaoArgs(c: Community): Record<string, unknown> | null {
  const i = c.steps.findIndex((s) => s.code === DAO_CODE);
  if (i < 0 || c.steps[i].status === "Done") return null;
  const text = readArgs(c, i);
  if (!text) return null;
  const args = JSON.parse(text) as Record<string, unknown>;
  delete args.suite;
  return args;
}

export function communityView(c: Community) {
  return {
    name: c.name,
    creator: c.creator,
    dao_id: c.dao_id,
    status: c.status,
    deposit_left: c.deposit_left,
    created_at: c.created_at,
    forked_from: c.forked_from ?? null,
    // init arguments the creator set for suite contracts (never peers: see checkCreatorArgs)
    creator_args: c.creator_args ?? {},
    provenance: c.forked_from?.block_height
      ? `forked from community ${c.forked_from.community} at block ${c.forked_from.block_height}`
      : null,
    contracts: c.steps.map((s) => ({
      code: s.code,
      account_id: s.account_id,
      status: s.status,
      version: s.version,
      sha256: s.sha256,
      attempts: s.attempts,
      last_error: s.last_error,
    })),
  };
}
