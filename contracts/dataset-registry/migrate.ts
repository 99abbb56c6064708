import { Migrations } from "../shared/versioned-state";
import { DATASET_REGISTRY } from "../wire/contracts";

// The dataset-registry's state versions: 1 is the first upgradable release. A release that changes a stored layout adds its
// step here (`MIGRATIONS.add(1, (state) => ...)`), and `migrate_state` runs it after the DAO's UpgradeSuite deploys
// the code (shared/versioned-state.ts).
export const MIGRATIONS = new Migrations(1, DATASET_REGISTRY);
