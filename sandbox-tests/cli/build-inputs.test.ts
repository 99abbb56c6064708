// The build's skip rule (toolchain/build.mjs): a contract is rebuilt when any file its wasm depends on changed. Its
// source hash must therefore cover every file the bundler really reads: checked here against esbuild's own list of
// inputs for each contract (contracts/shared and contracts/wire included, `./x.js` specifiers of `./x.ts` too).
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import test from "ava";
import { build } from "esbuild";
import { SHARED_BUILD_INPUTS, sourceClosure } from "../../toolchain/build.mjs";
import { ROOT } from "./harness.ts";

const contracts = readdirSync(join(ROOT, "contracts"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(ROOT, "contracts", d.name)).includes("contract.ts"))
  .map((d) => d.name);

test("each contract's source hash covers every file esbuild bundles into it", async (t) => {
  t.true(contracts.length >= 6, contracts.join(", "));
  for (const name of contracts) {
    const entry = join(ROOT, "contracts", name, "contract.ts");
    const r = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "neutral",
      external: ["near-sdk-js"],
      tsconfig: join(ROOT, "tsconfig.json"),
      logLevel: "silent",
    });
    const bundled = Object.keys(r.metafile.inputs).filter((f) => f.startsWith("contracts/"));
    const hashed = new Set(sourceClosure(entry).map((f: string) => relative(ROOT, f)));
    t.deepEqual(
      bundled.filter((f) => !hashed.has(f)),
      [],
      `${name}: bundled but not in its source hash`,
    );
    t.true(
      bundled.some((f) => f.startsWith("contracts/shared/")) && bundled.some((f) => f.startsWith("contracts/wire/")),
      `${name} reaches shared/ and wire/`,
    );
  }
});

test("the shared build inputs include the lock file and the toolchain's own files", (t) => {
  for (const f of ["package-lock.json", "tsconfig.json", "toolchain/build.mjs", "toolchain/lib", "toolchain/quickjs"]) {
    t.true(SHARED_BUILD_INPUTS.includes(f), f);
  }
});
