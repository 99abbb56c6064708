// The DAO's decisions: `propose <kind>` (one subcommand per kind, each with its own flags), `vote`, `execute`,
// `proposals list|show`, `delegate`, `undelegate` and `treasury`.
import type { CliCommand } from "../command.ts";
import { int, str } from "../command.ts";
import { formatNear } from "../context.ts";
import type { Proposal, Proposed, Vote } from "../dao.ts";
import {
  delegate,
  execute,
  getProposal,
  getTreasury,
  getVotes,
  listProposals,
  PROPOSAL_KINDS,
  propose,
  tgas,
  VOTE_CHOICES,
  vote,
} from "../dao.ts";
import { CliError } from "../errors.ts";
import { table } from "../output.ts";
import { chainTimeNs } from "../suite.ts";
import * as units from "../units.ts";

export const proposedLine = (p: Proposed) =>
  `proposal ${p.id} created on ${p.dao}: ${p.description} (bond ${formatNear(BigInt(p.bond))}, refunded when decided less the proposal's storage; ${units.txRef(p.tx_hash)})`;

// Each kind: its description and its flags ([flags, help], a leading "!" = required). dao.ts and suite.ts build the
// ProposalKind JSON from them (buildKind), by flag name.
const KINDS: Record<string, [string, [string, string][]]> = {
  "add-member": [
    "AddMember",
    [
      ["!--member <account>", "the account"],
      ["--role <role>", "the role (default council)"],
    ],
  ],
  "remove-member": [
    "RemoveMember",
    [
      ["!--member <account>", "the account"],
      ["--role <role>", "the role (default council)"],
    ],
  ],
  transfer: [
    "Transfer from the treasury",
    [
      ["!--to <account>", "the receiver"],
      ["!--amount <NEAR>", "the amount"],
      ["--memo <text>", "a memo"],
    ],
  ],
  "function-call": [
    "FunctionCall: one call by the DAO",
    [
      ["!--to <account>", "the contract"],
      ["!--method <name>", "the method"],
      ["--args <json>", "its arguments (default {})"],
      ["--deposit <NEAR>", "attached deposit (default 0)"],
      ["--gas <TGAS>", "the call's gas (default 50)"],
    ],
  ],
  signal: ["Signal: a text the members vote on", [["!--message <text>", "the text"]]],
  "change-config": [
    "ChangeConfig (what is not given is kept)",
    [
      ["--title <title>", "the name"],
      ["--purpose <purpose>", "the purpose"],
      ["--metadata <metadata>", "the metadata"],
    ],
  ],
  "change-policy": ["ChangePolicy: replace the policy", [["!--policy <json-file>", "the policy (JSON file)"]]],
  "update-parameters": [
    "ChangePolicyUpdateParameters",
    [
      ["--bond <NEAR>", "the proposal bond"],
      ["--period-hours <h>", "the voting period"],
      ["--timelock-hours <h>", "the timelock"],
    ],
  ],
  "upgrade-self": ["UpgradeSelf: the DAO to a stored blob", [["!--hash <sha256>", "the blob's sha256"]]],
  upgrade: [
    "UpgradeSuite (UpgradeSelf for community-dao): a contract to the factory's current code, stored in the DAO first",
    [
      ["!--contract <code>", "the code name (community-dao, dataset-registry, ...)"],
      ["--hash <sha256>", "a blob already stored (default: store the factory's code, the signer paying its storage)"],
    ],
  ],
  fork: [
    "Fork: members who disagree leave with their share (docs/fork.md)",
    [
      ["!--name <new>", "the fork community's name"],
      ["--receiver <account>", "who receives the share (default <new>.<factory>)"],
    ],
  ],
  "admit-dataset": [
    "AdmitDataset",
    [
      ["!--dataset <name@version>", "name@version"],
      ["--memo <text>", "a memo"],
    ],
  ],
  "reject-dataset": [
    "RejectDataset",
    [
      ["!--dataset <name@version>", "name@version"],
      ["--memo <text>", "a memo"],
    ],
  ],
  "retire-dataset": [
    "RetireDataset (it stays on record; no new manifest may use it)",
    [
      ["!--dataset <name@version>", "name@version"],
      ["--memo <text>", "a memo"],
    ],
  ],
  "deprecate-model": [
    "DeprecateModel (0.003 NEAR from the treasury for its history entry; execute attaches 120 Tgas)",
    [
      ["!--model <name@version>", "name@version"],
      ["--reason <text>", "why"],
    ],
  ],
  "remove-attester": [
    "RemoveAttester (its bond is released after the challenge window)",
    [["!--attester <account>", "the attester's account"]],
  ],
  "void-receipt": [
    "VoidReceipt (within its challenge window; --slash also takes the attester's bond)",
    [
      ["!--receipt <id>", "the verifier's receipt id"],
      ["--slash", "slash the attester's bond too"],
      ["--reason <text>", "why"],
    ],
  ],
  "dismiss-dispute": [
    "a FunctionCall to the verifier's dismiss_dispute: the receipt counts again, the challenger's bond goes to the treasury",
    [["!--receipt <id>", "the disputed receipt's id"]],
  ],
  "activate-model": [
    "ActivateModel (execute attaches 240 Tgas; the treasury pays its storage and lineage deposits, the rest comes back)",
    [["!--model <name@version>", "name@version"]],
  ],
  "add-attester": [
    "AddAttester (the bond comes from the treasury)",
    [
      ["!--attester <account>", "the attester's account"],
      ["!--public-key <hex|file>", "128 hex, or a key file from attester keygen"],
      ["--bond <NEAR>", "its bond (default 1)"],
    ],
  ],
  "set-reward-policy": ["SetRewardPolicy", [["!--policy <json|file>", "the reward policy"]]],
  "fund-pool": [
    "FundRewardPool from the treasury",
    [
      ["!--amount <NEAR>", "the amount"],
      ["--memo <text>", "a memo"],
    ],
  ],
  raw: ["any other kind, as JSON", [["!--kind <json>", "the ProposalKind JSON"]]],
};

