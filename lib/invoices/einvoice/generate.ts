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
import Ajv2019 from "ajv/dist/2019.js";
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

type Library = typeof import("@e-invoice-eu/core");
type Validator = Parameters<InstanceType<Library["ValidationService"]>["validate"]>[1];

/**
 * The library's compiled JSON-schema validator per format. `InvoiceService.generate` compiles its
 * invoice schema with a fresh Ajv on every call, which was over half the CPU of issuing an invoice
 * (three renders each); `generateXml` takes the same steps in the same order with the validator compiled once.
 */
const validators = new Map<string, Validator>();

function validatorFor(library: Library, format: string, patchSchema: (schema: never) => unknown): Validator {
  let validator = validators.get(format);
  if (!validator) {
    const schema = structuredClone(library.invoiceSchema);
    patchSchema(schema as never);
    validator = new Ajv2019({ strict: true, allErrors: true, useDefaults: true }).compile(schema) as Validator;
    validators.set(format, validator);
  }
  return validator;
}

export async function generateXml(data: Invoice, format: string): Promise<string> {
  const messages: string[] = [];
  const logger = quietLogger(messages);
  // Loaded on the first e-invoice (≈ 60 MB), not with every route that can lead to one.
  const library = await import("@e-invoice-eu/core");
  try {
    const factory = new library.FormatFactoryService();
    const formatter = factory.createFormatService(format, logger);
    const normalized = factory.normalizeFormat(format);
    const validator = validatorFor(library, normalized, (schema) => formatter.patchSchema(schema));
    const invoice = new library.ValidationService(logger).validate("invoice data", validator, structuredClone(data)) as Invoice;
    formatter.fillInvoiceDefaults(invoice);
    return String(await formatter.generate(invoice, { format: normalized, lang: "de-de" }));
  } catch (error) {
    throw new EInvoiceError(`${(error as Error).message}${messages.length ? ` (${messages.join("; ")})` : ""}`);
  }
}

/** CII XML: EN 16931 (the XML inside Factur-X/ZUGFeRD), or XRechnung 3.0 in CII syntax. */
export async function renderCii(data: Invoice, options: { xrechnung?: boolean } = {}): Promise<Buffer> {
  const creditorId = creditorIdentifier(data);
  const xml = await generateXml(creditorId ? withoutCreditorIdentifier(data) : data, options.xrechnung ? FORMATS.xrechnungCii : FORMATS.cii);
  try {
    return Buffer.from(withCreditorReference(withPrecedingInvoices(xml, precedingInvoices(data)), creditorId), "utf8");
  } catch (error) {
    throw new EInvoiceError((error as Error).message);
  }
}

/** XRechnung 3.0 in UBL syntax. */
export async function renderXRechnungUbl(data: Invoice): Promise<Buffer> {
  return Buffer.from(await generateXml(data, FORMATS.xrechnungUbl), "utf8");
}

/** Factur-X EN 16931: the PDF/A-3b invoice PDF with the EN 16931 CII embedded as `factur-x.xml`. */
export async function renderFacturX(data: Invoice, pdf: Buffer, meta: PdfMetadata, date: Date): Promise<Buffer> {
  const xml = await renderCii(data);
  return assembleFacturX({ pdf, xml, meta, date });
}
