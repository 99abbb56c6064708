// near-workspaces with the toolchain's fixture contract (build/fixture.wasm from `npm run build`): deploy,
// init, call, view, payable u128 deposits, logs, panics and a cross-contract call with a callback.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { useWorker } from "../helpers/worker.ts";

const wasm = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "build", "fixture.wasm");
const test = useWorker();
const NEAR = 10n ** 24n;
const maybe = existsSync(wasm) ? test.serial : test.serial.skip;

maybe("deploy, init, call and view", async (t) => {
  const { root } = t.context;
  const contract = await root.createSubAccount("fixture", { initialBalance: 20n * NEAR });
  const deployed = await contract.deploy(readFileSync(wasm));
  t.true(deployed.succeeded);
  await root.call(contract, "init", { greeting: "hi" });
  t.is(await contract.view("get_greeting", {}), "hi");
  const result = await root.callRaw(contract, "set_greeting", { greeting: "hello there" });
  t.true(result.succeeded);
  t.deepEqual(result.logs, ["greeting set to hello there"]);
  t.is(await contract.view("get_greeting", {}), "hello there");
  t.is(
    await contract.view("echo_u128", { value: "340282366920938463463374607431768211455" }),
    "340282366920938463463374607431768211455",
  );
});

maybe("payable deposit records u128 amounts and moves the balance", async (t) => {
  const { root } = t.context;
  const contract = await root.createSubAccount("bank", { initialBalance: 20n * NEAR });
  await contract.deploy(readFileSync(wasm));
  const alice = await root.createSubAccount("alice-bank");
  const before = BigInt((await contract.balance()).total.toString());
  const total = await alice.call(contract, "deposit", {}, { attachedDeposit: 3n * NEAR + 7n });
  t.is(total, (3n * NEAR + 7n).toString());
  t.is(await contract.view("deposit_of", { account_id: alice.accountId }), (3n * NEAR + 7n).toString());
  const after = BigInt((await contract.balance()).total.toString());
  // the deposit plus the contract's 30% share of the gas it burnt
  t.true(after - before >= 3n * NEAR + 7n);
  t.true(after - before < 3n * NEAR + NEAR / 100n);
});

maybe("a panic fails the call with the contract's message", async (t) => {
  const { root } = t.context;
  const contract = await root.createSubAccount("failing", { initialBalance: 20n * NEAR });
  await contract.deploy(readFileSync(wasm));
  const error = await t.throwsAsync(root.call(contract, "fail", { message: "nope" }));
  t.regex(error?.message ?? "", /Smart contract panicked: nope/);
});

maybe("cross-contract call with a callback, success and failure", async (t) => {
  const { root } = t.context;
  const a = await root.createSubAccount("caller-x", { initialBalance: 20n * NEAR });
  const b = await root.createSubAccount("callee-x", { initialBalance: 20n * NEAR });
  await a.deploy(readFileSync(wasm));
  await b.deploy(readFileSync(wasm));
  const ok = await root.callRaw(
    a,
    "call_other",
    { account_id: b.accountId, method: "get_greeting", args: "" },
    { gas: 200n * 10n ** 12n },
  );
  t.true(ok.succeeded, JSON.stringify(ok.result.status));
  t.is(ok.parseResult<string>(), 'ok:"hello"');
  const failed = await root.callRaw(
    a,
    "call_other",
    { account_id: b.accountId, method: "fail", args: JSON.stringify({ message: "inner" }) },
    { gas: 200n * 10n ** 12n },
  );
  t.is(failed.parseResult<string>(), "failed");
  t.true(failed.receiptFailureMessages.some((m) => /inner/.test(m)));
});
