import { NearPromise, near } from "near-sdk-js";
import { availableTreasury } from "../treasury";
import type { ProposalKind } from "../types";
import type { KindHandler } from "./handler";
import { CALLBACK_GAS, TGAS } from "./handler";
import { decodeBase64, isAmount, isMethodName, isU64String, isValidAccountId } from "../../shared/validate";

type FunctionCall = Extract<ProposalKind, { kind: "FunctionCall" }>;

export const MAX_ACTIONS = 10;
export const MAX_CALL_GAS = 250n * TGAS;

function isSuiteAccount(suite: Record<string, string> | undefined, id: string): boolean {
  for (const code in suite ?? {}) if ((suite as Record<string, string>)[code] === id) return true;
  return false;
}

function totals(k: FunctionCall): { deposit: bigint; gas: bigint } {
  let deposit = 0n;
  let gas = 0n;
  for (const a of k.actions) {
    deposit += BigInt(a.deposit);
    gas += BigInt(a.gas);
  }
  return { deposit, gas };
}

// Several function calls to one receiver in one batch (atomic: all or none). Calls to the DAO itself are refused:
// its own state changes go through their dedicated kinds, and its callbacks must not be reachable by a proposal.
export const functionCall: KindHandler<FunctionCall> = {
  check: (dao, k, phase) => {
    if (!isValidAccountId(k.receiver_id)) return `ERR_INVALID_ACCOUNT_ID: receiver_id ${String(k.receiver_id)}`;
    if (k.receiver_id === near.currentAccountId()) return "ERR_SELF_CALL";
    if (!Array.isArray(k.actions) || k.actions.length < 1 || k.actions.length > MAX_ACTIONS) {
      return `ERR_INVALID_PROPOSAL: 1..${MAX_ACTIONS} actions`;
    }
    for (const a of k.actions) {
      if (a === null || typeof a !== "object") return "ERR_INVALID_PROPOSAL: action";
      if (!isMethodName(a.method_name)) return "ERR_INVALID_PROPOSAL: method_name";
      // `upgrade` (a blob) and `upgrade_to` (global code by hash) change a suite contract's code: only UpgradeSuite,
      // with its own permission label and vote policy, may send them.
      if ((a.method_name === "upgrade" || a.method_name === "upgrade_to") && isSuiteAccount(dao.suite, k.receiver_id)) {
        return "ERR_INVALID_PROPOSAL: upgrade a suite contract with UpgradeSuite";
      }
      if (typeof a.args !== "string" || decodeBase64(a.args) === null) return "ERR_INVALID_PROPOSAL: args (base64)";
      if (!isAmount(a.deposit)) return "ERR_INVALID_AMOUNT: deposit";
      if (!isU64String(a.gas) || BigInt(a.gas) < TGAS) return "ERR_INVALID_PROPOSAL: gas (>= 1 Tgas)";
    }
    const t = totals(k);
    if (t.gas > MAX_CALL_GAS) return "ERR_INVALID_PROPOSAL: total gas above 250 Tgas";
    if (phase === "execute" && availableTreasury(dao) < t.deposit) return "ERR_INSUFFICIENT_TREASURY";
    return null;
  },
  apply: (_dao, k) => {
    let p = NearPromise.new(k.receiver_id);
    for (const a of k.actions) {
      p = p.functionCallRaw(a.method_name, decodeBase64(a.args) as Uint8Array, BigInt(a.deposit), BigInt(a.gas));
    }
    return p;
  },
  gas: (_dao, k) => totals(k).gas + CALLBACK_GAS + 5n * TGAS,
  atMostOnce: true,
};
