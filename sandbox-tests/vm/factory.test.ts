// The community factory's wasm in-process (helpers/vm.ts) on global contracts (NEP-591): codes published by the owner
// only, who attaches the burn (the DeployGlobalContract receipt is sent, not executed here: the test answers
// on_code_published, so both the record and the refund of a failed deploy are checked), and a community paid for and
// created in one call (one CreateAccount + Transfer + UseGlobalContract + init batch per account, each with a callback
// the test answers), resumed after a failed account, with the refusals on the way and storage unchanged by every
// refused call. Published codes are tiny stand-ins.
import { createHash } from "node:crypto";
import test from "ava";
import { codeInput, GLOBAL_BYTE_COST } from "../helpers/community.ts";
import { NEAR, TGAS } from "../helpers/tx.ts";
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
// create_community's gas: every account's batch in this one call (get_required_deposit's `gas`)
const GAS = 1000n * TGAS;

/** "\0asm", version 1, then a tag: enough for the factory's checks (it never runs the code). */
const wasm = (tag: string) => new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, ...Buffer.from(tag)]);
const burnOf = (code: Uint8Array) => BigInt(code.length) * GLOBAL_BYTE_COST;
const sha = (code: Uint8Array) => createHash("sha256").update(code).digest("hex");
// The factory's release record as get_code_info returns it (contracts/community-factory/types.ts CodeRecord: the
// node-side type-check cannot import contract sources, whose imports have no file extensions).
interface CodeRecord {
  v: number;
  name: string;
  version: string;
  sha256: string;
  bytes: number;
  in_suite: boolean;
  init_balance: string;
  global: boolean;
}

/** nearcore's storage price: yocto per byte */
const BYTE_COST = 10n ** 19n;

function factory(): ContractVm {
  const vm = new ContractVm({ code: "community-factory", accountId: FACTORY, balance: 5n * NEAR });
  if (!vm.call("init", { owner_id: OWNER }, { from: FACTORY }).ok) throw new Error("init failed");
  return vm;
}

/** publish_code by the owner, and the global deploy's outcome answered (`ok`): the release is recorded on success. */
function publish(vm: ContractVm, name: string, version: string, code = wasm(name), ok = true) {
  const sent = vm.call("publish_code", codeInput(name, version, code), { from: OWNER, deposit: burnOf(code) });
  if (!sent.ok) throw new Error(`publish_code ${name}: ${sent.error}`);
  const cb = sent.calls.find((c) => c.method === "on_code_published");
  if (!cb) throw new Error("no on_code_published");
  return vm.call("on_code_published", cb.args, { from: FACTORY, promiseResults: [ok ? succeeded() : failed()] });
}

