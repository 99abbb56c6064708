// The receipt's canonical signing text (contracts/wire/receipt.ts), which the attester signs and the verifier
// rebuilds before checking a signature: the exact text, and the verifier's wasm (receipt_signing_text, in-process)
// giving the same for the same receipt.
import test from "ava";
import { canonicalReceipt, RECEIPT_DOMAIN, type UnsignedReceipt } from "../../contracts/wire/receipt.ts";
import { ContractVm } from "../helpers/vm.ts";
import { SETTINGS } from "../verifier/fixture.ts";

const VERIFIER = "verifier.test.near";
const R: UnsignedReceipt = {
  community: "dao.test.near",
  model_name: "intents",
  model_version: "1.0.0",
  weights_sha256: "ab".repeat(32),
  input_sha256: "11".repeat(32),
  output_sha256: "22".repeat(32),
  attester_id: "att.test.near",
  nonce: "42",
  timestamp: "1700000000000000000",
  enclave_measurement: null,
};

test("the text: domain, verifier, then the fields in order, one a line; no measurement is an empty last line", (t) => {
  t.is(RECEIPT_DOMAIN, "ai-commons-receipt-v2");
  const lines = [
    "ai-commons-receipt-v2",
    VERIFIER,
    "dao.test.near",
    "intents",
    "1.0.0",
    "ab".repeat(32),
    "11".repeat(32),
    "22".repeat(32),
    "att.test.near",
    "42",
    "1700000000000000000",
  ];
  t.is(canonicalReceipt(VERIFIER, R), `${lines.join("\n")}\n`);
  const { enclave_measurement: _, ...without } = R;
  t.is(canonicalReceipt(VERIFIER, without), `${lines.join("\n")}\n`);
  t.is(
    canonicalReceipt(VERIFIER, { ...R, enclave_measurement: "cd".repeat(32) }),
    `${lines.join("\n")}\n${"cd".repeat(32)}`,
  );
  // the verifier's id binds a signature to one deployment
  t.not(canonicalReceipt("other.test.near", R), canonicalReceipt(VERIFIER, R));
});

test("the verifier's wasm builds the same text", (t) => {
  const vm = new ContractVm({ code: "inference-verifier", accountId: VERIFIER });
  const init = vm.call(
    "init",
    { dao_id: "dao.test.near", model_registry_id: "registry.test.near", reward_pool_id: null, settings: SETTINGS },
    { from: VERIFIER },
  );
  t.true(init.ok, init.error);
  for (const r of [R, { ...R, enclave_measurement: "cd".repeat(32) }, { ...R, nonce: "18446744073709551615" }]) {
    t.is(vm.view<string>("receipt_signing_text", { receipt: r }), canonicalReceipt(VERIFIER, r));
  }
});
