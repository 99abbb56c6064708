// `community create|status|abandon|list` on the factory, and on one community: `status` (the whole suite at a glance) and
// `donate` (a plain transfer to its treasury).
import type { CliCommand } from "../command.ts";
import { str } from "../command.ts";
import type { CodeStatus, CommunityStatus, CommunityView } from "../community.ts";
import { abandonCommunity, communityStatus, createCommunity, listCommunities } from "../community.ts";
import { formatNear, parseNear } from "../context.ts";
import { donate } from "../dao.ts";
import { table } from "../output.ts";
import * as suite from "../suite.ts";
import * as units from "../units.ts";

export function communityLines(c: CommunityView | CommunityStatus): string[] {
  const lines = [
    `community ${c.name}: ${c.status}`,
    `  DAO:      ${c.dao_id}${units.accountLink(c.dao_id)}`,
    `  creator:  ${c.creator}`,
    ...table(
      c.contracts.map((s) => [
        `  ${s.code}`,
        s.account_id,
        s.status,
        s.version ?? "-",
        s.sha256 ? s.sha256.slice(0, 16) : "-",
        s.last_error ?? "",
      ]),
    ),
  ];
  const { info, treasury, code } = c as CommunityStatus;
  if (info) lines.push(`  members:  ${info.member_count}`, `  proposals: ${info.last_proposal_id}`);
  if (treasury) lines.push(`  treasury: ${formatNear(treasury.available)} available`);
  const behind = (code ?? []).filter((s: CodeStatus) => !s.up_to_date && s.factory_version !== null);
  if (code && behind.length === 0) lines.push("  code:     every contract runs the factory's current code");
  for (const s of behind) {
    lines.push(
      `  code:     ${s.code} runs ${s.running_sha256?.slice(0, 16) ?? "no code"}; the factory holds ${s.factory_version} (${s.factory_sha256?.slice(0, 16)}): \`ai-commons propose upgrade --contract ${s.code} -c ${c.name}\``,
    );
  }
  return lines;
}

export function statusLines(s: Record<string, unknown>): string[] {
  const config = s.config as { name: string; purpose: string };
  const members = s.members as { account_id: string; roles: string[] }[];
  const treasury = s.treasury as { balance: string; available: string };
  const pool = s.pool as { deposited: string; unallocated: string; allocated: string; claimed: string } | undefined;
  const attesters = (s.attesters as { attester_id: string; status: string; bond: string }[] | undefined) ?? [];
  const lines = [
    `community ${config.name} (${s.dao})${config.purpose ? `: ${config.purpose}` : ""}`,
    `  members (${members.length}): ${members.map((m) => `${m.account_id} [${m.roles.join(",")}]`).join(", ")}`,
    `  treasury: ${formatNear(treasury.available)} available of ${formatNear(treasury.balance)}`,
    `  proposals: ${s.proposals}`,
    `  datasets: ${s.datasets ?? "-"}, models: ${s.model_count ?? "-"}, active model: ${s.active_model ?? "none"}${
      s.verifier_in_sync === false ? " (verifier not in sync)" : ""
    }`,
    `  attesters: ${attesters.map((a) => `${a.attester_id} ${a.status} bond ${formatNear(a.bond)}`).join(", ") || "none"}`,
  ];
  if (pool) {
    lines.push(
      `  reward pool: deposited ${formatNear(pool.deposited)}, unallocated ${formatNear(pool.unallocated)}, ` +
        `allocated ${formatNear(pool.allocated)}, claimed ${formatNear(pool.claimed)}`,
    );
  }
  if (s.current_epoch !== undefined) {
    lines.push(`  current ${units.epoch(s.current_epoch as number, s.epoch_length_ns as string | undefined)}`);
  }
  return lines;
}

export function register(program: CliCommand): void {
  const community = program.group("community", "communities on the factory: create (one transaction), status, list");

  community
    .leaf(
      "create <community-name>",
      "create the DAO and each suite contract on the factory's global codes, in one transaction",
    )
    .option("--title <title>", "the DAO's name (default: <name>)")
    .option("--purpose <purpose>", "the DAO's purpose")
    .option("--members <a,b>", "the founders, the council (default: the signer)")
    .option("--policy <json-file>", "the DAO's policy (JSON file; default: the council decides by majority)")
    .option("--deposit <NEAR>", "the deposit (default: get_required_deposit + 0.1 NEAR; the excess is refunded)")
    .option("--init-args <json|file>", "init arguments per suite code, e.g. the verifier's settings")
    .run(async ({ s, out, args, flags }) => {
      const chain = await s.chain();
      const initArgs = str(flags, "init-args");
      const c = await createCommunity(
        chain,
        await s.signer(),
        s.requireFactory(),
        {
          name: args[0] as string,
          title: flags.title as string | undefined,
          purpose: flags.purpose as string | undefined,
          members: (flags.members as string | undefined)?.split(",").filter(Boolean),
          policyFile: flags.policy as string | undefined,
          deposit: flags.deposit as string | undefined,
          initArgs: initArgs ? (suite.jsonArg(initArgs, "--init-args") as Record<string, unknown>) : undefined,
        },
        out,
      );
      out.result(c, communityLines(c));
    });

  community
    .leaf(
      "status <community-name>",
      "its steps, versions and sha256, members, proposals, treasury, and code behind the factory",
    )
    .run(async ({ s, out, args }) => {
      const c = await communityStatus(await s.chain(), s.requireFactory(), args[0] as string);
      out.result(c, communityLines(c));
    });

  community
    .leaf(
      "abandon <community-name>",
      "give up a community being created: its deposit back (creator only; accounts already made stay)",
    )
    .run(async ({ s, out, args }) => {
      const chain = await s.chain();
      const r = await abandonCommunity(chain, await s.signer(), s.requireFactory(), args[0] as string);
      out.result(
        r,
        r.released
          ? `abandoned ${r.name}: ${formatNear(r.refund)} refunded, the name is free again`
          : `abandoned ${r.name}: ${formatNear(r.refund)} refunded; its accounts already made stay (the name stays taken)`,
      );
    });

  community.leaf("list", "the communities on the factory").run(async ({ s, out }) => {
    const factory = s.requireFactory();
    const list = await listCommunities(await s.chain(), factory);
    out.result(list, [
      `${list.length} communit${list.length === 1 ? "y" : "ies"} on ${factory}`,
      ...list.map((c) => `  ${c.name}  ${c.status}  ${c.dao_id}`),
    ]);
  });

  program
    .leaf("status", "members, treasury, proposals, datasets, active model, attesters, pool, current epoch")
    .community()
    .run(async ({ s, out }) => {
      const st = await suite.status(await s.chain(), await s.dao());
      out.result(st, statusLines(st));
    });

  program
    .leaf("donate <NEAR>", "a plain transfer to the community's treasury")
    .community()
    .run(async ({ s, out, args }) => {
      const amount = parseNear(args[0] as string, "the amount");
      const chain = await s.chain();
      const dao = await s.dao();
      const signer = await s.signer();
      const r = await donate(chain, signer, dao, amount);
      out.result(
        r,
        `${signer.accountId} gave ${formatNear(amount)} to ${dao}; available treasury ${formatNear(r.available)} (${units.txRef(r.tx_hash)})`,
      );
    });
}
