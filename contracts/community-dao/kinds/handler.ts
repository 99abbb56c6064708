import type { NearPromise } from "near-sdk-js";
import type { DaoState } from "../state";
import type { ProposalHead, ProposalKind } from "../types";
import { TGAS } from "../../shared/gas";

export { TGAS };
// Gas kept for `on_execute`, the callback that settles an asynchronous execution.
export { CALLBACK_GAS } from "../../wire/upgrade";

export type Phase = "propose" | "execute";

// One module per proposal kind. `check` validates the fields (phase "propose") and the state the kind needs
// (both phases) without changing anything; `apply` runs only after `check` passed, so a failing execution never
// leaves a half-applied change.
export interface KindHandler<K extends ProposalKind> {
  check(dao: DaoState, kind: K, phase: Phase): string | null;
  // Returns null when the change is complete, or the promise whose result decides Executed / Failed.
  apply(dao: DaoState, kind: K, proposal: ProposalHead): NearPromise | null;
  // Gas the execution needs beyond the execute call's own work (promises created, their callback).
  gas?(dao: DaoState, kind: K): bigint;
  // Gas of `on_execute` when the kind's clean-up grows with its data (an upgrade deletes its blob); default CALLBACK_GAS.
  callbackGas?(dao: DaoState, kind: K): bigint;
  // Called by on_execute after the promise succeeded (clean-up such as releasing an upgrade blob).
  onSuccess?(dao: DaoState, kind: K, proposal: ProposalHead): void;
  // Sent at most once: when its promise fails the DAO cannot know what the callee kept (a deposit taken before a
  // failing downstream call), so the proposal is Failed for good (`sent: true`) and a retry is refused.
  atMostOnce?: boolean;
}

export type Handlers = { [T in ProposalKind["kind"]]: KindHandler<Extract<ProposalKind, { kind: T }>> };

export function isString(v: unknown, max: number): v is string {
  return typeof v === "string" && v.length <= max;
}
