// A small real text classifier: multinomial logistic regression over hashed word and character-trigram features,
// trained by full-batch gradient descent in a fixed order from zero weights. Bit-for-bit reproducible on any
// machine: only IEEE-754 +, -, *, / and Math.round/floor are used (exactly specified by ECMAScript), never
// Math.exp or Math.log (their last bit may differ between engines), and the weights are quantised to integers
// before serialisation. Inference on quantised weights is integer arithmetic.
import { sha256Hex } from "./data.ts";
import type { Example } from "./data.ts";

export const HYPER = {
  dims: 1024,
  iterations: 300,
  // learning rate and L2 as exact binary fractions
  learning_rate: 2,
  l2: 1 / 4096,
  scale_bits: 20,
} as const;

const LN2 = Math.LN2;

// e^x from basic operations: x = k ln2 + r with |r| <= ln2/2, a 16-term Horner Taylor series for e^r, then an
// exact scaling by 2^k.
export function detExp(x: number): number {
  if (x < -700) return 0;
  if (x > 700) x = 700;
  const k = Math.round(x / LN2);
  const r = x - k * LN2;
  let s = 1;
  for (let n = 16; n >= 1; n--) s = 1 + (s * r) / n;
  let p = 1;
  if (k >= 0) for (let i = 0; i < k; i++) p *= 2;
  else for (let i = 0; i < -k; i++) p *= 0.5;
  return s * p;
}

// FNV-1a 32-bit over the string's UTF-8 bytes.
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(s);
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// ASCII lower-casing only: String.prototype.toLowerCase follows the engine's Unicode tables.
function words(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127;
    if (alnum) cur += String.fromCharCode(c);
    else if (cur !== "") {
      out.push(cur);
      cur = "";
    }
  }
  if (cur !== "") out.push(cur);
  return out;
}

export interface Sparse {
  idx: number[];
  count: number[];
  total: number;
}

// Word unigrams and character trigrams of " word ", hashed into `dims` buckets; counts merged and sorted by index.
export function features(text: string, dims: number = HYPER.dims): Sparse {
  const counts = new Map<number, number>();
  const add = (f: string) => {
    const j = fnv1a(f) % dims;
    counts.set(j, (counts.get(j) ?? 0) + 1);
  };
  for (const w of words(text)) {
    add(`w:${w}`);
    const padded = ` ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`);
  }
  const idx = [...counts.keys()].sort((a, b) => a - b);
  let total = 0;
  const count = idx.map((j) => {
    const c = counts.get(j)!;
    total += c;
    return c;
  });
  return { idx, count, total: total === 0 ? 1 : total };
}

export interface Model {
  labels: string[];
  dims: number;
  scale_bits: number;
  // quantised: round(w * 2^scale_bits), int32
  bias: Int32Array;
  weights: Int32Array; // labels.length x dims, row-major
}

function softmaxInto(logits: Float64Array, out: Float64Array): void {
  let max = logits[0];
  for (let c = 1; c < logits.length; c++) if (logits[c] > max) max = logits[c];
  let sum = 0;
  for (let c = 0; c < logits.length; c++) {
    out[c] = detExp(logits[c] - max);
    sum += out[c];
  }
  for (let c = 0; c < logits.length; c++) out[c] /= sum;
}

export function train(examples: Example[], hyper = HYPER): Model {
  if (examples.length === 0) throw new Error("no training examples");
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const C = labels.length;
  const D = hyper.dims;
  const xs = examples.map((e) => features(e.text, D));
  const ys = examples.map((e) => labels.indexOf(e.label));
  const W = new Float64Array(C * D);
  const b = new Float64Array(C);
  const gW = new Float64Array(C * D);
  const gb = new Float64Array(C);
  const logits = new Float64Array(C);
  const p = new Float64Array(C);
  const n = examples.length;
  for (let it = 0; it < hyper.iterations; it++) {
    gW.fill(0);
    gb.fill(0);
    for (let e = 0; e < n; e++) {
      const x = xs[e];
      for (let c = 0; c < C; c++) {
        let z = b[c];
        for (let k = 0; k < x.idx.length; k++) z += W[c * D + x.idx[k]] * (x.count[k] / x.total);
        logits[c] = z;
      }
      softmaxInto(logits, p);
      for (let c = 0; c < C; c++) {
        const g = p[c] - (ys[e] === c ? 1 : 0);
        gb[c] += g;
        for (let k = 0; k < x.idx.length; k++) gW[c * D + x.idx[k]] += g * (x.count[k] / x.total);
      }
    }
    for (let i = 0; i < C * D; i++) W[i] -= hyper.learning_rate * (gW[i] / n + hyper.l2 * W[i]);
    for (let c = 0; c < C; c++) b[c] -= hyper.learning_rate * (gb[c] / n);
  }
  const q = (v: number) => {
    const r = Math.round(v * 2 ** hyper.scale_bits);
    return r > 2147483647 ? 2147483647 : r < -2147483648 ? -2147483648 : r;
  };
  return {
    labels,
    dims: D,
    scale_bits: hyper.scale_bits,
    bias: Int32Array.from(b, q),
    weights: Int32Array.from(W, q),
  };
}

