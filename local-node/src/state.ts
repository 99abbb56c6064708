// The world state: accounts, access keys, contract code and contract data, in one ordered key space with an
// undo log (a failed receipt rolls back to a checkpoint) and a dirty set (what the journal must persist).
import { b58, b64, fromB64, sha256 } from "./util.ts";
import type { AccessKeyPermission, AccountContract, GlobalContractIdentifier } from "./vm/types.ts";

export interface Account {
  amount: bigint;
  locked: bigint;
  /** the local contract's hash, or the empty hash (also when the account uses a global contract) */
  codeHash: string;
  storageUsage: bigint;
  /** NEP-591: the global contract the account uses instead of local code */
  global?: GlobalContractIdentifier;
}

interface AccessKey {
  nonce: bigint;
  permission: AccessKeyPermission;
}

/** NEP-519: a yield callback receipt waiting for promise_yield_resume or its timeout (nearcore's
 * TrieKey::PromiseYieldReceipt), and the transaction whose outcome tree it belongs to. The receipt is the chain's
 * ActionReceipt (runtime.ts), kept opaque here. */
export interface PendingYield {
  receipt: unknown;
  /** hash of the transaction that created it (its record gets the callback's outcomes) */
  owner: string;
}

/** One entry of the yield timeout queue (nearcore's PromiseYieldTimeout). */
export interface YieldTimeout {
  accountId: string;
  /** hex */
  dataId: string;
  expiresAt: bigint;
}

/** The timeout queue's bounds (nearcore's PromiseYieldIndices). */
export interface YieldIndices {
  first: bigint;
  next: bigint;
}

/** A receipt waiting across requests for data that a yield's callback will send (a promise_then or promise_and on
 * a yield): nearcore's PostponedReceipt, and ReceivedData for the inputs that already arrived. */
export interface PostponedReceipt {
  receipt: unknown;
  owner: string;
}

type Value =
  | Account
  | AccessKey
  | Uint8Array
  | PendingYield
  | YieldTimeout
  | YieldIndices
  | PostponedReceipt
  | { data: Uint8Array | null }
  | { receiptId: string }
  | { status: YieldStatus }
  | { dataId: string }
  | { yieldId: string };

/** nearcore's PromiseYieldStatus: set when a yield is created, ResumeInitiated by promise_yield_resume, removed when
 * the yield's callback runs. */
export type YieldStatus = "Yielded" | "ResumeInitiated";

const accKey = (id: string) => `a:${id}`;
const keyKey = (id: string, pk: string) => `k:${id}:${pk}`;
const dataKey = (id: string, hexKey: string) => `d:${id}:${hexKey}`;
const codeKey = (id: string) => `c:${id}`;
/** the global contract code store (nearcore's TrieKey::GlobalContractCode), by hash or by deploying account */
const globalKey = (g: GlobalContractIdentifier) => ("hash" in g ? `g:h:${g.hash}` : `g:a:${g.accountId}`);
/** NEP-519 (nearcore's PromiseYieldReceipt, PromiseYieldTimeout, PromiseYieldIndices); `y` keys have no nearcore
 * trie key here (chain-trie.ts skips them) */
const yieldKey = (id: string, dataId: string) => `y:${id}:${dataId}`;
const timeoutKey = (index: bigint) => `yt:${index}`;
const YIELD_INDICES = "yi:";
/** nearcore's PostponedReceipt, ReceivedData and PostponedReceiptId, kept only for receipts that outlive a request */
const postponedKey = (id: string, receiptId: string) => `yp:${id}:${receiptId}`;
const receivedKey = (id: string, dataId: string) => `yr:${id}:${dataId}`;
const waitingKey = (id: string, dataId: string) => `yw:${id}:${dataId}`;
/** nearcore's PromiseYieldStatus, YieldIdToDataId and DataIdToYieldId */
const statusKey = (id: string, dataId: string) => `ys:${id}:${dataId}`;
const yieldIdKey = (id: string, yieldId: string) => `ym:${id}:${yieldId}`;
const dataIdYieldKey = (id: string, dataId: string) => `yn:${id}:${dataId}`;
/** the `y` keys indexed by account: yield receipts, statuses, yield ids */
const INDEXED = /^(y|ys|ym):/;

