import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every TypeScript file under a folder, with its import specifiers. */
function modules(dir: string): { file: string; imports: string[] }[] {
  const out: { file: string; imports: string[] }[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...modules(full));
    else if (/\.tsx?$/.test(name)) {
      const source = readFileSync(full, "utf8");
      const imports = [...source.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
      out.push({ file: full, imports });
    }
  }
  return out;
}

describe("module boundaries (lib/README.md)", () => {
  const lib = modules("lib");

  it("has no domain module that imports an API door", () => {
    const offenders = lib
      .filter((m) => !m.file.startsWith(path.join("lib", "v1")))
      .filter((m) => m.imports.some((i) => i.startsWith("@/lib/v1") || i.startsWith("@/app")))
      .map((m) => m.file);
    expect(offenders).toEqual([]);
  });

  it("keeps auth free of API v1", () => {
    const auth = lib.filter((m) => m.file.startsWith(path.join("lib", "auth")));
    expect(auth.length).toBeGreaterThan(5);
    expect(auth.filter((m) => m.imports.some((i) => i.includes("/v1"))).map((m) => m.file)).toEqual([]);
  });

  it("writes the activity log only through recordActivity", () => {
    const writers = lib
      .filter((m) => !m.file.startsWith(path.join("lib", "activity")))
      .filter((m) => /insert\(activityLog\)/.test(readFileSync(m.file, "utf8")))
      .map((m) => m.file);
    expect(writers).toEqual([]);
  });
});
