// Model registry stories on the local node: registration and activation (with the dataset check across contracts
// and gas measured), activation refused for a manifest with withdrawn data (both registries unchanged), deprecation
// and rollback, and the verifier kept in step (a failed update, then sync_verifier).
import type { NearAccount } from "near-workspaces";
import { useWorker } from "../helpers/worker.ts";
import {
  assertPanics,
  burnt,
  datasetInput,
  deploySuite,
  events,
  gasOf,
  modelInput,
  NEAR,
  ok,
  type Suite,
  storageOf,
  stubVerifierWasm,
  TGAS,
  tgas,
  total,
} from "./fixture.ts";
import { DEFAULT_ACTIVATION_DEPOSIT, DEPRECATION_DEPOSIT, MODEL_USE_DEPOSIT } from "../../contracts/wire/activation.ts";

const test = useWorker();
// the DAO's decisions carry the deposit the DAO attaches to them (contracts/wire/activation.ts)
const ACT = { gas: 300n * TGAS, deposit: DEFAULT_ACTIVATION_DEPOSIT };
const RAW_ACT = { gas: 300n * TGAS, attachedDeposit: DEFAULT_ACTIVATION_DEPOSIT };
const DEP = { deposit: DEPRECATION_DEPOSIT };

interface ModelView {
  id: string;
  status: string;
  parent: { model_id: string; relation: string } | null;
  activated_at: string | null;
}

interface Config {
  active_model: string | null;
  verifier_id: string | null;
  verifier_in_sync: boolean;
}

let n = 0;

/** A suite with two admitted datasets and a manifest over both; returns the manifest id. */
async function world(root: NearAccount, verifier_id: string | null = null) {
  n += 1;
  const k = n;
  const s = await deploySuite(root, { verifier_id });
  const creator = await root.createSubAccount(`creator${k}`);
  const trainer = await root.createSubAccount(`trainer${k}`);
  const creators = [{ account_id: creator.accountId, share_bps: 10000 }];
  for (const name of ["news", "code"]) {
    await ok(creator, s.datasets, "submit_dataset", datasetInput(name, "1", creators), { deposit: NEAR });
    await ok(s.dao, s.datasets, "admit_dataset", { dataset_id: `${name}@1` });
  }
  const r = await ok(
    trainer,
    s.datasets,
    "create_manifest",
    { name: "m", dataset_ids: ["news@1", "code@1"] },
    {
      deposit: NEAR,
    },
  );
  return { s, creator, trainer, manifestId: r.parseResult<number>() };
}

async function config(s: Suite): Promise<Config> {
  return s.models.view<Config>("get_config", {});
}

