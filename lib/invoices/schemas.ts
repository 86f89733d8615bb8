import { INVOICE_STATUSES, parseQuantityToMilli } from "@/lib/invoices/calc";
import { tryParseEuroToCents } from "@/lib/money";
import { ID_TOO_LARGE, MAX_INT_ID, pageQuery, z } from "@/lib/validation";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const isoDateField = (label: string) =>
  z
    .string({ error: `Bitte ${label} angeben.` })
    .trim()
    .regex(ISO_DATE, { error: `${label} muss im Format JJJJ-MM-TT angegeben werden.` })
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
      error: `${label} ist kein gültiges Datum.`,
    });

/** Filters of the customer list; "open" = everything with an outstanding amount. */
export const CUSTOMER_STATUS_FILTERS = ["open", ...INVOICE_STATUSES.filter((s) => s !== "draft")] as const;
export type CustomerStatusFilter = (typeof CUSTOMER_STATUS_FILTERS)[number];
export const STAFF_STATUS_FILTERS = ["open", ...INVOICE_STATUSES] as const;
export type StaffStatusFilter = (typeof STAFF_STATUS_FILTERS)[number];

const searchField = z
  .string()
  .trim()
  .max(100, { error: "Der Suchbegriff darf höchstens 100 Zeichen lang sein." })
  .optional()
  .transform((v) => (v ? v : undefined));

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** Sortable columns of the invoice lists; without `sort` the list is newest first. */
export const INVOICE_SORTS = ["date", "number", "amount", "due_date"] as const;
export type InvoiceSort = (typeof INVOICE_SORTS)[number];
export const SORT_DIRECTIONS = ["asc", "desc"] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/** A calendar year of invoices (invoice date), e.g. for the accountant's archive. */
export const invoiceYearField = z.coerce
  .number({ error: "Das Jahr muss eine Zahl sein." })
  .int({ error: "Das Jahr muss eine ganze Zahl sein." })
  .min(2000, { error: "Das Jahr muss zwischen 2000 und 2100 liegen." })
  .max(2100, { error: "Das Jahr muss zwischen 2000 und 2100 liegen." });

export const customerListQuery = z.object({
  ...pageQuery,
  per_page: pageQuery.per_page.default(15),
  status: z.preprocess(
    emptyToUndefined,
    z.enum(CUSTOMER_STATUS_FILTERS, { error: `Unbekannter Status. Erlaubt: ${CUSTOMER_STATUS_FILTERS.join(", ")}.` }).optional(),
  ),
  search: searchField,
  sort: z.preprocess(emptyToUndefined, z.enum(INVOICE_SORTS, { error: `Unbekannte Sortierung. Erlaubt: ${INVOICE_SORTS.join(", ")}.` }).optional()),
  dir: z.preprocess(emptyToUndefined, z.enum(SORT_DIRECTIONS, { error: "Die Richtung muss asc oder desc sein." }).optional()),
  year: z.preprocess(emptyToUndefined, invoiceYearField.optional()),
});

/** GET /api/manage/invoices/archive: the year is required. */
export const archiveQuery = z.object({ year: z.preprocess(emptyToUndefined, invoiceYearField) });

export const staffListQuery = z.object({
  ...pageQuery,
  per_page: pageQuery.per_page.default(20),
  status: z.preprocess(
    emptyToUndefined,
    z.enum(STAFF_STATUS_FILTERS, { error: `Unbekannter Status. Erlaubt: ${STAFF_STATUS_FILTERS.join(", ")}.` }).optional(),
  ),
  search: searchField,
  instance_id: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "instance_id muss eine Zahl sein." }).int({ error: "instance_id muss eine ganze Zahl sein." }).positive().max(MAX_INT_ID, ID_TOO_LARGE).optional(),
  ),
});

