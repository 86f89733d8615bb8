import { and, eq, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { invoicePayments, invoices } from "@/db/schema";

/** Open (issued, not cancelled, not fully paid) invoice amounts per instance, in cents. */
export async function openInvoiceTotals(instanceIds?: number[], db?: DbOrTx) {
  db ??= await getDb();
  const paid = db
    .select({ invoiceId: invoicePayments.invoiceId, paidCents: sql<number>`coalesce(sum(${invoicePayments.amountCents}), 0)`.as("paid_cents") })
    .from(invoicePayments)
    .groupBy(invoicePayments.invoiceId)
    .as("paid");
  const remaining = sql`(${invoices.grossCents} - coalesce(${paid.paidCents}, 0))`;
  const where: SQL[] = [
    eq(invoices.kind, "invoice"),
    isNotNull(invoices.issuedAt),
    sql`${invoices.cancelledAt} is null`,
    sql`${remaining} > 0`,
  ];
  if (instanceIds) {
    if (instanceIds.length === 0) return new Map<number, { openCents: number; openCount: number; overdueCount: number; overdueCents: number }>();
    where.push(inArray(invoices.instanceId, instanceIds));
  }
  const rows = await db
    .select({
      instanceId: invoices.instanceId,
      openCents: sql<string>`sum(${remaining})`,
      openCount: sql<string>`count(*)`,
      overdueCount: sql<string>`count(*) filter (where ${invoices.dueDate} < current_date)`,
      overdueCents: sql<string>`coalesce(sum(${remaining}) filter (where ${invoices.dueDate} < current_date), 0)`,
    })
    .from(invoices)
    .leftJoin(paid, eq(paid.invoiceId, invoices.id))
    .where(and(...where))
    .groupBy(invoices.instanceId);
  return new Map(
    rows.map((r) => [
      r.instanceId,
      { openCents: Number(r.openCents), openCount: Number(r.openCount), overdueCount: Number(r.overdueCount), overdueCents: Number(r.overdueCents) },
    ]),
  );
}
