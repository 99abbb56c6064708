// nearcore's limits on a contract's wasm that a build can check before anyone deploys it. Since protocol 84
// (nearcore res/runtime_configs/84.yaml, max_function_body_size) a function body above 196,608 bytes makes every
// call of the contract fail to compile (PrepareError); the local node's engine reports the same figure
// (local-node/test/rpc.test.ts checks the two agree).
import { ToolError } from "./exec.mjs";

export const MAX_FUNCTION_BODY_SIZE = 196_608;

function leb(bytes, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, pos];
  }
}

/** Sizes in bytes of the function bodies of a wasm binary (code section order: the defined functions). */
export function functionBodySizes(wasm) {
  const bytes = wasm instanceof Uint8Array ? wasm : new Uint8Array(wasm);
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size;
    [size, pos] = leb(bytes, pos);
    if (id === 10) {
      let count;
      let p;
      [count, p] = leb(bytes, pos);
      const sizes = [];
      for (let i = 0; i < count; i++) {
        let body;
        [body, p] = leb(bytes, p);
        sizes.push(body);
        p += body;
      }
      return sizes;
    }
    pos += size;
  }
  return [];
}

/** Throws a ToolError naming each function whose body exceeds nearcore's limit (`names[i]`: defined function i). */
export function checkFunctionBodies(wasm, names, label) {
  const over = functionBodySizes(wasm)
    .map((size, i) => ({ size, name: names[i] ?? `function #${i}` }))
    .filter((f) => f.size > MAX_FUNCTION_BODY_SIZE);
  if (over.length > 0) {
    throw new ToolError(
      `${label}: ${over.map((f) => `${f.name} has a ${f.size}-byte body`).join(", ")}; nearcore refuses function ` +
        `bodies above ${MAX_FUNCTION_BODY_SIZE} bytes since protocol 84 (max_function_body_size)`,
    );
  }
}
