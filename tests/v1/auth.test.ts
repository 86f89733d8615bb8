import { and, eq } from "drizzle-orm";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { POST as verifyRoute } from "@/app/api/v1/auth/2fa/verify/route";
import { POST as loginRoute } from "@/app/api/v1/auth/login/route";
import { POST as logoutRoute } from "@/app/api/v1/auth/logout/route";
import { GET as meRoute } from "@/app/api/v1/auth/me/route";
import { POST as refreshRoute } from "@/app/api/v1/auth/refresh/route";
import { activityLog, instances, rateLimits, refreshTokens, tokenFamilies, twoFactorChallenges, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { resetConfigForTests } from "@/lib/config";
import { hashToken } from "@/lib/crypto/tokens";
import { signJwt } from "@/lib/auth/jwt";
import { usingPostgres, useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { latestCode, setTwoFactor, uniqueIp, v1Login } from "./helpers";

const database = useTestDatabase();
const me = (token: string) => call(meRoute, "GET", "/api/v1/auth/me", { token });

describe("POST /api/v1/auth/login", () => {
  it("returns access and refresh token exactly as documented (without 2FA)", async () => {
    const res = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["access_token", "expires_in", "refresh_token", "token_type"]);
    expect(res.json.token_type).toBe("bearer");
    expect(res.json.expires_in).toBe(86400);
    expect(res.json.access_token).toMatch(/^eyJ/);
    expect(res.json.refresh_token).toMatch(/^eyJ/);
  });

  it("puts sub, tenant_id, tenant_scope, iss, aud, iat, exp and a kid into the access token", async () => {
    const tokens = await v1Login("admin@firma.de");
    const claims = decodeJwt(tokens.access_token);
    const header = decodeProtectedHeader(tokens.access_token);
    const [acme] = await database.db().select().from(instances).where(eq(instances.name, "acme"));
    const [user] = await database.db().select().from(users).where(eq(users.email, "admin@firma.de"));
    expect(header).toMatchObject({ alg: "HS256", kid: "dev-2026" });
    expect(claims).toMatchObject({ sub: user.id, tenant_id: acme.uuid, tenant_scope: acme.uuid, iss: "manage-portal", aud: "manage-api-v1" });
    expect(claims.exp! - claims.iat!).toBe(86400);
  });

  it("gives MSP staff tenant_id and tenant_scope null", async () => {
    const tokens = await v1Login("msp-admin@myit.center");
    const claims = decodeJwt(tokens.access_token);
    expect(claims.tenant_id).toBeNull();
    expect(claims.tenant_scope).toBeNull();
  });

  it("answers 401 in the v1 error shape for wrong credentials, 422 for bad input", async () => {
    const wrong = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email: "admin@firma.de", password: "falsch" }, ip: uniqueIp() });
    expect(wrong.status).toBe(401);
    expect(wrong.json.detail).toMatchObject({ error: "unauthorized", message: "Die E-Mail-Adresse oder das Passwort ist falsch." });
    const bad = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email: "x" }, ip: uniqueIp() });
    expect(bad.status).toBe(422);
    expect(bad.json.detail.error).toBe("validation_error");
    expect(Object.keys(bad.json.detail.errors).sort()).toEqual(["email", "password"]);
    const malformed = await call(loginRoute, "POST", "/api/v1/auth/login", { rawBody: "{", headers: { "content-type": "application/json" }, ip: uniqueIp() });
    expect(malformed.status).toBe(400);
    expect(malformed.json.detail.error).toBe("bad_request");
  });
});

