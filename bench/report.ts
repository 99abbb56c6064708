// docs/performance.md from the measured results: goals (met / missed, and why), anchors, gas of every user action,
// scaling, storage, wasm sizes and the local node's speed.
import { BYTE_COST } from "./lib.ts";
import type { GasResults, Results } from "./results.ts";
import { shortFailure, tg } from "./results.ts";
import { MINIMAL_CALL_REASONS, minimalCallReport } from "./minimal-call.ts";

const T = 1e12;
export const WASM_GOAL_BYTES = 530_000;

export interface Goal {
  goal: string;
  limit: string;
  measured: string;
  met: boolean;
  why: string;
}

const n = (x: number) => x.toLocaleString("en-US");
const nearOf = (bytes: number) => (Number(BigInt(bytes) * BYTE_COST) / 1e24).toFixed(5);

function byId(r: Results, id: string): number {
  const row = r.rows.find((x) => x.id === id);
  if (!row) throw new Error(`no gas row ${id}`);
  return row.gas;
}

export function goals(r: Results): Goal[] {
  const g = (id: string) => byId(r, id) / T;
  const broken = (id: string) => r.rows.find((x) => x.id === id)?.failed;
  const vote10 = r.dao_scale.find((p) => p.n === 10)?.vote ?? Number.NaN;
  const voteBig = r.dao_scale[r.dao_scale.length - 1];
  const drift = Math.abs(voteBig.vote / vote10 - 1);
  const claim = r.rows.find((x) => x.id === "rewards.claim");
  const largest = Math.max(...r.wasm.filter((w) => w.name !== "fixture").map((w) => w.bytes));
  const out: Goal[] = [
    {
      goal: "vote",
      limit: "<= 11 Tgas",
      measured: `${g("dao.vote").toFixed(2)} Tgas`,
      met: g("dao.vote") <= 11,
      why:
        g("dao.vote") <= 11
          ? ""
          : "Nearly all of a vote is fixed cost: loading the contract, starting QuickJS and evaluating the DAO's " +
            "bytecode (~9 of the ~11 Tgas; docs/dao.md), which grew with forking (10.69 -> ~11.1 Tgas). Minifying " +
            "the bundle was tried and saved nothing measurable. Reaching 11 Tgas: move rarely used code (fork " +
            "settlement, upgrade, suite kinds) out of the module every call evaluates, e.g. into a second contract " +
            "or a lazily evaluated module, or drop near-sdk-js's per-method wrappers.",
    },
    {
      goal: "vote that decides (refunds the bond)",
      limit: "<= 11 Tgas",
      measured: `${g("dao.vote_deciding").toFixed(2)} Tgas`,
      met: g("dao.vote_deciding") <= 11,
      why:
        `${r.rows.find((x) => x.id === "dao.vote_deciding")?.parts ?? ""}: ` +
        `${(g("dao.vote_deciding") - g("dao.vote")).toFixed(2)} Tgas more than a plain vote, because the deciding ` +
        "vote also sets the status, releases the bond and sends it back (a transfer receipt and its gas refund, " +
        "2 x 0.22 Tgas, plus the JS that does it). Reaching 11 Tgas: refund bonds on `execute` (or a `claim_bond` " +
        "call) instead of inside the vote, which leaves the deciding vote at about the plain vote's cost.",
    },
    {
      goal: "propose",
      limit: "<= 15 Tgas",
      measured: `${g("dao.propose").toFixed(2)} Tgas`,
      met: g("dao.propose") <= 15,
      why: "",
    },
    {
      goal: "submit a dataset",
      limit: "<= 15 Tgas",
      measured: `${g("datasets.submit").toFixed(2)} Tgas`,
      met: g("datasets.submit") <= 15,
      why: "",
    },
    {
      goal: "claim, whole transaction",
      limit: "<= 15 Tgas",
      measured: `${g("rewards.claim").toFixed(2)} Tgas`,
      met: g("rewards.claim") <= 15,
      why:
        `${claim?.parts ?? ""}. The claim call itself is under 15 Tgas; the rest is the \`on_claim_transfer\` ` +
        "callback, which restores the amount if the transfer fails. Any near-sdk-js call costs at least ~9.7 Tgas " +
        "(QuickJS start-up, the anchor below), so a JS claim with a JS callback cannot go under ~20 Tgas. Reaching " +
        "15 Tgas: a callback that does not start QuickJS (a Rust or raw-wasm callback contract, ~2-5 Tgas), or no " +
        "callback (transfers to existing named accounts only fail if the account is deleted in between; a failed " +
        "one would then be recovered by the DAO instead of automatically).",
    },
    {
      goal: "one receipt, end to end",
      limit: "<= 30 Tgas",
      measured: `${g("receipts.one").toFixed(2)} Tgas`,
      met: g("receipts.one") <= 30,
      why: "",
    },
    {
      goal: "marginal receipt in a batch of 50",
      limit: "<= 1.5 Tgas",
      measured: `${g("receipts.marginal").toFixed(3)} Tgas`,
      met: g("receipts.marginal") <= 1.5,
      why: "",
    },
    {
      goal: `vote with ${n(voteBig.n)} members vs 10`,
      limit: "within 5%",
      measured: `${tg(voteBig.vote)} vs ${tg(vote10)} Tgas (${(drift * 100).toFixed(2)}%)`,
      met: drift <= 0.05,
      why: "",
    },
    {
      goal: "largest suite wasm",
      limit: "<= 530 KB (530,000 bytes)",
      measured: `${n(largest)} bytes`,
      met: largest <= WASM_GOAL_BYTES,
      why: "",
    },
  ];
  // a goal whose action failed on this build is not met, whatever its gas
  const ids: Record<string, string> = {
    vote: "dao.vote",
    "vote that decides (refunds the bond)": "dao.vote_deciding",
    propose: "dao.propose",
    "submit a dataset": "datasets.submit",
    "claim, whole transaction": "rewards.claim",
    "one receipt, end to end": "receipts.one",
    "marginal receipt in a batch of 50": "receipts.marginal",
  };
  for (const goal of out) {
    const why = ids[goal.goal] ? broken(ids[goal.goal]) : undefined;
    if (why) Object.assign(goal, { met: false, measured: "failed", why: `the action failed: ${shortFailure(why)}` });
  }
  return out;
}

