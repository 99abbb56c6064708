// Attested inference: `attester keygen` (a receipt-signing key), `attest` (run the active model, sign receipts and
// submit them to the verifier) and `usage report` (the verifier reports an epoch's usage to the reward pool).
import { readFileSync, writeFileSync } from "node:fs";
import type { CliCommand } from "../command.ts";
import { collect, int, str } from "../command.ts";
import * as suite from "../suite.ts";
import * as units from "../units.ts";
import { txLine } from "./datasets.ts";
import { epochOf } from "./rewards.ts";

export function register(program: CliCommand): void {
  const attester = program.group("attester", "an attester's key for signing receipts");
  attester
    .leaf("keygen", "a secp256k1 key for receipts (its public key goes in propose add-attester)")
    .requiredOption("--out <file>", "where to write it (mode 0600)")
    .run(async ({ out, flags }) => {
      const file = str(flags, "out") as string;
      const key = suite.keygen(file);
      out.result({ public_key: key.public_key, written: file }, [
        `secp256k1 key written to ${file} (mode 0600)`,
        `  public key: ${key.public_key}`,
      ]);
    });

  program
    .leaf("attest", "answer texts with the active model, sign one receipt each and submit them (as the relayer)")
    .community()
    .requiredOption("--model-file <path>", "the active model's file (train --out)")
    .requiredOption("--key <file>", "the attester's key (attester keygen)")
    .requiredOption("--attester <account>", "the attester's account, as added by the DAO")
    .requiredOption("--text <text>", "a text to answer (repeat for more)", collect)
    .option("--batch <n>", "receipts per transaction, 1..64 (default 50)")
    .option("--no-submit", "only sign")
    .option("--out <file>", "keep answers and salts (mode 0600)")
    .run(async ({ s, out, flags }) => {
      const texts = (flags.text as string[] | undefined) ?? [];
      const model = suite.loadModel(str(flags, "model-file") as string);
      const key = JSON.parse(readFileSync(str(flags, "key") as string, "utf8"));
      const batch = str(flags, "batch");
      const chain = await s.chain();
      const submit = flags["no-submit"] !== true;
      const r = await suite.attest(chain, submit ? await s.signer() : null, await s.dao(), {
        model,
        key,
        attesterId: str(flags, "attester") as string,
        texts,
        batch: batch ? int(batch, "--batch") : undefined,
        submit,
      });
      const outFile = str(flags, "out");
      // the salts stay with the user: they open the commitments; the chain only sees hashes
      if (outFile) writeFileSync(outFile, `${JSON.stringify(r.attestations, null, 2)}\n`, { mode: 0o600 });
      out.result(
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
          ...r.batches.map((b) => `submitted receipts ${b.receipt_ids.join(",")} to ${r.verifier} ${txLine(b)}`),
          r.epoch === null
            ? "not submitted (--no-submit)"
            : `in ${units.epoch(r.epoch, await suite.epochLengthNs(chain, await s.dao()))}`,
        ],
      );
    });

  const usage = program.group("usage", "the verifier's usage reports to the reward pool");
  usage
    .leaf("report", "report an epoch's usage to the reward pool, every part (default epoch: the newest receipt's)")
    .community()
    .option("--epoch <n>", "the epoch")
    .run(async ({ s, out, flags }) => {
      const chain = await s.chain();
      const dao = await s.dao();
      const epoch = await epochOf(flags, chain, dao);
      const tx = await suite.reportUsage(chain, await s.signer(), dao, epoch);
      out.result(
        { epoch, result: tx.value, parts: tx.parts, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt },
        `usage of ${units.epoch(epoch, await suite.epochLengthNs(chain, dao))}: ${tx.value}${tx.parts > 1 ? ` (${tx.parts} parts)` : ""} ${txLine(tx)}`,
      );
    });
}
