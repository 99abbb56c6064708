import { Migrations } from "../shared/versioned-state";
import { INFERENCE_VERIFIER } from "../wire/contracts";

// The inference-verifier's state versions: 1 is the first upgradable release. A release that changes a stored layout adds its
// step here (`MIGRATIONS.add(1, (state) => ...)`), and `migrate_state` runs it after the DAO's UpgradeSuite deploys
// the code (shared/versioned-state.ts). The verifier's attester and dispute bonds are held for others.
export const MIGRATIONS = new Migrations(
  1,
  INFERENCE_VERIFIER,
  (state) => BigInt(state.bonds_total as string) + BigInt(state.dispute_bonds_total as string),
);
