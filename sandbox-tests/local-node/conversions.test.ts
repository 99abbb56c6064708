// The runtime glue's conversions on the local node, through build/conversions.wasm (toolchain/fixtures/conversions):
// each fails exactly where near-sdk-js 2.0.0's own runtime (near/quickjs v0.1.3 + builder.c) fails.
// - u64 host-function arguments (JS_ToUint64Ext): a BigInt outside [0, 2^64 - 1] makes builder.c throw
//   "Expect Uint64 for <name>", so the call panics; a Number is taken modulo 2^64, as in the reference.
// - raw Latin-1 strings (JS_ToCStringLenRaw): a string with a code unit above 0xFF gives zero bytes, as in the
//   reference (its JS_ToCStringLenRaw returns NULL and builder.c does not check), never the code units' low bytes.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NearAccount } from "near-workspaces";
import { useWorker } from "../helpers/worker.ts";

const wasm = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "build", "conversions.wasm");
const test = useWorker();
const NEAR = 10n ** 24n;
const TGAS = 10n ** 12n;
const U64_MAX = 2n ** 64n - 1n;
const big = (v: bigint) => ({ v: v.toString(), as: "bigint" });
const num = (v: number | bigint) => ({ v: v.toString(), as: "number" });

let deployed: Promise<NearAccount> | undefined;
/** One contract account for the file, deployed on first use. */
function contract(root: NearAccount): Promise<NearAccount> {
  deployed ??= (async () => {
    if (!existsSync(wasm)) throw new Error(`${wasm} missing: run \`node toolchain/build.mjs conversions\``);
    const account = await root.createSubAccount("conv", { initialBalance: 20n * NEAR });
    await account.deploy(readFileSync(wasm));
    return account;
  })();
  return deployed;
}

/** The failure message of a call (undefined when it succeeds). */
async function failure(
  root: NearAccount,
  c: NearAccount,
  method: string,
  args: Record<string, unknown>,
): Promise<string | undefined> {
  const r = await root.callRaw(c, method, args, { gas: 300n * TGAS });
  return r.failed ? JSON.stringify(r.result.status) : undefined;
}

/** A view's result, or the error message. */
async function view(c: NearAccount, method: string, args: Record<string, unknown>): Promise<unknown> {
  try {
    return await c.view(method, args);
  } catch (e) {
    return (e as Error).message;
  }
}

test("gas: a BigInt of 2^64 or a negative BigInt panics as near-sdk-js does; 2^64 - 1 reaches the host's gas checks", async (t) => {
  const { root } = t.context;
  const c = await contract(root);
  t.regex(
    (await failure(root, c, "promise_gas", { gas: big(2n ** 64n) })) ?? "",
    /Smart contract panicked: Expect Uint64 for gas/,
  );
  t.regex((await failure(root, c, "promise_gas", { gas: big(2n ** 100n) })) ?? "", /Expect Uint64 for gas/);
  t.regex(
    (await failure(root, c, "promise_gas", { gas: big(-1n) })) ?? "",
    /Smart contract panicked: Expect Uint64 for gas/,
  );
  // in range, so the host gets it and refuses it: 2^64 - 1 overflows the gas already used (nearcore's
  // IntegerOverflow), 2^63 exceeds the prepaid gas
  const max = (await failure(root, c, "promise_gas", { gas: big(U64_MAX) })) ?? "";
  t.regex(max, /"ExecutionError":"Integer overflow\."/);
  const large = (await failure(root, c, "promise_gas", { gas: big(2n ** 63n) })) ?? "";
  t.regex(large, /"ExecutionError":"Exceeded the prepaid gas\."/);
  t.is(await failure(root, c, "promise_gas", { gas: big(5n * TGAS) }), undefined);
  // 0 converts fine, and nearcore's validate_receipt then refuses a function call with no gas in the receipt the
  // contract created, as it refuses one in a transaction
  t.is(
    await failure(root, c, "promise_gas", { gas: big(0n) }),
    '{"Failure":{"ActionError":{"index":0,"kind":{"NewReceiptValidationError":{"ActionsValidation":"FunctionCallZeroAttachedGas"}}}}}',
  );
});

