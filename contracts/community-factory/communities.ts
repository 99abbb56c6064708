import { NearPromise, near } from "near-sdk-js";
import type { UnorderedMap } from "near-sdk-js";
import { readCode, suiteCodes } from "./codes";
import { DAO_CODE } from "./types";
import type { CodeRecord, Community, ForkOrigin, Step } from "./types";
import { fail } from "../shared/errors";
import type { Emitter } from "../shared/events";
import { DEPLOY_OTHER_GAS_PER_BYTE, requireGas, TGAS } from "../shared/gas";
import { sendNear, storageCost } from "../shared/storage";
import { isValidAccountId, isValidName } from "../shared/validate";
import { selfCall } from "../shared/promise";

export const MAX_COMMUNITY_NAME = 32;
export const MAX_INIT_ARGS = 16384;
// Gas for a suite contract's `init` (a JS contract spends ~10 Tgas just starting) and for the factory callback.
export const INIT_GAS = 60n * TGAS;
export const CALLBACK_GAS = 20n * TGAS;
// Protocol 77 fees of a step, paid up front by the call that sends it: deploy per byte (shared/gas.ts), create
// account, transfer, function call base, and this call's own work after scheduling.
const STEP_FIXED_GAS = 2n * 3850000000000n + 2n * 115123062500n + 2n * 108059500000n + 980000000000n + 15n * TGAS;
// Record growth after creation (status strings, versions and hashes written by callbacks) is paid up front.
const RECORD_MARGIN_BYTES = 400n;
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
  codes: UnorderedMap<CodeRecord>;
  communities: UnorderedMap<Community>;
  emit: Emitter;
}

export function daoAccount(name: string): string {
  return `${name}.${near.currentAccountId()}`;
}

export function suiteAccount(name: string, code: string): string {
  return code === DAO_CODE ? daoAccount(name) : `${name}_${code}.${near.currentAccountId()}`;
}

export function stepGas(bytes: number, initGas: bigint = INIT_GAS): bigint {
  return BigInt(bytes) * DEPLOY_OTHER_GAS_PER_BYTE + STEP_FIXED_GAS + initGas + CALLBACK_GAS;
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

// Reserves the name and records one step per suite code; the creator's deposit must cover every account's starting
// balance plus this record's storage, and the rest is refunded here.
export function create(f: Communities, args: CreateArgs): Community {
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
    if (text.length > MAX_INIT_ARGS) fail("ERR_INVALID_ARGS", `${code.name} init args above ${MAX_INIT_ARGS} bytes`);
    steps.push({
      code: code.name,
      account_id: suite[code.name],
      status: "Pending",
      init_balance: code.init_balance,
      init_args: text,
      version: null,
      sha256: null,
      attempts: 0,
      last_error: null,
    });
    total += BigInt(code.init_balance);
  }
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
      creator_args: community.creator_args ?? {},
    },
  ]);
  return community;
}

export function nextStep(c: Community): number {
  for (let i = 0; i < c.steps.length; i++) if (c.steps[i].status !== "Done") return i;
  return -1;
}

// Sends the next step: one batch to the new account (create, fund, deploy, `init`) so a failure anywhere undoes it
// all, and a callback that records the outcome. Resumable: a failed step is simply sent again.
export function deployNext(f: Communities, c: Community): NearPromise {
  if (c.status !== "Creating") fail("ERR_ALREADY_COMPLETE", c.status);
  const i = nextStep(c);
  if (i < 0) fail("ERR_ALREADY_COMPLETE");
  const step = c.steps[i];
  if (step.status === "InFlight") fail("ERR_STEP_IN_FLIGHT", step.code);
  // a fork's DAO is created with the members who joined: not before they have been read (read_fork)
  if (c.forked_from && c.forked_from.status !== "Ready") fail("ERR_FORK_NOT_READ", c.forked_from.status);
  const code = f.codes.get(step.code) as CodeRecord | null;
  if (!code) fail("ERR_UNKNOWN_CODE", step.code);
  // The step's balance was paid at creation for the code of that time: a larger release cannot fit on it (the batch
  // would fail on the storage stake every time), so say so instead of sending it.
  if (BigInt(code.init_balance) > BigInt(step.init_balance)) {
    fail(
      "ERR_INIT_BALANCE_TOO_LOW",
      `${step.code} ${code.version} needs ${code.init_balance}, paid ${step.init_balance}`,
    );
  }
  const initGas = step.init_gas ? BigInt(step.init_gas) : INIT_GAS;
  const need = stepGas(code.bytes, initGas);
  requireGas(need);
  const wasm = readCode(step.code);
  step.status = "InFlight";
  step.attempts += 1;
  step.version = code.version;
  step.sha256 = code.sha256;
  f.communities.set(c.name, c);
  f.emit("community_step_started", [
    { name: c.name, code: step.code, account_id: step.account_id, version: code.version },
  ]);
  return NearPromise.new(step.account_id)
    .createAccount()
    .transfer(BigInt(step.init_balance))
    .deployContract(wasm)
    .functionCall("init", step.init_args as string, 0n, initGas)
    .then(selfCall("on_step_done", { name: c.name, index: i }, CALLBACK_GAS));
}

export function onStepDone(f: Communities, name: string, index: number, ok: boolean) {
  const c = getCommunity(f, name);
  const step = c.steps[index];
  if (!step || step.status !== "InFlight") fail("ERR_NOT_IN_FLIGHT");
  if (ok) {
    step.status = "Done";
    step.init_args = null;
    step.last_error = null;
    c.deposit_left = (BigInt(c.deposit_left) - BigInt(step.init_balance)).toString();
    f.emit("community_step_done", [
      { name, code: step.code, account_id: step.account_id, version: step.version, sha256: step.sha256 },
    ]);
    if (nextStep(c) < 0) {
      c.status = "Ready";
      f.emit("community_created", [{ name, dao_id: c.dao_id, creator: c.creator }]);
    }
  } else {
    // The batch rolled back: the account does not exist and its balance came back to the factory.
    step.status = "Failed";
    step.last_error = "ERR_STEP_FAILED";
    f.emit("community_step_failed", [{ name, code: step.code, account_id: step.account_id, attempt: step.attempts }]);
  }
  f.communities.set(name, c);
  return { name, status: c.status, step: step.code, step_status: step.status };
}

// The creator gives up on an unfinished community: what is left of the deposit comes back. If nothing was deployed
// the name is released and the record's storage deposit comes back too; otherwise the record stays (its accounts
// exist) marked Abandoned.
export function abandon(f: Communities, c: Community): string {
  if (near.predecessorAccountId() !== c.creator) fail("ERR_NOT_CREATOR");
  if (c.status !== "Creating") fail("ERR_ALREADY_COMPLETE", c.status);
  for (const s of c.steps) if (s.status === "InFlight") fail("ERR_STEP_IN_FLIGHT", s.code);
  let refund = BigInt(c.deposit_left);
  const anyDone = c.steps.some((s) => s.status === "Done");
  if (anyDone) {
    c.status = "Abandoned";
    c.deposit_left = "0";
    for (const s of c.steps) if (s.status !== "Done") s.init_args = null;
    f.communities.set(c.name, c);
  } else {
    refund += BigInt(c.storage_deposit);
    f.communities.remove(c.name);
  }
  sendNear(c.creator, refund);
  f.emit("community_abandoned", [{ name: c.name, refund: refund.toString(), released: !anyDone }]);
  return refund.toString();
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
