// The community factory's wasm in-process (helpers/vm.ts): codes stored by the owner only, a community paid for
// and deployed step by step (each step a create-account + deploy + init receipt and a callback the test answers),
// and the refusals on the way, with storage unchanged by every refused call. Stored codes are tiny stand-ins.
import test from "ava";
import { codeInput } from "../helpers/community.ts";
import { NEAR } from "../helpers/tx.ts";
import { assertRefused, ContractVm, failed, succeeded } from "../helpers/vm.ts";

const FACTORY = "commons.test.near";
const OWNER = "owner.test.near";
const ALICE = "alice.test.near";
const ZED = "zed.test.near";
const DAO_ID = `acme.${FACTORY}`;
const REGISTRY_ID = `acme_dataset-registry.${FACTORY}`;
const DAO_ARGS = {
  config: { name: "acme", purpose: "p", metadata: "" },
  members: [{ account_id: ALICE, roles: ["council"] }],
};

/** "\0asm", version 1, then a tag: enough for the factory's checks (it never runs the code). */
const wasm = (tag: string) => new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, ...Buffer.from(tag)]);

function factory(): ContractVm {
  const vm = new ContractVm({ code: "community-factory", accountId: FACTORY, balance: 50n * NEAR });
  if (!vm.call("init", { owner_id: OWNER }, { from: FACTORY }).ok) throw new Error("init failed");
  return vm;
}

function store(vm: ContractVm, name: string, version: string, code = wasm(name), from = OWNER, deposit = 1n) {
  return vm.call("store_code", codeInput(name, version, code), { from, deposit });
}

test("store_code: the owner with one yocto, real wasm only, one record per version", (t) => {
  const vm = factory();
  const dao = codeInput("community-dao", "1.0.0", wasm("dao"));
  assertRefused(t, vm, "ERR_NOT_OWNER", "store_code", dao, { from: ZED, deposit: 1n });
  assertRefused(t, vm, "ERR_ONE_YOCTO", "store_code", dao, { from: OWNER });
  assertRefused(t, vm, "ERR_INVALID_CODE", "store_code", codeInput("community-dao", "1.0.0", new Uint8Array(20)), {
    from: OWNER,
    deposit: 1n,
  });
  assertRefused(t, vm, "ERR_INVALID_CODE_INPUT", "store_code", wasm("no header"), { from: OWNER, deposit: 1n });
  const stored = store(vm, "community-dao", "1.0.0");
  t.true(stored.ok, stored.error);
  t.like(stored.value, { v: 1, name: "community-dao", version: "1.0.0", bytes: 21, in_suite: true });
  t.deepEqual(stored.events[0].data, [
    {
      name: "community-dao",
      version: "1.0.0",
      sha256: (stored.value as { sha256: string }).sha256,
      bytes: 21,
      previous_version: null,
    },
  ]);
  assertRefused(t, vm, "ERR_VERSION_EXISTS", "store_code", dao, { from: OWNER, deposit: 1n });
  t.true(store(vm, "community-dao", "1.1.0").ok);
  t.deepEqual(
    vm.view<{ name: string; version: string }[]>("get_codes", {}).map((c) => `${c.name}@${c.version}`),
    ["community-dao@1.1.0"],
  );
});

