// The whole suite on the local node, through a community the factory creates: members join by vote; datasets are
// submitted and admitted by DAO proposals (FunctionCall); a manifest; the attester trains the model from data/, it is
// registered and activated by proposal (the verifier gets the active model, the pool gets the lineage); the DAO bonds
// an attester from its treasury; receipts are submitted; the DAO funds the pool; the epoch passes; usage is reported
// by the real verifier into the real pool; the epoch closes; creators and the attester claim exactly what is computed
// here off chain. Gas of every step is logged.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { NearAccount, TransactionResult } from "near-workspaces";
import { InferenceAttester } from "../../attester/src/attester.ts";
import { DATA_DIR, loadVerified, MANIFEST_PATH, readManifest, sha256Hex } from "../../attester/src/data.ts";
import { train, weightsSha256 } from "../../attester/src/model.ts";
import { newKey } from "../../attester/src/receipt.ts";
import { basePolicy, daoWasm } from "../dao/fixture.ts";
import { useWorker } from "../helpers/worker.ts";
import { burnt, events, gasOf, NEAR, ROOT, TGAS, tgas, total } from "../registries/fixture.ts";
import { chainNow, SETTINGS } from "../verifier/fixture.ts";
import { codeInput, fundPublisher, GLOBAL_BYTE_COST } from "../helpers/community.ts";
import { DEFAULT_ACTIVATION_DEPOSIT } from "../../contracts/wire/activation.ts";
import { ATTESTER_STORAGE_DEPOSIT } from "../../contracts/wire/dao.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";

const test = useWorker().serial;

const BOND = NEAR; // the DAO's proposal bond (dao fixture policy)
const ATTESTER_BOND = NEAR; // the verifier's min_bond in SETTINGS
const FEE = 10n ** 21n; // pool attester fee per accepted receipt
const POOL_FUNDS = 5n * NEAR;
const POLICY = {
  model_bps: 5000,
  data_bps: 4000,
  parent_bps: 1000,
  attester_fee: FEE.toString(),
  epoch_length_ns: SETTINGS.epoch_length_ns,
  release_bps: 10000,
};
const CODES = ["dataset-registry", "model-registry", "inference-verifier", "reward-pool"];
const QUESTIONS = [
  "the council should vote on the treasury budget",
  "this csv file has personal data to remove",
  "retrain the classifier with a smaller learning rate",
  "when will the reward pool pay the creators",
];

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");

function must(r: TransactionResult, what: string): TransactionResult {
  if (r.failed) throw new Error(`${what} failed: ${r.receiptFailureMessages.join(" | ")}`);
  return r;
}

