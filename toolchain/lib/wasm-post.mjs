// Post-link steps on a contract wasm, with the pinned binaryen.js from npm (never a wasm-opt found on PATH):
// replace WASI imports by stubs, optimise for size, and check that only NEAR host functions are imported and that
// no function body exceeds nearcore's limit.
import binaryen from "binaryen";
import { ToolError } from "./exec.mjs";
import { isNearHostFunction } from "./host-functions.mjs";
import { checkFunctionBodies } from "./wasm-limits.mjs";

const WASI_MODULE = "wasi_snapshot_preview1";
/** errno ENOTCAPABLE: what a WASI call answers when the capability is absent, as in a NEAR contract. */
const ENOTCAPABLE = 76;

function functionImports(mod) {
  const imports = [];
  for (let i = 0; i < mod.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
    if (info.module) imports.push(info);
  }
  return imports;
}

/** Each WASI import becomes an internal function of the same name and signature: proc_exit traps, calls with an
 * i32 result answer ENOTCAPABLE, others do nothing. */
function stubWasiImports(mod) {
  for (const info of functionImports(mod)) {
    if (info.module !== WASI_MODULE) continue;
    mod.removeFunction(info.name);
    let body;
    if (info.base === "proc_exit") body = mod.unreachable();
    else if (info.results === binaryen.i32) body = mod.i32.const(ENOTCAPABLE);
    else if (info.results === binaryen.none) body = mod.nop();
    else throw new ToolError(`WASI import ${info.base} has an unexpected result type`);
    mod.addFunction(info.name, info.params, info.results, [], body);
  }
}

/**
 * Stubs WASI, optimises (-Oz) and validates. Throws a ToolError naming `label` when an import is not a NEAR host
 * function (a C symbol the link left undefined, which `--allow-undefined` turns into an import).
 */
export function finishContractWasm(raw, label) {
  const mod = binaryen.readBinary(raw);
  try {
    mod.setFeatures(binaryen.Features.MVP | binaryen.Features.MutableGlobals);
    stubWasiImports(mod);
    const foreign = functionImports(mod)
      .filter((i) => i.module !== "env" || !isNearHostFunction(i.base))
      .map((i) => `${i.module}.${i.base}`);
    if (foreign.length > 0) {
      throw new ToolError(
        `${label}: the wasm imports ${foreign.join(", ")}: not ${foreign.length === 1 ? "a NEAR host function" : "NEAR host functions"} ` +
          "(an undefined C symbol?); a NEAR node would refuse the contract",
      );
    }
    // -O1 with shrink level 2 gives the same bytes as -Oz here (535,590 for the fixture) in half the time
    binaryen.setOptimizeLevel(1);
    binaryen.setShrinkLevel(2);
    binaryen.setDebugInfo(false);
    mod.optimize();
    // names of the defined functions, for the body-size check (the names section is stripped next)
    const names = [];
    for (let i = 0; i < mod.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
      if (!info.module) names.push(info.name);
    }
    // the stock near-sdk-js CLI links without stripping: drop DWARF (~170 KB from Debian's wasi-libc) and names
    mod.runPasses(["strip-debug", "strip-producers", "strip-target-features"]);
    if (!mod.validate()) throw new ToolError(`${label}: the optimised wasm does not validate`);
    const wasm = mod.emitBinary();
    checkFunctionBodies(wasm, names, label);
    return wasm;
  } finally {
    mod.dispose();
  }
}