export class State {
  private entries = new Map<string, Value>();
  /** account id -> its key and data entries, for listing and deletion */
  private byAccount = new Map<string, Set<string>>();
  /** "y" | "ys" | "ym" -> account id -> the rest of the key (data id, or yield id): an account's yields, statuses
   * and yield ids (kept apart from byAccount: deleting an account leaves them, as nearcore's remove_account does) */
  private yieldIndex = new Map<string, Map<string, Set<string>>>();
  /** transaction hash -> its yields and receipts waiting on a yield's callback (`y:` and `yp:` entries): the
   * transactions whose receipts have not all run */
  private pendingOwners = new Map<string, number>();
  private undo: Array<[string, Value | undefined]> = [];
  private dirty = new Set<string>();
  /** Told of every change of an entry (the chain's trie-key index, chain-trie.ts): a write ("put", with the value it
   * replaced), its undoing by a rollback ("undo"), or a persisted value applied on replay ("load"). */
  onChange?: (key: string, how: "put" | "undo" | "load", replaced?: unknown) => void;

  // --- raw access with undo and dirty tracking ---
  private put(key: string, value: Value | undefined): void {
    const replaced = this.entries.get(key);
    this.undo.push([key, replaced]);
    this.dirty.add(key);
    this.rawPut(key, value);
    this.onChange?.(key, "put", replaced);
  }

  /** Every entry's key (`a:`, `k:`, `c:`, `d:`, `g:` forms above), in no order. */
  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  private rawPut(key: string, value: Value | undefined): void {
    if (key.startsWith("y:") || key.startsWith("yp:")) {
      const before = (this.entries.get(key) as PendingYield | undefined)?.owner;
      const after = (value as PendingYield | undefined)?.owner;
      if (before !== undefined) {
        const n = (this.pendingOwners.get(before) ?? 1) - 1;
        if (n > 0) this.pendingOwners.set(before, n);
        else this.pendingOwners.delete(before);
      }
      if (after !== undefined) this.pendingOwners.set(after, (this.pendingOwners.get(after) ?? 0) + 1);
    }
    const indexed = INDEXED.exec(key);
    if (indexed) {
      const from = indexed[0].length;
      const i = key.indexOf(":", from);
      const id = key.slice(from, i);
      const byId = this.yieldIndex.get(indexed[1]) ?? new Map<string, Set<string>>();
      this.yieldIndex.set(indexed[1], byId);
      const set = byId.get(id) ?? new Set<string>();
      if (value === undefined) set.delete(key.slice(i + 1));
      else set.add(key.slice(i + 1));
      if (set.size > 0) byId.set(id, set);
      else byId.delete(id);
    }
    const owner = ownerOf(key);
    if (value === undefined) {
      this.entries.delete(key);
      if (owner) this.byAccount.get(owner)?.delete(key);
    } else {
      this.entries.set(key, value);
      if (owner) {
        const set = this.byAccount.get(owner) ?? new Set<string>();
        this.byAccount.set(owner, set);
        set.add(key);
      }
    }
  }

  checkpoint(): number {
    return this.undo.length;
  }

  rollbackTo(cp: number): void {
    while (this.undo.length > cp) {
      const [key, prev] = this.undo.pop()!;
      this.rawPut(key, prev);
      this.onChange?.(key, "undo");
    }
  }

  /** Forget the undo log (the changes are final). */
  commit(): void {
    this.undo.length = 0;
  }

  // --- accounts ---
  getAccount(id: string): Account | undefined {
    const a = this.entries.get(accKey(id)) as Account | undefined;
    return a ? { ...a } : undefined;
  }

  setAccount(id: string, a: Account): void {
    this.put(accKey(id), { ...a });
  }

