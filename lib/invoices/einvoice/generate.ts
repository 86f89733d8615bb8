/**
 * Rendering through `@e-invoice-eu/core`. The library validates the invoice data against
 * its JSON schema (Ajv; structure, code lists such as currencies, unit and tax category
 * codes) before rendering and throws on violations; we turn that into EInvoiceError.
 * It does not run the EN 16931 / XRechnung Schematron rules; see README.md.
 */
import type { Invoice, Logger } from "@e-invoice-eu/core";

export class EInvoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EInvoiceError";
  }
}

export const FORMATS = {
  cii: "Factur-X-EN16931",
  xrechnung: "XRECHNUNG-UBL",
} as const;

/** Library log output is collected instead of printed (warnings belong to the error message). */
function quietLogger(sink: string[]): Logger {
  const push = (message: unknown) => sink.push(String(message));
  return { log: push, warn: push, error: push } as Logger;
}

async function run(data: Invoice, format: string, pdf?: Buffer): Promise<string | Uint8Array> {
  const messages: string[] = [];
  // Loaded on the first e-invoice (≈ 60 MB), not with every route that can lead to one.
  const { InvoiceService } = await import("@e-invoice-eu/core");
  const service = new InvoiceService(quietLogger(messages));
  try {
    return await service.generate(structuredClone(data), {
      format,
      lang: "de-de",
      ...(pdf ? { pdf: { buffer: new Uint8Array(pdf), filename: "invoice.pdf", mimetype: "application/pdf" } } : {}),
    });
  } catch (error) {
    throw new EInvoiceError(`${(error as Error).message}${messages.length ? ` (${messages.join("; ")})` : ""}`);
  }
}

/** CII XML, profile EN 16931 (the XML inside Factur-X/ZUGFeRD). */
export async function renderCii(data: Invoice): Promise<Buffer> {
  return Buffer.from(String(await run(data, "CII")), "utf8");
}

/** XRechnung 3.0 in UBL syntax. */
export async function renderXRechnungUbl(data: Invoice): Promise<Buffer> {
  return Buffer.from(String(await run(data, FORMATS.xrechnung)), "utf8");
}

/** Factur-X EN 16931: the given PDF turned into PDF/A-3 with `factur-x.xml` embedded. */
export async function renderFacturX(data: Invoice, pdf: Buffer): Promise<Buffer> {
  const out = await run(data, FORMATS.cii, pdf);
  if (typeof out === "string") throw new EInvoiceError("Factur-X: Die Bibliothek hat kein PDF geliefert.");
  return Buffer.from(out);
}
