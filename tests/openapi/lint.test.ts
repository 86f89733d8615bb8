/**
 * Issue 14: the OpenAPI document is fit for generated clients. `@redocly/cli`
 * cannot be installed here (node engine), so this checks the rules of its
 * "recommended" set that matter for client generators, programmatically:
 * operation-operationId(-unique), operation-2xx-response, operation-4xx-response,
 * security-defined, operation-tag-defined + tag-description, path-parameters-defined,
 * no-unresolved-refs. Every check is a pure function of the document, and the
 * "catches" tests feed each one a broken copy so none can pass vacuously.
 * Also: every route file under app/api/v1 and app/api/manage/admin is documented
 * with exactly the methods it exports, and nothing documented lacks a route.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/v1/openapi";

type Op = {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, unknown>;
};
type Doc = {
  security?: unknown[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Partial<Record<string, Op>>>;
  components?: { securitySchemes?: Record<string, unknown>; schemas?: Record<string, unknown> };
};

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
const API_DIR = path.join(process.cwd(), "app", "api");

function operations(doc: Doc) {
  return Object.entries(doc.paths).flatMap(([apiPath, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ key: `${method.toUpperCase()} ${apiPath}`, apiPath, method, op: item[method]! }] : [])),
  );
}

/** Redocly-style problems: one string per violation. */
function lintDocument(doc: Doc): string[] {
  const problems: string[] = [];
  const ids = new Map<string, string>();
  const declaredTags = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
  const schemes = doc.components?.securitySchemes ?? {};
  for (const { key, apiPath, op } of operations(doc)) {
    if (!op.operationId) problems.push(`operation-operationId: ${key}`);
    else if (!/^[a-z][A-Za-z0-9]*$/.test(op.operationId)) problems.push(`operationId not camelCase: ${key} (${op.operationId})`);
    else if (ids.has(op.operationId)) problems.push(`operation-operationId-unique: ${key} and ${ids.get(op.operationId)} (${op.operationId})`);
    else ids.set(op.operationId, key);

    const codes = Object.keys(op.responses ?? {});
    if (!codes.some((c) => /^2(\d\d|XX)$/.test(c))) problems.push(`operation-2xx-response: ${key}`);
    if (!codes.some((c) => /^4(\d\d|XX)$/.test(c))) problems.push(`operation-4xx-response: ${key}`);

    const security = op.security ?? doc.security;
    if (!security) problems.push(`security-defined: ${key}`);
    for (const requirement of security ?? []) {
      for (const name of Object.keys(requirement as object)) if (!(name in schemes)) problems.push(`security scheme ${name} not declared: ${key}`);
    }

    if (!op.tags?.length) problems.push(`operation-tag-defined (no tag): ${key}`);
    for (const tag of op.tags ?? []) {
      if (!declaredTags.has(tag)) problems.push(`operation-tag-defined: ${key} uses undeclared tag ${tag}`);
    }

    const templated = [...apiPath.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const pathParams = (op.parameters ?? []).filter((p) => p.in === "path");
    for (const name of templated) {
      const param = pathParams.find((p) => p.name === name);
      if (!param) problems.push(`path-parameters-defined: ${key} misses {${name}}`);
      else if (param.required !== true) problems.push(`path parameter not required: ${key} {${name}}`);
    }
    for (const p of pathParams) if (!templated.includes(p.name)) problems.push(`path-parameters-defined: ${key} declares unknown ${p.name}`);
  }
  for (const [name, description] of declaredTags) if (!description) problems.push(`tag-description: ${name}`);

  const refs = JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g);
  for (const [, name] of refs) if (!doc.components?.schemas?.[name]) problems.push(`no-unresolved-refs: ${name}`);
  return problems;
}

const document = () => structuredClone(openApiDocument()) as unknown as Doc;

