// Attacks on how a community's contracts are wired and who may touch them across contracts, mounted through
// near-workspaces against the compiled wasm on the local node: a creator backdooring its suite through init
// arguments (its own verifier or model registry for the reward pool, a fork_of "parent" that admits anything, a
// replaced suite map or DAO), forged factory callbacks, the factory owner reaching into an existing community, and
// a creator calling the suite's DAO-only methods itself. Refusals are checked with their ERR_ code, the factory's
// (or the suite contract's) storage before and after, and the attacker's balance (it loses only gas).
import { readFileSync } from "node:fs";
import type { ExecutionContext } from "ava";
import type { NearAccount, TransactionResult } from "near-workspaces";
import { createHash } from "node:crypto";
import { useWorker, type WorkerContext } from "../helpers/worker.ts";
import { daoWasm, events, NEAR, TGAS, total } from "../dao/fixture.ts";
import { assertPanics, burnt } from "../registries/fixture.ts";
import { SETTINGS } from "../verifier/fixture.ts";
import { codeInput, fundPublisher, GLOBAL_BYTE_COST, publishCode } from "../helpers/community.ts";
import { POOL_POLICY } from "../../scripts/scenario/community.ts";

const test = useWorker().serial;

const CODES = ["dataset-registry", "model-registry", "inference-verifier", "reward-pool"];
const POLICY = POOL_POLICY;

interface CommunityView {
  name: string;
  status: string;
  creator_args: Record<string, Record<string, unknown>>;
  contracts: { code: string; account_id: string; status: string; sha256: string | null }[];
}

let factory: NearAccount;
let owner: NearAccount;
let mallory: NearAccount;
let deposit: bigint;
// create_community's gas: every account in that one transaction (get_required_deposit's `gas`); less is refused
// ERR_NOT_ENOUGH_GAS before anything else is looked at
let gas: bigint;
let ready: CommunityView;

type Ctx = ExecutionContext<WorkerContext>;

async function stateOf(t: Ctx, account: string): Promise<string> {
  const rows = (await t.context.worker.provider.viewState(account, "")) as { key: Buffer; value: Buffer }[];
  // stored codes (hundreds of KB) by their hash
  const show = (v: Buffer) => (v.length > 4096 ? createHash("sha256").update(v).digest("hex") : v.toString("base64"));
  return rows
    .map(({ key, value }) => `${key.toString("base64")}=${show(value)}`)
    .sort()
    .join("\n");
}

async function refused(
  t: Ctx,
  from: NearAccount,
  contract: NearAccount | string,
  method: string,
  args: Record<string, unknown> | Uint8Array,
  code: string,
  opts: { deposit?: bigint; gas?: bigint; watch?: string[] } = {},
): Promise<TransactionResult> {
  const id = typeof contract === "string" ? contract : contract.accountId;
  const watch = opts.watch ?? [id];
  const before = await Promise.all(watch.map((a) => stateOf(t, a)));
  const balance = await total(from);
  const r = await from.callRaw(id, method, args, { attachedDeposit: opts.deposit ?? 0n, gas: opts.gas ?? 100n * TGAS });
  assertPanics(t, r, code);
  t.deepEqual(await Promise.all(watch.map((a) => stateOf(t, a))), before, "storage unchanged");
  t.is(await total(from), balance - burnt(r), "the attacker lost only gas (deposit back)");
  return r;
}

const daoArgs = (founder: NearAccount) => ({
  config: { name: "Mallory's commons", purpose: "attacks", metadata: "" },
  members: [{ account_id: founder.accountId, roles: ["council"] }],
});

/** A create_community with a backdoor in `init_args`: refused, nothing reserved, the deposit back. */
async function backdoor(t: Ctx, name: string, extra: Record<string, unknown>, code = "ERR_PEER_ARG") {
  await refused(t, mallory, factory, "create_community", { name, dao_args: daoArgs(mallory), ...extra }, code, {
    deposit,
    gas,
  });
  t.is(await factory.view("get_community", { name }), null);
}

test.before(async (t) => {
  const { root } = t.context;
  owner = await root.createSubAccount("owner", { initialBalance: 200n * NEAR });
  mallory = await root.createSubAccount("mallory", { initialBalance: 400n * NEAR });
  factory = await root.createSubAccount("commons", { initialBalance: 10n * NEAR });
  await factory.deploy(readFileSync("build/community-factory.wasm"));
  await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 100n * TGAS });
  await fundPublisher(root, owner, ["community-dao", ...CODES]);
  await publishCode(factory, owner, "community-dao", "1.0.0", daoWasm());
  for (const code of CODES) await publishCode(factory, owner, code, "1.0.0", readFileSync(`build/${code}.wasm`));
  const needs = await factory.view<{ accounts_total: string; gas: string }>("get_required_deposit");
  deposit = BigInt(needs.accounts_total) + NEAR;
  gas = BigInt(needs.gas);
  // A community created by Mallory with settings of its own (allowed, and shown), all accounts in one transaction.
  const created = await mallory.callRaw(
    factory,
    "create_community",
    {
      name: "acme",
      dao_args: daoArgs(mallory),
      init_args: { "inference-verifier": { settings: SETTINGS }, "reward-pool": { policy: POLICY } },
    },
    { attachedDeposit: deposit, gas },
  );
  if (created.failed) throw new Error(created.receiptFailureMessages.join());
  const reserved = events(created).find((e) => e.event === "community_reserved");
  (t.context as unknown as { reserved: unknown }).reserved = reserved?.data[0];
  ready = await factory.view<CommunityView>("get_community", { name: "acme" });
  if (ready.status !== "Ready") throw new Error(`acme: ${JSON.stringify(ready)}`);
});

