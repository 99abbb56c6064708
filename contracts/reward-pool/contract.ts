import { call, initialize, NearBindgen, view } from "near-sdk-js";
import { JsonMap, JsonVector } from "../shared/json-store";
import { checkSuite, peerId } from "../shared/suite";
import { INFERENCE_VERIFIER, MODEL_REGISTRY, REWARD_POOL } from "../wire/contracts";
import { returnSourceMetadata } from "../shared/source-metadata";
import type { LineageCreator, LineageDataset, ModelRef } from "../wire/lineage";
import type { UsageModelEntry } from "../wire/usage-report";
import { assertAccountId } from "../shared/validate";
import { closeEpoch, onUsageReport } from "./epochs";
import * as funds from "./funds";
import * as ledger from "./ledger";
import { checkModel, registerLineage } from "./lineage";
import { checkPolicy, defaultPolicy } from "./policy";
import type { PoolState } from "./state";
import { emit } from "./state";
import type {
  AccountRecord,
  Allocation,
  ClaimRecord,
  DepositRecord,
  EpochRecord,
  Lineage,
  RewardPolicy,
  StorageRecord,
  Totals,
} from "./types";
import {
  accountClaimsPage,
  accountView,
  allocationsPage,
  claimsPage,
  depositsPage,
  epochsPage,
  invariantView,
} from "./views";
import { MIGRATIONS } from "./migrate";
import { migrateState, upgradeByDao, upgradeToGlobal } from "../shared/versioned-state";
import { onlyDao } from "../shared/access";

// The creator reward pool (issue 7): funds in from anyone, usage in from the verifier, lineage in from the model
// registry, epochs split by usage and lineage through accumulators, claims pulled by creators and attesters.
@NearBindgen({ requireInit: true })
export class RewardPool implements PoolState {
  state_version = MIGRATIONS.target;
  // Which contract this state belongs to: a migration refuses another contract's code (shared/versioned-state.ts).
  code_name = MIGRATIONS.contract;
  dao_id = "";
  verifier_id = "";
  model_registry_id = "";
  policy: RewardPolicy = {
    model_bps: 10000,
    data_bps: 0,
    parent_bps: 0,
    attester_fee: "0",
    epoch_length_ns: "1",
    release_bps: 10000,
  };
  policy_version = 0;
  totals: Totals = {
    deposited: "0",
    unallocated: "0",
    allocated: "0",
    claimed: "0",
    in_flight: "0",
    storage_charged: "0",
    storage_free: "0",
  };
  deposits = new JsonVector<DepositRecord>("d");
  epochs = new JsonMap<EpochRecord>("e");
  epoch_list = new JsonVector<number>("E");
  open_epochs: number[] = [];
  reports = new JsonMap<number>("r");
  allocations = new JsonVector<Allocation>("A");
  lineages = new JsonMap<Lineage>("l");
  dataset_bps = new JsonMap<number>("s");
  accounts = new JsonMap<AccountRecord>("a");
  claims = new JsonVector<ClaimRecord>("c");
  account_claims = new JsonMap<number>("C");
  storage = new JsonMap<StorageRecord>("S");

  @initialize({})
  // The factory passes `suite` (code name -> account id); explicit ids override it. No policy: defaultPolicy().
  init({
    dao_id,
    suite,
    verifier_id,
    model_registry_id,
    policy,
  }: {
    dao_id: string;
    suite?: Record<string, string>;
    verifier_id?: string;
    model_registry_id?: string;
    policy?: RewardPolicy;
  }): void {
    const peers = checkSuite(suite);
    this.dao_id = assertAccountId(dao_id, "dao_id");
    this.verifier_id = peerId(verifier_id, peers, INFERENCE_VERIFIER, "verifier_id", true);
    this.model_registry_id = peerId(model_registry_id, peers, MODEL_REGISTRY, "model_registry_id", true);
    this.policy = checkPolicy(policy === undefined ? defaultPolicy() : policy);
    this.policy_version = 1;
    emit("pool_created", [{ dao_id, verifier_id, model_registry_id, policy: this.policy }]);
  }

  // ---- governance and funding ------------------------------------------------------------------------------------

  // The DAO calls this through a proposal. Applies to epochs closed from now on; closed epochs keep their split.
  @call({})
  set_reward_policy({ policy }: { policy: RewardPolicy }): RewardPolicy {
    onlyDao(this.dao_id);
    this.policy = checkPolicy(policy);
    this.policy_version += 1;
    emit("policy_set", [{ policy_version: this.policy_version, policy: this.policy }]);
    return this.policy;
  }

  @call({ payableFunction: true })
  deposit({ memo }: { memo?: string | null }) {
    return funds.deposit(this, memo);
  }

  // ---- inputs from the other contracts ---------------------------------------------------------------------------

  // One part of the verifier's usage report: exactly UsageReportPart (contracts/wire/usage-report.ts; the ABI wants
  // the arguments spelled out), and `payer` when the part carries a deposit for its records.
  @call({ payableFunction: true })
  on_usage_report({
    ...report
  }: {
    payer?: string;
    community: string;
    epoch: number;
    epoch_start_ns: string;
    epoch_end_ns: string;
    part: number;
    parts: number;
    usage: UsageModelEntry[];
  }) {
    // `report` is the whole argument object, unknown fields included: anything but that shape is refused
    return onUsageReport(this, report);
  }

