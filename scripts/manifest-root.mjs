#!/usr/bin/env node
// Recomputes a training manifest's root off chain (the rule in docs/registries.md):
//   text = "ai-commons-manifest-v1\n" + for each entry sorted by dataset_id: "<dataset_id> <content_sha256>\n"
//   root = lower-case hex sha256 of the text
// Usage:
//   node scripts/manifest-root.mjs --rpc <url> --contract <dataset-registry> --manifest <id>
//       reads the manifest and each dataset's own record over JSON-RPC, recomputes, compares (exit 1 on mismatch)
//   node scripts/manifest-root.mjs [file.json]
//       entries from a file (or stdin): [{dataset_id, content_sha256}, ...] or {entries: [...]}; prints the root
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const ROOT_DOMAIN = "ai-commons-manifest-v1\n";

/** @param {{dataset_id: string, content_sha256: string}[]} entries */
export function manifestText(entries) {
  // Byte order of the ASCII ids: the same as JS string order for these characters (a-z 0-9 . - @).
  const sorted = entries
    .slice()
    .sort((a, b) => (a.dataset_id < b.dataset_id ? -1 : a.dataset_id > b.dataset_id ? 1 : 0));
  let text = ROOT_DOMAIN;
  for (const e of sorted) text += `${e.dataset_id} ${e.content_sha256}\n`;
  return text;
}

/** @param {{dataset_id: string, content_sha256: string}[]} entries */
export function computeManifestRoot(entries) {
  return createHash("sha256").update(manifestText(entries), "utf8").digest("hex");
}

async function viewCall(rpc, contract, method, args) {
  const res = await fetch(rpc, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: "manifest-root",
      method: "query",
      params: {
        request_type: "call_function",
        finality: "final",
        account_id: contract,
        method_name: method,
        args_base64: Buffer.from(JSON.stringify(args)).toString("base64"),
      },
    }),
  });
  const body = await res.json();
  if (body.error || body.result?.error)
    throw new Error(`${method}: ${JSON.stringify(body.error ?? body.result.error)}`);
  return JSON.parse(Buffer.from(body.result.result).toString("utf8"));
}

function arg(argv, name) {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv) {
  const rpc = arg(argv, "--rpc");
  if (rpc !== undefined) {
    const contract = arg(argv, "--contract");
    const id = Number(arg(argv, "--manifest"));
    if (!contract || !Number.isInteger(id)) throw new Error("--rpc needs --contract <account> --manifest <id>");
    const manifest = await viewCall(rpc, contract, "get_manifest", { manifest_id: id });
    if (manifest === null) throw new Error(`manifest ${id} not found on ${contract}`);
    // Take each content hash from the dataset's own record, not from the manifest: this checks the manifest too.
    const entries = [];
    for (const e of manifest.entries) {
      const d = await viewCall(rpc, contract, "get_dataset", { dataset_id: e.dataset_id });
      if (d === null) throw new Error(`dataset ${e.dataset_id} not found`);
      entries.push({ dataset_id: d.id, content_sha256: d.content_sha256 });
    }
    const root = computeManifestRoot(entries);
    process.stdout.write(`${manifestText(entries)}root ${root}\nstored ${manifest.root}\n`);
    process.stdout.write(`match: ${root === manifest.root ? "yes" : "no"}\n`);
    return root === manifest.root ? 0 : 1;
  }
  const file = argv.find((a) => !a.startsWith("--"));
  const json = JSON.parse(readFileSync(file ?? 0, "utf8"));
  const entries = Array.isArray(json) ? json : json.entries;
  process.stdout.write(`root ${computeManifestRoot(entries)}\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`manifest-root: ${e.message}\n`);
      process.exit(2);
    },
  );
}