  /** Removes the account and everything it owns (keys, data, code). */
  deleteAccount(id: string): void {
    for (const key of [...(this.byAccount.get(id) ?? [])]) this.put(key, undefined);
    this.put(codeKey(id), undefined);
    this.put(accKey(id), undefined);
  }

  // --- access keys ---
  getAccessKey(id: string, pk: string): AccessKey | undefined {
    const k = this.entries.get(keyKey(id, pk)) as AccessKey | undefined;
    return k ? { ...k } : undefined;
  }

  setAccessKey(id: string, pk: string, k: AccessKey): void {
    this.put(keyKey(id, pk), { ...k });
  }

  deleteAccessKey(id: string, pk: string): void {
    this.put(keyKey(id, pk), undefined);
  }

  listAccessKeys(id: string): Array<[string, AccessKey]> {
    const prefix = keyKey(id, "");
    return [...(this.byAccount.get(id) ?? [])]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .map((k) => [k.slice(prefix.length), this.entries.get(k) as AccessKey]);
  }

  // --- code ---
  getCode(id: string): Uint8Array | undefined {
    return this.entries.get(codeKey(id)) as Uint8Array | undefined;
  }

  setCode(id: string, code: Uint8Array | undefined): void {
    this.put(codeKey(id), code);
  }

  // --- global contracts (NEP-591) ---
  getGlobalCode(g: GlobalContractIdentifier): Uint8Array | undefined {
    return this.entries.get(globalKey(g)) as Uint8Array | undefined;
  }

  setGlobalCode(g: GlobalContractIdentifier, code: Uint8Array): void {
    this.put(globalKey(g), code);
  }

  /** The code an account runs and its hash: its own, or the global contract it uses (and which: nearcore's
   * AccountContract, which the VM's current_contract_code reports). */
  contractOf(id: string): { code: Uint8Array; hash: string; kind: AccountContract } | undefined {
    const account = this.getAccount(id);
    if (!account) return undefined;
    if (account.global) {
      const code = this.getGlobalCode(account.global);
      if (!code) return undefined;
      return "hash" in account.global
        ? { code, hash: account.global.hash, kind: { Global: account.global.hash } }
        : { code, hash: hashOf(code), kind: { GlobalByAccount: account.global.accountId } };
    }
    const code = this.getCode(id);
    return code && account.codeHash !== EMPTY
      ? { code, hash: account.codeHash, kind: { Local: account.codeHash } }
      : undefined;
  }

  // --- contract data (keys as hex) ---
  getData(id: string, hexKey: string): Uint8Array | undefined {
    return this.entries.get(dataKey(id, hexKey)) as Uint8Array | undefined;
  }

  setData(id: string, hexKey: string, value: Uint8Array | undefined): void {
    this.put(dataKey(id, hexKey), value);
  }

  /** Data entries of an account whose key starts with the hex prefix, sorted by key bytes. */
  listData(id: string, hexPrefix: string): Array<[string, Uint8Array]> {
    const prefix = dataKey(id, hexPrefix);
    const start = dataKey(id, "").length;
    return [...(this.byAccount.get(id) ?? [])]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .map((k) => [k.slice(start), this.entries.get(k) as Uint8Array]);
  }

  // --- NEP-519 yields ---
  getYield(id: string, dataId: string): PendingYield | undefined {
    return this.entries.get(yieldKey(id, dataId)) as PendingYield | undefined;
  }

  setYield(id: string, dataId: string, y: PendingYield | undefined): void {
    this.put(yieldKey(id, dataId), y);
  }

  /** Data ids (hex) of the account with a stored yield receipt or a yield status: those promise_yield_resume finds
   * (nearcore's has_promise_yield_receipt || has_promise_yield_status). */
  pendingYields(id: string): string[] {
    const receipts = this.yieldIndex.get("y")?.get(id) ?? [];
    const statuses = this.yieldIndex.get("ys")?.get(id) ?? [];
    return [...new Set([...receipts, ...statuses])];
  }

