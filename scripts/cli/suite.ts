// Commands on a community's suite contracts (docs/registries.md, docs/verifier.md, docs/rewards.md): datasets and
// manifests, models and lineage, training and attested inference (the attester, attester/), usage reports, epochs
// and claims, and the DAO's dedicated suite proposal kinds (docs/dao.md). Each operation returns the transaction's
// outcome with its value and the gas it burnt, so the demo (scripts/demo/) can report them.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Account } from "near-api-js";
import { InferenceAttester } from "../../attester/src/attester.ts";
import { AttesterError, loadVerified, type RegistryView, sha256Hex } from "../../attester/src/data.ts";
import { accuracy, deserialize, type Model, serialize, train, weightsSha256 } from "../../attester/src/model.ts";
import { type AttesterKey, newKey, type SignedReceipt } from "../../attester/src/receipt.ts";
import {
  findConflict,
  type PreparedChallenge,
  prepareChallenge,
  type ViewCaller,
  verifyReceipt,
} from "../../attester/src/verify.ts";
import type { Chain, Outcome } from "./context.ts";
import { allPages, projectRoot, resultOf, TGAS, view } from "./context.ts";
import { CliError, contractErrorOf, failedTxSuffix, meaningOf } from "./errors.ts";
import { tgas, txRef } from "./units.ts";
import {
  DATASET_REGISTRY,
  INFERENCE_VERIFIER as VERIFIER,
  MODEL_REGISTRY,
  REWARD_POOL,
} from "../../contracts/wire/contracts.ts";
import { splitRecordId } from "../../contracts/wire/fields.ts";
import type { UsageReportPart } from "../../contracts/wire/usage-report.ts";
import {
  CLAIM_GAS,
  CLOSE_EPOCH_DEPOSIT,
  CLOSE_EPOCH_GAS,
  POOL_STORAGE_DEPOSIT,
  POOL_STORAGE_DEPOSIT_GAS,
} from "./reward-pool-calls.ts";
import { RELEASE_BOND_GAS, REPORT_USAGE_GAS, reportUsageDeposit } from "./verifier-calls.ts";
import {
  DEFAULT_DATASET_LICENSE,
  defaultDatasheetText,
  parseCreators,
  RECORD_DEPOSIT,
  REGISTRY_CALL_GAS,
} from "./registry-calls.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../../contracts/wire/receipt.ts";

export { parseCreators };

// the suite's code names (contracts/wire/contracts.ts)
export { DATASET_REGISTRY, MODEL_REGISTRY, VERIFIER, REWARD_POOL };
// the suite contracts whose refusals callTx explains
const SUITE_CODES = new Set([DATASET_REGISTRY, MODEL_REGISTRY, VERIFIER, REWARD_POOL]);
// Storage deposits: the contracts keep what the record costs and refund the rest in the same call.
export { RECORD_DEPOSIT };

export interface Tx<T = unknown> {
  value: T;
  gas_burnt: bigint;
  tx_hash: string;
  outcome: Outcome;
}

/** Gas burnt by the whole transaction: its own outcome and every receipt's. */
export function gasBurnt(o: Outcome): bigint {
  let g = BigInt(o.transaction_outcome.outcome.gas_burnt);
  for (const r of o.receipts_outcome) g += BigInt(r.outcome.gas_burnt);
  return g;
}

export async function callTx<T>(
  signer: Account,
  contractId: string,
  methodName: string,
  args: object,
  gas: bigint,
  deposit = 0n,
): Promise<Tx<T>> {
  let outcome: Outcome;
  try {
    outcome = await signer.callFunctionRaw({ contractId, methodName, args, gas, deposit: deposit });
  } catch (e) {
    // a code several contracts use (ERR_NOT_CREATOR...) is explained by the contract that refused (account
    // `<name>_<code>.<factory>`), as the error catalogue says it (contracts/wire/errors.ts)
    const found = contractErrorOf(e);
    const contract = /_([a-z-]+)\./.exec(contractId)?.[1];
    const meaning = found && contract && SUITE_CODES.has(contract) ? meaningOf(found.code, contract) : undefined;
    if (!found || !meaning) throw e;
    const detail = found.detail ? ` (${found.detail})` : "";
    throw new CliError(
      found.code,
      `contract error ${found.code}${detail}: ${meaning}${failedTxSuffix(e)}`,
      found.detail,
    );
  }
  return {
    value: resultOf<T>(outcome),
    gas_burnt: gasBurnt(outcome),
    tx_hash: outcome.transaction_outcome.id,
    outcome,
  };
}

