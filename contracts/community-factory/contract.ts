import { NearBindgen, call, initialize, near, view } from "near-sdk-js";
import { JsonUnorderedMap } from "../shared/json-store";
import { codeKey, onCodePublished, publishCode, publishCost, suiteCodes } from "./codes";
import {
  abandon,
  allStepsGas,
  communityView,
  pendingDaoArgs,
  create,
  createOwnGas,
  DAO_STATE_PER_ARG_BYTE,
  daoInitGas,
  deploySteps,
  getCommunity,
  nextStep,
  onStepDone,
  quote,
  stepGas,
} from "./communities";
import { createFork, onForkRead, RESERVE_BYTES, readFork } from "./fork";
import { EVENT_VERSION, STANDARD } from "./types";
import type { CodeRecord, Community } from "./types";
import { fail } from "../shared/errors";
import { requireGas, TGAS } from "../shared/gas";
import { eventEmitter } from "../shared/events";
import { pageRange } from "../shared/pagination";
import { withRawInput } from "../shared/raw-call";
import { assertOneYocto, callbackSucceeded, storageCost } from "../shared/storage";
import { assertAccountId } from "../shared/validate";
import { onlyCaller, onlySelf } from "../shared/access";
import { COMMUNITY_FACTORY } from "../wire/contracts";
import { returnSourceMetadata } from "../shared/source-metadata";

const emit = eventEmitter(STANDARD, EVENT_VERSION);
// The most get_required_deposit quotes: protocol 86's 1 Pgas per transaction, less a margin.
const MAX_TX_GAS = 980n * TGAS;

@NearBindgen({ requireInit: true })
export class CommunityFactory {
  owner_id = "";
  codes = new JsonUnorderedMap<CodeRecord>("k");
  communities = new JsonUnorderedMap<Community>("n");

  @initialize({})
  init({ owner_id }: { owner_id: string }): void {
    this.owner_id = assertAccountId(owner_id, "owner_id");
  }

  private get ctx() {
    return { codes: this.codes, communities: this.communities, emit };
  }

  assertOwner(): void {
    onlyCaller(this.owner_id, "ERR_NOT_OWNER");
    assertOneYocto();
  }

  @call({ payableFunction: true })
  set_owner({ owner_id }: { owner_id: string }): void {
    this.assertOwner();
    const next = assertAccountId(owner_id, "owner_id");
    emit("owner_changed", [{ old_owner_id: this.owner_id, new_owner_id: next }]);
    this.owner_id = next;
  }

  @call({ payableFunction: true })
  remove_code({ name }: { name: string }): void {
    this.assertOwner();
    if (typeof name !== "string" || this.codes.get(name) === null) fail("ERR_UNKNOWN_CODE", String(name));
    near.storageRemoveRaw(codeKey(name));
    this.codes.remove(name);
    emit("code_removed", [{ name }]);
  }

  // Reserves the name, takes the deposit and sends the DAO's batch, whose callback sends the others: the whole
  // community in this one transaction (attach get_required_deposit's `deposit` and `gas` for these arguments).
  // Returns the community's view (the DAO InFlight); the outcomes follow in the same transaction (on_step_done), and
  // an account that failed is retried by the creator with resume_community.
  @call({ payableFunction: true })
  create_community({
    name,
    dao_args,
    init_args,
  }: {
    name: string;
    dao_args: Record<string, unknown>;
    init_args?: Record<string, Record<string, unknown>>;
  }) {
    // Too little gas for even the DAO is refused before the name is reserved. With get_required_deposit's gas the whole
    // community is created in this transaction (a DAO with ~100 founders may need one resume_community more).
    requireGas(stepGas(daoInitGas(dao_args)) + createOwnGas(dao_args, init_args) / 2n);
    const c = create(this.ctx, { name, dao_args, init_args });
    deploySteps(this.ctx, c, true);
    return communityView(c);
  }

  // A community forked from `parent` (a community of this factory) after its DAO's fork `fork_id` succeeded: same
  // deposit as create_community; the DAO's members are those who joined the fork, its policy the parent's as frozen
  // at the fork's opening (dao_args / init_args are refused: the parent's decision sets them), and the registries
  // import the parent's records (docs/fork.md). The fork's receiver must be this community's DAO. Then deploy_next.
  @call({ payableFunction: true })
  create_fork({
    name,
    parent,
    fork_id,
    dao_args,
    init_args,
  }: {
    name: string;
    parent: string;
    fork_id: number;
    dao_args?: Record<string, unknown>;
    init_args?: Record<string, Record<string, unknown>>;
  }) {
    return createFork(this.ctx, { name, parent, fork_id, dao_args, init_args });
  }

  // Reads the parent's fork again after a failed read (e.g. the fork was not decided yet).
  @call({})
  read_fork({ name }: { name: string }) {
    const c = getCommunity(this.ctx, name);
    if (!c.forked_from) fail("ERR_NOT_A_FORK");
    if (c.forked_from.status !== "Pending") fail("ERR_ALREADY_COMPLETE", c.forked_from.status);
    return readFork(this.ctx, c);
  }

  @call({ privateFunction: true })
  on_fork_read({ name, read }: { name: string; read: number }) {
    return onForkRead(this.ctx, name, read);
  }

