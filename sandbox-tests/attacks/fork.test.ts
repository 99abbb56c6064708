// Attacks on forking (docs/fork.md, audit findings: fork hijack through the factory, treasury freeze, delegated
// double exit, zero total weight). Every attack is mounted as a user would, through the compiled wasm on the local
// node, and must be refused with its stable code leaving the target's storage (and the victims' balances) as they
// were; the attacker loses only gas.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import type { NearAccount, TransactionResult } from "near-workspaces";
import {
  assertPanics,
  basePolicy,
  DaoClient,
  daoWasm,
  deployDao,
  events,
  HOUR_NS,
  NEAR,
  type Policy,
  ROOT,
  TGAS,
  total,
} from "../dao/fixture.ts";
import { burnt, stateOf } from "../helpers/tx.ts";
import { useWorker, type WorkerContext } from "../helpers/worker.ts";
import { fundPublisher, publishCode } from "../helpers/community.ts";
import { must } from "../helpers/tx.ts";

const test = useWorker();
let n = 0;

interface Fork {
  id: number;
  name: string;
  status: string;
  receiver_id: string;
  total_weight: number;
  joined_weight: number;
  joined: number;
  exited: number;
  available: string | null;
  amount: string | null;
  last_error: string | null;
  settle_by: string | null;
  policy: Record<string, unknown> | null;
}

interface CommunityView {
  status: string;
  creator: string;
  forked_from: { status: string; last_error: string | null; members: number } | null;
  contracts: { account_id: string; status: string }[];
}

/**
 * The attack `call` is refused with `code`; none of `watched` changed its storage, and the attacker lost exactly
 * the gas it paid (any deposit came back).
 */
async function refused(
  t: ExecutionContext,
  attacker: NearAccount,
  watched: NearAccount[],
  call: () => Promise<TransactionResult>,
  code: string,
): Promise<TransactionResult> {
  const before = await Promise.all(watched.map(stateOf));
  const balance = await total(attacker);
  const r = await call();
  assertPanics(t, r, code);
  t.deepEqual(await Promise.all(watched.map(stateOf)), before, `${code}: storage changed`);
  t.is(balance - (await total(attacker)), burnt(r), `${code}: the attacker lost more than gas`);
  return r;
}

const forkPolicy = (threshold_bps: number, weight_kind = "RoleWeight"): Policy => {
  const p = basePolicy() as Policy & { fork?: unknown };
  p.default_vote_policy = { ...p.default_vote_policy, weight_kind: weight_kind as "RoleWeight" };
  p.fork = { window: HOUR_NS.toString(), threshold_bps, ragequit: true };
  return p;
};

// ---- a DAO on its own (explicit receiver) --------------------------------------------------------------------

async function world(t: ExecutionContext<WorkerContext>, policy = forkPolicy(4000)) {
  const root = t.context.root;
  n += 1;
  const m: NearAccount[] = [];
  for (const name of ["alice", "bob", "carol", "dave", "erin"]) m.push(await root.createSubAccount(`${name}${n}`));
  const outsider = await root.createSubAccount(`outsider${n}`);
  const receiver = await root.createSubAccount(`spin${n}`, { initialBalance: NEAR });
  const dao = await deployDao(root, `dao${n}`, {
    policy,
    members: m.map((a) => ({ account_id: a.accountId, roles: ["council"] })),
  });
  const c = new DaoClient(dao, t as never);
  const open = async (receiver_id = receiver.accountId) => {
    const id = await c.pass(m[0], { kind: "Fork", name: "spin", receiver_id }, m.slice(0, 3));
    must(await c.execute(m[0], id), "execute Fork");
    return id;
  };
  const join = async (a: NearAccount, id: number) =>
    must(await a.callRaw(dao, "join_fork", { id }, { gas: 30n * TGAS }), "join_fork");
  const executeFork = (a: NearAccount, id: number) => a.callRaw(dao, "execute_fork", { id }, { gas: 100n * TGAS });
  // A fork to an account that does not exist, joined by the first two members, decided and executed: its payment
  // fails (fork_payment_failed), so it stays Payable with the joined members still in the DAO.
  const payableFork = async (): Promise<{ id: number; executed: TransactionResult }> => {
    const id = await open(`ghost${n}.${root.accountId}`);
    await join(m[0], id);
    await join(m[1], id);
    await t.context.worker.provider.fastForward(3000);
    return { id, executed: must(await executeFork(outsider, id), "execute_fork") };
  };
  return { dao, m, outsider, receiver, c, open, join, executeFork, payableFork };
}

const afterWindow = (t: ExecutionContext<WorkerContext>) => t.context.worker.provider.fastForward(3000);

test.serial("non-member joins a fork: refused ERR_NOT_A_MEMBER, nothing changes", async (t) => {
  const w = await world(t);
  const id = await w.open();
  await refused(t, w.outsider, [w.dao], () => w.outsider.callRaw(w.dao, "join_fork", { id }), "ERR_NOT_A_MEMBER");
});

test.serial("member joins the same fork twice to double its weight: refused ERR_ALREADY_JOINED", async (t) => {
  const w = await world(t);
  const id = await w.open();
  await w.join(w.m[1], id);
  await refused(t, w.m[1], [w.dao], () => w.m[1].callRaw(w.dao, "join_fork", { id }), "ERR_ALREADY_JOINED");
  t.like(await w.dao.view<Fork>("get_fork", { id }), { joined: 1, joined_weight: 1 });
});

test.serial("member added during the window joins to inflate the exit: refused ERR_NO_VOTING_POWER", async (t) => {
  const w = await world(t);
  const id = await w.open();
  const add = await w.c.pass(
    w.m[0],
    { kind: "AddMember", member_id: w.outsider.accountId, role: "council" },
    w.m.slice(0, 3),
  );
  must(await w.c.execute(w.m[0], add), "add member");
  await refused(t, w.outsider, [w.dao], () => w.outsider.callRaw(w.dao, "join_fork", { id }), "ERR_NO_VOTING_POWER");
  t.like(await w.dao.view<Fork>("get_fork", { id }), { joined: 0, total_weight: 5 });
});

test.serial("member joins after the window closed: refused ERR_FORK_WINDOW_CLOSED", async (t) => {
  const w = await world(t);
  const id = await w.open();
  await w.join(w.m[0], id);
  await w.join(w.m[1], id);
  await afterWindow(t);
  await refused(t, w.m[2], [w.dao], () => w.m[2].callRaw(w.dao, "join_fork", { id }), "ERR_FORK_WINDOW_CLOSED");
});

test.serial("execute_fork before the window ends to cut joiners out: refused ERR_FORK_WINDOW_OPEN", async (t) => {
  const w = await world(t);
  const id = await w.open();
  await w.join(w.m[0], id);
  await refused(t, w.outsider, [w.dao], () => w.executeFork(w.outsider, id), "ERR_FORK_WINDOW_OPEN");
});

