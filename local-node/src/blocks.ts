// Block bookkeeping: heights, hashes, timestamps and epochs. Blocks are produced on demand (one per receipt
// hop); `sandbox_fast_forward` skips heights whose blocks are synthesised rather than stored.
import { ECONOMICS } from "./runtime-config.ts";
import { b58, sha256 } from "./util.ts";

export interface StoredBlock {
  height: bigint;
  timestampNs: bigint;
  /** transaction hashes included in this block */
  txs: string[];
}

/** A run of skipped heights [from, to] with linear timestamps (from sandbox_fast_forward). */
export interface Segment {
  from: bigint;
  to: bigint;
  startNs: bigint;
  stepNs: bigint;
}

export interface BlockInfo {
  height: bigint;
  hash: string;
  prevHash: string;
  timestampNs: bigint;
  epochId: string;
  nextEpochId: string;
  epochHeight: bigint;
  epochStartHeight: bigint;
  txs: string[];
}

/** sandbox fast-forward advances time by the mean block production delay per skipped height */
const FAST_FORWARD_STEP_NS = 1_300_000_000n;
/** how many of the last fast-forwarded heights are stored (so their hashes stay valid for new transactions) */
const KEEP_AFTER_FAST_FORWARD = 2n * ECONOMICS.transactionValidityPeriod;

export class Blocks {
  private stored = new Map<bigint, StoredBlock>();
  private byHash = new Map<string, bigint>();
  segments: Segment[] = [];
  head = 0n;
  /** added to the wall clock after a fast-forward so later blocks stay after the skipped ones */
  timeShiftNs = 0n;

  constructor(private seed: string) {}

  hashAt(height: bigint): string {
    return b58(sha256(Buffer.from(`${this.seed}:${height}`)));
  }

  epochIdOf(epochIndex: bigint): string {
    return epochIndex === 0n
      ? "11111111111111111111111111111111"
      : b58(sha256(Buffer.from(`${this.seed}:epoch:${epochIndex}`)));
  }

  /** Registers a block (also used by replay). */
  put(b: StoredBlock): void {
    this.stored.set(b.height, b);
    this.byHash.set(this.hashAt(b.height), b.height);
    if (b.height > this.head) this.head = b.height;
  }

  addSegment(s: Segment): void {
    this.segments.push(s);
    if (s.to > this.head) this.head = s.to;
  }

  /** Removes blocks above `height` (undo of a failed request). */
  truncate(height: bigint): void {
    for (let h = this.head; h > height; h--) {
      this.stored.delete(h);
      this.byHash.delete(this.hashAt(h));
    }
    this.segments = this.segments.filter((s) => s.to <= height);
    this.head = height;
  }

  /** The explicitly stored blocks (not the synthesised fast-forward heights), by height. */
  storedBlocks(): StoredBlock[] {
    return [...this.stored.values()].sort((a, b) => (a.height < b.height ? -1 : 1));
  }

  heightOfHash(hash: string): bigint | undefined {
    return this.byHash.get(hash);
  }

  timestampAt(height: bigint): bigint | undefined {
    const b = this.stored.get(height);
    if (b) return b.timestampNs;
    const s = this.segments.find((x) => x.from <= height && height <= x.to);
    return s ? s.startNs + (height - s.from) * s.stepNs : undefined;
  }

  info(height: bigint): BlockInfo | undefined {
    const ts = this.timestampAt(height);
    if (ts === undefined) return undefined;
    const epochIndex = height / ECONOMICS.epochLength;
    return {
      height,
      hash: this.hashAt(height),
      prevHash: height === 0n ? "11111111111111111111111111111111" : this.hashAt(height - 1n),
      timestampNs: ts,
      epochId: this.epochIdOf(epochIndex),
      nextEpochId: this.epochIdOf(epochIndex + 1n),
      epochHeight: epochIndex + 1n,
      epochStartHeight: epochIndex * ECONOMICS.epochLength,
      txs: this.stored.get(height)?.txs ?? [],
    };
  }

  headInfo(): BlockInfo {
    return this.info(this.head)!;
  }

  /** Timestamp for the next block: wall clock (shifted), strictly after the head. */
  nextTimestamp(): bigint {
    const now = BigInt(Date.now()) * 1_000_000n + this.timeShiftNs;
    const prev = this.timestampAt(this.head) ?? 0n;
    return now > prev ? now : prev + 1_000n;
  }

  /** Skips `delta` heights; returns the new stored blocks and the segment (if any) for the journal. */
  fastForward(delta: bigint): { blocks: StoredBlock[]; segment?: Segment } {
    const start = this.nextTimestamp();
    const from = this.head + 1n;
    const to = this.head + delta;
    this.timeShiftNs += delta * FAST_FORWARD_STEP_NS;
    const keepFrom = to - KEEP_AFTER_FAST_FORWARD + 1n > from ? to - KEEP_AFTER_FAST_FORWARD + 1n : from;
    let segment: Segment | undefined;
    if (keepFrom > from) {
      segment = { from, to: keepFrom - 1n, startNs: start, stepNs: FAST_FORWARD_STEP_NS };
      this.addSegment(segment);
    }
    const blocks: StoredBlock[] = [];
    for (let h = keepFrom; h <= to; h++) {
      const b = { height: h, timestampNs: start + (h - from) * FAST_FORWARD_STEP_NS, txs: [] };
      this.put(b);
      blocks.push(b);
    }
    return { blocks, segment };
  }
}
