// A creator's own actions and the remaining proposal kinds in the web app, end to end on the local node with the real
// contracts, in Chromium at 390 x 844. The CLI only sets up a community with two council members. In the browser: a
// creator submits two datasets (the file hashed in the page; the registry's record has exactly the creators and shares
// typed, and the creator paid what the dialog showed: the 0.1 NEAR deposit less the refund, i.e. the record's storage);
// shares summing to 9,000 are refused in the page with ERR_SHARES_NOT_10000 and a duplicate id by the registry with
// ERR_DUPLICATE_VERSION, each with its meaning and nothing changed; the council admits one; the creator creates a
// manifest of it, registers a model on it (a bad weights hash refused first with ERR_INVALID_HASH) and withdraws the
// other dataset. Then a Signal and a RetireDataset are proposed, approved and executed; a role with an unknown
// permission is refused in the page with ERR_INVALID_POLICY and a good one is added and shown on the community's home;
// a FunctionCall shows its warning and an UpgradeSuite to the factory's release is proposed with that hash (its
// Execute showing the DAO's gas for it); removing a group with members is refused in the page with ERR_ROLE_NOT_EMPTY;
// the bond and voting period are changed. Every browser action is checked on chain over RPC, independently of the app.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Policy } from "../../contracts/community-dao/types.ts";
import type { DatasetRecord, ManifestRecord } from "../../contracts/wire/datasets.ts";
import { meaningOf } from "../../contracts/wire/errors.ts";
import { globalUpgradeExecuteAttach } from "../../contracts/wire/upgrade.ts";
import { RECORD_DEPOSIT } from "../../scripts/cli/registry-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import { ok, ROOT, useCliEnv, setUpByCli } from "../cli/harness.ts";
import { openWeb } from "./browser.ts";

const test = useCliEnv();
const DAO = "atelier.commons.test.near";
const DATASETS = "atelier_dataset-registry.commons.test.near";
const MODELS = "atelier_model-registry.commons.test.near";
const POEMS = "poems@1.0.0";
const SKETCHES = "sketches@1.0.0";
const MODEL = "verse@1.0.0";
const WEIGHTS = "3697afc7cbbf4ed511d4aafe97bba3a7ecdff1b7c3854102d203afa3b7bc22b6";
const DATA_FILE = join(ROOT, "data", "community-intents-a.tsv");
const CODE_FILE = join(ROOT, "attester", "src", "model.ts");
const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

interface TxStatus {
  transaction: { actions: { FunctionCall?: { deposit: string } }[] };
  transaction_outcome: { outcome: { tokens_burnt: string } };
  receipts_outcome: { outcome: { tokens_burnt: string; logs: string[] } }[];
}

