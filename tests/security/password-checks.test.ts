/**
 * Every password check behind a signed-in session is limited per account and
 * per address (5 per 5 minutes, like a password change): new recovery codes,
 * switching the authenticator app off, and setting it up — which asks for the
 * password at all, so an open session alone cannot add a second factor.
 */
import { describe, expect, it } from "vitest";
import { POST as recoveryCodes } from "@/app/api/v1/auth/2fa/recovery-codes/route";
import { DELETE as totpDelete, POST as totpStart } from "@/app/api/v1/auth/2fa/totp/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { uniqueIp, v1Login } from "../v1/helpers";

useTestDatabase();

const cases = [
  ["POST /api/v1/auth/2fa/recovery-codes", recoveryCodes, "POST", "it@bergmann-logistik.de", "/api/v1/auth/2fa/recovery-codes"],
  ["DELETE /api/v1/auth/2fa/totp", totpDelete, "DELETE", "admin@firma.de", "/api/v1/auth/2fa/totp"],
  ["POST /api/v1/auth/2fa/totp", totpStart, "POST", "support@myit.center", "/api/v1/auth/2fa/totp"],
] as const;

describe("password checks of security settings are limited", () => {
  it.each(cases)("%s: 20 wrong passwords end in 429, also from changing addresses", async (_, handler, method, email, path) => {
    const { access_token } = await v1Login(email);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await call(handler as never, method, path, { token: access_token, body: { password: `falsch-${i}` }, ip: uniqueIp() });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([422, 422, 422, 422, 422]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    // The right password does not get through the lock either.
    const right = await call(handler as never, method, path, { token: access_token, body: { password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(right.status).toBe(429);
  });

  it("one address cannot try passwords across accounts either", async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (const email of ["msp-admin@myit.center", "info@nordlicht-design.de"]) {
      const { access_token } = await v1Login(email);
      for (let i = 0; i < 3; i++) statuses.push((await call(recoveryCodes as never, "POST", "/api/v1/auth/2fa/recovery-codes", { token: access_token, body: { password: "falsch" }, ip })).status);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
  });
});

describe("authenticator set-up asks for the password", () => {
  it("without a password: 422 and no secret", async () => {
    const { access_token } = await v1Login("msp-admin@myit.center");
    const res = await call(totpStart as never, "POST", "/api/v1/auth/2fa/totp", { token: access_token, ip: uniqueIp() });
    expect(res.status).toBe(422);
    expect(res.json.detail.errors.password).toBeDefined();
    expect(res.json.secret).toBeUndefined();
    const ok = await call(totpStart as never, "POST", "/api/v1/auth/2fa/totp", { token: access_token, body: { password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(ok.status).toBe(200);
    expect(ok.json.secret).toMatch(/^[A-Z2-7]+$/);
  });
});
