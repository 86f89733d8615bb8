/**
 * Issue 14: the OpenAPI document describes the API that exists. Every route
 * file under app/api – API v1, the customer's manage API and the staff API
 * (/api/manage/admin) – is documented with exactly the HTTP methods it
 * exports, and nothing is documented that no route file serves. The few
 * route files that are not part of the client API are listed with the reason.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/doors/v1/openapi";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
const API_DIR = path.join(process.cwd(), "app", "api");

/** Route files that are deliberately not in the document. */
const NOT_DOCUMENTED: Record<string, string> = {
  "/api/auth/[...nextauth]": "next-auth: Anmeldung im Browser (Cookies), keine Client-API",
  "/api/dev/outbox": "nur Entwicklung und Tests (DEV_TOOLS), in Produktion abgeschaltet",
  "/api/health": "Prüfung für Proxy und Orchestrierung (docs/betrieb.md)",
  "/api/ready": "Prüfung für Proxy und Orchestrierung (docs/betrieb.md)",
  "/api/metrics": "Prometheus-Metriken mit eigenem Token (docs/betrieb.md)",
  "/api/manage/[...path]": "beantwortet unbekannte Pfade der Manage-API mit 404",
  "/api/v1/[...path]": "beantwortet unbekannte Pfade der API v1 mit 404",
};

type Op = { tags?: string[] };
const document = () => openApiDocument() as unknown as { paths: Record<string, Partial<Record<(typeof METHODS)[number], Op>>> };

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

/** `/api/...` path of each route file (folder notation) → the HTTP methods it exports. */
async function routeFileMethods() {
  const served = new Map<string, (typeof METHODS)[number][]>();
  for (const file of routeFiles(API_DIR)) {
    const folder = `/api/${path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/")}`;
    const mod = (await import(file)) as Record<string, unknown>;
    served.set(folder, METHODS.filter((m) => typeof mod[m.toUpperCase()] === "function"));
  }
  return served;
}

const toOpenApiPath = (folder: string) => folder.replace(/\[(\w+)\]/g, "{$1}");

describe("route files ↔ OpenAPI document", () => {
  it("documents every method of every route file under app/api (v1, manage, staff), and nothing more", async () => {
    const served = await routeFileMethods();
    expect([...served.keys()].filter((f) => f.startsWith("/api/manage/admin/")).length).toBeGreaterThanOrEqual(35);
    for (const folder of Object.keys(NOT_DOCUMENTED)) expect(served.has(folder), `${folder} gibt es nicht mehr`).toBe(true);

    const doc = document();
    const missing: string[] = [];
    const documented = new Set<string>();
    for (const [folder, methods] of served) {
      if (NOT_DOCUMENTED[folder]) continue;
      expect(methods.length, `${folder} exportiert keine Methode`).toBeGreaterThan(0);
      for (const method of methods) {
        const key = `${method.toUpperCase()} ${toOpenApiPath(folder)}`;
        documented.add(key);
        if (!doc.paths[toOpenApiPath(folder)]?.[method]) missing.push(key);
      }
    }
    expect(missing).toEqual([]);

    const extra = Object.entries(doc.paths).flatMap(([apiPath, item]) =>
      METHODS.filter((m) => item[m] && !documented.has(`${m.toUpperCase()} ${apiPath}`)).map((m) => `${m.toUpperCase()} ${apiPath}`),
    );
    expect(extra).toEqual([]);
  });

  it("files the staff API under its own „Verwaltung: …“ tags and nothing else there", () => {
    const ops = Object.entries(document().paths).flatMap(([apiPath, item]) => METHODS.filter((m) => item[m]).map((m) => ({ apiPath, op: item[m]! })));
    const staff = ops.filter((o) => o.apiPath.startsWith("/api/manage/admin/"));
    expect(staff.length).toBeGreaterThanOrEqual(60);
    expect(staff.filter((o) => !o.op.tags?.[0]?.startsWith("Verwaltung: ")).map((o) => o.apiPath)).toEqual([]);
    expect(ops.filter((o) => !o.apiPath.startsWith("/api/manage/admin/") && o.op.tags?.some((t) => t.startsWith("Verwaltung: "))).map((o) => o.apiPath)).toEqual([]);
  });
});
