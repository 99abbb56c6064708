// A community as the CLI and the web app read and send it (docs/factory.md): the factory's record (get_community), the
import { TGAS } from "../../contracts/wire/units.ts";
// role founders get, and abandon_community's gas. Pure (no node: imports), so scripts/cli/community.ts and the web app
// (web/src/create.tsx) read the same record and send the same transactions.

/** The role the founding members get. */
export const FOUNDER_ROLE = "council";
/** abandon_community's gas (1 yocto attached: the creator's deposit left comes back). */
export const ABANDON_GAS = 30n * TGAS;

export interface CommunityView {
  name: string;
  creator: string;
  dao_id: string;
  status: "Creating" | "Ready" | "Abandoned";
  deposit_left: string;
  forked_from?: {
    community: string;
    dao_id: string;
    fork_id: number;
    block_height: string | null;
    members: number;
    status: string;
    last_error: string | null;
  } | null;
  provenance?: string | null;
  contracts: {
    code: string;
    account_id: string;
    status: string;
    version: string | null;
    sha256: string | null;
    attempts: number;
    last_error: string | null;
  }[];
  next_step?: number;
  // the creator's own init arguments per suite code
  creator_args?: Record<string, Record<string, unknown>>;
  // the DAO's init arguments while its account does not exist yet (get_community only)
  pending_dao_args?: Record<string, unknown> | null;
}
