// The training-manifest root, stated in contracts/wire/datasets.ts (which the dataset registry hashes with the host)
// and restated in scripts/manifest-root.mjs (for anyone checking a registry from outside) and attester/src/data.ts:
// all three must give the same text and root. The registry's wasm itself is checked against the script in
// sandbox-tests/vm/dataset-registry.test.ts.
import { createHash } from "node:crypto";
import test from "ava";
import { manifestRoot } from "../../attester/src/data.ts";
import { MANIFEST_ROOT_DOMAIN, manifestRootText, sortManifestEntries } from "../../contracts/wire/datasets.ts";
import { computeManifestRoot, manifestText, ROOT_DOMAIN } from "../../scripts/manifest-root.mjs";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const H1 = "1".repeat(64);
const H2 = "2".repeat(64);
const H3 = "3".repeat(64);

test("one domain line, then '<id> <hash>' per entry in byte order of the ids", (t) => {
  t.is(MANIFEST_ROOT_DOMAIN, "ai-commons-manifest-v1\n");
  t.is(ROOT_DOMAIN, MANIFEST_ROOT_DOMAIN);
  const entries = [
    { dataset_id: "corpus@1.0", content_sha256: H1 },
    { dataset_id: "alpha@0.1", content_sha256: H2 },
  ];
  const text = `ai-commons-manifest-v1\nalpha@0.1 ${H2}\ncorpus@1.0 ${H1}\n`;
  t.is(manifestRootText(sortManifestEntries(entries)), text);
  t.is(manifestText(entries), text);
  t.is(computeManifestRoot(entries), sha(text));
  t.is(manifestRoot(entries), sha(text));
  t.deepEqual(entries[0].dataset_id, "corpus@1.0", "sorting copies, the caller's list keeps its order");
});

test("ordering: '-' (0x2d) < '.' (0x2e) < digits < '@' (0x40) < letters, as the contract compares strings", (t) => {
  const ids = ["a@1", "a-b@1", "a.b@1", "a@10", "a@2", "ab@1", "a0@1"];
  const sorted = ["a-b@1", "a.b@1", "a0@1", "a@1", "a@10", "a@2", "ab@1"];
  const entries = ids.map((dataset_id, i) => ({ dataset_id, content_sha256: [H1, H2, H3][i % 3] }));
  t.deepEqual(
    sortManifestEntries(entries).map((e) => e.dataset_id),
    sorted,
  );
  t.is(manifestText(entries), manifestRootText(sortManifestEntries(entries)));
  t.is(computeManifestRoot(entries), manifestRoot(entries));
  // any input order gives the same root
  t.is(computeManifestRoot([...entries].reverse()), computeManifestRoot(entries));
});

test("the root changes with any id, any hash, and with an entry more or less", (t) => {
  const base = [
    { dataset_id: "a@1", content_sha256: H1 },
    { dataset_id: "b@1", content_sha256: H2 },
  ];
  const root = computeManifestRoot(base);
  t.is(computeManifestRoot([]), sha("ai-commons-manifest-v1\n"));
  t.not(computeManifestRoot([base[0]]), root);
  t.not(computeManifestRoot([base[0], { ...base[1], content_sha256: H3 }]), root);
  t.not(computeManifestRoot([base[0], { ...base[1], dataset_id: "b@2" }]), root);
  t.not(computeManifestRoot([...base, { dataset_id: "c@1", content_sha256: H3 }]), root);
});
