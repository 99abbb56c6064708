// One contract: TypeScript entry -> rollup bundle -> QuickJS bytecode -> C -> wasm32 -> stubbed, checked wasm.
// Each contract works in its own folder, so several build at once (the stock CLI hard-codes build/code.h).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CLANG, NEAR_SDK_JS, OUT, QJSC, QUICKJS_OUT, ROOT, WASM_LDFLAGS } from "../config.mjs";
import { run, ToolError } from "./exec.mjs";
import { checkLeanBundle, parseModule } from "./lean-check.mjs";
import { clangEnv, runtimeObjects, sha256Hex, wasmCompileArgs } from "./quickjs.mjs";
import { finishContractWasm } from "./wasm-post.mjs";

const sdkRequire = createRequire(path.join(NEAR_SDK_JS, "package.json"));
const importFromSdk = async (id) => import(pathToFileURL(sdkRequire.resolve(id)).href);

let rollupParts;
async function loadRollup() {
  if (!rollupParts) {
    const [rollup, resolve, babel, sourcemaps] = await Promise.all([
      importFromSdk("rollup"),
      importFromSdk("@rollup/plugin-node-resolve"),
      importFromSdk("@rollup/plugin-babel"),
      importFromSdk("rollup-plugin-sourcemaps"),
    ]);
    rollupParts = {
      rollup: rollup.rollup,
      nodeResolve: resolve.nodeResolve ?? resolve.default,
      babel: babel.babel ?? babel.default,
      sourcemaps: sourcemaps.default,
    };
  }
  return rollupParts;
}

const LEAN_CLONE_DEEP = path.join(ROOT, "toolchain", "lean", "clone-deep.js");

/** Lean profile: near-sdk-js's only lodash-es import (cloneDeep) comes from the project's small module instead. */
const leanAliases = {
  name: "ai-commons-lean-aliases",
  resolveId(source) {
    return source === "lodash-es" ? LEAN_CLONE_DEEP : null;
  },
};

const BUILD_STAMP_MODULE = path.join(ROOT, "contracts", "shared", "build-stamp.ts");

/**
 * NEP-330: contracts/shared/build-stamp.ts is a placeholder; each bundle gets, in its place, the stamp the parent
 * computed for this build (toolchain/build.mjs buildStamp). First among the plugins, so no other loads the file.
 */
function buildStampModule(stamp) {
  return {
    name: "ai-commons-build-stamp",
    load(id) {
      if (id !== BUILD_STAMP_MODULE) return null;
      if (!stamp) throw new ToolError("contracts/shared/build-stamp.ts is bundled but the build has no stamp");
      return `export const BUILD_STAMP = ${JSON.stringify(stamp)};\n`;
    },
  };
}

const FUNCTION_NODES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);
const isFunction = (node) => FUNCTION_NODES.has(node?.type);

/** name -> whether it is a function, for the names a top-level statement declares. */
function declaredKinds(node) {
  if (node?.type === "VariableDeclaration") {
    return node.declarations.filter((d) => d.id.type === "Identifier").map((d) => [d.id.name, isFunction(d.init)]);
  }
  if ((node?.type === "FunctionDeclaration" || node?.type === "ClassDeclaration") && node.id) {
    return [[node.id.name, isFunction(node)]];
  }
  return [];
}

/**
 * The exports of a bundle (ES format) that become the contract's wasm methods: the exported functions, i.e. the
 * functions near-sdk-js's exporter writes for the @NearBindgen class's @call/@view/@initialize/@migrate methods and
 * plain exported functions (a raw-input method such as `store_blob`). An exported constant or class is no method:
 * near-sdk-js's CLI makes it one too, which anyone can call to load the contract and panic ("not a function").
 */
export function methodExports(code) {
  const body = parseModule(code).program.body;
  const exports = (n) => n.type === "ExportNamedDeclaration" || n.type === "ExportDefaultDeclaration";
  const isFn = new Map(body.flatMap((n) => declaredKinds(exports(n) ? n.declaration : n)));
  const methods = [];
  for (const node of body) {
    if (node.type === "ExportDefaultDeclaration" && isFunction(node.declaration)) methods.push("default");
    if (node.type !== "ExportNamedDeclaration") continue;
    for (const [name, fn] of declaredKinds(node.declaration)) if (fn) methods.push(name);
    for (const s of node.specifiers) {
      if (!isFn.has(s.local.name)) throw new ToolError(`the bundle exports ${s.local.name} without declaring it`);
      if (isFn.get(s.local.name)) methods.push(s.exported.name);
    }
  }
  return methods;
}

