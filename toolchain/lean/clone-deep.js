// The lean profile's stand-in for lodash-es (near-sdk-js imports only `cloneDeep` from it; lodash-es builds
// regular expressions when it loads, and the lean runtime has no RegExp). Same semantics for what contract state
// holds: primitives, plain and class objects (prototype kept), arrays, Map, Set, typed arrays, ArrayBuffer,
// DataView; cycles preserved; functions are kept by reference.
function cloneInto(value, seen) {
  if (value === null || typeof value !== "object") return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  let out;
  if (Array.isArray(value)) {
    out = new Array(value.length);
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) out[i] = cloneInto(value[i], seen);
    return out;
  }
  if (value instanceof Map) {
    out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(cloneInto(k, seen), cloneInto(v, seen));
    return out;
  }
  if (value instanceof Set) {
    out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(cloneInto(v, seen));
    return out;
  }
  if (value instanceof ArrayBuffer) {
    out = value.slice(0);
    seen.set(value, out);
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
    out = value instanceof DataView ? new DataView(buffer) : new value.constructor(buffer);
    seen.set(value, out);
    return out;
  }
  out = Object.create(Object.getPrototypeOf(value));
  seen.set(value, out);
  for (const key of Object.keys(value)) out[key] = cloneInto(value[key], seen);
  for (const sym of Object.getOwnPropertySymbols(value)) {
    if (Object.prototype.propertyIsEnumerable.call(value, sym)) out[sym] = cloneInto(value[sym], seen);
  }
  return out;
}

export function cloneDeep(value) {
  return cloneInto(value, new Map());
}
