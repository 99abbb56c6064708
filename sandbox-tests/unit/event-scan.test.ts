// web/src/event-scan.ts: the events feed's block scan against a fake RPC (blocks, chunks, transaction outcomes), and
// contracts/wire/event-log.ts, the one EVENT_JSON parser (the sandbox tests' helpers/tx.ts eventsOf uses it too).
import test from "ava";
import type { ContractName } from "../../contracts/wire/contracts.ts";
import { contractOfStandard, eventsOfLogs, parseEventLog } from "../../contracts/wire/event-log.ts";
import { EVENT_STANDARDS } from "../../contracts/wire/events.ts";
import { eventWords, finalHeight, nextRange, type RpcCall, scanBlocks } from "../../web/src/event-scan.ts";
import { eventsOf } from "../helpers/tx.ts";

const DAO = "lab.commons.test.near";
const VERIFIER = "lab_inference-verifier.commons.test.near";
const POOL = "lab_reward-pool.commons.test.near";
const watched = new Map<string, ContractName>([
  [DAO, "community-dao"],
  [VERIFIER, "inference-verifier"],
  [POOL, "reward-pool"],
]);

const ev = (c: ContractName, event: string, data: object[]) =>
  `EVENT_JSON:${JSON.stringify({ ...EVENT_STANDARDS[c], event, data })}`;

interface FakeTx {
  hash: string;
  signer: string;
  receiver: string;
  receipts: { executor: string; logs: string[] }[];
}

/** A chain of blocks 10..20 (15 skipped, as after a fast-forward), 2 shards, and the calls the scan made. */
function fakeChain(txsAt: Record<number, FakeTx[]>) {
  const calls: string[] = [];
  const txs = new Map(Object.values(txsAt).flatMap((l) => l.map((t) => [t.hash, t] as const)));
  const rpc: RpcCall = async (method, p) => {
    calls.push(`${method} ${JSON.stringify(p)}`);
    if (method === "block") {
      const h = p.finality === "final" ? 20 : (p.block_id as number);
      if (h === 15 || h > 20 || h < 10) throw new Error("UNKNOWN_BLOCK: DB Not Found Error: BLOCK HEIGHT");
      // shard 1 makes a new chunk at even heights only: at odd heights it repeats the last one
      return {
        header: { height: h, timestamp_nanosec: String(BigInt(h) * 10n ** 9n), hash: `b${h}` },
        chunks: [
          { shard_id: 0, height_included: h, chunk_hash: `c${h}-0` },
          { shard_id: 1, height_included: h % 2 === 0 ? h : h - 1, chunk_hash: `c${h}-1` },
        ],
      };
    }
    if (method === "chunk") {
      const h = p.block_id as number;
      const list = (txsAt[h] ?? []).filter((_, i) => i % 2 === (p.shard_id as number));
      return {
        transactions: list.map((t) => ({ hash: t.hash, signer_id: t.signer, receiver_id: t.receiver })),
      };
    }
    if (method === "EXPERIMENTAL_tx_status") {
      const t = txs.get(p.tx_hash as string);
      if (!t || t.signer !== p.sender_account_id) throw new Error("UNKNOWN_TRANSACTION");
      return {
        receipts_outcome: t.receipts.map((r, i) => ({
          id: `${t.hash}-r${i}`,
          outcome: { executor_id: r.executor, logs: r.logs, status: { SuccessValue: "" } },
        })),
      };
    }
    throw new Error(`unexpected ${method}`);
  };
  return { rpc, calls };
}

test("the parser: events among logs in order, plain logs skipped, a malformed event line refused", (t) => {
  const logs = ["hello", ev("community-dao", "vote_cast", [{ id: 1 }]), ev("reward-pool", "deposit", [{ index: 0 }])];
  t.deepEqual(
    eventsOfLogs(logs).map((e) => e.event),
    ["vote_cast", "deposit"],
  );
  // the sandbox tests read events with the same parser
  t.deepEqual(eventsOf(logs), eventsOfLogs(logs));
  t.is(parseEventLog("plain log"), null);
  t.throws(() => parseEventLog("EVENT_JSON:{nope"));
  t.throws(() => parseEventLog('EVENT_JSON:{"standard":"x","version":"1","event":"e"}'), {
    message: /not a NEP-297 event/,
  });
  t.is(contractOfStandard("ai-commons-verifier"), "inference-verifier");
  t.is(contractOfStandard("nep171"), null);
});