test("publish_code: the owner attaches the burn, real wasm only, recorded once the global deploy succeeded", (t) => {
  const vm = factory();
  const code = wasm("dao");
  const burn = burnOf(code);
  t.is(vm.view("get_publish_cost", { bytes: code.length }), burn.toString());
  const dao = codeInput("community-dao", "1.0.0", code);
  assertRefused(t, vm, "ERR_NOT_OWNER", "publish_code", dao, { from: ZED, deposit: burn });
  // the burn must be attached (no more one yocto)
  assertRefused(t, vm, "ERR_DEPOSIT_TOO_LOW", "publish_code", dao, { from: OWNER, deposit: burn - 1n });
  assertRefused(t, vm, "ERR_DEPOSIT_TOO_LOW", "publish_code", dao, { from: OWNER, deposit: 1n });
  assertRefused(t, vm, "ERR_INVALID_CODE", "publish_code", codeInput("community-dao", "1.0.0", new Uint8Array(20)), {
    from: OWNER,
    deposit: burn,
  });
  assertRefused(t, vm, "ERR_INVALID_CODE_INPUT", "publish_code", wasm("no header"), { from: OWNER, deposit: burn });
  assertRefused(
    t,
    vm,
    "ERR_INVALID_AMOUNT",
    "publish_code",
    codeInput("community-dao", "1.0.0", code, { init_balance: "1" }),
    { from: OWNER, deposit: burn },
  );
  assertRefused(t, vm, "ERR_NOT_ENOUGH_GAS", "publish_code", dao, { from: OWNER, deposit: burn, gas: 10n * TGAS });

  // The call sends the code to the global store by hash from the factory's own account and records nothing yet; the
  // excess of the attached deposit goes back at once.
  const before = vm.snapshot();
  const sent = vm.call("publish_code", dao, { from: OWNER, deposit: burn + NEAR });
  t.true(sent.ok, sent.error);
  t.deepEqual(sent.events, []);
  t.deepEqual(sent.transfers, [{ to: OWNER, amount: NEAR }]);
  t.deepEqual(
    sent.outcome.newReceipts.map((rc) => [rc.receiverId, rc.actions.map((a) => a.kind).join(",")]),
    [
      [OWNER, "Transfer"],
      [FACTORY, "DeployGlobalContract"],
      [FACTORY, "FunctionCall"],
    ],
  );
  const deploy = sent.outcome.newReceipts[1].actions[0] as { kind: string; code: Uint8Array; mode: string };
  t.is(deploy.mode, "CodeHash");
  t.deepEqual(Buffer.from(deploy.code), Buffer.from(code));
  t.is(vm.snapshot().split("|")[0], before.split("|")[0], "no storage written before the deploy's outcome");
  t.is(vm.view("get_code_info", { name: "community-dao" }), null);
  const cb = sent.calls[0];
  t.is(cb.method, "on_code_published");
  t.like(cb.args, { payer: OWNER, burn: burn.toString() });

  // the callback: only the factory itself
  assertRefused(t, vm, "ERR_PRIVATE", "on_code_published", cb.args, { from: ZED, promiseResults: [succeeded()] });
  // a failed global deploy records nothing and sends the burn back to the payer
  const lost = vm.call("on_code_published", cb.args, { from: FACTORY, promiseResults: [failed()] });
  t.true(lost.ok, lost.error);
  t.is(lost.value, null);
  t.deepEqual(lost.transfers, [{ to: OWNER, amount: burn }]);
  t.deepEqual(lost.events[0].data, [
    { name: "community-dao", version: "1.0.0", sha256: sha(code), refund: burn.toString() },
  ]);
  t.is(vm.view("get_code_info", { name: "community-dao" }), null);

  // the deploy succeeded: the release is recorded (by hash, global), event code_stored with what was burnt
  const stored = vm.call("on_code_published", cb.args, { from: FACTORY, promiseResults: [succeeded()] });
  t.true(stored.ok, stored.error);
  t.deepEqual(stored.transfers, []);
  t.like(stored.value, {
    v: 2,
    name: "community-dao",
    version: "1.0.0",
    bytes: code.length,
    in_suite: true,
    global: true,
  });
  t.is((stored.value as CodeRecord).sha256, sha(code));
  t.deepEqual(stored.events[0].data, [
    {
      name: "community-dao",
      version: "1.0.0",
      sha256: sha(code),
      bytes: code.length,
      previous_version: null,
      burnt: burn.toString(),
    },
  ]);
  t.like(vm.view("get_code_info", { name: "community-dao" }), { version: "1.0.0", global: true });
  assertRefused(t, vm, "ERR_VERSION_EXISTS", "publish_code", dao, { from: OWNER, deposit: burn });
  const next = publish(vm, "community-dao", "1.1.0");
  t.true(next.ok, next.error);
  t.is((next.events[0].data[0] as { previous_version: string }).previous_version, "1.0.0");
  t.deepEqual(
    vm.view<{ name: string; version: string }[]>("get_codes", {}).map((c) => `${c.name}@${c.version}`),
    ["community-dao@1.1.0"],
  );
});

