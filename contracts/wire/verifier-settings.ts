// The inference verifier's settings: what its init takes (`settings`, any subset over the defaults), what the DAO's
// update_settings changes, what get_config shows and what the settings_updated event carries. The CLI and the web
// app show and send them. Data only.
export interface VerifierSettings {
  // Smallest bond the DAO must attach to add_attester (yoctoNEAR).
  min_bond: string;
  // A receipt can be challenged (and voided) until accepted_at + challenge_window_ns; its usage is final after that.
  challenge_window_ns: string;
  // Receipt timestamps must lie in [now - max_receipt_age_ns, now + max_clock_skew_ns].
  max_receipt_age_ns: string;
  max_clock_skew_ns: string;
  // Usage is grouped in epochs of block time: epoch = floor(accepted_at / epoch_length_ns).
  epoch_length_ns: string;
  // What a challenger attaches (besides the storage of the dispute) to open a dispute against another attester's
  // receipt: refunded when the DAO upholds it (voids the receipt), forfeited to the DAO when it dismisses it.
  dispute_bond: string;
  // Gas attached to reward_pool.on_usage_report and to our callback (Tgas).
  report_gas_tgas: number;
  callback_gas_tgas: number;
}

// When a removed attester's bond may go back to who posted it (release_bond, anyone may call it): one challenge
// window after the removal, when every receipt it signed is past challenge. The verifier refuses earlier with
// ERR_BOND_LOCKED; the web app shows the instant.
export function bondUnlockNs(removedAtNs: bigint, challengeWindowNs: bigint): bigint {
  return removedAtNs + challengeWindowNs;
}
