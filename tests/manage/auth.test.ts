import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { POST as logout } from "@/app/api/manage/auth/logout/route";
import { GET as me } from "@/app/api/manage/auth/me/route";
import { PUT as changePassword } from "@/app/api/manage/auth/password/route";
import { GET as status } from "@/app/api/manage/status/route";
import { sessions } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { hashToken } from "@/lib/crypto/tokens";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

const database = useTestDatabase();
let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;

async function loginAs(email: string, password = DEMO_PASSWORD) {
  const res = await call(login, "POST", "/api/manage/auth/login", { body: { email, password }, ip: freshIp() });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

describe("POST /api/manage/auth/login", () => {
  it("returns a session token, its expiry and the instance exactly as documented", async () => {
    const res = await call(login, "POST", "/api/manage/auth/login", {
      body: { email: "admin@firma.de", password: DEMO_PASSWORD },
      ip: freshIp(),
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["expires_at", "instance", "token"]);
    expect(res.json.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const hours = (Date.parse(res.json.expires_at) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    expect(res.json.instance).toEqual({
      id: expect.any(Number),
      name: "acme",
      company_name: "Acme Corp",
      status: "online",
      status_label: "Online",
      pricing_tier: "standard",
      pricing_tier_label: "Standard",
      portal_url: "https://acme.portal.myit.center",
      meshcentral_url: "https://acme.remote.myit.center",
    });
  });

  it("stores only the hash of the session token", async () => {
    const token = await loginAs("admin@firma.de");
    const rows = await database.db().select().from(sessions).where(eq(sessions.tokenHash, hashToken(token)));
    expect(rows).toHaveLength(1);
    const all = await database.db().select({ h: sessions.tokenHash }).from(sessions);
    expect(all.some((r) => r.h === token)).toBe(false);
  });

  it("accepts the e-mail address in any case and with spaces", async () => {
    const res = await call(login, "POST", "/api/manage/auth/login", {
      body: { email: "  Admin@Firma.DE ", password: DEMO_PASSWORD },
      ip: freshIp(),
    });
    expect(res.status).toBe(200);
  });

  it("answers 401 with a German message for a wrong password and an unknown account alike", async () => {
    const wrong = await call(login, "POST", "/api/manage/auth/login", {
      body: { email: "admin@firma.de", password: "falsch-falsch" },
      ip: freshIp(),
    });
    const unknown = await call(login, "POST", "/api/manage/auth/login", {
      body: { email: "niemand@firma.de", password: "falsch-falsch" },
      ip: freshIp(),
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.message).toBe("Die E-Mail-Adresse oder das Passwort ist falsch.");
    expect(unknown.json).toEqual(wrong.json);
  });

  it.each([
    ["missing fields", {}, ["email", "password"]],
    ["wrong types", { email: 42, password: ["x"] }, ["email", "password"]],
    ["invalid e-mail", { email: "kein-at-zeichen", password: "x" }, ["email"]],
  ])("rejects %s with 422 naming the fields", async (_label, body, fields) => {
    const res = await call(login, "POST", "/api/manage/auth/login", { body, ip: freshIp() });
    expect(res.status).toBe(422);
    expect(Object.keys(res.json.errors).sort()).toEqual(fields);
    expect(typeof res.json.message).toBe("string");
  });

  it("rejects malformed JSON with 400 and a non-object body with 400", async () => {
    const malformed = await call(login, "POST", "/api/manage/auth/login", {
      rawBody: '{"email": "admin@firma.de",',
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.message).toMatch(/kein gültiges JSON/);
    const array = await call(login, "POST", "/api/manage/auth/login", { body: [1, 2] });
    expect(array.status).toBe(400);
  });

  it("rejects an oversize body with 413 before parsing it", async () => {
    const res = await call(login, "POST", "/api/manage/auth/login", {
      body: { email: "admin@firma.de", password: "x".repeat(200_000) },
    });
    expect(res.status).toBe(413);
    expect(res.json.message).toMatch(/zu groß/);
  });

  it("logs the login in the instance's activity log", async () => {
    const token = await loginAs("it@bergmann-logistik.de");
    const { GET: activity } = await import("@/app/api/manage/activity-log/route");
    const res = await call(activity, "GET", "/api/manage/activity-log?per_page=1", { token });
    expect(res.json.logs[0]).toMatchObject({ action: "manage.login", description: "Login über Manage-Portal", level: "info" });
  });
});

describe("session-protected endpoints", () => {
  it("GET /auth/me describes the user and instance", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(me, "GET", "/api/manage/auth/me", { token });
    expect(res.status).toBe(200);
    expect(res.json.user).toMatchObject({ email: "admin@firma.de", name: "Thomas Becker", staff: false });
    expect(res.json.user.permissions).toContain("host.power");
    expect(res.json.instance.name).toBe("acme");
    expect(JSON.stringify(res.json)).not.toMatch(/password|hash/i);
  });

  it("answers 401 without a token, with an unknown token and with a malformed header", async () => {
    expect((await call(me, "GET", "/api/manage/auth/me")).status).toBe(401);
    expect((await call(me, "GET", "/api/manage/auth/me", { token: "unbekannt" })).status).toBe(401);
    const malformed = await call(me, "GET", "/api/manage/auth/me", { headers: { authorization: "Basic abc" } });
    expect(malformed.status).toBe(401);
    expect(malformed.json.message).toMatch(/Bearer/);
  });

  it("answers 401 for an expired session", async () => {
    const token = await loginAs("admin@firma.de");
    await database.db().update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.tokenHash, hashToken(token)));
    const res = await call(status, "GET", "/api/manage/status", { token });
    expect(res.status).toBe(401);
  });

  it("POST /auth/logout revokes the session at once", async () => {
    const token = await loginAs("admin@firma.de");
    expect((await call(logout, "POST", "/api/manage/auth/logout", { token })).status).toBe(200);
    expect((await call(me, "GET", "/api/manage/auth/me", { token })).status).toBe(401);
  });
});

describe("PUT /api/manage/auth/password", () => {
  it("changes the password, ends the other sessions and keeps the current one", async () => {
    const email = "it@bergmann-logistik.de";
    const current = await loginAs(email);
    const other = await loginAs(email);
    const res = await call(changePassword, "PUT", "/api/manage/auth/password", {
      token: current,
      body: { current_password: DEMO_PASSWORD, password: "neues-passwort-1", password_confirmation: "neues-passwort-1" },
    });
    expect(res.status).toBe(200);
    expect((await call(me, "GET", "/api/manage/auth/me", { token: current })).status).toBe(200);
    expect((await call(me, "GET", "/api/manage/auth/me", { token: other })).status).toBe(401);
    const old = await call(login, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: freshIp() });
    expect(old.status).toBe(401);
    await loginAs(email, "neues-passwort-1");
  });

  it("refuses a wrong current password, a short password and a mismatch with 422 per field", async () => {
    const token = await loginAs("admin@firma.de");
    const wrong = await call(changePassword, "PUT", "/api/manage/auth/password", {
      token,
      body: { current_password: "falsch", password: "abcdefgh1", password_confirmation: "abcdefgh1" },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors.current_password[0]).toBe("Das aktuelle Passwort ist falsch.");
    const short = await call(changePassword, "PUT", "/api/manage/auth/password", {
      token,
      body: { current_password: DEMO_PASSWORD, password: "kurz", password_confirmation: "kurz" },
    });
    expect(short.status).toBe(422);
    expect(short.json.errors.password[0]).toBe("Das Passwort muss mindestens 8 Zeichen lang sein.");
    const mismatch = await call(changePassword, "PUT", "/api/manage/auth/password", {
      token,
      body: { current_password: DEMO_PASSWORD, password: "abcdefgh1", password_confirmation: "abcdefgh2" },
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.json.errors.password_confirmation[0]).toBe("Die Passwörter stimmen nicht überein.");
    await loginAs("admin@firma.de");
  });
});
