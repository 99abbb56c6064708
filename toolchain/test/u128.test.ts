// u128 amounts survive the trip host -> QuickJS BigInt -> host exactly. With 32-bit limbs (wasm32) upstream libbf's
// bf_set_ui corrupted a u64 with bit 63 set; the toolchain's adjustment fixes it, and this test would catch it.
import { existsSync, readFileSync } from "node:fs";
import test from "ava";
import { b58, sha256 } from "../../local-node/src/util.ts";
import { runFunctionCall } from "../../local-node/src/vm/index.ts";
import { context, MapState, returned } from "../../local-node/test/vm/helpers.ts";

const FIXTURE = new URL("../../build/fixture.wasm", import.meta.url);

// the example, plus values whose low or high 64-bit word has bit 63 set, and the u128 extremes
const AMOUNTS = [
  123456789012345678901234567890n,
  (1n << 63n) + 5n,
  (1n << 64n) - 1n,
  (1n << 127n) + (1n << 63n),
  (1n << 128n) - 1n,
  10n ** 24n,
  1n,
];

test("attached deposits of every u128 shape read back exactly in the contract", (t) => {
  t.true(existsSync(FIXTURE), "build/fixture.wasm missing: run `npm run build`");
  const code = new Uint8Array(readFileSync(FIXTURE));
  for (const amount of AMOUNTS) {
    const state = new MapState();
    const o = runFunctionCall(
      code,
      b58(sha256(code)),
      // the balance includes the deposit (VmContext), here all of it
      context({
        methodName: "deposit",
        input: new TextEncoder().encode("{}"),
        attachedDeposit: amount,
        accountBalance: amount,
      }),
      state,
    );
    t.is(o.error, undefined, `deposit ${amount}`);
    t.is(returned(o), `"${amount}"`, `deposit ${amount} read back`);
  }
});
