// The shapes of what the benchmark measures, and the flat "gas figures" map that the baseline stores and the
// regression check compares (everything in it is gas, deterministic on the local node).

export interface GasRow {
  id: string;
  group: string;
  label: string;
  gas: number;
  // gas of each receipt of the tree (executor: Tgas), to show where the gas goes
  parts?: string;
  note?: string;
  // the panic message when the transaction failed: its gas is shown but never enters the baseline
  failed?: string;
}

export interface DaoScalePoint {
  n: number;
  propose: number;
  vote: number;
}

export interface RewardScalePoint {
  n: number;
  parts: number;
  lineage_max: number;
  report: number;
  close: number;
  claim: number;
  claim_parts: string;
}

export interface StorageDelta {
  kind: string;
  contract: string;
  bytes: number;
  how: string;
}

export interface AccountStorage {
  contract: string;
  account_id: string;
  code_bytes: number;
  // right after the community was created, and after the bench's actions
  fresh_usage: number;
  storage_usage: number;
}

export interface WasmSize {
  name: string;
  profile: string;
  bytes: number;
  /** the largest wasm function body (nearcore refuses one above 196,608 bytes since protocol 84) */
  largest_function_body?: number;
}

export interface NodeFigures {
  worker_init_ms: number;
  ten_tx_test_ms: number;
  transfers_seq_tps: number;
  js_calls_seq_tps: number;
  js_calls_concurrent_tps: number;
  chain_seq_tps: number;
  chain_concurrent_tps: number;
  load_average: number;
}

export interface GasResults {
  rows: GasRow[];
  dao_scale: DaoScalePoint[];
  reward_scale: RewardScalePoint[];
  storage: { deltas: StorageDelta[]; community: AccountStorage[]; community_deposit: string };
}

export interface Results extends GasResults {
  /** a minimal near-sdk-js call in near-sdk-js's own report format (bench/minimal-call.ts) */
  minimal_call?: import("./minimal-call.ts").MinimalCall;
  generated_at: string;
  wasm: WasmSize[];
  node: NodeFigures | null;
  seconds: Record<string, number>;
}

/** Every gas figure under a stable id: end-to-end rows, then the scaling points. */
export function gasFigures(r: GasResults): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of r.rows) if (!row.failed) out[row.id] = row.gas;
  for (const p of r.dao_scale) {
    out[`scale.dao.propose@${p.n}`] = p.propose;
    out[`scale.dao.vote@${p.n}`] = p.vote;
  }
  for (const p of r.reward_scale) {
    out[`scale.rewards.close@${p.n}`] = p.close;
    out[`scale.rewards.claim@${p.n}`] = p.claim;
    out[`scale.rewards.report@${p.n}`] = p.report;
  }
  return out;
}

export const tg = (gas: number): string => (gas / 1e12).toFixed(2);

/** The panic text of a failure message (near-workspaces' JSON of the receipt failure), for tables. */
export function shortFailure(s: string): string {
  const m = /(?:Smart contract panicked: |ExecutionError":")((?:[^"\\]|\\.)*)/.exec(s);
  return (m ? m[1] : s).replace(/\\n.*$/, "").slice(0, 120);
}
