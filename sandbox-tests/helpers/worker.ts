// One near-workspaces Worker per test file: `const test = useWorker();` then t.context.worker / t.context.root.
import "./env.ts";
import { rmSync } from "node:fs";
import anyTest, { type TestFn } from "ava";
import nearWorkspaces, { type NearAccount, type Worker } from "near-workspaces";

// near-workspaces is CommonJS whose re-exports Node cannot detect as named ESM exports
const { Worker: WorkerClass } = nearWorkspaces;

export interface WorkerContext {
  worker: Worker;
  root: NearAccount;
}

/** Starts a sandbox (the local node by default) before the file's tests and stops it after them. */
export function useWorker(): TestFn<WorkerContext> {
  const test = anyTest as TestFn<WorkerContext>;
  test.before(async (t) => {
    t.context.worker = await WorkerClass.init();
    t.context.root = t.context.worker.rootAccount;
  });
  test.after.always(async (t) => {
    const worker = t.context.worker;
    if (!worker) return;
    await worker.tearDown();
    // near-workspaces' own `rm` is a non-recursive fs.rm that fails on the home folder
    const home = (worker as unknown as { config?: { homeDir?: string } }).config?.homeDir;
    if (home) rmSync(home, { recursive: true, force: true });
  });
  return test;
}