test("a community in one call: the deposit covers accounts and record, every account's batch on its global code", (t) => {
  const vm = factory();
  assertRefused(
    t,
    vm,
    "ERR_NO_DAO_CODE",
    "create_community",
    { name: "acme", dao_args: DAO_ARGS },
    { deposit: 5n * NEAR, gas: GAS },
  );
  // a publication whose deploy has not come back yet is no release: still no DAO code
  const pending = vm.call("publish_code", codeInput("community-dao", "0.1.0", wasm("dao")), {
    from: OWNER,
    deposit: burnOf(wasm("dao")),
  });
  t.true(pending.ok, pending.error);
  assertRefused(
    t,
    vm,
    "ERR_NO_DAO_CODE",
    "create_community",
    { name: "acme", dao_args: DAO_ARGS },
    { deposit: 5n * NEAR, gas: GAS },
  );
  t.true(publish(vm, "community-dao", "1.0.0").ok);
  t.true(publish(vm, "dataset-registry", "1.0.0").ok);
  const { accounts_total, contracts, gas } = vm.view<{
    accounts_total: string;
    gas: string;
    contracts: { code: string; init_balance: string; sha256: string }[];
  }>("get_required_deposit");
  t.is(BigInt(accounts_total), BigInt(contracts[0].init_balance) + BigInt(contracts[1].init_balance));
  // the accounts hold only their state (the code is global): a starting balance far below the code's own storage
  t.true(BigInt(contracts[0].init_balance) < NEAR);
  t.true(BigInt(gas) > 0n && BigInt(gas) <= GAS);

  const create = (name: string, deposit: bigint, g = GAS) =>
    ["create_community", { name, dao_args: DAO_ARGS }, { from: ALICE, deposit, gas: g }] as const;
  assertRefused(t, vm, "ERR_INVALID_NAME", ...create("Acme_", 5n * NEAR));
  // too little gas for even the DAO: refused before the name is reserved
  assertRefused(t, vm, "ERR_NOT_ENOUGH_GAS", ...create("acme", 5n * NEAR, 100n * TGAS));
  const short = assertRefused(t, vm, "ERR_DEPOSIT_TOO_LOW", ...create("acme", BigInt(accounts_total)));
  // the record's storage comes on top of the accounts
  const required = BigInt(/required (\d+)/.exec(short.error ?? "")?.[1] ?? "0");
  t.true(required > BigInt(accounts_total));
  assertRefused(t, vm, "ERR_DEPOSIT_TOO_LOW", ...create("acme", required - 1n));

  const r = vm.call(...create("acme", required + NEAR, BigInt(gas)));
  t.true(r.ok, r.error);
  // the DAO goes first, alone; its callback carries the gas of the others
  t.deepEqual(
    r.events.map((e) => e.event),
    ["community_reserved", "community_step_started"],
  );
  t.is((r.events[1].data[0] as { sha256: string }).sha256, contracts[0].sha256);
  // the excess goes back to the creator; the DAO gets its starting balance (the release's, plus at least the storage
  // of its init arguments, as its `init` stores more per founder), runs the global code by hash, is initialised
  const argBytes = (i: number, rc = r) =>
    BigInt((rc.outcome.newReceipts[i].actions[3] as { args: Uint8Array }).args.length) * BYTE_COST;
  t.deepEqual(
    r.transfers.map((x) => x.to),
    [ALICE, DAO_ID],
  );
  t.is(r.transfers[0].amount, NEAR);
  const daoBalance = r.transfers[1].amount;
  t.true(daoBalance >= BigInt(contracts[0].init_balance) + argBytes(1), `DAO balance ${daoBalance}`);
  t.deepEqual(
    r.outcome.newReceipts.map((rc) => [rc.receiverId, rc.actions.map((a) => a.kind).join(",")]),
    [
      [ALICE, "Transfer"],
      [DAO_ID, "CreateAccount,Transfer,UseGlobalContract,FunctionCall"],
      [FACTORY, "FunctionCall"],
    ],
  );
  // by hash, never by account: the code an account runs cannot change under it
  const use = r.outcome.newReceipts[1].actions[2] as { identifier: { hash?: string; accountId?: string } };
  t.truthy(use.identifier.hash);
  t.is(use.identifier.accountId, undefined);
  const daoInit = r.calls[0].args as { suite: Record<string, string>; members: unknown[] };
  t.deepEqual(daoInit.suite, { "community-dao": DAO_ID, "dataset-registry": REGISTRY_ID });
  t.like(r.value, { status: "Creating" });
  assertRefused(t, vm, "ERR_NAME_TAKEN", ...create("acme", required + NEAR));
  // the DAO in flight, the registry not sent yet: nothing to resume
  assertRefused(t, vm, "ERR_STEP_IN_FLIGHT", "resume_community", { name: "acme" }, { from: ZED, gas: GAS });

  // the callbacks: only the factory itself
  assertRefused(
    t,
    vm,
    "ERR_PRIVATE",
    "on_step_done",
    { name: "acme", index: 0 },
    { from: ZED, promiseResults: [succeeded()] },
  );
  // the DAO exists: its callback gives the record's freed storage back to the creator and sends the registry
  const done = vm.call(
    "on_step_done",
    { name: "acme", index: 0 },
    { from: FACTORY, promiseResults: [succeeded()], gas: GAS },
  );
  t.true(done.ok, done.error);
  t.like(done.value, { name: "acme", status: "Creating", step: "community-dao", step_status: "Done", sent: 1 });
  const stepDone = done.events.find((e) => e.event === "community_step_done")?.data[0] as { storage_refund: string };
  t.true(BigInt(stepDone.storage_refund) > 0n, "the DAO's arguments' storage is refunded");
  t.deepEqual(
    done.transfers.map((x) => x.to),
    [ALICE, REGISTRY_ID],
  );
  t.is(done.transfers[0].amount, BigInt(stepDone.storage_refund));
  const registryBalance = done.transfers[1].amount;
  t.is(registryBalance, BigInt(contracts[1].init_balance) + argBytes(1, done));
  t.deepEqual(
    done.calls.map((c) => [c.to, c.method]),
    [
      [REGISTRY_ID, "init"],
      [FACTORY, "on_step_done"],
    ],
  );
  t.like(done.calls[0].args, { dao_id: DAO_ID });
  assertRefused(
    t,
    vm,
    "ERR_NOT_IN_FLIGHT",
    "on_step_done",
    { name: "acme", index: 0 },
    { from: FACTORY, promiseResults: [succeeded()] },
  );
  // the registry's batch failed (rolled back): its balance is held for the retry
  const fail = vm.call("on_step_done", { name: "acme", index: 1 }, { from: FACTORY, promiseResults: [failed()] });
  t.deepEqual(fail.value, { name: "acme", status: "Creating", step: "dataset-registry", step_status: "Failed" });
  t.is(BigInt(vm.view<{ deposit_left: string }>("get_community", { name: "acme" }).deposit_left), registryBalance);
  // only the creator retries a failed account: an outsider cannot keep it in flight to hold off `abandon`
  assertRefused(t, vm, "ERR_NOT_CREATOR", "resume_community", { name: "acme" }, { from: ZED, gas: GAS });
  const retry = vm.call("resume_community", { name: "acme" }, { from: ALICE, gas: GAS });
  t.true(retry.ok, retry.error);
  t.deepEqual(
    retry.calls.map((c) => [c.to, c.method]),
    [
      [REGISTRY_ID, "init"],
      [FACTORY, "on_step_done"],
    ],
  );
  t.deepEqual(retry.transfers, [{ to: REGISTRY_ID, amount: registryBalance }]);
  const last = vm.call("on_step_done", { name: "acme", index: 1 }, { from: FACTORY, promiseResults: [succeeded()] });
  t.like(last.value, { name: "acme", status: "Ready" });
  t.true(last.events.some((e) => e.event === "community_created"));
  t.like(vm.view("get_community", { name: "acme" }), { status: "Ready", dao_id: DAO_ID, deposit_left: "0" });
  t.deepEqual(
    vm
      .view<{ contracts: { attempts: number; status: string }[] }>("get_community", { name: "acme" })
      .contracts.map((c) => [c.status, c.attempts]),
    [
      ["Done", 1],
      ["Done", 2],
    ],
  );
  assertRefused(t, vm, "ERR_ALREADY_COMPLETE", "resume_community", { name: "acme" }, { from: ZED, gas: GAS });
});