test("a community: the deposit covers accounts and record, the DAO first, one step per deploy_next, then Ready", (t) => {
  const vm = factory();
  assertRefused(
    t,
    vm,
    "ERR_NO_DAO_CODE",
    "create_community",
    { name: "acme", dao_args: DAO_ARGS },
    { deposit: 5n * NEAR },
  );
  t.true(store(vm, "community-dao", "1.0.0").ok);
  t.true(store(vm, "dataset-registry", "1.0.0").ok);
  const { accounts_total, contracts } = vm.view<{ accounts_total: string; contracts: { init_balance: string }[] }>(
    "get_required_deposit",
  );
  t.is(BigInt(accounts_total), BigInt(contracts[0].init_balance) + BigInt(contracts[1].init_balance));

  const create = (name: string, deposit: bigint) =>
    ["create_community", { name, dao_args: DAO_ARGS }, { from: ALICE, deposit }] as const;
  assertRefused(t, vm, "ERR_INVALID_NAME", ...create("Acme_", 5n * NEAR));
  const short = assertRefused(t, vm, "ERR_DEPOSIT_TOO_LOW", ...create("acme", BigInt(accounts_total)));
  // the record's storage comes on top of the accounts
  const required = BigInt(/required (\d+)/.exec(short.error ?? "")?.[1] ?? "0");
  t.true(required > BigInt(accounts_total));
  assertRefused(t, vm, "ERR_DEPOSIT_TOO_LOW", ...create("acme", required - 1n));

  const r = vm.call(...create("acme", required + NEAR));
  t.true(r.ok, r.error);
  t.deepEqual(
    r.events.map((e) => e.event),
    ["community_reserved", "community_step_started"],
  );
  // the excess goes back to the creator; the DAO's account gets its init balance with the code and init call
  t.deepEqual(r.transfers, [
    { to: ALICE, amount: NEAR },
    { to: DAO_ID, amount: BigInt(contracts[0].init_balance) },
  ]);
  t.deepEqual(
    r.outcome.newReceipts.map((rc) => [rc.receiverId, rc.actions.map((a) => a.kind).join(",")]),
    [
      [ALICE, "Transfer"],
      [DAO_ID, "CreateAccount,Transfer,DeployContract,FunctionCall"],
      [FACTORY, "FunctionCall"],
    ],
  );
  t.deepEqual(
    r.calls.map((c) => [c.to, c.method]),
    [
      [DAO_ID, "init"],
      [FACTORY, "on_step_done"],
    ],
  );
  const daoInit = r.calls[0].args as { suite: Record<string, string>; members: unknown[] };
  t.deepEqual(daoInit.suite, { "community-dao": DAO_ID, "dataset-registry": REGISTRY_ID });
  assertRefused(t, vm, "ERR_NAME_TAKEN", ...create("acme", required + NEAR));

  // the callback: only the factory itself; the DAO step done, the next step is the registry
  assertRefused(
    t,
    vm,
    "ERR_PRIVATE",
    "on_step_done",
    { name: "acme", index: 0 },
    { from: ZED, promiseResults: [succeeded()] },
  );
  const done = vm.call("on_step_done", { name: "acme", index: 0 }, { from: FACTORY, promiseResults: [succeeded()] });
  t.deepEqual(done.value, { name: "acme", status: "Creating", step: "community-dao", step_status: "Done" });

  const next = vm.call("deploy_next", { name: "acme" }, { from: ZED });
  t.deepEqual(
    next.calls.map((c) => [c.to, c.method]),
    [
      [REGISTRY_ID, "init"],
      [FACTORY, "on_step_done"],
    ],
  );
  t.like(next.calls[0].args, { dao_id: DAO_ID });
  // a failed step is recorded, and deploy_next sends it again
  const fail = vm.call("on_step_done", { name: "acme", index: 1 }, { from: FACTORY, promiseResults: [failed()] });
  t.deepEqual(fail.value, { name: "acme", status: "Creating", step: "dataset-registry", step_status: "Failed" });
  const retry = vm.call("deploy_next", { name: "acme" }, { from: ZED });
  t.true(retry.ok, retry.error);
  t.is(retry.calls[0].to, REGISTRY_ID);
  const last = vm.call("on_step_done", { name: "acme", index: 1 }, { from: FACTORY, promiseResults: [succeeded()] });
  t.like(last.value, { name: "acme", status: "Ready" });
  t.like(vm.view("get_community", { name: "acme" }), { status: "Ready", dao_id: DAO_ID });
  assertRefused(t, vm, "ERR_ALREADY_COMPLETE", "deploy_next", { name: "acme" }, { from: ZED });
});
