/**
 * API v1 login sessions ("token families"): one family per login, with
 * single-use refresh tokens (JWTs, stored as SHA-256). Rotation claims the
 * token with one conditional `UPDATE … WHERE used_at IS NULL`, so of
 * concurrent refreshes exactly one wins; a spent token presented again
 * revokes the whole family (`revoked_reason = reuse`). Access tokens carry the
 * family id (`sid`) and are checked against it on every request, so logout,
 * reuse and "Überall abmelden" end them at once.
 */
import { createHmac, randomUUID } from "node:crypto";
import { and, eq, gt, isNull, sql, type Placeholder } from "drizzle-orm";
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
export type FamilyRevokeReason = "logout" | "logout_all" | "ended_elsewhere" | "password_change";

const INVALID_REFRESH = "Der Refresh-Token ist ungültig oder abgelaufen. Bitte neu anmelden.";

/** tenant_id / tenant_scope of a user: the instance's UUID, null for MSP staff (cross-tenant). */
export async function tenantClaims(principal: Principal): Promise<{ tenant_id: string | null; tenant_scope: string | null }> {
  if (principal.instanceId === null) return { tenant_id: null, tenant_scope: null };
  const [row] = await tenantUuidSelect(await getDb(), principal.instanceId);
  const uuid = row?.uuid ?? null;
  return { tenant_id: uuid, tenant_scope: principal.staff ? null : uuid };
}

/** The query of `tenantClaims` as a builder (the benchmark's bare server renders it with a placeholder). */
export function tenantUuidSelect(db: Db, instanceId: number | Placeholder) {
  return db.select({ uuid: instances.uuid }).from(instances).where(eq(instances.id, instanceId));
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
    .values({ userId, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null, expiresAt: familyExpires, reauthenticatedAt: sql`now()` })
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
 * The reuse interval: the same client (same address and user agent) presenting
 * a spent refresh token within this many seconds of spending it gets the same
 * new pair again, as with Auth0's "reuse interval". Two tabs refreshing at
 * once, or a retry after a lost answer, then keep the session; any other reuse
 * still revokes the family.
 */
export const REFRESH_REUSE_INTERVAL_SECONDS = 10;

/**
 * The successor pair of a spent refresh token is derived, not stored: its
 * `jti`s are HMACs of the spent token's hash under AUTH_SECRET and its issue
 * time is recorded, so signing again yields the identical tokens. Nothing
 * readable is kept at rest; the result is checked against the stored hash.
 */
function successorJti(spentHash: string, use: "access" | "refresh") {
  const mac = createHmac("sha256", config().AUTH_SECRET).update(`refresh-successor:${use}:${spentHash}`).digest("hex");
  return `${mac.slice(0, 8)}-${mac.slice(8, 12)}-${mac.slice(12, 16)}-${mac.slice(16, 20)}-${mac.slice(20, 32)}`;
}

function successorRefresh(userId: string, familyId: string, spentHash: string, iatSeconds: number) {
  return signJwt({ sub: userId, sid: familyId }, "refresh", config().JWT_REFRESH_TTL_DAYS * 86400, {
    jti: successorJti(spentHash, "refresh"),
    now: iatSeconds * 1000,
  });
}

async function successorPair(principal: Principal, familyId: string, spentHash: string, iatSeconds: number, refreshToken: string): Promise<TokenPair> {
  const ttl = config().JWT_ACCESS_TTL_SECONDS;
  const tenant = await tenantClaims(principal);
  const access = await signJwt({ sub: principal.userId, ...tenant, sid: familyId }, "access", ttl, {
    jti: successorJti(spentHash, "access"),
    now: iatSeconds * 1000,
  });
  return { access_token: access, refresh_token: refreshToken, token_type: "bearer", expires_in: ttl };
}

type RefreshClient = { ip?: string | null; userAgent?: string | null };

/**
 * Rotates a refresh token. Claiming the token is one conditional UPDATE, so of
 * several concurrent requests with the same token exactly one gets the row.
 * A token presented after it was spent is treated as stolen — the whole family
 * (including the winner's new tokens) is revoked and the event logged — unless
 * the same client repeats it within the reuse interval: then it gets the same
 * new pair. The interval is measured by the database clock, so every app
 * process judges alike.
 */
export async function rotateRefreshToken(token: string, client: RefreshClient): Promise<TokenPair> {
  await verifyJwt(token, "refresh").catch(() => {
    throw new AuthError(401, "invalid_refresh_token", INVALID_REFRESH);
  });
  const db = await getDb();
  const tokenHash = hashToken(token);
  const userAgent = client.userAgent?.slice(0, 300) ?? null;
  const result = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(refreshTokens)
      .set({ usedAt: sql`now()`, usedIp: client.ip ?? null, usedUserAgent: userAgent })
      .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt), gt(refreshTokens.expiresAt, sql`now()`)))
      .returning({ id: refreshTokens.id, familyId: refreshTokens.familyId });
    if (!claimed) return { kind: "rejected" as const };
    const [family] = await tx
      .select({ family: tokenFamilies, user: users })
      .from(tokenFamilies)
      .innerJoin(users, eq(users.id, tokenFamilies.userId))
      .where(eq(tokenFamilies.id, claimed.familyId));
    if (!family || family.family.revokedAt || family.family.expiresAt.getTime() <= Date.now() || !family.user.active) {
      return { kind: "dead" as const };
    }
    const iat = Math.floor(Date.now() / 1000);
    const refresh = await successorRefresh(family.user.id, family.family.id, tokenHash, iat);
    const [next] = await tx
      .insert(refreshTokens)
      .values({ familyId: family.family.id, tokenHash: hashToken(refresh), expiresAt: new Date((iat + config().JWT_REFRESH_TTL_DAYS * 86400) * 1000) })
      .returning({ id: refreshTokens.id });
    await tx.update(refreshTokens).set({ successorId: next.id, successorIat: iat }).where(eq(refreshTokens.id, claimed.id));
    await tx.update(tokenFamilies).set({ lastUsedAt: sql`now()` }).where(eq(tokenFamilies.id, family.family.id));
    return { kind: "ok" as const, user: family.user, familyId: family.family.id, iat, refresh };
  });

  if (result.kind === "ok") {
    return successorPair(await loadPrincipal(result.user, null), result.familyId, tokenHash, result.iat, result.refresh);
  }
  if (result.kind === "rejected") {
    const repeated = await repeatWithinReuseInterval(tokenHash, client.ip ?? null, userAgent);
    if (repeated.kind === "pair") return repeated.pair;
    // Known but already spent, and not a repeat → reuse (theft). Unknown or expired → just invalid.
    if (repeated.kind === "reuse") await revokeFamilyForReuse(repeated.familyId, client.ip ?? null);
  }
  throw new AuthError(401, "invalid_refresh_token", INVALID_REFRESH);
}

