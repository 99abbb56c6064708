// The service's signer: the attester's key and its nonce counter, with whichever model answers. The model is passed
// per request (the follower may swap it between two requests); nonces keep increasing across models.
import { bytesToHex } from "@noble/hashes/utils";
import { type ReceiptSigner, signAttestation } from "../attester.ts";
import { checkSalt, checkText, newSalt, type SignedReceipt } from "../receipt.ts";
import type { InferenceModel } from "./models.ts";

export interface ServiceAnswer {
  output: string;
  /** hex: the user keeps it to open the commitments */
  salt: string;
  receipt: SignedReceipt;
}

export class ServiceSigner {
  constructor(
    readonly cfg: ReceiptSigner,
    private nonce: bigint,
    /** receipt timestamps, ns: the chain's clock */
    private readonly clock: () => bigint,
  ) {}

  nextNonce(): bigint {
    return this.nonce;
  }

  /** Checks the salt and input (ERR_SALT_LENGTH, ERR_INPUT_NOT_UNICODE) before the model runs or a nonce is used. */
  attest(model: InferenceModel, input: string, salt: Uint8Array = newSalt()): ServiceAnswer {
    checkSalt(salt);
    checkText(input);
    const output = model.infer(input);
    const receipt = signAttestation(
      this.cfg,
      { model_name: model.name, model_version: model.version, weights_sha256: model.weightsSha256 },
      { input, output, salt, nonce: this.nonce, timestamp: this.clock() },
    );
    this.nonce++;
    return { output, salt: bytesToHex(salt), receipt };
  }
}
