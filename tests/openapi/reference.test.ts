/**
 * Issue 14, API reference page: table of contents (groups per declared tag),
 * a `curl` example per endpoint with the `$TOKEN` placeholder, and the search
 * that filters operations in the browser. Built from the live document.
 */
import { describe, expect, it } from "vitest";
import { buildReference, matchesSearch, type OpenApiDoc } from "@/components/api-reference/model";
import { openApiDocument } from "@/lib/doors/v1/openapi";

const BASE = "https://portal.example.de";
const doc = () => openApiDocument() as unknown as OpenApiDoc;
const all = () => buildReference(doc(), BASE).flatMap((g) => g.operations.map((op) => ({ ...op, tag: g.tag })));

describe("API reference model", () => {
  it("groups every operation under a declared tag with an anchor (table of contents)", () => {
    const groups = buildReference(doc(), BASE);
    const count = Object.values(doc().paths).reduce((n, item) => n + Object.keys(item).filter((k) => ["get", "post", "put", "patch", "delete"].includes(k)).length, 0);
    expect(groups.reduce((n, g) => n + g.operations.length, 0)).toBe(count);
    expect(new Set(groups.map((g) => g.anchor)).size).toBe(groups.length);
    expect(groups.every((g) => /^api-[a-z0-9-]+$/.test(g.anchor) && g.description)).toBe(true);
    expect(groups.map((g) => g.tag)).toContain("Verwaltung: Rechnungen");
  });

  it("hides the staff groups when asked to (customers)", () => {
    const groups = buildReference(doc(), BASE, (tag) => !tag.startsWith("Verwaltung:"));
    expect(groups.some((g) => g.tag.startsWith("Verwaltung:"))).toBe(false);
    expect(groups.some((g) => g.tag === "v1 Hosts")).toBe(true);
  });

  it("has a curl example per endpoint: $TOKEN unless public, JSON body where one is documented", () => {
    for (const op of all()) {
      expect(op.curl, op.id).toMatch(new RegExp(`^curl -X ${op.method.toUpperCase()} '${BASE}/api/`));
      expect(op.curl.includes('-H "Authorization: Bearer $TOKEN"'), op.id).toBe(!op.isPublic);
      expect(op.curl, op.id).not.toMatch(/\{\w+\}/);
      if (op.bodyFields.length) expect(op.curl, op.id).toContain("-d '");
    }
    const login = all().find((op) => op.path === "/api/v1/auth/login")!;
    expect(login.isPublic).toBe(true);
    expect(login.curl).toContain(`-d '{"email":"admin@firma.de","password":"demo-passwort"}'`);
    const suspend = all().find((op) => op.path === "/api/manage/admin/instances/{id}/suspend")!;
    expect(suspend.curl).toContain(`'${BASE}/api/manage/admin/instances/1/suspend'`);
    const preview = all().find((op) => op.path === "/api/manage/admin/billing/preview")!;
    expect(preview.curl).toMatch(/\?period=/);
  });

  it("names where a parameter goes in German", () => {
    const places = new Set(all().flatMap((op) => op.params.map((p) => p.place)));
    expect([...places].sort()).toEqual(["Abfrageparameter", "Pfad"]);
    const preview = all().find((op) => op.path === "/api/manage/admin/billing/preview")!;
    expect(preview.params).toContainEqual(expect.objectContaining({ name: "period", place: "Abfrageparameter", required: true }));
  });

  it("search matches every word in method, path, summary or tag", () => {
    const ops = all();
    const hits = (q: string) => ops.filter((op) => matchesSearch(op, op.tag, q));
    expect(hits("").length).toBe(ops.length);
    expect(hits("rechnung storn").map((op) => op.path)).toContain("/api/manage/admin/invoices/{id}/cancel");
    expect(hits("POST login").map((op) => op.path).sort()).toEqual(["/api/manage/auth/login", "/api/v1/auth/login"]);
    expect(hits("gibt-es-nicht")).toEqual([]);
  });
});
