/**
 * Two factors by rule: with STAFF_REQUIRE_SECOND_FACTOR every MSP staff
 * account needs an authenticator app or a passkey; a customer admin can
 * require the same for the instance's users. Without one, a sign-in still
 * works but only the set-up (and /auth/me, logout) is reachable.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { GET as manageMe } from "@/app/api/manage/auth/me/route";
import { GET as ruleGet, PUT as rulePut } from "@/app/api/manage/second-factor-rule/route";
import { GET as status } from "@/app/api/manage/status/route";
import { GET as v1Me } from "@/app/api/v1/auth/me/route";
import { POST as totpSetup } from "@/app/api/v1/auth/2fa/totp/route";
import { GET as tenants } from "@/app/api/v1/tenants/route";
import { activityLog, instances, sessions, users, userTotp } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { resetConfigForTests } from "@/lib/config";
import { hashToken } from "@/lib/crypto/tokens";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { setTwoFactor, uniqueIp, v1Login } from "../v1/helpers";

const database = useTestDatabase();

async function userId(email: string) {
  const [row] = await database.db().select({ id: users.id }).from(users).where(eq(users.email, email));
  return row.id;
}
async function giveApp(email: string) {
  await database.db().insert(userTotp).values({ userId: await userId(email), secretEncrypted: "sealed", confirmedAt: new Date() })
    .onConflictDoUpdate({ target: userTotp.userId, set: { confirmedAt: new Date() } });
}
async function manageToken(email: string) {
  const res = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
  expect(res.status).toBe(200);
  expect(res.json.token, JSON.stringify(res.json)).toBeTypeOf("string");
  return res.json.token as string;
}

beforeAll(async () => {
  for (const email of ["admin@firma.de", "msp-admin@myit.center", "support@myit.center"]) await setTwoFactor(email, false);
});

describe("staff must use an app or a passkey (STAFF_REQUIRE_SECOND_FACTOR)", () => {
  beforeAll(() => {
    process.env.STAFF_REQUIRE_SECOND_FACTOR = "true";
    resetConfigForTests();
  });
  afterAll(() => {
    delete process.env.STAFF_REQUIRE_SECOND_FACTOR;
    resetConfigForTests();
  });

  it("lets a staff member without one sign in, but reach only the set-up, /auth/me and logout", async () => {
    const { access_token } = await v1Login("support@myit.center");
    const refused = await call(tenants, "GET", "/api/v1/tenants", { token: access_token });
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toMatchObject({ error: "second_factor_setup_required", setup_path: "/zweiter-faktor" });
    expect(refused.json.detail.message).toMatch(/Authenticator-App oder ein Passkey/);
    expect((await call(v1Me, "GET", "/api/v1/auth/me", { token: access_token })).status).toBe(200);
    const setup = await call(totpSetup, "POST", "/api/v1/auth/2fa/totp", { token: access_token, body: { password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(setup.status).toBe(200);
    expect(setup.json.secret ?? setup.json.otpauth_url).toBeTruthy();

    await giveApp("support@myit.center");
    expect((await call(tenants, "GET", "/api/v1/tenants", { token: access_token })).status).toBe(200);
  });

  it("applies to the manage API too, and not to customers", async () => {
    const staff = await manageToken("msp-admin@myit.center");
    const refused = await call(status, "GET", "/api/manage/status", { token: staff });
    expect(refused.status, JSON.stringify(refused.json)).toBe(403);
    expect(refused.json).toMatchObject({ second_factor_setup_required: true });
    expect((await call(manageMe, "GET", "/api/manage/auth/me", { token: staff })).status).toBe(200);
    const customer = await manageToken("admin@firma.de");
    expect((await call(status, "GET", "/api/manage/status", { token: customer })).status).toBe(200);
  });
});

describe("a customer admin requires an app or a passkey for the instance's users", () => {
  it("is off by default, needs user.manage and a recent password, then leads the instance's users to the set-up", async () => {
    const admin = await manageToken("admin@firma.de");
    expect((await call(ruleGet, "GET", "/api/manage/second-factor-rule", { token: admin })).json).toEqual({ require_two_factor: false });
    // MSP staff are not affected by the customer's rule (and the staff rule is off outside production).
    const staff = (await v1Login("msp-admin@myit.center")).access_token;

    // A session whose password confirmation is older than 10 minutes must confirm first.
    await database.db().update(sessions).set({ reauthenticatedAt: new Date(Date.now() - 11 * 60_000) }).where(eq(sessions.tokenHash, hashToken(admin)));
    const stale = await call(rulePut, "PUT", "/api/manage/second-factor-rule", { token: admin, body: { required: true } });
    expect(stale.status).toBe(403);
    expect(stale.json.reauthentication_required).toBe(true);
    await database.db().update(sessions).set({ reauthenticatedAt: new Date() }).where(eq(sessions.tokenHash, hashToken(admin)));

    const bad = await call(rulePut, "PUT", "/api/manage/second-factor-rule", { token: admin, body: { required: "ja" } });
    expect(bad.status).toBe(422);
    const on = await call(rulePut, "PUT", "/api/manage/second-factor-rule", { token: admin, body: { required: true } });
    expect(on.status).toBe(200);
    expect(on.json).toEqual({ require_two_factor: true });
    const [acme] = await database.db().select().from(instances).where(eq(instances.name, "acme"));
    expect(acme.requireTwoFactor).toBe(true);
    const [entry] = await database.db().select().from(activityLog).where(eq(activityLog.action, "auth.second_factor_rule"));
    expect(entry.instanceId).toBe(acme.id);

    // The admin has neither app nor passkey: from now on only the set-up.
    const refused = await call(status, "GET", "/api/manage/status", { token: admin });
    expect(refused.status).toBe(403);
    expect(refused.json.second_factor_setup_required).toBe(true);
    const v1 = await v1Login("admin@firma.de");
    expect((await call(tenants, "GET", "/api/v1/tenants", { token: v1.access_token })).json.detail.error).toBe("second_factor_setup_required");
    expect((await call(tenants, "GET", "/api/v1/tenants", { token: staff })).status).toBe(200);

    await giveApp("admin@firma.de");
    expect((await call(status, "GET", "/api/manage/status", { token: admin })).status).toBe(200);
    const off = await call(rulePut, "PUT", "/api/manage/second-factor-rule", { token: admin, body: { required: false } });
    expect(off.json).toEqual({ require_two_factor: false });
  });
});
