/**
 * Tenants of API v1: the instances, addressed by their UUID (MSP staff only).
 * Suspend, reactivate and link are the instance commands of
 * `lib/instances/commands.ts`; this module only finds the tenant and shapes
 * the v1 answer.
 */
import { asc, count, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances } from "@/db/schema";
import { paginationMeta, type Actor } from "@/lib/activity";
import { NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/http/params";
import { linkServer, reactivateInstance, suspendInstance } from "@/lib/instances/commands";
import { effectiveStatus } from "@/lib/instances/present";
import { INSTANCE_STATUS_LABELS } from "@/lib/labels";
import { apiTimestamp } from "@/lib/time";
import { getHostOf } from "./hosts";

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
    created_at: apiTimestamp(row.createdAt),
  };
}

export async function listTenants({ page, perPage }: { page: number; perPage: number }) {
  const db = await getDb();
  const [{ total }] = await db.select({ total: count() }).from(instances);
  const rows = await db.select().from(instances).orderBy(asc(instances.name)).limit(perPage).offset((page - 1) * perPage);
  return { tenants: rows.map(presentTenant), meta: paginationMeta(page, perPage, total) };
}

async function findTenant(id: string) {
  if (!isUuid(id)) throw new NotFoundError("Tenant nicht gefunden.");
  const db = await getDb();
  const [row] = await db.select().from(instances).where(eq(instances.uuid, id.toLowerCase())).limit(1);
  if (!row) throw new NotFoundError("Tenant nicht gefunden.");
  return row;
}

export async function getTenant(id: string) {
  return { tenant: presentTenant(await findTenant(id)) };
}

export async function suspendTenant(actor: Actor, id: string, reason: string) {
  const row = await findTenant(id);
  const updated = await suspendInstance(actor, { instanceId: row.id, reason });
  return { message: "Der Tenant wurde gesperrt.", tenant: presentTenant(updated) };
}

export async function reactivateTenant(actor: Actor, id: string) {
  const row = await findTenant(id);
  const updated = await reactivateInstance(actor, { instanceId: row.id });
  return { message: "Die Sperre wurde aufgehoben.", tenant: presentTenant(updated) };
}

/** Links a Hetzner server to the tenant; the answer is the host as GET /hosts/{id} shows it. */
export async function linkTenantHost(actor: Actor, id: string, hetznerServerId: number) {
  const row = await findTenant(id);
  const { linked } = await linkServer(actor, { instanceId: row.id, hetznerServerId });
  return {
    message: linked ? "Der Host wurde mit dem Tenant verknüpft." : "Dieser Host ist bereits mit dem Tenant verknüpft.",
    host: await getHostOf(row.id),
  };
}