test("a DAO that cannot be created creates nothing else; the creator gets everything back", (t) => {
  const vm = factory();
  t.true(publish(vm, "community-dao", "1.0.0").ok);
  t.true(publish(vm, "dataset-registry", "1.0.0").ok);
  const { accounts_total, gas } = vm.view<{ accounts_total: string; gas: string }>("get_required_deposit");
  const deposit = BigInt(accounts_total) + NEAR;
  const r = vm.call(
    "create_community",
    { name: "acme", dao_args: DAO_ARGS },
    { from: ALICE, deposit, gas: BigInt(gas) },
  );
  t.true(r.ok, r.error);
  const kept = deposit - r.transfers[0].amount;
  const f = vm.call("on_step_done", { name: "acme", index: 0 }, { from: FACTORY, promiseResults: [failed()] });
  t.true(f.ok, f.error);
  t.deepEqual(f.calls, [], "the registry is not sent after the DAO failed");
  t.deepEqual(
    vm.view<{ contracts: { status: string }[] }>("get_community", { name: "acme" }).contracts.map((c) => c.status),
    ["Failed", "Pending"],
  );
  // too little gas for even the DAO: refused
  assertRefused(t, vm, "ERR_NOT_ENOUGH_GAS", "resume_community", { name: "acme" }, { from: ALICE, gas: 100n * TGAS });
  // an outsider may not retry the failed DAO; the creator abandons and gets back all it kept
  assertRefused(t, vm, "ERR_NOT_CREATOR", "resume_community", { name: "acme" }, { from: ZED, gas: GAS });
  const a = vm.call("abandon_community", { name: "acme" }, { from: ALICE, deposit: 1n });
  t.true(a.ok, a.error);
  t.deepEqual(a.transfers, [{ to: ALICE, amount: kept }]);
  t.is(vm.view("get_community", { name: "acme" }), null, "the name is free again");
});

