// Build-time check for the lean runtime profile: a contract whose bundle uses something the profile removed must
// fail to build, naming the feature and the file, instead of failing when it is called on chain.
import { createRequire } from "node:module";
import path from "node:path";
import { NEAR_SDK_JS, ROOT } from "../config.mjs";
import { ToolError } from "./exec.mjs";

const sdkRequire = createRequire(path.join(NEAR_SDK_JS, "package.json"));
const { parse } = sdkRequire(sdkRequire.resolve("@babel/parser", { paths: [sdkRequire.resolve("@babel/core")] }));

/** A rendered module or bundle as a Babel AST (the parser near-sdk-js's build already uses). */
export const parseModule = (code) => parse(code, { sourceType: "module", errorRecovery: true });

const GLOBAL_FEATURES = new Map([
  ["RegExp", "RegExp"],
  ["Proxy", "Proxy"],
  ["eval", "eval"],
  ["Function", "the Function constructor (eval)"],
]);
const METHOD_FEATURES = new Map([
  ["normalize", "String.prototype.normalize"],
  ["match", "String.prototype.match (RegExp)"],
  ["matchAll", "String.prototype.matchAll (RegExp)"],
  ["search", "String.prototype.search (RegExp)"],
]);
/** Math functions the lean runtime leaves out (their libm code and tables): Math.pow, floor, round... stay. */
const REMOVED_MATH = new Set(
  "acos asin atan atan2 cos exp log sin tan cosh sinh tanh acosh asinh atanh expm1 log1p log2 log10 cbrt hypot".split(
    " ",
  ),
);
/** near-sdk-js decodes stored Date values with `new Date(...)`, reachable only if a contract stores a Date. */
const SDK_DIR = `${path.sep}near-sdk-js${path.sep}`;

function* walk(node, parent) {
  if (!node || typeof node.type !== "string") return;
  yield [node, parent];
  for (const key of Object.keys(node)) {
    if (key === "loc" || key === "start" || key === "end") continue;
    const child = node[key];
    if (Array.isArray(child)) for (const c of child) yield* walk(c, node);
    else if (child && typeof child.type === "string") yield* walk(child, node);
  }
}

/** Names used as variables (not property keys or member names) that refer to a global. */
function isGlobalReference(node, parent, declared) {
  if (declared.has(node.name)) return false;
  if (parent.type === "MemberExpression" && parent.property === node && !parent.computed) return false;
  if ((parent.type === "ObjectProperty" || parent.type === "ObjectMethod") && parent.key === node && !parent.computed)
    return false;
  if ((parent.type === "ClassMethod" || parent.type === "ClassProperty") && parent.key === node) return false;
  return true;
}

function findings(code, file) {
  const ast = parseModule(code);
  const declared = new Set();
  for (const [node] of walk(ast.program, null)) {
    if (node.type === "VariableDeclarator" && node.id.type === "Identifier") declared.add(node.id.name);
    if ((node.type === "FunctionDeclaration" || node.type === "ClassDeclaration") && node.id)
      declared.add(node.id.name);
  }
  const found = [];
  const add = (feature, node) => found.push({ feature, file, line: node.loc?.start.line ?? 0 });
  for (const [node, parent] of walk(ast.program, null)) {
    if (node.type === "RegExpLiteral") add("RegExp (a regular expression literal)", node);
    else if (node.type === "Identifier" && GLOBAL_FEATURES.has(node.name) && isGlobalReference(node, parent, declared))
      add(GLOBAL_FEATURES.get(node.name), node);
    else if (node.type === "NewExpression" && node.callee.type === "Identifier" && node.callee.name === "Date") {
      if (!file.includes(SDK_DIR)) add("Date", node);
    } else if (
      node.type === "CallExpression" &&
      node.callee.type === "MemberExpression" &&
      !node.callee.computed &&
      node.callee.property.type === "Identifier"
    ) {
      const name = node.callee.property.name;
      if (METHOD_FEATURES.has(name)) add(METHOD_FEATURES.get(name), node);
      if (node.callee.object.type === "Identifier" && node.callee.object.name === "Date" && !file.includes(SDK_DIR))
        add("Date", node);
      if (node.callee.object.type === "Identifier" && node.callee.object.name === "Math" && REMOVED_MATH.has(name))
        add(`Math.${name}`, node);
    }
  }
  return found;
}

/**
 * `modules`: rollup's rendered modules ({ [id]: { code } }) after tree-shaking, so only code that ships is checked.
 * Throws a ToolError listing each use as "file:line (rendered): feature".
 */
export function checkLeanBundle(entry, modules) {
  const all = [];
  for (const [id, mod] of Object.entries(modules)) {
    if (!mod.code) continue;
    all.push(...findings(mod.code, id.replace(/^\0/, "")));
  }
  if (all.length === 0) return;
  const lines = all.map((f) => `  ${path.relative(ROOT, f.file)}:${f.line}: ${f.feature}`);
  throw new ToolError(
    `${path.relative(ROOT, entry)}: the lean runtime profile has no ${[...new Set(all.map((f) => f.feature))].join(", ")}; used at\n` +
      `${lines.join("\n")}\nremove the use, or build this contract with the stock profile: put {"profile": "stock"} in ` +
      `${path.relative(ROOT, path.join(path.dirname(entry), "contract.json"))}`,
  );
}
