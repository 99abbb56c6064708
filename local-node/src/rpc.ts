// JSON-RPC 2.0 over HTTP (POST /): method dispatch, nearcore's result and error shapes, and a serial queue
// so that concurrent requests never interleave with a transaction in progress.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { BlockInfo } from "./blocks.ts";
import { type Chain, InvalidStateRecordError, InvalidTxError, UnknownBlockError } from "./chain.ts";
import { protocolConfigView } from "./config-view.ts";
import type { TxRecord } from "./outcomes.ts";
import { blockView, chunkHashOf, chunkHeader, genesisConfigView, statusView, validatorsView } from "./views.ts";
import { type DecodedTx, decodeSignedTx, TxDecodeError } from "./tx.ts";
import { b58, b64, fromB58, fromB64, isValidAccountId, parsePublicKey, sha256 } from "./util.ts";

/** nearcore's json_payload_max_size */
const MAX_BODY = 10 * 1024 * 1024;

type Params = Record<string, unknown> | unknown[] | undefined;

/** nearcore's RpcPollingConfig.polling_timeout: how long send_tx / tx wait for a transaction to reach `wait_until`
 * (LOCAL_NODE_TX_TIMEOUT_MS overrides, for tests) */
const TX_TIMEOUT_MS = Number(process.env.LOCAL_NODE_TX_TIMEOUT_MS ?? 10_000);

/** An answer that has to wait, outside the serial queue, until the transaction's receipts have all run (a yield in
 * its tree waits for a later transaction or its timeout). */
class AwaitExecuted {
  constructor(
    readonly hash: string,
    readonly waitUntil: string,
    readonly withReceipts: boolean,
  ) {}
}

/** A JSON-RPC error object (nearcore's shape: name, cause {name, info}, code, message, data). */
class RpcFail extends Error {
  constructor(
    public name: string,
    public causeName: string,
    public info: unknown,
    public data: unknown,
    public code = -32000,
    public rpcMessage = "Server error",
  ) {
    super(typeof data === "string" ? data : causeName);
  }
}

const parseError = (msg: string) =>
  new RpcFail("REQUEST_VALIDATION_ERROR", "PARSE_ERROR", { error_message: msg }, msg, -32700, "Parse error");

/** The RPC error for one of the chain's errors, or undefined for any other exception (an internal error). */
function chainFail(e: unknown): RpcFail | undefined {
  if (e instanceof InvalidTxError) {
    return new RpcFail("HANDLER_ERROR", "INVALID_TRANSACTION", {}, { TxExecutionError: { InvalidTxError: e.error } });
  }
  if (e instanceof UnknownBlockError) {
    return new RpcFail(
      "HANDLER_ERROR",
      "UNKNOWN_BLOCK",
      { block_reference: { block_id: e.blockId } },
      `DB Not Found Error: BLOCK: ${e.blockId}`,
    );
  }
  if (e instanceof InvalidStateRecordError) {
    return parseError(`Failed parsing args: invalid state record: ${e.message}`);
  }
  return undefined;
}

