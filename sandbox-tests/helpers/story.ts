// The community story of scripts/scenario/community.ts told on a near-workspaces node: the steps the flow test asserts
// on and the bench measures, written once (the demo tells the same story through the CLI's code). Every transaction
// goes through the caller's `record(label, outcome)`: the flow test's asserts success and logs the gas, the bench's
// makes a gas row. Each step throws when its transaction failed, with the receipts' failure messages. What is
// checked or measured between the steps stays with the caller.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { NearAccount, TransactionResult } from "near-workspaces";
import {
  DATA_DIR,
  loadVerified,
  MANIFEST_PATH,
  type ManifestEntry,
  readManifest,
  sha256Hex,
} from "../../attester/src/data.ts";
import { type Model, train, weightsSha256 } from "../../attester/src/model.ts";
import type { AttesterKey } from "../../attester/src/receipt.ts";
import { DEFAULT_ACTIVATION_DEPOSIT } from "../../contracts/wire/activation.ts";
import { ADD_PROPOSAL_GAS, executeGasOf, VOTE_GAS } from "../../scripts/cli/dao-calls.ts";
import {
  ATTESTER_BOND,
  CAST,
  COMMUNITY,
  datasetCreators,
  MANIFEST_NAME,
  modelMakers,
  POOL_GRANT,
  POOL_POLICY,
  type Role,
  type Share,
  VERIFIER_SETTINGS,
} from "../../scripts/scenario/community.ts";
import { createCommunityWith, deployFactory, type Quote, type Recorder } from "./community.ts";
import { must, NEAR, ROOT, TGAS } from "./tx.ts";

// Called with every transaction of the story; returns the outcome (a recorder may throw on failure).
export type { Recorder };

/** The story's accounts under `root`, each with `balance`. */
export async function castAccounts(root: NearAccount, balance = 100n * NEAR): Promise<Record<Role, NearAccount>> {
  const roles = Object.keys(CAST) as Role[];
  const accounts = await Promise.all(roles.map((r) => root.createSubAccount(CAST[r], { initialBalance: balance })));
  return Object.fromEntries(roles.map((r, i) => [r, accounts[i]])) as Record<Role, NearAccount>;
}

/**
 * A factory at `commons.<root>` owned by a new `owner` account, which publishes the five codes from build/ as release
 * 1.0.0 (helpers/community.ts deployFactory; each `publish_code <code>` recorded).
 */
export async function storyFactory(root: NearAccount, record: Recorder): Promise<NearAccount> {
  return deployFactory(root, await root.createSubAccount("owner"), "commons", record);
}

export interface StoryCommunity {
  factory: NearAccount;
  /** code name -> account id */
  ids: Record<string, string>;
  dao: NearAccount;
  datasets: NearAccount;
  models: NearAccount;
  verifier: NearAccount;
  pool: NearAccount;
  /** the factory's quote the founder paid (get_required_deposit for exactly this community) */
  quote: Quote;
}

/**
 * The community, created by `founder` in one create_community transaction (recorded as "create_community") with the
 * DAO's default policy, `council` as its founding council, and the story's verifier settings and pool policy.
 */
export async function storyCommunity(
  root: NearAccount,
  factory: NearAccount,
  founder: NearAccount,
  council: NearAccount[],
  record: Recorder,
): Promise<StoryCommunity> {
  const { ids, quote } = await createCommunityWith(
    factory,
    founder,
    {
      name: COMMUNITY.name,
      config: COMMUNITY.config,
      council,
      initArgs: { "inference-verifier": { settings: VERIFIER_SETTINGS }, "reward-pool": { policy: POOL_POLICY } },
    },
    record,
  );
  const acc = (code: string) => root.getAccount(ids[code]);
  return {
    factory,
    ids,
    dao: acc("community-dao"),
    datasets: acc("dataset-registry"),
    models: acc("model-registry"),
    verifier: acc("inference-verifier"),
    pool: acc("reward-pool"),
    quote,
  };
}

