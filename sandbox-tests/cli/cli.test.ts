// The CLI end to end, as a user runs it: one local node started by `ai-commons node start` in a temporary HOME,
// the three task guides in docs/guides run command by command, an interrupted `community create` resumed, and one
// case per kind of error. Every story checks the chain over RPC, not the CLI's own output.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import { CliEnv, guideCommands, manifestSha, NEAR, ok, useCliEnv } from "./harness.ts";

const test = useCliEnv();
const FACTORY = "commons.test.near";
const DAO = "acme.commons.test.near";

interface Member {
  account_id: string;
  roles: string[];
  delegate: string | null;
  voting_power: number;
}

interface Proposal {
  id: number;
  status: string;
  kind: Record<string, unknown>;
  bond_settled: boolean;
  last_error: string | null;
}

/** Runs a guide's commands in order; `after` checks the chain after a given command (matched on its words). */
async function runGuide(
  t: ExecutionContext<{ cli: CliEnv }>,
  file: string,
  after: (words: string[]) => Promise<void> = async () => {},
): Promise<void> {
  const commands = guideCommands(file);
  t.true(commands.length >= 3, `${file} has commands`);
  for (const words of commands) {
    const r = await t.context.cli.run(words);
    ok(t, r, `ai-commons ${words.join(" ")}`);
    await after(words);
  }
}

test.serial("create-a-community guide: node, factory deploy with verification, account, community", async (t) => {
  const { cli } = t.context;
  await runGuide(t, "create-a-community.md");
  const status = JSON.parse((await cli.run(["node", "status", "--json"])).stdout) as { running: boolean; home: string };
  t.true(status.running);
  t.is(status.home, join(cli.home, ".ai-commons", "localnet"));
  // The factory runs the built code and stores the built DAO code.
  t.is(await cli.codeSha256(FACTORY), manifestSha("community-factory"));
  const code = await cli.view<{ sha256: string }>(FACTORY, "get_code_info", { name: "community-dao" });
  t.is(code.sha256, manifestSha("community-dao"));
  t.is(await cli.view<string>(FACTORY, "get_owner"), "test.near");
  // Keys are stored as near-cli does.
  const key = JSON.parse(readFileSync(join(cli.home, ".near-credentials", "local", "alice.test.near.json"), "utf8"));
  t.is(key.account_id, "alice.test.near");
  t.true(String(key.private_key).startsWith("ed25519:"));
  // The community exists, runs the built DAO code, and alice founded it.
  const c = await cli.view<{ status: string; creator: string; dao_id: string }>(FACTORY, "get_community", {
    name: "acme",
  });
  t.deepEqual([c.status, c.creator, c.dao_id], ["Ready", "alice.test.near", DAO]);
  t.is(await cli.codeSha256(DAO), manifestSha("community-dao"));
  t.is((await cli.view<{ name: string }>(DAO, "get_config")).name, "Acme commons");
  t.deepEqual((await cli.view<Member>(DAO, "get_member", { account_id: "alice.test.near" })).roles, ["council"]);
  // A second deploy sends nothing new and verifies again.
  const again = await cli.run(["factory", "deploy", "--json"]);
  ok(t, again, "factory deploy (again)");
  const report = JSON.parse(again.stdout) as { verified: boolean; codes: { status: string }[] };
  t.true(report.verified);
  t.regex(report.codes[0].status, /^unchanged/);
});

test.serial("manage-members guide: add bob by proposal + vote + execute, delegate and undelegate", async (t) => {
  const { cli } = t.context;
  await runGuide(t, "manage-members.md", async (words) => {
    if (words[0] === "delegate") {
      const bob = await cli.view<Member>(DAO, "get_member", { account_id: "bob.test.near" });
      t.is(bob.voting_power, 2, "alice's unit moved to bob");
      const alice = await cli.view<Member>(DAO, "get_member", { account_id: "alice.test.near" });
      t.is(alice.delegate, "bob.test.near");
    }
  });
  const p = await cli.view<Proposal>(DAO, "get_proposal", { id: 0 });
  t.is(p.status, "Executed");
  t.deepEqual(p.kind, { kind: "AddMember", member_id: "bob.test.near", role: "council" });
  t.deepEqual((await cli.view<Member>(DAO, "get_member", { account_id: "bob.test.near" })).roles, ["council"]);
  t.is((await cli.view<Member>(DAO, "get_member", { account_id: "alice.test.near" })).delegate, null);
});

