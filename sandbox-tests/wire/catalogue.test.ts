// The suite's error and event catalogues (contracts/wire/) against the contracts' sources and the docs: every ERR_
// code a contract writes is in the error catalogue with the contracts that raise it and nothing else is; the docs'
// generated error and event tables are up to date; every event a contract emits is in the event catalogue under that
// contract, with its standard and version, its data fields matching the catalogued shape, and nothing else is.
// No node, no build: the sources are read with the TypeScript compiler (sandbox-tests/wire/scan.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import test from "ava";
import ts from "typescript";
import { CONTRACTS, type ContractName } from "../../contracts/wire/contracts.ts";
import { ERRORS, type ErrorInfo, meaningOf } from "../../contracts/wire/errors.ts";
import { EVENT_STANDARDS, EVENTS } from "../../contracts/wire/events.ts";
import { VERIFY_CODES } from "../../attester/src/verify.ts";
import { docTables } from "../../scripts/docs/errors.ts";
import { docEventTables } from "../../scripts/docs/events.ts";
import { contractFolders, ROOT, scanContracts } from "./scan.ts";

const catalogued = ERRORS as Record<string, ErrorInfo>;
// how the docs write "some code"
const PLACEHOLDERS = new Set(["ERR_CODE", "ERR_X", "ERR_A", "ERR_B"]);

test("the catalogues cover exactly the contract folders", (t) => {
  t.deepEqual([...CONTRACTS].sort(), contractFolders());
  t.deepEqual(Object.keys(EVENTS).sort(), contractFolders());
  t.deepEqual(Object.keys(EVENT_STANDARDS).sort(), contractFolders());
});

test("every ERR_ code in the contracts is catalogued with the contracts that raise it", (t) => {
  const { codes, codeFiles } = scanContracts();
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const [code, contracts] of codes) {
    const info = catalogued[code];
    if (!info) missing.push(`${code} (${contracts.join(", ") || "no contract"}: ${codeFiles.get(code)?.join(", ")})`);
    else if (JSON.stringify([...info.contracts].sort()) !== JSON.stringify(contracts)) {
      wrong.push(`${code}: catalogue says ${info.contracts.join(", ")}, the sources ${contracts.join(", ")}`);
    }
  }
  t.deepEqual(missing, [], "codes written in contracts/** but not in contracts/wire/errors.ts");
  t.deepEqual(wrong, [], "codes whose contract list differs from what the sources raise");
  const unused = Object.keys(catalogued).filter((c) => !codes.has(c));
  t.deepEqual(unused, [], "catalogue entries no contract raises");
});

test("catalogue entries are well formed", (t) => {
  for (const [code, info] of Object.entries(catalogued)) {
    t.regex(code, /^ERR_[A-Z0-9_]+$/);
    t.true(info.meaning.length > 0 && !info.meaning.includes("\n"), code);
    t.deepEqual([...info.contracts], [...info.contracts].sort(), `${code}: contracts sorted`);
    t.is(new Set(info.contracts).size, info.contracts.length, `${code}: contracts once each`);
    for (const c of Object.keys(info.when ?? {})) {
      t.true(info.contracts.includes(c as ContractName), `${code}: when.${c} for a contract that does not raise it`);
    }
  }
  t.is(meaningOf("ERR_NOT_CREATOR", "dataset-registry"), catalogued.ERR_NOT_CREATOR.when?.["dataset-registry"]);
  t.is(meaningOf("ERR_NOT_CREATOR"), catalogued.ERR_NOT_CREATOR.meaning);
  t.is(meaningOf("ERR_NOT_CREATOR", "reward-pool"), catalogued.ERR_NOT_CREATOR.meaning);
  t.is(meaningOf("ERR_NOPE"), undefined);
  t.is(meaningOf("toString"), undefined);
});

test("the docs' error tables equal the catalogue", (t) => {
  const tables = docTables(ROOT);
  const covered = new Set(tables.flatMap((d) => d.contracts));
  t.deepEqual([...covered].sort(), contractFolders(), "every contract has a generated error table");
  for (const d of tables) {
    t.is(d.current, d.expected, `${d.file} (${d.contracts.join(" ")}): run npx tsx scripts/docs/errors.ts`);
  }
});

test("the docs' event tables equal the catalogue", (t) => {
  const tables = docEventTables(ROOT);
  const covered = new Set(tables.flatMap((d) => d.contracts));
  t.deepEqual([...covered].sort(), contractFolders(), "every contract has a generated event table");
  for (const d of tables) {
    t.is(d.current, d.expected, `${d.file} (${d.contracts.join(" ")}): run npx tsx scripts/docs/events.ts`);
  }
});

