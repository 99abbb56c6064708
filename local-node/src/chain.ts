// The node's chain: transaction validation and charging, receipt scheduling over blocks (one block per hop),
// outcomes, views, sandbox patch/fast-forward, and persistence through the journal.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type BlockInfo, Blocks, type Segment, type StoredBlock } from "./blocks.ts";
import { type Entry, Journal } from "./journal.ts";
import { ECONOMICS, LIMITS } from "./runtime-config.ts";
import {
  type ActionReceipt,
  applyActionReceipt,
  type BlockContext,
  childId,
  type OutcomeView,
  type Receipt,
} from "./runtime.ts";
import { BlockTrie, VIEW_TRIE } from "./chain-trie.ts";
import { State } from "./state.ts";
import { buildRecord, extendRecord, receiptView, type TxCharge, type TxRecord } from "./outcomes.ts";
import { type DecodedTx, permissionView, validateActions } from "./tx.ts";
import { txCost, insufficientStorageStake } from "./fees.ts";
import { concat, EMPTY_CODE_HASH, isValidAccountId, sha256 } from "./util.ts";
import type { PromiseResult, RunFunctionCall } from "./vm/types.ts";

const NONCE_MULTIPLIER = 1_000_000n;

// The chain's own errors; rpc.ts turns each into its JSON-RPC error object.

/** A transaction refused before execution; `error` is nearcore's InvalidTxError value (e.g. "Expired"). */
export class InvalidTxError extends Error {
  constructor(readonly error: unknown) {
    super(`invalid transaction: ${typeof error === "string" ? error : Object.keys(error as object)[0]}`);
  }
}

/** A block reference (height or hash) that names no block of this chain. */
export class UnknownBlockError extends Error {
  constructor(readonly blockId: unknown) {
    super(`unknown block ${String(blockId)}`);
  }
}

/** A sandbox_patch_state record with a malformed field (e.g. a non-numeric amount): the caller's error. */
export class InvalidStateRecordError extends Error {}

interface Genesis {
  chain_id: string;
  genesis_time: string;
  records: Array<Record<string, unknown>>;
  validator: { account_id: string; public_key: string };
}

export class Chain {
  readonly state = new State();
  /** the state's trie keys at the start of the block and the block's trie-node accounting (chain-trie.ts) */
  readonly trie = new BlockTrie(this.state);
  readonly blocks: Blocks;
  readonly txs = new Map<string, TxRecord>();
  readonly gasPrice = ECONOMICS.minGasPrice;
  private journal: Journal;
  private newBlocks: StoredBlock[] = [];
  private newSegments: Segment[] = [];
  private newTxs: TxRecord[] = [];

  constructor(
    readonly home: string,
    readonly genesis: Genesis,
    readonly vm: RunFunctionCall,
  ) {
    this.blocks = new Blocks(`${genesis.chain_id}:${genesis.genesis_time}`);
    const { journal, snapshot, entries, journalBytes } = Journal.open(home);
    this.journal = journal;
    if (snapshot) this.replay(snapshot);
    for (const e of entries) this.replay(e);
    if (!snapshot && entries.length === 0) this.initGenesis();
    if (Journal.shouldCompact(journalBytes)) this.journal.compact(this.snapshot());
  }

  /** The VM for receipts of the current block: storage counts trie nodes as nearcore does (chain-trie.ts). */
  private readonly vmInBlock: RunFunctionCall = (code, codeHash, ctx, view) =>
    this.vm(code, codeHash, ctx, { get: (key) => view.get(key), trie: this.trie.forAccount(ctx.currentAccountId) });

  static load(home: string, vm: RunFunctionCall): Chain {
    const genesis = JSON.parse(readFileSync(join(home, "genesis.json"), "utf8")) as Genesis;
    return new Chain(home, genesis, vm);
  }

  private initGenesis(): void {
    this.state.applyPersisted(genesisState(this.genesis));
    this.blocks.put({ height: 0n, timestampNs: BigInt(Date.parse(this.genesis.genesis_time)) * 1_000_000n, txs: [] });
    this.state.takeDirty();
    // the genesis state goes into the journal's first line so that replay never depends on genesis parsing
    this.journal.append({ s: this.state.dumpAll(), b: [blockJson(this.blocks.headInfo(), [])], shift: "0" });
  }

