// Attesters come and go only by the community DAO's proposals: the real community DAO (build/community-dao.wasm)
// passes a FunctionCall proposal that attaches the bond from its treasury, and another that removes the attester;
// members calling the verifier directly are refused. The released bond returns to the treasury.
import { newKey } from "../../attester/src/receipt.ts";
import { DaoClient, deployDao } from "../dao/fixture.ts";
import { useWorker } from "../helpers/worker.ts";
import { assertPanics, ATTESTER_STORAGE, BOND, events, NEAR, SETTINGS, TGAS, verifierWasm } from "./fixture.ts";
import { b64json } from "../helpers/tx.ts";

const test = useWorker().serial;

function call(method: string, args: object, deposit = 0n) {
  return {
    method_name: method,
    args: b64json(args),
    deposit: deposit.toString(),
    gas: (30n * TGAS).toString(),
  };
}

test("AddAttester and RemoveAttester as DAO FunctionCall proposals; the bond comes from and returns to the treasury", async (t) => {
  const { root, worker } = t.context;
  const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((n) => root.createSubAccount(n)));
  const dao = await deployDao(root, "dao", {
    members: [alice, bob, carol].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
  });
  const verifier = await root.createSubAccount("verifier", { initialBalance: 20n * NEAR });
  await verifier.deploy(verifierWasm());
  await verifier.call(verifier, "init", {
    dao_id: dao.accountId,
    model_registry_id: "registry.test.near",
    settings: SETTINGS,
  });
  const c = new DaoClient(dao, t);
  const key = newKey();

  // a council member alone cannot add an attester
  const direct = await alice.callRaw(
    verifier,
    "add_attester",
    { attester_id: "att1.test.near", public_key: key.public_key },
    { attachedDeposit: BOND },
  );
  assertPanics(t, direct, "ERR_NOT_DAO");

  const treasury = async () => BigInt((await dao.view<{ balance: string }>("get_treasury")).balance);
  const before = await treasury();
  const add = await c.pass(
    alice,
    {
      kind: "FunctionCall",
      receiver_id: verifier.accountId,
      // the bond and the attester's storage: the verifier keeps the exact storage cost, returns the rest at once
      actions: [
        call(
          "add_attester",
          { attester_id: "att1.test.near", public_key: key.public_key, bond: BOND.toString() },
          BOND + ATTESTER_STORAGE,
        ),
      ],
    },
    [alice, bob],
  );
  const ex = await c.execute(carol, add);
  t.true(ex.succeeded, ex.receiptFailureMessages.join());
  t.is((await c.proposal(add)).status, "Executed");
  t.true(events(ex).some((e) => e.event === "attester_added"));
  t.like(await verifier.view<object>("get_attester", { attester_id: "att1.test.near" }), {
    status: "Active",
    bond: BOND.toString(),
    bond_owner: dao.accountId,
    public_key: key.public_key,
  });
  // bond + the attester's storage (plus the proposal's storage, which its proposer paid and the DAO keeps)
  const stored = BigInt(
    (events(ex).find((e) => e.event === "attester_added")?.data[0] as { storage_cost: string }).storage_cost,
  );
  t.true(stored > 0n && stored < ATTESTER_STORAGE, `storage ${stored}`);
  const spent = before - (await treasury()) + BigInt((await c.proposal(add)).storage_deposit ?? "0");
  t.true(spent <= BOND + stored && spent > BOND + stored - NEAR / 100n, `treasury spent ${spent}`);

  const rm = await c.pass(
    alice,
    {
      kind: "FunctionCall",
      receiver_id: verifier.accountId,
      actions: [call("remove_attester", { attester_id: "att1.test.near" })],
    },
    [alice, bob],
  );
  t.true((await c.execute(carol, rm)).succeeded);
  t.like(await verifier.view<object>("get_attester", { attester_id: "att1.test.near" }), { status: "Removed" });

  await worker.provider.fastForward(130);
  const mid = await treasury();
  const rel = await carol.callRaw(verifier, "release_bond", { attester_id: "att1.test.near" });
  t.true(rel.succeeded, rel.receiptFailureMessages.join());
  t.is((await treasury()) - mid, BOND);
});
