// The inference verifier's wasm in-process (helpers/vm.ts): attesters bonded by the DAO, the active model pushed by
// the model registry, receipts signed off chain (attester/src/receipt.ts) and checked in the wasm, and an epoch's
// usage report sent to the pool with its callback answered by the test; the refusals on the way leave storage as it
// was.
import test from "ava";
import { type AttesterKey, newKey, signReceipt, type UnsignedReceipt } from "../../attester/src/receipt.ts";
import { MAX_REPORT_DEPOSIT } from "../../contracts/wire/usage-report.ts";
import { NEAR, SEC } from "../helpers/tx.ts";
import { assertRefused, ContractVm, failed, succeeded } from "../helpers/vm.ts";
import { basePolicy, initPool, PoolVm } from "../rewards/vm-pool.ts";
import { ATTESTER_STORAGE, BOND, DEPOSIT, MODEL, SETTINGS, VERSION, WEIGHTS } from "../verifier/fixture.ts";

const VERIFIER = "verifier.test.near";
const DAO = "dao.test.near";
const REGISTRY = "registry.test.near";
const POOL = "pool.test.near";
const ATT = "att.test.near";
const RELAYER = "relayer.test.near";
const ZED = "zed.test.near";
const ACTIVE = { model_name: MODEL, model_version: VERSION, weights_sha256: WEIGHTS, seq: 1 };

function verifier(): ContractVm {
  const vm = new ContractVm({ code: "inference-verifier", accountId: VERIFIER, balance: 20n * NEAR });
  vm.time = 1_700_000_000n * SEC;
  const r = vm.call(
    "init",
    { dao_id: DAO, model_registry_id: REGISTRY, reward_pool_id: POOL, settings: SETTINGS },
    { from: VERIFIER },
  );
  if (!r.ok) throw new Error(`init: ${r.error}`);
  return vm;
}

/** A receipt of the active model by ATT at the verifier's current time. */
function draft(vm: ContractVm, nonce: number, over: Partial<UnsignedReceipt> = {}): UnsignedReceipt {
  return {
    community: DAO,
    model_name: MODEL,
    model_version: VERSION,
    weights_sha256: WEIGHTS,
    input_sha256: "11".repeat(32),
    output_sha256: "22".repeat(32),
    attester_id: ATT,
    nonce: nonce.toString(),
    timestamp: vm.time.toString(),
    enclave_measurement: null,
    ...over,
  };
}

/** A verifier with ATT bonded and the test model active. */
function ready(): { vm: ContractVm; key: AttesterKey } {
  const vm = verifier();
  const key = newKey();
  const bonded = { attester_id: ATT, public_key: key.public_key, bond: BOND.toString() };
  if (!vm.call("add_attester", bonded, { from: DAO, deposit: BOND + ATTESTER_STORAGE }).ok) {
    throw new Error("add_attester failed");
  }
  if (!vm.call("set_active_model", ACTIVE, { from: REGISTRY }).ok) throw new Error("set_active_model failed");
  return { vm, key };
}

test("attesters: the DAO adds one with at least the minimum bond, once; the registry alone sets the model", (t) => {
  const vm = verifier();
  const key = newKey();
  // with `bond` (the DAO's AddAttester): the deposit covers bond + storage, the rest comes back
  const add = (from: string, deposit: bigint, bond: bigint | null = BOND) =>
    [
      "add_attester",
      { attester_id: ATT, public_key: key.public_key, ...(bond === null ? {} : { bond: bond.toString() }) },
      { from, deposit },
    ] as const;
  assertRefused(t, vm, "ERR_NOT_DAO", ...add(ZED, BOND + ATTESTER_STORAGE));
  assertRefused(t, vm, "ERR_BOND_TOO_LOW", ...add(DAO, BOND, BigInt(SETTINGS.min_bond) - 1n));
  assertRefused(t, vm, "ERR_DEPOSIT_TOO_LOW", ...add(DAO, BOND));
  assertRefused(t, vm, "ERR_INVALID_AMOUNT", ...add(DAO, BOND, 0n));
  // without `bond` the bond is the deposit less the storage: the minimum alone is too low
  assertRefused(t, vm, "ERR_BOND_TOO_LOW", ...add(DAO, BigInt(SETTINGS.min_bond), null));
  const r = vm.call(...add(DAO, BOND + ATTESTER_STORAGE));
  t.true(r.ok, r.error);
  t.like(r.value, { attester_id: ATT, status: "Active", bond: BOND.toString(), bond_owner: DAO, receipts: 0 });
  t.deepEqual(
    r.events.map((e) => e.event),
    ["attester_added"],
  );
  assertRefused(t, vm, "ERR_ATTESTER_EXISTS", ...add(DAO, BOND));

  assertRefused(t, vm, "ERR_NOT_MODEL_REGISTRY", "set_active_model", ACTIVE, { from: ZED });
  const set = vm.call("set_active_model", ACTIVE, { from: REGISTRY });
  t.deepEqual(set.value, {
    model_name: MODEL,
    model_version: VERSION,
    weights_sha256: WEIGHTS,
    since: vm.time.toString(),
  });
});