test.serial("member ragequits during the window to exit twice: refused ERR_FORK_WINDOW_OPEN", async (t) => {
  const w = await world(t);
  const id = await w.open();
  await w.join(w.m[0], id);
  for (const a of [w.m[0], w.m[3]]) {
    await refused(
      t,
      a,
      [w.dao],
      () => a.callRaw(w.dao, "leave", { ragequit: true }, { gas: 30n * TGAS }),
      "ERR_FORK_WINDOW_OPEN",
    );
  }
});

test.serial(
  "joined member ragequits while the decided fork awaits its payment: refused ERR_FORK_WINDOW_OPEN",
  async (t) => {
    const w = await world(t);
    const { id, executed: r } = await w.payableFork();
    t.true(events(r).some((e) => e.event === "fork_payment_failed"));
    const f = await w.dao.view<Fork>("get_fork", { id });
    t.like(f, { status: "Payable", last_error: "ERR_TRANSFER_FAILED", exited: 0 });
    // nobody was removed before the payment arrived
    t.not(await w.dao.view("get_member", { account_id: w.m[0].accountId }), null);
    await refused(
      t,
      w.m[0],
      [w.dao],
      () => w.m[0].callRaw(w.dao, "leave", { ragequit: true }, { gas: 30n * TGAS }),
      "ERR_FORK_WINDOW_OPEN",
    );
  },
);

test.serial("forker paid through the fork then ragequits for a second share: refused ERR_NOT_A_MEMBER", async (t) => {
  const w = await world(t);
  const id = await w.open();
  await w.join(w.m[0], id);
  await w.join(w.m[1], id);
  await afterWindow(t);
  must(await w.executeFork(w.outsider, id), "execute_fork");
  t.is((await w.dao.view<Fork>("get_fork", { id })).status, "Executed");
  await refused(
    t,
    w.m[0],
    [w.dao],
    () => w.m[0].callRaw(w.dao, "leave", { ragequit: true }, { gas: 30n * TGAS }),
    "ERR_NOT_A_MEMBER",
  );
  // a member who stayed may ragequit now that the fork is final
  must(await w.m[3].callRaw(w.dao, "leave", { ragequit: true }, { gas: 30n * TGAS }), "ragequit");
});

test.serial("execute_fork again after the fork was paid (double payment): refused ERR_ALREADY_FINAL", async (t) => {
  const w = await world(t);
  const id = await w.open();
  await w.join(w.m[0], id);
  await w.join(w.m[1], id);
  await afterWindow(t);
  const before = await total(w.receiver);
  must(await w.executeFork(w.outsider, id), "execute_fork");
  const f = await w.dao.view<Fork>("get_fork", { id });
  t.is((await total(w.receiver)) - before, BigInt(f.amount as string));
  await refused(t, w.outsider, [w.dao, w.receiver], () => w.executeFork(w.outsider, id), "ERR_ALREADY_FINAL");
  t.is((await total(w.receiver)) - before, BigInt(f.amount as string));
});

test.serial("the Fork proposal executed twice to open a second window: refused ERR_ALREADY_FINAL", async (t) => {
  const w = await world(t);
  const id = await w.open();
  await refused(t, w.outsider, [w.dao], () => w.c.execute(w.outsider, id), "ERR_ALREADY_FINAL");
});

test.serial("a second Fork proposed while the first awaits its payment: refused ERR_FORK_ACTIVE", async (t) => {
  const w = await world(t);
  const { id } = await w.payableFork();
  t.is((await w.dao.view<Fork>("get_fork", { id })).status, "Payable");
  await refused(
    t,
    w.m[2],
    [w.dao],
    () =>
      w.m[2].callRaw(
        w.dao,
        "add_proposal",
        { description: "again", kind: { kind: "Fork", name: "other", receiver_id: w.outsider.accountId } },
        { attachedDeposit: NEAR, gas: 100n * TGAS },
      ),
    "ERR_FORK_ACTIVE",
  );
});

test.serial(
  "attacker calls the DAO's fork callbacks itself (check, payment): refused ERR_PRIVATE, nothing changes",
  async (t) => {
    const w = await world(t);
    const { id } = await w.payableFork();
    for (const fork of ["check", true]) {
      await refused(
        t,
        w.outsider,
        [w.dao],
        () => w.outsider.callRaw(w.dao, "on_execute", { id, fork }, { gas: 100n * TGAS }),
        "ERR_PRIVATE",
      );
    }
    t.is((await w.dao.view<Fork>("get_fork", { id })).status, "Payable");
  },
);

test.serial("fork nobody joins: it fails, never pays a share nor divides by zero", async (t) => {
  const w = await world(t, forkPolicy(1));
  const id = await w.open();
  await afterWindow(t);
  const before = await total(w.receiver);
  const r = must(await w.executeFork(w.outsider, id), "execute_fork");
  t.true(events(r).some((e) => e.event === "fork_failed"));
  t.like(await w.dao.view<Fork>("get_fork", { id }), { status: "Failed", amount: null });
  t.is(await total(w.receiver), before);
  t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 5);
});

test.serial(
  "zero total weight: the last member cannot leave (ERR_LAST_MEMBER); a Fork after all left by a fork cannot open (ERR_NO_MEMBERS), nothing divides by zero",
  async (t) => {
    const w = await world(t);
    // a second Fork approved before the first opens: executed once every member has left through the first
    const later = await w.c.pass(
      w.m[0],
      { kind: "Fork", name: "spin", receiver_id: w.receiver.accountId },
      w.m.slice(0, 3),
    );
    // members may leave one by one, but never the last: nobody could govern the community again
    for (const a of w.m.slice(1)) must(await a.callRaw(w.dao, "leave", {}, { gas: 30n * TGAS }), "leave");
    await refused(
      t,
      w.m[0],
      [w.dao],
      () => w.m[0].callRaw(w.dao, "leave", { ragequit: true }, { gas: 30n * TGAS }),
      "ERR_LAST_MEMBER",
    );
    t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 1);
    // a fork the whole community joins does empty it: they leave with the treasury, the fork's purpose
    const id = await w.c.pass(w.m[0], { kind: "Fork", name: "spin", receiver_id: w.receiver.accountId }, [w.m[0]]);
    must(await w.c.execute(w.m[0], id), "execute");
    await w.join(w.m[0], id);
    await afterWindow(t);
    must(await w.executeFork(w.outsider, id), "execute_fork");
    t.is((await w.dao.view<Fork>("get_fork", { id })).status, "Executed");
    t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 0);
    // the approved Fork, executed by anyone (Everyone may execute): Failed with the code, no window opens
    const r = must(await w.c.execute(w.outsider, later), "execute");
    t.deepEqual(r.parseResult(), { id: later, status: "Failed", error: "ERR_NO_MEMBERS" });
    t.is((await w.dao.view<Fork>("get_fork", {}))?.id ?? id, id);
    t.is(await w.dao.view("get_fork", { id: later }).catch(() => "none"), "none");
    // and a new one is refused at proposal time
    await refused(
      t,
      w.outsider,
      [w.dao],
      () =>
        w.outsider.callRaw(
          w.dao,
          "add_proposal",
          { description: "f", kind: { kind: "Fork", name: "spin", receiver_id: w.receiver.accountId } },
          { attachedDeposit: NEAR, gas: 100n * TGAS },
        ),
      "ERR_NO_MEMBERS",
    );
  },
);

