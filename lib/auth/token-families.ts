/**
 * API v1 login sessions ("token families"): one family per login, with
 * single-use refresh tokens (JWTs, stored as SHA-256). Rotation claims the
 * token with one conditional `UPDATE … WHERE used_at IS NULL`, so of
 * concurrent refreshes exactly one wins; a spent token presented again
 * revokes the whole family (`revoked_reason = reuse`). Access tokens carry the
 * family id (`sid`) and are checked against it on every request, so logout,
 * reuse and "Überall abmelden" end them at once.
 */
import { randomUUID } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedQuery } from "@/db/prepared";
import { isUuid } from "@/lib/http/params";
import { instances, refreshTokens, tokenFamilies, users } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { anonymousActor, recordActivity } from "@/lib/activity";
import { config } from "@/lib/config";
import { hashToken } from "@/lib/crypto/tokens";
import { AuthError } from "./errors";
import { signJwt, verifyJwt } from "./jwt";
import { assignedRolesSql, loadPrincipal, principalOf, type AssignedRole, type Principal } from "./principal";

export type TokenPair = { access_token: string; refresh_token: string; token_type: "bearer"; expires_in: number };
export type FamilyRevokeReason = "logout" | "logout_all" | "password_change";

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
  const token = await signJwt({ sub: userId, sid: familyId }, "refresh", ttlSeconds, { jti: randomUUID() });
  return { token, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
}

/** Opens a token family with its first refresh token, in the caller's transaction (see `finishLogin`). */
export async function openTokenFamily(tx: DbOrTx, userId: string, meta: { ip?: string | null; userAgent?: string | null }) {
  const familyExpires = new Date(Date.now() + config().JWT_REFRESH_TTL_DAYS * 86400_000);
  const [family] = await tx
    .insert(tokenFamilies)
    .values({ userId, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null, expiresAt: familyExpires })
    .returning({ id: tokenFamilies.id });
  const refresh = await signRefresh(userId, family.id);
  await tx.insert(refreshTokens).values({ familyId: family.id, tokenHash: refresh.tokenHash, expiresAt: refresh.expiresAt });
  return { familyId: family.id, refreshToken: refresh.token };
}

/** The token pair of an opened family: the access token is signed once the family is committed. */
export async function tokenPair(principal: Principal, family: { familyId: string; refreshToken: string }): Promise<TokenPair> {
  const access = await signAccess(principal, family.familyId);
  return { access_token: access.token, refresh_token: family.refreshToken, token_type: "bearer", expires_in: access.ttl };
}

/**
 * Rotates a refresh token. Claiming the token is one conditional UPDATE, so of
 * several concurrent requests with the same token exactly one gets the row; a
 * token presented after it was spent is treated as stolen: the whole family
 * (including the winner's new tokens) is revoked and the event logged.
 */
export async function rotateRefreshToken(token: string, meta: { ip?: string | null }): Promise<TokenPair> {
  await verifyJwt(token, "refresh").catch(() => {
    throw new AuthError(401, "invalid_refresh_token", INVALID_REFRESH);
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
    return tokenPair(await loadPrincipal(result.user, null), { familyId: result.familyId, refreshToken: result.refresh });
  }
  if (result.kind === "rejected") {
    // Known but already spent → reuse (theft). Unknown or expired → just invalid.
    const [known] = await db
      .select({ familyId: refreshTokens.familyId, usedAt: refreshTokens.usedAt })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash));
    if (known?.usedAt) await revokeFamilyForReuse(known.familyId, meta.ip ?? null);
  }
  throw new AuthError(401, "invalid_refresh_token", INVALID_REFRESH);
}

/** Whoever presents a spent token has not proven to be the account holder: the entry is anonymous, about the account. */
async function revokeFamilyForReuse(familyId: string, ip: string | null) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(tokenFamilies)
      .set({ revokedAt: sql`now()`, revokedReason: "reuse" })
      .where(and(eq(tokenFamilies.id, familyId), isNull(tokenFamilies.revokedAt)))
      .returning({ userId: tokenFamilies.userId });
    if (!revoked) return;
    const [user] = await tx.select().from(users).where(eq(users.id, revoked.userId));
    await recordActivity(tx, anonymousActor(ip, user ?? null), {
      instanceId: user?.instanceId ?? null,
      action: "api.refresh_token_reuse",
      description: "Wiederverwendeter Refresh-Token erkannt – alle Tokens dieser Sitzung wurden widerrufen",
      metadata: { family_id: familyId },
    });
  });
}

export async function revokeFamily(familyId: string, reason: FamilyRevokeReason, tx?: DbOrTx) {
  const db = tx ?? (await getDb());
  const rows = await db
    .update(tokenFamilies)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(tokenFamilies.id, familyId), isNull(tokenFamilies.revokedAt)))
    .returning({ id: tokenFamilies.id });
  return rows.length > 0;
}

/** Revokes every live family of a user (optionally but one); returns how many. */
export async function revokeUserFamilies(
  userId: string,
  reason: "logout_all" | "password_change",
  options: { exceptFamilyId?: string; tx?: DbOrTx } = {},
) {
  const db = options.tx ?? (await getDb());
  const rows = await db
    .update(tokenFamilies)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(
      and(
        eq(tokenFamilies.userId, userId),
        isNull(tokenFamilies.revokedAt),
        options.exceptFamilyId ? sql`${tokenFamilies.id} <> ${options.exceptFamilyId}` : undefined,
      ),
    )
    .returning({ id: tokenFamilies.id });
  return rows.length;
}

/** Is the access token's family still live? (Checked on every request, so logout works at once.) */
/**
 * The user of an access token with their roles and whether the token's family
 * is still live, in ONE prepared query (every API v1 request runs it).
 */
function accessPrincipalQuery(db: Db) {
  return preparedQuery(db, "access_principal", (db) =>
    db
      .select({
        user: users,
        familyActive: sql<boolean>`exists (select 1 from ${tokenFamilies} f where f.id = ${sql.placeholder("familyId")}::uuid
          and f.user_id = ${sql.placeholder("userId")}::uuid and f.revoked_at is null and f.expires_at > now())`,
        // By the placeholder, not the column: in a one-table select drizzle writes a bare "id" that a sub-select would bind to its own table.
        roles: assignedRolesSql(sql`${sql.placeholder("userId")}::uuid`),
      })
      .from(users)
      .where(eq(users.id, sql.placeholder("userId")))
      .limit(1)
      .prepare("access_principal"),
  );
}

/**
 * The principal and family of an access token: signature, claims and use
 * checked, the family still live (401 `token_revoked` otherwise). Null when
 * the account is no longer active.
 */
export async function resolveAccessToken(token: string): Promise<{ principal: Principal; familyId: string } | null> {
  const payload = await verifyJwt(token, "access");
  const userId = String(payload.sub);
  const familyId = typeof payload.sid === "string" ? payload.sid : "";
  if (!isUuid(familyId) || !isUuid(userId)) throw new AuthError(401, "token_revoked", "Die Sitzung wurde beendet. Bitte neu anmelden.");
  // A database failure propagates (503 at the door): an outage is not a logout, the client keeps its tokens.
  const [row] = await accessPrincipalQuery(await getDb()).execute({ familyId, userId });
  if (!row?.familyActive) throw new AuthError(401, "token_revoked", "Die Sitzung wurde beendet. Bitte neu anmelden.");
  if (!row.user.active) return null;
  const assigned = typeof row.roles === "string" ? (JSON.parse(row.roles) as AssignedRole[]) : row.roles;
  return { principal: principalOf(row.user, assigned, null), familyId };
}