describe("OpenAPI document passes the recommended lint rules", () => {
  it("has no problems", () => {
    expect(lintDocument(document())).toEqual([]);
  });

  it("marks the public operations with security: [] and everything else with a scheme", () => {
    const doc = document();
    for (const key of ["post /api/v1/auth/login", "post /api/v1/auth/2fa/verify", "post /api/manage/auth/login", "post /api/manage/auth/forgot-password", "post /api/manage/auth/reset-password", "get /api/v1/openapi.json"]) {
      const [method, apiPath] = key.split(" ");
      expect(doc.paths[apiPath]?.[method]?.security, key).toEqual([]);
    }
    expect(doc.paths["/api/manage/admin/instances"]?.get?.security).toEqual([{ session: [] }]);
    expect(doc.paths["/api/v1/hosts"]?.get?.security).toEqual([{ bearer: [] }]);
  });

  it.each([
    ["a missing operationId", (d: Doc) => delete d.paths["/api/v1/hosts"]!.get!.operationId, "operation-operationId: GET /api/v1/hosts"],
    ["a duplicate operationId", (d: Doc) => (d.paths["/api/v1/hosts"]!.get!.operationId = d.paths["/api/v1/tenants"]!.get!.operationId), "operation-operationId-unique"],
    ["no 2xx answer", (d: Doc) => delete d.paths["/api/manage/admin/roles"]!.get!.responses!["200"], "operation-2xx-response: GET /api/manage/admin/roles"],
    [
      "no 4xx answer",
      (d: Doc) => {
        const r = d.paths["/api/v1/auth/login"]!.post!.responses!;
        for (const c of Object.keys(r)) if (c.startsWith("4")) delete r[c];
      },
      "operation-4xx-response: POST /api/v1/auth/login",
    ],
    ["no security", (d: Doc) => delete d.paths["/api/v1/auth/login"]!.post!.security, "security-defined: POST /api/v1/auth/login"],
    ["an undeclared tag", (d: Doc) => (d.paths["/api/v1/hosts"]!.get!.tags = ["Geheim"]), "operation-tag-defined: GET /api/v1/hosts uses undeclared tag Geheim"],
    ["a tag without description", (d: Doc) => delete d.tags![0].description, "tag-description"],
    ["an undeclared path parameter", (d: Doc) => (d.paths["/api/manage/admin/instances/{id}"]!.get!.parameters = []), "path-parameters-defined: GET /api/manage/admin/instances/{id} misses {id}"],
  ])("catches %s", (_, breakIt, expected) => {
    const doc = document();
    breakIt(doc);
    expect(lintDocument(doc).join("\n")).toContain(expected);
  });
});

/** Route files → `/api/...` paths in OpenAPI notation, with the HTTP methods each exports. */
function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

async function servedRoutes() {
  const files = [...routeFiles(path.join(API_DIR, "v1")), ...routeFiles(path.join(API_DIR, "manage", "admin"))];
  const served = new Map<string, string[]>();
  for (const file of files) {
    const folder = path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/");
    if (folder.includes("[...")) continue; // the v1 catch-all only answers 404 for unknown endpoints
    const apiPath = `/api/${folder}`.replace(/\[(\w+)\]/g, "{$1}");
    const mod = (await import(file)) as Record<string, unknown>;
    served.set(apiPath, METHODS.filter((m) => typeof mod[m.toUpperCase()] === "function"));
  }
  return served;
}

describe("route files ↔ OpenAPI document", () => {
  it("documents every method of every route file under app/api/v1 and app/api/manage/admin, and nothing more", async () => {
    const doc = document();
    const served = await servedRoutes();
    expect(served.size).toBeGreaterThan(60);
    const missing: string[] = [];
    for (const [apiPath, methods] of served) {
      for (const method of methods) if (!doc.paths[apiPath]?.[method]) missing.push(`${method.toUpperCase()} ${apiPath}`);
    }
    expect(missing).toEqual([]);

    const extra: string[] = [];
    for (const { key, apiPath, method } of operations(doc)) {
      if (!apiPath.startsWith("/api/v1/") && !apiPath.startsWith("/api/manage/admin/")) continue;
      if (!served.get(apiPath)?.includes(method)) extra.push(key);
    }
    expect(extra).toEqual([]);
  });

  it("documents the staff API with its tags", () => {
    const staffOps = operations(document()).filter((o) => o.apiPath.startsWith("/api/manage/admin/"));
    expect(staffOps.length).toBeGreaterThanOrEqual(50);
    expect(staffOps.every((o) => o.op.tags?.[0]?.startsWith("Verwaltung: "))).toBe(true);
  });
});
