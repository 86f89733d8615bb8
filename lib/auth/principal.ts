import { and, eq, gt, inArray, isNull, sql, type AnyColumn, type Placeholder, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedQuery } from "@/db/prepared";
import { customDomains, instances, pricingTiers, roles, sessions, userRoles, users } from "@/db/schema";
import { hashToken } from "@/lib/crypto/tokens";
import type { InstanceContext } from "@/lib/instances/present";
import type { PrincipalActor } from "@/lib/activity";
import type { Permission } from "@/lib/permissions";

export type Principal = {
  userId: string;
  email: string;
  name: string;
  instanceId: number | null;
  /** Staff of the MSP (no instance of their own, cross-tenant view). */
  staff: boolean;
  roles: string[];
  permissions: Set<Permission>;
  sessionId: string | null;
  /** The API v1 token family (login session) of a JWT caller; re-authentication is kept with it. */
  familyId?: string | null;
  /** Role labels by key, when loaded with the principal (saves /auth/me a query). */
  roleLabels?: Record<string, string>;
};

/** The actor of an auth command: the caller's whole principal plus its address (`principalActor(principal, ip)`). */
export type AuthActor = PrincipalActor<Principal>;

/** The input of a command that needs nothing but its actor. */
export type NoInput = Record<string, never>;

type UserRow = typeof users.$inferSelect;

export type AssignedRole = { key: string; label: string; staff: boolean; permissions: string[] };

export async function loadPrincipal(user: UserRow, sessionId: string | null): Promise<Principal> {
  const db = await getDb();
  const assigned = await db
    .select({ key: roles.key, label: roles.label, staff: roles.staff, permissions: roles.permissions })
    .from(userRoles)
    .innerJoin(roles, eq(roles.key, userRoles.roleKey))
    .where(eq(userRoles.userId, user.id));
  return principalOf(user, assigned, sessionId);
}

export function principalOf(user: Pick<UserRow, "id" | "email" | "name" | "instanceId">, assigned: AssignedRole[], sessionId: string | null): Principal {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    instanceId: user.instanceId,
    staff: user.instanceId === null && assigned.some((r) => r.staff),
    roles: assigned.map((r) => r.key),
    permissions: new Set(assigned.flatMap((r) => r.permissions) as Permission[]),
    sessionId,
    roleLabels: Object.fromEntries(assigned.map((r) => [r.key, r.label])),
  };
}

/** The user's roles as one JSON column (for queries that load the principal in one round trip). */
export function assignedRolesSql(userId: SQL | AnyColumn) {
  return sql<AssignedRole[]>`coalesce((select json_agg(json_build_object('key', r.key, 'label', r.label, 'staff', r.staff, 'permissions', r.permissions) order by r.key)
    from ${userRoles} ur join ${roles} r on r.key = ur.role_key where ur.user_id = ${userId}), '[]'::json)`;
}

/**
 * The query of `loadSessionPrincipal` as a builder (the token hash is the placeholder
 * `tokenHash`): prepared once per handle below, rendered by the benchmark's bare server.
 */
export function sessionPrincipalSelect(db: Db) {
  const domain = (kind: string) =>
    sql<string | null>`(select cd.domain from ${customDomains} cd where cd.instance_id = ${instances.id} and cd.kind = ${kind} and cd.applied = true limit 1)`;
  return db
    .select({
      sessionId: sessions.id,
      lastUsedAt: sessions.lastUsedAt,
      user: { id: users.id, email: users.email, name: users.name, instanceId: users.instanceId, active: users.active },
      roles: assignedRolesSql(users.id),
      instance: instances,
      tier: pricingTiers,
      customPortalDomain: domain("portal"),
      customMeshcentralDomain: domain("meshcentral"),
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(instances, eq(instances.id, users.instanceId))
    .leftJoin(pricingTiers, eq(pricingTiers.key, instances.pricingTier))
    .where(and(eq(sessions.tokenHash, sql.placeholder("tokenHash")), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .limit(1);
}

function sessionPrincipalQuery(db: Db) {
  return preparedQuery(db, "session_principal", (db) => sessionPrincipalSelect(db).prepare("session_principal"));
}

/** Marks a session as used now (`loadSessionPrincipal`, at most once a minute). */
export function touchSession(db: Db, sessionId: string | Placeholder, at: Date | Placeholder) {
  return db.update(sessions).set({ lastUsedAt: at as Date }).where(eq(sessions.id, sessionId));
}

/**
 * The portal session of a token with its principal and the principal's instance
 * context in ONE query (session ⨝ user ⨝ roles ⨝ instance ⨝ tier ⨝ applied domains);
 * null when the session is unknown, expired, revoked or the user inactive.
 * Touches `last_used_at` at most once a minute, as `findActiveSession` does.
 */
export async function loadSessionPrincipal(token: string): Promise<{ principal: Principal; instance: InstanceContext | null } | null> {
  const db = await getDb();
  const [row] = await sessionPrincipalQuery(db).execute({ tokenHash: hashToken(token) });
  if (!row || !row.user.active) return null;
  if (Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await touchSession(db, row.sessionId, new Date());
  }
  const assigned = typeof row.roles === "string" ? (JSON.parse(row.roles) as AssignedRole[]) : row.roles;
  return {
    principal: principalOf(row.user, assigned, row.sessionId),
    instance:
      row.instance && row.tier
        ? { instance: row.instance, tier: row.tier, customPortalDomain: row.customPortalDomain, customMeshcentralDomain: row.customMeshcentralDomain }
        : null,
  };
}

export async function loadRoleLabels(keys: string[]) {
  if (keys.length === 0) return [];
  const db = await getDb();
  return db.select({ key: roles.key, label: roles.label }).from(roles).where(inArray(roles.key, keys));
}