test("registration and activation: the dataset registry records the dependency, gas measured", async (t) => {
  const { s, trainer, manifestId } = await world(t.context.root);
  const reg = await ok(trainer, s.models, "register_model", modelInput("commons-lm", "1.0", manifestId), {
    deposit: NEAR,
  });
  t.log(`register_model: ${tgas(gasOf(reg))}`);
  t.is(reg.parseResult<string>(), "commons-lm@1.0");
  t.is(events(reg)[0].event, "model_registered");
  t.is(events(reg)[0].standard, "ai-commons-models");

  const usage = async (a: NearAccount) => BigInt((await a.accountView()).storage_usage);
  const [daoBefore, dsBefore, mrBefore] = [await total(s.dao), await usage(s.datasets), await usage(s.models)];
  const act = await ok(s.dao, s.models, "activate_model", { model_id: "commons-lm@1.0" }, ACT);
  t.log(`activate_model (3 receipts: registry, dataset check, callback): ${tgas(gasOf(act))}`);
  // the DAO paid exactly the bytes both registries added (and the gas); the rest of its deposit came back
  const added = (await usage(s.datasets)) - dsBefore + ((await usage(s.models)) - mrBefore);
  t.true(added > 0n);
  t.is(await total(s.dao), daoBefore - burnt(act) - added * 10n ** 19n);
  const activated = events(act).find((e) => e.event === "model_activated")?.data[0] as Record<string, string>;
  t.is(BigInt(activated.storage_cost), ((await usage(s.models)) - mrBefore) * 10n ** 19n);
  t.is(activated.lineage_reserve, "0"); // this suite has no reward pool
  t.is(activated.deposit, DEFAULT_ACTIVATION_DEPOSIT.toString());
  t.is(BigInt(activated.refund), DEFAULT_ACTIVATION_DEPOSIT - MODEL_USE_DEPOSIT - BigInt(activated.storage_cost));
  for (const o of act.result.receipts_outcome)
    t.log(`  ${o.outcome.executor_id}: ${tgas(BigInt(o.outcome.gas_burnt))}`);
  const root = (await s.datasets.view<{ root: string }>("get_manifest", { manifest_id: manifestId })).root;
  t.deepEqual(act.parseResult(), { model_id: "commons-lm@1.0", manifest_root: root });
  t.deepEqual(
    events(act).map((e) => [e.standard, e.event]),
    [
      ["ai-commons-datasets", "model_dependency_recorded"],
      ["ai-commons-models", "model_activated"],
    ],
  );
  t.is((await s.models.view<ModelView>("get_model", { model_id: "commons-lm@1.0" })).status, "Active");
  t.is((await config(s)).active_model, "commons-lm@1.0");
  t.deepEqual(await s.datasets.view("get_manifest_models", { manifest_id: manifestId }), ["commons-lm@1.0"]);
  t.deepEqual(await s.models.view("get_activation_stack", {}), ["commons-lm@1.0"]);
});

test("activation refused for a manifest with withdrawn data: promise fails, both registries unchanged", async (t) => {
  const { s, creator, trainer, manifestId } = await world(t.context.root);
  await ok(trainer, s.models, "register_model", modelInput("lm", "1", manifestId), { deposit: NEAR });
  await ok(creator, s.datasets, "withdraw_dataset", { dataset_id: "code@1" });
  const before = await storageOf(t.context.worker, s);
  const daoBefore = await total(s.dao);
  const r = await s.dao.callRaw(s.models, "activate_model", { model_id: "lm@1" }, RAW_ACT);
  // The DAO's on_execute sees this final result: a failure, so the proposal is marked Failed.
  assertPanics(t, r, "ERR_MANIFEST_WITHDRAWN");
  // and the deposit came back whole: the DAO paid only the gas
  t.is(await total(s.dao), daoBefore - burnt(r));
  t.true(r.receiptFailureMessages.join().includes("code@1"));
  t.is(await storageOf(t.context.worker, s), before);
  t.is((await config(s)).active_model, null);
  t.is((await s.models.view<ModelView>("get_model", { model_id: "lm@1" })).status, "Registered");
  t.deepEqual(await s.datasets.view("get_manifest_models", { manifest_id: manifestId }), []);

  // an unknown manifest fails the same way
  await ok(trainer, s.models, "register_model", modelInput("lm", "2", 999), { deposit: NEAR });
  const before2 = await storageOf(t.context.worker, s);
  const r2 = await s.dao.callRaw(s.models, "activate_model", { model_id: "lm@2" }, RAW_ACT);
  assertPanics(t, r2, "ERR_UNKNOWN_MANIFEST");
  t.is(await storageOf(t.context.worker, s), before2);
});

