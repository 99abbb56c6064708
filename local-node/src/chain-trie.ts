// Trie-node accounting as nearcore 2.13 (protocol 86) counts it, for the chain's blocks (docs/trie-nodes-plan.md).
//
// nearcore keeps the state in one Merkle-Patricia trie over trie keys (a column byte, then fields). A contract's
// storage_write / storage_remove looks its key up through that trie as it was at the start of the chunk and counts
// every node on the path, plus the evicted value when the key exists; a key written earlier in the chunk is found in
// the TrieUpdate and counts nothing. One accounting cache serves the whole chunk, keyed by node and value hashes: a
// node or value not yet in it counts as touching_trie_node, a repeat as read_cached_trie_node. storage_read and
// storage_has_key go through flat storage and count nothing, but a read puts the value into the cache.
//
// The local node has no trie: its state is a map (state.ts). This index keeps every state entry's nearcore trie key,
// sorted, as of the start of the block, and finds the path of a key from the sorted keys alone, since nearcore's
// trie has one canonical shape for a key set: the keys sharing the nibbles walked so far form a range; one key left
// is a leaf; a longer common prefix is an extension; else a branch (holding a value if a key ends there). Nodes are
// told apart by their position (the nibbles before them), leaves and values by their content (a leaf's remaining
// nibbles and value hash), as nearcore's cache keys nodes by hash; only byte-identical branches or extensions at
// different positions (nearcore: one cache entry) are counted apart.
import type { State } from "./state.ts";
import { fromB58, parsePublicKey, sha256, toHex } from "./util.ts";
import type { TrieAccounting } from "./vm/types.ts";

/** nearcore's trie key (core/primitives/src/trie_key.rs) of a state entry, in hex: each character is one nibble. */
export function trieKeyOf(stateKey: string): string | undefined {
  const kind = stateKey.slice(0, 2);
  const rest = stateKey.slice(2);
  const str = (s: string) => Buffer.from(s, "utf8").toString("hex");
  switch (kind) {
    case "a:": // col::ACCOUNT ++ account id
      return `00${str(rest)}`;
    case "c:": // col::CONTRACT_CODE ++ account id
      return `01${str(rest)}`;
    case "k:": {
      // col::ACCESS_KEY ++ account id ++ ACCESS_KEY_SEPARATOR (= col::ACCESS_KEY) ++ borsh(public key)
      const i = rest.indexOf(":");
      const pk = parsePublicKey(rest.slice(i + 1));
      return `02${str(rest.slice(0, i))}02${pk ? toHex(pk.bytes) : str(rest.slice(i + 1))}`;
    }
    case "d:": {
      // col::CONTRACT_DATA ++ account id ++ ',' ++ key (the state keeps the key in hex)
      const i = rest.indexOf(":");
      return `09${str(rest.slice(0, i))}2c${rest.slice(i + 1)}`;
    }
    case "g:": {
      // col::GLOBAL_CONTRACT_CODE ++ borsh(GlobalContractCodeIdentifier): 0 ++ hash | 1 ++ u32 len ++ account id
      if (rest.startsWith("h:")) return `1200${toHex(fromB58(rest.slice(2)))}`;
      const id = Buffer.from(rest.slice(2), "utf8");
      const len = Buffer.alloc(4);
      len.writeUInt32LE(id.length);
      return `1201${len.toString("hex")}${id.toString("hex")}`;
    }
    default:
      return undefined;
  }
}

