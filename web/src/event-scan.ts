// The events feed's chain reading: NEP-297 events of a community's contracts, found by scanning blocks back from the
// final one. NEAR's RPC has no history of an account, so a page of blocks is read as it is: `block` (its height, time
// and chunks), each new chunk (`chunk` by block and shard: its transactions), and for every transaction whose receiver
// is one of the community's contracts its outcome (`EXPERIMENTAL_tx_status`), whose receipts executed by those
// contracts carry the events in their logs (parsed by contracts/wire/event-log.ts, the sandbox tests' parser too).
// About 2 + T requests a block with T matching transactions: fine on the local node, slow on testnet and mainnet,
// where an indexer is the real answer (docs/web.md). Pure: the RPC is a function given by the caller (tested in
// sandbox-tests/unit/event-scan.test.ts without a node).
import type { ContractName } from "../../contracts/wire/contracts.ts";
import { contractOfStandard, type NepEvent, parseEventLog } from "../../contracts/wire/event-log.ts";
import type { EventData } from "../../contracts/wire/events.ts";
import * as units from "../../scripts/cli/units.ts";

/** One JSON-RPC call: `method` with `params`, the result or a thrown error. */
export type RpcCall = (method: string, params: Record<string, unknown>) => Promise<unknown>;

interface BlockView {
  header: { height: number; timestamp_nanosec: string; hash: string };
  chunks: { shard_id: number; height_included: number; chunk_hash: string }[];
}
interface ChunkView {
  transactions: { hash: string; signer_id: string; receiver_id: string }[];
}
interface TxStatus {
  receipts_outcome: { id: string; outcome: { executor_id: string; logs: string[]; status: unknown } }[];
}

/** One event of the feed, with where it was found. */
export interface FeedEvent {
  /** the block that included the transaction (its receipts may have run a block or two later) */
  height: number;
  /** that block's time, nanoseconds */
  timestamp: string;
  tx_hash: string;
  /** who signed the transaction */
  signer: string;
  /** the contract that logged it (its account) and its code name (by the event's standard) */
  contract_id: string;
  contract: ContractName;
  event: string;
  /** one entry of the event's `data` (an event with several entries gives several FeedEvents) */
  data: Record<string, unknown>;
  /** a key unique within the feed */
  key: string;
}

/** What one page of the scan read: blocks [from, to] and their events, newest first. */
export interface ScanPage {
  from: number;
  to: number;
  events: FeedEvent[];
  /** lines that had the EVENT_JSON: prefix but were no event, and blocks the node does not have (skipped heights) */
  unreadable: number;
  missing: number;
}

/** The final block's height, where a scan starts. */
export async function finalHeight(rpc: RpcCall): Promise<number> {
  return Number(((await rpc("block", { finality: "final" })) as BlockView).header.height);
}

/** A height the node has no block at (skipped, or garbage-collected): nearcore's UNKNOWN_BLOCK. */
function isUnknownBlock(e: unknown): boolean {
  const text = `${(e as { type?: string })?.type ?? ""} ${e instanceof Error ? e.message : JSON.stringify(e)}`;
  return /UNKNOWN_BLOCK|DB Not Found|not found|unknown block/i.test(text);
}

/** Runs `work` on each item with at most `limit` at once, results in the items' order; none started once `stop()`. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>, stop: () => boolean): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The events logged by `watched` contracts (account -> code name) in transactions included in blocks [from, to],
 * newest first: by block, then within a transaction the later receipt first and the later event first. `cancelled`
 * stops the scan between blocks (the page that asked is gone).
 */