test.serial("delegate joins carrying its delegators' units: paid for one member, delegators keep theirs", async (t) => {
  const w = await world(t, forkPolicy(1000, "DelegatedWeight"));
  const [alice, bob, carol] = w.m;
  await bob.call(w.dao, "delegate", { delegate_id: alice.accountId }, { attachedDeposit: NEAR / 100n });
  await carol.call(w.dao, "delegate", { delegate_id: alice.accountId }, { attachedDeposit: NEAR / 100n });
  const id = await w.open();
  const j = await w.join(alice, id);
  t.is(j.parseResult<number>(), 1);
  await afterWindow(t);
  const before = await total(w.receiver);
  must(await w.executeFork(w.outsider, id), "execute_fork");
  const f = await w.dao.view<Fork>("get_fork", { id });
  t.like(f, { status: "Executed", joined: 1, joined_weight: 1, total_weight: 5 });
  // 1/5, not the 3/5 alice's vote weight would have taken
  t.is(BigInt(f.amount as string), BigInt(f.available as string) / 5n);
  t.is((await total(w.receiver)) - before, BigInt(f.amount as string));
  // bob and carol are still members and leave with their own unit each
  t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 4);
  t.not(await w.dao.view("get_member", { account_id: bob.accountId }), null);
});

test.serial("sum of all exits never exceeds the treasury under delegation (fork + every ragequit)", async (t) => {
  const w = await world(t, forkPolicy(1, "DelegatedWeight"));
  const [alice, bob, carol, dave, erin] = w.m;
  for (const a of [bob, carol, dave]) {
    await a.call(w.dao, "delegate", { delegate_id: alice.accountId }, { attachedDeposit: NEAR / 100n });
  }
  await erin.call(w.dao, "delegate", { delegate_id: bob.accountId }, { attachedDeposit: NEAR / 100n });
  const id = await w.open();
  await w.join(alice, id);
  // erin delegated her unit to bob and joins too: she leaves with her own unit only
  await w.join(erin, id);
  await afterWindow(t);
  const t0 = await w.dao.view<{ balance: string; locked_bonds: string; available: string }>("get_treasury");
  const treasury = BigInt(t0.balance) - BigInt(t0.locked_bonds);
  must(await w.executeFork(w.outsider, id), "execute_fork");
  const f = await w.dao.view<Fork>("get_fork", { id });
  t.is(f.status, "Executed");
  t.is(BigInt(f.amount as string), (BigInt(f.available as string) * 2n) / 5n);
  let exits = BigInt(f.amount as string);
  const shares: bigint[] = [];
  for (const a of [bob, carol]) {
    const r = must(await a.callRaw(w.dao, "leave", { ragequit: true }, { gas: 30n * TGAS }), "ragequit");
    const ev = events(r).find((e) => e.event === "ragequit")?.data[0] as { available: string; members: number };
    const share = BigInt(r.parseResult<string>());
    t.is(share, BigInt(ev.available) / BigInt(ev.members));
    shares.push(share);
    exits += share;
  }
  // alice's delegators each took one unit, about a fifth of the treasury, never alice's share again
  const fifth = BigInt(f.available as string) / 5n;
  for (const s of shares) t.true(s <= fifth + NEAR / 10n && s >= fifth - NEAR / 10n, `share ${s} vs ${fifth}`);
  t.true(exits <= treasury, `exits ${exits} > treasury ${treasury}`);
  const after = await w.dao.view<{ balance: string; storage_stake: string; locked_bonds: string }>("get_treasury");
  t.true(BigInt(after.balance) >= BigInt(after.storage_stake) + BigInt(after.locked_bonds));
  // dave, the last member, keeps the community (ERR_LAST_MEMBER) and what is left of the treasury
  await refused(
    t,
    dave,
    [w.dao],
    () => dave.callRaw(w.dao, "leave", { ragequit: true }, { gas: 30n * TGAS }),
    "ERR_LAST_MEMBER",
  );
  t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 1);
});

test.serial(
  "forkers never create their community: Cancelled at the deadline, members kept, spending resumes",
  async (t) => {
    const w = await world(t);
    const [alice, bob, carol] = w.m;
    const transfer = await w.c.pass(
      alice,
      { kind: "Transfer", receiver_id: carol.accountId, amount: NEAR.toString() },
      [alice, bob, carol],
    );
    const { id } = await w.payableFork();
    t.is((await w.dao.view<Fork>("get_fork", { id })).status, "Payable");
    await refused(t, w.outsider, [w.dao], () => w.c.execute(w.outsider, transfer), "ERR_FORK_WINDOW_OPEN");
    await afterWindow(t);
    const balance = await total(w.dao);
    const r = must(await w.executeFork(w.outsider, id), "execute_fork");
    t.true(events(r).some((e) => e.event === "fork_cancelled"));
    t.like(await w.dao.view<Fork>("get_fork", { id }), { status: "Cancelled", exited: 0 });
    t.true((await total(w.dao)) >= balance - NEAR / 100n, "nothing left the treasury");
    t.is(await w.dao.view("get_fork", {}), null);
    t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 5);
    t.truthy(await w.dao.view("get_member", { account_id: alice.accountId }));
    must(await w.c.execute(w.outsider, transfer), "transfer after the freeze");
    t.is((await w.c.proposal(transfer)).status, "Executed");
    await refused(t, w.outsider, [w.dao], () => w.executeFork(w.outsider, id), "ERR_ALREADY_FINAL");
    // a new fork may open
    const again = await w.c.pass(w.m[0], { kind: "Fork", name: "again", receiver_id: w.receiver.accountId }, w.m);
    must(await w.c.execute(w.m[0], again), "second fork");
    t.is((await w.dao.view<Fork>("get_fork", {})).id, again);
  },
);

test.serial(
  "majority raises the fork threshold during the window to fail the fork: the opening's threshold applies",
  async (t) => {
    const w = await world(t);
    const id = await w.open();
    await w.join(w.m[0], id);
    await w.join(w.m[1], id);
    const strict = forkPolicy(10000) as Policy & { fork: { threshold_bps: number } };
    const change = await w.c.pass(w.m[2], { kind: "ChangePolicy", policy: strict }, w.m.slice(2, 5));
    must(await w.c.execute(w.m[2], change), "ChangePolicy");
    t.is((await w.dao.view<{ fork: { threshold_bps: number } }>("get_policy")).fork.threshold_bps, 10000);
    await afterWindow(t);
    must(await w.executeFork(w.outsider, id), "execute_fork");
    const f = await w.dao.view<Fork>("get_fork", { id });
    t.like(f, { status: "Executed", joined: 2 });
    t.is(BigInt(f.amount as string), (BigInt(f.available as string) * 2n) / 5n);
  },
);