  // --- persistence ---
  private replay(e: Entry): void {
    if (e.s) this.state.applyPersisted(e.s as Array<[string, unknown]>);
    for (const b of (e.b as Array<Record<string, unknown>>) ?? []) {
      this.blocks.put({
        height: BigInt(b.h as string),
        timestampNs: BigInt(b.t as string),
        txs: (b.x as string[]) ?? [],
      });
    }
    for (const s of (e.g as Array<Record<string, string>>) ?? []) {
      this.blocks.addSegment({
        from: BigInt(s.from),
        to: BigInt(s.to),
        startNs: BigInt(s.startNs),
        stepNs: BigInt(s.stepNs),
      });
    }
    for (const t of (e.x as TxRecord[]) ?? []) this.txs.set(t.hash, t);
    if (e.shift !== undefined) this.blocks.timeShiftNs = BigInt(e.shift as string);
  }

  private snapshot(): Entry {
    const blocks = this.blocks.storedBlocks().map((b) => ({ h: `${b.height}`, t: `${b.timestampNs}`, x: b.txs }));
    return {
      s: this.state.dumpAll(),
      b: blocks,
      g: this.blocks.segments.map(segmentJson),
      x: [...this.txs.values()],
      shift: `${this.blocks.timeShiftNs}`,
    };
  }

  /** Makes everything since the last commit durable (fsync) before the caller answers. */
  private commit(): void {
    this.state.commit();
    this.journal.append({
      s: this.state.takeDirty(),
      b: this.newBlocks.map((b) => ({ h: `${b.height}`, t: `${b.timestampNs}`, x: b.txs })),
      g: this.newSegments.map(segmentJson),
      x: this.newTxs,
      shift: `${this.blocks.timeShiftNs}`,
    });
    this.newBlocks = [];
    this.newSegments = [];
    this.newTxs = [];
  }

  /** Undoes an unfinished request (an unexpected exception). */
  private abort(cp: number, head: bigint, shift: bigint): void {
    this.state.rollbackTo(cp);
    this.state.commit();
    this.state.takeDirty();
    this.blocks.truncate(head);
    this.blocks.timeShiftNs = shift;
    this.newBlocks = [];
    this.newSegments = [];
    this.newTxs = [];
  }

  close(): void {
    this.journal.close();
  }

  // --- blocks ---
  private produceBlock(txs: string[] = []): BlockContext {
    const b: StoredBlock = { height: this.blocks.head + 1n, timestampNs: this.blocks.nextTimestamp(), txs };
    this.blocks.put(b);
    this.newBlocks.push(b);
    this.trie.startBlock();
    const info = this.blocks.info(b.height)!;
    return {
      height: b.height,
      hash: info.hash,
      timestampNs: b.timestampNs,
      epochHeight: info.epochHeight,
      gasPrice: this.gasPrice,
      validators: this.validatorStakes(),
    };
  }

  /** One validator, test.near, staking its locked balance (the `validators` RPC shows the same). */
  validatorStakes(): Record<string, bigint> {
    const id = this.genesis.validator.account_id;
    return { [id]: this.state.getAccount(id)?.locked ?? 0n };
  }

  fastForward(delta: bigint): void {
    const cp = this.state.checkpoint();
    const head = this.blocks.head;
    const shift = this.blocks.timeShiftNs;
    try {
      const { blocks, segment } = this.blocks.fastForward(delta);
      this.newBlocks.push(...blocks);
      if (segment) this.newSegments.push(segment);
      // the new head's chunk resolves the yields that timed out meanwhile; their callbacks run in the next blocks,
      // as a nearcore sandbox keeps producing blocks after a fast-forward
      const info = this.blocks.headInfo();
      const next: Receipt[] = [];
      this.resolveYieldTimeouts(this.blockContext(info), next);
      const ex = newExecution();
      this.drive(ex, next);
      this.extendOwners(ex, new Set());
      this.commit();
    } catch (e) {
      this.abort(cp, head, shift);
      throw e;
    }
  }

  private blockContext(info: BlockInfo): BlockContext {
    return {
      height: info.height,
      hash: info.hash,
      timestampNs: info.timestampNs,
      epochHeight: info.epochHeight,
      gasPrice: this.gasPrice,
      validators: this.validatorStakes(),
    };
  }

