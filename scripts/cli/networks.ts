// The public networks' endpoints, written once: the RPC the CLI talks to and the explorer its links point at.
//
// RPC: NEAR's docs list rpc.*.near.org as deprecated and rate-limited, so the defaults are FASTNEAR's public
// endpoints. Each network's URL can be replaced by an environment variable, named as near-cli does
// (`NEAR_TESTNET_RPC`, `NEAR_MAINNET_RPC`), then by `rpc.<network>` in ~/.ai-commons/config.json. An API key, for
// providers whose free tier is not enough, goes in `AI_COMMONS_RPC_API_KEY` (sent as `Authorization: Bearer <key>`
// to whichever public RPC is used); FASTNEAR's own `FASTNEAR_API_KEY` is sent the same way, to fastnear.com hosts only.
// The local node is never sent a key.

export type NetworkName = "local" | "testnet" | "mainnet";

export const DEFAULT_RPC: Record<"testnet" | "mainnet", string> = {
  testnet: "https://rpc.testnet.fastnear.com",
  mainnet: "https://rpc.mainnet.fastnear.com",
};

/** The environment variable that replaces a public network's RPC URL. */
export const RPC_ENV: Record<"testnet" | "mainnet", string> = {
  testnet: "NEAR_TESTNET_RPC",
  mainnet: "NEAR_MAINNET_RPC",
};

export interface RpcEndpoint {
  url: string;
  headers: Record<string, string>;
}

/**
 * The RPC of `network`: its environment variable, else the config file's override, else the default (`local` must
 * come from `overrides.local`: the caller knows the node's port).
 */
export function rpcEndpoint(
  network: NetworkName,
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Record<NetworkName, string>> = {},
): RpcEndpoint {
  if (network === "local") return { url: overrides.local ?? "", headers: {} };
  const url = env[RPC_ENV[network]] || overrides[network] || DEFAULT_RPC[network];
  const headers: Record<string, string> = {};
  const fastnear = /^https?:\/\/([^/]+\.)?fastnear\.com(:\d+)?(\/|$)/.test(url);
  const key = env.AI_COMMONS_RPC_API_KEY || (fastnear ? env.FASTNEAR_API_KEY : undefined);
  if (key) headers.Authorization = `Bearer ${key}`;
  return { url, headers };
}

// ---------- explorer ----------

const EXPLORERS: Record<NetworkName, string | null> = {
  local: null,
  testnet: "https://testnet.nearblocks.io",
  mainnet: "https://nearblocks.io",
};

// The network of this process's command, set once by its Session (a CLI run uses one network).
let current: NetworkName = "local";

export function setExplorerNetwork(network: NetworkName): void {
  current = network;
}

/** A transaction's page on the explorer (nearblocks), or null on the local node. */
export function txUrl(hash: string, network: NetworkName = current): string | null {
  const base = EXPLORERS[network];
  return base ? `${base}/txns/${hash}` : null;
}

/** An account's page on the explorer, or null on the local node. */
export function accountUrl(accountId: string, network: NetworkName = current): string | null {
  const base = EXPLORERS[network];
  return base ? `${base}/address/${accountId}` : null;
}