test.serial(
  "majority adds members during the window to dilute the forkers' share: total frozen at the opening",
  async (t) => {
    const w = await world(t);
    const id = await w.open();
    await w.join(w.m[0], id);
    await w.join(w.m[1], id);
    const add = await w.c.pass(
      w.m[2],
      {
        kind: "AddMembers",
        members: [
          { member_id: w.outsider.accountId, role: "council" },
          { member_id: w.receiver.accountId, role: "guardian" },
        ],
      },
      w.m.slice(2, 5),
    );
    must(await w.c.execute(w.m[2], add), "AddMembers");
    t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 7);
    await afterWindow(t);
    const before = await total(w.receiver);
    must(await w.executeFork(w.outsider, id), "execute_fork");
    const f = await w.dao.view<Fork>("get_fork", { id });
    t.like(f, { status: "Executed", total_weight: 5 });
    // two of the five members at the opening, not two of seven
    t.is(BigInt(f.amount as string), (BigInt(f.available as string) * 2n) / 5n);
    t.true((await total(w.receiver)) - before >= BigInt(f.amount as string) - NEAR / 100n);
  },
);

test.serial(
  "majority removes a joined member during the window to cut it out: it is still paid for and leaves",
  async (t) => {
    const w = await world(t);
    const [alice, bob] = w.m;
    const id = await w.open();
    await w.join(alice, id);
    await w.join(bob, id);
    const remove = await w.c.pass(
      w.m[2],
      { kind: "RemoveMember", member_id: bob.accountId, role: "council" },
      w.m.slice(2, 5),
    );
    must(await w.c.execute(w.m[2], remove), "RemoveMember");
    t.is(await w.dao.view("get_member", { account_id: bob.accountId }), null);
    await afterWindow(t);
    must(await w.executeFork(w.outsider, id), "execute_fork");
    const f = await w.dao.view<Fork>("get_fork", { id });
    t.like(f, { status: "Executed", joined: 2, exited: 2 });
    t.is(BigInt(f.amount as string), (BigInt(f.available as string) * 2n) / 5n);
    const page = await w.dao.view<{ members: { account_id: string }[] }>("get_fork", { id, from_index: 0, limit: 10 });
    t.deepEqual(
      page.members.map((m) => m.account_id),
      [alice.accountId, bob.accountId],
    );
    t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 3);
  },
);

test.serial(
  "execute_fork hammered while 28 forkers are still leaving (Exiting): paid once, ragequit refused",
  async (t) => {
    const root = t.context.root;
    n += 1;
    const m: NearAccount[] = [];
    for (let i = 0; i < 30; i++) m.push(await root.createSubAccount(`m${i}x${n}`));
    const receiver = await root.createSubAccount(`big${n}`, { initialBalance: NEAR });
    const dao = await deployDao(root, `dao${n}`, {
      policy: forkPolicy(1000),
      members: m.map((a) => ({ account_id: a.accountId, roles: ["council"] })),
    });
    const c = new DaoClient(dao, t as never);
    const id = await c.pass(m[0], { kind: "Fork", name: "big", receiver_id: receiver.accountId }, m.slice(0, 16));
    must(await c.execute(m[0], id), "execute Fork");
    for (const a of m.slice(0, 28)) must(await a.callRaw(dao, "join_fork", { id }, { gas: 30n * TGAS }), "join");
    await afterWindow(t);
    const before = await total(receiver);
    let r = await m[29].callRaw(dao, "execute_fork", { id }, { gas: 100n * TGAS });
    must(r, "execute_fork (payment)");
    let f = await dao.view<Fork>("get_fork", { id });
    t.is(f.status, "Exiting");
    t.true(f.exited < 28, `exited ${f.exited}`);
    const amount = BigInt(f.amount as string);
    t.is(amount, (BigInt(f.available as string) * 28n) / 30n);
    t.is((await total(receiver)) - before, amount);
    // the members still waiting to leave cannot take a second share meanwhile
    const waiting = m[27];
    t.not(await dao.view("get_member", { account_id: waiting.accountId }), null);
    await refused(
      t,
      waiting,
      [dao],
      () => waiting.callRaw(dao, "leave", { ragequit: true }, { gas: 30n * TGAS }),
      "ERR_FORK_WINDOW_OPEN",
    );
    for (let i = 0; i < 5 && f.status === "Exiting"; i++) {
      r = must(await m[29].callRaw(dao, "execute_fork", { id }, { gas: 300n * TGAS }), "execute_fork (exits)");
      t.false(events(r).some((e) => e.event === "fork_payment_sent"));
      f = await dao.view<Fork>("get_fork", { id });
    }
    t.like(f, { status: "Executed", exited: 28 });
    t.is((await total(receiver)) - before, amount);
    t.is((await dao.view<{ member_count: number }>("get_info")).member_count, 2);
    await refused(t, m[29], [dao, receiver], () => m[29].callRaw(dao, "execute_fork", { id }), "ERR_ALREADY_FINAL");
  },
);

test.serial(
  "forkers make their removal costly with many open votes: exits still complete, a too-small call is refused ERR_NOT_ENOUGH_GAS",
  async (t) => {
    const w = await world(t);
    const [alice, bob] = w.m;
    const id = await w.open();
    await w.join(alice, id);
    await w.join(bob, id);
    // 30 proposals kept open, each voted by both forkers (2 of 5 approvals: not decided)
    const spammer = await t.context.root.createSubAccount(`spam${n}`, { initialBalance: 200n * NEAR });
    for (let i = 0; i < 30; i++) {
      const { id: p } = await w.c.propose(spammer, { kind: "Signal", message: `s${i}` });
      await w.c.vote(alice, p, "Approve");
      await w.c.vote(bob, p, "Approve");
    }
    await afterWindow(t);
    const before = await total(w.receiver);
    must(await w.executeFork(w.outsider, id), "execute_fork (payment)");
    let f = await w.dao.view<Fork>("get_fork", { id });
    t.is(f.status, "Exiting");
    t.is((await total(w.receiver)) - before, BigInt(f.amount as string));
    // a call with too little gas for the next (costly) member changes nothing and says why
    await refused(
      t,
      w.outsider,
      [w.dao],
      () => w.outsider.callRaw(w.dao, "execute_fork", { id }, { gas: 30n * TGAS }),
      "ERR_NOT_ENOUGH_GAS",
    );
    for (let i = 0; i < 3 && f.status === "Exiting"; i++) {
      must(await w.outsider.callRaw(w.dao, "execute_fork", { id }, { gas: 300n * TGAS }), "execute_fork (exits)");
      f = await w.dao.view<Fork>("get_fork", { id });
    }
    t.like(f, { status: "Executed", exited: 2 });
    t.is((await total(w.receiver)) - before, BigInt(f.amount as string));
    t.is(await w.dao.view("get_member", { account_id: alice.accountId }), null);
    t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 3);
  },
);