/** A DAO proposal kind: `{ kind, ...fields }`. */
export type Kind = { kind: string } & Record<string, unknown>;

/**
 * The DAO as its council uses it: `proposer` proposes with the policy's bond, the council approves (votes until the
 * proposal is decided) and `executor` executes with the gas the CLI and the web app attach for the kind. Labels:
 * "<label>: add_proposal", "<label>: vote", "<label>: execute".
 */
export class Council {
  constructor(
    readonly dao: NearAccount,
    public voters: NearAccount[],
    readonly proposer: NearAccount,
    readonly executor: NearAccount,
    readonly record: Recorder,
  ) {}

  async propose(label: string, kind: Kind): Promise<number> {
    const policy = await this.dao.view<{ parameters: { proposal_bond: string } }>("get_policy");
    const r = await this.proposer.callRaw(
      this.dao,
      "add_proposal",
      { description: label, kind },
      { attachedDeposit: BigInt(policy.parameters.proposal_bond), gas: ADD_PROPOSAL_GAS },
    );
    return must(this.record(`${label}: add_proposal`, r), `${label}: add_proposal`).parseResult<number>();
  }

  async vote(label: string, id: number, voter: NearAccount): Promise<TransactionResult> {
    const r = await voter.callRaw(this.dao, "vote", { id, choice: "Approve" }, { gas: VOTE_GAS });
    return must(this.record(`${label}: vote`, r), `${label}: vote`);
  }

  /** Votes Approve with each voter in turn until the proposal is no longer in progress. */
  async approve(label: string, id: number): Promise<void> {
    for (const v of this.voters) {
      if ((await this.status(id)).status !== "InProgress") return;
      await this.vote(label, id, v);
    }
  }

  async execute(label: string, id: number, kind: Kind): Promise<TransactionResult> {
    const gas = executeGasOf(kind) ?? 300n * TGAS;
    const r = this.record(`${label}: execute`, await this.executor.callRaw(this.dao, "execute", { id }, { gas }));
    must(r, `${label}: execute`);
    const p = await this.status(id);
    if (p.status !== "Executed") {
      throw new Error(
        `${label}: proposal ${id} is ${p.status} (${p.last_error}): ${r.receiptFailureMessages.join(" | ")}`,
      );
    }
    return r;
  }

  /** Propose, approve, execute; returns the execute transaction. */
  async pass(label: string, kind: Kind): Promise<TransactionResult> {
    const id = await this.propose(label, kind);
    await this.approve(label, id);
    return this.execute(label, id, kind);
  }

  status(id: number): Promise<{ status: string; last_error: string | null }> {
    return this.dao.view("get_proposal", { id });
  }
}

export interface StoryDataset {
  dataset_id: string;
  creators: Share[];
}

/** submit_dataset's arguments for an entry of data/manifest.json (its file's size, a file:// URI, the CLI's datasheet). */
export function manifestDatasetInput(e: ManifestEntry, creators: Share[]) {
  const [name, version] = e.dataset_id.split("@");
  return {
    name,
    version,
    content_sha256: e.content_sha256,
    size_bytes: String(statSync(join(DATA_DIR, e.file)).size),
    uris: [`file://data/${e.file}`],
    license: e.license,
    datasheet_sha256: sha256Hex(`datasheet of ${e.dataset_id}`),
    creators,
  };
}

/** The i-th dataset of data/manifest.json submitted by the creator with the story's shares ("submit_dataset <id>"). */
export async function submitStoryDataset(
  c: StoryCommunity,
  cast: Record<Role, NearAccount>,
  i: number,
  record: Recorder,
): Promise<StoryDataset> {
  const e = readManifest().entries[i];
  const creators = datasetCreators(i, cast.creator.accountId, cast.coCreator.accountId);
  const label = `submit_dataset ${e.dataset_id}`;
  const r = await cast.creator.callRaw(c.datasets, "submit_dataset", manifestDatasetInput(e, creators), {
    attachedDeposit: NEAR / 10n,
    gas: 30n * TGAS,
  });
  return { dataset_id: must(record(label, r), label).parseResult<string>(), creators };
}

