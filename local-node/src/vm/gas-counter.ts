// nearcore's GasCounter (near-vm-runner logic/gas_counter.rs): burnt gas, gas prepaid to new receipts, the two
// limits (prepaid gas and max_gas_burnt) and which error crossing them raises. A per-cost profile is kept for
// calibration and for the gas_profile of receipt outcomes.

import { EXT_COSTS } from "../runtime-config.ts";
import { hostErrors } from "./errors.ts";

type ExtCost = keyof typeof EXT_COSTS;

const U64_MAX = 2n ** 64n - 1n;

export class GasCounter {
  burnt = 0n;
  /** gas attached to or prepaid for new receipts (used but not burnt) */
  promisesGas = 0n;
  /** burnt may not pass this: min(max_gas_burnt, prepaid - promisesGas) */
  gasLimit: bigint;
  readonly prepaidGas: bigint;
  /** gas burnt per ExtCost, plus "WASM_INSTRUCTION" and action costs (for profiles and calibration) */
  readonly profile = new Map<string, bigint>();

  constructor(
    readonly maxGasBurnt: bigint,
    prepaidGas: bigint,
    readonly isView: boolean,
  ) {
    // Views ignore the prepaid gas limit.
    this.prepaidGas = isView ? U64_MAX : prepaidGas;
    this.gasLimit = this.prepaidGas < maxGasBurnt ? this.prepaidGas : maxGasBurnt;
  }

  get used(): bigint {
    return this.burnt + this.promisesGas;
  }

  private addProfile(key: string, before: bigint): void {
    const d = this.burnt - before;
    if (d !== 0n) this.profile.set(key, (this.profile.get(key) ?? 0n) + d);
  }

  /** Burns gas (wasm instructions or a host cost); throws GasExceeded / GasLimitExceeded past the limit. */
  burnGas(gas: bigint, profileKey = "WASM_INSTRUCTION"): void {
    const before = this.burnt;
    const next = this.burnt + gas;
    if (next > U64_MAX) throw hostErrors.integerOverflow();
    if (next <= this.gasLimit) {
      this.burnt = next;
      this.addProfile(profileKey, before);
      return;
    }
    const err = this.processGasLimit(next, (next + this.promisesGas) % 2n ** 64n);
    this.addProfile(profileKey, before);
    throw err;
  }

  payBase(cost: ExtCost): void {
    this.burnGas(EXT_COSTS[cost], cost);
  }

  payPer(cost: ExtCost, num: bigint | number): void {
    const gas = BigInt(num) * EXT_COSTS[cost];
    if (gas > U64_MAX) throw hostErrors.integerOverflow();
    this.burnGas(gas, cost);
  }

  /** burn `burn`, and reserve `use - burn` for new receipts (pay_action_accumulated / deduct_gas) */
  payAction(burn: bigint, use: bigint, profileKey: string): void {
    const before = this.burnt;
    const promisesGas = use - burn;
    const newPromises = this.promisesGas + promisesGas;
    const newBurnt = this.burnt + burn;
    const newUsed = newBurnt + newPromises;
    if (newUsed > U64_MAX) throw hostErrors.integerOverflow();
    if (newBurnt <= this.maxGasBurnt && newUsed <= this.prepaidGas) {
      if (promisesGas !== 0n && !this.isView) {
        const rest = this.prepaidGas - newPromises;
        this.gasLimit = rest < this.maxGasBurnt ? rest : this.maxGasBurnt;
      }
      this.burnt = newBurnt;
      this.promisesGas = newPromises;
      this.addProfile(profileKey, before);
      return;
    }
    const err = this.processGasLimit(newBurnt, newUsed);
    this.addProfile(profileKey, before);
    throw err;
  }

  prepayGas(use: bigint): void {
    this.payAction(0n, use, "PREPAID");
  }

  /** Clamps the counters the way nearcore does when a limit is crossed and returns the error to raise. */
  private processGasLimit(newBurnt: bigint, newUsed: bigint) {
    const hardBurntLimit = this.prepaidGas < this.maxGasBurnt ? this.prepaidGas : this.maxGasBurnt;
    this.burnt = newBurnt < hardBurntLimit ? newBurnt : hardBurntLimit;
    const usedLimit = this.prepaidGas < newUsed ? this.prepaidGas : newUsed;
    this.promisesGas = usedLimit > this.burnt ? usedLimit - this.burnt : 0n;
    return newBurnt > this.maxGasBurnt ? hostErrors.gasLimitExceeded() : hostErrors.gasExceeded();
  }
}
