/**
 * Device cookies (OWASP "Slow brute force / device cookies"): a lockout that
 * cannot be aimed at someone else's account.
 *
 * After a successful sign-in in a browser (portal form, manage API), the
 * browser gets a long-lived cookie `<user id>.<nonce>.<signature>`: the
 * signature is an HMAC-SHA256 over account and nonce with a key derived from
 * AUTH_SECRET (HKDF, its own purpose); the database keeps only the SHA-256 of
 * the nonce (`device_cookies`), so a cookie can be checked and revoked but
 * not rebuilt from a database copy. HttpOnly, SameSite=Lax, Secure (and the
 * `__Host-` prefix) when APP_URL is https; one cookie per account, its name
 * derived from the account (no id in the name).
 *
 * A password login that presents a valid device cookie FOR THAT ACCOUNT is
 * limited by the device's own counter (`login:device:<id>`, 5 per 5 minutes)
 * instead of the account counter, so wrong passwords from elsewhere that
 * lock the account do not lock out the user's own browser. Unknown devices
 * (no cookie, a forged one, one of another account, a revoked one) are
 * limited as before. Five wrong passwords from the device lock that device.
 *
 * Revoked: with "Überall abmelden", a password change or reset (all of the
 * account's device cookies); a row older than `DEVICE_COOKIE_MAX_AGE_DAYS`
 * no longer counts.
 */
import { createHmac, hkdfSync } from "node:crypto";
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { deviceCookies, users } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { config } from "@/lib/config";
import { constantTimeEqual, hashToken, randomToken } from "@/lib/crypto/tokens";
import type { RateLimitKey, RateLimitRule } from "@/lib/rate-limit";

export const DEVICE_COOKIE_MAX_AGE_DAYS = 180;
/** A known device's own allowance: as many wrong passwords as the account's (5 per 5 minutes). */
export const DEVICE_LOGIN_RULE: RateLimitRule = { limit: 5, windowSeconds: 5 * 60 };
/** More device cookies than this in one request are ignored (a browser signed in to a handful of accounts). */
const MAX_PRESENTED = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cookie as the door read it from the request. */
export type PresentedCookie = { name: string; value: string };
/** What a door sets on its answer. */
export type DeviceCookie = {
  name: string;
  value: string;
  options: { httpOnly: true; secure: boolean; sameSite: "lax"; path: "/"; maxAge: number };
};
export type TrustedDevice = { id: string; userId: string };

function secure() {
  return config().APP_URL.startsWith("https://");
}

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", config().AUTH_SECRET, "manage-portal", "manage-portal/device-cookie/v1", 32));
}

function mac(data: string) {
  return createHmac("sha256", key()).update(data).digest("base64url");
}

/** `mp_device_…`, `__Host-mp_device_…` over https. */
export function deviceCookiePrefix() {
  return secure() ? "__Host-mp_device_" : "mp_device_";
}

/** One cookie per account in a browser; the name says nothing about the account. */
export function deviceCookieName(userId: string) {
  return `${deviceCookiePrefix()}${mac(`name:${userId}`).slice(0, 12)}`;
}

function sign(userId: string, nonce: string) {
  return mac(`device:${userId}:${nonce}`);
}

/** The signed (account, nonce) pairs among the request's cookies; anything unsigned or malformed is no device. */
export function signedDevices(cookies: PresentedCookie[]): { userId: string; nonce: string }[] {
  const prefix = deviceCookiePrefix();
  const found: { userId: string; nonce: string }[] = [];
  for (const cookie of cookies.filter((c) => c.name.startsWith(prefix)).slice(0, MAX_PRESENTED)) {
    const [userId, nonce, signature, extra] = cookie.value.split(".");
    if (extra !== undefined || !userId || !nonce || !signature || !UUID.test(userId) || nonce.length > 100) continue;
    if (!constantTimeEqual(signature, sign(userId, nonce))) continue;
    found.push({ userId, nonce });
  }
  return found;
}

