// An off-chain reference of the reward pool's arithmetic, written independently of the contract from the rules in
// docs/rewards.md: what every account is owed after each report, close and claim, to the yocto.
export const BPS = 10000n;

export interface Split {
  account_id: string;
  bps: number;
}

export interface RefLineage {
  model: string;
  parent: string | null;
  creators: Split[];
  datasets: { dataset_id: string; creators: Split[] }[];
}

export interface RefPolicy {
  model_bps: number;
  data_bps: number;
  parent_bps: number;
  attester_fee: string;
  release_bps: number;
}

export class RewardModel {
  unallocated = 0n;
  allocated = 0n;
  claimed = 0n;
  inFlight = 0n;
  owed = new Map<string, bigint>();
  lineages = new Map<string, RefLineage>();
  usage = new Map<number, Map<string, number>>();
  closed = new Set<number>();

  credit(id: string, amount: bigint): void {
    this.owed.set(id, (this.owed.get(id) ?? 0n) + amount);
  }

  owedOf(id: string): bigint {
    return this.owed.get(id) ?? 0n;
  }

  // attesters: fee per receipt, or an equal share of `available` per receipt when funds fall short
  report(epoch: number, usage: [string, number][], attesters: [string, number][], fee: bigint, available: bigint) {
    const u = this.usage.get(epoch) ?? new Map<string, number>();
    for (const [m, n] of usage) u.set(m, (u.get(m) ?? 0) + n);
    this.usage.set(epoch, u);
    let receipts = 0n;
    for (const [, n] of attesters) receipts += BigInt(n);
    const rate = fee * receipts <= available ? fee : receipts > 0n ? available / receipts : 0n;
    for (const [a, n] of attesters) {
      const amount = rate * BigInt(n);
      if (amount > 0n) this.credit(a, amount);
      this.unallocated -= amount;
      this.allocated += amount;
    }
  }

  // Pays every creator of `l`'s model role `amount` (a multiple of 10,000) by bps.
  private payCreators(l: RefLineage, amount: bigint) {
    for (const c of l.creators) this.credit(c.account_id, (amount * BigInt(c.bps)) / BPS);
  }

  close(epoch: number, p: RefPolicy, spendable: bigint): bigint {
    const u = this.usage.get(epoch) ?? new Map<string, number>();
    this.closed.add(epoch);
    const budget = (spendable * BigInt(p.release_bps)) / BPS;
    let totalUsage = 0n;
    for (const n of u.values()) totalUsage += BigInt(n);
    let distributed = 0n;
    for (const [m, n] of u) {
      const amount = totalUsage > 0n ? (budget * BigInt(n)) / totalUsage : 0n;
      const l = this.lineages.get(m);
      if (!l || amount === 0n) continue;
      const parentPart = (amount * BigInt(p.parent_bps)) / BPS;
      const dataPart = (amount * BigInt(p.data_bps)) / BPS;
      let modelPart = amount - parentPart - dataPart;
      const parent = l.parent ? this.lineages.get(l.parent) : undefined;
      if (parent) {
        const toParent = parentPart - (parentPart % BPS);
        this.payCreators(parent, toParent);
        distributed += toParent;
      } else {
        modelPart += parentPart;
      }
      if (l.datasets.length > 0) {
        const k = BigInt(l.datasets.length);
        const slot = (dataPart / (k * BPS)) * BPS;
        for (const d of l.datasets) for (const c of d.creators) this.credit(c.account_id, (slot * BigInt(c.bps)) / BPS);
        distributed += slot * k;
      } else {
        modelPart += dataPart;
      }
      const toModel = modelPart - (modelPart % BPS);
      this.payCreators(l, toModel);
      distributed += toModel;
    }
    this.unallocated -= distributed;
    this.allocated += distributed;
    return distributed;
  }

  claim(id: string): bigint {
    const amount = this.owedOf(id);
    this.owed.set(id, 0n);
    this.inFlight += amount;
    return amount;
  }

  // storage_unregister with force: what the account could claim goes back to unallocated
  forfeit(id: string): bigint {
    const amount = this.owedOf(id);
    this.owed.set(id, 0n);
    this.allocated -= amount;
    this.unallocated += amount;
    return amount;
  }

  settle(id: string, amount: bigint, ok: boolean) {
    this.inFlight -= amount;
    if (ok) this.claimed += amount;
    else this.credit(id, amount);
  }
}
