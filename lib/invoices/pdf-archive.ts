/**
 * The archive of an issued invoice: its PDF (the Factur-X/ZUGFeRD file: PDF/A-3b with
 * `factur-x.xml`) in `invoices.pdf` and its e-invoice XML in `invoice_documents`, each with its
 * SHA-256. Rendered exactly once, inside the issuing transaction (`renderIssuedFiles` +
 * `storeIssuedDocuments`), so number, PDF, XML and activity entry commit together; every
 * download, the year ZIP and every mail serve the stored bytes and nothing renders again.
 * The database refuses replacing or deleting them (triggers) and checks each SHA-256 against
 * its bytes (migration `0021_archive_checksums`).
 *
 * Invoices issued before archiving at issue existed (and seeded invoices written without
 * `archive`) have no PDF yet: the first download renders all their files once from the stored
 * snapshots, archives them (first writer wins) and returns the stored bytes.
 */
import { createHash } from "node:crypto";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { invoiceDocuments, invoices } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { renderEInvoiceFiles, type EInvoiceFiles } from "@/lib/invoices/einvoice/facturx";
import { NotFoundError, UnprocessableError } from "@/lib/errors";
import { summarizeLines } from "@/lib/invoices/calc";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import { InvoicePdfError, renderInvoicePdf, type InvoicePdfData, type IssuerConfig } from "@/lib/invoices/pdf";
import { invoicePdfMetadata } from "@/lib/invoices/pdf/metadata";
import { pdfFilename } from "@/lib/invoices/pdf-filename";
import { directDebitNotice } from "@/lib/sepa/prenotification";
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
 * Renders every file of `row` (with number and dates already set) from its stored items: the
 * Factur-X PDF and the e-invoice XML (`einvoice/facturx.ts`). A render failure is a 422.
 */
export async function renderIssuedFiles(db: DbOrTx, row: InvoiceRow, issuer: IssuerConfig): Promise<EInvoiceFiles> {
  const { items } = await loadParts(db, row.id);
  const cancelled = row.cancelsInvoiceId ? await findRow(db, row.cancelsInvoiceId) : null;
  const data = { ...pdfDataFor(row, items, cancelled), direct_debit: await directDebitNotice(db, row.id) };
  try {
    const visual = await renderInvoicePdf(data, issuer);
    const withIssuer = { ...row, issuer: row.issuer ?? (issuer as unknown as Record<string, unknown>) };
    return await renderEInvoiceFiles(db, withIssuer, visual, invoicePdfMetadata(data, issuer));
  } catch (error) {
    if (error instanceof InvoicePdfError) {
      throw new UnprocessableError(`Das Rechnungs-PDF konnte nicht erstellt werden: ${error.message}`);
    }
    throw error;
  }
}

/** Stores the XML files of an issued invoice (bytes + SHA-256) in the caller's transaction; an existing file stays. */
export async function storeIssuedDocuments(tx: DbOrTx, invoiceId: number, files: EInvoiceFiles) {
  if (files.documents.length === 0) return;
  await tx
    .insert(invoiceDocuments)
    .values(files.documents.map((d) => ({ invoiceId, kind: d.kind, bytes: d.bytes, sha256: sha256(d.bytes) })))
    .onConflictDoNothing();
}

/** Archives an issued invoice that has no files yet (issued before archiving at issue); first writer wins. */
async function archiveOnce(row: InvoiceRow, database?: Db): Promise<Buffer> {
  const db = database ?? (await getDb());
  const issuer = (row.issuer as IssuerConfig | null) ?? currentIssuer();
  const files = await renderIssuedFiles(db, row, issuer);
  return db.transaction(async (tx) => {
    await tx
      .update(invoices)
      .set({ pdf: files.pdf, pdfSha256: sha256(files.pdf) })
      .where(and(eq(invoices.id, row.id), isNull(invoices.pdf)));
    await storeIssuedDocuments(tx, row.id, files);
    const [stored] = await tx.select({ pdf: invoices.pdf }).from(invoices).where(eq(invoices.id, row.id));
    return stored?.pdf ?? files.pdf;
  });
}

/** The archived PDF of an issued invoice (archived now if it is one of the older ones without files). */
export async function archivedPdf(row: InvoiceRow, db?: Db) {
  if (!row.issuedAt || !row.invoiceNumber) throw new NotFoundError("Für Entwürfe gibt es noch kein PDF.");
  if (!row.pdf) {
    const pdf = await archiveOnce(row, db);
    return { filename: pdfFilename(row.invoiceNumber), bytes: pdf, sha256: sha256(pdf) };
  }
  return { filename: pdfFilename(row.invoiceNumber), bytes: row.pdf, sha256: row.pdfSha256 ?? sha256(row.pdf) };
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
  return archivedPdf(await findVisibleRow(db, instanceId, id));
}

/** `db`: a caller's transaction (a command that joined it reads the invoice it sees). */
export async function getInvoicePdfForStaff(id: number, db?: DbOrTx) {
  db ??= await getDb();
  return archivedPdf(await findRow(db, id));
}

/** GET /api/files/invoices/<id>.pdf: the issued invoice a signed link names (`pdf-link.ts`); its archived bytes. */
export async function getInvoicePdfForLink(id: number) {
  const db = await getDb();
  return archivedPdf(await findRow(db, id));
}