const quantityField = z
  .union([z.string(), z.number()], { error: "Bitte eine Menge angeben." })
  .transform((value, ctx) => {
    try {
      const milli = parseQuantityToMilli(value);
      if (milli <= 0) {
        ctx.addIssue({ code: "custom", message: "Die Menge muss größer als 0 sein." });
        return z.NEVER;
      }
      if (milli > 1_000_000_000) {
        ctx.addIssue({ code: "custom", message: "Die Menge ist zu groß." });
        return z.NEVER;
      }
      return milli;
    } catch {
      ctx.addIssue({ code: "custom", message: "Die Menge muss eine Zahl mit höchstens drei Nachkommastellen sein (z. B. 1,5)." });
      return z.NEVER;
    }
  });

const unitPriceField = z
  .union([z.string(), z.number()], { error: "Bitte einen Einzelpreis angeben." })
  .transform((value, ctx) => {
    const cents = tryParseEuroToCents(value);
    if (cents === null) {
      ctx.addIssue({ code: "custom", message: "Der Einzelpreis muss ein Betrag mit höchstens zwei Nachkommastellen sein (z. B. 49,00)." });
      return z.NEVER;
    }
    if (Math.abs(cents) > 100_000_000_00) {
      ctx.addIssue({ code: "custom", message: "Der Einzelpreis ist zu groß." });
      return z.NEVER;
    }
    return cents;
  });

/** VAT rate in percent (19, 7, 0, also "7,5") → basis points. */
const vatRateField = z
  .union([z.string(), z.number()], { error: "Bitte einen Steuersatz angeben." })
  .transform((value, ctx) => {
    const bp = tryParseEuroToCents(value); // percent with up to two decimals → hundredths
    if (bp === null || bp < 0 || bp > 10000) {
      ctx.addIssue({ code: "custom", message: "Der Steuersatz muss zwischen 0 und 100 % liegen (z. B. 19 oder 7)." });
      return z.NEVER;
    }
    return bp;
  });

export const itemSchema = z.object({
  description: z
    .string({ error: "Bitte eine Beschreibung angeben." })
    .trim()
    .min(1, { error: "Bitte eine Beschreibung angeben." })
    .max(500, { error: "Die Beschreibung darf höchstens 500 Zeichen lang sein." }),
  quantity: quantityField,
  unit: z
    .string()
    .trim()
    .max(30, { error: "Die Einheit darf höchstens 30 Zeichen lang sein." })
    .optional()
    .transform((v) => (v ? v : "Stück")),
  unit_price: unitPriceField,
  vat_rate: vatRateField,
});

export const recipientSchema = z.object({
  company_name: z
    .string({ error: "Bitte den Firmennamen des Empfängers angeben." })
    .trim()
    .min(1, { error: "Bitte den Firmennamen des Empfängers angeben." })
    .max(200, { error: "Der Firmenname darf höchstens 200 Zeichen lang sein." }),
  name: z.string().trim().max(200).nullish().transform((v) => v || null),
  address_lines: z
    .array(z.string().trim().min(1, { error: "Leere Adresszeile." }).max(200, { error: "Adresszeile zu lang." }), {
      error: "Bitte die Anschrift des Empfängers angeben.",
    })
    .min(1, { error: "Bitte die Anschrift des Empfängers angeben (Straße, PLZ Ort)." })
    .max(6, { error: "Höchstens 6 Adresszeilen." }),
  vat_id: z
    .string()
    .trim()
    .max(20)
    .regex(/^$|^[A-Z]{2}[A-Z0-9]{2,13}$/, { error: "Die USt-IdNr. ist ungültig (z. B. DE123456789)." })
    .nullish()
    .transform((v) => v || null),
  customer_number: z.string().trim().max(40).nullish().transform((v) => v || null),
});

