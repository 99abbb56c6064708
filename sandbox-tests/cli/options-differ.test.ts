// scripts/cli/community.ts optionsDiffer without a node: what a re-run `community create` is compared with (the DAO's
// own state once it exists, else the arguments the factory keeps), policies compared as the DAO stores them
// (contracts/community-dao/policy-shape.ts), founders as a set. The chain is a stand-in answering the DAO's views.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { cleanPolicy } from "../../contracts/community-dao/policy-shape.ts";
import type { Policy } from "../../contracts/community-dao/types.ts";
import type { CommunityView } from "../../scripts/cli/community.ts";
import { optionsDiffer } from "../../scripts/cli/community.ts";
import type { Chain } from "../../scripts/cli/context.ts";
import { ROOT } from "./harness.ts";

const dir = mkdtempSync(join(tmpdir(), "options-differ-"));
const forkPolicy = JSON.parse(readFileSync(join(ROOT, "docs", "guides", "fork-policy.json"), "utf8")) as Policy;

function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** A community record; `daoDone` decides whether the DAO's views or `pending` are compared with. */
function community(daoDone: boolean, pending: Record<string, unknown> | null): CommunityView {
  return {
    name: "acme",
    creator: "alice.test.near",
    dao_id: "acme.f.test.near",
    status: daoDone ? "Ready" : "Creating",
    deposit_left: "0",
    contracts: [
      {
        code: "community-dao",
        account_id: "acme.f.test.near",
        status: daoDone ? "Done" : "Failed",
        version: null,
        sha256: null,
        attempts: 1,
        last_error: null,
      },
    ],
    pending_dao_args: daoDone ? null : pending,
  };
}

/** The DAO's views as a DAO created with `policy` and `members` answers them. */
function chainOf(policy: Policy, members: string[]): Chain {
  const views: Record<string, unknown> = {
    get_config: { name: "acme", purpose: "", metadata: "" },
    get_policy: cleanPolicy(policy),
  };
  const provider = {
    async callFunction(q: { method: string; args: { from_index?: number } }) {
      if (q.method === "get_members") {
        return (q.args.from_index ?? 0) === 0 ? members.map((account_id) => ({ account_id, roles: ["council"] })) : [];
      }
      return views[q.method];
    },
  };
  return { network: "local", url: "", provider } as unknown as Chain;
}

const noChain = chainOf(forkPolicy, []);

test("a DAO that exists: the same policy file, with a field the DAO drops, is the same; without its fork part it is not", async (t) => {
  const chain = chainOf(forkPolicy, ["alice.test.near"]);
  const c = community(true, null);
  t.deepEqual(await optionsDiffer(chain, c, { name: "acme", policyFile: file("same.json", forkPolicy) }), []);
  const commented = file("commented.json", { ...forkPolicy, _comment: "ours" });
  t.deepEqual(await optionsDiffer(chain, c, { name: "acme", policyFile: commented }), []);
  const { fork: _, ...withoutFork } = forkPolicy;
  const shorter = await optionsDiffer(chain, c, { name: "acme", policyFile: file("no-fork.json", withoutFork) });
  t.is(shorter.length, 1);
  t.regex(shorter[0], /^--policy: .*no-fork\.json is not the policy it has \(another policy/);
  // founders as a set: a name given twice is one member
  t.deepEqual(await optionsDiffer(chain, c, { name: "acme", members: ["alice.test.near", "alice.test.near"] }), []);
  t.deepEqual(await optionsDiffer(chain, c, { name: "acme", title: "acme" }), []);
  t.deepEqual(await optionsDiffer(chain, c, { name: "acme", title: "Acme" }), ['--title: it has "acme", given "Acme"']);
});

test("a reservation whose DAO was never made: a policy given now when none was asked for is a difference", async (t) => {
  const pending = { config: { name: "acme", purpose: "", metadata: "" }, members: [{ account_id: "alice.test.near" }] };
  const given = file("given.json", forkPolicy);
  const r = await optionsDiffer(noChain, community(false, pending), { name: "acme", policyFile: given });
  t.is(r.length, 1);
  t.regex(r[0], /is not the policy it has \(the default policy/);
  // asked for with the same policy (a field the DAO would drop aside): the same
  const withPolicy = { ...pending, policy: { ...forkPolicy, _comment: "x" } };
  t.deepEqual(await optionsDiffer(noChain, community(false, withPolicy), { name: "acme", policyFile: given }), []);
  // a policy the DAO refused (not a policy at all) is compared as it was given
  const refused = { ...pending, policy: { roles: "everyone" } };
  const same = file("refused.json", { roles: "everyone" });
  t.deepEqual(await optionsDiffer(noChain, community(false, refused), { name: "acme", policyFile: same }), []);
  t.is((await optionsDiffer(noChain, community(false, refused), { name: "acme", policyFile: given })).length, 1);
  // nothing given: nothing compared (a bare re-run resumes as reserved)
  t.deepEqual(await optionsDiffer(noChain, community(false, refused), { name: "acme" }), []);
});

test("a record without the DAO's arguments (an older factory) cannot be compared and says so", async (t) => {
  const r = await optionsDiffer(noChain, community(false, null), { name: "acme", members: ["bob.test.near"] });
  t.deepEqual(r, [
    "the factory keeps no arguments for this community's DAO to compare with (a record from an older release)",
  ]);
});
