/** Recurring extra items of an instance's billing plan (staff); commands `(actor, input, options?)`. */
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { billingPlanItems, instances } from "@/db/schema";
import { recordActivity, type Actor } from "@/lib/activity";
import { formatQuantity, formatVatRate } from "@/lib/invoices/calc";
import { NotFoundError } from "@/lib/errors";
import { formatEuro } from "@/lib/money";
import { apiTimestamp } from "@/lib/time";
import type { PlanItemInput } from "./schemas";

type ItemRow = typeof billingPlanItems.$inferSelect;

function present(row: ItemRow) {
  return {
    id: row.id,
    description: row.description,
    quantity: row.quantityMilli / 1000,
    quantity_label: formatQuantity(row.quantityMilli),
    unit: row.unit,
    unit_price_cents: row.unitPriceCents,
    unit_price_label: formatEuro(row.unitPriceCents),
    vat_rate: row.vatRate / 100,
    vat_rate_label: formatVatRate(row.vatRate),
    starts_on: row.startsOn,
    ends_on: row.endsOn,
    created_at: apiTimestamp(row.createdAt),
  };
}

async function requireInstance(db: DbOrTx, instanceId: number) {
  const [row] = await db.select({ id: instances.id }).from(instances).where(eq(instances.id, instanceId));
  if (!row) throw new NotFoundError("Diese Instanz gibt es nicht.");
}

export async function listPlanItems(instanceId: number) {
  const db = await getDb();
  await requireInstance(db, instanceId);
  const rows = await db.select().from(billingPlanItems).where(eq(billingPlanItems.instanceId, instanceId)).orderBy(asc(billingPlanItems.id));
  return { items: rows.map(present) };
}

export async function addPlanItem(actor: Actor, input: PlanItemInput & { instanceId: number }, options?: CommandOptions) {
  const { instanceId } = input;
  const row = await inTransaction(options, async (tx) => {
    await requireInstance(tx, instanceId);
    const [row] = await tx
      .insert(billingPlanItems)
      .values({
        instanceId,
        description: input.description,
        quantityMilli: input.quantity,
        unit: input.unit,
        unitPriceCents: input.unit_price,
        vatRate: input.vat_rate,
        startsOn: input.starts_on,
        endsOn: input.ends_on,
      })
      .returning();
    await recordActivity(tx, actor, { instanceId, action: "billing.item_added", description: `Abrechnungsposition „${input.description}“ hinzugefügt`, metadata: { item_id: row!.id } });
    return row!;
  });
  return { item: present(row) };
}

export async function removePlanItem(actor: Actor, input: { instanceId: number; itemId: number }, options?: CommandOptions) {
  const { instanceId, itemId } = input;
  await inTransaction(options, async (tx) => {
    const [row] = await tx
      .delete(billingPlanItems)
      .where(and(eq(billingPlanItems.id, itemId), eq(billingPlanItems.instanceId, instanceId)))
      .returning();
    if (!row) throw new NotFoundError("Diese Abrechnungsposition gibt es nicht.");
    await recordActivity(tx, actor, { instanceId, action: "billing.item_removed", description: `Abrechnungsposition „${row.description}“ entfernt`, metadata: { item_id: itemId } });
  });
}
