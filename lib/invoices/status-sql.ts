/**
 * The derived status in SQL, for list filters and statistics: the same rule
 * as `deriveStatus` in calc.ts (tests check that both agree). Nothing about
 * the status is stored; it follows from issue/cancel dates, payments and the
 * due date on every read.
 */
import { eq, sql, type AnyColumn, type Placeholder, type SQL } from "drizzle-orm";
import { invoicePayments, invoices } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import type { InvoiceStatus } from "@/lib/invoices/calc";

/** Sent, partially paid and overdue: what `open_count` and `open_amount` sum up. */
export const OPEN_STATUSES: InvoiceStatus[] = ["sent", "partially_paid", "overdue"];

/**
 * The sum of the invoice's payments (negative for refunds of a credit note),
 * computed once per invoice: a lateral aggregate joined to `invoices`, so the
 * status below reads a column instead of re-running a sub-select per mention.
 */
export function paidLateral(db: DbOrTx) {
  return db
    .select({ paidCents: sql<number>`coalesce(sum(${invoicePayments.amountCents}), 0)`.as("paid_cents") })
    .from(invoicePayments)
    .where(eq(invoicePayments.invoiceId, invoices.id))
    .as("paid");
}

export function statusSql(today: string | Placeholder, paid: SQL | SQL.Aliased | AnyColumn) {
  return sql<InvoiceStatus>`case
    when ${invoices.cancelledAt} is not null then 'cancelled'
    when ${invoices.issuedAt} is null then 'draft'
    when (case when ${invoices.grossCents} >= 0 then ${invoices.grossCents} - ${paid} <= 0
               else ${invoices.grossCents} - ${paid} >= 0 end) then 'paid'
    when ${invoices.dueDate} is not null and ${invoices.dueDate} < ${today}::date then 'overdue'
    when ${paid} <> 0 then 'partially_paid'
    else 'sent' end`;
}

/** Invoices matching `where` with paid amount and status as columns, to filter and group on. */
export function derivedSubquery(db: DbOrTx, where: SQL | undefined, today: string | Placeholder) {
  const paid = paidLateral(db);
  return db
    .select({
      id: invoices.id,
      instanceId: invoices.instanceId,
      kind: invoices.kind,
      invoiceNumber: invoices.invoiceNumber,
      title: invoices.title,
      invoiceDate: invoices.invoiceDate,
      dueDate: invoices.dueDate,
      createdAt: invoices.createdAt,
      grossCents: invoices.grossCents,
      paidCents: sql<number>`${paid.paidCents}`.mapWith(Number).as("paid_cents"),
      status: sql<InvoiceStatus>`${statusSql(today, paid.paidCents)}`.as("status"),
    })
    .from(invoices)
    .leftJoinLateral(paid, sql`true`)
    .where(where)
    .as("d");
}