  // --- transactions ---
  /**
   * Executes transactions that arrived together the way a block producer would: all valid ones go into one
   * block, their receipts share the following blocks, one journal commit (fsync) covers the batch. Each
   * entry is the transaction's record or the InvalidTxError for it, in input order.
   */
  submitBatch(txs: DecodedTx[]): Array<TxRecord | InvalidTxError> {
    const cp = this.state.checkpoint();
    const head = this.blocks.head;
    const shift = this.blocks.timeShiftNs;
    const out: Array<TxRecord | InvalidTxError | string> = new Array(txs.length);
    const accepted: Array<{ tx: DecodedTx; cost: TxCharge }> = [];
    const inBatch = new Set<string>();
    for (const i of poolOrder(txs)) {
      const tx = txs[i];
      const known = this.txs.get(tx.hashB58);
      if (known) {
        out[i] = known; // an identical re-send returns the recorded outcome
      } else if (inBatch.has(tx.hashB58)) {
        out[i] = tx.hashB58; // a duplicate inside the batch: same record
      } else {
        try {
          accepted.push({ tx, cost: this.validateAndCharge(tx) });
          inBatch.add(tx.hashB58);
          out[i] = tx.hashB58;
        } catch (e) {
          if (!(e instanceof InvalidTxError)) {
            this.abort(cp, head, shift);
            throw e;
          }
          out[i] = e;
        }
      }
    }
    if (accepted.length === 0) return out as Array<TxRecord | InvalidTxError>;
    try {
      this.execute(accepted);
      this.commit();
    } catch (e) {
      this.abort(cp, head, shift);
      throw e;
    }
    return out.map((x) => (typeof x === "string" ? this.txs.get(x)! : x));
  }

  private validateAndCharge(tx: DecodedTx): TxCharge {
    const baseHeight = this.blocks.heightOfHash(tx.blockHash);
    if (baseHeight === undefined || this.blocks.head - baseHeight > ECONOMICS.transactionValidityPeriod) {
      throw new InvalidTxError("Expired");
    }
    if (!isValidAccountId(tx.signerId)) throw new InvalidTxError({ InvalidSignerId: { signer_id: tx.signerId } });
    if (!isValidAccountId(tx.receiverId)) {
      throw new InvalidTxError({ InvalidReceiverId: { receiver_id: tx.receiverId } });
    }
    if (!tx.signatureValid) throw new InvalidTxError("InvalidSignature");
    if (tx.size > LIMITS.maxTransactionSize) {
      throw new InvalidTxError({ TransactionSizeExceeded: { size: tx.size, limit: LIMITS.maxTransactionSize } });
    }
    const av = validateActions(tx.actions);
    if (av !== undefined) throw new InvalidTxError({ ActionsValidation: av });
    const cost = txCost(tx.signerId, tx.receiverId, tx.actions, this.gasPrice);
    const signer = this.state.getAccount(tx.signerId);
    if (!signer) throw new InvalidTxError({ SignerDoesNotExist: { signer_id: tx.signerId } });
    const key = this.state.getAccessKey(tx.signerId, tx.publicKey.text);
    if (!key) {
      throw new InvalidTxError({
        InvalidAccessKeyError: { AccessKeyNotFound: { account_id: tx.signerId, public_key: tx.publicKey.text } },
      });
    }
    if (tx.nonce <= key.nonce) throw new InvalidTxError({ InvalidNonce: { tx_nonce: tx.nonce, ak_nonce: key.nonce } });
    const upper = (this.blocks.head + 1n) * NONCE_MULTIPLIER;
    if (tx.nonce >= upper) throw new InvalidTxError({ NonceTooLarge: { tx_nonce: tx.nonce, upper_bound: upper } });
    if (signer.amount < cost.totalCost) {
      throw new InvalidTxError({
        NotEnoughBalance: {
          signer_id: tx.signerId,
          balance: signer.amount.toString(),
          cost: cost.totalCost.toString(),
        },
      });
    }
    const p = key.permission;
    if (p.kind === "FunctionCall") {
      if (p.allowance !== null && p.allowance < cost.totalCost) {
        throw new InvalidTxError({
          InvalidAccessKeyError: {
            NotEnoughAllowance: {
              account_id: tx.signerId,
              public_key: tx.publicKey.text,
              allowance: p.allowance.toString(),
              cost: cost.totalCost.toString(),
            },
          },
        });
      }
    }
    const missing = insufficientStorageStake(signer.amount - cost.totalCost, signer.locked, signer.storageUsage);
    if (missing > 0n) {
      throw new InvalidTxError({ LackBalanceForState: { signer_id: tx.signerId, amount: missing.toString() } });
    }
    if (p.kind === "FunctionCall") {
      const a = tx.actions[0];
      if (tx.actions.length !== 1 || a.kind !== "FunctionCall") {
        throw new InvalidTxError({ InvalidAccessKeyError: "RequiresFullAccess" });
      }
      if (a.deposit > 0n) throw new InvalidTxError({ InvalidAccessKeyError: "DepositWithFunctionCall" });
      if (tx.receiverId !== p.receiverId) {
        throw new InvalidTxError({
          InvalidAccessKeyError: { ReceiverMismatch: { tx_receiver: tx.receiverId, ak_receiver: p.receiverId } },
        });
      }
      if (p.methodNames.length > 0 && !p.methodNames.includes(a.methodName)) {
        throw new InvalidTxError({ InvalidAccessKeyError: { MethodNameMismatch: { method_name: a.methodName } } });
      }
    }
    // all checks passed: charge the signer
    signer.amount -= cost.totalCost;
    this.state.setAccount(tx.signerId, signer);
    key.nonce = tx.nonce;
    if (p.kind === "FunctionCall" && p.allowance !== null) {
      key.permission = { ...p, allowance: p.allowance - cost.totalCost };
    }
    this.state.setAccessKey(tx.signerId, tx.publicKey.text, key);
    return cost;
  }

