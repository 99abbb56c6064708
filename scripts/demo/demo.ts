// `npm run demo`: the whole AI Commons story on the project's local node, in a fresh temporary home (never the user's
// ~/.ai-commons), with the CLI's own code (scripts/cli/): factory, a community with the whole suite, members by vote,
// datasets admitted by AdmitDataset proposals, a manifest, deterministic training (twice), a model registered and
// activated by ActivateModel, an attester added by AddAttester, attested inferences submitted in a batch, the pool
// funded by FundRewardPool, the epoch passed (sandbox fast-forward), usage reported, the epoch closed, and claims.
// Then a fork (docs/fork.md): bob opens a Fork, joins, the window passes, the fork executes, the factory creates the
// new community and its registries import the parent's records. Prints each step (who, gas), balances before and
// after, the end state with the lineage, and the fork: the new accounts, the share paid (yocto exact), the provenance.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Account, KeyPair } from "near-api-js";
import { statusLines } from "../cli/commands/community.ts";
import { lineageLines } from "../cli/commands/models.ts";
import { createCommunity } from "../cli/community.ts";
import {
  type Chain,
  connect,
  formatNear,
  LOCAL_ROOT,
  NEAR,
  type Outcome,
  projectRoot,
  resultOf,
  saveKey,
  signer as signerOf,
  TGAS,
  view,
} from "../cli/context.ts";
import { buildKind } from "../cli/dao.ts";
import { createFork, type ForkView, importFork } from "../cli/fork.ts";
import { DEFAULT_CODES, deployFactory } from "../cli/factory-deploy.ts";
import { fastForward, startNode, stopNode, validatorKeyFile } from "../cli/localnode.ts";
import { Output } from "../cli/output.ts";
import * as suite from "../cli/suite.ts";
import {
  ATTESTER_BOND,
  CAST,
  COMMUNITY,
  datasetCreators,
  FORK,
  MANIFEST_NAME,
  modelMakers,
  owedAtClose,
  POOL_GRANT,
  POOL_POLICY,
  QUESTIONS,
  type Role,
  sharesFlag,
  TREASURY_GIFT,
  VERIFIER_SETTINGS,
} from "../scenario/community.ts";

interface Step {
  n: number;
  who: string;
  what: string;
  txs: number;
  gas: bigint;
}

// Every transaction any Account sends in this process is recorded: the current step's count and gas.
let current = { txs: 0, gas: 0n };
const original = Account.prototype.signAndSendTransaction;
Account.prototype.signAndSendTransaction = async function (this: Account, ...a: Parameters<typeof original>) {
  const outcome = (await original.apply(this, a)) as Outcome;
  current.txs += 1;
  current.gas += suite.gasBurnt(outcome);
  return outcome;
};

const steps: Step[] = [];
const log = (line: string) => process.stdout.write(`${line}\n`);
// The CLI's progress lines (factory deploy, community create), indented under their step.
class StepOutput extends Output {
  override progress(line: string): void {
    if (!line.includes("already deployed")) log(`       ${line}`);
  }
}
const quiet = new StepOutput(false);

async function step<T>(who: string, what: string, fn: () => Promise<T>): Promise<T> {
  current = { txs: 0, gas: 0n };
  const t0 = Date.now();
  const value = await fn();
  const s: Step = { n: steps.length + 1, who, what, txs: current.txs, gas: current.gas };
  steps.push(s);
  const gas = s.txs === 0 ? "off chain" : `${suite.tgasText(s.gas)}${s.txs > 1 ? ` in ${s.txs} txs` : ""}`;
  log(`${String(s.n).padStart(3)}. ${who.padEnd(22)} ${what}  [${gas}, ${((Date.now() - t0) / 1000).toFixed(1)} s]`);
  return value;
}

