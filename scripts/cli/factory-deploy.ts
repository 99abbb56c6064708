// Deploys or updates the community factory and the suite codes it publishes, from build/ (see build/manifest.json),
// on local (the CLI's local node), testnet or mainnet: `ai-commons factory deploy` (commands/factory.ts), also run by
// deploy/factory.ts. Each suite code is published once to the chain's global store by its hash (NEP-591, the owner
// pays the burn: 10^20 yocto a byte). Idempotent: code whose sha256 is already recorded is not sent again. Afterwards
// it verifies that the factory's on-chain code hash, every release record and the global code of each hash equal the
// sha256 in the manifest. A dry run contacts nothing and reports the accounts, code sizes, sha256, gas, burn and
// deposit estimates; mainnet needs `yes`. `name=entry` in `codes` publishes build/<entry>.wasm under the code name
// `name` (e.g. reward-pool=reward-pool-v2).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Account, baseEncode, KeyPair } from "near-api-js";
import {
  accountExists,
  allPages,
  assertNoKeyFile,
  type Chain,
  codeHashHex,
  connect,
  formatNear,
  LOCAL_ROOT,
  type NetworkId,
  NEAR,
  projectRoot,
  readConfig,
  saveKey,
  signer as signerOf,
  TGAS,
  view,
  writeConfig,
} from "./context.ts";
import { CliError } from "./errors.ts";
import { validatorKeyFile } from "./localnode.ts";
import type { Progress } from "./output.ts";
import { BYTE_COST, GLOBAL_BYTE_COST } from "../../contracts/wire/units.ts";
import { DEPLOY_SELF_GAS_PER_BYTE } from "../../contracts/wire/upgrade.ts";

export const FACTORY_CODE = "community-factory";
// The suite stored by default: every suite contract. Each takes its peers from the `suite` map the factory passes
// to its init (with dao_id and init_args[code]), so no per-code arguments are needed.
export const DEFAULT_CODES = [
  "community-dao",
  "dataset-registry",
  "model-registry",
  "inference-verifier",
  "reward-pool",
];
// Protocol 86 fees (gas): DeployContract per byte (wire/upgrade.ts) and base; publish_code was measured at
// ~217k gas per byte of code on the local node (81.9 Tgas for 377 KB: reading the input, the global deploy, the
// callback).
const DEPLOY_BASE = 2n * 184_765_750_000n;
const PUBLISH_PER_BYTE = 220_000_000n;
// The estimate plus half, and margin: the owner holds the attached gas at 10^9 yocto a gas until the refund.
const publishGas = (bytes: number) => (3n * BigInt(bytes) * PUBLISH_PER_BYTE) / 2n + 30n * TGAS;
const INIT_GAS = 50n * TGAS;

export interface ManifestEntry {
  name: string;
  file: string;
  bytes: number;
  sha256: string;
}

export function readManifest(root: string): ManifestEntry[] {
  const path = join(root, "build", "manifest.json");
  if (!existsSync(path)) throw new CliError("NO_BUILD", `${path} is missing: run node toolchain/build.mjs`);
  return (JSON.parse(readFileSync(path, "utf8")) as { contracts: ManifestEntry[] }).contracts;
}

/** The wasm of a built contract, checked against the manifest (a stale manifest would make verification lie). */
export function builtCode(
  root: string,
  manifest: ManifestEntry[],
  name: string,
): { entry: ManifestEntry; wasm: Buffer } {
  const entry = manifest.find((c) => c.name === name);
  if (!entry) {
    throw new CliError("NO_BUILD", `${name} is not in build/manifest.json: run node toolchain/build.mjs ${name}`);
  }
  const wasm = readFileSync(join(root, "build", entry.file));
  const sha = createHash("sha256").update(wasm).digest("hex");
  if (sha !== entry.sha256 || wasm.length !== entry.bytes) {
    throw new CliError("STALE_BUILD", `build/${entry.file} does not match build/manifest.json: rebuild ${name}`);
  }
  return { entry, wasm };
}

export interface DeployOptions {
  network: NetworkId;
  signer: string;
  factory: string;
  owner: string;
  codes: string[];
  version: string;
  initialBalance?: bigint;
  dryRun: boolean;
  yes: boolean;
  out: Progress;
}

export interface DeployReport {
  network: NetworkId;
  factory: string;
  owner: string;
  dry_run: boolean;
  actions: string[];
  factory_code: { bytes: number; sha256: string; deploy_gas_estimate: string; on_chain_sha256?: string | null };
  codes: {
    name: string;
    version: string;
    bytes: number;
    sha256: string;
    status: string;
    gas_estimate: string;
    burn: string;
  }[];
  deposit_estimate: string;
  verified?: boolean;
}