  private execute(batch: Array<{ tx: DecodedTx; cost: TxCharge }>): void {
    const first = this.produceBlock(batch.map((b) => b.tx.hashB58));
    const ex = newExecution();
    const next: Receipt[] = [];
    const roots = batch.map(({ tx, cost }) => {
      const receipt: ActionReceipt = {
        kind: "action",
        id: childId(tx.hashB58, first.hash, 0),
        predecessorId: tx.signerId,
        receiverId: tx.receiverId,
        signerId: tx.signerId,
        signerPk: tx.publicKey,
        gasPrice: cost.receiptGasPrice,
        actions: tx.actions,
        outputDataReceivers: [],
        inputDataIds: [],
      };
      ex.owner.set(receipt.id, tx.hashB58);
      // a receipt to the signer itself is applied in the transaction's block
      if (tx.signerId === tx.receiverId) this.run(ex, first, receipt, next);
      else next.push(receipt);
      return receipt;
    });
    this.resolveYieldTimeouts(first, next);
    this.drive(ex, next);
    const own = new Set<string>();
    batch.forEach(({ tx, cost }, i) => {
      const record = buildRecord(tx, cost, first, roots[i].id, ex.outcomes);
      record.receipts = [...ex.receiptViews].filter(([id]) => ex.owner.get(id) === tx.hashB58).map(([, v]) => v);
      this.txs.set(record.hash, record);
      this.newTxs.push(record);
      own.add(record.hash);
    });
    this.extendOwners(ex, own);
  }

  /** Applies one action receipt whose input data has arrived (taking that data). */
  private run(ex: Execution, block: BlockContext, r: ActionReceipt, out: Receipt[]): void {
    const results: PromiseResult[] = r.inputDataIds.map((id) => {
      const d = ex.data.get(id);
      return d === null || d === undefined ? { status: "Failed" } : { status: "Successful", data: d };
    });
    for (const id of r.inputDataIds) ex.data.delete(id);
    ex.receiptViews.set(r.id, receiptView(r));
    const res = applyActionReceipt(this.state, block, this.vmInBlock, r, results);
    ex.outcomes.set(r.id, res.outcome);
    for (const o of res.outgoing) {
      ex.owner.set(o.id, ex.owner.get(r.id)!);
      // nearcore 2.13 (InstantPromiseYield, protocol 83): a PromiseYield receipt is applied right after the receipt
      // that emitted it, in the same block: it is stored until its PromiseResume arrives, with no outcome yet
      if (o.kind === "action" && o.isYield) {
        this.state.setYield(o.receiverId, o.inputDataIds[0], { receipt: o, owner: ex.owner.get(r.id)! });
      } else out.push(o);
    }
  }

