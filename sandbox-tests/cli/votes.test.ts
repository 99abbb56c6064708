// scripts/cli/dao.ts getVotes without a node: pages of the DAO's get_votes up to member_count, and on a DAO whose code
// predates that view (nearcore answers MethodNotFound) one get_vote per member instead. The RPC is a stand-in
// provider that answers view calls from a table.
import test from "ava";
import { ContractMethodNotFoundError } from "near-api-js/rpc-errors";
import type { Chain } from "../../scripts/cli/context.ts";
import { getVotes } from "../../scripts/cli/dao.ts";

type Views = Record<string, (args: Record<string, unknown>) => unknown>;

/** A Chain whose provider answers view calls (near-api-js 7's `callFunction`) from `views`, recording each call. */
function fakeChain(views: Views): { chain: Chain; calls: string[] } {
  const calls: string[] = [];
  const provider = {
    async callFunction(q: { method: string; args: Record<string, unknown> }) {
      calls.push(`${q.method} ${JSON.stringify(q.args ?? {})}`);
      const view = views[q.method];
      // what near-api-js 7 throws when nearcore answers MethodResolveError(MethodNotFound)
      if (!view) throw new ContractMethodNotFoundError("11111111111111111111111111111111", 1);
      return view(q.args ?? {});
    },
  };
  return { chain: { network: "local", provider } as unknown as Chain, calls };
}

const members = Array.from({ length: 150 }, (_, i) => `m${i}.test.near`);
const voted = (account: string) => Number(account.slice(1, -10)) % 50 === 0;
const vote = (account_id: string) => ({ account_id, choice: "Approve", weights: [0, 1] });

test("get_votes is read page by page up to member_count, short pages included", async (t) => {
  const { chain, calls } = fakeChain({
    get_info: () => ({ member_count: members.length }),
    get_votes: (a) =>
      members
        .slice(a.from_index as number, (a.from_index as number) + (a.limit as number))
        .filter(voted)
        .map(vote),
  });
  t.deepEqual(await getVotes(chain, "dao.test.near", 4), ["m0.test.near", "m50.test.near", "m100.test.near"].map(vote));
  t.deepEqual(calls, [
    "get_info {}",
    'get_votes {"id":4,"from_index":0,"limit":100}',
    'get_votes {"id":4,"from_index":100,"limit":100}',
  ]);
});

test("a DAO without get_votes (older code) is asked get_vote for each member", async (t) => {
  const { chain, calls } = fakeChain({
    get_info: () => ({ member_count: 3 }),
    get_members: () => members.slice(0, 3).map((account_id) => ({ account_id, roles: ["council"] })),
    get_vote: (a) => (a.account_id === "m1.test.near" ? { v: 1, choice: "Reject", weights: [0, 1] } : null),
  });
  t.deepEqual(await getVotes(chain, "dao.test.near", 2), [
    { account_id: "m1.test.near", choice: "Reject", weights: [0, 1] },
  ]);
  t.is(calls.filter((c) => c.startsWith("get_vote ")).length, 3);
});

test("other errors of get_votes are not taken for an old DAO", async (t) => {
  const { chain } = fakeChain({
    get_info: () => ({ member_count: 1 }),
    get_votes: () => {
      throw new Error("Smart contract panicked: ERR_UNKNOWN_PROPOSAL: 9");
    },
  });
  await t.throwsAsync(getVotes(chain, "dao.test.near", 9), { message: /ERR_UNKNOWN_PROPOSAL/ });
});
