import type { LookupMap, UnorderedMap } from "near-sdk-js";
import { eventEmitter } from "../shared/events";
import type { BlobRecord, Checkpoint, Config, MemberRecord, Policy, Proposal, VoteRecord } from "./types";
import { EVENT_VERSION, STANDARD } from "./types";

// What every module sees of the contract. Fields are small and bounded (they are the JSON STATE, rewritten on every
// call); everything that grows lives in the collections.
export interface DaoState {
  state_version: number;
  config: Config;
  policy: Policy;
  role_counts: Record<string, number>;
  member_count: number;
  // Membership/delegation change counter; proposals snapshot it.
  seq: number;
  last_proposal_id: number;
  locked_bonds: string;
  factory_id: string;
  suite: Record<string, string>;
  members: UnorderedMap<MemberRecord>;
  checkpoints: LookupMap<Checkpoint[]>;
  proposals: LookupMap<Proposal>;
  votes: LookupMap<VoteRecord>;
  blobs: LookupMap<BlobRecord>;
}

export const emit = eventEmitter(STANDARD, EVENT_VERSION);

export function voteKey(id: number, account: string): string {
  return `${id}:${account}`;
}

export function blobKey(hash: string): string {
  return `B${hash}`;
}
