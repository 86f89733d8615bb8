/**
 * Staff commands on drafts: create, update, delete. A row without
 * `issued_at` is a draft — editable and deletable, never visible to
 * customers. Once issued, the service answers 409 and database triggers
 * (migration `0005_invoices_immutable`) refuse any change anyway.
 * Each command is `(actor, input, options?)` and writes its activity entry in its
 * transaction (`options.tx` joins a caller's); drafts are logged without instance,
 * so only staff see them.
 */
import { and, eq, isNull } from "drizzle-orm";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import { instances, invoiceItems, invoices, type InvoiceRecipientSnapshot } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { actorUserId, recordActivity, type Actor } from "@/lib/activity";
import { recipientFromProfile } from "@/lib/invoices/billing-profile";
import { ConflictError, UnprocessableError } from "@/lib/errors";
import { lineNetCents, summarizeLines } from "@/lib/invoices/calc";
import { defaultPaymentTermsDays } from "@/lib/invoices/issuer-config";
import { getInvoiceForStaff } from "@/lib/invoices/queries";
import { findRow, lineFromItem, type InvoiceRow } from "@/lib/invoices/rows";
import type { DraftInput } from "@/lib/invoices/schemas";

async function requireInstance(db: DbOrTx, instanceId: number) {
  const [instance] = await db.select().from(instances).where(eq(instances.id, instanceId));
  if (!instance) throw new UnprocessableError("Diese Instanz gibt es nicht.");
  return instance;
}

/**
 * The recipient of a new draft: the instance's billing profile as it is now. Never an
 * earlier invoice's recipient — a one-off override stays on the invoice it was made for.
 */
export async function defaultRecipient(db: DbOrTx, instanceId: number): Promise<InvoiceRecipientSnapshot> {
  await requireInstance(db, instanceId);
  return recipientFromProfile(db, instanceId);
}

function itemRowsFor(invoiceId: number, items: DraftInput["items"]) {
  const rows = items.map((item, index) => ({
    invoiceId,
    position: index + 1,
    description: item.description,
    quantityMilli: item.quantity,
    unit: item.unit,
    unitPriceCents: item.unit_price,
    vatRate: item.vat_rate,
    netCents: lineNetCents(item.quantity, item.unit_price),
  }));
  return { rows, totals: summarizeLines(rows.map(lineFromItem)).totals };
}

export function immutable(row: InvoiceRow): never {
  const number = row.invoiceNumber ? ` ${row.invoiceNumber}` : "";
  throw new ConflictError(
    `Die Rechnung${number} ist bereits ausgestellt und kann nicht mehr geändert werden. Korrekturen nur per Stornierung mit Stornorechnung.`,
  );
}

export async function createDraft(actor: Actor, input: DraftInput, options?: CommandOptions) {
  const id = await inTransaction(options, async (tx) => {
    const instance = await requireInstance(tx, input.instance_id);
    const recipient = input.recipient ?? (await defaultRecipient(tx, instance.id));
    const [row] = await tx
      .insert(invoices)
      .values({
        instanceId: instance.id,
        title: input.title,
        servicePeriodStart: input.service_period_start,
        servicePeriodEnd: input.service_period_end,
        paymentTermsDays: input.payment_terms_days ?? defaultPaymentTermsDays(),
        recipient,
        notes: input.notes,
        reverseCharge: input.reverse_charge,
        createdBy: actorUserId(actor),
      })
      .returning({ id: invoices.id });
    const { rows, totals } = itemRowsFor(row!.id, input.items);
    await tx.insert(invoiceItems).values(rows);
    await tx
      .update(invoices)
      .set({ netCents: totals.net_cents, vatCents: totals.vat_cents, grossCents: totals.gross_cents })
      .where(eq(invoices.id, row!.id));
    await recordActivity(tx, actor, {
      instanceId: null,
      action: "invoice.draft_created",
      description: `Rechnungsentwurf „${input.title}“ angelegt`,
      metadata: { invoice_id: row!.id, instance_id: instance.id },
    });
    return row!.id;
  });
  return getInvoiceForStaff(id, options?.tx);
}

export async function updateDraft(actor: Actor, input: DraftInput & { invoiceId: number }, options?: CommandOptions) {
  const id = input.invoiceId;
  await inTransaction(options, async (tx) => {
    const row = await findRow(tx, id, true);
    if (row.issuedAt) immutable(row);
    const instance = await requireInstance(tx, input.instance_id);
    const recipient = input.recipient ?? (instance.id === row.instanceId ? row.recipient : await defaultRecipient(tx, instance.id));
    const { rows, totals } = itemRowsFor(id, input.items);
    await tx.delete(invoiceItems).where(eq(invoiceItems.invoiceId, id));
    await tx.insert(invoiceItems).values(rows);
    await tx
      .update(invoices)
      .set({
        instanceId: instance.id,
        title: input.title,
        servicePeriodStart: input.service_period_start,
        servicePeriodEnd: input.service_period_end,
        paymentTermsDays: input.payment_terms_days ?? row.paymentTermsDays,
        recipient,
        notes: input.notes,
        reverseCharge: input.reverse_charge,
        netCents: totals.net_cents,
        vatCents: totals.vat_cents,
        grossCents: totals.gross_cents,
        updatedAt: new Date(),
      })
      .where(and(eq(invoices.id, id), isNull(invoices.issuedAt)));
    await recordActivity(tx, actor, {
      instanceId: null,
      action: "invoice.draft_updated",
      description: `Rechnungsentwurf „${input.title}“ geändert`,
      metadata: { invoice_id: id, instance_id: instance.id },
    });
  });
  return getInvoiceForStaff(id, options?.tx);
}

export async function deleteDraft(actor: Actor, input: { invoiceId: number }, options?: CommandOptions) {
  const id = input.invoiceId;
  await inTransaction(options, async (tx) => {
    const row = await findRow(tx, id, true);
    if (row.issuedAt) immutable(row);
    await tx.delete(invoices).where(and(eq(invoices.id, id), isNull(invoices.issuedAt)));
    await recordActivity(tx, actor, {
      instanceId: null,
      action: "invoice.draft_deleted",
      description: `Rechnungsentwurf „${row.title}“ gelöscht`,
      metadata: { invoice_id: id, instance_id: row.instanceId },
    });
  });
}
