// The VM layer of the local node: run one contract function call with nearcore's host functions and gas.
// The chain layer uses runFunctionCall (see types.ts for the contract between the two layers).

import { runFunctionCall as run } from "./runner.ts";
import type { RunFunctionCall } from "./types.ts";

export const runFunctionCall: RunFunctionCall = run;
export { clearMemoryCache, setDiskCacheDir } from "./module-cache.ts";
export { prepareContract } from "./prepare.ts";
export { contractLoadingCost, lastRunStats } from "./runner.ts";
export type * from "./types.ts";
