// `factory deploy|status`: the community factory and the suite codes it stores (logic in ../factory-deploy.ts; the
// same command is `npm run deploy:factory`, deploy/factory.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CliCommand } from "../command.ts";
import { str } from "../command.ts";
import { formatNear, parseNear, projectRoot } from "../context.ts";
import {
  type DeployReport,
  DEFAULT_CODES,
  defaultsFor,
  deployFactory,
  FACTORY_CODE,
  factoryStatus,
} from "../factory-deploy.ts";

export function reportLines(r: DeployReport): string[] {
  const lines = [
    `${r.dry_run ? "dry run: nothing sent. " : ""}network ${r.network}, factory ${r.factory}, owner ${r.owner}`,
    `${FACTORY_CODE}: ${r.factory_code.bytes} bytes, sha256 ${r.factory_code.sha256}, ` +
      `deploy ~${(Number(r.factory_code.deploy_gas_estimate) / 1e12).toFixed(1)} Tgas`,
    ...r.codes.map(
      (c) =>
        `  ${c.name} ${c.version}: ${c.bytes} bytes, sha256 ${c.sha256}, ` +
        `~${(Number(c.gas_estimate) / 1e12).toFixed(1)} Tgas, ${c.status}`,
    ),
  ];
  if (r.dry_run) lines.push("would send:", ...r.actions.map((a) => `  - ${a}`));
  if (BigInt(r.deposit_estimate) > 0n) lines.push(`deposit: ${formatNear(r.deposit_estimate)}`);
  if (r.verified) lines.push("verified: on-chain code hashes equal build/manifest.json");
  return lines;
}

export function register(program: CliCommand): void {
  const factory = program.group("factory", "the community factory and the suite codes it stores");

  factory
    .leaf("deploy", "deploy or update the factory and store the suite codes from build/, then verify them")
    .option(
      "--codes <a,b=entry>",
      `the codes to store (default ${DEFAULT_CODES.join(",")}); name=entry stores another build`,
    )
    .option("--owner <account>", "the factory's owner (default: the signer)")
    .option("--version <v>", "the stored codes' version prefix (default: package.json's)")
    .option("--initial-balance <NEAR>", "a new factory account's balance (default: its code storage + 5 NEAR)")
    .option("--dry-run", "contact nothing: print accounts, sizes, sha256, gas and deposit estimates")
    .option("--yes", "required on mainnet")
    .run(async ({ s, out, flags }) => {
      const { signer, factory } = defaultsFor(s.network, str(flags, "account"), s.factory() ?? undefined);
      const dryRun = flags["dry-run"] === true;
      if (!dryRun) await s.chain();
      const pkg = JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as { version: string };
      const codes = str(flags, "codes");
      const initial = str(flags, "initial-balance");
      const report = await deployFactory({
        network: s.network,
        signer,
        factory,
        owner: str(flags, "owner") ?? signer,
        codes: codes ? codes.split(",").filter(Boolean) : DEFAULT_CODES,
        version: str(flags, "version") ?? pkg.version,
        initialBalance: initial ? parseNear(initial, "--initial-balance") : undefined,
        dryRun,
        yes: flags.yes === true,
        out,
      });
      out.result(report, reportLines(report));
    });

  factory
    .leaf("status", "the factory's owner, code hash (compared with build/) and stored codes")
    .run(async ({ s, out }) => {
      const st = await factoryStatus(await s.chain(), s.requireFactory());
      out.result(st, [
        `factory ${st.factory} (owner ${st.owner}), code sha256 ${st.code_sha256} ${st.matches_build ? "(= build/)" : "(not build/)"}`,
        ...st.codes.map((c) => `  ${c.name} ${c.version}: ${c.bytes} bytes, sha256 ${c.sha256}`),
      ]);
    });
}
