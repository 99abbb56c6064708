// The host functions the toolchain binds beyond near-sdk-js 2.0.0 (toolchain/quickjs/near-host-ext.inc.c), through a
// compiled contract (build/host-ext.wasm from toolchain/fixtures/host-ext) on the local node: a contract deploys a
// global contract (by hash and by its own account id, burning the code's storage at 10x) and creates accounts that
// use it; ed25519_verify and p256_verify (NEP-635: a 32-byte digest, a 64-byte r||s signature, a 33-byte compressed
// key) accept what node:crypto signs and refuse a tampered message. promise_yield_* are bound too; they are not
// exercised here (local-node/test/yield.test.ts and sandbox-tests/local-node/yield.test.ts test the node's yield/resume
// with a WebAssembly-text contract).
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import bs58 from "bs58";
import type { NearAccount } from "near-workspaces";
import { CALLEE_WAT, compileWat } from "../../local-node/test/wasm.ts";
import { useWorker } from "../helpers/worker.ts";

const wasm = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "build", "host-ext.wasm");
const test = useWorker();
const NEAR = 10n ** 24n;
const TGAS = 10n ** 12n;
const callee = compileWat(CALLEE_WAT);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest();

let deployed: Promise<NearAccount> | undefined;
function contract(root: NearAccount): Promise<NearAccount> {
  deployed ??= (async () => {
    if (!existsSync(wasm)) throw new Error(`${wasm} missing: run \`node toolchain/build.mjs host-ext\``);
    const account = await root.createSubAccount("ext", { initialBalance: 20n * NEAR });
    await account.deploy(readFileSync(wasm));
    return account;
  })();
  return deployed;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC query results
async function query(account: NearAccount, request: Record<string, unknown>): Promise<any> {
  const provider = (account as unknown as { manager: { provider: { query(r: unknown): Promise<unknown> } } }).manager
    .provider;
  return provider.query({ finality: "final", ...request });
}

test.serial("a contract deploys a global contract by hash and creates an account that uses it", async (t) => {
  const ext = await contract(t.context.root);
  const before = BigInt((await ext.balance()).total.toString());
  const r = await ext.callRaw(ext, "deploy_global", { code_hex: hex(callee), by_account: false }, { gas: 50n * TGAS });
  t.true(r.succeeded, r.receiptFailureMessages.join(" | "));
  const after = BigInt((await ext.balance()).total.toString());
  t.true(before - after >= BigInt(callee.length) * 10n ** 20n, "the code's storage was burnt at 10^20 a byte");
  const code = await query(ext, { request_type: "view_global_contract_code", code_hash: bs58.encode(sha256(callee)) });
  t.is(code.code_base64, Buffer.from(callee).toString("base64"));
  const user = await ext.callRaw(
    ext,
    "create_user",
    { name: "u1", code_hash_hex: hex(sha256(callee)) },
    { gas: 50n * TGAS, attachedDeposit: NEAR },
  );
  t.true(user.succeeded, user.receiptFailureMessages.join(" | "));
  const u1 = `u1.${ext.accountId}`;
  const view = await query(ext, { request_type: "view_account", account_id: u1 });
  t.is(view.global_contract_hash, bs58.encode(sha256(callee)));
  t.is(view.storage_usage, 100 + 32, "the account record and the 32-byte identifier");
  t.is(await t.context.root.call(u1, "ok", {}, { gas: 30n * TGAS }).then(String), "hello");
});

test.serial("by account id: the users follow the deploying contract", async (t) => {
  const ext = await contract(t.context.root);
  const r = await ext.callRaw(ext, "deploy_global", { code_hex: hex(callee), by_account: true }, { gas: 50n * TGAS });
  t.true(r.succeeded, r.receiptFailureMessages.join(" | "));
  const user = await ext.callRaw(
    ext,
    "create_user",
    { name: "u2", account_id: ext.accountId },
    { gas: 50n * TGAS, attachedDeposit: NEAR },
  );
  t.true(user.succeeded, user.receiptFailureMessages.join(" | "));
  const view = await query(ext, { request_type: "view_account", account_id: `u2.${ext.accountId}` });
  t.is(view.global_contract_account_id, ext.accountId);
  t.is(view.storage_usage, 100 + ext.accountId.length);
  // a user of a missing global contract is never created: the whole batch fails, the deposit comes back
  const missing = await ext.callRaw(
    ext,
    "create_user",
    { name: "u3", code_hash_hex: hex(sha256(new Uint8Array([1, 2, 3]))) },
    { gas: 50n * TGAS, attachedDeposit: NEAR },
  );
  t.true(JSON.stringify(missing.result).includes("GlobalContractDoesNotExist"));
  await t.throwsAsync(() => query(ext, { request_type: "view_account", account_id: `u3.${ext.accountId}` }));
});

test("ed25519_verify: a valid signature is true, a tampered message false", async (t) => {
  const ext = await contract(t.context.root);
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const message = Buffer.from("a community owns its model");
  const signature = sign(null, message, privateKey);
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const args = { signature: hex(signature), message: hex(message), public_key: hex(raw) };
  t.true(await ext.view("verify_ed25519", args));
  t.false(await ext.view("verify_ed25519", { ...args, message: hex(Buffer.from("a community owns its mode1")) }));
});

test("p256_verify: a valid signature over the SHA-256 digest is true, another digest false", async (t) => {
  const ext = await contract(t.context.root);
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const message = Buffer.from("webauthn-style assertion");
  const signature = sign("sha256", message, { key: privateKey, dsaEncoding: "ieee-p1363" });
  const jwk = publicKey.export({ format: "jwk" }) as { x: string; y: string };
  const y = Buffer.from(jwk.y, "base64url");
  const compressed = Buffer.concat([Buffer.from([y[y.length - 1] & 1 ? 3 : 2]), Buffer.from(jwk.x, "base64url")]);
  const args = { signature: hex(signature), digest: hex(sha256(message)), public_key: hex(compressed) };
  t.true(await ext.view("verify_p256", args));
  t.false(await ext.view("verify_p256", { ...args, digest: hex(sha256(Buffer.from("another"))) }));
});
