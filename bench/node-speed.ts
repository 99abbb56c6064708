// The local node's speed through near-workspaces (wall-clock, so it moves with the machine's load; the bench reports
// the load average next to it): Worker.init, a near-workspaces test of 10 transactions, and transactions per second
// for transfers, for simple near-sdk-js calls (build/fixture.wasm set_greeting) and for cross-contract chains (a tiny
// WebAssembly contract whose `chain` calls another account's `ping` and then its own `ping` as a callback: three
// receipts and two blocks per transaction), each sequential (one sender) and concurrent (10 senders).
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import binaryen from "binaryen";
import { must, NEAR, type NearAccount, ROOT, startWorker, stopWorker, TGAS, type Worker } from "./lib.ts";
import type { NodeFigures } from "./results.ts";

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** `chain`: promise_create(target.ping) then promise_then(self.ping); `ping` does nothing. */
function chainWasm(target: string): Uint8Array {
  const m = binaryen.parseText(`(module
    (import "env" "promise_create" (func $create (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
    (import "env" "promise_then" (func $then (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
    (import "env" "current_account_id" (func $current (param i64)))
    (import "env" "register_len" (func $len (param i64) (result i64)))
    (import "env" "read_register" (func $read (param i64 i64)))
    (memory 1)
    (data (i32.const 0) "ping")
    (data (i32.const 64) "${target}")
    (func (export "ping"))
    (func (export "chain")
      (local $p i64)
      (call $current (i64.const 0))
      (call $read (i64.const 0) (i64.const 256))
      (local.set $p (call $create (i64.const ${target.length}) (i64.const 64) (i64.const 4) (i64.const 0)
        (i64.const 0) (i64.const 0) (i64.const 16) (i64.const 5000000000000)))
      (drop (call $then (local.get $p) (call $len (i64.const 0)) (i64.const 256) (i64.const 4) (i64.const 0)
        (i64.const 0) (i64.const 0) (i64.const 16) (i64.const 5000000000000)))))`);
  const bin = m.emitBinary();
  m.dispose();
  return bin;
}

async function rate(senders: NearAccount[], perSender: number, send: (s: NearAccount, i: number) => Promise<unknown>) {
  const t0 = process.hrtime.bigint();
  await Promise.all(
    senders.map(async (s) => {
      for (let i = 0; i < perSender; i++) await send(s, i);
    }),
  );
  return (senders.length * perSender) / (ms(t0) / 1000);
}

export async function nodeSpeed(): Promise<NodeFigures> {
  const load = loadavg()[0];
  const t0 = process.hrtime.bigint();
  const worker: Worker = await startWorker();
  const init = ms(t0);
  try {
    const root = worker.rootAccount;
    // the near-workspaces test of local-node/bench.mjs: 2 accounts, 6 transfers, 1 account created and deleted
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

    const transfers = await rate([a], 30, () => a.transfer(b, 1n));
    const senders: NearAccount[] = [];
    for (let i = 0; i < 10; i++) senders.push(await root.createSubAccount(`s${i}`, { initialBalance: 20n * NEAR }));

    const fixture = join(ROOT, "build", "fixture.wasm");
    if (!existsSync(fixture)) throw new Error("build/fixture.wasm is missing: run npm run build");
    const fx = await root.createSubAccount("fx", { initialBalance: 20n * NEAR });
    await fx.deploy(readFileSync(fixture));
    const greet = (s: NearAccount, i: number) =>
      s.callRaw(fx, "set_greeting", { greeting: `g${i}` }, { gas: 30n * TGAS }).then((r) => must("set_greeting", r));
    const jsSeq = await rate([a], 20, greet);
    const jsConc = await rate(senders, 4, greet);

    const chainA = await root.createSubAccount("chain-a", { initialBalance: 20n * NEAR });
    const chainB = await root.createSubAccount("chain-b", { initialBalance: 20n * NEAR });
    await chainA.deploy(chainWasm(chainB.accountId));
    await chainB.deploy(chainWasm(chainA.accountId));
    const chain = (s: NearAccount) =>
      s.callRaw(chainA, "chain", {}, { gas: 30n * TGAS }).then((r) => {
        must("chain", r);
        if (r.result.receipts_outcome.length < 3) throw new Error("chain: fewer than 3 receipts");
      });
    const chainSeq = await rate([a], 30, chain);
    const chainConc = await rate(senders, 6, chain);
    return {
      worker_init_ms: Math.round(init),
      ten_tx_test_ms: Math.round(tenTx),
      transfers_seq_tps: transfers,
      js_calls_seq_tps: jsSeq,
      js_calls_concurrent_tps: jsConc,
      chain_seq_tps: chainSeq,
      chain_concurrent_tps: chainConc,
      load_average: load,
    };
  } finally {
    await stopWorker(worker);
  }
}
