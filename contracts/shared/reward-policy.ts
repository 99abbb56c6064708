// Bounds of the reward policy that both the DAO (before a SetRewardPolicy vote) and the reward pool (when it is set)
// enforce; stated once here.

/**
 * The most a receipt may earn its attester: 0.005 NEAR. Each relayed receipt locks about 613 bytes of the
 * verifier's storage (about 0.0061 NEAR at 10^19 yocto per byte) that its relayer never gets back, so an attester
 * that signs and relays fake receipts to farm the fee loses more than it earns (docs/verifier.md, "Attester fee").
 */
export const MAX_ATTESTER_FEE = 5_000_000_000_000_000_000_000n;
export const MAX_ATTESTER_FEE_ERROR = "ERR_ATTESTER_FEE_TOO_HIGH";
