import { eventEmitter } from "../shared/events";
import { IndexedJsonMap, JsonMap, readJson, writeJson } from "../shared/json-store";
import type {
  BlobRecord,
  Checkpoint,
  Config,
  MemberRecord,
  Policy,
  ProposalBody,
  ProposalHead,
  VoteRecord,
} from "./types";
import { EVENT_VERSION, STANDARD } from "./types";

// What every module sees of the contract. The STATE record (parsed and rewritten on every call) holds only small
// scalars; the policy and everything that grows live under their own keys and are read only by the calls that
// need them, so a vote costs the same with 10 or 1,000 members and with a small or a large policy.
export interface DaoState {
  state_version: number;
  config: Config;
  // Read from its own key on first use in a call; assigning it writes it.
  policy: Policy;
  role_counts: Record<string, number>;
  // Number of member accounts; also the length of the members table.
  member_count: number;
  // Membership/delegation change counter; proposals snapshot it.
  seq: number;
  last_proposal_id: number;
  locked_bonds: string;
  factory_id: string;
  suite: Record<string, string>;
  members: IndexedJsonMap<MemberRecord>;
  checkpoints: JsonMap<Checkpoint[]>;
  // A proposal is stored in two records: the head (status, rules, tallies), read and written by every vote, and
  // the body (description, kind), written once and read by execute and the views.
  proposals: JsonMap<ProposalHead>;
  bodies: JsonMap<ProposalBody>;
  votes: JsonMap<VoteRecord>;
  blobs: JsonMap<BlobRecord>;
}

// Storage keys. The prefixes of the maps are those of the near-sdk-js collections of state version 1.
export const POLICY_KEY = "P";
export const CHECKPOINTS = new JsonMap<Checkpoint[]>("c");
export const PROPOSALS = new JsonMap<ProposalHead>("p");
export const BODIES = new JsonMap<ProposalBody>("k");
export const VOTES = new JsonMap<VoteRecord>("v");
export const BLOBS = new JsonMap<BlobRecord>("b");
// Per account, the proposals it voted on that may still be decided by votes: [id, voting_ends_at]. Pruned of ended
// ones at each new vote; read when the account leaves a role, to take its vote out of their tallies.
export const OPEN_VOTES = new JsonMap<[number, string][]>("o");

// The members table of `dao` (one per call: it caches the records it read). Its length is `member_count`.
let table: { dao: { member_count: number }; map: IndexedJsonMap<MemberRecord> } | null = null;

export function memberTable(dao: { member_count: number }): IndexedJsonMap<MemberRecord> {
  if (table === null || table.dao !== dao) {
    const map = new IndexedJsonMap<MemberRecord>("m", {
      get: () => dao.member_count,
      set: (n) => {
        dao.member_count = n;
      },
    });
    table = { dao, map };
  }
  return table.map;
}

let policyCache: Policy | null = null;

export function loadPolicy(): Policy {
  if (policyCache === null) policyCache = readJson<Policy>(POLICY_KEY) as Policy;
  return policyCache;
}

export function savePolicy(policy: Policy): void {
  policyCache = policy;
  writeJson(POLICY_KEY, policy);
}

export const emit = eventEmitter(STANDARD, EVENT_VERSION);

export function voteKey(id: number, account: string): string {
  return `${id}:${account}`;
}

export function blobKey(hash: string): string {
  return `B${hash}`;
}
