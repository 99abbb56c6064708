import { decode, encode, near } from "near-sdk-js";

// The one storage engine of all six contracts: plain JSON. near-sdk-js's collections parse every value with a reviver
// and stringify with a replacer (a JS call per JSON node), and every `set` also reads and parses the value it
// overwrites: about 0.3 Tgas per record on the hot paths. These read and write the same bytes (JSON without bigints,
// the same keys) with the native JSON functions only, so data written by near-sdk-js's LookupMap, Vector and
// UnorderedMap stays readable. A collection kept as a field of a contract's STATE (JsonMap, JsonVector,
// JsonUnorderedMap) serializes to exactly the STATE text its near-sdk-js counterpart wrote, and has the static
// `reconstruct` near-sdk-js's NearBindgen calls to rebuild it from that text, so no migration is needed.

export function readJson<T>(key: string): T | null {
  const raw = near.storageReadRaw(encode(key));
  return raw === null ? null : (JSON.parse(decode(raw)) as T);
}

// True when the write replaced a value (nearcore's storage_write says so at no extra cost).
export function writeJson(key: string, value: unknown): boolean {
  return near.storageWriteRaw(encode(key), encode(JSON.stringify(value)));
}

export function removeKey(key: string): boolean {
  return near.storageRemoveRaw(encode(key));
}

// Same storage layout as near-sdk-js's LookupMap(prefix): `prefix + key` -> JSON; in STATE `{"keyPrefix": prefix}`.
export class JsonMap<T> {
  constructor(readonly keyPrefix: string) {}

  static reconstruct(data: { keyPrefix: string }): JsonMap<unknown> {
    return new JsonMap(data.keyPrefix);
  }

  get(key: string): T | null {
    return readJson<T>(this.keyPrefix + key);
  }

  // True when `key` had a value: one host call both checks and writes (a later panic undoes the write).
  set(key: string, value: T): boolean {
    return writeJson(this.keyPrefix + key, value);
  }

  remove(key: string): boolean {
    return removeKey(this.keyPrefix + key);
  }

  // Removes `key` and returns the value it had, or null.
  take(key: string): T | null {
    if (!removeKey(this.keyPrefix + key)) return null;
    return JSON.parse(decode(near.storageGetEvictedRaw() as Uint8Array)) as T;
  }

  containsKey(key: string): boolean {
    return near.storageHasKeyRaw(encode(this.keyPrefix + key));
  }
}

// Where an IndexedJsonMap keeps its length (e.g. a counter in the contract's STATE).
export interface LengthRef {
  get(): number;
  set(n: number): void;
}

function slotKey(prefix: Uint8Array, index: number): Uint8Array {
  const key = new Uint8Array(prefix.length + 4);
  key.set(prefix);
  key[prefix.length] = index & 255;
  key[prefix.length + 1] = (index >> 8) & 255;
  key[prefix.length + 2] = (index >> 16) & 255;
  key[prefix.length + 3] = (index >>> 24) & 255;
  return key;
}

// Same storage layout as near-sdk-js's Vector(prefix): `prefix + u32 LE index` -> JSON; in STATE
// `{"prefix": prefix, "length": n}`. Append and replace only: the suite's lists are logs (receipts, deposits, claims).
export class JsonVector<T> {
  constructor(
    readonly prefix: string,
    public length = 0,
  ) {}

  static reconstruct(data: { prefix: string; length: number }): JsonVector<unknown> {
    return new JsonVector(data.prefix, data.length);
  }

  private key(index: number): Uint8Array {
    return slotKey(encode(this.prefix), index);
  }

  get(index: number): T | null {
    if (index < 0 || index >= this.length) return null;
    const raw = near.storageReadRaw(this.key(index));
    return raw === null ? null : (JSON.parse(decode(raw)) as T);
  }

  push(value: T): void {
    near.storageWriteRaw(this.key(this.length), encode(JSON.stringify(value)));
    this.length += 1;
  }

  // Overwrites an existing element; an index past the end is a bug in the caller.
  replace(index: number, value: T): void {
    if (index < 0 || index >= this.length) throw new Error(`JsonVector.replace: index ${index} out of bounds`);
    near.storageWriteRaw(this.key(index), encode(JSON.stringify(value)));
  }
}

