// What the community DAO's neighbours rely on about it: the factory sizes a fork's creation by these and reads the
// DAO's fork record (get_fork) by these statuses. Data only.

// The DAO's config (its name, purpose and metadata): the longest each may be, in characters (UTF-16 units). The CLI
// refuses longer ones before anything is sent.
export const CONFIG_MAX = { name: 64, purpose: 1000, metadata: 4000 } as const;

// A DAO starts with at most this many members (init `members`, and a fork's joined members).
export const MAX_FOUNDERS = 100;

export type ForkStatus = "Open" | "Failed" | "Payable" | "Checking" | "Paying" | "Exiting" | "Executed" | "Cancelled";

// The fork statuses from which the fork is decided and succeeded: the factory may create the fork's community.
export const FORK_SUCCEEDED: readonly ForkStatus[] = ["Payable", "Checking", "Paying", "Exiting", "Executed"];