test("factory community: join, admit, train, activate, attest, fund, report, close, claim", async (t) => {
  const { worker, root } = t.context;
  const gas: [string, bigint][] = [];
  const step = (name: string, r: TransactionResult) => {
    must(r, name);
    gas.push([name, gasOf(r)]);
    t.log(`${name}: ${tgas(gasOf(r))}`);
    return r;
  };
  const big = { initialBalance: 100n * NEAR };
  const owner = await root.createSubAccount("owner", big);
  const alice = await root.createSubAccount("alice", big); // founder, council
  const bob = await root.createSubAccount("bob", big); // joins the council by vote
  const dave = await root.createSubAccount("dave"); // dataset creator
  const erin = await root.createSubAccount("erin"); // dataset and model creator
  const frank = await root.createSubAccount("frank"); // model maker (registrant)
  const att = await root.createSubAccount("att"); // the attester
  const relayer = await root.createSubAccount("relayer");
  // the factory keeps no wasm (its codes are published to the chain's global store): a small balance is enough
  const factory = await root.createSubAccount("commons", { initialBalance: 10n * NEAR });

  // 1. the factory, its five codes published once (the owner pays each burn), one community in one transaction
  await factory.deploy(readFileSync(join(ROOT, "build", "community-factory.wasm")));
  await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 30n * TGAS });
  const wasms: [string, Uint8Array][] = [["community-dao", daoWasm()]];
  for (const c of CODES) wasms.push([c, readFileSync(join(ROOT, "build", `${c}.wasm`))]);
  await fundPublisher(
    root,
    owner,
    wasms.map(([name]) => name),
  );
  for (const [name, wasm] of wasms) {
    step(
      `publish_code ${name}`,
      await owner.callRaw(factory, "publish_code", codeInput(name, "1.0.0", wasm), {
        attachedDeposit: BigInt(wasm.length) * GLOBAL_BYTE_COST,
        gas: 300n * TGAS,
      }),
    );
  }
  const required = await factory.view<{ accounts_total: string; gas: string }>("get_required_deposit");
  const policy = basePolicy();
  step(
    "create_community (5 accounts)",
    await alice.callRaw(
      factory,
      "create_community",
      {
        name: "acme",
        dao_args: {
          config: { name: "Acme commons", purpose: "own our model", metadata: "" },
          policy,
          members: [{ account_id: alice.accountId, roles: ["council"] }],
        },
        init_args: { "inference-verifier": { settings: SETTINGS }, "reward-pool": { policy: POLICY } },
      },
      // the accounts' starting balances, plus the storage of the init arguments and the record (excess refunded)
      { attachedDeposit: BigInt(required.accounts_total) + NEAR, gas: BigInt(required.gas) },
    ),
  );
  const community = await factory.view<{ status: string; contracts: { code: string; account_id: string }[] }>(
    "get_community",
    { name: "acme" },
  );
  t.is(community.status, "Ready");
  const id = (code: string) => community.contracts.find((c) => c.code === code)!.account_id;
  const acc = (code: string) => root.getAccount(id(code));
  const dao = acc("community-dao");
  const datasets = acc("dataset-registry");
  const models = acc("model-registry");
  const verifier = acc("inference-verifier");
  const pool = acc("reward-pool");
  t.is(dao.accountId, "acme.commons.test.near");
  t.is(pool.accountId, "acme_reward-pool.commons.test.near");
  // every contract found its peers in the factory's suite
  t.like(await datasets.view<object>("get_config"), { dao_id: dao.accountId, model_registry_id: models.accountId });
  t.like(await models.view<object>("get_config"), {
    dao_id: dao.accountId,
    dataset_registry_id: datasets.accountId,
    verifier_id: verifier.accountId,
    reward_pool_id: pool.accountId,
  });
  t.like(await verifier.view<object>("get_config"), {
    dao_id: dao.accountId,
    model_registry_id: models.accountId,
    reward_pool_id: pool.accountId,
  });
  t.like(await pool.view<object>("get_config"), {
    dao_id: dao.accountId,
    verifier_id: verifier.accountId,
    model_registry_id: models.accountId,
  });

  // DAO helpers: propose (bond), council votes, anyone executes
  let council = [alice];
  const pass = async (label: string, kind: Record<string, unknown>, execGas = 100n * TGAS) => {
    const p = step(
      `${label}: add_proposal`,
      await alice.callRaw(
        dao,
        "add_proposal",
        { description: label, kind },
        { attachedDeposit: BOND, gas: 30n * TGAS },
      ),
    );
    const pid = p.parseResult<number>();
    for (const v of council) step(`${label}: vote`, await v.callRaw(dao, "vote", { id: pid, choice: "Approve" }));
    const ex = step(`${label}: execute`, await bob.callRaw(dao, "execute", { id: pid }, { gas: execGas }));
    t.is(
      (await dao.view<{ status: string }>("get_proposal", { id: pid })).status,
      "Executed",
      `${label}: ${ex.receiptFailureMessages.join(" | ")}`,
    );
    return ex;
  };
  const call = (receiver: NearAccount, method: string, args: unknown, callGas: bigint, deposit = 0n) => ({
    kind: "FunctionCall",
    receiver_id: receiver.accountId,
    actions: [{ method_name: method, args: b64(args), deposit: deposit.toString(), gas: callGas.toString() }],
  });

  // 2. bob joins the council by vote
  await pass("add bob", { kind: "AddMember", member_id: bob.accountId, role: "council" });
  council = [alice, bob];
  // a supporter funds the treasury
  await root.transfer(dao.accountId, 10n * NEAR);

  // 3. datasets submitted by their creators, admitted by proposals, named in a manifest
  const local = readManifest();
  const shares: Record<string, { account_id: string; share_bps: number }[]> = {};
  const ids: string[] = [];
  for (const [i, e] of local.entries.entries()) {
    const [name, version] = e.dataset_id.split("@");
    const creators =
      i === 0
        ? [{ account_id: dave.accountId, share_bps: 10000 }]
        : [
            { account_id: dave.accountId, share_bps: 4000 },
            { account_id: erin.accountId, share_bps: 6000 },
          ];
    shares[e.dataset_id] = creators;
    const sub = step(
      `submit_dataset ${e.dataset_id}`,
      await dave.callRaw(
        datasets,
        "submit_dataset",
        {
          name,
          version,
          content_sha256: e.content_sha256,
          size_bytes: String(statSync(join(DATA_DIR, e.file)).size),
          uris: [`file://data/${e.file}`],
          license: e.license,
          datasheet_sha256: sha256Hex(`datasheet of ${e.dataset_id}`),
          creators,
        },
        { attachedDeposit: NEAR / 10n, gas: 30n * TGAS },
      ),
    );
    ids.push(sub.parseResult<string>());
    await pass(`admit ${e.dataset_id}`, call(datasets, "admit_dataset", { dataset_id: e.dataset_id }, 20n * TGAS));
    t.is((await datasets.view<{ status: string }>("get_dataset", { dataset_id: e.dataset_id })).status, "Admitted");
  }
  const mf = step(
    "create_manifest",
    await dave.callRaw(
      datasets,
      "create_manifest",
      { name: "community-intents", dataset_ids: ids },
      { attachedDeposit: NEAR / 10n, gas: 30n * TGAS },
    ),
  );
  const manifestId = mf.parseResult<number>();
  const onChain = await datasets.view<{ root: string; entries: { dataset_id: string; content_sha256: string }[] }>(
    "get_manifest",
    { manifest_id: manifestId },
  );
  t.is(onChain.root, local.root);

  // 4. train from data/ (files checked against the registry), register with its makers, activate by proposal
  const content: Record<string, string> = {};
  for (const e of onChain.entries) content[e.dataset_id] = e.content_sha256;
  const model = train(loadVerified(MANIFEST_PATH, { content_sha256: content, root: onChain.root }).examples);
  const card = JSON.parse(readFileSync(join(ROOT, "attester", "model-card.json"), "utf8"));
  const weights = weightsSha256(model);
  t.is(weights, card.weights_sha256);
  const makers = [
    { account_id: frank.accountId, share_bps: 7500 },
    { account_id: erin.accountId, share_bps: 2500 },
  ];
  const reg = step(
    "register_model",
    await frank.callRaw(
      models,
      "register_model",
      {
        name: card.model_name,
        version: card.model_version,
        weights_sha256: weights,
        framework: card.framework,
        architecture: card.architecture,
        training_manifest_id: manifestId,
        training_code_sha256: sha256Hex(readFileSync(join(ROOT, "attester", "src", "model.ts"))),
        license: card.license,
        creators: makers,
      },
      { attachedDeposit: NEAR / 10n, gas: 30n * TGAS },
    ),
  );
  const modelId = reg.parseResult<string>();
  const act = await pass(
    "activate model",
    // with the deposit ActivateModel attaches when none is named (the lineage here: 5 creator entries, 2 datasets)
    call(models, "activate_model", { model_id: modelId }, 160n * TGAS, DEFAULT_ACTIVATION_DEPOSIT),
    // the DAO asks for the action's gas plus its own callback
    240n * TGAS,
  );
  const evs = events(act).map((e) => e.event);
  for (const e of ["model_activated", "verifier_synced", "lineage_prepared", "lineage_part_sent", "lineage_pushed"]) {
    t.true(evs.includes(e), `${e} in ${evs.join(",")} ${act.receiptFailureMessages.join(" | ")}`);
  }
  t.like(await verifier.view<object>("get_active_model", {}), {
    model_name: card.model_name,
    model_version: card.model_version,
    weights_sha256: weights,
  });
  t.like(await models.view<object>("get_lineage_status", { model_id: modelId }), {
    total_parts: 1,
    done: 1,
    parts: "2",
  });
  t.like(await pool.view<object>("get_lineage", { model_name: card.model_name, model_version: card.model_version }), {
    model: modelId,
    complete: true,
    model_bps: 10000,
    datasets: 2,
    datasets_complete: 2,
    parent: null,
  });
  // the part's copy is gone from the registry once the pool confirmed it; a second push has nothing to do
  const again = await relayer.callRaw(models, "push_lineage", { model_id: modelId }, { gas: 60n * TGAS });
  t.true(again.receiptFailureMessages.join().includes("ERR_LINEAGE_PUSHED"));

  // 5. the DAO bonds an attester from its treasury
  const key = newKey();
  const bondBefore = await total(dao);
  await pass(
    "add attester",
    call(
      verifier,
      "add_attester",
      // the bond plus the attester's storage (as AddAttester attaches it): the verifier keeps the exact storage cost
      { attester_id: att.accountId, public_key: key.public_key, bond: ATTESTER_BOND.toString() },
      30n * TGAS,
      ATTESTER_BOND + ATTESTER_STORAGE_DEPOSIT,
    ),
  );
  t.like(await verifier.view<object>("get_attester", { attester_id: att.accountId }), {
    status: "Active",
    bond: ATTESTER_BOND.toString(),
  });
  // the bond and the attester's storage (< 0.01 NEAR) left the treasury (less the gas rewards the DAO's own calls earn
  // it back, and plus the proposal's storage, which its proposer paid and the DAO keeps)
  const last = (await dao.view<number>("get_last_proposal_id")) - 1;
  const proposal = await dao.view<{ storage_deposit?: string }>("get_proposal", { id: last });
  const spent = bondBefore - (await total(dao)) + BigInt(proposal.storage_deposit ?? "0");
  t.true(spent <= ATTESTER_BOND + ATTESTER_STORAGE_DEPOSIT && spent > ATTESTER_BOND - NEAR / 100n, `spent ${spent}`);

  // 7. the DAO funds the pool from its treasury (before the epoch ends: funds arriving later are for later epochs)
  await pass("fund pool", call(pool, "deposit", { memo: "treasury grant" }, 20n * TGAS, POOL_FUNDS));
  const deposits = await pool.view<{ source: string; amount: string }[]>("get_deposits", {});
  t.is(deposits.length, 1);
  t.is(deposits[0].source, dao.accountId);

  // 6. inference, signed receipts, one batch submitted by a relayer
  const now = await chainNow(worker);
  const attester = new InferenceAttester({
    model,
    model_name: card.model_name,
    model_version: card.model_version,
    key,
    attester_id: att.accountId,
    community: dao.accountId,
    verifier_id: verifier.accountId,
    clock: () => now,
  });
  const receipts = QUESTIONS.map((q) => attester.attest(q).receipt);
  const sub = step(
    "submit_receipts (4)",
    await relayer.callRaw(
      verifier,
      "submit_receipts",
      { receipts },
      { attachedDeposit: RECEIPT_STORAGE_DEPOSIT * BigInt(receipts.length), gas: 150n * TGAS },
    ),
  );
  t.deepEqual(sub.parseResult<number[]>(), [0, 1, 2, 3]);
  const epoch = (await verifier.view<{ epoch: number }>("get_receipt", { receipt_id: 0 })).epoch;

  // 8. the epoch and its challenge window pass; anyone reports usage from the verifier into the pool
  await worker.provider.fastForward(200);
  const rep = step(
    "report_usage (verifier -> pool)",
    await relayer.callRaw(verifier, "report_usage", { epoch }, { gas: 80n * TGAS }),
  );
  t.is(rep.parseResult<string>(), "Reported");
  const poolEpoch = await pool.view<{ usage: Record<string, number>; attester_receipts: number }>("get_epoch", {
    epoch,
  });
  t.deepEqual(poolEpoch.usage, { [modelId]: 4 });
  t.is(poolEpoch.attester_receipts, 4);
  t.is(await pool.view<string>("claimable", { account_id: att.accountId }), (FEE * 4n).toString());

  // 9. the epoch closes; the split is computed here from the unallocated funds just before
  const unallocated = BigInt((await pool.view<{ unallocated: string }>("get_totals")).unallocated);
  const close = step("close_epoch", await relayer.callRaw(pool, "close_epoch", { epoch }, { gas: 30n * TGAS }));
  const budget = unallocated - (400n + 450n) * 10n ** 19n; // close reserve for one model, release_bps 10,000
  const B = 10000n;
  const dataPart = (budget * 4000n) / B;
  const parentPart = (budget * 1000n) / B;
  const modelPart = budget - dataPart; // no parent: its share goes to the model's makers
  const toModel = modelPart - (modelPart % B);
  const slot = (dataPart / (2n * B)) * B;
  t.like(close.parseResult<object>(), { budget: budget.toString() });
  t.true(parentPart > 0n);
  const expected: Record<string, bigint> = {
    [frank.accountId]: (7500n * toModel) / B,
    [erin.accountId]: (2500n * toModel) / B + (6000n * slot) / B,
    [dave.accountId]: (10000n * slot) / B + (4000n * slot) / B,
    [att.accountId]: FEE * 4n,
  };

  // 10. each claims (after its NEP-145 storage deposit) and receives exactly that
  for (const who of [frank, erin, dave, att]) {
    t.is(await pool.view<string>("claimable", { account_id: who.accountId }), expected[who.accountId].toString());
    step(
      `storage_deposit ${who.accountId}`,
      await who.callRaw(pool, "storage_deposit", {}, { attachedDeposit: NEAR / 50n, gas: 30n * TGAS }),
    );
    const before = await total(who);
    const r = step(`claim ${who.accountId}`, await who.callRaw(pool, "claim", {}, { gas: 50n * TGAS }));
    t.true(events(r).some((e) => e.event === "claim_paid"));
    t.is(await total(who), before + expected[who.accountId] - burnt(r), `${who.accountId} received its share`);
    t.is(await pool.view<string>("claimable", { account_id: who.accountId }), "0");
  }
  const inv = await pool.view<{ ledger_balanced: boolean; solvent: boolean }>("get_invariant");
  t.true(inv.ledger_balanced && inv.solvent);

  let sum = 0n;
  for (const [, g] of gas) sum += g;
  t.log(`whole flow: ${gas.length} transactions, ${tgas(sum)}`);
});
