// NEP-519 yield/resume through near-workspaces on the local node, the way a signer-style contract is used on mainnet:
// a user's call that returns a yield waits (its send_tx does not answer) until another account's transaction resumes
// the yield, then resolves with the callback's value; a yield nobody resumes times out after 200 blocks and the
// callback sees a failed promise result. The contract is local-node/test/wasm.ts's YIELDER_WAT.
import type { NearAccount } from "near-workspaces";
import { compileWat, YIELDER_WAT } from "../../local-node/test/wasm.ts";
import { useWorker } from "../helpers/worker.ts";

const test = useWorker();
const NEAR = 10n ** 24n;
const TGAS = 10n ** 12n;

let deployed: Promise<NearAccount> | undefined;
function contract(root: NearAccount): Promise<NearAccount> {
  deployed ??= (async () => {
    const account = await root.createSubAccount("yielder", { initialBalance: 10n * NEAR });
    await account.deploy(compileWat(YIELDER_WAT));
    return account;
  })();
  return deployed;
}

/** The data id yield_ret stored, once a new one is there. */
async function nextDataId(c: NearAccount, before: string | undefined): Promise<Uint8Array> {
  for (let i = 0; i < 250; i++) {
    const raw = (await c.viewRaw("last", new Uint8Array())).result as number[];
    const id = Buffer.from(raw).toString("hex");
    if (raw.length === 32 && id !== before) return new Uint8Array(raw);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no yield was created");
}

test.serial("a call returning a yield resolves when another account resumes it, with the payload", async (t) => {
  const root = t.context.root;
  const c = await contract(root);
  const user = await root.createSubAccount("user", { initialBalance: 5n * NEAR });
  const before = Buffer.from(((await c.viewRaw("last", new Uint8Array())).result as number[]) ?? []).toString("hex");
  let settled = false;
  const call = user.callRaw(c, "yield_ret", new Uint8Array(), { gas: 100n * TGAS }).finally(() => {
    settled = true;
  });
  const dataId = await nextDataId(c, before);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.false(settled, "the user's call waits for the resume");
  const responder = await root.createSubAccount("responder", { initialBalance: 5n * NEAR });
  const resumed = await responder.callRaw(c, "resume", Buffer.concat([dataId, Buffer.from("signature")]), {
    gas: 50n * TGAS,
  });
  t.is(Buffer.from(resumed.SuccessValue ?? "", "base64").toString(), "1");
  const r = await call;
  t.true(r.succeeded, r.receiptFailureMessages.join(" | "));
  t.is(Buffer.from(r.SuccessValue ?? "", "base64").toString(), "signature");
  t.true(r.logs.includes("resumed"));
});

test.serial("a yield nobody resumes times out after 200 blocks: the callback sees a failed result", async (t) => {
  const root = t.context.root;
  const c = await contract(root);
  const before = Buffer.from(((await c.viewRaw("last", new Uint8Array())).result as number[]) ?? []).toString("hex");
  const call = c.callRaw(c, "yield_ret", new Uint8Array(), { gas: 100n * TGAS });
  await nextDataId(c, before);
  await t.context.worker.provider.fastForward(200);
  const r = await call;
  t.true(r.succeeded, r.receiptFailureMessages.join(" | "));
  t.is(Buffer.from(r.SuccessValue ?? "", "base64").toString(), "failed");
});