test("receipts: signed for this verifier, fresh, once per nonce, storage paid by the relayer", (t) => {
  const vm = verifier();
  const key = newKey();
  vm.call(
    "add_attester",
    { attester_id: ATT, public_key: key.public_key, bond: BOND.toString() },
    { from: DAO, deposit: BOND + ATTESTER_STORAGE },
  );
  const submit = (receipt: unknown, deposit = DEPOSIT) =>
    ["submit_receipt", { receipt }, { from: RELAYER, deposit }] as const;
  const signed = (nonce: number, over: Partial<UnsignedReceipt> = {}, verifierId = VERIFIER) =>
    signReceipt(verifierId, draft(vm, nonce, over), key.private_key);

  assertRefused(t, vm, "ERR_NO_ACTIVE_MODEL", ...submit(signed(1)));
  vm.call("set_active_model", ACTIVE, { from: REGISTRY });
  assertRefused(t, vm, "ERR_BAD_SIGNATURE", ...submit(signed(1, {}, "other.test.near")));
  assertRefused(t, vm, "ERR_BAD_SIGNATURE", ...submit({ ...signed(1), nonce: "2" }));
  assertRefused(t, vm, "ERR_TIMESTAMP_TOO_OLD", ...submit(signed(1, { timestamp: (vm.time - 601n * SEC).toString() })));
  const short = assertRefused(t, vm, "ERR_STORAGE_DEPOSIT", ...submit(signed(1), 0n));
  const required = BigInt(/required (\d+)/.exec(short.error ?? "")?.[1] ?? "0");

  const r = vm.call(...submit(signed(1)));
  t.true(r.ok, r.error);
  t.is(r.value, 0);
  t.deepEqual(
    r.events.map((e) => e.event),
    ["receipts_accepted"],
  );
  // the relayer keeps paying at most what the refusal named; the rest of the deposit comes back
  t.is(r.transfers.length, 1);
  t.is(r.transfers[0].to, RELAYER);
  t.true(DEPOSIT - r.transfers[0].amount <= required && r.transfers[0].amount > 0n);
  t.like(vm.view("get_receipt", { receipt_id: 0 }), { id: 0, attester_id: ATT, nonce: "1", model_name: MODEL });
  t.like(vm.view("get_attester", { attester_id: ATT }), { receipts: 1 });
  assertRefused(t, vm, "ERR_NONCE_USED", ...submit(signed(1)));
});

