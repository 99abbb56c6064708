import { CONFIG_MAX } from "../../wire/dao";
import type { DaoState } from "../state";
import { emit } from "../state";
import type { Config, ProposalKind } from "../types";
import type { KindHandler } from "./handler";
import { isString } from "./handler";

type ChangeConfig = Extract<ProposalKind, { kind: "ChangeConfig" }>;
type Signal = Extract<ProposalKind, { kind: "Signal" }>;

export function checkConfig(c: Config): string | null {
  if (c === null || typeof c !== "object") return "ERR_INVALID_CONFIG";
  if (!isString(c.name, CONFIG_MAX.name) || c.name.length === 0) {
    return `ERR_INVALID_CONFIG: name (1..${CONFIG_MAX.name} chars)`;
  }
  if (!isString(c.purpose, CONFIG_MAX.purpose)) return `ERR_INVALID_CONFIG: purpose (<= ${CONFIG_MAX.purpose} chars)`;
  if (!isString(c.metadata, CONFIG_MAX.metadata)) {
    return `ERR_INVALID_CONFIG: metadata (<= ${CONFIG_MAX.metadata} chars)`;
  }
  return null;
}

export const changeConfig: KindHandler<ChangeConfig> = {
  check: (_dao, k) => checkConfig(k.config),
  apply: (dao: DaoState, k) => {
    dao.config = { name: k.config.name, purpose: k.config.purpose, metadata: k.config.metadata };
    emit("config_changed", [dao.config]);
    return null;
  },
};

// A vote with no effect: the decision itself is the outcome.
export const signal: KindHandler<Signal> = {
  check: (_dao, k) => (k.message === undefined || isString(k.message, 1000) ? null : "ERR_INVALID_PROPOSAL: message"),
  apply: () => null,
};
