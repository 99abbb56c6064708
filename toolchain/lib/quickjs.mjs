// QuickJS for NEAR contracts: the pinned sources with the project's adjustments, a native qjsc built from them,
// and the wasm32 runtime compiled once to LTO bitcode that every contract links against.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  CLANG,
  HOST_CC,
  LLVM_NM,
  PROFILES,
  QJSC,
  QUICKJS_DEFINES,
  QUICKJS_OUT,
  QUICKJS_PACKAGE_DIR,
  QUICKJS_SOURCES,
  ROOT,
  RUNTIME_OUT,
  SYSROOT,
  TOOL_BIN,
  WASI_LIBC_INCLUDE,
  WASI_LIBC_LIB,
  WASM_CFLAGS,
} from "../config.mjs";
import { pool, run, ToolError } from "./exec.mjs";

const OWN_DIR = path.join(ROOT, "toolchain", "quickjs");

/** Each adjustment replaces text that must occur exactly once, so a different source fails loudly. */
const ADJUSTMENTS = [
  {
    file: "quickjs.c",
    why: "Atomics need pthread.h (absent in WASI) and add atoms: off for qjsc and runtime alike",
    from: "#if !defined(EMSCRIPTEN)\n#define CONFIG_ATOMICS\n#endif",
    to: "/* AI Commons: CONFIG_ATOMICS disabled (no threads in NEAR contracts) */",
  },
  {
    file: "quickjs.c",
    why: "wasi-libc's printf does not round as CONFIG_PRINTF_RNDN assumes",
    from: "#if !defined(_WIN32)\n/* define it if printf uses the RNDN rounding mode instead of RNDNA */\n#define CONFIG_PRINTF_RNDN\n#endif",
    to: "/* AI Commons: CONFIG_PRINTF_RNDN off */",
  },
  {
    file: "quickjs.c",
    why: "WASI has no malloc_usable_size",
    from: "#elif defined(EMSCRIPTEN)\n    return 0;\n#elif defined(__linux__)",
    to: "#elif defined(EMSCRIPTEN) || defined(__wasi__)\n    return 0;\n#elif defined(__linux__)",
  },
  {
    file: "quickjs.c",
    why: "WASI has no malloc_usable_size",
    from: "#elif defined(EMSCRIPTEN)\n    NULL,\n#elif defined(__linux__)",
    to: "#elif defined(EMSCRIPTEN) || defined(__wasi__)\n    NULL,\n#elif defined(__linux__)",
  },
  {
    file: "quickjs.c",
    why: "builder.c creates BigInt values for u128 amounts",
    from: "static JSValue JS_NewBigInt(JSContext *ctx);\nstatic inline bf_t *JS_GetBigInt(JSValueConst val)",
    to: "JSValue JS_NewBigInt(JSContext *ctx);\nbf_t *JS_GetBigInt(JSValueConst val)",
  },
  {
    file: "quickjs.c",
    why: "builder.c creates BigInt values for u128 amounts",
    from: "static JSValue JS_NewBigInt(JSContext *ctx)\n{",
    to: "JSValue JS_NewBigInt(JSContext *ctx)\n{",
  },
  {
    file: "quickjs.c",
    why: "lean profile: Math's transcendental functions pull in libm code and tables no contract here uses",
    from:
      '    JS_CFUNC_SPECIAL_DEF("acos", 1, f_f, acos ),\n    JS_CFUNC_SPECIAL_DEF("asin", 1, f_f, asin ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("atan", 1, f_f, atan ),\n    JS_CFUNC_SPECIAL_DEF("atan2", 2, f_f_f, atan2 ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("cos", 1, f_f, cos ),\n    JS_CFUNC_SPECIAL_DEF("exp", 1, f_f, exp ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("log", 1, f_f, log ),\n    JS_CFUNC_SPECIAL_DEF("pow", 2, f_f_f, js_pow ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("sin", 1, f_f, sin ),\n    JS_CFUNC_SPECIAL_DEF("tan", 1, f_f, tan ),\n',
    to:
      "#ifndef NEAR_LEAN /* AI Commons: left out of the lean profile (toolchain/lib/lean-check.mjs refuses uses) */\n" +
      '    JS_CFUNC_SPECIAL_DEF("acos", 1, f_f, acos ),\n    JS_CFUNC_SPECIAL_DEF("asin", 1, f_f, asin ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("atan", 1, f_f, atan ),\n    JS_CFUNC_SPECIAL_DEF("atan2", 2, f_f_f, atan2 ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("cos", 1, f_f, cos ),\n    JS_CFUNC_SPECIAL_DEF("exp", 1, f_f, exp ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("log", 1, f_f, log ),\n#endif\n    JS_CFUNC_SPECIAL_DEF("pow", 2, f_f_f, js_pow ),\n' +
      '#ifndef NEAR_LEAN\n    JS_CFUNC_SPECIAL_DEF("sin", 1, f_f, sin ),\n    JS_CFUNC_SPECIAL_DEF("tan", 1, f_f, tan ),\n#endif\n',
  },
  {
    file: "quickjs.c",
    why: "lean profile: Math's transcendental functions pull in libm code and tables no contract here uses",
    from:
      '    JS_CFUNC_SPECIAL_DEF("cosh", 1, f_f, cosh ),\n    JS_CFUNC_SPECIAL_DEF("sinh", 1, f_f, sinh ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("tanh", 1, f_f, tanh ),\n    JS_CFUNC_SPECIAL_DEF("acosh", 1, f_f, acosh ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("asinh", 1, f_f, asinh ),\n    JS_CFUNC_SPECIAL_DEF("atanh", 1, f_f, atanh ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("expm1", 1, f_f, expm1 ),\n    JS_CFUNC_SPECIAL_DEF("log1p", 1, f_f, log1p ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("log2", 1, f_f, log2 ),\n    JS_CFUNC_SPECIAL_DEF("log10", 1, f_f, log10 ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("cbrt", 1, f_f, cbrt ),\n    JS_CFUNC_DEF("hypot", 2, js_math_hypot ),\n',
    to:
      "#ifndef NEAR_LEAN\n" +
      '    JS_CFUNC_SPECIAL_DEF("cosh", 1, f_f, cosh ),\n    JS_CFUNC_SPECIAL_DEF("sinh", 1, f_f, sinh ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("tanh", 1, f_f, tanh ),\n    JS_CFUNC_SPECIAL_DEF("acosh", 1, f_f, acosh ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("asinh", 1, f_f, asinh ),\n    JS_CFUNC_SPECIAL_DEF("atanh", 1, f_f, atanh ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("expm1", 1, f_f, expm1 ),\n    JS_CFUNC_SPECIAL_DEF("log1p", 1, f_f, log1p ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("log2", 1, f_f, log2 ),\n    JS_CFUNC_SPECIAL_DEF("log10", 1, f_f, log10 ),\n' +
      '    JS_CFUNC_SPECIAL_DEF("cbrt", 1, f_f, cbrt ),\n    JS_CFUNC_DEF("hypot", 2, js_math_hypot ),\n#endif\n',
  },
  {
    file: "libbf.c",
    why: "with 32-bit limbs (wasm32) a u64 with bit 63 set was shifted by 32, corrupting u128 amounts",
    from:
      "        a0 = a;\n        a1 = a >> 32;\n        shift = clz(a1);\n        r->tab[0] = a0 << shift;\n" +
      "        r->tab[1] = (a1 << shift) | (a0 >> (LIMB_BITS - shift));\n        r->expn = 2 * LIMB_BITS - shift;",
    to:
      "        /* AI Commons: normalise in 64 bits; the upstream form shifted a0 by 32 when shift == 0 */\n" +
      "        uint64_t v;\n        a0 = a;\n        a1 = a >> 32;\n        shift = clz(a1);\n" +
      "        v = a << shift;\n        r->tab[0] = (uint32_t)v;\n        r->tab[1] = (uint32_t)(v >> 32);\n" +
      "        r->expn = 2 * LIMB_BITS - shift;",
  },
];

