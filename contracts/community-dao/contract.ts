import { NearBindgen, bytes, call, decode, encode, initialize, migrate, near, view } from "near-sdk-js";
import * as forks from "./fork";
import { checkConfig } from "./kinds/config";
import * as mem from "./members";
import { DAO_CODE_NAME, migrateRawState, obligationsOf, targetStateVersion } from "./migrate";
import { defaultPolicy, cleanPolicy, validatePolicy } from "./policy";
import * as proposals from "./proposals";
import type { DaoState } from "./state";
import { BLOBS, BODIES, CHECKPOINTS, emit, loadPolicy, memberTable, PROPOSALS, savePolicy, VOTES } from "./state";
import { assertTreasuryPaysStorage, treasuryView } from "./treasury";
import type { BlobRecord, Config, MemberInput, Policy, Proposal, ProposalKind } from "./types";
import { removeBlob, storeBlob } from "./upgrade";
import { delegationsPage, membersPage, proposalsPage, rolesPage, voteOf, votesPage } from "./views";
import { fail } from "../shared/errors";
import { withRawInput } from "../shared/raw-call";
import { callbackSucceeded, chargeStorage } from "../shared/storage";
import { isHexHash, isValidAccountId } from "../shared/validate";
import { MAX_FOUNDERS } from "../wire/dao";
import { onlySelf } from "../shared/access";
import { requireSolventAfterUpgrade, upgradeToGlobal } from "../shared/versioned-state";
import { COMMUNITY_DAO } from "../wire/contracts";
import { returnSourceMetadata } from "../shared/source-metadata";

// STATE is plain JSON of the scalar fields below (near-sdk-js's default runs a JS reviver/replacer on every node).
// The policy and the collections are accessors, not fields: they live under their own keys (state.ts).
// Bytes STATE may grow by after a method that charges its writer returns (a counter's extra digit).
const STATE_GROWTH_MARGIN = 8n;

@NearBindgen({
  requireInit: true,
  serializer: (value: unknown) => encode(JSON.stringify(value)),
  deserializer: (raw: Uint8Array) => JSON.parse(decode(raw)),
})
export class CommunityDao implements DaoState {
  state_version = targetStateVersion();
  // Which contract this state belongs to: a migration refuses another contract's code (shared/versioned-state.ts).
  code_name = DAO_CODE_NAME;
  config: Config = { name: "", purpose: "", metadata: "" };
  role_counts: Record<string, number> = {};
  member_count = 0;
  seq = 0;
  last_proposal_id = 0;
  locked_bonds = "0";
  factory_id = "";
  suite: Record<string, string> = {};

  get policy(): Policy {
    return loadPolicy();
  }

  set policy(policy: Policy) {
    savePolicy(policy);
  }

  get members() {
    return memberTable(this);
  }

  get checkpoints() {
    return CHECKPOINTS;
  }

  get proposals() {
    return PROPOSALS;
  }

  get bodies() {
    return BODIES;
  }

  get votes() {
    return VOTES;
  }

  get blobs() {
    return BLOBS;
  }

  // `suite` maps contract names to the community's account ids (set by the factory so contracts know each other).
  @initialize({})
  init({
    config,
    policy,
    members,
    suite,
  }: {
    config: Config;
    policy?: Policy;
    members?: MemberInput[];
    suite?: Record<string, string>;
  }): void {
    const cfgErr = checkConfig(config);
    if (cfgErr) fail(cfgErr);
    this.config = { name: config.name, purpose: config.purpose, metadata: config.metadata };
    if (policy !== undefined) {
      const err = validatePolicy(policy);
      if (err) fail(err);
    }
    this.policy = policy === undefined ? defaultPolicy() : cleanPolicy(policy);
    for (const r of this.policy.roles) if (r.kind === "Group") this.role_counts[r.name] = 0;
    const list = members ?? [];
    if (!Array.isArray(list) || list.length > MAX_FOUNDERS) fail("ERR_BATCH_SIZE", `0..${MAX_FOUNDERS} members`);
    this.seq = 1;
    for (const m of list) {
      if (m === null || typeof m !== "object" || !Array.isArray(m.roles)) fail("ERR_INVALID_MEMBER");
      for (const role of m.roles) {
        const err = mem.checkAdd(this, m.account_id, role);
        if (err) fail(err);
        mem.addToRole(this, m.account_id, role);
      }
    }
    if (suite !== undefined) {
      if (suite === null || typeof suite !== "object") fail("ERR_INVALID_SUITE");
      for (const name in suite) {
        if (!isValidAccountId(suite[name])) fail("ERR_INVALID_ACCOUNT_ID", `suite.${name}`);
        this.suite[name] = suite[name];
      }
    }
    this.factory_id = near.predecessorAccountId();
    emit("dao_created", [{ config: this.config, members: this.member_count, factory_id: this.factory_id }]);
  }

