import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { sessions, tokenFamilies, users } from "@/db/schema";
import { logActivity } from "@/lib/activity";
import type { Principal } from "@/lib/auth/principal";
import { verifyPassword } from "@/lib/auth/passwords";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { ValidationError } from "@/lib/errors";
import type { V1Auth } from "./auth";
import { revokeUserFamilies } from "./tokens";

/** Turns e-mail 2FA on or off after checking the password. */
export async function setTwoFactor(principal: Principal, input: { enabled: boolean; password: string }, ip?: string) {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, principal.userId));
  if (!(await verifyPassword(user?.passwordHash, input.password))) {
    throw new ValidationError({ password: ["Das Passwort ist falsch."] });
  }
  await db.update(users).set({ twoFactorEnabled: input.enabled, updatedAt: new Date() }).where(eq(users.id, user.id));
  if (user.twoFactorEnabled !== input.enabled) {
    await logActivity({
      instanceId: user.instanceId,
      userId: user.id,
      actorName: user.name,
      action: input.enabled ? "auth.2fa_enabled" : "auth.2fa_disabled",
      description: input.enabled ? "Zwei-Faktor-Anmeldung per E-Mail aktiviert" : "Zwei-Faktor-Anmeldung per E-Mail deaktiviert",
      level: input.enabled ? "info" : "warning",
      ip,
    });
  }
  return {
    two_factor_enabled: input.enabled,
    message: input.enabled
      ? "Die Zwei-Faktor-Anmeldung ist aktiv. Bei der nächsten Anmeldung senden wir Ihnen einen Code per E-Mail."
      : "Die Zwei-Faktor-Anmeldung ist deaktiviert.",
  };
}

export async function twoFactorStatus(userId: string) {
  const db = await getDb();
  const [user] = await db.select({ enabled: users.twoFactorEnabled, email: users.email }).from(users).where(eq(users.id, userId));
  return { two_factor_enabled: Boolean(user?.enabled), email: user?.email ?? null };
}

const KIND_LABELS = { browser: "Browser", manage_api: "Manage-API", api_v1: "API v1 (Token)" } as const;

/** The user's active sessions: browser and manage-API sessions plus API v1 token families. */
export async function listSessions(auth: V1Auth) {
  const db = await getDb();
  const userId = auth.principal.userId;
  const portal = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.lastUsedAt));
  const families = await db
    .select()
    .from(tokenFamilies)
    .where(and(eq(tokenFamilies.userId, userId), isNull(tokenFamilies.revokedAt), gt(tokenFamilies.expiresAt, sql`now()`)))
    .orderBy(desc(tokenFamilies.lastUsedAt));
  const list = [
    ...portal.map((s) => {
      const kind = s.kind === "browser" ? ("browser" as const) : ("manage_api" as const);
      return {
        id: s.id,
        kind,
        kind_label: KIND_LABELS[kind],
        ip: s.ip,
        user_agent: s.userAgent,
        created_at: s.createdAt.toISOString(),
        last_used_at: s.lastUsedAt.toISOString(),
        current: auth.principal.sessionId === s.id,
      };
    }),
    ...families.map((f) => ({
      id: f.id,
      kind: "api_v1" as const,
      kind_label: KIND_LABELS.api_v1,
      ip: f.ip,
      user_agent: f.userAgent,
      created_at: f.createdAt.toISOString(),
      last_used_at: f.lastUsedAt.toISOString(),
      current: auth.familyId === f.id,
    })),
  ];
  list.sort((a, b) => b.last_used_at.localeCompare(a.last_used_at));
  return { sessions: list };
}

/** "Überall abmelden": ends every browser and manage-API session and every API v1 token family of the user. */
export async function signOutEverywhere(principal: Principal, ip?: string) {
  await revokeUserSessions(principal.userId);
  const families = await revokeUserFamilies(principal.userId, "logout_all");
  await logActivity({
    instanceId: principal.instanceId,
    userId: principal.userId,
    actorName: principal.name,
    action: "auth.logout_all",
    description: "Überall abgemeldet (alle Sitzungen beendet)",
    metadata: { token_families: families },
    ip,
  });
  return { message: "Sie wurden überall abgemeldet." };
}
