import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
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
 * The tenant a request acts on. Without ?tenant_id: the caller's own tenant
 * (staff: every tenant). With it: only cross-tenant callers may choose another
 * tenant; anyone else gets 403 (their own tenant's id is accepted).
 */
export async function resolveTenant(principal: Principal, req: Request): Promise<TenantScope> {
  const requested = new URL(req.url).searchParams.get("tenant_id");
  const db = await getDb();
  if (requested !== null && requested !== "") {
    if (!isUuid(requested)) {
      throw new ValidationError({ tenant_id: ["tenant_id muss eine UUID sein."] });
    }
    if (!isCrossTenant(principal)) {
      const own = principal.instanceId === null ? null : await ownUuid(principal.instanceId);
      if (own?.toLowerCase() !== requested.toLowerCase()) {
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

/** Endpoints that need exactly one tenant: staff must name it. */
export function requireSingleTenant(scope: TenantScope) {
  if (scope.kind === "all") {
    throw new V1Error(422, "tenant_required", "Bitte den Tenant mit ?tenant_id=<uuid> angeben.");
  }
  return scope;
}
