// What the DAO's model decisions and a report part pay (contracts/wire/activation.ts, usage-report.ts): the constants
// written out as literals (so the contracts evaluate nothing at load) equal their formulas, and the deposit an
// activation asks for covers what it can store.
import test from "ava";
import { asciiJson } from "../../contracts/shared/promise.ts";
import { BYTE_COST, GLOBAL_BYTE_COST, NEAR, SEC, TGAS } from "../../contracts/wire/units.ts";
import { ATTESTER_STORAGE_DEPOSIT } from "../../contracts/wire/dao.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";
import { activationExecuteGas, executeGasOf } from "../../scripts/cli/dao-calls.ts";
import {
  ACTIVATION_BASE_BYTES,
  activationBytes,
  activationDeposit,
  DEFAULT_ACTIVATION_DEPOSIT,
  DEPRECATION_BYTES,
  DEPRECATION_DEPOSIT,
  LINEAGE_DEPOSIT_PER_ENTRY,
  LINEAGE_DEPOSIT_PER_PART,
  lineagePartDeposit,
  lineagePartsBound,
  lineageReserve,
  MAX_ACTIVATION_DEPOSIT,
  MODEL_USE_DEPOSIT,
} from "../../contracts/wire/activation.ts";
import { LINEAGE_PART_ENTRIES } from "../../contracts/wire/lineage.ts";
import { REPORT_STORAGE_BASE, REPORT_STORAGE_PER_ITEM, reportDeposit } from "../../contracts/wire/usage-report.ts";

test("the written constants equal their formulas", (t) => {
  t.is(BYTE_COST, 10n ** 19n);
  t.is(GLOBAL_BYTE_COST, 10n ** 20n);
  t.is(NEAR, 10n ** 24n);
  t.is(TGAS, 10n ** 12n);
  t.is(SEC, 10n ** 9n);
  t.is(ATTESTER_STORAGE_DEPOSIT, 10n ** 22n);
  t.is(RECEIPT_STORAGE_DEPOSIT, 2n * 10n ** 22n);
  t.is(LINEAGE_DEPOSIT_PER_PART, 5n * 10n ** 21n);
  t.is(LINEAGE_DEPOSIT_PER_ENTRY, 3n * 10n ** 21n);
  t.is(MODEL_USE_DEPOSIT, 5n * 10n ** 21n);
  t.is(DEPRECATION_DEPOSIT, DEPRECATION_BYTES * BYTE_COST);
  t.is(DEFAULT_ACTIVATION_DEPOSIT, activationDeposit({ entries: 10, datasets: 4, parts: 1 }));
  // the largest lineage a manifest allows fits under the cap the DAO applies
  const largest = { entries: 816, datasets: 50, parts: lineagePartsBound(816, 50) };
  t.true(activationDeposit(largest) <= MAX_ACTIVATION_DEPOSIT, `${activationDeposit(largest)}`);
  t.true(activationDeposit(largest) > (MAX_ACTIVATION_DEPOSIT * 9n) / 10n);
});

test("an activation's deposit: storage bound, the dataset registry's share, the parts' deposits", (t) => {
  // no lineage: the base bytes and the model-use record
  t.is(activationDeposit(null), ACTIVATION_BASE_BYTES * BYTE_COST + MODEL_USE_DEPOSIT);
  t.is(activationBytes(null), ACTIVATION_BASE_BYTES);
  // the 98-entry lineage of sandbox-tests/registries/activation-deposit.test.ts (stored 9,612 bytes there)
  const size = { entries: 98, datasets: 7, parts: lineagePartsBound(98, 7) };
  t.true(activationBytes(size) > 9_612n);
  t.is(
    activationDeposit(size),
    activationBytes(size) * BYTE_COST +
      MODEL_USE_DEPOSIT +
      lineageReserve([98]) +
      (BigInt(size.parts) - 1n) * 5n * 10n ** 21n,
  );
  t.is(lineagePartDeposit(98), LINEAGE_DEPOSIT_PER_PART + 98n * LINEAGE_DEPOSIT_PER_ENTRY);
  // more of anything never asks for less
  const base = { entries: 20, datasets: 3, parts: 1 };
  for (const more of [{ entries: 21 }, { datasets: 4 }, { parts: 2 }]) {
    t.true(activationDeposit({ ...base, ...more }) > activationDeposit(base));
  }
});