test.serial(
  "forker holding 8 roles with 32 open votes: execute_fork still removes it (votes voided once), leave works",
  async (t) => {
    const root = t.context.root;
    n += 1;
    const extra = ["r1", "r2", "r3", "r4", "r5", "r6", "r7"];
    const policy = forkPolicy(4000);
    // every role votes: each vote counts in 8 rules, so each role left corrects 32 tallies
    for (const r of extra) policy.roles.push({ name: r, kind: "Group", permissions: ["*:vote"], vote_policy: {} });
    const m: NearAccount[] = [];
    for (const name of ["alice", "bob", "carol", "dave", "erin"]) m.push(await root.createSubAccount(`${name}${n}`));
    const [alice, bob, carol] = m;
    const receiver = await root.createSubAccount(`spin${n}`, { initialBalance: NEAR });
    const dao = await deployDao(root, `dao${n}`, {
      policy,
      // everyone holds every role; alice (a forker) and carol (who stays, then leaves) vote
      members: m.map((a) => ({ account_id: a.accountId, roles: ["council", ...extra] })),
    });
    const c = new DaoClient(dao, t as never);
    const id = await c.pass(alice, { kind: "Fork", name: "spin", receiver_id: receiver.accountId }, m.slice(0, 3));
    must(await c.execute(alice, id), "execute Fork");
    for (const a of [alice, bob]) must(await a.callRaw(dao, "join_fork", { id }, { gas: 30n * TGAS }), "join_fork");
    // 32 proposals kept open, each voted by alice and carol (2 of 5: not decided)
    const spammer = await root.createSubAccount(`spam${n}`, { initialBalance: 300n * NEAR });
    for (let i = 0; i < 32; i++) {
      const { id: p } = await c.propose(spammer, { kind: "Signal", message: `s${i}` });
      await c.vote(alice, p, "Approve");
      await c.vote(carol, p, "Approve");
    }
    await afterWindow(t);
    const before = await total(receiver);
    must(await m[4].callRaw(dao, "execute_fork", { id }, { gas: 100n * TGAS }), "execute_fork (payment)");
    let f = await dao.view<Fork>("get_fork", { id });
    t.is(f.status, "Exiting");
    for (let i = 0; i < 3 && f.status === "Exiting"; i++) {
      must(await m[4].callRaw(dao, "execute_fork", { id }, { gas: 300n * TGAS }), "execute_fork (exits)");
      f = await dao.view<Fork>("get_fork", { id });
    }
    t.like(f, { status: "Executed", exited: 2 });
    t.is((await total(receiver)) - before, BigInt(f.amount as string));
    t.is(await dao.view("get_member", { account_id: alice.accountId }), null);
    // alice's approvals left the tallies
    const last = await c.proposal(31 + id + 1);
    t.is(last.status, "InProgress");
    // carol, with the same 8 roles and 32 open votes, leaves in one call
    const r = must(await carol.callRaw(dao, "leave", {}, { gas: 300n * TGAS }), "leave");
    t.is(events(r).filter((e) => e.event === "member_removed").length, 1);
    t.is(await dao.view("get_member", { account_id: carol.accountId }), null);
    t.is((await dao.view<{ member_count: number }>("get_info")).member_count, 2);
  },
);

test.serial("the 101st member joins a fork to make it unpayable: refused ERR_FORK_FULL, nothing changes", async (t) => {
  const root = t.context.root;
  n += 1;
  const policy = forkPolicy(1000);
  policy.default_vote_policy = { ...policy.default_vote_policy, threshold: { kind: "Weight", weight: 1 } } as never;
  const m: NearAccount[] = [];
  // one after another: the root's key signs every creation
  for (let i = 0; i < 102; i++) m.push(await root.createSubAccount(`f${i}x${n}`));
  const dao = await deployDao(root, `dao${n}`, {
    policy,
    members: m.slice(0, 100).map((a) => ({ account_id: a.accountId, roles: ["council"] })),
  });
  const c = new DaoClient(dao, t as never);
  const add = await c.pass(
    m[0],
    {
      kind: "AddMembers",
      members: m.slice(100).map((a) => ({ member_id: a.accountId, role: "council" })),
    },
    [m[0]],
  );
  must(await c.execute(m[0], add), "AddMembers");
  const id = await c.pass(m[0], { kind: "Fork", name: "crowd", receiver_id: m[0].accountId }, [m[0]]);
  must(await c.execute(m[0], id), "execute Fork");
  for (let i = 0; i < 100; i += 20) {
    await Promise.all(
      m.slice(i, i + 20).map(async (a) => must(await a.callRaw(dao, "join_fork", { id }, { gas: 30n * TGAS }), "join")),
    );
  }
  t.like(await dao.view<Fork>("get_fork", { id }), { joined: 100, total_weight: 102 });
  await refused(t, m[100], [dao], () => m[100].callRaw(dao, "join_fork", { id }, { gas: 30n * TGAS }), "ERR_FORK_FULL");
  t.like(await dao.view<Fork>("get_fork", { id }), { joined: 100, joined_weight: 100 });
});

// ---- through the factory ------------------------------------------------------------------------------------

interface Factory {
  factory: NearAccount;
  required: bigint;
  // create_community's gas: every account in that one transaction (get_required_deposit's `gas`)
  gas: bigint;
}
let fx: Factory | null = null;

// A factory whose suite is the DAO alone, published to the global store (NEP-591): a community is one account, so
// each attack stays cheap.
async function factoryOf(root: NearAccount): Promise<Factory> {
  if (fx) return fx;
  const owner = await root.createSubAccount("owner", { initialBalance: 20n * NEAR });
  const factory = await root.createSubAccount("commons", { initialBalance: 10n * NEAR });
  await factory.deploy(readFileSync(join(ROOT, "build", "community-factory.wasm")));
  await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 30n * TGAS });
  await fundPublisher(root, owner, ["community-dao"]);
  await publishCode(factory, owner, "community-dao", "1.0.0", daoWasm());
  const needs = await factory.view<{ accounts_total: string; gas: string }>("get_required_deposit");
  fx = { factory, required: BigInt(needs.accounts_total), gas: BigInt(needs.gas) };
  return fx;
}

// One approving council vote decides; fork window one hour, 40%.
const FPOLICY = {
  v: 1,
  roles: [
    { name: "all", kind: "Everyone", permissions: ["*:propose", "*:execute"], vote_policy: {} },
    { name: "council", kind: "Group", permissions: ["*:propose", "*:vote", "*:remove"], vote_policy: {} },
  ],
  default_vote_policy: { weight_kind: "RoleWeight", quorum: 0, threshold: { kind: "Weight", weight: 1 } },
  parameters: { proposal_bond: NEAR.toString(), proposal_period: (24n * HOUR_NS).toString(), timelock: "0" },
  fork: { window: HOUR_NS.toString(), threshold_bps: 4000, ragequit: true },
};

