#!/usr/bin/env node
// `wasi-stub <file.wasm>`: what near-sdk-js's CLI calls after linking; stubs WASI imports, checks that only NEAR host
// functions remain, optimises, and rewrites the file in place.
import fs from "node:fs";
import { ToolError } from "./lib/exec.mjs";
import { finishContractWasm } from "./lib/wasm-post.mjs";

const file = process.argv[2];
if (!file) {
  console.error("usage: wasi-stub <contract.wasm>");
  process.exit(2);
}
try {
  fs.writeFileSync(file, finishContractWasm(fs.readFileSync(file), file));
} catch (e) {
  console.error(e instanceof ToolError ? e.message : e);
  process.exit(1);
}
