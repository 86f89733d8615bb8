import { asc, count, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances } from "@/db/schema";
import { logActivity, paginationMeta } from "@/lib/activity";
import type { Principal } from "@/lib/auth/principal";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { INSTANCE_STATUS_LABELS, effectiveStatus } from "@/lib/instances/present";

type InstanceRow = typeof instances.$inferSelect;

export function presentTenant(row: InstanceRow) {
  const status = effectiveStatus(row);
  return {
    id: row.uuid,
    name: row.name,
    company_name: row.companyName,
    status,
    status_label: INSTANCE_STATUS_LABELS[status] ?? status,
    pricing_tier: row.pricingTier,
    suspended: row.suspended,
    suspended_reason: row.suspended ? row.suspendedReason : null,
    portal_domain: row.portalDomain,
    meshcentral_domain: row.meshcentralDomain,
    created_at: row.createdAt.toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listTenants({ page, perPage }: { page: number; perPage: number }) {
  const db = await getDb();
  const [{ total }] = await db.select({ total: count() }).from(instances);
  const rows = await db.select().from(instances).orderBy(asc(instances.name)).limit(perPage).offset((page - 1) * perPage);
  return { tenants: rows.map(presentTenant), meta: paginationMeta(page, perPage, total) };
}

async function findTenant(id: string) {
  if (!UUID.test(id)) throw new NotFoundError("Tenant nicht gefunden.");
  const db = await getDb();
  const [row] = await db.select().from(instances).where(eq(instances.uuid, id.toLowerCase())).limit(1);
  if (!row) throw new NotFoundError("Tenant nicht gefunden.");
  return row;
}

export async function getTenant(id: string) {
  return { tenant: presentTenant(await findTenant(id)) };
}

/** Suspends or reactivates a tenant; the change is written to the tenant's activity log. */
export async function setTenantSuspension(id: string, suspend: boolean, reason: string | null, principal: Principal, ip: string) {
  const row = await findTenant(id);
  if (row.suspended === suspend) {
    throw new ConflictError(suspend ? "Der Tenant ist bereits gesperrt." : "Der Tenant ist nicht gesperrt.");
  }
  const db = await getDb();
  const [updated] = await db
    .update(instances)
    .set({ suspended: suspend, suspendedReason: suspend ? reason : null, suspendedAt: suspend ? new Date() : null, updatedAt: new Date() })
    .where(eq(instances.id, row.id))
    .returning();
  await logActivity({
    instanceId: row.id,
    userId: principal.userId,
    actorName: principal.name,
    action: suspend ? "instance.suspended" : "instance.unsuspended",
    description: suspend ? `Instanz gesperrt: ${reason}` : "Sperre der Instanz aufgehoben",
    level: suspend ? "warning" : "info",
    metadata: { via: "api_v1" },
    ip,
  });
  return {
    message: suspend ? "Der Tenant wurde gesperrt." : "Die Sperre wurde aufgehoben.",
    tenant: presentTenant(updated),
  };
}
