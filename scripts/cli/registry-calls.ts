// A creator's calls on the community's registries as the CLI (scripts/cli/suite.ts) and the web app (web/src/creator.tsx)
// send them: what they attach, their gas, the defaults of `dataset submit`, and creators' shares parsed from
// `a:bps,b:bps`. Pure (no node: imports). The registries' own checks of the arguments are
// contracts/wire/record-checks.ts.
import { BPS_TOTAL, type Creator } from "../../contracts/wire/datasets.ts";
import { CliError } from "./errors.ts";
import { TGAS } from "../../contracts/wire/units.ts";

/**
 * What submit_dataset, create_manifest and register_model attach: 0.1 NEAR. The registry keeps what the record's
 * storage costs and refunds the rest in the same call.
 */
export const RECORD_DEPOSIT = 10n ** 23n;
/** The gas of submit_dataset, withdraw_dataset, create_manifest and register_model. */
export const REGISTRY_CALL_GAS = 30n * TGAS;
/** `dataset submit`'s license when none is given. */
export const DEFAULT_DATASET_LICENSE = "CC-BY-4.0";

/** The text whose sha256 `dataset submit` records as the datasheet when none is given. */
export const defaultDatasheetText = (datasetId: string) => `datasheet of ${datasetId}`;

/**
 * `a.near:6000,b.near:4000` (or one account alone: 10,000 bps) to creators with share_bps; empty: `fallback` alone.
 * Only the form is checked: the registries' rule for the list is contracts/wire/record-checks.ts creatorsProblem.
 */
export function creatorsFromText(text: string | undefined, fallback: string): Creator[] {
  if (!text) return [{ account_id: fallback, share_bps: BPS_TOTAL }];
  return text.split(",").map((part) => {
    const [account_id, bps] = part.split(":");
    const share_bps = bps === undefined ? BPS_TOTAL : Number(bps);
    if (!account_id || !Number.isInteger(share_bps)) {
      throw new CliError("BAD_ARGS", `--creators is account:bps,account:bps (got ${text})`);
    }
    return { account_id, share_bps };
  });
}

/** creatorsFromText, and the shares must sum to 10,000 (`--creators` of `dataset submit` and `model register`). */
export function parseCreators(text: string | undefined, fallback: string): Creator[] {
  const list = creatorsFromText(text, fallback);
  const sum = list.reduce((n, c) => n + c.share_bps, 0);
  if (sum !== BPS_TOTAL) throw new CliError("BAD_ARGS", `--creators shares must sum to 10000 (got ${sum})`);
  return list;
}
