// Loads nearcore's contract runtime, the native module built from ../../native (near-vm-runner 0.37.4, protocol 86)
// by ../../native/build.mjs into local-node/dist/near-vm.node. Found next to the bundled node (dist/node.cjs) or,
// when the sources run directly (tests), in ../../dist.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface NativeVm {
  protocolVersion(): number;
  runtimeConfigJson(): string;
  actionFeesJson(): string;
  setCacheDir(dir: string): void;
  clearCodeMemory(): void;
  runFunctionCall(
    code: Buffer,
    codeHash: string,
    method: string,
    input: Buffer,
    contextJson: string,
    storageGet: (key: Buffer) => Buffer | undefined,
    trieRead?: (key: Buffer) => void,
    /** touched * 65536 + cached */
    trieWrite?: (key: Buffer) => number,
  ): string;
}

export const NATIVE_FILE = "near-vm.node";

function locate(): string {
  const here = fileURLToPath(import.meta.url);
  const candidates = [
    process.env.LOCAL_NODE_VM_NATIVE,
    join(dirname(here), NATIVE_FILE),
    join(dirname(here), "..", "..", "dist", NATIVE_FILE),
  ].filter((p): p is string => typeof p === "string");
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `nearcore's contract runtime is not built (looked for ${candidates.join(", ")}); run: npm run setup`,
    );
  }
  return found;
}

let loaded: NativeVm | undefined;

export function nativeVm(): NativeVm {
  if (!loaded) {
    loaded = createRequire(import.meta.url)(locate()) as NativeVm;
  }
  return loaded;
}
