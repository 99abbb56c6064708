// The relayer balance watch: the relayer pays each batch's storage deposit (0.02 NEAR a receipt) and gas. Its balance
// is read every `interval_ms` and shown in /healthz and /metrics; below `min_yocto` the service logs a warning (once
// per fall) and its health is `degraded`. The submitter asks `canPay` before it signs a batch: when the balance
// cannot pay it, the batch waits (its receipts stay queued, no attempt is counted) and is tried again at the next
// read, instead of a transaction the chain refuses and a backoff that grows.
import { yoctoToNear } from "near-api-js";
import type { RelayerBalance, ServiceChain } from "./chain.ts";

export interface BalanceOptions {
  /** below this available balance (yoctoNEAR) the health is degraded */
  min_yocto: bigint;
  interval_ms: number;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

const near = (yocto: bigint) => yoctoToNear(yocto, 4);

export class BalanceWatch {
  balance: RelayerBalance | null = null;
  checkedAt: number | null = null;
  lastError: string | null = null;
  /** the submitter is waiting for a balance that pays its batch (what it needs, yoctoNEAR) */
  waitingFor: bigint | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly chain: ServiceChain,
    private readonly o: BalanceOptions,
  ) {}

  get low(): boolean {
    return this.balance !== null && this.balance.available < this.o.min_yocto;
  }

  start(): void {
    const tick = () =>
      void this.read().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.o.interval_ms);
      });
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Reads the balance now; a failed read keeps the last one (and says why in lastError). */
  async read(): Promise<RelayerBalance | null> {
    const wasLow = this.low;
    try {
      this.balance = await this.chain.relayerBalance();
      this.checkedAt = Date.now();
      this.lastError = null;
    } catch (e) {
      this.lastError = (e as Error).message.slice(0, 300);
      return this.balance;
    }
    if (this.low && !wasLow) {
      this.o.log("relayer balance low", {
        available_near: near(this.balance?.available ?? 0n),
        min_near: near(this.o.min_yocto),
      });
    } else if (wasLow && !this.low) {
      this.o.log("relayer balance restored", { available_near: near(this.balance?.available ?? 0n) });
    }
    return this.balance;
  }

  /** Whether the relayer can pay a batch of `receipts` now (read fresh). A failed read does not stop submission. */
  async canPay(receipts: number): Promise<boolean> {
    const [balance, cost] = await Promise.all([this.read(), this.chain.batchCost(receipts)]);
    if (balance === null || balance.available >= cost) {
      if (this.waitingFor !== null) this.o.log("relayer balance pays the batch again: submitting");
      this.waitingFor = null;
      return true;
    }
    if (this.waitingFor === null) {
      this.o.log("relayer balance cannot pay a batch: receipts stay queued until it is topped up", {
        receipts,
        cost_near: near(cost),
        available_near: near(balance.available),
      });
    }
    this.waitingFor = cost;
    return false;
  }

  /** What /healthz shows. */
  view(account: string | null) {
    return {
      account,
      available_near: this.balance ? near(this.balance.available) : null,
      total_near: this.balance ? near(this.balance.total) : null,
      min_near: near(this.o.min_yocto),
      low: this.low,
      waiting_for_near: this.waitingFor === null ? null : near(this.waitingFor),
      checked_at: this.checkedAt === null ? null : new Date(this.checkedAt).toISOString(),
      error: this.lastError,
    };
  }
}
