import { calculateInvoice, type InvoiceItemInput } from "@/lib/invoices/calc";
import type { InvoicePdfData, IssuerConfig } from "@/lib/invoices/pdf";

export const ISSUER: IssuerConfig = {
  name: "Nordlicht IT-Services GmbH",
  address_lines: ["Hafenstraße 12", "20457 Hamburg"],
  tax_number: "27/123/45678",
  vat_id: "DE298765432",
  email: "buchhaltung@nordlicht-it.de",
  phone: "+49 40 1234567-0",
  website: "www.nordlicht-it.de",
  managing_directors: "Jana Petersen",
  commercial_register: "Amtsgericht Hamburg, HRB 123456",
  bank: {
    account_holder: "Nordlicht IT-Services GmbH",
    iban: "DE89 3704 0044 0532 0130 00",
    bic: "COBADEFFXXX",
    bank_name: "Commerzbank Hamburg",
  },
  payment_terms_days: 14,
  logo_path: null,
};

export const SAMPLE_ITEMS: InvoiceItemInput[] = [
  { description: "Managed Workplace – Arbeitsplatzpauschale", quantity: 3, unit: "Stück", unit_price_cents: 3333, vat_rate: 1900 },
  { description: "Fachbücher IT-Sicherheit", quantity: 3, unit: "Stück", unit_price_cents: 3333, vat_rate: 700 },
  { description: "Remote-Support Januar (Ticket #4711, #4712)", quantity: "1,5", unit: "Std.", unit_price_cents: 9500, vat_rate: 1900 },
];

export function sampleInvoice(overrides: Partial<InvoicePdfData> = {}, items: InvoiceItemInput[] = SAMPLE_ITEMS): InvoicePdfData {
  const calc = calculateInvoice(items, { reverse_charge: overrides.reverse_charge ?? false });
  return {
    kind: "invoice",
    invoice_number: "RE-2026-00042",
    invoice_date: "2026-02-03",
    due_date: null,
    service_period_start: "2026-01-01",
    service_period_end: "2026-01-31",
    title: "Managed Services Januar 2026",
    recipient: {
      company_name: "Bäckerei Müller & Söhne KG",
      name: "Frau Özlem Schäfer",
      address_lines: ["Lindenallee 7", "22767 Hamburg"],
      vat_id: null,
      customer_number: "K-10017",
    },
    items: calc.lines,
    breakdown: calc.breakdown,
    totals: calc.totals,
    notes: null,
    reverse_charge: false,
    ...overrides,
  };
}
