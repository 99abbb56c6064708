// What a signed-in account does with its own place in a community, as the CLI's `delegate`, `undelegate` and
// `donate` do (scripts/cli/dao.ts): a member lends its vote to another member or takes it back (the checkpoints'
// storage paid from DELEGATION_DEPOSIT, the rest refunded at once); anyone gives NEAR to the treasury.
import { parseNearAmount } from "near-api-js";
import { type FormEvent, useState } from "react";
import type { Member } from "../../scripts/cli/dao-calls.ts";
import { DELEGATION_DEPOSIT, DELEGATION_GAS } from "../../scripts/cli/dao-calls.ts";
import { valueProblem } from "../../scripts/cli/checks.ts";
import * as units from "../../scripts/cli/units.ts";
import type { PageProps } from "./pages.tsx";
import { TextField, useLoad } from "./ui.tsx";

export function Membership({ chain, wallet, refresh, ask, dao }: PageProps & { dao: string }) {
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const account = wallet?.accountId ?? null;
  const me = useLoad(
    () => (account ? chain.view<Member | null>(dao, "get_member", { account_id: account }) : Promise.resolve(null)),
    [chain, dao, account, refresh],
    chain,
  );
  if (!wallet) return null;
  const delegate = (e: FormEvent) => {
    e.preventDefault();
    const why = valueProblem("account", to);
    setErrors(why ? { to: `must be ${why}` } : {});
    if (why) return;
    ask({
      what: `Delegate your vote to ${to}: from now on your voting power counts with theirs (you may take it back at any time).`,
      contractId: dao,
      methodName: "delegate",
      args: { delegate_id: to },
      gas: DELEGATION_GAS,
      deposit: DELEGATION_DEPOSIT,
    });
  };
  const undelegate = () =>
    ask({
      what: "Take your vote back: your voting power is your own again from now on.",
      contractId: dao,
      methodName: "undelegate",
      args: {},
      gas: DELEGATION_GAS,
      deposit: DELEGATION_DEPOSIT,
    });
  const donate = (e: FormEvent) => {
    e.preventDefault();
    const why = valueProblem("near", amount);
    setErrors(why ? { amount: `must be ${why}` } : {});
    if (why) return;
    const yocto = BigInt(parseNearAmount(amount as `${number}`) ?? "0");
    ask({
      what: `Give ${units.near(yocto)} to the community's treasury (a plain transfer: it becomes the DAO's to spend by vote).`,
      contractId: dao,
      methodName: "",
      args: {},
      gas: 0n,
      deposit: yocto,
      transfer: true,
    });
  };
  const member = me.data ?? null;
  return (
    <section className="membership" data-testid="membership">
      <h2>You</h2>
      {member ? (
        member.delegate ? (
          <p>
            You delegate your vote to <span className="mono">{member.delegate}</span>.{" "}
            <button type="button" onClick={undelegate}>
              Undelegate
            </button>
          </p>
        ) : (
          <form onSubmit={delegate} noValidate>
            <TextField
              label="Delegate your vote to a member"
              name="delegateTo"
              value={to}
              onChange={setTo}
              trim
              placeholder="bob.testnet"
            />
            {errors.to ? <div className="field-error">{errors.to}</div> : null}
            <button type="submit">Review the delegation</button>
          </form>
        )
      ) : (
        <p className="muted">You are not a member of this community.</p>
      )}
      <form onSubmit={donate} noValidate>
        <TextField
          label="Donate to the treasury (NEAR)"
          name="donation"
          value={amount}
          onChange={setAmount}
          trim
          placeholder="1.5"
        />
        {errors.amount ? <div className="field-error">{errors.amount}</div> : null}
        <button type="submit">Review the donation</button>
      </form>
    </section>
  );
}
