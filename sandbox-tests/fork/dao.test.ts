// Forking on the community DAO (docs/fork.md): a Fork proposal opens a window, members join once with their weight,
// treasury-moving kinds are refused meanwhile, after the window the fork fails (below threshold, nothing moves) or
// the joined members leave and the new DAO receives treasury x joined / total to the yocto. Ragequit. Every refusal
// panics with its code and leaves the DAO's storage unchanged.
import type { ExecutionContext } from "ava";
import { burnt, stateOf } from "../helpers/tx.ts";
import { useWorker } from "../helpers/worker.ts";
import type { NearAccount, TransactionResult } from "near-workspaces";
import {
  assertPanics,
  basePolicy,
  DaoClient,
  deployDao,
  events,
  gasOf,
  HOUR_NS,
  NEAR,
  type Policy,
  TGAS,
  tgas,
  total,
} from "../dao/fixture.ts";

const test = useWorker();
let n = 0;

interface Fork {
  id: number;
  status: string;
  receiver_id: string;
  total_weight: number;
  joined_weight: number;
  joined: number;
  exited: number;
  threshold_bps: number;
  available: string | null;
  amount: string | null;
  last_error: string | null;
  decided_block: string | null;
  opened_block: string;
}

function forkPolicy(threshold_bps: number, ragequit: boolean, weight_kind = "RoleWeight"): Policy {
  const p = basePolicy() as Policy & { fork?: unknown };
  p.default_vote_policy = { ...p.default_vote_policy, weight_kind: weight_kind as "RoleWeight" };
  p.fork = { window: HOUR_NS.toString(), threshold_bps, ragequit };
  return p;
}

async function world(root: NearAccount, policy: Policy) {
  n += 1;
  const names = ["alice", "bob", "carol", "dave", "erin"];
  const m: NearAccount[] = [];
  for (const name of names) m.push(await root.createSubAccount(`${name}${n}`));
  const outsider = await root.createSubAccount(`outsider${n}`);
  const receiver = await root.createSubAccount(`spin${n}`, { initialBalance: NEAR });
  const dao = await deployDao(root, `dao${n}`, {
    policy,
    members: m.map((a) => ({ account_id: a.accountId, roles: ["council"] })),
  });
  return { dao, m, outsider, receiver, c: new DaoClient(dao, {} as never) };
}

/** Runs a call that must be refused with `code` and checks that the DAO's storage did not change. */
async function refused(
  t: ExecutionContext,
  dao: NearAccount,
  call: () => Promise<TransactionResult>,
  code: string,
): Promise<void> {
  const before = await stateOf(dao);
  assertPanics(t, await call(), code);
  t.is(await stateOf(dao), before, `${code}: state changed`);
}

async function openFork(
  w: Awaited<ReturnType<typeof world>>,
  receiver_id?: string,
  voters = w.m.slice(0, 3),
): Promise<number> {
  const kind = { kind: "Fork", name: "spin", receiver_id: receiver_id ?? w.receiver.accountId };
  const id = await w.c.pass(w.m[0], kind, voters);
  const r = await w.c.execute(w.m[0], id);
  if (r.failed) throw new Error(r.receiptFailureMessages.join(" | "));
  return id;
}

