// Data files are used only when their sha256 matches the manifest, the registry's hashes and the manifest root.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import {
  DATA_DIR,
  loadVerified,
  MANIFEST_PATH,
  type Manifest,
  manifestRoot,
  readManifest,
  sha256Hex,
} from "../src/data.ts";
import { makeRows } from "../src/make-data.ts";

function copyData(): string {
  const dir = mkdtempSync(join(tmpdir(), "attester-data-"));
  for (const f of ["manifest.json", "community-intents-a.tsv", "community-intents-b.tsv"]) {
    copyFileSync(join(DATA_DIR, f), join(dir, f));
  }
  return dir;
}

test("the shipped files are exactly what make-data makes, and the manifest lists their hashes", (t) => {
  t.is(readFileSync(join(DATA_DIR, "community-intents-a.tsv"), "utf8"), `${makeRows(0).join("\n")}\n`);
  t.is(readFileSync(join(DATA_DIR, "community-intents-b.tsv"), "utf8"), `${makeRows(1).join("\n")}\n`);
  const m = readManifest();
  for (const e of m.entries) t.is(sha256Hex(readFileSync(join(DATA_DIR, e.file))), e.content_sha256);
  t.is(loadVerified().examples.length, 144);
});

test("the manifest root follows the dataset registry's rule", (t) => {
  const m = readManifest();
  let text = "ai-commons-manifest-v1\n";
  for (const e of [...m.entries].sort((a, b) => (a.dataset_id < b.dataset_id ? -1 : 1))) {
    text += `${e.dataset_id} ${e.content_sha256}\n`;
  }
  t.is(m.root, sha256Hex(text));
  t.is(manifestRoot([...m.entries].reverse()), m.root);
});

test("a data file that differs from its hash is refused: ERR_DATA_HASH_MISMATCH", (t) => {
  const dir = copyData();
  const f = join(dir, "community-intents-b.tsv");
  // one label flipped: a poisoning the hash catches
  writeFileSync(f, readFileSync(f, "utf8").replace("model\tthe network", "rewards\tthe network"));
  t.throws(() => loadVerified(join(dir, "manifest.json")), { message: /^ERR_DATA_HASH_MISMATCH: community-intents-b/ });
});

test("a file matching the manifest but not the registry's hash is refused", (t) => {
  const m = readManifest();
  const content_sha256: Record<string, string> = {};
  for (const e of m.entries) content_sha256[e.dataset_id] = e.content_sha256;
  t.notThrows(() => loadVerified(MANIFEST_PATH, { content_sha256, root: m.root }));
  content_sha256["community-intents-a@1.0.0"] = "00".repeat(32);
  t.throws(() => loadVerified(MANIFEST_PATH, { content_sha256 }), {
    message: /^ERR_DATA_HASH_MISMATCH: community-intents-a@1.0.0/,
  });
  delete content_sha256["community-intents-a@1.0.0"];
  t.throws(() => loadVerified(MANIFEST_PATH, { content_sha256 }), { message: /^ERR_DATA_HASH_MISMATCH/ });
});

test("a manifest root that differs from the files or the registry is refused: ERR_MANIFEST_ROOT_MISMATCH", (t) => {
  const m = readManifest();
  const content_sha256 = Object.fromEntries(m.entries.map((e) => [e.dataset_id, e.content_sha256]));
  t.throws(() => loadVerified(MANIFEST_PATH, { content_sha256, root: "11".repeat(32) }), {
    message: /^ERR_MANIFEST_ROOT_MISMATCH/,
  });
  const dir = copyData();
  const edited: Manifest = { ...m, entries: m.entries.slice(0, 1) };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(edited));
  t.throws(() => loadVerified(join(dir, "manifest.json")), { message: /^ERR_MANIFEST_ROOT_MISMATCH/ });
});
