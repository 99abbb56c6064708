// scripts/cli/units.ts: the CLI's human units (NEAR amounts, percent, gas, dates, durations, epochs, explorer links)
// and their edges. Pure functions; --json output does not use them.
import test from "ava";
import { accountUrl, rpcEndpoint, txUrl } from "../../scripts/cli/networks.ts";
import {
  accountLink,
  bps,
  date,
  duration,
  humanFields,
  epoch,
  near,
  relative,
  share,
  tgas,
  txRef,
  when,
} from "../../scripts/cli/units.ts";

const NEAR = 10n ** 24n;

test("NEAR: whole, decimal and grouped amounts, at most 5 decimals, trailing zeros dropped", (t) => {
  t.is(near(0n), "0 NEAR");
  t.is(near("0"), "0 NEAR");
  t.is(near(NEAR), "1 NEAR");
  t.is(near((125n * NEAR) / 100n), "1.25 NEAR");
  t.is(near(10n * NEAR), "10 NEAR");
  t.is(near(1_234_567n * NEAR + NEAR / 2n), "1,234,567.5 NEAR");
  t.is(near(999n * NEAR), "999 NEAR");
  t.is(near(1000n * NEAR), "1,000 NEAR");
  t.is(near("210000000000000000000000"), "0.21 NEAR");
  t.is(near(10n ** 19n), "0.00001 NEAR");
});

test("NEAR: cut, never rounded up (0.999999 NEAR is 0.99999, not 1)", (t) => {
  t.is(near(999_999n * 10n ** 18n), "0.99999 NEAR");
  t.is(near(NEAR - 1n), "0.99999 NEAR");
  t.is(near(NEAR + 1n), "1 NEAR");
  t.is(near(123_456_789n * 10n ** 16n), "1.23456 NEAR");
});

test("NEAR: tiny amounts are never shown as 0: exact yocto below 10^6, else < 0.00001 NEAR", (t) => {
  t.is(near(1n), "1 yoctoNEAR");
  t.is(near(999_999n), "999999 yoctoNEAR");
  t.is(near(1_000_000n), "< 0.00001 NEAR");
  t.is(near(10n ** 19n - 1n), "< 0.00001 NEAR");
});

test("NEAR: huge values (u128 max) are exact in the whole part; negative amounts are refused", (t) => {
  const u128max = 2n ** 128n - 1n;
  t.is(near(u128max), "340,282,366,920,938.46346 NEAR");
  t.throws(() => near(-1n), { instanceOf: RangeError });
});

test("basis points as percent, exactly; shares with one decimal", (t) => {
  t.is(bps(1250), "12.5%");
  t.is(bps(10000), "100%");
  t.is(bps(6000), "60%");
  t.is(bps(3333), "33.33%");
  t.is(bps(1), "0.01%");
  t.is(bps(10), "0.1%");
  t.is(bps(0), "0%");
  t.is(share(1, 3), "33.3%");
  t.is(share(2, 2), "100%");
  t.is(share(0, 0), "0%");
});

test("gas in Tgas with two decimals", (t) => {
  t.is(tgas(13_630_400_000_000n), "13.63 Tgas");
  t.is(tgas("300000000000000"), "300.00 Tgas");
  t.is(tgas(0n), "0.00 Tgas");
});

test("dates: nanosecond block times as UTC to the second", (t) => {
  t.is(date(0n), "1970-01-01 00:00:00 UTC");
  t.is(date("1796347425123456789"), "2026-12-04 01:23:45 UTC");
});

test("durations: the two largest units, cut", (t) => {
  const S = 1_000_000_000n;
  t.is(duration(0n), "0 s");
  t.is(duration(999_999_999n), "0 s");
  t.is(duration(45n * S), "45 s");
  t.is(duration(60n * S), "1 min");
  t.is(duration(3n * 3600n * S + 20n * 60n * S + 7n * S), "3 h 20 min");
  t.is(duration(86_400n * S), "1 day");
  t.is(duration(2n * 86_400n * S), "2 days");
  t.is(duration(86_400n * S + 4n * 3600n * S + 59n * S), "1 day 4 h");
  // a zero middle unit stops the list: 1 day 0 h 5 min reads "1 day"
  t.is(duration(86_400n * S + 300n * S), "1 day");
  t.is(relative(10n * 3600n * S, 7n * 3600n * S), "in 3 h");
  t.is(relative(0n, 2n * 86_400n * S), "2 days ago");
  t.is(relative(5n * S, 5n * S + 1n), "now");
  t.is(when(0n, 60n * S), "1970-01-01 00:00:00 UTC (1 min ago)");
  t.is(when(0n), "1970-01-01 00:00:00 UTC");
});

