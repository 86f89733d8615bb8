import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { roles, userRoles, users } from "@/db/schema";
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
};

type UserRow = typeof users.$inferSelect;

export async function loadPrincipal(user: UserRow, sessionId: string | null): Promise<Principal> {
  const db = await getDb();
  const assigned = await db
    .select({ key: roles.key, staff: roles.staff, permissions: roles.permissions })
    .from(userRoles)
    .innerJoin(roles, eq(roles.key, userRoles.roleKey))
    .where(eq(userRoles.userId, user.id));
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    instanceId: user.instanceId,
    staff: user.instanceId === null && assigned.some((r) => r.staff),
    roles: assigned.map((r) => r.key),
    permissions: new Set(assigned.flatMap((r) => r.permissions) as Permission[]),
    sessionId,
  };
}

export async function loadRoleLabels(keys: string[]) {
  if (keys.length === 0) return [];
  const db = await getDb();
  return db.select({ key: roles.key, label: roles.label }).from(roles).where(inArray(roles.key, keys));
}
