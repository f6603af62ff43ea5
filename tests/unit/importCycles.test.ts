// No import cycles among the app's own modules (a cycle once joined SessionChat and StreamSessionChat).
// This replaced eslint-plugin-import's no-cycle rule, which re-parsed every dependency per file and took
// more than half of lint's time; here each file is parsed once (syntax only) and the graph is walked once.
// Type-only imports and dynamic import() do not run modules at load time, so they cannot form a load cycle.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
// convex/ is not scanned: its model modules call each other's event hooks inside functions (advisors -> follows ->
// advisors, alerts <-> notifications), which is safe for ES modules because nothing runs at load time.
const SCANNED = ["app", "components", "hooks", "lib", "server"];
const SKIPPED = new Set(["_generated", "node_modules"]);
const EXTENSIONS = [".ts", ".tsx", ".mts"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : sourceFiles(full);
    return EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Specifiers of the imports and re-exports that run the imported module when this one loads. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        clause.name === undefined &&
        bindings !== undefined &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((element) => element.isTypeOnly);
      if (!onlyTypes && ts.isStringLiteral(statement.moduleSpecifier)) specifiers.push(statement.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier) {
      if (ts.isStringLiteral(statement.moduleSpecifier)) specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return null; // a package
  const candidates = [
    base,
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`)),
  ];
  for (const candidate of candidates) {
    if (graphFiles.has(candidate)) return candidate;
  }
  return null;
}

const files = SCANNED.flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
const graphFiles = new Set(files);

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe("import graph", () => {
  const graph = new Map(
    files.map((file) => [
      file,
      runtimeImports(file)
        .map((specifier) => resolveLocal(file, specifier))
        .filter((target): target is string => target !== null),
    ]),
  );

  it("covers the app's source", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get(path.join(ROOT, "components/session/SessionChat.tsx"))?.length).toBeGreaterThan(0);
  });

  it("has no cycles", () => {
    const named = cycles(graph).map((component) => component.map((file) => path.relative(ROOT, file)).sort());
    expect(named).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const a = "a.ts";
    const b = "b.ts";
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
          ["c.ts", [a]],
        ]),
      ),
    ).toHaveLength(1);
    expect(cycles(new Map([[a, [a]]]))).toEqual([[a]]);
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, []],
        ]),
      ),
    ).toEqual([]);
  });
});