describe("e-mail 2FA", () => {
  const email = "it@bergmann-logistik.de";

  it("asks for a code, mails it in German and exchanges it once for tokens", async () => {
    await setTwoFactor(email, true);
    const first = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ two_fa_required: true, challenge_token: expect.stringMatching(/^tx_/) });
    const code = await latestCode(email);
    expect(code).toMatch(/^\d{8}$/);
    const stored = await database.db().select().from(twoFactorChallenges).where(eq(twoFactorChallenges.tokenHash, hashToken(first.json.challenge_token)));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code);

    const ok = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: first.json.challenge_token, code }, ip: uniqueIp() });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 86400 });
    expect((await me(ok.json.access_token)).status).toBe(200);

    const again = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: first.json.challenge_token, code }, ip: uniqueIp() });
    expect(again.status).toBe(401);
    expect(again.json.detail.error).toBe("invalid_challenge");
  });

  it("counts wrong codes down and locks after 5 failures with 429 and Retry-After: 1800", async () => {
    await setTwoFactor(email, true);
    const first = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    const code = await latestCode(email);
    const wrongCode = code === "00000000" ? "11111111" : "00000000";
    const attempt = (c: string) =>
      call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: first.json.challenge_token, code: c }, ip: uniqueIp() });
    for (const remaining of [4, 3, 2, 1]) {
      const res = await attempt(wrongCode);
      expect(res.status).toBe(401);
      expect(res.json.attempts_remaining).toBe(remaining);
      expect(res.json.detail).toMatchObject({ error: "invalid_code", attempts_remaining: remaining });
    }
    const fifth = await attempt(wrongCode);
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get("retry-after")).toBe("1800");
    // Locked: even the right code is refused, and a new login does not reset the lock.
    const right = await attempt(code);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(1790);
    const relogin = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(relogin.status).toBe(429);
    const logged = await database.db().select().from(activityLog).where(eq(activityLog.action, "auth.2fa_locked"));
    expect(logged.length).toBeGreaterThan(0);
    await database.db().delete(twoFactorChallenges);
    // The lock also holds per account (wrong codes over 30 minutes): lift it for the next test.
    await database.db().delete(rateLimits);
  });

  it("counts parallel wrong guesses exactly (never more than 5 comparisons)", async () => {
    await setTwoFactor(email, true);
    const first = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    const code = await latestCode(email);
    const wrongCode = code === "22222222" ? "33333333" : "22222222";
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: first.json.challenge_token, code: wrongCode }, ip: uniqueIp() }),
      ),
    );
    expect(results.filter((r) => r.status === 401)).toHaveLength(4);
    expect(results.filter((r) => r.status === 429)).toHaveLength(8);
    const [row] = await database.db().select().from(twoFactorChallenges).where(eq(twoFactorChallenges.tokenHash, hashToken(first.json.challenge_token)));
    expect(row.attempts).toBe(5);
    expect(row.lockedUntil).not.toBeNull();
    await database.db().delete(twoFactorChallenges);
    // The lock also holds per account (wrong codes over 30 minutes): lift it for the next test.
    await database.db().delete(rateLimits);
  });

  it("refuses an expired code and a malformed one", async () => {
    await setTwoFactor(email, true);
    const first = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    const code = await latestCode(email);
    const malformed = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: first.json.challenge_token, code: "12ab" }, ip: uniqueIp() });
    expect(malformed.status).toBe(422);
    expect(malformed.json.detail.errors.code).toBeDefined();
    await database.db().update(twoFactorChallenges).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(twoFactorChallenges.tokenHash, hashToken(first.json.challenge_token)));
    const expired = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: first.json.challenge_token, code }, ip: uniqueIp() });
    expect(expired.status).toBe(401);
    expect(expired.json.detail.error).toBe("challenge_expired");
    await setTwoFactor(email, false);
  });
});