export async function scanBlocks(
  rpc: RpcCall,
  watched: ReadonlyMap<string, ContractName>,
  from: number,
  to: number,
  opts: { concurrency?: number; cancelled?: () => boolean } = {},
): Promise<ScanPage> {
  const heights: number[] = [];
  for (let h = to; h >= Math.max(0, from); h--) heights.push(h);
  let unreadable = 0;
  let missing = 0;
  const perBlock = await pool(
    heights,
    opts.concurrency ?? 6,
    async (height) => {
      let block: BlockView;
      try {
        block = (await rpc("block", { block_id: height })) as BlockView;
      } catch (e) {
        if (isUnknownBlock(e)) {
          missing++;
          return [];
        }
        throw e;
      }
      const found: FeedEvent[] = [];
      // a shard without a new chunk at this height repeats an older one: read only chunks made in this block
      for (const c of block.chunks.filter((c) => Number(c.height_included) === height)) {
        const chunk = (await rpc("chunk", { block_id: height, shard_id: c.shard_id })) as ChunkView;
        for (const tx of chunk.transactions.filter((t) => watched.has(t.receiver_id))) {
          const status = (await rpc("EXPERIMENTAL_tx_status", {
            tx_hash: tx.hash,
            sender_account_id: tx.signer_id,
            wait_until: "EXECUTED_OPTIMISTIC",
          })) as TxStatus;
          for (const r of status.receipts_outcome ?? []) {
            const contract = watched.get(r.outcome.executor_id);
            if (!contract) continue;
            r.outcome.logs.forEach((line, li) => {
              let e: NepEvent | null;
              try {
                e = parseEventLog(line);
              } catch {
                unreadable++;
                return;
              }
              // only the contract's own standard: a log line in another's shape is not the community's event
              if (!e || contractOfStandard(e.standard) !== contract) return;
              e.data.forEach((data, di) => {
                found.push({
                  height,
                  timestamp: String(block.header.timestamp_nanosec),
                  tx_hash: tx.hash,
                  signer: tx.signer_id,
                  contract_id: r.outcome.executor_id,
                  contract,
                  event: e.event,
                  data,
                  key: `${tx.hash}:${r.id}:${li}:${di}`,
                });
              });
            });
          }
        }
      }
      return found.reverse();
    },
    opts.cancelled ?? (() => false),
  );
  // a cancelled scan (its page was left) stops reading blocks: what it returns then is incomplete, and unused
  return { from: Math.max(0, from), to, events: perBlock.flat().filter(Boolean), unreadable, missing };
}

/** The page of `blocks` blocks that ends just below `below` (the lowest height read so far), or null at genesis. */
export function nextRange(below: number, blocks: number): { from: number; to: number } | null {
  if (below <= 0) return null;
  return { from: Math.max(0, below - blocks), to: below - 1 };
}

type Of<C extends ContractName, E extends keyof EventData[C]> = EventData[C][E];

