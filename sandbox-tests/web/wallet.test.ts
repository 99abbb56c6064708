// The web app's wallet path (testnet and mainnet: NEAR Wallet Selector 10.1.4, its modal and MyNearWallet among the
// wallets it lists, web/src/wallet-selector.ts) end to end on the local node: the machine reaches no testnet, so the
// browser's https traffic is routed here. The testnet RPC the app and the selector call (scripts/cli/networks.ts
// DEFAULT_RPC.testnet) is answered by the local node; MyNearWallet's pages (testnet.mynearwallet.com) are stub pages
// the test plays the wallet in, as MyNearWallet does it in a window the app opened (its frontend's
// SelectAccountLoginWrapper, redux/actions/account.js and routes/SignWrapper.js): sign-in answers the app's window with
// a message {status: "success", account_id, public_key, all_keys};
// /sign?transactions=<base64 borsh>,...&callbackUrl=<the app's page> is signed by the wallet with the account's own key
// and nonce, sent, and answered with {status: "success", transactionHashes}, or, when the transaction failed, {status:
// "failure", errorCode, errorMessage (its first 100 characters)}; a redirect to the callback URL with the same
// parameters is its fallback after 3 s (the app closes the window before). Two answers come by that redirect only, as
// when the message goes unheard (web/src/wallet-return.ts takes them).
//
// Steps, each checked on chain over RPC: alice signs in with the wallet, picked in the selector's modal (which lists
// every wallet module of the app); proposes adding carol (add_proposal, its bond), approves (vote), approves again
// (refused: ERR_ALREADY_VOTED); a reload keeps her signed in; she signs out and dave, no member, signs in (the modal
// closed while the wallet's window is open) and approves (refused: ERR_NO_PERMISSION); alice again; bob approves with
// the CLI and alice executes (execute, 100 Tgas; answered by the redirect only); on the community's reward pool she
// registers (storage_deposit, 0.02 NEAR) and claims with nothing to claim (refused by the pool: ERR_NOTHING_TO_CLAIM;
// answered by the redirect only); signing out survives a reload.
//
// What this proves: the app, the selector and the module work together against a real chain: sign-in, the
// transaction the wallet is asked to sign is exactly the one the app's dialog showed (receiver, method, JSON
// arguments, gas, deposit: as shown and to the yocto and the gas unit as the CLI computes them), the outcome comes
// back to the page, a refusal comes back with its ERR_ code and the called contract's meaning, and the sign-in
// survives a reload. What it cannot: MyNearWallet's own UI and its RPC (the stub stands for them).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  Account,
  actions,
  JsonRpcProvider,
  KeyPair,
  KeyPairSigner,
  type KeyPairString,
  Transaction,
} from "near-api-js";
import type { Page } from "playwright-core";
import { meaningOf } from "../../contracts/wire/errors.ts";
import { DEFAULT_RPC } from "../../scripts/cli/networks.ts";
import { ADD_PROPOSAL_GAS, executeGasOf, proposalDeposit, VOTE_GAS } from "../../scripts/cli/dao-calls.ts";
import { CLAIM_GAS, POOL_STORAGE_DEPOSIT, POOL_STORAGE_DEPOSIT_GAS } from "../../scripts/cli/reward-pool-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import { ok, useCliEnv, setUpByCli } from "../cli/harness.ts";
import { openWeb } from "./browser.ts";

const test = useCliEnv();
const WALLET = "https://testnet.mynearwallet.com";
/** The wallet modules web/src/wallet-selector.ts sets up, as the modal lists them: [name, module id], by id */
const WALLET_MODULES = [
  ["Here Wallet", "here-wallet"],
  ["Intear Wallet", "intear-wallet"],
  ["Meteor Wallet", "meteor-wallet"],
  ["MyNearWallet", "my-near-wallet"],
  ["Sender", "sender"],
];

/** A call as the app's dialog shows it: the figures the wallet must be asked to sign. */
interface Shown {
  call: string;
  args: string;
  deposit: string;
  gas: string;
}

