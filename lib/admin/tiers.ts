/**
 * Pricing tiers (staff). Label and limits apply at once to every instance on
 * the tier; the monthly price changes only from a date on, scheduled with
 * `scheduleTierPrice` (lib/billing/tier-prices.ts), so the list shows the price
 * in effect today and the changes still to come.
 * A label or limit edit is one staff-level activity entry (no instance): a
 * typo fix is not news for the customers. Customers hear of price changes,
 * once per scheduling, with amount and date.
 */
import { asc, count, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import { instances, pricingTiers } from "@/db/schema";
import { recordActivity } from "@/lib/activity";
import { billingToday } from "@/lib/billing/clock";
import { defaultEffectiveFrom, loadTierPriceChanges, presentPriceChange, priceOn, upcomingChanges, type TierPriceChange } from "@/lib/billing/tier-prices";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { formatEuro } from "@/lib/money";
import type { z } from "@/lib/validation";
import type { Actor } from "./instances";
import type { updateTierSchema } from "./schemas";

type TierRow = typeof pricingTiers.$inferSelect;

function presentTier(t: TierRow, instanceCount: number, changes: TierPriceChange[], today: string) {
  const current = priceOn(t.monthlyPriceCents, changes, today);
  const upcoming = upcomingChanges(changes, today).map(presentPriceChange);
  return {
    key: t.key,
    label: t.label,
    /** The price in effect today. */
    monthly_price: current / 100,
    monthly_price_cents: current,
    monthly_price_label: formatEuro(current),
    /** Scheduled changes, earliest first; `label` reads "ab 01.12.2026: 39,00 €". */
    upcoming_price_changes: upcoming,
    max_customers: t.maxCustomers,
    max_devices: t.maxDevices,
    instance_count: instanceCount,
  };
}

export async function listTiers() {
  const db = await getDb();
  const today = billingToday();
  const rows = await db.select().from(pricingTiers).orderBy(asc(pricingTiers.sortOrder), asc(pricingTiers.key));
  const counts = await db.select({ key: instances.pricingTier, n: count() }).from(instances).groupBy(instances.pricingTier);
  const changes = await loadTierPriceChanges(db);
  return {
    tiers: rows.map((t) => presentTier(t, counts.find((c) => c.key === t.key)?.n ?? 0, changes.get(t.key) ?? [], today)),
    /** The date a price change takes effect unless staff choose another: first day of the next billing period. */
    default_effective_from: defaultEffectiveFrom(today),
  };
}

/**
 * Edits label and limits of a tier; every instance on it sees them in /status at once.
 * `monthly_price` is accepted only unchanged (clients that send the whole tier):
 * a new price needs a date and goes through `scheduleTierPrice`.
 */
export async function updateTier(actor: Actor, { tierKey: key, ...input }: z.infer<typeof updateTierSchema> & { tierKey: string }, options?: CommandOptions) {
  const today = billingToday();
  const result = await inTransaction(options, async (tx) => {
    const [before] = await tx.select().from(pricingTiers).where(eq(pricingTiers.key, key)).for("update");
    if (!before) throw new NotFoundError("Tarif nicht gefunden.");
    const changes = (await loadTierPriceChanges(tx, [key])).get(key) ?? [];
    if (input.monthly_price !== undefined && Math.round(input.monthly_price * 100) !== priceOn(before.monthlyPriceCents, changes, today)) {
      throw new ValidationError({
        monthly_price: [`Ein neuer Monatspreis gilt erst ab einem Datum: bitte als Preisänderung planen (POST /api/manage/admin/tiers/${key}/price-changes).`],
      });
    }
    const set: Partial<TierRow> = {};
    const edits: string[] = [];
    if (input.label !== undefined && input.label !== before.label) {
      set.label = input.label;
      edits.push(`Bezeichnung: ${before.label} → ${input.label}`);
    }
    if (input.max_customers !== undefined && input.max_customers !== before.maxCustomers) {
      set.maxCustomers = input.max_customers;
      edits.push(`Max. Kunden: ${before.maxCustomers} → ${input.max_customers}`);
    }
    if (input.max_devices !== undefined && input.max_devices !== before.maxDevices) {
      set.maxDevices = input.max_devices;
      edits.push(`Max. Geräte: ${before.maxDevices} → ${input.max_devices}`);
    }
    if (edits.length === 0) return { after: before, changes, edited: false };
    const [after] = await tx.update(pricingTiers).set(set).where(eq(pricingTiers.key, key)).returning();
    await recordActivity(tx, actor, {
      instanceId: null,
      action: "admin.tier_updated",
      description: `Tarif „${after!.label}“ geändert: ${edits.join("; ")}`,
      metadata: { tier: key, changes: { label: set.label, max_customers: set.maxCustomers, max_devices: set.maxDevices } },
    });
    return { after: after!, changes, edited: true };
  });
  const db = options?.tx ?? (await getDb());
  const [{ n }] = await db.select({ n: count() }).from(instances).where(eq(instances.pricingTier, key));
  return { message: result.edited ? "Tarif gespeichert." : "Keine Änderungen.", tier: presentTier(result.after, n, result.changes, today) };
}
