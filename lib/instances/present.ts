import { and, eq, type Placeholder } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { customDomains, instances, pricingTiers } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { INSTANCE_STATUS_LABELS } from "@/lib/labels";

/** Re-exported for the benchmark server, which reads the labels from here. */
export { INSTANCE_STATUS_LABELS };

export type InstanceRow = typeof instances.$inferSelect;

export type InstanceContext = {
  instance: InstanceRow;
  tier: typeof pricingTiers.$inferSelect;
  /** Applied custom domains by kind. */
  customPortalDomain: string | null;
  customMeshcentralDomain: string | null;
};

export async function loadInstanceContext(instanceId: number): Promise<InstanceContext> {
  const q = instanceContextSelects(await getDb(), instanceId);
  const [row] = await q.instance;
  if (!row) throw new NotFoundError("Instanz nicht gefunden.");
  const domains = await q.domains;
  return {
    ...row,
    customPortalDomain: domains.find((d) => d.kind === "portal")?.domain ?? null,
    customMeshcentralDomain: domains.find((d) => d.kind === "meshcentral")?.domain ?? null,
  };
}

/** The two queries of `loadInstanceContext` as builders (the benchmark's bare server renders them with a placeholder). */
export function instanceContextSelects(db: Db, instanceId: number | Placeholder) {
  return {
    instance: db.select({ instance: instances, tier: pricingTiers }).from(instances).innerJoin(pricingTiers, eq(pricingTiers.key, instances.pricingTier)).where(eq(instances.id, instanceId)),
    domains: db
      .select({ kind: customDomains.kind, domain: customDomains.domain })
      .from(customDomains)
      .where(and(eq(customDomains.instanceId, instanceId), eq(customDomains.applied, true))),
  };
}

export function effectiveStatus(instance: InstanceRow): string {
  return instance.suspended ? "suspended" : instance.status;
}

export function portalHost(ctx: InstanceContext) {
  return ctx.customPortalDomain ?? ctx.instance.portalDomain;
}

export function meshcentralHost(ctx: InstanceContext) {
  return ctx.customMeshcentralDomain ?? ctx.instance.meshcentralDomain;
}

/** The instance object of the login and /auth/me answers (seed section 2). */
export function presentInstance(ctx: InstanceContext) {
  const status = effectiveStatus(ctx.instance);
  return {
    id: ctx.instance.id,
    name: ctx.instance.name,
    company_name: ctx.instance.companyName,
    status,
    status_label: INSTANCE_STATUS_LABELS[status] ?? status,
    pricing_tier: ctx.tier.key,
    pricing_tier_label: ctx.tier.label,
    portal_url: `https://${portalHost(ctx)}`,
    meshcentral_url: `https://${meshcentralHost(ctx)}`,
  };
}
