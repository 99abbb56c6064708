// The attester CLI. Run with: node --import tsx attester/src/cli.ts <command> [options]  (see attester/README.md)
//   keygen   [--out key.json]
//   make-data
//   train    [--manifest data/manifest.json] [--out model.aicm] [--registry registry.json]
//   hash     --model model.aicm
//   infer    --model model.aicm --text "..." [--text ...]
//   attest   --model model.aicm --key key.json --verifier ID --community ID --attester ID --model-name N
//            --model-version V --text "..." [--text ...] [--out attestations.json]
//            [--submit --node-url URL --account ID --private-key ed25519:... [--batch 50]]
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { InferenceAttester } from "./attester.ts";
import { AttesterError, loadVerified, MANIFEST_PATH, type RegistryView } from "./data.ts";
import { makeData } from "./make-data.ts";
import { accuracy, deserialize, predict, serialize, train, weightsSha256 } from "./model.ts";
import { type AttesterKey, newKey } from "./receipt.ts";
import { connectAccount, submitAll } from "./submit.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: "string" },
    manifest: { type: "string" },
    registry: { type: "string" },
    model: { type: "string" },
    key: { type: "string" },
    text: { type: "string", multiple: true },
    verifier: { type: "string" },
    community: { type: "string" },
    attester: { type: "string" },
    "model-name": { type: "string" },
    "model-version": { type: "string" },
    submit: { type: "boolean" },
    "node-url": { type: "string" },
    account: { type: "string" },
    "private-key": { type: "string" },
    batch: { type: "string" },
  },
});

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== "string" || v === "") throw new AttesterError("ERR_MISSING_OPTION", `--${name}`);
  return v;
}

function print(x: unknown): void {
  process.stdout.write(`${JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
}

async function main(): Promise<void> {
  const command = positionals[0];
  if (command === "keygen") {
    const key = newKey();
    if (values.out) writeFileSync(values.out, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
    print({ public_key: key.public_key, written: values.out ?? null });
  } else if (command === "make-data") {
    makeData();
    print({ manifest: MANIFEST_PATH });
  } else if (command === "train") {
    // registry.json: {"content_sha256": {"<dataset_id>": "<hash>"}, "root": "<manifest root>"} read from chain
    const registry = values.registry ? (JSON.parse(readFileSync(values.registry, "utf8")) as RegistryView) : undefined;
    const { manifest, examples } = loadVerified(values.manifest ?? MANIFEST_PATH, registry);
    const model = train(examples);
    const bytes = serialize(model);
    if (values.out) writeFileSync(values.out, bytes);
    print({
      weights_sha256: weightsSha256(model),
      manifest_root: manifest.root,
      examples: examples.length,
      labels: model.labels,
      training_accuracy: accuracy(model, examples),
      bytes: bytes.length,
      written: values.out ?? null,
    });
  } else if (command === "hash") {
    print({ weights_sha256: weightsSha256(deserialize(readFileSync(need("model")))) });
  } else if (command === "infer") {
    const model = deserialize(readFileSync(need("model")));
    print((values.text ?? []).map((text) => ({ text, ...predict(model, text) })));
  } else if (command === "attest") {
    const key = JSON.parse(readFileSync(need("key"), "utf8")) as AttesterKey;
    const attester = new InferenceAttester({
      model: deserialize(readFileSync(need("model"))),
      model_name: need("model-name"),
      model_version: need("model-version"),
      key,
      attester_id: need("attester"),
      community: need("community"),
      verifier_id: need("verifier"),
    });
    const texts = values.text ?? [];
    if (texts.length === 0) throw new AttesterError("ERR_MISSING_OPTION", "--text");
    const attestations = texts.map((t) => attester.attest(t));
    // the salts stay with whoever asked: this file is the user's, not the chain's
    if (values.out) writeFileSync(values.out, `${JSON.stringify(attestations, null, 2)}\n`, { mode: 0o600 });
    let submitted = null;
    if (values.submit) {
      const account = await connectAccount({
        node_url: need("node-url"),
        account_id: need("account"),
        private_key: need("private-key"),
      });
      const batch = values.batch ? Number(values.batch) : 50;
      submitted = await submitAll(
        account,
        need("verifier"),
        attestations.map((a) => a.receipt),
        batch,
      );
    }
    print({
      weights_sha256: attester.weights_sha256,
      receipts: attestations.map((a) => ({
        output: a.output,
        nonce: a.receipt.nonce,
        input_sha256: a.receipt.input_sha256,
      })),
      submitted,
    });
  } else {
    process.stderr.write(`usage: cli.ts keygen|make-data|train|hash|infer|attest (see attester/README.md)\n`);
    process.exitCode = 2;
  }
}

main().catch((e: unknown) => {
  const code = e instanceof AttesterError ? e.code : "ERR_ATTESTER";
  process.stderr.write(`${code}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