test("usage report: only a final epoch, sent to the pool with a callback; a failed delivery stays retryable", (t) => {
  const { vm, key } = ready();
  for (const nonce of [1, 2, 3]) {
    const r = vm.call(
      "submit_receipt",
      { receipt: signReceipt(VERIFIER, draft(vm, nonce), key.private_key) },
      {
        from: RELAYER,
        deposit: DEPOSIT,
      },
    );
    t.true(r.ok, r.error);
  }
  const epoch = vm.view<number>("current_epoch");
  t.is(BigInt(epoch), vm.time / BigInt(SETTINGS.epoch_length_ns));
  assertRefused(t, vm, "ERR_EPOCH_NOT_FINAL", "report_usage", { epoch }, { from: RELAYER });
  // final: the epoch is over and its challenge window has passed
  vm.time = (BigInt(epoch) + 1n) * BigInt(SETTINGS.epoch_length_ns) + BigInt(SETTINGS.challenge_window_ns);

  // the report's fields fit in the pad the epoch's first receipts paid for: reporting never grows the record at the
  // verifier's cost (storage audit F5), whatever the attempts and failures
  const usage = vm.storageUsage;
  // a deposit above the most a part can need is refused (a failed part's deposit is forwarded back from the callback:
  // capping it caps what an out-of-gas callback could strand), nothing changed and the deposit back
  assertRefused(
    t,
    vm,
    "ERR_INVALID_AMOUNT",
    "report_usage",
    { epoch },
    { from: RELAYER, deposit: MAX_REPORT_DEPOSIT + 1n },
  );
  // the cap itself is taken and forwarded whole to the pool with the relayer named as its payer
  const sent = vm.call("report_usage", { epoch }, { from: RELAYER, deposit: MAX_REPORT_DEPOSIT });
  t.true(sent.ok, sent.error);
  t.is(sent.calls[0].deposit, MAX_REPORT_DEPOSIT);
  t.like(sent.calls[0].args, { payer: RELAYER });
  t.is(vm.storageUsage, usage, "report_usage grew the verifier's storage");
  t.deepEqual(
    sent.calls.map((c) => [c.to, c.method]),
    [
      [POOL, "on_usage_report"],
      [VERIFIER, "on_usage_reported"],
    ],
  );
  t.like(sent.calls[0].args, {
    community: DAO,
    epoch,
    part: 0,
    parts: 1,
    usage: [{ model_name: MODEL, model_version: VERSION, weights_sha256: WEIGHTS, receipts: 3 }],
  });
  const callback = sent.calls[1];
  assertRefused(t, vm, "Function is private", callback.method, callback.args, {
    from: ZED,
    promiseResults: [succeeded()],
  });

  const lost = vm.call(callback.method, callback.args, { from: VERIFIER, promiseResults: [failed()] });
  t.true(lost.ok, lost.error);
  // the failed part's deposit goes back to whoever attached it
  t.deepEqual(lost.transfers, [{ to: RELAYER, amount: MAX_REPORT_DEPOSIT }]);
  t.deepEqual(
    lost.events.map((e) => e.event),
    ["usage_report_failed"],
  );
  const open = vm.view<{ status: string; attempts: number; last_error: string | null }>("get_epoch_usage", { epoch });
  t.like(open, { status: "Open", attempts: 1 });
  t.truthy(open.last_error);
  const again = vm.call("report_usage", { epoch }, { from: RELAYER });
  t.like(again.calls[1].args, { epoch, attempt: 2 });
  const done = vm.call(again.calls[1].method, again.calls[1].args, {
    from: VERIFIER,
    promiseResults: [succeeded()],
  });
  t.is(done.value, "Reported");
  t.like(vm.view("get_epoch_usage", { epoch }), { status: "Reported", attempts: 2, last_error: null });
  t.true(vm.storageUsage <= usage, `reporting grew the verifier's storage by ${vm.storageUsage - usage} bytes`);
});

test("the report the verifier sends is the one the pool accepts: both wasms in-process, the pool's answer closes it", (t) => {
  const { vm, key } = ready();
  const fee = 10n ** 20n;
  const pool = new PoolVm();
  t.true(initPool(pool, basePolicy({ epoch_length_ns: SETTINGS.epoch_length_ns, attester_fee: fee.toString() })).ok);
  const lineage = { model_name: MODEL, model_version: VERSION, model_creators: [{ account_id: ZED, bps: 10000 }] };
  t.true(pool.call("register_lineage", lineage, { from: REGISTRY, deposit: NEAR }).ok);
  t.true(pool.call("deposit", { memo: "treasury" }, { from: DAO, deposit: 5n * NEAR }).ok);
  for (const nonce of [1, 2, 3, 4]) {
    const receipt = signReceipt(VERIFIER, draft(vm, nonce), key.private_key);
    t.true(vm.call("submit_receipt", { receipt }, { from: RELAYER, deposit: DEPOSIT }).ok);
  }
  const epoch = vm.view<number>("current_epoch");
  vm.time = (BigInt(epoch) + 1n) * BigInt(SETTINGS.epoch_length_ns) + BigInt(SETTINGS.challenge_window_ns);
  pool.time = vm.time;

  const sent = vm.call("report_usage", { epoch }, { from: RELAYER });
  t.true(sent.ok, sent.error);
  const [report, callback] = sent.calls;
  // a relayer cannot pass the report off as the verifier's
  t.is(pool.call(report.method, report.args, { from: RELAYER }).code, "ERR_NOT_VERIFIER");
  const accepted = pool.receive(report, VERIFIER);
  t.true(accepted.ok, accepted.error);
  t.deepEqual(
    accepted.events.map((e) => e.event),
    ["usage_reported"],
  );
  // the attester's fee: 4 receipts x the policy's fee, owed to it by the pool
  t.is(BigInt(pool.view<string>("claimable", { account_id: ATT })), 4n * fee);

  // the callback reads the pool's answer as its promise result
  const closed = vm.call(callback.method, callback.args, {
    from: VERIFIER,
    promiseResults: [succeeded(accepted.value)],
  });
  t.is(closed.value, "Reported");
  t.like(vm.view("get_epoch_usage", { epoch }), { status: "Reported", attempts: 1 });
});

