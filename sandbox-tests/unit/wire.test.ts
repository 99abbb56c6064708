// The protocol's pure rules in contracts/wire/: how the verifier splits an epoch's usage report into parts (and the
// gas it attaches per part), the reward policy check that the DAO (SetRewardPolicy) and the pool both apply, and the
// standards each contract names in its NEP-330 source metadata.
import test from "ava";
import { CONTRACTS } from "../../contracts/wire/contracts.ts";
import { EVENT_STANDARDS } from "../../contracts/wire/events.ts";
import { CONTRACT_STANDARDS, NEP145, NEP297, NEP330 } from "../../contracts/wire/source-metadata.ts";
import {
  defaultRewardPolicy,
  MAX_ATTESTER_FEE,
  rewardPolicyError,
  rewardPolicyOf,
} from "../../contracts/wire/reward-policy.ts";
import {
  reportGasTgas,
  splitUsage,
  USAGE_PART_ATTESTERS,
  USAGE_PART_MODELS,
  type UsageAttesterCount,
} from "../../contracts/wire/usage-report.ts";

const W = "ab".repeat(32);
const counts = (n: number, receipts = (i: number) => i + 1): UsageAttesterCount[] =>
  Array.from({ length: n }, (_, i) => ({ attester_id: `att${i}.near`, receipts: receipts(i) }));
const model = (name: string, c: UsageAttesterCount[]) => ({
  model_name: name,
  model_version: "1",
  weights_sha256: W,
  counts: c,
});

test("usage parts: at most 32 model entries and 64 attester entries each", (t) => {
  t.is(USAGE_PART_MODELS, 32);
  t.is(USAGE_PART_ATTESTERS, 64);
  t.deepEqual(splitUsage([]), []);
  // one model, three attesters: one part, receipts summed (1 + 2 + 3)
  const [one] = splitUsage([model("m", counts(3))]);
  t.deepEqual(one, [
    { model_name: "m", model_version: "1", weights_sha256: W, receipts: 6, attester_counts: counts(3) },
  ]);
  // 64 attesters fill a part exactly; a 65th starts the next, carrying its own receipts (65)
  t.is(splitUsage([model("m", counts(64))]).length, 1);
  const split = splitUsage([model("m", counts(65))]);
  t.deepEqual(
    split.map((p) => p.map((e) => [e.attester_counts.length, e.receipts])),
    [[[64, (64 * 65) / 2]], [[1, 65]]],
  );
  // 33 models of one attester each: 32 in the first part, 1 in the second
  const many = splitUsage(Array.from({ length: 33 }, (_, i) => model(`m${i}`, counts(1))));
  t.deepEqual(
    many.map((p) => p.length),
    [32, 1],
  );
  t.is(many[1][0].model_name, "m32");
  // a model continues in the next part where the first filled up: 60 + 4, then 6
  const mixed = splitUsage([
    model(
      "a",
      counts(60, () => 1),
    ),
    model(
      "b",
      counts(10, () => 2),
    ),
  ]);
  t.deepEqual(
    mixed.map((p) => p.map((e) => `${e.model_name}:${e.attester_counts.length}:${e.receipts}`)),
    [["a:60:60", "b:4:8"], ["b:6:12"]],
  );
  t.deepEqual(
    mixed[1][0].attester_counts.map((c) => c.attester_id),
    ["att4.near", "att5.near", "att6.near", "att7.near", "att8.near", "att9.near"],
  );
});

test("report gas: the base plus 1.25 Tgas per attester entry of the part, rounded up", (t) => {
  const part = (models: UsageAttesterCount[][]) => ({
    community: "dao.near",
    epoch: 1,
    epoch_start_ns: "0",
    epoch_end_ns: "1",
    part: 0,
    parts: 1,
    usage: models.map((c, i) => ({ ...model(`m${i}`, c), receipts: 0, attester_counts: c })),
  });
  t.is(reportGasTgas(30, part([])), 30);
  t.is(reportGasTgas(30, part([counts(3), counts(2)])), 37, "30 + 6.25, rounded up");
  t.is(reportGasTgas(30, part([counts(4)])), 35, "30 + 5 exactly");
  t.is(reportGasTgas(30, part([counts(64)])), 110, "a full part");
});