export function register(program: CliCommand): void {
  const kinds = PROPOSAL_KINDS;
  const missing = kinds.filter((k) => !(k in KINDS));
  if (missing.length > 0) throw new Error(`proposal kinds without their flags in commands/proposals.ts: ${missing}`);
  const group = program.group("propose", "a proposal of a kind; attaches the policy's bond, prints its id");
  group.noun = "proposal kind";
  group.oneLine = `propose <kind> -c <community> [--description D] ...   kinds: ${kinds.join(", ")}`;
  for (const kind of kinds) {
    const [what, options] = KINDS[kind];
    const c = group.leaf(kind, what).community();
    for (const [flags, help] of options) {
      if (flags.startsWith("!")) c.requiredOption(flags.slice(1), help);
      else c.option(flags, help);
    }
    c.option("--description <text>", "the proposal's description (default: one built from the kind)").run(
      async ({ s, out, flags }) => {
        const chain = await s.chain();
        const dao = await s.dao();
        const p = await propose(chain, await s.signer(), dao, kind, flags, out);
        out.result(p, proposedLine(p));
      },
    );
  }

  program
    .leaf("vote <choice> <id>", `vote on a proposal: ${VOTE_CHOICES.join("|")} (remove marks it as spam)`)
    .community()
    .run(async ({ s, out, args }) => {
      const [choice, idText] = args as string[];
      if (!VOTE_CHOICES.includes(choice)) {
        throw new CliError("BAD_ARGS", `vote approve|reject|abstain|remove <id> (got ${choice})`);
      }
      const id = int(idText, "the proposal id");
      const chain = await s.chain();
      const r = await vote(chain, await s.signer(), await s.dao(), choice, id);
      out.result(r, `voted ${r.choice} on proposal ${id}: now ${r.status} (${units.txRef(r.tx_hash)})`);
    });

  program
    .leaf("execute <id>", "execute an approved (or failed) proposal")
    .community()
    .option("--gas <TGAS>", "gas (default 100 Tgas plus a function call's, 240 for an activation, 200 for an upgrade)")
    .run(async ({ s, out, args, flags }) => {
      const id = int(args[0], "the proposal id");
      const gas = str(flags, "gas");
      if (gas !== undefined) tgas(gas, "--gas");
      const chain = await s.chain();
      const r = await execute(chain, await s.signer(), await s.dao(), id, gas);
      out.result(r, `proposal ${id}: ${r.status} (${units.txRef(r.tx_hash)})`);
    });

  program
    .leaf("delegate <member>", "give your voting power to another member (undelegate to withdraw)")
    .community()
    .run(async ({ s, out, args }) => {
      const chain = await s.chain();
      const dao = await s.dao();
      const to = args[0] as string;
      const r = await delegate(chain, await s.signer(), dao, to);
      out.result(r, `${r.account_id} now delegates to ${to} (power ${r.delegate_power}; ${units.txRef(r.tx_hash)})`);
    });

  program
    .leaf("undelegate", "take your voting power back")
    .community()
    .run(async ({ s, out }) => {
      const chain = await s.chain();
      const dao = await s.dao();
      const r = await delegate(chain, await s.signer(), dao, null);
      out.result(r, `${r.account_id} undelegated (${units.txRef(r.tx_hash)})`);
    });

  const proposals = program.group("proposals", "the DAO's proposals: list, show");
  proposals
    .leaf("list", "every proposal, or those of one status")
    .community()
    .option("--status <status>", "InProgress, Approved, Rejected, Removed, Expired, Executed, Failed (any case)")
    .run(async ({ s, out, flags }) => {
      const dao = await s.dao();
      const list = await listProposals(await s.chain(), dao, str(flags, "status"));
      const rows = list.map((p) => [`#${p.id}`, p.kind.kind, p.status, p.proposer, p.description.slice(0, 60)]);
      out.result(list, [`${list.length} proposal(s) on ${dao}`, ...table(rows)]);
    });
  proposals
    .leaf("show <id>", "one proposal: kind, description, proposer and bond, who voted what, voting end, last error")
    .community()
    .run(async ({ s, out, args }) => {
      const id = int(args[0], "the proposal id");
      const chain = await s.chain();
      const dao = await s.dao();
      const p = await getProposal(chain, dao, id);
      const votes = await getVotes(chain, dao, id);
      out.result({ ...p, votes }, proposalLines(dao, p, votes, await chainTimeNs(chain)));
    });

  program
    .leaf("treasury", "balance, locked bonds, storage stake and what proposals may spend")
    .community()
    .run(async ({ s, out }) => {
      const dao = await s.dao();
      const t = await getTreasury(await s.chain(), dao);
      out.result({ dao, ...t }, [
        `treasury of ${dao}`,
        `  available:     ${formatNear(t.available)}`,
        `  balance:       ${formatNear(t.balance)}`,
        `  locked bonds:  ${formatNear(t.locked_bonds)}`,
        `  storage stake: ${formatNear(t.storage_stake)}`,
      ]);
    });
}

