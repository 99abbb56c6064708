// Creating a community from the browser, as `ai-commons community create` does (scripts/cli/community.ts): the name,
// title, purpose, founding council, an optional policy and the suite contracts' settings (init_args) are checked with
// the CLI's own checks, the factory checks them again and quotes the price (get_required_deposit with the arguments), and create_community is sent with that
// deposit and gas. The progress page reads the factory's get_community (one step per contract) and offers what the CLI
// does with a community that is not Ready: resume_community (the creator retries failed accounts) or
// abandon_community (the creator takes back what is left of the deposit).
import { type FormEvent, useState } from "react";
import { COMMUNITY_FACTORY } from "../../contracts/wire/contracts.ts";
import { valueProblem } from "../../scripts/cli/checks.ts";
import * as units from "../../scripts/cli/units.ts";
import { type Problem, problemOf, type Tx } from "./chain.ts";
import type { PageProps } from "./pages.tsx";
import { ProblemBox, Show, useLoad } from "./ui.tsx";
import { ABANDON_GAS, type CommunityView, FOUNDER_ROLE } from "../../scripts/cli/community-calls.ts";

export type { CommunityView };

interface Quote {
  deposit: string | null;
  gas: string;
  contracts: { code: string }[];
}

/** The factory's quote for exactly these arguments; it refuses them as create_community would (ERR_NAME_TAKEN...). */
function quote(chain: PageProps["chain"], factory: string, args: Record<string, unknown>): Promise<Quote> {
  return chain.view<Quote>(factory, "get_required_deposit", args);
}

