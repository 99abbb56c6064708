// The DAO pays what its model decisions store (contracts/wire/activation.ts), on a factory-made community whose
// registries hold only their state's storage and ~1.7 KB of headroom. Before, the first activation of a model with
// 98 creator entries (a model creator and seven datasets: six of 16 creators, one of one) failed with
// LackBalanceForState at the model registry: its lineage (~12 KB kept until the pool confirms it) came out of that
// headroom. Now: ActivateModel with the default deposit is refused (ERR_DEPOSIT_TOO_LOW naming the amount), Failed,
// with the treasury and both registries unchanged; with the deposit the CLI computes it succeeds, the registry keeps
// exactly the bytes it stored plus the lineage's part deposit and sends the rest back; the part, paid from that
// reserve, reaches the pool in the same transaction (the callback takes the gas the execute leaves unused); neither
// registry's headroom shrinks at any step. DeprecateModel pays its history entry.
import type { ExecutionContext } from "ava";
import type { NearAccount, TransactionResult } from "near-workspaces";
import {
  activationDeposit,
  DEFAULT_ACTIVATION_DEPOSIT,
  lineagePartDeposit,
  lineagePartsBound,
  MODEL_USE_DEPOSIT,
} from "../../contracts/wire/activation.ts";
import { DaoClient } from "../dao/fixture.ts";
import { createCommunity, DAO_CODE, deployFactory, NEAR, TGAS } from "../helpers/community.ts";
import { BYTE_COST, events, failureText, total } from "../helpers/tx.ts";
import { useWorker } from "../helpers/worker.ts";
import { datasetInput, modelInput } from "./fixture.ts";

const test = useWorker().serial;

// 16 creators per dataset (the registries' most), ids near the 64-character limit so the byte bounds are exercised
const creatorsOf = (d: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    account_id: `creator-${d}-${String(i).padStart(2, "0")}-of-a-long-named-data-collective.test.near`,
    share_bps: 10000 / n,
  }));
const SIZES = [16, 16, 16, 16, 16, 16, 1];