/** One event in words: who did what ("alice.test.near voted Approve on proposal #3"). Unlisted ones: name and fields. */
export function eventWords(e: Pick<FeedEvent, "contract" | "event" | "data">): string {
  const d = e.data as never;
  switch (`${e.contract}:${e.event}`) {
    case "community-dao:proposal_created": {
      const x: Of<"community-dao", "proposal_created"> = d;
      return `${x.proposer} proposed #${x.id} (${x.kind}${x.label && x.label !== x.kind ? `: ${x.label}` : ""}) with a bond of ${units.near(x.bond)}`;
    }
    case "community-dao:vote_cast": {
      const x: Of<"community-dao", "vote_cast"> = d;
      return `${x.account_id} voted ${x.choice} on proposal #${x.id}${x.changed_from ? ` (was ${x.changed_from})` : ""}`;
    }
    case "community-dao:proposal_approved":
    case "community-dao:proposal_rejected":
    case "community-dao:proposal_removed":
    case "community-dao:proposal_expired":
    case "community-dao:proposal_executing":
    case "community-dao:proposal_executed": {
      const x: Of<"community-dao", "proposal_approved"> = d;
      return `proposal #${x.id} ${e.event.slice("proposal_".length)}`;
    }
    case "community-dao:proposal_failed": {
      const x: Of<"community-dao", "proposal_failed"> = d;
      return `proposal #${x.id} failed at execution: ${x.error}`;
    }
    case "community-dao:bond_refunded": {
      const x: Of<"community-dao", "bond_refunded"> = d;
      return `${units.near(x.amount)} of proposal #${x.proposal_id}'s bond refunded to ${x.account_id}`;
    }
    case "community-dao:member_added": {
      const x: Of<"community-dao", "member_added"> = d;
      return `${x.member_id} joined the role ${x.role}`;
    }
    case "community-dao:member_removed": {
      const x: Of<"community-dao", "member_removed"> = d;
      return `${x.member_id} left${x.role ? ` the role ${x.role}` : ""} (${x.reason})`;
    }
    case "dataset-registry:dataset_submitted": {
      const x: Of<"dataset-registry", "dataset_submitted"> = d;
      return `${x.submitter} submitted the dataset ${x.dataset_id} (${x.license})`;
    }
    case "dataset-registry:dataset_admitted":
    case "dataset-registry:dataset_rejected": {
      const x: Of<"dataset-registry", "dataset_admitted"> = d;
      return `the dataset ${x.dataset_id} was ${e.event.slice("dataset_".length)}${x.memo ? ` (memo: ${x.memo})` : ""}`;
    }
    case "model-registry:model_registered": {
      const x: Of<"model-registry", "model_registered"> = d;
      return `${x.registrant} registered the model ${x.model_id}`;
    }
    case "model-registry:model_activated": {
      const x: Of<"model-registry", "model_activated"> = d;
      return `the model ${x.model_id} was activated${x.previous ? ` (was ${x.previous})` : ""}`;
    }
    case "inference-verifier:attester_added": {
      const x: Of<"inference-verifier", "attester_added"> = d;
      return `the attester ${x.attester_id} was added with a bond of ${units.near(x.bond)}`;
    }
    case "inference-verifier:receipts_accepted": {
      const x: Of<"inference-verifier", "receipts_accepted"> = d;
      return `receipt #${x.id} of ${x.attester_id} accepted (nonce ${x.nonce}, hash ${x.hash})`;
    }
    case "inference-verifier:receipt_voided": {
      const x: Of<"inference-verifier", "receipt_voided"> = d;
      return `receipt #${x.receipt_id} of ${x.attester_id} voided (${x.reason})`;
    }
    case "inference-verifier:dispute_opened": {
      const x: Of<"inference-verifier", "dispute_opened"> = d;
      return `${x.challenger} disputed receipt #${x.receipt_id} of ${x.attester_id} (bond ${units.near(x.bond)})`;
    }
    case "inference-verifier:usage_reported": {
      const x: Of<"inference-verifier", "usage_reported"> = d;
      return `epoch ${x.epoch}'s usage reported to ${x.reward_pool_id}: ${x.receipts} receipts over ${x.models} model(s)`;
    }
    case "inference-verifier:usage_report_sent": {
      const x: Of<"inference-verifier", "usage_report_sent"> = d;
      return `part ${x.part + 1} of ${x.parts} of epoch ${x.epoch}'s usage sent to ${x.reward_pool_id} (attempt ${x.attempt})`;
    }
    case "inference-verifier:usage_report_failed": {
      const x: Of<"inference-verifier", "usage_report_failed"> = d;
      return `part ${x.part + 1} of epoch ${x.epoch}'s usage did not reach ${x.reward_pool_id} (attempt ${x.attempt}): it stays due`;
    }
    case "reward-pool:usage_reported": {
      const x: Of<"reward-pool", "usage_reported"> = d;
      return `the pool recorded part ${x.part + 1} of ${x.parts} of epoch ${x.epoch}'s usage: ${x.receipts} receipts over ${x.models} model(s)${x.complete ? ", the report complete" : ""}`;
    }
    case "reward-pool:deposit": {
      const x: Of<"reward-pool", "deposit"> = d;
      return `${x.source} funded the reward pool with ${units.near(x.amount)}${x.memo ? ` (memo: ${x.memo})` : ""}`;
    }
    case "reward-pool:epoch_closed": {
      const x: Of<"reward-pool", "epoch_closed"> = d;
      return `epoch ${x.epoch} closed: ${units.near(x.distributed)} of ${units.near(x.budget)} allocated`;
    }
    case "reward-pool:claim_paid": {
      const x: Of<"reward-pool", "claim_paid"> = d;
      return `${units.near(x.amount)} paid to ${x.account_id}`;
    }
    default:
      return `${e.event.replaceAll("_", " ")}: ${JSON.stringify(units.humanFields(e.data))}`;
  }
}
