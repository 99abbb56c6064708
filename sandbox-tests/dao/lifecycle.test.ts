// Community DAO stories through the compiled wasm on the local node: members by vote, quorum and threshold,
// separate execution, failure and retry, timelock, vote changes, guardian cancel, treasury transfer, expiry, bonds.
import { useWorker } from "../helpers/worker.ts";
import { failureText } from "../helpers/tx.ts";
import type { NearAccount } from "near-workspaces";
import {
  assertPanics,
  BOND,
  basePolicy,
  DaoClient,
  deployDao,
  events,
  gasOf,
  HOUR_NS,
  NEAR,
  type Policy,
  stateOf,
  TGAS,
  tgas,
  total,
} from "./fixture.ts";

interface Accounts {
  alice: NearAccount;
  bob: NearAccount;
  carol: NearAccount;
  dave: NearAccount;
  guard: NearAccount;
  outsider: NearAccount;
}

const test = useWorker();
let n = 0;

async function world(root: NearAccount, policy?: Policy) {
  n += 1;
  const a: Accounts = {
    alice: await root.createSubAccount(`alice${n}`),
    bob: await root.createSubAccount(`bob${n}`),
    carol: await root.createSubAccount(`carol${n}`),
    dave: await root.createSubAccount(`dave${n}`),
    guard: await root.createSubAccount(`guard${n}`),
    outsider: await root.createSubAccount(`outsider${n}`),
  };
  const council = [a.alice, a.bob, a.carol];
  const dao = await deployDao(root, `dao${n}`, {
    policy,
    members: [
      ...council.map((m) => ({ account_id: m.accountId, roles: ["council"] })),
      { account_id: a.guard.accountId, roles: ["guardian"] },
    ],
  });
  return { ...a, council, dao };
}

test.serial("a council adds a member by vote, and anyone executes it in a separate call", async (t) => {
  const w = await world(t.context.root);
  const c = new DaoClient(w.dao, t);
  const { id, result } = await c.propose(w.alice, { kind: "AddMember", member_id: w.dave.accountId, role: "council" });
  t.log(`propose: ${tgas(gasOf(result))}`);
  t.deepEqual(
    events(result).map((e) => e.event),
    ["proposal_created"],
  );
  const v1 = await c.vote(w.alice, id, "Approve");
  t.log(`vote: ${tgas(gasOf(v1))}`);
  t.is((await c.proposal(id)).status, "InProgress");
  const v2 = await c.vote(w.bob, id, "Approve");
  t.log(`deciding vote: ${tgas(gasOf(v2))}`);
  t.deepEqual(
    events(v2).map((e) => e.event),
    ["vote_cast", "proposal_approved", "bond_refunded"],
  );
  // Approval does not execute: the last voter pays for its vote only.
  t.is((await c.proposal(id)).status, "Approved");
  t.is(await w.dao.view("get_member", { account_id: w.dave.accountId }), null);
  const ex = await c.execute(w.outsider, id);
  t.true(ex.succeeded);
  t.log(`execute AddMember: ${tgas(gasOf(ex))}`);
  t.is((await c.proposal(id)).status, "Executed");
  const member = await w.dao.view<{ roles: string[] }>("get_member", { account_id: w.dave.accountId });
  t.deepEqual(member.roles, ["council"]);
  t.true(events(ex).some((e) => e.event === "member_added"));
  const info = await w.dao.view<{ member_count: number; role_counts: Record<string, number> }>("get_info");
  t.is(info.member_count, 5);
  t.is(info.role_counts.council, 4);
});

test.serial("a policy with quorum and threshold decides only when both are met", async (t) => {
  const policy = basePolicy();
  // Signals need 2 approvals out of at least 3 participating council votes.
  policy.roles[1].vote_policy.signal = {
    weight_kind: "RoleWeight",
    quorum: 3,
    threshold: { kind: "Weight", weight: 2 },
  };
  const w = await world(t.context.root, policy);
  const c = new DaoClient(w.dao, t);
  const { id } = await c.propose(w.alice, { kind: "Signal", message: "adopt the data charter" });
  await c.vote(w.alice, id, "Approve");
  await c.vote(w.bob, id, "Approve");
  // Threshold reached, quorum not: still in progress.
  let p = await c.proposal(id);
  t.is(p.status, "InProgress");
  t.is(p.rules.find((r) => r.role === "council")?.approve, 2);
  await c.vote(w.carol, id, "Abstain");
  p = await c.proposal(id);
  t.is(p.status, "Approved");
  t.is(p.rules.find((r) => r.role === "council")?.abstain, 1);
});