// What an attacker would like its fork DAO to run: everyone proposes, votes and executes everything.
const OPEN_POLICY = {
  ...FPOLICY,
  roles: [{ name: "all", kind: "Everyone", permissions: ["*:*"], vote_policy: {} }, FPOLICY.roles[1]],
};

async function parentWorld(t: ExecutionContext<WorkerContext>) {
  const root = t.context.root;
  const { factory, required, gas } = await factoryOf(root);
  n += 1;
  const m: NearAccount[] = [];
  // the creators (alice, the outsider) can pay for two communities each
  const rich = { initialBalance: 2n * required + 100n * NEAR };
  for (const name of ["alice", "bob", "carol", "dave", "erin"]) {
    m.push(await root.createSubAccount(`${name}${n}`, name === "alice" ? rich : { initialBalance: 100n * NEAR }));
  }
  const outsider = await root.createSubAccount(`outsider${n}`, rich);
  const name = `acme${n}`;
  const members = m.map((a) => ({ account_id: a.accountId, roles: ["council"] }));
  must(
    await m[0].callRaw(
      factory,
      "create_community",
      { name, dao_args: { config: { name, purpose: "p", metadata: "" }, policy: FPOLICY, members } },
      { attachedDeposit: required + NEAR, gas },
    ),
    "create parent",
  );
  t.is((await factory.view<CommunityView>("get_community", { name })).status, "Ready");
  const dao = root.getAccount(`${name}.${factory.accountId}`);
  must(await m[4].transfer(dao, 10n * NEAR), "fund the treasury");
  const propose = async (kind: Record<string, unknown>) => {
    const r = must(
      await m[0].callRaw(dao, "add_proposal", { description: "d", kind }, { attachedDeposit: NEAR, gas: 100n * TGAS }),
      "propose",
    );
    const id = r.parseResult<number>();
    must(await m[1].callRaw(dao, "vote", { id, choice: "Approve" }, { gas: 50n * TGAS }), "vote");
    return id;
  };
  const pass = async (kind: Record<string, unknown>) => {
    const id = await propose(kind);
    must(await m[0].callRaw(dao, "execute", { id }, { gas: 300n * TGAS }), `execute ${String(kind.kind)}`);
    return id;
  };
  const spin = `spin${n}`;
  const openFork = async (forkName = spin) => pass({ kind: "Fork", name: forkName });
  const join = async (a: NearAccount, id: number) =>
    must(await a.callRaw(dao, "join_fork", { id }, { gas: 30n * TGAS }), "join_fork");
  const executeFork = (a: NearAccount, id: number) => a.callRaw(dao, "execute_fork", { id }, { gas: 150n * TGAS });
  // with 150 Tgas create_fork reserves and reads the parent's fork only; `resume` then creates the accounts
  const createFork = (a: NearAccount, args: Record<string, unknown>) =>
    a.callRaw(factory, "create_fork", args, { attachedDeposit: required + NEAR, gas: 150n * TGAS });
  // with the accounts' gas too, the read's callback creates them: the fork in one transaction
  const createForkAll = (a: NearAccount, args: Record<string, unknown>) =>
    a.callRaw(factory, "create_fork", args, { attachedDeposit: required + NEAR, gas: gas + 250n * TGAS });
  const resume = (a: NearAccount, c: string) => a.callRaw(factory, "resume_community", { name: c }, { gas });
  const community = (c: string) => factory.view<CommunityView | null>("get_community", { name: c });
  return {
    factory,
    required,
    gas,
    m,
    outsider,
    name,
    dao,
    spin,
    propose,
    pass,
    openFork,
    join,
    executeFork,
    createFork,
    createForkAll,
    resume,
    community,
  };
}

// An outsider's create_fork that would build the fork from anything but the parent's fork record: refused with
// ERR_INVALID_ARGS, the factory and the parent DAO unchanged, no community reserved.
const outsiderForkArgs: [string, (w: Awaited<ReturnType<typeof parentWorld>>) => Record<string, unknown>][] = [
  [
    "reserves the fork's name with its own policy",
    (w) => ({
      dao_args: {
        config: { name: "mine", purpose: "p", metadata: "" },
        policy: OPEN_POLICY,
        members: [{ account_id: w.outsider.accountId, roles: ["all"] }],
      },
    }),
  ],
  [
    "plants init_args (its own settings) in the fork's contracts",
    () => ({
      init_args: { "community-dao": { policy: OPEN_POLICY } },
    }),
  ],
  [
    "plants a DAO init that always fails to freeze the parent",
    () => ({ dao_args: { config: { name: "x", purpose: "p", metadata: "" }, policy: { v: 1, roles: "broken" } } }),
  ],
];
for (const [what, extra] of outsiderForkArgs) {
  test.serial(`outsider ${what}: refused ERR_INVALID_ARGS, nothing changes`, async (t) => {
    const w = await parentWorld(t);
    const id = await w.openFork();
    await w.join(w.m[0], id);
    await w.join(w.m[1], id);
    await refused(
      t,
      w.outsider,
      [w.factory, w.dao],
      () => w.createFork(w.outsider, { name: w.spin, parent: w.name, fork_id: id, ...extra(w) }),
      "ERR_INVALID_ARGS",
    );
    t.is(await w.community(w.spin), null);
  });
}

test.serial(
  "outsider pays for the fork community first: it is built only from the parent's fork and frozen policy",
  async (t) => {
    const w = await parentWorld(t);
    const [alice, bob, carol, dave] = w.m;
    const id = await w.openFork();
    for (const a of [alice, bob, carol]) await w.join(a, id);
    // the members who stay rewrite the parent's policy during the window: the fork must not start with it
    const original = await w.dao.view<Record<string, unknown>>("get_policy");
    await w.pass({ kind: "ChangePolicy", policy: OPEN_POLICY });
    t.deepEqual((await w.dao.view<{ roles: unknown[] }>("get_policy")).roles, OPEN_POLICY.roles);
    const early = must(await w.createFork(w.outsider, { name: w.spin, parent: w.name, fork_id: id }), "create_fork");
    t.true(events(early).some((e) => e.event === "fork_read_failed"));
    t.like((await w.community(w.spin))?.forked_from, { status: "Pending", last_error: "ERR_FORK_NOT_SUCCEEDED: Open" });
    await afterWindow(t);
    must(await w.executeFork(dave, id), "execute_fork");
    t.like(await w.dao.view<Fork>("get_fork", { id }), { status: "Payable", last_error: "ERR_FORK_NOT_CREATED" });
    // anyone moves the outsider's reservation forward
    must(await dave.callRaw(w.factory, "read_fork", { name: w.spin }, { gas: 150n * TGAS }), "read_fork");
    must(await w.resume(alice, w.spin), "resume_community");
    const c = (await w.community(w.spin)) as CommunityView;
    t.like(c, { status: "Ready", creator: w.outsider.accountId });
    const spinDao = t.context.root.getAccount(`${w.spin}.${w.factory.accountId}`);
    const members = await spinDao.view<{ account_id: string; roles: string[] }[]>("get_members", {});
    t.deepEqual(
      members.map((x) => [x.account_id, x.roles]),
      [alice, bob, carol].map((a) => [a.accountId, ["council"]]),
    );
    const policy = await spinDao.view<Record<string, unknown>>("get_policy");
    t.deepEqual(policy, original);
    t.notDeepEqual(policy, await w.dao.view("get_policy"));
    const before = await total(spinDao);
    must(await w.executeFork(dave, id), "execute_fork (payment)");
    const f = await w.dao.view<Fork>("get_fork", { id });
    t.like(f, { status: "Executed", exited: 3 });
    t.is(BigInt(f.amount as string), (BigInt(f.available as string) * 3n) / 5n);
    t.is((await total(spinDao)) - before, BigInt(f.amount as string));
    t.is(await spinDao.view("get_member", { account_id: w.outsider.accountId }), null);
  },
);

