// Permission label of each proposal kind ("<label>:<action>" in role permissions, keys of vote_policy).
// Batch forms share the label of the single form so one permission and one vote policy cover both.
export const LABELS: Record<string, string> = {
  AddMember: "add_member",
  AddMembers: "add_member",
  RemoveMember: "remove_member",
  RemoveMembers: "remove_member",
  ChangeConfig: "config",
  ChangePolicy: "policy",
  ChangePolicyAddOrUpdateRole: "policy_add_or_update_role",
  ChangePolicyRemoveRole: "policy_remove_role",
  ChangePolicyUpdateDefaultVotePolicy: "policy_update_default_vote_policy",
  ChangePolicyUpdateParameters: "policy_update_parameters",
  Transfer: "transfer",
  FunctionCall: "function_call",
  UpgradeSelf: "upgrade_self",
  UpgradeSuite: "upgrade_suite",
  Signal: "signal",
  // Suite kinds: one label each, so a role can hold e.g. `admit_dataset:vote` and nothing else.
  AdmitDataset: "admit_dataset",
  RejectDataset: "reject_dataset",
  RetireDataset: "retire_dataset",
  ActivateModel: "activate_model",
  DeprecateModel: "deprecate_model",
  RollbackModel: "rollback_model",
  AddAttester: "add_attester",
  RemoveAttester: "remove_attester",
  VoidReceipt: "void_receipt",
  SetRewardPolicy: "set_reward_policy",
  FundRewardPool: "fund_reward_pool",
  Fork: "fork",
};

export const ACTIONS = ["propose", "vote", "remove", "execute", "cancel"];

export function isKnownLabel(label: string): boolean {
  for (const k in LABELS) if (LABELS[k] === label) return true;
  return false;
}
