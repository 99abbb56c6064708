// Attested inference: `attester keygen` (a receipt-signing key), `attester release-bond` (a removed attester's bond
// back), `attest` (run the active model, sign receipts and
// submit them to the verifier), `verify` (a user's check of a receipt, and of two attesters' receipts against each
// other) and `usage report` (the verifier reports an epoch's usage to the reward pool).
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Account } from "near-api-js";
import { AttesterError } from "../../../attester/src/errors.ts";
import { type CheckResult, pickReceipt, type Verdict } from "../../../attester/src/verify.ts";
import type { CliCommand, Flags } from "../command.ts";
import { collect, int, str } from "../command.ts";
import { projectRoot } from "../context.ts";
import { CliError, Printed } from "../errors.ts";
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

  attester
    .leaf(
      "release-bond <attester>",
      "a removed attester's bond back to whoever posted it, once its challenge window has passed (anyone may send it)",
    )
    .community()
    .run(async ({ s, out, args }) => {
      const [id] = args as string[];
      const r = await suite.releaseBond(await s.chain(), await s.signer(), await s.dao(), id);
      out.result(r, `${units.near(r.amount)} of ${id}'s bond released to ${r.to} (${units.txRef(r.tx_hash)})`);
    });

  attester
    .leaf(
      "serve",
      "run the attester as an HTTP service: private inference, a durable receipt outbox, batched submission",
    )
    .community()
    .option("--config <json-file>", "the service's settings (attester/README.md); AI_COMMONS_ATTESTER_* override them")
    .option("--model-file <path>", "a model's weights file (train --out), loaded when it is the active model's")
    .option(
      "--weights-dir <dir>",
      "a directory of weights files: the one whose sha256 is the active model's is loaded, and reloaded on a switch",
    )
    .option("--follow-interval <ms>", "how often the verifier's active model is checked (default 3000)")
    .option("--key <file>", "the attester's key (attester keygen)")
    .option("--attester <account>", "the attester's account, as added by the DAO")
    .option("--host <host>", "the address to listen on (default 127.0.0.1)")
    .option("--port <port>", "the port (default 8787; 0: any free port)")
    .option("--db <db-file>", "the outbox, a SQLite file (default attester-outbox.db)")
    .option("--batch <n>", "receipts per transaction, 1..64 (default 64)")
    .option("--no-submit", "only sign and store receipts (another relayer submits them)")
    .run(async ({ s, out, flags }) => {
      const { checkConfig, mergeConfig } = await import("../../../attester/src/service/config.ts");
      const { startService } = await import("../../../attester/src/service/index.ts");
      const port = str(flags, "port");
      const batch = str(flags, "batch");
      const follow = str(flags, "follow-interval");
      const cfg = mergeConfig(str(flags, "config"), {
        model_file: str(flags, "model-file"),
        weights_dir: str(flags, "weights-dir"),
        follow_interval_ms: follow === undefined ? undefined : int(follow, "--follow-interval"),
        key_file: str(flags, "key"),
        attester_id: str(flags, "attester"),
        host: str(flags, "host"),
        port: port === undefined ? undefined : int(port, "--port"),
        db_path: str(flags, "db"),
        batch_size: batch === undefined ? undefined : int(batch, "--batch"),
        submit: flags["no-submit"] === true ? false : undefined,
      });
      // what the configuration leaves out comes from the command line's network, community and --account
      if (!cfg.node_url) cfg.node_url = (await s.chain()).url;
      if (!cfg.community) cfg.community = await s.dao();
      if (!cfg.verifier_id) cfg.verifier_id = await suite.suiteContract(await s.chain(), cfg.community, suite.VERIFIER);
      cfg.model_card ??= join(projectRoot(), "attester", "model-card.json");
      let relayer: Account | undefined;
      if (cfg.submit !== false && !cfg.relayer_key && !cfg.relayer_key_file) {
        relayer = await s.signer();
        cfg.relayer_account = s.signerId();
      }
      const svc = await startService(checkConfig(cfg), { relayer });
      const label = (m: { model_name: string; model_version: string } | null) =>
        m ? `${m.model_name}@${m.model_version}` : null;
      const serving = svc.model
        ? label(svc.model)
        : svc.chain_model
          ? `no weights here for the active model ${label(svc.chain_model)}: /v1/infer answers 409 until they appear`
          : "the verifier has no active model: /v1/infer answers 409";
      out.result(
        {
          url: svc.url,
          model: svc.model,
          chain_model: svc.chain_model,
          next_nonce: svc.next_nonce.toString(),
          db: cfg.db_path ?? null,
        },
        `attester service on ${svc.url} (${serving}), Ctrl-C stops it`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          svc.close().then(resolve, resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });

  program
    .leaf("attest", "answer texts with the active model, sign one receipt each and submit them (as the relayer)")
    .community()
    .requiredOption("--model-file <path>", "the active model's file (train --out)")
    .requiredOption("--key <file>", "the attester's key (attester keygen)")
    .requiredOption("--attester <account>", "the attester's account, as added by the DAO")
    .requiredOption("--text <text>", "a text to answer (repeat for more)", collect)
    .option("--salt <hex>", "the request's salt, 32 bytes as 64 hex (default: random); with one --text")
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
        salt: str(flags, "salt"),
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

  program
    .leaf("verify", "check an inference proof: commitments, the attester's key, on chain, the model then, finality")
    .community()
    .requiredOption(
      "--receipt <file>",
      "a receipt (JSON) or an answers file (attest --out); twice: both checked and compared for a conflict",
      collect,
    )
    .option("--index <n>", "which answer of an answers file (once for all files, or once per --receipt)", collect)
    .option("--input <text>", "the input you sent (default: the answers file's)")
    .option("--input-file <path>", "the input, read from a file (UTF-8, as is)")
    .option("--output <text>", "the output you got (default: the answers file's; once per --receipt)", collect)
    .option("--output-file <path>", "the output, read from a file (once per --receipt)", collect)
    .option("--salt <hex>", "the salt you chose, 32 bytes as 64 hex (default: the answers file's)")
    .option("--submit", "send the prepared challenge of a conflict (signed by --account)")
    .run(async ({ s, out, flags }) => {
      const proofs = proofsOf(flags);
      const chain = await s.chain();
      const dao = await s.dao();
      const r = await suite.checkProofs(
        chain,
        dao,
        proofs.map((p) => p.proof),
      );
      const checksOk = r.verdicts.every((v) => v.ok);
      const conflict = r.conflict?.conflict === true;
      let submitted: { result: string; tx_hash: string; gas_burnt: bigint } | null = null;
      if (flags.submit === true) {
        if (!r.challenge) throw new CliError("BAD_ARGS", "--submit sends the challenge of a conflict: none was found");
        if (!r.challenge.ok) {
          throw new CliError(r.challenge.code ?? "ERROR", `the challenge cannot be sent: ${r.challenge.detail}`);
        }
        const tx = await suite.sendChallenge(await s.signer(), r.challenge);
        submitted = { result: tx.value, tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt };
      }
      const lines: string[] = [];
      r.verdicts.forEach((v, i) => {
        lines.push(`receipt ${i + 1} (${proofs[i].source}) on ${r.verifier}:`, ...verdictLines(v));
      });
      if (r.conflict) {
        lines.push(
          conflict
            ? `conflict: ERR_CONFLICTING_RECEIPTS: ${r.conflict.detail}`
            : `no conflict between the two receipts: ${r.conflict.detail}`,
        );
      }
      const c = r.challenge;
      if (c && !c.ok) lines.push(`no challenge can be sent: ${c.code}: ${c.detail}`);
      if (c?.ok) {
        const pay =
          c.kind === "equivocation"
            ? "no deposit (an equivocation proof is free)"
            : `deposit ${units.near(c.deposit)} (dispute bond ${units.near(c.dispute_bond)} + storage, the unused part refunded)`;
        lines.push(
          `${submitted ? "challenge sent" : "challenge prepared (not sent: add --submit to send it, signed by --account)"}: ${c.detail}`,
          `  call ${c.method} on ${c.contract_id}, ${pay}, ${c.gas_tgas} Tgas, args:`,
          `  ${JSON.stringify(c.args)}`,
        );
      }
      if (submitted) lines.push(`receipt #${c?.args.receipt_id}: ${submitted.result} ${txLine(submitted)}`);
      const ok = checksOk && !conflict;
      lines.push(
        ok
          ? `verified: every check passed${r.verdicts.length > 1 ? " for both receipts" : ""}`
          : `not verified: ${failures(r.verdicts, conflict).join(", ")}`,
      );
      out.result(
        {
          ok,
          verifier: r.verifier,
          now: r.now.toString(),
          verdicts: r.verdicts,
          conflict: r.conflict && { ...r.conflict, code: conflict ? "ERR_CONFLICTING_RECEIPTS" : null },
          challenge: r.challenge,
          submitted,
        },
        lines,
      );
      if (!ok) throw new Printed(1);
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

interface Proof {
  source: string;
  proof: suite.ProofToCheck;
}

/** The i-th value of a repeatable option: its own, or the only one given. */
function nth(list: string[] | undefined, i: number, count: number, flag: string): string | undefined {
  if (!list) return undefined;
  if (list.length !== 1 && list.length !== count)
    throw new CliError("BAD_ARGS", `${flag}: once, or once per --receipt`);
  return list[list.length === 1 ? 0 : i];
}

function readText(path: string, flag: string): string {
  try {
    return readFileSync(resolve(path), "utf8");
  } catch (e) {
    throw new CliError("BAD_ARGS", `${flag}: cannot read ${resolve(path)} (${(e as Error).message})`);
  }
}

/** Each --receipt with what opens it: the flags, else what its answers file holds. */
function proofsOf(flags: Flags): Proof[] {
  const files = (flags.receipt as string[] | undefined) ?? [];
  if (files.length > 2) throw new CliError("BAD_ARGS", "verify takes one --receipt, or two to compare");
  const outputs = flags.output as string[] | undefined;
  const outputFiles = flags["output-file"] as string[] | undefined;
  if (outputs && outputFiles) throw new CliError("BAD_ARGS", "give --output or --output-file, not both");
  if (str(flags, "input") !== undefined && str(flags, "input-file") !== undefined) {
    throw new CliError("BAD_ARGS", "give --input or --input-file, not both");
  }
  return files.map((file, i) => {
    const index = nth(flags.index as string[] | undefined, i, files.length, "--index");
    let json: unknown;
    try {
      json = JSON.parse(readText(file, "--receipt"));
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError("BAD_ARGS", `--receipt ${file}: not JSON (${(e as Error).message})`);
    }
    let picked: ReturnType<typeof pickReceipt>;
    try {
      picked = pickReceipt(json, index === undefined ? undefined : int(index, "--index"));
    } catch (e) {
      if (e instanceof AttesterError) throw new CliError(e.code, `--receipt ${file}: ${e.message}`);
      throw e;
    }
    const inputFile = str(flags, "input-file");
    const outputFile = nth(outputFiles, i, files.length, "--output-file");
    const input = inputFile ? readText(inputFile, "--input-file") : (str(flags, "input") ?? picked.input);
    const output = outputFile
      ? readText(outputFile, "--output-file")
      : (nth(outputs, i, files.length, "--output") ?? picked.output);
    const salt = str(flags, "salt") ?? picked.salt;
    const missing = [
      input === undefined && "--input",
      output === undefined && "--output",
      salt === undefined && "--salt",
    ];
    const need = missing.filter((m): m is string => typeof m === "string");
    if (need.length > 0) {
      throw new CliError(
        "BAD_ARGS",
        `verify needs ${need.join(", ")}: ${file} carries no answer to open the receipt with`,
      );
    }
    return {
      source: index === undefined ? file : `${file} [${index}]`,
      proof: { receipt: picked.receipt, input: input as string, output: output as string, salt: salt as string },
    };
  });
}

const MARK = { true: "ok  ", false: "FAIL", null: "-   " } as const;

/** One line per check, with dates (units.ts) where the verdict holds times. */
function verdictLines(v: Verdict): string[] {
  const now = v.now;
  return v.checks.map((c: CheckResult) => {
    let detail = c.code ? `${c.code}: ${c.detail}` : c.detail;
    if (c.ok && c.check === "on_chain" && v.record) detail += `, accepted ${units.when(v.record.accepted_at, now)}`;
    if (c.ok && c.check === "model" && v.active_model?.since) {
      detail += ` (active since ${units.date(v.active_model.since)})`;
    }
    if (c.check === "finality" && v.final_at) {
      if (v.finality === "final") detail = `final since ${units.when(v.final_at, now)}`;
      else if (v.finality === "challengeable")
        detail = `challengeable until ${units.when(v.final_at, now)}, final then`;
    }
    return `  ${MARK[String(c.ok) as keyof typeof MARK]}  ${c.check.padEnd(9)}  ${detail}`;
  });
}

function failures(verdicts: Verdict[], conflict: boolean): string[] {
  const codes = verdicts.flatMap((v, i) =>
    v.checks.filter((c) => c.ok === false).map((c) => `${verdicts.length > 1 ? `receipt ${i + 1} ` : ""}${c.code}`),
  );
  if (conflict) codes.push("ERR_CONFLICTING_RECEIPTS");
  return codes;
}
