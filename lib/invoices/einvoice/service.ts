/**
 * E-invoice downloads: the files archived when the invoice was issued (`lib/invoices/pdf-archive.ts`),
 * never rendered on request. Per issued invoice:
 * - the Factur-X PDF (`invoices.pdf`: PDF/A-3b with the EN 16931 CII as `factur-x.xml`),
 * - `cii_xml`: the CII the profile asks for (XRechnung 3.0 CII, else EN 16931 CII of Factur-X),
 * - `xrechnung_xml`: XRechnung 3.0 UBL,
 * each with its SHA-256 in `invoice_documents` (unique per invoice and kind, trigger-protected).
 *
 * Without `format` a customer gets the XML of the billing profile frozen on the invoice
 * (older invoices: the instance setting). A format that was not archived (the library refused
 * it at issue, e.g. XRechnung without buyer e-mail) is a 404 with the reason.
 */
import { and, eq, isNotNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { invoiceDocuments, invoices, type InvoiceDocumentKind } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { archivedPdf } from "@/lib/invoices/pdf-archive";
import { profileXml } from "./source";

type InvoiceRow = typeof invoices.$inferSelect;
export type EInvoiceFile = { filename: string; contentType: string; bytes: Buffer; kind: InvoiceDocumentKind };

const NOT_FOUND = "Rechnung nicht gefunden.";

function notFound(): never {
  throw new NotFoundError(NOT_FOUND);
}

async function findIssued(db: DbOrTx, id: number, instanceId?: number) {
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const conditions = [eq(invoices.id, id), isNotNull(invoices.issuedAt)];
  if (instanceId !== undefined) conditions.push(eq(invoices.instanceId, instanceId));
  const [row] = await db.select().from(invoices).where(and(...conditions));
  if (!row) {
    if (instanceId === undefined) {
      const [draft] = await db.select({ id: invoices.id }).from(invoices).where(eq(invoices.id, id));
      if (draft) throw new NotFoundError("Für Entwürfe gibt es noch keine E-Rechnung.");
    }
    notFound();
  }
  return row;
}

/** The archived XML of that kind, or null. */
export async function readArchivedDocument(db: DbOrTx, invoiceId: number, kind: InvoiceDocumentKind) {
  const [doc] = await db
    .select({ bytes: invoiceDocuments.bytes, sha256: invoiceDocuments.sha256 })
    .from(invoiceDocuments)
    .where(and(eq(invoiceDocuments.invoiceId, invoiceId), eq(invoiceDocuments.kind, kind)));
  return doc ?? null;
}

const FORMAT_LABELS = { cii_xml: "CII", xrechnung_xml: "XRechnung (UBL)" } as const;

async function archivedXml(row: InvoiceRow, kind: "cii_xml" | "xrechnung_xml"): Promise<EInvoiceFile> {
  const db = await getDb();
  let doc = await readArchivedDocument(db, row.id, kind);
  if (!doc && !row.pdf) {
    // Issued before archiving at issue: archives all files once, then reads them.
    await archivedPdf(row);
    doc = await readArchivedDocument(db, row.id, kind);
  }
  if (!doc) throw new NotFoundError(`Für die Rechnung ${row.invoiceNumber} wurde beim Ausstellen keine E-Rechnung im Format ${FORMAT_LABELS[kind]} erzeugt.`);
  const suffix = kind === "xrechnung_xml" ? "xrechnung" : "zugferd";
  return { filename: `${row.invoiceNumber}-${suffix}.xml`, contentType: "application/xml; charset=utf-8", bytes: doc.bytes, kind };
}

export type EInvoiceRequest = { format?: "zugferd" | "xrechnung" | "cii" | "facturx" };

async function fileFor(row: InvoiceRow, request: EInvoiceRequest): Promise<EInvoiceFile> {
  if (request.format === "facturx") {
    const { bytes } = await archivedPdf(row);
    return { filename: `${row.invoiceNumber}.pdf`, contentType: "application/pdf", bytes, kind: "facturx_pdf" };
  }
  if (request.format === "xrechnung") return archivedXml(row, "xrechnung_xml");
  if (request.format === "cii" || request.format === "zugferd") return archivedXml(row, "cii_xml");
  return archivedXml(row, (await profileXml(await getDb(), row)).kind);
}

/** Customer: the instance's own issued invoice. `instanceId` null: any tenant's issued invoice (MSP staff through API v1). */
export async function getEInvoice(instanceId: number | null, id: number, request: EInvoiceRequest = {}) {
  const db = await getDb();
  return fileFor(await findIssued(db, id, instanceId ?? undefined), request);
}

export async function getEInvoiceForStaff(id: number, request: EInvoiceRequest = {}) {
  const db = await getDb();
  return fileFor(await findIssued(db, id), request);
}