test.serial("a failed execution changes nothing, stays retryable, and succeeds once funds arrive", async (t) => {
  const w = await world(t.context.root);
  const c = new DaoClient(w.dao, t);
  const treasury = await w.dao.view<{ available: string }>("get_treasury");
  const tooMuch = BigInt(treasury.available) + 5n * NEAR;
  const id = await c.pass(w.alice, { kind: "Transfer", receiver_id: w.dave.accountId, amount: tooMuch.toString() }, [
    w.alice,
    w.bob,
  ]);
  const daveBefore = await total(w.dave);
  const first = await c.execute(w.outsider, id);
  t.true(first.succeeded);
  t.deepEqual(first.parseResult(), { id, status: "Failed", error: "ERR_INSUFFICIENT_TREASURY" });
  t.is(await total(w.dave), daveBefore);
  // Funds arrive; anyone retries.
  await t.context.root.transfer(w.dao, 10n * NEAR);
  const retry = await c.execute(w.outsider, id);
  t.true(retry.succeeded);
  t.log(`execute Transfer: ${tgas(gasOf(retry))}`);
  const p = await c.proposal(id);
  t.is(p.status, "Executed");
  t.is(p.attempts, 2);
  t.is((await total(w.dave)) - daveBefore, tooMuch);
});

test.serial("a transfer to a missing account fails in its callback and the treasury keeps the funds", async (t) => {
  const w = await world(t.context.root);
  const c = new DaoClient(w.dao, t);
  const id = await c.pass(
    w.alice,
    { kind: "Transfer", receiver_id: "nobody-here.test.near", amount: NEAR.toString() },
    [w.alice, w.bob],
  );
  const before = BigInt((await w.dao.view<{ available: string }>("get_treasury")).available);
  const r = await c.execute(w.outsider, id);
  t.true(r.succeeded);
  const p = await c.proposal(id);
  t.is(p.status, "Failed");
  t.is(p.last_error, "ERR_EXECUTION_FAILED");
  const after = BigInt((await w.dao.view<{ available: string }>("get_treasury")).available);
  // The transfer came back; only gas rewards may have changed the balance, upward.
  t.true(after >= before);
});

test.serial("a timelock delays execution after approval", async (t) => {
  const w = await world(t.context.root, basePolicy({ timelock: HOUR_NS.toString() }));
  const c = new DaoClient(w.dao, t);
  const id = await c.pass(w.alice, { kind: "Signal" }, [w.alice, w.bob]);
  t.is((await c.proposal(id)).status, "Approved");
  assertPanics(t, await c.execute(w.outsider, id), "ERR_TIMELOCK");
  t.is((await c.proposal(id)).status, "Approved");
  await t.context.worker.provider.fastForward(3000);
  const r = await c.execute(w.outsider, id);
  t.true(r.succeeded);
  t.is((await c.proposal(id)).status, "Executed");
});

test.serial("a member changes its vote while the proposal is in progress", async (t) => {
  const w = await world(t.context.root);
  const c = new DaoClient(w.dao, t);
  const { id } = await c.propose(w.alice, { kind: "Signal" });
  await c.vote(w.alice, id, "Approve");
  const change = await c.vote(w.alice, id, "Reject");
  const ev = events(change).find((e) => e.event === "vote_cast");
  t.like(ev?.data[0] as object, { choice: "Reject", changed_from: "Approve" });
  let council = (await c.proposal(id)).rules.find((r) => r.role === "council");
  t.is(council?.approve, 0);
  t.is(council?.reject, 1);
  assertPanics(
    t,
    await w.alice.callRaw(w.dao, "vote", { id, choice: "Reject" }, { gas: 100n * 10n ** 12n }),
    "ERR_ALREADY_VOTED",
  );
  await c.vote(w.bob, id, "Reject");
  council = (await c.proposal(id)).rules.find((r) => r.role === "council");
  t.is(council?.reject, 2);
  t.is((await c.proposal(id)).status, "Rejected");
});

test.serial("a guardian cancels an approved proposal during its timelock", async (t) => {
  const w = await world(t.context.root, basePolicy({ timelock: HOUR_NS.toString() }));
  const c = new DaoClient(w.dao, t);
  const id = await c.pass(w.alice, { kind: "Transfer", receiver_id: w.dave.accountId, amount: NEAR.toString() }, [
    w.alice,
    w.bob,
  ]);
  assertPanics(t, await w.alice.callRaw(w.dao, "cancel", { id }), "ERR_NO_PERMISSION");
  const r = await w.guard.callRaw(w.dao, "cancel", { id });
  t.true(r.succeeded);
  t.true(events(r).some((e) => e.event === "proposal_cancelled"));
  t.is((await c.proposal(id)).status, "Cancelled");
  await t.context.worker.provider.fastForward(3000);
  assertPanics(t, await c.execute(w.outsider, id), "ERR_ALREADY_FINAL");
});