async function shownIn(page: Page): Promise<Shown> {
  const dialog = page.getByRole("dialog", { name: "confirm transaction" });
  await dialog.waitFor();
  return {
    call: await dialog.locator("dd.mono").first().innerText(),
    args: await dialog.locator("dd.args").innerText(),
    deposit: await page.getByTestId("tx-deposit").innerText(),
    gas: await page.getByTestId("tx-gas").innerText(),
  };
}

test("the wallet path: sign in with MyNearWallet, propose, vote, refusals, a reload, another signer, execute, the pool", async (t) => {
  const { cli } = t.context;
  await setUpByCli(t, cli, [
    ["factory", "deploy"],
    ["account", "create", "alice", "--balance", "30"],
    ["account", "create", "bob", "--balance", "30"],
    ["account", "create", "carol", "--balance", "5"],
    ["account", "create", "dave", "--balance", "5"],
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
  ]);
  const dao = "acme.commons.test.near";
  const pool = "acme_reward-pool.commons.test.near";
  const factory = "commons.test.near";

  // the wallet's side: the accounts' keys from the CLI's key store, signing against the local node
  const node = `http://127.0.0.1:${cli.port}`;
  const provider = new JsonRpcProvider({ url: node });
  const walletAccount = (id: string) => {
    const cred = JSON.parse(readFileSync(join(cli.home, ".near-credentials", "local", `${id}.json`), "utf8"));
    const key = KeyPair.fromString(cred.private_key as KeyPairString);
    return { account: new Account(id, provider, new KeyPairSigner(key)), publicKey: key.getPublicKey().toString() };
  };
  const alice = walletAccount("alice.test.near");
  const dave = walletAccount("dave.test.near");

  const web = await openWeb(t, cli);
  const tWeb = Date.now();
  const { page, errors } = web;
  const rpcCalls: string[] = [];
  const stubbed: string[] = [];
  try {
    // every https request of the browser: the testnet RPC goes to the local node, MyNearWallet is a stub page, the
    // rest a stub too (listed, to see that nothing the path needs is stubbed away)
    await web.browser.route(
      (url) => url.protocol === "https:",
      async (route) => {
        const req = route.request();
        const url = new URL(req.url());
        if (url.origin === new URL(DEFAULT_RPC.testnet).origin) {
          const body = req.postData() ?? "";
          rpcCalls.push((JSON.parse(body) as { method: string }).method);
          const r = await fetch(node, { method: "POST", headers: { "content-type": "application/json" }, body });
          return route.fulfill({
            status: r.status,
            contentType: "application/json",
            headers: { "access-control-allow-origin": "*" },
            body: await r.text(),
          });
        }
        if (url.origin !== WALLET) stubbed.push(req.url());
        return route.fulfill({ status: 200, contentType: "text/html", body: "<title>MyNearWallet (stub)</title>" });
      },
    );

    await page.goto(web.url);
    await page.getByLabel("network").selectOption("testnet");
    await page.getByRole("button", { name: "Connect a wallet" }).waitFor();
    t.is(await page.getByText("development only").count(), 0);
    await page.getByPlaceholder("commons.you.testnet").fill(factory);
    await page.getByRole("link", { name: "acme" }).waitFor();

    /**
     * "Connect a wallet" opens Wallet Selector's modal, which lists every wallet module of the app; MyNearWallet,
     * picked there, opens its /login with the app's page as success and failure URL and no key asked for; the wallet
     * answers with the account it signed in and its keys, as MyNearWallet does, and closes; the modal closes too.
     * `closeModal`: the modal is closed (Escape) while the wallet's window is still open; the sign-in still reaches the
     * page.
     */
    const connect = async (who: ReturnType<typeof walletAccount>, { closeModal = false } = {}) => {
      await page.getByRole("button", { name: "Connect a wallet" }).click();
      const modal = page.locator(".nws-modal-wrapper.open");
      await modal.getByRole("heading", { name: "Connect Your Wallet" }).waitFor();
      const listed = modal.locator("li.single-wallet");
      await listed.first().waitFor();
      const wallets = await listed.evaluateAll((items) =>
        items.map((li) => [li.querySelector(".title")?.textContent ?? "", li.classList[li.classList.length - 1]]),
      );
      t.deepEqual(
        wallets.sort((a, b) => a[1].localeCompare(b[1])),
        WALLET_MODULES,
        "the modal lists each wallet module",
      );
      const opened = web.browser.waitForEvent("page");
      await listed.filter({ hasText: "MyNearWallet" }).click();
      const login = await opened;
      await login.waitForURL(/^https:\/\/testnet\.mynearwallet\.com\//, { waitUntil: "commit" });
      await login.waitForLoadState();
      const loginUrl = new URL(login.url());
      t.is(loginUrl.pathname, "/login/");
      const successUrl = loginUrl.searchParams.get("success_url")!;
      t.is(successUrl, page.url());
      t.is(loginUrl.searchParams.get("failure_url"), successUrl);
      t.is(loginUrl.searchParams.get("public_key"), null, "no function-call key is asked for");
      t.is(loginUrl.searchParams.get("contract_id"), null);
      if (closeModal) {
        await page.keyboard.press("Escape");
        await page.locator(".nws-modal-wrapper").waitFor({ state: "detached" });
        await page.getByRole("button", { name: "Connect a wallet" }).waitFor();
      }
      const closed = login.waitForEvent("close");
      await answer(login, successUrl, {
        status: "success",
        account_id: who.account.accountId,
        all_keys: [who.publicKey],
      });
      await closed;
      await page.getByTestId("signed-in").filter({ hasText: who.account.accountId }).waitFor();
      await page.locator(".nws-modal-wrapper").waitFor({ state: "detached" });
      t.is(await page.getByText("development only").count(), 0);
    };
    const signOut = async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("button", { name: "Connect a wallet" }).waitFor();
    };
    await connect(alice);

    /**
     * Plays MyNearWallet for the transaction the app sent it to sign: decodes it from the /sign URL, checks it is what
     * the dialog showed, signs it with the signed-in account's key (its nonce, a recent block) and sends it to the
     * node, then answers the app's window (`unheard`: only by its fallback redirect). Returns the sent transaction's
     * hash and whether it failed.
     */
    const playWallet = async (
      shown: Shown,
      expect: { receiver: string; method: string },
      { signer = alice.account, unheard = false } = {},
    ) => {
      const opened = web.browser.waitForEvent("page");
      await page.getByRole("dialog").getByRole("button", { name: "Sign and send" }).click();
      const popup = await opened;
      await popup.waitForURL(/^https:\/\/testnet\.mynearwallet\.com\//, { waitUntil: "commit" });
      await popup.waitForLoadState();
      const url = new URL(popup.url());
      t.is(url.pathname, "/sign");
      const callbackUrl = url.searchParams.get("callbackUrl")!;
      t.is(callbackUrl, page.url(), "the wallet returns to the page that asked");
      const encoded = url.searchParams.get("transactions")!.split(",");
      t.is(encoded.length, 1);
      const tx = Transaction.decode(Buffer.from(encoded[0], "base64"));
      t.is(tx.signerId, signer.accountId);
      // the module leaves the key and the nonce to the wallet (a random key, nonce 0)
      t.is(BigInt(tx.nonce), 0n);
      t.is(tx.receiverId, expect.receiver);
      t.is(tx.actions.length, 1);
      const call = tx.actions[0].functionCall!;
      t.truthy(call, "one FunctionCall action");
      t.is(call.methodName, expect.method);
      // what you approve is what you saw: the dialog's call, arguments, deposit and gas, to the yocto and the gas unit
      t.is(`${tx.receiverId}.${call.methodName}`, shown.call);
      t.is(Buffer.from(call.args).toString("utf8"), shown.args);
      t.is(units.near(BigInt(call.deposit)), shown.deposit);
      t.is(units.tgas(BigInt(call.gas)), shown.gas);
      // (borsh decodes the arguments' bytes as an array of numbers)
      const args = Uint8Array.from(call.args);
      const rebuilt = actions.functionCall(call.methodName, args, BigInt(call.gas), BigInt(call.deposit));
      // the wallet signs the same receiver and actions with the account's own key, nonce and a recent block, as
      // MyNearWallet recreates every transaction
      const closed = popup.waitForEvent("close");
      try {
        const outcome = await signer.signAndSendTransaction({
          receiverId: tx.receiverId,
          actions: [rebuilt],
          waitUntil: "EXECUTED_OPTIMISTIC",
        });
        await answer(popup, callbackUrl, { status: "success", transactionHashes: outcome.transaction.hash }, unheard);
        await closed;
        return { hash: outcome.transaction.hash, failed: false, call };
      } catch (e) {
        // MyNearWallet shows the error; its Cancel answers with the error's name and the message's first 100 chars
        const err = e as Error & { txHash?: string };
        await answer(
          popup,
          callbackUrl,
          {
            status: "failure",
            errorCode: err.name,
            errorMessage: err.message.substring(0, 100),
          },
          unheard,
        );
        await closed;
        return { hash: err.txHash ?? "", failed: true, call, message: err.message };
      }
    };

    // 1. a proposal (add_proposal with its 1 NEAR bond): carol as a member
    await page.goto(`${web.url}#/c/${dao}/propose`);
    await page.locator("input[name=member]").fill("carol.test.near");
    await page.getByRole("button", { name: "Review the transaction" }).click();
    const proposeShown = await shownIn(page);
    t.is(proposeShown.deposit, "1 NEAR");
    t.is(proposeShown.gas, "50.00 Tgas");
    const proposed = await playWallet(proposeShown, { receiver: dao, method: "add_proposal" });
    t.false(proposed.failed);
    const proposal = JSON.parse(Buffer.from(proposed.call.args).toString("utf8"));
    t.deepEqual(proposal.kind, { kind: "AddMember", member_id: "carol.test.near", role: "council" });
    // to the yocto and the gas unit: the CLI's figures for this call (scripts/cli/dao-calls.ts)
    const policy = await cli.view<{ parameters: { proposal_bond: string } }>(dao, "get_policy");
    const bond = BigInt(policy.parameters.proposal_bond);
    t.is(BigInt(proposed.call.deposit), proposalDeposit(bond, proposal.kind, proposal.description));
    t.is(BigInt(proposed.call.gas), ADD_PROPOSAL_GAS);
    await page.getByRole("heading", { name: /Proposal #0/ }).waitFor();
    await page.locator("output.notice").filter({ hasText: proposed.hash }).waitFor();
    const p0 = await cli.view<{ proposer: string; status: string }>(dao, "get_proposal", { id: 0 });
    t.is(p0.proposer, "alice.test.near");
    t.is(p0.status, "InProgress");

    // 2. alice approves (vote, no deposit)
    await page.getByRole("button", { name: "Approve" }).click();
    const voteShown = await shownIn(page);
    t.is(voteShown.deposit, "0 NEAR");
    const voted = await playWallet(voteShown, { receiver: dao, method: "vote" });
    t.false(voted.failed);
    t.deepEqual(JSON.parse(Buffer.from(voted.call.args).toString("utf8")), { id: 0, choice: "Approve" });
    t.is(BigInt(voted.call.deposit), 0n);
    t.is(BigInt(voted.call.gas), VOTE_GAS);
    await page.locator("output.notice").filter({ hasText: voted.hash }).waitFor();
    await page.getByTestId("votes").getByText("alice.test.near").waitFor();
    const tallyAfterOne = await page.getByTestId("tally").innerText();
    t.regex(tallyAfterOne, /council: 1 yes, 0 no, 0 abstain/);
    const votesArgs = { id: 0, from_index: 0, limit: 100 };
    const votes = await cli.view<{ account_id: string; choice: string }[]>(dao, "get_votes", votesArgs);
    t.deepEqual(
      votes.map((v) => [v.account_id, v.choice]),
      [["alice.test.near", "Approve"]],
    );

    // 3. refused: alice approves again; the wallet's failure comes back and the page shows ERR_ALREADY_VOTED
    await page.getByRole("button", { name: "Approve" }).click();
    const again = await playWallet(await shownIn(page), { receiver: dao, method: "vote" });
    t.true(again.failed, "the second vote fails on chain");
    t.regex(again.message ?? "", /ERR_ALREADY_VOTED/);
    const refusal = page.getByRole("dialog").getByRole("alert");
    await refusal.waitFor();
    const text = await refusal.innerText();
    t.regex(text, /ERR_ALREADY_VOTED/);
    t.true(text.includes(meaningOf("ERR_ALREADY_VOTED", "community-dao")!), text);
    await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    t.is(await page.getByTestId("tally").innerText(), tallyAfterOne);
    t.deepEqual(await cli.view(dao, "get_votes", votesArgs), votes);
    t.is((await cli.view<{ status: string }>(dao, "get_proposal", { id: 0 })).status, "InProgress");

    // 4. a reload keeps the sign-in (Wallet Selector's storage) and the page reads the vote from the chain
    await page.reload();
    await page.getByTestId("signed-in").filter({ hasText: "alice.test.near" }).waitFor();
    await page.getByTestId("votes").getByText("alice.test.near").waitFor();
    t.is(await page.getByTestId("tally").innerText(), tallyAfterOne);

    // 5. a wallet that is not a member: alice signs out, dave signs in with the wallet and approves; the DAO refuses
    // (ERR_NO_PERMISSION, with its meaning), nothing changes; then alice signs in again
    await signOut();
    await connect(dave, { closeModal: true });
    await page.getByRole("button", { name: "Approve" }).click();
    const notMember = await playWallet(
      await shownIn(page),
      { receiver: dao, method: "vote" },
      { signer: dave.account },
    );
    t.true(notMember.failed);
    const noPermission = page.getByRole("dialog").getByRole("alert");
    await noPermission.waitFor();
    const noPermissionText = await noPermission.innerText();
    t.regex(noPermissionText, /ERR_NO_PERMISSION/);
    t.true(noPermissionText.includes(meaningOf("ERR_NO_PERMISSION", "community-dao")!), noPermissionText);
    await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    t.is(await page.getByTestId("tally").innerText(), tallyAfterOne);
    t.deepEqual(await cli.view(dao, "get_votes", votesArgs), votes);
    await signOut();
    await connect(alice);

    // 6. bob approves with the CLI; alice executes through the wallet (100 Tgas); carol is a member
    ok(t, await cli.run(["vote", "approve", "0", "-c", "acme", "--account", "bob.test.near"]), "vote approve (bob)");
    await page.reload();
    await page.getByTestId("proposal-status").filter({ hasText: "Approved" }).waitFor();
    await page.getByRole("button", { name: "Execute" }).click();
    const executeShown = await shownIn(page);
    t.is(executeShown.gas, "100.00 Tgas");
    // MyNearWallet's message is lost here: the app gets the hash from its fallback redirect (web/src/wallet-return.ts)
    const executed = await playWallet(executeShown, { receiver: dao, method: "execute" }, { unheard: true });
    t.false(executed.failed);
    t.deepEqual(JSON.parse(Buffer.from(executed.call.args).toString("utf8")), { id: 0 });
    t.is(BigInt(executed.call.deposit), 0n);
    t.is(BigInt(executed.call.gas), executeGasOf(proposal.kind) ?? -1n);
    await page.getByTestId("proposal-status").filter({ hasText: "Executed" }).waitFor();
    await page.locator("output.notice").filter({ hasText: executed.hash }).waitFor();
    const members = await cli.view<{ account_id: string }[]>(dao, "get_members", { from_index: 0, limit: 10 });
    t.true(JSON.stringify(members).includes("carol.test.near"), JSON.stringify(members));

    // 7. another contract: alice registers with the community's reward pool (storage_deposit, 0.02 NEAR), then a
    // claim with nothing to claim is refused with the pool's ERR_NOTHING_TO_CLAIM and the pool's meaning of it
    await page.goto(`${web.url}#/c/${dao}/rewards`);
    await page.getByTestId("storage-balance").filter({ hasText: "not registered" }).waitFor();
    await page.getByRole("button", { name: "Register with the pool" }).click();
    const registered = await playWallet(await shownIn(page), { receiver: pool, method: "storage_deposit" });
    t.false(registered.failed);
    t.is(BigInt(registered.call.deposit), POOL_STORAGE_DEPOSIT);
    t.is(BigInt(registered.call.gas), POOL_STORAGE_DEPOSIT_GAS);
    await page
      .getByTestId("storage-balance")
      .filter({ hasText: /available/ })
      .waitFor();
    await page.locator("output.notice").filter({ hasText: registered.hash }).waitFor();
    const storage = await cli.view<{ total: string } | null>(pool, "storage_balance_of", {
      account_id: "alice.test.near",
    });
    t.is(storage?.total, POOL_STORAGE_DEPOSIT.toString());
    const totals = await cli.view<object>(pool, "get_totals");
    await page.getByRole("button", { name: "Claim" }).click();
    // and the refusal too comes back by the fallback redirect only
    const claimed = await playWallet(await shownIn(page), { receiver: pool, method: "claim" }, { unheard: true });
    t.true(claimed.failed);
    t.is(BigInt(claimed.call.gas), CLAIM_GAS);
    const claimRefusal = page.getByRole("dialog").getByRole("alert");
    await claimRefusal.waitFor();
    const claimText = await claimRefusal.innerText();
    t.regex(claimText, /ERR_NOTHING_TO_CLAIM/);
    t.true(claimText.includes(meaningOf("ERR_NOTHING_TO_CLAIM", "reward-pool")!), claimText);
    await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    t.deepEqual(await cli.view<object>(pool, "get_totals"), totals);
    t.deepEqual(await cli.view(pool, "storage_balance_of", { account_id: "alice.test.near" }), storage);

    // signing out forgets the wallet's sign-in: a reload offers "Connect a wallet" again
    await signOut();
    await page.reload();
    await page.getByRole("button", { name: "Connect a wallet" }).waitFor();
    t.is(await page.getByTestId("signed-in").count(), 0);

    // the testnet RPC the app and the selector called went to the node; nothing else was needed
    for (const m of ["query", "block", "tx"]) t.true(rpcCalls.includes(m), `${m} in ${[...new Set(rpcCalls)]}`);
    t.deepEqual(stubbed, []);
    t.deepEqual(errors, []);
    t.log(`the wallet flow in the browser: ${((Date.now() - tWeb) / 1000).toFixed(1)} s`);
  } catch (e) {
    // what the page showed when a step failed (browser.ts's teardown runs after the browser is closed)
    t.log(`page at failure: ${await page.innerText("body").catch(() => "")}\n${errors.join("\n")}`);
    throw e;
  } finally {
    await web.close();
  }
});

/**
 * MyNearWallet's answer from its window: a message to the app's window (the origin of the URL it returns to), and
 * the redirect to that URL with the same parameters 3 s later should the message go unheard (the error's code and
 * message encoded twice, as MyNearWallet does). `unheard`: the message is lost, only the redirect happens (at once).
 */
async function answer(popup: Page, returnUrl: string, message: Record<string, unknown>, unheard = false) {
  await popup.evaluate(
    ({ returnUrl, message, unheard }) => {
      const back = new URL(returnUrl);
      for (const [k, v] of Object.entries(message)) {
        if (k === "status") continue;
        const value = Array.isArray(v) ? v.join(",") : String(v);
        back.searchParams.set(k, k === "errorCode" || k === "errorMessage" ? encodeURIComponent(value) : value);
      }
      if (unheard) {
        location.href = back.href;
        return;
      }
      setTimeout(() => {
        location.href = back.href;
      }, 3000);
      window.opener.postMessage(message, new URL(returnUrl).origin);
    },
    { returnUrl, message, unheard },
  );
}