  /** Whether some receipt of the transaction has not run yet: a yield, or a receipt waiting on a yield's callback. */
  hasPendingReceipts(txHash: string): boolean {
    return this.pendingOwners.has(txHash);
  }

  getYieldStatus(id: string, dataId: string): YieldStatus | undefined {
    return (this.entries.get(statusKey(id, dataId)) as { status: YieldStatus } | undefined)?.status;
  }

  setYieldStatus(id: string, dataId: string, status: YieldStatus | undefined): void {
    this.put(statusKey(id, dataId), status === undefined ? undefined : { status });
  }

  /** The account's yield ids (hex) and the data ids they map to (nearcore's YieldIdToDataId). */
  yieldIds(id: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const y of this.yieldIndex.get("ym")?.get(id) ?? []) {
      out[y] = (this.entries.get(yieldIdKey(id, y)) as { dataId: string }).dataId;
    }
    return out;
  }

  /** nearcore set_yield_id_mapping: both directions. */
  setYieldId(id: string, yieldId: string, dataId: string): void {
    this.put(yieldIdKey(id, yieldId), { dataId });
    this.put(dataIdYieldKey(id, dataId), { yieldId });
  }

  /** nearcore remove_yield_id_mappings for a data id's yield id, if it has one. */
  removeYieldIdOf(id: string, dataId: string): void {
    const y = this.entries.get(dataIdYieldKey(id, dataId)) as { yieldId: string } | undefined;
    if (!y) return;
    this.put(yieldIdKey(id, y.yieldId), undefined);
    this.put(dataIdYieldKey(id, dataId), undefined);
  }

  yieldIndices(): YieldIndices {
    const i = this.entries.get(YIELD_INDICES) as YieldIndices | undefined;
    return i ? { ...i } : { first: 0n, next: 0n };
  }

  setYieldIndices(i: YieldIndices): void {
    this.put(YIELD_INDICES, { ...i });
  }

  getYieldTimeout(index: bigint): YieldTimeout | undefined {
    return this.entries.get(timeoutKey(index)) as YieldTimeout | undefined;
  }

  setYieldTimeout(index: bigint, t: YieldTimeout | undefined): void {
    this.put(timeoutKey(index), t);
  }

  // --- receipts waiting across requests for a yield callback's data ---
  getPostponed(id: string, receiptId: string): PostponedReceipt | undefined {
    return this.entries.get(postponedKey(id, receiptId)) as PostponedReceipt | undefined;
  }

  setPostponed(id: string, receiptId: string, p: PostponedReceipt | undefined): void {
    this.put(postponedKey(id, receiptId), p);
  }

  getReceivedData(id: string, dataId: string): { data: Uint8Array | null } | undefined {
    return this.entries.get(receivedKey(id, dataId)) as { data: Uint8Array | null } | undefined;
  }

  setReceivedData(id: string, dataId: string, d: { data: Uint8Array | null } | undefined): void {
    this.put(receivedKey(id, dataId), d);
  }

  /** The id of the postponed receipt waiting for this data id. */
  getWaiting(id: string, dataId: string): string | undefined {
    return (this.entries.get(waitingKey(id, dataId)) as { receiptId: string } | undefined)?.receiptId;
  }

  setWaiting(id: string, dataId: string, receiptId: string | undefined): void {
    this.put(waitingKey(id, dataId), receiptId === undefined ? undefined : { receiptId });
  }

  /** Sum of amount + locked over all accounts. */
  totalBalance(): bigint {
    let total = 0n;
    for (const [k, v] of this.entries) {
      if (k.startsWith("a:")) total += (v as Account).amount + (v as Account).locked;
    }
    return total;
  }

  // --- persistence ---
  /** Changes since the last call, as JSON-ready [key, value|null] pairs. */
  takeDirty(): Array<[string, unknown]> {
    const out: Array<[string, unknown]> = [];
    for (const key of this.dirty) {
      const v = this.entries.get(key);
      out.push([key, v === undefined ? null : encodeValue(key, v)]);
    }
    this.dirty.clear();
    return out;
  }

  /** Applies persisted pairs (replay); not journaled again, not undoable. */
  applyPersisted(pairs: Array<[string, unknown]>): void {
    for (const [key, v] of pairs) {
      this.rawPut(key, v === null ? undefined : decodeValue(key, v));
      this.onChange?.(key, "load");
    }
  }

  dumpAll(): Array<[string, unknown]> {
    return [...this.entries].map(([k, v]) => [k, encodeValue(k, v)]);
  }
}