export function sha256Hex(data) {
  return crypto.createHash("sha256").update(data).digest("hex");
}

/** Copies the pinned sources (checking each sha256), applies the adjustments and adds the project's glue. */
export function prepareSources() {
  if (!fs.existsSync(QUICKJS_PACKAGE_DIR)) {
    throw new ToolError(`QuickJS sources not found at ${QUICKJS_PACKAGE_DIR}: run \`npm install\` first`);
  }
  fs.rmSync(QUICKJS_OUT, { recursive: true, force: true });
  fs.mkdirSync(QUICKJS_OUT, { recursive: true });
  const files = {};
  for (const [name, expected] of Object.entries(QUICKJS_SOURCES)) {
    const data = fs.readFileSync(path.join(QUICKJS_PACKAGE_DIR, name));
    const actual = sha256Hex(data);
    if (actual !== expected) {
      throw new ToolError(`QuickJS source ${name} has sha256 ${actual}, expected ${expected}: refusing to build`);
    }
    files[name] = data.toString("latin1");
  }
  for (const adj of ADJUSTMENTS) {
    const count = files[adj.file].split(adj.from).length - 1;
    if (count !== 1) throw new ToolError(`adjustment "${adj.why}" matched ${count} times in ${adj.file}`);
    files[adj.file] = files[adj.file].replace(adj.from, adj.to);
  }
  files["quickjs.c"] += `\n${fs.readFileSync(path.join(OWN_DIR, "quickjs-near-ext.c"), "latin1")}`;
  for (const own of [
    "quickjs-libc-min.c",
    "quickjs-libc-min.h",
    "lean-context.c",
    "lean-context.h",
    "near-host-ext.inc.c",
  ]) {
    files[own] = fs.readFileSync(path.join(OWN_DIR, own), "latin1");
  }
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(QUICKJS_OUT, name), text, "latin1");
}

