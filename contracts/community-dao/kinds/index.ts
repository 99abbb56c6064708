import type { ProposalKind } from "../types";
import { changeConfig, signal } from "./config";
import { fork } from "../fork";
import { functionCall } from "./function-call";
import type { Handlers, KindHandler } from "./handler";
import { LABELS } from "./labels";
import { addMember, addMembers, removeMember, removeMembers } from "./members";
import { addOrUpdateRole, changePolicy, removeRole, updateDefaultVotePolicy, updateParameters } from "./policy";
import { suiteCall } from "./suite";
import { transfer } from "./transfer";
import { upgradeSelf, upgradeSuite } from "./upgrade";

// The execution dispatch: one handler per kind tag. Later issues register their kinds here.
export const HANDLERS: Handlers = {
  AddMember: addMember,
  AddMembers: addMembers,
  RemoveMember: removeMember,
  RemoveMembers: removeMembers,
  ChangeConfig: changeConfig,
  ChangePolicy: changePolicy,
  ChangePolicyAddOrUpdateRole: addOrUpdateRole,
  ChangePolicyRemoveRole: removeRole,
  ChangePolicyUpdateDefaultVotePolicy: updateDefaultVotePolicy,
  ChangePolicyUpdateParameters: updateParameters,
  Transfer: transfer,
  FunctionCall: functionCall,
  UpgradeSelf: upgradeSelf,
  UpgradeSuite: upgradeSuite,
  Signal: signal,
  AdmitDataset: suiteCall,
  RejectDataset: suiteCall,
  RetireDataset: suiteCall,
  ActivateModel: suiteCall,
  DeprecateModel: suiteCall,
  RollbackModel: suiteCall,
  AddAttester: suiteCall,
  RemoveAttester: suiteCall,
  VoidReceipt: suiteCall,
  SetRewardPolicy: suiteCall,
  FundRewardPool: suiteCall,
  Fork: fork,
};

export function handlerFor(kind: ProposalKind): KindHandler<ProposalKind> | null {
  if (kind === null || typeof kind !== "object" || typeof kind.kind !== "string") return null;
  const table = HANDLERS as unknown as Record<string, KindHandler<ProposalKind> | undefined>;
  // Inherited names ("constructor", "toString") resolve to functions, never to a handler object.
  const h = table[kind.kind];
  return h !== undefined && typeof h === "object" ? h : null;
}

export function labelOf(kind: ProposalKind): string {
  return LABELS[kind.kind];
}