test("a page of blocks: the community's events newest first, others' transactions and logs left out", async (t) => {
  const { rpc, calls } = fakeChain({
    11: [
      {
        hash: "tx-propose",
        signer: "alice.test.near",
        receiver: DAO,
        receipts: [
          {
            executor: DAO,
            logs: [
              "a plain log",
              ev("community-dao", "proposal_created", [
                { id: 0, proposer: "alice.test.near", kind: "AddMember", label: "AddMember", bond: "10", snapshot: 2 },
              ]),
            ],
          },
          // a refund receipt executed by the signer: not a suite contract
          { executor: "alice.test.near", logs: [] },
        ],
      },
      // not the community's
      {
        hash: "tx-other",
        signer: "bob.test.near",
        receiver: "other.test.near",
        receipts: [{ executor: "other.test.near", logs: [ev("community-dao", "vote_cast", [{ id: 9 }])] }],
      },
    ],
    16: [
      {
        hash: "tx-attest",
        signer: "relayer.test.near",
        receiver: VERIFIER,
        receipts: [
          {
            executor: VERIFIER,
            logs: [
              ev("inference-verifier", "receipts_accepted", [
                { id: 0, attester_id: "att.test.near", nonce: "1", hash: "aa" },
                { id: 1, attester_id: "att.test.near", nonce: "2", hash: "bb" },
              ]),
              // a log in the DAO's standard from the verifier is not the verifier's event
              ev("community-dao", "vote_cast", [{ id: 5 }]),
              "EVENT_JSON:{broken",
            ],
          },
        ],
      },
      {
        hash: "tx-vote",
        signer: "bob.test.near",
        receiver: DAO,
        receipts: [
          {
            executor: DAO,
            logs: [
              ev("community-dao", "vote_cast", [
                { id: 0, account_id: "bob.test.near", choice: "Approve", weights: [1], changed_from: null },
              ]),
            ],
          },
        ],
      },
    ],
    20: [
      {
        hash: "tx-report",
        signer: "relayer.test.near",
        receiver: VERIFIER,
        receipts: [
          { executor: VERIFIER, logs: [] },
          { executor: POOL, logs: [ev("reward-pool", "usage_reported", [{ epoch: 3, part: 0 }])] },
        ],
      },
    ],
  });
  t.is(await finalHeight(rpc), 20);
  const page = await scanBlocks(rpc, watched, 10, 20, { concurrency: 3 });
  t.like(page, { from: 10, to: 20, unreadable: 1, missing: 1 });
  t.deepEqual(
    page.events.map((e) => [e.height, e.tx_hash, e.contract, e.event, (e.data as { id?: number }).id ?? null]),
    [
      [20, "tx-report", "reward-pool", "usage_reported", null],
      // block 16: the vote (shard 1) after the receipts (shard 0), and the later receipt entry first
      [16, "tx-vote", "community-dao", "vote_cast", 0],
      [16, "tx-attest", "inference-verifier", "receipts_accepted", 1],
      [16, "tx-attest", "inference-verifier", "receipts_accepted", 0],
      [11, "tx-propose", "community-dao", "proposal_created", 0],
    ],
  );
  t.like(page.events[4], { signer: "alice.test.near", contract_id: DAO, timestamp: "11000000000" });
  t.is(new Set(page.events.map((e) => e.key)).size, page.events.length);
  // no outcome read for a transaction to another account; a repeated chunk (shard 1 at odd heights) not read again
  t.false(calls.some((c) => c.includes("tx-other")));
  t.false(calls.some((c) => c.startsWith("chunk") && /"block_id":11,"shard_id":1/.test(c)));
  t.true(calls.some((c) => c.startsWith("chunk") && /"block_id":16,"shard_id":1/.test(c)));
});

test("paging back: the next range below the lowest block read, none below genesis; other errors are thrown", async (t) => {
  t.deepEqual(nextRange(100, 25), { from: 75, to: 99 });
  t.deepEqual(nextRange(10, 25), { from: 0, to: 9 });
  t.is(nextRange(0, 25), null);
  const failing: RpcCall = async () => {
    throw new Error("NETWORK: cannot reach the node");
  };
  await t.throwsAsync(() => scanBlocks(failing, watched, 1, 2), { message: /NETWORK/ });
  // a cancelled scan reads no more blocks
  const { rpc, calls } = fakeChain({});
  let reads = 0;
  await scanBlocks(rpc, watched, 10, 20, { concurrency: 1, cancelled: () => ++reads > 3 });
  t.is(calls.filter((c) => c.startsWith("block")).length, 3);
});

test("events in words: who did what", (t) => {
  t.is(
    eventWords({
      contract: "community-dao",
      event: "vote_cast",
      data: { id: 3, account_id: "bob.test.near", choice: "Approve", weights: [1], changed_from: null },
    }),
    "bob.test.near voted Approve on proposal #3",
  );
  t.is(
    eventWords({
      contract: "community-dao",
      event: "proposal_created",
      data: {
        id: 0,
        proposer: "alice.test.near",
        kind: "AddMember",
        label: "AddMember",
        bond: "1000000000000000000000000",
      },
    }),
    "alice.test.near proposed #0 (AddMember) with a bond of 1 NEAR",
  );
  t.is(
    eventWords({
      contract: "inference-verifier",
      event: "receipt_voided",
      data: { receipt_id: 2, attester_id: "att.test.near", reason: "vote" },
    }),
    "receipt #2 of att.test.near voided (vote)",
  );
  // one name, two contracts: the pool's usage_reported is one part recorded, the verifier's the whole report sent
  t.is(
    eventWords({
      contract: "reward-pool",
      event: "usage_reported",
      data: { epoch: 7, part: 0, parts: 1, complete: true, receipts: 3, models: 1 },
    }),
    "the pool recorded part 1 of 1 of epoch 7's usage: 3 receipts over 1 model(s), the report complete",
  );
  t.is(
    eventWords({
      contract: "inference-verifier",
      event: "usage_reported",
      data: { epoch: 7, models: 1, receipts: 3, parts: 1, reward_pool_id: "pool.test.near" },
    }),
    "epoch 7's usage reported to pool.test.near: 3 receipts over 1 model(s)",
  );
  t.is(
    eventWords({ contract: "reward-pool", event: "policy_set", data: { policy_version: 2 } }),
    'policy set: {"policy_version":2}',
  );
});
