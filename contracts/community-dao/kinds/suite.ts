import { NearPromise } from "near-sdk-js";
import { callTakingUnusedGas } from "../../shared/promise";
import { availableTreasury } from "../treasury";
import type { ProposalKind } from "../types";
import type { KindHandler } from "./handler";
import { CALLBACK_GAS, isString, TGAS } from "./handler";
import { isAmount, isPublicKeyHex, isRecordId, isSafeInt, isValidAccountId } from "../../wire/fields";
import { DATASET_REGISTRY, INFERENCE_VERIFIER, MODEL_REGISTRY, REWARD_POOL } from "../../wire/contracts";
import { rewardPolicyError } from "../../wire/reward-policy";
import { DEFAULT_ACTIVATION_DEPOSIT, DEPRECATION_DEPOSIT, MAX_ACTIVATION_DEPOSIT } from "../../wire/activation";
import { ATTESTER_STORAGE_DEPOSIT } from "../../wire/dao";

// Gas attached to each call (docs/dao.md lists the measured use). Activation and rollback run the dataset check
// and the registry's callback (verifier push, first lineage part to the pool): the registry asks for >= 160 Tgas.
// They and DeprecateModel attach a deposit from the treasury for what the decision stores (wire/activation.ts); the
// registry sends what it does not keep back in the same execution.
export const DATASET_GAS = 20n * TGAS;
export const ACTIVATION_GAS = 160n * TGAS;
// Deprecating the active model: deprecate_model burns 14.7 Tgas and attaches the verifier update (15 Tgas) and its
// callback (20 Tgas) (measured at protocol 86, sandbox-tests/registries/activation-deposit.test.ts; the 45 Tgas
// attached before could not deprecate the active model). Call `execute` with 120 Tgas.
export const DEPRECATE_GAS = 55n * TGAS;
export const ATTESTER_GAS = 30n * TGAS;
// A slash pays the bond out (transfers): more than a plain status change.
export const VOID_GAS = 30n * TGAS;
export const POOL_GAS = 20n * TGAS;

const MAX_MEMO = 256;
const MAX_VOID_REASON = 200;

export type SuiteKind = Extract<
  ProposalKind,
  {
    kind:
      | "AdmitDataset"
      | "RejectDataset"
      | "RetireDataset"
      | "ActivateModel"
      | "DeprecateModel"
      | "RollbackModel"
      | "AddAttester"
      | "RemoveAttester"
      | "VoidReceipt"
      | "SetRewardPolicy"
      | "FundRewardPool";
  }
>;

// kind -> [code name of the receiver in `suite` (wire/contracts.ts), method, attached gas]. One table and one
// handler for all eleven kinds: every function and closure is bytecode that every call of the DAO loads (docs/dao.md,
// "Where the gas goes").
const CALLS: Record<string, [string, string, bigint]> = {
  AdmitDataset: [DATASET_REGISTRY, "admit_dataset", DATASET_GAS],
  RejectDataset: [DATASET_REGISTRY, "reject_dataset", DATASET_GAS],
  RetireDataset: [DATASET_REGISTRY, "retire_dataset", DATASET_GAS],
  // The registry's promise fails when the manifest check fails (unknown manifest, withdrawn data): so does ours.
  ActivateModel: [MODEL_REGISTRY, "activate_model", ACTIVATION_GAS],
  DeprecateModel: [MODEL_REGISTRY, "deprecate_model", DEPRECATE_GAS],
  RollbackModel: [MODEL_REGISTRY, "rollback_model", ACTIVATION_GAS],
  AddAttester: [INFERENCE_VERIFIER, "add_attester", ATTESTER_GAS],
  RemoveAttester: [INFERENCE_VERIFIER, "remove_attester", ATTESTER_GAS],
  VoidReceipt: [INFERENCE_VERIFIER, "void_receipt", VOID_GAS],
  SetRewardPolicy: [REWARD_POOL, "set_reward_policy", POOL_GAS],
  FundRewardPool: [REWARD_POOL, "deposit", POOL_GAS],
};

function memoErr(memo: unknown, field: string, max = MAX_MEMO): string | null {
  return memo === undefined || isString(memo, max) ? null : `ERR_INVALID_PROPOSAL: ${field} (<= ${max} chars)`;
}

// A deposit the largest lineage cannot need is refused: a mistyped amount would otherwise be attached (and, should the
// registry's callback fail unexpectedly, held there).
function depositErr(deposit: unknown): string | null {
  if (deposit === undefined) return null;
  const ok = isAmount(deposit) && deposit !== "0" && BigInt(deposit) <= MAX_ACTIVATION_DEPOSIT;
  return ok ? null : `ERR_INVALID_AMOUNT: deposit (1..${MAX_ACTIVATION_DEPOSIT} yocto)`;
}

