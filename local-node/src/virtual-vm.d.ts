// Resolved by build.mjs: src/vm/index.ts when the VM layer exists, else a stub without a VM.
declare module "virtual:vm" {
  import type { RunFunctionCall } from "./vm/types.ts";
  export const runFunctionCall: RunFunctionCall | undefined;
  /** enables the VM's disk cache of instrumented contracts */
  export const setDiskCacheDir: ((dir: string | undefined) => void) | undefined;
}
