// NEP-330 (Source Metadata, version 1.2.0): what every suite contract answers to the view `contract_source_metadata`,
// so explorers and verifiers (NearBlocks, SourceScan, near-api's `contract_source_metadata`) learn which code runs
// there, which standards it implements and how to rebuild the same wasm. docs/source-metadata.md explains each value.
// The build facts (`BuildStamp`) are written by the toolchain at build time (toolchain/build.mjs `buildStamp`), never
// by hand; the standards each contract implements are listed here, once. Data only (no near-sdk-js import).
import type { ContractName } from "./contracts.js";

/** One standard the code implements: `{standard: "nep145", version: "1.0.0"}`. */
export interface Standard {
  standard: string;
  version: string;
}

/**
 * NEP-330 1.2.0 build details. `output_wasm_path` is the optional field of NEP-330's 1.3.0 revision (cargo-near,
 * near-api): readers of 1.2.0 ignore it.
 */
export interface BuildInfo {
  /** the toolchain: near-sdk-js and QuickJS versions, the runtime profile, and content hashes (docs/source-metadata.md) */
  build_environment: string;
  /** the command that wrote this wasm, from the repository root */
  build_command: string[];
  /** `sha256:<hex>` over the files the contract's entry reaches (toolchain/build.mjs `sourceHash`) */
  source_code_snapshot: string;
  /** the contract's folder, relative to the repository root */
  contract_path: string;
  /** where `build_command` writes the wasm, relative to the repository root */
  output_wasm_path: string;
}

export interface ContractSourceMetadata {
  version: string | null;
  link: string | null;
  standards: Standard[];
  build_info: BuildInfo | null;
}

/** What the toolchain injects into each build (contracts/shared/build-stamp.ts is its placeholder). */
export interface BuildStamp {
  /** the build's name: the contract folder (a fixture's own name for a fixture) */
  name: string;
  /** package.json `version` */
  version: string;
  /** package.json `repository` (its url), or null when the package names none */
  link: string | null;
  build_info: BuildInfo;
}

export const NEP330: Standard = { standard: "nep330", version: "1.2.0" };
export const NEP297: Standard = { standard: "nep297", version: "1.0.0" };
export const NEP145: Standard = { standard: "nep145", version: "1.0.0" };

/**
 * The standards each contract implements: NEP-330 itself, NEP-297 events under the contract's own event standard
 * (named with its version so indexers know the event shapes; the same as EVENT_STANDARDS in events.ts, which the
 * contracts cannot import: near-sdk-js's ABI generator does not read its `satisfies`; sandbox-tests/unit/wire.test.ts
 * compares the two), and NEP-145 storage management where a contract has it (the reward pool's claimers). NEP-591
 * (global contracts) is a protocol feature the factory and `upgrade_to` use, not an interface the contracts offer:
 * not listed.
 */
export const CONTRACT_STANDARDS: Record<ContractName, Standard[]> = {
  "community-dao": [NEP330, NEP297, { standard: "ai-commons-dao", version: "1.0.0" }],
  "community-factory": [NEP330, NEP297, { standard: "ai-commons-factory", version: "1.0.0" }],
  "dataset-registry": [NEP330, NEP297, { standard: "ai-commons-datasets", version: "1.0.0" }],
  "model-registry": [NEP330, NEP297, { standard: "ai-commons-models", version: "1.0.0" }],
  "inference-verifier": [NEP330, NEP297, { standard: "ai-commons-verifier", version: "1.0.0" }],
  "reward-pool": [NEP330, NEP297, { standard: "ai-commons-rewards", version: "1.0.0" }, NEP145],
};

/** The view's answer: the build's stamp and the contract's standards. */
export function sourceMetadata(contract: ContractName, stamp: BuildStamp): ContractSourceMetadata {
  return {
    version: stamp.version,
    link: stamp.link,
    standards: CONTRACT_STANDARDS[contract],
    build_info: stamp.build_info,
  };
}
