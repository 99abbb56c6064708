// Versioned state and code upgrades for every suite contract (Sputnik DAO v2's `upgrade.rs` and `migrate`, in the
// suite's terms). Each contract keeps `state_version` in its STATE and `v` on its stored records; a release that
// changes a layout adds a migration step (from version n to n + 1). The community's DAO deploys new code with an
// `UpgradeSuite` proposal (or `UpgradeSelf` for itself): the code arrives as the raw input of `upgrade`, which deploys
// it and calls `migrate_state` in one batch, so a migration that panics rolls the deploy back.
import { bytes, decode, encode, near } from "near-sdk-js";
import { fail } from "./errors";
import type { Emitter } from "./events";
import { onlyDao, onlySelf } from "./access";
import { requireGas, TGAS } from "./gas";
import { assertWasmCode, decodeBase64 } from "./validate";
import { DEPLOY_SELF_GAS_PER_BYTE, MIGRATE_GAS, upgradeCallGas } from "../wire/upgrade";
import { storageCost } from "./storage";
import { useGlobalCode } from "./global-code";
import { UPGRADE_TO_GAS } from "../wire/upgrade";

export type RawState = Record<string, unknown>;
export type MigrationStep = (state: RawState) => void;

const STATE_KEY = "STATE";
export { MIGRATE_GAS };

// What a contract's balance must keep beyond its storage stake after new code is deployed (the pool: what it owes;
// the verifier: the bonds it holds), read from the raw STATE. A bigger release needs more stake: the upgrade must
// bring it (UpgradeSuite's `deposit`), never take it from money held for others.
export type Obligations = (state: RawState) => bigint;

// One contract's migration steps, from the version it was first released at to `target`. `contract` is the code
// name the state belongs to: written into STATE (`code_name`) at init and checked by every migration, so code of
// another contract (or another contract's state) is refused and the deploy rolled back.
export class Migrations {
  private readonly steps: Record<number, MigrationStep> = {};

  constructor(
    public target: number,
    readonly contract: string,
    readonly obligations: Obligations = () => 0n,
  ) {}

  // A later release registers its step here (`from` = the version it upgrades) and the target follows.
  add(from: number, step: MigrationStep): void {
    this.steps[from] = step;
    if (from + 1 > this.target) this.target = from + 1;
  }

  // Brings a raw stored state to the target version in place; returns the version it started from.
  run(state: RawState): number {
    // States written before the code name was kept have none: the first migration stamps it.
    if (state.code_name !== undefined && state.code_name !== this.contract) {
      throw new Error(`ERR_MIGRATION: this code is ${this.contract}, the state is ${String(state.code_name)}'s`);
    }
    const from = typeof state.state_version === "number" ? state.state_version : 0;
    if (from > this.target) throw new Error(`ERR_MIGRATION: state version ${from} is newer than the code`);
    for (let v = from; v < this.target; v++) {
      const step = this.steps[v];
      if (!step) throw new Error(`ERR_MIGRATION: no step from ${v}`);
      step(state);
    }
    state.state_version = this.target;
    state.code_name = this.contract;
    return from;
  }
}

// After a deploy (same receipt): the balance less the new storage stake must still cover `owed`, or the upgrade is
// refused and rolled back with the amount to attach.
export function requireSolventAfterUpgrade(owed: bigint): void {
  const free = near.accountBalance() - storageCost(near.storageUsage());
  if (free < owed) {
    fail(
      "ERR_UPGRADE_STORAGE",
      `the new code's storage leaves ${owed - free} yoctoNEAR of what this contract holds for others uncovered: attach it as the upgrade's deposit`,
    );
  }
}

function readRawState(): RawState {
  const raw = near.storageReadRaw(bytes(STATE_KEY));
  if (!raw) fail("ERR_NOT_INITIALIZED");
  return JSON.parse(decode(raw)) as RawState;
}

// `upgrade` (raw input: the wasm): only the DAO named in the contract's state (`dao_id`) may call it. Deploys the
// code on this account and calls `migrate_state` in the same batch; the result of that batch is the call's result,
// so the DAO's proposal is Executed only when both succeeded. A deposit attached by the DAO stays as the new code's
// storage stake (refunded to the DAO with the failed receipt when the upgrade is refused).
export function upgradeByDao(): void {
  const state = readRawState();
  onlyDao(state.dao_id);
  const code = near.inputRaw();
  assertWasmCode(code);
  // Checked after the input was read (its cost grows with the code): what is left must pay the deploy and migration.
  requireGas(
    BigInt(code.length) * DEPLOY_SELF_GAS_PER_BYTE + MIGRATE_GAS + 3n * TGAS,
    `attach at least ${upgradeCallGas(code.length)}`,
  );
  // The host calls directly: NearPromise's class would add ~7 KB of bytecode to contracts that do not use it.
  const batch = near.promiseBatchCreate(near.currentAccountId());
  near.promiseBatchActionDeployContract(batch, code);
  near.promiseBatchActionFunctionCall(batch, "migrate_state", "", 0n, MIGRATE_GAS);
  near.promiseReturn(batch);
}

// `upgrade_to({hash})`: switches this account to the global code of `hash` (lower-case hex sha256, NEP-591) and calls
// `migrate_state` in the same batch, so a failing migration (or a hash with no global code) reverts the switch. The
// caller is checked by `allowed` (a suite contract: its DAO; the DAO: itself, from its UpgradeSelf proposal).
// A deposit stays as storage stake, as with `upgrade`.
export function upgradeToGlobal(allowed: (state: RawState) => void, customMigration = false): void {
  const state = readRawState();
  allowed(state);
  let args: { hash?: unknown; migrate_method?: unknown; migrate_args?: unknown };
  try {
    args = JSON.parse(near.input()) as typeof args;
  } catch (_e) {
    fail("ERR_INVALID_ARGS", 'expected {"hash": "<hex sha256>"}');
  }
  // The DAO's own UpgradeSelf may name its migration (checked by the proposal: `migrate...`, base64 arguments).
  const method = customMigration && typeof args.migrate_method === "string" ? args.migrate_method : "migrate_state";
  const input =
    customMigration && typeof args.migrate_args === "string" ? decodeBase64(args.migrate_args) : new Uint8Array(0);
  if (input === null) fail("ERR_INVALID_ARGS", "migrate_args (base64)");
  requireGas(MIGRATE_GAS + 3n * TGAS, `attach at least ${UPGRADE_TO_GAS}`);
  const batch = near.promiseBatchCreate(near.currentAccountId());
  useGlobalCode(batch, args.hash as string);
  near.promiseBatchActionFunctionCallRaw(batch, method, input, 0n, MIGRATE_GAS);
  near.promiseReturn(batch);
}

// `migrate_state`: only this account (the batch `upgrade` created) may call it. Runs the steps on the raw STATE and
// writes it back; the collections keep their keys, records are migrated by the steps that need it.
export function migrateState(migrations: Migrations, emit: Emitter): void {
  onlySelf();
  const state = readRawState();
  let from = 0;
  try {
    from = migrations.run(state);
  } catch (e) {
    fail((e as Error).message);
  }
  near.storageWriteRaw(bytes(STATE_KEY), encode(JSON.stringify(state)));
  requireSolventAfterUpgrade(migrations.obligations(state));
  emit("state_migrated", [{ from, to: migrations.target }]);
}
