/**
 * The pre-notification (Vorabankündigung) of a SEPA direct debit, as one German text for the
 * invoice PDF, the invoice mail and the invoice page. Pure; imports only the bottom helpers.
 */
import { formatEuro } from "@/lib/money";
import { formatDateDe } from "@/lib/time";

/** What a pre-notification says; frozen into the archived invoice PDF at issue. */
export interface DirectDebitNotice {
  amount_cents: number;
  /** YYYY-MM-DD */
  collection_date: string;
  mandate_reference: string;
  creditor_id: string;
  /** "CORE" (SEPA-Basislastschrift) or "B2B" (SEPA-Firmenlastschrift) */
  scheme: "CORE" | "B2B";
  /** IBAN of the debtor, masked except the last four characters. */
  iban_masked: string;
}

export const SCHEME_LABELS: Record<DirectDebitNotice["scheme"], string> = {
  CORE: "SEPA-Basislastschrift",
  B2B: "SEPA-Firmenlastschrift",
};

/** "DE89 **** **** **** **30 00" → only country, check digits and the last four characters stay readable. */
export function maskIban(iban: string): string {
  const compact = iban.replace(/\s+/g, "");
  const visible = compact.slice(0, 4) + "*".repeat(Math.max(0, compact.length - 8)) + compact.slice(-4);
  return visible.replace(/(.{4})/g, "$1 ").trim();
}

export function debitNoticeText(debit: DirectDebitNotice, invoiceNumber: string): string {
  return (
    `Keine Überweisung nötig: Den Rechnungsbetrag von ${formatEuro(debit.amount_cents)} ziehen wir per ${SCHEME_LABELS[debit.scheme]} ` +
    `am ${formatDateDe(debit.collection_date)} von Ihrem Konto ${debit.iban_masked} ein. ` +
    `Mandatsreferenz: ${debit.mandate_reference} · Gläubiger-ID: ${debit.creditor_id} · Verwendungszweck: ${invoiceNumber}. ` +
    `Bitte sorgen Sie zum Fälligkeitstag für ausreichende Deckung.`
  );
}
