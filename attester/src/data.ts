// Training data: the manifest (data/manifest.json), the dataset registry's root rule, and loading files only after
// their content hashes match. Errors carry stable codes (AttesterError.code) like the contracts' ERR_ codes.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex } from "@noble/hashes/utils";
import { manifestRootText, sortManifestEntries } from "../../contracts/wire/datasets.ts";
import { AttesterError } from "./errors.ts";

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data");
export const MANIFEST_PATH = join(DATA_DIR, "manifest.json");

// defined apart (errors.ts) so that code without file access (receipt.ts, verify.ts) need not import node:fs
export { AttesterError };

export interface ManifestEntry {
  // the dataset registry's record id, "<name>@<version>"
  dataset_id: string;
  // file name inside the manifest's folder
  file: string;
  content_sha256: string;
  license: string;
}

export interface Manifest {
  name: string;
  entries: ManifestEntry[];
  // dataset registry rule (contracts/wire/datasets.ts)
  root: string;
}

export interface Example {
  label: string;
  text: string;
}

export function sha256Hex(data: Uint8Array | string): string {
  return bytesToHex(sha256(typeof data === "string" ? new TextEncoder().encode(data) : data));
}

// The dataset registry's root (contracts/wire/datasets.ts): sha256 of "ai-commons-manifest-v1\n" +
// "<dataset_id> <content_sha256>\n" per entry, entries sorted by dataset_id.
export function manifestRoot(entries: { dataset_id: string; content_sha256: string }[]): string {
  return sha256Hex(manifestRootText(sortManifestEntries(entries)));
}

export function readManifest(path = MANIFEST_PATH): Manifest {
  return JSON.parse(readFileSync(path, "utf8")) as Manifest;
}

// What the chain says about the datasets: content hashes by dataset id (dataset registry) and, when the model
// registry names a manifest, its root. Without it the manifest's own hashes are the reference.
export interface RegistryView {
  content_sha256: Record<string, string>;
  root?: string;
}

// Reads every file of the manifest and refuses to return anything unless each file's sha256 equals the manifest's
// hash and (when given) the registry's, and the root matches. Entries are used in manifest root order, so the
// training order does not depend on how the manifest lists them.
export function loadVerified(
  path = MANIFEST_PATH,
  registry?: RegistryView,
): { manifest: Manifest; examples: Example[] } {
  const manifest = readManifest(path);
  const root = manifestRoot(manifest.entries);
  if (root !== manifest.root) throw new AttesterError("ERR_MANIFEST_ROOT_MISMATCH", `manifest says ${manifest.root}`);
  if (registry?.root !== undefined && registry.root !== root) {
    throw new AttesterError("ERR_MANIFEST_ROOT_MISMATCH", `registry says ${registry.root}, files give ${root}`);
  }
  const entries = manifest.entries
    .slice()
    .sort((a, b) => (a.dataset_id < b.dataset_id ? -1 : a.dataset_id > b.dataset_id ? 1 : 0));
  const examples: Example[] = [];
  for (const e of entries) {
    const bytes = readFileSync(join(dirname(path), e.file));
    const actual = sha256Hex(bytes);
    if (actual !== e.content_sha256) {
      throw new AttesterError("ERR_DATA_HASH_MISMATCH", `${e.file}: manifest ${e.content_sha256}, file ${actual}`);
    }
    const onChain = registry?.content_sha256[e.dataset_id];
    if (registry !== undefined && onChain !== actual) {
      throw new AttesterError("ERR_DATA_HASH_MISMATCH", `${e.dataset_id}: registry ${onChain}, file ${actual}`);
    }
    examples.push(...parseTsv(new TextDecoder("utf-8", { fatal: true }).decode(bytes), e.file));
  }
  return { manifest, examples };
}

export function parseTsv(text: string, file: string): Example[] {
  const out: Example[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const tab = lines[i].indexOf("\t");
    if (tab <= 0) throw new AttesterError("ERR_BAD_DATA_LINE", `${file}:${i + 1}`);
    out.push({ label: lines[i].slice(0, tab), text: lines[i].slice(tab + 1) });
  }
  return out;
}

// Recomputes the hashes and root of the shipped files (after make-data) and writes data/manifest.json.
export function writeManifest(): Manifest {
  const files = [
    { dataset_id: "community-intents-a@1.0.0", file: "community-intents-a.tsv" },
    { dataset_id: "community-intents-b@1.0.0", file: "community-intents-b.tsv" },
  ];
  const entries = files.map((f) => ({
    ...f,
    content_sha256: sha256Hex(readFileSync(join(DATA_DIR, f.file))),
    license: "CC0-1.0",
  }));
  const manifest: Manifest = { name: "community-intents", entries, root: manifestRoot(entries) };
  writeFileSync(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