test.serial("propose-and-vote guide: a transfer pays bob from the treasury, a signal is rejected", async (t) => {
  const { cli } = t.context;
  let bobBefore = 0n;
  let daoBefore = 0n;
  // `after` hooks run once a command is done: balances are taken after bob's vote, then after the execute.
  await runGuide(t, "propose-and-vote.md", async (words) => {
    const bal = async (id: string) => BigInt((await cli.account(id)).amount);
    if (words[0] === "vote" && words[2] === "1" && words.includes("bob.test.near")) {
      bobBefore = await bal("bob.test.near");
      daoBefore = await bal(DAO);
    }
    if (words[0] === "execute" && words[1] === "1") {
      // bob received 0.5 NEAR and paid only the gas of his execute call
      const gained = (await bal("bob.test.near")) - bobBefore;
      t.true(gained > (NEAR * 45n) / 100n && gained <= NEAR / 2n, `bob gained ${gained}`);
      // the DAO paid 0.5 NEAR, less the 30% of the execution's gas fees credited to it as the contract
      const paid = daoBefore - (await bal(DAO));
      t.true(paid > (NEAR * 49n) / 100n && paid <= NEAR / 2n, `the DAO paid ${paid}`);
    }
  });
  const transfer = await cli.view<Proposal>(DAO, "get_proposal", { id: 1 });
  t.is(transfer.status, "Executed");
  t.is(transfer.kind.amount, (NEAR / 2n).toString());
  const signal = await cli.view<Proposal>(DAO, "get_proposal", { id: 2 });
  t.is(signal.status, "Rejected");
  t.true(signal.bond_settled, "the bond went back to bob");
});

/** A yocto amount as the CLI shows NEAR (docs/cli.md "Units"): whole part grouped, 5 decimals cut, zeros dropped. */
function nearText(yocto: string): string {
  const y = BigInt(yocto);
  const whole = (y / NEAR).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = ((y % NEAR) / 10n ** 19n).toString().padStart(5, "0").replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""} NEAR`;
}

const DATE = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`;

test.serial(
  "human units: members, proposals show with who voted what, treasury, community status; --json exact",
  async (t) => {
    const { cli } = t.context;
    const human = async (args: string[]) => {
      const r = await cli.run(args);
      ok(t, r, `ai-commons ${args.join(" ")}`);
      // no yocto in human output: no run of 19 digits or more (0.00001 NEAR is 10^19 yocto)
      t.notRegex(r.stdout, /\d{19}/, `${args.join(" ")} shows yocto:\n${r.stdout}`);
      return r.stdout;
    };

    const members = await human(["members", "list", "-c", "acme"]);
    t.regex(members, /^2 member\(s\) of acme\.commons\.test\.near$/m);
    t.regex(members, /^alice\.test\.near +council +power 1$/m);
    t.regex(members, /^bob\.test\.near +council +power 1$/m);

    // proposal 1 (the transfer): both council members approved; every time is a UTC date with its distance to now
    const shown = await human(["proposals", "show", "1", "-c", "acme"]);
    const p = await cli.view<{ bond: string; status: string }>(DAO, "get_proposal", { id: 1 });
    t.regex(shown, /^proposal 1 on acme\.commons\.test\.near: Executed$/m);
    t.true(shown.includes(`proposer:    alice.test.near (bond ${nearText(p.bond)})`), shown);
    t.regex(shown, new RegExp(`^  submitted: +${DATE} \\(\\d.* ago\\)$`, "m"));
    t.regex(shown, new RegExp(`^  voting ends: ${DATE} \\((in .*|now)\\)$`, "m"));
    t.regex(shown, new RegExp(`^  decided: +${DATE} \\(.* ago\\)$`, "m"));
    t.regex(shown, /^ {2}votes \(2\):$/m);
    for (const voter of ["alice.test.near", "bob.test.near"]) {
      t.like(await cli.view<object>(DAO, "get_vote", { id: 1, account_id: voter }), { choice: "Approve" });
      t.regex(shown, new RegExp(`^ {4}${voter.replace(/\./g, "\\.")} +Approve$`, "m"));
    }
    const rejected = await human(["proposals", "show", "2", "-c", "acme"]);
    t.regex(rejected, /^ {4}alice\.test\.near +Reject$/m);
    t.regex(rejected, /^ {4}bob\.test\.near +Reject$/m);
    // --json: the proposal as the DAO gives it (yocto strings, nanoseconds), plus the DAO's get_votes
    const json = JSON.parse((await cli.run(["proposals", "show", "1", "-c", "acme", "--json"])).stdout);
    t.is(json.bond, p.bond);
    t.deepEqual(json.votes, await cli.view(DAO, "get_votes", { id: 1 }));
    t.deepEqual(
      json.votes.map((v: { account_id: string; choice: string }) => [v.account_id, v.choice]),
      [
        ["alice.test.near", "Approve"],
        ["bob.test.near", "Approve"],
      ],
    );
    t.regex(json.voting_ends_at, /^\d{19}$/);

    const treasury = await cli.view<Record<string, string>>(DAO, "get_treasury");
    const tr = await human(["treasury", "-c", "acme"]);
    for (const k of ["available", "balance", "locked_bonds", "storage_stake"]) {
      t.true(tr.includes(nearText(treasury[k])), `${k} ${treasury[k]} as ${nearText(treasury[k])} in\n${tr}`);
    }
    const trJson = JSON.parse((await cli.run(["treasury", "-c", "acme", "--json"])).stdout);
    t.like(trJson, { available: treasury.available, balance: treasury.balance });

    const status = await human(["community", "status", "acme"]);
    t.true(status.includes(`treasury: ${nearText(treasury.available)} available`), status);
    // no explorer links on the local node
    t.notRegex(status + shown + tr, /nearblocks/);
  },
);

