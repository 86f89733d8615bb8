import { and, eq, gt, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { sessions, users, type SESSION_REVOKE_REASONS } from "@/db/schema";
import { config } from "@/lib/config";
import { hashToken, randomToken } from "@/lib/crypto/tokens";

export type SessionKind = "api" | "browser";
export type SessionRevokeReason = (typeof SESSION_REVOKE_REASONS)[number];

/** Opens a portal session; `tx` joins the caller's transaction (see `finishLogin`). */
export async function createSession(userId: string, kind: SessionKind, meta: { ip?: string | null; userAgent?: string | null } = {}, tx?: DbOrTx) {
  const db = tx ?? (await getDb());
  const token = randomToken();
  const expiresAt = new Date(Date.now() + config().SESSION_TTL_HOURS * 3600_000);
  const [row] = await db
    .insert(sessions)
    // A login has just checked the password or a passkey: the session starts in re-authenticated ("sudo") mode.
    .values({ userId, tokenHash: hashToken(token), kind, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null, expiresAt, reauthenticatedAt: sql`now()` })
    .returning({ id: sessions.id });
  return { token, sessionId: row.id, expiresAt };
}

/** Finds the live session of a token (not expired, not revoked, user active). */
export async function findActiveSession(token: string) {
  const db = await getDb();
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .limit(1);
  if (!row || !row.user.active) return null;
  // Touch at most once a minute to keep writes low.
  if (Date.now() - row.session.lastUsedAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastUsedAt: new Date() }).where(eq(sessions.id, row.session.id));
  }
  return row;
}

/** Ends one session (why: `reason`, shown on the login page); true when it was still live. */
export async function revokeSession(sessionId: string, tx?: DbOrTx, reason: SessionRevokeReason = "logout") {
  const db = tx ?? (await getDb());
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/** Ends every session of a user, optionally keeping the current one. */
export async function revokeUserSessions(userId: string, options: { exceptSessionId?: string; tx?: DbOrTx; reason: SessionRevokeReason }) {
  const db = options.tx ?? (await getDb());
  const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  if (options.exceptSessionId) conditions.push(ne(sessions.id, options.exceptSessionId));
  await db.update(sessions).set({ revokedAt: new Date(), revokedReason: options.reason }).where(and(...conditions));
}

/**
 * Why the session of this token ended, if it was ended (not merely expired):
 * the login page says "auf einem anderen Gerät beendet" instead of "abgelaufen".
 */
export async function endedSessionReason(token: string): Promise<SessionRevokeReason | null> {
  const db = await getDb();
  const [row] = await db
    .select({ reason: sessions.revokedReason })
    .from(sessions)
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNotNull(sessions.revokedAt)))
    .limit(1);
  return row?.reason ?? null;
}
