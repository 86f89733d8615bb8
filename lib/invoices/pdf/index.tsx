import { addDays } from "@/lib/time";
import { readFile } from "node:fs/promises";
import { registerInvoiceFont } from "@/lib/invoices/pdf/fonts";

import { REVERSE_CHARGE_NOTE, type InvoicePdfData, type IssuerConfig } from "@/lib/invoices/pdf/types";

export type { InvoiceKind, InvoicePdfData, InvoicePdfItem, InvoicePdfRecipient, IssuerConfig } from "@/lib/invoices/pdf/types";
export { REVERSE_CHARGE_NOTE };

export class InvoicePdfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvoicePdfError";
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validate(data: InvoicePdfData, issuer: IssuerConfig): void {
  const fail = (message: string): never => {
    throw new InvoicePdfError(message);
  };
  if (!issuer.name.trim()) fail("Issuer name is required");
  if (issuer.address_lines.length === 0) fail("Issuer address is required");
  if (!issuer.tax_number?.trim() && !issuer.vat_id?.trim()) fail("Issuer needs a tax number or VAT id (§14 UStG)");
  if (!data.invoice_number.trim()) fail("Invoice number is required");
  for (const [field, value] of [
    ["invoice_date", data.invoice_date],
    ["service_period_start", data.service_period_start],
    ["service_period_end", data.service_period_end],
  ] as const) {
    if (!ISO_DATE.test(value)) fail(`${field} must be YYYY-MM-DD`);
  }
  if (data.due_date != null && !ISO_DATE.test(data.due_date)) fail("due_date must be YYYY-MM-DD");
  if (data.service_period_end < data.service_period_start) fail("Service period ends before it starts");
  if (!data.recipient.company_name.trim()) fail("Recipient name is required");
  if (data.items.length === 0) fail("Invoice has no items");
  if (data.kind === "credit_note" && !data.cancels_invoice_number) {
    fail("A credit note must reference the original invoice (cancels_invoice_number)");
  }
  if (data.reverse_charge) {
    if (!data.recipient.vat_id) fail("Reverse charge requires the recipient's VAT id");
    if (data.items.some((item) => item.vat_rate !== 0)) fail("Reverse charge requires 0 % VAT on all items");
  }
  // Consistency: what is printed must add up.
  const itemNet = data.items.reduce((sum, item) => sum + item.net_cents, 0);
  const breakdownNet = data.breakdown.reduce((sum, entry) => sum + entry.net_cents, 0);
  const breakdownVat = data.breakdown.reduce((sum, entry) => sum + entry.vat_cents, 0);
  if (itemNet !== data.totals.net_cents || breakdownNet !== data.totals.net_cents) {
    fail("Net total does not match the items/breakdown");
  }
  if (breakdownVat !== data.totals.vat_cents) fail("VAT total does not match the breakdown");
  if (data.totals.net_cents + data.totals.vat_cents !== data.totals.gross_cents) fail("Gross total ≠ net + VAT");
}

async function loadLogo(path: string): Promise<{ data: Buffer; format: "png" | "jpg" }> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw new InvoicePdfError(`Logo not readable: ${path} (${(error as Error).message})`);
  }
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { data, format: "png" };
  }
  if (data[0] === 0xff && data[1] === 0xd8) return { data, format: "jpg" };
  throw new InvoicePdfError(`Logo must be PNG or JPEG: ${path}`);
}

/** Due date printed on the invoice: explicit due_date or invoice_date + payment terms. */
export function resolveDueDate(data: Pick<InvoicePdfData, "due_date" | "invoice_date">, issuer: Pick<IssuerConfig, "payment_terms_days">): string {
  return data.due_date ?? addDays(data.invoice_date, issuer.payment_terms_days);
}

/**
 * Renders the German invoice (or cancellation invoice) as PDF.
 * Deterministic: metadata dates are derived from invoice_date (12:00 UTC), so the same
 * data and issuer configuration yield byte-identical output.
 */
export async function renderInvoicePdf(invoice: InvoicePdfData, issuer: IssuerConfig): Promise<Buffer> {
  validate(invoice, issuer);
  const logo = issuer.logo_path ? await loadLogo(issuer.logo_path) : null;
  const creationDate = new Date(`${invoice.invoice_date}T12:00:00Z`);
  // The PDF library (≈ 50 MB) loads with the first render, not with every invoice route.
  const [{ renderToBuffer, Font }, { InvoiceDocument }] = await Promise.all([import("@react-pdf/renderer"), import("./InvoiceDocument")]);
  registerInvoiceFont(Font);
  const element = (
    <InvoiceDocument
      data={invoice}
      issuer={issuer}
      dueDate={resolveDueDate(invoice, issuer)}
      logo={logo}
      creationDate={creationDate}
    />
  );
  return renderToBuffer(element);
}
