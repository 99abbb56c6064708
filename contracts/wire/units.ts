// NEAR's units as the protocol counts them. Every other part of the suite (contracts, CLI, web app, attester, tests,
// bench) imports these. Written out, not computed: the modules the contracts import are evaluated on every call.

// yoctoNEAR in one NEAR
export const NEAR = 1_000_000_000_000_000_000_000_000n;
// gas in one Tgas
export const TGAS = 1_000_000_000_000n;
// block-time nanoseconds in one second
export const SEC = 1_000_000_000n;
// nearcore `storage_amount_per_byte`: the balance a stored byte locks (10^19 yocto, unchanged since genesis)
export const BYTE_COST = 10_000_000_000_000_000_000n;
// nearcore `global_contract_storage_amount_per_byte` (NEP-591): what publishing code to the global store burns a byte
export const GLOBAL_BYTE_COST = 100_000_000_000_000_000_000n;
