// near-workspaces against the local node: accounts, transfers, balances, deletion, patchState, fastForward.
import { useWorker } from "../helpers/worker.ts";

const NEAR = 10n ** 24n;
const test = useWorker();

test("root account exists and has the genesis balance", async (t) => {
  const { root } = t.context;
  t.true(await root.exists());
  const balance = await root.balance();
  t.is(balance.total.toString(), (10n ** 33n + 5n * 10n ** 31n).toString());
});

test("createSubAccount with the default 100 NEAR, then transfer between accounts", async (t) => {
  const { root } = t.context;
  const alice = await root.createSubAccount("alice");
  const bob = await root.createSubAccount("bob", { initialBalance: 5n * NEAR });
  t.is(alice.accountId, "alice.test.near");
  // available = total - storage staked (182 bytes: account + one full-access key)
  t.is(await alice.availableBalance(), 100n * NEAR - 182n * 10n ** 19n);
  const before = BigInt((await bob.balance()).total.toString());
  const result = await alice.transfer(bob, NEAR);
  t.true(result.succeeded);
  const after = BigInt((await bob.balance()).total.toString());
  t.is(after - before, 10n ** 24n);
});

test("delete account sends the balance to the beneficiary", async (t) => {
  const { root } = t.context;
  const carol = await root.createSubAccount("carol");
  const dave = await root.createSubAccount("dave");
  const before = BigInt((await dave.balance()).total.toString());
  const carolTotal = BigInt((await carol.balance()).total.toString());
  const result = await carol.delete(dave.accountId);
  t.true(result.succeeded);
  t.false(await carol.exists());
  const after = BigInt((await dave.balance()).total.toString());
  // carol pays the deletion transaction's fees out of her balance before it moves
  t.true(after - before > carolTotal - 10n ** 21n);
  t.true(after - before < carolTotal);
});

test("patchState writes contract data and accounts", async (t) => {
  const { root } = t.context;
  const eve = await root.createSubAccount("eve");
  await eve.patchState("counter", Buffer.from("42"));
  const state = await t.context.worker.provider.viewState(eve.accountId, "");
  t.deepEqual(
    state.map(({ key, value }) => [key.toString(), value.toString()]),
    [["counter", "42"]],
  );
  await eve.updateAccount({ amount: (7n * NEAR).toString() });
  t.is((await eve.balance()).total.toString(), (7n * NEAR).toString());
});

test("fastForward moves height and time forward", async (t) => {
  const { worker } = t.context;
  // JsonRpcProvider extends near-api-js's provider, whose block() the near-workspaces typings omit
  const provider = worker.provider as unknown as {
    block(q: { finality: string }): Promise<{ header: { height: number; timestamp_nanosec: string } }>;
  };
  const before = await provider.block({ finality: "final" });
  await worker.provider.fastForward(1000);
  const after = await provider.block({ finality: "final" });
  t.true(after.header.height >= before.header.height + 1000);
  const elapsedNs = BigInt(after.header.timestamp_nanosec) - BigInt(before.header.timestamp_nanosec);
  t.true(elapsedNs >= 1000n * 1_000_000_000n);
  // transactions still work after the jump
  const frank = await t.context.root.createSubAccount("frank");
  t.true(await frank.exists());
});
