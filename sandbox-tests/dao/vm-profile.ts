// Where the DAO's gas goes (not an ava test): runs calls of build/community-dao.wasm directly on the local node's VM
// with an in-memory state and prints, per call, the gas burnt by the function call and its per-cost profile
// (wasm instructions, storage reads/writes, bytes, logs). Receipts created by a call are not run.
//   npx tsx sandbox-tests/dao/vm-profile.ts [members=4]
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lastRunStats, runFunctionCall, type VmContext } from "../../local-node/src/vm/index.ts";
import { basePolicy, BOND, ROOT, TGAS } from "./fixture.ts";

// PROFILE_WASM: another build of the DAO, e.g. one whose bundle logs `G:<label>:<used gas>` probes.
const code = readFileSync(process.env.PROFILE_WASM ?? join(ROOT, "build", "community-dao.wasm"));
const codeHash = createHash("sha256").update(code).digest("hex");
const state = new Map<string, Uint8Array>();
let storageUsage = BigInt(code.length) + 182n;
let now = 1_700_000_000_000_000_000n;

function call(method: string, by: string, args: unknown, deposit = 0n, print = true): unknown {
  now += 1_000_000_000n;
  const ctx: VmContext = {
    currentAccountId: "dao.near",
    signerAccountId: by,
    signerAccountPk: new Uint8Array(33),
    predecessorAccountId: by,
    methodName: method,
    input: Buffer.from(JSON.stringify(args)),
    blockHeight: 100n,
    blockTimestamp: now,
    epochHeight: 1n,
    accountBalance: 100n * 10n ** 24n + deposit,
    accountLockedBalance: 0n,
    storageUsage,
    attachedDeposit: deposit,
    prepaidGas: 300n * TGAS,
    randomSeed: new Uint8Array(32),
    isView: false,
    promiseResults: [],
  };
  const out = runFunctionCall(code, codeHash, ctx, { get: (k) => state.get(Buffer.from(k).toString("hex")) });
  if (out.error) throw new Error(`${method}: ${JSON.stringify(out.error)}`);
  for (const [k, v] of out.stateWrites) {
    if (v === null) state.delete(k);
    else state.set(k, v);
  }
  storageUsage = out.storageUsage;
  if (print) {
    console.log(`\n${method} by ${by}: ${(Number(out.burntGas) / 1e12).toFixed(3)} Tgas burnt by the call`);
    const profile = [...(lastRunStats?.profile ?? new Map<string, bigint>())].sort((a, b) => Number(b[1] - a[1]));
    for (const [cost, gas] of profile) {
      if (gas > TGAS / 200n) console.log(`  ${cost.padEnd(28)} ${(Number(gas) / 1e12).toFixed(3)}`);
    }
    let last = 0;
    for (const l of out.logs) {
      if (!l.startsWith("G:")) continue;
      const [, label, used] = l.split(":");
      console.log(`  probe ${label.padEnd(24)} +${((Number(used) - last) / 1e12).toFixed(3)}`);
      last = Number(used);
    }
    const stateJson = state.get(Buffer.from("STATE").toString("hex"));
    console.log(`  STATE ${stateJson?.length ?? 0} bytes, logs ${out.logs.join("").length} bytes`);
  }
  return out.returnData.kind === "Value" ? JSON.parse(Buffer.from(out.returnData.data).toString() || "null") : null;
}

const size = Number(process.argv[2] ?? 4);
const members = ["alice.near", "bob.near", "carol.near"];
for (let i = 0; members.length < size; i++) members.push(`member-${i}.placeholder.near`);
call("init", "dao.near", {
  config: { name: "bench", purpose: "profile", metadata: "" },
  policy: basePolicy(),
  members: members.slice(0, 100).map((account_id) => ({ account_id, roles: ["council"] })),
});
const id = call(
  "add_proposal",
  "alice.near",
  {
    description: "add dave",
    kind: { kind: "AddMember", member_id: "dave.near", role: "council" },
  },
  BOND,
) as number;
// The floor: a method that only loads the state and returns a number.
call("get_last_proposal_id", "outsider.near", {});
call("vote", "alice.near", { id, choice: "Approve" });
call("vote", "bob.near", { id, choice: "Approve" });
if (size <= 4) call("vote", "carol.near", { id, choice: "Approve" });
if (size <= 4) call("execute", "outsider.near", { id });
call("get_proposal", "outsider.near", { id });
