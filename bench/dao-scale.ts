// Propose and vote gas in DAOs of 10 / 100 / 1,000 / 10,000 members holding as many proposals. The large states are
// written straight into the contract's storage with sandbox_patch_state: a DAO is initialised with three founders and
// one real proposal, then the placeholder founder's records (member record, slot, checkpoint) and the proposal's
// records (head, body) are copied under new keys, and STATE's counters (member_count, role_counts, last_proposal_id)
// are set to match, exactly the bytes the contract itself writes for them. The measured proposal is then created and
// voted on with real transactions, and the views are checked to see the patched members and proposals.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gasOf, must, NEAR, type NearAccount, ROOT, stateOf, TGAS, type Worker } from "./lib.ts";
import type { DaoScalePoint } from "./results.ts";

const HOUR_NS = 3600n * 10n ** 9n;
const PLACEHOLDER = (i: number) => `member-${i}.placeholder.near`;

function policy() {
  const ratio = { weight_kind: "RoleWeight", quorum: 0, threshold: { kind: "Ratio", numerator: 1, denominator: 2 } };
  return {
    v: 1,
    roles: [
      { name: "all", kind: "Everyone", permissions: ["*:propose", "*:execute"], vote_policy: {} },
      { name: "council", kind: "Group", permissions: ["*:propose", "*:vote", "*:remove"], vote_policy: {} },
    ],
    default_vote_policy: ratio,
    parameters: { proposal_bond: NEAR.toString(), proposal_period: (24n * HOUR_NS).toString(), timelock: "0" },
  };
}

function slotKey(slot: number): Buffer {
  const k = Buffer.alloc(6);
  k.write("mu", 0, "latin1");
  k.writeUInt32LE(slot, 2);
  return k;
}

type Data = { Data: { account_id: string; data_key: string; value: string } };

function record(account_id: string, key: Buffer | string, value: Buffer | string): Data {
  const k = typeof key === "string" ? Buffer.from(key) : key;
  const v = typeof value === "string" ? Buffer.from(value) : value;
  return { Data: { account_id, data_key: k.toString("base64"), value: v.toString("base64") } };
}

async function patch(worker: Worker, records: Data[]): Promise<void> {
  // several RPC requests for a large state (the node's request body limit is 10 MiB)
  for (let i = 0; i < records.length; i += 4000) {
    await worker.provider.patchStateRecords({ records: records.slice(i, i + 4000) });
  }
}

async function grow(worker: Worker, dao: NearAccount, n: number): Promise<void> {
  const id = dao.accountId;
  const state = new Map((await stateOf(worker, id)).map((r) => [r.key.toString("latin1"), r.value]));
  const get = (k: string): Buffer => {
    const v = state.get(k);
    if (!v) throw new Error(`no ${k} in the DAO's state`);
    return v;
  };
  const sample = PLACEHOLDER(0);
  const [recJson, sampleSlot] = JSON.parse(get(`mm${sample}`).toString()) as [string, number];
  const checkpoint = get(`c${sample}`);
  const head = JSON.parse(get("p0").toString()) as Record<string, unknown>;
  const body = JSON.parse(get("k0").toString()) as Record<string, unknown>;
  const records: Data[] = [];
  // members 3..n-1 in slots 3..n-1 (founders took 0..2)
  for (let i = 1; i <= n - 3; i++) {
    const account = PLACEHOLDER(i);
    const slot = sampleSlot + i;
    records.push(record(id, `mm${account}`, JSON.stringify([recJson, slot])));
    records.push(record(id, slotKey(slot), JSON.stringify(account)));
    records.push(record(id, `c${account}`, checkpoint));
  }
  for (let p = 1; p < n; p++) {
    records.push(record(id, `p${p}`, JSON.stringify("id" in head ? { ...head, id: p } : head)));
    records.push(record(id, `k${p}`, JSON.stringify("id" in body ? { ...body, id: p } : body)));
  }
  const st = JSON.parse(get("STATE").toString()) as {
    member_count: number;
    role_counts: Record<string, number>;
    last_proposal_id: number;
  };
  st.member_count = n;
  st.role_counts.council = n;
  st.last_proposal_id = n;
  records.push(record(id, "STATE", JSON.stringify(st)));
  await patch(worker, records);
  const info = await dao.view<{ member_count: number }>("get_info");
  const last = await dao.view<number>("get_last_proposal_id");
  const member = await dao.view<{ roles: string[] } | null>("get_member", { account_id: PLACEHOLDER(n - 3) });
  const proposal = await dao.view<{ id: number }>("get_proposal", { id: n - 1 });
  if (info.member_count !== n || last !== n || !member?.roles.includes("council") || proposal.id !== n - 1) {
    throw new Error(`patched DAO of ${n} does not read back: ${JSON.stringify({ info, last, member, proposal })}`);
  }
}

export async function daoScale(worker: Worker, sizes: number[]): Promise<DaoScalePoint[]> {
  const root = worker.rootAccount;
  const wasm = readFileSync(join(ROOT, "build", "community-dao.wasm"));
  const alice = await root.createSubAccount("scale-alice", { initialBalance: 100n * NEAR });
  const bob = await root.createSubAccount("scale-bob", { initialBalance: 100n * NEAR });
  const out: DaoScalePoint[] = [];
  for (const n of sizes) {
    const dao = await root.createSubAccount(`scale${n}`, { initialBalance: 50n * NEAR });
    await dao.deploy(wasm);
    const members = [alice.accountId, bob.accountId, PLACEHOLDER(0)].map((account_id) => ({
      account_id,
      roles: ["council"],
    }));
    await dao.call(
      dao,
      "init",
      { config: { name: `scale ${n}`, purpose: "bench", metadata: "" }, policy: policy(), members },
      { gas: 100n * TGAS },
    );
    const signal = { description: "bench signal", kind: { kind: "Signal" } };
    must(
      "first proposal",
      await alice.callRaw(dao, "add_proposal", signal, { attachedDeposit: NEAR, gas: 100n * TGAS }),
    );
    if (n > 3) await grow(worker, dao, n);
    const p = must(
      `propose with ${n}`,
      await alice.callRaw(dao, "add_proposal", signal, { attachedDeposit: NEAR, gas: 100n * TGAS }),
    );
    const pid = p.parseResult<number>();
    const v = must(
      `vote with ${n}`,
      await bob.callRaw(dao, "vote", { id: pid, choice: "Approve" }, { gas: 100n * TGAS }),
    );
    const status = (await dao.view<{ status: string }>("get_proposal", { id: pid })).status;
    if (status !== "InProgress") throw new Error(`the measured vote decided the proposal (${status})`);
    out.push({ n, propose: Number(gasOf(p)), vote: Number(gasOf(v)) });
  }
  return out;
}