test.serial("a treasury transfer pays the receiver and never touches bonds or storage", async (t) => {
  const w = await world(t.context.root);
  const c = new DaoClient(w.dao, t);
  const { id } = await c.propose(w.alice, {
    kind: "Transfer",
    receiver_id: w.dave.accountId,
    amount: "3" + "0".repeat(24),
  });
  // An open proposal's bond is held outside the available treasury.
  const view = await w.dao.view<{
    balance: string;
    locked_bonds: string;
    storage_stake: string;
    write_reserve: string;
    available: string;
  }>("get_treasury");
  // The refundable part: the bond less the proposal's own storage, which the proposer paid and the DAO keeps.
  const refundable = BOND - BigInt((await c.proposal(id)).storage_deposit ?? "0");
  t.is(view.locked_bonds, refundable.toString());
  t.is(
    BigInt(view.available),
    BigInt(view.balance) - refundable - BigInt(view.storage_stake) - BigInt(view.write_reserve),
  );
  t.is(view.write_reserve, (300n * 10n ** 19n).toString());
  await c.vote(w.alice, id, "Approve");
  await c.vote(w.bob, id, "Approve");
  const before = await total(w.dave);
  const r = await c.execute(w.carol, id);
  t.true(r.succeeded);
  t.is((await total(w.dave)) - before, 3n * NEAR);
  t.is((await c.proposal(id)).status, "Executed");
  t.is((await w.dao.view<{ locked_bonds: string }>("get_treasury")).locked_bonds, "0");
});

// Spending all of the available treasury works and leaves the bonds whole: the execution's own writes (the
// proposal's status, the STATE record), made after the treasury check, are kept out of `available` (before, a
// Transfer of exactly `available` failed with LackBalanceForState, and with bonds held it spent a few bytes of them).
test.serial("a transfer of the whole available treasury succeeds and leaves the bonds whole", async (t) => {
  const w = await world(t.context.root);
  const c = new DaoClient(w.dao, t);
  // an open proposal: its bond is held while the treasury is spent
  const { id: open } = await c.propose(w.carol, { kind: "Signal", message: "waits while the treasury is spent" });
  const start = BigInt((await w.dao.view<{ available: string }>("get_treasury")).available);
  const amount = start + NEAR;
  const id = await c.pass(w.alice, { kind: "Transfer", receiver_id: w.dave.accountId, amount: amount.toString() }, [
    w.alice,
    w.bob,
  ]);
  // top the treasury up to exactly the transfer's amount
  const now = BigInt((await w.dao.view<{ available: string }>("get_treasury")).available);
  await t.context.root.transfer(w.dao, amount - now);
  t.is(BigInt((await w.dao.view<{ available: string }>("get_treasury")).available), amount);
  const daveBefore = await total(w.dave);
  const spent = await c.execute(w.outsider, id);
  t.is((await c.proposal(id)).status, "Executed", failureText(spent));
  t.is((await total(w.dave)) - daveBefore, amount);
  // what the DAO holds still covers the open proposal's bond and its own storage
  const view = await w.dao.view<{ locked_bonds: string; storage_stake: string }>("get_treasury");
  t.true(BigInt(view.locked_bonds) > 0n);
  const acc = await w.dao.accountView();
  const stake = BigInt(acc.storage_usage) * 10n ** 19n;
  t.true(BigInt(acc.amount) >= BigInt(view.locked_bonds) + stake, "the execution spent bonds");
  t.is((await c.proposal(open)).status, "InProgress");
});

