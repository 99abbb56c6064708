// `dataset submit|list|show|withdraw` and `manifest create|show`: the community's dataset registry.
import type { CliCommand } from "../command.ts";
import { int, str } from "../command.ts";
import { table } from "../output.ts";
import * as suite from "../suite.ts";
import * as units from "../units.ts";

/** "(tx <hash> [explorer link], 1.23 Tgas)". */
export const txLine = (tx: { tx_hash: string; gas_burnt: bigint }) =>
  `(${units.txRef(tx.tx_hash)}, ${units.tgas(tx.gas_burnt)})`;

/** Creators and their shares: "a.near 60%, b.near 40%". */
export const creatorsText = (creators: { account_id: string; share_bps: number }[]) =>
  creators.map((c) => `${c.account_id} ${units.bps(c.share_bps)}`).join(", ");

export function register(program: CliCommand): void {
  const dataset = program.group("dataset", "datasets in the community's registry: submit, list, show, withdraw");

  dataset
    .leaf(
      "submit <name@version>",
      "hash and measure a file locally and submit its record (0.1 NEAR, refunded less storage)",
    )
    .community()
    .requiredOption("--file <path>", "the data file")
    .option("--creators <a:bps,b:bps>", "creators and their shares in basis points (default: the signer, 10000)")
    .option("--license <spdx>", "the license (default CC-BY-4.0)")
    .option("--uri <uri>", "where the data is (default file://<path>)")
    .option("--datasheet-sha256 <sha256>", "the datasheet's sha256")
    .run(async ({ s, out, args, flags }) => {
      const chain = await s.chain();
      const r = await suite.submitDataset(chain, await s.signer(), await s.dao(), {
        id: args[0] as string,
        file: str(flags, "file") as string,
        creators: str(flags, "creators"),
        license: str(flags, "license"),
        uri: str(flags, "uri"),
        datasheetSha256: str(flags, "datasheet-sha256"),
      });
      out.result(
        { dataset_id: r.value, registry: r.registry, ...r.args, tx_hash: r.tx_hash, gas_burnt: r.gas_burnt },
        `submitted dataset ${r.value} (sha256 ${r.args.content_sha256}, ${r.args.size_bytes} bytes) to ${r.registry} ` +
          `${txLine(r)}; status Submitted until the DAO admits it (propose admit-dataset --dataset ${r.value})`,
      );
    });

  dataset
    .leaf("list", "every dataset: status, withdrawn, creators")
    .community()
    .run(async ({ s, out }) => {
      const list = await suite.listDatasets(await s.chain(), await s.dao());
      const rows = list.map((d) => [
        d.id,
        d.status ?? "removed",
        d.withdrawn ? "withdrawn" : "",
        creatorsText(d.creators ?? []),
      ]);
      out.result(list, [`${list.length} dataset(s)`, ...table(rows)]);
    });

  dataset
    .leaf("show <name@version>", "one dataset's record")
    .community()
    .run(async ({ s, out, args }) => {
      const d = await suite.showDataset(await s.chain(), await s.dao(), args[0] as string);
      out.result(d, [
        `dataset ${d.id}: ${d.status}${d.withdrawn ? " (withdrawn by its creators)" : ""}`,
        `  sha256:    ${d.content_sha256} (${d.size_bytes} bytes)`,
        `  license:   ${d.license}`,
        `  submitter: ${d.submitter}`,
        `  creators:  ${creatorsText(d.creators)}`,
        `  uris:      ${d.uris.join(" ")}`,
      ]);
    });

  dataset
    .leaf("withdraw <name@version>", "withdraw a dataset (a creator or the submitter)")
    .community()
    .option("--reason <text>", "why")
    .run(async ({ s, out, args, flags }) => {
      const id = args[0] as string;
      const chain = await s.chain();
      const tx = await suite.withdrawDataset(chain, await s.signer(), await s.dao(), id, str(flags, "reason"));
      out.result(
        { dataset_id: id, withdrawn: true, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt },
        `withdrew ${id} ${txLine(tx)}: it cannot be admitted or enter a manifest, and models trained on it cannot be activated`,
      );
    });

  const manifest = program.group("manifest", "training manifests: a named list of datasets with a root hash");

  manifest
    .leaf("create <name>", "a manifest of admitted datasets; prints its id and root")
    .community()
    .requiredOption("--datasets <a@1,b@1>", "the datasets")
    .run(async ({ s, out, args, flags }) => {
      const name = args[0] as string;
      const ids = (str(flags, "datasets") ?? "").split(",").filter(Boolean);
      const chain = await s.chain();
      const dao = await s.dao();
      const tx = await suite.createManifest(chain, await s.signer(), dao, name, ids);
      const { manifest } = await suite.showManifest(chain, dao, tx.value);
      out.result(
        { manifest_id: tx.value, root: manifest.root, dataset_ids: ids, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt },
        `manifest ${tx.value} "${name}" created, root ${manifest.root} ${txLine(tx)}`,
      );
    });

  manifest
    .leaf("show <id>", "each dataset with status, hash and creators, and whether any was withdrawn")
    .community()
    .run(async ({ s, out, args }) => {
      const id = int(args[0], "the manifest id");
      const m = await suite.showManifest(await s.chain(), await s.dao(), id);
      out.result(m, [
        `manifest ${m.manifest.id} "${m.manifest.name}" by ${m.manifest.creator}: root ${m.manifest.root}` +
          (m.check.ok ? "" : ` (withdrawn: ${m.check.withdrawn.join(", ")})`),
        ...m.datasets.map(
          (d) =>
            `  ${d.dataset_id} ${d.status}${d.withdrawn ? " withdrawn" : ""} sha256 ${d.content_sha256} ` +
            `creators ${creatorsText(d.creators)}`,
        ),
      ]);
    });
}
