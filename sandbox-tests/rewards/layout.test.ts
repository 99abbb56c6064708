// The pool's logs (deposits, claims, allocations) were written by near-sdk-js's Vector before shared/json-store.ts;
// JsonVector keeps its layout: `prefix` + the index as 4 little-endian bytes taken as raw bytes (near-sdk-js builds
// the key as a latin-1 string, so an index byte of 0x80 or more must not be UTF-8 encoded), and the length in STATE.
import test from "ava";
import { DAO, initPool, NEAR, PoolVm } from "./vm-pool.ts";

test("deposits keep near-sdk-js's Vector layout past index 127 (raw key bytes), the length in STATE", (t) => {
  const vm = new PoolVm(undefined, 1000n * NEAR);
  t.true(initPool(vm).ok);
  for (let i = 0; i < 130; i++) {
    const r = vm.call("deposit", { memo: `d${i}` }, { from: DAO, deposit: NEAR });
    if (!r.ok) throw new Error(`deposit ${i}: ${r.error}`);
  }
  const key = (i: number) => Buffer.concat([Buffer.from("d"), Buffer.from([i & 255, (i >> 8) & 255, 0, 0])]);
  const at = (i: number) => JSON.parse(Buffer.from(vm.store.get(key(i)) ?? []).toString() || "null");
  t.like(at(128), { index: 128, memo: "d128" });
  t.like(at(129), { index: 129, memo: "d129" });
  t.is(vm.store.get(key(130)), undefined);
  // 0x80 as UTF-8 would be two bytes (c2 80): no such key
  t.is(vm.store.get(Buffer.from([0x64, 0xc2, 0x80, 0, 0, 0])), undefined);
  t.true((vm.read("STATE") ?? "").includes('"deposits":{"prefix":"d","length":130}'));
  t.like(vm.view<{ memo: string }[]>("get_deposits", { from_index: 128, limit: 5 }), [
    { memo: "d128" },
    { memo: "d129" },
  ]);
});