test("a 98-entry lineage: refused short, activated with the computed deposit, headroom untouched", async (t) => {
  const { root } = t.context;
  const big = { initialBalance: 100n * NEAR };
  const owner = await root.createSubAccount("owner", big);
  const alice = await root.createSubAccount("alice", big);
  const bob = await root.createSubAccount("bob", big);
  const relayer = await root.createSubAccount("relayer", big);
  const factory = await deployFactory(root, owner);
  const ids = await createCommunity(factory, alice, "acme", [alice, bob]);
  const dao = root.getAccount(ids[DAO_CODE]);
  const datasets = root.getAccount(ids["dataset-registry"]);
  const models = root.getAccount(ids["model-registry"]);
  const pool = root.getAccount(ids["reward-pool"]);
  await alice.transfer(dao, 20n * NEAR);
  const c = new DaoClient(dao, t as unknown as ExecutionContext);
  const executed = async (kind: Record<string, unknown>): Promise<[number, TransactionResult]> => {
    const id = await c.pass(alice, kind, [alice, bob]);
    return [id, await c.execute(alice, id)];
  };
  // what an account holds beyond its storage stake (and, for the model registry, the lineage reserve it keeps)
  const free = async (a: NearAccount) => {
    const v = await a.accountView();
    return BigInt(v.amount) - BigInt(v.storage_usage) * BYTE_COST;
  };
  const usage = async (a: NearAccount) => BigInt((await a.accountView()).storage_usage);

  // seven admitted datasets, a manifest over them, a model with one creator: 98 creator entries
  const datasetIds: string[] = [];
  for (const [d, n] of SIZES.entries()) {
    const input = datasetInput(`corpus-${d}`, "1", creatorsOf(d, n));
    const sub = await alice.callRaw(datasets, "submit_dataset", input, { attachedDeposit: NEAR, gas: 100n * TGAS });
    t.false(sub.failed, failureText(sub));
    const id = sub.parseResult<string>();
    const [, admit] = await executed({ kind: "AdmitDataset", dataset_id: id });
    t.false(admit.failed, failureText(admit));
    datasetIds.push(id);
  }
  const mf = await alice.callRaw(
    datasets,
    "create_manifest",
    { name: "big", dataset_ids: datasetIds },
    { attachedDeposit: NEAR, gas: 100n * TGAS },
  );
  const manifestId = mf.parseResult<number>();
  const reg = await alice.callRaw(models, "register_model", modelInput("lm", "1", manifestId), {
    attachedDeposit: NEAR,
    gas: 100n * TGAS,
  });
  t.false(reg.failed, failureText(reg));
  const entries = 1 + SIZES.reduce((a, b) => a + b, 0);
  t.is(entries, 98);

  // 1. the default deposit (a lineage of 10 entries) is short: Failed, the deposit back, nothing stored
  const before = [await total(dao), await usage(models), await free(datasets)];
  const [short, shortRun] = await executed({ kind: "ActivateModel", model_id: "lm@1" });
  t.is((await c.proposal(short)).status, "Failed");
  const reason = failureText(shortRun);
  t.true(reason.includes("ERR_DEPOSIT_TOO_LOW"), reason);
  t.true(reason.includes(`attached ${DEFAULT_ACTIVATION_DEPOSIT}`), reason);
  t.is(await usage(models), before[1], "the model registry stored nothing");
  t.is((await models.view<{ status: string }>("get_model", { model_id: "lm@1" })).status, "Registered");
  t.is(await models.view("get_lineage_status", { model_id: "lm@1" }), null);
  // the DAO got its deposit back (it only gained the proposal's bond and gas rewards meanwhile)
  t.true((await total(dao)) >= before[0] - NEAR / 1000n, "the treasury lost the deposit");
  // the dataset registry's record of the model's use (written: the manifest is fine) was paid from the deposit
  t.true((await free(datasets)) >= before[2], "the dataset registry's headroom shrank");

  // 2. the deposit for the lineage's real size (what `propose activate-model` computes)
  const deposit = activationDeposit({ entries, datasets: 7, parts: lineagePartsBound(entries, 7) });
  const [mUsage, dFree] = [await usage(models), await free(datasets)];
  const mFree = await free(models);
  const [ok, run] = await executed({ kind: "ActivateModel", model_id: "lm@1", deposit: deposit.toString() });
  t.is((await c.proposal(ok)).status, "Executed", failureText(run));
  for (const o of run.result.receipts_outcome) {
    if (o.outcome.executor_id === models.accountId)
      t.log(`activation at the registry: ${Number(BigInt(o.outcome.gas_burnt) / 10n ** 9n) / 1000} Tgas`);
  }
  t.is((await models.view<{ status: string }>("get_model", { model_id: "lm@1" })).status, "Active");
  const act = events(run).find((e) => e.event === "model_activated")?.data[0] as Record<string, string>;
  t.log(`lineage of ${entries} entries: deposit ${deposit}, event ${JSON.stringify(act)}`);
  // the callback kept exactly the bytes it measured (the lineage and its part's copy for retries: large) and the
  // part's deposit, and sent the rest back at once
  t.true(BigInt(act.storage_cost) > 9_000n * BYTE_COST, `the lineage is large: ${act.storage_cost}`);
  t.is(BigInt(act.lineage_reserve), lineagePartDeposit(entries), "one part of 98 entries");
  t.is(BigInt(act.refund), deposit - MODEL_USE_DEPOSIT - BigInt(act.storage_cost) - BigInt(act.lineage_reserve));
  t.true(BigInt(act.refund) > 0n);

  // 3. the execute's 300 Tgas left the callback room for the part (it takes the gas the DAO and the registry leave
  // unused): sent and confirmed in the same transaction, the copy kept for retries deleted and its stake, with the
  // pool's refund of what the records did not use, back to the DAO
  const sent = events(run).filter((e) => e.event === "lineage_part_sent");
  t.is(sent.length, 1);
  t.true(
    events(run).some((e) => e.event === "lineage_pushed"),
    "the lineage reached the pool in the activation",
  );
  t.like(await models.view("get_lineage_status", { model_id: "lm@1" }), { parts: "2", done: 1, reserve: "0" });
  t.like(await pool.view("get_lineage", { model_name: "lm", model_version: "1" }), {
    complete: true,
    datasets: 7,
    datasets_complete: 7,
  });
  const grown = (await usage(models)) - mUsage;
  t.true(grown * BYTE_COST < BigInt(act.storage_cost), `the part's copy was freed: ${grown} bytes left`);
  // neither registry paid anything from its own headroom, and nothing is left reserved
  t.true((await free(models)) >= mFree, "the model registry's headroom shrank");
  t.true((await free(datasets)) >= dFree, "the dataset registry's headroom shrank");
  // nothing is left to push
  const pushedAgain = await relayer.callRaw(models, "push_lineage", { model_id: "lm@1" }, { gas: 300n * TGAS });
  t.true(failureText(pushedAgain).includes("ERR_LINEAGE_PUSHED"), failureText(pushedAgain));

  // 4. DeprecateModel pays its history entry out of DEPRECATION_DEPOSIT, the rest comes back at once
  const [mUsage2, mFree2] = [await usage(models), await free(models)];
  const [dep, depRun] = await executed({ kind: "DeprecateModel", model_id: "lm@1", reason: "superseded" });
  t.is((await c.proposal(dep)).status, "Executed", failureText(depRun));
  for (const o of depRun.result.receipts_outcome) {
    t.log(`deprecate: ${o.outcome.executor_id} burnt ${Number(BigInt(o.outcome.gas_burnt) / 10n ** 9n) / 1000} Tgas`);
  }
  t.true((await usage(models)) > mUsage2);
  t.true((await free(models)) >= mFree2, "the deprecation was paid from the headroom");
});