interface Entry<T> {
  value: T;
  slot: number;
  stored: string;
}

// An iterable map with near-sdk-js UnorderedMap(prefix)'s storage layout: `prefix + "m" + key` ->
// JSON [JSON of the value, slot], `prefix + "u" + u32 LE slot` -> JSON key; removal swaps the last slot in.
// Records read or written in this call are cached, so reading a record twice costs one storage read.
export class IndexedJsonMap<T> {
  // `stored`: the value's JSON as it is in storage, written back as it is when a removal moves the record to another
  // slot (an edit of a value got from `get` and not `set` is never saved by someone else's removal)
  private readonly cache = new Map<string, Entry<T> | null>();
  private readonly slotPrefix: Uint8Array;

  constructor(
    readonly prefix: string,
    private readonly count: LengthRef,
  ) {
    this.slotPrefix = encode(`${prefix}u`);
  }

  get size(): number {
    return this.count.get();
  }

  private entry(key: string): Entry<T> | null {
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const raw = readJson<[string, number]>(`${this.prefix}m${key}`);
    const e = raw === null ? null : { value: JSON.parse(raw[0]) as T, slot: raw[1], stored: raw[0] };
    this.cache.set(key, e);
    return e;
  }

  get(key: string): T | null {
    const e = this.entry(key);
    return e === null ? null : e.value;
  }

  set(key: string, value: T): void {
    // serialized before anything is written: a value JSON cannot hold leaves no half-written record
    const stored = JSON.stringify(value);
    const e = this.entry(key);
    let slot: number;
    if (e === null) {
      slot = this.count.get();
      near.storageWriteRaw(slotKey(this.slotPrefix, slot), encode(JSON.stringify(key)));
      this.count.set(slot + 1);
    } else {
      slot = e.slot;
    }
    writeJson(`${this.prefix}m${key}`, [stored, slot]);
    this.cache.set(key, { value, slot, stored });
  }

  remove(key: string): boolean {
    const e = this.entry(key);
    if (e === null) return false;
    removeKey(`${this.prefix}m${key}`);
    this.cache.set(key, null);
    const last = this.count.get() - 1;
    if (e.slot !== last) {
      const movedKey = this.keyAt(last) as string;
      near.storageWriteRaw(slotKey(this.slotPrefix, e.slot), encode(JSON.stringify(movedKey)));
      const moved = this.entry(movedKey) as Entry<T>;
      moved.slot = e.slot;
      writeJson(`${this.prefix}m${movedKey}`, [moved.stored, e.slot]);
    }
    near.storageRemoveRaw(slotKey(this.slotPrefix, last));
    this.count.set(last);
    return true;
  }

  keyAt(slot: number): string | null {
    const raw = near.storageReadRaw(slotKey(this.slotPrefix, slot));
    return raw === null ? null : (JSON.parse(decode(raw)) as string);
  }

  // Keys of slots [start, end), in slot order.
  keys(start: number, end: number): string[] {
    const out: string[] = [];
    for (let i = start; i < end; i++) out.push(this.keyAt(i) as string);
    return out;
  }
}

// An IndexedJsonMap kept as a field of a contract's STATE, its length beside its prefix: near-sdk-js's
// UnorderedMap(prefix), whose STATE text is `{"prefix", "_keys": {"prefix": prefix + "u", "length"},
// "values": {"keyPrefix": prefix + "m"}}`.
export class JsonUnorderedMap<T> extends IndexedJsonMap<T> {
  constructor(prefix: string, length = 0) {
    const count = { n: length };
    super(prefix, {
      get: () => count.n,
      set: (n) => {
        count.n = n;
      },
    });
  }

  static reconstruct(data: { prefix: string; _keys: { length: number } }): JsonUnorderedMap<unknown> {
    return new JsonUnorderedMap(data.prefix, data._keys.length);
  }

  toJSON(): { prefix: string; _keys: { prefix: string; length: number }; values: { keyPrefix: string } } {
    return {
      prefix: this.prefix,
      _keys: { prefix: `${this.prefix}u`, length: this.size },
      values: { keyPrefix: `${this.prefix}m` },
    };
  }
}