export function CreateCommunity({ chain, wallet, ask, go, factory }: PageProps & { factory: string }) {
  const [name, setName] = useState("");
  const [title, setTitle] = useState("");
  const [purpose, setPurpose] = useState("");
  const [members, setMembers] = useState("");
  const [policy, setPolicy] = useState("");
  const [initArgs, setInitArgs] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refused, setRefused] = useState<Problem | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setRefused(null);
    if (!wallet) return;
    // founders default to the signer, as the CLI's --members does
    const founders = members ? members.split(",").map((m) => m.trim()) : [wallet.accountId];
    const checks: [string, Parameters<typeof valueProblem>[0], string][] = [
      ["name", "communityName", name],
      ["title", "title", title || name],
      ["purpose", "purpose", purpose],
      ["members", "accounts", founders.join(",")],
    ];
    if (policy) checks.push(["policy", "json", policy]);
    if (initArgs) checks.push(["initArgs", "json", initArgs]);
    const bad: Record<string, string> = {};
    for (const [field, check, value] of checks) {
      const why = valueProblem(check, value);
      if (why) bad[field] = `must be ${why}`;
    }
    setErrors(bad);
    if (Object.keys(bad).length > 0) return;
    const daoArgs: Record<string, unknown> = {
      config: { name: title || name, purpose, metadata: "" },
      members: [...new Set(founders)].map((account_id) => ({ account_id, roles: [FOUNDER_ROLE] })),
    };
    if (policy) daoArgs.policy = JSON.parse(policy);
    // each suite contract's own settings, by its code, as the CLI's --init-args; the factory's quote checks them
    const args = { name, dao_args: daoArgs, ...(initArgs ? { init_args: JSON.parse(initArgs) } : {}) };
    try {
      const q = await quote(chain, factory, args);
      const tx: Tx = {
        what: `Create the community ${name} on ${factory}: ${q.contracts.length} contracts in one transaction, founded by ${founders.join(", ")}. The deposit is what the accounts start with and store; any excess is refunded.`,
        contractId: factory,
        methodName: "create_community",
        args,
        gas: BigInt(q.gas),
        deposit: BigInt(q.deposit ?? "0"),
        contract: COMMUNITY_FACTORY,
      };
      ask(tx, () => go(`/create/${name}`));
    } catch (err) {
      setRefused(problemOf(err, chain, COMMUNITY_FACTORY));
    }
  };

  const field = (f: string) => (errors[f] ? <div className="field-error">{errors[f]}</div> : null);
  const input = (label: string, f: string, value: string, set: (v: string) => void, placeholder: string) => (
    <>
      <label>
        {label}
        <input value={value} onChange={(e) => set(e.target.value)} placeholder={placeholder} name={f} />
      </label>
      {field(f)}
    </>
  );
  return (
    <section>
      <p>
        <a href="#/">‹ communities</a>
      </p>
      <h1>Create a community</h1>
      <p className="muted">
        On the factory <span className="mono">{factory}</span>: a DAO and its suite (registries, verifier, reward pool)
        in one transaction.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {input(`Name (its DAO is <name>.${factory})`, "name", name, (v) => setName(v.trim()), "acme")}
        {input("Title (optional: the name)", "title", title, setTitle, "Acme commons")}
        {input("Purpose (optional)", "purpose", purpose, setPurpose, "Own our model")}
        {input(
          `Founding council (comma-separated; optional: you)`,
          "members",
          members,
          (v) => setMembers(v.replace(/\s/g, "")),
          wallet?.accountId ?? "alice.testnet,bob.testnet",
        )}
        <label>
          Policy (optional JSON, as docs/guides/fork-policy.json; otherwise the DAO's default)
          <textarea value={policy} onChange={(e) => setPolicy(e.target.value)} name="policy" rows={3} />
        </label>
        {field("policy")}
        <label>
          Contract settings (optional JSON by suite code, as docs/guides/short-epochs.json: the verifier's settings, the
          reward pool's policy; otherwise their defaults)
          <textarea value={initArgs} onChange={(e) => setInitArgs(e.target.value)} name="initArgs" rows={3} />
        </label>
        {field("initArgs")}
        {refused ? <ProblemBox problem={refused} /> : null}
        <button type="submit" className="primary" disabled={!wallet}>
          {wallet ? "Review the transaction" : "Sign in to create a community"}
        </button>
      </form>
    </section>
  );
}

/** Each contract's step as the factory records it: Done with its version, else its status and last error. */
export function Steps({ c }: { c: CommunityView }) {
  return (
    <ol className="steps" data-testid="steps">
      {c.contracts.map((s) => (
        <li key={s.account_id}>
          <strong>{s.code}</strong> <span className={`status s-${s.status}`}>{s.status}</span>
          <div className="muted mono">{s.account_id}</div>
          {s.status === "Done" ? <div className="muted">version {s.version}</div> : null}
          {s.last_error ? (
            <div className="field-error">
              attempt {s.attempts}: {s.last_error}
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function CreationProgress({
  chain,
  wallet,
  refresh,
  ask,
  factory,
  name,
}: PageProps & { factory: string; name: string }) {
  // read again every two seconds while the factory's callbacks may still be marking the steps
  const [tick, setTick] = useState(0);
  const loaded = useLoad(
    async () => {
      const c = await chain.view<CommunityView | null>(factory, "get_community", { name });
      if (c?.contracts.some((s) => s.status === "InFlight")) setTimeout(() => setTick((n) => n + 1), 2000);
      return { c };
    },
    [chain, factory, name, refresh, tick],
    chain,
  );
  const resume = async () => {
    const q = await quote(chain, factory, {});
    ask({
      what: `Resume creating ${name}: send again every account that failed or was never sent (no deposit: the reservation's is used).`,
      contractId: factory,
      methodName: "resume_community",
      args: { name },
      gas: BigInt(q.gas),
      deposit: 0n,
      contract: COMMUNITY_FACTORY,
    });
  };
  const abandon = (c: CommunityView) =>
    ask({
      what: `Abandon ${name}: what is left of the deposit comes back to you; the name is released only if no account was made.`,
      contractId: factory,
      methodName: "abandon_community",
      args: { name },
      gas: ABANDON_GAS,
      deposit: 1n,
      contract: COMMUNITY_FACTORY,
      details: [["deposit left", units.near(c.deposit_left), "tx-deposit-left"]],
    });
  return (
    <section>
      <p>
        <a href="#/">‹ communities</a>
      </p>
      <h1>{name}</h1>
      <Show loaded={loaded}>
        {({ c }) => {
          if (!c) return <p>No community named {name} on the factory (abandoned, or never created).</p>;
          const done = c.contracts.filter((s) => s.status === "Done").length;
          const mine = wallet?.accountId === c.creator;
          return (
            <>
              <p>
                <span className={`status s-${c.status}`} data-testid="community-status">
                  {c.status}
                </span>
              </p>
              <p data-testid="progress">
                {done} of {c.contracts.length} contracts created · by <span className="mono">{c.creator}</span>
              </p>
              <Steps c={c} />
              {c.status === "Ready" ? (
                <p>
                  <a href={`#/c/${c.dao_id}`}>Open the community ›</a>
                </p>
              ) : null}
              {c.status === "Creating" ? (
                mine ? (
                  <div className="actions">
                    <button type="button" className="primary" onClick={() => void resume()}>
                      Resume
                    </button>
                    <button type="button" onClick={() => abandon(c)}>
                      Abandon
                    </button>
                  </div>
                ) : (
                  <p className="muted">Only its creator may resume failed accounts or abandon it.</p>
                )
              ) : null}
            </>
          );
        }}
      </Show>
    </section>
  );
}
