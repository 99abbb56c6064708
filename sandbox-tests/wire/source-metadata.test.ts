// NEP-330 on the local node: each suite contract's compiled wasm answers `contract_source_metadata` (before `init`,
// as an explorer would call it on any account running the code) with the package version, its standards and the
// build facts the toolchain stamped into it, and those facts are what the files give now (docs/source-metadata.md).
import crypto from "node:crypto";
import { readFileSync, statSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { SHARED_BUILD_INPUTS, sourceClosure, stampOf } from "../../toolchain/build.mjs";
import { CONTRACTS, type ContractName } from "../../contracts/wire/contracts.ts";
import { EVENT_STANDARDS } from "../../contracts/wire/events.ts";
import { CONTRACT_STANDARDS, type ContractSourceMetadata } from "../../contracts/wire/source-metadata.ts";
import { NEAR, ROOT } from "../helpers/tx.ts";
import { useWorker } from "../helpers/worker.ts";

const test = useWorker();

const sha256 = (data: Buffer | string) => crypto.createHash("sha256").update(data).digest("hex");

/** The documented hash rule, written again here: sha256 over `relative path \0 content \0`, folders in name order. */
function filesHash(files: string[]): string {
  const h = crypto.createHash("sha256");
  const walk = (p: string) => {
    if (statSync(p, { throwIfNoEntry: false }) === undefined) return;
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) walk(join(p, f));
    else h.update(relative(ROOT, p)).update("\0").update(readFileSync(p)).update("\0");
  };
  for (const f of files) walk(f.startsWith("/") ? f : join(ROOT, f));
  return h.digest("hex");
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const sdkVersion = JSON.parse(readFileSync(join(ROOT, "node_modules", "near-sdk-js", "package.json"), "utf8")).version;
const lockHash = sha256(readFileSync(join(ROOT, "package-lock.json")));
const toolchainHash = filesHash(SHARED_BUILD_INPUTS.filter((f: string) => f !== "package-lock.json"));

test("every suite contract's wasm answers contract_source_metadata with its version, standards and build", async (t) => {
  const { root } = t.context;
  const manifest = JSON.parse(readFileSync(join(ROOT, "build", "manifest.json"), "utf8")) as {
    contracts: { name: string; methods: string[] }[];
  };
  t.is(CONTRACTS.length, 6);
  for (const code of CONTRACTS) {
    t.true(manifest.contracts.find((c) => c.name === code)?.methods.includes("contract_source_metadata"), code);
    const account = await root.createSubAccount(code.replace(/-/g, ""), { initialBalance: 10n * NEAR });
    await account.deploy(readFileSync(join(ROOT, "build", `${code}.wasm`)));
    // not initialised: the view reads no state
    const m = await account.view<ContractSourceMetadata>("contract_source_metadata", {});
    t.deepEqual(Object.keys(m), ["version", "link", "standards", "build_info"], code);
    t.is(m.version, pkg.version, code);
    t.is(m.link, pkg.repository?.url ?? pkg.repository ?? null, code);
    t.deepEqual(m.standards, CONTRACT_STANDARDS[code], code);
    const names = m.standards.map((s) => `${s.standard}@${s.version}`);
    t.true(names.includes("nep330@1.2.0") && names.includes("nep297@1.0.0"), code);
    t.is(names.includes("nep145@1.0.0"), code === "reward-pool", `${code}: NEP-145 only where storage_* exist`);
    t.true(names.includes(`${EVENT_STANDARDS[code].standard}@${EVENT_STANDARDS[code].version}`), code);

    // the build facts: exactly what the toolchain computes from the files now ...
    const info = m.build_info!;
    t.deepEqual({ name: code, version: m.version, link: m.link, build_info: info }, stampOf(code), code);
    // ... and, recomputed here from the files, the hashes it names
    t.is(info.contract_path, `contracts/${code}`);
    t.is(info.output_wasm_path, `build/${code}.wasm`);
    t.deepEqual(info.build_command, ["npm", "run", "build", "--", code]);
    const entry = join(ROOT, "contracts", code, "contract.ts");
    t.is(info.source_code_snapshot, `sha256:${filesHash(sourceClosure(entry))}`, code);
    const env = info.build_environment.split(" ");
    t.true(env.includes(`near-sdk-js@${sdkVersion}`), info.build_environment);
    t.true(env.includes("quickjs@2021-03-27"), info.build_environment);
    t.true(env.includes("profile:lean"), info.build_environment);
    t.true(env.includes(`toolchain:sha256:${toolchainHash}`), info.build_environment);
    t.true(env.includes(`package-lock:sha256:${lockHash}`), info.build_environment);
  }
});

test("the stamp is deterministic: no absolute path, no time, the same twice; sources differ per contract", (t) => {
  const stamps = CONTRACTS.map((c: ContractName) => stampOf(c));
  for (const [i, s] of stamps.entries()) {
    const text = JSON.stringify(s);
    t.false(text.includes(ROOT), s.name);
    t.false(/\d{4}-\d\d-\d\dT/.test(text), s.name);
    t.deepEqual(stampOf(CONTRACTS[i]), s);
  }
  t.is(new Set(stamps.map((s) => s.build_info.source_code_snapshot)).size, CONTRACTS.length);
  t.is(new Set(stamps.map((s) => s.build_info.build_environment)).size, 1);
});

test("a test fixture re-exporting a suite contract is stamped as itself (its own path and source hash)", async (t) => {
  const { root } = t.context;
  const account = await root.createSubAccount("poolv2", { initialBalance: 10n * NEAR });
  await account.deploy(readFileSync(join(ROOT, "build", "reward-pool-v2.wasm")));
  const m = await account.view<ContractSourceMetadata>("contract_source_metadata", {});
  t.is(m.build_info?.contract_path, "toolchain/fixtures/reward-pool-v2");
  t.deepEqual(m.build_info, stampOf("reward-pool-v2").build_info);
  t.deepEqual(m.standards, CONTRACT_STANDARDS["reward-pool"]);
});
