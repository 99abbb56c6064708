import { decode, encode, near } from "near-sdk-js";

// Plain-JSON storage. near-sdk-js's collections parse every value with a reviver and stringify with a replacer (a JS
// call per JSON node), and every `set` also reads and parses the value it overwrites: about 0.3 Tgas per record
// on the hot paths. These helpers read and write the same bytes (JSON without bigints, the same keys) with the
// native JSON functions only, so data written by LookupMap / UnorderedMap stays readable.

export function readJson<T>(key: string): T | null {
  const raw = near.storageReadRaw(encode(key));
  return raw === null ? null : (JSON.parse(decode(raw)) as T);
}

export function writeJson(key: string, value: unknown): void {
  near.storageWriteRaw(encode(key), encode(JSON.stringify(value)));
}

export function removeKey(key: string): boolean {
  return near.storageRemoveRaw(encode(key));
}

// Same storage layout as near-sdk-js's LookupMap(prefix): `prefix + key` -> JSON.
export class JsonMap<T> {
  constructor(readonly prefix: string) {}

  get(key: string): T | null {
    return readJson<T>(this.prefix + key);
  }

  set(key: string, value: T): void {
    writeJson(this.prefix + key, value);
  }

  remove(key: string): boolean {
    return removeKey(this.prefix + key);
  }

  containsKey(key: string): boolean {
    return near.storageHasKeyRaw(encode(this.prefix + key));
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

// An iterable map with near-sdk-js UnorderedMap(prefix)'s storage layout: `prefix + "m" + key` ->
// JSON [JSON of the value, slot], `prefix + "u" + u32 LE slot` -> JSON key; removal swaps the last slot in.
// Records read or written in this call are cached, so reading a record twice costs one storage read.
export class IndexedJsonMap<T> {
  private readonly cache = new Map<string, { value: T; slot: number } | null>();
  private readonly slotPrefix: Uint8Array;

  constructor(
    readonly prefix: string,
    private readonly length: LengthRef,
  ) {
    this.slotPrefix = encode(`${prefix}u`);
  }

  get size(): number {
    return this.length.get();
  }

  private entry(key: string): { value: T; slot: number } | null {
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const raw = readJson<[string, number]>(`${this.prefix}m${key}`);
    const e = raw === null ? null : { value: JSON.parse(raw[0]) as T, slot: raw[1] };
    this.cache.set(key, e);
    return e;
  }

  get(key: string): T | null {
    const e = this.entry(key);
    return e === null ? null : e.value;
  }

  set(key: string, value: T): void {
    const e = this.entry(key);
    let slot: number;
    if (e === null) {
      slot = this.length.get();
      near.storageWriteRaw(slotKey(this.slotPrefix, slot), encode(JSON.stringify(key)));
      this.length.set(slot + 1);
    } else {
      slot = e.slot;
    }
    writeJson(`${this.prefix}m${key}`, [JSON.stringify(value), slot]);
    this.cache.set(key, { value, slot });
  }

  remove(key: string): boolean {
    const e = this.entry(key);
    if (e === null) return false;
    removeKey(`${this.prefix}m${key}`);
    this.cache.set(key, null);
    const last = this.length.get() - 1;
    if (e.slot !== last) {
      const movedKey = this.keyAt(last) as string;
      near.storageWriteRaw(slotKey(this.slotPrefix, e.slot), encode(JSON.stringify(movedKey)));
      const moved = this.entry(movedKey) as { value: T; slot: number };
      moved.slot = e.slot;
      writeJson(`${this.prefix}m${movedKey}`, [JSON.stringify(moved.value), e.slot]);
    }
    near.storageRemoveRaw(slotKey(this.slotPrefix, last));
    this.length.set(last);
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
