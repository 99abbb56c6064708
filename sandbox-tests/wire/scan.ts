// Reads the contracts' sources the way the catalogue tests need them: which ERR_ codes each contract can raise and
// which events it emits. A contract raises a code when the code is written in a string literal of a top-level
// declaration its contract.ts reaches through references (its own folder, shared/, another folder it imports), so a
// shared helper's code counts only for the contracts that call that helper. Comments do not count.
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";

export const ROOT = join(import.meta.dirname, "..", "..");
const CONTRACTS_DIR = join(ROOT, "contracts");
const CODE_RE = /\bERR_[A-Z0-9_]+/g;

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Contract folders (those with a contract.ts): the suite's code names. */
export function contractFolders(): string[] {
  return readdirSync(CONTRACTS_DIR)
    .filter((d) => {
      try {
        return statSync(join(CONTRACTS_DIR, d, "contract.ts")).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

type Unit = ts.Statement;

export interface Emit {
  contract: string;
  file: string;
  line: number;
  event: string;
  /** the data argument's type as the checker prints it */
  dataType: string;
  data: ts.Type;
  dataNode: ts.Expression | undefined;
}

export interface Scan {
  /** code -> contracts that raise it (sorted) */
  codes: Map<string, string[]>;
  /** code -> files (relative to the root) whose string literals hold it */
  codeFiles: Map<string, string[]>;
  emits: Emit[];
  /** contract -> [standard, version] of its eventEmitter(...) call(s) */
  standards: Map<string, Array<[string, string]>>;
  /** emit(...) or eventEmitter(...) calls whose event name, standard or version could not be resolved */
  unresolved: string[];
  checker: ts.TypeChecker;
  program: ts.Program;
}

let cached: Scan | undefined;

/** The string literals a type stands for (a literal or a union of literals), or null. */
function literalStrings(type: ts.Type): string[] | null {
  const parts = type.isUnion() ? type.types : [type];
  const out: string[] = [];
  for (const t of parts) {
    if (t.isStringLiteral()) out.push(t.value);
    else if (t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) continue;
    else return null;
  }
  return out.length > 0 ? out : null;
}

export function scanContracts(): Scan {
  if (cached) return cached;
  // contracts/wire/ counts too (a pure validator there may hand a code to the contract that calls it), but not the
  // error catalogue itself, whose meanings may name other codes
  const files = tsFiles(CONTRACTS_DIR).filter((f) => f !== join(CONTRACTS_DIR, "wire", "errors.ts"));
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  );
  // the event catalogue joins the program so the test can compare emitted data with its types
  const catalogue = join(CONTRACTS_DIR, "wire", "events.ts");
  const program = ts.createProgram(files.includes(catalogue) ? files : [...files, catalogue], {
    ...(parsed?.options ?? {}),
    noEmit: true,
    allowImportingTsExtensions: true,
  });
  const checker = program.getTypeChecker();
  const inScope = (sf: ts.SourceFile) =>
    files.includes(sf.fileName) || files.includes(sf.fileName.split("/").join(sep));

  const unitOf = (node: ts.Node): Unit | undefined => {
    let n: ts.Node = node;
    while (n.parent && !ts.isSourceFile(n.parent)) n = n.parent;
    return n.parent && ts.isSourceFile(n.parent) && inScope(n.parent) ? (n as Unit) : undefined;
  };

  const unitCodes = new Map<Unit, Set<string>>();
  const edges = new Map<Unit, Set<Unit>>();
  const codeFiles = new Map<string, Set<string>>();
  const emitCalls: Array<{ unit: Unit; call: ts.CallExpression }> = [];
  const callsOf = new Map<ts.Node, ts.CallExpression[]>();
  const emitterCalls: Array<{ sf: ts.SourceFile; call: ts.CallExpression }> = [];

  for (const sf of program.getSourceFiles()) {
    if (!inScope(sf)) continue;
    const rel = relative(ROOT, sf.fileName);
    for (const unit of sf.statements) {
      const codes = new Set<string>();
      const refs = new Set<Unit>();
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
          for (const m of node.text.match(CODE_RE) ?? []) {
            codes.add(m);
            if (!codeFiles.has(m)) codeFiles.set(m, new Set());
            codeFiles.get(m)!.add(rel);
          }
        } else if (ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
          for (const m of node.text.match(CODE_RE) ?? []) codes.add(m);
        }
        if (ts.isIdentifier(node)) {
          let sym = checker.getSymbolAtLocation(node);
          if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
          for (const d of sym?.declarations ?? []) {
            const target = unitOf(d);
            if (target && target !== unit) refs.add(target);
          }
        }
        if (ts.isCallExpression(node)) {
          let fn = checker.getSymbolAtLocation(node.expression);
          if (fn && fn.flags & ts.SymbolFlags.Alias) fn = checker.getAliasedSymbol(fn);
          for (const d of fn?.declarations ?? []) {
            if (!callsOf.has(d)) callsOf.set(d, []);
            callsOf.get(d)!.push(node);
          }
          const callee = node.expression.getText(sf);
          if (/(^|\.)emit$/.test(callee) || callee === "emit") emitCalls.push({ unit, call: node });
          if (callee === "eventEmitter") emitterCalls.push({ sf, call: node });
        }
        ts.forEachChild(node, visit);
      };
      visit(unit);
      unitCodes.set(unit, codes);
      edges.set(unit, refs);
    }
  }

  const codes = new Map<string, Set<string>>();
  const reach = new Map<string, Set<Unit>>();
  for (const contract of contractFolders()) {
    const entry = program.getSourceFile(join(CONTRACTS_DIR, contract, "contract.ts"));
    if (!entry) continue;
    const seen = new Set<Unit>();
    const stack: Unit[] = [...entry.statements];
    while (stack.length > 0) {
      const u = stack.pop()!;
      if (seen.has(u)) continue;
      seen.add(u);
      stack.push(...(edges.get(u) ?? []));
    }
    reach.set(contract, seen);
    for (const u of seen) {
      for (const c of unitCodes.get(u) ?? []) {
        if (!codes.has(c)) codes.set(c, new Set());
        codes.get(c)!.add(contract);
      }
    }
  }
  // a code written only where no contract reaches it still belongs to the catalogue's check: list it with no contract
  for (const c of codeFiles.keys()) if (!codes.has(c)) codes.set(c, new Set());

  // The strings an expression can be: literals and unions of literal types, both branches of a conditional, a
  // template's parts, `x.toLowerCase()`, a const's initializer, what a called function returns, and a parameter's
  // argument at every call site. Null when one part cannot be known.
  const resolveStrings = (expr: ts.Expression, depth = 0): string[] | null => {
    if (depth > 8) return null;
    const e = ts.isParenthesizedExpression(expr) ? expr.expression : expr;
    if (ts.isStringLiteralLike(e)) return [e.text];
    if (e.kind === ts.SyntaxKind.NullKeyword) return [];
    if (ts.isConditionalExpression(e)) {
      const a = resolveStrings(e.whenTrue, depth + 1);
      const b = resolveStrings(e.whenFalse, depth + 1);
      return a && b ? [...a, ...b] : null;
    }
    if (ts.isTemplateExpression(e)) {
      let out: string[] = [e.head.text];
      for (const span of e.templateSpans) {
        const parts = resolveStrings(span.expression, depth + 1);
        if (!parts) return null;
        out = out.flatMap((o) => parts.map((p) => o + p + span.literal.text));
      }
      return out;
    }
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.arguments.length === 0) {
      const name = e.expression.name.text;
      if (name === "toLowerCase" || name === "toUpperCase") {
        const inner = resolveStrings(e.expression.expression, depth + 1);
        return inner ? inner.map((x) => (name === "toLowerCase" ? x.toLowerCase() : x.toUpperCase())) : null;
      }
    }
    if (ts.isIdentifier(e)) {
      const sym = checker.getSymbolAtLocation(e);
      const decl = sym?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer)
        return resolveStrings(decl.initializer, depth + 1);
      if (decl && ts.isParameter(decl) && ts.isFunctionLike(decl.parent)) {
        const index = decl.parent.parameters.indexOf(decl);
        const calls = callsOf.get(decl.parent) ?? [];
        if (calls.length === 0) return null;
        const out: string[] = [];
        for (const c of calls) {
          const arg = c.arguments[index];
          const got = arg ? resolveStrings(arg, depth + 1) : null;
          if (!got) return null;
          out.push(...got);
        }
        return out;
      }
    }
    if (ts.isCallExpression(e)) {
      const sym = checker.getSymbolAtLocation(e.expression);
      const decl = sym?.valueDeclaration;
      if (decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.body) {
        const out: string[] = [];
        let ok = true;
        const visitReturns = (n: ts.Node): void => {
          if (ts.isFunctionLike(n) && n !== decl) return;
          if (ts.isReturnStatement(n) && n.expression) {
            const got = resolveStrings(n.expression, depth + 1);
            if (got) out.push(...got);
            else ok = false;
          }
          ts.forEachChild(n, visitReturns);
        };
        visitReturns(decl.body);
        if (ok) return out;
      }
    }
    return literalStrings(checker.getTypeAtLocation(e));
  };

  const emits: Emit[] = [];
  const unresolved: string[] = [];
  for (const { unit, call } of emitCalls) {
    const [nameArg, data] = call.arguments;
    if (!nameArg) continue;
    const sf = unit.getSourceFile();
    const where = `${relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(call.getStart(sf)).line + 1}`;
    const names = resolveStrings(nameArg);
    if (!names) {
      unresolved.push(`${where}: ${nameArg.getText(sf)}`);
      continue;
    }
    const type = data ? checker.getTypeAtLocation(data) : checker.getUndefinedType();
    for (const [contract, units] of reach) {
      if (!units.has(unit)) continue;
      for (const event of [...new Set(names)]) {
        emits.push({
          contract,
          file: where.split(":")[0],
          line: Number(where.split(":")[1]),
          event,
          dataType: checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation),
          data: type,
          dataNode: data,
        });
      }
    }
  }

  const standards = new Map<string, Array<[string, string]>>();
  for (const { call } of emitterCalls) {
    const [s0, v0] = call.arguments;
    const st = s0 ? resolveStrings(s0) : null;
    const ver = v0 ? resolveStrings(v0) : null;
    const unit = unitOf(call);
    if (!st || !ver || st.length !== 1 || ver.length !== 1 || !unit) {
      unresolved.push(`eventEmitter at ${unit ? relative(ROOT, unit.getSourceFile().fileName) : "?"}`);
      continue;
    }
    for (const [contract, units] of reach) {
      if (!units.has(unit)) continue;
      if (!standards.has(contract)) standards.set(contract, []);
      const list = standards.get(contract)!;
      if (!list.some(([a, b]) => a === st[0] && b === ver[0])) list.push([st[0], ver[0]]);
    }
  }

  const sorted = (m: Map<string, Set<string>>) => new Map([...m].sort().map(([k, v]) => [k, [...v].sort()]));
  cached = { codes: sorted(codes), codeFiles: sorted(codeFiles), emits, standards, unresolved, checker, program };
  return cached;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const s = scanContracts();
  for (const [code, list] of s.codes) console.log(code, list.join(","));
  console.log(s.standards, s.unresolved);
  for (const e of s.emits) console.log(e.contract, e.event, e.file, e.line, e.dataType);
}
