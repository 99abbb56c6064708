// `node start|stop|status|reset|fast-forward`: the local node (the default network), home ~/.ai-commons/localnet, the
// same node `npm run node` runs in the foreground.
import type { CliCommand } from "../command.ts";
import { int } from "../command.ts";
import { CliError } from "../errors.ts";
import { fastForward, logFile, nodeStatus, resetNode, startNode, stopNode } from "../localnode.ts";
import { chainTimeNs } from "../suite.ts";
import { duration } from "../units.ts";

export function register(program: CliCommand): void {
  const node = program.group("node", "the local node (default network), home ~/.ai-commons/localnet");

  node
    .leaf("start", "start the local node in the background (any local command does when it is not running)")
    .run(async ({ s, out }) => {
      if (s.network !== "local") throw new CliError("BAD_ARGS", "node commands manage the local node only");
      const st = await startNode((m) => out.progress(m));
      out.result(st, [
        `local node running at ${st.url} (height ${st.height})`,
        `  home: ${st.home}`,
        `  root key: ${st.root_key}`,
        `  log: ${logFile()}`,
      ]);
    });

  node.leaf("stop", "stop the local node (its chain stays in its home)").run(async ({ out }) => {
    const r = await stopNode();
    out.result(r, r.stopped ? `stopped the local node (pid ${r.pid})` : "the local node was not running");
  });

  node.leaf("status", "whether the local node runs, its URL, chain, height and home").run(async ({ out }) => {
    const st = await nodeStatus();
    out.result(
      st,
      st.running
        ? `running at ${st.url}, chain ${st.chain_id}, height ${st.height}, pid ${st.pid ?? "?"}, home ${st.home}`
        : `not running (home ${st.home})`,
    );
  });

  node
    .leaf("reset", "delete the local node's home (its chain and keys) and log; refused while the node runs")
    .run(async ({ out }) => {
      const r = await resetNode();
      out.result(
        r,
        r.reset
          ? `deleted ${r.home}: the next local command starts a new chain`
          : `nothing to reset: ${r.home} does not exist`,
      );
    });

  node
    .leaf("fast-forward <blocks>", "local node only: skip blocks (1.3 s of chain time each)")
    .run(async ({ s, out, args }) => {
      if (s.network !== "local") throw new CliError("BAD_ARGS", "node fast-forward works on the local node only");
      const blocks = int(args[0], "the number of blocks");
      const chain = await s.chain();
      const before = await chainTimeNs(chain);
      await fastForward(chain, blocks);
      const after = await chainTimeNs(chain);
      const seconds = Number((after - before) / 1_000_000_000n);
      out.result({ blocks, seconds }, `skipped ${blocks} blocks: chain time moved on ${duration(after - before)}`);
    });
}