test("deprecation and rollback: back to the newest earlier model that is not deprecated", async (t) => {
  const { s, trainer, manifestId } = await world(t.context.root);
  for (const v of ["1", "2", "3"]) {
    await ok(trainer, s.models, "register_model", modelInput("lm", v, manifestId), { deposit: NEAR });
    await ok(s.dao, s.models, "activate_model", { model_id: `lm@${v}` }, ACT);
  }
  t.deepEqual(await s.models.view("get_activation_stack", {}), ["lm@1", "lm@2", "lm@3"]);
  t.is((await s.models.view<ModelView>("get_model", { model_id: "lm@2" })).status, "Registered");

  // lm@2 deprecated while inactive; lm@3 rolled back -> lm@1 (skipping lm@2)
  const dep = await ok(s.dao, s.models, "deprecate_model", { model_id: "lm@2", reason: "eval regression" }, DEP);
  t.deepEqual(events(dep)[0].data, [{ model_id: "lm@2", was_active: false, reason: "eval regression" }]);
  const rb = await ok(s.dao, s.models, "rollback_model", {}, ACT);
  t.log(`rollback_model: ${tgas(gasOf(rb))}`);
  t.is(events(rb).at(-1)?.event, "model_rolled_back");
  t.deepEqual(events(rb).at(-1)?.data[0].previous, "lm@3");
  t.is((await config(s)).active_model, "lm@1");
  t.is((await s.models.view<ModelView>("get_model", { model_id: "lm@3" })).status, "Registered");
  t.deepEqual(await s.models.view("get_activation_stack", {}), ["lm@1"]);

  // deprecating the active model leaves none active; nothing left to roll back to
  const dep1 = await ok(s.dao, s.models, "deprecate_model", { model_id: "lm@1" }, DEP);
  t.deepEqual(events(dep1)[0].data, [{ model_id: "lm@1", was_active: true, reason: null }]);
  t.is((await config(s)).active_model, null);
  const none = await s.dao.callRaw(s.models, "rollback_model", {}, RAW_ACT);
  assertPanics(t, none, "ERR_NO_ROLLBACK_TARGET");
  // a deprecated model cannot come back
  const again = await s.dao.callRaw(s.models, "activate_model", { model_id: "lm@1" }, RAW_ACT);
  assertPanics(t, again, "ERR_MODEL_DEPRECATED");
  const history = await s.models.view<{ model_id: string; action: string }[]>("get_history", {});
  t.deepEqual(
    history.map((h) => `${h.action} ${h.model_id}`),
    ["activate lm@1", "activate lm@2", "activate lm@3", "deprecate lm@2", "rollback lm@1", "deprecate lm@1"],
  );
});

test("verifier: told on activation and deprecation; a failed update is retried with sync_verifier", async (t) => {
  const { root } = t.context;
  const verifier = await root.createSubAccount("verifier");
  await verifier.deploy(stubVerifierWasm(true)); // traps: every update fails
  const { s, trainer, manifestId } = await world(root, verifier.accountId);
  await ok(trainer, s.models, "register_model", modelInput("lm", "1", manifestId), { deposit: NEAR });
  const act = await ok(s.dao, s.models, "activate_model", { model_id: "lm@1" }, ACT);
  // the activation stands even though the verifier refused the update
  t.is((await config(s)).active_model, "lm@1");
  t.true(events(act).some((e) => e.event === "verifier_sync_failed"));
  t.false((await config(s)).verifier_in_sync);
  const executors = (act.result.receipts_outcome as { outcome: { executor_id: string } }[]).map(
    (o) => o.outcome.executor_id,
  );
  t.true(executors.includes(verifier.accountId));

  // the verifier is fixed; anyone retries
  await verifier.deploy(stubVerifierWasm(false));
  const sync = await ok(trainer, s.models, "sync_verifier", {});
  t.true(sync.parseResult<boolean>());
  t.deepEqual(events(sync).at(-1)?.event, "verifier_synced");
  t.true((await config(s)).verifier_in_sync);
  const twice = await trainer.callRaw(s.models, "sync_verifier", {}, { gas: 100n * TGAS });
  assertPanics(t, twice, "ERR_ALREADY_IN_SYNC");

  // deprecating the active model clears it at the verifier in the same transaction tree
  const dep = await ok(s.dao, s.models, "deprecate_model", { model_id: "lm@1" }, DEP);
  t.true(events(dep).some((e) => e.event === "verifier_synced"));
  t.true((await config(s)).verifier_in_sync);
});
