// JSON views of blocks, chunks and the node (status, genesis config, validators) in nearcore's shapes.
import type { BlockInfo } from "./blocks.ts";
import type { Chain } from "./chain.ts";
import { genesisParameters } from "./config-view.ts";
import { b58, sha256 } from "./util.ts";

export const chunkHashOf = (b: BlockInfo): string => b58(sha256(Buffer.from(`chunk:${b.hash}`)));

export function blockView(chain: Chain, b: BlockInfo): unknown {
  const chunkHash = chunkHashOf(b);
  const prevHeight = b.height === 0n ? 0n : b.height - 1n;
  return {
    author: chain.genesis.validator.account_id,
    header: {
      height: b.height,
      prev_height: prevHeight,
      epoch_id: b.epochId,
      next_epoch_id: b.nextEpochId,
      hash: b.hash,
      prev_hash: b.prevHash,
      prev_state_root: b.prevHash,
      block_body_hash: b.hash,
      chunk_receipts_root: b.hash,
      chunk_headers_root: b.hash,
      chunk_tx_root: b.hash,
      outcome_root: b.hash,
      chunks_included: 1,
      challenges_root: "11111111111111111111111111111111",
      timestamp: b.timestampNs,
      timestamp_nanosec: b.timestampNs.toString(),
      random_value: b58(sha256(Buffer.from(`random:${b.hash}`))),
      validator_proposals: [],
      chunk_mask: [true],
      gas_price: chain.gasPriceView(),
      block_ordinal: b.height + 1n,
      rent_paid: "0",
      validator_reward: "0",
      total_supply: chain.totalSupply().toString(),
      challenges_result: [],
      last_final_block: b.prevHash,
      last_ds_final_block: b.prevHash,
      next_bp_hash: b.nextEpochId,
      block_merkle_root: b.hash,
      epoch_sync_data_hash: null,
      approvals: [],
      signature: `ed25519:${b58(new Uint8Array(64))}`,
      latest_protocol_version: 77,
    },
    chunks: [chunkHeader(b, chunkHash)],
  };
}

export function chunkHeader(b: BlockInfo, chunkHash: string): unknown {
  return {
    chunk_hash: chunkHash,
    prev_block_hash: b.prevHash,
    outcome_root: b.hash,
    prev_state_root: b.prevHash,
    encoded_merkle_root: b.hash,
    encoded_length: 0,
    height_created: b.height,
    height_included: b.height,
    shard_id: 0,
    gas_used: 0,
    gas_limit: 1_000_000_000_000_000,
    rent_paid: "0",
    validator_reward: "0",
    balance_burnt: "0",
    outgoing_receipts_root: b.hash,
    tx_root: b.hash,
    validator_proposals: [],
    congestion_info: null,
    bandwidth_requests: null,
    signature: `ed25519:${b58(new Uint8Array(64))}`,
  };
}

export function statusView(chain: Chain, rpcAddr: string, startedAt: number): unknown {
  const head = chain.blocks.headInfo();
  const genesis = chain.blocks.info(0n)!;
  const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();
  return {
    version: { version: "2.6.2", build: "ai-commons-local-node", rustc_version: "" },
    chain_id: chain.genesis.chain_id,
    protocol_version: 77,
    latest_protocol_version: 77,
    rpc_addr: rpcAddr,
    validators: [{ account_id: chain.genesis.validator.account_id, is_slashed: false }],
    sync_info: {
      latest_block_hash: head.hash,
      latest_block_height: head.height,
      latest_state_root: head.prevHash,
      latest_block_time: iso(head.timestampNs),
      syncing: false,
      earliest_block_hash: genesis.hash,
      earliest_block_height: 0,
      earliest_block_time: iso(genesis.timestampNs),
      epoch_id: head.epochId,
      epoch_start_height: head.epochStartHeight,
    },
    validator_account_id: chain.genesis.validator.account_id,
    validator_public_key: chain.genesis.validator.public_key,
    node_public_key: chain.genesis.validator.public_key,
    node_key: null,
    uptime_sec: Math.floor((Date.now() - startedAt) / 1000),
    genesis_hash: genesis.hash,
    detailed_debug_status: null,
  };
}

export function genesisConfigView(chain: Chain): unknown {
  const g = chain.genesis;
  return {
    ...genesisParameters(g),
    validators: [
      {
        account_id: g.validator.account_id,
        public_key: g.validator.public_key,
        amount: "50000000000000000000000000000000",
      },
    ],
    total_supply: chain.totalSupply().toString(),
  };
}

export function validatorsView(chain: Chain): unknown {
  const head = chain.blocks.headInfo();
  const v = {
    account_id: chain.genesis.validator.account_id,
    public_key: chain.genesis.validator.public_key,
    is_slashed: false,
    stake: chain.state.getAccount(chain.genesis.validator.account_id)?.locked.toString() ?? "0",
    shards: [0],
    num_produced_blocks: Number(head.height - head.epochStartHeight),
    num_expected_blocks: Number(head.height - head.epochStartHeight),
    num_produced_chunks: Number(head.height - head.epochStartHeight),
    num_expected_chunks: Number(head.height - head.epochStartHeight),
  };
  return {
    current_validators: [v],
    next_validators: [{ account_id: v.account_id, public_key: v.public_key, stake: v.stake, shards: [0] }],
    current_fishermen: [],
    next_fishermen: [],
    current_proposals: [],
    prev_epoch_kickout: [],
    epoch_start_height: head.epochStartHeight,
    epoch_height: head.epochHeight,
  };
}