/** The story's datasets: how many data/manifest.json lists. */
export function storyDatasetCount(): number {
  return readManifest().entries.length;
}

/** The manifest of the admitted datasets, created by the creator ("create_manifest"); returns its id. */
export async function createStoryManifest(
  c: StoryCommunity,
  cast: Record<Role, NearAccount>,
  datasetIds: string[],
  record: Recorder,
): Promise<number> {
  const r = await cast.creator.callRaw(
    c.datasets,
    "create_manifest",
    { name: MANIFEST_NAME, dataset_ids: datasetIds },
    { attachedDeposit: NEAR / 10n, gas: 30n * TGAS },
  );
  return must(record("create_manifest", r), "create_manifest").parseResult<number>();
}

/** attester/model-card.json: what the model registry is told about the model trained from data/. */
export interface ModelCard {
  model_name: string;
  model_version: string;
  framework: string;
  architecture: string;
  license: string;
  weights_sha256: string;
}

export function modelCard(): ModelCard {
  return JSON.parse(readFileSync(join(ROOT, "attester", "model-card.json"), "utf8")) as ModelCard;
}

export interface StoryModel {
  model: Model;
  weights_sha256: string;
  card: ModelCard;
}

/** The model trained from data/, its files checked against the manifest on chain (as the attester trains it). */
export async function trainStoryModel(c: StoryCommunity, manifestId: number): Promise<StoryModel> {
  const onChain = await c.datasets.view<{ root: string; entries: { dataset_id: string; content_sha256: string }[] }>(
    "get_manifest",
    { manifest_id: manifestId },
  );
  const content: Record<string, string> = {};
  for (const e of onChain.entries) content[e.dataset_id] = e.content_sha256;
  const model = train(loadVerified(MANIFEST_PATH, { content_sha256: content, root: onChain.root }).examples);
  return { model, weights_sha256: weightsSha256(model), card: modelCard() };
}

/** The model registered by its maker with the story's makers ("register_model"); returns its id. */
export async function registerStoryModel(
  c: StoryCommunity,
  cast: Record<Role, NearAccount>,
  manifestId: number,
  m: StoryModel,
  record: Recorder,
): Promise<string> {
  const r = await cast.maker.callRaw(
    c.models,
    "register_model",
    {
      name: m.card.model_name,
      version: m.card.model_version,
      weights_sha256: m.weights_sha256,
      framework: m.card.framework,
      architecture: m.card.architecture,
      training_manifest_id: manifestId,
      training_code_sha256: sha256Hex(readFileSync(join(ROOT, "attester", "src", "model.ts"))),
      license: m.card.license,
      creators: modelMakers(cast.maker.accountId, cast.coCreator.accountId),
    },
    { attachedDeposit: NEAR / 10n, gas: 30n * TGAS },
  );
  return must(record("register_model", r), "register_model").parseResult<string>();
}

/** The DAO's proposals of the story, each passed by the council: the kinds the CLI and the web app propose. */
export const storyKinds = {
  addMember: (member: NearAccount): Kind => ({ kind: "AddMember", member_id: member.accountId, role: "council" }),
  admitDataset: (datasetId: string): Kind => ({ kind: "AdmitDataset", dataset_id: datasetId }),
  // with the deposit ActivateModel attaches when none is named
  activateModel: (modelId: string): Kind => ({
    kind: "ActivateModel",
    model_id: modelId,
    deposit: DEFAULT_ACTIVATION_DEPOSIT.toString(),
  }),
  // the treasury posts the bond (and the attester's storage)
  addAttester: (attester: NearAccount, key: AttesterKey): Kind => ({
    kind: "AddAttester",
    attester_id: attester.accountId,
    public_key: key.public_key,
    bond: ATTESTER_BOND.toString(),
  }),
  fundRewardPool: (): Kind => ({ kind: "FundRewardPool", amount: POOL_GRANT.toString(), memo: "treasury grant" }),
};
