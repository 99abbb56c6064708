// End to end through the real contracts: the project's datasets are submitted and admitted in the dataset
// registry and named in a manifest; the attester verifies the files against the registry, trains, and the model is
// registered and activated by the DAO in the model registry, which pushes it to the verifier; the DAO bonds an
// attester; the attester runs inference and signs receipts; a relayer submits them with near-api-js (one, then a
// batch); the verifier accepts them and each user opens their commitments against the chain.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InferenceAttester, opens } from "../../attester/src/attester.ts";
import { loadVerified, MANIFEST_PATH, readManifest, sha256Hex } from "../../attester/src/data.ts";
import { train, weightsSha256 } from "../../attester/src/model.ts";
import { canonicalReceipt, newKey } from "../../attester/src/receipt.ts";
import { connectAccount, submitAll, submitBatch } from "../../attester/src/submit.ts";
import { useWorker } from "../helpers/worker.ts";
import { ATTESTER_STORAGE, BOND, chainNow, NEAR, ROOT, SETTINGS, TGAS, tgas, verifierWasm } from "./fixture.ts";
import { DEFAULT_ACTIVATION_DEPOSIT } from "../../contracts/wire/activation.ts";
import { manifestDatasetInput, modelCard } from "../helpers/story.ts";

const test = useWorker().serial;

const card = modelCard();

const QUESTIONS = [
  "the council should vote on the treasury budget",
  "this csv file has personal data to remove",
  "retrain the classifier with a smaller learning rate",
  "when will the reward pool pay the creators",
  "our dao needs a quorum for the new policy",
  "the labelled sentences need a license",
];

