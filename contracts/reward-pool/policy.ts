import { fail } from "../shared/errors";
import type { RewardPolicy } from "../wire/reward-policy";
import { defaultRewardPolicy, rewardPolicyError, rewardPolicyOf } from "../wire/reward-policy";

// A community created without a policy (contracts/wire/reward-policy.ts). The DAO changes it with set_reward_policy.
export const defaultPolicy = defaultRewardPolicy;

// Checks a reward policy (the rule the DAO's SetRewardPolicy also applies) and returns a clean copy (unknown fields
// dropped, release_bps defaulted to everything). Not an object: ERR_INVALID_POLICY (the DAO says
// ERR_INVALID_REWARD_POLICY).
export function checkPolicy(p: unknown): RewardPolicy {
  const err = rewardPolicyError(p, "ERR_INVALID_POLICY");
  if (err !== null) fail(err);
  return rewardPolicyOf(p as RewardPolicy);
}
