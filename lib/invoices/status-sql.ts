/**
 * The derived status in SQL, for list filters and statistics: the same rule
 * as `deriveStatus` in calc.ts (tests check that both agree). Nothing about
 * the status is stored; it follows from issue/cancel dates, payments and the
 * due date on every read.
 */
import { sql, type SQL } from "drizzle-orm";
import { invoicePayments, invoices } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import type { InvoiceStatus } from "@/lib/invoices/calc";

/** Sent, partially paid and overdue: what `open_count` and `open_amount` sum up. */
export const OPEN_STATUSES: InvoiceStatus[] = ["sent", "partially_paid", "overdue"];

/** The sum of the invoice's payments (negative for refunds of a credit note). */
export const paidSql = sql<number>`coalesce((select sum(p.amount_cents) from ${invoicePayments} p where p.invoice_id = ${invoices.id}), 0)`;

export function statusSql(today: string) {
  return sql<InvoiceStatus>`case
    when ${invoices.cancelledAt} is not null then 'cancelled'
    when ${invoices.issuedAt} is null then 'draft'
    when (case when ${invoices.grossCents} >= 0 then ${invoices.grossCents} - ${paidSql} <= 0
               else ${invoices.grossCents} - ${paidSql} >= 0 end) then 'paid'
    when ${invoices.dueDate} is not null and ${invoices.dueDate} < ${today}::date then 'overdue'
    when ${paidSql} <> 0 then 'partially_paid'
    else 'sent' end`;
}

/** Invoices matching `where` with paid amount and status as columns, to filter and group on. */
export function derivedSubquery(db: DbOrTx, where: SQL | undefined, today: string) {
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
      paidCents: sql<number>`${paidSql}`.mapWith(Number).as("paid_cents"),
      status: sql<InvoiceStatus>`${statusSql(today)}`.as("status"),
    })
    .from(invoices)
    .where(where)
    .as("d");
}