/**
 * A spent token presented again: the same pair for the same client within the
 * interval (family still live, successor re-derived to the stored hash),
 * otherwise "reuse" for a known spent token.
 */
async function repeatWithinReuseInterval(
  tokenHash: string,
  ip: string | null,
  userAgent: string | null,
): Promise<{ kind: "pair"; pair: TokenPair } | { kind: "reuse"; familyId: string } | { kind: "unknown" }> {
  const db = await getDb();
  const [known] = await db
    .select({
      familyId: refreshTokens.familyId,
      usedAt: refreshTokens.usedAt,
      usedIp: refreshTokens.usedIp,
      usedUserAgent: refreshTokens.usedUserAgent,
      successorIat: refreshTokens.successorIat,
      // Qualified by hand: in a one-table select drizzle writes a bare column that the sub-select would bind to its own table.
      successorHash: sql<string | null>`(select s.token_hash from refresh_tokens s where s.id = refresh_tokens.successor_id)`,
      withinInterval: sql<boolean>`${refreshTokens.usedAt} > now() - make_interval(secs => ${REFRESH_REUSE_INTERVAL_SECONDS})`,
    })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash));
  if (!known?.usedAt) return { kind: "unknown" };
  const sameClient = known.usedIp === ip && known.usedUserAgent === userAgent;
  if (known.withinInterval && sameClient && known.successorIat !== null && known.successorHash) {
    const [family] = await db
      .select({ family: tokenFamilies, user: users })
      .from(tokenFamilies)
      .innerJoin(users, eq(users.id, tokenFamilies.userId))
      .where(eq(tokenFamilies.id, known.familyId));
    if (family && !family.family.revokedAt && family.family.expiresAt.getTime() > Date.now() && family.user.active) {
      const iat = Number(known.successorIat);
      const refresh = await successorRefresh(family.user.id, known.familyId, tokenHash, iat);
      // A rotated signing key (or secret) yields another token: then it is no repeat.
      if (hashToken(refresh) === known.successorHash) {
        return { kind: "pair", pair: await successorPair(await loadPrincipal(family.user, null), known.familyId, tokenHash, iat, refresh) };
      }
    }
  }
  return { kind: "reuse", familyId: known.familyId };
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
  reason: "logout_all" | "ended_elsewhere" | "password_change",
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
  return preparedQuery(db, "access_principal", (db) => accessPrincipalSelect(db).prepare("access_principal"));
}