function yoctoLine(label: string, before: bigint, after: bigint): string {
  const d = after - before;
  const near = (y: bigint) => formatNear(y < 0n ? -y : y).replace(" NEAR", "");
  return (
    `  ${label.padEnd(36)} ${before.toString().padStart(28)} -> ${after.toString().padStart(28)} yocto` +
    `   (${near(before)} -> ${near(after)} NEAR, ${d < 0n ? "-" : "+"}${near(d)})`
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function balance(chain: Chain, id: string): Promise<bigint> {
  const a = (await chain.provider.query({
    request_type: "view_account",
    finality: "optimistic",
    account_id: id,
  })) as unknown as { amount: string };
  return BigInt(a.amount);
}

export async function runDemo(argv: string[]): Promise<number> {
  const started = Date.now();
  const keep = argv.includes("--keep");
  const root = projectRoot();
  const manifest = join(root, "build", "manifest.json");
  const missing = ["community-factory", ...DEFAULT_CODES].filter((c) => !existsSync(join(root, "build", `${c}.wasm`)));
  if (!existsSync(manifest) || missing.length > 0) {
    process.stderr.write(
      `the demo deploys the contracts in build/, which ${existsSync(manifest) ? `lacks ${missing.join(", ")}` : "has no manifest.json"}: run \`npm run build\` first\n`,
    );
    return 1;
  }
  // A fresh home: the node's chain, keys and config live in it and are deleted at the end.
  const home = mkdtempSync(join(tmpdir(), "ai-commons-demo-"));
  process.env.HOME = home;
  process.env.AI_COMMONS_LOCAL_PORT = String(await freePort());
  log("AI Commons demo: a community owns its AI, on the project's local node");
  log(`  temporary home ${home} (your ~/.ai-commons is not used)`);
  // Ctrl-C: the node runs detached, so stop it and remove the home before leaving.
  const interrupted = async () => {
    await stopNode().catch(() => {});
    rmSync(home, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    const node = await startNode();
    log(`  local node ${node.url}, chain ${node.chain_id}`);
    const chain = connect("local");
    const root_ = await signerOf(chain, LOCAL_ROOT, validatorKeyFile());
    await story(chain, root_);
    log("");
    log(`demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    await stopNode();
    if (keep) log(`kept ${home}`);
    else rmSync(home, { recursive: true, force: true });
  }
}

async function story(chain: Chain, root: Account): Promise<void> {
  log("");
  log("== steps (who, what, gas burnt by the whole transaction tree) ==");
  // 1. people
  // the story's cast (scripts/scenario/community.ts): the founder and the joiner pay for proposals
  const acct = {} as Record<Role, Account>;
  for (const role of Object.keys(CAST) as Role[]) {
    const id = `${CAST[role]}.${LOCAL_ROOT}`;
    const near = role === "founder" || role === "joiner" ? 50n : 10n;
    await step(LOCAL_ROOT, `create account ${id} with ${near} NEAR`, async () => {
      const kp = KeyPair.fromRandom("ed25519");
      await root.createAccount({ newAccountId: id, publicKey: kp.getPublicKey(), nearToTransfer: near * NEAR });
      await saveKey("local", id, kp);
    });
    acct[role] = await signerOf(chain, id);
  }
  const { founder: alice, joiner: bob, creator: dave, coCreator: erin, maker: frank, attester: att, relayer } = acct;
  const pkg = JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as { version: string };
  const factory = `commons.${LOCAL_ROOT}`;

  // 2. the factory and one community with the whole suite
  await step(LOCAL_ROOT, `factory deploy ${factory} + store ${DEFAULT_CODES.length} codes (verified)`, () =>
    deployFactory({
      network: "local",
      signer: LOCAL_ROOT,
      factory,
      owner: LOCAL_ROOT,
      codes: DEFAULT_CODES,
      version: pkg.version,
      dryRun: false,
      yes: false,
      out: quiet,
    }),
  );
  const community = await step(alice.accountId, `community create ${COMMUNITY.name} (DAO + 4 suite contracts)`, () =>
    createCommunity(
      chain,
      alice,
      factory,
      {
        name: COMMUNITY.name,
        title: COMMUNITY.config.name,
        purpose: COMMUNITY.config.purpose,
        initArgs: { "inference-verifier": { settings: VERIFIER_SETTINGS }, "reward-pool": { policy: POOL_POLICY } },
      },
      quiet,
    ),
  );
  const dao = community.dao_id;
  const ids = await suite.suiteOf(chain, dao);
  const pool = ids[suite.REWARD_POOL];
  await step(LOCAL_ROOT, `a supporter gives the treasury ${formatNear(TREASURY_GIFT)}`, () =>
    root.transfer({ receiverId: dao, amount: TREASURY_GIFT }),
  );

  // balances before the story
  const watched: [string, string][] = [
    ["treasury (DAO account)", dao],
    ["reward pool (account)", pool],
    [`creator ${frank.accountId}`, frank.accountId],
    [`creator ${erin.accountId}`, erin.accountId],
    [`creator ${dave.accountId}`, dave.accountId],
    [`attester ${att.accountId}`, att.accountId],
  ];
  const before = new Map<string, bigint>();
  for (const [, id] of watched) before.set(id, await balance(chain, id));
  const availBefore = BigInt((await view<{ available: string }>(chain, dao, "get_treasury")).available);
  const poolBefore = await view<{ unallocated: string; claimed: string }>(chain, pool, "get_totals");

  // DAO helper: propose with the bond, the council votes, bob executes
  let council = [alice];
  const pass = async (kind: string, flags: Record<string, string>) => {
    const built = await buildKind(chain, dao, kind, flags);
    const bond = BigInt(
      (await view<{ parameters: { proposal_bond: string } }>(chain, dao, "get_policy")).parameters.proposal_bond,
    );
    const id = await step(alice.accountId, `propose ${built.kind.kind}: ${built.description}`, async () =>
      resultOf<number>(
        await alice.callFunctionRaw({
          contractId: dao,
          methodName: "add_proposal",
          args: { description: built.description, kind: built.kind },
          gas: 50n * TGAS,
          deposit: bond,
        }),
      ),
    );
    for (const v of council) {
      await step(v.accountId, `vote Approve on proposal ${id}`, () =>
        v.callFunctionRaw({ contractId: dao, methodName: "vote", args: { id, choice: "Approve" }, gas: 50n * TGAS }),
      );
    }
    const gas = built.kind.kind === "ActivateModel" ? 240n * TGAS : 100n * TGAS;
    await step(bob.accountId, `execute proposal ${id}`, () =>
      bob.callFunctionRaw({ contractId: dao, methodName: "execute", args: { id }, gas }),
    );
    const p = await view<{ status: string; last_error: string | null }>(chain, dao, "get_proposal", { id });
    if (p.status !== "Executed") throw new Error(`proposal ${id} is ${p.status}: ${p.last_error}`);
    return id;
  };

  // 3. bob joins by vote
  await pass("add-member", { member: bob.accountId, role: "council" });
  council = [alice, bob];

  // 4. datasets submitted by their creators, admitted by proposals, a manifest
  const local = JSON.parse(readFileSync(suite.defaultManifestPath(), "utf8")) as {
    entries: { dataset_id: string; file: string; license: string }[];
  };
  const datasetIds: string[] = [];
  const datasetShares = local.entries.map((_, i) => datasetCreators(i, dave.accountId, erin.accountId));
  for (const [i, e] of local.entries.entries()) {
    const creators = sharesFlag(datasetShares[i]);
    const r = await step(dave.accountId, `dataset submit ${e.dataset_id} (creators ${creators})`, () =>
      suite.submitDataset(chain, dave, dao, {
        id: e.dataset_id,
        file: join(projectRoot(), "data", e.file),
        creators,
        uri: `file://data/${e.file}`,
        license: e.license,
      }),
    );
    datasetIds.push(r.value);
  }
  for (const id of datasetIds) await pass("admit-dataset", { dataset: id });
  const mf = await step(dave.accountId, `manifest create ${MANIFEST_NAME} (${datasetIds.join(", ")})`, () =>
    suite.createManifest(chain, dave, dao, MANIFEST_NAME, datasetIds),
  );
  const manifestId = mf.value;

  // 5. deterministic training, twice, checked against the registry
  const t1 = await step("attester (off chain)", `train from manifest ${manifestId} (files checked on chain)`, () =>
    suite.trainModel(chain, dao, { manifestPath: suite.defaultManifestPath(), manifestId }),
  );
  const t2 = await step("attester (off chain)", "train again", () =>
    suite.trainModel(chain, dao, { manifestPath: suite.defaultManifestPath(), manifestId }),
  );
  log(`       weights sha256 ${t1.weights_sha256}`);
  log(
    `       second training ${t2.weights_sha256}: ${t1.weights_sha256 === t2.weights_sha256 ? "equal" : "DIFFERENT"}`,
  );
  if (t1.weights_sha256 !== t2.weights_sha256) throw new Error("training is not deterministic");
  const card = JSON.parse(readFileSync(join(projectRoot(), "attester", "model-card.json"), "utf8")) as {
    model_name: string;
    model_version: string;
  };
  const modelId = `${card.model_name}@${card.model_version}`;

  // 6. register, activate by proposal
  const makers = modelMakers(frank.accountId, erin.accountId);
  await step(frank.accountId, `model register ${modelId} (makers ${sharesFlag(makers)})`, () =>
    suite.registerModel(chain, frank, dao, {
      id: modelId,
      weightsSha256: t1.weights_sha256,
      manifestId,
      creators: sharesFlag(makers),
    }),
  );
  await pass("activate-model", { model: modelId });

  // 7. an attester bonded from the treasury
  const key = suite.keygen();
  await pass("add-attester", {
    attester: att.accountId,
    "public-key": key.public_key,
    bond: (ATTESTER_BOND / NEAR).toString(),
  });

  // 8. attested inferences, one batch by a relayer
  const attested = await step(
    relayer.accountId,
    `attest ${QUESTIONS.length} questions, submit the receipts in one batch`,
    () => suite.attest(chain, relayer, dao, { model: t1.model, key, attesterId: att.accountId, texts: QUESTIONS }),
  );
  for (const a of attested.attestations) log(`       "${a.input}" -> ${a.output}`);
  const epoch = attested.epoch as number;

  // 9. the pool funded by proposal
  await pass("fund-pool", { amount: (POOL_GRANT / NEAR).toString(), memo: "treasury grant" });

  // 10. the epoch and its challenge window pass; usage, close, claims
  await step("local node", "fast-forward 200 blocks (260 s of chain time: epoch + challenge window)", () =>
    fastForward(chain, 200),
  );
  const rep = await step(relayer.accountId, `usage report --epoch ${epoch} (verifier -> pool)`, () =>
    suite.reportUsage(chain, relayer, dao, epoch),
  );
  if (rep.value !== "Reported") throw new Error(`usage report: ${rep.value}`);
  const closed = await step(relayer.accountId, `epoch close --epoch ${epoch}`, () =>
    suite.closeEpoch(chain, relayer, dao, epoch),
  );
  // what the story says each is owed from this budget (worked out apart from the pool): the claims must match it
  const owed = owedAtClose(BigInt(closed.value.budget), {
    datasets: datasetShares,
    makers,
    attester: att.accountId,
    receipts: QUESTIONS.length,
  });
  const claimed = new Map<string, bigint>();
  for (const who of [frank, erin, dave, att]) {
    const r = await step(who.accountId, "claim (NEP-145 storage deposit + claim)", () => suite.claim(chain, who, dao));
    if (r.owed !== owed.get(who.accountId)) {
      throw new Error(`${who.accountId} was owed ${r.owed} yocto, the story's split says ${owed.get(who.accountId)}`);
    }
    claimed.set(who.accountId, r.owed);
  }

  // balances once every claim is paid, before the fork moves the treasury
  const after = new Map<string, bigint>();
  for (const [, id] of watched) after.set(id, await balance(chain, id));
  const availAfter = BigInt((await view<{ available: string }>(chain, dao, "get_treasury")).available);

  // 11. a fork: a one-minute window (ChangePolicy adds the policy's fork section), bob leaves with his share
  const policy = await view<Record<string, unknown>>(chain, dao, "get_policy");
  await pass("raw", { kind: JSON.stringify({ kind: "ChangePolicy", policy: { ...policy, fork: FORK.policy } }) });
  const forkProposal = await pass("fork", { name: FORK.name });
  const forkId = forkProposal;
  await step(bob.accountId, `fork join --id ${forkId} (weight 1 of 2, threshold 50%)`, () =>
    bob.callFunctionRaw({ contractId: dao, methodName: "join_fork", args: { id: forkId }, gas: 30n * TGAS }),
  );
  await step("local node", "fast-forward 50 blocks (65 s of chain time: the fork window)", () =>
    fastForward(chain, 50),
  );
  const executeFork = () =>
    bob.callFunctionRaw({ contractId: dao, methodName: "execute_fork", args: { id: forkId }, gas: 100n * TGAS });
  const getFork = () => view<ForkView>(chain, dao, "get_fork", { id: forkId });
  await step(
    bob.accountId,
    `fork execute --id ${forkId} (decided; ${FORK.name} not there yet: nothing paid, nobody leaves)`,
    executeFork,
  );
  const decided = await getFork();
  log(`       fork ${forkId}: ${decided.status}${decided.last_error ? ` (${decided.last_error})` : ""}`);
  const spin = await step(
    bob.accountId,
    `fork create ${FORK.name} --parent ${COMMUNITY.name} --fork-id ${forkId}`,
    () => createFork(chain, bob, factory, { name: FORK.name, parent: COMMUNITY.name, forkId }, quiet),
  );
  const spinBefore = await balance(chain, spin.dao_id);
  await step(bob.accountId, `fork execute --id ${forkId} (pays ${FORK.name}'s DAO)`, executeFork);
  const paid = await getFork();
  if (paid.status !== "Executed") throw new Error(`fork ${forkId} is ${paid.status}: ${paid.last_error}`);
  const spinAfter = await balance(chain, spin.dao_id);
  const imported = await step(bob.accountId, `fork import ${FORK.name} (datasets, manifests, models)`, () =>
    importFork(chain, bob, spin.dao_id, quiet),
  );
  const spinModels = (await suite.suiteOf(chain, spin.dao_id))[suite.MODEL_REGISTRY];
  const spinLineage = await view<{ provenance: string | null }>(chain, spinModels, "get_lineage", {
    model_id: modelId,
  });

  // ---------- report ----------
  let total = 0n;
  let txs = 0;
  for (const s of steps) {
    total += s.gas;
    txs += s.txs;
  }
  log(`  total: ${txs} transactions, ${suite.tgasText(total)}`);

  log("");
  log("== balances before and after the story (yoctoNEAR exact, NEAR rounded) ==");
  log("  (before: once the community exists and the supporter's gift arrived; after: once every claim is paid,");
  log("  before the fork)");
  for (const [label, id] of watched) yoctoLineOut(label, before.get(id)!, after.get(id)!);
  log(yoctoLine("treasury available (get_treasury)", availBefore, availAfter));
  const poolAfter = await view<{ unallocated: string; claimed: string; allocated: string }>(chain, pool, "get_totals");
  log(yoctoLine("pool unallocated (get_totals)", BigInt(poolBefore.unallocated), BigInt(poolAfter.unallocated)));
  log(yoctoLine("pool claimed (get_totals)", BigInt(poolBefore.claimed), BigInt(poolAfter.claimed)));
  log(`  epoch ${epoch} budget ${closed.value.budget} yocto (${formatNear(closed.value.budget)})`);
  for (const [id, amount] of claimed)
    log(
      `  claimed by ${id.padEnd(20)} ${amount.toString().padStart(28)} yocto (${formatNear(amount)}), as the story's split says`,
    );

  log("");
  log("== end state ==");
  const st = await suite.status(chain, dao);
  for (const line of statusLines(st)) log(line);
  const inv = await view<{ ledger_balanced: boolean; solvent: boolean }>(chain, pool, "get_invariant");
  log(
    `  pool invariant: ledger ${inv.ledger_balanced ? "balanced" : "NOT balanced"}, ${inv.solvent ? "solvent" : "NOT solvent"}`,
  );
  log("");
  log("== lineage: model -> manifest -> datasets -> creators (shares) ==");
  for (const line of lineageLines(await suite.modelLineage(chain, dao, modelId))) log(line);
  log("");
  log(`== fork: ${FORK.name}, forked from ${COMMUNITY.name} ==`);
  log(`  community spin (${spin.status}) created by ${spin.creator}: ${spin.provenance}`);
  for (const c of spin.contracts) log(`    ${c.code.padEnd(20)} ${c.account_id}`);
  const joined = paid.members.map((m) => m.account_id).join(", ");
  log(
    `  joined: ${joined} (weight ${paid.joined_weight} of ${paid.total_weight}), decided at block ${paid.decided_block}`,
  );
  log(
    `  treasury share: ${paid.amount} yocto (${formatNear(paid.amount ?? "0")}) = floor(${paid.available} x ` +
      `${paid.joined_weight} / ${paid.total_weight})`,
  );
  log(yoctoLine("spin's DAO (account)", spinBefore, spinAfter));
  const exact = spinAfter - spinBefore === BigInt(paid.amount ?? "0");
  const formula =
    BigInt(paid.amount ?? "0") ===
    (BigInt(paid.available ?? "0") * BigInt(paid.joined_weight)) / BigInt(paid.total_weight);
  log(
    `  share check: received = amount ${exact ? "yes" : "NO"}, amount = floor(available x share) ${formula ? "yes" : "NO"}`,
  );
  for (const x of imported) log(`  imported ${x.import.imported} record(s) into ${x.registry} in ${x.pages} page(s)`);
  log(`  provenance of ${modelId} in spin: ${spinLineage.provenance}`);
  if (!exact || !formula) throw new Error("the fork's share does not add up");

  // Each account holds its state's storage from its own balance (global code: the 32-byte hash, no wasm copy).
  log("");
  log("== storage: each suite account's state and what its balance leaves free ==");
  for (const [name, communityDao] of [
    [COMMUNITY.name, dao],
    [FORK.name, spin.dao_id],
  ] as const) {
    for (const [code, id] of Object.entries(await suite.suiteOf(chain, communityDao))) {
      const a = (await chain.provider.query({
        request_type: "view_account",
        finality: "optimistic",
        account_id: id,
      })) as unknown as { amount: string; storage_usage: number };
      const free = BigInt(a.amount) - BigInt(a.storage_usage) * 10n ** 19n;
      log(
        `  ${name.padEnd(5)} ${code.padEnd(19)} ${String(a.storage_usage).padStart(7)} bytes, ` +
          `balance ${formatNear(BigInt(a.amount))}, free ${formatNear(free)}`,
      );
    }
  }
}

function yoctoLineOut(label: string, before: bigint, after: bigint): void {
  log(yoctoLine(label, before, after));
}