test.serial("community create makes the whole community in one transaction; re-running it is harmless", async (t) => {
  const { cli } = t.context;
  const created = await cli.run(["community", "create", "beta", "--account", "alice.test.near"]);
  ok(t, created, "community create");
  t.regex(created.stdout, /5 contracts in one transaction/);
  // the transaction is named (with its explorer link on public networks: networks.ts, unit-tested)
  t.regex(created.stdout + created.stderr, /beta: tx [1-9A-HJ-NP-Za-km-z]{43,44}\b/);
  t.regex(created.stdout, /\[1\/5\] community-dao \S+ at beta\.commons\.test\.near/);
  t.regex(created.stdout, /\[5\/5\] reward-pool \S+ at beta_reward-pool\.commons\.test\.near/);
  const c = await cli.view<{
    status: string;
    contracts: { status: string; attempts: number }[];
    pending_dao_args: unknown;
  }>(FACTORY, "get_community", { name: "beta" });
  t.is(c.status, "Ready");
  t.is(c.pending_dao_args, null, "the DAO's arguments are not kept once it exists");
  t.deepEqual(
    c.contracts.map((s) => [s.status, s.attempts]),
    Array(5).fill(["Done", 1]),
  );
  // every account runs the factory's published release, as the global code of its hash
  t.is(await cli.codeSha256("beta.commons.test.near"), manifestSha("community-dao"));
  t.is(await cli.codeSha256("beta_reward-pool.commons.test.near"), manifestSha("reward-pool"));
  // Running it once more is harmless: nothing left to do, nothing sent.
  const again = await cli.run(["community", "create", "beta", "--account", "alice.test.near"]);
  ok(t, again, "create (done)");
  t.notRegex(again.stdout, /one transaction|again/);
  t.regex(again.stdout, /beta is ready/);
});

