import { NearPromise } from "near-sdk-js";
import { availableTreasury } from "../treasury";
import type { ProposalKind } from "../types";
import type { KindHandler } from "./handler";
import { CALLBACK_GAS, isString, TGAS } from "./handler";
import { isAmount, isValidAccountId } from "../../shared/validate";

type Transfer = Extract<ProposalKind, { kind: "Transfer" }>;

// NEAR from the treasury. Checked against the available treasury (bonds and storage excluded) at execution, so an
// underfunded transfer fails on the execute call, not on a voter, and can be retried once funds arrive.
export const transfer: KindHandler<Transfer> = {
  check: (dao, k, phase) => {
    if (!isValidAccountId(k.receiver_id)) return `ERR_INVALID_ACCOUNT_ID: receiver_id ${String(k.receiver_id)}`;
    if (!isAmount(k.amount) || k.amount === "0") return "ERR_INVALID_AMOUNT: amount";
    if (k.memo !== undefined && !isString(k.memo, 256)) return "ERR_INVALID_PROPOSAL: memo";
    if (phase === "execute" && availableTreasury(dao) < BigInt(k.amount)) return "ERR_INSUFFICIENT_TREASURY";
    return null;
  },
  apply: (_dao, k) => NearPromise.new(k.receiver_id).transfer(BigInt(k.amount)),
  gas: () => CALLBACK_GAS + 5n * TGAS,
};
