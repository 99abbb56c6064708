// The reward pool: `epoch close` (split an epoch's budget), `claimable [account]` and `claim`.
import type { CliCommand } from "../command.ts";
import { type Flags, int, str } from "../command.ts";
import { type Chain, formatNear } from "../context.ts";
import * as suite from "../suite.ts";
import * as units from "../units.ts";
import { txLine } from "./datasets.ts";

/** `--epoch <n>`, or the epoch of the community's newest receipt. */
export async function epochOf(flags: Flags, chain: Chain, dao: string): Promise<number> {
  const e = str(flags, "epoch");
  return e === undefined ? suite.latestReceiptEpoch(chain, dao) : int(e, "--epoch");
}

export function register(program: CliCommand): void {
  const epoch = program.group("epoch", "the reward pool's epochs");
  epoch
    .leaf("close", "split an epoch's budget among the creators (default epoch: the newest receipt's)")
    .community()
    .option("--epoch <n>", "the epoch")
    .run(async ({ s, out, flags }) => {
      const chain = await s.chain();
      const dao = await s.dao();
      const n = await epochOf(flags, chain, dao);
      const tx = await suite.closeEpoch(chain, await s.signer(), dao, n);
      out.result(
        { epoch: n, ...(tx.value as object), tx_hash: tx.tx_hash, gas_burnt: tx.gas_burnt },
        `closed ${units.epoch(n, await suite.epochLengthNs(chain, dao))}: budget ${formatNear(tx.value.budget)} allocated ${txLine(tx)}`,
      );
    });

  program
    .leaf("claimable [account]", "what an account (default: the signer) can claim from the reward pool")
    .community()
    .run(async ({ s, out, args }) => {
      const chain = await s.chain();
      const account = args[0] ?? (await s.signer()).accountId;
      const owed = await suite.claimable(chain, await s.dao(), account);
      out.result({ account_id: account, claimable: owed }, `${account} can claim ${formatNear(owed)}`);
    });

  program
    .leaf("claim", "claim the signer's rewards (registers NEP-145 storage with the pool when needed)")
    .community()
    .run(async ({ s, out }) => {
      const chain = await s.chain();
      const signer = await s.signer();
      const r = await suite.claim(chain, signer, await s.dao());
      out.result(
        {
          account_id: signer.accountId,
          pool: r.pool,
          amount: r.owed.toString(),
          txs: r.txs.map((t) => ({ step: t.step, tx_hash: t.tx.tx_hash, gas_burnt: t.tx.gas_burnt })),
        },
        [
          `${signer.accountId} claimed ${formatNear(r.owed)} from ${r.pool}`,
          ...r.txs.map((t) => `  ${t.step} ${txLine(t.tx)}`),
        ],
      );
    });
}