  // Anyone may push a paid-for creation forward: sends the accounts never sent (the DAO first, then the others from
  // its callback); an account that failed is sent again only by the creator.
  @call({})
  resume_community({ name }: { name: string }) {
    const c = getCommunity(this.ctx, name);
    deploySteps(this.ctx, c, near.predecessorAccountId() === c.creator);
    return communityView(c);
  }

  @call({})
  on_code_published(a: { record: CodeRecord; payer: string; burn: string }) {
    onlySelf();
    return onCodePublished(this.codes, a, callbackSucceeded(0), emit);
  }

  @call({})
  on_step_done({ name, index }: { name: string; index: number }) {
    onlySelf();
    return onStepDone(this.ctx, name, index, callbackSucceeded(0));
  }

  @call({ payableFunction: true })
  abandon_community({ name }: { name: string }): string {
    assertOneYocto();
    return abandon(this.ctx, getCommunity(this.ctx, name));
  }

  // ---- views -----------------------------------------------------------------------------------------------------

  @view({})
  get_owner(): string {
    return this.owner_id;
  }

  @view({})
  get_codes({ from_index, limit }: { from_index?: number; limit?: number }): CodeRecord[] {
    const [start, end] = pageRange(from_index, limit, this.codes.size);
    if (end <= start) return [];
    return this.codes.keys(start, end).map((k) => this.codes.get(k) as CodeRecord);
  }

  @view({})
  get_code_info({ name }: { name: string }): CodeRecord | null {
    return this.codes.get(name) as CodeRecord | null;
  }

  // What create_community needs attached: each suite account's starting balance (`accounts_total`), plus ~0.01 NEAR
  // for the record (refunded beyond its exact storage), and `gas`: what creates the whole community in that one call.
  // `fork_extra`: what create_fork needs on top (the fork DAO's members and policy, on its balance and in the record).
  // With `name` and `dao_args` (and `init_args`) it checks them as create_community would and quotes `deposit`: what
  // to attach for exactly that community (the DAO's balance grows with its founders).
  @view({})
  get_required_deposit(a?: {
    name?: string;
    dao_args?: Record<string, unknown>;
    init_args?: Record<string, Record<string, unknown>>;
  }) {
    const codes = suiteCodes(this.codes);
    let total = 0n;
    const contracts = codes.map((c) => {
      total += BigInt(c.init_balance);
      return {
        code: c.name,
        version: c.version,
        sha256: c.sha256,
        bytes: c.bytes,
        init_balance: c.init_balance,
        gas: stepGas().toString(),
      };
    });
    // at most what one transaction may carry (protocol 86: 1 Pgas), less a margin
    const full = allStepsGas(codes.length, daoInitGas(a?.dao_args)) + createOwnGas(a?.dao_args, a?.init_args);
    const gas = full < MAX_TX_GAS ? full : MAX_TX_GAS;
    const forkExtra = storageCost(BigInt(RESERVE_BYTES) * (DAO_STATE_PER_ARG_BYTE + 1n));
    const deposit =
      a?.name !== undefined && a.dao_args !== undefined
        ? quote(this.ctx, { name: a.name, dao_args: a.dao_args, init_args: a.init_args }).toString()
        : null;
    return {
      contracts,
      accounts_total: total.toString(),
      deposit,
      gas: gas.toString(),
      fork_extra: forkExtra.toString(),
    };
  }

  // What publish_code burns for `bytes` of code (global_contract_storage_amount_per_byte).
  @view({})
  get_publish_cost({ bytes }: { bytes: number }): string {
    if (!Number.isSafeInteger(bytes) || bytes < 1) fail("ERR_INVALID_ARGS", "bytes");
    return publishCost(bytes).toString();
  }

  @view({})
  get_community({ name }: { name: string }) {
    const c = this.communities.get(name) as Community | null;
    return c ? { ...communityView(c), next_step: nextStep(c), pending_dao_args: pendingDaoArgs(c) } : null;
  }

  @view({})
  get_community_count(): number {
    return this.communities.size;
  }

  @view({})
  get_communities({ from_index, limit }: { from_index?: number; limit?: number }) {
    const [start, end] = pageRange(from_index, limit, this.communities.size);
    if (end <= start) return [];
    return this.communities.keys(start, end).map((k) => communityView(this.communities.get(k) as Community));
  }
}

// Owner only. Input: a one-line JSON header {"name","version","in_suite"?,"init_balance"?}, a newline, then the raw
// wasm. Deploys the code to the chain's global store by its hash (NEP-591) and records the release once that
// succeeded (on_code_published, event `code_stored`). Attach the burn, get_publish_cost({bytes}) (10^20 yocto a byte,
// ~37 NEAR for 370 KB): paid once per release for every community; the excess is refunded at once.
export function publish_code(): void {
  withRawInput<CommunityFactory>(CommunityFactory, (factory, input) => {
    onlyCaller(factory.owner_id, "ERR_NOT_OWNER");
    publishCode(factory.codes, input);
  });
}

// NEP-330 source metadata: version, standards and how this wasm was built (docs/source-metadata.md).
export function contract_source_metadata(): void {
  returnSourceMetadata(COMMUNITY_FACTORY);
}
