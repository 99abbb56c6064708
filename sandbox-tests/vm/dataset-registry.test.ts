// The dataset registry's wasm in-process (helpers/vm.ts): a submission paid by its submitter (the excess refunded),
// the DAO's admission, a manifest whose root is the off-chain rule's (scripts/manifest-root.mjs), a creator's
// withdrawal tainting it, and the refusals on the way, with storage unchanged by every refused call.
import test from "ava";
import { computeManifestRoot } from "../../scripts/manifest-root.mjs";
import { NEAR } from "../helpers/tx.ts";
import { assertRefused, ContractVm } from "../helpers/vm.ts";
import { datasetInput } from "../registries/fixture.ts";

const REGISTRY = "datasets.test.near";
const MODELS = "models.test.near";
const DAO = "dao.test.near";
const [ALICE, BOB, ZED] = ["alice", "bob", "zed"].map((n) => `${n}.test.near`);
const CREATORS = [
  { account_id: ALICE, share_bps: 6000 },
  { account_id: BOB, share_bps: 4000 },
];
const DEPOSIT = NEAR / 10n;

function registry(): ContractVm {
  const vm = new ContractVm({ code: "dataset-registry", accountId: REGISTRY });
  const r = vm.call("init", { dao_id: DAO, model_registry_id: MODELS }, { from: REGISTRY });
  if (!r.ok) throw new Error(`init: ${r.error}`);
  return vm;
}

test("a submission: the submitter pays its storage and gets the rest back; bad input refused", (t) => {
  const vm = registry();
  const input = datasetInput("corpus", "1.0", CREATORS);
  const short = assertRefused(t, vm, "ERR_DEPOSIT_TOO_LOW", "submit_dataset", input, { from: ALICE });
  const required = BigInt(/required (\d+)/.exec(short.error ?? "")?.[1] ?? "0");
  t.true(required > 0n);
  assertRefused(t, vm, "ERR_DEPOSIT_TOO_LOW", "submit_dataset", input, { from: ALICE, deposit: required - 1n });
  assertRefused(
    t,
    vm,
    "ERR_SHARES_NOT_10000",
    "submit_dataset",
    { ...input, creators: [{ account_id: ALICE, share_bps: 9000 }] },
    {
      from: ALICE,
      deposit: DEPOSIT,
    },
  );
  assertRefused(
    t,
    vm,
    "ERR_INVALID_HASH",
    "submit_dataset",
    { ...input, content_sha256: "AB".repeat(32) },
    {
      from: ALICE,
      deposit: DEPOSIT,
    },
  );

  const r = vm.call("submit_dataset", input, { from: ALICE, deposit: DEPOSIT });
  t.true(r.ok, r.error);
  t.is(r.value, "corpus@1.0");
  const cost = BigInt(vm.view<string>("get_storage_paid", { dataset_id: "corpus@1.0" }));
  t.is(cost, required, "what the refusal named is what the submission keeps");
  t.deepEqual(r.transfers, [{ to: ALICE, amount: DEPOSIT - cost }]);
  t.deepEqual(r.events[0].data, [
    {
      dataset_id: "corpus@1.0",
      submitter: ALICE,
      previous: null,
      content_sha256: input.content_sha256,
      license: input.license,
      creators: CREATORS,
      storage_cost: cost.toString(),
    },
  ]);
  t.like(vm.view("get_dataset", { dataset_id: "corpus@1.0" }), { status: "Submitted", withdrawn: false });
  assertRefused(t, vm, "ERR_DUPLICATE_VERSION", "submit_dataset", input, { from: ALICE, deposit: DEPOSIT });
  // a name belongs to its first submitter
  assertRefused(
    t,
    vm,
    "ERR_NOT_NAME_OWNER",
    "submit_dataset",
    { ...input, version: "2.0" },
    { from: BOB, deposit: DEPOSIT },
  );
});

test("admission by the DAO only, a manifest of admitted versions with the off-chain root, withdrawal taints it", (t) => {
  const vm = registry();
  const a = datasetInput("corpus", "1.0", CREATORS);
  const b = datasetInput("alpha", "0.1", [{ account_id: BOB, share_bps: 10000 }]);
  t.true(vm.call("submit_dataset", a, { from: ALICE, deposit: DEPOSIT }).ok);
  t.true(vm.call("submit_dataset", b, { from: BOB, deposit: DEPOSIT }).ok);
  const manifest = (ids: string[]) =>
    ["create_manifest", { name: "m1", dataset_ids: ids }, { from: ZED, deposit: DEPOSIT }] as const;
  assertRefused(t, vm, "ERR_DATASET_NOT_ADMITTED", ...manifest(["corpus@1.0"]));
  assertRefused(t, vm, "ERR_NOT_DAO", "admit_dataset", { dataset_id: "corpus@1.0" }, { from: ALICE });
  for (const id of ["corpus@1.0", "alpha@0.1"]) {
    const admitted = vm.call("admit_dataset", { dataset_id: id }, { from: DAO });
    t.deepEqual(
      admitted.events.map((e) => e.event),
      ["dataset_admitted"],
    );
  }
  assertRefused(t, vm, "ERR_EMPTY_MANIFEST", ...manifest([]));
  assertRefused(t, vm, "ERR_DUPLICATE_DATASET", ...manifest(["corpus@1.0", "corpus@1.0"]));
  assertRefused(t, vm, "ERR_UNKNOWN_DATASET", ...manifest(["corpus@9.9"]));

  const made = vm.call(...manifest(["corpus@1.0", "alpha@0.1"]));
  t.true(made.ok, made.error);
  const id = made.value as number;
  t.is(id, 1, "manifest ids start at 1");
  // the root is the documented rule: entries sorted by id, whatever order the caller gave
  const root = computeManifestRoot([
    { dataset_id: "corpus@1.0", content_sha256: a.content_sha256 },
    { dataset_id: "alpha@0.1", content_sha256: b.content_sha256 },
  ]);
  const stored = vm.view<{ root: string; entries: { dataset_id: string }[] }>("get_manifest", { manifest_id: id });
  t.is(stored.root, root);
  t.deepEqual(
    stored.entries.map((e) => e.dataset_id),
    ["alpha@0.1", "corpus@1.0"],
  );
  t.deepEqual(vm.view("check_manifest", { manifest_id: id }), {
    manifest_id: id,
    exists: true,
    root,
    dataset_ids: ["alpha@0.1", "corpus@1.0"],
    withdrawn: [],
    ok: true,
  });

  // any listed creator may withdraw; the manifest keeps its root and fails the check from then on
  assertRefused(t, vm, "ERR_NOT_CREATOR", "withdraw_dataset", { dataset_id: "corpus@1.0" }, { from: ZED });
  t.true(vm.call("withdraw_dataset", { dataset_id: "corpus@1.0", reason: "consent" }, { from: BOB }).ok);
  t.like(vm.view("check_manifest", { manifest_id: id }), { root, withdrawn: ["corpus@1.0"], ok: false });
  t.like(vm.view("check_manifest", { manifest_id: 7 }), { exists: false, root: null, ok: false });

  // only the model registry records a model's use of a manifest
  assertRefused(
    t,
    vm,
    "ERR_NOT_MODEL_REGISTRY",
    "record_model_use",
    { manifest_id: id, model_id: "lm@1" },
    { from: ZED },
  );
});
