import { asc, count, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances, pricingTiers } from "@/db/schema";
import { recordActivity } from "@/lib/activity";
import { NotFoundError } from "@/lib/errors";
import { formatEuro } from "@/lib/money";
import type { z } from "@/lib/validation";
import type { Actor } from "./instances";
import type { updateTierSchema } from "./schemas";

type TierRow = typeof pricingTiers.$inferSelect;

function presentTier(t: TierRow, instanceCount: number) {
  return {
    key: t.key,
    label: t.label,
    monthly_price: t.monthlyPriceCents / 100,
    monthly_price_cents: t.monthlyPriceCents,
    monthly_price_label: formatEuro(t.monthlyPriceCents),
    max_customers: t.maxCustomers,
    max_devices: t.maxDevices,
    instance_count: instanceCount,
  };
}

export async function listTiers() {
  const db = await getDb();
  const rows = await db.select().from(pricingTiers).orderBy(asc(pricingTiers.sortOrder), asc(pricingTiers.key));
  const counts = await db.select({ key: instances.pricingTier, n: count() }).from(instances).groupBy(instances.pricingTier);
  return { tiers: rows.map((t) => presentTier(t, counts.find((c) => c.key === t.key)?.n ?? 0)) };
}

/** Edits a tier; every instance on it sees the new label, price and limits in /status at once. */
export async function updateTier(actor: Actor, key: string, input: z.infer<typeof updateTierSchema>) {
  const db = await getDb();
  const [before] = await db.select().from(pricingTiers).where(eq(pricingTiers.key, key));
  if (!before) throw new NotFoundError("Tarif nicht gefunden.");
  const set: Partial<TierRow> = {};
  const changes: string[] = [];
  if (input.label !== undefined && input.label !== before.label) {
    set.label = input.label;
    changes.push(`Bezeichnung: ${before.label} → ${input.label}`);
  }
  if (input.monthly_price !== undefined) {
    const cents = Math.round(input.monthly_price * 100);
    if (cents !== before.monthlyPriceCents) {
      set.monthlyPriceCents = cents;
      changes.push(`Monatspreis: ${formatEuro(before.monthlyPriceCents)} → ${formatEuro(cents)}`);
    }
  }
  if (input.max_customers !== undefined && input.max_customers !== before.maxCustomers) {
    set.maxCustomers = input.max_customers;
    changes.push(`Max. Kunden: ${before.maxCustomers} → ${input.max_customers}`);
  }
  if (input.max_devices !== undefined && input.max_devices !== before.maxDevices) {
    set.maxDevices = input.max_devices;
    changes.push(`Max. Geräte: ${before.maxDevices} → ${input.max_devices}`);
  }
  if (changes.length > 0) {
    await db.transaction(async (tx) => {
      await tx.update(pricingTiers).set(set).where(eq(pricingTiers.key, key));
      const affected = await tx.select({ id: instances.id }).from(instances).where(eq(instances.pricingTier, key));
      const description = `Tarif „${input.label ?? before.label}“ geändert: ${changes.join("; ")}`;
      const targets = affected.length ? affected.map((a) => a.id) : [null];
      for (const instanceId of targets) {
        await recordActivity(tx, actor, { instanceId, action: "admin.tier_updated", description, metadata: { tier: key, changes: input } });
      }
    });
  }
  const [after] = await db.select().from(pricingTiers).where(eq(pricingTiers.key, key));
  const [{ n }] = await db.select({ n: count() }).from(instances).where(eq(instances.pricingTier, key));
  return { message: changes.length ? "Tarif gespeichert." : "Keine Änderungen.", tier: presentTier(after, n) };
}
