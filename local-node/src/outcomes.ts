// Transaction outcomes as the RPC returns them: the transaction view and outcome, receipts_outcome in
// pre-order DFS over receipt_ids, the final status (following SuccessReceiptId links), and ReceiptViews.
import type { ActionReceipt, BlockContext, OutcomeView } from "./runtime.ts";
import { actionView, type DecodedTx } from "./tx.ts";

/** What the signer was charged for a transaction when it was accepted. */
export type TxCharge = { gasBurnt: bigint; burntAmount: bigint; receiptGasPrice: bigint };

/** One transaction as stored and returned by `tx` / `EXPERIMENTAL_tx_status`. */
export interface TxRecord {
  hash: string;
  signerId: string;
  height: string;
  result: Record<string, unknown>;
  receipts: unknown[];
}

/** The stored outcome of one transaction: views, receipts_outcome in pre-order DFS, the final status. */
export function buildRecord(
  tx: DecodedTx,
  cost: TxCharge,
  first: BlockContext,
  rootId: string,
  outcomes: Map<string, OutcomeView>,
): TxRecord {
  const txOutcome: OutcomeView = {
    proof: [],
    block_hash: first.hash,
    id: tx.hashB58,
    outcome: {
      logs: [],
      receipt_ids: [rootId],
      gas_burnt: Number(cost.gasBurnt),
      tokens_burnt: cost.burntAmount.toString(),
      executor_id: tx.signerId,
      status: { SuccessReceiptId: rootId },
      metadata: { version: 1, gas_profile: null },
    },
  };
  const { ordered, status } = orderOutcomes(rootId, outcomes);
  return {
    hash: tx.hashB58,
    signerId: tx.signerId,
    height: `${first.height}`,
    result: {
      status,
      transaction: {
        signer_id: tx.signerId,
        public_key: tx.publicKey.text,
        nonce: Number(tx.nonce),
        receiver_id: tx.receiverId,
        actions: tx.actions.map(actionView),
        priority_fee: 0,
        signature: tx.signatureText,
        hash: tx.hashB58,
      },
      transaction_outcome: txOutcome,
      receipts_outcome: ordered,
    },
    receipts: [],
  };
}

/** receipts_outcome in pre-order DFS over receipt_ids from the root receipt (receipts without an outcome yet, such
 * as a yield still waiting, are left out with what hangs from them), and the final status, following
 * SuccessReceiptId links: "Started" while the receipt they lead to has not run. */
function orderOutcomes(
  rootId: string,
  outcomes: Map<string, OutcomeView>,
): { ordered: OutcomeView[]; status: unknown } {
  const ordered: OutcomeView[] = [];
  const visit = (id: string) => {
    const o = outcomes.get(id);
    if (!o) return;
    ordered.push(o);
    for (const c of o.outcome.receipt_ids) visit(c);
  };
  visit(rootId);
  let status: unknown = "Started";
  let looking = rootId;
  for (const o of ordered) {
    if (o.id !== looking) continue;
    const s = o.outcome.status;
    if (typeof s === "object" && "SuccessReceiptId" in s) looking = s.SuccessReceiptId;
    else {
      status = s;
      break;
    }
  }
  return { ordered, status };
}

/** A stored record with the outcomes of receipts that ran in a later request (a yield's callback and what it
 * started), in their place in the tree; the final status is computed again. */
export function extendRecord(record: TxRecord, added: OutcomeView[], addedViews: unknown[]): TxRecord {
  const result = record.result as { transaction_outcome: OutcomeView; receipts_outcome: OutcomeView[] };
  const outcomes = new Map(result.receipts_outcome.map((o) => [o.id, o]));
  for (const o of added) outcomes.set(o.id, o);
  const { ordered, status } = orderOutcomes(result.transaction_outcome.outcome.receipt_ids[0], outcomes);
  return {
    ...record,
    result: { ...record.result, status, receipts_outcome: ordered },
    receipts: [...record.receipts, ...addedViews],
  };
}

export function receiptView(r: ActionReceipt): unknown {
  return {
    predecessor_id: r.predecessorId,
    receiver_id: r.receiverId,
    receipt_id: r.id,
    receipt: {
      Action: {
        signer_id: r.signerId,
        signer_public_key: r.signerPk.text,
        gas_price: r.gasPrice.toString(),
        output_data_receivers: r.outputDataReceivers.map((d) => ({ data_id: d.dataId, receiver_id: d.receiverId })),
        input_data_ids: r.inputDataIds,
        actions: r.actions.map(actionView),
        is_promise_yield: r.isYield === true,
      },
    },
    priority: 0,
  };
}