// A create that stopped half way (here the DAO refuses the policy: the factory does not judge it) is resumed only as
// it was asked for: other options are refused, naming each difference, before anything is sent; the creator can
// abandon it and get the deposit back. A community that exists is never "re-created" with other options either.
test.serial("a resumed community create refuses options that differ from the reserved ones; abandon", async (t) => {
  const { cli } = t.context;
  const policy = join(cli.home, "bad-policy.json");
  writeFileSync(policy, JSON.stringify({ roles: "everyone" }));
  const alice = ["--account", "alice.test.near"];
  const asReserved = ["community", "create", "gamma", "--members", "alice.test.near", "--policy", policy, ...alice];
  const first = await cli.run(asReserved);
  t.is(first.code, 1, first.stdout);
  t.regex(first.stderr, /creating community-dao failed \d+ times: ERR_INVALID_POLICY/);
  const reserved = await cli.view<{ status: string; pending_dao_args: { members: { account_id: string }[] } }>(
    FACTORY,
    "get_community",
    { name: "gamma" },
  );
  t.is(reserved.status, "Creating");
  t.deepEqual(
    reserved.pending_dao_args.members.map((m) => m.account_id),
    ["alice.test.near"],
  );
  const attempts = async () =>
    (await cli.view<{ contracts: { attempts: number }[] }>(FACTORY, "get_community", { name: "gamma" })).contracts[0]
      .attempts;
  const before = await attempts();
  const differ = await cli.run([
    "community",
    "create",
    "gamma",
    "--members",
    "alice.test.near,bob.test.near",
    "--title",
    "Gamma",
    ...alice,
    "--json",
  ]);
  t.is(differ.code, 1);
  const err = JSON.parse(differ.stdout).error as { code: string; message: string };
  t.is(err.code, "OPTIONS_DIFFER");
  t.regex(err.message, /community gamma on commons\.test\.near is reserved by you with other options/);
  t.regex(err.message, /--members: it has alice\.test\.near, given alice\.test\.near, bob\.test\.near/);
  t.regex(err.message, /--title: it has "gamma", given "Gamma"/);
  t.regex(err.message, /community abandon gamma/);
  const otherPolicy = join(cli.home, "other-policy.json");
  writeFileSync(otherPolicy, JSON.stringify({ roles: [] }));
  const policyDiffers = await cli.run(["community", "create", "gamma", "--policy", otherPolicy, ...alice]);
  t.is(policyDiffers.code, 1);
  t.regex(policyDiffers.stderr, /--policy: .*other-policy\.json is not the policy it has/);
  t.is(await attempts(), before, "nothing was sent");

  // the same options resume it (and fail again on the same policy, without reprinting what did not change)
  const same = await cli.run(asReserved);
  t.is(same.code, 1);
  t.regex(same.stdout + same.stderr, /gamma already reserved by you: resuming/);
  // each contract's line is printed once per change, not again on every attempt
  const daoLines = (same.stdout + same.stderr).split("\n").filter((l) => l.startsWith("[1/5] community-dao"));
  t.true(daoLines.length >= 1 && daoLines.length <= 3, daoLines.join("\n"));
  t.is(new Set(daoLines).size, daoLines.length, "no line repeated");
  t.true((await attempts()) > before);

  // only its creator abandons it; the deposit comes back and the name is free again
  const notCreator = await cli.run(["community", "abandon", "gamma", "--account", "bob.test.near", "--json"]);
  t.is(JSON.parse(notCreator.stdout).error.code, "ERR_NOT_CREATOR");
  const balance = async () =>
    BigInt(
      (
        (await cli.provider.query({
          request_type: "view_account",
          finality: "optimistic",
          account_id: "alice.test.near",
        })) as unknown as { amount: string }
      ).amount,
    );
  const b0 = await balance();
  const abandoned = await cli.run(["community", "abandon", "gamma", ...alice, "--json"]);
  ok(t, abandoned, "community abandon");
  const r = JSON.parse(abandoned.stdout) as { refund: string; released: boolean };
  t.true(r.released);
  t.true(BigInt(r.refund) > 0n);
  t.true((await balance()) - b0 > BigInt(r.refund) - NEAR / 100n, "the refund reached the creator, less gas");
  t.is(await cli.view(FACTORY, "get_community", { name: "gamma" }), null);

  // a community that exists is not created again with other members
  const ready = await cli.run(["community", "create", "beta", "--members", "bob.test.near", ...alice, "--json"]);
  t.is(ready.code, 1);
  const e2 = JSON.parse(ready.stdout).error as { code: string; message: string };
  t.is(e2.code, "OPTIONS_DIFFER");
  t.regex(
    e2.message,
    /community beta on commons\.test\.near exists with other options: --members: it has alice\.test\.near, given bob\.test\.near/,
  );
  // the options it was made with are accepted (nothing to do)
  ok(
    t,
    await cli.run(["community", "create", "beta", "--members", "alice.test.near", "--title", "beta", ...alice]),
    "create beta (same)",
  );
});