test("epochs: the block-time span [E x L, (E + 1) x L)", (t) => {
  const DAY = 86_400_000_000_000n;
  t.is(epoch(20_791, DAY), "epoch 20791 (2026-12-04 00:00:00 UTC to 2026-12-05 00:00:00 UTC, 1 day)");
  t.is(
    epoch(29_939_847, 60_000_000_000n),
    "epoch 29939847 (2026-12-04 13:27:00 UTC to 2026-12-04 13:28:00 UTC, 1 min)",
  );
  t.is(epoch(3, undefined), "epoch 3");
});

test("explorer links on testnet and mainnet, none on local", (t) => {
  t.is(txUrl("ABC", "testnet"), "https://testnet.nearblocks.io/txns/ABC");
  t.is(txUrl("ABC", "mainnet"), "https://nearblocks.io/txns/ABC");
  t.is(txUrl("ABC", "local"), null);
  t.is(accountUrl("a.testnet", "testnet"), "https://testnet.nearblocks.io/address/a.testnet");
  t.is(accountUrl("a.near", "mainnet"), "https://nearblocks.io/address/a.near");
  t.is(accountUrl("a.test.near", "local"), null);
  t.is(txRef("ABC", "mainnet"), "tx ABC https://nearblocks.io/txns/ABC");
  t.is(txRef("ABC", "local"), "tx ABC");
  t.is(accountLink("a.near", "mainnet"), " https://nearblocks.io/address/a.near");
  t.is(accountLink("a.test.near", "local"), "");
});

test("RPC endpoints: current defaults, overridden by environment variables", (t) => {
  t.deepEqual(rpcEndpoint("testnet", {}), { url: "https://rpc.testnet.fastnear.com", headers: {} });
  t.deepEqual(rpcEndpoint("mainnet", {}), { url: "https://rpc.mainnet.fastnear.com", headers: {} });
  t.is(rpcEndpoint("local", {}, { local: "http://127.0.0.1:3033" }).url, "http://127.0.0.1:3033");
  t.is(rpcEndpoint("testnet", { NEAR_TESTNET_RPC: "https://t.example" }).url, "https://t.example");
  t.is(rpcEndpoint("mainnet", { NEAR_MAINNET_RPC: "https://m.example" }).url, "https://m.example");
  // one network's variable does not move the other
  t.is(rpcEndpoint("mainnet", { NEAR_TESTNET_RPC: "https://t.example" }).url, "https://rpc.mainnet.fastnear.com");
  // the config file's override comes after the environment
  t.is(rpcEndpoint("testnet", {}, { testnet: "https://cfg.example" }).url, "https://cfg.example");
  t.is(
    rpcEndpoint("testnet", { NEAR_TESTNET_RPC: "https://t.example" }, { testnet: "https://cfg.example" }).url,
    "https://t.example",
  );
  t.deepEqual(rpcEndpoint("mainnet", { AI_COMMONS_RPC_API_KEY: "k1" }).headers, { Authorization: "Bearer k1" });
  t.deepEqual(rpcEndpoint("mainnet", { FASTNEAR_API_KEY: "k2" }).headers, { Authorization: "Bearer k2" });
  // FASTNEAR's key goes to fastnear.com only
  t.deepEqual(rpcEndpoint("mainnet", { FASTNEAR_API_KEY: "k2", NEAR_MAINNET_RPC: "https://m.example" }).headers, {});
  // never on the local node
  t.deepEqual(rpcEndpoint("local", { AI_COMMONS_RPC_API_KEY: "k1" }, { local: "http://127.0.0.1:1" }).headers, {});
});

test("records with readable units: yocto, gas, basis points and nanosecond lengths by field name", (t) => {
  t.deepEqual(humanFields({ kind: "Transfer", receiver_id: "bob.near", amount: "500000000000000000000000" }), {
    kind: "Transfer",
    receiver_id: "bob.near",
    amount: "0.5 NEAR",
  });
  t.deepEqual(
    humanFields({
      kind: "FunctionCall",
      actions: [{ method_name: "m", args: "e30=", deposit: "1", gas: "50000000000000" }],
    }),
    { kind: "FunctionCall", actions: [{ method_name: "m", args: "e30=", deposit: "1 yoctoNEAR", gas: "50.00 Tgas" }] },
  );
  t.deepEqual(
    humanFields({
      kind: "SetRewardPolicy",
      policy: { model_bps: 4000, attester_fee: "2000000000000000000000", epoch_length_ns: "60000000000" },
    }),
    { kind: "SetRewardPolicy", policy: { model_bps: "40%", attester_fee: "0.002 NEAR", epoch_length_ns: "1 min" } },
  );
  t.deepEqual(humanFields({ parameters: { proposal_period: "604800000000000", timelock: "0" } }), {
    parameters: { proposal_period: "7 days", timelock: "0 s" },
  });
  // ids and numbers that are not units stay as they are
  t.deepEqual(humanFields({ kind: "VoidReceipt", receipt_id: 12, hash: "123" }), {
    kind: "VoidReceipt",
    receipt_id: 12,
    hash: "123",
  });
});