test("reward policy: shares in bps summing to 10,000, a capped fee, a positive epoch, release 1..10,000", (t) => {
  const ok = defaultRewardPolicy();
  t.deepEqual(ok, {
    model_bps: 6000,
    data_bps: 3000,
    parent_bps: 1000,
    attester_fee: "0",
    epoch_length_ns: "86400000000000",
    release_bps: 10000,
  });
  t.is(rewardPolicyError(ok, "ERR_X"), null);
  const bad = (over: Record<string, unknown>) => rewardPolicyError({ ...ok, ...over }, "ERR_X");
  t.is(rewardPolicyError(null, "ERR_INVALID_REWARD_POLICY"), "ERR_INVALID_REWARD_POLICY");
  t.is(rewardPolicyError([], "ERR_INVALID_POLICY"), "ERR_INVALID_POLICY");
  t.is(rewardPolicyError("x", "ERR_X"), "ERR_X");
  t.is(bad({ model_bps: 10001 }), "ERR_INVALID_BPS: model_bps");
  t.is(bad({ data_bps: -1 }), "ERR_INVALID_BPS: data_bps");
  t.is(bad({ parent_bps: 0.5 }), "ERR_INVALID_BPS: parent_bps");
  t.is(bad({ parent_bps: 999 }), "ERR_POLICY_SHARES: model + data + parent = 9999, must be 10000");
  t.is(bad({ model_bps: 10000, data_bps: 0, parent_bps: 0 }), null);
  t.is(bad({ attester_fee: "1e21" }), "ERR_INVALID_AMOUNT: attester_fee");
  t.is(bad({ attester_fee: MAX_ATTESTER_FEE.toString() }), null);
  t.is(
    bad({ attester_fee: (MAX_ATTESTER_FEE + 1n).toString() }),
    `ERR_ATTESTER_FEE_TOO_HIGH: at most ${MAX_ATTESTER_FEE}`,
  );
  t.is(MAX_ATTESTER_FEE, 5n * 10n ** 21n, "0.005 NEAR");
  t.is(bad({ epoch_length_ns: "0" }), "ERR_INVALID_EPOCH_LENGTH");
  t.is(bad({ epoch_length_ns: "18446744073709551616" }), "ERR_INVALID_EPOCH_LENGTH");
  t.is(bad({ epoch_length_ns: "1" }), null);
  t.is(bad({ release_bps: 0 }), "ERR_INVALID_BPS: release_bps");
  t.is(bad({ release_bps: 10001 }), "ERR_INVALID_BPS: release_bps");
  t.is(bad({ release_bps: 1 }), null);
  t.is(bad({ release_bps: undefined }), null, "release_bps may be left out");
  const { release_bps: _, ...input } = ok;
  t.deepEqual(rewardPolicyOf({ ...input, extra: 1 } as typeof input), ok, "extra fields dropped, release defaulted");
});

test("NEP-330 standards: nep330 1.2.0, nep297 under each contract's event standard, nep145 in the pool only", (t) => {
  t.deepEqual(Object.keys(CONTRACT_STANDARDS).sort(), [...CONTRACTS].sort());
  for (const c of CONTRACTS) {
    const list = CONTRACT_STANDARDS[c];
    t.deepEqual(list[0], { standard: "nep330", version: "1.2.0" }, c);
    t.deepEqual(
      list.slice(1, 3),
      [NEP297, { standard: EVENT_STANDARDS[c].standard, version: EVENT_STANDARDS[c].version }],
      c,
    );
    t.deepEqual(list.slice(3), c === "reward-pool" ? [NEP145] : [], c);
  }
  t.deepEqual(NEP330, { standard: "nep330", version: "1.2.0" });
});
