// Every malformed or unauthorised receipt is refused with its stable ERR_ code and leaves the verifier's storage
// byte-for-byte unchanged (a full state dump is compared). Batches are all-or-nothing: one bad receipt refuses
// the whole batch, naming its index.
import type { ExecutionContext } from "ava";
import { newKey, type SignedReceipt, type UnsignedReceipt } from "../../attester/src/receipt.ts";
import { useWorker } from "../helpers/worker.ts";
import {
  activate,
  addAttester,
  assertPanics,
  chainNow,
  draft,
  highS,
  nextSeq,
  SEC,
  sign,
  stateDump,
  submit,
  TGAS,
  type World,
  world,
} from "./fixture.ts";

const test = useWorker().serial;

interface Setup {
  w: World;
  k1: ReturnType<typeof newKey>;
  k2: ReturnType<typeof newKey>;
  accepted: SignedReceipt;
}

let setup: Setup;

test.before(async (t) => {
  const { worker, root } = t.context;
  const w = await world(worker, root);
  const k1 = await addAttester(w, "att1.test.near");
  const k2 = await addAttester(w, "att2.test.near");
  await activate(w);
  const r = await w.dao.callRaw(w.verifier, "remove_attester", { attester_id: "att2.test.near" });
  if (r.failed) throw new Error(r.receiptFailureMessages.join());
  const accepted = sign(w, draft(w, "att1.test.near", await chainNow(worker)), k1);
  const ok = await submit(w, [accepted]);
  if (ok.failed) throw new Error(ok.receiptFailureMessages.join());
  setup = { w, k1, k2, accepted };
});

/** Submits, expects `code` (and `detail`), and checks that the contract's storage did not change. */
async function refused(
  t: ExecutionContext,
  receipts: unknown[],
  code: string,
  detail?: string,
  deposit?: bigint,
): Promise<void> {
  const { w } = setup;
  const before = await stateDump(w.worker, w.verifier.accountId);
  const r = await submit(w, receipts, deposit);
  assertPanics(t, r, code, detail);
  t.deepEqual(await stateDump(w.worker, w.verifier.accountId), before, "storage changed");
}

async function good(over: Partial<UnsignedReceipt> = {}): Promise<SignedReceipt> {
  const { w, k1 } = setup;
  return sign(w, draft(w, "att1.test.near", await chainNow(w.worker), over), k1);
}