  /** Produces blocks until no receipt is in flight: each block applies the receipts the previous one sent, then
   * resolves the yields that time out at its height (nearcore's process_receipts order). */
  private drive(ex: Execution, pending: Receipt[]): void {
    const ready = (r: ActionReceipt) => r.inputDataIds.every((id) => ex.data.has(id));
    let next = pending;
    while (next.length > 0) {
      const block = this.produceBlock();
      const incoming = next;
      next = [];
      for (const r of incoming) {
        if (r.kind === "data" && r.promiseResume) {
          // nearcore 2.13 process_receipt(PromiseResume): a timeout (no data) for a yield whose resume is on its way
          // (ResumeInitiated) is dropped; else the stored yield runs with the data, its status and yield id go; a
          // yield already run (a second resume, a timeout after a resume) is gone and the receipt is ignored
          if (r.data === null && this.state.getYieldStatus(r.receiverId, r.dataId) === "ResumeInitiated") continue;
          const y = this.state.getYield(r.receiverId, r.dataId);
          if (!y) continue;
          this.state.setYield(r.receiverId, r.dataId, undefined);
          this.state.setYieldStatus(r.receiverId, r.dataId, undefined);
          this.state.removeYieldIdOf(r.receiverId, r.dataId);
          const waiting = y.receipt as ActionReceipt;
          ex.owner.set(waiting.id, y.owner);
          ex.data.set(r.dataId, r.data);
          this.run(ex, block, waiting, next);
        } else if (r.kind === "data") {
          ex.data.set(r.dataId, r.data);
          this.wakePostponed(ex, r.receiverId, r.dataId);
          for (const [id, waiting] of ex.postponed) {
            if (waiting.inputDataIds.includes(r.dataId) && ready(waiting)) {
              ex.postponed.delete(id);
              this.run(ex, block, waiting, next);
            }
          }
        } else if (r.kind === "distribution") {
          // a global contract reaches the global store (one shard: delivered, not forwarded; no outcome)
          this.state.setGlobalCode(r.identifier, r.code);
        } else if (ready(r)) this.run(ex, block, r, next);
        else ex.postponed.set(r.id, r);
      }
      this.resolveYieldTimeouts(block, next);
    }
    // receipts still waiting wait for a yield's callback, which runs in a later request: they go into the state
    // (nearcore keeps every postponed receipt there), with the inputs that already arrived
    for (const [id, r] of ex.postponed) {
      this.state.setPostponed(r.receiverId, id, { receipt: r, owner: ex.owner.get(id)! });
      for (const d of r.inputDataIds) {
        if (ex.data.has(d)) this.state.setReceivedData(r.receiverId, d, { data: ex.data.get(d)! });
        else this.state.setWaiting(r.receiverId, d, id);
      }
    }
    ex.postponed.clear();
  }

  /** A receipt of an earlier request waiting for this data comes back into the execution, with the inputs it had. */
  private wakePostponed(ex: Execution, accountId: string, dataId: string): void {
    const receiptId = this.state.getWaiting(accountId, dataId);
    if (receiptId === undefined) return;
    const p = this.state.getPostponed(accountId, receiptId);
    if (!p) return;
    this.state.setPostponed(accountId, receiptId, undefined);
    const r = p.receipt as ActionReceipt;
    for (const d of r.inputDataIds) {
      const received = this.state.getReceivedData(accountId, d);
      if (received) {
        ex.data.set(d, received.data);
        this.state.setReceivedData(accountId, d, undefined);
      }
      if (this.state.getWaiting(accountId, d) !== undefined) this.state.setWaiting(accountId, d, undefined);
    }
    ex.owner.set(r.id, p.owner);
    ex.postponed.set(r.id, r);
  }

  /** nearcore resolve_promise_yield_timeouts: every queue entry due at this height is removed; a yield still waiting
   * gets a PromiseResume receipt without data (its callback sees PromiseResult::Failed) in the next block. */
  private resolveYieldTimeouts(block: BlockContext, out: Receipt[]): void {
    const indices = this.state.yieldIndices();
    const first = indices.first;
    while (indices.first < indices.next) {
      const t = this.state.getYieldTimeout(indices.first);
      if (!t || t.expiresAt > block.height) break;
      if (this.state.getYield(t.accountId, t.dataId)) {
        out.push({
          kind: "data",
          id: childId(`timeout:${t.dataId}`, block.hash, Number(indices.first - first)),
          predecessorId: t.accountId,
          receiverId: t.accountId,
          dataId: t.dataId,
          data: null,
          promiseResume: true,
        });
      }
      this.state.setYieldTimeout(indices.first, undefined);
      indices.first += 1n;
    }
    if (indices.first !== first) this.state.setYieldIndices(indices);
  }

