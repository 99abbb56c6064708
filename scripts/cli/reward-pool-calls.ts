// What the CLI's and the web app's calls to a community's reward pool attach: registering the claimer's NEP-145
import { NEAR, TGAS } from "../../contracts/wire/units.ts";
// storage, then claiming; closing an epoch. Pure (no node: imports), so scripts/cli/suite.ts and the web app (web/) send the same
// transactions.

/** storage_deposit's deposit: more than the pool's minimum (storage_balance_bounds); the rest stays the claimer's. */
export const POOL_STORAGE_DEPOSIT = NEAR / 50n;
export const POOL_STORAGE_DEPOSIT_GAS = 30n * TGAS;
/** claim: the transfer and its callback (on_claim_transfer, CLAIM_CALLBACK_GAS 15 Tgas) */
export const CLAIM_GAS = 50n * TGAS;

/** close_epoch: up to ~0.005 NEAR of bookkeeping a model (at most 32 a close), paid when the pool's surplus cannot
 * (the excess is refunded in the same call) */
export const CLOSE_EPOCH_DEPOSIT = NEAR / 20n;
export const CLOSE_EPOCH_GAS = 30n * TGAS;
