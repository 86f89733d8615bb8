/**
 * The e-invoice files of an issued invoice, rendered once when it is issued:
 * - the Factur-X/ZUGFeRD PDF (EN 16931): the invoice PDF as PDF/A-3b with the CII embedded as
 *   `factur-x.xml` — stored as the invoice's PDF, so the download, the mail attachment and the
 *   e-invoice are one immutable file;
 * - the XML the recipient's billing profile asks for (frozen on the invoice): XRechnung UBL,
 *   XRechnung CII, or the EN 16931 CII of Factur-X. A refusal of the library here is a 422 and the
 *   invoice is not issued;
 * - the other XML syntax too, as a courtesy for `?format=`; skipped when the library refuses it
 *   (e.g. XRechnung without a buyer e-mail), so it never blocks issuing.
 */
import type { DbOrTx } from "@/db/types";
import type { InvoiceDocumentKind } from "@/db/schema";
import { UnprocessableError } from "@/lib/errors";
import type { PdfMetadata } from "@/lib/invoices/pdf/metadata";
import type { InvoiceRow } from "@/lib/invoices/rows";
import { EInvoiceError, renderCii, renderFacturX, renderXRechnungUbl } from "./generate";
import { toEInvoiceData } from "./map";
import { profileXml, sourceFor } from "./source";

export type XmlKind = Extract<InvoiceDocumentKind, "cii_xml" | "xrechnung_xml">;
export type EInvoiceFiles = { pdf: Buffer; documents: { kind: XmlKind; bytes: Buffer }[] };

function unprocessable(error: unknown): never {
  if (error instanceof EInvoiceError) throw new UnprocessableError(`Die E-Rechnung konnte nicht erstellt werden: ${error.message}`);
  throw error;
}

/** Renders every file of the issued `row` from its frozen parts; `visual` is the PDF/A-3b invoice. */
export async function renderEInvoiceFiles(db: DbOrTx, row: InvoiceRow, visual: Buffer, meta: PdfMetadata): Promise<EInvoiceFiles> {
  const data = toEInvoiceData(await sourceFor(db, row));
  const profile = await profileXml(db, row);
  const date = new Date(`${row.invoiceDate}T12:00:00Z`);
  const pdf = await renderFacturX(data, visual, meta, date).catch(unprocessable);
  const render: Record<XmlKind, () => Promise<Buffer>> = {
    cii_xml: () => renderCii(data, { xrechnung: profile.xrechnungCii }),
    xrechnung_xml: () => renderXRechnungUbl(data),
  };
  const documents: EInvoiceFiles["documents"] = [{ kind: profile.kind, bytes: await render[profile.kind]().catch(unprocessable) }];
  const other: XmlKind = profile.kind === "cii_xml" ? "xrechnung_xml" : "cii_xml";
  try {
    documents.push({ kind: other, bytes: await render[other]() });
  } catch (error) {
    if (!(error instanceof EInvoiceError)) throw error;
  }
  return { pdf, documents };
}
