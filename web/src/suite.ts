// A community's suite contracts as the pages read them: which account runs each contract (the DAO's `get_info`),
// pages of lists read newest first or one item ahead, and the deposit an ActivateModel proposal asks from the
// treasury. View reads only; the rules they feed are the contracts' own (contracts/wire/).
import { baseEncode } from "near-api-js";
import type { CodeReads } from "../../scripts/cli/dao-calls.ts";
import { networkProblem } from "../../scripts/cli/errors.ts";
import { ActivationRefusal, activationDepositOf, type ViewCall } from "../../scripts/cli/model-calls.ts";
import type { ContractName, SuiteMap } from "../../contracts/wire/contracts.ts";
import { type Chain, PAGE } from "./chain.ts";

/** A failure the page finds before anything is sent, with the contract's own ERR_ code (shown with its meaning). */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** The community's contracts by code name (contracts/wire/contracts.ts), from its DAO. */
export async function suiteOf(chain: Chain, dao: string): Promise<SuiteMap> {
  return (await chain.view<{ suite: SuiteMap }>(dao, "get_info")).suite;
}

/** The account of one suite contract, or the DAO's ERR_NO_SUITE_CONTRACT when the community has none. */
export async function suiteContract(chain: Chain, dao: string, code: ContractName): Promise<string> {
  const id = (await suiteOf(chain, dao))[code];
  if (!id) throw new Refusal("ERR_NO_SUITE_CONTRACT", `${dao} has no ${code}`);
  return id;
}

/**
 * Page `page` of a list of `total` items shown newest first, as the (from_index, limit) of a view that lists oldest
 * first; the caller reverses what it reads.
 */
export function newestFirst(page: number, total: number): { from_index: number; limit: number } | null {
  const end = total - page * PAGE;
  if (end <= 0) return null;
  const from = Math.max(0, end - PAGE);
  return { from_index: from, limit: end - from };
}

/** Page `page` of a view whose list has no count: PAGE items and whether one more exists. */
export async function pageAhead<T>(
  chain: Chain,
  contractId: string,
  method: string,
  page: number,
  args: Record<string, unknown> = {},
): Promise<{ items: T[]; more: boolean }> {
  const read = await chain.view<T[]>(contractId, method, { ...args, from_index: page * PAGE, limit: PAGE + 1 });
  return { items: read.slice(0, PAGE), more: read.length > PAGE };
}

/** The ActivateModel deposit, read as the CLI reads it (scripts/cli/model-calls.ts); refusals as the app's. */
export async function activationDepositFor(chain: Chain, dao: string, modelId: string): Promise<bigint> {
  const suite = await suiteOf(chain, dao);
  const read: ViewCall = (contractId, method, args) => chain.view(contractId, method, args ?? {});
  try {
    return await activationDepositOf(read, suite, dao, modelId);
  } catch (e) {
    if (e instanceof ActivationRefusal) throw new Refusal(e.code, e.message);
    throw e;
  }
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * What an upgrade proposal reads (scripts/cli/dao-calls.ts upgradeKindOf), as the CLI reads it: views, whether the
 * chain's global store holds code of a hash, and the size of a contract's running code.
 */
export function codeReads(chain: Chain): CodeReads {
  return {
    network: chain.network,
    view: (contractId, method, args) => chain.view(contractId, method, args ?? {}),
    async globalCodeExists(hash) {
      try {
        await chain.provider.query({
          request_type: "view_global_contract_code",
          finality: "optimistic",
          code_hash: baseEncode(hexBytes(hash)),
        } as never);
        return true;
      } catch (e) {
        if (networkProblem(e)) throw e;
        return false;
      }
    },
    async codeBytes(accountId) {
      try {
        const r = (await chain.provider.query({
          request_type: "view_code",
          finality: "optimistic",
          account_id: accountId,
        } as never)) as unknown as { code_base64: string };
        return atob(r.code_base64).length;
      } catch (e) {
        // an account without code runs none
        if (networkProblem(e)) throw e;
        return 0;
      }
    },
  };
}
