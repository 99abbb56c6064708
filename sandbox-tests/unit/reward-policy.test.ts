// The reward policy check is applied twice: by the DAO when SetRewardPolicy is proposed and by the pool when the
// policy arrives (set_reward_policy). Run through both wasms in-process (helpers/vm.ts): each bad policy must be
// refused by both with the same "CODE: detail", except a policy that is not an object (each contract's own code),
// and a good one accepted by both.
import test from "ava";
import { BOND, basePolicy } from "../dao/fixture.ts";
import { NEAR } from "../helpers/tx.ts";
import { ContractVm } from "../helpers/vm.ts";
import { DAO, initPool, PoolVm } from "../rewards/vm-pool.ts";

const ALICE = "alice.test.near";
const GOOD = {
  model_bps: 6000,
  data_bps: 3000,
  parent_bps: 1000,
  attester_fee: "1000",
  epoch_length_ns: "60000000000",
  release_bps: 5000,
};

function dao(pool: string): ContractVm {
  const vm = new ContractVm({ code: "community-dao", accountId: DAO, balance: 30n * NEAR });
  const r = vm.call(
    "init",
    {
      config: { name: "acme", purpose: "", metadata: "" },
      policy: basePolicy(),
      members: [{ account_id: ALICE, roles: ["council"] }],
      suite: { "reward-pool": pool },
    },
    { from: DAO },
  );
  if (!r.ok) throw new Error(`init: ${r.error}`);
  return vm;
}

test("the DAO and the pool refuse the same bad policies with the same text", (t) => {
  const pool = new PoolVm();
  t.true(initPool(pool).ok);
  const d = dao(pool.accountId);
  const atDao = (policy: unknown) =>
    d.call(
      "add_proposal",
      { description: "p", kind: { kind: "SetRewardPolicy", policy } },
      { from: ALICE, deposit: BOND },
    );
  const atPool = (policy: unknown) => pool.call("set_reward_policy", { policy }, { from: DAO });
  const cases: [Record<string, unknown>, string][] = [
    [{ model_bps: 6001 }, "ERR_POLICY_SHARES: model + data + parent = 10001, must be 10000"],
    [{ model_bps: -1 }, "ERR_INVALID_BPS: model_bps"],
    [{ data_bps: 2.5 }, "ERR_INVALID_BPS: data_bps"],
    [{ parent_bps: "1000" }, "ERR_INVALID_BPS: parent_bps"],
    [{ attester_fee: "-1" }, "ERR_INVALID_AMOUNT: attester_fee"],
    [{ attester_fee: "5000000000000000000001" }, "ERR_ATTESTER_FEE_TOO_HIGH: at most 5000000000000000000000"],
    [{ epoch_length_ns: "0" }, "ERR_INVALID_EPOCH_LENGTH"],
    [{ release_bps: 0 }, "ERR_INVALID_BPS: release_bps"],
    [{ release_bps: 10001 }, "ERR_INVALID_BPS: release_bps"],
  ];
  for (const [over, text] of cases) {
    const policy = { ...GOOD, ...over };
    const expected = `Smart contract panicked: ${text}`;
    const before = [d.snapshot(), pool.snapshot()];
    t.is(atDao(policy).error, expected, `DAO ${JSON.stringify(over)}`);
    t.is(atPool(policy).error, expected, `pool ${JSON.stringify(over)}`);
    t.deepEqual([d.snapshot(), pool.snapshot()], before);
  }
  t.is(atDao([]).code, "ERR_INVALID_REWARD_POLICY");
  t.is(atPool([]).code, "ERR_INVALID_POLICY");

  // the good policy: proposed at the DAO, and stored by the pool as given
  t.true(atDao(GOOD).ok);
  const set = atPool(GOOD);
  t.true(set.ok, set.error);
  t.deepEqual(set.value, GOOD);
  // only the DAO sets it
  t.is(pool.call("set_reward_policy", { policy: GOOD }, { from: ALICE }).code, "ERR_NOT_DAO");
});
