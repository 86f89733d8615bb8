/**
 * GiroCode (EPC069-12 "SEPA Credit Transfer" QR code), version 002, UTF-8:
 *
 *   BCD / 002 / 1 / SCT / BIC / recipient / IBAN / EUR<amount> / purpose / structured ref / text
 *
 * Lines are separated by "\n"; trailing empty elements are omitted. The invoice number
 * goes into the unstructured remittance text (the bank import matches on it). Limits:
 * name ≤ 70, text ≤ 140 characters, amount 0.01 … 999 999 999.99 EUR.
 */
import QRCode from "qrcode";

export type GiroCodeInput = {
  bic: string;
  name: string;
  iban: string;
  amountCents: number;
  reference: string;
};

export class GiroCodeError extends Error {}

export function giroCodePayload(input: GiroCodeInput): string {
  const iban = input.iban.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) throw new GiroCodeError("Ungültige IBAN für den GiroCode.");
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents < 1 || input.amountCents > 99_999_999_999) {
    throw new GiroCodeError("Der Betrag für den GiroCode muss zwischen 0,01 und 999.999.999,99 EUR liegen.");
  }
  const euros = `${Math.floor(input.amountCents / 100)}.${String(input.amountCents % 100).padStart(2, "0")}`;
  const clean = (text: string, max: number) => text.replace(/[\r\n]+/g, " ").trim().slice(0, max);
  return ["BCD", "002", "1", "SCT", input.bic.replace(/\s+/g, "").toUpperCase(), clean(input.name, 70), iban, `EUR${euros}`, "", "", clean(input.reference, 140)].join(
    "\n",
  );
}

/** QR code as PNG data URL (error correction M, as the EPC guideline asks). */
export async function giroCodeDataUrl(payload: string): Promise<string> {
  return QRCode.toDataURL(payload, { errorCorrectionLevel: "M", margin: 1, width: 240 });
}

export async function giroCodeSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
}

/** The GiroCode for an open invoice amount, or null when nothing is to be transferred. */
export function invoiceGiroCode(
  bank: { bic: string; iban: string; account_holder: string },
  invoiceNumber: string | null,
  openCents: number,
): string | null {
  if (!invoiceNumber || openCents <= 0) return null;
  try {
    return giroCodePayload({ bic: bank.bic, name: bank.account_holder, iban: bank.iban, amountCents: openCents, reference: invoiceNumber });
  } catch {
    return null;
  }
}

/**
 * The QR code as one SVG path ("M x y h1 v1 h-1 z" per dark module), computed
 * synchronously so the react-pdf invoice document can draw it without a PNG round trip.
 */
export function giroCodePath(payload: string): { size: number; d: string } {
  const qr = QRCode.create(payload, { errorCorrectionLevel: "M" });
  const size = qr.modules.size;
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (qr.modules.get(y, x)) parts.push(`M${x} ${y}h1v1h-1z`);
    }
  }
  return { size, d: parts.join("") };
}

/**
 * `girocode` of the invoice detail API: the EPC payload for the open amount of an open
 * invoice (not for credit notes, drafts, paid or cancelled invoices). Bank details come
 * from the issuer snapshot frozen at issue time.
 */
export function detailGiroCode(
  row: { kind: "invoice" | "credit_note"; invoiceNumber: string | null; issuer: Record<string, unknown> | null },
  status: string,
  remainingCents: number,
): string | null {
  if (row.kind !== "invoice" || !["sent", "partially_paid", "overdue"].includes(status)) return null;
  const bank = (row.issuer as { bank?: { bic: string; iban: string; account_holder: string } } | null)?.bank;
  return bank ? invoiceGiroCode(bank, row.invoiceNumber, remainingCents) : null;
}