test("lineagePartsBound covers the registry's greedy packing (datasets of at most 16 creators never split)", (t) => {
  // the packing of contracts/model-registry/lineage.ts packLineage, counted only
  const pack = (modelCreators: number, datasets: number[]) => {
    let parts = 1;
    let n = modelCreators;
    for (const d of datasets) {
      if (n + d > LINEAGE_PART_ENTRIES) {
        parts += 1;
        n = 0;
      }
      n += d;
    }
    return parts;
  };
  let seed = 7;
  const rand = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  for (let i = 0; i < 2000; i++) {
    const models = 1 + rand(16);
    const datasets = Array.from({ length: rand(40) }, () => 1 + rand(16));
    const entries = models + datasets.reduce((a, b) => a + b, 0);
    const bound = lineagePartsBound(entries, datasets.length);
    t.true(pack(models, datasets) <= bound, `${models} + [${datasets.join(",")}]: bound ${bound}`);
  }
});

test("a report part's deposit: 0.009 NEAR for one model and one attester, 0.244 for a full part", (t) => {
  const part = (models: number, attestersPerModel: number) => ({
    community: "dao.test.near",
    epoch: 1,
    epoch_start_ns: "0",
    epoch_end_ns: "1",
    part: 0,
    parts: 1,
    usage: Array.from({ length: models }, (_, m) => ({
      model_name: `m${m}`,
      model_version: "1",
      weights_sha256: "0".repeat(64),
      receipts: attestersPerModel,
      attester_counts: Array.from({ length: attestersPerModel }, (_, a) => ({
        attester_id: `a${a}.near`,
        receipts: 1,
      })),
    })),
  });
  t.is(reportDeposit(part(1, 1)), (REPORT_STORAGE_BASE + 2n * REPORT_STORAGE_PER_ITEM) * BYTE_COST);
  t.is(reportDeposit(part(1, 1)), 9n * 10n ** 21n);
  t.is(reportDeposit(part(32, 2)), 244n * 10n ** 21n);
});

test("execute's gas for an activation grows with the lineage its deposit pays for: 240 Tgas up to ~350 entries, 300 for the largest", (t) => {
  const TGAS = 10n ** 12n;
  const depositOf = (entries: number, datasets: number) =>
    activationDeposit({ entries, datasets, parts: lineagePartsBound(entries, datasets) });
  t.is(activationExecuteGas(0n), 240n * TGAS);
  t.is(activationExecuteGas(DEFAULT_ACTIVATION_DEPOSIT), 240n * TGAS);
  // 98 entries (the activation-deposit test's lineage) and 289 (18 datasets of 16): the callback's own 105 Tgas fit;
  // the bound counts a little high (the deposit also pays parts, datasets and the base records)
  t.is(activationExecuteGas(depositOf(98, 7)), 240n * TGAS);
  t.is(activationExecuteGas(depositOf(289, 18)), 240n * TGAS);
  t.true(activationExecuteGas(depositOf(337, 21)) < 245n * TGAS);
  // the bound never undercounts: a deposit's entries bound is at least the lineage's real size
  let last = 0n;
  for (let datasets = 0; datasets <= 50; datasets++) {
    const gas = activationExecuteGas(depositOf(1 + 16 * datasets, datasets));
    t.true(gas >= last, "monotone in the lineage's size");
    last = gas;
  }
  // the largest lineage a manifest allows (50 datasets of 16, 16 model creators) and the cap: 300 Tgas
  t.is(activationExecuteGas(depositOf(816, 50)), 300n * TGAS);
  t.is(activationExecuteGas(MAX_ACTIVATION_DEPOSIT), 300n * TGAS);
  t.is(executeGasOf({ kind: "RollbackModel", deposit: depositOf(816, 50).toString() }), 300n * TGAS);
  t.is(executeGasOf({ kind: "ActivateModel", model_id: "m@1" }), 240n * TGAS);
});

test("a weighted call's arguments are one byte per character and parse to the same value", (t) => {
  for (const value of [{ model_id: "lm@1" }, { reason: "é — 😀 ÿ", n: [1, "\u0080"] }, {}]) {
    const json = asciiJson(JSON.stringify(value));
    for (let i = 0; i < json.length; i++) t.true(json.charCodeAt(i) < 0x80, json);
    t.deepEqual(JSON.parse(json), value);
  }
  t.is(asciiJson('{"a":"b"}'), '{"a":"b"}');
});
