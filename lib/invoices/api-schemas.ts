import "zod-openapi";
import { z } from "@/lib/validation";
import { API_TIMESTAMP_PATTERN } from "@/lib/time";
import { INVOICE_STATUSES } from "@/lib/invoices/calc";
import { PAYMENT_METHODS } from "@/lib/invoices/schemas";

/**
 * Response schemas of the customer invoice endpoints (/api/manage/invoices,
 * /api/v1/invoices), for the OpenAPI document (lib/doors/v1/openapi.ts). Tests parse
 * real responses with them, so the document cannot drift from `present.ts`.
 * Timestamps: `2026-03-04T10:00:00+00:00` (`apiTimestamp`); dates: `YYYY-MM-DD`.
 */
const timestamp = z
  .string()
  .regex(API_TIMESTAMP_PATTERN)
  .meta({ description: "Zeitpunkt in UTC, ganze Sekunden, mit numerischem Offset", example: "2026-03-01T09:00:00+00:00" });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ description: "Datum (YYYY-MM-DD)", example: "2026-03-01" });
const euro = z.number().meta({ description: "Betrag in Euro (zwei Nachkommastellen)", example: 225.98 });
const formatted = z.string().meta({ description: "Betrag deutsch formatiert", example: "225,98 €" });
const status = z.enum(INVOICE_STATUSES);
const kind = z.enum(["invoice", "credit_note"]);
const reference = z.object({ id: z.number().int(), invoice_number: z.string().nullable() });

export const invoiceListItem = z
  .object({
    id: z.number().int(),
    invoice_number: z.string().nullable().meta({ example: "RE-2026-0001" }),
    title: z.string(),
    kind,
    kind_label: z.string(),
    status,
    status_label: z.string(),
    total_gross: euro,
    total_gross_formatted: formatted,
    remaining_amount: euro,
    remaining_amount_formatted: formatted,
    invoice_date: date.nullable(),
    due_date: date.nullable(),
    tenant_id: z.string().uuid().optional().meta({ description: "Nur in der Liste aller Tenants (MSP-Mitarbeiter ohne tenant_id)" }),
  })
  .meta({ id: "InvoiceListItem" });

export const invoiceList = z
  .object({
    invoices: z.array(invoiceListItem),
    stats: z.object({
      open_count: z.number().int().meta({ description: "offen = versendet + teilweise bezahlt + überfällig" }),
      paid_count: z.number().int(),
      overdue_count: z.number().int(),
      open_amount: euro,
      open_amount_formatted: formatted,
    }),
    meta: z.object({ current_page: z.number().int(), last_page: z.number().int(), per_page: z.number().int(), total: z.number().int() }),
  })
  .meta({ id: "InvoiceList" });

/** The recipient snapshot of an invoice (InvoiceRecipientSnapshot in db/schema/invoices.ts). */
export const invoiceRecipient = z.object({
  company_name: z.string(),
  name: z.string().nullable().optional(),
  address_lines: z.array(z.string()),
  address: z
    .object({ street: z.string(), additional_line: z.string().nullable().optional(), post_code: z.string(), city: z.string(), country_code: z.string().meta({ description: "ISO 3166-1 alpha-2" }) })
    .nullable()
    .optional()
    .meta({ description: "Strukturierte Anschrift aus dem Rechnungsprofil" }),
  vat_id: z.string().nullable().optional(),
  customer_number: z.string().nullable().optional(),
  leitweg_id: z.string().nullable().optional(),
  buyer_reference: z.string().nullable().optional(),
  emails: z.array(z.string()).optional(),
  einvoice_format: z.enum(["xrechnung_ubl", "xrechnung_cii", "facturx"]).optional(),
  vat_treatment: z.enum(["domestic", "eu_reverse_charge", "tax_exempt", "outside_eu"]).optional(),
  exemption_reason: z.string().nullable().optional(),
});

