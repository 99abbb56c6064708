// The migration runner (contracts/shared/versioned-state.ts `Migrations`, pure) and the DAO's own steps
// (contracts/community-dao/migrate.ts), which write storage and so run through the DAO's wasm in-process: a state as
// an older release stored it is migrated by `migrate_state` and must come out as today's init writes it.
import test from "ava";
import { targetStateVersion } from "../../contracts/community-dao/migrate.ts";
import { STATE_VERSION } from "../../contracts/community-dao/types.ts";
import { Migrations, type RawState } from "../../contracts/shared/versioned-state.ts";
import {
  globalUpgradeExecuteAttach,
  globalUpgradeExecuteGas,
  MAX_CALL_GAS,
  MIGRATE_GAS,
  maxUpgradeBytes,
  UPGRADE_TO_GAS,
  upgradeCallGas,
  upgradeExecuteGas,
} from "../../contracts/wire/upgrade.ts";
import bs58 from "bs58";
import { basePolicy } from "../dao/fixture.ts";
import { NEAR, TGAS } from "../helpers/tx.ts";
import { ContractVm } from "../helpers/vm.ts";

function recording(target: number, from: number[]): { m: Migrations; ran: number[] } {
  const ran: number[] = [];
  const m = new Migrations(target, "test-contract");
  for (const v of from)
    m.add(v, (s) => {
      ran.push(v);
      s[`step${v}`] = true;
    });
  return { m, ran };
}

test("the runner applies every step from the stored version to the target, in order, once", (t) => {
  const { m, ran } = recording(3, [0, 1, 2]);
  const state: RawState = { x: 1 };
  t.is(m.run(state), 0, "no state_version: the pre-release layout, version 0");
  t.deepEqual(ran, [0, 1, 2]);
  t.deepEqual(state, { x: 1, step0: true, step1: true, step2: true, state_version: 3, code_name: "test-contract" });
  const mid: RawState = { state_version: 2 };
  const again = recording(3, [0, 1, 2]);
  t.is(again.m.run(mid), 2);
  t.deepEqual(again.ran, [2]);
  t.deepEqual(mid, { state_version: 3, step2: true, code_name: "test-contract" });
  const current: RawState = { state_version: 3 };
  const none = recording(3, [0, 1, 2]);
  t.is(none.m.run(current), 3);
  t.deepEqual(none.ran, [], "a current state runs no step");
  t.deepEqual(current, { state_version: 3, code_name: "test-contract" });
});

test("the runner refuses a state newer than the code and a missing step; a later release raises the target", (t) => {
  const { m } = recording(2, [0, 1]);
  t.throws(() => m.run({ state_version: 3 }), { message: "ERR_MIGRATION: state version 3 is newer than the code" });
  const gap = recording(3, [0, 2]);
  t.throws(() => gap.m.run({ state_version: 0 }), { message: "ERR_MIGRATION: no step from 1" });
  t.deepEqual(gap.ran, [0]);
  const later = recording(2, [0, 1]);
  later.m.add(2, () => {});
  t.is(later.m.target, 3);
  later.m.add(1, () => {});
  t.is(later.m.target, 3, "replacing an older step keeps the target");
  // a string version is no version: the pre-release layout
  const odd = recording(1, [0]);
  t.is(odd.m.run({ state_version: "1" }), 0);
});

test("upgrade gas: the deploy's per-byte fees, reading the input, the migration and 20 Tgas for the call", (t) => {
  // deploy on self 6_812_999 + 64_572_944 = 71_385_943 gas per byte, reading the input 25_000_000 a byte
  t.is(MIGRATE_GAS, 80n * TGAS);
  t.is(upgradeCallGas(0), 100n * TGAS);
  t.is(upgradeCallGas(1000), 96_385_943_000n + 100n * TGAS);
  t.is(upgradeCallGas(400_000), 38_554_377_200_000n + 100n * TGAS);
  // execute: + the DAO's 90 Mgas a byte sending the blob, the call's args 4_471_868 a byte, the callback 20 Tgas +
  // 15 Mgas a byte deleting the blob, and execute's own 15 Tgas
  t.is(upgradeExecuteGas(0, false), 135n * TGAS);
  t.is(
    upgradeExecuteGas(1000, false),
    96_385_943_000n + 90_000_000_000n + 4_471_868_000n + 15_000_000_000n + 135n * TGAS,
  );
  t.is(upgradeExecuteGas(1000, true), 71_385_943_000n + 90_000_000_000n + 15_000_000_000n + 115n * TGAS);
  // the largest code one call can deploy: its figure fits 300 Tgas, one byte more does not
  for (const self of [false, true]) {
    const max = maxUpgradeBytes(self);
    t.true(upgradeExecuteGas(max, self) + 20n * TGAS <= 300n * TGAS);
    t.true(upgradeExecuteGas(max + 1, self) + 20n * TGAS > 300n * TGAS);
  }
  t.true(maxUpgradeBytes(false) > 600_000 && maxUpgradeBytes(true) > maxUpgradeBytes(false));
});

