// Pinned inputs and fixed flags of the project's near-sdk-js toolchain. Changing anything here changes every
// contract's sha256, which is why it lives in one place (see docs/toolchain.md).
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Everything set-up produces; safe to delete (`npm run setup` rebuilds it). */
export const OUT = path.join(ROOT, ".toolchain");
export const QUICKJS_OUT = path.join(OUT, "quickjs");
export const RUNTIME_OUT = path.join(OUT, "runtime");
export const SYSROOT = path.join(OUT, "wasi-sysroot");
export const TOOL_BIN = path.join(OUT, "bin");
export const QJSC = path.join(TOOL_BIN, "qjsc");
export const STAMP = path.join(OUT, "stamp.json");
export const NEAR_SDK_JS = path.join(ROOT, "node_modules", "near-sdk-js");
export const BUILD_DIR = path.join(ROOT, "build");

/** Debian bookworm packages: the wasm32 C compiler, linker, WASI libc and compiler builtins. */
export const APT_PACKAGES = [
  { name: "clang-14", version: "1:14.0.6-12" },
  { name: "lld-14", version: "1:14.0.6-12" },
  { name: "llvm-14", version: "1:14.0.6-12" },
  { name: "wasi-libc", version: "0.0~git20220510.9886d3d-2" },
  { name: "libclang-rt-14-dev-wasm32", version: "1:14.0.6-12" },
];
export const CLANG = "/usr/bin/clang-14";
export const WASM_LD = "/usr/bin/wasm-ld-14";
export const LLVM_NM = "/usr/bin/llvm-nm-14";
export const WASI_LIBC_INCLUDE = "/usr/include/wasm32-wasi";
export const WASI_LIBC_LIB = "/usr/lib/wasm32-wasi";
export const HOST_CC = "gcc";

/** QuickJS 2021-03-27 as shipped in the npm package qjsc@0.3.0 (tarball integrity pinned in package-lock.json). */
export const QUICKJS_PACKAGE_DIR = path.join(ROOT, "node_modules", "qjsc", "deps", "quickjs_2021_03_27");
export const QUICKJS_SOURCES = {
  "quickjs.c": "b3574a58f159bf5fc2ceaf9153ffb2181a20408dcd66701114342805298cbaf4",
  "quickjs.h": "2533d8c684cee8404e9e7df79139e3b80e2cfebc81419b40452b975db5ea7c7f",
  "quickjs-atom.h": "491139f5f2eaf40d146a588429c2bb884ffd4b5d0ad829e7b32d4a6fcce80509",
  "quickjs-opcode.h": "ef37e98009fd84f1f0e3acea8d5a8acded9da3d657a48b2cfbc690d50f543ca5",
  "libbf.c": "5caffbf754eb6a7a96e9fca6c185478b751bbb679a597d3d34eaa6e507f51af2",
  "libbf.h": "c2fe44fbcab3660a661d933e1791d42704366a688e9281db72de4be487aa588a",
  "libregexp.c": "f167039cfef4b6d830bdd000e01ab0e030b89098ae13d3ef31b633163594ae27",
  "libregexp.h": "bcf851a670715db2450588ae8e8f7d7c453583ed29195208cb391239fe5d5bf6",
  "libregexp-opcode.h": "ef2e192734aacbe67bb15b7856239368054e19558f636a93cca51ad128b63ba3",
  "libunicode.c": "7fe7d1b375946fc7f9684f7b7f42b2088098ce62533ba5ce9470f0070a70ac15",
  "libunicode.h": "3158cc84164e43ad3e24d04436060c77c8cf66dcce88bb86429522b651cbc7c5",
  "libunicode-table.h": "a990fbe88ed90ff8a141dfc29a8afb8951549130129f0559d67082cca47e0144",
  "cutils.c": "82a2cf31e18fb5d080e0ef146886af46a336bd523fb5ad01e4187c687008ebf2",
  "cutils.h": "af54a154072c55c69e730788b2351ca779dd9725f2105d230ea441040a5e0752",
  "list.h": "d275d4830a019944bff3f08747b12f16bc932630cff34f147a7b59b68f952f5f",
  "qjsc.c": "886cb03f52a76da49f7c8629e2645c288c3f2fc83946ecbdccad289fb5ca1067",
  "quickjs-libc.c": "0fc0cf517419cc68fad619ed8f1ea8b863e2b11c355b27c6a5f968eb73eba212",
  "quickjs-libc.h": "4710ad9a360554279574461e26032faf3f0382db9eb6a5843f6c83c1560c139d",
  VERSION: "6b600e98fef8541a1a0d3fcad07fcf44067efbfc1ea58a2eae2fb02f62061cfd",
  LICENSE: "f41baf09eef895d468d18c23055d74f711e4b8b2641cef279b5d71285c07bfe8",
};

/** The same defines for native qjsc and the wasm runtime: bytecode and atom tables must agree. */
export const QUICKJS_DEFINES = ["-D_GNU_SOURCE", '-DCONFIG_VERSION="2021-03-27"', "-DCONFIG_BIGNUM"];
/** The QuickJS files linked into every contract (quickjs-libc-min.c is the project's own). */
const RUNTIME_SOURCES = ["quickjs.c", "libregexp.c", "libunicode.c", "cutils.c", "libbf.c", "quickjs-libc-min.c"];
/**
 * Runtime profiles (docs/toolchain.md): "stock" is near-sdk-js's context with every intrinsic; "lean" leaves out
 * Eval (and with it the parser), RegExp, Proxy, Date, String.normalize and Math's transcendental functions, drops
 * asserts, and strips bytecode debug info. A contract picks one in contracts/<name>/contract.json ({"profile": "stock"}); the default is lean.
 */
export const PROFILES = {
  stock: { defines: [], sources: RUNTIME_SOURCES },
  lean: { defines: ["-DNDEBUG", "-DNEAR_LEAN"], sources: [...RUNTIME_SOURCES, "lean-context.c"] },
};
export const DEFAULT_PROFILE = "lean";
export const WASM_CFLAGS = ["--target=wasm32-wasi", "-Oz", "-flto", "-fno-ident", "-nostartfiles", ...QUICKJS_DEFINES];
const STACK_SIZE = 256 * 1024;
export const WASM_LDFLAGS = [
  "-Wl,--no-entry",
  "-Wl,--allow-undefined",
  `-Wl,-z,stack-size=${STACK_SIZE}`,
  "-Wl,--lto-O3",
  "-Wl,--strip-all",
  "-lm",
];
