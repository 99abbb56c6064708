import { near } from "near-sdk-js";
import type { DaoState } from "./state";
import { emit } from "./state";
import type { ProposalHead } from "./types";
import { fail } from "../shared/errors";
import { sendNear, storageCost } from "../shared/storage";

// What near-sdk-js writes after a method returns (the contract's STATE record grows by a few bytes at most).
const STATE_WRITE_MARGIN = 100n;
// What an execution writes after its treasury check (the proposal's status and times, its attempts, the STATE
// record): kept out of what proposals may spend, so spending all of `available` works and never touches the bonds.
export const EXECUTION_WRITE_BYTES = 300n;

// What proposals may spend: the balance less the bonds held for open proposals, the stake that pays for the
// contract's own storage (code, state, stored blobs) and the execution's own writes. Bonds and storage are never
// treasury.
export function availableTreasury(dao: DaoState): bigint {
  const balance = near.accountBalance();
  const reserved = BigInt(dao.locked_bonds) + storageCost(near.storageUsage() + EXECUTION_WRITE_BYTES);
  return balance > reserved ? balance - reserved : 0n;
}

// Records nobody attached a deposit for (a vote, ~190 bytes) are stored at the treasury's cost, never at the cost of
// the proposal bonds the DAO holds for its members: with no treasury left, the call is refused and nothing changes
// (fund the DAO with a plain transfer, `donate`). Without this, votes on an unfunded DAO spent members' bonds until
// the deciding vote failed for lack of storage balance and the bond could not be refunded.
export function assertTreasuryPaysStorage(dao: DaoState): void {
  const needed = BigInt(dao.locked_bonds) + storageCost(near.storageUsage() + STATE_WRITE_MARGIN);
  const balance = near.accountBalance();
  if (balance < needed) {
    fail("ERR_INSUFFICIENT_TREASURY", `storing this needs ${needed - balance} yocto more: fund the DAO`);
  }
}

export function treasuryView(dao: DaoState) {
  const balance = near.accountBalance();
  const storage = storageCost(near.storageUsage());
  const bonds = BigInt(dao.locked_bonds);
  return {
    balance: balance.toString(),
    locked_bonds: bonds.toString(),
    storage_stake: storage.toString(),
    // kept for the writes of the next execution (EXECUTION_WRITE_BYTES)
    write_reserve: storageCost(EXECUTION_WRITE_BYTES).toString(),
    available: availableTreasury(dao).toString(),
  };
}

export function lockBond(dao: DaoState, amount: bigint): void {
  dao.locked_bonds = (BigInt(dao.locked_bonds) + amount).toString();
}

// The part of a proposal's deposit that can come back: the bond less the proposal's own storage, which the DAO keeps
// as long as the record exists (older proposals carry no storage_deposit: all of the bond).
export function refundableBond(p: ProposalHead): bigint {
  const bond = BigInt(p.bond);
  const storage = BigInt(p.storage_deposit ?? "0");
  return bond > storage ? bond - storage : 0n;
}

// Settles a proposal's bond once: refunded to the proposer, or (spam) kept as treasury.
export function settleBond(dao: DaoState, p: ProposalHead, refund: boolean): void {
  if (p.bond_settled) return;
  p.bond_settled = true;
  const amount = refundableBond(p);
  dao.locked_bonds = (BigInt(dao.locked_bonds) - amount).toString();
  if (amount === 0n) return;
  if (refund) {
    sendNear(p.proposer, amount);
    emit("bond_refunded", [{ proposal_id: p.id, account_id: p.proposer, amount: amount.toString() }]);
  } else {
    emit("bond_forfeited", [{ proposal_id: p.id, account_id: p.proposer, amount: amount.toString() }]);
  }
}
