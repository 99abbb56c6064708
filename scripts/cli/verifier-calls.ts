// What the CLI's and the web app's `report_usage` calls to a community's inference verifier attach: 200 Tgas and the
// deposit that pays the records the next part adds in the reward pool (contracts/wire/usage-report.ts reportDeposit;
// the pool sends back what it does not use). Pure (no node: imports), so scripts/cli/suite.ts and the web app (web/)
// send the same transactions.
import { reportDeposit, type UsageReportPart } from "../../contracts/wire/usage-report.ts";
import { TGAS } from "../../contracts/wire/units.ts";

/** report_usage: a full part of 64 attester entries needs about 160 Tgas at protocol 86 (docs/verifier.md) */
export const REPORT_USAGE_GAS = 200n * TGAS;

/** release_bond (anyone): a removed attester's bond back to who posted it, one transfer (~12 Tgas measured) */
export const RELEASE_BOND_GAS = 30n * TGAS;

/** dismiss_dispute (the DAO only): the receipt counts again, the challenger's dispute bond goes to the treasury */
export const DISMISS_DISPUTE_GAS = 30n * TGAS;

/**
 * The proposal that dismisses the dispute on receipt `receiptId`, kind and description: a FunctionCall to the
 * verifier's dismiss_dispute (the DAO has no dedicated kind; upholding is VoidReceipt). The verifier refuses it unless
 * the receipt is Disputed.
 */
export function dismissDisputeProposal(verifier: string, receiptId: number) {
  return {
    kind: {
      kind: "FunctionCall",
      receiver_id: verifier,
      actions: [
        {
          method_name: "dismiss_dispute",
          args: btoa(JSON.stringify({ receipt_id: receiptId })),
          deposit: "0",
          gas: DISMISS_DISPUTE_GAS.toString(),
        },
      ],
    },
    description: `Dismiss the dispute on receipt #${receiptId} (its bond to the treasury)`,
  };
}

/**
 * The deposit of the next report_usage of an epoch: that of the part the pool has not confirmed yet (`next_part` of
 * the verifier's get_epoch_usage, 0 before the first) among preview_usage_report's parts; 0 when none is due.
 */
export function reportUsageDeposit(epoch: { next_part?: number } | null, preview: UsageReportPart[] | null): bigint {
  const next = preview?.[epoch?.next_part ?? 0];
  return next === undefined ? 0n : reportDeposit(next);
}
