// One part of the verifier's usage report to the pool, in its only accepted shape (contracts/wire/usage-report.ts).
export const WEIGHTS = "ab".repeat(32);

export interface PartOptions {
  part?: number;
  parts?: number;
  // epoch length the bounds are computed with (default 1 s, the VM tests' policy)
  len?: bigint;
  community?: string;
}

/** models: [`name@version` (version defaults to 1), [[attester_id, receipts], ...]] */
export function usagePart(epoch: number, models: [string, [string, number][]][], o: PartOptions = {}) {
  const len = o.len ?? 1_000_000_000n;
  return {
    community: o.community ?? "dao.test.near",
    epoch,
    epoch_start_ns: (BigInt(epoch) * len).toString(),
    epoch_end_ns: (BigInt(epoch + 1) * len).toString(),
    part: o.part ?? 0,
    parts: o.parts ?? 1,
    usage: models.map(([m, counts]) => {
      const [model_name, model_version = "1"] = m.split("@");
      let receipts = 0;
      for (const [, n] of counts) receipts += n;
      return {
        model_name,
        model_version,
        weights_sha256: WEIGHTS,
        receipts,
        attester_counts: counts.map(([attester_id, n]) => ({ attester_id, receipts: n })),
      };
    }),
  };
}
