// EXPERIMENTAL_protocol_config: the runtime parameters as nearcore's RuntimeConfigView (near-workspaces reads
// runtime_config.storage_amount_per_byte; other tools read the fee tables), and the chain parameters it shares
// with EXPERIMENTAL_genesis_config.
import { ECONOMICS, PROTOCOL_VERSION, RUNTIME_CONFIG_VIEW } from "./runtime-config.ts";

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
  return {
    ...genesisParameters(genesis),
    protocol_upgrade_stake_threshold: [4, 5],
    online_min_threshold: [9, 10],
    online_max_threshold: [99, 100],
    // nearcore's own RuntimeConfigView of the protocol the engine runs
    runtime_config: RUNTIME_CONFIG_VIEW,
  };
}
