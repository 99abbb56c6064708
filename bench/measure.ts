// Every gas and storage figure of the benchmark, measured on one fresh local node. Shared by `npm run bench` (which
// adds wall-clock figures, wasm sizes, the report and the plots) and `npm run bench:check` (which compares the gas
// figures with the committed baseline).
import { communityScenario } from "./community.ts";
import { daoScale } from "./dao-scale.ts";
import { startWorker, stopWorker } from "./lib.ts";
import type { GasResults } from "./results.ts";
import { type MinimalCall, minimalCall } from "./minimal-call.ts";
import { rewardScale } from "./rewards-scale.ts";

export const DAO_SIZES = [10, 100, 1000, 10000];
export const CREATOR_SIZES = [10, 100, 1000];

export async function measureGas(
  log: (s: string) => void = () => {},
): Promise<GasResults & { minimal_call: MinimalCall }> {
  const worker = await startWorker();
  try {
    log("a minimal near-sdk-js call (build/fixture.wasm set_greeting)");
    const minimal = await minimalCall(worker);
    log("community: factory, create, every user action");
    const c = await communityScenario(worker);
    log(`DAO scaling: ${DAO_SIZES.join(" / ")} members and proposals (patched state)`);
    const dao = await daoScale(worker, DAO_SIZES);
    log(`reward pool scaling: ${CREATOR_SIZES.join(" / ")} creators`);
    const rewards = await rewardScale(worker, CREATOR_SIZES);
    const rows = [
      ...c.rows,
      {
        id: "rewards.lineage_part",
        group: "rewards",
        label: "register lineage, largest part (100 creator entries; stand-in registry account)",
        gas: Math.max(...rewards.points.map((p) => p.lineage_max)),
      },
    ];
    return {
      minimal_call: minimal,
      rows,
      dao_scale: dao,
      reward_scale: rewards.points,
      storage: { deltas: [...c.deltas, ...rewards.deltas], community: c.community, community_deposit: c.deposit },
    };
  } finally {
    await stopWorker(worker);
  }
}
