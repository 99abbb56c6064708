// The set-up step that builds better-sqlite3's native addon (toolchain/sqlite.mjs): skipped while the addon loads,
// and Node's headers are found on this machine (so node-gyp downloads nothing). The build itself (a minute or a few)
// is not repeated here.
import test from "ava";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ensureSqlite, localNodeDir, sqliteReady } from "../sqlite.mjs";

test("better-sqlite3 loads after set-up; the step is then skipped", async (t) => {
  t.true(sqliteReady());
  const lines: string[] = [];
  t.is(await ensureSqlite((m: string) => lines.push(m)), "ready");
  t.deepEqual(lines, []);
});

test("Node's headers are found locally", (t) => {
  const dir = localNodeDir();
  t.truthy(dir);
  t.true(existsSync(join(dir as string, "include", "node", "node_api.h")));
});
