/**
 * Every command has the shape `(actor, input, options?)` (lib/README.md, "Commands"), so a caller
 * can compose commands in one transaction through `options.tx`. Read from the source with the
 * TypeScript compiler: an exported function of a domain in lib/ whose own body writes the activity
 * log (`recordActivity(`) or opens a transaction (`inTransaction(`), or that takes an actor, is a
 * command, unless its first
 * parameter is a transaction handle (`Tx`, `DbOrTx`): then it is a helper that runs inside its
 * caller's transaction. A command's first parameter is the actor (named `actor` or typed as an
 * actor), it has at most three parameters, and a third one is `options`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** Doors and the job door call commands; the client helpers run in the browser. */
const NOT_DOMAINS = ["lib/doors/", "lib/jobs/", "lib/client/"];

/** Folders still being brought into the shape elsewhere: none (lib/auth joined when its commands took `(actor, input, options?)`). */
const EXEMPT: string[] = [];

/** A database handle (`Tx`, `DbOrTx`, `Db`, or a union of them) as first parameter: a helper inside its caller's transaction. */
const isTxType = (text: string) => text !== "" && text.split("|").every((part) => /^(Tx|DbOrTx|Db)$/.test(part.trim()));
const ACTOR_TYPES = /^(Actor|UserActor|AnonymousActor|SystemActor|AuthActor|PrincipalActor(<.*>)?)$/;

type Offender = { where: string; reason: string };

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.posix.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** Whether a function body (with the callbacks written inside it) calls one of the names. */
function calls(body: ts.Node, names: Set<string>): boolean {
  let found = false;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && names.has(node.expression.text)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

type Fn = { name: string; node: ts.SignatureDeclaration & { body?: ts.Node }; line: number };

/** Exported `function f(…)` and `const f = (…) => …` / `function (…)` declarations of a file. */
function exportedFunctions(file: string): Fn[] {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const out: Fn[] = [];
  for (const statement of source.statements) {
    if (!isExported(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
      out.push({ name: statement.name.text, node: statement, line: line(statement) });
    } else if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        const init = decl.initializer;
        if (ts.isIdentifier(decl.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
          out.push({ name: decl.name.text, node: init, line: line(decl) });
        }
      }
    }
  }
  return out;
}

const COMMAND_CALLS = new Set(["recordActivity", "inTransaction"]);

/** A function that takes an actor acts on someone's behalf: a command (or a helper in a caller's transaction). */
function takesActor(fn: Fn): boolean {
  return fn.node.parameters.some((p) => ACTOR_TYPES.test(p.type?.getText() ?? ""));
}

/** Why a function breaks the command shape, or null when it keeps it. */
function shapeProblem(fn: Fn): string | null {
  const params = fn.node.parameters;
  const first = params[0];
  const typeText = (p: ts.ParameterDeclaration | undefined) => p?.type?.getText().replace(/\s+/g, " ") ?? "";
  const nameText = (p: ts.ParameterDeclaration | undefined) => (p && ts.isIdentifier(p.name) ? p.name.text : "");
  if (first && isTxType(typeText(first))) return null;
  if (!first || (nameText(first) !== "actor" && !ACTOR_TYPES.test(typeText(first)))) {
    return `first parameter is ${first ? `\`${first.getText()}\`` : "missing"}, not the actor`;
  }
  if (params.length > 3) return `${params.length} parameters, a command takes (actor, input, options?)`;
  if (params.length === 3 && nameText(params[2]) !== "options") return `third parameter is \`${nameText(params[2]) || params[2].getText()}\`, not \`options\``;
  return null;
}

/** Every offender under lib/ (repository-relative paths). */
function commandShapeOffenders(root = "lib"): Offender[] {
  const offenders: Offender[] = [];
  for (const file of sourceFiles(root)) {
    if (NOT_DOMAINS.some((prefix) => file.startsWith(prefix)) || EXEMPT.some((prefix) => file.startsWith(prefix))) continue;
    for (const fn of exportedFunctions(file)) {
      if (!fn.node.body || !(calls(fn.node.body, COMMAND_CALLS) || takesActor(fn))) continue;
      const problem = shapeProblem(fn);
      if (problem) offenders.push({ where: `${file}:${fn.line} ${fn.name}`, reason: problem });
    }
  }
  return offenders;
}

describe("command shape", () => {
  it("every command of a domain is (actor, input, options?) or a helper taking the caller's transaction", () => {
    const offenders = commandShapeOffenders().map((o) => `${o.where}: ${o.reason}`);
    expect(offenders).toEqual([]);
  });

  it("finds the commands it checks (the rule is not vacuous)", () => {
    const checked: string[] = [];
    for (const file of sourceFiles("lib")) {
      if (NOT_DOMAINS.some((prefix) => file.startsWith(prefix))) continue;
      for (const fn of exportedFunctions(file)) if (fn.node.body && calls(fn.node.body, COMMAND_CALLS)) checked.push(fn.name);
    }
    expect(checked).toEqual(expect.arrayContaining(["suspendInstance", "recordPayment", "issueInvoice", "pauseDunning"]));
  });
});
