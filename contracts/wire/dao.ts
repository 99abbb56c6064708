// What the community DAO's neighbours rely on about it: the factory sizes a fork's creation by these and reads the
// DAO's fork record (get_fork) by these statuses. Data only.

// A DAO starts with at most this many members (init `members`, and a fork's joined members).
export const MAX_FOUNDERS = 100;

export type ForkStatus = "Open" | "Failed" | "Payable" | "Checking" | "Paying" | "Exiting" | "Executed" | "Cancelled";

// The fork statuses from which the fork is decided and succeeded: the factory may create the fork's community.
export const FORK_SUCCEEDED: readonly ForkStatus[] = ["Payable", "Checking", "Paying", "Exiting", "Executed"];
