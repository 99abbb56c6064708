// The command-line side of the suite commands (scripts/cli/suite.ts): options, usage, and one handler per command.
// main.ts dispatches "<group> <sub>" (or the bare command) here when it is not one of its own.
import type { Account } from "near-api-js";
import type { Chain, NetworkId } from "./context.ts";
import { formatNear, parseNear, view } from "./context.ts";
import { CliError } from "./errors.ts";
import type { Output } from "./output.ts";
import { table } from "./output.ts";
import * as suite from "./suite.ts";

export const SUITE_OPTIONS = {
  file: { type: "string" },
  creators: { type: "string" },
  license: { type: "string" },
  uri: { type: "string" },
  "datasheet-sha256": { type: "string" },
  reason: { type: "string" },
  datasets: { type: "string" },
  dataset: { type: "string" },
  model: { type: "string" },
  manifest: { type: "string" },
  data: { type: "string" },
  "weights-sha256": { type: "string" },
  "model-file": { type: "string" },
  framework: { type: "string" },
  architecture: { type: "string" },
  attester: { type: "string" },
  "public-key": { type: "string" },
  key: { type: "string" },
  text: { type: "string", multiple: true },
  out: { type: "string" },
  batch: { type: "string" },
  "no-submit": { type: "boolean" },
  epoch: { type: "string" },
  "init-args": { type: "string" },
} as const;

export const SUITE_GROUPS = ["dataset", "manifest", "model", "usage", "epoch", "attester"];

export const SUITE_USAGE = `  dataset submit <name@version> --file F [--creators a:6000,b:4000] [--license L] [--uri U] -c <community>
  dataset list | show <id> | withdraw <id> [--reason R]   -c <community>
  manifest create <name> --datasets a@1,b@1 -c <community> | manifest show <id> -c <community>
  model register <name@version> --manifest ID (--weights-sha256 H | --model-file F) [--creators ...] -c <community>
  model show <id> | model lineage <id>  -c <community>
  train [--data data/manifest.json] [--manifest ID -c <community>] [--out model.aicm]   prints the weights sha256
  attester keygen --out key.json          a secp256k1 key for receipts (its public key goes in add-attester)
  attest --model-file F --key key.json --attester ID --text T [--text T ...] [--batch N] [--no-submit] -c <community>
  usage report [--epoch E] -c <community>  the verifier reports an epoch's usage to the reward pool
  epoch close [--epoch E] -c <community>   the pool splits the epoch's budget (default epoch: the newest receipt's)
  claim -c <community> | claimable [account] -c <community>
  status -c <community>                   members, treasury, active model, attesters, pool
  donate <NEAR> -c <community>            a plain transfer to the community's treasury
  node fast-forward <blocks>              local node only: skip blocks (1.3 s of chain time each)
  suite proposal kinds: ${suite.SUITE_PROPOSAL_KINDS.join(", ")} (propose <kind> --dataset/--model/--attester
    --public-key/--bond/--policy/--amount)`;

export interface SessionLike {
  readonly v: Record<string, string | boolean | string[] | undefined>;
  readonly out: Output;
  readonly network: NetworkId;
  chain(): Promise<Chain>;
  signer(): Promise<Account>;
  dao(): Promise<string>;
}

type Handler = (s: SessionLike, args: string[]) => Promise<void>;

