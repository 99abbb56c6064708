// Every function nearcore's runtime offers a contract in the `env` module (protocol 86, near-vm-runner 0.37.4's
// imports.rs; gas-key, yield-with-id and chain_id functions are not listed: no contract here imports them). A contract wasm that
// imports anything else fails at deploy or call time on a real node, so the build refuses it.
export const NEAR_HOST_FUNCTIONS = [
  // registers
  "read_register",
  "register_len",
  "write_register",
  // context
  "current_account_id",
  "signer_account_id",
  "signer_account_pk",
  "predecessor_account_id",
  "input",
  "block_index",
  "block_height",
  "block_timestamp",
  "epoch_height",
  "storage_usage",
  // economics
  "account_balance",
  "account_locked_balance",
  "attached_deposit",
  "prepaid_gas",
  "used_gas",
  // math
  "random_seed",
  "sha256",
  "keccak256",
  "keccak512",
  "ripemd160",
  "ecrecover",
  "ed25519_verify",
  "p256_verify",
  "alt_bn128_g1_multiexp",
  "alt_bn128_g1_sum",
  "alt_bn128_pairing_check",
  "bls12381_p1_sum",
  "bls12381_p2_sum",
  "bls12381_g1_multiexp",
  "bls12381_g2_multiexp",
  "bls12381_map_fp_to_g1",
  "bls12381_map_fp2_to_g2",
  "bls12381_pairing_check",
  "bls12381_p1_decompress",
  "bls12381_p2_decompress",
  // miscellaneous
  "value_return",
  "panic",
  "panic_utf8",
  "log_utf8",
  "log_utf16",
  "abort",
  // promises
  "promise_create",
  "promise_then",
  "promise_and",
  "promise_batch_create",
  "promise_batch_then",
  "promise_set_refund_to",
  "promise_batch_action_create_account",
  "promise_batch_action_deploy_contract",
  "promise_batch_action_deploy_global_contract",
  "promise_batch_action_deploy_global_contract_by_account_id",
  "promise_batch_action_use_global_contract",
  "promise_batch_action_use_global_contract_by_account_id",
  "promise_batch_action_function_call",
  "promise_batch_action_function_call_weight",
  "promise_batch_action_transfer",
  "promise_batch_action_stake",
  "promise_batch_action_add_key_with_full_access",
  "promise_batch_action_add_key_with_function_call",
  "promise_batch_action_delete_key",
  "promise_batch_action_delete_account",
  "promise_yield_create",
  "promise_yield_resume",
  "promise_results_count",
  "promise_result",
  "promise_return",
  // storage
  "storage_write",
  "storage_read",
  "storage_remove",
  "storage_has_key",
  "storage_iter_prefix",
  "storage_iter_range",
  "storage_iter_next",
  // validators
  "validator_stake",
  "validator_total_stake",
  // test-only in nearcore builds, never on a real network: listed so that the check can name it
];

const HOST_SET = new Set(NEAR_HOST_FUNCTIONS);
export function isNearHostFunction(name) {
  return HOST_SET.has(name);
}