test.serial("errors: missing key, unknown community, contract errors with meanings, a foreign node", async (t) => {
  const { cli } = t.context;
  const missing = await cli.run(["propose", "signal", "-c", "acme", "--account", "carol.test.near", "--message", "x"]);
  t.is(missing.code, 1);
  const keyPath = join(cli.home, ".near-credentials", "local", "carol.test.near.json");
  t.true(missing.stderr.includes(`no key for carol.test.near on local: looked for ${keyPath}`), missing.stderr);
  t.false(existsSync(keyPath));

  // a key file already named like the new account: refused before anything is sent, so no key is lost
  const stale = join(cli.home, ".near-credentials", "local", "stale.test.near.json");
  writeFileSync(stale, "{}");
  const kept = await cli.run(["account", "create", "stale", "--balance", "5", "--json"]);
  t.is(JSON.parse(kept.stdout).error.code, "KEY_EXISTS");
  t.regex(JSON.parse(kept.stdout).error.message, /stale\.test\.near\.json already exists: move it away first/);
  await t.throwsAsync(cli.account("stale.test.near"), { message: /does not exist/ }, "the account was not created");
  rmSync(stale);
  // only sub-accounts of the signer (another account's create_account could answer false in a successful tx)
  const notSub = await cli.run(["account", "create", "bob.other.near", "--json"]);
  t.is(JSON.parse(notSub.stdout).error.code, "BAD_ARGS");
  t.regex(JSON.parse(notSub.stdout).error.message, /is not a sub-account of the signer test\.near/);

  const unknown = await cli.run(["members", "list", "-c", "nope", "--json"]);
  t.is(unknown.code, 1);
  t.is(JSON.parse(unknown.stdout).error.code, "UNKNOWN_COMMUNITY");
  const unknownId = await cli.run(["treasury", "-c", "nope.test.near"]);
  t.is(unknownId.code, 1);
  t.regex(unknownId.stderr, /unknown community: nope\.test\.near is not a community DAO/);
  const unknownStatus = await cli.run(["community", "status", "nope"]);
  t.regex(unknownStatus.stderr, /unknown community: no community named nope on commons\.test\.near/);

  const self = await cli.run(["delegate", "alice.test.near", "-c", "acme", "--account", "alice.test.near", "--json"]);
  t.is(self.code, 1);
  const err = JSON.parse(self.stdout).error as { code: string; message: string };
  t.is(err.code, "ERR_SELF_DELEGATION");
  t.regex(err.message, /you cannot delegate to yourself/);
  const final = await cli.run(["vote", "approve", "0", "-c", "acme", "--account", "alice.test.near"]);
  t.is(final.code, 1);
  t.regex(final.stderr, /contract error ERR_ALREADY_FINAL \(Executed\): the proposal is already decided or closed/);
  // with the transaction, so the failure can be looked up
  t.regex(final.stderr, /cancelled\) \(tx [1-9A-HJ-NP-Za-km-z]{43,44}\)/);

  // A transfer above the available treasury is approved but fails at execution; the CLI says why.
  const big = ["-c", "acme", "--account"];
  const proposed = await cli.run([
    "propose",
    "transfer",
    ...big,
    "bob.test.near",
    "--to",
    "bob.test.near",
    "--amount",
    "50",
    "--json",
  ]);
  ok(t, proposed, "propose transfer 50");
  const id = String(JSON.parse(proposed.stdout).id);
  ok(t, await cli.run(["vote", "approve", id, ...big, "alice.test.near"]), "vote alice");
  ok(t, await cli.run(["vote", "approve", id, ...big, "bob.test.near"]), "vote bob");
  const failed = await cli.run(["execute", id, ...big, "bob.test.near"]);
  t.is(failed.code, 1);
  t.regex(failed.stderr, /ERR_INSUFFICIENT_TREASURY/);
  t.is((await cli.view<Proposal>(DAO, "get_proposal", { id: Number(id) })).status, "Failed");

  // Another user's HOME on the same port finds a node that is not its own and says so instead of using it.
  const other = new CliEnv();
  other.port = cli.port;
  const foreign = await other.run(["node", "start"]);
  rmSync(other.home, { recursive: true, force: true });
  t.is(foreign.code, 1);
  t.regex(foreign.stderr, /answers with chain test-chain-\w+, not the node of .*set AI_COMMONS_LOCAL_PORT/);

  const badArgs = await cli.run(["propose", "teleport", "-c", "acme"]);
  t.is(badArgs.code, 1);
  t.regex(badArgs.stderr, /unknown proposal kind teleport/);
});