// Votes are stored at the treasury's cost, never at the cost of the bonds the DAO holds: on a DAO with no treasury
// left, a vote is refused (ERR_INSUFFICIENT_TREASURY) and changes nothing; once someone funds it, the same vote passes.
test.serial(
  "a vote on a DAO with no treasury is refused and never spends members' bonds; funding it unblocks",
  async (t) => {
    const w = await world(t.context.root);
    const c = new DaoClient(w.dao, t);
    const { id } = await c.propose(w.alice, { kind: "Signal", message: "no treasury" });
    const before = await w.dao.view<{ balance: string; locked_bonds: string; storage_stake: string }>("get_treasury");
    t.true(BigInt(before.locked_bonds) > 0n);
    // the balance is exactly the bonds and the storage: nothing left to store a vote with
    const view = await w.dao.accountView();
    await w.dao.updateAccount({
      amount: (BigInt(before.locked_bonds) + BigInt(before.storage_stake)).toString(),
      code_hash: view.code_hash,
      locked: view.locked,
      storage_usage: view.storage_usage,
    });
    const stateBefore = await stateOf(w.dao);
    const refused = await w.alice.callRaw(w.dao, "vote", { id, choice: "Approve" }, { gas: 100n * TGAS });
    assertPanics(t, refused, "ERR_INSUFFICIENT_TREASURY", "fund the DAO");
    t.deepEqual(await stateOf(w.dao), stateBefore, "nothing written");
    t.is((await c.proposal(id)).rules[1].approve, 0);
    const after = await w.dao.view<{ locked_bonds: string }>("get_treasury");
    t.is(after.locked_bonds, before.locked_bonds, "the bond is intact");
    // a plain transfer (donate) funds the treasury; the same vote then passes
    await w.outsider.transfer(w.dao, NEAR / 10n);
    await c.vote(w.alice, id, "Approve");
    t.is((await c.proposal(id)).rules[1].approve, 1);
  },
);

test.serial("an undecided proposal expires, refuses votes after its end and refunds its bond", async (t) => {
  const w = await world(t.context.root, basePolicy({ proposal_period: HOUR_NS.toString() }));
  const c = new DaoClient(w.dao, t);
  const { id } = await c.propose(w.outsider, { kind: "Signal" });
  await c.vote(w.alice, id, "Approve");
  await t.context.worker.provider.fastForward(3000);
  assertPanics(t, await w.bob.callRaw(w.dao, "vote", { id, choice: "Approve" }), "ERR_VOTING_ENDED");
  assertPanics(t, await c.execute(w.outsider, id), "ERR_EXPIRED");
  const before = await total(w.outsider);
  const r = await w.carol.callRaw(w.dao, "finalize", { id });
  t.true(r.succeeded);
  const expired = await c.proposal(id);
  t.is(expired.status, "Expired");
  t.is((await total(w.outsider)) - before, BOND - BigInt(expired.storage_deposit ?? "0"));
});

test.serial("the bond is refunded in every final state except Removed as spam", async (t) => {
  const w = await world(t.context.root, basePolicy({ timelock: HOUR_NS.toString() }));
  const c = new DaoClient(w.dao, t);
  const p = w.outsider;
  // Over-attached deposit comes back at once: the proposer is out of pocket by the bond and gas only.
  const start = await total(p);
  const { id: approved } = await c.propose(p, { kind: "Signal" }, { deposit: 5n * NEAR });
  const afterPropose = await total(p);
  t.true(start - afterPropose >= BOND && start - afterPropose < BOND + NEAR / 100n);
  await c.vote(w.alice, approved, "Approve");
  await c.vote(w.bob, approved, "Approve");
  // The bond comes back less the proposal's storage, which stays paid by the proposer while the record exists.
  const kept = async (id: number) => BigInt((await c.proposal(id)).storage_deposit ?? "0");
  t.true((await kept(approved)) > 0n);
  t.true((await total(p)) - afterPropose === BOND - (await kept(approved)), "refunded on approval");

  const { id: rejected } = await c.propose(p, { kind: "Signal" });
  let before = await total(p);
  await c.vote(w.alice, rejected, "Reject");
  await c.vote(w.bob, rejected, "Reject");
  t.is((await c.proposal(rejected)).status, "Rejected");
  t.is((await total(p)) - before, BOND - (await kept(rejected)), "refunded on rejection");

  const { id: cancelled } = await c.propose(p, { kind: "Signal" });
  before = await total(p);
  await w.guard.call(w.dao, "cancel", { id: cancelled });
  t.is((await total(p)) - before, BOND - (await kept(cancelled)), "refunded on cancel");

  const { id: spam } = await c.propose(p, { kind: "Signal" });
  before = await total(p);
  const daoBefore = BigInt((await w.dao.view<{ available: string }>("get_treasury")).available);
  await c.vote(w.alice, spam, "Remove");
  const r = await c.vote(w.bob, spam, "Remove");
  t.is((await c.proposal(spam)).status, "Removed");
  t.true(events(r).some((e) => e.event === "bond_forfeited"));
  t.is(await total(p), before, "kept as spam");
  const daoAfter = BigInt((await w.dao.view<{ available: string }>("get_treasury")).available);
  // Less the storage of the two vote records (~0.002 NEAR).
  t.true(daoAfter - daoBefore > BOND - (await kept(spam)) - NEAR / 100n, "the forfeited bond becomes treasury");
  t.is((await w.dao.view<{ locked_bonds: string }>("get_treasury")).locked_bonds, "0");
});
