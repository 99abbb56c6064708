// Where the DAO's gas goes (not an ava test): runs calls of build/community-dao.wasm directly on the local node's VM
// with an in-memory state and prints, per call, the gas burnt by the function call and its per-cost profile
// (wasm instructions, storage reads/writes, bytes, logs). Receipts created by a call are not run.
//   npx tsx sandbox-tests/dao/vm-profile.ts [members=4]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lastRunStats } from "../../local-node/src/vm/index.ts";
import { NEAR } from "../helpers/tx.ts";
import { ContractVm } from "../helpers/vm.ts";
import { basePolicy, BOND, ROOT, TGAS } from "./fixture.ts";

// PROFILE_WASM: another build of the DAO, e.g. one whose bundle logs `G:<label>:<used gas>` probes.
const code = new Uint8Array(readFileSync(process.env.PROFILE_WASM ?? join(ROOT, "build", "community-dao.wasm")));
const vm = new ContractVm({ code, accountId: "dao.near", balance: 100n * NEAR, accountBytes: 182n });
vm.time = 1_700_000_000_000_000_000n;

function call(method: string, by: string, args: unknown, deposit = 0n, print = true): unknown {
  vm.time += 1_000_000_000n;
  const r = vm.call(method, args, { from: by, deposit });
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.outcome.error)}`);
  if (print) {
    console.log(`\n${method} by ${by}: ${(Number(r.gas) / 1e12).toFixed(3)} Tgas burnt by the call`);
    const profile = [...(lastRunStats?.profile ?? new Map<string, bigint>())].sort((a, b) => Number(b[1] - a[1]));
    for (const [cost, gas] of profile) {
      if (gas > TGAS / 200n) console.log(`  ${cost.padEnd(28)} ${(Number(gas) / 1e12).toFixed(3)}`);
    }
    let last = 0;
    for (const l of r.logs) {
      if (!l.startsWith("G:")) continue;
      const [, label, used] = l.split(":");
      console.log(`  probe ${label.padEnd(24)} +${((Number(used) - last) / 1e12).toFixed(3)}`);
      last = Number(used);
    }
    console.log(`  STATE ${vm.read("STATE")?.length ?? 0} bytes, logs ${r.logs.join("").length} bytes`);
  }
  return r.value ?? null;
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
