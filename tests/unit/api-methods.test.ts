import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/doors/v1/openapi";
import { allowedMethods, exportedMethods, loadApiRoutes, scanApiRoutes, writeApiRoutes } from "@/scripts/api-methods";

const routes = scanApiRoutes(path.resolve(__dirname, "../.."));
const documented = (openApiDocument() as unknown as { paths: Record<string, Record<string, unknown>> }).paths;
const concrete = (template: string) => template.replace(/\{[^}]+\}/g, "1");
const METHODS = ["get", "post", "put", "patch", "delete"];

describe("Allow header of a 405 (methods read from the route files)", () => {
  it("reads every export form a route module uses", () => {
    expect(exportedMethods("export const GET = a;\nexport async function POST() {}\nexport function DELETE() {}")).toEqual(["GET", "POST", "DELETE"]);
    expect(exportedMethods("export { handler as GET, handler as POST };")).toEqual(["GET", "POST"]);
    expect(exportedMethods("export const dynamic = 'force-dynamic'; export const GETTER = 1;")).toEqual([]);
  });

  it("finds all route files", () => {
    expect(routes.length).toBeGreaterThan(100);
  });

  it("names exactly the documented methods of every documented operation, plus HEAD with GET and OPTIONS", () => {
    const mismatches: string[] = [];
    for (const [template, operations] of Object.entries(documented)) {
      const methods = METHODS.filter((m) => m in operations).map((m) => m.toUpperCase());
      const expected = [...new Set([...methods, "OPTIONS", ...(methods.includes("GET") ? ["HEAD"] : [])])].sort().join(", ");
      const allow = allowedMethods(routes, concrete(template));
      if (allow !== expected) mismatches.push(`${template}: Allow ${allow} — documented ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("prefers a static segment over a parameter and a parameter over a catch-all, as Next routes", () => {
    expect(allowedMethods(routes, "/api/v1/auth/login")).toBe("OPTIONS, POST");
    expect(allowedMethods(routes, "/api/v1/gibt-es/nicht")).toBe("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
    expect(allowedMethods(routes, "/ausserhalb")).toBeNull();
  });

  it("a production install without the sources reads the routes the build wrote", () => {
    const install = mkdtempSync(path.join(tmpdir(), "api-routes-"));
    mkdirSync(path.join(install, "dist"));
    expect(loadApiRoutes(install)).toEqual([]);
    writeApiRoutes(path.resolve(__dirname, "../.."), install);
    expect(loadApiRoutes(install)).toEqual(routes);
  });
});