/** The native qjsc, from the same adjusted sources and defines as the wasm runtime. */
export async function buildQjsc() {
  fs.mkdirSync(TOOL_BIN, { recursive: true });
  const srcs = ["qjsc.c", "quickjs.c", "libregexp.c", "libunicode.c", "cutils.c", "quickjs-libc.c", "libbf.c"];
  await run(HOST_CC, ["-O2", ...QUICKJS_DEFINES, "-w", "-o", QJSC, ...srcs, "-lm", "-ldl", "-lpthread"], {
    cwd: QUICKJS_OUT,
  });
}

/** A sysroot holding only WASI headers and libraries, so the host's glibc headers can never leak in. */
export function prepareSysroot() {
  fs.rmSync(SYSROOT, { recursive: true, force: true });
  fs.mkdirSync(path.join(SYSROOT, "lib"), { recursive: true });
  fs.symlinkSync(WASI_LIBC_INCLUDE, path.join(SYSROOT, "include"));
  fs.symlinkSync(WASI_LIBC_LIB, path.join(SYSROOT, "lib", "wasm32-wasi"));
}

/** Environment for clang: a PATH with nothing on it but our own bin, so no wasm-opt is ever picked up. */
export function clangEnv() {
  return { PATH: TOOL_BIN, HOME: process.env.HOME ?? "/tmp", LANG: "C", SOURCE_DATE_EPOCH: "0" };
}

/** Relative source paths (cwd = the source folder) keep __FILE__ strings machine-independent. */
export function wasmCompileArgs(includeDirs = ["."]) {
  return [
    `--sysroot=${SYSROOT}`,
    ...WASM_CFLAGS,
    `-fmacro-prefix-map=${ROOT}=.`,
    ...includeDirs.flatMap((d) => ["-I", d]),
  ];
}

/** Compiles the QuickJS runtime of every profile to LTO bitcode once; contracts only compile builder.c and link. */
export async function buildRuntime(concurrency) {
  fs.rmSync(RUNTIME_OUT, { recursive: true, force: true });
  const jobs = Object.entries(PROFILES).flatMap(([profile, { defines, sources }]) => {
    fs.mkdirSync(path.join(RUNTIME_OUT, profile), { recursive: true });
    return sources.map((src) => ({ profile, defines, src }));
  });
  await pool(jobs, concurrency, async ({ profile, defines, src }) => {
    const obj = path.join(RUNTIME_OUT, profile, src.replace(/\.c$/, ".o"));
    await run(CLANG, [...wasmCompileArgs(), ...defines, "-w", "-c", src, "-o", obj], {
      cwd: QUICKJS_OUT,
      env: clangEnv(),
    });
  });
}

export function runtimeObjects(profile) {
  const p = PROFILES[profile];
  if (!p) throw new ToolError(`unknown runtime profile "${profile}" (profiles: ${Object.keys(PROFILES).join(", ")})`);
  return p.sources.map((src) => path.join(RUNTIME_OUT, profile, src.replace(/\.c$/, ".o")));
}

const C_KEYWORDS = (
  "auto break case char const continue default do double else enum extern float for goto if inline int long " +
  "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while " +
  "_Bool _Complex _Imaginary _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local"
).split(" ");

/** Every global C symbol a contract method name could clash with: runtime, libc, libm and C keywords. */
export async function collectReservedSymbols(hostFunctions) {
  const names = new Set([...C_KEYWORDS, ...hostFunctions]);
  const inputs = [
    ...runtimeObjects("stock"),
    ...runtimeObjects("lean"),
    path.join(WASI_LIBC_LIB, "libc.a"),
    path.join(WASI_LIBC_LIB, "libm.a"),
  ];
  for (const file of inputs) {
    const out = await run(LLVM_NM, ["--defined-only", "--extern-only", "--format=just-symbols", file], {
      env: clangEnv(),
    });
    for (const line of out.split("\n")) {
      const sym = line.trim();
      if (sym && !sym.endsWith(":")) names.add(sym);
    }
  }
  return [...names].sort();
}