test("global upgrade gas (NEP-591): no bytes travel, one fixed figure for every code size, within one call", (t) => {
  // `upgrade_to`: the migration and the call's own work (loading the contract, ~13 Tgas for the DAO; UseGlobalContract
  // is ~0.4 Tgas)
  t.is(UPGRADE_TO_GAS, MIGRATE_GAS + 20n * TGAS);
  // execute: upgrade_to, the callback 20 Tgas (no blob to delete) and execute's own 15 Tgas
  t.is(globalUpgradeExecuteGas(), UPGRADE_TO_GAS + 20n * TGAS + 15n * TGAS);
  t.is(globalUpgradeExecuteAttach(), globalUpgradeExecuteGas() + 20n * TGAS);
  t.true(globalUpgradeExecuteAttach() <= MAX_CALL_GAS);
  // the same as a blob upgrade of zero bytes, and below any real release's blob figure
  t.is(globalUpgradeExecuteGas(), upgradeExecuteGas(0, false));
  t.true(globalUpgradeExecuteGas() < upgradeExecuteGas(300_000, false));
  t.true(globalUpgradeExecuteGas() < upgradeExecuteGas(300_000, true));
});

test("a migration refuses the state of another contract and stamps its own code name", (t) => {
  const m = new Migrations(2, "reward-pool");
  m.add(1, () => {});
  t.throws(() => m.run({ state_version: 1, code_name: "model-registry" }), {
    message: "ERR_MIGRATION: this code is reward-pool, the state is model-registry's",
  });
  const state: RawState = { state_version: 1 };
  t.is(m.run(state), 1);
  t.is(state.code_name, "reward-pool");
  t.is(state.state_version, 2);
});

const DAO = "dao.test.near";
const MEMBERS = ["a.test.near", "b.test.near"];

function dao(): ContractVm {
  const vm = new ContractVm({ code: "community-dao", accountId: DAO, balance: 30n * NEAR });
  const r = vm.call(
    "init",
    {
      config: { name: "acme", purpose: "p", metadata: "" },
      policy: basePolicy(),
      members: MEMBERS.map((account_id) => ({ account_id, roles: ["council"] })),
    },
    { from: DAO },
  );
  if (!r.ok) throw new Error(`init: ${r.error}`);
  return vm;
}

const key = (k: string) => Buffer.from(k).toString("hex");
const readJson = (vm: ContractVm, k: string) => JSON.parse(vm.read(k) ?? "null");
const writeJson = (vm: ContractVm, k: string, v: unknown) => vm.store.data.set(key(k), Buffer.from(JSON.stringify(v)));

/** Rewrites today's state into version 1's layout: the policy and the collections inside STATE. */
function toV1(vm: ContractVm): Record<string, unknown> {
  const { member_count, ...rest } = readJson(vm, "STATE");
  const v1 = {
    ...rest,
    state_version: 1,
    policy: readJson(vm, "P"),
    members: { prefix: "m", _keys: { prefix: "mu", length: member_count }, values: { prefix: "mm" } },
    checkpoints: { prefix: "c" },
    proposals: { prefix: "p" },
    votes: { prefix: "v" },
    blobs: { prefix: "b" },
  };
  writeJson(vm, "STATE", v1);
  vm.store.data.delete(key("P"));
  return v1;
}

test("DAO: the current version is 2 and migrating a current state changes nothing", (t) => {
  t.is(STATE_VERSION, 2);
  t.is(targetStateVersion(), 2);
  const vm = dao();
  const state = vm.read("STATE");
  const r = vm.call("migrate_state", {}, { from: DAO });
  t.true(r.ok, r.error);
  t.deepEqual(r.events[0].data, [{ from: 2, to: 2 }]);
  t.deepEqual(readJson(vm, "STATE"), JSON.parse(state ?? ""));
});

test("DAO 1 -> 2: the policy leaves STATE for its own key, the member table's length becomes member_count", (t) => {
  const vm = dao();
  const state = readJson(vm, "STATE");
  const policy = readJson(vm, "P");
  t.is(state.member_count, 2);
  toV1(vm);
  t.is(vm.read("P"), undefined);
  const r = vm.call("migrate_state", {}, { from: DAO });
  t.true(r.ok, r.error);
  t.deepEqual(r.events[0].data, [{ from: 1, to: 2 }]);
  t.deepEqual(readJson(vm, "STATE"), state);
  t.deepEqual(readJson(vm, "P"), policy);
  // and the migrated DAO works: its members and policy are read from where version 2 keeps them
  t.is(vm.view<unknown[]>("get_members", {}).length, 2);
  t.deepEqual(vm.view("get_policy"), policy);
});

