// The error tables of docs/*.md, generated from the suite's error catalogue (contracts/wire/errors.ts). A table sits
// between `<!-- errors: <contract> [<contract>...] -->` and `<!-- /errors -->`; it lists every code those contracts
// raise with its meaning there. `npx tsx scripts/docs/errors.ts` rewrites the tables, `--check` only compares them
// (exit 1 and the files that differ); sandbox-tests/wire/catalogue.test.ts runs the same comparison.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTRACTS, type ContractName, isContractName } from "../../contracts/wire/contracts.ts";
import { codesOf, meaningOf } from "../../contracts/wire/errors.ts";

export const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
const BLOCK = /(<!-- errors: ([a-z -]+?) -->\n)([\s\S]*?)(<!-- \/errors -->)/g;

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The table for `contracts`: one row per code any of them raises; a column saying which when there are several. */
export function errorTable(contracts: readonly ContractName[]): string {
  const codes = [...new Set(contracts.flatMap((c) => codesOf(c)))].sort();
  const many = contracts.length > 1;
  const lines = many ? ["| code | raised by | meaning |", "|---|---|---|"] : ["| code | meaning |", "|---|---|"];
  for (const code of codes) {
    const by = contracts.filter((c) => (codesOf(c) as string[]).includes(code));
    const meanings = by.map((c) => meaningOf(code, c) as string);
    const meaning = meanings.every((m) => m === meanings[0])
      ? meanings[0]
      : by.map((c, i) => `${c}: ${meanings[i]}`).join("; ");
    const row = many ? [`\`${code}\``, by.join(", "), cell(meaning)] : [`\`${code}\``, cell(meaning)];
    lines.push(`| ${row.join(" | ")} |`);
  }
  return `${lines.join("\n")}\n`;
}

export interface DocTables {
  file: string;
  contracts: ContractName[];
  current: string;
  expected: string;
}

/** Every marked table in docs/*.md with what it holds and what the catalogue says it should. */
export function docTables(root = ROOT): DocTables[] {
  const out: DocTables[] = [];
  const dir = join(root, "docs");
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".md")) continue;
    const text = readFileSync(join(dir, name), "utf8");
    for (const m of text.matchAll(BLOCK)) {
      const names = m[2].trim().split(/\s+/);
      const unknown = names.filter((n) => !isContractName(n));
      if (unknown.length > 0) throw new Error(`docs/${name}: unknown contract ${unknown.join(", ")} (${CONTRACTS})`);
      const contracts = names as ContractName[];
      out.push({ file: `docs/${name}`, contracts, current: m[3], expected: errorTable(contracts) });
    }
  }
  return out;
}

/** Rewrites the marked tables; returns the files changed. */
export function writeDocTables(root = ROOT): string[] {
  const changed: string[] = [];
  const dir = join(root, "docs");
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".md")) continue;
    const path = join(dir, name);
    const text = readFileSync(path, "utf8");
    const next = text.replace(BLOCK, (_all, begin: string, names: string, _table: string, end: string) => {
      const contracts = names.trim().split(/\s+/).filter(isContractName);
      return `${begin}${errorTable(contracts)}${end}`;
    });
    if (next !== text) {
      writeFileSync(path, next);
      changed.push(`docs/${name}`);
    }
  }
  return changed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes("--check")) {
    const stale = docTables().filter((t) => t.current !== t.expected);
    for (const t of stale)
      console.error(`${t.file}: the error table of ${t.contracts.join(" ")} differs from the catalogue`);
    if (stale.length > 0) {
      console.error("run: npx tsx scripts/docs/errors.ts");
      process.exitCode = 1;
    } else console.log(`${docTables().length} error tables match contracts/wire/errors.ts`);
  } else {
    const changed = writeDocTables();
    console.log(changed.length > 0 ? `rewrote ${changed.join(", ")}` : "error tables already up to date");
  }
}
