import { fail } from "../shared/errors";
import { MAX_ATTESTER_FEE, MAX_ATTESTER_FEE_ERROR } from "../shared/reward-policy";
import { isAmount, isSafeInt, isU64String } from "../shared/validate";
import type { RewardPolicy } from "./types";
import { BPS } from "./types";

// A community created without a policy: most to the model's makers, a share to its data, a little to its parent;
// epochs of a day, as the verifier's default. The DAO changes it with set_reward_policy.
export function defaultPolicy(): RewardPolicy {
  return {
    model_bps: 6000,
    data_bps: 3000,
    parent_bps: 1000,
    attester_fee: "0",
    epoch_length_ns: "86400000000000",
    release_bps: BPS,
  };
}

// Checks a reward policy and returns a clean copy (unknown fields dropped, release_bps defaulted to everything).
export function checkPolicy(p: unknown): RewardPolicy {
  if (p === null || typeof p !== "object" || Array.isArray(p)) fail("ERR_INVALID_POLICY");
  const q = p as Record<string, unknown>;
  for (const k of ["model_bps", "data_bps", "parent_bps"]) {
    if (!isSafeInt(q[k], 0, BPS)) fail("ERR_INVALID_BPS", k);
  }
  const model_bps = q.model_bps as number;
  const data_bps = q.data_bps as number;
  const parent_bps = q.parent_bps as number;
  if (model_bps + data_bps + parent_bps !== BPS) {
    fail("ERR_POLICY_SHARES", `model + data + parent = ${model_bps + data_bps + parent_bps}, must be ${BPS}`);
  }
  if (!isAmount(q.attester_fee)) fail("ERR_INVALID_AMOUNT", "attester_fee");
  if (BigInt(q.attester_fee as string) > MAX_ATTESTER_FEE) fail(MAX_ATTESTER_FEE_ERROR, `at most ${MAX_ATTESTER_FEE}`);
  if (!isU64String(q.epoch_length_ns) || q.epoch_length_ns === "0") fail("ERR_INVALID_EPOCH_LENGTH");
  const release = q.release_bps === undefined ? BPS : q.release_bps;
  if (!isSafeInt(release, 1, BPS)) fail("ERR_INVALID_BPS", "release_bps");
  return {
    model_bps,
    data_bps,
    parent_bps,
    attester_fee: q.attester_fee as string,
    epoch_length_ns: q.epoch_length_ns as string,
    release_bps: release as number,
  };
}