const id = (code: string) => ready.contracts.find((c) => c.code === code)?.account_id as string;

// ---- finding 5: creator backdoors in the suite wiring ----------------------------------------------------------------

test("creator points the reward pool at a verifier it runs (init_args verifier_id): refused ERR_PEER_ARG", async (t) => {
  await backdoor(t, "evil1", { init_args: { "reward-pool": { verifier_id: mallory.accountId } } });
});

test("creator points the reward pool at a model registry it runs: refused ERR_PEER_ARG", async (t) => {
  await backdoor(t, "evil2", { init_args: { "reward-pool": { model_registry_id: mallory.accountId } } });
});

test("creator sets a dataset registry's fork_of to a registry it controls: refused ERR_PEER_ARG", async (t) => {
  await backdoor(t, "evil3", {
    init_args: { "dataset-registry": { fork_of: { account_id: mallory.accountId, community: "acme" } } },
  });
});

test("creator gives the verifier another model registry and pool: refused ERR_PEER_ARG", async (t) => {
  await backdoor(t, "evil4", {
    init_args: { "inference-verifier": { model_registry_id: mallory.accountId, reward_pool_id: mallory.accountId } },
  });
});

test("creator replaces the suite map of one contract: refused ERR_PEER_ARG", async (t) => {
  await backdoor(t, "evil5", {
    init_args: { "model-registry": { suite: { "inference-verifier": mallory.accountId } } },
  });
});

test("creator names itself a suite contract's DAO (dao_id): refused ERR_PEER_ARG", async (t) => {
  await backdoor(t, "evil6", { init_args: { "dataset-registry": { dao_id: mallory.accountId } } });
});

test("creator makes the verifier accept another community's receipts (community): refused ERR_PEER_ARG", async (t) => {
  await backdoor(t, "evil7", { init_args: { "inference-verifier": { community: "acme.commons.test.near" } } });
});

test("creator passes a suite map to the DAO in dao_args: refused ERR_PEER_ARG", async (t) => {
  await refused(
    t,
    mallory,
    factory,
    "create_community",
    { name: "evil8", dao_args: { ...daoArgs(mallory), suite: { "reward-pool": mallory.accountId } } },
    "ERR_PEER_ARG",
    { deposit, gas },
  );
});

test("creator sends init args to the DAO code around dao_args: refused ERR_INVALID_ARGS", async (t) => {
  await backdoor(t, "evil9", { init_args: { "community-dao": { policy: {} } } }, "ERR_INVALID_ARGS");
});

test("creator sends init args for a code outside the suite: refused ERR_INVALID_ARGS", async (t) => {
  await backdoor(t, "evil10", { init_args: { "shadow-pool": { anything: 1 } } }, "ERR_INVALID_ARGS");
});

test("creator's own settings are kept visible: get_community and the community_reserved event", async (t) => {
  const want = { "inference-verifier": { settings: SETTINGS }, "reward-pool": { policy: POLICY } };
  t.deepEqual(ready.creator_args, want);
  t.like((t.context as unknown as { reserved: object }).reserved, { name: "acme", creator_args: want });
  // and the deployed suite is wired to the factory's own accounts only
  const root = t.context.root;
  t.like(await root.getAccount(id("reward-pool")).view<object>("get_config"), {
    dao_id: "acme.commons.test.near",
    verifier_id: id("inference-verifier"),
    model_registry_id: id("model-registry"),
  });
  t.like(await root.getAccount(id("dataset-registry")).view<object>("get_config"), {
    dao_id: "acme.commons.test.near",
    model_registry_id: id("model-registry"),
  });
});

// ---- forged callbacks and the factory owner ------------------------------------------------------------------------

test("on_step_done called directly to mark a failed step done: refused ERR_PRIVATE", async (t) => {
  await refused(t, mallory, factory, "on_step_done", { name: "acme", index: 1 }, "ERR_PRIVATE");
});

test("on_code_published called directly to record a release never published: refused ERR_PRIVATE", async (t) => {
  const record = { ...(await factory.view<Record<string, unknown>>("get_code_info", { name: "reward-pool" })) };
  record.version = "6.6.6";
  record.sha256 = "ab".repeat(32);
  await refused(
    t,
    mallory,
    factory,
    "on_code_published",
    { record, payer: mallory.accountId, burn: (10n * NEAR).toString() },
    "ERR_PRIVATE",
  );
});

