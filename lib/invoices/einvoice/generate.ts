/**
 * Rendering through `@e-invoice-eu/core`. The library validates the invoice data against
 * its JSON schema (Ajv; structure, code lists such as currencies, unit and tax category
 * codes) before rendering and throws on violations; we turn that into EInvoiceError.
 * It does not run the EN 16931 / XRechnung Schematron rules: the official validation runs in
 * the tests (tests/einvoice/official-validation.test.ts); see README.md.
 *
 * The library renders the XML only. The CII gets its preceding-invoice reference added
 * (`cii-references.ts`) and a direct debit's creditor identifier (`cii-direct-debit.ts`); the Factur-X PDF is assembled by `facturx-pdf.ts`.
 */
import type { Invoice, Logger } from "@e-invoice-eu/core";
import type { PdfMetadata } from "@/lib/invoices/pdf/metadata";
import { creditorIdentifier, withCreditorReference, withoutCreditorIdentifier } from "./cii-direct-debit";
import { precedingInvoices, withPrecedingInvoices } from "./cii-references";
import { assembleFacturX } from "./facturx-pdf";

export class EInvoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EInvoiceError";
  }
}

/** The library's format names: CII with BT-24 EN 16931 (Factur-X/ZUGFeRD EN 16931) or XRechnung 3.0. */
export const FORMATS = {
  cii: "CII",
  xrechnungCii: "XRECHNUNG-CII",
  xrechnungUbl: "XRECHNUNG-UBL",
} as const;

/** Library log output is collected instead of printed (warnings belong to the error message). */
function quietLogger(sink: string[]): Logger {
  const push = (message: unknown) => sink.push(String(message));
  return { log: push, warn: push, error: push } as Logger;
}

async function run(data: Invoice, format: string): Promise<string> {
  const messages: string[] = [];
  // Loaded on the first e-invoice (≈ 60 MB), not with every route that can lead to one.
  const { InvoiceService } = await import("@e-invoice-eu/core");
  const service = new InvoiceService(quietLogger(messages));
  try {
    return String(await service.generate(structuredClone(data), { format, lang: "de-de" }));
  } catch (error) {
    throw new EInvoiceError(`${(error as Error).message}${messages.length ? ` (${messages.join("; ")})` : ""}`);
  }
}

/** CII XML: EN 16931 (the XML inside Factur-X/ZUGFeRD), or XRechnung 3.0 in CII syntax. */
export async function renderCii(data: Invoice, options: { xrechnung?: boolean } = {}): Promise<Buffer> {
  const creditorId = creditorIdentifier(data);
  const xml = await run(creditorId ? withoutCreditorIdentifier(data) : data, options.xrechnung ? FORMATS.xrechnungCii : FORMATS.cii);
  try {
    return Buffer.from(withCreditorReference(withPrecedingInvoices(xml, precedingInvoices(data)), creditorId), "utf8");
  } catch (error) {
    throw new EInvoiceError((error as Error).message);
  }
}

/** XRechnung 3.0 in UBL syntax. */
export async function renderXRechnungUbl(data: Invoice): Promise<Buffer> {
  return Buffer.from(await run(data, FORMATS.xrechnungUbl), "utf8");
}

/** Factur-X EN 16931: the PDF/A-3b invoice PDF with the EN 16931 CII embedded as `factur-x.xml`. */
export async function renderFacturX(data: Invoice, pdf: Buffer, meta: PdfMetadata, date: Date): Promise<Buffer> {
  const xml = await renderCii(data);
  return assembleFacturX({ pdf, xml, meta, date });
}
