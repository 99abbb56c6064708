// `ai-commons verify` through the real node: the attest-inferences guide's receipt verifies end to end (its "check
// the proof" command included), each tampering is caught with its code, a void and a model that was not active are
// named, and a conflict between two attesters is detected and its prepared challenge accepted by the verifier.
// Set-up: the guides before it (curate datasets, train and activate) on one local node in a temporary HOME.
import { readFileSync, writeFileSync } from "node:fs";
import type { Account } from "near-api-js";
import { commitOutput, type SignedReceipt, signReceipt } from "../../attester/src/receipt.ts";
import { NEAR, ok, useCliEnv } from "./harness.ts";
import { type Ctx, daoCall, home, pass, runGuide, savedAccount, VERIFIER } from "./service.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";

const test = useCliEnv();
const TGAS = 10n ** 12n;

interface Answer {
  input: string;
  salt: string;
  output: string;
  receipt: SignedReceipt;
}

interface Check {
  check: string;
  ok: boolean | null;
  code?: string;
}

interface Verdict {
  ok: boolean;
  checks: Check[];
  finality: string | null;
  record: { id: number } | null;
}

const answers = (t: Ctx, f: string) => JSON.parse(readFileSync(home(t, f), "utf8")) as Answer[];

async function cli(t: Ctx, args: string[]): Promise<string> {
  const r = await t.context.cli.run(args);
  ok(t, r, args.join(" "));
  return r.stdout;
}

interface VerifyOut {
  code: number | null;
  ok: boolean;
  verdicts: Verdict[];
  conflict: { conflict: boolean; kind: string | null; code: string | null } | null;
  challenge: {
    ok: boolean;
    kind: string;
    deposit: string;
    args: { receipt_id: number; conflicting: SignedReceipt };
  } | null;
  submitted: { result: string } | null;
}

/** `verify ... --json`: its exit code and result. */
async function verify(t: Ctx, args: string[]): Promise<VerifyOut> {
  const r = await t.context.cli.run(["verify", ...args, "-c", "coop", "--json"]);
  try {
    return { code: r.code, ...JSON.parse(r.stdout) } as VerifyOut;
  } catch {
    throw new Error(`verify ${args.join(" ")}: no JSON\n${r.stdout}\n${r.stderr}`);
  }
}

const failed = (v: Verdict) => v.checks.filter((c) => c.ok === false).map((c) => c.code);

/** The relayer's account, signing with the key the CLI saved in the test's HOME. */
const relayer = (t: Ctx): Account => savedAccount(t, "relayer.test.near");

async function chainNow(t: Ctx): Promise<bigint> {
  const b = (await t.context.cli.provider.viewBlock({ finality: "optimistic" })) as unknown as {
    header: { timestamp_nanosec: string };
  };
  return BigInt(b.header.timestamp_nanosec);
}

/** Another output for the same input and salt, signed by `keyFile`'s key as `attester`. */
async function lie(
  t: Ctx,
  a: Answer,
  attester: string,
  keyFile: string,
  output: string,
  nonce: string,
): Promise<Answer> {
  const key = JSON.parse(readFileSync(home(t, keyFile), "utf8")) as { private_key: string };
  const salt = Uint8Array.from(Buffer.from(a.salt, "hex"));
  const { signature: _s, recovery_id: _r, ...unsigned } = a.receipt;
  const receipt = signReceipt(
    VERIFIER,
    {
      ...unsigned,
      output_sha256: commitOutput(salt, output),
      attester_id: attester,
      nonce,
      timestamp: (await chainNow(t)).toString(),
    },
    key.private_key,
  );
  return { ...a, output, receipt };
}

const write = (t: Ctx, f: string, x: unknown) => writeFileSync(home(t, f), JSON.stringify(x));

test.serial("set-up: the guides up to attest-inferences (its check-the-proof command included)", async (t) => {
  await runGuide(t, "curate-datasets.md");
  await runGuide(t, "train-and-activate-a-model.md");
  await runGuide(t, "attest-inferences.md");
  t.is(answers(t, "answers.json").length, 3);
});