/** The query of `resolveAccessToken` as a builder (placeholders `familyId`, `userId`); the benchmark's bare server renders it too. */
export function accessPrincipalSelect(db: Db) {
  return db
    .select({
      user: users,
      familyActive: sql<boolean>`exists (select 1 from ${tokenFamilies} f where f.id = ${sql.placeholder("familyId")}::uuid
          and f.user_id = ${sql.placeholder("userId")}::uuid and f.revoked_at is null and f.expires_at > now())`,
      // By the placeholder, not the column: in a one-table select drizzle writes a bare "id" that a sub-select would bind to its own table.
      roles: assignedRolesSql(sql`${sql.placeholder("userId")}::uuid`),
      // The caller's own tenant in the same statement: the v1 door needs its uuid, suspension and second-factor rule
      // on every request (two more round trips otherwise). Null for MSP staff.
      instance: { uuid: instances.uuid, suspended: instances.suspended, requireTwoFactor: instances.requireTwoFactor },
    })
    .from(users)
    .leftJoin(instances, eq(instances.id, users.instanceId))
    .where(eq(users.id, sql.placeholder("userId")))
    .limit(1);
}

/** What the access token's principal query also read of the caller's own instance (null: no instance). */
export type OwnInstance = { uuid: string; suspended: boolean; requireTwoFactor: boolean };

export const ENDED_ELSEWHERE_MESSAGE = "Diese Sitzung wurde auf einem anderen Gerät beendet. Bitte melden Sie sich erneut an.";
export const PASSWORD_CHANGED_MESSAGE = "Das Passwort des Kontos wurde geändert. Bitte melden Sie sich mit dem neuen Passwort an.";

/** Why an access token's family no longer works, in the words the client shows (only asked on the rare failure path). */
async function endedFamilyMessage(familyId: string): Promise<string> {
  const db = await getDb();
  const [row] = await db.select({ reason: tokenFamilies.revokedReason }).from(tokenFamilies).where(eq(tokenFamilies.id, familyId));
  if (row?.reason === "ended_elsewhere") return ENDED_ELSEWHERE_MESSAGE;
  if (row?.reason === "password_change") return PASSWORD_CHANGED_MESSAGE;
  return "Die Sitzung wurde beendet. Bitte neu anmelden.";
}

/**
 * The principal and family of an access token: signature, claims and use
 * checked, the family still live (401 `token_revoked` otherwise). Null when
 * the account is no longer active.
 */
export async function resolveAccessToken(token: string): Promise<{ principal: Principal; familyId: string; ownInstance: OwnInstance | null } | null> {
  const payload = await verifyJwt(token, "access");
  const userId = String(payload.sub);
  const familyId = typeof payload.sid === "string" ? payload.sid : "";
  if (!isUuid(familyId) || !isUuid(userId)) throw new AuthError(401, "token_revoked", "Die Sitzung wurde beendet. Bitte neu anmelden.");
  // A database failure propagates (503 at the door): an outage is not a logout, the client keeps its tokens.
  const [row] = await accessPrincipalQuery(await getDb()).execute({ familyId, userId });
  if (!row?.familyActive) throw new AuthError(401, "token_revoked", await endedFamilyMessage(familyId));
  if (!row.user.active) return null;
  const assigned = typeof row.roles === "string" ? (JSON.parse(row.roles) as AssignedRole[]) : row.roles;
  return { principal: { ...principalOf(row.user, assigned, null), familyId }, familyId, ownInstance: row.instance };
}
