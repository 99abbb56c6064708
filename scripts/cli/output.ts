// Output for people or scripts: with --json, stdout carries exactly one JSON document per command and progress goes
// to stderr; without it, plain lines on stdout. Library operations report progress through a `Progress` (an Output is
// one) and return their result; only the command layer (scripts/cli/commands/) calls `result`.

/** Where a long operation reports its steps as it goes (`[2/6] deployed ...`). */
export interface Progress {
  progress(line: string): void;
}

export class Output implements Progress {
  constructor(readonly json: boolean) {}

  /** A line of progress (a step started or done). */
  progress(line: string): void {
    if (this.json) process.stderr.write(`${line}\n`);
    else process.stdout.write(`${line}\n`);
  }

  /** The command's result: `lines` for people, `value` for --json. */
  result(value: unknown, lines: string | string[]): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, bigintSafe, 2)}\n`);
    else process.stdout.write(`${Array.isArray(lines) ? lines.join("\n") : lines}\n`);
  }
}

function bigintSafe(_key: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/** Left-aligned columns for list output. */
export function table(rows: string[][]): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd(),
  );
}