/** JSON text where bigint values become plain JSON numbers (nearcore prints u64 exactly). */
function toJson(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (typeof v === "bigint") {
      marks.push(v.toString());
      return `\u0000${marks.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(/"\\u0000(\d+)\\u0000"/g, (_m, i) => marks[Number(i)]);
}

const TX_METHODS = new Set(["send_tx", "broadcast_tx_commit", "broadcast_tx_async"]);
const WAIT_LEVELS = ["NONE", "INCLUDED", "INCLUDED_FINAL", "EXECUTED_OPTIMISTIC", "EXECUTED", "FINAL"];

function decodeParam(signed: unknown): DecodedTx {
  const bytes = fromB64(signed);
  if (!bytes || bytes.length === 0) throw parseError("Failed to decode transaction: invalid base64");
  try {
    return decodeSignedTx(bytes);
  } catch (e) {
    if (e instanceof TxDecodeError) throw parseError(e.message);
    throw e;
  }
}

export class RpcHandler {
  private tail: Promise<unknown> = Promise.resolve();
  readonly startedAt = Date.now();

  constructor(
    private chain: Chain,
    private rpcAddr: string,
  ) {}

  /** Runs `fn` after every earlier request has finished. */
  private serial<T>(fn: () => T): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Handles one parsed JSON-RPC request object; returns the response object. */
  async handle(req: unknown): Promise<Record<string, unknown>> {
    if (!req || typeof req !== "object" || Array.isArray(req)) {
      return errorResponse(null, parseError("Invalid request"));
    }
    const r = req as Record<string, unknown>;
    const id = r.id ?? null;
    const method = r.method;
    if (typeof method !== "string") return errorResponse(id, parseError("Invalid request: missing method"));
    try {
      let result = TX_METHODS.has(method)
        ? await this.dispatchTx(method, r.params as Params)
        : await this.serial(() => this.dispatch(method, r.params as Params));
      if (result instanceof AwaitExecuted) result = await this.awaitExecuted(result);
      return { jsonrpc: "2.0", result, id };
    } catch (e) {
      if (e instanceof RpcFail) return errorResponse(id, e);
      const fail = chainFail(e);
      if (fail) return errorResponse(id, fail);
      const msg = (e as Error)?.message ?? String(e);
      process.stderr.write(`internal error in ${method}: ${(e as Error)?.stack ?? msg}\n`);
      return errorResponse(id, new RpcFail("INTERNAL_ERROR", "INTERNAL_ERROR", { error_message: msg }, msg));
    }
  }

  private dispatch(method: string, params: Params): unknown {
    const p = (Array.isArray(params) ? {} : (params ?? {})) as Record<string, unknown>;
    const arr = Array.isArray(params) ? params : undefined;
    switch (method) {
      case "block":
        return blockView(this.chain, this.chain.blockInfo(arr ? { block_id: arr[0] } : p));
      case "chunk":
        return this.chunk(arr ? { chunk_id: arr[0] } : p);
      case "query":
        return this.query(arr, p);
      case "tx":
      case "EXPERIMENTAL_tx_status":
        return this.txStatus(arr, p, method === "EXPERIMENTAL_tx_status");
      case "status":
        return statusView(this.chain, this.rpcAddr, this.startedAt);
      case "health":
        return null;
      case "gas_price":
        return { gas_price: this.chain.gasPriceView() };
      case "EXPERIMENTAL_protocol_config":
        return protocolConfigView(this.chain.genesis);
      case "EXPERIMENTAL_genesis_config":
        return genesisConfigView(this.chain);
      case "validators":
        return validatorsView(this.chain);
      case "network_info":
        return {
          active_peers: [],
          num_active_peers: 0,
          peer_max_count: 0,
          sent_bytes_per_sec: 0,
          received_bytes_per_sec: 0,
          known_producers: [],
        };
      case "sandbox_patch_state": {
        const records = Array.isArray(p.records) ? p.records : undefined;
        if (!records) throw parseError("Failed parsing args: missing field `records`");
        this.chain.patchState(records);
        return {};
      }
      case "sandbox_fast_forward": {
        const d = p.delta_height;
        if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
          throw parseError("Failed parsing args: invalid delta_height");
        }
        if (d > 0) this.chain.fastForward(BigInt(d));
        return {};
      }
      default:
        throw new RpcFail(
          "REQUEST_VALIDATION_ERROR",
          "METHOD_NOT_FOUND",
          { method_name: method },
          method,
          -32601,
          "Method not found",
        );
    }
  }

  private chunk(p: Record<string, unknown>): unknown {
    let info: BlockInfo | undefined;
    if (typeof p.chunk_id === "string") {
      for (let h = this.chain.blocks.head; h >= 0n && this.chain.blocks.head - h < 100_000n; h--) {
        const b = this.chain.blocks.info(h);
        if (b && chunkHashOf(b) === p.chunk_id) {
          info = b;
          break;
        }
      }
      if (!info) {
        throw new RpcFail(
          "HANDLER_ERROR",
          "UNKNOWN_CHUNK",
          { chunk_hash: p.chunk_id },
          `Chunk Missing (unavailable on the node): ${p.chunk_id}`,
        );
      }
    } else {
      info = this.chain.blockInfo(p);
    }
    const txs = info.txs.map((h) => this.chain.txs.get(h)?.result.transaction).filter(Boolean);
    return {
      author: this.chain.genesis.validator.account_id,
      header: chunkHeader(info, chunkHashOf(info)),
      transactions: txs,
      receipts: [],
    };
  }

  // NEP-591 queries: view_global_contract_code {code_hash}, view_global_contract_code_by_account_id {account_id}
  private globalContractCode(type: string, p: Record<string, unknown>, at: Record<string, unknown>): unknown {
    const byAccount = type === "view_global_contract_code_by_account_id";
    const key = byAccount ? p.account_id : p.code_hash;
    if (byAccount && !isValidAccountId(key)) {
      throw parseError(`Failed parsing args: invalid account id ${String(key)}`);
    }
    if (!byAccount && (typeof key !== "string" || !/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(key))) {
      throw parseError(`Failed parsing args: invalid code hash ${String(key)}`);
    }
    const identifier = byAccount ? { accountId: key as string } : { hash: key as string };
    const code = this.chain.state.getGlobalCode(identifier);
    if (!code) {
      const shown = byAccount ? { account_id: key } : { hash: key };
      throw new RpcFail(
        "HANDLER_ERROR",
        "NO_GLOBAL_CONTRACT_CODE",
        { identifier: shown, ...at },
        `Global contract code with identifier ${JSON.stringify(shown)} has never been observed on the node`,
      );
    }
    return { code_base64: b64(code), hash: b58(sha256(code)), ...at };
  }

  // --- query ---
  private query(arr: unknown[] | undefined, p: Record<string, unknown>): unknown {
    if (arr) return this.legacyQuery(arr);
    const type = p.request_type;
    if (p.finality === undefined && p.block_id === undefined && p.sync_checkpoint === undefined) {
      throw parseError("Failed parsing args: missing field `finality` or `block_id`");
    }
    const block = this.chain.blockInfo(p);
    const at = { block_height: block.height, block_hash: block.hash };
    if (type === "view_global_contract_code" || type === "view_global_contract_code_by_account_id") {
      return this.globalContractCode(type, p, at);
    }
    const accountId = p.account_id;
    if (!isValidAccountId(accountId)) throw parseError(`Failed parsing args: invalid account id ${String(accountId)}`);
    const account = this.chain.state.getAccount(accountId);
    const unknownAccount = () =>
      new RpcFail(
        "HANDLER_ERROR",
        "UNKNOWN_ACCOUNT",
        { requested_account_id: accountId, ...at },
        `account ${accountId} does not exist while viewing`,
      );
    switch (type) {
      case "view_account":
        if (!account) throw unknownAccount();
        return {
          amount: account.amount.toString(),
          locked: account.locked.toString(),
          code_hash: account.codeHash,
          storage_usage: account.storageUsage,
          storage_paid_at: 0,
          // NEP-591: an account using a global contract names it (and shows the empty code hash)
          ...(account.global && "hash" in account.global ? { global_contract_hash: account.global.hash } : {}),
          ...(account.global && "accountId" in account.global
            ? { global_contract_account_id: account.global.accountId }
            : {}),
          ...at,
        };
      case "view_code": {
        if (!account) throw unknownAccount();
        // the code the account runs: its own, or the global contract it uses
        const contract = this.chain.state.contractOf(accountId);
        if (!contract) {
          throw new RpcFail(
            "HANDLER_ERROR",
            "NO_CONTRACT_CODE",
            { contract_account_id: accountId, ...at },
            `Contract code for contract ID #${accountId} has never been observed on the node at block #${block.height}`,
          );
        }
        return { code_base64: b64(contract.code), hash: contract.hash, ...at };
      }
      case "view_state": {
        if (!account) throw unknownAccount();
        const prefix = fromB64(p.prefix_base64 ?? "");
        if (!prefix) throw parseError("Failed parsing args: invalid prefix_base64");
        const values = this.chain.state
          .listData(accountId, Buffer.from(prefix).toString("hex"))
          .map(([k, v]) => ({ key: Buffer.from(k, "hex").toString("base64"), value: b64(v) }));
        return { values, proof: [], ...at };
      }
      case "view_access_key": {
        if (!account) throw unknownAccount();
        const pk = parsePublicKey(p.public_key);
        if (!pk) throw parseError(`Failed parsing args: invalid public key ${String(p.public_key)}`);
        const view = this.chain.accessKeyView(accountId, pk.text);
        // nearcore's legacy behaviour: a missing key is a result with an "error" field
        if (!view) return { error: `access key ${pk.text} does not exist while viewing`, logs: [], ...at };
        return { ...(view as object), ...at };
      }
      case "view_access_key_list": {
        if (!account) throw unknownAccount();
        const keys = this.chain.state
          .listAccessKeys(accountId)
          .map(([pk]) => ({ public_key: pk, access_key: this.chain.accessKeyView(accountId, pk) }));
        return { keys, ...at };
      }
      case "call_function": {
        if (!account) throw unknownAccount();
        if (typeof p.method_name !== "string") throw parseError("Failed parsing args: missing field `method_name`");
        const args = fromB64(p.args_base64 ?? "");
        if (!args) throw parseError("Failed parsing args: invalid args_base64");
        const out = this.chain.viewCall(accountId, p.method_name, args, block);
        if (out.error !== undefined) {
          return { error: `wasm execution failed with error: ${out.error}`, logs: out.logs, ...at };
        }
        return { result: [...(out.result ?? [])], logs: out.logs, ...at };
      }
      default:
        throw parseError(`Failed parsing args: unknown request_type ${String(type)}`);
    }
  }

  /** The old path form: ["account/<id>", ""], ["access_key/<id>/<pk>", ""], ["call/<id>/<method>", b58 args]. */
  private legacyQuery(arr: unknown[]): unknown {
    const [path, data] = arr;
    if (typeof path !== "string") throw parseError("Failed parsing args: invalid path");
    const parts = path.split("/");
    const base = { finality: "optimistic" };
    switch (parts[0]) {
      case "account":
        return this.query(undefined, { ...base, request_type: "view_account", account_id: parts[1] });
      case "access_key":
        return parts.length > 2
          ? this.query(undefined, {
              ...base,
              request_type: "view_access_key",
              account_id: parts[1],
              public_key: parts[2],
            })
          : this.query(undefined, { ...base, request_type: "view_access_key_list", account_id: parts[1] });
      case "code":
        return this.query(undefined, { ...base, request_type: "view_code", account_id: parts[1] });
      case "call": {
        let args: Uint8Array;
        try {
          args = fromB58(typeof data === "string" ? data : "");
        } catch {
          throw parseError("Failed parsing args: invalid base58 data");
        }
        return this.query(undefined, {
          ...base,
          request_type: "call_function",
          account_id: parts[1],
          method_name: parts[2],
          args_base64: b64(args),
        });
      }
      default:
        throw parseError(`Failed parsing args: unknown path ${path}`);
    }
  }

  // --- transactions ---
  /** Transactions that arrived in the same event-loop turn are executed together (see Chain.submitBatch). */
  private pending: Array<{ tx: DecodedTx; resolve: (r: TxRecord) => void; reject: (e: unknown) => void }> = [];
  private flushScheduled = false;

  private async dispatchTx(method: string, params: Params): Promise<unknown> {
    const p = (Array.isArray(params) ? {} : (params ?? {})) as Record<string, unknown>;
    const arr = Array.isArray(params) ? params : undefined;
    const waitUntil =
      method === "send_tx" ? ((p.wait_until as string | undefined) ?? "EXECUTED_OPTIMISTIC") : "EXECUTED_OPTIMISTIC";
    if (!WAIT_LEVELS.includes(waitUntil)) throw parseError(`Failed parsing args: unknown variant \`${waitUntil}\``);
    const tx = decodeParam(arr ? arr[0] : p.signed_tx_base64);
    const rec = await this.enqueue(tx);
    return method === "broadcast_tx_async" ? rec.hash : this.outcome(rec, waitUntil, false);
  }

  private enqueue(tx: DecodedTx): Promise<TxRecord> {
    return new Promise((resolve, reject) => {
      this.pending.push({ tx, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        const batch = this.pending.splice(0);
        void this.serial(() => {
          try {
            const results = this.chain.submitBatch(batch.map((b) => b.tx));
            results.forEach((r, i) => {
              if (r instanceof InvalidTxError) batch[i].reject(r);
              else batch[i].resolve(r);
            });
          } catch (e) {
            for (const b of batch) b.reject(e);
          }
        });
      });
    });
  }

  private outcome(rec: TxRecord, waitUntil: string, withReceipts: boolean): unknown {
    if (!this.chain.isExecuted(rec.hash)) {
      // a yield in the tree waits: as nearcore, the transaction is INCLUDED_FINAL (with the outcomes so far) and
      // the executed levels wait for it
      if (waitUntil === "NONE") return { final_execution_status: "NONE" };
      if (waitUntil === "INCLUDED" || waitUntil === "INCLUDED_FINAL") {
        return {
          final_execution_status: "INCLUDED_FINAL",
          ...rec.result,
          ...(withReceipts ? { receipts: rec.receipts } : {}),
        };
      }
      return new AwaitExecuted(rec.hash, waitUntil, withReceipts);
    }
    // otherwise the node executed the whole tree before answering, so every level is already reached
    if (waitUntil === "NONE" || waitUntil === "INCLUDED" || waitUntil === "INCLUDED_FINAL") {
      return { final_execution_status: waitUntil };
    }
    return {
      final_execution_status: waitUntil,
      ...rec.result,
      ...(withReceipts ? { receipts: rec.receipts } : {}),
    };
  }

  /** nearcore's tx_status_fetch: polls until the transaction's receipts have all run (a later request resumed its
   * yield, or a block resolved its timeout), else TIMEOUT_ERROR after polling_timeout. */
  private async awaitExecuted(a: AwaitExecuted): Promise<unknown> {
    const deadline = Date.now() + TX_TIMEOUT_MS;
    while (!this.chain.isExecuted(a.hash)) {
      if (Date.now() >= deadline) throw new RpcFail("HANDLER_ERROR", "TIMEOUT_ERROR", undefined, "Timeout");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.outcome(this.chain.txs.get(a.hash)!, a.waitUntil, a.withReceipts);
  }

  private txStatus(arr: unknown[] | undefined, p: Record<string, unknown>, withReceipts: boolean): unknown {
    let hash: unknown;
    let sender: unknown;
    if (arr) [hash, sender] = arr;
    else if (p.signed_tx_base64 !== undefined) {
      const bytes = fromB64(p.signed_tx_base64);
      if (!bytes) throw parseError("Failed to decode transaction: invalid base64");
      try {
        const tx = decodeSignedTx(bytes);
        hash = tx.hashB58;
        sender = tx.signerId;
      } catch (e) {
        throw parseError((e as Error).message);
      }
    } else {
      hash = p.tx_hash;
      sender = p.sender_account_id;
    }
    if (typeof hash !== "string") throw parseError("Failed parsing args: missing field `tx_hash`");
    if (!isValidAccountId(sender)) throw parseError("Failed parsing args: invalid sender_account_id");
    const rec = this.chain.txs.get(hash);
    if (!rec || rec.signerId !== sender) {
      throw new RpcFail(
        "HANDLER_ERROR",
        "UNKNOWN_TRANSACTION",
        { requested_transaction_hash: hash },
        `Transaction ${hash} doesn't exist`,
      );
    }
    return this.outcome(rec, (p.wait_until as string) ?? "EXECUTED_OPTIMISTIC", withReceipts);
  }
}

function errorResponse(id: unknown, e: RpcFail): Record<string, unknown> {
  return {
    jsonrpc: "2.0",
    error: {
      name: e.name,
      cause: { name: e.causeName, info: e.info },
      code: e.code,
      message: e.rpcMessage,
      data: e.data,
    },
    id,
  };
}

/** Starts the HTTP server; every answer is HTTP 200 except an oversized body (413). */
export function startServer(handler: RpcHandler, host: string, port: number): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        tooBig = true;
        return;
      }
      chunks.push(c);
    });
    req.on("end", async () => {
      const send = (status: number, body: string) => {
        res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      };
      if (tooBig)
        return send(413, toJson({ jsonrpc: "2.0", error: { code: -32700, message: "Payload too large" }, id: null }));
      if (req.method !== "POST") return send(405, "");
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(200, toJson(errorResponse(null, parseError("Parse error: invalid JSON"))));
      }
      const response = await handler.handle(parsed);
      send(200, toJson(response));
    });
    req.on("error", () => res.destroy());
  });
  // Clients (undici, node-fetch) reuse idle sockets; with Node's 5 s default the server may close one just as a
  // client sends on it, which fails that request ("fetch failed") under load.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