export const tgasText = (g: bigint) => tgas(g);

/** The community's contracts by code name, as the factory gave them to the DAO (`get_info().suite`). */
export async function suiteOf(chain: Chain, dao: string): Promise<Record<string, string>> {
  const info = await view<{ suite?: Record<string, string> }>(chain, dao, "get_info");
  return { "community-dao": dao, ...(info.suite ?? {}) };
}

export async function suiteContract(chain: Chain, dao: string, code: string): Promise<string> {
  const id = (await suiteOf(chain, dao))[code];
  if (!id) throw new CliError("NO_SUITE_CONTRACT", `${dao} has no ${code} in its suite (created before it existed?)`);
  return id;
}

// ---------- arguments ----------

export function splitId(id: string, what: string): [string, string] {
  const at = id.indexOf("@");
  if (at <= 0 || at === id.length - 1) throw new CliError("BAD_ARGS", `${what} is <name>@<version> (got ${id})`);
  const { name, version } = splitRecordId(id);
  return [name, version];
}

/** A JSON argument given inline or as a file path. */
export function jsonArg(text: string, flag: string): unknown {
  const source = text.trim().startsWith("{") || text.trim().startsWith("[") ? text : readFileSync(text, "utf8");
  try {
    return JSON.parse(source);
  } catch {
    throw new CliError("BAD_ARGS", `${flag} must be JSON or a JSON file`);
  }
}

// ---------- datasets and manifests ----------

export interface DatasetView {
  id: string;
  name: string;
  version: string;
  status: string;
  withdrawn: boolean;
  content_sha256: string;
  size_bytes: string;
  license: string;
  submitter: string;
  creators: { account_id: string; share_bps: number }[];
  uris: string[];
}

export interface SubmitDataset {
  id: string;
  file: string;
  creators?: string;
  license?: string;
  uri?: string;
  datasheetSha256?: string;
}

export async function submitDataset(chain: Chain, signer: Account, dao: string, o: SubmitDataset) {
  const [name, version] = splitId(o.id, "the dataset id");
  const registry = await suiteContract(chain, dao, DATASET_REGISTRY);
  const bytes = readFileSync(o.file);
  const args = {
    name,
    version,
    content_sha256: sha256Hex(bytes),
    size_bytes: String(statSync(o.file).size),
    uris: [o.uri ?? `file://${o.file.replace(/^\/+/, "")}`],
    license: o.license ?? DEFAULT_DATASET_LICENSE,
    datasheet_sha256: o.datasheetSha256 ?? sha256Hex(defaultDatasheetText(o.id)),
    creators: parseCreators(o.creators, signer.accountId),
  };
  const tx = await callTx<string>(signer, registry, "submit_dataset", args, REGISTRY_CALL_GAS, RECORD_DEPOSIT);
  return { ...tx, registry, args };
}

export async function listDatasets(chain: Chain, dao: string): Promise<DatasetView[]> {
  const registry = await suiteContract(chain, dao, DATASET_REGISTRY);
  return allPages<DatasetView>(chain, registry, "get_datasets");
}

export async function showDataset(chain: Chain, dao: string, id: string): Promise<DatasetView> {
  const registry = await suiteContract(chain, dao, DATASET_REGISTRY);
  const d = await view<DatasetView | null>(chain, registry, "get_dataset", { dataset_id: id });
  if (!d) throw new CliError("ERR_UNKNOWN_DATASET", `no dataset ${id} on ${registry}`);
  return d;
}

