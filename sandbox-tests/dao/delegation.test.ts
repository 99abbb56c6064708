// Delegated voting power is read from the snapshot taken when a proposal is created: power moved afterwards does
// not count on it, and counts on the next proposal.
import { useWorker } from "../helpers/worker.ts";
import { assertPanics, basePolicy, DaoClient, deployDao, NEAR, ratio, stateOf, total } from "./fixture.ts";

const test = useWorker();

test.serial("delegation counts from the snapshot: weight moved after creation does not count", async (t) => {
  const { root } = t.context;
  const [alice, bob, carol, dave] = await Promise.all(
    ["alice", "bob", "carol", "dave"].map((n) => root.createSubAccount(n)),
  );
  const policy = basePolicy();
  policy.default_vote_policy = ratio(1, 2, "DelegatedWeight");
  const dao = await deployDao(root, "dao", {
    policy,
    members: [alice, bob, carol, dave].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
  });
  const c = new DaoClient(dao, t);
  // Before the first proposal: carol gives her unit to alice (alice 2, carol 0).
  await carol.call(dao, "delegate", { delegate_id: alice.accountId }, { attachedDeposit: NEAR / 100n });
  const { id: first } = await c.propose(alice, { kind: "Signal" });
  // After it: dave gives his unit to alice too. On `first` alice still weighs 2 and dave keeps his 1.
  await dave.call(dao, "delegate", { delegate_id: alice.accountId }, { attachedDeposit: NEAR / 100n });
  const member = await dao.view<{ voting_power: number }>("get_member", { account_id: alice.accountId });
  t.is(member.voting_power, 3);
  await c.vote(alice, first, "Approve");
  let p = await c.proposal(first);
  const council = () => p.rules.find((r) => r.role === "council");
  t.is(council()?.approve, 2);
  t.is(council()?.total, 4);
  t.is(p.status, "InProgress", "2 of 4 is not more than half");
  assertPanics(t, await carol.callRaw(dao, "vote", { id: first, choice: "Approve" }), "ERR_NO_VOTING_POWER");
  await c.vote(dave, first, "Approve");
  p = await c.proposal(first);
  t.is(council()?.approve, 3);
  t.is(p.status, "Approved");
  // A proposal created now sees alice at 3: she decides alone.
  const { id: second } = await c.propose(bob, { kind: "Signal" });
  await c.vote(alice, second, "Approve");
  p = await c.proposal(second);
  t.is(council()?.approve, 3);
  t.is(p.status, "Approved");
  // Undelegating gives the unit back for later proposals only.
  await dave.call(dao, "undelegate", {}, { attachedDeposit: NEAR / 100n });
  const after = await dao.view<{ voting_power: number }>("get_member", { account_id: dave.accountId });
  t.is(after.voting_power, 1);
});

test.serial(
  "the delegator pays the checkpoints' storage: none attached is refused, the excess comes back",
  async (t) => {
    const { root } = t.context;
    const [alice, bob] = await Promise.all(["alice2", "bob2"].map((n) => root.createSubAccount(n)));
    const dao = await deployDao(root, "dao2", {
      members: [alice, bob].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
    });
    const before = await stateOf(dao);
    assertPanics(t, await bob.callRaw(dao, "delegate", { delegate_id: alice.accountId }), "ERR_DEPOSIT_TOO_LOW");
    t.is(await stateOf(dao), before, "a refused delegation changes nothing");
    const daoBefore = await total(dao);
    const usageBefore = (await dao.accountView()).storage_usage;
    const r = await bob.callRaw(dao, "delegate", { delegate_id: alice.accountId }, { attachedDeposit: NEAR });
    t.true(r.succeeded, r.receiptFailureMessages.join());
    const grown = BigInt((await dao.accountView()).storage_usage - usageBefore);
    // the DAO kept the storage of what it stored (plus the margin for STATE's counter), the rest of 1 NEAR came back;
    // the DAO also earns a share of the call's gas, so its balance may grow by a little more
    const kept = (await total(dao)) - daoBefore;
    t.true(grown > 0n, "a checkpoint was written");
    t.true(
      kept >= grown * 10n ** 19n && kept < (grown + 8n) * 10n ** 19n + NEAR / 1000n,
      `kept ${kept} for ${grown} bytes`,
    );
    t.log(`delegate: ${grown} bytes stored, paid by the delegator (${Number(grown) * 1e-5} NEAR)`);
    // undelegating writes checkpoints too: refused without a deposit, like delegating
    assertPanics(t, await bob.callRaw(dao, "undelegate", {}), "ERR_DEPOSIT_TOO_LOW");
    t.true((await bob.callRaw(dao, "undelegate", {}, { attachedDeposit: NEAR / 100n })).succeeded);
  },
);
