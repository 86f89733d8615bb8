/**
 * Issue 11, "Never a 500 for bad input": walks every operation of the OpenAPI
 * document and every route file under app/api/manage with generated hostile
 * values (NUL and other control characters, 10 000 characters, negative and
 * huge numbers, wrong types, arrays where objects belong, lone UTF-16
 * surrogates) in path, query and body, signed in as super-admin so the
 * handlers are reached, and asserts that no answer is a 5xx. Every query
 * parameter the OpenAPI document names for an operation is tried on its own
 * with out-of-range and odd values. A second walk goes over real HTTP
 * (the portal's request listener in front of the route files) with
 * malformed percent-encoding in every path parameter and query parameter.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { openApiDocument } from "@/lib/doors/v1/openapi";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { startApiServer } from "../openapi/api-server";
import { uniqueIp, v1Login } from "../v1/helpers";

useTestDatabase();

const API_DIR = path.join(process.cwd(), "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Operations that end the caller's own login: a fuzzed call would sign the walk out. */
const SKIP = new Set(["/api/manage/auth/logout POST", "/api/v1/auth/logout POST", "/api/v1/auth/sessions DELETE"]);

const scalar = fc.oneof(
  fc.constantFrom("\u0000", "a\u0000b", "x".repeat(10_000), "-1", "0", "99999999999", "2147483648", "1e308", "NaN", "null", "[]", "{}", "../../etc/passwd", "%00", "ü😀", "\ud800", "a\udc00b"),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, -1e20, 1.5),
  fc.boolean(),
  fc.constant(null),
);
const hostileValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }));
const BODY_KEYS = ["name", "email", "password", "search", "scope", "instance_id", "amount", "items", "domain", "force", "id", "code", "description", "note", "reason"];
const QUERY_KEYS = ["search", "page", "per_page", "tenant_id", "status", "from", "to", "format", "inline", "year", "instance_id", "action"];
const hostileBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...BODY_KEYS), hostileValue, {
    maxKeys: 5,
  }),
  fc.array(hostileValue, { maxLength: 3 }),
  scalar,
);
const pathValue = fc.constantFrom("\u0000", "x".repeat(10_000), "-1", "0", "2147483648", "99999999999", "999999999999", "1e3", "1.5", "abc", "%00", "\ud800", "00000000-0000-0000-0000-000000000000");
/** Values each documented query parameter gets on its own: beyond `integer`, beyond safe integers, odd text. */
const QUERY_EXAMPLES = ["2147483648", "-2147483649", "9007199254740993", "1e308", "\ud800", "a\u0000b", "%FF", "x".repeat(2000)];

function manageRouteFiles(dir = path.join(API_DIR, "manage")): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return manageRouteFiles(full);
    return name === "route.ts" ? [`/api/${path.relative(API_DIR, dir).split(path.sep).join("/")}`] : [];
  });
}

/** `/api/v1/hosts/{id}` → the route file's folder `v1/hosts/[id]` and the parameter names. */
function routeOf(apiPath: string) {
  const folder = apiPath.replace(/^\/api\//, "").replace(/\{((?:\.\.\.)?\w+)\}/g, "[$1]");
  const names = [...folder.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => m[1]);
  return { folder, names };
}

const operations = (() => {
  const seen = new Set<string>();
  const list: { apiPath: string; method: (typeof METHODS)[number]; query: string[] }[] = [];
  const add = (apiPath: string, method: (typeof METHODS)[number], query: string[] = []) => {
    const key = `${routeOf(apiPath).folder} ${method}`;
    if (seen.has(key) || SKIP.has(`${apiPath} ${method}`)) return;
    seen.add(key);
    list.push({ apiPath, method, query });
  };
  for (const [apiPath, item] of Object.entries(openApiDocument().paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, { parameters?: { in: string; name: string }[] } | undefined>)[method.toLowerCase()];
      if (operation) add(apiPath, method, (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name));
    }
  }
  for (const apiPath of manageRouteFiles()) for (const method of METHODS) add(apiPath.replace(/\[((?:\.\.\.)?\w+)\]/g, "{$1}"), method);
  return list;
})();

type Example = [string[], Record<string, string>, unknown];

function singlePlaceExamples(names: string[], method: string, documentedQuery: string[]): Example[] {
  const ok = names.map(() => "1");
  const examples: Example[] = [];
  names.forEach((_, i) => {
    for (const bad of ["a\u0000b", "999999999999"]) examples.push([ok.map((v, j) => (j === i ? bad : v)), {}, {}]);
  });
  for (const key of QUERY_KEYS) for (const bad of ["a\u0000b", "999999999999"]) examples.push([ok, { [key]: bad }, {}]);
  for (const key of documentedQuery) for (const bad of QUERY_EXAMPLES) examples.push([ok, { [key]: bad }, {}]);
  if (method !== "GET" && method !== "DELETE") {
    for (const key of BODY_KEYS) for (const bad of ["a\u0000b", "\ud800", 2 ** 31, 2 ** 53, [{ x: 1 }], { x: "y" }] as unknown[]) examples.push([ok, {}, { [key]: bad }]);
    examples.push([ok, {}, [{}]]);
  }
  return examples;
}

