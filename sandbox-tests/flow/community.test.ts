// The community story (scripts/scenario/community.ts) on the local node, through the steps of helpers/story.ts, with
// every record and balance asserted: the factory publishes the codes and the founder creates the community; bob joins
// the council by vote; datasets are submitted by their creators and admitted by AdmitDataset proposals; a manifest;
// the model is trained from data/, registered and activated by ActivateModel (the verifier gets the active model, the
// pool gets the lineage); the DAO bonds an attester from its treasury (AddAttester) and funds the pool
// (FundRewardPool); receipts are submitted; the epoch passes; usage is reported by the real verifier into the real
// pool; the epoch closes; creators and the attester claim exactly what the story says they are owed
// (owedAtClose, worked out apart from the pool). Gas of every step is logged.
import type { TransactionResult } from "near-workspaces";
import { InferenceAttester } from "../../attester/src/attester.ts";
import { readManifest } from "../../attester/src/data.ts";
import { newKey } from "../../attester/src/receipt.ts";
import { ATTESTER_STORAGE_DEPOSIT } from "../../contracts/wire/dao.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";
import {
  ATTESTER_BOND,
  modelMakers,
  owedAtClose,
  POOL_GRANT,
  POOL_POLICY,
  QUESTIONS,
  TREASURY_GIFT,
} from "../../scripts/scenario/community.ts";
import {
  castAccounts,
  Council,
  createStoryManifest,
  registerStoryModel,
  type StoryDataset,
  storyCommunity,
  storyDatasetCount,
  storyFactory,
  storyKinds,
  submitStoryDataset,
  trainStoryModel,
} from "../helpers/story.ts";
import { useWorker } from "../helpers/worker.ts";
import { BYTE_COST, burnt, events, gasOf, NEAR, TGAS, tgas, total } from "../helpers/tx.ts";
import { chainNow } from "../verifier/fixture.ts";

const test = useWorker().serial;

