// The service's model loader (src/service/models.ts) on real files: it loads only the weights whose sha256 is asked
// for (a file with the right name and other bytes is never loaded), the loaded model answers as model.ts does, a
// changed file is hashed again, another format plugs in by module, and bytes no format knows are refused by code.
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { sha256Hex } from "../src/data.ts";
import { deserialize, predict, serialize } from "../src/model.ts";
import { bagOfWords, DEFAULT_FORMATS, loadFormats, loadWeights, ModelLoader } from "../src/service/models.ts";

/** A model file: the trained classifier's layout with made-up weights (training takes seconds). */
function modelBytes(bias: number): Uint8Array {
  const dims = 8;
  const weights = Int32Array.from({ length: 2 * dims }, (_, i) => (i % 3) - 1);
  return serialize({ labels: ["a", "b"], dims, scale_bits: 4, bias: Int32Array.from([bias, 0]), weights });
}

const want = (bytes: Uint8Array, version = "1.0.0") => ({
  model_name: "intents",
  model_version: version,
  weights_sha256: sha256Hex(bytes),
});

test("the loader loads only the file whose sha256 is asked for, whatever the names", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "weights-"));
  const v1 = modelBytes(1);
  const v2 = modelBytes(2);
  // each file named as the other model: names mean nothing
  writeFileSync(join(dir, "v2.aicm"), v1);
  writeFileSync(join(dir, "v1.aicm"), v2);
  const loader = new ModelLoader({ model_file: null, weights_dir: dir });
  const m1 = loader.load(want(v1));
  t.is(m1?.weightsSha256, sha256Hex(v1));
  t.is(m1?.format, bagOfWords.id);
  t.is(m1?.version, "1.0.0");
  t.is(loader.find(sha256Hex(v2)), join(dir, "v1.aicm"));
  t.is(m1?.infer("some text"), predict(deserialize(v1), "some text").label);
  t.is(loader.load(want(modelBytes(3))), null, "weights nowhere: null, nothing loaded");
});

test("a file rewritten in place is hashed again; bytes that differ from the asked hash are refused", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "weights-"));
  const file = join(dir, "model.aicm");
  const v1 = modelBytes(1);
  const v2 = modelBytes(2);
  writeFileSync(file, v1);
  const loader = new ModelLoader({ model_file: file, weights_dir: null });
  t.truthy(loader.load(want(v1)));
  t.is(loader.load(want(v2)), null);
  writeFileSync(file, v2); // same size: the cache goes by size and mtime
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  t.is(loader.load(want(v2))?.weightsSha256, sha256Hex(v2));
  t.is(loader.load(want(v1)), null);
  t.throws(() => loadWeights(want(v1), v2), { message: /^ERR_WEIGHTS_MISMATCH/ });
});

test("formats: unknown bytes are refused by code; another format plugs in by module, before the built-in one", async (t) => {
  const text = new TextEncoder().encode("CONST\nyes\n");
  t.throws(() => loadWeights(want(text), text), { message: /^ERR_UNKNOWN_MODEL_FORMAT/ });
  const broken = new TextEncoder().encode("AICM and nothing else");
  t.throws(() => loadWeights(want(broken), broken), { message: /^ERR_BAD_MODEL_FILE/ });
  const dir = mkdtempSync(join(tmpdir(), "formats-"));
  const plugin = join(dir, "const.mjs");
  writeFileSync(
    plugin,
    `export default { id: "const/v1", recognises: (b) => Buffer.from(b.subarray(0, 6)).toString() === "CONST\\n",
      load: (b) => { const label = Buffer.from(b.subarray(6)).toString().trim(); return () => label; } };`,
  );
  const formats = await loadFormats([plugin]);
  t.deepEqual(
    formats.map((f) => f.id),
    ["const/v1", ...DEFAULT_FORMATS.map((f) => f.id)],
  );
  const m = loadWeights(want(text, "2.0.0"), text, formats);
  t.is(m.format, "const/v1");
  t.is(m.infer("anything"), "yes");
  const notFormat = join(dir, "not.mjs");
  writeFileSync(notFormat, "export default 42;");
  await t.throwsAsync(loadFormats([notFormat]), { message: /^ERR_CONFIG: model_formats/ });
});
