// The web app's dataset, model and reward pages end to end on the local node with the real contracts. The CLI sets
// up a community with two council members and a creator's submitted dataset (as docs/guides/curate-datasets.md does);
// in Chromium at 390 x 844 the council proposes admitting it, votes, executes and the card shows Admitted; the CLI
// names it in a manifest and registers a model on it; the model page shows the lineage model -> manifest -> dataset
// -> creators, the council proposes ActivateModel with the deposit the CLI computes (contracts/wire/activation.ts),
// executes and the model is Active; ActivateModel of an unknown model is refused with ERR_UNKNOWN_MODEL before
// anything is sent; the CLI attests two inferences and reports and closes their epoch; on the rewards
// page the model's maker registers its pool storage and claims, and a second claim with nothing left is refused with
// ERR_NOTHING_TO_CLAIM and its meaning, leaving the pool unchanged; once its creators withdraw the dataset, its page
// names the model trained on it. A second dataset is rejected with a memo on the way. Each browser action is checked on chain over RPC,
// independently of the app.
import { join } from "node:path";
import { activationDeposit, lineagePartsBound } from "../../contracts/wire/activation.ts";
import { meaningOf } from "../../contracts/wire/errors.ts";
import type { DatasetRecord } from "../../contracts/wire/datasets.ts";
import { POOL_STORAGE_DEPOSIT } from "../../scripts/cli/reward-pool-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import { ok, useCliEnv, setUpByCli } from "../cli/harness.ts";
import { openWeb } from "./browser.ts";

const test = useCliEnv();
const DAO = "lab.commons.test.near";
const DATASETS = "lab_dataset-registry.commons.test.near";
const MODELS = "lab_model-registry.commons.test.near";
const POOL = "lab_reward-pool.commons.test.near";
const DATASET = "corpus@1.0.0";
const SCRATCH = "scratch@0.1.0";
const EARLIER = Array.from({ length: 9 }, (_, i) => `earlier-${i + 1}@1.0.0`);
const MODEL = "intents@1.0.0";
const WEIGHTS = "3697afc7cbbf4ed511d4aafe97bba3a7ecdff1b7c3854102d203afa3b7bc22b6";