test.serial(
  "a fork at its threshold: members join, spending waits, the new DAO gets its share to the yocto",
  async (t) => {
    const w = await world(t.context.root, forkPolicy(4000, true));
    const [alice, bob, carol] = w.m;
    // A transfer approved before the window, executed during it, must wait.
    const transfer = await w.c.pass(
      alice,
      { kind: "Transfer", receiver_id: carol.accountId, amount: NEAR.toString() },
      [alice, bob, carol],
    );
    const id = await openFork(w);
    const open = await w.dao.view<Fork>("get_fork", {});
    t.like(open, { id, status: "Open", total_weight: 5, joined_weight: 0, threshold_bps: 4000 });
    t.is((await w.c.proposal(id)).status, "Executed");

    const j = await alice.callRaw(w.dao, "join_fork", { id }, { gas: 30n * TGAS });
    t.is(j.parseResult<number>(), 1);
    t.like(events(j).find((e) => e.event === "fork_joined")?.data[0] as object, { weight: 1, joined_weight: 1 });
    await bob.callRaw(w.dao, "join_fork", { id }, { gas: 30n * TGAS });
    t.log(`join_fork ${tgas(gasOf(j))}`);

    await refused(t, w.dao, () => alice.callRaw(w.dao, "join_fork", { id }), "ERR_ALREADY_JOINED");
    await refused(t, w.dao, () => w.outsider.callRaw(w.dao, "join_fork", { id }), "ERR_NOT_A_MEMBER");
    await refused(t, w.dao, () => w.c.execute(alice, transfer), "ERR_FORK_WINDOW_OPEN");
    await refused(
      t,
      w.dao,
      () => carol.callRaw(w.dao, "execute_fork", { id }, { gas: 100n * TGAS }),
      "ERR_FORK_WINDOW_OPEN",
    );
    await refused(t, w.dao, () => carol.callRaw(w.dao, "leave", { ragequit: true }), "ERR_FORK_WINDOW_OPEN");
    await refused(
      t,
      w.dao,
      () =>
        alice.callRaw(
          w.dao,
          "add_proposal",
          { description: "again", kind: { kind: "Fork", name: "other", receiver_id: w.outsider.accountId } },
          { attachedDeposit: NEAR, gas: 100n * TGAS },
        ),
      "ERR_FORK_ACTIVE",
    );
    t.is((await w.c.proposal(transfer)).status, "Approved");

    await t.context.worker.provider.fastForward(3000);
    await refused(t, w.dao, () => carol.callRaw(w.dao, "join_fork", { id }), "ERR_FORK_WINDOW_CLOSED");
    // Still refused after the window until the fork is settled.
    await refused(t, w.dao, () => w.c.execute(alice, transfer), "ERR_FORK_WINDOW_OPEN");

    const before = await total(w.receiver);
    const r = await carol.callRaw(w.dao, "execute_fork", { id }, { gas: 100n * TGAS });
    t.true(r.succeeded, r.receiptFailureMessages.join(" | "));
    t.log(`execute_fork (2 exits + payment) ${tgas(gasOf(r))}`);
    const f = await w.dao.view<Fork>("get_fork", { id });
    t.like(f, { status: "Executed", joined: 2, exited: 2, joined_weight: 2, last_error: null });
    // floor(available x 2 / 5); the remainder stays in the parent's treasury
    t.is(BigInt(f.amount as string), (BigInt(f.available as string) * 2n) / 5n);
    t.is((await total(w.receiver)) - before, BigInt(f.amount as string));
    const names = events(r).map((e) => e.event);
    t.deepEqual(
      names.filter((e) => e.startsWith("fork_") || e === "member_removed"),
      ["fork_succeeded", "fork_payment_sent", "member_removed", "fork_executed"],
    );
    t.is(await w.dao.view("get_member", { account_id: alice.accountId }), null);
    t.is(await w.dao.view("get_member", { account_id: bob.accountId }), null);
    t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 3);
    t.is(await w.dao.view("get_fork", {}), null);
    const page = await w.dao.view<{ members: unknown[] }>("get_fork", { id, from_index: 0, limit: 10 });
    t.deepEqual(page.members, [
      { account_id: alice.accountId, weight: 1, roles: ["council"] },
      { account_id: bob.accountId, weight: 1, roles: ["council"] },
    ]);
    t.deepEqual((await w.dao.view<{ members: unknown[] }>("get_fork", { id, from_index: 1, limit: 1 })).members, [
      { account_id: bob.accountId, weight: 1, roles: ["council"] },
    ]);
    // Once: the fork is final and spending works again.
    await refused(
      t,
      w.dao,
      () => carol.callRaw(w.dao, "execute_fork", { id }, { gas: 100n * TGAS }),
      "ERR_ALREADY_FINAL",
    );
    const tr = await w.c.execute(carol, transfer);
    t.true(tr.succeeded);
    t.is((await w.c.proposal(transfer)).status, "Executed");
  },
);