/** (max - min) / min of a series, as a percentage. */
function spread(xs: number[]): string {
  const lo = Math.min(...xs);
  return `${(((Math.max(...xs) - lo) / lo) * 100).toFixed(2)}%`;
}

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The protocol a gas figure was measured at, and the per-call cap there (1 Pgas since protocol 83). */
const CALL_CAP = 1e15;

export function renderMarkdown(r: Results, protocol77?: GasResults): string {
  const before = new Map((protocol77?.rows ?? []).filter((x) => !x.failed).map((x) => [x.id, x.gas]));
  const out: string[] = [];
  const push = (...s: string[]) => out.push(...s);
  push(
    "# Performance",
    "",
    `Generated by \`npm run bench\` (\`bench/run.ts\`) on ${r.generated_at.slice(0, 10)} on the project's local NEAR node ` +
      "(protocol 86 on nearcore's own contract runtime, near-vm-runner 0.37.4 with Wasmtime, and near-parameters' " +
      "fees), from the wasm in `build/`. The protocol-77 column is the same contracts measured on the retired " +
      "TypeScript VM at protocol 77 (`docs/perf/protocol-77.json`, measured once at the engine switch). Do not edit by hand: " +
      "rerun the bench. The gas figures are also in `docs/perf/baseline.json`, which `npm run bench:check` compares " +
      "against (see the end of this page).",
    "",
    "**Gas** is always a whole transaction: `gas_burnt` of `transaction_outcome` plus every `receipts_outcome` " +
      "(cross-contract hops, callbacks, refunds; each refund receipt shows ~0.22 Tgas burnt, as on nearcore, though " +
      "it burns no tokens). 1 Tgas = 10^12 gas; at the minimum gas price (10^8 yocto per gas) " +
      "1 Tgas costs 0.0001 NEAR.",
    "",
    "## Goals",
    "",
    table(
      ["goal", "limit", "measured", "", "why missed / what would reach it"],
      goals(r).map((g) => [g.goal, g.limit, g.measured, g.met ? "met" : "**missed**", g.why || ""]),
    ),
    "",
    "## Anchors",
    "",
    table(
      ["anchor", "value", "source"],
      [
        ["minimal near-sdk-js call", "9.72 Tgas", "near-sdk-js published figures"],
        ["near-sdk-js call using an UnorderedMap", "12.71 Tgas", "near-sdk-js published figures"],
        ["minimal Rust (near-sdk-rs) call", "5.08 Tgas", "near-sdk-js published figures"],
        ["gas cap of one transaction / function call", "1 Pgas (300 Tgas before protocol 83)", "protocol"],
        ["storage staking", "1 NEAR per 100 KB (10^19 yocto per byte)", "protocol"],
      ],
    ),
    "",
    ...(r.minimal_call
      ? [
          "## A minimal near-sdk-js call, as near-sdk-js reports it",
          "",
          `\`set_greeting\` on the toolchain's @NearBindgen fixture (build/fixture.wasm, ${n(r.minimal_call.wasm_bytes)} ` +
            "bytes; reads STATE, logs, writes STATE), in the format of near-sdk-js's benchmark (bench/README.md), with " +
            'its published 2023 figures for the "JS highlevel minimal contract" in brackets:',
          "",
          "```",
          ...minimalCallReport(r.minimal_call),
          "```",
          "",
          "Why they differ:",
          "",
          ...MINIMAL_CALL_REASONS.map((x) => `- ${x}`),
          "",
        ]
      : []),
    "## Gas of every user action (end to end)",
    "",
    "The project's one community story (`scripts/scenario/community.ts`, told by the demo and the flow test too) " +
      "through the factory (`bench/community.ts` on `sandbox-tests/helpers/story.ts`): DAO, dataset registry, model " +
      "registry, inference verifier and reward pool, each on its own account. DAO decisions (admit, activate, bond an " +
      "attester, fund the pool) go through the DAO's own proposal kinds, as the CLI and the web app propose them; the " +
      "figure is the `execute` transaction (DAO -> contract -> DAO callback). Receipts are the story's questions " +
      "answered by the attester. The usage report, close epoch and claim run on the community's own pool, whose lineage the model " +
      "registry pushed on activation; the largest lineage part (100 creators) comes from the scaling run below, " +
      "where plain accounts stand in for the verifier and the registry.",
    "",
  );
  const groups = [...new Set(r.rows.map((x) => x.group))];
  const actionRows: string[][] = [];
  for (const grp of groups) {
    for (const row of r.rows.filter((x) => x.group === grp)) {
      const note = [
        row.failed ? `**failed**: ${shortFailure(row.failed)}` : "",
        row.note,
        row.parts ? `receipts: ${row.parts}` : "",
      ]
        .filter(Boolean)
        .join("; ");
      const gas = row.failed ? `failed (${tg(row.gas)})` : tg(row.gas);
      const share = row.id === "create.total" ? "" : `${((row.gas / CALL_CAP) * 100).toFixed(1)}%`;
      const old = before.get(row.id);
      const was = old === undefined ? "" : tg(old);
      const change = old === undefined || row.failed ? "" : `${(((row.gas - old) / old) * 100).toFixed(1)}%`;
      actionRows.push([grp, row.label, gas, was, change, share, note]);
    }
  }
  push(table(["group", "action", "Tgas", "protocol 77 (Tgas)", "change", "of 1 Pgas", "notes"], actionRows), "");
  push("![gas of user actions](perf/actions.png)", "");

  push(
    "## Scaling",
    "",
    "Vote and propose in DAOs of 10 to 10,000 members that also hold as many proposals (`bench/dao-scale.ts`). " +
      "The large states are written with `sandbox_patch_state`: a real DAO is initialised, its placeholder member's " +
      "records (member record, slot, checkpoint) and its first proposal's records (head, body) are copied under new " +
      "keys, and STATE's counters are set to match, the same bytes the contract writes itself; the views are checked " +
      "to read the patched members and proposals back. The measured proposal and vote are real transactions. The " +
      "design is O(1) in members and proposals.",
    "",
    table(
      ["members = proposals", "propose (Tgas)", "vote (Tgas)"],
      r.dao_scale.map((p) => [n(p.n), tg(p.propose), tg(p.vote)]),
    ),
    "",
    `Spread from ${n(r.dao_scale[0].n)} to ${n(r.dao_scale[r.dao_scale.length - 1].n)}: propose ` +
      `${spread(r.dao_scale.map((p) => p.propose))}, vote ${spread(r.dao_scale.map((p) => p.vote))}. These DAOs are ` +
      "deployed directly (no factory `suite` in STATE, other account names), so their absolute figures differ a " +
      "little from the community's above; compare within the table.",
    "",
    "![vote and propose gas against the number of members and proposals](perf/dao-scaling.png)",
    "",
    "Close epoch and claim for one model version with 10 to 1,000 creators, each also a creator of one of its " +
      "datasets (lineage pushed in parts of 100 entries). Both are O(1) in creators (accumulators; a claim walks " +
      "only the claimer's positions).",
    "",
    table(
      ["creators", "lineage parts", "largest part (Tgas)", "report (Tgas)", "close epoch (Tgas)", "claim (Tgas)"],
      r.reward_scale.map((p) => [n(p.n), p.parts, tg(p.lineage_max), tg(p.report), tg(p.close), tg(p.claim)]),
    ),
    "",
    `Spread from ${n(r.reward_scale[0].n)} to ${n(r.reward_scale[r.reward_scale.length - 1].n)} creators: close ` +
      `${spread(r.reward_scale.map((p) => p.close))}, claim ${spread(r.reward_scale.map((p) => p.claim))}, report ` +
      `${spread(r.reward_scale.map((p) => p.report))}. Only registering the lineage grows with the creators, and it is ` +
      "split into parts of at most 100 entries, each far below the 1 Pgas cap.",
    "",
    "![close epoch and claim gas against the number of creators](perf/rewards-scaling.png)",
    "",
    "## Storage",
    "",
    "Bytes a record kind adds to its contract's `storage_usage` (read before and after the call that creates it; " +
      "nearcore counts key + value + 40 bytes per stored pair) and the NEAR it locks at 10^19 yocto per byte. Who " +
      "pays: the proposer's bond and the DAO's balance for DAO records, the submitter's attached deposit for " +
      "datasets, manifests and models, the relayer's deposit for receipts, the registry's deposit for lineage, the " +
      "claimer's NEP-145 balance for claims.",
    "",
    table(
      ["record", "contract", "bytes", "NEAR staked", "measured on"],
      r.storage.deltas.map((d) => [d.kind, d.contract, n(d.bytes), nearOf(d.bytes), d.how]),
    ),
    "",
  );
  const sum = (f: (c: Results["storage"]["community"][number]) => number) =>
    r.storage.community.reduce((s, c) => s + f(c), 0);
  const deposit = Number(BigInt(r.storage.community_deposit)) / 1e24;
  push(
    "Per community: every suite contract's account (`storage_usage` = code + state + the account record) right " +
      "after the factory created it, and after the actions above (52 receipts, one of each other record).",
    "",
    table(
      [
        "contract",
        "account",
        "code bytes",
        "storage after creation",
        "NEAR staked",
        "after the bench's actions",
        "NEAR staked",
      ],
      [
        ...r.storage.community.map((c) => [
          c.contract,
          c.account_id,
          n(c.code_bytes),
          n(c.fresh_usage),
          nearOf(c.fresh_usage),
          n(c.storage_usage),
          nearOf(c.storage_usage),
        ]),
        [
          "**community**",
          "",
          n(sum((c) => c.code_bytes)),
          n(sum((c) => c.fresh_usage)),
          `**${nearOf(sum((c) => c.fresh_usage))}**`,
          n(sum((c) => c.storage_usage)),
          `**${nearOf(sum((c) => c.storage_usage))}**`,
        ],
      ],
    ),
    "",
    `The creator attaches ${deposit.toFixed(2)} NEAR (\`get_required_deposit\`: each account's starting balance, ` +
      "the storage of its state after init plus 2,000 bytes of headroom, the code itself being global; excess refunded) " +
      "plus the gas of the one creation transaction " +
      `(${tg(r.rows.find((x) => x.id === "create.total")?.gas ?? 0)} Tgas, about ` +
      `${((r.rows.find((x) => x.id === "create.total")?.gas ?? 0) / 1e16).toFixed(3)} NEAR at the minimum gas price).`,
    "",
    "## Wasm per contract",
    "",
    table(
      ["contract", "profile", "bytes", "KB", "code storage (NEAR)", "largest function body (bytes; limit 196,608)"],
      r.wasm.map((w) => [
        w.name,
        w.profile,
        n(w.bytes),
        (w.bytes / 1000).toFixed(1),
        nearOf(w.bytes),
        w.largest_function_body === undefined ? "" : n(w.largest_function_body),
      ]),
    ),
    "",
  );
  if (r.node) {
    const f = r.node;
    push(
      "## The local node",
      "",
      `Wall-clock through near-workspaces (\`bench/node-speed.ts\`), 1-minute load average ${f.load_average.toFixed(2)} ` +
        "at the start (other work on the 2 cores moves these numbers; gas does not move).",
      "",
      table(
        ["measure", "value"],
        [
          ["`Worker.init` (node start + near-workspaces readiness)", `${f.worker_init_ms} ms`],
          ["a near-workspaces test of 10 transactions", `${f.ten_tx_test_ms} ms`],
          ["transfers, one sender", `${f.transfers_seq_tps.toFixed(1)} tx/s`],
          ["simple near-sdk-js calls (`set_greeting`), one sender", `${f.js_calls_seq_tps.toFixed(1)} tx/s`],
          ["simple near-sdk-js calls, 10 senders", `${f.js_calls_concurrent_tps.toFixed(1)} tx/s`],
          [
            "cross-contract chains (A -> B -> A callback, 3 receipts), one sender",
            `${f.chain_seq_tps.toFixed(1)} tx/s`,
          ],
          ["cross-contract chains, 10 senders", `${f.chain_concurrent_tps.toFixed(1)} tx/s`],
        ],
      ),
      "",
    );
  }
  push(
    "## How long the bench takes",
    "",
    table(
      ["part", "seconds"],
      Object.entries(r.seconds).map(([k, v]) => [k, v.toFixed(1)]),
    ),
    "",
    "## Regression check",
    "",
    "`npm run bench:check` (`bench/check.ts`) measures every gas figure again on a fresh local node (the same code " +
      "as the bench, without the wall-clock part and the plots; about half a minute) and fails if any figure grew by " +
      "more than 10% over `docs/perf/baseline.json`, or is no longer measured. Gas on the local node is " +
      "deterministic up to a few parts per million (timestamps and random hashes change the length of nothing), so " +
      "10% flags real regressions only. After an intended change, rerun `npm run bench` and commit the new page and " +
      "baseline. The same comparison runs in the test suite as `bench/test/gas.test.ts`, and " +
      "`bench/test/check.test.ts` proves the check fails on a doctored baseline (every figure 11% lower, or one " +
      "figure 20% lower) and passes on the committed one.",
    "",
  );
  return out.join("\n");
}