test("in a browser: a dataset admitted, a model's lineage and activation, a claim; an unknown model and a second claim refused", async (t) => {
  const { cli } = t.context;
  const run = async (args: string[]) => ok(t, await cli.run(args), `ai-commons ${args.join(" ")}`);
  await setUpByCli(t, cli, [
    ["factory", "deploy"],
    ["account", "create", "alice", "--balance", "30"],
    ["account", "create", "bob", "--balance", "30"],
    ["account", "create", "dave", "--balance", "5"],
    ["account", "create", "att"],
    ["account", "create", "relayer"],
    // one-minute epochs, as the guides' community (docs/guides/short-epochs.json)
    [
      "community",
      "create",
      "lab",
      "--account",
      "alice.test.near",
      "--members",
      "alice.test.near,bob.test.near",
      "--init-args",
      "docs/guides/short-epochs.json",
    ],
    ["donate", "10", "-c", "lab", "--account", "alice.test.near"],
    // nine earlier datasets, so the list has a second page (ten a page, newest first)
    ...EARLIER.map((id) => [
      "dataset",
      "submit",
      id,
      "--file",
      "data/community-intents-b.tsv",
      "--license",
      "CC0-1.0",
      "-c",
      "lab",
      "--account",
      "dave.test.near",
    ]),
    [
      "dataset",
      "submit",
      DATASET,
      "--file",
      "data/community-intents-a.tsv",
      "--license",
      "CC0-1.0",
      "--creators",
      "dave.test.near:6000,alice.test.near:4000",
      "-c",
      "lab",
      "--account",
      "dave.test.near",
    ],
    [
      "dataset",
      "submit",
      SCRATCH,
      "--file",
      "data/community-intents-b.tsv",
      "--license",
      "CC0-1.0",
      "-c",
      "lab",
      "--account",
      "dave.test.near",
    ],
  ]);
  const dataset = () => cli.view<DatasetRecord>(DATASETS, "get_dataset", { dataset_id: DATASET });
  const model = () => cli.view<{ status: string }>(MODELS, "get_model", { model_id: MODEL });
  const proposal = (id: number) =>
    cli.view<{ status: string; kind: Record<string, unknown> }>(DAO, "get_proposal", { id });

  const web = await openWeb(t, cli);
  const { page, errors, signIn, shot, dialog, send, fitsPhone } = web;
  /** both council members approve proposal `id` (shown), bob executes it: the execute dialog is left open */
  const decide = (id: number) => web.approveAndReviewExecute(id, ["alice.test.near", "bob.test.near"]);
  try {
    const tNav = Date.now();
    await page.goto(`${web.url}#/c/${DAO}`);
    await signIn("alice.test.near");

    // the submitted dataset as a card: name@version, status, license, size, creators with shares, content hash
    await page.getByRole("link", { name: "Datasets" }).first().click();
    const card = page.getByTestId(`dataset-${DATASET}`);
    await card.waitFor();
    const submitted = await dataset();
    const cardText = await card.innerText();
    t.regex(cardText, /corpus@1\.0\.0\s*Submitted/);
    t.regex(cardText, new RegExp(`CC0-1\\.0 · ${Number(submitted.size_bytes).toLocaleString("en-US")} bytes`));
    t.regex(cardText, /dave\.test\.near 60%[\s\S]*alice\.test\.near 40%/);
    t.true(cardText.includes(submitted.content_sha256));
    await fitsPhone("the datasets page");
    await shot("datasets");
    // eleven datasets: the ten newest, then the first one submitted on page 2
    const cards = page.getByTestId("datasets").locator(":scope > li");
    t.is(await cards.count(), 10);
    t.is(await page.getByTestId("dataset-earlier-1@1.0.0").count(), 0);
    await page.getByText("page 1 of 2").waitFor();
    await page.getByRole("button", { name: "Next ›" }).click();
    await page.getByTestId("dataset-earlier-1@1.0.0").waitFor();
    t.is(await cards.count(), 1);
    await page.getByRole("button", { name: "‹ Previous" }).click();
    await card.waitFor();

    // its detail, and the council's proposal to admit it
    await card.getByRole("link", { name: DATASET }).click();
    await page.getByTestId("dataset-sha256").filter({ hasText: submitted.content_sha256 }).waitFor();
    t.true((await page.locator("main").innerText()).includes(submitted.uris[0]));
    t.regex(await page.getByTestId("dataset-manifests").innerText(), /^$/);
    await page.getByRole("button", { name: "Propose admitting" }).click();
    t.regex(await dialog.innerText(), /Propose: Admit the dataset corpus@1\.0\.0/);
    t.is(await page.getByTestId("tx-deposit").innerText(), "1 NEAR");
    t.is(await page.getByTestId("tx-gas").innerText(), "50.00 Tgas");
    await send();
    await decide(0);
    t.deepEqual((await proposal(0)).kind, { kind: "AdmitDataset", dataset_id: DATASET });
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    t.is((await dataset()).status, "Admitted");
    await page.goto(`${web.url}#/c/${DAO}/datasets`);
    await card.getByTestId("dataset-status").filter({ hasText: "Admitted" }).waitFor();

    // the other one is rejected, with a memo
    await page.getByTestId(`dataset-${SCRATCH}`).getByRole("link", { name: SCRATCH }).click();
    await page.locator("input[name=memo]").fill("a duplicate");
    await page.getByRole("button", { name: "Propose rejecting" }).click();
    t.regex(await dialog.innerText(), /Propose: Reject the dataset scratch@0\.1\.0 \(memo: a duplicate\)/);
    await send();
    await decide(1);
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    t.deepEqual((await proposal(1)).kind, { kind: "RejectDataset", dataset_id: SCRATCH, memo: "a duplicate" });
    t.is((await cli.view<DatasetRecord>(DATASETS, "get_dataset", { dataset_id: SCRATCH })).status, "Rejected");
    await page.goto(`${web.url}#/c/${DAO}/d/${encodeURIComponent(SCRATCH)}`);
    await page.getByTestId("dataset-status").filter({ hasText: "Rejected" }).waitFor();
    t.is(await page.getByRole("button", { name: "Propose admitting" }).count(), 0);
    await page.getByRole("link", { name: "‹ datasets" }).click();

    // a manifest names it and a model is registered on it (a creator's and a trainer's work, by the CLI)
    await run(["manifest", "create", "corpus", "--datasets", DATASET, "-c", "lab", "--account", "dave.test.near"]);
    await run([
      "model",
      "register",
      MODEL,
      "--manifest",
      "1",
      "--weights-sha256",
      WEIGHTS,
      "--creators",
      "bob.test.near:7000,dave.test.near:3000",
      "-c",
      "lab",
      "--account",
      "bob.test.near",
    ]);

    // the model as a card, then its lineage: model -> manifest -> dataset -> creators
    await page.getByRole("link", { name: "Models" }).click();
    const modelCard = page.getByTestId(`model-${MODEL}`);
    await modelCard.waitFor();
    const modelText = await modelCard.innerText();
    t.regex(modelText, /intents@1\.0\.0\s*Registered/);
    t.regex(modelText, /ai-commons-logreg · hashed-ngram-logreg-1024x4 · CC0-1\.0/);
    t.true(modelText.includes(WEIGHTS));
    t.is(await page.getByTestId("active-model").innerText(), "none");
    await fitsPhone("the models page");
    await modelCard.getByRole("link", { name: MODEL }).click();
    const lineage = page.getByTestId("lineage");
    await lineage.getByTestId(`lineage-${DATASET}`).waitFor();
    const lineageText = await lineage.innerText();
    t.regex(lineageText, /model intents@1\.0\.0, made by\s*bob\.test\.near 70%\s*dave\.test\.near 30%/);
    t.regex(lineageText, /trained on manifest #1 "corpus" by dave\.test\.near, root [0-9a-f]{64}/);
    t.regex(
      await lineage.getByTestId(`lineage-${DATASET}`).innerText(),
      /dataset corpus@1\.0\.0\s*Admitted\s*CC0-1\.0\s*dave\.test\.near 60%\s*alice\.test\.near 40%/,
    );
    await fitsPhone("the model page");
    await shot("model");

    // ActivateModel with the deposit for its first activation's lineage: 4 creator entries over 1 dataset
    const expected = activationDeposit({ entries: 4, datasets: 1, parts: lineagePartsBound(4, 1) });
    await page.getByRole("button", { name: "Propose activating" }).click();
    await dialog.waitFor();
    t.regex(await dialog.innerText(), /Propose: Activate the model intents@1\.0\.0, with .* from the treasury/);
    t.is(await page.getByTestId("tx-treasury").innerText(), units.near(expected));
    t.is(await page.getByTestId("tx-deposit").innerText(), "1 NEAR");
    await shot("activate");
    await send();
    await decide(2);
    t.deepEqual((await proposal(2)).kind, { kind: "ActivateModel", model_id: MODEL, deposit: expected.toString() });
    t.is(await page.getByTestId("tx-gas").innerText(), "240.00 Tgas");
    t.is(await page.getByTestId("tx-treasury").innerText(), units.near(expected));
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    t.is((await model()).status, "Active");
    t.like(await cli.view<object>(MODELS, "get_config"), { active_model: MODEL });
    await page.goto(`${web.url}#/c/${DAO}/models`);
    await modelCard.getByTestId("model-status").filter({ hasText: "Active" }).waitFor();
    t.is(await page.getByTestId("active-model").innerText(), MODEL);
    t.regex(await page.getByTestId("history").innerText(), /activated intents@1\.0\.0/);
    await page.goto(`${web.url}#/c/${DAO}/d/${encodeURIComponent(DATASET)}`);
    t.regex(await page.getByTestId("dataset-manifests").innerText(), /manifest #1: models intents@1\.0\.0/);

    // refused before anything is sent: ActivateModel of a model the registry does not have (as the CLI refuses it)
    await page.goto(`${web.url}#/c/${DAO}/propose`);
    await page.getByLabel("kind").selectOption("activate-model");
    await page.locator("input[name=record]").fill("Intents");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await page.getByText("must be name@version, like news-corpus@1.0.0").waitFor();
    await page.locator("input[name=record]").fill("nosuch@1.0.0");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    const unknown = page.locator("main").getByRole("alert");
    await unknown.waitFor();
    t.regex(await unknown.innerText(), /ERR_UNKNOWN_MODEL/);
    t.true((await unknown.innerText()).includes(meaningOf("ERR_UNKNOWN_MODEL", "model-registry")!));
    t.is(await dialog.count(), 0);
    t.is((await cli.view<{ last_proposal_id: number }>(DAO, "get_info")).last_proposal_id, 3);

    // usage and an epoch (docs/guides/attest-inferences.md, pay-the-creators.md, by the CLI): the DAO bonds an
    // attester and funds the pool, the attester signs two answers of the active model, the epoch is reported and closed
    const key = join(cli.home, "attester-key.json");
    const modelFile = join(cli.home, "model.aicm");
    const lab = ["-c", "lab"];
    await run(["attester", "keygen", "--out", key]);
    await run([
      "propose",
      "add-attester",
      "--attester",
      "att.test.near",
      "--public-key",
      key,
      "--bond",
      "1",
      ...lab,
      "--account",
      "alice.test.near",
    ]);
    await run(["propose", "fund-pool", "--amount", "5", ...lab, "--account", "alice.test.near"]);
    for (const id of ["3", "4"]) {
      for (const who of ["alice.test.near", "bob.test.near"])
        await run(["vote", "approve", id, ...lab, "--account", who]);
      await run(["execute", id, ...lab, "--account", "bob.test.near"]);
    }
    await run(["train", "--out", modelFile]);
    await run([
      "attest",
      "--model-file",
      modelFile,
      "--key",
      key,
      "--attester",
      "att.test.near",
      "--text",
      "when will the reward pool pay the creators",
      "--text",
      "the council should vote on the treasury budget",
      "--out",
      join(cli.home, "answers.json"),
      ...lab,
      "--account",
      "relayer.test.near",
    ]);
    await run(["node", "fast-forward", "200"]);
    await run(["usage", "report", ...lab, "--account", "relayer.test.near"]);
    await run(["epoch", "close", ...lab, "--account", "relayer.test.near"]);
    const owed = await cli.view<string>(POOL, "claimable", { account_id: "bob.test.near" });
    t.true(BigInt(owed) > 0n, `bob, the model's 70% maker, is owed ${owed}`);

    // rewards, as bob: what he can claim, no storage balance yet; he registers with the pool, then claims
    await page.goto(`${web.url}#/c/${DAO}/rewards`);
    await page.getByTestId("claimable").waitFor();
    t.is(await page.getByTestId("claimable").innerText(), units.near(owed));
    t.is(await page.getByTestId("storage-balance").innerText(), "not registered");
    t.regex(await page.getByTestId("epochs").innerText(), /Closed\s*2 receipts over 1 model\(s\); budget [\d.,]+ NEAR/);
    await page.getByRole("button", { name: "Register with the pool" }).click();
    t.is(await page.getByTestId("tx-deposit").innerText(), units.near(POOL_STORAGE_DEPOSIT));
    await send();
    await page
      .getByTestId("storage-balance")
      .filter({ hasText: /available/ })
      .waitFor();
    const storage = await cli.view<{ total: string } | null>(POOL, "storage_balance_of", {
      account_id: "bob.test.near",
    });
    t.is(storage?.total, POOL_STORAGE_DEPOSIT.toString());
    await fitsPhone("the rewards page");
    await shot("rewards");
    await page.getByRole("button", { name: "Claim" }).click();
    t.regex(
      await dialog.innerText(),
      new RegExp(`Claim ${units.near(owed)} from the reward pool to bob\\.test\\.near`),
    );
    t.is(await page.getByTestId("tx-gas").innerText(), "50.00 Tgas");
    await send();
    await page
      .getByTestId("claimable")
      .filter({ hasText: /^0 NEAR$/ })
      .waitFor();
    t.like((await cli.view<object[]>(POOL, "get_claims", {}))[0], {
      account_id: "bob.test.near",
      amount: owed,
      status: "Paid",
    });

    // refused: a second claim, with nothing left to claim; the pool's code and meaning, nothing changes
    const totals = await cli.view<object>(POOL, "get_totals");
    const balance = await cli.view<object>(POOL, "storage_balance_of", { account_id: "bob.test.near" });
    await page.getByRole("button", { name: "Claim" }).click();
    await send();
    const refusal = dialog.getByRole("alert");
    await refusal.waitFor();
    const text = await refusal.innerText();
    t.regex(text, /ERR_NOTHING_TO_CLAIM/);
    t.true(text.includes(meaningOf("ERR_NOTHING_TO_CLAIM", "reward-pool")!), text);
    await shot("claim-refused");
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
    t.deepEqual(await cli.view<object>(POOL, "get_totals"), totals);
    t.is((await cli.view<unknown[]>(POOL, "get_claims", {})).length, 1);
    t.deepEqual(await cli.view<object>(POOL, "storage_balance_of", { account_id: "bob.test.near" }), balance);
    t.is(await page.getByTestId("claimable").innerText(), "0 NEAR");

    // its creators withdraw the dataset: its page says so and names the model trained on it, its lineage too
    await run(["dataset", "withdraw", DATASET, "--reason", "consent withdrawn", ...lab, "--account", "dave.test.near"]);
    t.true((await dataset()).withdrawn);
    await page.goto(`${web.url}#/c/${DAO}/d/${encodeURIComponent(DATASET)}`);
    await page.getByTestId("taint").waitFor();
    t.regex(await page.getByTestId("dataset-manifests").innerText(), /manifest #1: models intents@1\.0\.0/);
    await shot("taint");
    await page.goto(`${web.url}#/c/${DAO}/m/${encodeURIComponent(MODEL)}`);
    t.regex(await page.getByTestId(`lineage-${DATASET}`).innerText(), /Admitted\s*withdrawn/);

    // the proposals, newest first: the two the CLI made, then the three made in the browser, all executed
    await page.goto(`${web.url}#/c/${DAO}/proposals?status=Executed`);
    await page.getByRole("link", { name: /^#0 / }).waitFor();
    t.deepEqual(
      (await page.locator("ul.cards > li > a").allInnerTexts()).map((text) => text.split(" ")[0]),
      ["#4", "#3", "#2", "#1", "#0"],
    );

    t.deepEqual(errors, []);
    t.log(`the web flow: ${((Date.now() - tNav) / 1000).toFixed(1)} s`);
  } finally {
    await web.close();
  }
});