function plan(opts: DeployOptions, root: string) {
  const manifest = readManifest(root);
  const factory = builtCode(root, manifest, FACTORY_CODE);
  // `name=build-entry` stores another build under a suite code's name (a patched release of that contract); the
  // verification then checks the stored code against that build's manifest entry.
  const codes = opts.codes.map((spec) => {
    const [name, from = name] = spec.split("=");
    const built = builtCode(root, manifest, from);
    return { name, wasm: built.wasm, entry: { ...built.entry, name } };
  });
  // The factory account pays for its own code; 5 NEAR of headroom for its records (the codes live in the global store,
  // paid by the owner's burn).
  const storage = BigInt(factory.wasm.length) * BYTE_COST;
  const initialBalance = opts.initialBalance ?? storage + 5n * NEAR;
  return { factory, codes, initialBalance };
}

export function codeVersion(base: string, sha256: string): string {
  return `${base}-${sha256.slice(0, 8)}`;
}

export async function deployFactory(opts: DeployOptions): Promise<DeployReport> {
  const root = projectRoot();
  const p = plan(opts, root);
  const report: DeployReport = {
    network: opts.network,
    factory: opts.factory,
    owner: opts.owner,
    dry_run: opts.dryRun,
    actions: [],
    factory_code: {
      bytes: p.factory.wasm.length,
      sha256: p.factory.entry.sha256,
      deploy_gas_estimate: (BigInt(p.factory.wasm.length) * DEPLOY_SELF_GAS_PER_BYTE + DEPLOY_BASE).toString(),
    },
    codes: p.codes.map((c) => ({
      name: c.name,
      version: codeVersion(opts.version, c.entry.sha256),
      bytes: c.wasm.length,
      sha256: c.entry.sha256,
      status: "to publish",
      gas_estimate: (BigInt(c.wasm.length) * PUBLISH_PER_BYTE).toString(),
      burn: (BigInt(c.wasm.length) * GLOBAL_BYTE_COST).toString(),
    })),
    deposit_estimate: "0",
  };
  if (opts.dryRun) {
    // Offline on purpose: a dry run never contacts testnet or mainnet.
    if (opts.factory !== opts.signer) {
      report.actions.push(
        `create ${opts.factory} from ${opts.signer} with ${formatNear(p.initialBalance)} (skipped if it exists)`,
      );
      report.deposit_estimate = p.initialBalance.toString();
    }
    report.actions.push(`deploy ${FACTORY_CODE} to ${opts.factory} (skipped if the on-chain sha256 matches)`);
    report.actions.push(
      `init ${opts.factory} with owner_id ${opts.owner} (only when not initialized), ${INIT_GAS / TGAS} Tgas`,
    );
    for (const c of report.codes) {
      report.actions.push(
        `publish_code ${c.name} ${c.version} (${c.bytes} bytes to the global store, ` +
          `${publishGas(c.bytes) / TGAS} Tgas attached; the owner burns ${formatNear(BigInt(c.burn))})`,
      );
    }
    return report;
  }
  if (opts.network === "mainnet" && !opts.yes) {
    throw new CliError("NEEDS_YES", "a mainnet deploy needs --yes (run it with --dry-run first to see what is sent)");
  }
  const chain = connect(opts.network);
  const vkey = opts.network === "local" ? validatorKeyFile() : undefined;
  const signer = await signerOf(chain, opts.signer, vkey);
  const say = (line: string) => {
    report.actions.push(line);
    opts.out.progress(line);
  };

  // 1. The factory account: the signer itself, or a sub-account created (and its key saved) on first deploy.
  let factoryAccount: Account = signer;
  if (opts.factory !== opts.signer) {
    if (!(await accountExists(chain, opts.factory))) {
      // refused before sending: the new account's key could not be saved (no key lost)
      assertNoKeyFile(opts.network, opts.factory);
      const key = KeyPair.fromRandom("ed25519");
      await signer.createAccount({
        newAccountId: opts.factory,
        publicKey: key.getPublicKey(),
        nearToTransfer: p.initialBalance,
      });
      // a top-level account's create_account answers false (a successful transaction) when it did not create it
      if (!(await accountExists(chain, opts.factory))) {
        throw new CliError(
          "ACCOUNT_NOT_CREATED",
          `${opts.factory} was not created on ${opts.network}: see the transaction`,
        );
      }
      const file = await saveKey(opts.network, opts.factory, key);
      report.deposit_estimate = p.initialBalance.toString();
      say(`created ${opts.factory} with ${formatNear(p.initialBalance)} (key: ${file})`);
    }
    factoryAccount = await signerOf(chain, opts.factory, vkey);
  }

  // 2. Its code: deployed when the on-chain hash differs; initialized when it has no state yet.
  const onChain = await codeHashHex(chain, opts.factory);
  report.factory_code.on_chain_sha256 = onChain;
  if (onChain !== p.factory.entry.sha256) {
    await factoryAccount.deployContract(p.factory.wasm);
    say(`deployed ${FACTORY_CODE} (${p.factory.wasm.length} bytes, sha256 ${p.factory.entry.sha256})`);
  }
  let owner: string | null = null;
  try {
    owner = await view<string>(chain, opts.factory, "get_owner");
  } catch {
    await factoryAccount.callFunctionRaw({
      contractId: opts.factory,
      methodName: "init",
      args: { owner_id: opts.owner },
      gas: INIT_GAS,
    });
    owner = opts.owner;
    say(`initialized ${opts.factory} with owner ${owner}`);
  }
  report.owner = owner;

  // 3. The suite codes, published by the factory's owner.
  const ownerAccount = owner === opts.signer ? signer : await signerOf(chain, owner, vkey);
  for (const [i, c] of p.codes.entries()) {
    const info = await view<{ sha256: string; version: string } | null>(chain, opts.factory, "get_code_info", {
      name: c.name,
    });
    if (info?.sha256 === c.entry.sha256) {
      report.codes[i].status = `unchanged (${info.version})`;
      say(`${c.name}: already published (${info.version})`);
      continue;
    }
    const version = report.codes[i].version;
    const header = Buffer.from(`${JSON.stringify({ name: c.name, version })}\n`);
    const burn = BigInt(c.wasm.length) * GLOBAL_BYTE_COST;
    await ownerAccount.callFunctionRaw({
      contractId: opts.factory,
      methodName: "publish_code",
      args: Buffer.concat([header, c.wasm]),
      gas: publishGas(c.wasm.length),
      deposit: burn,
    });
    report.codes[i].status = info ? `updated from ${info.version}` : "published";
    say(`${c.name}: published ${version} (${c.wasm.length} bytes, ${formatNear(burn)} burnt)`);
  }

  // 4. Verification against the manifest.
  await verifyFactory(
    chain,
    opts.factory,
    p.factory.entry.sha256,
    p.codes.map((c) => c.entry),
  );
  report.verified = true;
  say(`verified: ${FACTORY_CODE} and ${p.codes.map((c) => c.name).join(", ")} match build/manifest.json`);

  const cfg = readConfig();
  cfg.factories = { ...cfg.factories, [opts.network]: opts.factory };
  writeConfig(cfg);
  return report;
}

