import { near } from "near-sdk-js";
import { fail } from "./errors";

// Who may call: the one account `expected` (a peer: the DAO, the verifier, the model registry...), else `code`.
export function onlyCaller(expected: string, code: string): void {
  if (near.predecessorAccountId() !== expected) fail(code);
}

// Only the community's DAO (the contract's `dao_id`).
export function onlyDao(daoId: unknown): void {
  if (near.predecessorAccountId() !== daoId) fail("ERR_NOT_DAO");
}

// Only this contract itself (a callback or a batch it created).
export function onlySelf(): void {
  if (near.predecessorAccountId() !== near.currentAccountId()) fail("ERR_PRIVATE");
}
