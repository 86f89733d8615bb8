/** Input of the staff's payment assignment (the routes parse with these; the OpenAPI document shows them). */
import { tryParseEuroToCents } from "@/lib/money";
import { MAX_INT_ID, z } from "@/lib/validation";

const invoiceId = z
  .number({ error: "Bitte eine Rechnung wählen." })
  .int({ error: "Bitte eine Rechnung wählen." })
  .positive({ error: "Bitte eine Rechnung wählen." })
  .max(MAX_INT_ID, { error: "Rechnung nicht gefunden." })
  .meta({ description: "Rechnungs-ID" });

const invoiceNumber = z
  .string({ error: "Bitte eine Rechnungsnummer angeben." })
  .trim()
  .min(1, { error: "Bitte eine Rechnungsnummer angeben." })
  .max(40, { error: "Die Rechnungsnummer ist zu lang." })
  .meta({ description: "Rechnungsnummer, z. B. RE-2026-0014 (auch „RE 2026 0014“)", example: "RE-2026-0014" });

const euroAmount = z
  .union([z.string(), z.number()], { error: "Bitte einen Betrag angeben." })
  .transform((value, ctx) => {
    const cents = tryParseEuroToCents(value);
    if (cents === null || cents <= 0) {
      ctx.addIssue({ code: "custom", message: "Der Betrag muss größer als 0 sein und darf höchstens zwei Nachkommastellen haben (z. B. 49,00)." });
      return z.NEVER;
    }
    return cents;
  })
  .meta({ description: "Betrag in Euro; ohne Angabe der offene Betrag (höchstens der Rest der Buchung)" });

/** One part of an assignment: an invoice by id or number, optionally with an amount. */
export const allocationInput = z
  .object({ invoice_id: invoiceId.optional(), invoice_number: invoiceNumber.optional(), amount: euroAmount.optional() })
  .refine((a) => a.invoice_id !== undefined || a.invoice_number !== undefined, { error: "Bitte eine Rechnung wählen (ID oder Rechnungsnummer)." });

/**
 * POST …/entries/{id}/assign: one invoice (`invoice_id` or `invoice_number`) or a split over
 * several (`allocations`, each with an amount or the rest). All parts are booked or none.
 */
export const assignBankEntryBody = z
  .object({
    invoice_id: invoiceId.optional(),
    invoice_number: invoiceNumber.optional(),
    amount: euroAmount.optional(),
    allocations: z
      .array(allocationInput, { error: "allocations muss eine Liste sein." })
      .min(1, { error: "Bitte mindestens eine Rechnung wählen." })
      .max(20, { error: "Höchstens 20 Rechnungen je Buchung." })
      .optional(),
  })
  .refine((b) => (b.allocations ? b.invoice_id === undefined && b.invoice_number === undefined : b.invoice_id !== undefined || b.invoice_number !== undefined), {
    error: "Bitte eine Rechnung wählen (invoice_id oder invoice_number) oder eine Aufteilung (allocations) angeben.",
  });
export type AssignBankEntryBody = z.infer<typeof assignBankEntryBody>;

/** POST …/entries/{id}/unassign: which assignment is wrong, and why (kept in the log). */
export const unassignBankEntryBody = z.object({
  allocation_id: z.number({ error: "Bitte die Zuordnung angeben." }).int().positive().max(MAX_INT_ID, { error: "Zuordnung nicht gefunden." }),
  reason: z
    .string({ error: "Bitte einen Grund angeben." })
    .trim()
    .min(3, { error: "Bitte einen Grund angeben (mindestens 3 Zeichen)." })
    .max(500, { error: "Der Grund darf höchstens 500 Zeichen lang sein." }),
});

/** GET …/entries/{id}/suggestions?q=…: the search term (customer, e-mail, domain, invoice number). */
export const suggestionsQuery = z.object({
  q: z.string().trim().max(100, { error: "Die Suche darf höchstens 100 Zeichen lang sein." }).optional(),
});

/** GET …/bank-statements/entries: filter by status; `limit` up to 200 (newest first). */
export const listBankEntriesQuery = z.object({
  status: z.enum(["unmatched", "open", "matched", "partially_matched", "ignored"], { error: "Unbekannter Status." }).optional(),
  limit: z.coerce.number({ error: "limit muss eine Zahl sein." }).int({ error: "limit muss eine ganze Zahl sein." }).min(1, { error: "limit muss mindestens 1 sein." }).max(200, { error: "limit darf höchstens 200 sein." }).optional(),
});
