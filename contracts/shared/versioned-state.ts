// Versioned state and code upgrades for every suite contract (Sputnik DAO v2's `upgrade.rs` and `migrate`, in the
// suite's terms). Each contract keeps `state_version` in its STATE and `v` on its stored records; a release that
// changes a layout adds a migration step (from version n to n + 1). The community's DAO deploys new code with an
// `UpgradeSuite` proposal (or `UpgradeSelf` for itself): the code arrives as the raw input of `upgrade`, which deploys
// it and calls `migrate_state` in one batch, so a migration that panics rolls the deploy back.
import { bytes, decode, encode, near } from "near-sdk-js";
import { fail } from "./errors";
import type { Emitter } from "./events";
import { onlyDao, onlySelf } from "./access";
import { DEPLOY_GAS_PER_BYTE, requireGas, TGAS } from "./gas";

export type RawState = Record<string, unknown>;
export type MigrationStep = (state: RawState) => void;

const STATE_KEY = "STATE";
// Gas for the migration call that follows the deploy (its steps rewrite STATE and, when a release needs it, records).
export const MIGRATE_GAS = 80n * TGAS;
// The `upgrade` call's own work besides the deploy: loading the code, reading its input, creating the batch.
const UPGRADE_OVERHEAD_GAS = 15n * TGAS;
export const MAX_CODE_BYTES = 4 * 1024 * 1024;

// Gas a caller attaches to `upgrade` with `codeBytes` of code: the deploy's fees, the migration and the call itself.
export function upgradeGas(codeBytes: number): bigint {
  return BigInt(codeBytes) * DEPLOY_GAS_PER_BYTE + MIGRATE_GAS + UPGRADE_OVERHEAD_GAS;
}

// One contract's migration steps, from the version it was first released at to `current`.
export class Migrations {
  private readonly steps: Record<number, MigrationStep> = {};

  constructor(public target: number) {}

  // A later release registers its step here (`from` = the version it upgrades) and the target follows.
  add(from: number, step: MigrationStep): void {
    this.steps[from] = step;
    if (from + 1 > this.target) this.target = from + 1;
  }

  // Brings a raw stored state to the target version in place; returns the version it started from.
  run(state: RawState): number {
    const from = typeof state.state_version === "number" ? state.state_version : 0;
    if (from > this.target) throw new Error(`ERR_MIGRATION: state version ${from} is newer than the code`);
    for (let v = from; v < this.target; v++) {
      const step = this.steps[v];
      if (!step) throw new Error(`ERR_MIGRATION: no step from ${v}`);
      step(state);
    }
    state.state_version = this.target;
    return from;
  }
}

function readRawState(): RawState {
  const raw = near.storageReadRaw(bytes(STATE_KEY));
  if (!raw) fail("ERR_NOT_INITIALIZED");
  return JSON.parse(decode(raw)) as RawState;
}

// `upgrade` (raw input: the wasm): only the DAO named in the contract's state (`dao_id`) may call it. Deploys the
// code on this account and calls `migrate_state` in the same batch; the result of that batch is the call's result,
// so the DAO's proposal is Executed only when both succeeded.
export function upgradeByDao(): void {
  const state = readRawState();
  onlyDao(state.dao_id);
  const code = near.inputRaw();
  if (code.length < 8 || code.length > MAX_CODE_BYTES) fail("ERR_INVALID_CODE", "8 bytes .. 4 MiB");
  // "\0asm": refuse what is obviously not wasm before it costs a deploy.
  if (code[0] !== 0 || code[1] !== 97 || code[2] !== 115 || code[3] !== 109) fail("ERR_INVALID_CODE", "not wasm");
  const needed = BigInt(code.length) * DEPLOY_GAS_PER_BYTE + MIGRATE_GAS;
  requireGas(needed + 5n * TGAS, `attach at least ${upgradeGas(code.length)}`);
  // The host calls directly: NearPromise's class would add ~7 KB of bytecode to contracts that do not use it.
  const batch = near.promiseBatchCreate(near.currentAccountId());
  near.promiseBatchActionDeployContract(batch, code);
  near.promiseBatchActionFunctionCall(batch, "migrate_state", "", 0n, MIGRATE_GAS);
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
  emit("state_migrated", [{ from, to: migrations.target }]);
}