describe("refresh tokens", () => {
  const refresh = (token: string) => call(refreshRoute, "POST", "/api/v1/auth/refresh", { token, ip: uniqueIp() });

  it("rotates: a new access and refresh token, the old refresh token is spent; stored only hashed", async () => {
    const tokens = await v1Login("admin@firma.de");
    const rows = await database.db().select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashToken(tokens.refresh_token)));
    expect(rows).toHaveLength(1);
    const res = await refresh(tokens.refresh_token);
    expect(res.status).toBe(200);
    expect(res.json.refresh_token).not.toBe(tokens.refresh_token);
    expect(res.json.access_token).not.toBe(tokens.access_token);
    expect((await me(res.json.access_token)).status).toBe(200);
    const again = await refresh(res.json.refresh_token);
    expect(again.status).toBe(200);
  });

  it("treats a reused refresh token as theft: the whole family is revoked and logged", async () => {
    const tokens = await v1Login("admin@firma.de");
    const rotated = await refresh(tokens.refresh_token);
    expect(rotated.status).toBe(200);
    const reuse = await refresh(tokens.refresh_token);
    expect(reuse.status).toBe(401);
    expect(reuse.json.detail.error).toBe("invalid_refresh_token");
    // The thief's and the owner's newer tokens are dead too.
    expect((await refresh(rotated.json.refresh_token)).status).toBe(401);
    expect((await me(rotated.json.access_token)).status).toBe(401);
    const sid = decodeJwt(tokens.access_token).sid as string;
    const [family] = await database.db().select().from(tokenFamilies).where(eq(tokenFamilies.id, sid));
    expect(family.revokedReason).toBe("reuse");
    const log = await database.db().select().from(activityLog).where(eq(activityLog.action, "api.refresh_token_reuse"));
    expect(log.length).toBeGreaterThan(0);
  });

  it("lets exactly one of several concurrent refreshes with the same token win, then revokes the family", async () => {
    const tokens = await v1Login("admin@firma.de");
    const results = await Promise.all(Array.from({ length: 8 }, () => refresh(tokens.refresh_token)));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(7);
    const sid = decodeJwt(tokens.access_token).sid as string;
    const [family] = await database.db().select().from(tokenFamilies).where(eq(tokenFamilies.id, sid));
    expect(family.revokedAt).not.toBeNull();
    expect((await refresh(winners[0].json.refresh_token)).status).toBe(401);
    const issued = await database.db().select().from(refreshTokens).where(eq(refreshTokens.familyId, sid));
    expect(issued).toHaveLength(2);
  });

  describe("reuse interval (10 s, same client)", () => {
    const sameClient = (token: string, ip: string, agent = "Tab-Test/1.0") =>
      call(refreshRoute, "POST", "/api/v1/auth/refresh", { token, ip, headers: { "user-agent": agent } });

    it("gives two parallel refreshes of one client the same new pair and keeps the family", async () => {
      const tokens = await v1Login("admin@firma.de");
      const ip = uniqueIp();
      const [a, b] = await Promise.all([sameClient(tokens.refresh_token, ip), sameClient(tokens.refresh_token, ip)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(b.json).toEqual(a.json);
      expect(a.json.refresh_token).not.toBe(tokens.refresh_token);
      const sid = decodeJwt(tokens.access_token).sid as string;
      const [family] = await database.db().select().from(tokenFamilies).where(eq(tokenFamilies.id, sid));
      expect(family.revokedAt).toBeNull();
      // One successor only, and it works (once).
      expect(await database.db().select().from(refreshTokens).where(eq(refreshTokens.familyId, sid))).toHaveLength(2);
      expect((await me(a.json.access_token)).status).toBe(200);
      expect((await sameClient(a.json.refresh_token, ip)).status).toBe(200);
      // A repeat a few seconds later (a retry after a lost answer) still gets the same pair.
      const late = await sameClient(tokens.refresh_token, ip);
      expect(late.status).toBe(200);
      expect(late.json.refresh_token).toBe(a.json.refresh_token);
    });

    it("revokes the family when the repeat comes after the interval", async () => {
      const tokens = await v1Login("admin@firma.de");
      const ip = uniqueIp();
      expect((await sameClient(tokens.refresh_token, ip)).status).toBe(200);
      await database
        .db()
        .update(refreshTokens)
        .set({ usedAt: new Date(Date.now() - 11_000) })
        .where(eq(refreshTokens.tokenHash, hashToken(tokens.refresh_token)));
      const reuse = await sameClient(tokens.refresh_token, ip);
      expect(reuse.status).toBe(401);
      expect(reuse.json.detail.error).toBe("invalid_refresh_token");
      const sid = decodeJwt(tokens.access_token).sid as string;
      const [family] = await database.db().select().from(tokenFamilies).where(eq(tokenFamilies.id, sid));
      expect(family.revokedReason).toBe("reuse");
    });

    it("revokes the family when another address or another user agent repeats it within the interval", async () => {
      for (const other of [(t: string, ip: string) => sameClient(t, uniqueIp()), (t: string, ip: string) => sameClient(t, ip, "Anderer/2.0")]) {
        const tokens = await v1Login("admin@firma.de");
        const ip = uniqueIp();
        const first = await sameClient(tokens.refresh_token, ip);
        expect(first.status).toBe(200);
        expect((await other(tokens.refresh_token, ip)).status).toBe(401);
        expect((await me(first.json.access_token)).status).toBe(401);
        expect((await sameClient(tokens.refresh_token, ip)).status).toBe(401);
      }
    });

    it("stores no readable successor: only hashes, the client and the issue time", async () => {
      const tokens = await v1Login("admin@firma.de");
      const ip = uniqueIp();
      const res = await sameClient(tokens.refresh_token, ip);
      const [spent] = await database.db().select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashToken(tokens.refresh_token)));
      expect(spent).toMatchObject({ usedIp: ip, usedUserAgent: "Tab-Test/1.0", successorIat: expect.any(Number) });
      expect(JSON.stringify(spent)).not.toContain(res.json.refresh_token.split(".")[2]);
    });
  });

  it("refuses an access token, garbage and a missing header as refresh token", async () => {
    const tokens = await v1Login("admin@firma.de");
    expect((await refresh(tokens.access_token)).status).toBe(401);
    expect((await refresh("kein-token")).status).toBe(401);
    expect((await call(refreshRoute, "POST", "/api/v1/auth/refresh", { ip: uniqueIp() })).status).toBe(401);
  });

  it("refuses an expired refresh token", async () => {
    const tokens = await v1Login("admin@firma.de");
    await database.db().update(refreshTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(refreshTokens.tokenHash, hashToken(tokens.refresh_token)));
    expect((await refresh(tokens.refresh_token)).status).toBe(401);
  });

  it("a refresh token is not accepted as access token", async () => {
    const tokens = await v1Login("admin@firma.de");
    const res = await me(tokens.refresh_token);
    expect(res.status).toBe(401);
  });
});