test("factory community: join, admit, train, activate, attest, fund, report, close, claim", async (t) => {
  const { worker, root } = t.context;
  const gas: [string, bigint][] = [];
  const record = (name: string, r: TransactionResult) => {
    if (r.failed) throw new Error(`${name} failed: ${r.receiptFailureMessages.join(" | ")}`);
    gas.push([name, gasOf(r)]);
    t.log(`${name}: ${tgas(gasOf(r))}`);
    return r;
  };
  const cast = await castAccounts(root);
  const { founder: alice, joiner: bob, creator: dave, coCreator: erin, maker: frank, attester: att, relayer } = cast;

  // 1. the factory, its five codes published once (the owner pays each burn), one community in one transaction
  const factory = await storyFactory(root, record);
  const c = await storyCommunity(root, factory, alice, [alice], record);
  const { dao, datasets, models, verifier, pool } = c;
  t.is(dao.accountId, "acme.commons.test.near");
  t.is(pool.accountId, "acme_reward-pool.commons.test.near");
  // every contract found its peers in the factory's suite, and got the story's settings
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
    policy: POOL_POLICY,
  });

  // 2. bob joins the council by vote (alice proposes, the council approves, bob executes)
  const council = new Council(dao, [alice], alice, bob, record);
  await council.pass("add bob", storyKinds.addMember(bob));
  council.voters = [alice, bob];
  // a supporter gives the treasury
  await root.transfer(dao.accountId, TREASURY_GIFT);

  // 3. datasets submitted by their creators, admitted by proposals, named in a manifest
  const local = readManifest();
  const submitted: StoryDataset[] = [];
  for (let i = 0; i < storyDatasetCount(); i++) {
    const d = await submitStoryDataset(c, cast, i, record);
    t.is(d.dataset_id, local.entries[i].dataset_id);
    await council.pass(`admit ${d.dataset_id}`, storyKinds.admitDataset(d.dataset_id));
    t.like(await datasets.view<object>("get_dataset", { dataset_id: d.dataset_id }), {
      status: "Admitted",
      creators: d.creators,
    });
    submitted.push(d);
  }
  const manifestId = await createStoryManifest(
    c,
    cast,
    submitted.map((d) => d.dataset_id),
    record,
  );
  const onChain = await datasets.view<{ root: string }>("get_manifest", { manifest_id: manifestId });
  t.is(onChain.root, local.root);

  // 4. train from data/ (files checked against the registry), register with its makers, activate by proposal
  const trained = await trainStoryModel(c, manifestId);
  t.is(trained.weights_sha256, trained.card.weights_sha256);
  const modelId = await registerStoryModel(c, cast, manifestId, trained, record);
  t.like(await models.view<object>("get_model", { model_id: modelId }), {
    creators: modelMakers(frank.accountId, erin.accountId),
  });
  const act = await council.pass("activate model", storyKinds.activateModel(modelId));
  const evs = events(act).map((e) => e.event);
  for (const e of ["model_activated", "verifier_synced", "lineage_prepared", "lineage_part_sent", "lineage_pushed"]) {
    t.true(evs.includes(e), `${e} in ${evs.join(",")} ${act.receiptFailureMessages.join(" | ")}`);
  }
  const { card } = trained;
  t.like(await verifier.view<object>("get_active_model", {}), {
    model_name: card.model_name,
    model_version: card.model_version,
    weights_sha256: trained.weights_sha256,
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
  await council.pass("add attester", storyKinds.addAttester(att, key));
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

  // 6. the DAO funds the pool from its treasury (before the epoch ends: funds arriving later are for later epochs)
  await council.pass("fund pool", storyKinds.fundRewardPool());
  const deposits = await pool.view<{ source: string; amount: string }[]>("get_deposits", {});
  t.is(deposits.length, 1);
  t.is(deposits[0].source, dao.accountId);
  t.true(BigInt(deposits[0].amount) <= POOL_GRANT && BigInt(deposits[0].amount) > POOL_GRANT - NEAR / 100n);

  // 7. inference, signed receipts, one batch submitted by a relayer
  const now = await chainNow(worker);
  const attester = new InferenceAttester({
    model: trained.model,
    model_name: card.model_name,
    model_version: card.model_version,
    key,
    attester_id: att.accountId,
    community: dao.accountId,
    verifier_id: verifier.accountId,
    clock: () => now,
  });
  const receipts = QUESTIONS.map((q) => attester.attest(q).receipt);
  const sub = record(
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
  const rep = record(
    "report_usage (verifier -> pool)",
    await relayer.callRaw(verifier, "report_usage", { epoch }, { gas: 80n * TGAS }),
  );
  t.is(rep.parseResult<string>(), "Reported");
  const poolEpoch = await pool.view<{ usage: Record<string, number>; attester_receipts: number }>("get_epoch", {
    epoch,
  });
  t.deepEqual(poolEpoch.usage, { [modelId]: 4 });
  t.is(poolEpoch.attester_receipts, 4);
  const fee = BigInt(POOL_POLICY.attester_fee);
  t.is(await pool.view<string>("claimable", { account_id: att.accountId }), (fee * 4n).toString());

  // 9. the epoch closes; its budget is the unallocated funds just before, less the close's bookkeeping
  const unallocated = BigInt((await pool.view<{ unallocated: string }>("get_totals")).unallocated);
  const close = record("close_epoch", await relayer.callRaw(pool, "close_epoch", { epoch }, { gas: 30n * TGAS }));
  const budget = unallocated - (400n + 450n) * BYTE_COST; // close reserve for one model, release_bps 10,000
  t.like(close.parseResult<object>(), { budget: budget.toString() });
  const owed = owedAtClose(budget, {
    datasets: submitted.map((d) => d.creators),
    makers: modelMakers(frank.accountId, erin.accountId),
    attester: att.accountId,
    receipts: receipts.length,
  });
  t.deepEqual([...owed.keys()].sort(), [frank, erin, dave, att].map((a) => a.accountId).sort());

  // 10. each claims (after its NEP-145 storage deposit) and receives exactly that
  for (const who of [frank, erin, dave, att]) {
    const expected = owed.get(who.accountId) as bigint;
    t.is(await pool.view<string>("claimable", { account_id: who.accountId }), expected.toString());
    record(
      `storage_deposit ${who.accountId}`,
      await who.callRaw(pool, "storage_deposit", {}, { attachedDeposit: NEAR / 50n, gas: 30n * TGAS }),
    );
    const before = await total(who);
    const r = record(`claim ${who.accountId}`, await who.callRaw(pool, "claim", {}, { gas: 50n * TGAS }));
    t.true(events(r).some((e) => e.event === "claim_paid"));
    t.is(await total(who), before + expected - burnt(r), `${who.accountId} received its share`);
    t.is(await pool.view<string>("claimable", { account_id: who.accountId }), "0");
  }
  const inv = await pool.view<{ ledger_balanced: boolean; solvent: boolean }>("get_invariant");
  t.true(inv.ledger_balanced && inv.solvent);

  let sum = 0n;
  for (const [, g] of gas) sum += g;
  t.log(`whole flow: ${gas.length} transactions, ${tgas(sum)}`);
});
