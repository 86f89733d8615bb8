/**
 * Issue 11, "Read-only customer view": while an MSP staff member views a
 * customer, every write of every API is refused with 403, the staff
 * invoicing routes included. The table is every route file under app/api:
 * a new route is checked without being listed here; only the exemptions
 * below (with their reason) are not.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "@/db/seed";
import { sessionCookieName } from "@/lib/auth/browser-session";
import { authOptions } from "@/lib/auth/next-auth";
import { config } from "@/lib/config";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

useTestDatabase();

const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;

/** Route (relative to app/api) and method → why it may run during the customer view. */
const EXEMPT: Record<string, string> = {
  "manage/admin/impersonation POST": "starts or switches the read-only view itself",
  "manage/admin/impersonation DELETE": "ends the view",
  "manage/auth/logout POST": "ends the session and with it the view",
  "v1/auth/logout POST": "ends the session and with it the view",
};

/** Routes that do not act for a signed-in caller (no session is used): login, reset, unknown paths. */
const UNAUTHENTICATED = new Set([
  "auth/[...nextauth]",
  "manage/[...path]",
  "v1/[...path]",
  "manage/auth/login",
  "manage/auth/forgot-password",
  "manage/auth/reset-password",
  "manage/auth/passkey-options",
  "v1/auth/login",
  "v1/auth/refresh",
  "v1/auth/2fa/verify",
  "dev/outbox",
]);

function routeFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full, base);
    return name === "route.ts" ? [path.relative(base, dir)] : [];
  });
}

const API_DIR = path.join(process.cwd(), "app", "api");
const routes = routeFiles(API_DIR).sort();

function paramsFor(route: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, name] of route.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)) {
    params[name] = name === "action" ? "reboot" : name === "key" ? "basic" : name === "id" && route.startsWith("v1/") ? "1" : "1";
  }
  return params;
}

let cookie = "";
const origin = new URL(config().APP_URL).origin;

beforeAll(async () => {
  const provider = authOptions().providers[0] as unknown as {
    options: { authorize: (c: Record<string, string>, req: unknown) => Promise<{ sessionToken: string } | null> };
  };
  const user = await provider.options.authorize({ email: "msp-admin@myit.center", password: DEMO_PASSWORD }, { headers: { "x-forwarded-for": "198.19.0.9" } });
  const jwt = await encode({ token: { sub: "msp-admin@myit.center", sessionToken: user!.sessionToken }, secret: config().AUTH_SECRET });
  cookie = `${sessionCookieName()}=${jwt}`;
  const { POST: start } = await import("@/app/api/manage/admin/impersonation/route");
  const started = await call(start as never, "POST", "/api/manage/admin/impersonation", { body: { instance_id: 1 }, headers: { cookie, origin } });
  expect(started.status).toBe(200);
});

describe("read-only customer view: every write of every API is refused", () => {
  it("finds the route files", () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes).toContain("manage/admin/invoices/[id]/issue");
  });

  it.each(routes.filter((r) => !UNAUTHENTICATED.has(r)))("%s", async (route) => {
    const mod = (await import(path.join(API_DIR, route, "route.ts"))) as Record<string, unknown>;
    const checked: string[] = [];
    for (const method of WRITE_METHODS) {
      const handler = mod[method];
      if (typeof handler !== "function" || EXEMPT[`${route} ${method}`]) continue;
      const url = `/api/${route.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, name: string) => paramsFor(route)[name])}`;
      const res = await call(handler as never, method, url, { body: {}, headers: { cookie, origin }, params: paramsFor(route) });
      expect({ method, status: res.status, readOnly: res.json?.read_only ?? res.json?.detail?.read_only }).toEqual({ method, status: 403, readOnly: true });
      checked.push(method);
    }
    if (checked.length === 0) {
      // Only GET (or exempt) routes: the read-only view must not break reading.
      expect(Object.keys(mod).some((k) => k === "GET" || EXEMPT[`${route} ${k}`])).toBe(true);
    }
  });

  it("still ends the view", async () => {
    const { DELETE: stop } = await import("@/app/api/manage/admin/impersonation/route");
    const res = await call(stop as never, "DELETE", "/api/manage/admin/impersonation", { headers: { cookie, origin } });
    expect(res.status).toBe(200);
  });
});