  // ---- proposals -------------------------------------------------------------------------------------------------

  // Attach the policy's proposal bond; anything above it is refunded in this call.
  @call({ payableFunction: true })
  add_proposal({ description, kind }: { description: string; kind: ProposalKind }): number {
    return proposals.createProposal(this, description, kind);
  }

  // choice: Approve | Reject | Abstain | Remove (spam). A vote can be changed while the proposal is in progress.
  @call({})
  vote({ id, choice, label }: { id: number; choice: string; label?: string }): string {
    const status = proposals.castVote(this, id, choice, label);
    assertTreasuryPaysStorage(this);
    return status;
  }

  @call({})
  finalize({ id }: { id: number }): string {
    return proposals.finalize(this, id);
  }

  @call({})
  cancel({ id }: { id: number }) {
    return proposals.cancel(this, id);
  }

  @call({})
  execute({ id }: { id: number }) {
    return proposals.execute(this, id);
  }

  // Settles an asynchronous execution: a proposal's, or a fork's (`fork: "check"` the factory's record of the
  // receiver, `fork: true` the payment to the new DAO).
  @call({})
  on_execute({ id, fork }: { id: number; fork?: boolean | string }) {
    // private, with a stable code (the SDK's own check panics with a message and a stack)
    onlySelf();
    if (fork === "check") return forks.onForkChecked(this, id);
    if (fork === true) return forks.onForkPaid(id, callbackSucceeded(0));
    return proposals.onExecuted(this, id, callbackSucceeded(0));
  }

  // ---- members ---------------------------------------------------------------------------------------------------

  // Delegating and undelegating add voting-power checkpoints (kept for every snapshot a proposal may ask about): the
  // member pays their storage from the attached deposit (~0.002 NEAR; the excess is refunded at once), so nobody can
  // grow the DAO's state at the treasury's expense by delegating back and forth.
  @call({ payableFunction: true })
  delegate({ delegate_id }: { delegate_id: string }): void {
    const from = near.predecessorAccountId();
    const rec = mem.getMember(this, from);
    if (!rec) fail("ERR_NOT_A_MEMBER");
    if (!isValidAccountId(delegate_id)) fail("ERR_INVALID_ACCOUNT_ID", "delegate_id");
    if (delegate_id === from) fail("ERR_SELF_DELEGATION");
    const target = mem.getMember(this, delegate_id);
    if (!target) fail("ERR_NOT_A_MEMBER", delegate_id);
    if (rec.delegate === delegate_id && rec.delegate_since === target.since) fail("ERR_ALREADY_DELEGATED");
    const before = near.storageUsage();
    mem.delegate(this, from, delegate_id);
    // STATE is saved after this method returns: its counter grows by a digit at most, within the margin
    chargeStorage(before, STATE_GROWTH_MARGIN);
  }

  @call({ payableFunction: true })
  undelegate(): void {
    const rec = mem.getMember(this, near.predecessorAccountId());
    if (!rec) fail("ERR_NOT_A_MEMBER");
    if (rec.delegate === null) fail("ERR_NOT_DELEGATED");
    const before = near.storageUsage();
    mem.undelegate(this, near.predecessorAccountId());
    chargeStorage(before, STATE_GROWTH_MARGIN);
  }

  // A member may always quit: it leaves every group at once (its delegation is withdrawn). With `ragequit: true`
  // (if the policy allows it) it also takes its own share of the treasury (fork.ts); returns the amount sent.
  @call({})
  leave({ ragequit }: { ragequit?: boolean }): string {
    const account = near.predecessorAccountId();
    const rec = mem.getMember(this, account);
    if (!rec) fail("ERR_NOT_A_MEMBER");
    // the last member cannot leave a community nobody could govern again (kinds/members.ts checkNotEmptied)
    if (this.member_count <= 1) fail("ERR_LAST_MEMBER", "add a member first, or pay the treasury out by a Transfer");
    const share = ragequit === true ? forks.ragequitShare(this, account) : 0n;
    this.seq += 1;
    // every role at once: the account's open votes are voided once, whatever the number of its roles
    const roles = mem.removeMember(this, account);
    emit(
      "member_removed",
      roles.map((role) => ({ member_id: account, role, reason: share > 0n ? "ragequit" : "left" })),
    );
    return share.toString();
  }

  // ---- forks (fork.ts, docs/fork.md) -----------------------------------------------------------------------------
  // Few entry points on purpose: every decorated method costs every call of the DAO ~0.08 Tgas to set up.

  @call({})
  join_fork({ id }: { id: number }): number {
    return forks.joinFork(this, id);
  }

  // Anyone, after the window; call again until the fork is Executed (>= 60 Tgas for the payment step).
  @call({})
  // `name`: the fork community to pay, when not the proposal's name (the factory must record it as this fork's).
  execute_fork({ id, name }: { id: number; name?: string }) {
    return forks.executeFork(this, id, name);
  }

