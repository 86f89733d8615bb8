import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import type { OwnInstance } from "@/lib/auth/token-families";
import { ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/http/params";
import { V1Error } from "./errors";

export type TenantScope =
  /** one tenant: the caller's own, or the one a super-admin chose with ?tenant_id */
  | { kind: "tenant"; instanceId: number; uuid: string; suspended: boolean }
  /** MSP staff without ?tenant_id: every tenant */
  | { kind: "all" };

/** MSP staff (super-admin, support) have no own tenant and may act across tenants. */
export function isCrossTenant(principal: Principal) {
  return principal.staff && principal.instanceId === null;
}

/**
 * The tenant rule of API v1, one for every tenant-scoped endpoint:
 * - Without ?tenant_id every caller gets its own tenant.
 * - MSP staff have no tenant of their own (JWT `tenant_scope` null); their own
 *   scope is the MSP, which spans every tenant: lists hold every tenant's items
 *   (each naming its `tenant_id`), a single resource is found in whichever
 *   tenant it belongs to, and webhook endpoints are the MSP-wide ones.
 * - With ?tenant_id staff narrow to that tenant; anyone else may only name
 *   their own (another id: 403 `tenant_forbidden`). What staff may do there is
 *   still limited by their permissions.
 */
export async function resolveTenant(
  principal: Principal,
  req: Request,
  /** The caller's own instance if the authentication already read it (saves the lookup). */
  own?: Pick<OwnInstance, "uuid" | "suspended"> | null,
): Promise<TenantScope> {
  const requested = new URL(req.url).searchParams.get("tenant_id");
  const db = await getDb();
  if (requested !== null && requested !== "") {
    if (!isUuid(requested)) {
      throw new ValidationError({ tenant_id: ["tenant_id muss eine UUID sein."] });
    }
    if (!isCrossTenant(principal)) {
      const ownTenant = principal.instanceId === null ? null : (own?.uuid ?? (await ownUuid(principal.instanceId)));
      if (ownTenant?.toLowerCase() !== requested.toLowerCase()) {
        throw new V1Error(403, "tenant_forbidden", "Sie dürfen nur auf Ihren eigenen Tenant zugreifen.");
      }
    }
    const [row] = await db
      .select({ id: instances.id, uuid: instances.uuid, suspended: instances.suspended })
      .from(instances)
      .where(eq(instances.uuid, requested.toLowerCase()))
      .limit(1);
    if (!row) throw new V1Error(404, "not_found", "Tenant nicht gefunden.");
    return { kind: "tenant", instanceId: row.id, uuid: row.uuid, suspended: row.suspended };
  }
  if (principal.instanceId === null) return { kind: "all" };
  if (own) return { kind: "tenant", instanceId: principal.instanceId, uuid: own.uuid, suspended: own.suspended };
  const [row] = await db
    .select({ id: instances.id, uuid: instances.uuid, suspended: instances.suspended })
    .from(instances)
    .where(eq(instances.id, principal.instanceId))
    .limit(1);
  if (!row) throw new V1Error(404, "not_found", "Tenant nicht gefunden.");
  return { kind: "tenant", instanceId: row.id, uuid: row.uuid, suspended: row.suspended };
}

async function ownUuid(instanceId: number) {
  const db = await getDb();
  const [row] = await db.select({ uuid: instances.uuid }).from(instances).where(eq(instances.id, instanceId)).limit(1);
  return row?.uuid ?? null;
}

/**
 * The instance a tenant-scoped read or write is limited to; null = every
 * tenant (MSP staff without ?tenant_id). Every tenant-scoped v1 endpoint
 * follows the same rule (hosts, invoices, e-invoices, activity, webhooks).
 */
export function tenantInstanceId(scope: TenantScope): number | null {
  return scope.kind === "all" ? null : scope.instanceId;
}
