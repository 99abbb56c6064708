// The gas of a code upgrade, stated once for the DAO (what `execute` must have left), the suite contracts (what
// `upgrade` checks) and the CLI (what it attaches). Data and arithmetic only: no near-sdk-js import.
// Per-byte figures are protocol 77's fees (nearcore parameters.yaml) and, where marked, measured on the local node
// with sandbox-tests/attacks/upgrade.test.ts (350 KB to 1.3 MB releases).

const TGAS = 1000000000000n;
// DeployContract on the account itself: send to self plus execution.
export const DEPLOY_SELF_GAS_PER_BYTE = 6812999n + 64572944n;
// A FunctionCall's arguments: send (not to self) plus execution.
export const CALL_ARGS_GAS_PER_BYTE = 2235934n + 2235934n;
// The callee's `upgrade` reading the code from its input into the deploy (measured ~19 Mgas a byte).
export const UPGRADE_INPUT_GAS_PER_BYTE = 25000000n;
// The DAO reading a stored blob and handing it to a promise (measured 65-81 Mgas a byte).
export const BLOB_SEND_GAS_PER_BYTE = 90000000n;
// The DAO's callback deleting the blob once the upgrade succeeded (storage_remove: ~11.5 Mgas a byte).
export const BLOB_RELEASE_GAS_PER_BYTE = 15000000n;
// The migration call that follows the deploy (its steps rewrite STATE and, when a release needs it, records).
export const MIGRATE_GAS = 80n * TGAS;
// `upgrade`'s own work besides the per-byte costs: loading the contract, the checks, creating the batch.
// 20 Tgas: the DAO's own `upgrade_to` (UpgradeSelf, global) burns ~13 Tgas before it checks what is left.
export const UPGRADE_OVERHEAD_GAS = 20n * TGAS;
// The DAO's `on_execute` without a blob to delete, and `execute`'s own work around a kind.
export const CALLBACK_GAS = 20n * TGAS;
export const EXECUTE_OVERHEAD_GAS = 15n * TGAS;
// Switching a contract to global code by hash (`upgrade_to`, NEP-591): no bytes travel, so the figure is fixed: the
// contract's own work and the UseGlobalContract action (~0.4 Tgas) beside the migration it schedules.
export const UPGRADE_TO_GAS = MIGRATE_GAS + UPGRADE_OVERHEAD_GAS;
// `execute` of an UpgradeSuite / UpgradeSelf with `global: true`: the call above, one receipt hop for the DAO's own
// switch (it schedules the batch on itself through `upgrade_to`), and the callback.
export function globalUpgradeExecuteGas(): bigint {
  return UPGRADE_TO_GAS + CALLBACK_GAS + EXECUTE_OVERHEAD_GAS;
}
export function globalUpgradeExecuteAttach(): bigint {
  return globalUpgradeExecuteGas() + EXECUTE_START_GAS;
}
// One function call may use at most this much (protocol 77: max_total_prepaid_gas 300 Tgas).
export const MAX_CALL_GAS = 300n * TGAS;
// What `execute` burns before it checks the kind's gas (loading the DAO's code, reading the proposal): attached on
// top of the figure, and kept free under MAX_CALL_GAS.
export const EXECUTE_START_GAS = 20n * TGAS;

// Gas the DAO attaches to a suite contract's `upgrade` for `bytes` of code.
export function upgradeCallGas(bytes: number): bigint {
  const n = BigInt(bytes);
  return n * (DEPLOY_SELF_GAS_PER_BYTE + UPGRADE_INPUT_GAS_PER_BYTE) + MIGRATE_GAS + UPGRADE_OVERHEAD_GAS;
}

// Gas of the DAO's `on_execute` for an upgrade of `bytes`: it deletes the blob.
export function upgradeCallbackGas(bytes: number): bigint {
  return CALLBACK_GAS + BigInt(bytes) * BLOB_RELEASE_GAS_PER_BYTE;
}

// Gas `execute` of an UpgradeSuite (`self` false) or UpgradeSelf (`self` true) proposal needs, all included: the
// figure the DAO checks before sending anything and the CLI attaches.
export function upgradeExecuteGas(bytes: number, self: boolean): bigint {
  const n = BigInt(bytes);
  const send = n * BLOB_SEND_GAS_PER_BYTE;
  const work = self ? n * DEPLOY_SELF_GAS_PER_BYTE + MIGRATE_GAS : upgradeCallGas(bytes) + n * CALL_ARGS_GAS_PER_BYTE;
  return send + work + upgradeCallbackGas(bytes) + EXECUTE_OVERHEAD_GAS;
}

// What to attach to `execute` for an upgrade of `bytes` (the CLI's figure).
export function upgradeExecuteAttach(bytes: number, self: boolean): bigint {
  return upgradeExecuteGas(bytes, self) + EXECUTE_START_GAS;
}

// The largest code an upgrade can deploy within one call's gas (704,369 bytes for UpgradeSuite, 935,448 for UpgradeSelf).
export function maxUpgradeBytes(self: boolean): number {
  let lo = 0;
  let hi = 8 * 1024 * 1024;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (upgradeExecuteAttach(mid, self) <= MAX_CALL_GAS) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
