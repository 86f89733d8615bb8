/**
 * Issue 24, item 5 — a lockout that cannot be aimed (OWASP device cookies):
 * a browser that signed in to the account before keeps its own allowance
 * while wrong passwords from elsewhere lock the account; unknown, forged and
 * other accounts' cookies are limited as before; the device's own allowance
 * is limited too; failed sign-ins are in the account's log with address and
 * device.
 */
import { and, desc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { activityLog, deviceCookies, rateLimits, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { anonymousActor, principalActor } from "@/lib/activity";
import { signOutEverywhere } from "@/lib/auth/account";
import { settleAuditWrites } from "@/lib/auth/credentials";
import { deviceCookieName, DEVICE_COOKIE_MAX_AGE_DAYS } from "@/lib/auth/device-cookies";
import { login, type SessionGrant } from "@/lib/auth/login";
import { authOptions } from "@/lib/auth/next-auth";
import { loadPrincipal } from "@/lib/auth/principal";
import { hashToken } from "@/lib/crypto/tokens";
import { useTestDatabase } from "../helpers/db";
import { setTwoFactor } from "../v1/helpers";

const database = useTestDatabase();

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
const victim = "admin@firma.de";
const other = "it@bergmann-logistik.de";
const ATTACKER_IP = "198.51.100.66";
const USER_IP = "203.0.113.77";

type Authorize = (c: Record<string, string>, req: unknown) => Promise<{ sessionToken: string } | null>;
const authorize: Authorize = (credentials, req) =>
  (authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize(credentials, req);

/** The portal's login form as next-auth calls it: headers of the browser's request, its cookies included. */
function browser(ip: string, cookie?: { name: string; value: string }, userAgent = CHROME) {
  return { headers: { "x-forwarded-for": ip, "x-manage-client-ip": ip, "user-agent": userAgent, ...(cookie ? { cookie: `other=1; ${cookie.name}=${encodeURIComponent(cookie.value)}` } : {}) } };
}

async function userId(email: string) {
  const [row] = await database.db().select({ id: users.id }).from(users).where(eq(users.email, email));
  return row.id;
}

/** A successful sign-in in "the user's browser": the device cookie it gets. */
async function signInOnce(email: string, ip = USER_IP): Promise<NonNullable<SessionGrant["deviceCookie"]>> {
  const grant = await login(anonymousActor(ip), { email, password: DEMO_PASSWORD, userAgent: CHROME, door: "browser" });
  expect(grant.deviceCookie).toBeTruthy();
  return grant.deviceCookie!;
}

/** Five wrong passwords from the attacker's address (no device cookie): the account is locked. */
async function lockAccount(email: string) {
  for (let i = 0; i < 5; i++) await expect(authorize({ email, password: `falsch-${i}` }, browser(ATTACKER_IP, undefined, FIREFOX))).rejects.toThrow(/falsch/);
  await expect(authorize({ email, password: DEMO_PASSWORD }, browser("198.51.100.67"))).rejects.toThrow(/Zu viele/);
}

beforeEach(async () => {
  await database.db().delete(rateLimits);
  await setTwoFactor(victim, false);
  await setTwoFactor(other, false);
});

describe("device cookie", () => {
  it("is signed, HttpOnly, SameSite=Lax, long-lived, and stored only as a hash", async () => {
    const cookie = await signInOnce(victim);
    const id = await userId(victim);
    expect(cookie.name).toBe(deviceCookieName(id));
    expect(cookie.name).not.toContain(id);
    expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/", secure: false, maxAge: DEVICE_COOKIE_MAX_AGE_DAYS * 86400 });
    const [account, nonce, signature] = cookie.value.split(".");
    expect(account).toBe(id);
    expect(signature.length).toBeGreaterThan(20);
    const rows = await database.db().select().from(deviceCookies).where(eq(deviceCookies.userId, id));
    expect(rows.map((r) => r.nonceHash)).toContain(hashToken(nonce));
    expect(JSON.stringify(rows)).not.toContain(nonce);
    // The same browser signing in again keeps its cookie: no second one.
    const again = await login(anonymousActor(USER_IP), { email: victim, password: DEMO_PASSWORD, userAgent: CHROME, door: "browser", deviceCookies: [cookie] });
    expect(again.deviceCookie).toBeNull();
    // API clients (manage API, API v1) get none.
    expect((await login(anonymousActor(USER_IP), { email: victim, password: DEMO_PASSWORD, door: "manage_api" })).deviceCookie ?? null).toBeNull();
  });

  it("an attacker from another address locks the account; the user's browser with its device cookie still signs in", async () => {
    const cookie = await signInOnce(victim);
    await database.db().delete(rateLimits);
    await lockAccount(victim);
    const result = await authorize({ email: victim, password: DEMO_PASSWORD }, browser(USER_IP, cookie));
    expect(result?.sessionToken).toBeTypeOf("string");
    // The account stays locked for everyone else.
    await expect(authorize({ email: victim, password: DEMO_PASSWORD }, browser("198.51.100.68"))).rejects.toThrow(/Zu viele/);
  });

  it("a forged cookie, another account's cookie or a revoked one gets no allowance", async () => {
    const mine = await signInOnce(victim);
    const theirs = await signInOnce(other);
    await database.db().delete(rateLimits);
    await lockAccount(victim);
    const [account, nonce] = mine.value.split(".");
    const forged = { name: mine.name, value: `${account}.${nonce}.${"A".repeat(43)}` };
    const unsignedNonce = { name: mine.name, value: `${account}.${"x".repeat(43)}.${mine.value.split(".")[2]}` };
    for (const cookie of [forged, unsignedNonce, theirs, { name: theirs.name, value: theirs.value.replace(/^[^.]+/, account) }]) {
      await expect(authorize({ email: victim, password: DEMO_PASSWORD }, browser(USER_IP, cookie))).rejects.toThrow(/Zu viele/);
    }
    // "Überall abmelden" revokes the account's device cookies: the same cookie counts no more.
    const grant = await login(anonymousActor(USER_IP), { email: other, password: DEMO_PASSWORD, userAgent: CHROME, door: "browser", deviceCookies: [theirs] });
    const [row] = await database.db().select().from(users).where(eq(users.email, other));
    await signOutEverywhere(principalActor(await loadPrincipal(row, grant.sessionId), USER_IP));
    await database.db().delete(rateLimits);
    await lockAccount(other);
    await expect(authorize({ email: other, password: DEMO_PASSWORD }, browser(USER_IP, theirs))).rejects.toThrow(/Zu viele/);
  });

  it("the device's own allowance is limited: five wrong passwords lock that device, not the account", async () => {
    const cookie = await signInOnce(victim);
    await database.db().delete(rateLimits);
    for (let i = 0; i < 5; i++) {
      await expect(authorize({ email: victim, password: `vertippt-${i}` }, browser(`203.0.113.${100 + i}`, cookie))).rejects.toThrow(/falsch/);
    }
    await expect(authorize({ email: victim, password: DEMO_PASSWORD }, browser("203.0.113.120", cookie))).rejects.toThrow(/Zu viele/);
    // The device's failures did not spend the account's allowance: another browser still signs in.
    expect((await authorize({ email: victim, password: DEMO_PASSWORD }, browser("203.0.113.121")))?.sessionToken).toBeTypeOf("string");
  });

  it("failed sign-ins are in the account's log with address and device", async () => {
    const id = await userId(victim);
    await expect(authorize({ email: victim, password: "falsch-falsch" }, browser(ATTACKER_IP, undefined, FIREFOX))).rejects.toThrow(/falsch/);
    await settleAuditWrites();
    const [entry] = await database
      .db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.userId, id), eq(activityLog.action, "manage.login_failed")))
      .orderBy(desc(activityLog.id))
      .limit(1);
    expect(entry).toMatchObject({ ip: ATTACKER_IP, actorType: "anonymous", metadata: { via: "browser", device: "Firefox auf Windows", known_device: false } });
    expect(entry.description).toContain("Firefox auf Windows");
    expect(entry.description).toContain(ATTACKER_IP);

    // The user's own typo on a known device says so.
    const cookie = await signInOnce(victim);
    await expect(authorize({ email: victim, password: "vertippt" }, browser(USER_IP, cookie))).rejects.toThrow(/falsch/);
    await settleAuditWrites();
    const [own] = await database
      .db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.userId, id), eq(activityLog.action, "manage.login_failed")))
      .orderBy(desc(activityLog.id))
      .limit(1);
    expect(own).toMatchObject({ ip: USER_IP, metadata: { device: "Chrome auf Linux", known_device: true } });
    expect(own.description).toContain("bekanntes Gerät");
  });
});
