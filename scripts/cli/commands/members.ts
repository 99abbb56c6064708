// `members list|add|remove`: the DAO's members; add and remove are AddMember / RemoveMember proposals.
import type { CliCommand } from "../command.ts";
import { listMembers, propose } from "../dao.ts";
import { table } from "../output.ts";
import { proposedLine } from "./proposals.ts";

export function register(program: CliCommand): void {
  const members = program.group("members", "the community's members: list, and add or remove by proposal");

  members
    .leaf("list", "the members, their roles, voting power and delegation")
    .community()
    .run(async ({ s, out }) => {
      const dao = await s.dao();
      const list = await listMembers(await s.chain(), dao);
      const rows = list.map((m) => [
        m.account_id,
        m.roles.join(","),
        `power ${m.voting_power}`,
        m.delegate ? `delegates to ${m.delegate}${m.delegation_lapsed ? " (lapsed)" : ""}` : "",
      ]);
      out.result(list, [`${list.length} member(s) of ${dao}`, ...table(rows)]);
    });

  for (const [sub, what] of [
    ["add", "AddMember"],
    ["remove", "RemoveMember"],
  ]) {
    members
      .leaf(`${sub} <account>`, `propose ${what} (voted like any proposal)`)
      .community()
      .option("--role <role>", "the role (default council)")
      .option("--description <text>", "the proposal's description")
      .run(async ({ s, out, args, flags }) => {
        const chain = await s.chain();
        const dao = await s.dao();
        const p = await propose(chain, await s.signer(), dao, `${sub}-member`, { ...flags, member: args[0] }, out);
        out.result(p, proposedLine(p));
      });
  }
}