test("every ERR_ code the docs mention exists (in the catalogue, or the attester's own codes and verdicts)", (t) => {
  const attester = new Set<string>();
  // attester/src and its folders (service/: the HTTP service's codes)
  const files = readdirSync(join(ROOT, "attester", "src"), { recursive: true, withFileTypes: true }).filter(
    (e) => e.isFile() && e.name.endsWith(".ts"),
  );
  for (const e of files) {
    for (const m of readFileSync(join(e.parentPath, e.name), "utf8").matchAll(/"(ERR_[A-Z0-9_]+)"/g)) {
      attester.add(m[1]);
    }
  }
  // the proof check's verdict codes (attester/src/verify.ts), defined once as the keys of VERIFY_CODES
  for (const code of Object.keys(VERIFY_CODES)) attester.add(code);
  const unknown: string[] = [];
  for (const f of readdirSync(join(ROOT, "docs")).filter((n) => n.endsWith(".md"))) {
    for (const m of readFileSync(join(ROOT, "docs", f), "utf8").matchAll(/\bERR_[A-Z0-9_]*[A-Z0-9]\b/g)) {
      if (PLACEHOLDERS.has(m[0])) continue;
      if (!catalogued[m[0]] && !attester.has(m[0])) unknown.push(`docs/${f}: ${m[0]}`);
    }
  }
  t.deepEqual([...new Set(unknown)], []);
});

test("every emitted event is catalogued under its contract, with its standard, and nothing else is", (t) => {
  const { emits, standards, unresolved } = scanContracts();
  t.deepEqual(unresolved, [], "emit(...) / eventEmitter(...) calls whose names could not be read");
  for (const contract of CONTRACTS) {
    const { standard, version } = EVENT_STANDARDS[contract];
    t.deepEqual(standards.get(contract), [[standard, version]], `${contract}: eventEmitter(standard, version)`);
    const emitted = [...new Set(emits.filter((e) => e.contract === contract).map((e) => e.event))].sort();
    t.deepEqual(emitted, [...EVENTS[contract]].sort(), `${contract}: emitted names vs EVENTS`);
  }
});

// The catalogue's type of one data entry, from contracts/wire/events.ts's EventData in the scan's program.
function catalogueTypes(): Map<string, ts.Type> {
  const { program, checker } = scanContracts();
  const sf = program.getSourceFile(join(ROOT, "contracts", "wire", "events.ts"));
  if (!sf) throw new Error("contracts/wire/events.ts is not in the program");
  const decl = sf.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === "EventData");
  if (!decl) throw new Error("no EventData in contracts/wire/events.ts");
  const out = new Map<string, ts.Type>();
  const data = checker.getTypeAtLocation(decl);
  for (const c of checker.getPropertiesOfType(data)) {
    const events = checker.getTypeOfSymbolAtLocation(c, decl);
    for (const e of checker.getPropertiesOfType(events)) {
      out.set(`${c.name}/${e.name}`, checker.getTypeOfSymbolAtLocation(e, decl));
    }
  }
  return out;
}

test("EventData's names are the names in EVENTS", (t) => {
  const names = [...catalogueTypes().keys()].sort();
  const listed = CONTRACTS.flatMap((c) => EVENTS[c].map((e) => `${c}/${e}`)).sort();
  t.deepEqual(names, listed);
});

test("every emit's data entries have the catalogued fields (one shape per name)", (t) => {
  const { emits, checker } = scanContracts();
  const types = catalogueTypes();
  const problems: string[] = [];
  for (const e of emits) {
    const where = `${e.file}:${e.line} ${e.contract}/${e.event}`;
    const want = types.get(`${e.contract}/${e.event}`);
    if (!want) continue; // reported by the names test
    if (!checker.isArrayType(e.data) && !checker.isTupleType(e.data)) {
      problems.push(`${where}: data is not an array`);
      continue;
    }
    const entry = checker.getIndexTypeOfType(e.data, ts.IndexKind.Number);
    if (!entry) continue;
    // `{ id, ...(detail ?? {}) }`: fields added by a spread of a record cannot be read here
    let loose = false;
    const visit = (n: ts.Node): void => {
      if (ts.isSpreadAssignment(n)) {
        const spread = checker.getTypeAtLocation(n.expression);
        const parts = spread.isUnion() ? spread.types : [spread];
        if (parts.some((p) => checker.getIndexInfosOfType(p).length > 0)) loose = true;
      }
      ts.forEachChild(n, visit);
    };
    if (e.dataNode) visit(e.dataNode);
    for (const part of entry.isUnion() ? entry.types : [entry]) {
      const have = new Map(checker.getPropertiesOfType(part).map((p) => [p.name, p]));
      const wanted = new Map(checker.getPropertiesOfType(want).map((p) => [p.name, p]));
      for (const [name, p] of have) {
        const w = wanted.get(name);
        if (!w) {
          problems.push(`${where}: field ${name} is not in the catalogue`);
          continue;
        }
        const a = checker.getNonNullableType(checker.getTypeOfSymbol(p));
        const b = checker.getNonNullableType(checker.getTypeOfSymbol(w));
        if (!checker.isTypeAssignableTo(a, b) && !checker.isTypeAssignableTo(b, a)) {
          problems.push(
            `${where}: field ${name} is ${checker.typeToString(a)}, the catalogue says ${checker.typeToString(b)}`,
          );
        }
      }
      if (loose) continue;
      for (const [name, w] of wanted) {
        if (!have.has(name) && !(w.flags & ts.SymbolFlags.Optional)) problems.push(`${where}: field ${name} missing`);
      }
    }
  }
  t.deepEqual(problems, []);
});
