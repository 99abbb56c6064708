// The event tables of docs/*.md, generated from the suite's event catalogue (contracts/wire/events.ts): between
// `<!-- events: <contract> [<contract>...] -->` and `<!-- /events -->`, each contract's standard and version and every
// event it logs with the fields of one `data` entry (read from the catalogue's types with the TypeScript compiler).
// `npx tsx scripts/docs/events.ts` rewrites the tables, `--check` only compares them; sandbox-tests/wire runs the
// comparison too.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { CONTRACTS, type ContractName, isContractName } from "../../contracts/wire/contracts.ts";
import { EVENT_STANDARDS, EVENTS } from "../../contracts/wire/events.ts";

export const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
const BLOCK = /(<!-- events: ([a-z -]+?) -->\n)([\s\S]*?)(<!-- \/events -->)/g;

let fieldsCache: Map<string, string[]> | undefined;

/** `contract/event` -> the field names of one data entry (`name?` when optional), in the catalogue's order. */
export function eventFields(root = ROOT): Map<string, string[]> {
  if (fieldsCache) return fieldsCache;
  const file = join(root, "contracts", "wire", "events.ts");
  const program = ts.createProgram([file], { strict: true, noEmit: true, allowImportingTsExtensions: true });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file);
  const decl = sf?.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === "EventData");
  if (!decl) throw new Error("no EventData in contracts/wire/events.ts");
  const out = new Map<string, string[]>();
  for (const c of checker.getPropertiesOfType(checker.getTypeAtLocation(decl))) {
    for (const e of checker.getPropertiesOfType(checker.getTypeOfSymbolAtLocation(c, decl))) {
      const entry = checker.getTypeOfSymbolAtLocation(e, decl);
      const names = checker
        .getPropertiesOfType(entry)
        .map((p) => (p.flags & ts.SymbolFlags.Optional ? `${p.name}?` : p.name));
      out.set(`${c.name}/${e.name}`, names);
    }
  }
  fieldsCache = out;
  return out;
}

/** The table for `contracts`: standard and version, then one row per event. */
export function eventTable(contracts: readonly ContractName[], root = ROOT): string {
  const fields = eventFields(root);
  const many = contracts.length > 1;
  const lines: string[] = [];
  const standards = contracts.map((c) => `\`${EVENT_STANDARDS[c].standard}\` ${EVENT_STANDARDS[c].version}`);
  lines.push(`NEP-297 standard ${standards.join(", ")}; \`data\` is an array of entries with these fields.`, "");
  lines.push(many ? "| contract | event | fields of a `data` entry |" : "| event | fields of a `data` entry |");
  lines.push(many ? "|---|---|---|" : "|---|---|");
  for (const c of contracts) {
    for (const e of EVENTS[c]) {
      const f = (fields.get(`${c}/${e}`) ?? []).join(", ");
      lines.push(many ? `| ${c} | \`${e}\` | ${f} |` : `| \`${e}\` | ${f} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export interface DocEventTables {
  file: string;
  contracts: ContractName[];
  current: string;
  expected: string;
}

function contractsOf(file: string, names: string): ContractName[] {
  const list = names.trim().split(/\s+/);
  const unknown = list.filter((n) => !isContractName(n));
  if (unknown.length > 0) throw new Error(`${file}: unknown contract ${unknown.join(", ")} (${CONTRACTS})`);
  return list as ContractName[];
}

/** Every marked event table in docs/*.md with what it holds and what the catalogue says it should. */
export function docEventTables(root = ROOT): DocEventTables[] {
  const out: DocEventTables[] = [];
  for (const name of readdirSync(join(root, "docs")).sort()) {
    if (!name.endsWith(".md")) continue;
    const text = readFileSync(join(root, "docs", name), "utf8");
    for (const m of text.matchAll(BLOCK)) {
      const contracts = contractsOf(`docs/${name}`, m[2]);
      out.push({ file: `docs/${name}`, contracts, current: m[3], expected: eventTable(contracts, root) });
    }
  }
  return out;
}

/** Rewrites the marked tables; returns the files changed. */
export function writeDocEventTables(root = ROOT): string[] {
  const changed: string[] = [];
  for (const name of readdirSync(join(root, "docs")).sort()) {
    if (!name.endsWith(".md")) continue;
    const path = join(root, "docs", name);
    const text = readFileSync(path, "utf8");
    const next = text.replace(BLOCK, (_all, begin: string, names: string, _table: string, end: string) => {
      return `${begin}${eventTable(contractsOf(`docs/${name}`, names), root)}${end}`;
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
    const tables = docEventTables();
    const stale = tables.filter((t) => t.current !== t.expected);
    for (const t of stale)
      console.error(`${t.file}: the event table of ${t.contracts.join(" ")} differs from the catalogue`);
    if (stale.length > 0) {
      console.error("run: npx tsx scripts/docs/events.ts");
      process.exitCode = 1;
    } else console.log(`${tables.length} event tables match contracts/wire/events.ts`);
  } else {
    const changed = writeDocEventTables();
    console.log(changed.length > 0 ? `rewrote ${changed.join(", ")}` : "event tables already up to date");
  }
}
