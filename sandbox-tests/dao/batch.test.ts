// Batches and scale: a hundred members added by one proposal and fifty removed by another, and paging through
// hundreds of proposals.
import type { NearAccount } from "near-workspaces";
import { useWorker } from "../helpers/worker.ts";
import { basePolicy, DaoClient, deployDao, events, gasOf, TGAS, tgas } from "./fixture.ts";

const test = useWorker();

interface MemberView {
  account_id: string;
  roles: string[];
}

async function allMembers(dao: NearAccount): Promise<MemberView[]> {
  const out: MemberView[] = [];
  for (let from = 0; ; from += 100) {
    const page = await dao.view<MemberView[]>("get_members", { from_index: from, limit: 100 });
    out.push(...page);
    if (page.length < 100) return out;
  }
}

test.serial("a council adds a hundred members in one batch and removes fifty in another", async (t) => {
  const { root } = t.context;
  const [alice, bob, carol, outsider] = await Promise.all(
    ["alice", "bob", "carol", "outsider"].map((n) => root.createSubAccount(n)),
  );
  const dao = await deployDao(root, "dao", {
    members: [alice, bob, carol].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
  });
  const c = new DaoClient(dao, t);
  const newcomers = Array.from({ length: 100 }, (_, i) => `member-${i}.community.near`);
  const add = await c.pass(
    alice,
    { kind: "AddMembers", members: newcomers.map((member_id) => ({ member_id, role: "guardian" })) },
    [alice, bob],
  );
  const added = await c.execute(outsider, add);
  t.true(added.succeeded, added.receiptFailureMessages.join());
  t.log(`execute AddMembers (100): ${tgas(gasOf(added))}`);
  t.is((await c.proposal(add)).status, "Executed");
  const addEvent = events(added).find((e) => e.event === "member_added");
  t.is(addEvent?.data.length, 100);
  t.deepEqual(addEvent?.data[99], { member_id: newcomers[99], role: "guardian" });
  type Info = { member_count: number; role_counts: Record<string, number> };
  let info = await dao.view<Info>("get_info");
  t.is(info.member_count, 103);
  t.deepEqual(info.role_counts, { council: 3, guardian: 100 });
  let listed = await allMembers(dao);
  t.is(listed.length, 103);
  t.deepEqual(
    new Set(listed.map((m) => m.account_id)),
    new Set([alice, bob, carol].map((a) => a.accountId).concat(newcomers)),
  );

  // Remove every other newcomer: removal swaps the last member into the freed slot, so the listing must stay exact.
  const leaving = newcomers.filter((_, i) => i % 2 === 0);
  const staying = newcomers.filter((_, i) => i % 2 === 1);
  const remove = await c.pass(
    alice,
    { kind: "RemoveMembers", members: leaving.map((member_id) => ({ member_id, role: "guardian" })) },
    [alice, bob],
  );
  const removed = await c.execute(outsider, remove);
  t.true(removed.succeeded, removed.receiptFailureMessages.join());
  t.log(`execute RemoveMembers (50): ${tgas(gasOf(removed))}`);
  t.is(events(removed).find((e) => e.event === "member_removed")?.data.length, 50);
  info = await dao.view<Info>("get_info");
  t.is(info.member_count, 53);
  t.deepEqual(info.role_counts, { council: 3, guardian: 50 });
  listed = await allMembers(dao);
  t.is(listed.length, 53);
  t.deepEqual(
    listed.map((m) => m.account_id).sort(),
    [alice, bob, carol]
      .map((a) => a.accountId)
      .concat(staying)
      .sort(),
  );
  t.is(await dao.view("get_member", { account_id: leaving[0] }), null);
  t.deepEqual((await dao.view<MemberView>("get_member", { account_id: staying[0] })).roles, ["guardian"]);
  // A batch above the limit is refused at proposal time.
  const tooMany = Array.from({ length: 101 }, (_, i) => ({ member_id: `x-${i}.community.near`, role: "guardian" }));
  const r = await alice.callRaw(
    dao,
    "add_proposal",
    { description: "too many", kind: { kind: "AddMembers", members: tooMany } },
    { attachedDeposit: 10n ** 24n, gas: 100n * TGAS },
  );
  t.true(r.receiptFailureMessages.join().includes("ERR_BATCH_SIZE"));
});

test.serial("pagination over hundreds of proposals returns them in id order, at most 100 a page", async (t) => {
  const { root } = t.context;
  const proposers = await Promise.all([0, 1, 2, 3].map((i) => root.createSubAccount(`p${i}`)));
  // No bond: 300 proposals stay cheap.
  const dao = await deployDao(root, "many", {
    policy: basePolicy({ proposal_bond: "0" }),
    members: proposers.map((m) => ({ account_id: m.accountId, roles: ["council"] })),
  });
  const c = new DaoClient(dao, t);
  const description = new Map<number, string>();
  // Four proposers in parallel, each one after the other: ids are given in arrival order.
  await Promise.all(
    proposers.map(async (p, n) => {
      for (let i = 0; i < 75; i++) {
        const text = `proposal ${n}-${i}`;
        // no bond, but each proposer pays its proposal's storage (~0.013 NEAR; the excess comes back)
        const { id } = await c.propose(p, { kind: "Signal" }, { deposit: 2n * 10n ** 22n, description: text });
        description.set(id, text);
      }
    }),
  );
  t.is(description.size, 300);
  t.is(await dao.view("get_last_proposal_id"), 300);
  const seen: number[] = [];
  for (let from = 0; from < 300; from += 100) {
    const page = await dao.view<{ id: number; description: string }[]>("get_proposals", {
      from_index: from,
      limit: 100,
    });
    t.is(page.length, 100);
    for (const p of page) {
      t.is(p.description, description.get(p.id) ?? "(not sent)");
      seen.push(p.id);
    }
  }
  t.deepEqual(
    seen,
    Array.from({ length: 300 }, (_, i) => i),
  );
  // Odd page sizes and the end of the list.
  const small = await dao.view<{ id: number }[]>("get_proposals", { from_index: 7, limit: 3 });
  t.deepEqual(
    small.map((p) => p.id),
    [7, 8, 9],
  );
  const tail = await dao.view<{ id: number }[]>("get_proposals", { from_index: 295, limit: 100 });
  t.deepEqual(
    tail.map((p) => p.id),
    [295, 296, 297, 298, 299],
  );
  t.deepEqual(await dao.view("get_proposals", { from_index: 300, limit: 10 }), []);
  t.is((await dao.view<unknown[]>("get_proposals", {})).length, 100, "the default page is 100");
  // The limits of limit.
  for (const bad of [{ limit: 101 }, { limit: 0 }, { limit: -1 }, { from_index: -1 }, { limit: 1.5 }]) {
    const err = await t.throwsAsync(dao.view("get_proposals", bad));
    t.true(err?.message.includes("ERR_INVALID_PAGINATION"), `${JSON.stringify(bad)}: ${err?.message.slice(0, 200)}`);
  }
});