test("DAO 0 -> 2: defaults for what version 0 lacked (timelock, seq, locked bonds, factory, suite)", (t) => {
  const vm = dao();
  const state = readJson(vm, "STATE");
  const policy = readJson(vm, "P");
  const v1 = toV1(vm);
  const { state_version: _, seq: _seq, locked_bonds: _lb, factory_id: _f, suite: _s, ...v0 } = v1;
  const v0Policy = structuredClone(policy);
  delete v0Policy.parameters.timelock;
  writeJson(vm, "STATE", { ...v0, policy: v0Policy });
  const r = vm.call("migrate_state", {}, { from: DAO });
  t.true(r.ok, r.error);
  t.deepEqual(r.events[0].data, [{ from: 0, to: 2 }]);
  t.deepEqual(readJson(vm, "STATE"), { ...state, seq: 0, locked_bonds: "0", factory_id: "", suite: {} });
  t.deepEqual(readJson(vm, "P"), { ...policy, parameters: { ...policy.parameters, timelock: "0" } });
});

test("DAO: migrate_state only from the DAO's own account; a state from newer code is refused, unchanged", (t) => {
  const vm = dao();
  const before = vm.snapshot();
  const outsider = vm.call("migrate_state", {}, { from: "a.test.near" });
  t.false(outsider.ok);
  t.is(outsider.code, "ERR_PRIVATE");
  writeJson(vm, "STATE", { ...readJson(vm, "STATE"), state_version: 3 });
  const newer = vm.snapshot();
  const r = vm.call("migrate_state", {}, { from: DAO });
  t.false(r.ok);
  t.is(r.error, "Smart contract panicked: ERR_MIGRATION: state version 3 is newer than the code");
  t.is(vm.snapshot(), newer);
  t.not(newer, before);
});

test("DAO upgrade_to: only from itself; one batch switches to the global code by hash and runs the migration", (t) => {
  const vm = dao();
  const hash = "ab".repeat(32);
  const before = vm.snapshot();
  const refused = (args: unknown, from: string, code: string, gas = 300n * TGAS) => {
    const r = vm.call("upgrade_to", args, { from, gas });
    t.false(r.ok, `upgrade_to ${JSON.stringify(args)} from ${from}`);
    t.is(r.code, code, r.error);
    t.is(vm.snapshot(), before);
  };
  // a member or an outsider cannot switch the DAO's code: only an UpgradeSelf proposal, executed by the DAO itself
  refused({ hash }, MEMBERS[0], "ERR_PRIVATE");
  refused({ hash }, "outsider.test.near", "ERR_PRIVATE");
  refused({ hash: "AB".repeat(32) }, DAO, "ERR_INVALID_HASH");
  refused({ hash: "ab" }, DAO, "ERR_INVALID_HASH");
  refused({ hash, migrate_method: "migrate_v3", migrate_args: "!!" }, DAO, "ERR_INVALID_ARGS");
  refused({ hash }, DAO, "ERR_NOT_ENOUGH_GAS", MIGRATE_GAS);
  const bad = vm.call("upgrade_to", new TextEncoder().encode("not json"), { from: DAO });
  t.is(bad.code, "ERR_INVALID_ARGS", bad.error);

  const r = vm.call("upgrade_to", { hash }, { from: DAO, gas: UPGRADE_TO_GAS });
  t.true(r.ok, r.error);
  t.is(vm.snapshot(), before, "nothing stored: the switch happens in the batch");
  t.deepEqual(
    r.outcome.newReceipts.map((rc) => [rc.receiverId, rc.actions.map((a) => a.kind).join(",")]),
    [[DAO, "UseGlobalContract,FunctionCall"]],
  );
  const [use, call] = r.outcome.newReceipts[0].actions as unknown as [
    { identifier: { hash?: string; accountId?: string } },
    { methodName: string; gas: bigint; args: Uint8Array },
  ];
  // by hash (base58 of the sha256), never by account id
  t.deepEqual(use.identifier, { hash: bs58.encode(Buffer.from(hash, "hex")) });
  t.is(call.methodName, "migrate_state");
  t.is(call.gas, MIGRATE_GAS);
  t.is(call.args.length, 0);
  // the DAO's UpgradeSelf may name its own migration and its arguments (base64)
  const args = Buffer.from(JSON.stringify({ to: 3 }));
  const custom = vm.call(
    "upgrade_to",
    { hash, migrate_method: "migrate_v3", migrate_args: args.toString("base64") },
    { from: DAO, gas: UPGRADE_TO_GAS },
  );
  t.true(custom.ok, custom.error);
  const fc = custom.outcome.newReceipts[0].actions[1] as { methodName: string; args: Uint8Array };
  t.is(fc.methodName, "migrate_v3");
  t.deepEqual(Buffer.from(fc.args), args);
});
