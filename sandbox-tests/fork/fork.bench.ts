// Gas and storage of a fork on the local node (not an ava test): npx tsx sandbox-tests/fork/fork.bench.ts
// A parent community (DAO + dataset and model registries) of 100 members, 50 admitted datasets (two creators each),
// one manifest and 10 model versions (a finetune chain). JOINED members join its fork; then every call of the fork:
// execute Fork, join_fork x JOINED, create_fork (the read and the three accounts in one transaction, on the factory's
// global codes), execute_fork until Executed, import_page until both registries are complete. Prints each call's
// gas, the total, and the storage each account gained.
import "../helpers/env.ts";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import nearWorkspaces, { type NearAccount, type TransactionResult } from "near-workspaces";
import { daoWasm, HOUR_NS } from "../dao/fixture.ts";
import { datasetInput, failureText, gasOf, modelInput, NEAR, ROOT, TGAS } from "../registries/fixture.ts";
import { fundPublisher, publishCode } from "../helpers/community.ts";
import { must, b64json } from "../helpers/tx.ts";

const { Worker } = nearWorkspaces;
const { Logger } = createRequire(import.meta.url)("@near-js/utils") as {
  Logger: { overrideLogger(logger: undefined): void };
};
Logger.overrideLogger(undefined);
process.env.NEAR_WORKSPACES_NO_LOGS = "1";

const MEMBERS = 100;
const DATASETS = 50;
const MODELS = 10;
const JOINED = Number(process.env.JOINED ?? 60);
const CODES = ["dataset-registry", "model-registry"];

const POLICY = {
  v: 1,
  roles: [
    { name: "all", kind: "Everyone", permissions: ["*:propose", "*:execute"], vote_policy: {} },
    { name: "council", kind: "Group", permissions: ["*:propose", "*:vote", "*:remove"], vote_policy: {} },
  ],
  default_vote_policy: { weight_kind: "RoleWeight", quorum: 0, threshold: { kind: "Weight", weight: 1 } },
  parameters: { proposal_bond: NEAR.toString(), proposal_period: (24n * HOUR_NS).toString(), timelock: "0" },
  fork: { window: HOUR_NS.toString(), threshold_bps: 5000, ragequit: false },
};

async function storage(a: NearAccount): Promise<bigint> {
  return BigInt((await a.accountView()).storage_usage);
}

