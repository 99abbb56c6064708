// The attester: runs the model on a user's input and signs a receipt over salted commitments. The user gets back
// the salt and the output; the chain only ever sees the commitments.
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import type { Model, Prediction } from "./model.ts";
import { predict, weightsSha256 } from "./model.ts";
import type { AttesterKey, SignedReceipt } from "./receipt.ts";
import { checkSalt, checkText, commitInput, commitOutput, newSalt, SALT_BYTES, signReceipt } from "./receipt.ts";

export interface AttesterConfig {
  model: Model;
  model_name: string;
  model_version: string;
  key: AttesterKey;
  attester_id: string;
  community: string;
  verifier_id: string;
  enclave_measurement?: string | null;
  // first nonce to use; default: the current time in microseconds, so a restarted attester does not reuse nonces
  next_nonce?: bigint;
  // receipt timestamps in nanoseconds; default Date.now()
  clock?: () => bigint;
}

export interface Attestation {
  input: string;
  // hex; the user keeps it to open the commitments later
  salt: string;
  output: string;
  prediction: Prediction;
  receipt: SignedReceipt;
}

export class InferenceAttester {
  readonly weights_sha256: string;
  private nonce: bigint;
  private readonly clock: () => bigint;

  constructor(readonly cfg: AttesterConfig) {
    this.weights_sha256 = weightsSha256(cfg.model);
    this.nonce = cfg.next_nonce ?? BigInt(Date.now()) * 1000n;
    this.clock = cfg.clock ?? (() => BigInt(Date.now()) * 1000000n);
  }

  nextNonce(): bigint {
    return this.nonce;
  }

  // The salt and the input are checked before the model runs or a nonce is used (signAttestation says why).
  attest(input: string, salt: Uint8Array = newSalt()): Attestation {
    checkSalt(salt);
    checkText(input);
    const prediction = predict(this.cfg.model, input);
    const output = prediction.label;
    const receipt = signAttestation(
      this.cfg,
      { ...this.cfg, weights_sha256: this.weights_sha256 },
      { input, output, salt, nonce: this.nonce, timestamp: this.clock() },
    );
    this.nonce++;
    return { input, salt: bytesToHex(salt), output, prediction, receipt };
  }
}

/** Who signs: the attester's key and account, for one community's verifier. */
export type ReceiptSigner = Pick<
  AttesterConfig,
  "key" | "attester_id" | "community" | "verifier_id" | "enclave_measurement"
>;

// A caller-chosen salt must be exactly 32 bytes and the input well-formed UTF-16 (ERR_SALT_LENGTH,
// ERR_INPUT_NOT_UNICODE, thrown before anything is signed): otherwise one input commitment could have two
// openings, and two honest answers could be shown as an equivocation. Any model's answer is signed by this one
// function (the one-shot attester above, the service with its pluggable models: service/models.ts).
export function signAttestation(
  signer: ReceiptSigner,
  model: { model_name: string; model_version: string; weights_sha256: string },
  a: { input: string; output: string; salt: Uint8Array; nonce: bigint; timestamp: bigint },
): SignedReceipt {
  checkSalt(a.salt);
  checkText(a.input);
  return signReceipt(
    signer.verifier_id,
    {
      community: signer.community,
      model_name: model.model_name,
      model_version: model.model_version,
      weights_sha256: model.weights_sha256,
      input_sha256: commitInput(a.salt, a.input),
      output_sha256: commitOutput(a.salt, a.output),
      attester_id: signer.attester_id,
      nonce: a.nonce.toString(),
      timestamp: a.timestamp.toString(),
      enclave_measurement: signer.enclave_measurement ?? null,
    },
    signer.key.private_key,
  );
}

// Anyone holding the opened commitments checks them against an on-chain receipt. Only a 32-byte salt and
// well-formed text open a v2 commitment.
export function opens(
  a: { input: string; output: string; salt: string },
  r: { input_sha256: string; output_sha256: string },
) {
  if (typeof a.salt !== "string" || a.salt.length !== 2 * SALT_BYTES) return false;
  if (/[\uD800-\uDFFF]/u.test(a.input) || /[\uD800-\uDFFF]/u.test(a.output)) return false;
  const salt = hexToBytes(a.salt);
  return commitInput(salt, a.input) === r.input_sha256 && commitOutput(salt, a.output) === r.output_sha256;
}