export async function verifyFactory(chain: Chain, factory: string, factorySha: string, codes: ManifestEntry[]) {
  const onChain = await codeHashHex(chain, factory);
  if (onChain !== factorySha) {
    throw new CliError("VERIFY_FAILED", `${factory} runs code ${onChain}, the manifest says ${factorySha}`);
  }
  for (const c of codes) {
    const info = await view<{ sha256: string } | null>(chain, factory, "get_code_info", { name: c.name });
    // the code the global store holds under the recorded hash (NEP-591 view_global_contract_code)
    let actual = "none";
    if (info) {
      const r = (await chain.provider.query({
        request_type: "view_global_contract_code",
        finality: "optimistic",
        code_hash: baseEncode(Buffer.from(info.sha256, "hex")),
      } as never)) as unknown as { code_base64: string };
      actual = createHash("sha256").update(Buffer.from(r.code_base64, "base64")).digest("hex");
    }
    if (info?.sha256 !== c.sha256 || actual !== c.sha256) {
      throw new CliError(
        "VERIFY_FAILED",
        `${c.name} on ${factory}: record ${info?.sha256}, global code ${actual}, manifest ${c.sha256}`,
      );
    }
  }
}

/** The signer (local: test.near) and the factory (local: commons.test.near, elsewhere the signer) by default. */
export function defaultsFor(network: NetworkId, account: string | undefined, factory: string | undefined) {
  const signer = account ?? (network === "local" ? LOCAL_ROOT : undefined);
  if (!signer) throw new CliError("BAD_ARGS", `--account is required on ${network}`);
  return { signer, factory: factory ?? (network === "local" ? `commons.${LOCAL_ROOT}` : signer) };
}

export interface FactoryStatus {
  factory: string;
  owner: string;
  code_sha256: string | null;
  matches_build: boolean;
  codes: { name: string; version: string; sha256: string; bytes: number }[];
}

/** The factory's owner, its code hash against build/, and the codes it publishes. */
export async function factoryStatus(chain: Chain, factory: string): Promise<FactoryStatus> {
  const owner = await view<string>(chain, factory, "get_owner");
  const codes = await allPages<FactoryStatus["codes"][number]>(chain, factory, "get_codes");
  const hash = await codeHashHex(chain, factory);
  const built = readManifest(projectRoot()).find((c) => c.name === FACTORY_CODE)?.sha256;
  return { factory, owner, code_sha256: hash, matches_build: hash === built, codes };
}
