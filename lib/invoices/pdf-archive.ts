/**
 * The archived PDF of an issued invoice. Rendered once — inside the issuing
 * transaction, or for seeded invoices on the first download from the stored
 * issuer snapshot — and stored with its SHA-256; every download returns
 * exactly these bytes (database triggers refuse replacing them). The stored
 * PDF is the ZUGFeRD/Factur-X e-invoice (PDF/A-3 with `factur-x.xml`), so the
 * download and the mail attachment are the e-invoice (lib/einvoice/facturx.ts).
 */
import { createHash } from "node:crypto";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { invoices } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { embedFacturX } from "@/lib/invoices/einvoice/facturx";
import { NotFoundError, UnprocessableError } from "@/lib/errors";
import { summarizeLines } from "@/lib/invoices/calc";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import { InvoicePdfError, renderInvoicePdf, type InvoicePdfData, type IssuerConfig } from "@/lib/invoices/pdf";
import { pdfFilename } from "@/lib/invoices/pdf-filename";
import { findRow, findVisibleRow, lineFromItem, loadParts, type InvoiceRow, type ItemRow } from "@/lib/invoices/rows";

export function sha256(bytes: Buffer) {
  return createHash("sha256").update(bytes).digest("hex");
}

function pdfDataFor(row: InvoiceRow, items: ItemRow[], cancelled: InvoiceRow | null): InvoicePdfData {
  const calc = summarizeLines(items.map(lineFromItem));
  return {
    kind: row.kind,
    invoice_number: row.invoiceNumber!,
    invoice_date: row.invoiceDate!,
    due_date: row.dueDate,
    service_period_start: row.servicePeriodStart,
    service_period_end: row.servicePeriodEnd,
    title: row.title,
    cancels_invoice_number: cancelled?.invoiceNumber ?? null,
    cancels_invoice_date: cancelled?.invoiceDate ?? null,
    recipient: row.recipient,
    items: calc.lines,
    breakdown: calc.breakdown,
    totals: calc.totals,
    notes: row.notes,
    reverse_charge: row.reverseCharge,
  };
}

/**
 * Renders `row` (with number and dates already set) from its stored items as
 * the Factur-X PDF (visual PDF + embedded EN 16931 XML); a render failure is a 422.
 */
export async function renderPdfFor(db: DbOrTx, row: InvoiceRow, issuer: IssuerConfig): Promise<Buffer> {
  const { items } = await loadParts(db, row.id);
  const cancelled = row.cancelsInvoiceId ? await findRow(db, row.cancelsInvoiceId) : null;
  try {
    const visual = await renderInvoicePdf(pdfDataFor(row, items, cancelled), issuer);
    return await embedFacturX(db, { ...row, issuer: row.issuer ?? (issuer as unknown as Record<string, unknown>) }, visual);
  } catch (error) {
    if (error instanceof InvoicePdfError) {
      throw new UnprocessableError(`Das Rechnungs-PDF konnte nicht erstellt werden: ${error.message}`);
    }
    throw error;
  }
}

async function archivedPdf(db: DbOrTx, row: InvoiceRow) {
  if (!row.issuedAt || !row.invoiceNumber) throw new NotFoundError("Für Entwürfe gibt es noch kein PDF.");
  let pdf = row.pdf;
  if (!pdf) {
    const issuer = (row.issuer as IssuerConfig | null) ?? currentIssuer();
    const rendered = await renderPdfFor(db, row, issuer);
    // First writer wins; a concurrent first download reads the stored bytes.
    await db
      .update(invoices)
      .set({ pdf: rendered, pdfSha256: sha256(rendered) })
      .where(and(eq(invoices.id, row.id), isNull(invoices.pdf)));
    const [stored] = await db.select({ pdf: invoices.pdf }).from(invoices).where(eq(invoices.id, row.id));
    pdf = stored?.pdf ?? rendered;
    return { filename: pdfFilename(row.invoiceNumber), bytes: pdf, sha256: sha256(pdf) };
  }
  return { filename: pdfFilename(row.invoiceNumber), bytes: pdf, sha256: row.pdfSha256 ?? sha256(pdf) };
}

/** The SHA-256 of the archived PDF of the instance's issued invoice, without reading the bytes; null when none is archived yet. */
export async function archivedPdfSha256(instanceId: number, id: number): Promise<string | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const db = await getDb();
  const [row] = await db
    .select({ sha256: invoices.pdfSha256 })
    .from(invoices)
    .where(and(eq(invoices.id, id), eq(invoices.instanceId, instanceId), isNotNull(invoices.issuedAt)));
  return row?.sha256 ?? null;
}

/** GET /api/manage/invoices/{id}/pdf: only the instance's issued invoices. */
export async function getInvoicePdf(instanceId: number, id: number) {
  const db = await getDb();
  return archivedPdf(db, await findVisibleRow(db, instanceId, id));
}

export async function getInvoicePdfForStaff(id: number) {
  const db = await getDb();
  return archivedPdf(db, await findRow(db, id));
}