test("publish_code by someone other than the owner (burn attached): refused ERR_NOT_OWNER", async (t) => {
  const wasm = daoWasm();
  await refused(t, mallory, factory, "publish_code", codeInput("reward-pool", "6.6.6", wasm), "ERR_NOT_OWNER", {
    deposit: BigInt(wasm.length) * GLOBAL_BYTE_COST,
    gas: 300n * TGAS,
  });
});

test("factory owner abandons a creator's community to take its deposit: refused ERR_NOT_CREATOR", async (t) => {
  // a community still being created, with deposit left: a fork of acme whose read failed (no such fork), nothing sent
  const r = await mallory.callRaw(
    factory,
    "create_fork",
    { name: "halfway", parent: "acme", fork_id: 77 },
    { attachedDeposit: deposit, gas: 150n * TGAS },
  );
  t.true(r.succeeded, r.receiptFailureMessages.join());
  t.like(await factory.view("get_community", { name: "halfway" }), { status: "Creating" });
  await refused(t, owner, factory, "abandon_community", { name: "halfway" }, "ERR_NOT_CREATOR", { deposit: 1n });
});

test("factory owner redeploys over a Ready community: refused ERR_ALREADY_COMPLETE", async (t) => {
  await refused(t, owner, factory, "resume_community", { name: "acme" }, "ERR_ALREADY_COMPLETE", { gas });
});

test("factory owner publishes a new release: an existing community keeps its code (no ERR, nothing changes)", async (t) => {
  const dao = t.context.root.getAccount("acme.commons.test.near");
  const before = (await dao.accountView()).code_hash;
  const stateBefore = await stateOf(t, dao.accountId);
  // the accounts run their global code by hash: a new release under the same name cannot reach them
  const r = await publishCode(factory, owner, "community-dao", "9.9.9", readFileSync("build/fixture.wasm"));
  t.true(r.succeeded, r.receiptFailureMessages.join());
  t.like(await factory.view("get_code_info", { name: "community-dao" }), { version: "9.9.9" });
  t.is((await dao.accountView()).code_hash, before);
  t.is(await stateOf(t, dao.accountId), stateBefore);
  t.is(await dao.view("get_info").then((i) => (i as { factory_id: string }).factory_id), factory.accountId);
  // the community's record still names the release it runs
  const view = await factory.view<CommunityView>("get_community", { name: "acme" });
  t.deepEqual(view.contracts, ready.contracts);
  // put the real DAO code back for the next tests
  await publishCode(factory, owner, "community-dao", "1.0.1", daoWasm());
});

test("a second community under a taken name: refused ERR_NAME_TAKEN", async (t) => {
  await refused(t, owner, factory, "create_community", { name: "acme", dao_args: daoArgs(owner) }, "ERR_NAME_TAKEN", {
    deposit,
    gas,
  });
});

test("creating a community below the required deposit: refused ERR_DEPOSIT_TOO_LOW", async (t) => {
  await refused(
    t,
    mallory,
    factory,
    "create_community",
    { name: "cheap", dao_args: daoArgs(mallory) },
    "ERR_DEPOSIT_TOO_LOW",
    { deposit: (deposit - NEAR) / 2n, gas },
  );
});

// ---- the creator calling its suite's DAO-only methods itself ---------------------------------------------------------

test("creator admits a dataset on its community's registry without a vote: refused ERR_NOT_DAO", async (t) => {
  await refused(t, mallory, id("dataset-registry"), "admit_dataset", { dataset_id: "x@1" }, "ERR_NOT_DAO");
});

test("creator rewires the dataset registry to its own model registry: refused ERR_NOT_DAO", async (t) => {
  await refused(
    t,
    mallory,
    id("dataset-registry"),
    "set_model_registry",
    { model_registry_id: mallory.accountId },
    "ERR_NOT_DAO",
  );
});

test("creator changes the reward split without the community: refused ERR_NOT_DAO", async (t) => {
  await refused(
    t,
    mallory,
    id("reward-pool"),
    "set_reward_policy",
    { policy: { ...POLICY, model_bps: 10000, data_bps: 0, parent_bps: 0 } },
    "ERR_NOT_DAO",
  );
});

test("creator bonds its own attester on the community's verifier: refused ERR_NOT_DAO", async (t) => {
  await refused(
    t,
    mallory,
    id("inference-verifier"),
    "add_attester",
    { attester_id: mallory.accountId, public_key: "ab".repeat(64) },
    "ERR_NOT_DAO",
    { deposit: NEAR },
  );
});

test("creator activates a model without a vote: refused ERR_NOT_DAO", async (t) => {
  await refused(t, mallory, id("model-registry"), "activate_model", { model_id: "m@1" }, "ERR_NOT_DAO", {
    gas: 300n * TGAS,
  });
});