/** Cookies from a `Cookie` header (next-auth hands the door plain headers). */
export function parseCookieHeader(header: string | null | undefined): PresentedCookie[] {
  if (!header) return [];
  return header
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf("=");
      if (at < 0) return { name: part, value: "" };
      const raw = part.slice(at + 1);
      let value = raw;
      try {
        value = decodeURIComponent(raw);
      } catch {
        value = raw;
      }
      return { name: part.slice(0, at), value };
    });
}

/**
 * The known device among the presented cookies for the account with this
 * e-mail address: signature right, nonce on record, not revoked, not older
 * than `DEVICE_COOKIE_MAX_AGE_DAYS`, and the account the cookie names is the
 * one being signed in to. Null for everything else.
 */
export async function trustedDeviceFor(email: string, cookies: PresentedCookie[] | undefined, tx?: DbOrTx): Promise<TrustedDevice | null> {
  const signed = signedDevices(cookies ?? []);
  if (signed.length === 0) return null;
  const db = tx ?? (await getDb());
  const rows = await db
    .select({ id: deviceCookies.id, userId: deviceCookies.userId, nonceHash: deviceCookies.nonceHash })
    .from(deviceCookies)
    .innerJoin(users, eq(users.id, deviceCookies.userId))
    .where(
      and(
        inArray(deviceCookies.nonceHash, signed.map((s) => hashToken(s.nonce))),
        isNull(deviceCookies.revokedAt),
        gt(deviceCookies.createdAt, sql`now() - ${sql.raw(`interval '${DEVICE_COOKIE_MAX_AGE_DAYS} days'`)}`),
        eq(users.email, email.trim().toLowerCase()),
      ),
    );
  const match = rows.find((row) => signed.some((s) => s.userId === row.userId && hashToken(s.nonce) === row.nonceHash));
  return match ? { id: match.id, userId: match.userId } : null;
}

/** The rate-limit counter of a known device (used instead of the account's). */
export function deviceLoginKey(device: TrustedDevice): RateLimitKey {
  return { key: `login:device:${device.id}`, rule: DEVICE_LOGIN_RULE, name: "loginDevice" };
}

/**
 * After a successful browser sign-in: the device cookie to set, or null when
 * the browser already carries a valid one for this account (its last use is
 * noted). Runs in the login's transaction.
 */
export async function deviceCookieAfterLogin(tx: DbOrTx, userId: string, presented: PresentedCookie[] | undefined): Promise<DeviceCookie | null> {
  const mine = signedDevices(presented ?? []).filter((s) => s.userId === userId);
  if (mine.length > 0) {
    const touched = await tx
      .update(deviceCookies)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(deviceCookies.userId, userId),
          inArray(deviceCookies.nonceHash, mine.map((s) => hashToken(s.nonce))),
          isNull(deviceCookies.revokedAt),
          gt(deviceCookies.createdAt, sql`now() - ${sql.raw(`interval '${DEVICE_COOKIE_MAX_AGE_DAYS} days'`)}`),
        ),
      )
      .returning({ id: deviceCookies.id });
    if (touched.length > 0) return null;
  }
  const nonce = randomToken();
  await tx.insert(deviceCookies).values({ userId, nonceHash: hashToken(nonce) });
  return {
    name: deviceCookieName(userId),
    value: `${userId}.${nonce}.${sign(userId, nonce)}`,
    options: { httpOnly: true, secure: secure(), sameSite: "lax", path: "/", maxAge: DEVICE_COOKIE_MAX_AGE_DAYS * 86400 },
  };
}

/** Every device cookie of the account stops counting ("Überall abmelden", password change or reset). */
export async function revokeDeviceCookies(tx: DbOrTx, userId: string): Promise<number> {
  const rows = await tx
    .update(deviceCookies)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(deviceCookies.userId, userId), isNull(deviceCookies.revokedAt)))
    .returning({ id: deviceCookies.id });
  return rows.length;
}
