// The runtime parameters of the protocol the engine runs (86), read from nearcore's own config
// (near-parameters 0.37.4's RuntimeConfigStore, exported by the native module: runtimeConfigJson for the view of
// `EXPERIMENTAL_protocol_config`, actionFeesJson for every action fee by nearcore's ActionCosts name). Nothing
// here is typed in by hand except the genesis parameters at the end, which are the node's own choice.
import { actionFeesJson, engineProtocolVersion, runtimeConfigJson } from "./vm/index.ts";

export const PROTOCOL_VERSION = engineProtocolVersion();

/** nearcore's RuntimeConfigView for PROTOCOL_VERSION, as `EXPERIMENTAL_protocol_config.runtime_config` returns it. */
export const RUNTIME_CONFIG_VIEW = runtimeConfigJson();

/** A fee charged on send (split by whether sender == receiver: "sir") and on execution. */
export interface Fee {
  sendSir: bigint;
  sendNotSir: bigint;
  execution: bigint;
}

export function sendFee(f: Fee, sir: boolean): bigint {
  return sir ? f.sendSir : f.sendNotSir;
}

const feeTable = actionFeesJson();
function fee(name: string): Fee {
  const f = feeTable.action_fees[name];
  if (!f) throw new Error(`nearcore's fee table has no ${name}`);
  return { sendSir: BigInt(f.send_sir), sendNotSir: BigInt(f.send_not_sir), execution: BigInt(f.execution) };
}

export const ACTION_FEES = {
  actionReceiptCreation: fee("new_action_receipt"),
  dataReceiptBase: fee("new_data_receipt_base"),
  dataReceiptPerByte: fee("new_data_receipt_byte"),
  createAccount: fee("create_account"),
  deployContractBase: fee("deploy_contract_base"),
  deployContractPerByte: fee("deploy_contract_byte"),
  functionCallBase: fee("function_call_base"),
  functionCallPerByte: fee("function_call_byte"),
  transfer: fee("transfer"),
  stake: fee("stake"),
  addKeyFullAccess: fee("add_full_access_key"),
  addKeyFunctionCallBase: fee("add_function_call_key_base"),
  addKeyFunctionCallPerByte: fee("add_function_call_key_byte"),
  deleteKey: fee("delete_key"),
  deleteAccount: fee("delete_account"),
  delegate: fee("delegate"),
  deployGlobalContractBase: fee("deploy_global_contract_base"),
  deployGlobalContractPerByte: fee("deploy_global_contract_byte"),
  useGlobalContractBase: fee("use_global_contract_base"),
  useGlobalContractPerIdentifierByte: fee("use_global_contract_byte"),
} as const;

type View = {
  storage_amount_per_byte: string;
  min_gas_purchase_price: string;
  account_creation_charge: string;
  transaction_costs: {
    storage_usage_config: { num_bytes_account: number; num_extra_bytes_record: number };
    burnt_gas_reward: [number, number];
  };
  wasm_config: { ext_costs: Record<string, number>; regular_op_cost: number; limit_config: Record<string, number> };
  account_creation_config: { min_allowed_top_level_account_length: number; registrar_account_id: string };
};
const view = RUNTIME_CONFIG_VIEW as unknown as View;
const limit = (name: string): number => {
  const v = view.wasm_config.limit_config[name];
  if (typeof v !== "number") throw new Error(`nearcore's limit_config has no ${name}`);
  return v;
};

/** Host-function costs in gas (ExtCosts by nearcore's snake_case name), for reports and tests. */
export const EXT_COSTS: Readonly<Record<string, bigint>> = Object.fromEntries(
  Object.entries(view.wasm_config.ext_costs).map(([k, v]) => [k, BigInt(v)]),
);

export const LIMITS = {
  maxGasBurnt: BigInt(limit("max_gas_burnt")),
  maxTotalPrepaidGas: BigInt(limit("max_total_prepaid_gas")),
  maxActionsPerReceipt: limit("max_actions_per_receipt"),
  maxDeployActionsPerReceipt: limit("max_deploy_actions_per_receipt"),
  maxContractSize: limit("max_contract_size"),
  maxArgumentsLength: limit("max_arguments_length"),
  maxLengthMethodName: limit("max_length_method_name"),
  maxNumberBytesMethodNames: limit("max_number_bytes_method_names"),
  maxTransactionSize: limit("max_transaction_size"),
  maxFunctionBodySize: limit("max_function_body_size"),
  /** NEP-519: a yield not resumed within this many blocks is resolved with PromiseResult::Failed (200 at 86) */
  yieldTimeoutLengthInBlocks: BigInt(limit("yield_timeout_length_in_blocks")),
  registrarAccountId: view.account_creation_config.registrar_account_id,
  minAllowedTopLevelAccountLength: view.account_creation_config.min_allowed_top_level_account_length,
} as const;

export const ECONOMICS = {
  /** yoctoNEAR per byte of storage (1 NEAR per 100 KB) */
  storageAmountPerByte: BigInt(view.storage_amount_per_byte),
  /** yoctoNEAR per byte of a global contract's code, burnt by its deployer (NEP-591) */
  globalContractStorageAmountPerByte: BigInt(feeTable.global_contract_storage_amount_per_byte),
  /** NEP-642 (85): attached gas and execution fees are bought at max(gas price, this), the surplus refunded */
  minGasPurchasePrice: BigInt(view.min_gas_purchase_price),
  /** NEP-642 (85): burnt when a receipt creates an account, out of the signer's gas-price surplus */
  accountCreationCharge: BigInt(view.account_creation_charge),
  /** share of a receipt's VM-burnt gas credited to the receiving contract, as a fraction */
  burntGasRewardNumerator: BigInt(view.transaction_costs.burnt_gas_reward[0]),
  burntGasRewardDenominator: BigInt(view.transaction_costs.burnt_gas_reward[1]),
  accountStorageBytes: BigInt(view.transaction_costs.storage_usage_config.num_bytes_account),
  /** storage_usage_config: num_extra_bytes_record */
  numExtraBytesRecord: BigInt(view.transaction_costs.storage_usage_config.num_extra_bytes_record),
  // genesis parameters (the node's own, as near-sandbox's genesis sets them)
  minGasPrice: 100_000_000n,
  epochLength: 500n,
  transactionValidityPeriod: 100n,
} as const;
