// One community end to end on the local node, created the way users create it (the factory's owner publishes each
// code once to the chain's global store, NEP-591; a creator creates every suite account in one transaction), then
// every user action once: DAO proposals, votes, execution and delegation; a dataset submitted and
// admitted, a manifest, a model registered and activated (DAO -> model registry -> dataset registry -> verifier);
// an attester bonded; one receipt, batches of 1 and 50; the usage report to the reward pool. Each gas figure is the
// whole receipt tree (gasOf); each storage figure is the contract account's storage_usage before and after.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bytesToHex, randomBytes } from "@noble/hashes/utils";
import { newKey, signReceipt, type UnsignedReceipt } from "../attester/src/receipt.ts";
import {
  b64json,
  chainNow,
  codeInput,
  eventsOf,
  failure,
  fastForward,
  gasOf,
  gasParts,
  must,
  NEAR,
  type NearAccount,
  ROOT,
  SEC,
  storageUsage,
  TGAS,
  type TransactionResult,
  type Worker,
} from "./lib.ts";
import type { AccountStorage, GasRow, StorageDelta } from "./results.ts";
import { DEFAULT_ACTIVATION_DEPOSIT } from "../contracts/wire/activation.ts";
import { RECEIPT_STORAGE_DEPOSIT } from "../contracts/wire/receipt.ts";

// Suite codes in factory publish order: the DAO first (mandatory), then the others.
export const SUITE = ["community-dao", "dataset-registry", "model-registry", "inference-verifier", "reward-pool"];
const HOUR_NS = 3600n * SEC;
// Short verifier windows so the usage report can be reached with sandbox_fast_forward.
const EPOCH_NS = 600n * SEC;
const VERIFIER_SETTINGS = {
  min_bond: NEAR.toString(),
  challenge_window_ns: (120n * SEC).toString(),
  max_receipt_age_ns: (3600n * SEC).toString(),
  max_clock_skew_ns: (60n * SEC).toString(),
  epoch_length_ns: EPOCH_NS.toString(),
};
const POOL_POLICY = {
  model_bps: 5000,
  data_bps: 4000,
  parent_bps: 1000,
  attester_fee: (10n ** 21n).toString(),
  epoch_length_ns: EPOCH_NS.toString(),
  release_bps: 10000,
};

function wasm(name: string): Buffer {
  return readFileSync(join(ROOT, "build", `${name}.wasm`));
}

function policy() {
  const ratio = { weight_kind: "RoleWeight", quorum: 0, threshold: { kind: "Ratio", numerator: 1, denominator: 2 } };
  return {
    v: 1,
    roles: [
      { name: "all", kind: "Everyone", permissions: ["*:propose", "*:execute"], vote_policy: {} },
      { name: "council", kind: "Group", permissions: ["*:propose", "*:vote", "*:remove"], vote_policy: {} },
    ],
    default_vote_policy: ratio,
    parameters: { proposal_bond: NEAR.toString(), proposal_period: (24n * HOUR_NS).toString(), timelock: "0" },
  };
}

export interface CommunityOut {
  rows: GasRow[];
  deltas: StorageDelta[];
  community: AccountStorage[];
  accounts: Record<string, string>;
  // what get_required_deposit asked the creator to attach (yocto): every suite account's starting balance
  deposit: string;
}

