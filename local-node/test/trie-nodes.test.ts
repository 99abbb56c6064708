// Trie-node gas as nearcore 2.13 (protocol 86) counts it (docs/trie-nodes-plan.md, local-node/src/chain-trie.ts):
// reads and has_key count none; a write or remove counts the nodes on the key's path in the trie at the start of the
// block, plus the evicted value when the key exists; a key written earlier in the block counts none; a node or value
// already counted in the block counts as read_cached_trie_node.
//
// The paths below are worked out by hand. The node's state keys all start with nibble 0 (accounts 0x00, code 0x01,
// access keys 0x02, contract data 0x09), so the trie's root is an extension "0" and the next node a branch over the
// column: every contract-data path starts with these 2 nodes. With the contract's keys "a", "b", "bc" (trie keys
// P61, P62, P6263 for P = 09 ++ "trie.test.near" ++ ","), the 0x09 subtree is: an extension from "09" to P6 (the
// only contract with data), a branch at P6 with children 1 (leaf "a") and 2 (a branch holding "b"'s value, with child
// 6: leaf "bc"). So:
//   a: ext, branch "0", ext, branch P6, leaf          = 5 nodes, + its value = 6
//   b: ext, branch "0", ext, branch P6, branch P62    = 5 nodes, + its value = 6
//   bc: ..., branch P62, leaf                         = 6 nodes, + its value = 7
//   c (missing): ..., branch P6 has no child 3        = 4 nodes
//   bd (missing): ..., branch P62, leaf "bc" (differs) = 6 nodes
import test from "ava";
import { triePath, trieKeyOf } from "../src/chain-trie.ts";
import { EXT_COSTS } from "../src/runtime-config.ts";
import { actions, createAccount, type NodeHandle, Signer, startNode, TGAS } from "./harness.ts";
import { compileWat } from "./wasm.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC outcome objects
type Any = any;

/** w/r/h/d: storage_write (value = the key) / read / has_key / remove of the key given as input; w0 writes the value
 * "stop"; wfail writes, then panics (the gas stays, the write does not). */
const STORE_WAT = `(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "storage_write" (func $storage_write (param i64 i64 i64 i64 i64) (result i64)))
  (import "env" "storage_read" (func $storage_read (param i64 i64 i64) (result i64)))
  (import "env" "storage_remove" (func $storage_remove (param i64 i64 i64) (result i64)))
  (import "env" "storage_has_key" (func $storage_has_key (param i64 i64) (result i64)))
  (import "env" "panic_utf8" (func $panic_utf8 (param i64 i64)))
  (memory 1)
  (data (i32.const 0) "stop")
  (func $key (result i64)
    (call $input (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 1024))
    (call $register_len (i64.const 0)))
  (func (export "w") (local $n i64)
    (local.set $n (call $key))
    (drop (call $storage_write (local.get $n) (i64.const 1024) (local.get $n) (i64.const 1024) (i64.const 1))))
  (func (export "w0") (local $n i64)
    (local.set $n (call $key))
    (drop (call $storage_write (local.get $n) (i64.const 1024) (i64.const 4) (i64.const 0) (i64.const 1))))
  (func (export "wfail") (local $n i64)
    (local.set $n (call $key))
    (drop (call $storage_write (local.get $n) (i64.const 1024) (local.get $n) (i64.const 1024) (i64.const 1)))
    (call $panic_utf8 (i64.const 4) (i64.const 0)))
  (func (export "r") (drop (call $storage_read (call $key) (i64.const 1024) (i64.const 1))))
  (func (export "h") (drop (call $storage_has_key (call $key) (i64.const 1024))))
  (func (export "d") (drop (call $storage_remove (call $key) (i64.const 1024) (i64.const 1))))
)`;

const TOUCH = EXT_COSTS.touching_trie_node;
const CACHED = EXT_COSTS.read_cached_trie_node;

let node: NodeHandle;
let store: Signer;

test.before(async () => {
  node = await startNode();
  store = await createAccount(node.root, "trie.test.near", 20n * 10n ** 24n);
});
test.after.always(async () => {
  await node?.stop();
});

/** One transaction to the contract with one function call per "method key": one receipt, one block. Returns the
 * receipt's trie nodes (touched, cached) from its gas profile, and its status. */
async function nodes(...calls: string[]): Promise<{ touched: bigint; cached: bigint; status: Any }> {
  const acts = calls.map((c) => c.split(" ")).map(([m, k]) => actions.functionCall(m, Buffer.from(k), 10n * TGAS, 0n));
  const r = await store.exec(store.accountId, acts);
  const [o] = r.receipts_outcome;
  const gas = (cost: string) =>
    BigInt(o.outcome.metadata.gas_profile.find((c: Any) => c.cost === cost)?.gas_used ?? "0");
  const touched = gas("TOUCHING_TRIE_NODE");
  const cached = gas("READ_CACHED_TRIE_NODE");
  return { touched: touched / TOUCH, cached: cached / CACHED, status: o.outcome.status };
}

