// The web app's inference page and the community's events feed, end to end on the local node with the real contracts.
// Set-up by the guides (docs/guides/curate-datasets.md, train-and-activate-a-model.md, attest-inferences.md: the DAO
// bonds att.test.near, whose key signs three receipts of the active model, relayed by the CLI's `attest`), then the
// DAO voids receipt #1 (a FunctionCall proposal to void_receipt). In Chromium at 390 x 844: the attester's bond and
// status and the receipts (status, proof hash) as the verifier's views give them, receipt #1 Voided; usage per epoch
// as get_epoch_usage counts it; Report usage refused before the challenge window passed (ERR_EPOCH_NOT_FINAL with its
// meaning, the verifier and the pool unchanged), then, with the chain fast-forwarded, sent with the CLI's deposit and
// gas and the epoch Reported in the verifier and recorded in the pool, and closed there; the community's home lists
// the events of all this (proposal_created, vote_cast, receipts_accepted, receipt_voided, usage_reported,
// epoch_closed) with their data, scanning older blocks on demand; an honest answer verified in the page and the same
// answer with another output refused (ERR_OUTPUT_MISMATCH); a dispute opened from the page; the disputed
// attester removed by the council: its bond shown held while the dispute is open, then locked until one challenge
// window after the removal (bondUnlockNs), then released from the page by anyone to the DAO (exactly the bond).
// Every browser action is checked over RPC.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DISPUTE_STORAGE_MARGIN } from "../../attester/src/verify.ts";
import { commitOutput, signReceipt } from "../../attester/src/receipt.ts";
import type { Attester, EpochUsage, ReceiptRecord } from "../../contracts/inference-verifier/types.ts";
import { meaningOf } from "../../contracts/wire/errors.ts";
import type { UsageReportPart } from "../../contracts/wire/usage-report.ts";
import { CLOSE_EPOCH_DEPOSIT } from "../../scripts/cli/reward-pool-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import { REPORT_USAGE_GAS, reportUsageDeposit } from "../../scripts/cli/verifier-calls.ts";
import { ok, useCliEnv } from "../cli/harness.ts";
import { type Answer, ATTESTER, daoCall, pass, runGuide, savedAccount, VERIFIER } from "../cli/service.ts";
import { capturePage, openWeb } from "./browser.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";
import { challengeWindowEnd, challengeWindowOf } from "../../contracts/wire/receipt.ts";
import { bondUnlockNs } from "../../contracts/wire/verifier-settings.ts";

const test = useCliEnv();
const DAO = "coop.commons.test.near";
const POOL = "coop_reward-pool.commons.test.near";
const VOID_REASON = "inference web test";

/** the pool's get_epoch (contracts/reward-pool/types.ts EpochRecord, whose imports nodenext cannot resolve) */
interface EpochRecord {
  status: string;
  total_receipts: number;
  reports: number;
  parts: number;
  budget: string;
  distributed: string;
}

