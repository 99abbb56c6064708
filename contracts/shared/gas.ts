import { near } from "near-sdk-js";
import { fail } from "./errors";

// Gas units and the protocol fees the contracts prepay for actions they create. The fees are protocol 77's
// (nearcore core/parameters/res/runtime_configs/parameters.yaml, unchanged through protocol 86), per byte: send plus
// execution.
export { TGAS } from "../wire/units";
// Deploying on this account (a contract's upgrade): contracts/wire/upgrade.ts DEPLOY_SELF_GAS_PER_BYTE.
// Deploying on another account (the factory deploys each suite contract): send not-to-self plus execution.
export const DEPLOY_OTHER_GAS_PER_BYTE = 47683715n + 64572944n;

// Gas this call has left.
export function gasLeft(): bigint {
  return near.prepaidGas() - near.usedGas();
}

// Refuses a call that cannot pay for the promises it is about to create, before it changes anything:
// ERR_NOT_ENOUGH_GAS with `detail` (default: "attach at least <needed> more gas").
export function requireGas(needed: bigint, detail?: string): void {
  if (gasLeft() < needed) fail("ERR_NOT_ENOUGH_GAS", detail ?? `attach at least ${needed} more gas`);
}
