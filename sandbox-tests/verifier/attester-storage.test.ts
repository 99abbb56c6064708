// An attester's storage on a factory-made community (global code, each account holding its state's storage and
// ~2 KB of headroom): the DAO's AddAttester attaches the bond plus ATTESTER_STORAGE_DEPOSIT, the verifier records
// exactly the bond, keeps exactly the storage the attester added and sends the rest back to the treasury at once; a
// FunctionCall without `bond` pays the storage out of its deposit; too little is ERR_DEPOSIT_TOO_LOW with nothing
// changed. After each, the verifier's balance covers bonds_total + dispute bonds + its storage, and what it has
// beyond that (its headroom) does not shrink: nobody's storage is paid from it (docs/verifier.md).
import { ATTESTER_STORAGE_DEPOSIT } from "../../contracts/wire/dao.ts";
import type { ExecutionContext } from "ava";
import type { TransactionResult } from "near-workspaces";
import { newKey } from "../../attester/src/receipt.ts";
import { DaoClient } from "../dao/fixture.ts";
import { createCommunity, DAO_CODE, deployFactory, NEAR, TGAS } from "../helpers/community.ts";
import { events, failureText, stateOf, total } from "../helpers/tx.ts";
import { useWorker } from "../helpers/worker.ts";
import { b64json } from "../helpers/tx.ts";

const test = useWorker().serial;
const BYTE = 10n ** 19n;

test("AddAttester on a factory community: bond exact, storage paid by the treasury, the verifier stays solvent", async (t) => {
  const { root } = t.context;
  const owner = await root.createSubAccount("owner", { initialBalance: 100n * NEAR });
  const alice = await root.createSubAccount("alice", { initialBalance: 100n * NEAR });
  const bob = await root.createSubAccount("bob", { initialBalance: 100n * NEAR });
  const factory = await deployFactory(root, owner);
  const ids = await createCommunity(factory, alice, "acme", [alice, bob]);
  const dao = root.getAccount(ids[DAO_CODE]);
  const verifier = root.getAccount(ids["inference-verifier"]);
  await alice.transfer(dao, 10n * NEAR);
  const c = new DaoClient(dao, t as unknown as ExecutionContext);

  // balance - (bonds + dispute bonds + storage): what the verifier holds beyond what it owes
  const free = async () => {
    const v = await verifier.accountView();
    const cfg = await verifier.view<{ bonds_total: string; dispute_bonds_total: string }>("get_config", {});
    const held = BigInt(cfg.bonds_total) + BigInt(cfg.dispute_bonds_total);
    return BigInt(v.amount) - BigInt(v.storage_usage) * BYTE - held;
  };
  const usage = async () => BigInt((await verifier.accountView()).storage_usage);
  const executed = async (kind: Record<string, unknown>): Promise<TransactionResult> => {
    const id = await c.pass(alice, kind, [alice, bob]);
    const r = await c.execute(alice, id);
    t.false(r.failed, failureText(r));
    return r;
  };
  const free0 = await free();
  t.true(free0 >= 0n, `a new verifier owes more than it holds: ${free0}`);
  const bondsOf = async () => BigInt((await verifier.view<{ bonds_total: string }>("get_config", {})).bonds_total);

  // 1. AddAttester: bond 1 NEAR + 0.01 NEAR for the storage
  const k1 = newKey();
  const [u1, v1, d1] = [await usage(), await total(verifier), await total(dao)];
  const r1 = await executed({
    kind: "AddAttester",
    attester_id: "att1.test.near",
    public_key: k1.public_key,
    bond: NEAR.toString(),
  });
  t.is(failureText(r1), "", "no receipt failed");
  const added = events(r1).find((e) => e.event === "attester_added")?.data[0] as { bond: string; storage_cost: string };
  t.is(added.bond, NEAR.toString());
  const cost1 = BigInt(added.storage_cost);
  const grown1 = (await usage()) - u1;
  t.is(cost1, grown1 * BYTE, "kept exactly the storage the attester added");
  t.true(cost1 > 0n && cost1 < ATTESTER_STORAGE_DEPOSIT, `storage ${cost1}`);
  t.like(await verifier.view("get_attester", { attester_id: "att1.test.near" }), {
    bond: NEAR.toString(),
    status: "Active",
  });
  t.is(await bondsOf(), NEAR);
  // the verifier gained the bond and the storage cost (and its gas reward), nothing of the margin
  const gained1 = (await total(verifier)) - v1;
  t.true(gained1 >= NEAR + cost1 && gained1 < NEAR + cost1 + NEAR / 1000n, `verifier gained ${gained1}`);
  // the treasury paid the bond and the storage: the margin came back (the DAO's balance also moves by the proposal's
  // bond and gas rewards, which the checks above do not depend on)
  t.true(d1 - (await total(dao)) < NEAR + ATTESTER_STORAGE_DEPOSIT, "the margin's excess came back to the DAO");
  const free1 = await free();
  t.true(free1 >= free0, `the verifier's headroom shrank: ${free0} -> ${free1}`);
  t.log(`attester record: +${grown1} bytes, ${cost1} yocto kept of ${ATTESTER_STORAGE_DEPOSIT}`);

  // 2. a FunctionCall with `bond` but no storage: ERR_DEPOSIT_TOO_LOW in the verifier, nothing changes there
  const k2 = newKey();
  const s2 = await stateOf(verifier);
  const bonds2 = await bondsOf();
  const low = await executed({
    kind: "FunctionCall",
    receiver_id: verifier.accountId,
    actions: [
      {
        method_name: "add_attester",
        args: b64json({ attester_id: "att2.test.near", public_key: k2.public_key, bond: NEAR.toString() }),
        deposit: NEAR.toString(),
        gas: (30n * TGAS).toString(),
      },
    ],
  });
  t.true(failureText(low).includes("ERR_DEPOSIT_TOO_LOW"), failureText(low));
  t.is(await stateOf(verifier), s2, "ERR_DEPOSIT_TOO_LOW: the verifier's state changed");
  t.is(await bondsOf(), bonds2);

  // 3. a FunctionCall without `bond` (as before AddAttester had it): the bond is the deposit minus the storage
  const attached = NEAR + ATTESTER_STORAGE_DEPOSIT;
  const u3 = await usage();
  const r3 = await executed({
    kind: "FunctionCall",
    receiver_id: verifier.accountId,
    actions: [
      {
        method_name: "add_attester",
        args: b64json({ attester_id: "att2.test.near", public_key: k2.public_key }),
        deposit: attached.toString(),
        gas: (30n * TGAS).toString(),
      },
    ],
  });
  t.is(failureText(r3), "", "no receipt failed");
  const added3 = events(r3).find((e) => e.event === "attester_added")?.data[0] as {
    bond: string;
    storage_cost: string;
  };
  const cost3 = BigInt(added3.storage_cost);
  t.is(BigInt(added3.bond) + cost3, attached);
  t.true(cost3 >= ((await usage()) - u3) * BYTE, "paid at least every byte added");
  t.is(await bondsOf(), NEAR + BigInt(added3.bond));

  // the invariant after all of it
  const free3 = await free();
  t.true(free3 >= free1, `the verifier's headroom shrank: ${free1} -> ${free3}`);
  const v = await verifier.accountView();
  t.true(BigInt(v.amount) >= BigInt(v.storage_usage) * BYTE + (await bondsOf()), "balance >= bonds + storage");
  t.log(`verifier: ${v.storage_usage} bytes, free ${free3} yocto beyond bonds and storage (was ${free0})`);
});