async function main(): Promise<void> {
  const worker = await Worker.init();
  try {
    const root = worker.rootAccount;
    const owner = await root.createSubAccount("owner", { initialBalance: 100n * NEAR });
    const alice = await root.createSubAccount("alice", { initialBalance: 100n * NEAR });
    // the factory keeps no wasm (global codes, NEP-591): a small balance is enough; the owner pays each burn
    const factory = await root.createSubAccount("commons", { initialBalance: 10n * NEAR });
    await factory.deploy(readFileSync(join(ROOT, "build", "community-factory.wasm")));
    await factory.call(factory, "init", { owner_id: owner.accountId }, { gas: 30n * TGAS });
    const wasm: Record<string, Uint8Array> = { "community-dao": daoWasm() };
    for (const c of CODES) wasm[c] = readFileSync(join(ROOT, "build", `${c}.wasm`));
    await fundPublisher(root, owner, ["community-dao", ...CODES]);
    for (const name of ["community-dao", ...CODES]) await publishCode(factory, owner, name, "1.0.0", wasm[name]);
    const needs = await factory.view<{ accounts_total: string; gas: string }>("get_required_deposit");
    const required = BigInt(needs.accounts_total);
    const dao_args = {
      config: { name: "Acme", purpose: "p", metadata: "" },
      policy: POLICY,
      members: [{ account_id: alice.accountId, roles: ["council"] }],
    };
    must(
      await alice.callRaw(
        factory,
        "create_community",
        { name: "acme", dao_args },
        { attachedDeposit: required + NEAR, gas: BigInt(needs.gas) },
      ),
      "create",
    );
    const acme = await factory.view<{ status: string }>("get_community", { name: "acme" });
    if (acme.status !== "Ready") throw new Error(`acme not created: ${JSON.stringify(acme)}`);
    const dao = root.getAccount("acme.commons.test.near");
    const sets = root.getAccount("acme_dataset-registry.commons.test.near");
    const models = root.getAccount("acme_model-registry.commons.test.near");
    await alice.transfer(dao, 20n * NEAR);
    const pass = async (kind: Record<string, unknown>) => {
      const r = await alice.callRaw(
        dao,
        "add_proposal",
        { description: "b", kind },
        { attachedDeposit: NEAR, gas: 100n * TGAS },
      );
      const id = must(r, "propose").parseResult<number>();
      must(await alice.callRaw(dao, "vote", { id, choice: "Approve" }, { gas: 50n * TGAS }), "vote");
      return id;
    };

    console.log(`setting up: ${MEMBERS} members, ${DATASETS} datasets, ${MODELS} model versions...`);
    const members: NearAccount[] = [alice];
    for (let i = 1; i < MEMBERS; i++) members.push(await root.createSubAccount(`m${i}`, { initialBalance: 5n * NEAR }));
    const add = await pass({
      kind: "AddMembers",
      members: members.slice(1).map((a) => ({ member_id: a.accountId, role: "council" })),
    });
    must(await alice.callRaw(dao, "execute", { id: add }, { gas: 300n * TGAS }), "add members");
    const ids: string[] = [];
    const creators = [
      { account_id: members[1].accountId, share_bps: 6000 },
      { account_id: members[2].accountId, share_bps: 4000 },
    ];
    for (let i = 0; i < DATASETS; i++) {
      const r = await members[1].callRaw(sets, "submit_dataset", datasetInput(`set${i}`, "1.0.0", creators), {
        attachedDeposit: NEAR / 10n,
        gas: 50n * TGAS,
      });
      ids.push(must(r, "submit").parseResult<string>());
    }
    for (let i = 0; i < DATASETS; i += 10) {
      const actions = ids.slice(i, i + 10).map((dataset_id) => ({
        method_name: "admit_dataset",
        args: b64json({ dataset_id }),
        deposit: "0",
        gas: (20n * TGAS).toString(),
      }));
      const id = await pass({ kind: "FunctionCall", receiver_id: sets.accountId, actions });
      must(await alice.callRaw(dao, "execute", { id }, { gas: 300n * TGAS }), "admit");
    }
    const manifest = must(
      await members[1].callRaw(
        sets,
        "create_manifest",
        { name: "train", dataset_ids: ids.slice(0, 20) },
        { attachedDeposit: NEAR / 10n, gas: 100n * TGAS },
      ),
      "manifest",
    ).parseResult<number>();
    let parent: string | null = null;
    for (let i = 0; i < MODELS; i++) {
      const over = parent ? { parent: { model_id: parent, relation: "finetune" } } : {};
      const r = await members[3].callRaw(models, "register_model", modelInput("chat", `1.0.${i}`, manifest, over), {
        attachedDeposit: NEAR / 10n,
        gas: 50n * TGAS,
      });
      parent = must(r, "register").parseResult<string>();
    }

    // ---- the fork ----------------------------------------------------------------------------------------------
    const rows: [string, bigint][] = [];
    const record = (label: string, r: TransactionResult) => {
      must(r, label);
      rows.push([label, gasOf(r)]);
      console.log(`${label.padEnd(48)} ${(Number(gasOf(r)) / 1e12).toFixed(2).padStart(8)} Tgas`);
      return r;
    };
    const daoBefore = await storage(dao);
    const forkId = await pass({ kind: "Fork", name: "spin" });
    record(
      "execute Fork (opens the window)",
      await alice.callRaw(dao, "execute", { id: forkId }, { gas: 100n * TGAS }),
    );
    let joinGas = 0n;
    for (const a of members.slice(0, JOINED)) {
      const r = must(await a.callRaw(dao, "join_fork", { id: forkId }, { gas: 30n * TGAS }), "join");
      joinGas += gasOf(r);
    }
    rows.push([`join_fork x ${JOINED}`, joinGas]);
    console.log(`${`join_fork x ${JOINED}`.padEnd(48)} ${(Number(joinGas) / 1e12).toFixed(2).padStart(8)} Tgas`);
    await worker.provider.fastForward(3000);
    // the first call decides (and removes the first page of joined members); the factory then creates the fork
    // community, and the next calls finish the exits and pay the new DAO
    let calls = 0;
    const settle = async () => {
      return record(
        `execute_fork #${++calls}`,
        await alice.callRaw(dao, "execute_fork", { id: forkId }, { gas: 100n * TGAS }),
      );
    };
    await settle();
    // with the gas of every account beyond the read, the read's callback creates them all: one transaction
    const forked = record(
      "create_fork (reserve, read, 3 accounts)",
      await alice.callRaw(
        factory,
        "create_fork",
        { name: "spin", parent: "acme", fork_id: forkId },
        { attachedDeposit: required + NEAR, gas: BigInt(needs.gas) + 250n * TGAS },
      ),
    );
    const spinView = await factory.view<{ status: string }>("get_community", { name: "spin" });
    if (spinView.status !== "Ready") {
      throw new Error(`spin not created in one transaction: ${forked.receiptFailureMessages.join(" | ")}`);
    }
    while ((await dao.view<{ status: string }>("get_fork", { id: forkId })).status !== "Executed") {
      if (calls > 10) throw new Error("fork not executed");
      await settle();
    }
    const spin = root.getAccount("spin.commons.test.near");
    const spinSets = root.getAccount("spin_dataset-registry.commons.test.near");
    const spinModels = root.getAccount("spin_model-registry.commons.test.near");
    for (const reg of [spinSets, spinModels]) {
      // the caller pays each page's storage: 1 NEAR attached, the rest comes back in the same transaction
      for (let p = 0; ; p++) {
        const r = record(
          `import_page ${reg === spinSets ? "datasets/manifests" : "models"} ${p}`,
          await alice.callRaw(reg, "import_page", { page: p }, { gas: 150n * TGAS, attachedDeposit: NEAR }),
        );
        const out = r.parseResult<{ status: string; complete?: boolean; storage_cost?: string } | null>();
        if (out?.status !== "Imported") throw new Error(`import_page ${p}: ${JSON.stringify(out)} ${failureText(r)}`);
        console.log(`  page ${p}: storage paid by the caller ${out.storage_cost} yocto`);
        if (out.complete) break;
        const st = await reg.view<{ complete: boolean }>("get_fork_import");
        if (st.complete) break;
      }
    }
    let sum = 0n;
    for (const [, g] of rows) sum += g;
    console.log(`${"total".padEnd(48)} ${(Number(sum) / 1e12).toFixed(2).padStart(8)} Tgas`);
    const paid = await dao.view<{ amount: string; available: string }>("get_fork", { id: forkId });
    console.log(`treasury share paid: ${paid.amount} of ${paid.available} yocto (x ${JOINED} / ${MEMBERS})`);
    console.log(`parent DAO storage: +${(await storage(dao)) - daoBefore} bytes`);
    // global code by hash: an account's storage is its own state and the 32-byte code hash, never the code
    for (const a of [spin, spinSets, spinModels]) {
      console.log(`${a.accountId}: ${await storage(a)} bytes stored (global code, not counted)`);
    }
    const c = await factory.view<{ provenance: string }>("get_community", { name: "spin" });
    console.log(c.provenance);
  } finally {
    await worker.tearDown();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
