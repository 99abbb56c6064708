import { guideCommands, ok, useCliEnv } from "./harness.ts";

const test = useCliEnv();
const FACTORY = "commons.test.near";
const ACME = "acme.commons.test.near";
const SPIN = "spin.commons.test.near";
const SPIN_DATASETS = "spin_dataset-registry.commons.test.near";
const SPIN_MODELS = "spin_model-registry.commons.test.near";
const ACME_DATASETS = "acme_dataset-registry.commons.test.near";
const ACME_MODELS = "acme_model-registry.commons.test.near";

interface Fork {
  id: number;
  status: string;
  joined_weight: number;
  total_weight: number;
  decided_block: string | null;
  available: string | null;
  amount: string | null;
  receiver_id: string;
  members: { account_id: string; weight: number; roles: string[] }[];
}

const is = (words: string[], ...prefix: string[]) => prefix.every((w, i) => words[i] === w);

test.serial("fork-a-community guide: fork, join, decide, create, pay, import, provenance, ragequit", async (t) => {
  const { cli } = t.context;
  const commands = guideCommands("fork-a-community.md");
  t.true(commands.length >= 20, "the guide has its commands");
  let executes = 0;
  let spinBefore = 0n;
  let spinAvailable = 0n;
  for (const words of commands) {
    // before
    if (is(words, "fork", "execute") && executes === 1) spinBefore = BigInt((await cli.account(SPIN)).amount);
    if (is(words, "ragequit")) {
      spinAvailable = BigInt((await cli.view<{ available: string }>(SPIN, "get_treasury")).available);
    }
    const json = is(words, "ragequit") || is(words, "fork", "import");
    const r = await cli.run(json ? [...words, "--json"] : words);
    ok(t, r, `ai-commons ${words.join(" ")}`);
    // after
    if (is(words, "fork", "show")) {
      const f = await cli.view<Fork>(ACME, "get_fork", { id: 1 });
      t.like(f, { status: "Open", joined_weight: 2, total_weight: 3, receiver_id: SPIN });
      t.deepEqual(f.members.map((m) => m.account_id).sort(), ["bob.test.near", "carol.test.near"]);
      t.regex(r.stdout, /fork 1 of acme\.commons\.test\.near: Open/);
    }
    if (is(words, "fork", "execute")) {
      executes += 1;
      const f = await cli.view<Fork>(ACME, "get_fork", { id: 1 });
      if (executes === 1) {
        // decided; spin does not exist yet: nothing paid, nobody has left
        t.like(f, { status: "Payable", last_error: "ERR_FORK_NOT_CREATED" });
        t.regex(r.stdout, /fork create spin --parent/);
        t.is((await cli.view<{ member_count: number }>(ACME, "get_info")).member_count, 3);
      } else {
        // paid, then the joined members left
        t.is(f.status, "Executed");
        t.is((await cli.view<{ member_count: number }>(ACME, "get_info")).member_count, 1);
        t.regex(r.stdout, /fork 1: executed/);
        t.is(BigInt(f.amount as string), (BigInt(f.available as string) * 2n) / 3n);
        t.is(BigInt((await cli.account(SPIN)).amount) - spinBefore, BigInt(f.amount as string));
      }
    }
    if (is(words, "fork", "create")) {
      const c = await cli.view<{
        status: string;
        creator: string;
        provenance: string;
        forked_from: { status: string; members: number; community: string };
      }>(FACTORY, "get_community", { name: "spin" });
      const f = await cli.view<Fork>(ACME, "get_fork", { id: 1 });
      t.like(c, { status: "Ready", creator: "bob.test.near" });
      t.like(c.forked_from, { status: "Ready", members: 2, community: "acme" });
      t.is(c.provenance, `forked from community acme at block ${f.decided_block}`);
      const members = await cli.view<{ account_id: string; roles: string[] }[]>(SPIN, "get_members", {});
      t.deepEqual(
        members.map((m) => [m.account_id, m.roles]),
        [
          ["bob.test.near", ["council"]],
          ["carol.test.near", ["council"]],
        ],
      );
      // the parent's policy came over, fork section included
      const policy = await cli.view<{ fork?: { threshold_bps: number; ragequit: boolean } }>(SPIN, "get_policy");
      t.like(policy.fork, { threshold_bps: 5000, ragequit: true });
    }
    if (is(words, "fork", "import")) {
      const out = JSON.parse(r.stdout) as { code: string; import: { complete: boolean } }[];
      t.deepEqual(
        out.map((x) => [x.code, x.import.complete]),
        [
          ["dataset-registry", true],
          ["model-registry", true],
        ],
      );
      const f = await cli.view<Fork>(ACME, "get_fork", { id: 1 });
      const provenance = `forked from community acme at block ${f.decided_block}`;
      for (const [reg, parent] of [
        [SPIN_DATASETS, ACME_DATASETS],
        [SPIN_MODELS, ACME_MODELS],
      ]) {
        const imp = await cli.view<Record<string, unknown>>(reg, "get_fork_import");
        t.like(imp, { parent_registry_id: parent, community: "acme", complete: true, provenance });
      }
      const d = await cli.view<{ status: string; imported_from: string; creators: unknown }>(
        SPIN_DATASETS,
        "get_dataset",
        { dataset_id: "community-intents-a@1.0.0" },
      );
      t.like(d, { status: "Admitted", imported_from: ACME_DATASETS });
      t.deepEqual(d.creators, [{ account_id: "carol.test.near", share_bps: 10000 }]);
      const lineage = await cli.view<{ provenance: string; model: { imported_from: string } }>(
        SPIN_MODELS,
        "get_lineage",
        { model_id: "intents@1.0.0" },
      );
      t.is(lineage.provenance, provenance);
      t.is(lineage.model.imported_from, ACME_MODELS);
    }
    if (is(words, "model", "lineage")) t.regex(r.stdout, /provenance: forked from community acme at block \d+/);
    if (is(words, "ragequit")) {
      const out = JSON.parse(r.stdout) as { amount: string };
      t.is(BigInt(out.amount), spinAvailable / 2n);
      t.is(await cli.view(SPIN, "get_member", { account_id: "carol.test.near" }), null);
      t.is((await cli.view<{ member_count: number }>(SPIN, "get_info")).member_count, 1);
    }
  }
  t.is(executes, 2);
});

