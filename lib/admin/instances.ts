import { and, asc, count, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { billing, customDomains, instanceUsage, instances, invoicePayments, invoices, pricingTiers, servers, users } from "@/db/schema";
import { uniqueViolation } from "@/db/errors";
import { paginationMeta, recordActivity, type UserActor } from "@/lib/activity";
import { openInvoiceTotals } from "@/lib/invoices/open-totals";
import { billingToday } from "@/lib/billing/clock";
import { recordTierChange } from "@/lib/billing/plan";
import { instanceTierPrice } from "@/lib/billing/tier-prices";
import { config } from "@/lib/config";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { assertServerFree } from "@/lib/instances/commands";
import { effectiveStatus } from "@/lib/instances/present";
import { BILLING_STATUS_LABELS, INSTANCE_STATUS_LABELS } from "@/lib/labels";
import { presentUsage } from "@/lib/instances/usage";
import { instanceSearchCondition, normalizeSearch } from "@/lib/instances/search";
import { formatEuro } from "@/lib/money";
import { describeHetznerServer } from "@/lib/servers/service";
import { HEALTH_LABELS, SERVER_STATUS_LABELS } from "@/lib/servers/labels";
import { addDays, apiTimestamp, todayIsoDate } from "@/lib/time";
import type { z } from "@/lib/validation";
import type { createInstanceSchema, listInstancesQuery, updateInstanceSchema } from "./schemas";

/** Staff commands are always done by a signed-in user. */
export type Actor = UserActor;

type ListQuery = z.infer<typeof listInstancesQuery>;

const centsToAmount = (cents: number) => Math.round(cents) / 100;

type ListRow = {
  instance: typeof instances.$inferSelect;
  tier: typeof pricingTiers.$inferSelect;
  server: typeof servers.$inferSelect | null;
  bill: typeof billing.$inferSelect | null;
  usage: typeof instanceUsage.$inferSelect | null;
};

function presentListItem(row: ListRow, open: { openCents: number; overdueCount: number } | undefined) {
  const status = effectiveStatus(row.instance);
  const serverStatus = row.server?.hetznerServerId ? row.server.status : "none";
  const health = row.server?.hetznerServerId ? row.server.healthStatus : "unknown";
  const billingStatus = row.bill?.status ?? "trial";
  return {
    id: row.instance.id,
    uuid: row.instance.uuid,
    name: row.instance.name,
    company_name: row.instance.companyName,
    status,
    status_label: INSTANCE_STATUS_LABELS[status] ?? status,
    suspended: row.instance.suspended,
    suspended_reason: row.instance.suspended ? row.instance.suspendedReason : null,
    suspended_at: row.instance.suspended ? apiTimestamp(row.instance.suspendedAt) : null,
    pricing_tier: row.tier.key,
    pricing_tier_label: row.tier.label,
    portal_domain: row.instance.portalDomain,
    meshcentral_domain: row.instance.meshcentralDomain,
    server: {
      hetzner_server_id: row.server?.hetznerServerId ?? null,
      status: serverStatus,
      status_label: SERVER_STATUS_LABELS[serverStatus] ?? serverStatus,
      health_status: health,
      health_status_label: HEALTH_LABELS[health] ?? health,
      ipv4: row.server?.hetznerServerId ? row.server.ipv4 : null,
    },
    billing: {
      status: billingStatus,
      status_label: BILLING_STATUS_LABELS[billingStatus] ?? billingStatus,
      paid_until: row.bill?.paidUntil ?? null,
      trial_ends_at: row.bill?.trialEndsAt ?? null,
      open_amount: centsToAmount(open?.openCents ?? 0),
      open_amount_label: formatEuro(open?.openCents ?? 0),
      overdue_count: open?.overdueCount ?? 0,
    },
    /** Customers and devices the instance reports, against its limits (lib/instances/usage.ts). */
    usage: presentUsage(row.usage ?? undefined, {
      max_customers: row.instance.maxCustomers ?? row.tier.maxCustomers,
      max_devices: row.instance.maxDevices ?? row.tier.maxDevices,
    }),
    created_at: apiTimestamp(row.instance.createdAt),
  };
}

/**
 * Staff sort by usage: the higher share of the limits (customers or devices) first; instances
 * that never reported come last.
 */
const usageShare = sql`greatest(
  ${instanceUsage.customers}::float / nullif(coalesce(${instances.maxCustomers}, ${pricingTiers.maxCustomers}), 0),
  ${instanceUsage.devices}::float / nullif(coalesce(${instances.maxDevices}, ${pricingTiers.maxDevices}), 0)
) desc nulls last`;

/** All instances with search, filters and pagination (staff list). */
export async function listInstances(query: ListQuery) {
  const db = await getDb();
  const where: SQL[] = [];
  const search = normalizeSearch(query.search);
  if (search) where.push(instanceSearchCondition(search));
  if (query.status === "suspended") where.push(eq(instances.suspended, true));
  else if (query.status) where.push(and(eq(instances.status, query.status), eq(instances.suspended, false))!);
  if (query.billing_status === "trial") where.push(sql`coalesce(${billing.status}, 'trial') = 'trial'`);
  else if (query.billing_status) where.push(eq(billing.status, query.billing_status));
  if (query.pricing_tier) where.push(eq(instances.pricingTier, query.pricing_tier));
  const condition = where.length ? and(...where) : undefined;

  const base = () =>
    db
      .select({ instance: instances, tier: pricingTiers, server: servers, bill: billing, usage: instanceUsage })
      .from(instances)
      .innerJoin(pricingTiers, eq(pricingTiers.key, instances.pricingTier))
      .leftJoin(servers, eq(servers.instanceId, instances.id))
      .leftJoin(billing, eq(billing.instanceId, instances.id))
      .leftJoin(instanceUsage, eq(instanceUsage.instanceId, instances.id));
  const [{ total }] = await db
    .select({ total: count() })
    .from(instances)
    .leftJoin(billing, eq(billing.instanceId, instances.id))
    .where(condition);
  const rows = await base()
    .where(condition)
    .orderBy(...(query.sort === "usage" ? [usageShare, asc(instances.name)] : [asc(instances.name)]))
    .limit(query.per_page)
    .offset((query.page - 1) * query.per_page);
  const open = await openInvoiceTotals(rows.map((r) => r.instance.id));
  return {
    instances: rows.map((r) => presentListItem(r, open.get(r.instance.id))),
    meta: paginationMeta(query.page, query.per_page, total),
  };
}

async function loadRow(instanceId: number, db?: DbOrTx): Promise<ListRow> {
  db ??= await getDb();
  const [row] = await db
    .select({ instance: instances, tier: pricingTiers, server: servers, bill: billing, usage: instanceUsage })
    .from(instances)
    .innerJoin(pricingTiers, eq(pricingTiers.key, instances.pricingTier))
    .leftJoin(servers, eq(servers.instanceId, instances.id))
    .leftJoin(billing, eq(billing.instanceId, instances.id))
    .leftJoin(instanceUsage, eq(instanceUsage.instanceId, instances.id))
    .where(eq(instances.id, instanceId));
  if (!row) throw new NotFoundError("Instanz nicht gefunden.");
  return row;
}

/** One instance for the staff detail page; `db`: a caller's transaction (a command shows what it wrote before the commit). */
export async function getInstanceDetail(instanceId: number, db?: DbOrTx) {
  db ??= await getDb();
  const row = await loadRow(instanceId, db);
  const open = (await openInvoiceTotals([instanceId], db)).get(instanceId);
  const domains = await db.select().from(customDomains).where(eq(customDomains.instanceId, instanceId));
  const [{ userCount }] = await db.select({ userCount: count() }).from(users).where(eq(users.instanceId, instanceId));
  const base = presentListItem(row, open);
  return {
    instance: {
      ...base,
      server: {
        ...base.server,
        name: row.server?.hetznerServerId ? row.server.name : null,
        server_type: row.server?.hetznerServerId ? row.server.serverType : null,
        datacenter: row.server?.hetznerServerId ? row.server.datacenter : null,
        last_synced_at: row.server?.hetznerServerId ? apiTimestamp(row.server.lastSyncedAt) : null,
      },
      billing: {
        ...base.billing,
        monthly_price: formatEuro((await instanceTierPrice(db, row.tier, row.bill?.monthlyPriceCents)).currentCents),
        open_invoice_count: open?.openCount ?? 0,
      },
      limits: {
        max_customers: row.instance.maxCustomers ?? row.tier.maxCustomers,
        max_devices: row.instance.maxDevices ?? row.tier.maxDevices,
        max_customers_override: row.instance.maxCustomers,
        max_devices_override: row.instance.maxDevices,
        tier_max_customers: row.tier.maxCustomers,
        tier_max_devices: row.tier.maxDevices,
      },
      custom_domains: domains.map((d) => ({ kind: d.kind, domain: d.domain, applied: d.applied })),
      instance_status: row.instance.status,
      user_count: userCount,
      updated_at: apiTimestamp(row.instance.updatedAt),
    },
  };
}

async function assertTier(key: string, db?: DbOrTx) {
  db ??= await getDb();
  const [tier] = await db.select().from(pricingTiers).where(eq(pricingTiers.key, key));
  if (!tier) throw new ValidationError({ pricing_tier: ["Diesen Tarif gibt es nicht."] });
  return tier;
}

/**
 * Creates an instance with its default domains, billing row and (optional) Hetzner server.
 * Hetzner is asked before the transaction; with `options.tx` that is inside the caller's.
 */
export async function createInstance(actor: Actor, input: z.infer<typeof createInstanceSchema>, options?: CommandOptions) {
  const db = options?.tx ?? (await getDb());
  const msp = config().MSP_DOMAIN;
  const portalDomain = input.portal_domain ?? `${input.name}.portal.${msp}`;
  const meshcentralDomain = input.meshcentral_domain ?? `${input.name}.remote.${msp}`;
  const tier = await assertTier(input.pricing_tier, db);

  const fieldErrors: Record<string, string[]> = {};
  const [nameTaken] = await db.select({ id: instances.id }).from(instances).where(eq(instances.name, input.name));
  if (nameTaken) fieldErrors.name = ["Dieser Instanzname ist bereits vergeben."];
  if (portalDomain === meshcentralDomain) fieldErrors.meshcentral_domain = ["Portal- und MeshCentral-Domain müssen verschieden sein."];
  const clash = await db
    .select({ portal: instances.portalDomain, mesh: instances.meshcentralDomain })
    .from(instances)
    .where(
      or(
        inArray(instances.portalDomain, [portalDomain, meshcentralDomain]),
        inArray(instances.meshcentralDomain, [portalDomain, meshcentralDomain]),
      ),
    );
  const customClash = await db
    .select({ domain: customDomains.domain })
    .from(customDomains)
    .where(inArray(customDomains.domain, [portalDomain, meshcentralDomain]));
  const used = new Set([...clash.flatMap((c) => [c.portal, c.mesh]), ...customClash.map((c) => c.domain)]);
  if (used.has(portalDomain)) fieldErrors.portal_domain = ["Diese Domain wird bereits von einer anderen Instanz verwendet."];
  if (used.has(meshcentralDomain)) fieldErrors.meshcentral_domain = ["Diese Domain wird bereits von einer anderen Instanz verwendet."];
  if (Object.keys(fieldErrors).length) throw new ValidationError(fieldErrors);
  if (input.hetzner_server_id) await assertServerFree(db, input.hetzner_server_id);
  const hetzner = input.hetzner_server_id ? await describeHetznerServer(input.hetzner_server_id) : null;

  const billingStatus = input.billing_status ?? "trial";
  let created: typeof instances.$inferSelect;
  try {
    created = await inTransaction(options, async (tx) => {
      const [row] = await tx
        .insert(instances)
        .values({
          name: input.name,
          companyName: input.company_name,
          pricingTier: tier.key,
          status: "provisioning",
          portalDomain,
          meshcentralDomain,
        })
        .returning();
      await tx.insert(billing).values({
        instanceId: row.id,
        status: billingStatus,
        trialEndsAt: billingStatus === "trial" ? addDays(todayIsoDate(), 30) : null,
      });
      await tx.insert(servers).values({ instanceId: row.id, hetznerServerId: input.hetzner_server_id ?? null, ...hetzner });
      await recordActivity(tx, actor, {
        instanceId: row.id,
        action: "instance.created",
        description: `Instanz angelegt: ${row.companyName}, Tarif ${tier.label}${input.hetzner_server_id ? `, Hetzner-Server ${input.hetzner_server_id}` : ""}`,
        metadata: { name: row.name, pricing_tier: tier.key, hetzner_server_id: input.hetzner_server_id ?? null },
      });
      return row;
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint?.includes("name")) throw new ValidationError({ name: ["Dieser Instanzname ist bereits vergeben."] });
    if (constraint) throw new ConflictError("Die Instanz konnte wegen eines gleichzeitigen Eintrags nicht angelegt werden. Bitte erneut versuchen.");
    throw error;
  }
  return getInstanceDetail(created.id, db);
}

/** Edits company name, tier, status, billing status and limits; logs what changed. `options.tx` joins a caller's transaction. */
export async function updateInstance(actor: Actor, { instanceId, ...input }: z.infer<typeof updateInstanceSchema> & { instanceId: number }, options?: CommandOptions) {
  const db = options?.tx ?? (await getDb());
  const before = await loadRow(instanceId, db);
  const changes: string[] = [];
  const set: Partial<typeof instances.$inferInsert> = {};
  if (input.company_name !== undefined && input.company_name !== before.instance.companyName) {
    set.companyName = input.company_name;
    changes.push(`Firma: ${before.instance.companyName} → ${input.company_name}`);
  }
  if (input.pricing_tier !== undefined && input.pricing_tier !== before.instance.pricingTier) {
    const tier = await assertTier(input.pricing_tier, db);
    set.pricingTier = tier.key;
    changes.push(`Tarif: ${before.tier.label} → ${tier.label}`);
  }
  if (input.status !== undefined && input.status !== before.instance.status) {
    set.status = input.status;
    changes.push(`Status: ${INSTANCE_STATUS_LABELS[before.instance.status]} → ${INSTANCE_STATUS_LABELS[input.status]}`);
  }
  const limitText = (v: number | null) => (v === null ? "Tarif-Standard" : String(v));
  if (input.max_customers !== undefined && input.max_customers !== before.instance.maxCustomers) {
    set.maxCustomers = input.max_customers;
    changes.push(`Max. Kunden: ${limitText(before.instance.maxCustomers)} → ${limitText(input.max_customers)}`);
  }
  if (input.max_devices !== undefined && input.max_devices !== before.instance.maxDevices) {
    set.maxDevices = input.max_devices;
    changes.push(`Max. Geräte: ${limitText(before.instance.maxDevices)} → ${limitText(input.max_devices)}`);
  }
  const billingChanged = input.billing_status !== undefined && input.billing_status !== (before.bill?.status ?? "trial");
  if (billingChanged) {
    changes.push(`Abrechnung: ${BILLING_STATUS_LABELS[before.bill?.status ?? "trial"]} → ${BILLING_STATUS_LABELS[input.billing_status!]}`);
  }
  if (changes.length === 0) return { message: "Keine Änderungen.", ...(await getInstanceDetail(instanceId, db)) };

  await inTransaction(options, async (tx) => {
    if (Object.keys(set).length) await tx.update(instances).set({ ...set, updatedAt: new Date() }).where(eq(instances.id, instanceId));
    // A tier change takes effect today; the billing run charges the month pro rata to the day per tier.
    if (set.pricingTier) await recordTierChange(tx, instanceId, before.instance.pricingTier, set.pricingTier, billingToday());
    if (billingChanged) {
      await tx
        .insert(billing)
        .values({ instanceId, status: input.billing_status! })
        .onConflictDoUpdate({ target: billing.instanceId, set: { status: input.billing_status!, updatedAt: new Date() } });
    }
    await recordActivity(tx, actor, {
      instanceId,
      action: "instance.updated",
      description: `Instanz geändert: ${changes.join("; ")}`,
      metadata: { changes: input },
    });
  });
  return { message: "Änderungen gespeichert.", ...(await getInstanceDetail(instanceId, db)) };
}

/** Options for filters and forms. */
export async function listTierOptions() {
  const db = await getDb();
  return db.select({ key: pricingTiers.key, label: pricingTiers.label }).from(pricingTiers).orderBy(asc(pricingTiers.sortOrder), asc(pricingTiers.key));
}

