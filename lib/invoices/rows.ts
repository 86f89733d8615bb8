/**
 * Row access shared by queries, the PDF archive and the commands: the row
 * types, the lookups that turn "missing", "malformed id", "another
 * instance's" and "draft, for a customer" all into the same 404, and the
 * conversion of stored items into the lines `calc.ts` works with.
 */
import { todayIsoDate } from "@/lib/time";
import { and, asc, eq, getTableColumns, isNotNull, type Placeholder, type SQL } from "drizzle-orm";
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
/** An issued invoice of the tenant (`instanceId`), or of any tenant (null: MSP staff through API v1). */
export async function findVisibleRow(db: DbOrTx, instanceId: number | null, id: number, options: { withPdf?: boolean } = {}): Promise<InvoiceRow> {
  if (!Number.isSafeInteger(id) || id <= 0) invoiceNotFound();
  if (options.withPdf === false) {
    const [row] = await visibleRowSelect(db, instanceId, id, { withPdf: false });
    return row ? { ...row, pdf: null } : invoiceNotFound();
  }
  const [row] = await visibleRowSelect(db, instanceId, id);
  return row ?? invoiceNotFound();
}

/**
 * The query of `findVisibleRow` as a builder (values or placeholders; the
 * benchmark's bare server renders it). `withPdf: false` selects every column but `pdf`.
 */
export function visibleRowSelect(db: DbOrTx, instanceId: number | Placeholder | null, id: number | Placeholder): ReturnType<typeof fullRowSelect>;
export function visibleRowSelect(db: DbOrTx, instanceId: number | Placeholder | null, id: number | Placeholder, options: { withPdf: false }): ReturnType<typeof rowWithoutPdfSelect>;
export function visibleRowSelect(db: DbOrTx, instanceId: number | Placeholder | null, id: number | Placeholder, options: { withPdf?: boolean } = {}) {
  const where = and(eq(invoices.id, id), instanceId === null ? undefined : eq(invoices.instanceId, instanceId), isNotNull(invoices.issuedAt));
  return options.withPdf === false ? rowWithoutPdfSelect(db, where) : fullRowSelect(db, where);
}

function fullRowSelect(db: DbOrTx, where: SQL | undefined) {
  return db.select().from(invoices).where(where);
}

function rowWithoutPdfSelect(db: DbOrTx, where: SQL | undefined) {
  return db.select(columnsWithoutPdf).from(invoices).where(where);
}

/** Items by position, payments by date. */
export async function loadParts(db: DbOrTx, invoiceId: number) {
  const [items, payments] = await Promise.all([itemsSelect(db, invoiceId), paymentsSelect(db, invoiceId)]);
  return { items, payments };
}

/** The invoice's items by position (a builder: `loadParts`, the benchmark's bare server). */
export function itemsSelect(db: DbOrTx, invoiceId: number | Placeholder) {
  return db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, invoiceId)).orderBy(asc(invoiceItems.position));
}

/** The invoice's payments by date (a builder: `loadParts`, the benchmark's bare server). */
export function paymentsSelect(db: DbOrTx, invoiceId: number | Placeholder) {
  return db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, invoiceId)).orderBy(asc(invoicePayments.paymentDate), asc(invoicePayments.id));
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
