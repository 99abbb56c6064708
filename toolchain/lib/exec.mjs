// Running tools with output captured, so a failure names the command and shows what it printed.
import { spawn, spawnSync } from "node:child_process";

export class ToolError extends Error {}

/** Runs a command; resolves with stdout, rejects with a ToolError carrying the command's output. */
export function run(cmd, args, { cwd, env, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: env ?? process.env,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", (e) => reject(new ToolError(`${cmd}: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new ToolError(`${[cmd, ...args].join(" ")}\nexited with ${code}\n${err}${out}`));
    });
    if (input !== undefined) {
      // a child that exits without reading its input must not crash us with EPIPE
      child.stdin.on("error", () => {});
      child.stdin.end(input);
    }
  });
}

export function runSync(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  return { ok: r.status === 0, stdout: r.stdout ?? "", stderr: r.stderr ?? "", status: r.status };
}

/** Runs async tasks with at most `limit` at a time, keeping results in order. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}
