// Shared set-up of the reward-pool attacks (funds.test.ts, dos.test.ts): a pool from build/reward-pool.wasm on the
// local node with plain accounts as its DAO, verifier and model registry, a refusal check that compares the pool's
// whole storage and the attacker's balance before and after, and report parts in the one accepted shape.
import { readFileSync } from "node:fs";
import type { ExecutionContext } from "ava";
import type { NearAccount, TransactionResult, Worker } from "near-workspaces";
import { assertPanics, burnt, NEAR, SEC, TGAS, total } from "../helpers/tx.ts";
import { type PartOptions, usagePart } from "../rewards/report.ts";
import { POOL_WASM } from "../rewards/vm-pool.ts";
import { chainNow, stateDump } from "../verifier/fixture.ts";

export const FEE = 10n ** 21n;

export { assertPanics, burnt, events, NEAR, SEC, TGAS, total } from "../helpers/tx.ts";
export { chainNow, stateDump };

export interface PoolWorld {
  worker: Worker;
  pool: NearAccount;
  dao: NearAccount;
  verifier: NearAccount;
  registry: NearAccount;
  len: bigint;
}

let seq = 0;

/** A pool whose epochs last `len` ns; `verifier` defaults to a plain account. */
export async function deployPool(
  worker: Worker,
  root: NearAccount,
  o: { len?: bigint; fee?: bigint; verifier?: NearAccount; dao?: NearAccount; pool?: NearAccount } = {},
): Promise<PoolWorld> {
  seq += 1;
  const len = o.len ?? SEC;
  const pool = o.pool ?? (await root.createSubAccount(`rpool${seq}`, { initialBalance: 10n * NEAR }));
  const dao = o.dao ?? (await root.createSubAccount(`rdao${seq}`, { initialBalance: 100n * NEAR }));
  const verifier = o.verifier ?? (await root.createSubAccount(`rverifier${seq}`, { initialBalance: 10n * NEAR }));
  const registry = await root.createSubAccount(`rregistry${seq}`, { initialBalance: 10n * NEAR });
  await pool.deploy(readFileSync(POOL_WASM));
  const policy = {
    model_bps: 6000,
    data_bps: 3000,
    parent_bps: 1000,
    attester_fee: (o.fee ?? FEE).toString(),
    epoch_length_ns: len.toString(),
    release_bps: 10000,
  };
  await pool.call(
    pool,
    "init",
    { dao_id: dao.accountId, verifier_id: verifier.accountId, model_registry_id: registry.accountId, policy },
    { gas: 100n * TGAS },
  );
  return { worker, pool, dao, verifier, registry, len };
}

/** One report part for `w`'s pool (its epoch length, its DAO as community). */
export function part(w: PoolWorld, epoch: number, models: [string, [string, number][]][], o: PartOptions = {}) {
  return usagePart(epoch, models, { len: w.len, community: w.dao.accountId, ...o });
}

/** The epoch (of `w`'s length) that contains the chain's current time. */
export async function currentEpoch(w: PoolWorld): Promise<number> {
  return Number((await chainNow(w.worker)) / w.len);
}

/** Fast-forwards the node (about a second a block) until `epoch` has ended. */
export async function waitEnd(w: PoolWorld, epoch: number): Promise<void> {
  const end = (BigInt(epoch) + 1n) * w.len;
  for (let i = 0; i < 5; i++) {
    const now = await chainNow(w.worker);
    if (now >= end) return;
    await w.worker.provider.fastForward(Number((end - now) / SEC) + 2);
  }
  throw new Error(`epoch ${epoch} did not end`);
}

/** Calls as the attacker, expects exactly `code`, and checks the watched contracts' storage and the attacker's
 * balance (less the gas it burnt: attached deposits come back) are unchanged. */
export async function refused(
  t: ExecutionContext,
  w: PoolWorld,
  from: NearAccount,
  method: string,
  args: Record<string, unknown>,
  code: string,
  opts: { deposit?: bigint; gas?: bigint; contract?: NearAccount; watch?: NearAccount[] } = {},
): Promise<TransactionResult> {
  const contract = opts.contract ?? w.pool;
  const watch = opts.watch ?? [contract];
  const before = await Promise.all(watch.map((a) => stateDump(w.worker, a.accountId)));
  const balances = await Promise.all(watch.map((a) => total(a)));
  const balance = await total(from);
  const r = await from.callRaw(contract, method, args, {
    attachedDeposit: opts.deposit ?? 0n,
    gas: opts.gas ?? 100n * TGAS,
  });
  assertPanics(t, r, code);
  t.deepEqual(await Promise.all(watch.map((a) => stateDump(w.worker, a.accountId))), before, "storage unchanged");
  // the contracts' balances move only by the gas rewards their failed calls earn them
  const after = await Promise.all(watch.map((a) => total(a)));
  for (let i = 0; i < watch.length; i++) t.true(after[i] >= balances[i] && after[i] - balances[i] < NEAR / 1000n);
  t.is(await total(from), balance - burnt(r), "the attacker lost only gas");
  return r;
}
