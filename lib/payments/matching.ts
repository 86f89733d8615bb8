/**
 * Matching bank entries to invoices (pure). Rules:
 * - Only credits in EUR are matched; debits and other currencies are ignored.
 * - Invoice numbers `RE-YYYY-NNNN` are read from the remittance text; banks often break
 *   or strip the hyphens ("RE 2026 0042", "RE20260042"), both are recognised.
 * - The amount decides how much is booked: the open amounts of the named invoices are
 *   filled in the order the numbers appear. Less than open → partial payment; more than
 *   the total open → the open amounts are booked and the rest stays open on the entry
 *   (overpayment / credit, listed for manual assignment).
 * - Invoices that are not open (paid, cancelled, credit notes, unknown numbers) get nothing.
 */

export const INVOICE_NUMBER_IN_TEXT = /RE[\s-]?(\d{4})[\s-]?(\d{4,})/gi;

export function extractInvoiceNumbers(text: string | null): string[] {
  if (!text) return [];
  const found: string[] = [];
  for (const match of text.replace(/\s+/g, " ").matchAll(INVOICE_NUMBER_IN_TEXT)) {
    const number = `RE-${match[1]}-${match[2]}`;
    if (!found.includes(number)) found.push(number);
  }
  return found;
}

export type OpenInvoice = { id: number; invoiceNumber: string; openCents: number };

export type MatchPlan = {
  status: "matched" | "partially_matched" | "unmatched" | "ignored";
  allocations: Array<{ invoiceId: number; invoiceNumber: string; amountCents: number }>;
  /** What remains on the entry after the allocations. */
  openCents: number;
  note: string | null;
};

export function planMatch(
  entry: { amountCents: number; currency: string; remittanceText: string | null },
  candidates: OpenInvoice[],
): MatchPlan {
  if (entry.amountCents <= 0) return { status: "ignored", allocations: [], openCents: 0, note: "Lastschrift/Abbuchung – wird nicht zugeordnet." };
  if (entry.currency !== "EUR") {
    return { status: "ignored", allocations: [], openCents: 0, note: `Fremdwährung ${entry.currency} – bitte manuell prüfen.` };
  }
  const numbers = extractInvoiceNumbers(entry.remittanceText);
  if (numbers.length === 0) {
    return { status: "unmatched", allocations: [], openCents: entry.amountCents, note: "Keine Rechnungsnummer im Verwendungszweck." };
  }
  const byNumber = new Map(candidates.map((c) => [c.invoiceNumber, c]));
  const open = numbers.map((n) => byNumber.get(n)).filter((c): c is OpenInvoice => Boolean(c && c.openCents > 0));
  if (open.length === 0) {
    return {
      status: "unmatched",
      allocations: [],
      openCents: entry.amountCents,
      note: `Keine offene Rechnung zu ${numbers.join(", ")} gefunden (bezahlt, storniert oder unbekannt).`,
    };
  }
  let rest = entry.amountCents;
  const allocations: MatchPlan["allocations"] = [];
  for (const invoice of open) {
    if (rest <= 0) break;
    const amountCents = Math.min(rest, invoice.openCents);
    allocations.push({ invoiceId: invoice.id, invoiceNumber: invoice.invoiceNumber, amountCents });
    rest -= amountCents;
  }
  if (rest > 0) {
    return { status: "partially_matched", allocations, openCents: rest, note: `Überzahlung: ${formatCents(rest)} nicht zugeordnet.` };
  }
  return { status: "matched", allocations, openCents: 0, note: null };
}

function formatCents(cents: number) {
  return `${(cents / 100).toFixed(2).replace(".", ",")} €`;
}
