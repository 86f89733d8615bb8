/**
 * E-invoice archive. Each issued invoice gets up to three files in `invoice_documents`:
 * `cii_xml` (EN 16931 CII = ZUGFeRD/Factur-X XML), `xrechnung_xml` (XRechnung UBL) and
 * `facturx_pdf` (the archived invoice PDF as PDF/A-3 with `factur-x.xml` embedded).
 * Each is rendered on first request from the frozen invoice data (issuer snapshot,
 * recipient snapshot, items) and stored; later requests return exactly these bytes.
 * A unique (invoice_id, kind) index decides concurrent first renders (first writer
 * wins), a trigger refuses updates and deletes.
 *
 * Which XML a customer downloads follows the instance setting (`einvoice_format`:
 * zugferd → CII, xrechnung → XRechnung UBL, with the Leitweg-ID as BuyerReference).
 * Note: the Leitweg-ID is frozen into the XRechnung file on its first render.
 */
import { createHash } from "node:crypto";
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import {
  instanceEinvoiceSettings,
  invoiceDocuments,
  invoiceItems,
  invoices,
  roles,
  userRoles,
  users,
  type InvoiceDocumentKind,
} from "@/db/schema";
import { NotFoundError, UnprocessableError } from "@/lib/errors";
import type { CalculatedLine } from "@/lib/invoices/calc";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import type { IssuerConfig } from "@/lib/invoices/pdf/types";
import { getInvoicePdfForStaff } from "@/lib/invoices/pdf-archive";
import { getEinvoiceSettings, sourceFor, type EInvoiceFormat } from "./source";
import { EInvoiceError, renderCii, renderFacturX, renderXRechnungUbl } from "./generate";
import { toEInvoiceData, type EInvoiceSource } from "./map";

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

// ---------------------------------------------------------------------------
// Archive

async function render(db: DbOrTx, row: InvoiceRow, kind: InvoiceDocumentKind): Promise<Buffer> {
  const data = toEInvoiceData(await sourceFor(db, row));
  try {
    if (kind === "cii_xml") return await renderCii(data);
    if (kind === "xrechnung_xml") return await renderXRechnungUbl(data);
    return (await getInvoicePdfForStaff(row.id)).bytes;
  } catch (error) {
    if (error instanceof EInvoiceError) {
      throw new UnprocessableError(`Die E-Rechnung konnte nicht erstellt werden: ${error.message}`);
    }
    throw error;
  }
}

/** The archived file of that kind; rendered and stored on first use. */
export async function archivedDocument(row: InvoiceRow, kind: InvoiceDocumentKind): Promise<Buffer> {
  const db = await getDb();
  const existing = await readDocument(db, row.id, kind);
  if (existing) return existing;
  const bytes = await render(db, row, kind);
  await db
    .insert(invoiceDocuments)
    .values({ invoiceId: row.id, kind, bytes, sha256: createHash("sha256").update(bytes).digest("hex") })
    .onConflictDoNothing();
  return (await readDocument(db, row.id, kind)) ?? bytes;
}

async function readDocument(db: DbOrTx, invoiceId: number, kind: InvoiceDocumentKind) {
  const [doc] = await db
    .select({ bytes: invoiceDocuments.bytes })
    .from(invoiceDocuments)
    .where(and(eq(invoiceDocuments.invoiceId, invoiceId), eq(invoiceDocuments.kind, kind)));
  return doc?.bytes ?? null;
}

function xmlFile(row: InvoiceRow, kind: "cii_xml" | "xrechnung_xml", bytes: Buffer): EInvoiceFile {
  const suffix = kind === "xrechnung_xml" ? "xrechnung" : "zugferd";
  return { filename: `${row.invoiceNumber}-${suffix}.xml`, contentType: "application/xml; charset=utf-8", bytes, kind };
}

export type EInvoiceRequest = { format?: "zugferd" | "xrechnung" | "cii" | "facturx" };

async function fileFor(row: InvoiceRow, request: EInvoiceRequest): Promise<EInvoiceFile> {
  if (request.format === "facturx") {
    // The archived invoice PDF is the Factur-X file (lib/invoices/pdf-archive.ts).
    const { bytes } = await getInvoicePdfForStaff(row.id);
    return { filename: `${row.invoiceNumber}.pdf`, contentType: "application/pdf", bytes, kind: "facturx_pdf" };
  }
  const format = request.format === "cii" ? "zugferd" : (request.format ?? (await getEinvoiceSettings(row.instanceId)).einvoice_format);
  const kind = format === "xrechnung" ? "xrechnung_xml" : "cii_xml";
  return xmlFile(row, kind, await archivedDocument(row, kind));
}

/** Customer: the instance's own issued invoice; XML per instance setting unless a format is asked for. */
export async function getEInvoice(instanceId: number, id: number, request: EInvoiceRequest = {}) {
  const db = await getDb();
  return fileFor(await findIssued(db, id, instanceId), request);
}

export async function getEInvoiceForStaff(id: number, request: EInvoiceRequest = {}) {
  const db = await getDb();
  return fileFor(await findIssued(db, id), request);
}
