// `account create <sub-account>`: a sub-account of the signer, its key saved in ~/.near-credentials as near-cli does.
import type { CliCommand } from "../command.ts";
import { str } from "../command.ts";
import { createSubAccount, formatNear, NEAR, parseNear } from "../context.ts";
import { accountLink } from "../units.ts";

export function register(program: CliCommand): void {
  const account = program.group("account", "accounts: a sub-account of the signer with its key");

  account
    .leaf("create <sub-account>", "a sub-account of the signer (local: of test.near); key in ~/.near-credentials")
    .option("--balance <NEAR>", "its initial balance (default 10)")
    .run(async ({ s, out, args, flags }) => {
      const chain = await s.chain();
      const parent = await s.signer();
      const balance = str(flags, "balance") ? parseNear(str(flags, "balance") as string, "--balance") : 10n * NEAR;
      const r = await createSubAccount(s.network, chain, parent, args[0] as string, balance);
      out.result(
        r,
        `created ${r.account_id} with ${formatNear(balance)}; key ${r.key_file}${accountLink(r.account_id)}`,
      );
    });
}
