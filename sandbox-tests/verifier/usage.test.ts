// Usage reports: only final epochs (past the challenge window, no open dispute) are reported; a failing reward
// pool leaves the epoch Open for retry; a working one receives the documented shape once.
import { burnt, total } from "../helpers/tx.ts";
import { useWorker } from "../helpers/worker.ts";
import {
  activate,
  addAttester,
  assertPanics,
  chainNow,
  draft,
  events,
  gasOf,
  loggingPoolWasm,
  MODEL,
  sign,
  submit,
  TGAS,
  tgas,
  WEIGHTS,
  VERSION,
  world,
} from "./fixture.ts";

const test = useWorker().serial;

interface EpochView {
  status: string;
  attempts: number;
  last_error: string | null;
  open_disputes: number;
}

test("report: refused before final and while disputed; fails and stays Open without a pool contract; retried", async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  const k1 = await addAttester(w, "att1.test.near");
  const k2 = await addAttester(w, "att2.test.near");
  await activate(w);
  const now = await chainNow(worker);
  const batch = [
    ...[0, 1, 2].map(() => sign(w, draft(w, "att1.test.near", now), k1)),
    ...[0, 1].map(() => sign(w, draft(w, "att2.test.near", now), k2)),
  ];
  t.true((await submit(w, batch)).succeeded);
  const epoch = (await w.verifier.view<{ epoch: number }>("get_receipt", { receipt_id: 0 })).epoch;
  const report = (from = w.relayer) => from.callRaw(w.verifier, "report_usage", { epoch }, { gas: 200n * TGAS });

  assertPanics(t, await report(), "ERR_EPOCH_NOT_FINAL");
  assertPanics(
    t,
    await w.relayer.callRaw(w.verifier, "report_usage", { epoch: epoch - 5 }, { gas: 200n * TGAS }),
    "ERR_NOTHING_TO_REPORT",
  );
  // att2 contradicts receipt 0: a dispute holds the epoch back
  const c = sign(w, draft(w, "att2.test.near", now, { input_sha256: batch[0].input_sha256 }), k2);
  const ch = await w.relayer.callRaw(
    w.verifier,
    "challenge_receipt",
    { receipt_id: 0, conflicting: c },
    // the dispute bond (1 NEAR by default) and its storage; the rest is refunded
    { gas: 100n * TGAS, attachedDeposit: 11n * 10n ** 23n },
  );
  t.is(ch.parseResult<string>(), "Disputed");
  await worker.provider.fastForward(200);
  assertPanics(t, await report(), "ERR_OPEN_DISPUTES");
  t.true((await w.dao.callRaw(w.verifier, "dismiss_dispute", { receipt_id: 0 })).succeeded);
  assertPanics(
    t,
    await w.relayer.callRaw(w.verifier, "report_usage", { epoch }, { gas: 40n * TGAS }),
    "ERR_NOT_ENOUGH_GAS",
  );

  // the pool account has no contract: the call fails, the callback reopens the epoch
  const failed = await report();
  t.true(failed.succeeded, failed.receiptFailureMessages.join());
  t.is(failed.parseResult<string>(), "Open");
  t.deepEqual(
    events(failed).map((e) => e.event),
    ["usage_report_sent", "usage_report_failed"],
  );
  t.like(await w.verifier.view<EpochView>("get_epoch_usage", { epoch }), {
    status: "Open",
    attempts: 1,
    last_error: "reward pool call failed",
  });
  // a keeper's deposit for the part's records in the pool: the failed call brings it back to the verifier, whose
  // callback sends it on to the keeper (who paid only the gas)
  const keeperBefore = await total(w.relayer);
  const again = await w.relayer.callRaw(
    w.verifier,
    "report_usage",
    { epoch },
    { gas: 200n * TGAS, attachedDeposit: 10n ** 22n },
  );
  t.is(again.parseResult<string>(), "Open");
  t.like(await w.verifier.view<EpochView>("get_epoch_usage", { epoch }), { status: "Open", attempts: 2 });
  t.is(await total(w.relayer), keeperBefore - burnt(again), "the deposit came back");

  // the pool gets a contract; anyone retries and the report lands once
  await w.pool.deploy(loggingPoolWasm());
  const ok = await report();
  t.true(ok.succeeded, ok.receiptFailureMessages.join());
  t.is(ok.parseResult<string>(), "Reported");
  t.log(`report_usage (2 attesters, pool call, callback): ${tgas(gasOf(ok))}`);
  const received = ok.logs.find((l) => l.startsWith("{"));
  t.truthy(received, "the pool logged the report");
  const body = JSON.parse(received!);
  t.is(body.community, w.dao.accountId);
  t.is(body.epoch, epoch);
  t.is(BigInt(body.epoch_end_ns) - BigInt(body.epoch_start_ns), 60n * 10n ** 9n);
  t.deepEqual(body.usage, [
    {
      model_name: MODEL,
      model_version: VERSION,
      weights_sha256: WEIGHTS,
      receipts: 5,
      attester_counts: [
        { attester_id: "att1.test.near", receipts: 3 },
        { attester_id: "att2.test.near", receipts: 2 },
      ],
    },
  ]);
  t.deepEqual(
    events(ok).map((e) => e.event),
    ["usage_report_sent", "usage_reported"],
  );
  t.like(await w.verifier.view<EpochView>("get_epoch_usage", { epoch }), {
    status: "Reported",
    attempts: 3,
    last_error: null,
  });
  assertPanics(t, await report(), "ERR_ALREADY_REPORTED");
  // the callback is private
  assertPanics(t, await w.relayer.callRaw(w.verifier, "on_usage_reported", { epoch }), "Function is private");
});
