// Gas benchmark of the community DAO and factory on the local node (not an ava test):
//   npx tsx sandbox-tests/dao/gas.bench.ts [--members 10,100,1000]
// Prints the gas burnt by whole transactions (every receipt, as near-workspaces callRaw reports it): propose, vote,
// approving vote, execute, publish_code + create_community, and a vote / approving vote in DAOs of 10, 100 and 1,000 members.
// Goals (benchmark issue): vote <= 11 Tgas, propose <= 15 Tgas, and the vote flat in the number of members.
import "../helpers/env.ts";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import nearWorkspaces, { type NearAccount, type TransactionResult } from "near-workspaces";
import { basePolicy, BOND, DaoClient, daoWasm, deployDao, gasOf, NEAR, ROOT, TGAS } from "./fixture.ts";
import { codeInput, GLOBAL_BYTE_COST } from "../helpers/community.ts";

const { Worker } = nearWorkspaces;
// near-api-js prints every receipt's logs through its Logger (the CommonJS copy near-workspaces loads).
const { Logger } = createRequire(import.meta.url)("@near-js/utils") as {
  Logger: { overrideLogger(logger: undefined): void };
};
Logger.overrideLogger(undefined);
process.env.NEAR_WORKSPACES_NO_LOGS = "1";

const rows: [string, bigint][] = [];

function record(label: string, r: TransactionResult): void {
  if (r.failed) throw new Error(`${label} failed: ${r.receiptFailureMessages.join(" | ")}`);
  rows.push([label, gasOf(r)]);
  console.log(`${label.padEnd(44)} ${(Number(gasOf(r)) / 1e12).toFixed(2).padStart(7)} Tgas`);
}

// A stub DaoClient context: the bench has no ava ExecutionContext and DaoClient only stores it.
const noT = {} as ConstructorParameters<typeof DaoClient>[1];

async function lifecycle(root: NearAccount): Promise<void> {
  const [alice, bob, carol, dave, outsider] = await Promise.all(
    ["alice", "bob", "carol", "dave", "outsider"].map((n) => root.createSubAccount(n)),
  );
  const dao = await deployDao(root, "dao", {
    members: [alice, bob, carol].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
  });
  const c = new DaoClient(dao, noT);
  const kind = { kind: "AddMember", member_id: dave.accountId, role: "council" };
  const { id, result } = await c.propose(alice, kind);
  record("add_proposal (AddMember)", result);
  record("vote (not deciding)", await c.vote(alice, id, "Approve"));
  record("vote that approves (refunds the bond)", await c.vote(bob, id, "Approve"));
  record("execute AddMember", await c.execute(outsider, id));
  const { id: t } = await c.propose(alice, { kind: "Transfer", receiver_id: dave.accountId, amount: NEAR.toString() });
  await c.vote(alice, t, "Approve");
  await c.vote(bob, t, "Approve");
  await c.vote(carol, t, "Approve");
  record("execute Transfer (with callback)", await c.execute(outsider, t));
}

async function createCommunity(root: NearAccount): Promise<void> {
  // the factory keeps no wasm: a small balance; the owner (root) attaches the global deploy's burn
  const factory = await root.createSubAccount("commons", { initialBalance: 10n * NEAR });
  await factory.deploy(readFileSync(join(ROOT, "build", "community-factory.wasm")));
  await factory.call(factory, "init", { owner_id: root.accountId }, { gas: 100n * TGAS });
  const wasm = daoWasm();
  record(
    "publish_code (DAO wasm, global by hash)",
    await root.callRaw(factory, "publish_code", codeInput("community-dao", "1", wasm), {
      attachedDeposit: BigInt(wasm.length) * GLOBAL_BYTE_COST,
      gas: 300n * TGAS,
    }),
  );
  const required = await factory.view<{ accounts_total: string; gas: string }>("get_required_deposit");
  const r = await root.callRaw(
    factory,
    "create_community",
    {
      name: "acme",
      dao_args: {
        config: { name: "Acme", purpose: "bench", metadata: "" },
        members: [{ account_id: root.accountId, roles: ["council"] }],
      },
    },
    { attachedDeposit: BigInt(required.accounts_total) + NEAR, gas: BigInt(required.gas) },
  );
  record("create_community (reserve + DAO account)", r);
  const c = await factory.view<{ status: string }>("get_community", { name: "acme" });
  if (c.status !== "Ready") throw new Error(`create_community left acme ${c.status}`);
}

// A council of `size` members (two real voters, the rest placeholder ids); AddMember needs 2 approvals, Signals
// more than half, so the measured Signal vote never decides.
async function sized(root: NearAccount, size: number): Promise<void> {
  const alice = await root.createSubAccount(`alice${size}`);
  const bob = await root.createSubAccount(`bob${size}`);
  const policy = basePolicy();
  policy.roles[1].vote_policy.add_member = {
    weight_kind: "RoleWeight",
    quorum: 0,
    threshold: { kind: "Weight", weight: 2 },
  };
  const fake = (i: number) => `member-${i}.placeholder.near`;
  const founders = [alice.accountId, bob.accountId];
  for (let i = 0; founders.length < Math.min(size, 100); i++) founders.push(fake(i));
  const dao = await deployDao(root, `dao${size}`, {
    policy,
    members: founders.map((account_id) => ({ account_id, roles: ["council"] })),
    balance: 100n * NEAR,
  });
  const c = new DaoClient(dao, noT);
  let next = founders.length - 2;
  while (next + 2 < size) {
    const batch = [];
    for (let i = 0; i < 100 && next + 2 < size; i++) batch.push({ member_id: fake(next++), role: "council" });
    const id = await c.pass(alice, { kind: "AddMembers", members: batch }, [alice, bob]);
    const ex = await c.execute(alice, id);
    if (ex.failed || (await c.proposal(id)).status !== "Executed") throw new Error(`AddMembers ${id} failed`);
    if (batch.length === 100 && !rows.some(([l]) => l.startsWith("execute AddMembers"))) {
      record("execute AddMembers (100 members)", ex);
    }
  }
  const info = await dao.view<{ member_count: number }>("get_info");
  if (info.member_count !== size) throw new Error(`expected ${size} members, got ${info.member_count}`);
  const { id: sig } = await c.propose(alice, { kind: "Signal" }, { deposit: BOND });
  record(`vote with ${size} members`, await c.vote(bob, sig, "Approve"));
  const { id: add } = await c.propose(alice, { kind: "AddMember", member_id: `new.${dao.accountId}`, role: "council" });
  await c.vote(alice, add, "Approve");
  record(`approving vote with ${size} members`, await c.vote(bob, add, "Approve"));
}

const arg = process.argv.indexOf("--members");
const sizes = (arg > 0 ? process.argv[arg + 1] : "10,100,1000").split(",").map(Number);
console.log("Gas burnt by whole transactions (every receipt). Goals: vote <= 11 Tgas, propose <= 15 Tgas.");
const worker = await Worker.init({ rm: true });
try {
  const root = worker.rootAccount;
  await lifecycle(root);
  await createCommunity(root);
  for (const size of sizes) await sized(root, size);
} finally {
  await worker.tearDown();
}
