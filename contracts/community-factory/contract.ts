import { NearBindgen, UnorderedMap, call, initialize, near, view } from "near-sdk-js";
import { codeKey, readCode, storeCode, suiteCodes } from "./codes";
import { abandon, communityView, create, deployNext, getCommunity, nextStep, onStepDone, stepGas } from "./communities";
import { createFork, onForkRead, readFork } from "./fork";
import { EVENT_VERSION, STANDARD } from "./types";
import type { CodeRecord, Community } from "./types";
import { fail } from "../shared/errors";
import { gasLeft, TGAS } from "../shared/gas";
import { eventEmitter } from "../shared/events";
import { pageRange } from "../shared/pagination";
import { withRawInput } from "../shared/raw-call";
import { assertOneYocto, callbackSucceeded } from "../shared/storage";
import { assertAccountId } from "../shared/validate";
import { onlyCaller, onlySelf } from "../shared/access";

const emit = eventEmitter(STANDARD, EVENT_VERSION);

@NearBindgen({ requireInit: true })
export class CommunityFactory {
  owner_id = "";
  codes = new UnorderedMap<CodeRecord>("k");
  communities = new UnorderedMap<Community>("n");

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

  // Reserves the name, takes the deposit (see get_required_deposit) and, when the call carries enough gas, also
  // deploys the DAO. The CLI then calls deploy_next until the community is Ready.
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
    const c = create(this.ctx, { name, dao_args, init_args });
    const daoBytes = (this.codes.get(c.steps[0].code) as CodeRecord).bytes;
    if (gasLeft() >= stepGas(daoBytes) + 10n * TGAS) {
      return deployNext(this.ctx, c);
    }
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
  on_fork_read({ name }: { name: string }) {
    return onForkRead(this.ctx, name);
  }

  // Anyone may push a paid-for creation forward; each call deploys one contract.
  @call({})
  deploy_next({ name }: { name: string }) {
    return deployNext(this.ctx, getCommunity(this.ctx, name));
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
    const [start, end] = pageRange(from_index, limit, this.codes.length);
    if (end <= start) return [];
    return (this.codes.keys({ start, limit: end - start }) as string[]).map((k) => this.codes.get(k) as CodeRecord);
  }

  @view({})
  get_code_info({ name }: { name: string }): CodeRecord | null {
    return this.codes.get(name) as CodeRecord | null;
  }

  // The raw wasm, e.g. for a community to store as a blob and upgrade itself by proposal.
  @view({})
  get_code({ name }: { name: string }): void {
    if (typeof name !== "string" || this.codes.get(name) === null) fail("ERR_UNKNOWN_CODE", String(name));
    near.valueReturnRaw(readCode(name));
  }

  // What create_community needs attached: each suite account's starting balance; add ~0.02 NEAR for the record.
  @view({})
  get_required_deposit() {
    const codes = suiteCodes(this.codes);
    let total = 0n;
    const contracts = codes.map((c) => {
      total += BigInt(c.init_balance);
      return {
        code: c.name,
        version: c.version,
        bytes: c.bytes,
        init_balance: c.init_balance,
        gas: stepGas(c.bytes).toString(),
      };
    });
    return { contracts, accounts_total: total.toString() };
  }

  @view({})
  get_community({ name }: { name: string }) {
    const c = this.communities.get(name) as Community | null;
    return c ? { ...communityView(c), next_step: nextStep(c) } : null;
  }

  @view({})
  get_community_count(): number {
    return this.communities.length;
  }

  @view({})
  get_communities({ from_index, limit }: { from_index?: number; limit?: number }) {
    const [start, end] = pageRange(from_index, limit, this.communities.length);
    if (end <= start) return [];
    return (this.communities.keys({ start, limit: end - start }) as string[]).map((k) =>
      communityView(this.communities.get(k) as Community),
    );
  }
}

// Owner only, exactly 1 yoctoNEAR. Input: a one-line JSON header {"name","version","in_suite"?,"init_balance"?},
// a newline, then the raw wasm. The factory pays the code's storage from its own balance.
export function store_code(): void {
  withRawInput<CommunityFactory>(CommunityFactory, (factory, input) => {
    onlyCaller(factory.owner_id, "ERR_NOT_OWNER");
    assertOneYocto();
    return storeCode(factory.codes, input, emit);
  });
}