describe("POST /api/v1/auth/logout", () => {
  it("revokes the refresh-token family; the access token stops working at once", async () => {
    const tokens = await v1Login("admin@firma.de");
    const res = await call(logoutRoute, "POST", "/api/v1/auth/logout", { token: tokens.access_token });
    expect(res.status).toBe(200);
    expect((await me(tokens.access_token)).status).toBe(401);
    expect((await call(refreshRoute, "POST", "/api/v1/auth/refresh", { token: tokens.refresh_token, ip: uniqueIp() })).status).toBe(401);
  });
});

describe("access token verification", () => {
  it("accepts a valid token and refuses a missing one with 401 and WWW-Authenticate", async () => {
    const tokens = await v1Login("admin@firma.de");
    expect((await me(tokens.access_token)).status).toBe(200);
    const none = await call(meRoute, "GET", "/api/v1/auth/me");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/Bearer/);
  });

  it("refuses a token with a wrong signature", async () => {
    const tokens = await v1Login("admin@firma.de");
    const [h, p, s] = tokens.access_token.split(".");
    const flipped = s.slice(0, -2) + (s.endsWith("AA") ? "BB" : "AA");
    expect((await me(`${h}.${p}.${flipped}`)).status).toBe(401);
    // Same claims signed with another secret under the right kid.
    const claims = decodeJwt(tokens.access_token);
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: "dev-2026" }).sign(new TextEncoder().encode("x".repeat(48)));
    const res = await me(forged);
    expect(res.status).toBe(401);
    expect(res.json.detail.error).toBe("invalid_token");
  });

  it("refuses alg: none and a different algorithm", async () => {
    const tokens = await v1Login("admin@firma.de");
    const [, p] = tokens.access_token.split(".");
    const noneHeader = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT", kid: "dev-2026" })).toString("base64url");
    expect((await me(`${noneHeader}.${p}.`)).status).toBe(401);
    const hs512 = Buffer.from(JSON.stringify({ alg: "HS512", typ: "JWT", kid: "dev-2026" })).toString("base64url");
    expect((await me(`${hs512}.${p}.AAAA`)).status).toBe(401);
  });

  it("refuses a wrong audience and a wrong issuer", async () => {
    const tokens = await v1Login("admin@firma.de");
    const claims = decodeJwt(tokens.access_token);
    process.env.JWT_AUDIENCE = "andere-api";
    resetConfigForTests();
    const otherAud = await signJwt({ sub: claims.sub!, tenant_id: claims.tenant_id, tenant_scope: claims.tenant_scope, sid: claims.sid }, "access", 3600);
    delete process.env.JWT_AUDIENCE;
    process.env.JWT_ISSUER = "fremder-issuer";
    resetConfigForTests();
    const otherIss = await signJwt({ sub: claims.sub!, sid: claims.sid }, "access", 3600);
    delete process.env.JWT_AUDIENCE;
    delete process.env.JWT_ISSUER;
    resetConfigForTests();
    expect((await me(otherAud)).status).toBe(401);
    expect((await me(otherIss)).status).toBe(401);
  });

  it("accepts a token expired within the 30 s tolerance and refuses one outside it", async () => {
    const tokens = await v1Login("admin@firma.de");
    const claims = decodeJwt(tokens.access_token);
    const base = { sub: claims.sub!, tenant_id: claims.tenant_id, tenant_scope: claims.tenant_scope, sid: claims.sid };
    const within = await signJwt(base, "access", 3600, { now: Date.now() - 3600_000 - 10_000 });
    const outside = await signJwt(base, "access", 3600, { now: Date.now() - 3600_000 - 60_000 });
    expect((await me(within)).status).toBe(200);
    const res = await me(outside);
    expect(res.status).toBe(401);
    expect(res.json.detail.error).toBe("token_expired");
  });

  it("uses the configured clock tolerance", async () => {
    const tokens = await v1Login("admin@firma.de");
    const claims = decodeJwt(tokens.access_token);
    const token = await signJwt({ sub: claims.sub!, sid: claims.sid }, "access", 3600, { now: Date.now() - 3600_000 - 10_000 });
    process.env.JWT_CLOCK_TOLERANCE_SECONDS = "5";
    resetConfigForTests();
    try {
      expect((await me(token)).status).toBe(401);
    } finally {
      delete process.env.JWT_CLOCK_TOLERANCE_SECONDS;
      resetConfigForTests();
    }
  });

  it("rotates keys: an old kid still verifies while listed, and not after it was removed", async () => {
    const tokens = await v1Login("admin@firma.de");
    process.env.JWT_SIGNING_KEYS = "new-2027:another-secret-that-is-long-enough-0123456789,dev-2026:dev-only-jwt-secret-change-me-0123456789abcdef";
    resetConfigForTests();
    try {
      expect((await me(tokens.access_token)).status).toBe(200);
      const fresh = await v1Login("admin@firma.de");
      expect(decodeProtectedHeader(fresh.access_token).kid).toBe("new-2027");
      process.env.JWT_SIGNING_KEYS = "new-2027:another-secret-that-is-long-enough-0123456789";
      resetConfigForTests();
      expect((await me(tokens.access_token)).status).toBe(401);
      expect((await me(fresh.access_token)).status).toBe(200);
    } finally {
      delete process.env.JWT_SIGNING_KEYS;
      resetConfigForTests();
    }
  });

  it("refuses the token of a deactivated user", async () => {
    const tokens = await v1Login("admin@firma.de");
    await database.db().update(users).set({ active: false }).where(eq(users.email, "admin@firma.de"));
    try {
      expect((await me(tokens.access_token)).status).toBe(401);
    } finally {
      await database.db().update(users).set({ active: true }).where(eq(users.email, "admin@firma.de"));
    }
  });
});

it("runs against the expected database", () => {
  expect(typeof usingPostgres).toBe("boolean");
  expect(and).toBeTypeOf("function");
});
