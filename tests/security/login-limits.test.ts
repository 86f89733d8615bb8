/**
 * Issue 11, "Client identity and rate limits": every password or code check
 * is limited per account as well as per address, the login limiter decides
 * over both counters atomically, successful logins never count, and wrong
 * 2FA codes count per account whichever challenge they came from.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { PUT as changePasswordRoute } from "@/app/api/manage/auth/password/route";
import { POST as verifyRoute } from "@/app/api/v1/auth/2fa/verify/route";
import { POST as v1LoginRoute } from "@/app/api/v1/auth/login/route";
import { rateLimits, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { takeRateLimits } from "@/lib/rate-limit";
import { usingPostgres, useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { latestCode, setTwoFactor, uniqueIp } from "../v1/helpers";

const database = useTestDatabase();
const dbName = usingPostgres ? "PostgreSQL" : "PGlite";

async function clearLimits() {
  await database.db().delete(rateLimits);
}

async function manageToken(email: string) {
  const res = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

describe("one atomic decision over account and address", () => {
  it(`admits exactly 5 of 20 parallel wrong logins of one account from one address (${dbName})`, async () => {
    await clearLimits();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(manageLogin, "POST", "/api/manage/auth/login", { body: { email: "admin@firma.de", password: "falsch-falsch" }, ip: "198.51.100.20" }),
      ),
    );
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(15);
    // Neither counter went past the limit: the refused attempts took nothing.
    const rows = await database.db().select().from(rateLimits);
    const counts = Object.fromEntries(rows.map((r) => [r.key, r.count]));
    expect(counts["login:account:admin@firma.de"]).toBe(5);
    expect(counts["manage-login:ip:198.51.100.20"]).toBe(5);
  });

  it(`takes a point from every counter or from none (${dbName})`, async () => {
    await clearLimits();
    const rule = { limit: 3, windowSeconds: 60 };
    const decisions = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        takeRateLimits([
          { key: "t:account", rule },
          { key: `t:ip:${i % 2}`, rule },
        ]),
      ),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    const rows = await database.db().select().from(rateLimits);
    const total = rows.filter((r) => r.key.startsWith("t:ip:")).reduce((sum, r) => sum + r.count, 0);
    expect(total).toBe(3);
    expect(rows.find((r) => r.key === "t:account")?.count).toBe(3);
  });

  it("does not refuse correct logins because parallel correct logins of the same account were being checked", async () => {
    await clearLimits();
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        call(manageLogin, "POST", "/api/manage/auth/login", { body: { email: "it@bergmann-logistik.de", password: DEMO_PASSWORD }, ip: "198.51.100.21" }),
      ),
    );
    expect(results.map((r) => `${r.status} ${r.status === 200 ? "" : r.text}`)).toEqual(Array(12).fill("200 "));
    const rows = await database.db().select().from(rateLimits);
    expect(rows.filter((r) => r.count > 0).map((r) => r.key)).toEqual([]);
  });
});

describe("API v1 login has the account limit of every door", () => {
  it("refuses the right password at /api/v1/auth/login once the manage login used up the account's budget", async () => {
    await clearLimits();
    for (let i = 0; i < 5; i++) {
      const res = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email: "admin@firma.de", password: "falsch-falsch" }, ip: uniqueIp() });
      expect(res.status).toBe(401);
    }
    const v1 = await call(v1LoginRoute, "POST", "/api/v1/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(v1.status).toBe(429);
    expect(v1.json.detail.error).toBe("rate_limited");
    expect(Number(v1.headers.get("retry-after"))).toBeGreaterThan(60);
  });

  it("limits wrong passwords per account at v1 even from many addresses", async () => {
    await clearLimits();
    const results = [];
    for (let i = 0; i < 7; i++) {
      results.push(await call(v1LoginRoute, "POST", "/api/v1/auth/login", { body: { email: "it@bergmann-logistik.de", password: "falsch-falsch" }, ip: uniqueIp() }));
    }
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});

describe("PUT /api/manage/auth/password: current_password is limited", () => {
  it("answers 429 after 5 wrong current passwords, even for the right one, and per account across addresses", async () => {
    await clearLimits();
    const token = await manageToken("it@bergmann-logistik.de");
    const attempt = (current: string) =>
      call(changePasswordRoute, "PUT", "/api/manage/auth/password", {
        token,
        body: { current_password: current, password: "ganz-neu-123", password_confirmation: "ganz-neu-123" },
        ip: uniqueIp(),
      });
    for (let i = 0; i < 5; i++) expect((await attempt("falsch-falsch")).status).toBe(422);
    const limited = await attempt(DEMO_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.json.message).toMatch(/Zu viele Anfragen/);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("2FA: wrong codes count per account over 30 minutes, whatever challenge", () => {
  it("locks after 5 wrong codes spread over several challenges", async () => {
    await clearLimits();
    const email = "admin@firma.de";
    await setTwoFactor(email, true);
    try {
      const wrongFor = (code: string) => (code === "00000000" ? "11111111" : "00000000");
      const challenge = async () => {
        const res = await call(v1LoginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
        expect(res.status).toBe(200);
        return { token: res.json.challenge_token as string, code: await latestCode(email) };
      };
      const verify = (token: string, code: string) =>
        call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: token, code }, ip: uniqueIp() });

      // Three wrong codes on the first challenge, two on the second: the account is locked.
      const first = await challenge();
      for (const remaining of [4, 3, 2]) expect((await verify(first.token, wrongFor(first.code))).json.attempts_remaining).toBe(remaining);
      const second = await challenge();
      expect((await verify(second.token, wrongFor(second.code))).json.attempts_remaining).toBe(1);
      const fifth = await verify(second.token, wrongFor(second.code));
      expect(fifth.status).toBe(429);
      expect(fifth.headers.get("retry-after")).toBe("1800");
      // The right code of either challenge is refused, and so is a new challenge.
      expect((await verify(first.token, first.code)).status).toBe(429);
      const relogin = await call(v1LoginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
      expect(relogin.status).toBe(429);
    } finally {
      await setTwoFactor(email, false);
    }
  });

  it("does not count right codes", async () => {
    await clearLimits();
    const email = "it@bergmann-logistik.de";
    await setTwoFactor(email, true);
    try {
      for (let i = 0; i < 7; i++) {
        const res = await call(v1LoginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
        const ok = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", {
          body: { challenge_token: res.json.challenge_token, code: await latestCode(email) },
          ip: uniqueIp(),
        });
        expect(ok.status).toBe(200);
      }
      const [user] = await database.db().select().from(users).where(eq(users.email, email));
      const [row] = await database.db().select().from(rateLimits).where(eq(rateLimits.key, `2fa:account:${user.id}`));
      expect(row?.count ?? 0).toBe(0);
    } finally {
      await setTwoFactor(email, false);
    }
  });
});
