// The model: deterministic training (twice in this process and once in a fresh process give the pinned weights
// hash of attester/model-card.json), a real classifier, exact serialisation.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { DATA_DIR, loadVerified, parseTsv, readManifest } from "../src/data.ts";
import { accuracy, deserialize, detExp, features, predict, serialize, train, weightsSha256 } from "../src/model.ts";

const ROOT = join(DATA_DIR, "..");
const card = JSON.parse(readFileSync(join(ROOT, "attester", "model-card.json"), "utf8")) as {
  weights_sha256: string;
  manifest_root: string;
};

test("training twice gives the same weights sha256, the one pinned in the model card", (t) => {
  const { examples, manifest } = loadVerified();
  t.is(manifest.root, card.manifest_root);
  const a = weightsSha256(train(examples));
  const b = weightsSha256(train(examples));
  t.is(a, b);
  t.is(a, card.weights_sha256);
});

test("a fresh process (the CLI) re-derives the same weights hash", (t) => {
  const out = execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "attester", "src", "cli.ts"), "train"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  t.is(JSON.parse(out).weights_sha256, card.weights_sha256);
});

test("training order follows the manifest root order, not the order the manifest lists files", (t) => {
  const { examples } = loadVerified();
  const a = parseTsv(readFileSync(join(DATA_DIR, "community-intents-a.tsv"), "utf8"), "a");
  const b = parseTsv(readFileSync(join(DATA_DIR, "community-intents-b.tsv"), "utf8"), "b");
  t.deepEqual(examples, [...a, ...b]);
  const dir = mkdtempSync(join(tmpdir(), "attester-order-"));
  for (const f of ["community-intents-a.tsv", "community-intents-b.tsv"]) copyFileSync(join(DATA_DIR, f), join(dir, f));
  const m = readManifest();
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...m, entries: [...m.entries].reverse() }));
  t.is(weightsSha256(train(loadVerified(join(dir, "manifest.json")).examples)), card.weights_sha256);
});

test("the classifier is real: fits its data and labels unseen sentences", (t) => {
  const { examples } = loadVerified();
  const m = train(examples);
  t.true(accuracy(m, examples) >= 0.95);
  t.is(predict(m, "please vote on the budget proposal").label, "governance");
  t.is(predict(m, "retrain the model with a lower learning rate").label, "model");
  t.is(predict(m, "when do creators get paid").label, "rewards");
  t.is(predict(m, "remove duplicate rows from the corpus").label, "dataset");
  // trained without every fifth sentence (phrase combinations it never saw), it labels those right
  const part = train(examples.filter((_, i) => i % 5 !== 0));
  const held = examples.filter((_, i) => i % 5 === 0);
  const acc = accuracy(part, held);
  t.log(`held-out accuracy (every fifth sentence left out): ${acc.toFixed(3)}`);
  t.true(acc >= 0.9);
});

test("serialisation round-trips exactly and refuses a damaged file", (t) => {
  const { examples } = loadVerified();
  const m = train(examples);
  const bytes = serialize(m);
  const back = deserialize(bytes);
  t.deepEqual(serialize(back), bytes);
  t.deepEqual(back.labels, ["dataset", "governance", "model", "rewards"]);
  t.throws(() => deserialize(bytes.subarray(0, bytes.length - 4)), { message: /ERR_BAD_MODEL_FILE/ });
  const bad = bytes.slice();
  bad[0] = 0;
  t.throws(() => deserialize(bad), { message: /ERR_BAD_MODEL_FILE/ });
  // one changed weight changes the hash
  const tweaked = bytes.slice();
  tweaked[tweaked.length - 1] ^= 1;
  t.not(weightsSha256(deserialize(tweaked)), weightsSha256(m));
});

test("detExp uses basic operations only and matches Math.exp closely", (t) => {
  for (const x of [-50, -10, -1.5, -0.3, 0, 0.2, 1, 3.7, 20]) {
    const rel = Math.abs(detExp(x) - Math.exp(x)) / Math.exp(x);
    t.true(rel < 1e-13, `x=${x} rel=${rel}`);
  }
  t.is(detExp(-1000), 0);
});

test("features are ASCII-case-insensitive and order-stable", (t) => {
  t.deepEqual(features("The Council VOTES"), features("the council votes"));
  const f = features("reward pool");
  t.deepEqual(
    [...f.idx].sort((a, b) => a - b),
    f.idx,
  );
  t.is(
    f.total,
    f.count.reduce((a, b) => a + b, 0),
  );
});