test("triePath walks the canonical trie of a sorted key set: leaf, extension, branch, branch with a value", (t) => {
  // keys (hex nibbles): 0a1, 0a2, 0a23, 0b
  const sorted = ["0a1", "0a2", "0a23", "0b"].sort();
  // root: common prefix "0" -> extension; branch at "0"; child a: branch at "0a" (children 1, 2); 2: branch with
  // the value of 0a2 and child 3 (a leaf)
  t.deepEqual(triePath(sorted, "0a23"), { nodes: ["", "0", "0a", "0a2", "0a23"], present: true, leaf: "0a23" });
  t.deepEqual(triePath(sorted, "0a2"), { nodes: ["", "0", "0a", "0a2"], present: true });
  t.deepEqual(triePath(sorted, "0b"), { nodes: ["", "0", "0b"], present: true, leaf: "0b" });
  // missing: the path stops at the branch without the child, at a leaf that differs, or inside an extension
  t.deepEqual(triePath(sorted, "0a3"), { nodes: ["", "0", "0a"], present: false });
  t.deepEqual(triePath(sorted, "0a24"), { nodes: ["", "0", "0a", "0a2"], present: false });
  t.deepEqual(triePath(sorted, "0b5"), { nodes: ["", "0", "0b"], present: false, leaf: "0b" });
  t.deepEqual(triePath(sorted, "0a"), { nodes: ["", "0", "0a"], present: false });
  t.deepEqual(triePath(sorted, "1"), { nodes: [""], present: false });
  t.deepEqual(triePath(["abcd"], "abce"), { nodes: [""], present: false, leaf: "abcd" });
  t.deepEqual(triePath([], "ab"), { nodes: [], present: false });
});

test("trie keys are nearcore's: column byte, account id, separator, key", (t) => {
  const id = (s: string) => Buffer.from(s).toString("hex");
  t.is(trieKeyOf("a:alice.near"), `00${id("alice.near")}`);
  t.is(trieKeyOf("c:alice.near"), `01${id("alice.near")}`);
  t.is(trieKeyOf(`d:alice.near:${id("k")}`), `09${id("alice.near")}2c${id("k")}`);
  const pk = "ed25519:11111111111111111111111111111111";
  t.is(trieKeyOf(`k:alice.near:${pk}`), `02${id("alice.near")}0200${"00".repeat(32)}`);
  t.is(trieKeyOf("g:a:alice.near"), `12010a000000${id("alice.near")}`);
  t.is(trieKeyOf("g:h:11111111111111111111111111111111"), `1200${"00".repeat(32)}`);
});

test.serial("on the node: a collection's writes count their paths in the trie of the block's start", async (t) => {
  await store.exec(store.accountId, [actions.deployContract(compileWat(STORE_WAT))]);
  // no contract data yet: every data key stops at the column branch (2 nodes), counted once in the block
  t.like(await nodes("w a", "w b", "w bc"), { touched: 2n, cached: 4n });
  t.like(await nodes("w bc"), { touched: 7n, cached: 0n });
  t.like(await nodes("w b"), { touched: 6n, cached: 0n });
  t.like(await nodes("w a"), { touched: 6n, cached: 0n });
  // two keys in one receipt share the top of their paths: a = 6 touched, then b = 4 cached + branch P62 + value
  t.like(await nodes("w a", "w b"), { touched: 8n, cached: 4n });
});

test.serial(
  "on the node: a missing key counts the nodes up to where its path stops; remove counts as write",
  async (t) => {
    // wfail panics after its write: the gas stays, the state does not change
    t.like(await nodes("wfail c"), { touched: 4n, cached: 0n });
    t.like(await nodes("wfail bd"), { touched: 6n, cached: 0n });
    t.like(await nodes("d a"), { touched: 6n, cached: 0n });
    // with "a" gone, the data subtree is an extension from "09" to P62 (b, bc): "a" leaves it inside the extension
    t.like(await nodes("w a"), { touched: 3n, cached: 0n });
    // "zz" (7a7a) leaves the extension to P6 too; "d" (64) stops at branch P6, which has no child 4
    t.like(await nodes("d zz"), { touched: 3n, cached: 0n });
    t.like(await nodes("d d"), { touched: 4n, cached: 0n });
  },
);

test.serial("on the node: storage_read and storage_has_key count no trie nodes", async (t) => {
  t.like(await nodes("r bc", "h bc", "h zz", "r zz"), { touched: 0n, cached: 0n });
});

test.serial(
  "on the node: a key written earlier in the block counts nothing; a read leaves its value cached",
  async (t) => {
    // the second call is another VM run in the same receipt (block): the key is in the block's changes
    t.like(await nodes("w b", "w b"), { touched: 6n, cached: 0n });
    t.like(await nodes("d b", "w b"), { touched: 6n, cached: 0n });
    // a read counts nothing but caches the value: the write then counts its 6 path nodes and 1 cached value
    t.like(await nodes("r bc", "w bc"), { touched: 6n, cached: 1n });
  },
);

test.serial("on the node: keys patched in by sandbox_patch_state are in the next block's trie", async (t) => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  await node.call("sandbox_patch_state", {
    records: [{ Data: { account_id: store.accountId, data_key: b64("bd"), value: b64("bd") } }],
  });
  // keys a, b, bc, bd: branch P62 (b's value) -> child 6 -> branch P626 -> leaves bc and bd
  t.like(await nodes("w bc"), { touched: 8n, cached: 0n });
  t.like(await nodes("d bd"), { touched: 8n, cached: 0n });
});

test.serial("on the node: after a restart the trie is rebuilt from the replayed state", async (t) => {
  await node.stop();
  node = await startNode(node.home);
  store = new Signer(node, store.accountId, store.keyPair);
  t.like(await nodes("w bc"), { touched: 7n, cached: 0n });
  t.like(await nodes("r a", "w a", "w b"), { touched: 7n, cached: 5n });
});

test.serial("on the node: byte-identical leaves and values at different positions are one cache entry", async (t) => {
  // m1, m2 (6d31, 6d32) with the same value: below branch P6d3 both leaves hold no nibbles and the same value
  t.like(await nodes("w0 m1", "w0 m2"), { touched: 4n, cached: 4n });
  // m1: ext, branch "0", ext, branch P6, ext P6d, branch P6d3, leaf, value = 8; m2 finds all 8 cached, its leaf
  // and value too, as nearcore's cache (by hash) does
  t.like(await nodes("w0 m1", "w0 m2"), { touched: 8n, cached: 8n });
});
