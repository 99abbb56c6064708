// The reward policy: what the DAO's SetRewardPolicy proposal carries and the reward pool enforces (set_reward_policy,
// init), with its bounds and its check stated once. Both contracts refuse the same bad policies with the same codes,
// except a policy that is not an object: ERR_INVALID_REWARD_POLICY in the DAO, ERR_INVALID_POLICY in the pool (each
// passes its own code). Data and pure functions only.
import { isAmount, isSafeInt, isU64String } from "./fields.js";

export const POLICY_BPS = 10000;

/**
 * The most a receipt may earn its attester: 0.005 NEAR. Each relayed receipt locks about 613 bytes of the
 * verifier's storage (about 0.0061 NEAR at 10^19 yocto per byte) that its relayer never gets back, so an attester
 * that signs and relays fake receipts to farm the fee loses more than it earns (docs/verifier.md, "Attester fee").
 */
export const MAX_ATTESTER_FEE = 5_000_000_000_000_000_000_000n;

export interface RewardPolicy {
  // shares of a model version's part of an epoch budget, in basis points; they sum to 10,000
  model_bps: number;
  data_bps: number;
  parent_bps: number;
  // paid per accepted receipt to the attester that signed it, at report time (yoctoNEAR)
  attester_fee: string;
  // epoch E can be closed once block time >= (E + 1) * epoch_length_ns
  epoch_length_ns: string;
  // share of the unallocated funds one epoch close hands out (10,000 = all of them)
  release_bps: number;
}

// As proposed or passed to the pool: release_bps may be left out (everything).
export type RewardPolicyInput = Omit<RewardPolicy, "release_bps"> & { release_bps?: number };

// A community created without a policy: most to the model's makers, a share to its data, a little to its parent;
// epochs of a day, as the verifier's default.
export function defaultRewardPolicy(): RewardPolicy {
  return {
    model_bps: 6000,
    data_bps: 3000,
    parent_bps: 1000,
    attester_fee: "0",
    epoch_length_ns: "86400000000000",
    release_bps: POLICY_BPS,
  };
}

// Why `p` is not a valid policy ("CODE" or "CODE: detail"), or null. `notObject` is the caller's code for a value
// that is not an object at all.
export function rewardPolicyError(p: unknown, notObject: string): string | null {
  if (p === null || typeof p !== "object" || Array.isArray(p)) return notObject;
  const q = p as Record<string, unknown>;
  for (const k of ["model_bps", "data_bps", "parent_bps"]) {
    if (!isSafeInt(q[k], 0, POLICY_BPS)) return `ERR_INVALID_BPS: ${k}`;
  }
  const sum = (q.model_bps as number) + (q.data_bps as number) + (q.parent_bps as number);
  if (sum !== POLICY_BPS) return `ERR_POLICY_SHARES: model + data + parent = ${sum}, must be ${POLICY_BPS}`;
  if (!isAmount(q.attester_fee)) return "ERR_INVALID_AMOUNT: attester_fee";
  if (BigInt(q.attester_fee) > MAX_ATTESTER_FEE) return `ERR_ATTESTER_FEE_TOO_HIGH: at most ${MAX_ATTESTER_FEE}`;
  if (!isU64String(q.epoch_length_ns) || q.epoch_length_ns === "0") return "ERR_INVALID_EPOCH_LENGTH";
  if (q.release_bps !== undefined && !isSafeInt(q.release_bps, 1, POLICY_BPS)) return "ERR_INVALID_BPS: release_bps";
  return null;
}

// A clean copy of a checked policy: its fields only, release_bps defaulted to everything.
export function rewardPolicyOf(p: RewardPolicyInput): RewardPolicy {
  return {
    model_bps: p.model_bps,
    data_bps: p.data_bps,
    parent_bps: p.parent_bps,
    attester_fee: p.attester_fee,
    epoch_length_ns: p.epoch_length_ns,
    release_bps: p.release_bps === undefined ? POLICY_BPS : p.release_bps,
  };
}