export async function withdrawDataset(chain: Chain, signer: Account, dao: string, id: string, reason?: string) {
  const registry = await suiteContract(chain, dao, DATASET_REGISTRY);
  return callTx(signer, registry, "withdraw_dataset", { dataset_id: id, reason }, REGISTRY_CALL_GAS);
}

export async function createManifest(chain: Chain, signer: Account, dao: string, name: string, ids: string[]) {
  const registry = await suiteContract(chain, dao, DATASET_REGISTRY);
  return callTx<number>(
    signer,
    registry,
    "create_manifest",
    { name, dataset_ids: ids },
    REGISTRY_CALL_GAS,
    RECORD_DEPOSIT,
  );
}

export interface ManifestView {
  id: number;
  name: string;
  root: string;
  creator: string;
  entries: { dataset_id: string; content_sha256: string }[];
}

export interface ManifestDataset {
  dataset_id: string;
  content_sha256: string;
  license: string;
  status: string;
  withdrawn: boolean;
  creators: { account_id: string; share_bps: number }[];
}

export async function showManifest(chain: Chain, dao: string, id: number) {
  const registry = await suiteContract(chain, dao, DATASET_REGISTRY);
  const manifest = await view<ManifestView | null>(chain, registry, "get_manifest", { manifest_id: id });
  if (!manifest) throw new CliError("ERR_UNKNOWN_MANIFEST", `no manifest ${id} on ${registry}`);
  const datasets = await view<ManifestDataset[]>(chain, registry, "get_manifest_datasets", { manifest_id: id });
  const check = await view<{ ok: boolean; withdrawn: string[] }>(chain, registry, "check_manifest", {
    manifest_id: id,
  });
  return { manifest, datasets, check };
}

// ---------- training ----------

export const defaultManifestPath = () => join(projectRoot(), "data", "manifest.json");

/**
 * Trains the attester's model from the files of a local manifest (data/manifest.json), each checked against its
 * sha256; with a community and an on-chain manifest id, also against the dataset registry's hashes and root.
 */
export async function trainModel(
  chain: Chain | null,
  dao: string | null,
  o: { manifestPath?: string; manifestId?: number; out?: string },
) {
  let registry: RegistryView | undefined;
  if (chain && dao && o.manifestId !== undefined) {
    const { manifest } = await showManifest(chain, dao, o.manifestId);
    registry = { content_sha256: {}, root: manifest.root };
    for (const e of manifest.entries) registry.content_sha256[e.dataset_id] = e.content_sha256;
  }
  let loaded: ReturnType<typeof loadVerified>;
  try {
    loaded = loadVerified(o.manifestPath ?? defaultManifestPath(), registry);
  } catch (e) {
    if (e instanceof AttesterError) throw new CliError(e.code, `training data refused: ${e.message}`);
    throw e;
  }
  const model = train(loaded.examples);
  const bytes = serialize(model);
  if (o.out) {
    // a weights directory (attester serve --weights-dir) is made by writing the first model into it
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, bytes);
  }
  return {
    model,
    weights_sha256: weightsSha256(model),
    manifest_root: loaded.manifest.root,
    checked_against_chain: registry !== undefined,
    examples: loaded.examples.length,
    labels: model.labels,
    training_accuracy: accuracy(model, loaded.examples),
    bytes: bytes.length,
    written: o.out ?? null,
  };
}

export function loadModel(file: string): Model {
  try {
    return deserialize(readFileSync(file));
  } catch (e) {
    throw new CliError("ERR_BAD_MODEL_FILE", `${file} is not a model file: ${(e as Error).message}`);
  }
}

/** The weights sha256 of a model file (what the model registry records). */
export const weightsOfFile = (file: string) => weightsSha256(loadModel(file));

/** sha256 of the training code (attester/src/model.ts), registered with the model. */
export const trainingCodeSha256 = () => sha256Hex(readFileSync(join(projectRoot(), "attester", "src", "model.ts")));