test.serial("fork errors: clear codes and messages", async (t) => {
  const { cli } = t.context;
  const err = async (args: string[]) => {
    const r = await cli.run([...args, "--json"]);
    t.is(r.code, 1, `${args.join(" ")} should fail:\n${r.stdout}\n${r.stderr}`);
    return (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
  };
  // the fork is final: joining or executing again is refused with the DAO's codes
  t.is(
    (await err(["fork", "join", "--id", "1", "-c", "acme", "--account", "alice.test.near"])).code,
    "ERR_FORK_WINDOW_CLOSED",
  );
  const again = await err(["fork", "execute", "--id", "1", "-c", "acme"]);
  t.is(again.code, "ERR_ALREADY_FINAL");
  t.regex(again.message, /contract error ERR_ALREADY_FINAL/);
  // a --name that cannot be a community is refused before anything is sent (execute_fork's ERR_INVALID_NAME: fork/)
  const badName = await err(["fork", "execute", "--id", "1", "--name", "Not_A_Name", "-c", "acme"]);
  t.is(badName.code, "BAD_ARGS");
  t.regex(badName.message, /--name must be a community name/);
  // no fork open now; an unknown one
  const none = await cli.run(["fork", "show", "-c", "acme", "--json"]);
  ok(t, none, "fork show (none)");
  t.is(JSON.parse(none.stdout), null);
  t.is((await err(["fork", "show", "--id", "9", "-c", "acme"])).code, "ERR_UNKNOWN_FORK");
  // arguments
  t.is((await err(["fork", "join", "-c", "acme"])).code, "BAD_ARGS");
  t.is((await err(["propose", "fork", "-c", "acme"])).code, "BAD_ARGS");
  // refused before anything is sent (the DAO's own ERR_INVALID_NAME for a Fork kind: sandbox-tests/fork/)
  const badForkName = await err([
    "propose",
    "fork",
    "--name",
    "Bad_Name",
    "-c",
    "acme",
    "--account",
    "alice.test.near",
  ]);
  t.is(badForkName.code, "BAD_ARGS");
  t.regex(badForkName.message, /--name must be a community name/);
  // acme is not a fork; a fork community that does not exist
  t.is((await err(["fork", "import", "acme"])).code, "ERR_NOT_A_FORK");
  t.is((await err(["fork", "import", "nope"])).code, "UNKNOWN_COMMUNITY");
  t.is((await err(["fork", "create", "acme", "--parent", "acme", "--fork-id", "1"])).code, "ERR_NOT_A_FORK");
  // ragequit needs the policy's consent: a community with the default policy refuses it
  // (spin allowed it above); a non-member cannot
  t.is((await err(["ragequit", "-c", "spin", "--account", "carol.test.near"])).code, "ERR_NOT_A_MEMBER");
});

test.serial("fork create before the fork is decided: refused at the read, then resumed", async (t) => {
  const { cli } = t.context;
  const run = async (args: string[]) => {
    const r = await cli.run([...args, "--json"]);
    ok(t, r, `ai-commons ${args.join(" ")}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  const alice = ["-c", "acme", "--account", "alice.test.near"];
  // carol comes back to acme, then opens a second fork, spin2
  const add = (await run(["members", "add", "carol.test.near", ...alice])).id as number;
  await run(["vote", "approve", String(add), ...alice]);
  await run(["execute", String(add), ...alice]);
  const id = (await run(["propose", "fork", "--name", "spin2", ...alice])).id as number;
  await run(["vote", "approve", String(id), ...alice]);
  await run(["execute", String(id), ...alice]);
  const active = await cli.run(["propose", "fork", "--name", "spin3", ...alice, "--json"]);
  t.is(active.code, 1);
  t.is(JSON.parse(active.stdout).error.code, "ERR_FORK_ACTIVE");
  await run(["fork", "join", "--id", String(id), "-c", "acme", "--account", "carol.test.near"]);
  const tooEarly = await cli.run(["fork", "execute", "--id", String(id), "-c", "acme", "--json"]);
  t.is(tooEarly.code, 1);
  t.regex(JSON.parse(tooEarly.stdout).error.message, /ERR_FORK_WINDOW_OPEN: fork \d+'s window ends at \d{4}-/);
  // the factory reserves spin2 but refuses to read an open fork: a clear error, nothing deployed
  const early = await cli.run(["fork", "create", "spin2", "--parent", "acme", "--fork-id", String(id), "--json"]);
  t.is(early.code, 1);
  const e = JSON.parse(early.stdout).error as { code: string; message: string };
  t.is(e.code, "ERR_FORK_NOT_SUCCEEDED");
  t.regex(e.message, /re-run `fork create spin2 --parent acme --fork-id \d+`/);
  const pending = await cli.view<{ forked_from: { status: string }; contracts: { status: string }[] }>(
    FACTORY,
    "get_community",
    { name: "spin2" },
  );
  t.is(pending.forked_from.status, "Pending");
  t.false(pending.contracts.some((c) => c.status === "Done"));
  // decided: re-running the same command reads the fork again and deploys
  await run(["node", "fast-forward", "250"]);
  await run(["fork", "execute", "--id", String(id), "-c", "acme"]);
  const resumed = await cli.run(["fork", "create", "spin2"]);
  ok(t, resumed, "fork create spin2 (resumed)");
  t.regex(resumed.stdout, /already reserved by you: resuming/);
  t.regex(resumed.stdout, /fork community spin2: Ready, forked from community acme at block \d+/);
  const members = await cli.view<{ account_id: string }[]>("spin2.commons.test.near", "get_members", {});
  t.deepEqual(
    members.map((m) => m.account_id),
    ["carol.test.near"],
  );
  const paid = await run(["fork", "execute", "--id", String(id), "-c", "acme"]);
  t.is(paid.status, "Executed");
});
