// The web app's community pages end to end on the local node with the real contracts. The CLI deploys a factory and
// three accounts; in Chromium at 390 x 844 alice creates a community from the browser with the deposit and gas the
// factory quotes (get_required_deposit), with a policy whose fork window is short, and watches its contracts' steps
// until it is Ready (the factory's record and the DAO's config, members and policy checked over RPC); creating it
// again is refused by the factory's quote with ERR_NAME_TAKEN and its meaning, and nothing is sent; a creation sent with
// half the gas (the DAO made, the others waiting) is finished by its creator's Resume on its progress page. The council
// proposes and executes a Fork; bob joins it in the browser, seeing his unit and the fork's share before signing;
// during the window the council executes a ChangeConfig (a title over the DAO's CONFIG_MAX refused in the page first)
// and a RemoveMember; after it the fork is decided in the browser, its community created from the card (create_fork
// with the deposit and gas the CLI attaches) and paid (the fork_payment_sent event's amount is floor(available x 1 / 3), to the yocto, and bob has left) and the
// child's home shows its provenance. A SetRewardPolicy whose shares do not sum to 10,000 is refused in the page with
// ERR_POLICY_SHARES (the pool's validator) and no proposal is made; a good one is executed on the pool, and a
// FundRewardPool of 1 NEAR arrives in it. Last, with carol added back, bob (gone with the fork) is refused ragequit
// with ERR_NOT_A_MEMBER, nothing moves, alice ragequits with floor(available / 2), and carol, the last member, is
// told why she cannot (ERR_LAST_MEMBER). Each browser action is checked on chain.
import { readFileSync } from "node:fs";
import { Account, KeyPair, KeyPairSigner, type KeyPairString } from "near-api-js";
import { join } from "node:path";
import { CONFIG_MAX } from "../../contracts/wire/dao.ts";
import { meaningOf } from "../../contracts/wire/errors.ts";
import { forkCreation, forkShare, ragequitShare } from "../../scripts/cli/fork-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import { ok, ROOT, useCliEnv, setUpByCli } from "../cli/harness.ts";
import { eventsOf } from "../helpers/tx.ts";
import { openWeb } from "./browser.ts";

const test = useCliEnv();
const FACTORY = "commons.test.near";
const DAO = "coop.commons.test.near";
// the verifier's settings of docs/guides/short-epochs.json, given at creation
const INIT_ARGS = {
  "inference-verifier": JSON.parse(readFileSync(join(ROOT, "docs", "guides", "short-epochs.json"), "utf8"))[
    "inference-verifier"
  ] as { settings: Record<string, string> },
};
const CHILD = "coop-fork.commons.test.near";
/** the guide's fork policy (one council vote decides; ragequit allowed) with a 25 s window, so the test can wait it */
const POLICY = {
  ...JSON.parse(readFileSync(join(ROOT, "docs", "guides", "fork-policy.json"), "utf8")),
  fork: { window: "25000000000", threshold_bps: 3000, ragequit: true },
};

