// A FunctionCall proposal executed successfully: the DAO calls another contract (the toolchain's fixture) with a
// deposit from its treasury, and the callee's state and the DAO's balance show it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useWorker } from "../helpers/worker.ts";
import { DaoClient, deployDao, events, gasOf, NEAR, ROOT, TGAS, tgas } from "./fixture.ts";

const test = useWorker();

test.serial("a FunctionCall proposal calls another contract with a deposit from the treasury", async (t) => {
  const { root } = t.context;
  const [alice, bob, carol, outsider] = await Promise.all(
    ["alice", "bob", "carol", "outsider"].map((n) => root.createSubAccount(n)),
  );
  const fx = await root.createSubAccount("fx", { initialBalance: 10n * NEAR });
  await fx.deploy(readFileSync(join(ROOT, "build", "fixture.wasm")));
  const dao = await deployDao(root, "dao", {
    members: [alice, bob, carol].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
  });
  const c = new DaoClient(dao, t);
  const args = Buffer.from(JSON.stringify({})).toString("base64");
  const id = await c.pass(
    alice,
    {
      kind: "FunctionCall",
      receiver_id: fx.accountId,
      actions: [
        { method_name: "deposit", args, deposit: (2n * NEAR).toString(), gas: (30n * TGAS).toString() },
        {
          method_name: "set_greeting",
          args: Buffer.from('{"greeting":"hello from the dao"}').toString("base64"),
          deposit: "0",
          gas: (20n * TGAS).toString(),
        },
      ],
    },
    [alice, bob],
  );
  const before = BigInt((await dao.view<{ balance: string }>("get_treasury")).balance);
  const r = await c.execute(outsider, id);
  t.true(r.succeeded, r.receiptFailureMessages.join());
  t.log(`execute FunctionCall (2 actions, with callback): ${tgas(gasOf(r))}`);
  t.deepEqual(
    events(r).map((e) => e.event),
    ["proposal_executing", "proposal_executed"],
  );
  t.true(r.logs.includes("greeting set to hello from the dao"));
  const p = await c.proposal(id);
  t.is(p.status, "Executed");
  t.is(p.attempts, 1);
  // The callee recorded the deposit under the DAO's account and ran the second action.
  t.is(await fx.view("deposit_of", { account_id: dao.accountId }), (2n * NEAR).toString());
  t.is(await fx.view("get_greeting"), "hello from the dao");
  // The DAO paid exactly the deposit; the contract rewards for the gas it burnt come back to it (a few mNEAR).
  const after = BigInt((await dao.view<{ balance: string }>("get_treasury")).balance);
  t.true(before - after <= 2n * NEAR && before - after > 2n * NEAR - NEAR / 100n, `spent ${before - after}`);
  t.is((await dao.view<{ locked_bonds: string }>("get_treasury")).locked_bonds, "0");
});
