/**
 * The account's own sessions: browser and manage-API sessions plus API v1
 * token families, listed together and ended together ("Überall abmelden").
 */
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { sessions, tokenFamilies } from "@/db/schema";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import { recordActivity } from "@/lib/activity";
import { NotFoundError } from "@/lib/errors";
import { apiTimestamp } from "@/lib/time";
import type { AuthActor, NoInput } from "./principal";
import { deviceLabel, UNKNOWN_DEVICE } from "./devices";
import { approximateLocation } from "./geo-location";
import { revokeSession, revokeUserSessions } from "./sessions";
import { revokeFamily, revokeUserFamilies } from "./token-families";
import { revokeDeviceCookies } from "./device-cookies";

const KIND_LABELS = { browser: "Browser", manage_api: "Manage-API", api_v1: "API v1 (Token)" } as const;

/** The caller, as far as "which of these is mine" goes. */
export type CurrentLogin = { userId: string; sessionId: string | null; familyId: string | null };

/** The user's active sessions, most recently used first; `current` marks the caller's own. */
export async function listSessions(current: CurrentLogin) {
  const db = await getDb();
  const portal = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, current.userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.lastUsedAt));
  const families = await db
    .select()
    .from(tokenFamilies)
    .where(and(eq(tokenFamilies.userId, current.userId), isNull(tokenFamilies.revokedAt), gt(tokenFamilies.expiresAt, sql`now()`)))
    .orderBy(desc(tokenFamilies.lastUsedAt));
  const rows = [
    ...portal.map((s) => ({ row: s, kind: s.kind === "browser" ? ("browser" as const) : ("manage_api" as const), current: current.sessionId === s.id })),
    ...families.map((f) => ({ row: f, kind: "api_v1" as const, current: current.familyId === f.id })),
  ].sort((a, b) => b.row.lastUsedAt.getTime() - a.row.lastUsedAt.getTime());
  return {
    sessions: await Promise.all(rows.map(async ({ row, kind, current: isCurrent }) => ({
      id: row.id,
      kind,
      kind_label: KIND_LABELS[kind],
      ip: row.ip,
      user_agent: row.userAgent,
      device: deviceLabel(row.userAgent) ?? UNKNOWN_DEVICE,
      /** "Nürnberg, Deutschland" from the local GeoIP database; null without one or for unknown/private addresses. */
      approximate_location: await approximateLocation(row.ip),
      created_at: apiTimestamp(row.createdAt),
      last_used_at: apiTimestamp(row.lastUsedAt),
      current: isCurrent,
    }))),
  };
}

export type SessionView = Awaited<ReturnType<typeof listSessions>>["sessions"][number];

/** "Überall abmelden": ends every browser and manage-API session and every API v1 token family of the user. */
export async function signOutEverywhere(actor: AuthActor, _input: NoInput = {}, options?: CommandOptions) {
  const { principal } = actor;
  await inTransaction(options, async (tx) => {
    // The other devices learn at their next request that they were signed out elsewhere; the caller's own login ends as a logout.
    await revokeUserSessions(principal.userId, { tx, reason: "ended_elsewhere", exceptSessionId: principal.sessionId ?? undefined });
    if (principal.sessionId) await revokeSession(principal.sessionId, tx, "logout_all");
    const current = principal.familyId ?? undefined;
    const families =
      (await revokeUserFamilies(principal.userId, "ended_elsewhere", { tx, exceptFamilyId: current })) +
      (current && (await revokeFamily(current, "logout_all", tx)) ? 1 : 0);
    await revokeDeviceCookies(tx, principal.userId);
    await recordActivity(tx, actor, {
      instanceId: principal.instanceId,
      action: "auth.logout_all",
      description: "Überall abgemeldet (alle Sitzungen beendet)",
      metadata: { token_families: families },
    });
  });
  return { message: "Sie wurden überall abgemeldet." };
}

/**
 * Ends one of the user's own sessions or API v1 logins (any of the list's
 * ids). Another user's id, or one already ended, is "not found".
 */
export async function endSession(actor: AuthActor, input: { id: string }, options?: CommandOptions) {
  const { principal } = actor;
  const { id } = input;
  return inTransaction(options, async (tx) => {
    const [session] = await tx
      .select({ id: sessions.id, userAgent: sessions.userAgent })
      .from(sessions)
      .where(and(eq(sessions.id, id), eq(sessions.userId, principal.userId), isNull(sessions.revokedAt)));
    const [family] = session
      ? []
      : await tx
          .select({ id: tokenFamilies.id, userAgent: tokenFamilies.userAgent })
          .from(tokenFamilies)
          .where(and(eq(tokenFamilies.id, id), eq(tokenFamilies.userId, principal.userId), isNull(tokenFamilies.revokedAt)));
    // Ended from another session: that device's next request says so ("auf einem anderen Gerät beendet").
    const own = session ? principal.sessionId === session.id : principal.familyId === family?.id;
    const reason = own ? "logout" : "ended_elsewhere";
    const ended = session ? await revokeSession(session.id, tx, reason) : family ? await revokeFamily(family.id, reason, tx) : false;
    if (!ended) throw new NotFoundError("Die Sitzung wurde nicht gefunden oder ist bereits beendet.");
    const device = deviceLabel((session ?? family)?.userAgent) ?? UNKNOWN_DEVICE;
    await recordActivity(tx, actor, {
      instanceId: principal.instanceId,
      action: "auth.session_ended",
      description: `Sitzung beendet (${device})`,
      metadata: { kind: session ? "session" : "token_family" },
    });
    return { message: `Die Sitzung „${device}“ wurde beendet.`, current: principal.sessionId === id };
  });
}