test("a raised challenge window reopens no receipt that was final; open receipts get the longer window", (t) => {
  const { vm, key } = ready();
  const t0 = vm.time;
  const submit = (nonce: number) => {
    const r = vm.call(
      "submit_receipt",
      { receipt: signReceipt(VERIFIER, draft(vm, nonce), key.private_key) },
      { from: RELAYER, deposit: DEPOSIT },
    );
    t.true(r.ok, r.error);
    return r.value as number;
  };
  const first = submit(1); // final at t0 + 120 s
  const epoch = vm.view<number>("current_epoch");
  vm.time = t0 + 130n * SEC;
  const second = submit(2); // open until t0 + 250 s under the window of 120 s
  vm.time = t0 + 200n * SEC;
  const raised = vm.call(
    "update_settings",
    { settings: { challenge_window_ns: (600n * SEC).toString() } },
    { from: DAO },
  );
  t.true(raised.ok, raised.error);
  // every receipt accepted before now - the old window (t0 + 80 s) had its window end: closed for good
  t.is(
    vm.view<{ challenges_closed_before_ns: string }>("get_config").challenges_closed_before_ns,
    (t0 + 80n * SEC).toString(),
  );
  assertRefused(t, vm, "ERR_CHALLENGE_WINDOW_CLOSED", "void_receipt", { receipt_id: first }, { from: DAO });
  // its epoch (ended before t0 + 80 s) is final: reportable now, not 600 s after its end
  const report = vm.call("report_usage", { epoch }, { from: RELAYER });
  t.true(report.ok, report.error);
  // the second receipt was still open at the raise: it takes the longer window (past its old end, still voidable)
  vm.time = t0 + 300n * SEC;
  const voided = vm.call("void_receipt", { receipt_id: second, reason: "raised window" }, { from: DAO });
  t.true(voided.ok, voided.error);
  t.like(vm.view("get_receipt", { receipt_id: second }), { status: "Voided" });
  // lowering the window closes nothing early that a later raise would reopen: the bound only grows
  t.true(vm.call("update_settings", { settings: { challenge_window_ns: (60n * SEC).toString() } }, { from: DAO }).ok);
  vm.time = t0 + 400n * SEC;
  t.true(vm.call("update_settings", { settings: { challenge_window_ns: (900n * SEC).toString() } }, { from: DAO }).ok);
  t.is(
    vm.view<{ challenges_closed_before_ns: string }>("get_config").challenges_closed_before_ns,
    (t0 + 340n * SEC).toString(),
  );
});

// Communities deployed before shared/json-store.ts kept these records through near-sdk-js 2.0's collections; the
// contracts now read and write the same bytes (checked once against the previous wasm: byte-identical storage after
// the same calls). This pins that layout: STATE's collection fields and the record keys near-sdk-js wrote.
test("storage layout: STATE and record keys are near-sdk-js's LookupMap / Vector / UnorderedMap layout", (t) => {
  const { vm, key } = ready();
  const r = vm.call(
    "submit_receipt",
    { receipt: signReceipt(VERIFIER, draft(vm, 1), key.private_key) },
    {
      from: RELAYER,
      deposit: DEPOSIT,
    },
  );
  t.true(r.ok, r.error);
  const raw = (k: Uint8Array | string) => vm.store.get(typeof k === "string" ? Buffer.from(k) : k);
  const json = (k: Uint8Array | string) => JSON.parse(Buffer.from(raw(k) ?? []).toString());
  const u32 = (prefix: string, i: number) => Buffer.concat([Buffer.from(prefix), Buffer.from([i, 0, 0, 0])]);
  const state = json("STATE");
  t.deepEqual(state.attesters, { prefix: "a", _keys: { prefix: "au", length: 1 }, values: { keyPrefix: "am" } });
  t.deepEqual(state.receipts, { prefix: "r", length: 1 });
  t.deepEqual(state.nonces, { keyPrefix: "n" });
  t.is(json(u32("au", 0)), ATT);
  const [attester, slot] = json(`am${ATT}`);
  t.is(slot, 0);
  t.like(JSON.parse(attester), { attester_id: ATT, receipts: 1 });
  t.like(json(u32("r", 0)), { id: 0, attester_id: ATT, nonce: "1" });
  t.is(raw(u32("r", 1)), undefined);
});