function tally(p: Proposal): string {
  return p.rules.map((r) => `${r.role} ${r.approve}/${r.total} yes, ${r.reject} no, ${r.abstain} abstain`).join("; ");
}

/** A vote's weight, by role, when it is not one vote in one role ("council 2, guardian 1"). */
function weightText(p: Proposal, v: Vote): string {
  const counted = v.weights.map((w, i) => [p.rules[i]?.role ?? `rule ${i}`, w] as const).filter(([, w]) => w > 0);
  return counted.length === 1 && counted[0][1] === 1 ? "" : `weight ${counted.map(([r, w]) => `${r} ${w}`).join(", ")}`;
}

function proposalLines(dao: string, p: Proposal, votes: Vote[], now: bigint): string[] {
  const lines = [
    `proposal ${p.id} on ${dao}: ${p.status}`,
    `  kind:        ${JSON.stringify(units.humanFields(p.kind))}`,
    `  description: ${p.description}`,
    `  proposer:    ${p.proposer} (bond ${formatNear(p.bond)})`,
    `  submitted:   ${units.when(p.submitted_at, now)}`,
    `  voting ends: ${units.when(p.voting_ends_at, now)}`,
  ];
  if (p.decided_at) {
    lines.push(`  decided:     ${units.when(p.decided_at, now)}`);
    if (BigInt(p.timelock) > 0n) {
      lines.push(
        `  executable:  ${units.when(BigInt(p.decided_at) + BigInt(p.timelock), now)} (timelock ${units.duration(p.timelock)})`,
      );
    }
  }
  lines.push(`  tally:       ${tally(p)}`);
  lines.push(
    `  votes (${votes.length}):${votes.length === 0 ? " none yet" : ""}`,
    ...table(votes.map((v) => [`    ${v.account_id}`, v.choice, weightText(p, v)])),
  );
  if (p.voters > votes.length) lines.push(`    (${p.voters - votes.length} more by accounts no longer members)`);
  if (p.last_error) lines.push(`  last error:  ${p.last_error}`);
  return lines;
}
