import { near } from "near-sdk-js";
import type { DaoState } from "./state";
import { emit } from "./state";
import type { ProposalHead } from "./types";
import { sendNear, storageCost } from "../shared/storage";

// What proposals may spend: the balance less the bonds held for open proposals and less the stake that pays for the
// contract's own storage (code, state, stored blobs). Bonds and storage are never treasury.
export function availableTreasury(dao: DaoState): bigint {
  const balance = near.accountBalance();
  const reserved = BigInt(dao.locked_bonds) + storageCost(near.storageUsage());
  return balance > reserved ? balance - reserved : 0n;
}

export function treasuryView(dao: DaoState) {
  const balance = near.accountBalance();
  const storage = storageCost(near.storageUsage());
  const bonds = BigInt(dao.locked_bonds);
  const available = balance > bonds + storage ? balance - bonds - storage : 0n;
  return {
    balance: balance.toString(),
    locked_bonds: bonds.toString(),
    storage_stake: storage.toString(),
    available: available.toString(),
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
