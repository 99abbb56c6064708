// Property test: random sequences of deposits, usage report parts (some repeated or out of order), epoch closes (some
// out of order or before the report is complete), claims, NEP-145 unregisters (forced or not, some while a claim is in
// flight) and registrations again, transfer outcomes (some failing) and policy changes, against the compiled wasm through the VM (vm-pool.ts): a
// node would take ~1 s a step, the VM ~60 ms. After every step: the contract's totals equal an independent
// reference (model.ts) to the yocto, every account's claimable equals the reference, the pool is solvent
// (balance - storage stake >= unallocated + claimable + free storage balances) and the ledger adds up.
// PROP_SEED and PROP_STEPS override the seed and the length.
import test from "ava";
import { usagePart } from "./report.ts";
import { type RefLineage, type RefPolicy, RewardModel } from "./model.ts";
import { BYTE_COST, basePolicy, codeOf, DAO, initPool, NEAR, PoolVm, POOL, REGISTRY, VERIFIER } from "./vm-pool.ts";

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CREATORS = Array.from({ length: 8 }, (_, i) => `c${i}.test.near`);
const ATTESTERS = ["a0.test.near", "a1.test.near", "a2.test.near"];
const ACCOUNTS = [...CREATORS, ...ATTESTERS];
const LEN = 1_000_000_000n;

function splits(rand: () => number, n: number): { account_id: string; bps: number }[] {
  const picked = [...CREATORS].sort(() => rand() - 0.5).slice(0, n);
  let left = 10000;
  return picked.map((account_id, i) => {
    const bps = i === n - 1 ? left : 1 + Math.floor(rand() * (left - (n - i - 1)) * 0.7);
    left -= bps;
    return { account_id, bps };
  });
}

