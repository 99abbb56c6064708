// Close-epoch and claim gas on the local node for one model version with 10 / 100 / 1,000 creators (each also a
// creator of one of its datasets: n / 100 datasets of up to 100 creators), as in sandbox-tests/rewards/gas.test.ts
// but end to end through the node (a claim is the claim, its transfer and the on_claim_transfer callback). Plain
// accounts stand in for the verifier and the model registry, whose calls the pool accepts only from them; the
// lineage is pushed in parts of 100 entries.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  chainNow,
  eventsOf,
  fastForward,
  gasOf,
  gasParts,
  must,
  NEAR,
  ROOT,
  SEC,
  storageUsage,
  TGAS,
  type Worker,
} from "./lib.ts";
import { usagePart } from "../sandbox-tests/rewards/report.ts";
import type { RewardScalePoint, StorageDelta } from "./results.ts";

const EPOCH_NS = 60n * SEC;

export async function rewardScale(
  worker: Worker,
  sizes: number[],
): Promise<{ points: RewardScalePoint[]; deltas: StorageDelta[] }> {
  const root = worker.rootAccount;
  const wasm = readFileSync(join(ROOT, "build", "reward-pool.wasm"));
  const dao = await root.createSubAccount("rdao", { initialBalance: 1000n * NEAR });
  const verifier = await root.createSubAccount("rverifier");
  const registry = await root.createSubAccount("rregistry", { initialBalance: 1000n * NEAR });
  const out: RewardScalePoint[] = [];
  const deltas: StorageDelta[] = [];
  for (const n of sizes) {
    // storage of the records each step creates, read on the 100-creator pool (a part of exactly 100 model creators)
    const track = n === 100;
    const delta = async <T>(kind: string, how: string, per: number, f: () => Promise<T>): Promise<T> => {
      const before = await storageUsage(worker, pool.accountId);
      const r = await f();
      const bytes = (await storageUsage(worker, pool.accountId)) - before;
      if (track) deltas.push({ kind, contract: "reward-pool", bytes: Math.round(bytes / per), how });
      return r;
    };
    const pool = await root.createSubAccount(`pool${n}`, { initialBalance: 20n * NEAR });
    await pool.deploy(wasm);
    const policy = {
      model_bps: 5000,
      data_bps: 4000,
      parent_bps: 1000,
      attester_fee: (10n ** 21n).toString(),
      epoch_length_ns: EPOCH_NS.toString(),
      release_bps: 10000,
    };
    await pool.call(
      pool,
      "init",
      { dao_id: dao.accountId, verifier_id: verifier.accountId, model_registry_id: registry.accountId, policy },
      { gas: 100n * TGAS },
    );
    await delta("deposit record", "deposit", 1, async () =>
      must("deposit", await dao.callRaw(pool, "deposit", {}, { attachedDeposit: 100n * NEAR, gas: 50n * TGAS })),
    );
    // the last creator is a real account: it claims
    const claimer = await root.createSubAccount(`claimer${n}`);
    const ids = Array.from({ length: n }, (_, i) => (i === n - 1 ? claimer.accountId : `creator-${i}.test.near`));
    const perDataset = Math.min(n, 100);
    const parts: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i += 100) {
      parts.push({ model_creators: ids.slice(i, i + 100).map((account_id) => ({ account_id, bps: 10000 / n })) });
    }
    for (let d = 0; d < n / perDataset; d++) {
      const creators = ids
        .slice(d * perDataset, (d + 1) * perDataset)
        .map((account_id) => ({ account_id, bps: 10000 / perDataset }));
      parts.push({ datasets: [{ dataset_id: `ds-${d}`, creators }] });
    }
    let lineageMax = 0;
    for (const [part, p] of parts.entries()) {
      const push = async () =>
        must(
          "register_lineage",
          await registry.callRaw(
            pool,
            "register_lineage",
            { model_name: "big", model_version: 1, part, total_parts: parts.length, ...p },
            { attachedDeposit: 5n * NEAR, gas: 300n * TGAS },
          ),
        );
      const r =
        part === 0
          ? await delta("creator position (account record)", "lineage part of 100 / 100", 100, push)
          : await push();
      lineageMax = Math.max(lineageMax, Number(gasOf(r)));
    }
    const epoch = Number((await chainNow(worker)) / EPOCH_NS);
    // the pool takes reports of ended epochs only
    await fastForward(worker, Math.ceil(Number(EPOCH_NS) / 1.3e9) + 2);
    const report = must(
      "on_usage_report",
      await verifier.callRaw(
        pool,
        "on_usage_report",
        usagePart(epoch, [["big", [[`att.${root.accountId}`, 40]]]], { len: EPOCH_NS, community: dao.accountId }),
        { gas: 100n * TGAS },
      ),
    );
    const close = await delta("epoch close (epoch record + allocation)", "close_epoch, 1 model", 1, async () =>
      must("close_epoch", await dao.callRaw(pool, "close_epoch", { epoch }, { gas: 100n * TGAS })),
    );
    must("storage_deposit", await claimer.callRaw(pool, "storage_deposit", {}, { attachedDeposit: NEAR / 10n }));
    const claim = await delta("claim (claim record + index)", "claim", 1, async () =>
      must("claim", await claimer.callRaw(pool, "claim", {}, { gas: 100n * TGAS })),
    );
    if (!eventsOf(claim).some((e) => e.event === "claim_paid")) throw new Error(`claim with ${n} creators not paid`);
    out.push({
      n,
      parts: parts.length,
      lineage_max: lineageMax,
      report: Number(gasOf(report)),
      close: Number(gasOf(close)),
      claim: Number(gasOf(claim)),
      claim_parts: gasParts(claim),
    });
  }
  return { points: out, deltas };
}
