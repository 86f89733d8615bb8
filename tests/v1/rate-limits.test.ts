import { describe, expect, it } from "vitest";
import { POST as verifyRoute } from "@/app/api/v1/auth/2fa/verify/route";
import { POST as loginRoute } from "@/app/api/v1/auth/login/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

useTestDatabase();

describe("login and 2FA: 10 requests per minute and IP", () => {
  it("answers the 11th login from one IP with 429 and Retry-After, counted exactly under concurrency", async () => {
    const ip = "203.0.113.77";
    const results = await Promise.all(
      // Different accounts: each account also has its own limit (5 per 5 minutes, shared with the manage login).
      Array.from({ length: 11 }, (_, i) => call(loginRoute, "POST", "/api/v1/auth/login", { body: { email: `niemand${i}@firma.de`, password: "falsch" }, ip })),
    );
    expect(results.filter((r) => r.status === 401)).toHaveLength(10);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(1);
    expect(Number(limited[0].headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited[0].headers.get("retry-after"))).toBeLessThanOrEqual(60);
    // Even the right password is refused now; another IP is not affected.
    expect((await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, ip })).status).toBe(429);
    expect((await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, ip: "203.0.113.78" })).status).toBe(200);
  });

  it("limits 2FA verification per IP as well", async () => {
    const ip = "203.0.113.90";
    for (let i = 0; i < 10; i++) {
      const res = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: `tx_unknown${i}`, code: "12345678" }, ip });
      expect(res.status).toBe(401);
    }
    const res = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: "tx_unknown", code: "12345678" }, ip });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBeTruthy();
  });
});