test("random deposits, reports, closes and claims keep the pool solvent and exact", (t) => {
  const seed = Number(process.env.PROP_SEED ?? 20240607);
  const steps = Number(process.env.PROP_STEPS ?? 160);
  t.log(`seed ${seed}, ${steps} steps`);
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const vm = new PoolVm();
  const ref = new RewardModel();
  let policy: RefPolicy & ReturnType<typeof basePolicy> = basePolicy();
  t.true(initPool(vm, policy).ok);
  for (const a of ACCOUNTS) t.true(vm.call("storage_deposit", {}, { from: a, deposit: NEAR / 10n }).ok);
  const registered = new Set(ACCOUNTS);

  // lineages: m1 (two datasets), m2 (parent m1, datasets overlapping m1's, pushed in two parts), m3 (no datasets,
  // an unregistered parent), and "ghost" whose usage has no lineage at all
  const d1 = { dataset_id: "d1", creators: splits(rand, 3) };
  const d2 = { dataset_id: "d2", creators: splits(rand, 2) };
  const d3 = { dataset_id: "d3", creators: splits(rand, 4) };
  const lineages: RefLineage[] = [
    { model: "m1@1", parent: null, creators: splits(rand, 2), datasets: [d1, d2] },
    { model: "m2@1", parent: "m1@1", creators: splits(rand, 3), datasets: [d2, d3] },
    { model: "m3@1", parent: "m9@1", creators: splits(rand, 1), datasets: [] },
  ];
  for (const l of lineages) {
    const [name, version] = l.model.split("@");
    const parent = l.parent ? { model_name: l.parent.split("@")[0], model_version: 1 } : undefined;
    const base = { model_name: name, model_version: Number(version), parent };
    if (l.model === "m2@1") {
      const a = { ...base, part: 0, total_parts: 2, model_creators: l.creators, datasets: [l.datasets[0]] };
      const b = { ...base, part: 1, total_parts: 2, datasets: [l.datasets[1]] };
      t.true(vm.call("register_lineage", b, { from: REGISTRY, deposit: NEAR }).ok);
      t.true(vm.call("register_lineage", a, { from: REGISTRY, deposit: NEAR }).ok);
    } else {
      const r = vm.call(
        "register_lineage",
        { ...base, model_creators: l.creators, datasets: l.datasets },
        {
          from: REGISTRY,
          deposit: NEAR,
        },
      );
      t.true(r.ok, r.error);
    }
    ref.lineages.set(l.model, l);
  }
  const models = ["m1@1", "m2@1", "m3@1", "ghost@1"];
  const pending: { index: number; account: string; amount: bigint }[] = [];
  const reports = new Map<number, { parts: number; received: number }>();
  const counts: Record<string, number> = {};
  let storageCharged = 0n;
  const charged = () => BigInt(vm.view<{ storage_charged: string }>("get_totals").storage_charged);

  for (let step = 0; step < steps; step++) {
    const x = rand();
    const before = charged();
    let action: string;
    if (x < 0.22) {
      action = "deposit";
      const amount = BigInt(1 + Math.floor(rand() * 50)) * NEAR + BigInt(Math.floor(rand() * 1e9));
      const usage = vm.storageUsage;
      const r = vm.call(
        "deposit",
        { memo: rand() < 0.5 ? null : `fees ${step}` },
        { from: pick(ACCOUNTS), deposit: amount },
      );
      t.true(r.ok, r.error);
      // the deposit record's storage comes out of the deposit (the call's whole growth also counts STATE's)
      const net = BigInt((r.value as { net: string }).net);
      t.true(net < amount && net >= amount - (vm.storageUsage - usage) * BYTE_COST);
      ref.unallocated += net;
    } else if (x < 0.45) {
      action = "report";
      // a part of an ended epoch's report: the next part, a repeat of one received, or one out of order
      const current = Number(vm.time / LEN);
      if (current === 0) continue;
      const epoch = Math.max(0, current - 1 - Math.floor(rand() * 3));
      const st = reports.get(epoch) ?? { parts: rand() < 0.6 ? 1 : 2 + Math.floor(rand() * 2), received: 0 };
      if (ref.closed.has(epoch)) continue;
      const y = rand();
      const part =
        y < 0.15 && st.received > 0
          ? Math.floor(rand() * st.received)
          : y < 0.25 && st.received + 1 < st.parts
            ? st.received + 1
            : st.received;
      if (part >= st.parts) continue;
      const usage = models
        .filter(() => rand() < 0.6)
        .map((m) => [m, ATTESTERS.filter(() => rand() < 0.6).map((a) => [a, 1 + Math.floor(rand() * 40)])] as const)
        .filter(([, counts]) => counts.length > 0) as [string, [string, number][]][];
      if (usage.length === 0) usage.push(["m1@1", [["a0.test.near", 1]]]);
      const args = usagePart(epoch, usage, { part, parts: st.parts });
      const snap = vm.snapshot();
      const r = vm.call("on_usage_report", args, { from: VERIFIER });
      if (part < st.received) {
        action = "report(duplicate)";
        t.true(r.ok, r.error);
        t.true((r.value as { duplicate: boolean }).duplicate);
        t.is(vm.snapshot(), snap);
      } else if (part > st.received) {
        action = "report(out of order)";
        t.is(codeOf(r), "ERR_PART_OUT_OF_ORDER");
        t.is(vm.snapshot(), snap);
        if (st.received === 0) continue;
      } else {
        t.true(r.ok, r.error);
        st.received += 1;
        reports.set(epoch, st);
        const attesters = new Map<string, number>();
        for (const [, counts] of usage) for (const [a, n] of counts) attesters.set(a, (attesters.get(a) ?? 0) + n);
        const reserve = 400n + 250n * BigInt(usage.length + attesters.size);
        const available = ref.unallocated - reserve * BYTE_COST;
        ref.report(
          epoch,
          usage.map(([m, counts]) => [m, counts.reduce((a, [, n]) => a + n, 0)]),
          [...attesters],
          BigInt(policy.attester_fee),
          available > 0n ? available : 0n,
        );
      }
    } else if (x < 0.6) {
      action = "close";
      const open = [...reports.keys()].filter((e) => !ref.closed.has(e));
      if (open.length === 0) continue;
      const epoch = rand() < 0.6 ? Math.min(...open) : pick(open);
      const snap = vm.snapshot();
      const r = vm.call("close_epoch", { epoch }, { from: pick(ACCOUNTS) });
      const st = reports.get(epoch)!;
      if (st.received < st.parts) {
        action = "close(incomplete)";
        t.is(codeOf(r), "ERR_REPORT_INCOMPLETE");
        t.is(vm.snapshot(), snap);
      } else if (epoch !== Math.min(...open)) {
        action = "close(out of order)";
        t.is(codeOf(r), "ERR_EPOCH_ORDER");
        t.is(vm.snapshot(), snap);
      } else {
        t.true(r.ok, r.error);
        const n = BigInt(ref.usage.get(epoch)?.size ?? 0);
        const spendable = ref.unallocated - (400n + 450n * n) * BYTE_COST;
        const distributed = ref.close(epoch, policy, spendable > 0n ? spendable : 0n);
        t.is((r.value as { distributed: string }).distributed, distributed.toString());
      }
    } else if (x < 0.7) {
      action = "time";
      vm.time += BigInt(Math.floor(rand() * 2e9));
      continue;
    } else if (x < 0.85) {
      action = "claim";
      const account = pick(ACCOUNTS);
      const snap = vm.snapshot();
      const r = vm.call("claim", {}, { from: account });
      if (ref.owedOf(account) === 0n) {
        action = "claim(nothing)";
        t.is(codeOf(r), "ERR_NOTHING_TO_CLAIM");
        t.is(vm.snapshot(), snap);
      } else if (!registered.has(account)) {
        action = "claim(unregistered)";
        t.is(codeOf(r), "ERR_STORAGE_NOT_REGISTERED");
        t.is(vm.snapshot(), snap);
      } else {
        t.true(r.ok, r.error);
        const amount = ref.claim(account);
        t.deepEqual(r.transfers, [{ to: account, amount }]);
        const index = r.events[0].data[0].index as number;
        pending.push({ index, account, amount });
      }
    } else if (x < 0.95) {
      action = "transfer outcome";
      if (pending.length === 0) continue;
      const p = pending.splice(Math.floor(rand() * pending.length), 1)[0];
      const ok = rand() < 0.7;
      if (!ok) vm.refund(p.amount);
      const r = vm.call(
        "on_claim_transfer",
        { index: p.index },
        {
          from: POOL,
          promiseResults: [ok ? { status: "Successful", data: new Uint8Array() } : { status: "Failed" }],
        },
      );
      t.true(r.ok, r.error);
      ref.settle(p.account, p.amount, ok);
      action = ok ? "transfer paid" : "transfer failed";
    } else if (x < 0.975) {
      const account = pick(ACCOUNTS);
      if (!registered.has(account)) {
        action = "register again";
        t.true(vm.call("storage_deposit", {}, { from: account, deposit: NEAR / 10n }).ok);
        registered.add(account);
      } else {
        const force = rand() < 0.5;
        const snap = vm.snapshot();
        const r = vm.call("storage_unregister", { force }, { from: account, deposit: 1n });
        if (pending.some((p) => p.account === account)) {
          action = "unregister(claim in flight)";
          t.is(codeOf(r), "ERR_CLAIM_IN_FLIGHT");
          t.is(vm.snapshot(), snap);
        } else if (ref.owedOf(account) > 0n && !force) {
          action = "unregister(has balance)";
          t.is(codeOf(r), "ERR_STORAGE_HAS_BALANCE");
          t.is(vm.snapshot(), snap);
        } else {
          action = force ? "unregister(force)" : "unregister";
          t.true(r.ok, r.error);
          t.is(r.value, true);
          const data = r.events[0].data[0] as { refund: string; forfeited: string };
          t.is(data.forfeited, ref.forfeit(account).toString());
          t.deepEqual(r.transfers, [{ to: account, amount: BigInt(data.refund) + 1n }]);
          registered.delete(account);
        }
      }
    } else {
      action = "policy";
      const model_bps = Math.floor(rand() * 10001);
      const data_bps = Math.floor(rand() * (10001 - model_bps));
      const next = basePolicy({
        model_bps,
        data_bps,
        parent_bps: 10000 - model_bps - data_bps,
        // 0 to 0.005 NEAR, the policy's bound (contracts/wire/reward-policy.ts)
        attester_fee: (BigInt(Math.floor(rand() * 6)) * 10n ** 21n).toString(),
        release_bps: 1 + Math.floor(rand() * 10000),
      });
      t.true(vm.call("set_reward_policy", { policy: next }, { from: DAO }).ok);
      policy = next;
    }
    counts[action] = (counts[action] ?? 0) + 1;
    const delta = charged() - before;
    storageCharged += delta;
    ref.unallocated -= delta;

    const totals = vm.view<Record<string, string>>("get_totals");
    const where = `step ${step} (${action})`;
    t.is(totals.unallocated, ref.unallocated.toString(), where);
    t.is(totals.allocated, ref.allocated.toString(), where);
    t.is(totals.claimed, ref.claimed.toString(), where);
    t.is(totals.in_flight, ref.inFlight.toString(), where);
    t.is(totals.storage_charged, storageCharged.toString(), where);
    let claimable = 0n;
    for (const a of ACCOUNTS) {
      const c = BigInt(vm.view<string>("claimable", { account_id: a }));
      t.is(c, ref.owedOf(a), `${where}: claimable of ${a}`);
      claimable += c;
    }
    t.is(claimable + ref.claimed + ref.inFlight, ref.allocated, where);
    const inv = vm.view<{ solvent: boolean; ledger_balanced: boolean; surplus: string }>("get_invariant");
    t.true(inv.solvent, `${where}: surplus ${inv.surplus}`);
    t.true(inv.ledger_balanced, where);
  }
  t.log(JSON.stringify(counts));
  t.log(`paid ${ref.claimed} yocto, ${ref.inFlight} in flight, ${ref.unallocated} unallocated`);
});