const EMPTY = "11111111111111111111111111111111";
const hashCache = new WeakMap<Uint8Array, string>();
/** b58(sha256(code)) of a global contract by account, remembered per code object (a redeploy is a new object) */
function hashOf(code: Uint8Array): string {
  let h = hashCache.get(code);
  if (!h) {
    h = b58(sha256(code));
    hashCache.set(code, h);
  }
  return h;
}

function ownerOf(key: string): string | undefined {
  if (key.startsWith("k:") || key.startsWith("d:")) return key.slice(2, key.indexOf(":", 2));
  return undefined;
}

function encodeValue(key: string, v: Value): unknown {
  if (key.startsWith("y")) return toJsonSafe(v);
  if (key.startsWith("a:")) {
    const a = v as Account;
    return {
      amount: `${a.amount}`,
      locked: `${a.locked}`,
      code_hash: a.codeHash,
      storage_usage: `${a.storageUsage}`,
      ...(a.global
        ? { global: "hash" in a.global ? { hash: a.global.hash } : { account_id: a.global.accountId } }
        : {}),
    };
  }
  if (key.startsWith("k:")) {
    const k = v as AccessKey;
    const p = k.permission;
    return {
      nonce: `${k.nonce}`,
      permission:
        p.kind === "FullAccess"
          ? "FullAccess"
          : {
              allowance: p.allowance === null ? null : `${p.allowance}`,
              receiver_id: p.receiverId,
              method_names: p.methodNames,
            },
    };
  }
  return b64(v as Uint8Array);
}

function decodeValue(key: string, v: unknown): Value {
  if (key.startsWith("y")) return fromJsonSafe(v) as Value;
  if (key.startsWith("a:")) {
    const a = v as Record<string, string> & { global?: { hash?: string; account_id?: string } };
    const g = a.global;
    return {
      amount: BigInt(a.amount),
      locked: BigInt(a.locked),
      codeHash: a.code_hash,
      storageUsage: BigInt(a.storage_usage),
      ...(g ? { global: g.hash !== undefined ? { hash: g.hash } : { accountId: g.account_id as string } } : {}),
    };
  }
  if (key.startsWith("k:")) {
    const k = v as { nonce: string; permission: "FullAccess" | Record<string, unknown> };
    const p = k.permission;
    return {
      nonce: BigInt(k.nonce),
      permission:
        p === "FullAccess"
          ? { kind: "FullAccess" }
          : {
              kind: "FunctionCall",
              allowance: p.allowance === null ? null : BigInt(p.allowance as string),
              receiverId: p.receiver_id as string,
              methodNames: p.method_names as string[],
            },
    };
  }
  return fromB64(v) ?? new Uint8Array();
}

/** JSON for values with bigints and byte arrays (a yield's receipt, the timeout queue): {"$n": "…"} and
 * {"$b": base64}. */
function toJsonSafe(v: unknown): unknown {
  if (typeof v === "bigint") return { $n: `${v}` };
  if (v instanceof Uint8Array) return { $b: b64(v) };
  if (Array.isArray(v)) return v.map(toJsonSafe);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, toJsonSafe(x)]),
    );
  }
  return v;
}

function fromJsonSafe(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromJsonSafe);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.$n === "string" && Object.keys(o).length === 1) return BigInt(o.$n);
    if (typeof o.$b === "string" && Object.keys(o).length === 1) return fromB64(o.$b) ?? new Uint8Array();
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromJsonSafe(x)]));
  }
  return v;
}
