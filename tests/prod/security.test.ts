/**
 * Issue 11 over real HTTP: the production build (`npm start`'s server) on
 * PostgreSQL, one app process, APP_URL on https as in production.
 * Run with `npm run test:scale` after `next build` (NEXT_DIST_DIR for another folder).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "@/db/seed";
import postgres from "postgres";
import { adminDatabaseUrl, request, startProdStack, waitFor, type ProdStack } from "./harness";

let stack: ProdStack;
let base = "";

beforeAll(async () => {
  stack = await startProdStack({ apps: 1, worker: true, env: { APP_URL: "https://portal.example.test" } });
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
    // RFC 9110: a 405 names the methods the resource has (Next's own OPTIONS answer gives the same list).
    expect(v1.headers.allow).toBe("OPTIONS, POST");
    expect(manage.headers.allow).toBe("OPTIONS, POST");
    const invoice = await request(base, "/api/v1/invoices/1", { method: "POST", from: "127.0.0.34" });
    expect(invoice.status).toBe(405);
    expect(invoice.headers.allow).toBe("GET, HEAD, OPTIONS");
    const options = await request(base, "/api/v1/invoices/1", { method: "OPTIONS", from: "127.0.0.34" });
    expect(options.headers.allow).toBe(invoice.headers.allow);
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

describe("limits on every password check, per account", () => {
  it("limits wrong current passwords of a password change per account, whatever the address", async () => {
    const token = await manageToken("support@myit.center", "127.0.0.60");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await request(base, "/api/manage/auth/password", {
        method: "PUT",
        headers: { authorization: `Bearer ${token}` },
        body: { current_password: `falsch-${i}-falsch`, password: "ein-neues-passwort-1", password_confirmation: "ein-neues-passwort-1" },
        from: `127.0.0.${61 + i}`,
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5).every((s) => s === 422 || s === 401)).toBe(true);
    expect(statuses[5]).toBe(429);
  });
});

describe("credentials die with the password", () => {
  it("a reset voids the other reset link and revokes the account's API keys", async () => {
    const email = "info@nordlicht-design.de";
    const v1 = await request(base, "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, from: "127.0.0.70" });
    expect(v1.status).toBe(200);
    const key = await request(base, "/api/v1/auth/api-keys", {
      body: { name: "skript", scope: "read_write" },
      headers: { authorization: `Bearer ${v1.json.access_token}` },
      from: "127.0.0.70",
    });
    expect(key.status).toBe(201);
    const pat = key.json.token as string;
    expect((await request(base, "/api/v1/auth/me", { headers: { authorization: `Bearer ${pat}` }, from: "127.0.0.70" })).status).toBe(200);

    for (const from of ["127.0.0.71", "127.0.0.72"]) {
      expect((await request(base, "/api/manage/auth/forgot-password", { body: { email }, from })).status).toBe(200);
    }
    // The links reach the recipient only through the mail provider (the Resend stand-in);
    // the outbox keeps a redacted copy (lib/mail/secrets.ts), in production without any token.
    const delivered = await waitFor("both reset mails delivered", async () => {
      const mails = stack.resend.mails.filter((m) => m.to.includes(email) && m.subject.startsWith("Passwort zurücksetzen"));
      return mails.length >= 2 ? mails : undefined;
    });
    const tokens = delivered.map((m) => decodeURIComponent(/token=([^&\s]+)/.exec(m.text ?? "")![1]));
    expect(tokens).toHaveLength(2);
    const stored = await stack.sql<{ text: string }[]>`select text from mail_outbox where "to" = ${email} and subject like 'Passwort zurücksetzen%'`;
    expect(stored).toHaveLength(2);
    for (const row of stored) expect(row.text).not.toContain("token=");

    const reset = await request(base, "/api/manage/auth/reset-password", {
      body: { email, token: tokens[1], password: "neues-passwort-123", password_confirmation: "neues-passwort-123" },
      from: "127.0.0.73",
    });
    expect(reset.status).toBe(200);
    const older = await request(base, "/api/manage/auth/reset-password", {
      body: { email, token: tokens[0], password: "fremdes-passwort-1", password_confirmation: "fremdes-passwort-1" },
      from: "127.0.0.74",
    });
    expect(older.status).toBeGreaterThanOrEqual(400);
    expect(older.status).toBeLessThan(500);
    expect((await request(base, "/api/v1/auth/me", { headers: { authorization: `Bearer ${pat}` }, from: "127.0.0.70" })).status).toBe(401);
    const security = await stack.sql`select 1 from mail_outbox where "to" = ${email} and subject like '%Passwort wurde geändert%'`;
    expect(security.length).toBe(1);
  });
});

describe("read-only customer view over HTTP", () => {
  it("refuses a staff write while viewing a customer, and allows it again after ending the view", async () => {
    const token = await manageToken("msp-admin@myit.center", "127.0.0.80");
    const auth = { authorization: `Bearer ${token}` };
    const [acme] = await stack.sql<{ id: number }[]>`select id from instances where name = 'acme'`;
    expect((await request(base, "/api/manage/admin/impersonation", { body: { instance_id: acme!.id }, headers: auth, from: "127.0.0.80" })).status).toBe(200);
    const write = await request(base, `/api/manage/admin/instances/${acme!.id}/suspend`, { body: { reason: "Test" }, headers: auth, from: "127.0.0.80" });
    expect(write.status).toBe(403);
    expect(write.json.read_only).toBe(true);
    expect((await request(base, "/api/manage/admin/impersonation", { method: "DELETE", headers: auth, from: "127.0.0.80" })).status).toBe(200);
    const [row] = await stack.sql<{ suspended: boolean }[]>`select suspended from instances where id = ${acme!.id}`;
    expect(row!.suspended).toBe(false);
  });
});

describe("a database outage is not a logout", () => {
  it("answers 503 with Retry-After in each family's shape while PostgreSQL refuses connections, then serves again", async () => {
    const v1 = await request(base, "/api/v1/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, from: "127.0.0.90" });
    const manage = await manageToken("admin@firma.de", "127.0.0.91");
    const dbName = new URL(stack.databaseUrl).pathname.slice(1);
    const admin = postgres(await adminDatabaseUrl(), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`alter database "${dbName}" allow_connections false`);
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`;
      const v1Res = await request(base, "/api/v1/auth/me", { headers: { authorization: `Bearer ${v1.json.access_token}` }, from: "127.0.0.90" });
      expect(v1Res.status).toBe(503);
      expect(Number(v1Res.headers["retry-after"])).toBeGreaterThan(0);
      expect(v1Res.json.detail.error).toBeTruthy();
      const manageRes = await request(base, "/api/manage/status", { headers: { authorization: `Bearer ${manage}` }, from: "127.0.0.91" });
      expect(manageRes.status).toBe(503);
      expect(typeof manageRes.json.message).toBe("string");
    } finally {
      await admin.unsafe(`alter database "${dbName}" allow_connections true`);
      await admin.end();
    }
    // The client's tokens still work once the database is back.
    const back = await waitFor("v1 after the outage", async () => {
      const res = await request(base, "/api/v1/auth/me", { headers: { authorization: `Bearer ${v1.json.access_token}` }, from: "127.0.0.90" });
      return res.status === 200 ? res : undefined;
    });
    expect(back.status).toBe(200);
  });
});