  /** Adds the outcomes of yield callbacks (and what they started) to the records of the earlier transactions that
   * created the yields. */
  private extendOwners(ex: Execution, skip: Set<string>): void {
    const byOwner = new Map<string, string[]>();
    for (const id of ex.outcomes.keys()) {
      const owner = ex.owner.get(id);
      if (owner === undefined || skip.has(owner)) continue;
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), id]);
    }
    for (const [hash, ids] of byOwner) {
      const old = this.txs.get(hash);
      if (!old) continue;
      const record = extendRecord(
        old,
        ids.map((id) => ex.outcomes.get(id)!),
        ids.filter((id) => ex.receiptViews.has(id)).map((id) => ex.receiptViews.get(id)),
      );
      this.txs.set(hash, record);
      this.newTxs.push(record);
    }
  }

  // --- sandbox_patch_state ---
  patchState(records: unknown[]): void {
    const cp = this.state.checkpoint();
    try {
      this.applyRecords(records);
    } catch (e) {
      this.abort(cp, this.blocks.head, this.blocks.timeShiftNs);
      // a record with a malformed field (e.g. a non-numeric amount) is the caller's error, not the node's
      throw new InvalidStateRecordError(`${(e as Error)?.message ?? e}`);
    }
    this.commit();
  }

  private applyRecords(records: unknown[]): void {
    for (const rec of records) {
      if (!rec || typeof rec !== "object") continue;
      const r = rec as Record<string, Record<string, unknown>>;
      if (r.Account) {
        const a = r.Account.account as Record<string, unknown>;
        const id = r.Account.account_id as string;
        if (!isValidAccountId(id) || !a) continue;
        this.state.setAccount(id, {
          amount: BigInt((a.amount as string) ?? "0"),
          locked: BigInt((a.locked as string) ?? "0"),
          codeHash: (a.code_hash as string) ?? EMPTY_CODE_HASH,
          storageUsage: BigInt((a.storage_usage as number) ?? 0),
        });
      } else if (r.AccessKey) {
        const k = r.AccessKey;
        const ak = k.access_key as Record<string, unknown>;
        const id = k.account_id as string;
        if (!isValidAccountId(id) || typeof k.public_key !== "string" || !ak) continue;
        const perm = ak.permission as "FullAccess" | { FunctionCall: Record<string, unknown> };
        this.state.setAccessKey(id, k.public_key, {
          nonce: BigInt((ak.nonce as number) ?? 0),
          permission:
            perm === "FullAccess" || !perm
              ? { kind: "FullAccess" }
              : {
                  kind: "FunctionCall",
                  allowance: perm.FunctionCall.allowance == null ? null : BigInt(perm.FunctionCall.allowance as string),
                  receiverId: perm.FunctionCall.receiver_id as string,
                  methodNames: (perm.FunctionCall.method_names as string[]) ?? [],
                },
        });
      } else if (r.Contract) {
        const code = Buffer.from((r.Contract.code as string) ?? "", "base64");
        this.state.setCode(r.Contract.account_id as string, new Uint8Array(code));
      } else if (r.Data) {
        const key = Buffer.from((r.Data.data_key as string) ?? "", "base64");
        const value = Buffer.from((r.Data.value as string) ?? "", "base64");
        this.state.setData(r.Data.account_id as string, key.toString("hex"), new Uint8Array(value));
      }
    }
  }

  // --- views ---
  blockInfo(ref: { finality?: unknown; block_id?: unknown }): BlockInfo {
    const id = ref.block_id;
    if (id === undefined || id === null) return this.blocks.headInfo();
    let height: bigint | undefined;
    if (typeof id === "number" && Number.isInteger(id) && id >= 0) height = BigInt(id);
    else if (typeof id === "string" && /^\d+$/.test(id)) height = BigInt(id);
    else if (typeof id === "string") height = this.blocks.heightOfHash(id);
    const info = height !== undefined && height <= this.blocks.head ? this.blocks.info(height) : undefined;
    if (!info) throw new UnknownBlockError(id);
    return info;
  }

  totalSupply(): bigint {
    return this.state.totalBalance();
  }

  gasPriceView(): string {
    return this.gasPrice.toString();
  }

  /** Runs a view; `error` is the failure's debug form (nearcore's `{:?}` of the FunctionCallError). */
  viewCall(
    accountId: string,
    method: string,
    args: Uint8Array,
    block: BlockInfo,
  ): { result?: Uint8Array; logs: string[]; error?: string } {
    const account = this.state.getAccount(accountId)!;
    // its own code or the global contract it uses
    const contract = this.state.contractOf(accountId);
    if (!contract) {
      return {
        logs: [],
        error: `CompilationError(CodeDoesNotExist { account_id: AccountId("${accountId}") })`,
      };
    }
    const out = this.vm(
      contract.code,
      contract.hash,
      {
        currentAccountId: accountId,
        signerAccountId: "",
        signerAccountPk: new Uint8Array(),
        predecessorAccountId: "",
        methodName: method,
        input: args,
        blockHeight: block.height,
        blockTimestamp: block.timestampNs,
        epochHeight: block.epochHeight,
        accountBalance: account.amount,
        accountLockedBalance: account.locked,
        storageUsage: account.storageUsage,
        attachedDeposit: 0n,
        prepaidGas: LIMITS.maxGasBurnt,
        randomSeed: sha256(concat(Buffer.from(block.hash), Buffer.from(accountId))),
        isView: true,
        promiseResults: [],
        validators: this.validatorStakes(),
        contract: contract.kind,
      },
      { get: (key) => this.state.getData(accountId, Buffer.from(key).toString("hex")), trie: VIEW_TRIE },
    );
    if (out.error) {
      return {
        logs: out.logs,
        error: out.errorDebug ?? JSON.stringify(out.error),
      };
    }
    const rd = out.returnData;
    return { result: rd.kind === "Value" ? rd.data : new Uint8Array(), logs: out.logs };
  }

  /** Whether the transaction's receipts have all run (false while a yield in its tree waits). */
  isExecuted(txHash: string): boolean {
    return !this.state.hasPendingReceipts(txHash);
  }

  accessKeyView(accountId: string, pk: string): unknown {
    const k = this.state.getAccessKey(accountId, pk);
    return k ? { nonce: k.nonce, permission: permissionView(k.permission) } : undefined;
  }
}