test.serial("below the threshold the fork fails and nothing moves", async (t) => {
  const w = await world(t.context.root, forkPolicy(4000, false));
  const id = await openFork(w);
  await w.m[0].callRaw(w.dao, "join_fork", { id }, { gas: 30n * TGAS });
  await t.context.worker.provider.fastForward(3000);
  const before = await total(w.receiver);
  const r = await w.outsider.callRaw(w.dao, "execute_fork", { id }, { gas: 100n * TGAS });
  t.true(r.succeeded);
  t.like(events(r).find((e) => e.event === "fork_failed")?.data[0] as object, { joined_weight: 1, total_weight: 5 });
  t.like(await w.dao.view<Fork>("get_fork", { id }), { status: "Failed", exited: 0, amount: null });
  t.is(await total(w.receiver), before);
  t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 5);
  t.not(await w.dao.view("get_member", { account_id: w.m[0].accountId }), null);
  t.is(await w.dao.view("get_fork", {}), null);
  await refused(
    t,
    w.dao,
    () => w.outsider.callRaw(w.dao, "execute_fork", { id }, { gas: 100n * TGAS }),
    "ERR_ALREADY_FINAL",
  );
  await refused(t, w.dao, () => w.m[1].callRaw(w.dao, "leave", { ragequit: true }), "ERR_RAGEQUIT_DISABLED");
  // A new fork may open after a failed one.
  const again = await openFork(w);
  t.is((await w.dao.view<Fork>("get_fork", {})).id, again);
});

test.serial("a payment to an account that does not exist yet comes back and is retried", async (t) => {
  const w = await world(t.context.root, forkPolicy(2000, false));
  const ghost = `ghost${n}.${t.context.root.accountId}`;
  const id = await openFork(w, ghost);
  await w.m[0].callRaw(w.dao, "join_fork", { id }, { gas: 30n * TGAS });
  await t.context.worker.provider.fastForward(3000);
  const r = await w.outsider.callRaw(w.dao, "execute_fork", { id }, { gas: 100n * TGAS });
  t.true(events(r).some((e) => e.event === "fork_payment_failed"));
  t.like(await w.dao.view<Fork>("get_fork", { id }), { status: "Payable", last_error: "ERR_TRANSFER_FAILED" });
  // Spending still waits: the share is not paid.
  t.like(await w.dao.view<Fork>("get_fork", {}), { id });
  const created = await t.context.root.createSubAccount(`ghost${n}`, { initialBalance: NEAR });
  const before = await total(created);
  const r2 = await w.outsider.callRaw(w.dao, "execute_fork", { id }, { gas: 100n * TGAS });
  t.true(r2.succeeded);
  const f = await w.dao.view<Fork>("get_fork", { id });
  t.is(f.status, "Executed");
  t.is(BigInt(f.amount as string), BigInt(f.available as string) / 5n);
  t.is((await total(created)) - before, BigInt(f.amount as string));
});