// ---------- models ----------

export interface RegisterModel {
  id: string;
  weightsSha256: string;
  manifestId: number;
  framework?: string;
  architecture?: string;
  license?: string;
  creators?: string;
  trainingCodeSha256?: string;
}

export async function registerModel(chain: Chain, signer: Account, dao: string, o: RegisterModel) {
  const [name, version] = splitId(o.id, "the model id");
  const registry = await suiteContract(chain, dao, MODEL_REGISTRY);
  const card = JSON.parse(readFileSync(join(projectRoot(), "attester", "model-card.json"), "utf8")) as {
    framework: string;
    architecture: string;
    license: string;
  };
  const args = {
    name,
    version,
    weights_sha256: o.weightsSha256,
    framework: o.framework ?? card.framework,
    architecture: o.architecture ?? card.architecture,
    training_manifest_id: o.manifestId,
    training_code_sha256: o.trainingCodeSha256 ?? trainingCodeSha256(),
    license: o.license ?? card.license,
    creators: parseCreators(o.creators, signer.accountId),
  };
  const tx = await callTx<string>(signer, registry, "register_model", args, REGISTRY_CALL_GAS, RECORD_DEPOSIT);
  return { ...tx, registry, args };
}

export interface ModelView {
  id: string;
  name: string;
  version: string;
  status: string;
  weights_sha256: string;
  training_manifest_id: number;
  registrant: string;
  creators?: { account_id: string; share_bps: number }[];
  license: string;
}

export async function showModel(chain: Chain, dao: string, id: string) {
  const registry = await suiteContract(chain, dao, MODEL_REGISTRY);
  const model = await view<ModelView | null>(chain, registry, "get_model", { model_id: id });
  if (!model) throw new CliError("ERR_UNKNOWN_MODEL", `no model ${id} on ${registry}`);
  const config = await view<{ active_model: string | null }>(chain, registry, "get_config");
  return { model, active: config.active_model === id };
}

/** model -> manifest -> datasets -> creators (with shares), and what the reward pool recorded for it. */
export async function modelLineage(chain: Chain, dao: string, id: string) {
  const { model, active } = await showModel(chain, dao, id);
  const { manifest, datasets, check } = await showManifest(chain, dao, model.training_manifest_id);
  const pool = (await suiteOf(chain, dao))[REWARD_POOL];
  const registry = await suiteContract(chain, dao, MODEL_REGISTRY);
  const parents = await view<unknown[]>(chain, registry, "get_parent_chain", { model_id: id }).catch(() => []);
  const poolLineage = pool
    ? await view<unknown>(chain, pool, "get_lineage", { model_name: model.name, model_version: model.version })
    : null;
  // an imported version (a fork's registry, docs/fork.md) carries "forked from community X at block H"
  const onChain = await view<{ provenance?: string | null } | null>(chain, registry, "get_lineage", { model_id: id })
    .then((x) => x?.provenance ?? null)
    .catch(() => null);
  return {
    model,
    active,
    manifest,
    datasets,
    manifest_ok: check.ok,
    parents,
    pool_lineage: poolLineage,
    provenance: onChain,
  };
}

// ---------- attester, receipts ----------

