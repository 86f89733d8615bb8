import { randomUUID } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances, refreshTokens, tokenFamilies, users } from "@/db/schema";
import { logActivity } from "@/lib/activity";
import { loadPrincipal, type Principal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { hashToken } from "@/lib/crypto/tokens";
import { V1Error } from "./errors";
import { signJwt, verifyJwt } from "./jwt";

type UserRow = typeof users.$inferSelect;

export type TokenPair = { access_token: string; refresh_token: string; token_type: "bearer"; expires_in: number };

const INVALID_REFRESH = "Der Refresh-Token ist ungültig oder abgelaufen. Bitte neu anmelden.";

/** tenant_id / tenant_scope of a user: the instance's UUID, null for MSP staff (cross-tenant). */
export async function tenantClaims(principal: Principal): Promise<{ tenant_id: string | null; tenant_scope: string | null }> {
  if (principal.instanceId === null) return { tenant_id: null, tenant_scope: null };
  const db = await getDb();
  const [row] = await db.select({ uuid: instances.uuid }).from(instances).where(eq(instances.id, principal.instanceId));
  const uuid = row?.uuid ?? null;
  return { tenant_id: uuid, tenant_scope: principal.staff ? null : uuid };
}

async function signAccess(principal: Principal, familyId: string) {
  const ttl = config().JWT_ACCESS_TTL_SECONDS;
  const tenant = await tenantClaims(principal);
  const token = await signJwt({ sub: principal.userId, ...tenant, sid: familyId }, "access", ttl, { jti: randomUUID() });
  return { token, ttl };
}

async function signRefresh(userId: string, familyId: string) {
  const ttlSeconds = config().JWT_REFRESH_TTL_DAYS * 86400;
  const jti = randomUUID();
  const token = await signJwt({ sub: userId, sid: familyId }, "refresh", ttlSeconds, { jti });
  return { token, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
}

/** A new login session (token family) with its first access and refresh token. */
export async function issueTokenPair(user: UserRow, meta: { ip?: string | null; userAgent?: string | null }): Promise<TokenPair> {
  const db = await getDb();
  const principal = await loadPrincipal(user, null);
  const familyExpires = new Date(Date.now() + config().JWT_REFRESH_TTL_DAYS * 86400_000);
  const [family] = await db
    .insert(tokenFamilies)
    .values({ userId: user.id, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null, expiresAt: familyExpires })
    .returning({ id: tokenFamilies.id });
  const refresh = await signRefresh(user.id, family.id);
  await db.insert(refreshTokens).values({ familyId: family.id, tokenHash: refresh.tokenHash, expiresAt: refresh.expiresAt });
  const access = await signAccess(principal, family.id);
  return { access_token: access.token, refresh_token: refresh.token, token_type: "bearer", expires_in: access.ttl };
}

/**
 * Rotates a refresh token. Claiming the token is one conditional UPDATE, so of
 * several concurrent requests with the same token exactly one gets the row; a
 * token presented after it was spent is treated as stolen: the whole family
 * (including the winner's new tokens) is revoked and the event logged.
 */
export async function rotateRefreshToken(token: string, meta: { ip?: string | null }): Promise<TokenPair> {
  const payload = await verifyJwt(token, "refresh").catch(() => {
    throw new V1Error(401, "invalid_refresh_token", INVALID_REFRESH);
  });
  const db = await getDb();
  const tokenHash = hashToken(token);
  const result = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(refreshTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt), gt(refreshTokens.expiresAt, sql`now()`)))
      .returning({ familyId: refreshTokens.familyId });
    if (!claimed) return { kind: "rejected" as const };
    const [family] = await tx
      .select({ family: tokenFamilies, user: users })
      .from(tokenFamilies)
      .innerJoin(users, eq(users.id, tokenFamilies.userId))
      .where(eq(tokenFamilies.id, claimed.familyId));
    if (!family || family.family.revokedAt || family.family.expiresAt.getTime() <= Date.now() || !family.user.active) {
      return { kind: "dead" as const };
    }
    const next = await signRefresh(family.user.id, family.family.id);
    await tx.insert(refreshTokens).values({ familyId: family.family.id, tokenHash: next.tokenHash, expiresAt: next.expiresAt });
    await tx.update(tokenFamilies).set({ lastUsedAt: sql`now()` }).where(eq(tokenFamilies.id, family.family.id));
    return { kind: "ok" as const, user: family.user, familyId: family.family.id, refresh: next.token };
  });

  if (result.kind === "ok") {
    const access = await signAccess(await loadPrincipal(result.user, null), result.familyId);
    return { access_token: access.token, refresh_token: result.refresh, token_type: "bearer", expires_in: access.ttl };
  }
  if (result.kind === "rejected") {
    // Known but already spent → reuse (theft). Unknown or expired → just invalid.
    const [known] = await db
      .select({ familyId: refreshTokens.familyId, usedAt: refreshTokens.usedAt })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash));
    if (known?.usedAt) await revokeFamilyForReuse(known.familyId, meta.ip ?? null, String(payload.sub ?? ""));
  }
  throw new V1Error(401, "invalid_refresh_token", INVALID_REFRESH);
}

async function revokeFamilyForReuse(familyId: string, ip: string | null, _sub: string) {
  const db = await getDb();
  const [revoked] = await db
    .update(tokenFamilies)
    .set({ revokedAt: sql`now()`, revokedReason: "reuse" })
    .where(and(eq(tokenFamilies.id, familyId), isNull(tokenFamilies.revokedAt)))
    .returning({ userId: tokenFamilies.userId });
  if (!revoked) return;
  const [user] = await db.select().from(users).where(eq(users.id, revoked.userId));
  await logActivity({
    instanceId: user?.instanceId ?? null,
    userId: revoked.userId,
    actorName: user?.name ?? null,
    action: "api.refresh_token_reuse",
    description: "Wiederverwendeter Refresh-Token erkannt – alle Tokens dieser Sitzung wurden widerrufen",
    level: "warning",
    metadata: { family_id: familyId },
    ip,
  });
}

export async function revokeFamily(familyId: string, reason: "logout" | "logout_all" | "password_change") {
  const db = await getDb();
  const rows = await db
    .update(tokenFamilies)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(tokenFamilies.id, familyId), isNull(tokenFamilies.revokedAt)))
    .returning({ id: tokenFamilies.id });
  return rows.length > 0;
}

export async function revokeUserFamilies(userId: string, reason: "logout_all" | "password_change", exceptFamilyId?: string) {
  const db = await getDb();
  const rows = await db
    .update(tokenFamilies)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(tokenFamilies.userId, userId), isNull(tokenFamilies.revokedAt), exceptFamilyId ? sql`${tokenFamilies.id} <> ${exceptFamilyId}` : undefined))
    .returning({ id: tokenFamilies.id });
  return rows.length;
}

/** Is the access token's family still live? (Checked on every request, so logout works at once.) */
export async function familyIsActive(familyId: string, userId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ id: tokenFamilies.id })
    .from(tokenFamilies)
    .where(and(eq(tokenFamilies.id, familyId), eq(tokenFamilies.userId, userId), isNull(tokenFamilies.revokedAt), gt(tokenFamilies.expiresAt, sql`now()`)))
    .limit(1);
  return Boolean(row);
}

export async function listActiveFamilies(userId: string) {
  const db = await getDb();
  return db
    .select()
    .from(tokenFamilies)
    .where(and(eq(tokenFamilies.userId, userId), isNull(tokenFamilies.revokedAt), gt(tokenFamilies.expiresAt, sql`now()`)));
}
