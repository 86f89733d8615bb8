/**
 * Re-authentication ("sudo mode"): sensitive account changes need a password
 * (or passkey) confirmed by this login session within 10 minutes. A login
 * counts; an older session gets 403 `reauthentication_required` until it
 * confirms the password once, limited like every other password check.
 */
import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { POST as manageReauth } from "@/app/api/manage/auth/reauthenticate/route";
import { POST as createKey } from "@/app/api/v1/auth/api-keys/route";
import { DELETE as revokeKey } from "@/app/api/v1/auth/api-keys/[id]/route";
import { POST as passkeyOptions } from "@/app/api/v1/auth/passkeys/options/route";
import { POST as v1Reauth } from "@/app/api/v1/auth/reauthenticate/route";
import { POST as createWebhook } from "@/app/api/v1/webhooks/route";
import { DELETE as deleteWebhook } from "@/app/api/v1/webhooks/[id]/route";
import { sessions, tokenFamilies } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { resetConfigForTests } from "@/lib/config";
import { hashToken } from "@/lib/crypto/tokens";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { setTwoFactor, uniqueIp, v1Login } from "../v1/helpers";

const database = useTestDatabase();

beforeAll(async () => {
  process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = "true";
  resetConfigForTests();
  await setTwoFactor("admin@firma.de", false);
  await setTwoFactor("it@bergmann-logistik.de", false);
});

/** A v1 login whose password confirmation is 11 minutes old. */
async function staleLogin(email = "admin@firma.de") {
  const tokens = await v1Login(email);
  const sid = decodeJwt(tokens.access_token).sid as string;
  await database.db().update(tokenFamilies).set({ reauthenticatedAt: new Date(Date.now() - 11 * 60_000) }).where(eq(tokenFamilies.id, sid));
  return tokens.access_token;
}

const newKey = (token: string) => call(createKey, "POST", "/api/v1/auth/api-keys", { token, body: { name: "Skript", scope: "read_write" } });

describe("sudo mode in API v1", () => {
  it("a fresh login may make sensitive changes at once (the login confirmed the password)", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    expect((await newKey(access_token)).status).toBe(201);
  });

  it("refuses API keys, passkeys and webhooks with 403 reauthentication_required once the confirmation is older than 10 minutes", async () => {
    const token = await staleLogin();
    const refused = [
      await newKey(token),
      await call(revokeKey, "DELETE", "/api/v1/auth/api-keys/00000000-0000-4000-8000-000000000000", { token, params: { id: "00000000-0000-4000-8000-000000000000" } }),
      await call(passkeyOptions, "POST", "/api/v1/auth/passkeys/options", { token }),
      await call(createWebhook, "POST", "/api/v1/webhooks", { token, body: { url: "http://127.0.0.1:9/hook", events: ["invoice.issued"] } }),
      await call(deleteWebhook, "DELETE", "/api/v1/webhooks/00000000-0000-4000-8000-000000000000", { token, params: { id: "00000000-0000-4000-8000-000000000000" } }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.json.detail).toMatchObject({ error: "reauthentication_required", reauthentication_required: true });
      expect(res.json.detail.message).toMatch(/Passwort/);
    }
  });

  it("confirming the password once (POST /auth/reauthenticate) lets the change through for 10 minutes", async () => {
    const token = await staleLogin();
    const wrong = await call(v1Reauth, "POST", "/api/v1/auth/reauthenticate", { token, body: { password: "falsch-falsch" }, ip: uniqueIp() });
    expect(wrong.status).toBe(422);
    expect(wrong.json.detail.errors.password).toEqual(["Das Passwort ist falsch."]);
    expect((await newKey(token)).status).toBe(403);

    const ok = await call(v1Reauth, "POST", "/api/v1/auth/reauthenticate", { token, body: { password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(ok.status).toBe(200);
    const until = Date.parse(ok.json.reauthenticated_until);
    expect(until - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(10 * 60_000 + 2000);
    const created = await newKey(token);
    expect(created.status).toBe(201);
    const revoked = await call(revokeKey, "DELETE", `/api/v1/auth/api-keys/${created.json.id}`, { token, params: { id: created.json.id } });
    expect(revoked.status).toBe(200);
  });

  it("the confirmation belongs to one login session, not to the account", async () => {
    const first = await staleLogin();
    const second = await staleLogin();
    expect((await call(v1Reauth, "POST", "/api/v1/auth/reauthenticate", { token: first, body: { password: DEMO_PASSWORD }, ip: uniqueIp() })).status).toBe(200);
    expect((await newKey(first)).status).toBe(201);
    expect((await newKey(second)).status).toBe(403);
  });

  it("limits wrong passwords per account: the sixth try within 5 minutes is 429, even with the right password", async () => {
    const token = await staleLogin("it@bergmann-logistik.de");
    for (let i = 0; i < 5; i++) {
      const res = await call(v1Reauth, "POST", "/api/v1/auth/reauthenticate", { token, body: { password: `falsch-${i}` }, ip: uniqueIp() });
      expect(res.status).toBe(422);
    }
    const blocked = await call(v1Reauth, "POST", "/api/v1/auth/reauthenticate", { token, body: { password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("an API key cannot confirm, cannot manage API keys, but may manage webhooks (automation)", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const key = (await newKey(access_token)).json.token as string;
    expect((await call(v1Reauth, "POST", "/api/v1/auth/reauthenticate", { token: key, body: { password: DEMO_PASSWORD } })).status).toBe(403);
    const byKey = await newKey(key);
    expect(byKey.status).toBe(403);
    expect(byKey.json.detail.error).toBe("forbidden");
    const hook = await call(createWebhook, "POST", "/api/v1/webhooks", { token: key, body: { url: "http://127.0.0.1:9/hook", events: ["invoice.issued"] } });
    expect(hook.status).toBe(201);
  });
});

describe("sudo mode in the manage API", () => {
  it("POST /api/manage/auth/reauthenticate renews the session's confirmation; a wrong password is 422", async () => {
    const login = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(login.status).toBe(200);
    const token = login.json.token as string;
    const [session] = await database.db().select().from(sessions).where(eq(sessions.tokenHash, hashToken(token)));
    expect(session.reauthenticatedAt).not.toBeNull();
    const old = new Date(Date.now() - 11 * 60_000);
    await database.db().update(sessions).set({ reauthenticatedAt: old }).where(eq(sessions.id, session.id));

    const wrong = await call(manageReauth, "POST", "/api/manage/auth/reauthenticate", { token, body: { password: "falsch-falsch" }, ip: uniqueIp() });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors.password).toEqual(["Das Passwort ist falsch."]);
    const ok = await call(manageReauth, "POST", "/api/manage/auth/reauthenticate", { token, body: { password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(ok.status).toBe(200);
    expect(ok.json.reauthenticated_until).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const [after] = await database.db().select().from(sessions).where(eq(sessions.id, session.id));
    expect(after.reauthenticatedAt!.getTime()).toBeGreaterThan(old.getTime() + 60_000);
  });
});
