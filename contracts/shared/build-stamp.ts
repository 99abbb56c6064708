import type { BuildStamp } from "../wire/source-metadata";

// Placeholder: toolchain/build.mjs replaces this module's text, in each contract's bundle, by the facts of that build
// (`buildStamp`: package version and repository, toolchain and lock-file hashes, the contract's source hash, paths).
// Only code not built by toolchain/build.mjs (unit tests, the stock near-sdk-js CLI) sees these values.
export const BUILD_STAMP: BuildStamp = {
  name: "unstamped",
  version: "0.0.0",
  link: null,
  build_info: {
    build_environment: "unstamped: not built by toolchain/build.mjs",
    build_command: [],
    source_code_snapshot: "",
    contract_path: "",
    output_wasm_path: "",
  },
};