export const invoiceDetail = z
  .object({
    id: z.number().int(),
    invoice_number: z.string().nullable(),
    kind,
    kind_label: z.string(),
    title: z.string(),
    status,
    status_label: z.string(),
    invoice_date: date.nullable(),
    due_date: date.nullable(),
    service_period_start: date.nullable(),
    service_period_end: date.nullable(),
    payment_terms_days: z.number().int(),
    recipient: invoiceRecipient.meta({ description: "Empfänger, wie er beim Entwurf festgehalten wurde (Stand des Rechnungsprofils)" }),
    notes: z.string().nullable(),
    reverse_charge: z.boolean(),
    issued_at: timestamp.nullable().meta({ description: "Ausgestellt am (Zeitpunkt)" }),
    cancelled_at: timestamp.nullable().meta({ description: "Storniert am (Zeitpunkt)" }),
    cancellation_reason: z.string().nullable(),
    cancels_invoice: reference.nullable().meta({ description: "Bei einer Stornorechnung: die stornierte Rechnung" }),
    credit_note: reference.nullable().meta({ description: "Bei einer stornierten Rechnung: ihre Stornorechnung" }),
    total_gross: euro,
    remaining_amount: euro,
    items: z.array(
      z.object({
        position: z.number().int(),
        description: z.string(),
        quantity: z.number(),
        quantity_formatted: z.string(),
        unit: z.string(),
        unit_price: euro,
        unit_price_formatted: formatted,
        vat_rate: z.number().meta({ description: "Steuersatz in Prozent", example: 19 }),
        vat_rate_label: z.string(),
        net: euro,
        net_formatted: formatted,
      }),
    ),
    tax_breakdown: z.array(
      z.object({
        vat_rate: z.number(),
        vat_rate_label: z.string(),
        net: euro,
        vat: euro,
        gross: euro,
        net_formatted: formatted,
        vat_formatted: formatted,
        gross_formatted: formatted,
      }),
    ),
    totals: z.object({
      net: euro,
      vat: euro,
      gross: euro,
      paid: euro,
      remaining: euro,
      net_formatted: formatted,
      vat_formatted: formatted,
      gross_formatted: formatted,
      paid_formatted: formatted,
      remaining_formatted: formatted,
    }),
    payments: z.array(
      z.object({
        id: z.number().int(),
        payment_date: date,
        amount: euro,
        amount_formatted: formatted,
        method: z.enum(PAYMENT_METHODS),
        method_label: z.string(),
        reference: z.string().nullable(),
      }),
    ),
    has_pdf: z.boolean(),
    girocode: z.string().nullable().meta({ description: "GiroCode-Inhalt (EPC069-12) für den offenen Betrag; null, wenn nichts offen ist" }),
    payment_details: z
      .object({
        amount_cents: z.number().int(),
        amount: euro,
        amount_formatted: formatted,
        account_holder: z.string(),
        iban: z.string().meta({ description: "IBAN ohne Leerzeichen (zum Kopieren)" }),
        iban_grouped: z.string().meta({ description: "IBAN in Vierergruppen (zum Lesen)" }),
        bic: z.string(),
        bank_name: z.string().nullable(),
        reference: z.string().meta({ description: "Verwendungszweck: die Rechnungsnummer" }),
      })
      .nullable()
      .meta({ description: "Überweisungsdaten des GiroCodes als Text: jetzt fälliger Betrag, Kontoinhaber, IBAN, BIC, Verwendungszweck; null, wenn nichts offen ist" }),
    direct_debit: z
      .object({
        status: z.enum(["announced", "submitted", "returned"]),
        status_label: z.string(),
        amount: euro,
        amount_formatted: formatted,
        collection_date: date,
        mandate_reference: z.string(),
        creditor_id: z.string().meta({ example: "DE98ZZZ09999999999" }),
        scheme: z.enum(["CORE", "B2B"]),
        iban_masked: z.string(),
        notice: z.string().meta({ description: "Vorabankündigung als Text (wie auf PDF und in der Mail)" }),
        return_reason: z.string().nullable(),
      })
      .nullable()
      .meta({ description: "SEPA-Lastschrift der Rechnung (Vorabankündigung); solange sie nicht zurückgegeben ist, entfallen GiroCode und Überweisungsdaten. null: Zahlung per Überweisung" }),
  })
  .meta({ id: "InvoiceDetail" });

export const invoiceDetailResponse = z.object({ invoice: invoiceDetail }).meta({ id: "InvoiceDetailResponse" });