let managePrincipalToken = "";
let v1Token = "";

beforeAll(async () => {
  const res = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email: "msp-admin@myit.center", password: DEMO_PASSWORD }, ip: uniqueIp() });
  managePrincipalToken = res.json.token;
  v1Token = (await v1Login("msp-admin@myit.center")).access_token;
});

describe("hostile input never gives a 5xx", () => {
  it("covers the OpenAPI document and the manage routes", () => {
    expect(operations.length).toBeGreaterThan(60);
    expect(operations.some((o) => o.apiPath === "/api/v1/invoices" && o.method === "GET")).toBe(true);
  });

  it("knows the documented query parameters", () => {
    const documented = new Set(operations.flatMap((o) => o.query));
    for (const name of ["tenant_id", "page", "per_page", "instance_id", "year", "search"]) expect(documented).toContain(name);
  });

  it.each(operations.map((o) => [`${o.method} ${o.apiPath}`, o] as const))("%s", async (_, { apiPath, method, query: documentedQuery }) => {
    const { folder, names } = routeOf(apiPath);
    const mod = (await import(path.join(API_DIR, folder, "route.ts"))) as Record<string, unknown>;
    const handler = mod[method];
    if (typeof handler !== "function") {
      // Documented but not served by this file: Next answers 405, nothing of ours runs.
      expect(Object.keys(mod).length).toBeGreaterThan(0);
      return;
    }
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(...names.map(() => pathValue)),
        fc.dictionary(fc.constantFrom(...QUERY_KEYS, ...documentedQuery), fc.oneof(pathValue, fc.string({ maxLength: 5 })), {
          maxKeys: 3,
        }),
        hostileBody as fc.Arbitrary<unknown>,
        async (values: string[], query: Record<string, string>, body: unknown) => {
          const params = Object.fromEntries(names.map((n, i) => [n, values[i]]));
          const url = new URL(`http://localhost:3000${apiPath.replace(/\{(?:\.\.\.)?(\w+)\}/g, (_m, n: string) => encodeURIComponent(params[n]))}`);
          for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
          const token = apiPath.startsWith("/api/v1/") ? v1Token : managePrincipalToken;
          const res = await call(handler as never, method, url.pathname + url.search, {
            token,
            params,
            ...(method === "GET" || method === "DELETE" ? {} : { body }),
            ip: uniqueIp(),
            // The catch-all route answers unknown paths with 404; it is no documented operation.
            ...(apiPath.includes("{...") ? { outsideContract: "catch-all 404 route" } : {}),
          });
          if (res.status >= 500) throw new Error(`${method} ${url.pathname.slice(0, 120)} → ${res.status} ${res.text.slice(0, 300)}`);
        },
      ),
      {
        numRuns: 6,
        seed: 11,
        // Always tried first: NUL, an out-of-range number and a wrong type in each place on its own
        // (one bad field at a time, so another field's 422 does not hide it).
        examples: singlePlaceExamples(names, method, documentedQuery),
      },
    );
  });
});

describe("malformed percent-encoding over HTTP never gives a 5xx", () => {
  const MALFORMED = ["%C0%AE", "%FF%FE", "%ED%A0%80", "%"];
  let api: Awaited<ReturnType<typeof startApiServer>>;
  beforeAll(async () => {
    api = await startApiServer();
  });
  afterAll(async () => {
    await api.close();
  });

  it.each(operations.map((o) => [`${o.method} ${o.apiPath}`, o] as const))("%s", async (_, { apiPath, method, query }) => {
    const { names } = routeOf(apiPath);
    const token = apiPath.startsWith("/api/v1/") ? v1Token : managePrincipalToken;
    const targets: string[] = [];
    for (const bad of MALFORMED) {
      names.forEach((_n, i) => {
        let index = 0;
        targets.push(apiPath.replace(/\{(?:\.\.\.)?\w+\}/g, () => (index++ === i ? bad : "1")));
      });
      const plain = apiPath.replace(/\{(?:\.\.\.)?\w+\}/g, "1");
      for (const key of query) targets.push(`${plain}?${key}=${bad}`);
    }
    for (const target of targets) {
      const res = await fetch(`${api.url}${target}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(method === "GET" || method === "DELETE" ? {} : { body: "{}" }),
      });
      const text = await res.text();
      if (res.status >= 500) throw new Error(`${method} ${target} → ${res.status} ${text.slice(0, 200)}`);
      if (names.length > 0 && !target.includes("?")) expect(res.status, target).toBe(400);
    }
  });
});