  // ---- code blobs and upgrade ------------------------------------------------------------------------------------

  @call({})
  remove_blob({ hash }: { hash: string }): void {
    if (!isHexHash(hash)) fail("ERR_INVALID_HASH");
    removeBlob(this, hash);
  }

  // Called by UpgradeSelf on the new code, in the same batch as the deploy. Reads the raw stored state (the SDK's
  // @migrate skips loading it) and rebuilds every field, so a panic here rolls the deploy back.
  @migrate({})
  migrate_state(): void {
    onlySelf();
    const raw = near.storageReadRaw(bytes("STATE"));
    if (!raw) fail("ERR_NOT_INITIALIZED");
    const s = JSON.parse(decode(raw)) as Record<string, unknown>;
    let from: number;
    try {
      from = migrateRawState(s);
    } catch (e) {
      fail((e as Error).message);
    }
    this.state_version = s.state_version as number;
    this.config = s.config as Config;
    this.role_counts = s.role_counts as Record<string, number>;
    this.member_count = s.member_count as number;
    this.seq = s.seq as number;
    this.last_proposal_id = s.last_proposal_id as number;
    this.locked_bonds = s.locked_bonds as string;
    this.factory_id = s.factory_id as string;
    this.suite = s.suite as Record<string, string>;
    this.code_name = s.code_name as string;
    requireSolventAfterUpgrade(obligationsOf(s));
    emit("state_migrated", [{ from, to: this.state_version }]);
  }

  // ---- views -----------------------------------------------------------------------------------------------------

  @view({})
  get_config(): Config {
    return this.config;
  }

  @view({})
  get_policy(): Policy {
    return this.policy;
  }

  @view({})
  get_roles({ from_index, limit }: { from_index?: number; limit?: number }) {
    return rolesPage(this, from_index, limit);
  }

  @view({})
  get_info() {
    return {
      state_version: this.state_version,
      member_count: this.member_count,
      role_counts: this.role_counts,
      last_proposal_id: this.last_proposal_id,
      locked_bonds: this.locked_bonds,
      seq: this.seq,
      factory_id: this.factory_id,
      suite: this.suite,
    };
  }

  @view({})
  get_last_proposal_id(): number {
    return this.last_proposal_id;
  }

  @view({})
  get_proposal({ id }: { id: number }): Proposal {
    return proposals.fullProposal(this, proposals.getProposal(this, id));
  }

  @view({})
  get_proposals({ from_index, limit }: { from_index?: number; limit?: number }): Proposal[] {
    return proposalsPage(this, from_index, limit);
  }

  @view({})
  get_vote({ id, account_id }: { id: number; account_id: string }) {
    return voteOf(this, id, account_id);
  }

  @view({})
  get_votes({ id, from_index, limit }: { id: number; from_index?: number; limit?: number }) {
    return votesPage(this, id, from_index, limit);
  }

  @view({})
  get_member({ account_id }: { account_id: string }) {
    const rec = mem.getMember(this, account_id);
    return rec ? mem.memberView(account_id, rec, this) : null;
  }

  @view({})
  get_members({ from_index, limit }: { from_index?: number; limit?: number }) {
    return membersPage(this, from_index, limit);
  }

  @view({})
  get_delegations({ from_index, limit }: { from_index?: number; limit?: number }) {
    return delegationsPage(this, from_index, limit);
  }

  @view({})
  get_treasury() {
    return treasuryView(this);
  }

  // `id` omitted: the fork that is open or awaiting its outcome (null if none). `members`: a page of those who
  // joined, in join order, with their weight and the roles they held.
  @view({})
  get_fork({ id, from_index, limit }: { id?: number; from_index?: number; limit?: number }) {
    const active = id === undefined ? forks.activeFork() : id;
    return active === null ? null : forks.forkView(active, from_index, limit);
  }

  @view({})
  get_blob({ hash }: { hash: string }): BlobRecord | null {
    return this.blobs.get(hash);
  }
}

// Raw bytes in, not JSON: a ~500 KB wasm would cost a base64 decode in JS. Attach the storage deposit
// (bytes x 10^19 yocto, plus a little); the excess is refunded. Returns {hash, bytes, deposit}.
export function store_blob(): void {
  withRawInput<CommunityDao>(CommunityDao, (dao, input) => storeBlob(dao, input));
}

// The DAO's own switch to global code (UpgradeSelf with `global`, NEP-591): scheduled by `execute` on the DAO itself,
// so only the DAO may call it. `{hash, migrate_method?, migrate_args?}`: the switch and the migration run in one batch.
export function upgrade_to(): void {
  upgradeToGlobal(() => onlySelf(), true);
}

// NEP-330 source metadata: version, standards and how this wasm was built (docs/source-metadata.md).
export function contract_source_metadata(): void {
  returnSourceMetadata(COMMUNITY_DAO);
}