/**
 * The same rollup + babel set-up as near-sdk-js's CLI (plus the lean profile's alias and "use strip", which makes
 * QuickJS drop the bytecode's debug info). Returns the wasm methods (methodExports) and the rendered modules.
 */
async function bundle(entry, outFile, profile, stamp) {
  const { rollup, nodeResolve, babel, sourcemaps } = await loadRollup();
  const warnings = [];
  const lean = profile === "lean";
  const b = await rollup({
    input: entry,
    onwarn: (w) => warnings.push(w),
    plugins: [
      buildStampModule(stamp),
      ...(lean ? [leanAliases] : []),
      nodeResolve({ extensions: [".js", ".ts"] }),
      sourcemaps(),
      babel({
        babelHelpers: "bundled",
        extensions: [".ts", ".js", ".jsx", ".es6", ".es", ".mjs"],
        presets: [sdkRequire.resolve("@babel/preset-typescript")],
        plugins: [
          sdkRequire.resolve("near-sdk-js/lib/cli/build-tools/include-bytes.js"),
          [sdkRequire.resolve("near-sdk-js/lib/cli/build-tools/near-bindgen-exporter.js"), { verbose: false }],
          [sdkRequire.resolve("@babel/plugin-proposal-decorators"), { version: "legacy" }],
        ],
      }),
    ],
  });
  const unresolved = warnings.filter((w) => w.code === "UNRESOLVED_IMPORT");
  if (unresolved.length > 0) {
    throw new ToolError(`${entry}: cannot resolve ${unresolved.map((w) => w.source ?? w.message).join(", ")}`);
  }
  const { output } = await b.write({
    file: outFile,
    format: "es",
    sourcemap: false,
    ...(lean ? { banner: '"use strip";' } : {}),
  });
  await b.close();
  return { methods: methodExports(output[0].code), modules: output[0].modules };
}

let reservedSymbols;
function reserved() {
  reservedSymbols ??= new Set(JSON.parse(fs.readFileSync(path.join(OUT, "reserved-symbols.json"), "utf8")));
  return reservedSymbols;
}

/** Method names become C functions: a name that is a C keyword or a symbol of the runtime or libc cannot link. */
function checkMethodNames(entry, methods) {
  const clashes = methods.filter((m) => reserved().has(m));
  if (clashes.length > 0) {
    throw new ToolError(
      `${entry}: contract method name${clashes.length > 1 ? "s" : ""} ${clashes.map((c) => `'${c}'`).join(", ")} ` +
        "clash with C symbols of the contract runtime (QuickJS, libc, NEAR host functions); rename them",
    );
  }
  const invalid = methods.filter((m) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(m));
  if (invalid.length > 0) throw new ToolError(`${entry}: method names ${invalid.join(", ")} are not C identifiers`);
}

const STOCK_CONTEXT_START = "static JSContext *JS_NewCustomContext(JSRuntime *rt)\n{";

/** The lean profile replaces near-sdk-js's context set-up by the project's own (toolchain/quickjs/lean-context.c). */
function withLeanContext(text) {
  const start = text.indexOf(STOCK_CONTEXT_START);
  const end = text.indexOf("\n}\n", start);
  if (start < 0 || end < 0) throw new ToolError("near-sdk-js builder.c: JS_NewCustomContext not found");
  return (
    `${text.slice(0, start)}#include "lean-context.h"\n` +
    `static JSContext *JS_NewCustomContext(JSRuntime *rt)\n{\n  return near_lean_context(rt);\n}\n` +
    text.slice(end + 3)
  );
}

