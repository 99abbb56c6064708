// What the service needs of the chain, through near-api-js: the verifier's views, its clock, and the submission of a
// batch whose transaction hash is known (and written to the outbox) before the transaction is sent.
import { sha256 } from "@noble/hashes/sha256";
import { type Account, actions, baseEncode, encodeTransaction, type JsonRpcProvider } from "near-api-js";
import { type ChallengeWindow, challengeWindowOf } from "../../../contracts/wire/receipt.ts";
import type { SignedReceipt } from "../receipt.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../../contracts/wire/receipt.ts";
import { MAX_BATCH, TGAS } from "../submit.ts";

export interface ActiveModel {
  model_name: string;
  model_version: string;
  weights_sha256: string;
}

export interface ChainReceipt {
  id: number;
  hash: string;
  nonce: string;
  accepted_at: string;
  status: "Accepted" | "Disputed" | "Voided" | string;
}

export interface BatchResult {
  tx_hash: string;
  receipt_ids: number[];
  /** block timestamp (ns) of the block that included the transaction */
  block_hash: string;
}

/** The relayer's balance (yoctoNEAR): what it can spend, i.e. not locked and not held for its storage. */
export interface RelayerBalance {
  available: bigint;
  total: bigint;
}

/** The verifier's receipts are read in pages of at most this many (its MAX_PAGE, contracts/shared/pagination.ts). */
export const RECEIPT_PAGE = 100;

/** The chain as the service sees it; a fake in unit tests. */
export interface ServiceChain {
  activeModel(): Promise<ActiveModel | null>;
  challengeWindow(): Promise<ChallengeWindow>;
  timeNs(): Promise<bigint>;
  receiptByNonce(attesterId: string, nonce: string): Promise<ChainReceipt | null>;
  /** The verifier's receipts with ids from..from+limit-1 (limit <= RECEIPT_PAGE), fewer past the last. */
  receiptsFrom(fromId: number, limit: number): Promise<ChainReceipt[]>;
  /** The relayer's balance; null when the service does not submit. */
  relayerBalance(): Promise<RelayerBalance | null>;
  /** What a batch of `receipts` can cost the relayer at most: the storage deposit and the prepaid gas at today's price. */
  batchCost(receipts: number): Promise<bigint>;
  /** Sends one submit_receipts transaction; `signed(txHash)` runs (and must persist) before it is sent. */
  submit(receipts: SignedReceipt[], signed: (txHash: string) => void): Promise<BatchResult>;
}

/** A failed call: the verifier's panic (`ERR_NONCE_USED: receipts[3]`) or the transport's error. */
export class SubmitError extends Error {
  constructor(
    message: string,
    /** the contract refused the batch (deterministic); false: the outcome is unknown (network, timeout) */
    readonly contract: boolean,
    readonly code: string | null,
    readonly index: number | null,
  ) {
    super(message);
  }
}

/** The gas attached to submit_receipts (the relayer pays for what is used; the rest is refunded). */
const SUBMIT_GAS = 300n * TGAS;

/** The relayer cannot pay: the transaction was refused before it ran (nothing happened on chain). */
export const RELAYER_BALANCE_CODE = "ERR_RELAYER_BALANCE";
const BALANCE_REFUSAL = /NotEnoughBalance|LackBalanceForState|NotEnoughAllowance/;

