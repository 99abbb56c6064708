// `model register|show|lineage` and `train`: the community's model registry, and the attester's deterministic
// training from a local manifest (checked against the dataset registry with --manifest).
import type { CliCommand } from "../command.ts";
import { int, str } from "../command.ts";
import { CliError } from "../errors.ts";
import * as suite from "../suite.ts";
import { creatorsText, txLine } from "./datasets.ts";

// a whole share, in basis points
const BPS = 10_000;

export function lineageLines(l: Awaited<ReturnType<typeof suite.modelLineage>>): string[] {
  const makers = creatorsText(l.model.creators ?? [{ account_id: l.model.registrant, share_bps: BPS }]);
  const lines = [
    `model ${l.model.id} (${l.model.status}${l.active ? ", active" : ""}) weights ${l.model.weights_sha256}`,
    `  makers: ${makers}`,
    ...(l.provenance ? [`  provenance: ${l.provenance}`] : []),
    `  -> manifest ${l.manifest.id} "${l.manifest.name}" root ${l.manifest.root}${l.manifest_ok ? "" : " (WITHDRAWN DATA)"}`,
  ];
  for (const d of l.datasets) {
    lines.push(
      `     -> dataset ${d.dataset_id} (${d.status}${d.withdrawn ? ", withdrawn" : ""}, ${d.license}) sha256 ${d.content_sha256.slice(0, 16)}...`,
    );
    for (const c of d.creators) lines.push(`        -> creator ${creatorsText([c])}`);
  }
  const pl = l.pool_lineage as { complete?: boolean } | null;
  lines.push(`  reward pool lineage: ${pl ? (pl.complete ? "complete" : "incomplete") : "not registered"}`);
  return lines;
}

export function register(program: CliCommand): void {
  const model = program.group("model", "models in the community's registry: register, show, lineage");

  const usage = "model register <name@version> --manifest ID (--weights-sha256 H | --model-file F) -c <community>";
  model
    .leaf("register <name@version>", "register trained weights with their training manifest")
    .community()
    .requiredOption("--manifest <id>", "the training manifest's id")
    .option("--weights-sha256 <sha256>", "the weights' sha256 (or --model-file)")
    .option("--model-file <path>", "a model file from train --out (its weights' sha256 is registered)")
    .option("--creators <a:bps,b:bps>", "the makers and their shares (default: the signer, 10000)")
    .option("--framework <name>", "default: attester/model-card.json's")
    .option("--architecture <name>", "default: attester/model-card.json's")
    .option("--license <spdx>", "default: attester/model-card.json's")
    .run(async ({ s, out, args, flags }) => {
      let weights = str(flags, "weights-sha256");
      const file = str(flags, "model-file");
      if (!weights && file) weights = suite.weightsOfFile(file);
      if (!weights) throw new CliError("BAD_ARGS", usage);
      const manifestId = int(str(flags, "manifest"), "--manifest");
      const chain = await s.chain();
      const r = await suite.registerModel(chain, await s.signer(), await s.dao(), {
        id: args[0] as string,
        weightsSha256: weights,
        manifestId,
        framework: str(flags, "framework"),
        architecture: str(flags, "architecture"),
        license: str(flags, "license"),
        creators: str(flags, "creators"),
      });
      out.result(
        { model_id: r.value, registry: r.registry, ...r.args, tx_hash: r.tx_hash, gas_burnt: r.gas_burnt },
        `registered model ${r.value} (weights ${weights}, manifest ${r.args.training_manifest_id}) ${txLine(r)}; ` +
          `the DAO activates it with propose activate-model --model ${r.value}`,
      );
    });

  model
    .leaf("show <name@version>", "one model's record and whether it is active")
    .community()
    .run(async ({ s, out, args }) => {
      const r = await suite.showModel(await s.chain(), await s.dao(), args[0] as string);
      out.result(r, [
        `model ${r.model.id}: ${r.model.status}${r.active ? " (active)" : ""}`,
        `  weights sha256: ${r.model.weights_sha256}`,
        `  manifest:       ${r.model.training_manifest_id}`,
        `  registrant:     ${r.model.registrant}`,
        `  license:        ${r.model.license}`,
      ]);
    });

  model
    .leaf(
      "lineage <name@version>",
      "model -> manifest -> datasets -> creators with shares, and the reward pool's lineage",
    )
    .community()
    .run(async ({ s, out, args }) => {
      const l = await suite.modelLineage(await s.chain(), await s.dao(), args[0] as string);
      out.result(l, lineageLines(l));
    });

  program
    .leaf("train", "train the attester's model from a local manifest; prints the weights sha256")
    .option("--data <file>", "the local manifest (default data/manifest.json)")
    .option("--manifest <id>", "also check every file and the root against this manifest of the community")
    .community()
    .option("--out <file>", "write the model file")
    .run(async ({ s, out, flags }) => {
      const manifestId = str(flags, "manifest");
      const id = manifestId === undefined ? undefined : int(manifestId, "--manifest");
      const withChain = id !== undefined;
      const chain = withChain ? await s.chain() : null;
      const dao = withChain ? await s.dao() : null;
      const r = await suite.trainModel(chain, dao, {
        manifestPath: str(flags, "data"),
        manifestId: id,
        out: str(flags, "out"),
      });
      const { model: _model, ...rest } = r;
      out.result(rest, [
        `weights sha256 ${r.weights_sha256}`,
        `  trained on ${r.examples} examples (manifest root ${r.manifest_root}${
          r.checked_against_chain ? ", checked against the dataset registry" : ""
        }), training accuracy ${(r.training_accuracy * 100).toFixed(1)}%`,
        `  labels: ${r.labels.join(", ")}; ${r.bytes} bytes${r.written ? ` written to ${r.written}` : ""}`,
      ]);
    });
}
