// Sends receipts to the verifier with near-api-js, one per call or in batches (submit_receipts is all-or-nothing:
// a bad receipt fails its whole batch with its ERR_ code and index, see docs/verifier.md).
import { Account, JsonRpcProvider, KeyPair, KeyPairSigner, type KeyPairString } from "near-api-js";
import type { SignedReceipt } from "./receipt.ts";
import { TGAS } from "../../contracts/wire/units.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";
export { TGAS } from "../../contracts/wire/units.ts";

export const MAX_BATCH = 64;

export interface NodeConfig {
  node_url: string;
  network_id?: string;
  account_id: string;
  // "ed25519:..." as in a NEAR credentials file
  private_key: string;
}

// `network_id` is kept in the config for the key's network (near-cli's folder); near-api-js 7 does not need it.
export async function connectAccount(cfg: NodeConfig): Promise<Account> {
  const signer = new KeyPairSigner(KeyPair.fromString(cfg.private_key as KeyPairString));
  return new Account(cfg.account_id, new JsonRpcProvider({ url: cfg.node_url }), signer);
}

export interface Submitted {
  receipt_ids: number[];
  tx_hash: string;
  gas_burnt: bigint;
}

function decodeResult(status: unknown): unknown {
  const s = status as { SuccessValue?: string };
  if (typeof s?.SuccessValue !== "string" || s.SuccessValue === "") return null;
  return JSON.parse(Buffer.from(s.SuccessValue, "base64").toString("utf8"));
}

// One transaction for up to MAX_BATCH receipts; near-api-js throws on a failed call (the message holds the ERR_).
export async function submitBatch(account: Account, verifierId: string, receipts: SignedReceipt[]): Promise<Submitted> {
  if (receipts.length < 1 || receipts.length > MAX_BATCH) throw new Error(`batch of 1..${MAX_BATCH} receipts`);
  const outcome = await account.callFunctionRaw({
    contractId: verifierId,
    methodName: "submit_receipts",
    args: { receipts },
    gas: 300n * TGAS,
    deposit: RECEIPT_STORAGE_DEPOSIT * BigInt(receipts.length),
  });
  let gas = BigInt(outcome.transaction_outcome.outcome.gas_burnt);
  for (const r of outcome.receipts_outcome) gas += BigInt(r.outcome.gas_burnt);
  return {
    receipt_ids: decodeResult(outcome.status) as number[],
    tx_hash: outcome.transaction_outcome.id,
    gas_burnt: gas,
  };
}

// Many receipts: consecutive batches of at most `batchSize`, in order.
export async function submitAll(
  account: Account,
  verifierId: string,
  receipts: SignedReceipt[],
  batchSize = 50,
): Promise<Submitted[]> {
  const out: Submitted[] = [];
  for (let i = 0; i < receipts.length; i += batchSize) {
    out.push(await submitBatch(account, verifierId, receipts.slice(i, i + batchSize)));
  }
  return out;
}
