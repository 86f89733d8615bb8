import type { DirectDebitNotice } from "@/lib/sepa/notice";
import type { InvoiceTotals, VatBreakdownEntry } from "@/lib/invoices/calc";

/** Issuer (the MSP) as configured, see loadIssuerConfigFromEnv(). */
export interface IssuerConfig {
  /** Legal name, e.g. "Muster IT-Services GmbH". */
  name: string;
  /** Postal address, e.g. ["Hauptstraße 1", "80331 München"]. */
  address_lines: string[];
  /** Steuernummer; at least one of tax_number / vat_id is required (§14 Abs. 4 Nr. 2 UStG). */
  tax_number?: string | null;
  /** USt-IdNr., e.g. "DE123456789". */
  vat_id?: string | null;
  email: string;
  phone?: string | null;
  website?: string | null;
  /** e.g. "Max Mustermann" (Geschäftsführer), printed in the footer if set. */
  managing_directors?: string | null;
  /** e.g. "Amtsgericht München, HRB 123456", printed in the footer if set. */
  commercial_register?: string | null;
  bank: {
    account_holder: string;
    iban: string;
    bic: string;
    bank_name: string;
  };
  /** Payment term in days after the invoice date, used when the invoice has no due_date. */
  payment_terms_days: number;
  /** Absolute path to a PNG or JPEG logo. */
  logo_path?: string | null;
}

export interface InvoicePdfRecipient {
  company_name: string;
  /** Contact person ("z. Hd."), optional. */
  name?: string | null;
  address_lines: string[];
  /** Customer's USt-IdNr.; required for reverse charge. */
  vat_id?: string | null;
  customer_number?: string | null;
}

/** One line as printed; CalculatedLine from calc.ts is assignable to it. */
export interface InvoicePdfItem {
  position?: number;
  description: string;
  /** Quantity in thousandths (1.5 → 1500). */
  quantity_milli: number;
  unit: string;
  unit_price_cents: number;
  /** Basis points, 1900 = 19 %. */
  vat_rate: number;
  net_cents: number;
}

export type InvoiceKind = "invoice" | "credit_note";

export interface InvoicePdfData {
  kind: InvoiceKind;
  invoice_number: string;
  /** YYYY-MM-DD */
  invoice_date: string;
  /** YYYY-MM-DD; default invoice_date + issuer.payment_terms_days. */
  due_date?: string | null;
  /** YYYY-MM-DD */
  service_period_start: string;
  /** YYYY-MM-DD */
  service_period_end: string;
  /** Subject line, e.g. "Managed Services Januar 2026". */
  title?: string | null;
  /** Required for kind "credit_note": the invoice that is cancelled/corrected. */
  cancels_invoice_number?: string | null;
  /** YYYY-MM-DD of the cancelled invoice (optional, printed if set). */
  cancels_invoice_date?: string | null;
  recipient: InvoicePdfRecipient;
  items: InvoicePdfItem[];
  breakdown: VatBreakdownEntry[];
  totals: InvoiceTotals;
  /** Free text printed below the payment terms; newlines are kept. */
  notes?: string | null;
  /** §13b UStG: prints the reverse-charge note; all VAT rates must be 0. */
  reverse_charge: boolean;
  /**
   * SEPA direct debit announced with the invoice (pre-notification): printed instead of the
   * transfer request and the GiroCode. Null/absent = the customer pays by transfer.
   */
  direct_debit?: DirectDebitNotice | null;
}

export type { DirectDebitNotice };

export const REVERSE_CHARGE_NOTE = "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)";
