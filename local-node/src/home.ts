// `init`: the home folder files of a nearcore localnet node. near-workspaces reads only validator_key.json;
// the others are written so that the folder looks like nearcore's and the node knows its genesis.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ed25519 } from "@noble/curves/ed25519";
import { b58, concat } from "./util.ts";

const ONE_NEAR = 10n ** 24n;

function keyFile(accountId: string): { account_id: string; public_key: string; secret_key: string } {
  const seed = randomBytes(32);
  const pk = ed25519.getPublicKey(seed);
  return {
    account_id: accountId,
    public_key: `ed25519:${b58(pk)}`,
    secret_key: `ed25519:${b58(concat(seed, pk))}`,
  };
}

/** Writes the files if missing (an existing home is kept, as nearcore does). */
export function initHome(home: string): void {
  mkdirSync(home, { recursive: true });
  if (existsSync(join(home, "genesis.json")) && existsSync(join(home, "validator_key.json"))) return;
  const validator = keyFile("test.near");
  const nodeKey = keyFile("node");
  const chainId = `test-chain-${randomBytes(3).toString("hex").slice(0, 5)}`;
  const genesis = {
    protocol_version: 77,
    genesis_time: new Date().toISOString(),
    chain_id: chainId,
    genesis_height: 0,
    epoch_length: 500,
    min_gas_price: "100000000",
    transaction_validity_period: 100,
    validator: { account_id: validator.account_id, public_key: validator.public_key },
    records: [
      {
        Account: {
          account_id: "test.near",
          account: {
            amount: (10n ** 9n * ONE_NEAR).toString(),
            locked: (5n * 10n ** 7n * ONE_NEAR).toString(),
            code_hash: "11111111111111111111111111111111",
            storage_usage: 182,
            version: "V1",
          },
        },
      },
      {
        AccessKey: {
          account_id: "test.near",
          public_key: validator.public_key,
          access_key: { nonce: 0, permission: "FullAccess" },
        },
      },
      {
        Account: {
          account_id: "near",
          account: {
            amount: (10n ** 9n * ONE_NEAR).toString(),
            locked: "0",
            code_hash: "11111111111111111111111111111111",
            storage_usage: 100,
            version: "V1",
          },
        },
      },
    ],
  };
  const config = {
    chain_id: chainId,
    rpc: { addr: "0.0.0.0:3030" },
    network: { addr: "0.0.0.0:24567" },
    note: "written by the AI Commons local node; only genesis.json and validator_key.json are read",
  };
  writeFileSync(join(home, "genesis.json"), `${JSON.stringify(genesis, null, 2)}\n`);
  writeFileSync(join(home, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(home, "node_key.json"), `${JSON.stringify(nodeKey, null, 2)}\n`);
  writeFileSync(join(home, "validator_key.json"), `${JSON.stringify(validator, null, 2)}\n`);
}