test.serial(
  "squatter creates a community under the fork's name before the proposal passes: never paid (ERR_FORK_NOT_BOUND), the forkers are paid under another name",
  async (t) => {
    const w = await parentWorld(t);
    const members = [{ account_id: w.outsider.accountId, roles: ["council"] }];
    must(
      await w.outsider.callRaw(
        w.factory,
        "create_community",
        { name: w.spin, dao_args: { config: { name: "s", purpose: "p", metadata: "" }, policy: FPOLICY, members } },
        { attachedDeposit: w.required + NEAR, gas: w.gas },
      ),
      "squat",
    );
    const squat = t.context.root.getAccount(`${w.spin}.${w.factory.accountId}`);
    const id = await w.openFork();
    await w.join(w.m[0], id);
    await w.join(w.m[1], id);
    await afterWindow(t);
    const squatBalance = await total(squat);
    const treasury = (await w.dao.view<{ available: string }>("get_treasury")).available;
    const r = must(await w.executeFork(w.outsider, id), "execute_fork");
    t.like(events(r).find((e) => e.event === "fork_payment_failed")?.data[0] as object, {
      error: "ERR_FORK_NOT_BOUND",
    });
    t.like(await w.dao.view<Fork>("get_fork", { id }), {
      status: "Payable",
      last_error: "ERR_FORK_NOT_BOUND",
      amount: null,
    });
    t.is(await total(squat), squatBalance);
    t.true(
      BigInt((await w.dao.view<{ available: string }>("get_treasury")).available) >= BigInt(treasury) - NEAR / 100n,
    );
    t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 5);
    // a read of the squatter's community as the fork's is refused too: it is not a fork
    await refused(
      t,
      w.outsider,
      [w.factory],
      () => w.outsider.callRaw(w.factory, "read_fork", { name: w.spin }, { gas: 150n * TGAS }),
      "ERR_NOT_A_FORK",
    );
    // the squat does not kill the fork: the forkers create it under another name, the factory binds it to this fork
    const other = `spin${n}b`;
    must(await w.createFork(w.m[0], { name: other, parent: w.name, fork_id: id }), "create_fork (other name)");
    t.like((await w.community(other))?.forked_from, { status: "Ready", members: 2 });
    must(await w.resume(w.m[0], other), "resume_community");
    const otherDao = t.context.root.getAccount(`${other}.${w.factory.accountId}`);
    const before = await total(otherDao);
    must(
      await w.outsider.callRaw(w.dao, "execute_fork", { id, name: other }, { gas: 150n * TGAS }),
      "execute_fork (payment)",
    );
    const f = await w.dao.view<Fork>("get_fork", { id });
    t.like(f, { status: "Executed", exited: 2, receiver_id: otherDao.accountId });
    t.is(BigInt(f.amount as string), (BigInt(f.available as string) * 2n) / 5n);
    t.is((await total(otherDao)) - before, BigInt(f.amount as string));
    t.is(await total(squat), squatBalance);
    t.is((await w.dao.view<{ member_count: number }>("get_info")).member_count, 3);
    t.is(await w.dao.view("get_fork", {}), null);
  },
);

test.serial(
  "create_fork for a fork that is not decided yet: read refused, resume_community refused ERR_FORK_NOT_READ",
  async (t) => {
    const w = await parentWorld(t);
    const id = await w.openFork();
    await w.join(w.m[0], id);
    must(await w.createFork(w.outsider, { name: w.spin, parent: w.name, fork_id: id }), "create_fork");
    t.like((await w.community(w.spin))?.forked_from, { status: "Pending", last_error: "ERR_FORK_NOT_SUCCEEDED: Open" });
    await refused(t, w.outsider, [w.factory, w.dao], () => w.resume(w.outsider, w.spin), "ERR_FORK_NOT_READ");
    t.false(await t.context.root.getAccount(`${w.spin}.${w.factory.accountId}`).exists());
  },
);

test.serial(
  "create_fork for a fork paid to an explicit receiver (name is not its receiver): ERR_FORK_RECEIVER_MISMATCH",
  async (t) => {
    const w = await parentWorld(t);
    // the parent's vote named the receiver (an account that does not exist yet): no factory community is its fork's
    const id = await w.pass({ kind: "Fork", name: w.spin, receiver_id: `gone${n}.${t.context.root.accountId}` });
    for (const a of w.m.slice(0, 2)) await w.join(a, id);
    await afterWindow(t);
    must(await w.executeFork(w.m[3], id), "execute_fork");
    t.like(await w.dao.view<Fork>("get_fork", { id }), { status: "Payable", last_error: "ERR_TRANSFER_FAILED" });
    const evil = `evil${n}`;
    const r = must(await w.createFork(w.outsider, { name: evil, parent: w.name, fork_id: id }), "create_fork");
    t.true(events(r).some((e) => e.event === "fork_read_failed"));
    const c = (await w.community(evil)) as CommunityView;
    t.regex(c.forked_from?.last_error ?? "", /^ERR_FORK_RECEIVER_MISMATCH/);
    await refused(t, w.outsider, [w.factory], () => w.resume(w.outsider, evil), "ERR_FORK_NOT_READ");
    // its creator takes its deposit back; the parent's fork is untouched
    const before = await total(w.outsider);
    const ab = must(
      await w.outsider.callRaw(
        w.factory,
        "abandon_community",
        { name: evil },
        { attachedDeposit: 1n, gas: 50n * TGAS },
      ),
      "abandon",
    );
    t.true((await total(w.outsider)) - before + burnt(ab) + 1n >= w.required);
    t.like(await w.dao.view<Fork>("get_fork", { id }), { status: "Payable", exited: 0 });
  },
);

