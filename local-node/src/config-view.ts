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

/** EXPERIMENTAL_protocol_config as nearcore 2.13 answers it: ProtocolConfigView's fields in its order
 * (near-chain-configs genesis_config.rs), nearcore's genesis defaults where the node has no say, a single shard. */
export function protocolConfigView(genesis: { chain_id: string; genesis_time: string }): unknown {
  const g = genesisParameters(genesis);
  return {
    protocol_version: g.protocol_version,
    genesis_time: g.genesis_time,
    chain_id: g.chain_id,
    genesis_height: g.genesis_height,
    num_block_producer_seats: g.num_block_producer_seats,
    dynamic_resharding: false,
    protocol_upgrade_stake_threshold: [4, 5],
    epoch_length: g.epoch_length,
    gas_limit: g.gas_limit,
    min_gas_price: g.min_gas_price,
    max_gas_price: g.max_gas_price,
    block_producer_kickout_threshold: g.block_producer_kickout_threshold,
    chunk_producer_kickout_threshold: g.chunk_producer_kickout_threshold,
    chunk_validator_only_kickout_threshold: 80,
    target_validator_mandates_per_shard: 68,
    online_min_threshold: [9, 10],
    online_max_threshold: [99, 100],
    gas_price_adjustment_rate: g.gas_price_adjustment_rate,
    // nearcore's own RuntimeConfigView of the protocol the engine runs
    runtime_config: RUNTIME_CONFIG_VIEW,
    transaction_validity_period: g.transaction_validity_period,
    protocol_reward_rate: g.protocol_reward_rate,
    max_inflation_rate: g.max_inflation_rate,
    num_blocks_per_year: g.num_blocks_per_year,
    protocol_treasury_account: g.protocol_treasury_account,
    fishermen_threshold: g.fishermen_threshold,
    minimum_stake_divisor: g.minimum_stake_divisor,
    max_kickout_stake_perc: 100,
    minimum_stake_ratio: [1, 6250],
    shuffle_shard_assignment_for_chunk_producers: false,
    minimum_validators_per_shard: 1,
    shard_layout: {
      V2: {
        boundary_accounts: [],
        shard_ids: [0],
        id_to_index_map: { "0": 0 },
        index_to_id_map: { "0": 0 },
        shards_split_map: null,
        shards_parent_map: null,
        version: 0,
      },
    },
  };
}