/** Our copy of builder.c includes from its own folder instead of a node_modules-relative path. */
function builderSource(profile) {
  // near-sdk-js ships builder.c with CRLF line ends
  let text = fs.readFileSync(path.join(NEAR_SDK_JS, "builder", "builder.c"), "utf8").replace(/\r\n/g, "\n");
  if (profile === "lean") text = withLeanContext(text);
  const out = text
    .replace(
      '#include "../node_modules/near-sdk-js/lib/cli/deps/quickjs/quickjs-libc-min.h"',
      '#include "quickjs-libc-min.h"',
    )
    .replace('#include "../node_modules/near-sdk-js/lib/cli/deps/quickjs/libbf.h"', '#include "libbf.h"');
  if (out.includes("node_modules/")) throw new ToolError("near-sdk-js builder.c has unexpected include paths");
  return withHostExtensions(out);
}

const ADD_HOST_FUNCTIONS = "static void js_add_near_host_functions(JSContext* ctx) {";
const LAST_STOCK_BINDING = 'JS_SetPropertyStr(ctx, env, "promise_batch_action_deploy_contract",';

/** The host functions near-sdk-js 2.0.0 lacks (toolchain/quickjs/near-host-ext.inc.c), bound on the same `env`. */
function withHostExtensions(text) {
  const at = text.indexOf(ADD_HOST_FUNCTIONS);
  const binding = text.indexOf(LAST_STOCK_BINDING);
  if (at < 0 || binding < 0) throw new ToolError("near-sdk-js builder.c: js_add_near_host_functions not found");
  const lineEnd = text.indexOf("\n", binding);
  return (
    `${text.slice(0, at)}#include "near-host-ext.inc.c"\n${text.slice(at, lineEnd + 1)}` +
    `  near_host_ext_add(ctx, env);\n${text.slice(lineEnd + 1)}`
  );
}

/**
 * Builds `entry` to `<outDir>/<name>.wasm`. Returns { name, wasm, bytes, sha256, methods, seconds }.
 * `abi` (optional) is a function producing the ABI object, run by the caller (it is CPU-bound JS).
 */
export async function buildContract({ name, entry, outDir, profile, stamp }) {
  const t0 = Date.now();
  const phases = {};
  let mark = t0;
  const phase = (label) => {
    const now = Date.now();
    phases[label] = (now - mark) / 1000;
    mark = now;
  };
  const work = path.join(outDir, ".work", name);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  // the module is named after the contract in error stacks; a relative name keeps bytecode machine-independent
  const jsName = `${name}.js`;
  const { methods, modules } = await bundle(entry, path.join(work, jsName), profile, stamp);
  if (profile === "lean") checkLeanBundle(entry, modules);
  if (methods.length === 0) throw new ToolError(`${entry}: the contract exports no methods (no @NearBindgen class?)`);
  checkMethodNames(path.relative(ROOT, entry), methods);
  phase("bundle");
  await run(QJSC, ["-c", "-m", "-o", "code.h", "-N", "code", jsName], { cwd: work });
  fs.writeFileSync(path.join(work, "methods.h"), methods.map((m) => `DEFINE_NEAR_METHOD(${m})\n`).join(""));
  fs.writeFileSync(path.join(work, "builder.c"), builderSource(profile));
  phase("qjsc");
  const raw = path.join(work, "raw.wasm");
  try {
    await run(
      CLANG,
      [
        ...wasmCompileArgs([".", QUICKJS_OUT]),
        "-Wno-everything",
        "builder.c",
        ...runtimeObjects(profile),
        ...WASM_LDFLAGS,
        "-o",
        raw,
      ],
      { cwd: work, env: clangEnv() },
    );
  } catch (e) {
    throw new ToolError(`${path.relative(ROOT, entry)}: C compile/link failed\n${e.message}`);
  }
  phase("clang");
  const wasm = finishContractWasm(fs.readFileSync(raw), path.relative(ROOT, entry));
  phase("binaryen");
  const wasmFile = path.join(outDir, `${name}.wasm`);
  fs.writeFileSync(wasmFile, wasm);
  return {
    name,
    wasm: wasmFile,
    bytes: wasm.length,
    sha256: sha256Hex(wasm),
    methods,
    profile,
    phases,
    seconds: (Date.now() - t0) / 1000,
  };
}
