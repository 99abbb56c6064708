import { near } from "near-sdk-js";
import type { ContractName } from "../wire/contracts";
import { sourceMetadata } from "../wire/source-metadata";
import { BUILD_STAMP } from "./build-stamp";

// NEP-330: each contract exports `contract_source_metadata` as a plain function calling this with its code name, so
// the view answers before `init` and reads no state (docs/source-metadata.md).
export function returnSourceMetadata(contract: ContractName): void {
  near.valueReturn(JSON.stringify(sourceMetadata(contract, BUILD_STAMP)));
}