test("in a browser: a creator submits, withdraws, makes a manifest and a model; Signal, RetireDataset, a role, FunctionCall and upgrade forms", async (t) => {
  const { cli } = t.context;
  const _run = async (args: string[]) => ok(t, await cli.run(args), `ai-commons ${args.join(" ")}`);
  await setUpByCli(t, cli, [
    ["factory", "deploy"],
    ["account", "create", "alice", "--balance", "30"],
    ["account", "create", "bob", "--balance", "30"],
    ["account", "create", "dave", "--balance", "10"],
    ["community", "create", "atelier", "--account", "alice.test.near", "--members", "alice.test.near,bob.test.near"],
    ["donate", "5", "-c", "atelier", "--account", "alice.test.near"],
  ]);
  const dataset = (id: string) => cli.view<DatasetRecord | null>(DATASETS, "get_dataset", { dataset_id: id });
  const slots = async () => (await cli.view<{ dataset_slots: number }>(DATASETS, "get_config")).dataset_slots;
  const lastProposal = async () => (await cli.view<{ last_proposal_id: number }>(DAO, "get_info")).last_proposal_id;
  const proposal = (id: number) =>
    cli.view<{ status: string; kind: Record<string, unknown> }>(DAO, "get_proposal", { id });

  const web = await openWeb(t, cli);
  const { page, errors, signIn, shot, dialog, send, fitsPhone } = web;
  const main = page.locator("main");
  /** both council members approve proposal `id` (shown), bob executes it: the execute dialog is left open */
  const decide = (id: number) => web.approveAndReviewExecute(id, ["alice.test.near", "bob.test.near"]);
  /** the form's refusal (an alert in the page, no dialog): its code and the catalogue's meaning */
  const refusedInPage = async (code: string, contract: string) => {
    const alert = main.getByRole("alert");
    await alert.waitFor();
    const text = await alert.innerText();
    t.regex(text, new RegExp(code));
    t.true(text.includes(meaningOf(code, contract) as string), text);
    t.is(await dialog.count(), 0);
  };
  /** waits until the input `name` holds `value` (a file hashed in the page) */
  const valueIs = (name: string, value: string) =>
    page.waitForFunction(
      ([n, v]) => (document.querySelector(`input[name=${n}]`) as HTMLInputElement | null)?.value === v,
      [name, value],
    );
  /** the submit form filled for `id` with the data file hashed in the page */
  const fillDataset = async (id: string, creators: string) => {
    await page.goto(`${web.url}#/c/${DAO}/submit-dataset`);
    await page.locator("input[name=id]").fill(id);
    await page.locator("input[name=file]").setInputFiles(DATA_FILE);
    await valueIs("sha256", sha256(readFileSync(DATA_FILE)));
    await page.locator("textarea[name=uris]").fill(`https://example.org/${id.split("@")[0]}.tsv`);
    await page.locator("input[name=license]").fill("CC0-1.0");
    await page.locator("input[name=creators]").fill(creators);
  };
  try {
    const tNav = Date.now();
    await page.goto(`${web.url}#/c/${DAO}/datasets`);
    await page.getByRole("heading", { name: "Datasets" }).waitFor();
    t.is(await page.getByRole("link", { name: "Submit a dataset" }).count(), 0, "no creator's links signed out");
    await signIn("dave.test.near");

    // refused in the page by the registry's own rule: shares summing to 9,000; nothing sent, nothing stored
    await page.getByRole("link", { name: "Submit a dataset" }).click();
    await page.getByRole("heading", { name: "Submit a dataset" }).waitFor();
    await fillDataset(POEMS, "dave.test.near:7000,alice.test.near:2000");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await refusedInPage("ERR_SHARES_NOT_10000", "dataset-registry");
    t.is(await slots(), 0);
    await fitsPhone("the submit page");
    await shot("submit-dataset");

    // submitted: the dialog shows the deposit and gas the CLI attaches
    await page.locator("input[name=creators]").fill("dave.test.near:7000, alice.test.near:3000");
    const before = BigInt((await cli.account("dave.test.near")).amount);
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(
      await dialog.innerText(),
      /Submit the dataset poems@1\.0\.0 \(0\.1 NEAR for its record; creators dave\.test\.near 70%, alice\.test\.near 30%\)/,
    );
    t.is(await page.getByTestId("tx-deposit").innerText(), units.near(RECORD_DEPOSIT));
    t.is(await page.getByTestId("tx-gas").innerText(), "30.00 Tgas");
    await send();
    await page.getByTestId("dataset-sha256").waitFor();
    const poems = await dataset(POEMS);
    t.like(poems, {
      id: POEMS,
      status: "Submitted",
      submitter: "dave.test.near",
      license: "CC0-1.0",
      content_sha256: sha256(readFileSync(DATA_FILE)),
      size_bytes: String(readFileSync(DATA_FILE).length),
      uris: ["https://example.org/poems.tsv"],
      datasheet_sha256: sha256(`datasheet of ${POEMS}`),
    });
    t.deepEqual(poems?.creators, [
      { account_id: "dave.test.near", share_bps: 7000 },
      { account_id: "alice.test.near", share_bps: 3000 },
    ]);
    // charged as shown: 0.1 NEAR attached; the registry kept the record's storage and refunded the rest, so dave paid
    // exactly that storage and the gas burnt
    const hash = /transaction (\w+)\)/.exec(await page.locator("output.notice").innerText())?.[1] as string;
    const status = (await cli.provider.viewTransactionStatus({
      txHash: hash,
      accountId: "dave.test.near",
      waitUntil: "FINAL",
    })) as unknown as TxStatus;
    t.is(status.transaction.actions[0].FunctionCall?.deposit, RECORD_DEPOSIT.toString());
    const event = status.receipts_outcome
      .flatMap((r) => r.outcome.logs)
      .map((l) => JSON.parse(l.replace(/^EVENT_JSON:/, "")) as { event: string; data: { storage_cost: string }[] })
      .find((e) => e.event === "dataset_submitted");
    const storage = BigInt(event?.data[0].storage_cost ?? "0");
    t.true(storage > 0n && storage < RECORD_DEPOSIT, `storage ${storage}`);
    const burnt = [status.transaction_outcome, ...status.receipts_outcome].reduce(
      (n, o) => n + BigInt(o.outcome.tokens_burnt),
      0n,
    );
    t.is(before - BigInt((await cli.account("dave.test.near")).amount), storage + burnt);

    // a second one, then the first id again: the registry refuses it (ERR_DUPLICATE_VERSION) and nothing changes
    await fillDataset(SKETCHES, "");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(await dialog.innerText(), /creators dave\.test\.near 100%/);
    await send();
    await page.getByTestId("dataset-sha256").waitFor();
    t.deepEqual((await dataset(SKETCHES))?.creators, [{ account_id: "dave.test.near", share_bps: 10000 }]);
    const registryBefore = await cli.view<object>(DATASETS, "get_datasets", {});
    await fillDataset(POEMS, "dave.test.near");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await send();
    const duplicate = dialog.getByRole("alert");
    await duplicate.waitFor();
    t.regex(await duplicate.innerText(), /ERR_DUPLICATE_VERSION/);
    t.true((await duplicate.innerText()).includes(meaningOf("ERR_DUPLICATE_VERSION", "dataset-registry") as string));
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
    t.deepEqual(await cli.view<object>(DATASETS, "get_datasets", {}), registryBefore);
    t.is(await slots(), 2);

    // a council member proposes admitting it; both approve, bob executes
    await signIn("alice.test.near");
    await page.goto(`${web.url}#/c/${DAO}/d/${encodeURIComponent(POEMS)}`);
    await page.getByRole("button", { name: "Propose admitting" }).click();
    await send();
    await decide(0);
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    t.is((await dataset(POEMS))?.status, "Admitted");

    // the creator makes a manifest of it (only admitted datasets are offered)
    await signIn("dave.test.near");
    await page.goto(`${web.url}#/c/${DAO}/datasets`);
    await page.getByRole("link", { name: "Create a manifest" }).click();
    await page.getByTestId("manifest-choices").getByLabel(POEMS).check();
    t.is(await page.getByTestId("manifest-choices").getByLabel(SKETCHES).count(), 0);
    await page.locator("input[name=name]").fill("poems training");
    await fitsPhone("the manifest page");
    await shot("new-manifest");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(await dialog.innerText(), /Create the training manifest “poems training” of poems@1\.0\.0/);
    t.is(await page.getByTestId("tx-deposit").innerText(), "0.1 NEAR");
    await send();
    // on to registering a model on it
    await page
      .getByTestId("manifest-found")
      .filter({ hasText: /manifest #1 “poems training” by dave\.test\.near/ })
      .waitFor();
    const manifest = await cli.view<ManifestRecord>(DATASETS, "get_manifest", { manifest_id: 1 });
    t.like(manifest, { name: "poems training", creator: "dave.test.near" });
    t.deepEqual(
      manifest.entries.map((e) => e.dataset_id),
      [POEMS],
    );

    // a model on it: a bad weights hash refused in the page first, by the registry's rule
    await page.locator("input[name=id]").fill(MODEL);
    await page.locator("input[name=weights]").fill("abc");
    await page.locator("input[name=codeFile]").setInputFiles(CODE_FILE);
    await valueIs("code", sha256(readFileSync(CODE_FILE)));
    await page.locator("input[name=creators]").fill("dave.test.near:5000,bob.test.near:5000");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await refusedInPage("ERR_INVALID_HASH", "model-registry");
    await page.locator("input[name=weights]").fill(WEIGHTS);
    await fitsPhone("the register page");
    await shot("register-model");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(
      await dialog.innerText(),
      /Register the model verse@1\.0\.0 trained on manifest #1 \(makers dave\.test\.near 50%, bob\.test\.near 50%\)/,
    );
    await send();
    await page.getByTestId("model-weights").filter({ hasText: WEIGHTS }).waitFor();
    t.like(await cli.view<object>(MODELS, "get_model", { model_id: MODEL }), {
      status: "Registered",
      registrant: "dave.test.near",
      training_manifest_id: 1,
      weights_sha256: WEIGHTS,
      training_code_sha256: sha256(readFileSync(CODE_FILE)),
      framework: "ai-commons-logreg",
      creators: [
        { account_id: "dave.test.near", share_bps: 5000 },
        { account_id: "bob.test.near", share_bps: 5000 },
      ],
    });

    // the creator withdraws the other dataset from its page
    await page.goto(`${web.url}#/c/${DAO}/d/${encodeURIComponent(SKETCHES)}`);
    await page.locator("input[name=reason]").fill("a better version is coming");
    await fitsPhone("a dataset's page with Withdraw");
    await shot("withdraw");
    await page.getByRole("button", { name: "Withdraw" }).click();
    t.regex(await dialog.innerText(), /Withdraw the dataset sketches@1\.0\.0/);
    t.is(await page.getByTestId("tx-deposit").innerText(), "0 NEAR");
    await send();
    await main.locator(".s-withdrawn").waitFor();
    t.like(await dataset(SKETCHES), { withdrawn: true, status: "Submitted" });
    t.is(await page.getByRole("button", { name: "Withdraw" }).count(), 0);

    // a Signal, proposed, approved and executed
    await signIn("alice.test.near");
    await page.goto(`${web.url}#/c/${DAO}/propose?kind=signal`);
    await page.locator("textarea[name=message]").fill("Read the spring poems together");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(await dialog.innerText(), /Propose: Signal: Read the spring poems together/);
    await send();
    await decide(1);
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    t.like(await proposal(1), {
      status: "Executed",
      kind: { kind: "Signal", message: "Read the spring poems together" },
    });

    // RetireDataset: the admitted dataset is retired
    await page.goto(`${web.url}#/c/${DAO}/propose?kind=retire-dataset`);
    await page.locator("input[name=record]").fill(POEMS);
    await page.locator("input[name=memo]").fill("superseded");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(
      await dialog.innerText(),
      /Propose: Retire the dataset poems@1\.0\.0: no new manifest may name it \(memo: superseded\)/,
    );
    await send();
    await decide(2);
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    t.is((await dataset(POEMS))?.status, "Retired");

    // a role: an unknown permission refused in the page by the DAO's own rule, then a good one executed
    await page.goto(`${web.url}#/c/${DAO}/propose?kind=add-role`);
    await page.locator("input[name=roleName]").fill("curators");
    await page.locator("input[name=permissions]").fill("admit_dataset:vote, curate:vote");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await refusedInPage("ERR_INVALID_POLICY", "community-dao");
    t.regex(await main.getByRole("alert").innerText(), /permission curate:vote/);
    t.is(await lastProposal(), 3);
    await fitsPhone("the role form");
    await shot("propose-role");
    await page.locator("input[name=permissions]").fill("admit_dataset:vote, admit_dataset:propose");
    t.is(await main.getByRole("alert").count(), 0, "an edit clears the refusal");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(
      await dialog.innerText(),
      /Propose: Add or update the role curators \(a group\) that may admit_dataset:vote, admit_dataset:propose/,
    );
    await send();
    await decide(3);
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    const policy = await cli.view<Policy>(DAO, "get_policy");
    t.deepEqual(
      policy.roles.find((r) => r.name === "curators"),
      {
        name: "curators",
        kind: "Group",
        permissions: ["admit_dataset:vote", "admit_dataset:propose"],
        vote_policy: {},
      },
    );
    await page.goto(`${web.url}#/c/${DAO}`);
    await main.getByText(/curators \(members of the role\): may admit_dataset:vote, admit_dataset:propose/).waitFor();

    // a FunctionCall shows its warning and what the DAO would call, before anything is sent
    await page.goto(`${web.url}#/c/${DAO}/propose?kind=function-call`);
    await page.getByTestId("function-call-warning").waitFor();
    await page.locator("input[name=to]").fill("bob.test.near");
    await page.locator("input[name=method]").fill("set greeting");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await main.getByText("must be a method name").waitFor();
    await page.locator("input[name=method]").fill("set_greeting");
    await page.locator("textarea[name=callArgs]").fill('{"text": "hi"}');
    await page.locator("input[name=deposit]").fill("0.5");
    await fitsPhone("the function-call form");
    await shot("propose-function-call");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(
      await dialog.innerText(),
      /Call bob\.test\.near as the DAO: set_greeting\(\{"text":"hi"\}\) with 0\.5 NEAR and 50\.00 Tgas/,
    );
    t.is(await page.getByTestId("tx-treasury").innerText(), "0.5 NEAR");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    t.is(await lastProposal(), 4);

    // an upgrade to the factory's current release of the dataset registry: proposed with that hash (global code)
    const release = await cli.view<{ sha256: string; version: string }>("commons.test.near", "get_code_info", {
      name: "dataset-registry",
    });
    await page.goto(`${web.url}#/c/${DAO}/propose?kind=upgrade`);
    await page.getByLabel("contract", { exact: true }).selectOption("dataset-registry");
    await page.getByTestId("release").filter({ hasText: release.sha256 }).waitFor();
    await fitsPhone("the upgrade form");
    await shot("propose-upgrade");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(await dialog.innerText(), new RegExp(`Upgrade dataset-registry to the global code ${release.sha256}`));
    await send();
    await page.getByRole("heading", { name: /Proposal #4/ }).waitFor();
    await fitsPhone("an upgrade's proposal");
    t.deepEqual((await proposal(4)).kind, {
      kind: "UpgradeSuite",
      contract: "dataset-registry",
      hash: release.sha256,
      global: true,
    });
    // approved, its Execute attaches the DAO's own figure for a switch to global code (not sent here)
    await decide(4);
    t.is(await page.getByTestId("tx-gas").innerText(), units.tgas(globalUpgradeExecuteAttach()));
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });

    // a group that still has members cannot be removed: refused in the page by the DAO's rule
    await page.goto(`${web.url}#/c/${DAO}/propose?kind=remove-role`);
    await page.getByLabel("role to remove").selectOption("council");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await refusedInPage("ERR_ROLE_NOT_EMPTY", "community-dao");
    t.is(await lastProposal(), 5);

    // the bond and the voting period changed (empty timelock kept), executed and shown on the community's home
    await page.goto(`${web.url}#/c/${DAO}/propose?kind=update-parameters`);
    await page.locator("input[name=bondParam]").fill("2");
    await page.locator("input[name=periodHours]").fill("48");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(await dialog.innerText(), /Propose: Change the proposal bond to 2 NEAR, the voting period to 2 days/);
    await send();
    await decide(5);
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    t.deepEqual((await cli.view<Policy>(DAO, "get_policy")).parameters, {
      proposal_bond: (2n * 10n ** 24n).toString(),
      proposal_period: (48n * 3600n * 10n ** 9n).toString(),
      timelock: "0",
    });
    await page.goto(`${web.url}#/c/${DAO}`);
    await main.getByText(/Proposal bond 2 NEAR/).waitFor();

    t.deepEqual(errors, []);
    t.log(`the web flow: ${((Date.now() - tNav) / 1000).toFixed(1)} s`);
  } finally {
    await web.close();
  }
});