/** The receipts of one request's blocks: outcomes and views by receipt id, data that arrived, receipts waiting for
 * data, and the transaction each receipt belongs to. */
interface Execution {
  outcomes: Map<string, OutcomeView>;
  receiptViews: Map<string, unknown>;
  data: Map<string, Uint8Array | null>;
  postponed: Map<string, ActionReceipt>;
  owner: Map<string, string>;
}

function newExecution(): Execution {
  return { outcomes: new Map(), receiptViews: new Map(), data: new Map(), postponed: new Map(), owner: new Map() };
}

/** Like nearcore's transaction pool: each signer key's transactions in nonce order, keys by first arrival. */
function poolOrder(txs: DecodedTx[]): number[] {
  const first = new Map<string, number>();
  txs.forEach((tx, i) => {
    const k = `${tx.signerId}:${tx.publicKey.text}`;
    if (!first.has(k)) first.set(k, i);
  });
  const group = (i: number) => first.get(`${txs[i].signerId}:${txs[i].publicKey.text}`)!;
  return txs
    .map((_, i) => i)
    .sort(
      (a, b) => group(a) - group(b) || (txs[a].nonce < txs[b].nonce ? -1 : txs[a].nonce > txs[b].nonce ? 1 : a - b),
    );
}

function blockJson(info: BlockInfo, txs: string[]): Record<string, unknown> {
  return { h: `${info.height}`, t: `${info.timestampNs}`, x: txs };
}

function segmentJson(s: Segment): Record<string, string> {
  return { from: `${s.from}`, to: `${s.to}`, startNs: `${s.startNs}`, stepNs: `${s.stepNs}` };
}

/** State entries for the genesis records (same JSON shape as the journal). */
function genesisState(g: Genesis): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const r of g.records) {
    const rec = r as Record<string, Record<string, unknown>>;
    if (rec.Account) out.push([`a:${rec.Account.account_id}`, rec.Account.account]);
    if (rec.AccessKey) {
      const ak = rec.AccessKey.access_key as { nonce: number; permission: unknown };
      out.push([
        `k:${rec.AccessKey.account_id}:${rec.AccessKey.public_key}`,
        { nonce: `${ak.nonce}`, permission: ak.permission },
      ]);
    }
  }
  return out;
}
