/**
 * Issue 11 over real HTTP: the production build (`npm start`'s server) on
 * PostgreSQL, one app process, APP_URL on https as in production.
 * Run with `npm run test:scale` after `next build` (NEXT_DIST_DIR for another folder).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "@/db/seed";
import { request, startProdStack, type ProdStack } from "./harness";

let stack: ProdStack;
let base = "";

beforeAll(async () => {
  stack = await startProdStack({ apps: 1, env: { APP_URL: "https://portal.example.test" } });
  base = stack.apps[0].url;
});

afterAll(async () => {
  await stack?.stop();
});

async function manageToken(email: string, from: string) {
  const res = await request(base, "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, from });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

describe("production: no development doors", () => {
  it("answers /dev/postausgang and /api/dev/outbox with 404", async () => {
    expect((await request(base, "/dev/postausgang", { from: "127.0.0.31" })).status).toBe(404);
    expect((await request(base, "/api/dev/outbox", { from: "127.0.0.31" })).status).toBe(404);
  });
});

describe("headers", () => {
  it("sends HSTS (APP_URL is https), a nonce CSP without unsafe-inline scripts and no-store on pages", async () => {
    const page = await request(base, "/login", { from: "127.0.0.32" });
    expect(page.status).toBe(200);
    expect(page.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    const csp = String(page.headers["content-security-policy"]);
    const scriptSrc = /script-src ([^;]+)/.exec(csp)![1];
    expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(scriptSrc).not.toContain("unsafe-inline");
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1];
    // Every script tag Next rendered carries this request's nonce.
    const scripts = [...page.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(String(page.headers["cache-control"])).toContain("no-store");
    // A second request gets a different nonce.
    const again = await request(base, "/login", { from: "127.0.0.32" });
    expect(String(again.headers["content-security-policy"])).not.toContain(nonce);
  });

  it("sends Cache-Control: no-store and HSTS on authenticated API answers", async () => {
    const token = await manageToken("admin@firma.de", "127.0.0.33");
    const me = await request(base, "/api/manage/auth/me", { headers: { authorization: `Bearer ${token}` }, from: "127.0.0.33" });
    expect(me.status).toBe(200);
    expect(me.headers["cache-control"]).toBe("no-store");
    expect(me.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
  });

  it("answers a wrong method with 405 in the family's JSON error shape", async () => {
    const v1 = await request(base, "/api/v1/auth/login", { method: "PATCH", from: "127.0.0.34" });
    expect(v1.status).toBe(405);
    expect(v1.json.detail.error).toBe("method_not_allowed");
    const manage = await request(base, "/api/manage/auth/login", { method: "DELETE", from: "127.0.0.34" });
    expect(manage.status).toBe(405);
    expect(manage.json.message).toMatch(/nicht erlaubt/);
  });
});

describe("login limits over HTTP on PostgreSQL", () => {
  it("admits exactly 5 of 20 parallel wrong logins of one account from one address", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(base, "/api/manage/auth/login", { body: { email: "it@bergmann-logistik.de", password: "falsch-falsch" }, from: "127.0.0.40" }),
      ),
    );
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(15);
    // The account limit holds at API v1 too, from another address, even with the right password.
    const v1 = await request(base, "/api/v1/auth/login", { body: { email: "it@bergmann-logistik.de", password: DEMO_PASSWORD }, from: "127.0.0.41" });
    expect(v1.status).toBe(429);
    expect(Number(v1.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("lets 12 parallel correct logins of one account all in", async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        request(base, "/api/manage/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, from: "127.0.0.42" }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
  });
});

describe("bad input is never a 500", () => {
  it("answers a NUL byte in the invoice search with 422", async () => {
    const token = await manageToken("msp-admin@myit.center", "127.0.0.50");
    const res = await request(base, `/api/manage/admin/invoices?search=${encodeURIComponent("a\u0000b")}`, {
      headers: { authorization: `Bearer ${token}` },
      from: "127.0.0.50",
    });
    expect(res.status).toBe(422);
  });
});