export const draftSchema = z
  .object({
    instance_id: z.coerce.number({ error: "Bitte eine Instanz wählen." }).int().positive({ error: "Bitte eine Instanz wählen." }).max(MAX_INT_ID, ID_TOO_LARGE),
    title: z
      .string({ error: "Bitte einen Titel angeben." })
      .trim()
      .min(1, { error: "Bitte einen Titel angeben." })
      .max(200, { error: "Der Titel darf höchstens 200 Zeichen lang sein." }),
    service_period_start: isoDateField("den Beginn des Leistungszeitraums"),
    service_period_end: isoDateField("das Ende des Leistungszeitraums"),
    payment_terms_days: z.coerce
      .number({ error: "Das Zahlungsziel muss eine Zahl sein." })
      .int({ error: "Das Zahlungsziel muss eine ganze Zahl sein." })
      .min(0, { error: "Das Zahlungsziel darf nicht negativ sein." })
      .max(365, { error: "Das Zahlungsziel darf höchstens 365 Tage betragen." })
      .optional(),
    notes: z.string().trim().max(2000, { error: "Die Hinweise dürfen höchstens 2000 Zeichen lang sein." }).nullish().transform((v) => v || null),
    reverse_charge: z.boolean({ error: "reverse_charge muss true oder false sein." }).optional().default(false),
    recipient: recipientSchema.optional(),
    items: z
      .array(itemSchema, { error: "Bitte mindestens eine Position angeben." })
      .min(1, { error: "Bitte mindestens eine Position angeben." })
      .max(200, { error: "Höchstens 200 Positionen." }),
  })
  .superRefine((value, ctx) => {
    if (value.service_period_end < value.service_period_start) {
      ctx.addIssue({ code: "custom", path: ["service_period_end"], message: "Das Ende des Leistungszeitraums liegt vor dem Beginn." });
    }
    if (value.reverse_charge) {
      value.items.forEach((item, index) => {
        if (item.vat_rate !== 0) {
          ctx.addIssue({ code: "custom", path: ["items", index, "vat_rate"], message: "Bei Reverse Charge muss der Steuersatz 0 % sein." });
        }
      });
      if (value.recipient && !value.recipient.vat_id) {
        ctx.addIssue({ code: "custom", path: ["recipient", "vat_id"], message: "Bei Reverse Charge ist die USt-IdNr. des Empfängers Pflicht." });
      }
    }
  });
export type DraftInput = z.infer<typeof draftSchema>;

export const PAYMENT_METHODS = ["bank_transfer", "direct_debit", "cash", "card", "offset", "other"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  bank_transfer: "Überweisung",
  direct_debit: "Lastschrift",
  cash: "Bar",
  card: "Karte",
  offset: "Verrechnung",
  other: "Sonstige",
};

export const paymentSchema = z.object({
  amount: z
    .union([z.string(), z.number()], { error: "Bitte einen Betrag angeben." })
    .transform((value, ctx) => {
      const cents = tryParseEuroToCents(value);
      if (cents === null) {
        ctx.addIssue({ code: "custom", message: "Der Betrag muss eine Zahl mit höchstens zwei Nachkommastellen sein (z. B. 49,00)." });
        return z.NEVER;
      }
      if (cents === 0) {
        ctx.addIssue({ code: "custom", message: "Der Betrag darf nicht 0 sein." });
        return z.NEVER;
      }
      return cents;
    }),
  payment_date: isoDateField("das Zahlungsdatum"),
  method: z.enum(PAYMENT_METHODS.filter((m) => m !== "offset") as [PaymentMethod, ...PaymentMethod[]], {
    error: "Bitte eine Zahlungsart wählen (bank_transfer, direct_debit, cash, card, other).",
  }).default("bank_transfer"),
  reference: z.string().trim().max(200, { error: "Die Referenz darf höchstens 200 Zeichen lang sein." }).nullish().transform((v) => v || null),
});
export type PaymentBody = z.infer<typeof paymentSchema>;

export const cancelSchema = z.object({
  reason: z
    .string({ error: "Bitte einen Grund für die Stornierung angeben." })
    .trim()
    .min(3, { error: "Bitte einen Grund für die Stornierung angeben (mindestens 3 Zeichen)." })
    .max(500, { error: "Der Grund darf höchstens 500 Zeichen lang sein." }),
});