test.serial("the guide's receipt verifies: every check passes, in human terms with dates", async (t) => {
  const r = await verify(t, ["--receipt", home(t, "answers.json"), "--index", "1"]);
  t.is(r.code, 0);
  t.true(r.ok);
  const v = r.verdicts[0];
  t.deepEqual(
    v.checks.map((c) => [c.check, c.ok]),
    ["receipt", "salt", "input", "output", "community", "attester", "signature", "on_chain", "model", "finality"].map(
      (c) => [c, true],
    ),
  );
  t.is(v.record?.id, 1);
  t.true(v.finality === "challengeable" || v.finality === "final");
  // the opening given explicitly, as the user holds it
  const a = answers(t, "answers.json")[1];
  const human = await cli(t, [
    "verify",
    "--receipt",
    home(t, "answers.json"),
    "--index",
    "1",
    "--input",
    a.input,
    "--output",
    a.output,
    "--salt",
    a.salt,
    "-c",
    "coop",
  ]);
  t.regex(human, /^ {2}ok {4}on_chain {3}receipt #1, epoch \d+, accepted \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(/m);
  t.regex(human, /^ {2}ok {4}model {6}community-intents@1\.0\.0 .*active since \d{4}-\d\d-\d\d/m);
  t.regex(human, /^ {2}ok {4}finality {3}(challengeable until|final since) \d{4}-/m);
  t.regex(human, /^verified: every check passed$/m);
});

test.serial("each tampering is caught with its code", async (t) => {
  const file = home(t, "answers.json");
  const a = answers(t, "answers.json")[0];
  const cases: [string, string[], string[]][] = [
    ["other input", ["--input", "the council should vote on the treasury budget!"], ["ERR_INPUT_MISMATCH"]],
    ["other output", ["--output", a.output === "dataset" ? "model" : "dataset"], ["ERR_OUTPUT_MISMATCH"]],
    [
      "other salt",
      ["--salt", `${a.salt.slice(0, 62)}${a.salt.endsWith("00") ? "01" : "00"}`],
      ["ERR_INPUT_MISMATCH", "ERR_OUTPUT_MISMATCH"],
    ],
    ["a salt of 31 bytes", ["--salt", a.salt.slice(0, 62)], ["ERR_SALT_LENGTH"]],
  ];
  for (const [what, flags, codes] of cases) {
    const r = await verify(t, ["--receipt", file, "--index", "0", ...flags]);
    t.is(r.code, 1, what);
    t.deepEqual(failed(r.verdicts[0]), codes, what);
  }
  // a forged signature: the same receipt signed by another key (the hash on chain is the same: only the key differs)
  await cli(t, ["attester", "keygen", "--out", home(t, "forger-key.json")]);
  const forger = JSON.parse(readFileSync(home(t, "forger-key.json"), "utf8")) as { private_key: string };
  const { signature: _s, recovery_id: _r, ...unsigned } = a.receipt;
  write(t, "forged.json", { ...a, receipt: signReceipt(VERIFIER, unsigned, forger.private_key) });
  const forged = await verify(t, ["--receipt", home(t, "forged.json")]);
  t.deepEqual(failed(forged.verdicts[0]), ["ERR_BAD_SIGNATURE"]);
  // a receipt never submitted
  await cli(t, [
    "attest",
    "--model-file",
    home(t, "model.aicm"),
    "--key",
    home(t, "attester-key.json"),
    "--attester",
    "att.test.near",
    "--text",
    "who trains the next model",
    "--no-submit",
    "--out",
    home(t, "unsent.json"),
    "-c",
    "coop",
  ]);
  const unsent = await verify(t, ["--receipt", home(t, "unsent.json")]);
  t.deepEqual(failed(unsent.verdicts[0]), ["ERR_UNKNOWN_RECEIPT"]);
  t.is(unsent.verdicts[0].checks.at(-1)?.ok, null, "finality not checked off chain");
  // a receipt for a model that was registered but never active, and one for the active model with other weights
  const other = "b".repeat(64);
  await cli(t, [
    "model",
    "register",
    "community-intents@2.0.0",
    "--manifest",
    "1",
    "--weights-sha256",
    other,
    "--creators",
    "frank.test.near",
    "-c",
    "coop",
    "--account",
    "frank.test.near",
  ]);
  const key = JSON.parse(readFileSync(home(t, "attester-key.json"), "utf8")) as { private_key: string };
  const u = JSON.parse(readFileSync(home(t, "unsent.json"), "utf8"))[0] as Answer;
  const { signature: _s2, recovery_id: _r2, ...base } = u.receipt;
  write(t, "v2.json", {
    ...u,
    receipt: signReceipt(VERIFIER, { ...base, model_version: "2.0.0", weights_sha256: other }, key.private_key),
  });
  const v2 = await verify(t, ["--receipt", home(t, "v2.json")]);
  t.deepEqual(failed(v2.verdicts[0]), ["ERR_UNKNOWN_RECEIPT", "ERR_MODEL_NOT_ACTIVE"]);
  write(t, "weights.json", {
    ...u,
    receipt: signReceipt(VERIFIER, { ...base, weights_sha256: other }, key.private_key),
  });
  const weights = await verify(t, ["--receipt", home(t, "weights.json")]);
  t.deepEqual(failed(weights.verdicts[0]), ["ERR_UNKNOWN_RECEIPT", "ERR_WEIGHTS_MISMATCH"]);
  // a file that is no receipt, and an answers file without --index
  write(t, "junk.json", { receipt: { community: "coop.commons.test.near" }, input: "x", output: "y", salt: a.salt });
  t.deepEqual(failed((await verify(t, ["--receipt", home(t, "junk.json")])).verdicts[0]), ["ERR_INVALID_RECEIPT"]);
  const many = await t.context.cli.run(["verify", "--receipt", file, "-c", "coop", "--json"]);
  t.is(JSON.parse(many.stdout).error.code, "ERR_INVALID_RECEIPT");
});

test.serial("a receipt the DAO voided", async (t) => {
  await cli(t, [
    "attest",
    "--model-file",
    home(t, "model.aicm"),
    "--key",
    home(t, "attester-key.json"),
    "--attester",
    "att.test.near",
    "--text",
    "this csv file has personal data to remove",
    "--out",
    home(t, "to-void.json"),
    "-c",
    "coop",
    "--account",
    "relayer.test.near",
  ]);
  const before = await verify(t, ["--receipt", home(t, "to-void.json")]);
  t.true(before.ok);
  t.is(before.verdicts[0].finality, "challengeable");
  await daoCall(t, "void_receipt", { receipt_id: before.verdicts[0].record?.id, reason: "test" });
  const after = await verify(t, ["--receipt", home(t, "to-void.json")]);
  t.is(after.code, 1);
  t.deepEqual(failed(after.verdicts[0]), ["ERR_RECEIPT_VOIDED"]);
  t.is(after.verdicts[0].finality, "voided");
});

test.serial(
  "two attesters, one input, two outputs: the conflict and its challenge, accepted by the verifier",
  async (t) => {
    // a second attester, bonded by the DAO
    await cli(t, ["account", "create", "att2"]);
    await cli(t, ["attester", "keygen", "--out", home(t, "att2-key.json")]);
    await pass(t, ["add-attester", "--attester", "att2.test.near", "--public-key", home(t, "att2-key.json")]);
    // the honest answer, and att2's other output for the same input and salt, submitted by the relayer
    await cli(t, [
      "attest",
      "--model-file",
      home(t, "model.aicm"),
      "--key",
      home(t, "attester-key.json"),
      "--attester",
      "att.test.near",
      "--text",
      "the council should vote on the treasury budget",
      "--out",
      home(t, "honest.json"),
      "-c",
      "coop",
      "--account",
      "relayer.test.near",
    ]);
    const honest = answers(t, "honest.json")[0];
    t.is(honest.output, "governance");
    // att2 asked the same with the same salt (attest --salt) answers alike: no conflict, both verify
    const att2 = (salt: string, out: string) => [
      "attest",
      "--model-file",
      home(t, "model.aicm"),
      "--key",
      home(t, "att2-key.json"),
      "--attester",
      "att2.test.near",
      "--text",
      honest.input,
      "--salt",
      salt,
      "--out",
      home(t, out),
      "-c",
      "coop",
      "--account",
      "relayer.test.near",
    ];
    await cli(t, att2(honest.salt, "agree.json"));
    t.is(answers(t, "agree.json")[0].receipt.input_sha256, honest.receipt.input_sha256);
    const agree = await verify(t, ["--receipt", home(t, "honest.json"), "--receipt", home(t, "agree.json")]);
    t.is(agree.code, 0);
    t.true(agree.ok);
    t.like(agree.conflict, { conflict: false, code: null });
    t.is(agree.challenge, null);
    const short = await t.context.cli.run([...att2(honest.salt.slice(2), "short.json"), "--json"]);
    t.is(JSON.parse(short.stdout).error.code, "ERR_SALT_LENGTH");
    const wrong = await lie(t, honest, "att2.test.near", "att2-key.json", "rewards", "1");
    await relayer(t).callFunctionRaw({
      contractId: VERIFIER,
      methodName: "submit_receipt",
      args: { receipt: wrong.receipt },
      gas: 100n * TGAS,
      deposit: RECEIPT_STORAGE_DEPOSIT,
    });
    write(t, "wrong.json", wrong);
    // each receipt alone verifies: both are signed, on chain, for the active model
    const r = await verify(t, ["--receipt", home(t, "honest.json"), "--receipt", home(t, "wrong.json")]);
    t.deepEqual(
      r.verdicts.map((v) => v.ok),
      [true, true],
    );
    t.is(r.code, 1);
    t.false(r.ok);
    t.like(r.conflict, { kind: "dispute", code: "ERR_CONFLICTING_RECEIPTS" });
    const wrongId = r.verdicts[1].record?.id;
    t.like(r.challenge, { ok: true, kind: "dispute", deposit: (NEAR + NEAR / 10n).toString() });
    t.is(r.challenge?.args.receipt_id, wrongId);
    t.deepEqual(r.challenge?.args.conflicting, honest.receipt);
    // printed, not sent
    const human = await t.context.cli.run([
      "verify",
      "--receipt",
      home(t, "honest.json"),
      "--receipt",
      home(t, "wrong.json"),
      "-c",
      "coop",
    ]);
    t.is(human.code, 1);
    t.regex(human.stdout, /^conflict: ERR_CONFLICTING_RECEIPTS: att\.test\.near and att2\.test\.near/m);
    t.regex(human.stdout, /challenge prepared \(not sent: add --submit/);
    t.regex(
      human.stdout,
      new RegExp(`call challenge_receipt on ${VERIFIER.replace(/\./g, "\\.")}, deposit 1\\.1 NEAR`),
    );
    t.regex(human.stdout, new RegExp(`^ {2}\\{"receipt_id":${wrongId},"conflicting":\\{`, "m"));
    t.is(
      (await t.context.cli.view<{ status: string }>(VERIFIER, "get_receipt", { receipt_id: wrongId })).status,
      "Accepted",
    );
    // one attester's two outputs: an equivocation proof, free (prepared only)
    const twice = await lie(t, honest, "att.test.near", "attester-key.json", "dataset", "2");
    write(t, "twice.json", twice);
    const eq = await verify(t, ["--receipt", home(t, "twice.json"), "--receipt", home(t, "honest.json")]);
    t.like(eq.challenge, { ok: true, kind: "equivocation", deposit: "0" });
    // sent: the verifier accepts it and the receipt is disputed
    const sent = await verify(t, [
      "--receipt",
      home(t, "honest.json"),
      "--receipt",
      home(t, "wrong.json"),
      "--submit",
      "--account",
      "bob.test.near",
    ]);
    t.is(sent.submitted?.result, "Disputed");
    t.is(
      (await t.context.cli.view<{ status: string }>(VERIFIER, "get_receipt", { receipt_id: wrongId })).status,
      "Disputed",
    );
    t.like(await t.context.cli.view<object>(VERIFIER, "get_dispute", { receipt_id: wrongId }), {
      challenger: "bob.test.near",
      conflicting_attester_id: "att.test.near",
    });
    const disputed = await verify(t, ["--receipt", home(t, "wrong.json")]);
    t.deepEqual(failed(disputed.verdicts[0]), ["ERR_RECEIPT_DISPUTED"]);
    // nothing left to send
    const again = await t.context.cli.run([
      "verify",
      "--receipt",
      home(t, "honest.json"),
      "--receipt",
      home(t, "wrong.json"),
      "--submit",
      "-c",
      "coop",
      "--json",
    ]);
    t.is(JSON.parse(again.stdout).error.code, "ERR_RECEIPT_NOT_CHALLENGEABLE");
  },
);

test.serial(
  "the model check replays the registry's history: after a switch, earlier receipts still pass",
  async (t) => {
    const p = await cli(t, [
      "propose",
      "activate-model",
      "--model",
      "community-intents@2.0.0",
      "-c",
      "coop",
      "--account",
      "alice.test.near",
      "--json",
    ]);
    const id = String(JSON.parse(p).id);
    for (const who of ["alice", "bob"])
      await cli(t, ["vote", "approve", id, "-c", "coop", "--account", `${who}.test.near`]);
    await cli(t, ["execute", id, "-c", "coop", "--account", "bob.test.near"]);
    t.like(await t.context.cli.view<object>(VERIFIER, "get_active_model", {}), { model_version: "2.0.0" });
    // accepted while 1.0.0 was active: still a proof of the model the community had chosen then
    const r = await verify(t, ["--receipt", home(t, "honest.json")]);
    t.true(r.ok, JSON.stringify(r.verdicts[0].checks));
    t.regex(
      JSON.stringify(r.verdicts[0].checks.find((c) => c.check === "model")),
      /community-intents@1\.0\.0 .*active model then/,
    );
  },
);

test.serial("after the challenge window the receipt is final", async (t) => {
  await cli(t, ["node", "fast-forward", "100"]);
  const r = await verify(t, ["--receipt", home(t, "honest.json")]);
  t.true(r.ok);
  t.is(r.verdicts[0].finality, "final");
  // a 1.0.0 receipt signed well after the switch (not within the push lag): the registry's active model was 2.0.0
  write(
    t,
    "late.json",
    await lie(t, answers(t, "honest.json")[0], "att.test.near", "attester-key.json", "governance", "3"),
  );
  const late = await verify(t, ["--receipt", home(t, "late.json")]);
  t.deepEqual(failed(late.verdicts[0]), ["ERR_UNKNOWN_RECEIPT", "ERR_MODEL_NOT_ACTIVE"]);
});