  // The attached deposit pays the records this part creates (any shortfall comes out of unallocated funds); what
  // they do not use goes to `payer` (the model registry names its DAO, whose deposit it is), else to the caller.
  @call({ payableFunction: true })
  register_lineage({
    model_name,
    model_version,
    model_creators,
    parent,
    datasets,
    part,
    total_parts,
    payer,
  }: {
    model_name: string;
    model_version: number | string;
    model_creators?: LineageCreator[];
    parent?: ModelRef<number | string> | null;
    datasets?: LineageDataset[];
    part?: number;
    total_parts?: number;
    payer?: string;
  }) {
    // the ABI wants the arguments spelled out: they are LineagePartInput (contracts/wire/lineage.ts)
    const input = { model_name, model_version, model_creators, parent, datasets, part, total_parts };
    return registerLineage(this, input, payer);
  }

  // ---- epochs and claims -----------------------------------------------------------------------------------------

  // Payable: what the close adds to the pool's bookkeeping (~0.004 NEAR a model) is paid by the pool's surplus, then
  // by the attached deposit, last by unallocated funds; the rest of the deposit is refunded.
  @call({ payableFunction: true })
  close_epoch({ epoch }: { epoch: number }) {
    return closeEpoch(this, epoch);
  }

  @call({})
  claim(): void {
    ledger.claim(this);
  }

  @call({ privateFunction: true })
  on_claim_transfer({ index }: { index: number }) {
    return ledger.onClaimTransfer(this, index);
  }

  // ---- NEP-145 storage -------------------------------------------------------------------------------------------

  @call({ payableFunction: true })
  storage_deposit({ account_id, registration_only }: { account_id?: string; registration_only?: boolean }) {
    return funds.storageDeposit(this, account_id, registration_only);
  }

  @call({ payableFunction: true })
  storage_withdraw({ amount }: { amount?: string }) {
    return funds.storageWithdraw(this, amount);
  }

  // NEP-145: 1 yocto; false when not registered; `force` forfeits what the caller could claim (funds.ts).
  @call({ payableFunction: true })
  storage_unregister({ force }: { force?: boolean }): boolean {
    return funds.storageUnregister(this, force);
  }

  @view({})
  storage_balance_of({ account_id }: { account_id: string }) {
    return funds.balanceView(this.storage.get(assertAccountId(account_id)));
  }

  @view({})
  storage_balance_bounds() {
    return { min: funds.storageMin().toString(), max: null };
  }

  // ---- views -----------------------------------------------------------------------------------------------------

  @view({})
  get_config() {
    return {
      state_version: this.state_version,
      dao_id: this.dao_id,
      verifier_id: this.verifier_id,
      model_registry_id: this.model_registry_id,
      policy: this.policy,
      policy_version: this.policy_version,
    };
  }

  @view({})
  get_totals(): Totals {
    return this.totals;
  }

  @view({})
  get_invariant() {
    return invariantView(this);
  }

  @view({})
  claimable({ account_id }: { account_id: string }): string {
    return ledger.claimableOf(this, assertAccountId(account_id)).toString();
  }

  @view({})
  get_account({ account_id }: { account_id: string }) {
    return accountView(this, account_id);
  }

  @view({})
  get_lineage({ model_name, model_version }: { model_name: string; model_version: number | string }): Lineage | null {
    return this.lineages.get(checkModel(model_name, model_version));
  }

  @view({})
  get_epoch({ epoch }: { epoch: number }): EpochRecord | null {
    return this.epochs.get(String(epoch));
  }

  @view({})
  get_epochs({ from_index, limit }: { from_index?: number; limit?: number }) {
    return epochsPage(this, from_index, limit);
  }

  @view({})
  get_allocations({ from_index, limit }: { from_index?: number; limit?: number }) {
    return allocationsPage(this, from_index, limit);
  }

  @view({})
  get_deposits({ from_index, limit }: { from_index?: number; limit?: number }) {
    return depositsPage(this, from_index, limit);
  }

  @view({})
  get_claims({ from_index, limit }: { from_index?: number; limit?: number }) {
    return claimsPage(this, from_index, limit);
  }

  @view({})
  get_account_claims({ account_id, from_index, limit }: { account_id: string; from_index?: number; limit?: number }) {
    return accountClaimsPage(this, account_id, from_index, limit);
  }
}

// Code upgrade by the community's DAO (its UpgradeSuite proposal): the raw input is the new wasm, deployed here with
// `migrate_state` in the same batch (shared/versioned-state.ts). Only the DAO in `dao_id` may call it.
export function upgrade(): void {
  upgradeByDao();
}

// Code upgrade by the community's DAO to global code (UpgradeSuite with `global`, NEP-591): `{hash}` names code in the
// chain's global store; the switch and `migrate_state` run in one batch. Only the DAO in `dao_id` may call it.
export function upgrade_to(): void {
  upgradeToGlobal((state) => onlyDao(state.dao_id));
}

export function migrate_state(): void {
  migrateState(MIGRATIONS, emit);
}

// NEP-330 source metadata: version, standards and how this wasm was built (docs/source-metadata.md).
export function contract_source_metadata(): void {
  returnSourceMetadata(REWARD_POOL);
}
