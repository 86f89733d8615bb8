/**
 * Row access shared by queries, the PDF archive and the commands: the row
 * types, the lookups that turn "missing", "malformed id", "another
 * instance's" and "draft, for a customer" all into the same 404, and the
 * conversion of stored items into the lines `calc.ts` works with.
 */
import { todayIsoDate } from "@/lib/time";
import { and, asc, eq, getTableColumns, isNotNull } from "drizzle-orm";
import { invoiceItems, invoicePayments, invoices } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { NotFoundError } from "@/lib/errors";
import { deriveStatus, type CalculatedLine, type InvoiceStatus } from "@/lib/invoices/calc";

export type InvoiceRow = typeof invoices.$inferSelect;
export type ItemRow = typeof invoiceItems.$inferSelect;
export type PaymentRow = typeof invoicePayments.$inferSelect;
type ItemColumns = Pick<ItemRow, "position" | "description" | "quantityMilli" | "unit" | "unitPriceCents" | "vatRate" | "netCents">;

export function invoiceNotFound(): never {
  throw new NotFoundError("Rechnung nicht gefunden.");
}

/** Any invoice, drafts included (staff); `forUpdate` locks the row for a command. */
export async function findRow(db: DbOrTx, id: number, forUpdate = false): Promise<InvoiceRow> {
  if (!Number.isSafeInteger(id) || id <= 0) invoiceNotFound();
  const query = db.select().from(invoices).where(eq(invoices.id, id));
  const [row] = forUpdate ? await query.for("update") : await query;
  return row ?? invoiceNotFound();
}

/** Every column but the archived PDF bytes (the detail never shows them; PostgreSQL then never de-TOASTs them). */
const { pdf: _pdf, ...columnsWithoutPdf } = getTableColumns(invoices);

/**
 * An issued invoice of the instance (customers never see drafts or other instances).
 * `withPdf: false` leaves the archived bytes unread (`pdf` is then null, `pdfSha256` tells whether they exist).
 */
export async function findVisibleRow(db: DbOrTx, instanceId: number, id: number, options: { withPdf?: boolean } = {}): Promise<InvoiceRow> {
  if (!Number.isSafeInteger(id) || id <= 0) invoiceNotFound();
  const where = and(eq(invoices.id, id), eq(invoices.instanceId, instanceId), isNotNull(invoices.issuedAt));
  if (options.withPdf === false) {
    const [row] = await db.select(columnsWithoutPdf).from(invoices).where(where);
    return row ? { ...row, pdf: null } : invoiceNotFound();
  }
  const [row] = await db.select().from(invoices).where(where);
  return row ?? invoiceNotFound();
}

/** Items by position, payments by date. */
export async function loadParts(db: DbOrTx, invoiceId: number) {
  const [items, payments] = await Promise.all([
    db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, invoiceId)).orderBy(asc(invoiceItems.position)),
    db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, invoiceId)).orderBy(asc(invoicePayments.paymentDate), asc(invoicePayments.id)),
  ]);
  return { items, payments };
}

export function lineFromItem(item: ItemColumns): CalculatedLine {
  return {
    position: item.position,
    description: item.description,
    quantity_milli: item.quantityMilli,
    unit: item.unit,
    unit_price_cents: item.unitPriceCents,
    vat_rate: item.vatRate,
    net_cents: item.netCents,
  };
}

export function statusOf(row: InvoiceRow, paidCents: number, today = todayIsoDate()): InvoiceStatus {
  return deriveStatus({
    issued: row.issuedAt !== null,
    cancelled: row.cancelledAt !== null,
    gross_cents: row.grossCents,
    paid_cents: paidCents,
    due_date: row.dueDate,
    today,
  });
}