// The factory's codes were written by near-sdk-js's UnorderedMap before shared/json-store.ts; JsonUnorderedMap keeps
// its layout: STATE's text, the key slots (`ku` + u32 LE) and the records (`km` + name -> [value JSON, slot]), and a
// removal that moves the last key into the freed slot.
test("storage layout: codes keep near-sdk-js's UnorderedMap layout; a removal moves the last key into the freed slot", (t) => {
  const vm = factory();
  for (const name of ["community-dao", "dataset-registry", "model-registry"]) t.true(publish(vm, name, "1.0.0").ok);
  const slot = (i: number) => vm.store.get(Buffer.concat([Buffer.from("ku"), Buffer.from([i, 0, 0, 0])]));
  const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString());
  t.true(
    (vm.read("STATE") ?? "").includes(
      '"codes":{"prefix":"k","_keys":{"prefix":"ku","length":3},"values":{"keyPrefix":"km"}}',
    ),
  );
  t.is(text(slot(2)), '"model-registry"');
  const r = vm.call("remove_code", { name: "community-dao" }, { from: OWNER, deposit: 1n });
  t.true(r.ok, r.error);
  t.true((vm.read("STATE") ?? "").includes('"_keys":{"prefix":"ku","length":2}'));
  t.is(text(slot(0)), '"model-registry"');
  t.is(text(slot(1)), '"dataset-registry"');
  t.is(slot(2), undefined);
  t.is(vm.read("kmcommunity-dao"), undefined);
  const [value, index] = JSON.parse(vm.read("kmmodel-registry") ?? "null") as [string, number];
  t.is(index, 0);
  t.like(JSON.parse(value), { name: "model-registry", version: "1.0.0" });
  t.deepEqual(
    vm.view<{ name: string }[]>("get_codes", {}).map((c) => c.name),
    ["model-registry", "dataset-registry"],
  );
});
