/**
 * Issue 11, "Credentials die with the password": a reset or change ends every
 * other reset/invitation link, a reset also ends the personal access tokens,
 * a change ends them on request and says how many remain, the security mail
 * goes out; a JWT issued in the future is refused.
 */
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { PUT as changePasswordRoute } from "@/app/api/manage/auth/password/route";
import { POST as resetRoute } from "@/app/api/manage/auth/reset-password/route";
import { POST as createKeyRoute } from "@/app/api/v1/auth/api-keys/route";
import { GET as v1MeRoute } from "@/app/api/v1/auth/me/route";
import { apiKeys, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { signJwt } from "@/lib/auth/jwt";
import { issuePasswordToken } from "@/lib/auth/passwords-flow";
import { readOutbox } from "@/lib/mail";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { uniqueIp, v1Login } from "../v1/helpers";

const database = useTestDatabase();

async function userByEmail(email: string) {
  const [user] = await database.db().select().from(users).where(eq(users.email, email));
  return user;
}

async function createPat(accessToken: string, name: string) {
  const res = await call(createKeyRoute, "POST", "/api/v1/auth/api-keys", { token: accessToken, body: { name, scope: "read_write" }, ip: uniqueIp() });
  expect(res.status).toBe(201);
  return res.json.token as string;
}

async function livePats(userId: string) {
  return database.db().select().from(apiKeys).where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)));
}

function reset(email: string, token: string, password: string, ip = uniqueIp()) {
  return call(resetRoute, "POST", "/api/manage/auth/reset-password", { body: { email, token, password, password_confirmation: password }, ip });
}

describe("a password reset", () => {
  it("invalidates every other outstanding reset and invitation link, revokes the PATs and mails a security notice", async () => {
    const email = "admin@firma.de";
    const user = await userByEmail(email);
    const pat = await createPat((await v1Login(email)).access_token, "CI-Skript");
    const older = await issuePasswordToken(user.id, "reset", 60);
    const invite = await issuePasswordToken(user.id, "invite", 60);
    const newer = await issuePasswordToken(user.id, "reset", 60);

    const ok = await reset(email, newer, "neues-passwort-1", "198.51.100.44");
    expect(ok.status).toBe(200);
    expect(ok.json.api_keys_revoked).toBe(1);
    expect(ok.json.message).toMatch(/1 API-Schlüssel widerrufen/);

    // The older link and the invitation no longer set a password.
    expect((await reset(email, older, "boese-passwort-1")).status).toBe(422);
    expect((await reset(email, invite, "boese-passwort-2")).status).toBe(422);
    const login = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email, password: "neues-passwort-1" }, ip: uniqueIp() });
    expect(login.status).toBe(200);

    // The PAT is dead.
    expect(await livePats(user.id)).toHaveLength(0);
    expect((await call(v1MeRoute, "GET", "/api/v1/auth/me", { token: pat })).status).toBe(401);

    const [mail] = await readOutbox(email, 1);
    expect(mail.subject).toBe("Ihr Passwort wurde geändert – Manage-Portal");
    expect(mail.text).toMatch(/198\.51\.100\.44/);
    expect(mail.text).toMatch(/\d{1,2}\. \p{L}+ \d{4}/u);
    expect(mail.text).toMatch(/API-Schlüssel .* widerrufen/);
  });
});

describe("a password change", () => {
  async function session(email: string, password = DEMO_PASSWORD) {
    const res = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email, password }, ip: uniqueIp() });
    expect(res.status).toBe(200);
    return res.json.token as string;
  }
  const change = (token: string, current: string, next: string, extra: Record<string, unknown> = {}, ip = uniqueIp()) =>
    call(changePasswordRoute, "PUT", "/api/manage/auth/password", {
      token,
      body: { current_password: current, password: next, password_confirmation: next, ...extra },
      ip,
    });

  it("keeps the PATs unless asked, says how many remain, and kills outstanding reset links", async () => {
    const email = "it@bergmann-logistik.de";
    const user = await userByEmail(email);
    const pat = await createPat((await v1Login(email)).access_token, "Monitoring");
    const link = await issuePasswordToken(user.id, "reset", 60);

    const kept = await change(await session(email), DEMO_PASSWORD, "zweites-passwort-1", {}, "198.51.100.45");
    expect(kept.status).toBe(200);
    expect(kept.json).toMatchObject({ api_keys_revoked: 0, api_keys_remaining: 1 });
    expect(kept.json.message).toMatch(/1 API-Schlüssel bleibt gültig/);
    expect((await call(v1MeRoute, "GET", "/api/v1/auth/me", { token: pat })).status).toBe(200);
    const [mail] = await readOutbox(email, 1);
    expect(mail.subject).toBe("Ihr Passwort wurde geändert – Manage-Portal");
    expect(mail.text).toMatch(/198\.51\.100\.45/);
    expect(mail.text).toMatch(/1 API-Schlüssel bleibt gültig/);

    // The reset link issued before the change is dead.
    expect((await reset(email, link, "boese-passwort-3")).status).toBe(422);

    const revoked = await change(await session(email, "zweites-passwort-1"), "zweites-passwort-1", "drittes-passwort-1", { revoke_api_keys: true });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ api_keys_revoked: 1, api_keys_remaining: 0 });
    expect((await call(v1MeRoute, "GET", "/api/v1/auth/me", { token: pat })).status).toBe(401);
  });

  it("refuses a non-boolean revoke_api_keys with 422", async () => {
    const email = "msp-admin@myit.center";
    const res = await change(await session(email), DEMO_PASSWORD, "egal-egal-1", { revoke_api_keys: "ja" });
    expect(res.status).toBe(422);
  });
});

describe("JWT issue time", () => {
  it("refuses an access token issued beyond the clock tolerance in the future, accepts one within it", async () => {
    const email = "support@myit.center";
    const pair = await v1Login(email);
    const claims = JSON.parse(Buffer.from(pair.access_token.split(".")[1], "base64url").toString());
    const forge = (skewSeconds: number) =>
      signJwt({ sub: claims.sub, tenant_id: claims.tenant_id, tenant_scope: claims.tenant_scope, sid: claims.sid }, "access", 3600, {
        now: Date.now() + skewSeconds * 1000,
      });
    const future = await call(v1MeRoute, "GET", "/api/v1/auth/me", { token: await forge(600) });
    expect(future.status).toBe(401);
    expect(future.json.detail.error).toBe("invalid_token");
    const withinTolerance = await call(v1MeRoute, "GET", "/api/v1/auth/me", { token: await forge(10) });
    expect(withinTolerance.status).toBe(200);
  });
});