function str(s: SessionLike, name: string): string | undefined {
  const v = s.v[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}

function need(s: SessionLike, name: string, usage: string): string {
  const v = str(s, name);
  if (v === undefined) throw new CliError("BAD_ARGS", `--${name} is required: ${usage}`);
  return v;
}

function int(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new CliError("BAD_ARGS", `${what} must be a number`);
  return Number(value);
}

function arg(args: string[], i: number, usage: string): string {
  if (!args[i]) throw new CliError("BAD_ARGS", usage);
  return args[i];
}

const txLine = (tx: suite.Tx) => `(tx ${tx.tx_hash}, ${suite.tgasText(tx.gas_burnt)})`;

export const SUITE_COMMANDS: Record<string, Handler> = {
  "dataset submit": async (s, a) => {
    const usage = "dataset submit <name@version> --file F [--creators a:6000,b:4000] -c <community>";
    const id = arg(a, 0, usage);
    const chain = await s.chain();
    const r = await suite.submitDataset(chain, await s.signer(), await s.dao(), {
      id,
      file: need(s, "file", usage),
      creators: str(s, "creators"),
      license: str(s, "license"),
      uri: str(s, "uri"),
      datasheetSha256: str(s, "datasheet-sha256"),
    });
    s.out.result(
      { dataset_id: r.value, registry: r.registry, ...r.args, tx_hash: r.tx_hash, gas_burnt: r.gas_burnt },
      `submitted dataset ${r.value} (sha256 ${r.args.content_sha256}, ${r.args.size_bytes} bytes) to ${r.registry} ` +
        `${txLine(r)}; status Submitted until the DAO admits it (propose admit-dataset --dataset ${r.value})`,
    );
  },
  "dataset list": async (s) => {
    const list = await suite.listDatasets(await s.chain(), await s.dao());
    const rows = list.map((d) => [
      d.id,
      d.status ?? "removed",
      d.withdrawn ? "withdrawn" : "",
      (d.creators ?? []).map((c) => `${c.account_id}:${c.share_bps}`).join(","),
    ]);
    s.out.result(list, [`${list.length} dataset(s)`, ...table(rows)]);
  },
  "dataset show": async (s, a) => {
    const d = await suite.showDataset(await s.chain(), await s.dao(), arg(a, 0, "dataset show <id> -c <community>"));
    s.out.result(d, [
      `dataset ${d.id}: ${d.status}${d.withdrawn ? " (withdrawn by its creators)" : ""}`,
      `  sha256:    ${d.content_sha256} (${d.size_bytes} bytes)`,
      `  license:   ${d.license}`,
      `  submitter: ${d.submitter}`,
      `  creators:  ${d.creators.map((c) => `${c.account_id} ${c.share_bps / 100}%`).join(", ")}`,
      `  uris:      ${d.uris.join(" ")}`,
    ]);
  },
  "dataset withdraw": async (s, a) => {
    const id = arg(a, 0, "dataset withdraw <id> [--reason R] -c <community>");
    const chain = await s.chain();
    const tx = await suite.withdrawDataset(chain, await s.signer(), await s.dao(), id, str(s, "reason"));
    s.out.result(
      { dataset_id: id, withdrawn: true, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt },
      `withdrew ${id} ${txLine(tx)}: it cannot be admitted or enter a manifest, and models trained on it cannot be activated`,
    );
  },
  "manifest create": async (s, a) => {
    const usage = "manifest create <name> --datasets a@1,b@1 -c <community>";
    const name = arg(a, 0, usage);
    const ids = need(s, "datasets", usage).split(",").filter(Boolean);
    const chain = await s.chain();
    const dao = await s.dao();
    const tx = await suite.createManifest(chain, await s.signer(), dao, name, ids);
    const { manifest } = await suite.showManifest(chain, dao, tx.value);
    s.out.result(
      { manifest_id: tx.value, root: manifest.root, dataset_ids: ids, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt },
      `manifest ${tx.value} "${name}" created, root ${manifest.root} ${txLine(tx)}`,
    );
  },
  "manifest show": async (s, a) => {
    const id = int(a[0], "the manifest id");
    const m = await suite.showManifest(await s.chain(), await s.dao(), id);
    s.out.result(m, [
      `manifest ${m.manifest.id} "${m.manifest.name}" by ${m.manifest.creator}: root ${m.manifest.root}` +
        (m.check.ok ? "" : ` (withdrawn: ${m.check.withdrawn.join(", ")})`),
      ...m.datasets.map(
        (d) =>
          `  ${d.dataset_id} ${d.status}${d.withdrawn ? " withdrawn" : ""} sha256 ${d.content_sha256} ` +
          `creators ${d.creators.map((c) => `${c.account_id}:${c.share_bps}`).join(",")}`,
      ),
    ]);
  },
  "model register": async (s, a) => {
    const usage = "model register <name@version> --manifest ID (--weights-sha256 H | --model-file F) -c <community>";
    const id = arg(a, 0, usage);
    let weights = str(s, "weights-sha256");
    const file = str(s, "model-file");
    if (!weights && file) weights = suite.weightsOfFile(file);
    if (!weights) throw new CliError("BAD_ARGS", usage);
    const chain = await s.chain();
    const r = await suite.registerModel(chain, await s.signer(), await s.dao(), {
      id,
      weightsSha256: weights,
      manifestId: int(str(s, "manifest"), "--manifest"),
      framework: str(s, "framework"),
      architecture: str(s, "architecture"),
      license: str(s, "license"),
      creators: str(s, "creators"),
    });
    s.out.result(
      { model_id: r.value, registry: r.registry, ...r.args, tx_hash: r.tx_hash, gas_burnt: r.gas_burnt },
      `registered model ${r.value} (weights ${weights}, manifest ${r.args.training_manifest_id}) ${txLine(r)}; ` +
        `the DAO activates it with propose activate-model --model ${r.value}`,
    );
  },
  "model show": async (s, a) => {
    const r = await suite.showModel(await s.chain(), await s.dao(), arg(a, 0, "model show <id> -c <community>"));
    s.out.result(r, [
      `model ${r.model.id}: ${r.model.status}${r.active ? " (active)" : ""}`,
      `  weights sha256: ${r.model.weights_sha256}`,
      `  manifest:       ${r.model.training_manifest_id}`,
      `  registrant:     ${r.model.registrant}`,
      `  license:        ${r.model.license}`,
    ]);
  },
  "model lineage": async (s, a) => {
    const l = await suite.modelLineage(await s.chain(), await s.dao(), arg(a, 0, "model lineage <id> -c <community>"));
    s.out.result(l, suite.lineageLines(l));
  },
  train: async (s) => {
    const manifestId = str(s, "manifest");
    const withChain = manifestId !== undefined;
    const chain = withChain ? await s.chain() : null;
    const dao = withChain ? await s.dao() : null;
    const r = await suite.trainModel(chain, dao, {
      manifestPath: str(s, "data"),
      manifestId: manifestId === undefined ? undefined : int(manifestId, "--manifest"),
      out: str(s, "out"),
    });
    const { model: _model, ...rest } = r;
    s.out.result(rest, [
      `weights sha256 ${r.weights_sha256}`,
      `  trained on ${r.examples} examples (manifest root ${r.manifest_root}${
        r.checked_against_chain ? ", checked against the dataset registry" : ""
      }), training accuracy ${(r.training_accuracy * 100).toFixed(1)}%`,
      `  labels: ${r.labels.join(", ")}; ${r.bytes} bytes${r.written ? ` written to ${r.written}` : ""}`,
    ]);
  },
  "attester keygen": async (s) => {
    const out = need(s, "out", "attester keygen --out key.json");
    const key = suite.keygen(out);
    s.out.result({ public_key: key.public_key, written: out }, [
      `secp256k1 key written to ${out} (mode 0600)`,
      `  public key: ${key.public_key}`,
    ]);
  },
  attest: async (s) => {
    const usage = "attest --model-file F --key key.json --attester ID --text T [--text T ...] -c <community>";
    const texts = (s.v.text as string[] | undefined) ?? [];
    if (texts.length === 0) throw new CliError("BAD_ARGS", `--text is required: ${usage}`);
    const model = suite.loadModel(need(s, "model-file", usage));
    const { readFileSync, writeFileSync } = await import("node:fs");
    const key = JSON.parse(readFileSync(need(s, "key", usage), "utf8"));
    const chain = await s.chain();
    const submit = s.v["no-submit"] !== true;
    const r = await suite.attest(chain, submit ? await s.signer() : null, await s.dao(), {
      model,
      key,
      attesterId: need(s, "attester", usage),
      texts,
      batch: str(s, "batch") ? int(str(s, "batch"), "--batch") : undefined,
      submit,
    });
    const outFile = str(s, "out");
    // the salts stay with the user: they open the commitments; the chain only sees hashes
    if (outFile) writeFileSync(outFile, `${JSON.stringify(r.attestations, null, 2)}\n`, { mode: 0o600 });
    s.out.result(
      {
        verifier: r.verifier,
        model: r.model,
        epoch: r.epoch,
        answers: r.attestations.map((x) => ({ input: x.input, output: x.output, nonce: x.receipt.nonce })),
        batches: r.batches,
        written: outFile ?? null,
      },
      [
        ...r.attestations.map((x) => `  "${x.input}" -> ${x.output} (nonce ${x.receipt.nonce})`),
        ...r.batches.map(
          (b) =>
            `submitted receipts ${b.receipt_ids.join(",")} to ${r.verifier} (tx ${b.tx_hash}, ${suite.tgasText(b.gas_burnt)})`,
        ),
        r.epoch === null ? "not submitted (--no-submit)" : `epoch ${r.epoch}`,
      ],
    );
  },
  "usage report": async (s) => {
    const chain = await s.chain();
    const dao = await s.dao();
    const e = str(s, "epoch");
    const epoch = e === undefined ? await suite.latestReceiptEpoch(chain, dao) : int(e, "--epoch");
    const tx = await suite.reportUsage(chain, await s.signer(), dao, epoch);
    s.out.result(
      { epoch, result: tx.value, parts: tx.parts, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt },
      `usage of epoch ${epoch}: ${tx.value}${tx.parts > 1 ? ` (${tx.parts} parts)` : ""} ${txLine(tx)}`,
    );
  },
  "epoch close": async (s) => {
    const chain = await s.chain();
    const dao = await s.dao();
    const e = str(s, "epoch");
    const epoch = e === undefined ? await suite.latestReceiptEpoch(chain, dao) : int(e, "--epoch");
    const tx = await suite.closeEpoch(chain, await s.signer(), dao, epoch);
    s.out.result(
      { epoch, ...(tx.value as object), tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt },
      `closed epoch ${epoch}: budget ${formatNear(tx.value.budget)} allocated ${txLine(tx)}`,
    );
  },
  claimable: async (s, a) => {
    const chain = await s.chain();
    const account = a[0] ?? (await s.signer()).accountId;
    const owed = await suite.claimable(chain, await s.dao(), account);
    s.out.result({ account_id: account, claimable: owed }, `${account} can claim ${formatNear(owed)} (${owed} yocto)`);
  },
  claim: async (s) => {
    const chain = await s.chain();
    const signer = await s.signer();
    const r = await suite.claim(chain, signer, await s.dao());
    s.out.result(
      {
        account_id: signer.accountId,
        pool: r.pool,
        amount: r.owed.toString(),
        txs: r.txs.map((t) => ({ step: t.step, tx_hash: t.tx.tx_hash, gas_burnt: t.tx.gas_burnt })),
      },
      [
        `${signer.accountId} claimed ${formatNear(r.owed)} (${r.owed} yocto) from ${r.pool}`,
        ...r.txs.map((t) => `  ${t.step} ${txLine(t.tx)}`),
      ],
    );
  },
  donate: async (s, a) => {
    const amount = parseNear(arg(a, 0, "donate <NEAR> -c <community>"), "the amount");
    const chain = await s.chain();
    const dao = await s.dao();
    const signer = await s.signer();
    const outcome = await signer.sendMoney(dao, amount);
    const t = await view<{ available: string }>(chain, dao, "get_treasury");
    s.out.result(
      { dao, amount: amount.toString(), tx_hash: outcome.transaction_outcome.id, available: t.available },
      `${signer.accountId} gave ${formatNear(amount)} to ${dao}; available treasury ${formatNear(t.available)}`,
    );
  },
  status: async (s) => {
    const st = await suite.status(await s.chain(), await s.dao());
    s.out.result(st, suite.statusLines(st));
  },
  "node fast-forward": async (s, a) => {
    if (s.network !== "local") throw new CliError("BAD_ARGS", "node fast-forward works on the local node only");
    const blocks = int(a[0], "the number of blocks");
    const chain = await s.chain();
    const before = await suite.chainTimeNs(chain);
    await fastForward(chain, blocks);
    const after = await suite.chainTimeNs(chain);
    const seconds = Number((after - before) / 1_000_000_000n);
    s.out.result({ blocks, seconds }, `skipped ${blocks} blocks: chain time moved on ${seconds} s`);
  },
};

/** The sandbox's `sandbox_fast_forward` (the project's local node and near-sandbox both have it). */
export async function fastForward(chain: Chain, blocks: number): Promise<void> {
  const res = await fetch(chain.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: "ff",
      method: "sandbox_fast_forward",
      params: { delta_height: blocks },
    }),
  });
  const body = (await res.json()) as { error?: unknown };
  if (body.error) throw new CliError("NODE", `sandbox_fast_forward failed: ${JSON.stringify(body.error)}`);
}