const cases: [string, () => Promise<unknown[]>, string, string?][] = [
  // signatures
  [
    "forged signature: signed by a key that is not att1's",
    async () => [sign(setup.w, draft(setup.w, "att1.test.near", await chainNow(setup.w.worker)), newKey())],
    "ERR_BAD_SIGNATURE",
  ],
  [
    "output commitment changed after signing",
    async () => [{ ...(await good()), output_sha256: "11".repeat(32) }],
    "ERR_BAD_SIGNATURE",
  ],
  [
    "input commitment changed after signing",
    async () => [{ ...(await good()), input_sha256: "22".repeat(32) }],
    "ERR_BAD_SIGNATURE",
  ],
  ["nonce changed after signing", async () => [{ ...(await good()), nonce: "999999999" }], "ERR_BAD_SIGNATURE"],
  [
    "timestamp changed after signing",
    async () => {
      const g = await good();
      return [{ ...g, timestamp: (BigInt(g.timestamp) - 1n).toString() }];
    },
    "ERR_BAD_SIGNATURE",
  ],
  [
    "enclave measurement added after signing",
    async () => [{ ...(await good()), enclave_measurement: "33".repeat(32) }],
    "ERR_BAD_SIGNATURE",
  ],
  [
    "recovery id flipped",
    async () => {
      const g = await good();
      return [{ ...g, recovery_id: g.recovery_id ^ 1 }];
    },
    "ERR_BAD_SIGNATURE",
  ],
  ["high-s (malleated) signature", async () => [highS(await good())], "ERR_BAD_SIGNATURE"],
  [
    "signed for another verifier account",
    async () => [
      sign(setup.w, draft(setup.w, "att1.test.near", await chainNow(setup.w.worker)), setup.k1, "other.test.near"),
    ],
    "ERR_BAD_SIGNATURE",
  ],
  ["signature too short", async () => [{ ...(await good()), signature: "ab".repeat(63) }], "ERR_INVALID_SIGNATURE"],
  [
    "signature in upper case",
    async () => {
      const g = await good();
      return [{ ...g, signature: g.signature.toUpperCase() }];
    },
    "ERR_INVALID_SIGNATURE",
  ],
  ["signature not hex", async () => [{ ...(await good()), signature: "zz".repeat(64) }], "ERR_INVALID_SIGNATURE"],
  ["recovery id 2", async () => [{ ...(await good()), recovery_id: 2 }], "ERR_INVALID_SIGNATURE"],
  // attesters
  [
    "attester id never registered",
    async () => [sign(setup.w, draft(setup.w, "ghost.test.near", await chainNow(setup.w.worker)), setup.k1)],
    "ERR_UNKNOWN_ATTESTER",
  ],
  [
    "removed attester",
    async () => [sign(setup.w, draft(setup.w, "att2.test.near", await chainNow(setup.w.worker)), setup.k2)],
    "ERR_ATTESTER_REMOVED",
  ],
  // nonces
  ["replayed receipt (same nonce, same content)", async () => [setup.accepted], "ERR_NONCE_USED"],
  ["used nonce with new content", async () => [await good({ nonce: setup.accepted.nonce })], "ERR_NONCE_USED"],
  [
    "one nonce twice in a batch",
    async () => {
      const a = await good();
      return [a, await good({ nonce: a.nonce })];
    },
    "ERR_NONCE_USED",
    "receipts[1]",
  ],
  ["nonce with a leading zero", async () => [await good({ nonce: "0123" })], "ERR_INVALID_NONCE"],
  ["negative nonce", async () => [await good({ nonce: "-5" })], "ERR_INVALID_NONCE"],
  ["nonce above u64", async () => [await good({ nonce: "18446744073709551616" })], "ERR_INVALID_NONCE"],
  // model
  ["inactive model version", async () => [await good({ model_version: "2.0.0" })], "ERR_MODEL_NOT_ACTIVE"],
  ["unknown model", async () => [await good({ model_name: "other-model" })], "ERR_MODEL_NOT_ACTIVE"],
  ["model version as a number", async () => [{ ...(await good()), model_version: 1 }], "ERR_MODEL_NOT_ACTIVE"],
  ["wrong weights hash", async () => [await good({ weights_sha256: "cd".repeat(32) })], "ERR_WEIGHTS_MISMATCH"],
  // time
  [
    "timestamp older than the window",
    async () => [await good({ timestamp: ((await chainNow(setup.w.worker)) - 700n * SEC).toString() })],
    "ERR_TIMESTAMP_TOO_OLD",
  ],
  [
    "timestamp in the future beyond the skew",
    async () => [await good({ timestamp: ((await chainNow(setup.w.worker)) + 300n * SEC).toString() })],
    "ERR_TIMESTAMP_IN_FUTURE",
  ],
  ["timestamp not a number", async () => [await good({ timestamp: "12a" })], "ERR_INVALID_TIMESTAMP"],
  // hashes
  [
    "input hash of 63 chars",
    async () => [await good({ input_sha256: "a".repeat(63) })],
    "ERR_INVALID_HASH",
    "input_sha256",
  ],
  [
    "output hash in upper case",
    async () => [await good({ output_sha256: "AB".repeat(32) })],
    "ERR_INVALID_HASH",
    "output_sha256",
  ],
  ["input hash with a space", async () => [await good({ input_sha256: ` ${"a".repeat(63)}` })], "ERR_INVALID_HASH"],
  [
    "weights hash not hex",
    async () => [await good({ weights_sha256: "xy".repeat(32) })],
    "ERR_INVALID_HASH",
    "weights_sha256",
  ],
  [
    "enclave measurement malformed",
    async () => [await good({ enclave_measurement: "12" })],
    "ERR_INVALID_HASH",
    "enclave",
  ],
  // shape
  ["another community", async () => [await good({ community: "elsewhere.test.near" })], "ERR_WRONG_COMMUNITY"],
  ["receipt is null", async () => [null], "ERR_INVALID_RECEIPT"],
  ["empty batch", async () => [], "ERR_BATCH_SIZE"],
  [
    "batch of 65",
    async () => {
      const g = await good();
      return Array.from({ length: 65 }, () => g);
    },
    "ERR_BATCH_SIZE",
  ],
  [
    "batch of 5 with one forged receipt in the middle: nothing of it is recorded",
    async () => {
      const now = await chainNow(setup.w.worker);
      const list = [await good(), await good(), await good(), await good(), await good()];
      list[2] = sign(setup.w, draft(setup.w, "att1.test.near", now), newKey());
      return list;
    },
    "ERR_BAD_SIGNATURE",
    "receipts[2]",
  ],
  [
    "batch whose last receipt is for an inactive model",
    async () => [await good(), await good(), await good({ model_version: "7.0.0" })],
    "ERR_MODEL_NOT_ACTIVE",
    "receipts[2]",
  ],
];

for (const [name, make, code, detail] of cases) {
  test(`refused: ${name} -> ${code}`, async (t) => {
    await refused(t, await make(), code, detail);
  });
}

test("refused: no storage deposit -> ERR_STORAGE_DEPOSIT", async (t) => {
  await refused(t, [await good()], "ERR_STORAGE_DEPOSIT", undefined, 0n);
});

test("refused: no active model after the registry clears it -> ERR_NO_ACTIVE_MODEL", async (t) => {
  const { w } = setup;
  await w.registry.call(w.verifier, "clear_active_model", { seq: nextSeq() }, { gas: 30n * TGAS });
  try {
    await refused(t, [await good()], "ERR_NO_ACTIVE_MODEL");
  } finally {
    await activate(w);
  }
});

test("the good receipts of a refused batch are accepted when resubmitted alone", async (t) => {
  const { w } = setup;
  const list = [await good(), await good()];
  const bad = await submit(w, [list[0], { ...list[1], signature: "00".repeat(64) }]);
  assertPanics(t, bad, "ERR_BAD_SIGNATURE", "receipts[1]");
  const r = await submit(w, [list[0]]);
  t.true(r.succeeded, r.receiptFailureMessages.join());
  const stored = await w.verifier.view<{ status: string } | null>("get_receipt_by_nonce", {
    attester_id: "att1.test.near",
    nonce: list[0].nonce,
  });
  t.is(stored?.status, "Accepted");
  t.is(await w.verifier.view("get_receipt_by_nonce", { attester_id: "att1.test.near", nonce: list[1].nonce }), null);
});
