import { asc, eq, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedQuery } from "@/db/prepared";
import { billing, servers, tierPriceChanges } from "@/db/schema";
import { config } from "@/lib/config";
import { effectiveStatus, meshcentralHost, portalHost, type InstanceContext } from "@/lib/instances/present";
import { formatEuro } from "@/lib/money";
import { HEALTH_LABELS, SERVER_STATUS_LABELS } from "@/lib/servers/labels";
import { BILLING_STATUS_LABELS, INSTANCE_STATUS_LABELS } from "@/lib/labels";
import { apiTimestamp } from "@/lib/time";
import { paymentInfo } from "@/lib/dunning/payment-info";
import { billingToday } from "@/lib/billing/clock";
import { instanceTierPriceOn, upcomingLabel } from "@/lib/billing/tier-prices";
import { loadUsage, presentUsage } from "@/lib/instances/usage";

/** Re-exported for the benchmark server, which reads the labels from here. */
export { BILLING_STATUS_LABELS };

/** The reads of /status as builders (placeholders `instanceId`, `tierKey`); the benchmark's bare server renders them too. */
export function statusSelects(db: Db) {
  return {
    server: db.select().from(servers).where(eq(servers.instanceId, sql.placeholder("instanceId"))),
    billing: db.select().from(billing).where(eq(billing.instanceId, sql.placeholder("instanceId"))),
    tierPriceChanges: db
      .select({ effectiveFrom: tierPriceChanges.effectiveFrom, monthlyPriceCents: tierPriceChanges.monthlyPriceCents })
      .from(tierPriceChanges)
      .where(eq(tierPriceChanges.tierKey, sql.placeholder("tierKey")))
      .orderBy(asc(tierPriceChanges.effectiveFrom)),
  };
}

/** The reads of /status, built once per database handle (db/prepared.ts). */
function statusQueries(db: Db) {
  return preparedQuery(db, "status", (db) => {
    const q = statusSelects(db);
    return {
      server: q.server.prepare("status_server"),
      billing: q.billing.prepare("status_billing"),
      tierPriceChanges: q.tierPriceChanges.prepare("status_tier_price_changes"),
    };
  });
}

/** GET /status: the instance's overview (seed section 3). */
export async function instanceStatus(ctx: InstanceContext, options: { /** The caller may read invoices: the payment block carries PDF links. */ pdfLinks?: boolean } = {}) {
  const db = await getDb();
  const { instance, tier } = ctx;
  const q = statusQueries(db);
  // Independent reads in parallel (three pool connections): one round trip of latency instead of three.
  const [[server], [bill], priceChanges, usageRow] = await Promise.all([
    q.server.execute({ instanceId: instance.id }),
    q.billing.execute({ instanceId: instance.id }),
    q.tierPriceChanges.execute({ tierKey: tier.key }),
    loadUsage(instance.id),
  ]);
  const limits = { max_customers: instance.maxCustomers ?? tier.maxCustomers, max_devices: instance.maxDevices ?? tier.maxDevices };
  const price = instanceTierPriceOn(tier.monthlyPriceCents, priceChanges, bill?.monthlyPriceCents, billingToday());
  const status = effectiveStatus(instance);
  const serverStatus = server?.hetznerServerId ? server.status : "none";
  return {
    instance: {
      id: instance.id,
      name: instance.name,
      company_name: instance.companyName,
      status,
      status_label: INSTANCE_STATUS_LABELS[status] ?? status,
      suspended: instance.suspended,
      suspended_reason: instance.suspended ? instance.suspendedReason : null,
    },
    server: {
      status: serverStatus,
      status_label: SERVER_STATUS_LABELS[serverStatus] ?? serverStatus,
      health_status: server?.healthStatus ?? "unknown",
      health_status_label: HEALTH_LABELS[server?.healthStatus ?? "unknown"],
      ipv4: server?.ipv4 ?? null,
      server_type: server?.serverType ?? null,
      datacenter: server?.datacenter ?? null,
      last_synced_at: apiTimestamp(server?.lastSyncedAt),
    },
    billing: {
      status: bill?.status ?? "trial",
      status_label: BILLING_STATUS_LABELS[bill?.status ?? "trial"],
      pricing_tier: tier.key,
      pricing_tier_label: tier.label,
      monthly_price: formatEuro(price.currentCents),
      /** A scheduled change of the tier's price: "ab 01.12.2026: 39,00 €" (null without one, or with an individual price). */
      upcoming_price_change: price.upcoming
        ? { effective_from: price.upcoming.effectiveFrom, monthly_price: formatEuro(price.upcoming.monthlyPriceCents), label: upcomingLabel(price.upcoming) }
        : null,
      trial_ends_at: bill?.trialEndsAt ?? null,
      paid_until: bill?.paidUntil ?? null,
    },
    domains: {
      portal_domain: instance.portalDomain,
      custom_portal_domain: ctx.customPortalDomain,
      portal_url: `https://${portalHost(ctx)}`,
      meshcentral_domain: instance.meshcentralDomain,
      custom_meshcentral_domain: ctx.customMeshcentralDomain,
      meshcentral_url: `https://${meshcentralHost(ctx)}`,
    },
    version: {
      app_version: instance.appVersion ?? config().APP_VERSION,
      portal_version: instance.portalVersion ?? config().PORTAL_VERSION,
    },
    limits,
    /** What the instance reports it manages, against `limits` (warning from 80 %, exceeded from 100 %). */
    usage: presentUsage(usageRow, limits),
    /** Suspended instances only: open invoices (with signed PDF links), amount due, bank details and GiroCode, so the customer can pay (lib/dunning). */
    payment: instance.suspended ? await paymentInfo(instance.id, { pdfLinks: options.pdfLinks }) : null,
  };
}