/** First index in sorted[lo, hi) whose key is >= s. */
function lowerBound(sorted: string[], s: string, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function commonPrefix(a: string, b: string, from: number): number {
  let i = from;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export interface TriePath {
  /** the nodes visited, root first, each named by the nibbles before it */
  nodes: string[];
  present: boolean;
  /** when the last node is a leaf: the trie key it holds (its nibbles from `nodes.at(-1).length` on are the leaf's) */
  leaf?: string;
}

/** The nodes a lookup of the trie key `key` (hex) visits in the trie of the sorted key set, root first, including
 * the node where a missing key's path stops, and whether the key is present. */
export function triePath(sorted: string[], key: string): TriePath {
  const nodes: string[] = [];
  let lo = 0;
  let hi = sorted.length;
  let d = 0;
  while (hi > lo) {
    nodes.push(key.slice(0, d));
    if (hi - lo === 1) return { nodes, present: sorted[lo] === key, leaf: sorted[lo] };
    const cp = commonPrefix(sorted[lo], sorted[hi - 1], d);
    if (cp > d) {
      // extension: the key must follow it; the branch after it is the next node
      if (key.slice(d, cp) !== sorted[lo].slice(d, cp)) return { nodes, present: false };
      d = cp;
      continue;
    }
    // branch at d: it holds a value iff a key ends here (it sorts first); else follow the key's next nibble
    if (key.length === d) return { nodes, present: sorted[lo] === key };
    const prefix = key.slice(0, d + 1);
    lo = lowerBound(sorted, prefix, lo, hi);
    // 'g' sorts after every hex digit: the end of the keys that start with prefix
    hi = lowerBound(sorted, `${prefix}g`, lo, hi);
    d += 1;
  }
  return { nodes, present: false };
}

/** More changed entries than this at a block's start rebuild the index instead of updating it key by key. */
const REBUILD_OVER = 2048;

/** The state's trie keys at the start of the block and the block's accounting cache. */
export class BlockTrie {
  /** trie keys (hex) of every state entry at the start of the block, sorted */
  private sorted: string[] = [];
  private rebuild = true;
  /** state keys changed since the start of the block (or ever, while a rebuild is due) */
  private pending = new Set<string>();
  /** state keys written in the block and not rolled back (nearcore: the TrieUpdate's changes) -> writes */
  private written = new Map<string, number>();
  /** nodes (branches and extensions by position, leaves and values by content) accounted in the block */
  private cache = new Set<string>();
  /** the value at the start of the block of each entry changed in the block */
  private startValues = new Map<string, unknown>();

  constructor(private readonly state: State) {
    state.onChange = (key, how, replaced) => {
      if (!this.rebuild) this.pending.add(key);
      if (how === "put" && !this.startValues.has(key)) this.startValues.set(key, replaced);
      if (how === "put") this.written.set(key, (this.written.get(key) ?? 0) + 1);
      else if (how === "undo") {
        const n = this.written.get(key);
        if (n === 1) this.written.delete(key);
        else if (n !== undefined) this.written.set(key, n - 1);
      }
    };
  }

  /** A new block (nearcore: chunk): the trie is the state as it is now, and nothing is accounted yet. */
  startBlock(): void {
    if (this.rebuild || this.pending.size > REBUILD_OVER) {
      this.sorted = [];
      for (const k of this.state.keys()) {
        const tk = trieKeyOf(k);
        if (tk !== undefined) this.sorted.push(tk);
      }
      this.sorted.sort();
      this.rebuild = false;
    } else {
      for (const k of this.pending) {
        const tk = trieKeyOf(k);
        if (tk === undefined) continue;
        const i = lowerBound(this.sorted, tk, 0, this.sorted.length);
        const indexed = this.sorted[i] === tk;
        const present = this.state.has(k);
        if (present && !indexed) this.sorted.splice(i, 0, tk);
        else if (!present && indexed) this.sorted.splice(i, 1);
      }
    }
    this.pending.clear();
    this.written.clear();
    this.cache.clear();
    this.startValues.clear();
  }

  /** The value of a contract-data trie key at the start of the block. */
  private dataAtBlockStart(trieKey: string): Uint8Array | undefined {
    // 09 ++ account id ++ 2c ++ key: account ids have no ',' (2c), so the first 2c at a byte boundary ends the id
    let i = 2;
    while (i < trieKey.length && trieKey.slice(i, i + 2) !== "2c") i += 2;
    if (!trieKey.startsWith("09") || i >= trieKey.length) return undefined;
    const accountId = Buffer.from(trieKey.slice(2, i), "hex").toString("utf8");
    const hexKey = trieKey.slice(i + 2);
    const stateKey = `d:${accountId}:${hexKey}`;
    if (this.startValues.has(stateKey)) return this.startValues.get(stateKey) as Uint8Array | undefined;
    return this.state.getData(accountId, hexKey);
  }

  private account(id: string, counts: { touched: number; cached: number }): void {
    if (this.cache.has(id)) counts.cached++;
    else {
      this.cache.add(id);
      counts.touched++;
    }
  }

  /** The accounting of one contract account's storage keys in this block. */
  forAccount(accountId: string): TrieAccounting {
    const idHex = Buffer.from(accountId, "utf8").toString("hex");
    const valueHash = (v: Uint8Array) => toHex(sha256(v));
    const valueId = (v: Uint8Array) => `v${valueHash(v)}`;
    return {
      read: (key) => {
        const hexKey = toHex(key);
        if (this.written.has(`d:${accountId}:${hexKey}`)) return;
        // not written in the block: the value now is the value at its start
        const v = this.state.getData(accountId, hexKey);
        if (v !== undefined) this.cache.add(valueId(v));
      },
      write: (key) => {
        const counts = { touched: 0, cached: 0 };
        const hexKey = toHex(key);
        if (this.written.has(`d:${accountId}:${hexKey}`)) return counts;
        const trieKey = `09${idHex}2c${hexKey}`;
        const { nodes, present, leaf } = triePath(this.sorted, trieKey);
        nodes.forEach((n, i) => {
          // a leaf is its remaining nibbles and its value's hash (and length): byte-identical leaves at different
          // positions are one node of nearcore's cache
          const leafValue = leaf !== undefined && i === nodes.length - 1 ? this.dataAtBlockStart(leaf) : undefined;
          this.account(leafValue ? `l${leaf?.slice(n.length)}:${valueHash(leafValue)}` : `n${n}`, counts);
        });
        const v = present ? this.dataAtBlockStart(trieKey) : undefined;
        if (v !== undefined) this.account(valueId(v), counts);
        return counts;
      },
    };
  }
}

/** For views: storage_write and storage_remove are prohibited there, and reads count nothing. */
export const VIEW_TRIE: TrieAccounting = {
  read: () => {},
  write: () => ({ touched: 0, cached: 0 }),
};
