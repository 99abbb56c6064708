// Benchmark (not a test): a near-workspaces session against the local node.
// Prints: node start-up (Worker.init), a 10-transaction test body, and transactions per second for
// sequential and concurrent transfers. Usage: node local-node/bench.mjs [concurrent-count]
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import nearWorkspaces from "near-workspaces";
import { buildLocalNode } from "./build.mjs";

const { Worker } = nearWorkspaces;
const dist = await buildLocalNode();
process.env.NEAR_SANDBOX_BIN_PATH = join(dist, "near-sandbox");
process.env.NEAR_SANDBOX_BINARY_PATH = dist;
const concurrent = Number(process.argv[2] ?? 200);
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

const t0 = process.hrtime.bigint();
const worker = await Worker.init();
const startup = ms(t0);
try {
  const root = worker.rootAccount;
  // "a test of 10 transactions": create 2 accounts, 6 transfers, delete 1, 1 batch (add key)
  const t1 = process.hrtime.bigint();
  const a = await root.createSubAccount("a");
  const b = await root.createSubAccount("b");
  for (let i = 0; i < 3; i++) {
    await a.transfer(b, 10n ** 22n);
    await b.transfer(a, 10n ** 21n);
  }
  const c = await root.createSubAccount("c");
  await c.delete(a.accountId);
  const tenTx = ms(t1);

  const t2 = process.hrtime.bigint();
  const seq = 50;
  for (let i = 0; i < seq; i++) await a.transfer(b, 1n);
  const seqMs = ms(t2);

  // concurrent: many accounts sending at once (each account's own nonce sequence stays serial)
  const senders = [];
  for (let i = 0; i < 20; i++) senders.push(await root.createSubAccount(`s${i}`));
  const t3 = process.hrtime.bigint();
  await Promise.all(
    senders.map(async (s) => {
      for (let i = 0; i < concurrent / senders.length; i++) await s.transfer(b, 1n);
    }),
  );
  const concMs = ms(t3);
  // a near-sdk-js contract (the toolchain's fixture), when it has been built
  const wasm = join(dirname(fileURLToPath(import.meta.url)), "..", "build", "fixture.wasm");
  let contractLine = "contract: build/fixture.wasm not built (npm run build)";
  if (existsSync(wasm)) {
    const code = readFileSync(wasm);
    const t4 = process.hrtime.bigint();
    const fx = await root.createSubAccount("fx", { initialBalance: 20n * 10n ** 24n });
    await fx.deploy(code);
    const deployMs = ms(t4);
    const t5 = process.hrtime.bigint();
    for (let i = 0; i < 10; i++) await root.call(fx, "set_greeting", { greeting: `g${i}` });
    const callMs = ms(t5) / 10;
    const t6 = process.hrtime.bigint();
    for (let i = 0; i < 10; i++) await fx.view("get_greeting", {});
    const viewMs = ms(t6) / 10;
    contractLine =
      `near-sdk-js contract (${(code.length / 1024).toFixed(0)} KiB): create+deploy ${deployMs.toFixed(0)} ms, ` +
      `call ${callMs.toFixed(1)} ms, view ${viewMs.toFixed(1)} ms`;
  }
  const block = await worker.provider.sendJsonRpc("block", { finality: "final" });
  console.log(`node start-up (Worker.init):            ${startup.toFixed(0)} ms`);
  console.log(`near-workspaces test of 10 transactions: ${tenTx.toFixed(0)} ms`);
  console.log(
    `sequential transfers:                    ${((seq * 1000) / seqMs).toFixed(0)} tx/s (${seq} in ${seqMs.toFixed(0)} ms)`,
  );
  console.log(
    `concurrent transfers (20 senders):       ${((concurrent * 1000) / concMs).toFixed(0)} tx/s (${concurrent} in ${concMs.toFixed(0)} ms)`,
  );
  console.log(contractLine);
  console.log(`head height: ${block.header.height}`);
} finally {
  await worker.tearDown();
  rmSync(worker.config.homeDir, { recursive: true, force: true });
}