test.serial("create_fork with a stale fork id (a fork that failed): ERR_FORK_NOT_SUCCEEDED: Failed", async (t) => {
  const w = await parentWorld(t);
  const id = await w.openFork();
  await w.join(w.m[0], id);
  await afterWindow(t);
  must(await w.executeFork(w.m[3], id), "execute_fork");
  t.is((await w.dao.view<Fork>("get_fork", { id })).status, "Failed");
  must(await w.createFork(w.outsider, { name: w.spin, parent: w.name, fork_id: id }), "create_fork");
  t.like((await w.community(w.spin))?.forked_from, {
    status: "Pending",
    last_error: "ERR_FORK_NOT_SUCCEEDED: Failed",
  });
  await refused(t, w.outsider, [w.factory], () => w.resume(w.outsider, w.spin), "ERR_FORK_NOT_READ");
});

test.serial("create_fork with a fork id the parent never had: ERR_PARENT_READ_FAILED, nothing deploys", async (t) => {
  const w = await parentWorld(t);
  must(await w.createFork(w.outsider, { name: w.spin, parent: w.name, fork_id: 77 }), "create_fork");
  t.like((await w.community(w.spin))?.forked_from, { status: "Pending", last_error: "ERR_PARENT_READ_FAILED" });
  await refused(t, w.outsider, [w.factory], () => w.resume(w.outsider, w.spin), "ERR_FORK_NOT_READ");
});

test.serial(
  "create_fork of a parent that is not a community of this factory: refused ERR_UNKNOWN_COMMUNITY",
  async (t) => {
    const w = await parentWorld(t);
    const id = await w.openFork();
    await refused(
      t,
      w.outsider,
      [w.factory],
      () => w.createFork(w.outsider, { name: w.spin, parent: "nowhere", fork_id: id }),
      "ERR_UNKNOWN_COMMUNITY",
    );
  },
);

test.serial(
  "outsider abandons the fork community it reserved after the read: the fork can still be created and paid",
  async (t) => {
    const w = await parentWorld(t);
    const id = await w.openFork();
    for (const a of w.m.slice(0, 2)) await w.join(a, id);
    await afterWindow(t);
    must(await w.executeFork(w.m[3], id), "execute_fork");
    must(await w.createFork(w.outsider, { name: w.spin, parent: w.name, fork_id: id }), "create_fork");
    t.like((await w.community(w.spin))?.forked_from, { status: "Ready" });
    // only the creator can abandon; a bystander is refused
    await refused(
      t,
      w.m[3],
      [w.factory],
      () => w.m[3].callRaw(w.factory, "abandon_community", { name: w.spin }, { attachedDeposit: 1n, gas: 50n * TGAS }),
      "ERR_NOT_CREATOR",
    );
    must(
      await w.outsider.callRaw(
        w.factory,
        "abandon_community",
        { name: w.spin },
        { attachedDeposit: 1n, gas: 50n * TGAS },
      ),
      "abandon",
    );
    t.is(await w.community(w.spin), null);
    // the forkers create it themselves, in one transaction (read + accounts), and are paid
    must(await w.createForkAll(w.m[0], { name: w.spin, parent: w.name, fork_id: id }), "create_fork");
    t.like(await w.community(w.spin), { status: "Ready", creator: w.m[0].accountId });
    must(await w.executeFork(w.m[3], id), "execute_fork (payment)");
    t.like(await w.dao.view<Fork>("get_fork", { id }), { status: "Executed", exited: 2 });
  },
);

test.serial("create_fork with a malformed fork id: refused ERR_UNKNOWN_FORK, nothing changes", async (t) => {
  const w = await parentWorld(t);
  for (const fork_id of [-1, 1.5, "0"]) {
    await refused(
      t,
      w.outsider,
      [w.factory],
      () => w.createFork(w.outsider, { name: w.spin, parent: w.name, fork_id }),
      "ERR_UNKNOWN_FORK",
    );
  }
});

test.serial("read_fork again on a fork community already read: refused ERR_ALREADY_COMPLETE", async (t) => {
  const w = await parentWorld(t);
  const id = await w.openFork();
  for (const a of w.m.slice(0, 2)) await w.join(a, id);
  await afterWindow(t);
  must(await w.executeFork(w.m[3], id), "execute_fork");
  must(await w.createFork(w.m[0], { name: w.spin, parent: w.name, fork_id: id }), "create_fork");
  t.like((await w.community(w.spin))?.forked_from, { status: "Ready", members: 2 });
  await refused(
    t,
    w.outsider,
    [w.factory, w.dao],
    () => w.outsider.callRaw(w.factory, "read_fork", { name: w.spin }, { gas: 150n * TGAS }),
    "ERR_ALREADY_COMPLETE",
  );
});

test.serial(
  "another parent's fork community under the same name: never paid by this parent (ERR_FORK_NOT_BOUND)",
  async (t) => {
    const a = await parentWorld(t);
    const b = await parentWorld(t);
    // both parents fork into the same name; b's forkers create it first, bound to b's fork
    const idA = await a.openFork(a.spin);
    const idB = await b.openFork(a.spin);
    for (const x of a.m.slice(0, 2)) await a.join(x, idA);
    for (const x of b.m.slice(0, 2)) await b.join(x, idB);
    await afterWindow(t);
    must(await b.executeFork(b.m[3], idB), "execute_fork b");
    must(await b.createForkAll(b.m[0], { name: a.spin, parent: b.name, fork_id: idB }), "create_fork b");
    t.is((await b.community(a.spin))?.status, "Ready");
    const spin = t.context.root.getAccount(`${a.spin}.${a.factory.accountId}`);
    const before = await total(spin);
    const r = must(await a.executeFork(a.m[3], idA), "execute_fork a");
    t.like(events(r).find((e) => e.event === "fork_payment_failed")?.data[0] as object, {
      error: "ERR_FORK_NOT_BOUND",
    });
    t.like(await a.dao.view<Fork>("get_fork", { id: idA }), { status: "Payable", exited: 0, amount: null });
    t.is((await a.dao.view<{ member_count: number }>("get_info")).member_count, 5);
    // b's own fork pays it
    must(await b.executeFork(b.m[3], idB), "execute_fork b (payment)");
    const fb = await b.dao.view<Fork>("get_fork", { id: idB });
    t.is(fb.status, "Executed");
    t.is((await total(spin)) - before, BigInt(fb.amount as string));
    // a's forkers create their community under another name and are paid there, never into b's
    const other = `${a.spin}a`;
    must(await a.createFork(a.m[0], { name: other, parent: a.name, fork_id: idA }), "create_fork a");
    must(await a.resume(a.m[0], other), "resume_community a");
    const spinB = await total(spin);
    must(await a.m[3].callRaw(a.dao, "execute_fork", { id: idA, name: other }, { gas: 150n * TGAS }), "pay a");
    const fa = await a.dao.view<Fork>("get_fork", { id: idA });
    t.like(fa, { status: "Executed", exited: 2, receiver_id: `${other}.${a.factory.accountId}` });
    t.is(await total(spin), spinB);
  },
);