test("register ids: BigInts in [0, 2^64 - 1] pass, others panic; Numbers wrap modulo 2^64 as in the reference", async (t) => {
  const c = await contract(t.context.root);
  // register 0 holds 3 bytes; any other register does not exist (register_len = u64::MAX)
  t.is(await view(c, "register_length", { id: big(0n) }), "3");
  t.is(await view(c, "register_length", { id: big(U64_MAX) }), U64_MAX.toString());
  t.regex(String(await view(c, "register_length", { id: big(2n ** 64n) })), /Expect Uint64 for register_id/);
  t.regex(String(await view(c, "register_length", { id: big(2n ** 100n) })), /Expect Uint64 for register_id/);
  t.regex(String(await view(c, "register_length", { id: big(-1n) })), /Expect Uint64 for register_id/);
  // the reference's Number path is JS_ToInt64: ToNumber, truncation, modulo 2^64, never a failure
  t.is(await view(c, "register_length", { id: num(2n ** 64n) }), "3");
  t.is(await view(c, "register_length", { id: num(0.9) }), "3");
  t.is(await view(c, "register_length", { id: num(-1) }), U64_MAX.toString());
});

test("promise indices: a BigInt of 2^64 panics; 2^64 - 1 reaches the host's index check", async (t) => {
  const { root } = t.context;
  const c = await contract(root);
  t.is(await failure(root, c, "promise_index", { index: big(0n) }), undefined);
  t.regex(
    (await failure(root, c, "promise_index", { index: big(2n ** 64n) })) ?? "",
    /Expect Uint64 for promise_index/,
  );
  t.regex((await failure(root, c, "promise_index", { index: big(-1n) })) ?? "", /Expect Uint64 for promise_index/);
  const max = (await failure(root, c, "promise_index", { index: big(U64_MAX) })) ?? "";
  t.regex(max, /18446744073709551615 does not correspond to existing promises/);
});

test("u128 amounts: a BigInt of 2^128 panics; 2^128 - 1 reaches the balance check", async (t) => {
  const { root } = t.context;
  const c = await contract(root);
  t.is(await failure(root, c, "promise_amount", { amount: big(1n) }), undefined);
  t.regex((await failure(root, c, "promise_amount", { amount: big(2n ** 128n) })) ?? "", /Expect Uint128 for amount/);
  t.regex(
    (await failure(root, c, "promise_amount", { amount: big(2n ** 128n - 1n) })) ?? "",
    /Exceeded the account balance/,
  );
});

test("raw strings: Latin-1 characters become one byte each; a code unit above 0xFF gives no bytes at all", async (t) => {
  const { root } = t.context;
  const c = await contract(root);
  t.deepEqual(await view(c, "latin1_bytes", { s: "\u00ff\u0000A\u0080" }), [255, 0, 65, 128]);
  t.deepEqual(await view(c, "latin1_bytes", { s: "A\u0101" }), []);
  t.deepEqual(await view(c, "latin1_bytes", { s: "\u{1F600}" }), []);
  t.deepEqual(await view(c, "latin1_bytes", { s: "" }), []);
  // promise_batch_action_function_call_weight's arguments are a raw string: the callee gets the bytes, or none
  const narrow = await root.callRaw(c, "raw_args", { args: '"\u00ff"' }, { gas: 300n * TGAS });
  t.true(narrow.succeeded, JSON.stringify(narrow.result.status));
  t.deepEqual(narrow.parseResult<number[]>(), [34, 255, 34]);
  const wide = await root.callRaw(c, "raw_args", { args: '"\u0101"' }, { gas: 300n * TGAS });
  t.true(wide.succeeded, JSON.stringify(wide.result.status));
  t.deepEqual(wide.parseResult<number[]>(), []);
});