// Canonical byte layout (little-endian), whose sha256 is the weights hash registered in the model registry:
//   "AICM" | u32 format=1 | u32 labels | u32 dims | u32 scale_bits
//   | per label: u32 byte length, UTF-8 bytes (labels sorted) | bias: i32 x labels | weights: i32 x labels x dims
export function serialize(m: Model): Uint8Array {
  const enc = new TextEncoder();
  const labelBytes = m.labels.map((l) => enc.encode(l));
  let size = 20;
  for (const l of labelBytes) size += 4 + l.length;
  size += 4 * (m.bias.length + m.weights.length);
  const buf = new Uint8Array(size);
  const dv = new DataView(buf.buffer);
  buf.set(enc.encode("AICM"), 0);
  dv.setUint32(4, 1, true);
  dv.setUint32(8, m.labels.length, true);
  dv.setUint32(12, m.dims, true);
  dv.setUint32(16, m.scale_bits, true);
  let o = 20;
  for (const l of labelBytes) {
    dv.setUint32(o, l.length, true);
    buf.set(l, o + 4);
    o += 4 + l.length;
  }
  for (const v of m.bias) {
    dv.setInt32(o, v, true);
    o += 4;
  }
  for (const v of m.weights) {
    dv.setInt32(o, v, true);
    o += 4;
  }
  return buf;
}

export function deserialize(buf: Uint8Array): Model {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (new TextDecoder().decode(buf.subarray(0, 4)) !== "AICM" || dv.getUint32(4, true) !== 1) {
    throw new Error("ERR_BAD_MODEL_FILE: not an AICM v1 model");
  }
  const C = dv.getUint32(8, true);
  const dims = dv.getUint32(12, true);
  const scale_bits = dv.getUint32(16, true);
  let o = 20;
  const labels: string[] = [];
  for (let c = 0; c < C; c++) {
    const len = dv.getUint32(o, true);
    labels.push(new TextDecoder().decode(buf.subarray(o + 4, o + 4 + len)));
    o += 4 + len;
  }
  if (buf.length !== o + 4 * C * (dims + 1)) throw new Error("ERR_BAD_MODEL_FILE: wrong length");
  const bias = new Int32Array(C);
  for (let c = 0; c < C; c++, o += 4) bias[c] = dv.getInt32(o, true);
  const weights = new Int32Array(C * dims);
  for (let i = 0; i < C * dims; i++, o += 4) weights[i] = dv.getInt32(o, true);
  return { labels, dims, scale_bits, bias, weights };
}

export function weightsSha256(m: Model): string {
  return sha256Hex(serialize(m));
}

export interface Prediction {
  label: string;
  // softmax of the dequantised logits, for display (the label alone is what receipts commit to)
  scores: Record<string, number>;
}

// Integer logits scaled by total * 2^scale_bits: exact, so the argmax is the same everywhere (ties: first label).
export function predict(m: Model, text: string): Prediction {
  const x = features(text, m.dims);
  const C = m.labels.length;
  const ints = new Float64Array(C);
  const z = new Float64Array(C);
  let best = 0;
  for (let c = 0; c < C; c++) {
    // |sum| < 2^31 * (total + 1) * few: far inside the 2^53 of exact integers in a double
    let s = m.bias[c] * x.total;
    for (let k = 0; k < x.idx.length; k++) s += m.weights[c * m.dims + x.idx[k]] * x.count[k];
    ints[c] = s;
    z[c] = s / x.total / 2 ** m.scale_bits;
    if (s > ints[best]) best = c;
  }
  const p = new Float64Array(C);
  softmaxInto(z, p);
  const scores: Record<string, number> = {};
  for (let c = 0; c < C; c++) scores[m.labels[c]] = p[c];
  return { label: m.labels[best], scores };
}

export function accuracy(m: Model, examples: Example[]): number {
  let ok = 0;
  for (const e of examples) if (predict(m, e.text).label === e.label) ok++;
  return ok / examples.length;
}