test("train -> register -> activate -> infer -> attest -> verify", async (t) => {
  const { worker, root } = t.context;
  const dao = await root.createSubAccount("dao", { initialBalance: 50n * NEAR });
  const creator = await root.createSubAccount("creator");
  const relayer = await root.createSubAccount("relayer");
  const datasets = await root.createSubAccount("datasets", { initialBalance: 20n * NEAR });
  const models = await root.createSubAccount("models", { initialBalance: 20n * NEAR });
  const verifier = await root.createSubAccount("verifier", { initialBalance: 20n * NEAR });
  await datasets.deploy(readFileSync(join(ROOT, "build", "dataset-registry.wasm")));
  await models.deploy(readFileSync(join(ROOT, "build", "model-registry.wasm")));
  await verifier.deploy(verifierWasm());
  await datasets.call(datasets, "init", { dao_id: dao.accountId, model_registry_id: models.accountId });
  await models.call(models, "init", {
    dao_id: dao.accountId,
    dataset_registry_id: datasets.accountId,
    verifier_id: verifier.accountId,
  });
  await verifier.call(verifier, "init", {
    dao_id: dao.accountId,
    model_registry_id: models.accountId,
    settings: SETTINGS,
  });

  // 1. datasets: submitted by their creator, admitted by the DAO, named in a manifest
  const local = readManifest();
  const ids: string[] = [];
  for (const e of local.entries) {
    const id = await creator.call<string>(
      datasets,
      "submit_dataset",
      manifestDatasetInput(e, [{ account_id: creator.accountId, share_bps: 10000 }]),
      { attachedDeposit: NEAR, gas: 100n * TGAS },
    );
    t.is(id, e.dataset_id);
    await dao.call(datasets, "admit_dataset", { dataset_id: id }, { gas: 50n * TGAS });
    ids.push(id);
  }
  const manifestId = await creator.call<number>(
    datasets,
    "create_manifest",
    { name: "community-intents", dataset_ids: ids },
    { attachedDeposit: NEAR, gas: 100n * TGAS },
  );
  const onChain = await datasets.view<{ root: string; entries: { dataset_id: string; content_sha256: string }[] }>(
    "get_manifest",
    { manifest_id: manifestId },
  );
  t.is(onChain.root, local.root, "the registry's manifest root is the one the attester computes");

  // 2. train on files checked against the registry's hashes and root
  const content_sha256: Record<string, string> = {};
  for (const e of onChain.entries) content_sha256[e.dataset_id] = e.content_sha256;
  const model = train(loadVerified(MANIFEST_PATH, { content_sha256, root: onChain.root }).examples);
  const weights = weightsSha256(model);
  t.is(weights, card.weights_sha256);

  // 3. register and 4. activate (the DAO; the registry checks the manifest, then pushes the model to the verifier)
  const modelId = await creator.call<string>(
    models,
    "register_model",
    {
      name: card.model_name,
      version: card.model_version,
      weights_sha256: weights,
      framework: card.framework,
      architecture: card.architecture,
      training_manifest_id: manifestId,
      training_code_sha256: sha256Hex(readFileSync(join(ROOT, "attester", "src", "model.ts"))),
      license: card.license,
    },
    { attachedDeposit: NEAR, gas: 100n * TGAS },
  );
  // 200 Tgas: what the activation needs (the DAO account holds the attached gas at 10^9 yocto a gas until the refund)
  const act = await dao.callRaw(
    models,
    "activate_model",
    { model_id: modelId },
    {
      gas: 200n * TGAS,
      attachedDeposit: DEFAULT_ACTIVATION_DEPOSIT,
    },
  );
  t.true(act.succeeded, act.receiptFailureMessages.join(" | "));
  t.like(await verifier.view<object>("get_active_model", {}), {
    model_name: card.model_name,
    model_version: card.model_version,
    weights_sha256: weights,
  });

  // 5. the DAO bonds an attester (a plain account stands in for the DAO's proposal execution)
  const key = newKey();
  await dao.call(
    verifier,
    "add_attester",
    { attester_id: "attester.test.near", public_key: key.public_key, bond: BOND.toString() },
    { attachedDeposit: BOND + ATTESTER_STORAGE, gas: 30n * TGAS },
  );

  // 6. inference and receipts
  const now = await chainNow(worker);
  const attester = new InferenceAttester({
    model,
    model_name: card.model_name,
    model_version: card.model_version,
    key,
    attester_id: "attester.test.near",
    community: dao.accountId,
    verifier_id: verifier.accountId,
    clock: () => now,
  });
  const attestations = QUESTIONS.map((q) => attester.attest(q));
  t.deepEqual(
    attestations.map((a) => a.output),
    ["governance", "dataset", "model", "rewards", "governance", "dataset"],
  );
  t.is(
    await verifier.view<string>("receipt_signing_text", { receipt: attestations[0].receipt }),
    canonicalReceipt(verifier.accountId, attestations[0].receipt),
  );

  // 7. a relayer submits with near-api-js: one receipt, then the rest as one batch
  const relayerKey = await relayer.getKey();
  const provider = worker.provider as unknown as { connection: { url: string } };
  const account = await connectAccount({
    node_url: provider.connection.url,
    account_id: relayer.accountId,
    private_key: relayerKey!.toString(),
  });
  const one = await submitBatch(account, verifier.accountId, [attestations[0].receipt]);
  t.deepEqual(one.receipt_ids, [0]);
  const rest = await submitAll(
    account,
    verifier.accountId,
    attestations.slice(1).map((a) => a.receipt),
  );
  t.deepEqual(
    rest.flatMap((s) => s.receipt_ids),
    [1, 2, 3, 4, 5],
  );
  t.log(`near-api-js: one receipt ${tgas(one.gas_burnt)}, batch of 5 ${tgas(rest[0].gas_burnt)}`);
  // a replay through the same client is refused
  await t.throwsAsync(submitBatch(account, verifier.accountId, [attestations[0].receipt]), {
    message: /ERR_NONCE_USED/,
  });

  // 8. each user opens their commitments against the chain
  for (const a of attestations) {
    const rec = await verifier.view<{ status: string; input_sha256: string; output_sha256: string }>(
      "get_receipt_by_nonce",
      { attester_id: "attester.test.near", nonce: a.receipt.nonce },
    );
    t.is(rec.status, "Accepted");
    t.true(opens(a, rec));
  }
  t.like(await verifier.view<object[]>("get_model_usage", {}), [
    { model_name: card.model_name, model_version: card.model_version, weights_sha256: weights, accepted: 6 },
  ]);

  // 9. the same through the CLI: train to a file, attest two questions and submit them as one batch
  const dir = mkdtempSync(join(tmpdir(), "attester-cli-"));
  writeFileSync(join(dir, "key.json"), JSON.stringify(key));
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "attester", "src", "cli.ts"), ...args], {
      cwd: ROOT,
      encoding: "utf8",
    });
  t.is(JSON.parse(cli("train", "--out", join(dir, "model.aicm"))).weights_sha256, weights);
  const out = JSON.parse(
    cli(
      "attest",
      ...["--model", join(dir, "model.aicm"), "--key", join(dir, "key.json"), "--out", join(dir, "att.json")],
      ...["--verifier", verifier.accountId, "--community", dao.accountId, "--attester", "attester.test.near"],
      ...["--model-name", card.model_name, "--model-version", card.model_version],
      ...["--text", "who approves the budget", "--text", "the trained weights overfit"],
      ...["--submit", "--node-url", provider.connection.url, "--account", relayer.accountId],
      ...["--private-key", relayerKey!.toString()],
    ),
  );
  t.deepEqual(
    out.receipts.map((r: { output: string }) => r.output),
    ["governance", "model"],
  );
  t.deepEqual(out.submitted[0].receipt_ids, [6, 7]);
  const saved = JSON.parse(readFileSync(join(dir, "att.json"), "utf8")) as {
    salt: string;
    input: string;
    output: string;
  }[];
  const rec = await verifier.view<{ input_sha256: string; output_sha256: string }>("get_receipt", { receipt_id: 7 });
  t.true(opens(saved[1], rec));
});
