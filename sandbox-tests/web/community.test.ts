// The web app's community pages end to end on the local node with the real contracts. The CLI deploys a factory and
// three accounts; in Chromium at 390 x 844 alice creates a community from the browser with the deposit and gas the
// factory quotes (get_required_deposit) and watches its contracts' steps until it is Ready (the factory's record and
// the DAO's config and members checked over RPC); creating it again is refused by the factory's quote with
// ERR_NAME_TAKEN and its meaning, and nothing is sent; the council proposes and executes a ChangeConfig (a title over
// the DAO's CONFIG_MAX refused in the page first) and a RemoveMember. Each browser action is checked on chain.
import { CONFIG_MAX } from "../../contracts/wire/dao.ts";
import { meaningOf } from "../../contracts/wire/errors.ts";
import * as units from "../../scripts/cli/units.ts";
import { ok, useCliEnv } from "../cli/harness.ts";
import { openWeb } from "./browser.ts";

const test = useCliEnv();
const FACTORY = "commons.test.near";
const DAO = "coop.commons.test.near";

test("in a browser: a community created and Ready, a second creation refused; ChangeConfig and RemoveMember", async (t) => {
  const { cli } = t.context;
  const t0 = Date.now();
  for (const args of [
    ["factory", "deploy"],
    ["account", "create", "alice", "--balance", "40"],
    ["account", "create", "bob", "--balance", "30"],
    ["account", "create", "carol", "--balance", "5"],
  ]) {
    ok(t, await cli.run(args), `ai-commons ${args.join(" ")}`);
  }
  t.log(`set-up by the CLI: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const web = await openWeb(t, cli);
  const { page, errors, signIn, shot } = web;
  const dialog = page.getByRole("dialog");
  const send = () => dialog.getByRole("button", { name: "Sign and send" }).click();
  const fitsPhone = async (what: string) =>
    t.true((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, `${what} fits 390 px`);
  /** alice and bob approve proposal `id` (shown), bob executes it at the gas shown */
  const decide = async (id: number, gas: string) => {
    await page.getByRole("heading", { name: new RegExp(`Proposal #${id}`) }).waitFor();
    await signIn("alice.test.near");
    await page.getByRole("button", { name: "Approve" }).click();
    await send();
    await page.getByTestId("votes").getByText("alice.test.near").waitFor();
    await signIn("bob.test.near");
    await page.getByRole("button", { name: "Approve" }).click();
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Approved" }).waitFor();
    await page.getByRole("button", { name: "Execute" }).click();
    t.is(await page.getByTestId("tx-gas").innerText(), gas);
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
  };
  try {
    const tNav = Date.now();
    await page.goto(web.url);
    await signIn("alice.test.near");
    await page.getByRole("link", { name: "Create a community" }).click();

    // the CLI's checks in the page: a name with "_" and a bad founder are refused before anything is asked
    await page.locator("input[name=name]").fill("co_op");
    await page.locator("input[name=members]").fill("alice.test.near,Bob.test.near");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await page.getByText(/must be a community name: 1 to 32 characters/).waitFor();
    await page.getByText(/account ids are lower case: bob\.test\.near/).waitFor();

    await page.locator("input[name=name]").fill("coop");
    await page.locator("input[name=title]").fill("Co-op commons");
    await page.locator("input[name=purpose]").fill("A model we own");
    await page.locator("input[name=members]").fill("alice.test.near,bob.test.near,carol.test.near");
    await fitsPhone("the create page");
    await shot("create");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await dialog.waitFor();
    const args = {
      name: "coop",
      dao_args: {
        config: { name: "Co-op commons", purpose: "A model we own", metadata: "" },
        members: ["alice", "bob", "carol"].map((n) => ({ account_id: `${n}.test.near`, roles: ["council"] })),
      },
    };
    const quoted = await cli.view<{ deposit: string; gas: string }>(FACTORY, "get_required_deposit", args);
    t.regex(await dialog.innerText(), /Create the community coop on commons\.test\.near: 5 contracts/);
    t.is(await page.getByTestId("tx-deposit").innerText(), units.near(quoted.deposit));
    t.is(await page.getByTestId("tx-gas").innerText(), units.tgas(BigInt(quoted.gas)));
    await shot("create-confirm");
    await send();
    await page.getByTestId("community-status").filter({ hasText: "Ready" }).waitFor({ timeout: 60_000 });
    t.regex(await page.getByTestId("progress").innerText(), /5 of 5 contracts created/);
    t.regex(await page.getByTestId("steps").innerText(), /community-dao\s*Done[\s\S]*reward-pool\s*Done/);
    await shot("create-progress");
    const record = await cli.view<{ status: string; creator: string; dao_id: string; contracts: { status: string }[] }>(
      FACTORY,
      "get_community",
      { name: "coop" },
    );
    t.is(record.status, "Ready");
    t.is(record.creator, "alice.test.near");
    t.is(record.dao_id, DAO);
    t.true(record.contracts.every((s) => s.status === "Done"));
    t.deepEqual(await cli.view(DAO, "get_config"), args.dao_args.config);
    const members = async () =>
      (await cli.view<{ account_id: string }[]>(DAO, "get_members", { from_index: 0, limit: 10 })).map(
        (m) => m.account_id,
      );
    t.deepEqual(await members(), ["alice.test.near", "bob.test.near", "carol.test.near"]);

    // refused: the same name again; the factory's quote says ERR_NAME_TAKEN, the page its meaning, nothing is sent
    await page.goto(`${web.url}#/create`);
    await page.locator("input[name=name]").fill("coop");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    const refusal = page.getByRole("alert");
    await refusal.waitFor();
    t.regex(await refusal.innerText(), /ERR_NAME_TAKEN/);
    t.true((await refusal.innerText()).includes(meaningOf("ERR_NAME_TAKEN", "community-factory")!));
    t.is(await dialog.count(), 0);
    t.is(await cli.view<number>(FACTORY, "get_community_count"), 1);

    await page.goto(`${web.url}#/c/${DAO}`);
    await page.getByRole("heading", { name: "Co-op commons" }).waitFor();

    // ChangeConfig: a title longer than the DAO keeps is refused in the page with its limit
    await page.getByRole("link", { name: "New proposal" }).first().click();
    await page.getByLabel("kind").selectOption("change-config");
    await page.locator("input[name=title]").fill("x".repeat(CONFIG_MAX.name + 1));
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await page.getByText(`must be a name of 1 to ${CONFIG_MAX.name} characters (got ${CONFIG_MAX.name + 1})`).waitFor();
    await page.locator("input[name=title]").fill("The co-op");
    await page.locator("textarea[name=purpose]").fill("Models by and for the co-op");
    await shot("propose-config");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(
      await dialog.innerText(),
      /Change the title to “The co-op” and the purpose to “Models by and for the co-op”/,
    );
    await send();
    await decide(0, "100.00 Tgas");
    t.deepEqual(await cli.view(DAO, "get_config"), {
      name: "The co-op",
      purpose: "Models by and for the co-op",
      metadata: "",
    });
    await page.goto(`${web.url}#/c/${DAO}`);
    await page.getByRole("heading", { name: "The co-op" }).waitFor();

    // RemoveMember: carol leaves the council
    await page.getByRole("link", { name: "New proposal" }).first().click();
    await page.getByLabel("kind").selectOption("remove-member");
    await page.locator("input[name=member]").fill("carol.test.near");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(await dialog.innerText(), /Remove carol\.test\.near from the role council/);
    await send();
    await decide(1, "100.00 Tgas");
    t.deepEqual(await members(), ["alice.test.near", "bob.test.near"]);
    await page.goto(`${web.url}#/c/${DAO}`);
    await page.getByRole("heading", { name: "The co-op" }).waitFor();
    t.notRegex(await page.getByTestId("members").innerText(), /carol/);

    t.deepEqual(errors, []);
    t.log(`the web flow: ${((Date.now() - tNav) / 1000).toFixed(1)} s`);
  } finally {
    await web.close();
  }
});
