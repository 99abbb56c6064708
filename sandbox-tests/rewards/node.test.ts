// The reward pool on the local node (near-workspaces): deposit, lineage, report, close and a claim whose real
// transfer and callback run as receipts. Plain test accounts act as the DAO, the verifier and the model registry.
import { readFileSync } from "node:fs";
import type { TransactionResult } from "near-workspaces";
import { events, total } from "../helpers/tx.ts";
import { useWorker } from "../helpers/worker.ts";
import { usagePart } from "./report.ts";
import { basePolicy, NEAR, POOL_WASM, TGAS } from "./vm-pool.ts";

const test = useWorker();

const eventNames = (r: TransactionResult) => events(r).map((e) => e.event);

test("a claim on the node: transfer, callback, balances", async (t) => {
  const { root, worker } = t.context;
  const pool = await root.createSubAccount("pool", { initialBalance: 10n * NEAR });
  await pool.deploy(readFileSync(POOL_WASM));
  const [dao, verifier, registry, alice] = await Promise.all(
    ["dao", "verifier", "registry", "alice"].map((n) => root.createSubAccount(n, { initialBalance: 20n * NEAR })),
  );
  await pool.call(pool, "init", {
    dao_id: dao.accountId,
    verifier_id: verifier.accountId,
    model_registry_id: registry.accountId,
    policy: basePolicy(),
  });
  await dao.call(pool, "deposit", { memo: "treasury" }, { attachedDeposit: 5n * NEAR });
  await registry.call(
    pool,
    "register_lineage",
    {
      model_name: "m1",
      model_version: 1,
      model_creators: [{ account_id: alice.accountId, bps: 10000 }],
      datasets: [{ dataset_id: "d1", creators: [{ account_id: alice.accountId, bps: 10000 }] }],
    },
    { attachedDeposit: NEAR },
  );
  // the epoch the deposit arrived in (1 s epochs), reported once it has ended
  const [dep] = await pool.view<{ at: string }[]>("get_deposits", {});
  const epoch = Number(BigInt(dep.at) / 1_000_000_000n);
  const provider = worker.provider as unknown as {
    block(q: { finality: string }): Promise<{ header: { timestamp_nanosec: string } }>;
  };
  const now = async () => BigInt((await provider.block({ finality: "final" })).header.timestamp_nanosec);
  // the node's clock moves with its blocks: fast-forward (about a second a block) past the epoch's end
  while ((await now()) < BigInt(epoch + 1) * 1_000_000_000n) await worker.provider.fastForward(3);
  const report = await verifier.callRaw(
    pool,
    "on_usage_report",
    usagePart(epoch, [["m1", [[alice.accountId, 4]]]], { community: dao.accountId }),
  );
  t.deepEqual(eventNames(report), ["usage_reported"]);
  const close = await alice.callRaw(pool, "close_epoch", { epoch });
  t.deepEqual(eventNames(close), ["epoch_closed"]);
  const owed = BigInt(await pool.view<string>("claimable", { account_id: alice.accountId }));
  t.true(owed > 4n * NEAR);

  await alice.call(pool, "storage_deposit", {}, { attachedDeposit: NEAR / 10n });
  const before = await total(alice);
  const claim = await alice.callRaw(pool, "claim", {}, { gas: 100n * TGAS });
  t.false(claim.failed, claim.receiptFailureMessages.join());
  t.deepEqual(eventNames(claim), ["claim_started", "claim_paid"]);
  const after = await total(alice);
  // alice receives the owed amount less the gas she paid for the claim transaction (< 0.01 NEAR)
  t.true(after - before <= owed && after - before > owed - NEAR / 100n, `${after - before} vs ${owed}`);
  t.is(await pool.view("claimable", { account_id: alice.accountId }), "0");
  t.like(await pool.view<object>("get_totals"), { claimed: owed.toString(), in_flight: "0" });
  const inv = await pool.view<{ solvent: boolean; ledger_balanced: boolean }>("get_invariant");
  t.true(inv.solvent && inv.ledger_balanced);
  const again = await alice.callRaw(pool, "claim", {});
  t.true(again.receiptFailureMessages.join().includes("ERR_NOTHING_TO_CLAIM"));
});
