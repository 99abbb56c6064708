// EXPERIMENTAL_protocol_config: the runtime parameters in nearcore's JSON field names (near-workspaces reads
// runtime_config.storage_amount_per_byte; other tools read the fee tables), and the chain parameters it shares
// with EXPERIMENTAL_genesis_config.
import {
  ACTION_FEES,
  ECONOMICS,
  EXT_COSTS,
  type Fee,
  LIMITS,
  PROTOCOL_VERSION,
  REGULAR_OP_COST,
} from "./runtime-config.ts";

const fee = (f: Fee) => ({
  send_sir: Number(f.sendSir),
  send_not_sir: Number(f.sendNotSir),
  execution: Number(f.execution),
});
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The chain parameters EXPERIMENTAL_protocol_config and EXPERIMENTAL_genesis_config both return. */
export function genesisParameters(genesis: { chain_id: string; genesis_time: string }): Record<string, unknown> {
  return {
    protocol_version: PROTOCOL_VERSION,
    genesis_time: genesis.genesis_time,
    chain_id: genesis.chain_id,
    genesis_height: 0,
    num_block_producer_seats: 1,
    num_block_producer_seats_per_shard: [1],
    avg_hidden_validator_seats_per_shard: [0],
    dynamic_resharding: false,
    epoch_length: Number(ECONOMICS.epochLength),
    gas_limit: 1_000_000_000_000_000,
    min_gas_price: ECONOMICS.minGasPrice.toString(),
    max_gas_price: "10000000000000000000000",
    block_producer_kickout_threshold: 90,
    chunk_producer_kickout_threshold: 90,
    gas_price_adjustment_rate: [1, 100],
    transaction_validity_period: Number(ECONOMICS.transactionValidityPeriod),
    protocol_reward_rate: [1, 10],
    max_inflation_rate: [1, 20],
    num_blocks_per_year: 31536000,
    protocol_treasury_account: "near",
    fishermen_threshold: "10000000000000000000000000",
    minimum_stake_divisor: 10,
  };
}

export function protocolConfigView(genesis: { chain_id: string; genesis_time: string }): unknown {
  const F = ACTION_FEES;
  const extCosts = Object.fromEntries(Object.entries(EXT_COSTS).map(([k, v]) => [snake(k), Number(v)]));
  const limits = Object.fromEntries(
    Object.entries(LIMITS)
      .filter(([k]) => !["registrarAccountId", "minAllowedTopLevelAccountLength"].includes(k))
      .map(([k, v]) => [snake(k), typeof v === "bigint" ? Number(v) : v]),
  );
  return {
    ...genesisParameters(genesis),
    protocol_upgrade_stake_threshold: [4, 5],
    online_min_threshold: [9, 10],
    online_max_threshold: [99, 100],
    runtime_config: {
      storage_amount_per_byte: ECONOMICS.storageAmountPerByte.toString(),
      transaction_costs: {
        action_receipt_creation_config: fee(F.actionReceiptCreation),
        data_receipt_creation_config: { base_cost: fee(F.dataReceiptBase), cost_per_byte: fee(F.dataReceiptPerByte) },
        action_creation_config: {
          create_account_cost: fee(F.createAccount),
          deploy_contract_cost: fee(F.deployContractBase),
          deploy_contract_cost_per_byte: fee(F.deployContractPerByte),
          function_call_cost: fee(F.functionCallBase),
          function_call_cost_per_byte: fee(F.functionCallPerByte),
          transfer_cost: fee(F.transfer),
          stake_cost: fee(F.stake),
          add_key_cost: {
            full_access_cost: fee(F.addKeyFullAccess),
            function_call_cost: fee(F.addKeyFunctionCallBase),
            function_call_cost_per_byte: fee(F.addKeyFunctionCallPerByte),
          },
          delete_key_cost: fee(F.deleteKey),
          delete_account_cost: fee(F.deleteAccount),
        },
        storage_usage_config: {
          num_bytes_account: Number(ECONOMICS.accountStorageBytes),
          num_extra_bytes_record: Number(ECONOMICS.numExtraBytesRecord),
        },
        burnt_gas_reward: [Number(ECONOMICS.burntGasRewardNumerator), Number(ECONOMICS.burntGasRewardDenominator)],
        pessimistic_gas_price_inflation_ratio: [103, 100],
      },
      wasm_config: {
        ext_costs: extCosts,
        grow_mem_cost: 1,
        regular_op_cost: Number(REGULAR_OP_COST),
        limit_config: limits,
      },
      account_creation_config: {
        min_allowed_top_level_account_length: LIMITS.minAllowedTopLevelAccountLength,
        registrar_account_id: LIMITS.registrarAccountId,
      },
    },
  };
}
