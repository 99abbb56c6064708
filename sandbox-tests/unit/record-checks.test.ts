// The pure rules the web app checks with before sending, the ones the contracts panic with: a creator's submission
// (contracts/wire/record-checks.ts, called by the registries) and a policy change (contracts/community-dao/policy.ts
// nextPolicyOf, called by the DAO's policy kinds).
import test from "ava";
import { defaultPolicy, nextPolicyOf } from "../../contracts/community-dao/policy.ts";
import { creatorsProblem, datasetInputProblem, modelInputProblem } from "../../contracts/wire/record-checks.ts";

const HASH = "a".repeat(64);
const dataset = {
  name: "poems",
  version: "1.0.0",
  content_sha256: HASH,
  datasheet_sha256: HASH,
  size_bytes: "10",
  uris: ["https://example.org/poems.tsv"],
  license: "CC0-1.0",
  creators: [{ account_id: "dave.near", share_bps: 10000 }],
};
const model = {
  name: "verse",
  version: "1.0.0",
  weights_sha256: HASH,
  training_code_sha256: HASH,
  framework: "ai-commons-logreg",
  architecture: "hashed-ngram-logreg-1024x4",
  training_manifest_id: 1,
  license: "CC0-1.0",
};

test("creators: 1..16 distinct valid accounts, shares 1..10,000 summing to 10,000", (t) => {
  t.is(
    creatorsProblem([
      { account_id: "a.near", share_bps: 6000 },
      { account_id: "b.near", share_bps: 4000 },
    ]),
    null,
  );
  t.is(creatorsProblem("a.near"), "ERR_INVALID_CREATORS: an array of {account_id, share_bps}");
  t.is(creatorsProblem([]), "ERR_NO_CREATORS");
  const seventeen = Array.from({ length: 17 }, (_, i) => ({ account_id: `a${i}.near`, share_bps: 1 }));
  t.is(creatorsProblem(seventeen), "ERR_TOO_MANY_CREATORS: at most 16");
  t.is(creatorsProblem([{ account_id: "A.near", share_bps: 10000 }]), "ERR_INVALID_ACCOUNT_ID: creators: A.near");
  t.is(
    creatorsProblem([
      { account_id: "a.near", share_bps: 5000 },
      { account_id: "a.near", share_bps: 5000 },
    ]),
    "ERR_DUPLICATE_CREATOR: a.near",
  );
  t.is(creatorsProblem([{ account_id: "a.near", share_bps: 0 }]), "ERR_INVALID_SHARE: a.near: 1..10000");
  t.is(
    creatorsProblem([
      { account_id: "a.near", share_bps: 7000 },
      { account_id: "b.near", share_bps: 2000 },
    ]),
    "ERR_SHARES_NOT_10000: sum 9000",
  );
});

test("a dataset's fields in the registry's order, then its creators", (t) => {
  t.is(datasetInputProblem(dataset), null);
  t.is(datasetInputProblem({ ...dataset, name: "Poems" }), "ERR_INVALID_NAME: 1..64 of a-z 0-9 -");
  t.is(datasetInputProblem({ ...dataset, content_sha256: "abc" }), "ERR_INVALID_HASH: content_sha256");
  t.is(datasetInputProblem({ ...dataset, size_bytes: "0" }), "ERR_INVALID_SIZE: size_bytes: u64 > 0 as a string");
  t.is(datasetInputProblem({ ...dataset, uris: [] }), "ERR_INVALID_URIS: 1..8");
  t.is(datasetInputProblem({ ...dataset, uris: ["poems.tsv"] }), "ERR_INVALID_URI: poems.tsv");
  t.is(datasetInputProblem({ ...dataset, license: "CC0 1.0" }), "ERR_INVALID_LICENSE: an SPDX id");
  // the first failing field is the one reported
  t.is(datasetInputProblem({ ...dataset, version: "", license: "" }), "ERR_INVALID_VERSION: 1..32 of a-z 0-9 . -");
  t.is(datasetInputProblem({ ...dataset, creators: [] }), "ERR_NO_CREATORS");
});

test("a model's own fields in the registry's order", (t) => {
  t.is(modelInputProblem(model), null);
  t.is(modelInputProblem({ ...model, weights_sha256: "abc" }), "ERR_INVALID_HASH: weights_sha256");
  t.is(modelInputProblem({ ...model, framework: " x" }), "ERR_INVALID_FRAMEWORK: 1..32 visible ASCII");
  t.is(modelInputProblem({ ...model, training_manifest_id: 0 }), "ERR_INVALID_MANIFEST_ID");
});

test("a policy change: the next policy, or the DAO's refusal", (t) => {
  const policy = defaultPolicy();
  const counts = { council: 2 };
  const role = { name: "curators", kind: "Group" as const, permissions: ["admit_dataset:vote"], vote_policy: {} };
  const added = nextPolicyOf(policy, counts, { kind: "ChangePolicyAddOrUpdateRole", role });
  t.deepEqual(typeof added === "string" ? added : added.roles.map((r) => r.name), ["all", "council", "curators"]);
  t.is(
    nextPolicyOf(policy, counts, {
      kind: "ChangePolicyAddOrUpdateRole",
      role: { ...role, permissions: ["curate:vote"] },
    }),
    "ERR_INVALID_POLICY: permission curate:vote",
  );
  t.is(
    nextPolicyOf(policy, counts, { kind: "ChangePolicyRemoveRole", role: "council" }),
    "ERR_ROLE_NOT_EMPTY: council",
  );
  t.is(nextPolicyOf(policy, counts, { kind: "ChangePolicyRemoveRole", role: "nobody" }), "ERR_UNKNOWN_ROLE: nobody");
  t.is(
    nextPolicyOf(policy, counts, { kind: "ChangePolicyUpdateParameters", parameters: { proposal_period: "0" } }),
    "ERR_INVALID_POLICY: proposal_period",
  );
  const bond = nextPolicyOf(policy, counts, {
    kind: "ChangePolicyUpdateParameters",
    parameters: { proposal_bond: "2" },
  });
  t.like(bond, { parameters: { proposal_bond: "2", timelock: "0" } });
  // the current policy is not changed by a check
  t.is(policy.roles.length, 2);
});