export async function communityScenario(worker: Worker): Promise<CommunityOut> {
  const root = worker.rootAccount;
  const rows: GasRow[] = [];
  const deltas: StorageDelta[] = [];
  // rows whose failing receipt is the measured story (a refused usage report is shown with a note instead)
  const tolerated = new Set<string>();
  const row = (id: string, group: string, label: string, r: TransactionResult, note?: string): TransactionResult => {
    // A failed action is recorded (and kept out of the baseline) rather than ending the bench: the contracts change
    // under it, and a page that shows which step broke is more use than no page.
    const failed = r.failed || r.receiptFailureMessages.length > 0 ? failure(r) : undefined;
    if (failed && !tolerated.has(id)) console.error(`[bench] ${label} failed: ${failed}`);
    rows.push({
      id,
      group,
      label,
      gas: Number(gasOf(r)),
      parts: gasParts(r),
      ...(note ? { note } : {}),
      ...(failed && !tolerated.has(id) ? { failed } : {}),
    });
    return r;
  };
  const measureStorage = async <T>(kind: string, account: string, how: string, per: number, f: () => Promise<T>) => {
    const before = await storageUsage(worker, account);
    const out = await f();
    const after = await storageUsage(worker, account);
    deltas.push({ kind, contract: contractOf(account), bytes: Math.round((after - before) / per), how });
    return out;
  };

  // --- the factory (its owner publishes each code once to the global store and pays its burn; the factory keeps
  // no wasm, so a small balance is enough) ---
  const factory = await root.createSubAccount("commons", { initialBalance: 10n * NEAR });
  await factory.deploy(wasm("community-factory"));
  await factory.call(factory, "init", { owner_id: root.accountId }, { gas: 100n * TGAS });
  for (const code of SUITE) {
    const bytes = wasm(code).length;
    const burn = BigInt(await factory.view<string>("get_publish_cost", { bytes }));
    const r = await root.callRaw(factory, "publish_code", codeInput(code, "1.0.0", wasm(code)), {
      attachedDeposit: burn,
      gas: 300n * TGAS,
    });
    row(
      `factory.publish_code.${code}`,
      "factory (owner, once per release)",
      `publish_code ${code}`,
      r,
      `burns ${(Number(burn) / 1e24).toFixed(2)} NEAR (${bytes.toLocaleString("en-US")} bytes x 10^20 yocto)`,
    );
  }
  const id = (code: string) => `${code === "community-dao" ? "acme" : `acme_${code}`}.${factory.accountId}`;
  const ids = Object.fromEntries(SUITE.map((c) => [c, id(c)]));
  const contractOf = (account: string) => SUITE.find((c) => ids[c] === account) ?? account;

  // --- create the community: every suite account in one transaction ---
  const [founder, alice, bob, dave, relayer] = await Promise.all(
    ["founder", "alice", "bob", "dave", "relayer"].map((n) =>
      root.createSubAccount(n, { initialBalance: 200n * NEAR }),
    ),
  );
  const required = await factory.view<{ accounts_total: string; gas: string }>("get_required_deposit");
  const create = await founder.callRaw(
    factory,
    "create_community",
    {
      name: "acme",
      dao_args: {
        config: { name: "Acme", purpose: "own our model", metadata: "" },
        policy: policy(),
        members: [founder, alice, bob].map((m) => ({ account_id: m.accountId, roles: ["council"] })),
      },
      // peers come from the factory's suite map (a creator may not name them: ERR_PEER_ARG), settings may be set
      init_args: {
        "inference-verifier": { settings: VERIFIER_SETTINGS },
        "reward-pool": { policy: POOL_POLICY },
      },
    },
    // get_required_deposit's gas: every account's batch in this one call (> 300 Tgas is allowed at protocol 86)
    // accounts_total plus the storage of the init arguments and the record (the excess is refunded)
    { attachedDeposit: BigInt(required.accounts_total) + NEAR, gas: BigInt(required.gas) },
  );
  row(
    "create.create_community",
    "create community",
    `create_community (checks, reserve, ${SUITE.length} accounts: create + fund + global code + init, callbacks)`,
    create,
    `${(Number(required.gas) / 1e12).toFixed(0)} Tgas attached`,
  );
  const view = await factory.view<{ status: string }>("get_community", { name: "acme" });
  if (view.status !== "Ready") {
    throw new Error(`community not ready: ${JSON.stringify(view)}: ${create.receiptFailureMessages.join(" | ")}`);
  }
  const createRows = rows.filter((r) => r.group === "create community");
  rows.push({
    id: "create.total",
    group: "create community",
    label: `whole community (${createRows.length} transaction${createRows.length === 1 ? "" : "s"})`,
    gas: createRows.reduce((s, r) => s + r.gas, 0),
  });

  const fresh: Record<string, number> = {};
  for (const code of SUITE) fresh[code] = await storageUsage(worker, ids[code]);
  const acc = (code: string): NearAccount => root.getAccount(ids[code]);
  const dao = acc("community-dao");
  const datasets = acc("dataset-registry");
  const models = acc("model-registry");
  const verifier = acc("inference-verifier");
  // the treasury pays the attester bond
  await root.transfer(dao, 20n * NEAR);

  const propose = (from: NearAccount, kind: Record<string, unknown>) =>
    from.callRaw(
      dao,
      "add_proposal",
      { description: `bench ${kind.kind}`, kind },
      { attachedDeposit: NEAR, gas: 100n * TGAS },
    );
  const vote = (from: NearAccount, pid: number) =>
    from.callRaw(dao, "vote", { id: pid, choice: "Approve" }, { gas: 100n * TGAS });
  const execute = (pid: number) => founder.callRaw(dao, "execute", { id: pid }, { gas: 300n * TGAS });
  // propose, two approvals, execute; returns the execute transaction
  const pass = async (label: string, kind: Record<string, unknown>): Promise<TransactionResult> => {
    const pid = must(label, await propose(founder, kind)).parseResult<number>();
    await approve(pid);
    return execute(pid);
  };
  // the council approves (more than half of it)
  const approve = async (pid: number): Promise<void> => {
    for (const m of [founder, alice, bob]) {
      const status = (await dao.view<{ status: string }>("get_proposal", { id: pid })).status;
      if (status !== "InProgress") return;
      must("vote", await vote(m, pid));
    }
  };
  const call = (receiver: NearAccount, method: string, args: unknown, gasT: bigint, deposit = 0n) => ({
    kind: "FunctionCall",
    receiver_id: receiver.accountId,
    actions: [{ method_name: method, args: b64json(args), deposit: deposit.toString(), gas: (gasT * TGAS).toString() }],
  });

  // --- DAO ---
  const addDave = { kind: "AddMember", member_id: dave.accountId, role: "council" };
  const p = await measureStorage("proposal (head + body)", dao.accountId, "add_proposal", 1, () =>
    propose(founder, addDave),
  );
  row("dao.propose", "community DAO", "propose (add_proposal, AddMember)", p);
  const pid = p.parseResult<number>();
  await measureStorage("vote", dao.accountId, "first vote", 1, async () =>
    row("dao.vote", "community DAO", "vote (not deciding)", await vote(founder, pid)),
  );
  row("dao.vote_deciding", "community DAO", "vote that approves (refunds the bond)", await vote(alice, pid));
  await measureStorage("member (record + slot + checkpoint)", dao.accountId, "execute AddMember", 1, async () =>
    row("dao.execute", "community DAO", "execute (AddMember, no cross-contract hop)", await execute(pid)),
  );
  await measureStorage("delegation (two checkpoints)", dao.accountId, "delegate", 1, async () =>
    row(
      "dao.delegate",
      "community DAO",
      "delegate",
      await bob.callRaw(
        dao,
        "delegate",
        { delegate_id: alice.accountId },
        { gas: 50n * TGAS, attachedDeposit: NEAR / 100n },
      ),
    ),
  );
  row(
    "dao.undelegate",
    "community DAO",
    "undelegate",
    await bob.callRaw(dao, "undelegate", {}, { gas: 50n * TGAS, attachedDeposit: NEAR / 100n }),
  );

  // --- datasets ---
  const sha = () => bytesToHex(randomBytes(32));
  const submit = await measureStorage("dataset", datasets.accountId, "submit_dataset", 1, () =>
    founder.callRaw(
      datasets,
      "submit_dataset",
      {
        name: "intents",
        version: "1.0.0",
        content_sha256: sha(),
        size_bytes: "123456789",
        uris: ["ipfs://bafyintents100", "https://data.example.org/intents/1.0.0.tar"],
        license: "CC-BY-4.0",
        datasheet_sha256: sha(),
        creators: [{ account_id: founder.accountId, share_bps: 10000 }],
      },
      { attachedDeposit: NEAR, gas: 100n * TGAS },
    ),
  );
  row("datasets.submit", "datasets and models", "submit dataset", submit);
  const datasetId = submit.parseResult<string>();
  const admitKind = call(datasets, "admit_dataset", { dataset_id: datasetId }, 20n);
  const pa = await propose(founder, admitKind);
  row("dao.propose_function_call", "community DAO", "propose (FunctionCall: admit_dataset)", pa);
  const paid = pa.parseResult<number>();
  await approve(paid);
  row(
    "datasets.admit",
    "datasets and models",
    "admit dataset (DAO execute -> registry -> DAO callback)",
    await execute(paid),
  );
  const manifest = await measureStorage("manifest (1 dataset)", datasets.accountId, "create_manifest", 1, () =>
    founder.callRaw(
      datasets,
      "create_manifest",
      { name: "community-intents", dataset_ids: [datasetId] },
      { attachedDeposit: NEAR, gas: 100n * TGAS },
    ),
  );
  row("datasets.manifest", "datasets and models", "create manifest (1 dataset)", manifest);
  const manifestId = manifest.parseResult<number>();
  const weights = sha();
  const reg = await measureStorage("model", models.accountId, "register_model", 1, () =>
    founder.callRaw(
      models,
      "register_model",
      {
        name: "intents",
        version: "1.0.0",
        weights_sha256: weights,
        framework: "pytorch 2.3",
        architecture: "bag-of-words classifier",
        training_manifest_id: manifestId,
        training_code_sha256: sha(),
        license: "Apache-2.0",
      },
      { attachedDeposit: NEAR, gas: 100n * TGAS },
    ),
  );
  row("models.register", "datasets and models", "register model", reg);
  const modelId = reg.parseResult<string>();
  const activation = await pass(
    "activate",
    call(models, "activate_model", { model_id: modelId }, 200n, DEFAULT_ACTIVATION_DEPOSIT),
  );
  row(
    "models.activate",
    "datasets and models",
    "activate model (DAO -> model registry -> dataset check -> verifier and lineage pushes -> callbacks)",
    activation,
  );
  const active = await verifier.view<{ model_version: string } | null>("get_active_model", {});
  if (active?.model_version !== "1.0.0")
    console.error("[bench] the model did not reach the verifier: receipts will fail");

  // --- attester and receipts ---
  const key = newKey();
  const attesterId = `attester.${root.accountId}`;
  await measureStorage("attester (record + key index)", verifier.accountId, "add_attester", 1, async () =>
    row(
      "verifier.add_attester",
      "inference receipts",
      "bond an attester (DAO execute -> verifier, 1 NEAR from the treasury)",
      await pass(
        "add_attester",
        // the bond, plus 0.01 NEAR for the attester record's storage (the excess comes back to the treasury)
        call(
          verifier,
          "add_attester",
          { attester_id: attesterId, public_key: key.public_key, bond: NEAR.toString() },
          30n,
          NEAR + NEAR / 100n,
        ),
      ),
    ),
  );
  let nonce = 1_000_000n;
  const receipt = (now: bigint) => {
    nonce += 1n;
    const r: UnsignedReceipt = {
      community: dao.accountId,
      model_name: "intents",
      model_version: "1.0.0",
      weights_sha256: weights,
      input_sha256: sha(),
      output_sha256: sha(),
      attester_id: attesterId,
      nonce: nonce.toString(),
      timestamp: now.toString(),
      enclave_measurement: null,
    };
    return signReceipt(verifier.accountId, r, key.private_key);
  };
  const perReceipt = RECEIPT_STORAGE_DEPOSIT;
  let now = await chainNow(worker);
  row(
    "receipts.one",
    "inference receipts",
    "one receipt (submit_receipt)",
    await relayer.callRaw(
      verifier,
      "submit_receipt",
      { receipt: receipt(now) },
      { attachedDeposit: perReceipt, gas: 100n * TGAS },
    ),
  );
  const batch = (n: number) =>
    relayer.callRaw(
      verifier,
      "submit_receipts",
      { receipts: Array.from({ length: n }, () => receipt(now)) },
      { attachedDeposit: BigInt(n) * perReceipt, gas: 300n * TGAS },
    );
  const b1 = row("receipts.batch1", "inference receipts", "batch of 1 (submit_receipts)", await batch(1));
  now = await chainNow(worker);
  const b50 = await measureStorage("receipt (record + nonce)", verifier.accountId, "batch of 50 / 50", 50, () =>
    batch(50),
  );
  row("receipts.batch50", "inference receipts", "batch of 50 (submit_receipts)", b50);
  rows.push({
    id: "receipts.marginal",
    group: "inference receipts",
    label: "marginal receipt in a batch of 50: (batch 50 - batch 1) / 49",
    gas: Math.round((Number(gasOf(b50)) - Number(gasOf(b1))) / 49),
    ...(b1.failed || b50.failed ? { failed: "a batch failed" } : {}),
  });

  // --- usage report: past the epoch's end and the challenge window ---
  const epochs = new Set<number>();
  for (const r of await verifier.view<{ accepted_at: string }[]>("get_receipts", { from_index: 0, limit: 100 })) {
    epochs.add(Number(BigInt(r.accepted_at) / EPOCH_NS));
  }
  await fastForward(worker, Math.ceil(Number(EPOCH_NS + 180n * SEC) / 1.3e9) + 5);
  // the receipts may straddle an epoch boundary: earlier epochs are reported and closed unmeasured
  const sorted = [...epochs].sort((a, b) => a - b);
  const epoch = sorted.length > 0 ? sorted[sorted.length - 1] : 0;
  for (const e of sorted.slice(0, -1)) {
    must("report_usage", await relayer.callRaw(verifier, "report_usage", { epoch: e }, { gas: 200n * TGAS }));
  }
  const rep = await relayer.callRaw(verifier, "report_usage", { epoch }, { gas: 200n * TGAS });
  const failed = eventsOf(rep).find((e) => e.event === "usage_report_failed");
  const accepted = eventsOf(rep).some((e) => e.event === "usage_reported");
  // the verifier's own call succeeded and recorded the pool's refusal: show that path's gas with the reason
  if (!accepted && failed && !rep.failed) tolerated.add("verifier.report_usage");
  const why = rep.receiptFailureMessages.join(" ").match(/ERR_[A-Z_]+[^"\\]*/)?.[0] ?? JSON.stringify(failed?.data);
  row(
    "verifier.report_usage",
    "rewards",
    "report usage (verifier -> reward pool -> verifier callback)",
    rep,
    tolerated.has("verifier.report_usage")
      ? `the pool refused the report (${why}); gas of that failing path`
      : undefined,
  );

  // --- close the epoch and claim on the community's own pool (lineage came from the model registry on activation) ---
  const pool = acc("reward-pool");
  must("deposit", await founder.callRaw(pool, "deposit", {}, { attachedDeposit: 10n * NEAR, gas: 50n * TGAS }));
  for (const e of sorted.slice(0, -1)) {
    must("close_epoch", await relayer.callRaw(pool, "close_epoch", { epoch: e }, { gas: 100n * TGAS }));
  }
  row(
    "rewards.close",
    "rewards",
    "close epoch (1 model)",
    await relayer.callRaw(pool, "close_epoch", { epoch }, { gas: 100n * TGAS }),
  );
  must(
    "storage_deposit",
    await founder.callRaw(pool, "storage_deposit", {}, { attachedDeposit: NEAR / 10n, gas: 50n * TGAS }),
  );
  row(
    "rewards.claim",
    "rewards",
    "claim (claim -> transfer -> on_claim_transfer callback)",
    await founder.callRaw(pool, "claim", {}, { gas: 100n * TGAS }),
  );

  // --- what the community's accounts hold ---
  const community: AccountStorage[] = [];
  for (const code of SUITE) {
    community.push({
      contract: code,
      account_id: ids[code],
      code_bytes: wasm(code).length,
      fresh_usage: fresh[code],
      storage_usage: await storageUsage(worker, ids[code]),
    });
  }
  return { rows, deltas, community, accounts: ids, deposit: required.accounts_total };
}
