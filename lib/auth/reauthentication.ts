/**
 * Re-authentication ("sudo mode") for sensitive account changes: changing the
 * password, the authenticator app, passkeys, recovery codes, 2FA, API keys and
 * webhooks. The password (or a passkey) confirmed once keeps the login session
 * in sudo mode for 10 minutes. The moment is kept server-side with the session
 * (`sessions.reauthenticated_at` for portal sessions, `token_families.
 * reauthenticated_at` for API v1 logins), so every app process sees it.
 *
 * - A login has just checked the password or a passkey, so a new session
 *   starts in sudo mode.
 * - Actions that already carry the password (app set-up, recovery codes,
 *   password change, …) keep asking for it; a correct password there also
 *   renews sudo mode.
 * - Every password check here is limited per account and per address like a
 *   password change (5 per 5 minutes), so an open session cannot be used to
 *   guess the password behind it.
 * - A personal access token has no login session: the doors decide whether an
 *   action is open to it (webhooks, for automation) or not (account security).
 */
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { sessions, tokenFamilies, users } from "@/db/schema";
import type { CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { AuthError } from "./errors";
import { verifyPassword } from "./passwords";
import type { AuthActor, Principal } from "./principal";
import { limitedAttempt, LOGIN_RATE_LIMITS } from "./rate-limits";

type UserRow = typeof users.$inferSelect;

/** How long one confirmation keeps a session in sudo mode. */
export const REAUTHENTICATION_WINDOW_SECONDS = 600;

export const REAUTHENTICATION_REQUIRED_MESSAGE = "Bitte bestätigen Sie diese Änderung mit Ihrem Passwort (gilt dann 10 Minuten).";

/**
 * The password of a security setting, limited per account and per address like a password change; renews sudo mode.
 * The check and its limit run before any transaction of the caller's command (argon2 is slow); `options.tx` only
 * carries the reads and the renewal.
 */
export async function confirmAccountPassword(actor: AuthActor, input: { password: string }, options?: CommandOptions): Promise<UserRow> {
  const { principal, ip } = actor;
  const { password } = input;
  const keys = [
    { key: `password-confirm:account:${principal.userId}`, rule: LOGIN_RATE_LIMITS.passwordChange, name: "passwordConfirmAccount" },
    { key: `password-confirm:ip:${ip ?? "unknown"}`, rule: LOGIN_RATE_LIMITS.passwordChange, name: "passwordConfirmIp" },
  ];
  const user = await limitedAttempt(keys, `password-confirm:${principal.userId}`, async () => {
    const db = options?.tx ?? (await getDb());
    const [user] = await db.select().from(users).where(eq(users.id, principal.userId));
    if (!user) throw new NotFoundError("Das Konto wurde nicht gefunden.");
    if (!(await verifyPassword(user.passwordHash, password))) throw new ValidationError({ password: ["Das Passwort ist falsch."] });
    return user;
  });
  await markReauthenticated(principal, options?.tx);
  return user;
}

/** Starts (or renews) sudo mode for the caller's login session after a confirmed password or passkey. */
export async function markReauthenticated(principal: Principal, tx?: DbOrTx): Promise<Date | null> {
  const db = tx ?? (await getDb());
  if (principal.sessionId) {
    const [row] = await db
      .update(sessions)
      .set({ reauthenticatedAt: sql`now()` })
      .where(eq(sessions.id, principal.sessionId))
      .returning({ at: sessions.reauthenticatedAt });
    return row?.at ?? null;
  }
  if (principal.familyId) {
    const [row] = await db
      .update(tokenFamilies)
      .set({ reauthenticatedAt: sql`now()` })
      .where(eq(tokenFamilies.id, principal.familyId))
      .returning({ at: tokenFamilies.reauthenticatedAt });
    return row?.at ?? null;
  }
  return null;
}

/** `POST …/auth/reauthenticate`: the password once; answers until when sudo mode lasts. */
export async function reauthenticate(actor: AuthActor, input: { password: string }, options?: CommandOptions) {
  const { principal } = actor;
  if (!principal.sessionId && !principal.familyId) {
    throw new AuthError(403, "forbidden", "Mit einem API-Schlüssel ist keine Bestätigung möglich. Bitte mit E-Mail und Passwort anmelden.");
  }
  await confirmAccountPassword(actor, { password: input.password }, options);
  const until = await reauthenticatedUntil(principal, options?.tx);
  return { message: "Bestätigt. Änderungen an der Sicherheit sind jetzt 10 Minuten ohne erneute Passwortabfrage möglich.", reauthenticated_until: until };
}

/** Until when the caller's session is in sudo mode (null: not at all, or no login session). */
export async function reauthenticatedUntil(principal: Principal, tx?: DbOrTx): Promise<string | null> {
  const db = tx ?? (await getDb());
  const until = (column: typeof sessions.reauthenticatedAt | typeof tokenFamilies.reauthenticatedAt) =>
    sql<string | null>`case when ${column} > now() - make_interval(secs => ${REAUTHENTICATION_WINDOW_SECONDS})
      then to_char((${column} + make_interval(secs => ${REAUTHENTICATION_WINDOW_SECONDS})) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') end`;
  if (principal.sessionId) {
    const [row] = await db.select({ until: until(sessions.reauthenticatedAt) }).from(sessions).where(eq(sessions.id, principal.sessionId));
    return row?.until ?? null;
  }
  if (principal.familyId) {
    const [row] = await db.select({ until: until(tokenFamilies.reauthenticatedAt) }).from(tokenFamilies).where(eq(tokenFamilies.id, principal.familyId));
    return row?.until ?? null;
  }
  return null;
}

/**
 * Refuses a sensitive change unless the caller's login session confirmed the
 * password or a passkey within the last 10 minutes: 403 `reauthentication_required`.
 */
export async function assertRecentAuthentication(principal: Principal): Promise<void> {
  if (await reauthenticatedUntil(principal)) return;
  throw new AuthError(403, "reauthentication_required", REAUTHENTICATION_REQUIRED_MESSAGE, { reauthentication_required: true });
}