export function keygen(out?: string): AttesterKey {
  const key = newKey();
  if (out) writeFileSync(out, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  return key;
}

/** The latest block's timestamp (ns): receipts are stamped with chain time, which a fast-forward moves ahead. */
export async function chainTimeNs(chain: Chain): Promise<bigint> {
  const b = (await chain.provider.viewBlock({ finality: "optimistic" })) as unknown as {
    header: { timestamp_nanosec: string };
  };
  return BigInt(b.header.timestamp_nanosec);
}

export interface AttestOptions {
  model: Model;
  key: AttesterKey;
  attesterId: string;
  texts: string[];
  /** the salt the user chose (64 hex, one text only): the same (salt, input) sent to two attesters compares them */
  salt?: string;
  batch?: number;
  submit?: boolean;
}

/** Infers each text with the active model's name and version, signs receipts, submits them in batches. */
export async function attest(chain: Chain, relayer: Account | null, dao: string, o: AttestOptions) {
  const verifier = await suiteContract(chain, dao, VERIFIER);
  const active = await view<{ model_name: string; model_version: string; weights_sha256: string } | null>(
    chain,
    verifier,
    "get_active_model",
    {},
  );
  if (!active) throw new CliError("ERR_NO_ACTIVE_MODEL", `${verifier} has no active model: activate one first`);
  // the chain's clock, not this machine's (a sandbox fast-forward moves the chain ahead)
  const now = await chainTimeNs(chain);
  const attester = new InferenceAttester({
    model: o.model,
    model_name: active.model_name,
    model_version: String(active.model_version),
    key: o.key,
    attester_id: o.attesterId,
    community: dao,
    verifier_id: verifier,
    clock: () => now,
  });
  if (attester.weights_sha256 !== active.weights_sha256) {
    throw new CliError(
      "ERR_WEIGHTS_MISMATCH",
      `the model file's weights ${attester.weights_sha256} are not the active model's ${active.weights_sha256}`,
    );
  }
  let salt: Uint8Array | undefined;
  if (o.salt !== undefined) {
    if (o.texts.length !== 1) throw new CliError("BAD_ARGS", "--salt is one request's: give one --text with it");
    if (!/^[0-9a-fA-F]{64}$/.test(o.salt)) {
      throw new CliError("ERR_SALT_LENGTH", `the salt must be exactly 32 bytes, 64 hex characters (got ${o.salt})`);
    }
    salt = Uint8Array.from(Buffer.from(o.salt, "hex"));
  }
  const attestations = o.texts.map((t) => attester.attest(t, salt));
  const batches: { receipt_ids: number[]; gas_burnt: bigint; tx_hash: string }[] = [];
  if (o.submit !== false && relayer) {
    const size = o.batch ?? 50;
    if (size < 1 || size > 64) throw new CliError("BAD_ARGS", "--batch is 1..64");
    for (let i = 0; i < attestations.length; i += size) {
      const receipts: SignedReceipt[] = attestations.slice(i, i + size).map((a) => a.receipt);
      const tx =
        receipts.length === 1
          ? await callTx<number>(
              relayer,
              verifier,
              "submit_receipt",
              { receipt: receipts[0] },
              100n * TGAS,
              RECEIPT_STORAGE_DEPOSIT,
            )
          : await callTx<number[]>(
              relayer,
              verifier,
              "submit_receipts",
              { receipts },
              150n * TGAS,
              RECEIPT_STORAGE_DEPOSIT * BigInt(receipts.length),
            );
      const ids = Array.isArray(tx.value) ? tx.value : [tx.value as number];
      batches.push({ receipt_ids: ids, gas_burnt: tx.gas_burnt, tx_hash: tx.tx_hash });
    }
  }
  let epoch: number | null = null;
  const first = batches[0]?.receipt_ids[0];
  if (first !== undefined)
    epoch = (await view<{ epoch: number }>(chain, verifier, "get_receipt", { receipt_id: first })).epoch;
  return { verifier, model: active, attestations, batches, epoch };
}

// ---------- proofs: the user's check of a receipt (attester/src/verify.ts) ----------

export interface ProofToCheck {
  receipt: SignedReceipt;
  input: string;
  output: string;
  salt: string;
}

/**
 * Verifies each receipt against the community's verifier and model registry at the chain's time; with two, looks
 * for a conflict (same model and input commitment, other outputs) and prepares the challenge of the second receipt
 * with the first as the evidence (docs/cli.md, verify).
 */
export async function checkProofs(chain: Chain, dao: string, proofs: ProofToCheck[]) {
  const verifier = await suiteContract(chain, dao, VERIFIER);
  const viewer: ViewCaller = (contractId, method, args) => view(chain, contractId, method, args);
  const now = await chainTimeNs(chain);
  const verdicts = [];
  for (const p of proofs) verdicts.push(await verifyReceipt(viewer, { verifier_id: verifier, ...p, now }));
  let conflict: ReturnType<typeof findConflict> | null = null;
  let challenge: PreparedChallenge | null = null;
  if (proofs.length === 2) {
    conflict = findConflict(proofs[0].receipt, proofs[1].receipt);
    if (conflict.conflict)
      challenge = await prepareChallenge(viewer, verifier, proofs[1].receipt, proofs[0].receipt, now);
  }
  return { verifier, now, verdicts, conflict, challenge };
}

/** Sends a prepared challenge_receipt: "Disputed" or "Slashed". */
export async function sendChallenge(signer: Account, c: PreparedChallenge) {
  return callTx<string>(signer, c.contract_id, c.method, c.args, BigInt(c.gas_tgas) * TGAS, BigInt(c.deposit));
}

// ---------- usage, epochs, claims ----------

/**
 * The length of the community's epochs in nanoseconds (the verifier numbers them: epoch = floor(block time / length),
 * and the pool's policy must use the same length), or undefined without a verifier: to show an epoch as its dates.
 */
export async function epochLengthNs(chain: Chain, dao: string): Promise<string | undefined> {
  const suite = await suiteOf(chain, dao);
  if (suite[VERIFIER]) {
    const c = await view<{ settings: { epoch_length_ns: string } }>(chain, suite[VERIFIER], "get_config");
    return c.settings.epoch_length_ns;
  }
  if (suite[REWARD_POOL]) {
    return (await view<{ policy: { epoch_length_ns: string } }>(chain, suite[REWARD_POOL], "get_config")).policy
      .epoch_length_ns;
  }
  return undefined;
}

/** The epoch of the community's newest receipt: what `usage report` and `epoch close` take without --epoch. */
export async function latestReceiptEpoch(chain: Chain, dao: string): Promise<number> {
  const verifier = await suiteContract(chain, dao, VERIFIER);
  const { receipts } = await view<{ receipts: number }>(chain, verifier, "get_config");
  if (receipts === 0) throw new CliError("ERR_NOTHING_TO_REPORT", `${verifier} has no receipts yet: pass --epoch`);
  return (await view<{ epoch: number }>(chain, verifier, "get_receipt", { receipt_id: receipts - 1 })).epoch;
}

/**
 * Sends every part of an epoch's usage report (the verifier sends one part per call, at most 64 attester entries
 * each, docs/verifier.md): calls report_usage until the epoch is Reported. 200 Tgas covers a full part (a part of
 * 64 entries needs 160 at protocol 86). A part
 * whose delivery failed stays due (the epoch is Open with the same part next): that is reported, not retried here.
 */
export async function reportUsage(chain: Chain, signer: Account, dao: string, epoch: number) {
  const verifier = await suiteContract(chain, dao, VERIFIER);
  let parts = 0;
  for (;;) {
    const before = await view<{ next_part?: number } | null>(chain, verifier, "get_epoch_usage", { epoch });
    // the part's records in the pool are paid by this deposit (the pool sends back what they do not use), so a
    // report goes through even while the pool has no unallocated funds
    const preview = await view<UsageReportPart[] | null>(chain, verifier, "preview_usage_report", { epoch });
    const deposit = reportUsageDeposit(before, preview);
    const tx = await callTx<string>(signer, verifier, "report_usage", { epoch }, REPORT_USAGE_GAS, deposit);
    parts += 1;
    if (tx.value !== "Open") return { ...tx, parts };
    const after = await view<{ next_part?: number } | null>(chain, verifier, "get_epoch_usage", { epoch });
    if ((after?.next_part ?? 0) <= (before?.next_part ?? 0)) {
      throw new CliError(
        "ERR_REPORT_PART_FAILED",
        `part ${after?.next_part ?? 0} of epoch ${epoch} did not reach the reward pool (${txRef(tx.tx_hash)}): run usage report again`,
      );
    }
  }
}

/** A removed attester's bond back to who posted it (the DAO, for a bond from the treasury), once its window passed. */
export async function releaseBond(chain: Chain, signer: Account, dao: string, attesterId: string) {
  const verifier = await suiteContract(chain, dao, VERIFIER);
  const tx = await callTx<string>(signer, verifier, "release_bond", { attester_id: attesterId }, RELEASE_BOND_GAS);
  const a = await view<{ bond_owner: string }>(chain, verifier, "get_attester", { attester_id: attesterId });
  return { attester_id: attesterId, amount: tx.value, to: a.bond_owner, tx_hash: tx.tx_hash };
}

export async function closeEpoch(chain: Chain, signer: Account, dao: string, epoch: number) {
  const pool = await suiteContract(chain, dao, REWARD_POOL);
  // the close's bookkeeping, when the pool's surplus cannot pay it (the excess is refunded in the same call)
  return callTx<{ budget: string }>(signer, pool, "close_epoch", { epoch }, CLOSE_EPOCH_GAS, CLOSE_EPOCH_DEPOSIT);
}

export async function claimable(chain: Chain, dao: string, account: string): Promise<string> {
  const pool = await suiteContract(chain, dao, REWARD_POOL);
  return view<string>(chain, pool, "claimable", { account_id: account });
}

/** Registers the claimer's NEP-145 storage when needed, then claims; returns every transaction. */
export async function claim(chain: Chain, signer: Account, dao: string) {
  const pool = await suiteContract(chain, dao, REWARD_POOL);
  const owed = BigInt(await view<string>(chain, pool, "claimable", { account_id: signer.accountId }));
  if (owed === 0n) throw new CliError("ERR_NOTHING_TO_CLAIM", `${signer.accountId} has nothing to claim on ${pool}`);
  const txs: { step: string; tx: Tx }[] = [];
  const storage = await view<unknown>(chain, pool, "storage_balance_of", { account_id: signer.accountId });
  if (storage === null) {
    txs.push({
      step: "storage_deposit",
      tx: await callTx(signer, pool, "storage_deposit", {}, POOL_STORAGE_DEPOSIT_GAS, POOL_STORAGE_DEPOSIT),
    });
  }
  txs.push({ step: "claim", tx: await callTx(signer, pool, "claim", {}, CLAIM_GAS) });
  return { pool, owed, txs };
}

// ---------- status ----------

export async function status(chain: Chain, dao: string) {
  const suite = await suiteOf(chain, dao);
  const config = await view<{ name: string; purpose: string }>(chain, dao, "get_config");
  const members = await allPages<{ account_id: string; roles: string[] }>(chain, dao, "get_members");
  const treasury = await view<{ balance: string; available: string; locked_bonds: string }>(chain, dao, "get_treasury");
  const info = await view<{ last_proposal_id: number }>(chain, dao, "get_info");
  const out: Record<string, unknown> = { dao, config, suite, members, treasury, proposals: info.last_proposal_id };
  if (suite[MODEL_REGISTRY]) {
    const c = await view<{ active_model: string | null; model_count: number; verifier_in_sync: boolean }>(
      chain,
      suite[MODEL_REGISTRY],
      "get_config",
    );
    out.active_model = c.active_model;
    out.model_count = c.model_count;
    out.verifier_in_sync = c.verifier_in_sync;
  }
  if (suite[DATASET_REGISTRY]) out.datasets = (await listDatasets(chain, dao)).length;
  if (suite[VERIFIER]) {
    out.attesters = await allPages<unknown>(chain, suite[VERIFIER], "get_attesters");
    out.current_epoch = await view<number>(chain, suite[VERIFIER], "current_epoch");
    out.epoch_length_ns = (
      await view<{ settings: { epoch_length_ns: string } }>(chain, suite[VERIFIER], "get_config")
    ).settings.epoch_length_ns;
  }
  if (suite[REWARD_POOL]) out.pool = await view<Record<string, string>>(chain, suite[REWARD_POOL], "get_totals");
  return out;
}