test("in a browser: attesters, receipts (one voided), usage per epoch refused then reported and closed, a dispute; the events feed", async (t) => {
  const { cli } = t.context;
  const t0 = Date.now();
  await runGuide(t, "curate-datasets.md");
  await runGuide(t, "train-and-activate-a-model.md");
  await runGuide(t, "attest-inferences.md");
  await daoCall(t, "void_receipt", { receipt_id: 1, reason: VOID_REASON });
  t.log(`set-up by the CLI: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const receipt = (id: number) => cli.view<ReceiptRecord>(VERIFIER, "get_receipt", { receipt_id: id });
  const epochUsage = (epoch: number) => cli.view<EpochUsage | null>(VERIFIER, "get_epoch_usage", { epoch });
  const poolEpoch = (epoch: number) => cli.view<EpochRecord | null>(POOL, "get_epoch", { epoch });
  const voidProposal = (await cli.view<{ last_proposal_id: number }>(DAO, "get_info")).last_proposal_id - 1;

  const web = await openWeb(t, cli);
  const { page, errors, signIn, shot, dialog, send, fitsPhone } = web;
  try {
    const tNav = Date.now();
    await page.goto(`${web.url}#/c/${DAO}`);
    // one more receipt now, in an epoch whose challenge window is minutes away (a report of it is refused below)
    ok(
      t,
      await cli.run([
        "attest",
        ...["--model-file", join(cli.home, "model.aicm"), "--key", join(cli.home, "attester-key.json")],
        ...[
          "--attester",
          ATTESTER,
          "--text",
          "is the budget vote open",
          "-c",
          "coop",
          "--account",
          "relayer.test.near",
        ],
      ]),
      "attest",
    );
    await signIn("relayer.test.near");
    await page.getByRole("link", { name: "Inference" }).click();

    // the attester as the verifier holds it: its bond (posted by the DAO), status and counts
    const att = await cli.view<Attester>(VERIFIER, "get_attester", { attester_id: ATTESTER });
    const card = page.getByTestId(`attester-${ATTESTER}`);
    await card.waitFor();
    t.is(await card.getByTestId("attester-bond").innerText(), units.near(att.bond));
    t.is(await card.getByTestId("attester-status").innerText(), att.status);
    t.regex(await card.innerText(), new RegExp(`posted by ${DAO.replaceAll(".", "\\.")}\\) · 4 receipts, 1 voided`));
    t.is(att.status, "Active");
    t.is(att.voided, 1);

    // the receipts newest first, each with its status and proof hash as on chain; #1 voided by the DAO
    t.deepEqual(
      (await page.getByTestId("receipts").locator(":scope > li").allInnerTexts()).map((s) => s.split(" ")[0]),
      ["#3", "#2", "#1", "#0"],
    );
    for (const id of [0, 1, 2, 3]) {
      const r = await receipt(id);
      const li = page.getByTestId(`receipt-${id}`);
      t.is(await li.getByTestId("receipt-status").innerText(), r.status);
      t.is(await li.getByTestId("receipt-hash").innerText(), r.hash);
      t.regex(await li.innerText(), new RegExp(`${r.model_name}@${r.model_version}`));
    }
    t.is((await receipt(1)).status, "Voided");
    t.is(await page.getByTestId("receipt-1").getByTestId("receipt-status").innerText(), "Voided");

    // usage per epoch: what get_epoch_usage counts (the voided receipt not among them), nothing in the pool yet
    const epoch = (await receipt(0)).epoch;
    const usage = (await epochUsage(epoch)) as EpochUsage;
    const counted = Object.values(usage.models).reduce((s, m) => s + m.receipts, 0);
    const epochCard = page.getByTestId(`epoch-${epoch}`);
    t.is(await epochCard.getByTestId("epoch-verifier").innerText(), `verifier: Open, ${counted} receipts`);
    for (const [model, m] of Object.entries(usage.models)) {
      t.is(
        await epochCard.getByTestId(`epoch-model-${model}`).innerText(),
        `${model}: ${m.receipts} · ${Object.entries(m.by_attester)
          .map(([a, n]) => `${a} ${n}`)
          .join(", ")}`,
      );
    }
    t.is(await epochCard.getByTestId("epoch-pool").innerText(), "reward pool: nothing reported yet");
    await fitsPhone("the inference page");
    await shot("inference");

    // refused: a report of the newest receipt's epoch before its challenge window has passed; the verifier's code
    // and meaning, nothing changes
    const late = (await receipt(3)).epoch;
    const lateUsage = await epochUsage(late);
    await page.getByTestId(`epoch-${late}`).getByRole("button", { name: "Report usage" }).click();
    await send();
    const refusal = dialog.getByRole("alert");
    await refusal.waitFor();
    const text = await refusal.innerText();
    t.regex(text, /ERR_EPOCH_NOT_FINAL/);
    t.true(text.includes(meaningOf("ERR_EPOCH_NOT_FINAL", "inference-verifier")!), text);
    await shot("report-refused");
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
    t.deepEqual(await epochUsage(late), lateUsage);
    t.is(await poolEpoch(late), null);
    t.deepEqual(await epochUsage(epoch), usage);

    // the first epoch, past its window (the chain fast-forwarded): the report with the CLI's deposit and gas; the verifier says Reported, the pool has it
    ok(t, await cli.run(["node", "fast-forward", "200"]), "node fast-forward");
    // a reload signs out (the development sign-in is kept in memory only)
    await page.reload();
    await signIn("relayer.test.near");
    await epochCard.waitFor();
    const preview = await cli.view<UsageReportPart[]>(VERIFIER, "preview_usage_report", { epoch });
    await epochCard.getByRole("button", { name: "Report usage" }).click();
    t.is(await page.getByTestId("tx-deposit").innerText(), units.near(reportUsageDeposit(usage, preview)));
    t.is(await page.getByTestId("tx-gas").innerText(), units.tgas(REPORT_USAGE_GAS));
    await send();
    await epochCard.getByTestId("epoch-verifier").filter({ hasText: "Reported" }).waitFor();
    t.is((await epochUsage(epoch))?.status, "Reported");
    const reported = (await poolEpoch(epoch)) as EpochRecord;
    t.like(reported, { status: "Open", total_receipts: counted, reports: 1, parts: 1 });
    t.is(
      await epochCard.getByTestId("epoch-pool").innerText(),
      `reward pool: Open, ${counted} receipts reported (parts 1 of 1)`,
    );
    // and closed in the pool, as `epoch close` sends it
    await epochCard.getByRole("button", { name: "Close the epoch" }).click();
    t.is(await page.getByTestId("tx-deposit").innerText(), units.near(CLOSE_EPOCH_DEPOSIT));
    await send();
    await epochCard.getByTestId("epoch-pool").filter({ hasText: "Closed" }).waitFor();
    const closed = (await poolEpoch(epoch)) as EpochRecord;
    t.is(closed.status, "Closed");
    t.regex(await epochCard.getByTestId("epoch-pool").innerText(), new RegExp(`budget ${units.near(closed.budget)}`));
    t.is(await epochCard.getByRole("button", { name: "Report usage" }).count(), 0);

    // the events feed on the home: the newest blocks first, older ones on demand, each event with its data
    await page.getByRole("link", { name: "‹ community" }).click();
    const events = page.getByTestId("events");
    await page
      .getByTestId("events-progress")
      .filter({ hasText: /scanned blocks \d+–\d+/ })
      .waitFor();
    await events.getByTestId("event-epoch_closed").first().waitFor();
    t.regex(
      await events.getByTestId("event-epoch_closed").first().innerText(),
      new RegExp(`epoch ${epoch} closed: ${units.near(closed.distributed)} of ${units.near(closed.budget)} allocated`),
    );
    t.regex(
      await events.getByTestId("event-usage_reported").first().innerText(),
      new RegExp(
        `epoch ${epoch}'s usage reported to ${POOL}: ${counted} receipts over 1 model\\(s\\)[\\s\\S]*signed by relayer\\.test\\.near · block \\d+`,
      ),
    );
    // the pool's event of the same name: one part of the report recorded
    t.regex(
      await events.getByTestId("event-usage_reported").nth(1).innerText(),
      new RegExp(
        `the pool recorded part 1 of 1 of epoch ${epoch}'s usage: ${counted} receipts over 1 model\\(s\\), the report complete[\\s\\S]*by ${POOL}`,
      ),
    );
    await events.getByTestId("event-epoch_closed").first().scrollIntoViewIfNeeded();
    await shot("events");
    // older blocks: until the first receipts are in the feed (a page of 200 blocks a click)
    for (let i = 0; i < 20 && (await events.getByTestId("event-receipts_accepted").count()) < 4; i++) {
      await page.getByRole("button", { name: /^Load older/ }).click();
      await page
        .getByRole("button", { name: /^Load older/ })
        .and(page.locator(":enabled"))
        .waitFor({ timeout: 60_000 });
    }
    const accepted = await events.getByTestId("event-receipts_accepted").allInnerTexts();
    t.is(accepted.length, 4);
    for (const [i, id] of [3, 2, 1, 0].entries()) {
      const r = await receipt(id);
      t.true(
        accepted[i].startsWith(`receipt #${id} of ${ATTESTER} accepted (nonce ${r.nonce}, hash ${r.hash})`),
        accepted[i],
      );
    }
    t.regex(
      await events.getByTestId("event-receipt_voided").first().innerText(),
      new RegExp(`receipt #1 of ${ATTESTER} voided \\(dao: ${VOID_REASON}\\)`),
    );
    const votes = await events.getByTestId("event-vote_cast").allInnerTexts();
    t.true(votes[0].startsWith(`bob.test.near voted Approve on proposal #${voidProposal}`), votes[0]);
    t.true(votes[1].startsWith(`alice.test.near voted Approve on proposal #${voidProposal}`), votes[1]);
    const created = await events.getByTestId("event-proposal_created").first().innerText();
    t.true(created.startsWith(`alice.test.near proposed #${voidProposal} (FunctionCall`), created);
    await fitsPhone("the community's home with its events");

    // a dispute: a second attester (bonded by the DAO) signs another output for an input att answered; the relayer
    // submits it. Pasting one receipt twice is refused in the page (ERR_NOT_CONFLICTING, nothing sent); the pair is
    // sent with the dispute bond and its storage, as `verify --submit` prepares it, and the receipt is Disputed
    const run = async (args: string[]) => ok(t, await cli.run(args), `ai-commons ${args.join(" ")}`);
    await run(["account", "create", "att2"]);
    await run(["attester", "keygen", "--out", join(cli.home, "att2-key.json")]);
    await pass(t, ["add-attester", "--attester", "att2.test.near", "--public-key", join(cli.home, "att2-key.json")]);
    await run([
      "attest",
      ...["--model-file", join(cli.home, "model.aicm"), "--key", join(cli.home, "attester-key.json")],
      ...["--attester", ATTESTER, "--text", "the council should vote on the treasury budget"],
      ...["--out", join(cli.home, "honest.json"), "-c", "coop", "--account", "relayer.test.near"],
    ]);
    const honest = (JSON.parse(readFileSync(join(cli.home, "honest.json"), "utf8")) as Answer[])[0];
    const key2 = JSON.parse(readFileSync(join(cli.home, "att2-key.json"), "utf8")) as { private_key: string };
    const { signature: _s, recovery_id: _r, ...unsigned } = honest.receipt;
    const now = (await cli.provider.viewBlock({ finality: "optimistic" })).header.timestamp_nanosec;
    const wrong = signReceipt(
      VERIFIER,
      {
        ...unsigned,
        output_sha256: commitOutput(Uint8Array.from(Buffer.from(honest.salt, "hex")), "rewards"),
        attester_id: "att2.test.near",
        nonce: "1",
        timestamp: String(now),
      },
      key2.private_key,
    );
    await savedAccount(t, "relayer.test.near").callFunctionRaw({
      contractId: VERIFIER,
      methodName: "submit_receipt",
      args: { receipt: wrong },
      gas: 100n * 10n ** 12n,
      deposit: RECEIPT_STORAGE_DEPOSIT,
    });
    const wrongRecord = await cli.view<ReceiptRecord>(VERIFIER, "get_receipt_by_nonce", {
      attester_id: "att2.test.near",
      nonce: "1",
    });
    await page.getByRole("link", { name: "Inference" }).click();
    await page.getByTestId(`receipt-${wrongRecord.id}`).waitFor();
    await page.getByText("Challenge a receipt").click();
    await page.locator("textarea[name=challenged]").fill(JSON.stringify(honest));
    await page.locator("textarea[name=conflicting]").fill(JSON.stringify(honest));
    await page.getByRole("button", { name: "Review the challenge" }).click();
    const same = page.locator("main").getByRole("alert");
    await same.waitFor();
    t.regex(await same.innerText(), /ERR_NOT_CONFLICTING/);
    t.true((await same.innerText()).includes(meaningOf("ERR_NOT_CONFLICTING", "inference-verifier")!));
    t.is(await dialog.count(), 0);
    await page.locator("textarea[name=challenged]").fill(JSON.stringify(wrong));
    await page.getByRole("button", { name: "Review the challenge" }).click();
    await dialog.waitFor();
    const settings = (await cli.view<{ settings: { dispute_bond: string } }>(VERIFIER, "get_config")).settings;
    t.regex(await dialog.innerText(), new RegExp(`Challenge receipt #${wrongRecord.id}: `));
    t.is(
      await page.getByTestId("tx-deposit").innerText(),
      units.near(BigInt(settings.dispute_bond) + DISPUTE_STORAGE_MARGIN),
    );
    await send();
    const disputed = page.getByTestId(`receipt-${wrongRecord.id}`);
    await disputed.getByTestId("receipt-status").filter({ hasText: "Disputed" }).waitFor();
    t.is((await receipt(wrongRecord.id)).status, "Disputed");
    t.like(await cli.view<object>(VERIFIER, "get_dispute", { receipt_id: wrongRecord.id }), {
      challenger: "relayer.test.near",
      conflicting_attester_id: ATTESTER,
      bond: settings.dispute_bond,
    });
    t.regex(
      await disputed.getByTestId("dispute").innerText(),
      new RegExp(
        `disputed by relayer\\.test\\.near .* \\(bond ${units.near(settings.dispute_bond)}\\): another receipt of ${ATTESTER}`,
      ),
    );
    t.is(await page.getByTestId("attester-att2.test.near").getByTestId("attester-status").innerText(), "Active");
    t.regex(await page.getByTestId("attester-att2.test.near").innerText(), /1 open dispute\(s\)/);
    // an accepted receipt shows the end of its window by the verifier's rule (challengeWindowEnd)
    const honestRecord = await cli.view<ReceiptRecord>(VERIFIER, "get_receipt_by_nonce", {
      attester_id: ATTESTER,
      nonce: honest.receipt.nonce,
    });
    const config = await cli.view<{ settings: { challenge_window_ns: string }; challenges_closed_before_ns: string }>(
      VERIFIER,
      "get_config",
    );
    const end = challengeWindowEnd(BigInt(honestRecord.accepted_at), challengeWindowOf(config));
    t.true(
      (await page.getByTestId(`receipt-${honestRecord.id}`).innerText()).includes(
        `challengeable until ${units.date(end)}`,
      ),
    );
    // anyone verifies an answer in the page, as `ai-commons verify` does: the honest one is the community's model's
    // answer, held by the verifier; the same answer with another output is not (its commitment does not open)
    const verify = page.getByTestId("verify-answer");
    const verdictOf = async (answer: unknown) => {
      await verify.locator("summary").click();
      await verify.locator("textarea[name=answer]").fill(JSON.stringify(answer));
      await verify.getByRole("button", { name: "Verify" }).click();
      const summary = verify.getByTestId("verdict-summary");
      await summary.waitFor();
      const out = {
        summary: await summary.innerText(),
        signature: await verify.getByTestId("check-signature").innerText(),
      };
      await verify.locator("summary").click();
      return out;
    };
    const verified = await verdictOf(honest);
    t.is(
      verified.summary,
      `Verified: receipt #${honestRecord.id} of ${ATTESTER}, challengeable until ${units.date(end)}`,
    );
    t.regex(verified.signature, /^✓ signature: /);
    const tampered = await verdictOf({ ...honest, output: "rewards" });
    t.is(tampered.summary, "Not verified: ERR_OUTPUT_MISMATCH");
    // the receipt itself is genuine: only the output claimed with it is not what it committed to
    t.regex(tampered.signature, /^✓ signature: /);
    await fitsPhone("the inference page with a dispute");
    await shot("dispute");
    // and on the home, the newest event
    await page.getByRole("link", { name: "‹ community" }).click();
    await events.getByTestId("event-dispute_opened").waitFor();
    t.true(
      (await events.getByTestId("event-dispute_opened").innerText()).startsWith(
        `relayer.test.near disputed receipt #${wrongRecord.id} of att2.test.near (bond ${units.near(settings.dispute_bond)})`,
      ),
    );

    // att2 removed by the council: its bond is held while the dispute on its receipt is open, then (the dispute
    // upheld without a slash) locked for one challenge window after the removal, then anyone sends it back to the DAO
    await pass(t, ["remove-attester", "--attester", "att2.test.near"]);
    const att2 = () => cli.view<Attester>(VERIFIER, "get_attester", { attester_id: "att2.test.near" });
    const release = () => page.getByTestId("attester-att2.test.near").getByTestId("bond-release");
    await page.getByRole("link", { name: "Inference" }).click();
    await release().filter({ hasText: "held while disputes" }).waitFor();
    // the dispute's card proposes both outcomes (the relayer proposes; the policy lets anyone): dismissing it is a
    // FunctionCall to dismiss_dispute, upholding it VoidReceipt; the council approves the latter
    const proposeFromCard = async (button: string): Promise<number> => {
      await page.getByTestId(`receipt-${wrongRecord.id}`).getByRole("button", { name: button }).click();
      await dialog.waitFor();
      await send();
      await page.waitForURL(/#\/c\/[^/]+\/p\/\d+$/);
      return Number(/\/p\/(\d+)$/.exec(page.url())?.[1]);
    };
    const dismissId = await proposeFromCard("Propose dismissing it");
    const dismissal = await cli.view<{
      kind: { kind: string; receiver_id: string; actions: { method_name: string; args: string; deposit: string }[] };
    }>(DAO, "get_proposal", { id: dismissId });
    t.like(dismissal.kind, { kind: "FunctionCall", receiver_id: VERIFIER });
    t.like(dismissal.kind.actions[0], { method_name: "dismiss_dispute", deposit: "0" });
    t.deepEqual(JSON.parse(Buffer.from(dismissal.kind.actions[0].args, "base64").toString()), {
      receipt_id: wrongRecord.id,
    });
    await page.goto(`${web.url}#/c/${DAO}/inference`);
    const upholdId = await proposeFromCard("Propose upholding it");
    t.like(await cli.view<{ kind: object }>(DAO, "get_proposal", { id: upholdId }), {
      kind: { kind: "VoidReceipt", receipt_id: wrongRecord.id, reason: "dispute upheld" },
    });
    for (const who of ["alice", "bob"]) {
      ok(
        t,
        await cli.run(["vote", "approve", String(upholdId), "-c", "coop", "--account", `${who}.test.near`]),
        "vote",
      );
    }
    ok(t, await cli.run(["execute", String(upholdId), "-c", "coop", "--account", "bob.test.near"]), "execute");
    t.is((await receipt(wrongRecord.id)).status, "Voided");
    await page.goto(`${web.url}#/c/${DAO}/inference`);
    const removed = await att2();
    const window = (await cli.view<{ settings: { challenge_window_ns: string } }>(VERIFIER, "get_config")).settings;
    const unlock = bondUnlockNs(BigInt(removed.removed_at ?? "0"), BigInt(window.challenge_window_ns));
    await release()
      .filter({ hasText: `locked until ${units.date(unlock)}` })
      .waitFor();
    ok(t, await cli.run(["node", "fast-forward", "200"]), "node fast-forward");
    // anyone may send it: the relayer, signed in again (a reload signs out)
    await page.reload();
    await signIn("relayer.test.near");
    await release()
      .getByRole("button", { name: `Release the bond to ${DAO}` })
      .click();
    await dialog.waitFor();
    t.regex(await dialog.innerText(), new RegExp(`Release att2\\.test\\.near's bond of ${units.near(removed.bond)}`));
    const daoBefore = BigInt((await cli.provider.viewAccount({ accountId: DAO })).amount);
    await send();
    await release().waitFor({ state: "detached" });
    t.is((await att2()).bond, "0");
    t.is(BigInt((await cli.provider.viewAccount({ accountId: DAO })).amount) - daoBefore, BigInt(removed.bond));
    await page.getByRole("link", { name: "‹ community" }).click();
    await page.getByText("scanned blocks").first().waitFor();

    // what a failed test leaves: the page's screenshot and HTML (browser.ts capturePage, run at a failure's teardown)
    const at = await capturePage(page);
    t.true(existsSync(at.png));
    t.true(readFileSync(at.html, "utf8").includes("scanned blocks"));
    rmSync(at.dir, { recursive: true, force: true });

    t.deepEqual(errors, []);
    t.log(`the web flow: ${((Date.now() - tNav) / 1000).toFixed(1)} s`);
  } finally {
    await web.close();
  }
});
