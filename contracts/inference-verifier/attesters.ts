import { near } from "near-sdk-js";
import { fail } from "../shared/errors";
import { sendNear, storageAddedCost, storageCost } from "../shared/storage";
import { isValidAccountId } from "../shared/validate";
import { isAmount, isPublicKeyHex } from "../wire/fields";
import type { VerifierState } from "./state";
import { emit } from "./state";
import type { Attester } from "./types";
import { bondUnlockNs } from "../wire/verifier-settings";

// The bond is posted by the DAO from its treasury when the proposal executes: the community decides who attests and
// puts its own money behind that choice, and the DAO gets the bond back on removal. An attester that wants to bond
// itself sends the NEAR to the DAO first (the proposal then attaches it).
// The caller also pays the storage the attester adds (record, key, STATE): with `bond` (the DAO's AddAttester
// attaches bond + ATTESTER_STORAGE_DEPOSIT) the verifier records exactly `bond`, keeps exactly the storage cost and
// refunds the rest to the caller at once (ERR_DEPOSIT_TOO_LOW when the deposit is below bond + storage); without
// `bond` (a FunctionCall proposal of old) the bond is the deposit minus the storage cost. Either way the balance
// keeps covering bonds_total plus the storage (docs/verifier.md).
export function addAttester(s: VerifierState, attesterId: string, publicKey: string, statedBond?: unknown): Attester {
  if (!isValidAccountId(attesterId)) fail("ERR_INVALID_ACCOUNT_ID", "attester_id");
  if (!isPublicKeyHex(publicKey)) {
    fail("ERR_INVALID_PUBLIC_KEY", "128 lower-case hex chars: the 64-byte uncompressed key without 0x04");
  }
  const stated = statedBond === undefined || statedBond === null ? null : statedBond;
  if (stated !== null && (!isAmount(stated) || stated === "0")) fail("ERR_INVALID_AMOUNT", "bond");
  const existing = s.attesters.get(attesterId);
  // a removed attester whose bond was released may come back (with its nonces still spent)
  if (existing !== null && !(existing.status === "Removed" && existing.bond === "0")) fail("ERR_ATTESTER_EXISTS");
  const owner = s.keys.get(publicKey);
  if (owner !== null && owner !== attesterId) fail("ERR_KEY_IN_USE", owner);
  const attached = near.attachedDeposit();
  const minBond = BigInt(s.settings.min_bond);
  if (stated !== null && BigInt(stated) < minBond)
    fail("ERR_BOND_TOO_LOW", `bond ${stated}, min ${s.settings.min_bond}`);
  // written with the largest bond it can hold: the final one has no more digits, so the cost measured covers it
  let bond = stated !== null ? BigInt(stated) : attached;
  const before = near.storageUsage();
  const a: Attester = {
    v: 1,
    attester_id: attesterId,
    public_key: publicKey,
    status: "Active",
    bond: bond.toString(),
    bond_owner: near.predecessorAccountId(),
    added_at: near.blockTimestamp().toString(),
    removed_at: null,
    receipts: existing?.receipts ?? 0,
    voided: existing?.voided ?? 0,
    open_disputes: 0,
  };
  s.attesters.set(attesterId, a);
  s.keys.set(publicKey, attesterId);
  // STATE is written after the call: bonds_total may grow by a few digits
  const grown = (BigInt(s.bonds_total) + bond).toString().length - s.bonds_total.length;
  const storage = storageAddedCost(before) + storageCost(BigInt(grown > 0 ? grown : 0));
  if (stated !== null) {
    if (attached < bond + storage) fail("ERR_DEPOSIT_TOO_LOW", `attached ${attached}, required ${bond + storage}`);
    sendNear(near.predecessorAccountId(), attached - bond - storage);
  } else {
    bond = attached > storage ? attached - storage : 0n;
    if (bond < minBond)
      fail("ERR_BOND_TOO_LOW", `attached ${attached} - storage ${storage}, min ${s.settings.min_bond}`);
    a.bond = bond.toString();
    s.attesters.set(attesterId, a);
  }
  s.bonds_total = (BigInt(s.bonds_total) + bond).toString();
  emit("attester_added", [
    { attester_id: attesterId, public_key: publicKey, bond: a.bond, storage_cost: storage.toString() },
  ]);
  return a;
}

// Stops new receipts at once; the bond stays slashable for one challenge window (release_bond).
export function removeAttester(s: VerifierState, attesterId: string): Attester {
  const a = s.attesters.get(attesterId);
  if (a === null) fail("ERR_UNKNOWN_ATTESTER", attesterId);
  if (a.status !== "Active") fail("ERR_ATTESTER_NOT_ACTIVE", a.status);
  a.status = "Removed";
  a.removed_at = near.blockTimestamp().toString();
  s.attesters.set(attesterId, a);
  emit("attester_removed", [{ attester_id: attesterId }]);
  return a;
}

export function releaseBond(s: VerifierState, attesterId: string): string {
  const a = s.attesters.get(attesterId);
  if (a === null) fail("ERR_UNKNOWN_ATTESTER", attesterId);
  if (a.status !== "Removed") fail("ERR_ATTESTER_NOT_REMOVED", a.status);
  if (a.bond === "0") fail("ERR_BOND_RELEASED");
  if (a.open_disputes > 0) fail("ERR_OPEN_DISPUTES", `${a.open_disputes} open`);
  const unlock = bondUnlockNs(BigInt(a.removed_at!), BigInt(s.settings.challenge_window_ns));
  if (near.blockTimestamp() < unlock) fail("ERR_BOND_LOCKED", `until ${unlock}`);
  const amount = a.bond;
  a.bond = "0";
  s.attesters.set(attesterId, a);
  s.bonds_total = (BigInt(s.bonds_total) - BigInt(amount)).toString();
  sendNear(a.bond_owner, BigInt(amount));
  emit("bond_released", [{ attester_id: attesterId, amount, to: a.bond_owner }]);
  return amount;
}
