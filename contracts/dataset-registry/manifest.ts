// The training-manifest root: one rule, recomputed off chain by scripts/manifest-root.mjs (docs/registries.md).
//   text = "ai-commons-manifest-v1\n" + for each entry sorted by dataset_id: "<dataset_id> <content_sha256>\n"
//   root = lower-case hex sha256 of the text (ASCII: ids and hashes have no other characters)
import { encode, near } from "near-sdk-js";
import type { ManifestEntry } from "./types";
import { toHex } from "../shared/validate";

export const ROOT_DOMAIN = "ai-commons-manifest-v1\n";

export function sortEntries(entries: ManifestEntry[]): ManifestEntry[] {
  return entries.slice().sort((a, b) => (a.dataset_id < b.dataset_id ? -1 : a.dataset_id > b.dataset_id ? 1 : 0));
}

export function manifestRoot(sorted: ManifestEntry[]): string {
  let text = ROOT_DOMAIN;
  for (const e of sorted) text += `${e.dataset_id} ${e.content_sha256}\n`;
  return toHex(near.sha256(encode(text)));
}
