// The web app (web/) end to end on the local node with the real contracts: the CLI sets up a factory, three accounts
// and a community (as its guides do) in a temporary HOME on a free port (../cli/harness.ts); `npm run web`'s server
// (web/server/serve.ts, started by ./browser.ts) builds and serves the app; Debian's Chromium, driven headless by playwright-core, signs in
// with the development sign-in, proposes adding a member, votes with both council members, executes, and sees the new
// member; one refused vote shows its ERR_ code and meaning and leaves the tally unchanged.
//
// AI_COMMONS_WEB_SCREENSHOTS=1 writes the pages' screenshots to docs/guides/web/ (docs/guides/web.md shows them);
// otherwise they are not taken.
import { request } from "node:http";
import { meaningOf } from "../../contracts/wire/errors.ts";
import { useCliEnv, setUpByCli } from "../cli/harness.ts";
import { openWeb } from "./browser.ts";

const test = useCliEnv();

test("a member signs in, proposes a member, both council members vote, it is executed; a refused vote", async (t) => {
  const { cli } = t.context;
  await setUpByCli(t, cli, [
    ["factory", "deploy"],
    ["account", "create", "alice", "--balance", "30"],
    ["account", "create", "bob", "--balance", "30"],
    ["account", "create", "carol", "--balance", "5"],
    [
      "community",
      "create",
      "acme",
      "--account",
      "alice.test.near",
      "--members",
      "alice.test.near,bob.test.near",
      "--title",
      "Acme commons",
      "--purpose",
      "Own our model",
    ],
    ["donate", "2", "-c", "acme", "--account", "alice.test.near"],
  ]);
  const dao = "acme.commons.test.near";

  const web = await openWeb(t, cli);
  const { page, errors, signIn, shot } = web;
  try {
    // the development sign-in's keys: only with its header, only for a loopback Host, only for a local account listed
    const get = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(new URL(path, web.url), { headers }, (res) => {
          let body = "";
          res.on("data", (d) => {
            body += d;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
    const dev = { "x-ai-commons-dev": "1" };
    t.is((await get("dev/key/alice.test.near", {})).status, 403);
    t.is((await get("dev/key/alice.test.near", { ...dev, host: "evil.example" })).status, 404);
    t.is((await get("dev/key/nobody.test.near", dev)).status, 404);
    t.is((await get("dev/key/..%2F..%2Fconfig", dev)).status, 404);
    t.deepEqual(JSON.parse((await get("dev/accounts", dev)).body), {
      network: "local",
      factory: "commons.test.near",
      accounts: ["alice.test.near", "bob.test.near", "carol.test.near", "commons.test.near", "test.near"],
    });
    t.regex(JSON.parse((await get("dev/key/alice.test.near", dev)).body).private_key, /^ed25519:/);
    const tNav = Date.now();
    await page.goto(web.url);
    await page.getByRole("link", { name: "acme" }).waitFor();
    const firstRender = Date.now() - tNav;
    t.log(
      `bundle ${web.bundle.map((f) => `${f.file} ${f.bytes} B (${f.gzip} B gzipped)`).join(", ")}; ` +
        `communities listed ${firstRender} ms after navigation`,
    );
    t.truthy(await page.getByText("development only").first().isVisible());

    await signIn("alice.test.near");
    await shot("communities");

    await page.getByRole("link", { name: "acme" }).click();
    await page.getByRole("heading", { name: "Acme commons" }).waitFor();
    t.regex(await page.getByTestId("members").innerText(), /alice\.test\.near[\s\S]*bob\.test\.near/);
    t.notRegex(await page.getByTestId("members").innerText(), /carol/);
    t.regex(await page.getByTestId("treasury-available").innerText(), / NEAR$/);
    await shot("community");

    // propose: a bad account id is refused in the page with the CLI's reason, before anything is sent
    await page.getByRole("link", { name: "New proposal" }).first().click();
    await page.locator("input[name=member]").fill("Carol.test.near");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await page.getByText("account ids are lower case: carol.test.near").waitFor();
    await page.locator("input[name=member]").fill("carol.test.near");
    await shot("propose");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    const dialog = page.getByRole("dialog", { name: "confirm transaction" });
    await dialog.waitFor();
    t.regex(await dialog.innerText(), /Add carol\.test\.near to the role council/);
    t.is(await page.getByTestId("tx-deposit").innerText(), "1 NEAR");
    t.is(await page.getByTestId("tx-gas").innerText(), "50.00 Tgas");
    await shot("confirm");
    await dialog.getByRole("button", { name: "Sign and send" }).click();
    await page.getByRole("heading", { name: /Proposal #0/ }).waitFor();
    t.is(await page.getByTestId("proposal-status").innerText(), "InProgress");

    const approve = async () => {
      await page.getByRole("button", { name: "Approve" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Sign and send" }).click();
    };
    await approve();
    await page.getByTestId("votes").getByText("alice.test.near").waitFor();
    const tallyAfterOne = await page.getByTestId("tally").innerText();
    t.regex(tallyAfterOne, /council: 1 yes, 0 no, 0 abstain \(more than 1\/2 of 2: 2 needed\)/);

    // refused: alice approves again; the DAO says ERR_ALREADY_VOTED, the page shows its meaning, nothing changes
    await approve();
    const refusal = page.getByRole("dialog").getByRole("alert");
    await refusal.waitFor();
    const text = await refusal.innerText();
    t.regex(text, /ERR_ALREADY_VOTED/);
    t.true(text.includes(meaningOf("ERR_ALREADY_VOTED", "community-dao")!), text);
    await shot("refused");
    await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    t.is(await page.getByTestId("tally").innerText(), tallyAfterOne);
    const onChain = await cli.view<{ status: string; rules: { approve: number }[] }>(dao, "get_proposal", { id: 0 });
    t.is(onChain.status, "InProgress");
    t.is(onChain.rules.find((r) => r.approve > 0)?.approve, 1);

    // bob approves: the proposal is approved, then executed
    await signIn("bob.test.near");
    await approve();
    await page.getByTestId("proposal-status").filter({ hasText: "Approved" }).waitFor();
    t.regex(await page.getByTestId("votes").innerText(), /alice\.test\.near Approve[\s\S]*bob\.test\.near Approve/);
    await page.getByRole("button", { name: "Execute" }).click();
    t.is(await page.getByTestId("tx-gas").innerText(), "100.00 Tgas");
    await page.getByRole("dialog").getByRole("button", { name: "Sign and send" }).click();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    await shot("proposal");

    await page.getByRole("link", { name: "‹ proposals" }).click();
    await page.getByLabel("status").selectOption("Executed");
    await page.getByRole("link", { name: /#0 Add carol\.test\.near/ }).waitFor();
    await shot("proposals");
    await page.goto(`${web.url}#/c/${dao}`);
    await page.getByTestId("members").getByText("carol.test.near").waitFor();

    // a donation (a plain transfer, as `donate`) and a delegation (as `delegate` / `undelegate`) from the home
    await signIn("alice.test.near");
    await page.goto(`${web.url}#/c/${dao}`);
    const you = page.getByTestId("membership");
    await you.locator("input[name=donation]").fill("0.5 NEAR");
    await you.getByRole("button", { name: "Review the donation" }).click();
    await you.getByText(/must be an amount of NEAR like 1\.5/).waitFor();
    await you.locator("input[name=donation]").fill("0.5");
    await you.getByRole("button", { name: "Review the donation" }).click();
    const gift = page.getByRole("dialog");
    t.regex(await gift.innerText(), /transfer to\s+acme\.commons\.test\.near/);
    t.is(await page.getByTestId("tx-deposit").innerText(), "0.5 NEAR");
    const balance = async () => BigInt((await cli.view<{ balance: string }>(dao, "get_treasury")).balance);
    const before = await balance();
    await gift.getByRole("button", { name: "Sign and send" }).click();
    await gift.waitFor({ state: "detached" });
    // a transfer runs no code: the treasury grows by exactly the amount
    t.is((await balance()) - before, 500_000_000_000_000_000_000_000n);
    const delegateOf = async (account: string) =>
      (await cli.view<{ delegate: string | null }>(dao, "get_member", { account_id: account })).delegate;
    // refused by the DAO: delegating to an account that is not a member; nothing changes
    await you.locator("input[name=delegateTo]").fill("zed.test.near");
    await you.getByRole("button", { name: "Review the delegation" }).click();
    t.is(await page.getByTestId("tx-deposit").innerText(), "0.01 NEAR");
    t.is(await page.getByTestId("tx-gas").innerText(), "30.00 Tgas");
    await page.getByRole("dialog").getByRole("button", { name: "Sign and send" }).click();
    const notMember = page.getByRole("dialog").getByRole("alert");
    await notMember.waitFor();
    t.true((await notMember.innerText()).includes(meaningOf("ERR_NOT_A_MEMBER", "community-dao")!));
    await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
    t.is(await delegateOf("alice.test.near"), null);
    await you.locator("input[name=delegateTo]").fill("bob.test.near");
    await you.getByRole("button", { name: "Review the delegation" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Sign and send" }).click();
    await you.getByText(/You delegate your vote to bob\.test\.near/).waitFor();
    t.is(await delegateOf("alice.test.near"), "bob.test.near");
    await you.getByRole("button", { name: "Undelegate" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Sign and send" }).click();
    await you.locator("input[name=delegateTo]").waitFor();
    t.is(await delegateOf("alice.test.near"), null);

    // a transfer: the amount is checked as the CLI checks --amount; the dialog shows it in NEAR; cancelled here
    await page.getByRole("link", { name: "New proposal" }).first().click();
    await page.getByLabel("kind").selectOption("transfer");
    await page.locator("input[name=to]").fill("bob.test.near");
    await page.locator("input[name=amount]").fill("0.5 NEAR");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await page.getByText("must be an amount of NEAR like 1.5 (digits, at most 24 decimals, no unit)").waitFor();
    await page.locator("input[name=amount]").fill("0.5");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(await page.getByRole("dialog").innerText(), /Transfer 0\.5 NEAR from the treasury to bob\.test\.near/);
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    t.is((await cli.view<{ last_proposal_id: number }>(dao, "get_info")).last_proposal_id, 1);

    // testnet: no development sign-in; "Connect a wallet" opens Wallet Selector's modal, and MyNearWallet picked there
    // its login. Nothing leaves the machine: every https request of the browser is answered here by a stub page.
    await web.browser.route(
      (url) => url.protocol === "https:",
      (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<title>stub</title>" }),
    );
    await page.getByLabel("network").selectOption("testnet");
    await page.getByRole("button", { name: "Connect a wallet" }).waitFor();
    t.is(await page.getByText("development only").count(), 0);
    t.is(await page.getByLabel("local account").count(), 0);
    await page.getByRole("button", { name: "Connect a wallet" }).click();
    const modal = page.locator(".nws-modal-wrapper.open");
    await modal.getByRole("heading", { name: "Connect Your Wallet" }).waitFor();
    const myNearWallet = modal.locator("li.single-wallet").filter({ hasText: "MyNearWallet" });
    await myNearWallet.waitFor();
    // the modal's own stylesheet applies (the app adds it, less its Google Fonts @import)
    t.is(await page.locator(".nws-modal-wrapper").evaluate((e) => getComputedStyle(e).position), "fixed");
    const styles = await page.evaluate(() =>
      Array.from(document.querySelectorAll("style"), (s) => s.textContent ?? ""),
    );
    t.is(styles.filter((s) => s.includes(".nws-modal-wrapper")).length, 1);
    t.false(styles.some((s) => s.includes("fonts.googleapis.com")));
    // the modal's opening animation ends before the screenshot
    await page.waitForTimeout(400);
    await shot("wallet");
    const popup = web.browser.waitForEvent("page");
    await myNearWallet.click();
    const wallet = await popup;
    await wallet.waitForURL(/^https:\/\/testnet\.mynearwallet\.com\//, { waitUntil: "commit" });
    t.regex(wallet.url(), /\/login/);
    t.deepEqual(errors, []);
    t.log(`the web flow: ${((Date.now() - tNav) / 1000).toFixed(1)} s`);
  } finally {
    await web.close();
  }
});
