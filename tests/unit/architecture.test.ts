/**
 * The layering of lib/ (lib/README.md), checked on the real import graph: every
 * import of a lib/ file is resolved to the file it names, and the files are grouped
 * into units (a folder directly under lib/, each door under lib/doors/, each loose
 * file). The unit graph must be acyclic, domains must not import doors, doors must
 * not import each other, and no files may import each other in a circle.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

type Module = { file: string; imports: string[]; targets: string[] };

/** Every TypeScript file under a folder (repository-relative, "/" separated), with its import specifiers. */
function modules(dir: string): Module[] {
  const out: Module[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.posix.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...modules(full));
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) {
      const source = readFileSync(full, "utf8");
      const imports = [...source.matchAll(/(?:from|import\(|^import)\s*["']([^"']+)["']/gm)].map((m) => m[1]);
      out.push({ file: full, imports, targets: imports.map((i) => resolve(full, i)).filter((t): t is string => t !== null) });
    }
  }
  return out;
}

/** The repository file an import names, or null for packages. */
function resolve(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.d.ts`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

/** lib/doors/<door>/… → "doors/<door>"; lib/<folder>/… → "<folder>"; a loose file is its own unit. */
function unitOf(file: string): string | null {
  const parts = file.split("/");
  if (parts[0] !== "lib") return null;
  if (parts[1] === "doors" && parts.length > 3) return `doors/${parts[2]}`;
  return parts.length > 2 ? parts[1] : parts[1];
}

/** Door units: each one answers one audience (lib/README.md). `doors/kit` is the toolbox below them, not a door. */
const DOORS = ["doors/manage", "doors/v1", "doors/pages", "doors/files"];
/** Units above the domains: doors, their kit, and the job door. */
const ABOVE_DOMAINS = [...DOORS, "doors/kit", "jobs"];

/** Every cycle's members (Tarjan's strongly connected components with more than one node, or a self-loop). */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || edges.get(node)?.has(node)) out.push(component.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!indices.has(node)) visit(node);
  return out;
}

describe("module boundaries (lib/README.md)", () => {
  const lib = modules("lib");
  const unitEdges = new Map<string, Set<string>>();
  const fileEdges = new Map<string, Set<string>>();
  for (const m of lib) {
    const from = unitOf(m.file)!;
    fileEdges.set(m.file, new Set(m.targets));
    for (const target of m.targets) {
      const to = unitOf(target);
      if (to === null || to === from) continue;
      if (!unitEdges.has(from)) unitEdges.set(from, new Set());
      unitEdges.get(from)!.add(to);
    }
  }
  const importsOf = (unit: string) => [...(unitEdges.get(unit) ?? [])];

  it("sees the whole tree", () => {
    expect(lib.length).toBeGreaterThan(150);
    for (const door of DOORS) expect(lib.some((m) => unitOf(m.file) === door)).toBe(true);
  });

  it("has no cycle between the folders of lib/", () => {
    expect(cycles(unitEdges)).toEqual([]);
  });

  it("has no files that import each other in a circle", () => {
    expect(cycles(fileEdges)).toEqual([]);
  });

  it("has no domain module that imports a door", () => {
    const offenders = lib
      .filter((m) => !ABOVE_DOMAINS.includes(unitOf(m.file)!))
      .flatMap((m) => m.targets.filter((t) => ABOVE_DOMAINS.includes(unitOf(t) ?? "") || t.startsWith("app/")).map((t) => `${m.file} → ${t}`));
    expect(offenders).toEqual([]);
  });

  it("has doors that do not import each other", () => {
    const offenders = DOORS.flatMap((door) => importsOf(door).filter((u) => DOORS.includes(u)).map((u) => `${door} → ${u}`));
    expect(offenders).toEqual([]);
  });

  it("keeps lib/http to bottom helpers: all they reach in lib/ is loose helper files", () => {
    const reached = new Set<string>();
    const queue = importsOf("http");
    while (queue.length > 0) {
      const unit = queue.pop()!;
      if (reached.has(unit)) continue;
      reached.add(unit);
      queue.push(...importsOf(unit));
    }
    expect([...reached].filter((u) => !/\.tsx?$/.test(u))).toEqual([]);
  });

  it("builds Responses and route handlers only in doors", () => {
    const builders = lib
      .filter((m) => !ABOVE_DOMAINS.includes(unitOf(m.file)!))
      .filter((m) => /new Response\(|NextResponse\.|\b(instanceRoute|staffRoute|sessionRoute|publicRoute|v1Route|v1TenantRoute)\(/.test(readFileSync(m.file, "utf8")))
      .map((m) => m.file);
    expect(builders).toEqual([]);
  });

  it("has a README that names every folder and loose file of lib/", () => {
    const readme = readFileSync("lib/README.md", "utf8");
    const entries = readdirSync("lib").filter((name) => name !== "README.md");
    expect(entries.filter((name) => !readme.includes(`lib/${name}`))).toEqual([]);
  });

  it("keeps auth free of API v1", () => {
    const auth = lib.filter((m) => unitOf(m.file) === "auth");
    expect(auth.length).toBeGreaterThan(5);
    expect(auth.filter((m) => m.imports.some((i) => i.includes("/v1"))).map((m) => m.file)).toEqual([]);
  });

  it("writes the activity log only through recordActivity", () => {
    const writers = lib
      .filter((m) => unitOf(m.file) !== "activity")
      .filter((m) => /insert\(activityLog\)/.test(readFileSync(m.file, "utf8")))
      .map((m) => m.file);
    expect(writers).toEqual([]);
  });
});