export function parseContractError(text: string): { code: string; index: number | null } | null {
  const m = /(ERR_[A-Z0-9_]+)(?::[^"\\]*?receipts\[(\d+)\])?/.exec(text);
  if (!m) return null;
  return { code: m[1], index: m[2] === undefined ? null : Number(m[2]) };
}

export class NearChain implements ServiceChain {
  constructor(
    private readonly provider: JsonRpcProvider,
    private readonly relayer: Account,
    private readonly verifierId: string,
  ) {}

  private view<T>(method: string, args: object = {}): Promise<T> {
    return this.provider.callFunction({
      contractId: this.verifierId,
      method,
      args: args as Record<string, unknown>,
    }) as Promise<T>;
  }

  async activeModel(): Promise<ActiveModel | null> {
    const m = await this.view<ActiveModel | null>("get_active_model");
    return m && { ...m, model_version: String(m.model_version) };
  }

  async challengeWindow(): Promise<ChallengeWindow> {
    return challengeWindowOf(await this.view<Parameters<typeof challengeWindowOf>[0]>("get_config"));
  }

  async timeNs(): Promise<bigint> {
    const b = (await this.provider.viewBlock({ finality: "optimistic" })) as unknown as {
      header: { timestamp_nanosec: string };
    };
    return BigInt(b.header.timestamp_nanosec);
  }

  receiptByNonce(attesterId: string, nonce: string): Promise<ChainReceipt | null> {
    return this.view<ChainReceipt | null>("get_receipt_by_nonce", { attester_id: attesterId, nonce });
  }

  receiptsFrom(fromId: number, limit: number): Promise<ChainReceipt[]> {
    return this.view<ChainReceipt[]>("get_receipts", { from_index: fromId, limit });
  }

  async relayerBalance(): Promise<RelayerBalance | null> {
    // near-api-js's own accounting: available = total - locked - what the account's storage holds
    const { balance } = await this.relayer.getState();
    return { available: balance.available, total: balance.total };
  }

  async batchCost(receipts: number): Promise<bigint> {
    const b = (await this.provider.viewBlock({ finality: "optimistic" })) as unknown as {
      header: { gas_price: string };
    };
    return RECEIPT_STORAGE_DEPOSIT * BigInt(receipts) + SUBMIT_GAS * BigInt(b.header.gas_price);
  }

  async submit(receipts: SignedReceipt[], signed: (txHash: string) => void): Promise<BatchResult> {
    if (receipts.length < 1 || receipts.length > MAX_BATCH) throw new Error(`batch of 1..${MAX_BATCH} receipts`);
    let tx: Awaited<ReturnType<Account["createSignedTransaction"]>>;
    try {
      tx = await this.relayer.createSignedTransaction({
        receiverId: this.verifierId,
        actions: [
          actions.functionCall(
            "submit_receipts",
            { receipts },
            SUBMIT_GAS,
            RECEIPT_STORAGE_DEPOSIT * BigInt(receipts.length),
          ),
        ],
      });
    } catch (e) {
      throw new SubmitError(`signing the transaction: ${(e as Error).message}`, false, null, null);
    }
    const txHash = baseEncode(sha256(encodeTransaction(tx.transaction)));
    signed(txHash);
    let outcome: Awaited<ReturnType<JsonRpcProvider["sendTransaction"]>>;
    try {
      outcome = await this.provider.sendTransactionUntil(tx, "EXECUTED_OPTIMISTIC");
    } catch (e) {
      const text = `${(e as Error).message} ${JSON.stringify(e, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`;
      const parsed = parseContractError(text);
      // an invalid (access key) nonce: the transaction was refused before anything ran; near-api-js caches nonces
      if (/nonce/i.test((e as Error).name ?? "") || /InvalidNonce/.test(text)) {
        const nm = (this.relayer as unknown as { nonceManager?: { invalidate(k: unknown): Promise<void> } })
          .nonceManager;
        await nm?.invalidate(tx.transaction.publicKey);
        throw new SubmitError(`transaction nonce: ${(e as Error).message}`, false, null, null);
      }
      if (BALANCE_REFUSAL.test(text)) {
        throw new SubmitError(`the relayer cannot pay: ${(e as Error).message}`, false, RELAYER_BALANCE_CODE, null);
      }
      throw new SubmitError((e as Error).message, parsed !== null, parsed?.code ?? null, parsed?.index ?? null);
    }
    const status = outcome.status as { SuccessValue?: string; Failure?: unknown };
    if (status && typeof status === "object" && "Failure" in status) {
      const text = JSON.stringify(status.Failure);
      const parsed = parseContractError(text);
      throw new SubmitError(text, true, parsed?.code ?? null, parsed?.index ?? null);
    }
    const ids =
      typeof status.SuccessValue === "string" && status.SuccessValue !== ""
        ? (JSON.parse(Buffer.from(status.SuccessValue, "base64").toString("utf8")) as number[])
        : [];
    return {
      tx_hash: outcome.transaction_outcome.id,
      receipt_ids: ids,
      block_hash: outcome.transaction_outcome.block_hash,
    };
  }
}