test("in a browser: a community created, a second creation refused, one resumed; a fork joined, paid and its provenance; ChangeConfig, RemoveMember, reward policy, pool funding, ragequit", async (t) => {
  const { cli } = t.context;
  await setUpByCli(t, cli, [
    ["factory", "deploy"],
    ["account", "create", "alice", "--balance", "40"],
    ["account", "create", "bob", "--balance", "30"],
    ["account", "create", "carol", "--balance", "5"],
  ]);

  const web = await openWeb(t, cli);
  const { page, errors, signIn, shot, dialog, send, fitsPhone } = web;
  /** alice approves proposal `id` (shown; one council vote decides under this policy) and executes it at `gas` */
  const decide = async (id: number, gas: string) => {
    await web.approveAndReviewExecute(id, ["alice.test.near"]);
    t.is(await page.getByTestId("tx-gas").innerText(), gas);
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
  };
  /** the events of the transaction the page's notice names, sent by `signer` */
  const eventsOfNotice = async (signer: string) => {
    const notice = await page.locator("output.notice").innerText();
    const hash = /transaction (\w+)\)/.exec(notice)?.[1];
    t.truthy(hash, notice);
    const outcome = await cli.provider.viewTransactionStatus({
      txHash: hash as string,
      accountId: signer,
      waitUntil: "EXECUTED",
    });
    return eventsOf<Record<string, string>>(outcome.receipts_outcome.flatMap((r) => r.outcome.logs));
  };
  /** the community's home, its views read afresh (by way of the list when already there: a reload would sign out) */
  const home = async (dao: string, heading: string) => {
    const url = `${web.url}#/c/${dao}`;
    if (page.url() === url) await page.goto(`${web.url}#/`);
    await page.goto(url);
    await page.getByRole("heading", { name: heading }).waitFor();
  };
  const chainNow = async () => {
    const b = await cli.provider.viewBlock({ finality: "optimistic" });
    return BigInt(b.header.timestamp_nanosec ?? b.header.timestamp);
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
    await page.locator("textarea[name=policy]").fill(JSON.stringify(POLICY));
    // the suite's settings by code (the CLI's --init-args): one the suite does not have is refused by the factory's
    // quote, its meaning shown, nothing asked
    await page.locator("textarea[name=initArgs]").fill(JSON.stringify({ "no-such-contract": {} }));
    await page.getByRole("button", { name: "Review the transaction" }).click();
    const badArgs = page.locator(".problem").filter({ hasText: "ERR_INVALID_ARGS" });
    await badArgs.waitFor();
    t.true((await badArgs.innerText()).includes(meaningOf("ERR_INVALID_ARGS", "community-factory")!));
    t.false(await dialog.isVisible());
    await page.locator("textarea[name=initArgs]").fill(JSON.stringify(INIT_ARGS));
    await fitsPhone("the create page");
    await shot("create");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await dialog.waitFor();
    const args = {
      name: "coop",
      dao_args: {
        config: { name: "Co-op commons", purpose: "A model we own", metadata: "" },
        members: ["alice", "bob", "carol"].map((n) => ({ account_id: `${n}.test.near`, roles: ["council"] })),
        policy: POLICY,
      },
      init_args: INIT_ARGS,
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
    t.deepEqual((await cli.view<{ fork: unknown }>(DAO, "get_policy")).fork, POLICY.fork);
    // the verifier started with the settings given in the page
    t.like(await cli.view("coop_inference-verifier.commons.test.near", "get_config"), {
      settings: INIT_ARGS["inference-verifier"].settings,
    });

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

    // a creation sent with too little gas for all five accounts (as an interrupted one): the DAO is made, the others
    // wait; the progress page offers its creator Resume, which finishes it
    const halfArgs = {
      name: "half",
      dao_args: {
        config: { name: "half", purpose: "", metadata: "" },
        members: [{ account_id: "alice.test.near", roles: ["council"] }],
      },
    };
    const halfQuote = await cli.view<{ deposit: string; gas: string }>(FACTORY, "get_required_deposit", halfArgs);
    const aliceKey = JSON.parse(
      readFileSync(join(cli.home, ".near-credentials", "local", "alice.test.near.json"), "utf8"),
    ).private_key;
    const alice = new Account(
      "alice.test.near",
      cli.provider,
      new KeyPairSigner(KeyPair.fromString(aliceKey as KeyPairString)),
    );
    await alice.callFunctionRaw({
      contractId: FACTORY,
      methodName: "create_community",
      args: halfArgs,
      gas: BigInt(halfQuote.gas) / 2n,
      deposit: BigInt(halfQuote.deposit),
    });
    const halfBefore = await cli.view<{ status: string }>(FACTORY, "get_community", { name: "half" });
    t.is(halfBefore.status, "Creating");
    await page.goto(`${web.url}#/`);
    await page.getByRole("link", { name: "half" }).click();
    await page.getByTestId("community-status").filter({ hasText: "Creating" }).waitFor();
    t.regex(await page.getByTestId("progress").innerText(), /[1-4] of 5 contracts created/);
    await page.getByRole("button", { name: "Abandon" }).waitFor();
    await page.getByRole("button", { name: "Resume" }).click();
    t.regex(await dialog.innerText(), /resume_community/);
    t.is(await page.getByTestId("tx-deposit").innerText(), "0 NEAR");
    await send();
    await page.getByTestId("community-status").filter({ hasText: "Ready" }).waitFor({ timeout: 60_000 });
    t.is((await cli.view<{ status: string }>(FACTORY, "get_community", { name: "half" })).status, "Ready");

    ok(t, await cli.run(["donate", "6", "-c", "coop", "--account", "alice.test.near"]), "donate");
    await home(DAO, "Co-op commons");

    // a Fork proposed from the community's home, approved and executed: its window opens
    await page.getByRole("link", { name: "Propose a fork" }).click();
    await page.locator("input[name=forkName]").fill("coop-fork");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(await dialog.innerText(), /Fork into the community coop-fork/);
    await send();
    await decide(0, "100.00 Tgas");
    const opened = await cli.view<{ status: string; ends_at: string; total_weight: number }>(DAO, "get_fork", {
      id: 0,
    });
    t.is(opened.status, "Open");
    t.is(opened.total_weight, 3);

    // bob joins: his unit and the fork's share, at today's treasury, before he signs
    await signIn("bob.test.near");
    await home(DAO, "Co-op commons");
    const card = page.getByTestId("fork-0");
    t.regex(await card.innerText(), /#0 fork into coop-fork\s*Open[\s\S]*0 of 3 joined \(threshold 30%\)/);
    await card.getByRole("button", { name: "Join the fork" }).click();
    const available = BigInt((await cli.view<{ available: string }>(DAO, "get_treasury")).available);
    t.is(await page.getByTestId("tx-unit").innerText(), units.near(ragequitShare(available, 3)));
    t.is(await page.getByTestId("tx-fork-share").innerText(), units.near(forkShare(available, 1, 3)));
    await shot("fork-join");
    await send();
    await card.getByText("you joined").waitFor();
    const joined = await cli.view<{ joined_weight: number; members: { account_id: string }[] }>(DAO, "get_fork", {
      id: 0,
    });
    t.is(joined.joined_weight, 1);
    t.deepEqual(
      joined.members.map((m) => m.account_id),
      ["bob.test.near"],
    );
    await fitsPhone("the community's home with a fork");
    await shot("forks");

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
    await decide(1, "100.00 Tgas");
    t.deepEqual(await cli.view(DAO, "get_config"), {
      name: "The co-op",
      purpose: "Models by and for the co-op",
      metadata: "",
    });
    await home(DAO, "The co-op");

    // RemoveMember: carol leaves the council
    await page.getByRole("link", { name: "New proposal" }).first().click();
    await page.getByLabel("kind").selectOption("remove-member");
    await page.locator("input[name=member]").fill("carol.test.near");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(await dialog.innerText(), /Remove carol\.test\.near from the role council/);
    await send();
    await decide(2, "100.00 Tgas");
    t.deepEqual(await members(), ["alice.test.near", "bob.test.near"]);
    await home(DAO, "The co-op");
    t.notRegex(await page.getByTestId("members").innerText(), /carol/);

    // after the window: the fork is decided in the browser (1 of 3 joined, threshold 30%): Payable
    // the local node's chain time moves with its blocks: skip them past the window (1.3 s of chain time a block)
    // (the node produces the skipped blocks after the call returns: wait until its clock is past the window)
    for (let tries = 0; (await chainNow()) <= BigInt(opened.ends_at); tries++) {
      if (tries >= 40) throw new Error("the local node's clock never passed the fork's window");
      const left = BigInt(opened.ends_at) - (await chainNow());
      if (tries % 10 === 0) {
        const blocks = String(Number(left / 1_300_000_000n) + 3);
        ok(t, await cli.run(["node", "fast-forward", blocks]), "node fast-forward");
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    // the page reads the chain when it opens: opened again until it has seen the window end
    for (let tries = 0; ; tries++) {
      await home(DAO, "The co-op");
      const decide = card.getByRole("button", { name: "Execute the fork" });
      try {
        await decide.waitFor({ timeout: 5_000 });
        await decide.click();
        break;
      } catch (e) {
        if (tries >= 3) throw e;
      }
    }
    t.regex(await dialog.innerText(), /Decide fork #0: its window has ended and 1 of 3 joined, at or above/);
    await send();
    await card.getByText("Payable").waitFor();
    // the fork's community, from the parent's decided fork (as the CLI's `fork create`), created from the card
    await home(DAO, "The co-op");
    await card.getByRole("button", { name: "Create the fork's community" }).click();
    const quote = await cli.view<{ accounts_total: string; fork_extra: string; gas: string }>(
      FACTORY,
      "get_required_deposit",
    );
    t.is(await page.getByTestId("tx-deposit").innerText(), units.near(forkCreation(quote).deposit));
    t.is(await page.getByTestId("tx-gas").innerText(), units.tgas(forkCreation(quote).gas));
    t.regex(await dialog.innerText(), /create_fork[\s\S]*"parent":"coop","fork_id":0/);
    await send();
    await card.getByRole("link", { name: "its community" }).waitFor();
    const created = await cli.view<{ status: string; forked_from: { status: string } }>(FACTORY, "get_community", {
      name: "coop-fork",
    });
    t.is(created.status, "Ready");
    t.is(created.forked_from.status, "Ready");
    // paid in the browser: the amount is the DAO's floor(available x joined / total), to the yocto
    await card.getByRole("button", { name: "Execute the fork" }).click();
    t.regex(await dialog.innerText(), /Pay fork #0/);
    await send();
    const paid = (await eventsOfNotice("alice.test.near")).find((e) => e.event === "fork_payment_sent")?.data[0];
    t.truthy(paid);
    t.is(paid?.receiver_id, CHILD);
    t.is(paid?.amount, forkShare(BigInt(paid?.available as string), 1, 3).toString());
    const settled = await cli.view<{ status: string; amount: string }>(DAO, "get_fork", { id: 0 });
    t.is(settled.amount, paid?.amount as string);
    if (settled.status !== "Executed") {
      await home(DAO, "The co-op");
      await card.getByRole("button", { name: "Execute the fork" }).click();
      await send();
    }
    await card.getByText("Executed").waitFor();
    t.is((await cli.view<{ status: string }>(DAO, "get_fork", { id: 0 })).status, "Executed");
    t.deepEqual(await members(), ["alice.test.near"]);
    t.regex(await card.innerText(), new RegExp(`paid ${units.near(paid?.amount as string).replace(".", "\\.")} to`));

    // the child's home: its provenance (the factory's record) and its registries' import
    const child = await cli.view<{ provenance: string }>(FACTORY, "get_community", { name: "coop-fork" });
    await home(CHILD, "coop-fork");
    const provenance = await page.getByTestId("provenance").innerText();
    t.true(provenance.includes(child.provenance), provenance);
    t.regex(provenance, /fork proposal #0 of coop, 1 member\(s\) carried over/);
    t.regex(
      await page.getByTestId("fork-import").innerText(),
      /dataset-registry: 0 record\(s\) imported from coop_dataset-registry/,
    );
    t.regex(await page.getByTestId("members").innerText(), /bob\.test\.near/);
    await page.getByText("No fork proposed.").waitFor();
    await shot("fork-provenance");
    // the parent's datasets imported page by page (it has none: the first page switches to manifests)
    const CHILD_DATASETS = "coop-fork_dataset-registry.commons.test.near";
    await page.getByRole("button", { name: "Import page 0" }).first().click();
    t.regex(await dialog.innerText(), /coop-fork_dataset-registry\.commons\.test\.near\.import_page/);
    t.is(await page.getByTestId("tx-deposit").innerText(), "1 NEAR");
    await send();
    await page
      .getByTestId("fork-import")
      .getByText(/dataset-registry: 0 record\(s\) imported [^\n]*next page 1/)
      .waitFor();
    t.is((await cli.view<{ next_page: number }>(CHILD_DATASETS, "get_fork_import")).next_page, 1);

    // SetRewardPolicy: shares that do not sum to 10,000 are refused in the page with the pool's code (its own
    // validator, contracts/wire/reward-policy.ts), and no proposal is made; a good one is executed on the pool
    const POOL = "coop_reward-pool.commons.test.near";
    const proposalsBefore = (await cli.view<{ last_proposal_id: number }>(DAO, "get_info")).last_proposal_id;
    const policy = {
      model_bps: 5000,
      data_bps: 4000,
      parent_bps: 500,
      attester_fee: "0",
      epoch_length_ns: "60000000000",
    };
    await signIn("alice.test.near");
    await page.goto(`${web.url}#/c/${DAO}/propose?kind=set-reward-policy`);
    await page.locator("textarea[name=rewardPolicy]").fill(JSON.stringify(policy));
    await page.getByRole("button", { name: "Review the transaction" }).click();
    const badPolicy = page.getByRole("alert");
    await badPolicy.waitFor();
    t.regex(await badPolicy.innerText(), /ERR_POLICY_SHARES/);
    t.true((await badPolicy.innerText()).includes(meaningOf("ERR_POLICY_SHARES", "community-dao")!));
    t.is(await dialog.count(), 0);
    t.is((await cli.view<{ last_proposal_id: number }>(DAO, "get_info")).last_proposal_id, proposalsBefore);
    await page.locator("textarea[name=rewardPolicy]").fill(JSON.stringify({ ...policy, parent_bps: 1000 }));
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await send();
    await decide(proposalsBefore, "100.00 Tgas");
    const poolPolicy = (await cli.view<{ policy: Record<string, unknown> }>(POOL, "get_config")).policy;
    t.like(poolPolicy, { model_bps: 5000, data_bps: 4000, parent_bps: 1000, epoch_length_ns: "60000000000" });

    // FundRewardPool: 1 NEAR from the treasury, shown before executing, arrives in the pool
    const deposited = BigInt((await cli.view<{ deposited: string }>(POOL, "get_totals")).deposited);
    await page.goto(`${web.url}#/c/${DAO}/propose?kind=fund-pool`);
    await page.locator("input[name=amount]").fill("1");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    t.regex(await dialog.innerText(), /Fund the reward pool with 1 NEAR from the treasury/);
    await send();
    await page.getByRole("heading", { name: new RegExp(`Proposal #${proposalsBefore + 1}`) }).waitFor();
    await page.getByRole("button", { name: "Approve" }).click();
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Approved" }).waitFor();
    await page.getByRole("button", { name: "Execute" }).click();
    t.is(await page.getByTestId("tx-treasury").innerText(), "1 NEAR");
    await send();
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    const added = BigInt((await cli.view<{ deposited: string }>(POOL, "get_totals")).deposited) - deposited;
    // the pool keeps its deposit record's storage out of the amount
    t.true(added > 0n && added <= 10n ** 24n, String(added));

    // the DAO's own checks in the page, before anything is sent: an attester's key, a model id
    await page.goto(`${web.url}#/c/${DAO}/propose?kind=add-attester`);
    await page.locator("input[name=member]").fill("carol.test.near");
    await page.locator("input[name=publicKey]").fill("04abc");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await page.getByText("must be 128 lower-case hex characters (a 64-byte key without 04)").waitFor();
    await page.getByLabel("kind").selectOption("deprecate-model");
    await page.locator("input[name=record]").fill("intents");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    await page.getByText(/must be name@version, like news-corpus@1\.0\.0/).waitFor();
    t.is(await dialog.count(), 0);
    t.is((await cli.view<{ last_proposal_id: number }>(DAO, "get_info")).last_proposal_id, proposalsBefore + 2);

    // ragequit. carol back first (a vote of alice's, by the CLI): with one member left nobody could leave
    ok(
      t,
      await cli.run([
        "propose",
        "add-member",
        "--member",
        "carol.test.near",
        "-c",
        "coop",
        "--account",
        "alice.test.near",
      ]),
      "propose add-member",
    );
    const back = String((await cli.view<{ last_proposal_id: number }>(DAO, "get_info")).last_proposal_id - 1);
    ok(t, await cli.run(["vote", "approve", back, "-c", "coop", "--account", "alice.test.near"]), "vote");
    ok(t, await cli.run(["execute", back, "-c", "coop", "--account", "alice.test.near"]), "execute");
    t.deepEqual(await members(), ["alice.test.near", "carol.test.near"]);
    // bob left with the fork: refused with ERR_NOT_A_MEMBER, nothing moves
    const treasuryBefore = await cli.view<{ available: string }>(DAO, "get_treasury");
    await home(DAO, "The co-op");
    await signIn("bob.test.near");
    await page.getByRole("button", { name: "Ragequit" }).click();
    await send();
    const refused = dialog.getByRole("alert");
    await refused.waitFor();
    t.regex(await refused.innerText(), /ERR_NOT_A_MEMBER/);
    t.true((await refused.innerText()).includes(meaningOf("ERR_NOT_A_MEMBER", "community-dao")!));
    await dialog.getByRole("button", { name: "Close" }).click();
    // nothing paid out: the treasury only gained the refused call's share of the gas it burnt (the protocol's reward)
    const treasuryAfter = await cli.view<{ available: string }>(DAO, "get_treasury");
    t.true(BigInt(treasuryAfter.available) >= BigInt(treasuryBefore.available));
    t.deepEqual(await members(), ["alice.test.near", "carol.test.near"]);
    // alice leaves with her unit, half the available treasury, exactly as shown before signing
    await signIn("alice.test.near");
    await page.getByRole("button", { name: "Ragequit" }).click();
    const shown = await page.getByTestId("tx-ragequit").innerText();
    await send();
    const quit = (await eventsOfNotice("alice.test.near")).find((e) => e.event === "ragequit")?.data[0];
    t.is(quit?.amount, ragequitShare(BigInt(quit?.available as string), Number(quit?.members)).toString());
    t.is(shown, units.near(quit?.amount as string));
    t.is(Number(quit?.members), 2);
    t.deepEqual(await members(), ["carol.test.near"]);
    // carol is the last member: the page says why she cannot leave (ERR_LAST_MEMBER) instead of offering it
    await signIn("carol.test.near");
    const last = page.getByTestId("last-member");
    await last.waitFor();
    t.true((await last.innerText()).includes(meaningOf("ERR_LAST_MEMBER", "community-dao")!));
    t.is(await page.getByRole("button", { name: "Ragequit" }).count(), 0);

    t.deepEqual(errors, []);
    t.log(`the web flow: ${((Date.now() - tNav) / 1000).toFixed(1)} s`);
  } finally {
    await web.close();
  }
});