// Field checks only: the callee repeats them, these refuse a bad proposal before anyone votes on it.
function fieldsErr(k: SuiteKind): string | null {
  switch (k.kind) {
    case "AdmitDataset":
    case "RejectDataset":
    case "RetireDataset":
      return isRecordId(k.dataset_id) ? memoErr(k.memo, "memo") : "ERR_INVALID_DATASET_ID: <name>@<version>";
    case "ActivateModel":
    case "DeprecateModel":
      if (!isRecordId(k.model_id)) return "ERR_INVALID_MODEL_ID: <name>@<version>";
      return k.kind === "DeprecateModel" ? memoErr(k.reason, "reason") : depositErr(k.deposit);
    case "RollbackModel":
      return depositErr(k.deposit);
    case "AddAttester":
    case "RemoveAttester":
      if (!isValidAccountId(k.attester_id)) return `ERR_INVALID_ACCOUNT_ID: attester_id ${String(k.attester_id)}`;
      if (k.kind === "RemoveAttester") return null;
      if (!isPublicKeyHex(k.public_key)) return "ERR_INVALID_PUBLIC_KEY: 128 lower-case hex (64-byte key without 04)";
      // The verifier checks its own minimum (`min_bond`): below it the execution fails and the bond comes back.
      return isAmount(k.bond) && k.bond !== "0" ? null : "ERR_INVALID_AMOUNT: bond";
    case "VoidReceipt":
      if (!isSafeInt(k.receipt_id, 0, Number.MAX_SAFE_INTEGER)) return "ERR_INVALID_RECEIPT_ID";
      if (k.slash !== undefined && typeof k.slash !== "boolean") return "ERR_INVALID_PROPOSAL: slash (boolean)";
      return memoErr(k.reason, "reason", MAX_VOID_REASON);
    case "SetRewardPolicy":
      // the pool's rules and codes (contracts/wire/reward-policy.ts), so a bad policy never reaches a vote; not an
      // object: ERR_INVALID_REWARD_POLICY here (ERR_INVALID_POLICY in the pool)
      return rewardPolicyError(k.policy, "ERR_INVALID_REWARD_POLICY");
    case "FundRewardPool":
      return isAmount(k.amount) && k.amount !== "0" ? memoErr(k.memo, "memo") : "ERR_INVALID_AMOUNT: amount";
  }
}

function activationDepositOf(deposit: string | undefined): bigint {
  return deposit === undefined ? DEFAULT_ACTIVATION_DEPOSIT : BigInt(deposit);
}

// The call's arguments (only the fields the callee knows) and the deposit taken from the treasury.
function argsOf(k: SuiteKind): [Record<string, unknown>, bigint] {
  switch (k.kind) {
    case "AdmitDataset":
    case "RejectDataset":
    case "RetireDataset":
      return [{ dataset_id: k.dataset_id, memo: k.memo }, 0n];
    case "ActivateModel":
      return [{ model_id: k.model_id }, activationDepositOf(k.deposit)];
    case "DeprecateModel":
      return [{ model_id: k.model_id, reason: k.reason }, DEPRECATION_DEPOSIT];
    case "RollbackModel":
      return [{}, activationDepositOf(k.deposit)];
    case "AddAttester":
      // the bond (the verifier returns it to the DAO when released, keeps it when slashed) and its storage
      return [
        { attester_id: k.attester_id, public_key: k.public_key, bond: k.bond },
        BigInt(k.bond) + ATTESTER_STORAGE_DEPOSIT,
      ];
    case "RemoveAttester":
      return [{ attester_id: k.attester_id }, 0n];
    case "VoidReceipt":
      return [{ receipt_id: k.receipt_id, slash: k.slash === true, reason: k.reason }, 0n];
    case "SetRewardPolicy": {
      const p = k.policy;
      const policy: Record<string, unknown> = {
        model_bps: p.model_bps,
        data_bps: p.data_bps,
        parent_bps: p.parent_bps,
        attester_fee: p.attester_fee,
        epoch_length_ns: p.epoch_length_ns,
        release_bps: p.release_bps,
      };
      return [{ policy }, 0n];
    }
    case "FundRewardPool":
      // the pool keeps its deposit record's storage out of the amount (a tiny amount fails there: Failed)
      return [{ memo: k.memo }, BigInt(k.amount)];
  }
}

// One typed call to a suite contract, executed like a FunctionCall: the promise and `on_execute` decide Executed /
// Failed, a failure changes nothing here and the proposal can be executed again. A deposit comes from the treasury
// and is checked against the available treasury at execution, as for Transfer.
export const suiteCall: KindHandler<SuiteKind> = {
  check: (dao, k, phase) => {
    const err = fieldsErr(k);
    if (err) return err;
    const code = CALLS[k.kind][0];
    const id = dao.suite ? dao.suite[code] : undefined;
    if (typeof id !== "string" || !isValidAccountId(id)) return `ERR_NO_SUITE_CONTRACT: ${code}`;
    if (phase === "execute" && availableTreasury(dao) < argsOf(k)[1]) return "ERR_INSUFFICIENT_TREASURY";
    return null;
  },
  apply: (dao, k) => {
    const [code, method, gas] = CALLS[k.kind];
    const [args, deposit] = argsOf(k);
    const callee = NearPromise.new(dao.suite[code]);
    // an activation also takes the gas the execute leaves unused: its lineage's size is known only at the registry
    // (contracts/model-registry/activation.ts), and an execute with 300 Tgas stores the largest a manifest allows
    if (k.kind === "ActivateModel" || k.kind === "RollbackModel")
      return callTakingUnusedGas(callee, method, args, deposit, gas);
    return callee.functionCall(method, JSON.stringify(args), deposit, gas);
  },
  gas: (_dao, k) => CALLS[k.kind][2] + CALLBACK_GAS + 5n * TGAS,
};