test.serial("one unit per member who leaves, whatever the delegations (DelegatedWeight)", async (t) => {
  const w = await world(t.context.root, forkPolicy(6000, false, "DelegatedWeight"));
  const [alice, bob, carol] = w.m;
  await bob.call(w.dao, "delegate", { delegate_id: alice.accountId }, { attachedDeposit: NEAR / 100n });
  const id = await openFork(w, undefined, [alice, carol, w.m[3]]);
  await carol.call(w.dao, "delegate", { delegate_id: alice.accountId }, { attachedDeposit: NEAR / 100n });
  // alice does not carry bob's unit: bob stays with it (or leaves with it himself)
  const j = await alice.callRaw(w.dao, "join_fork", { id }, { gas: 30n * TGAS });
  t.is(j.parseResult<number>(), 1);
  const b = await bob.callRaw(w.dao, "join_fork", { id }, { gas: 30n * TGAS });
  t.is(b.parseResult<number>(), 1);
  const c = await carol.callRaw(w.dao, "join_fork", { id }, { gas: 30n * TGAS });
  t.is(c.parseResult<number>(), 1);
  t.like(await w.dao.view<Fork>("get_fork", { id }), { joined_weight: 3, total_weight: 5, joined: 3 });
  await t.context.worker.provider.fastForward(3000);
  const r = await w.outsider.callRaw(w.dao, "execute_fork", { id }, { gas: 100n * TGAS });
  t.true(r.succeeded);
  const f = await w.dao.view<Fork>("get_fork", { id });
  t.is(f.status, "Executed");
  t.is(BigInt(f.amount as string), (BigInt(f.available as string) * 3n) / 5n);
  t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 2);
});

test.serial("ragequit: a member leaves alone with its own share", async (t) => {
  const w = await world(t.context.root, forkPolicy(4000, true));
  const carol = w.m[2];
  const before = await total(carol);
  const r = await carol.callRaw(w.dao, "leave", { ragequit: true }, { gas: 30n * TGAS });
  t.true(r.succeeded, r.receiptFailureMessages.join(" | "));
  t.log(`ragequit ${tgas(gasOf(r))}`);
  const ev = events(r).find((e) => e.event === "ragequit")?.data[0] as { available: string; amount: string };
  t.is(BigInt(ev.amount), BigInt(ev.available) / 5n);
  t.is(r.parseResult<string>(), ev.amount);
  // carol's balance moved by exactly her share less what she paid for the transaction
  t.is((await total(carol)) - before, BigInt(ev.amount) - burnt(r));
  t.is(await w.dao.view("get_member", { account_id: carol.accountId }), null);
  t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 4);
  await refused(t, w.dao, () => carol.callRaw(w.dao, "leave", { ragequit: true }), "ERR_NOT_A_MEMBER");
});

test.serial("bad Fork proposals and fork calls are refused with their codes", async (t) => {
  const w = await world(t.context.root, forkPolicy(4000, true));
  const [alice] = w.m;
  const propose = (kind: Record<string, unknown>) => () =>
    alice.callRaw(w.dao, "add_proposal", { description: "f", kind }, { attachedDeposit: NEAR, gas: 100n * TGAS });
  await refused(
    t,
    w.dao,
    propose({ kind: "Fork", name: "Bad_Name", receiver_id: w.receiver.accountId }),
    "ERR_INVALID_NAME",
  );
  await refused(t, w.dao, propose({ kind: "Fork", name: "ok", receiver_id: "NOT VALID" }), "ERR_INVALID_ACCOUNT_ID");
  await refused(t, w.dao, propose({ kind: "Fork", name: "ok", receiver_id: w.dao.accountId }), "ERR_SELF_CALL");
  await refused(t, w.dao, () => alice.callRaw(w.dao, "join_fork", { id: 99 }), "ERR_UNKNOWN_FORK");
  await refused(t, w.dao, () => alice.callRaw(w.dao, "execute_fork", { id: 99 }), "ERR_UNKNOWN_FORK");
  await refused(t, w.dao, () => alice.callRaw(w.dao, "on_execute", { id: 0, fork: true }), "ERR_PRIVATE");
  // A policy with a bad fork section never gets stored.
  const bad = forkPolicy(0, true);
  const r = await w.c.propose(alice, { kind: "ChangePolicy", policy: bad }).catch((e: Error) => e);
  t.true(r instanceof Error && r.message.includes("ERR_INVALID_POLICY: fork.threshold_bps"));
});
