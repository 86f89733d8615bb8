/** Open invoices as dunning sees them: issued, not cancelled, positive, not fully paid. */
import { and, asc, eq, gt, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/types";
import { invoices } from "@/db/schema";

export type OpenInvoiceRow = Awaited<ReturnType<typeof openInvoices>>[number];

export async function openInvoices(db: DbOrTx, filter: { instanceId?: number; dueBefore?: string } = {}) {
  // Qualified explicitly: an unqualified "id" inside the subquery would bind to p.id.
  const paid = sql<number>`coalesce((select sum(p.amount_cents) from invoice_payments p where p.invoice_id = "invoices"."id"), 0)`;
  const where: SQL[] = [eq(invoices.kind, "invoice"), isNotNull(invoices.issuedAt), isNotNull(invoices.invoiceNumber), isNull(invoices.cancelledAt), gt(invoices.grossCents, 0), sql`${invoices.grossCents} > ${paid}`];
  if (filter.instanceId !== undefined) where.push(eq(invoices.instanceId, filter.instanceId));
  if (filter.dueBefore) where.push(isNotNull(invoices.dueDate), lt(invoices.dueDate, filter.dueBefore));
  const rows = await db
    .select({
      id: invoices.id,
      instanceId: invoices.instanceId,
      invoiceNumber: invoices.invoiceNumber,
      invoiceDate: invoices.invoiceDate,
      dueDate: invoices.dueDate,
      grossCents: invoices.grossCents,
      paidCents: paid.mapWith(Number),
      recipient: invoices.recipient,
    })
    .from(invoices)
    .where(and(...where))
    .orderBy(asc(invoices.dueDate), asc(invoices.id));
  return rows.map((r) => ({ ...r, invoiceNumber: r.invoiceNumber!, openCents: r.grossCents - r.paidCents }));
}
